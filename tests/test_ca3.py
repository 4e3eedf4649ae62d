"""The spiking CA3 content-addressable memory (Casanueva-Morato et al. 2024).

Every decoded result is checked against a dictionary {cue: content}: what a
content-addressable memory must return.  Timing numbers are the paper's (a
recall shows its cue 5 time units after the input and the content one later).
The paper's model itself (its STDP on the SpiNNaker emulation) is checked against the
board's recordings in test_spinnaker_boards.py; on long operation lists its STDP moves
weights between neighbouring operations, so exact agreement with the dictionary is a
property of neuromem's narrow variant, which these tests check.
"""
import numpy as np
import pytest

from neuromem.core import Network
from neuromem.errors import ValidationError
from neuromem.studies import ca3 as X
from neuromem.models.ca3 import CA3Memory, Learn, Recall, RecallByContent


def bits(m, on):
    x = np.zeros(m, dtype=int)
    x[list(on)] = 1
    return x


@pytest.mark.parametrize("c, m", [(5, 10), (7, 3), (1, 1)])
def test_network_has_the_papers_populations(c, m):
    mem = CA3Memory(c, m)
    assert isinstance(mem.network, Network)
    assert mem.n_internal == 3 * c + 4 * m + 1
    assert mem.pops["Input"].size == c + m and mem.pops["Output"].size == c + m
    assert all(p.synapse.plastic for p in mem.plastic)
    w = mem.weights()
    assert w["cue_to_content"].shape == (c, m) and not w["cue_to_content"].any()


@pytest.mark.parametrize("variant", ["paper", "narrow"])
def test_learn_recall_forget_and_its_timing(variant):
    d = X.operations("basic", variants=(variant,))
    assert d["agrees"].all()
    # Casanueva-Morato et al.: cue at the output 5 time units after a recall's input, content 1 later;
    # a learn returns its memory after 5
    assert d["latency"]["recall_cue"] == 5.0
    assert d["latency"]["recall_content"] == 6.0
    assert d["latency"]["learn"] == 5.0


def test_orthogonal_and_overlapping_contents_and_every_fragment_size():
    m = 12
    contents = {0: bits(m, [0, 1, 2, 3]), 1: bits(m, [4, 5, 6]), 2: bits(m, [2, 3, 7, 8, 9]), 3: bits(m, range(m))}
    mem = CA3Memory(4, m, variant="narrow")
    mem.run_operations([Learn(q, c) for q, c in contents.items()])
    for q, c in contents.items():
        assert np.array_equal(mem.recall(q).state, c)
    rng = np.random.default_rng(0)
    ops, expected = [], []
    for q, c in contents.items():
        on = np.flatnonzero(c)
        for size in range(1, on.size + 1):
            frag = bits(m, rng.choice(on, size, replace=False))
            ops.append(RecallByContent(frag))
            expected.append(tuple(sorted(r for r, v in contents.items() if (v & frag).any())))
    for r, e in zip(mem.run_operations(ops), expected):
        assert r.cues == e
        assert all(np.array_equal(v, contents[q]) for q, v in r.pairs)


@pytest.mark.parametrize("variant", ["paper", "narrow"])
def test_relearning_forgets_the_old_content_and_only_that(variant):
    m = 10
    mem = CA3Memory(3, m, variant=variant)
    mem.run_operations([Learn(0, bits(m, [0, 1, 2])), Learn(1, bits(m, [1, 5])), Learn(2, bits(m, [7]))])
    mem.learn(0, bits(m, [2, 8]))
    assert np.flatnonzero(mem.recall(0).state).tolist() == [2, 8]
    assert np.flatnonzero(mem.recall(1).state).tolist() == [1, 5]
    assert np.flatnonzero(mem.recall(2).state).tolist() == [7]
    # bit 0 belonged only to cue 0's old content: nobody holds it now
    assert mem.recall_by_content(bits(m, [0])) == []
    # bit 1 is still cue 1's
    assert [q for q, _ in mem.recall_by_content(bits(m, [1]))] == [1]


def test_random_testbench_matches_the_dictionary_model():
    # overlapping contents, relearning, fragments of 1-9 bits inside or outside stored contents
    ops = X.random_operations(20, 40, 400, density=0.1, fragment_bits=(1, 9), seed=5)
    d = X.run_testbench(20, 40, ops, record_spikes=False, variant="narrow")
    assert d["agrees"].all(), [X.describe(r, e, ok) for r, e, ok in
                               zip(d["results"], d["expected"], d["agrees"]) if not ok][:3]


@pytest.mark.slow
def test_stress_1000_cues_100_bits_thousands_of_operations():
    ops = X.random_operations(1000, 100, 2000, density=0.1, fragment_bits=(1, 4), seed=11)
    d = X.run_testbench(1000, 100, ops, record_spikes=False, variant="narrow")
    assert d["n_internal"] == 3 * 1000 + 4 * 100 + 1
    assert d["agrees"].all()


def test_batch_equals_one_operation_at_a_time():
    ops = X.random_operations(6, 8, 40, seed=2)
    batch = CA3Memory(6, 8, seed=3).run_operations(ops)
    single = CA3Memory(6, 8, seed=3)
    for op, b in zip(ops, batch):
        s = single.run_operations([op])[0]
        assert (s.start, s.cues) == (b.start, b.cues) and np.array_equal(s.content, b.content)


def test_same_seed_same_spikes():
    ops = X.random_operations(5, 10, 30, seed=4)
    a, b = CA3Memory(5, 10, seed=1), CA3Memory(5, 10, seed=1)
    a.run_operations(ops)
    b.run_operations(ops)
    for name in a.pops:
        assert np.array_equal(a.spikes()[name][0], b.spikes()[name][0])
        assert np.array_equal(a.spikes()[name][1], b.spikes()[name][1])


def test_spurious_fragment_bits_return_exactly_the_cues_sharing_a_bit():
    d = X.spurious_bits(cues=12, bits=30, extra=(0, 2, 6), trials=8, seed=1, variant="narrow")
    assert np.array_equal(d["returned"], d["predicted"])
    assert d["target_found"].min() == 1.0
    assert d["returned"][-1] > d["returned"][0]


def test_beside_classical_hopfield_through_the_common_protocol():
    d = X.with_hopfield(bits=30, k=4, levels=(0.0, 0.5, 0.9), trials=2, seed=2, variant="narrow")
    # a fragment of a stored content shares its bits, so that content is always returned
    assert d["target_returned"] == 1.0
    assert d["ca3_exact"][0] == 1.0


def test_robot_map():
    d = X.operations("robot_map", variants=("narrow",))
    assert d["agrees"].all()
    obstacle = d["results"][16]
    grid = "".join(X.robot_map_operations()[1]["grid"])
    assert list(obstacle.cues) == [i for i, ch in enumerate(grid) if ch == "#"]


@pytest.mark.parametrize("op, match", [
    (Recall(5), "cue"), (Recall(-1), "cue"), (Recall(1.0), "cue"),
    (Learn(0, [1, 0, 1]), "length bits=4"), (Learn(0, [1, 0, 2, 0]), "0/1"), (Learn(0, [0, 0, 0, 0]), "CondInt"),
    (RecallByContent([0, 0, 0, 0]), "at least one active bit"), ("recall 2", "expected Learn"),
])
def test_bad_operations_are_refused_before_anything_runs(op, match):
    mem = CA3Memory(5, 4)
    with pytest.raises(ValidationError, match=match):
        mem.run_operations([Learn(0, [1, 0, 0, 1]), op])
    assert mem.t == 1.0 and mem.simulator is None and not mem.history


def test_constructor_and_store_errors():
    with pytest.raises(ValidationError, match="cues"):
        CA3Memory(0, 4)
    with pytest.raises(ValidationError, match="variant"):
        CA3Memory(2, 4, variant="wide")
    with pytest.raises(ValidationError, match="at most cues=2"):
        CA3Memory(2, 4).store(np.eye(4))
    with pytest.raises(ValidationError, match="binary"):
        CA3Memory(2, 4).store(-np.ones((1, 4)))


def test_paper_variant_is_the_papers_stdp_on_the_emulation():
    # sPyMem network_config.json: tau+- = 3 ms, A+- = 6, additive in [0, 6]; the board's arithmetic
    mem = CA3Memory(3, 4)
    assert mem.variant == "paper" and mem.timing == "spinnaker"
    for prj in mem.plastic:
        td, wd = prj.synapse.timing_dependence, prj.synapse.weight_dependence
        assert (td.tau_plus, td.tau_minus, td.A_plus, td.A_minus) == (3.0, 3.0, 6.0, 6.0)
        assert (wd.w_min, wd.w_max, wd.multiplicative) == (0.0, 6.0, False)
    narrow = CA3Memory(3, 4, variant="narrow")
    assert narrow.timing == "arrival" and narrow.plastic[0].synapse.timing_dependence.tau_plus == 0.1


@pytest.mark.parametrize("variant", ["paper", "narrow"])
def test_saved_memory_continues_identically(variant, tmp_path):
    from neuromem.io import load_memory, save_memory
    ops = X.random_operations(5, 8, 20, seed=6)
    a = CA3Memory(5, 8, variant=variant)
    a.run_operations(ops[:10])
    save_memory(a, tmp_path / "m")
    b = load_memory(tmp_path / "m")
    assert b.variant == variant
    ra, rb = a.run_operations(ops[10:]), b.run_operations(ops[10:])
    assert all(x.cues == y.cues and np.array_equal(x.content, y.content) for x, y in zip(ra, rb))
