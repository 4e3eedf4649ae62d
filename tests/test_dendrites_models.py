"""Dendritic-segment models: segment memory, temporal (sequence) memory, context-gated network."""
import numpy as np
import pytest
from scipy import stats

from neuromem import NotSupportedError, ValidationError
from neuromem.studies import dendrites as D
from neuromem.studies import protocols as P
from neuromem.studies.datasets import permuted_digits
from neuromem.io import load_memory, save_memory
from neuromem.models import (ActiveDendritesNetwork, DendriticSegment, SegmentMemory, SequenceMemory,
                             TemporalMemory)


def test_segment_memory_union_matches_theory():
    # Ahmad & Hawkins 2016, union property: false alarms of random probes follow P_fp(n, a, s_M, theta)
    d = D.segment_theory(n_values=(1000,), theta=(6,), noise=(0.2,), theta_values=(8,), union_loads=(6, 24),
                         union_probes=400, union_segments=5, seed=3)
    sigma = np.sqrt(d["union_theory"] * (1 - d["union_theory"]) / d["union_probes"])
    assert np.all(np.abs(d["union_mc"] - d["union_theory"]) <= 5 * sigma + 0.02)
    assert np.all(d["union_hits"] == 1.0)          # every stored pattern keeps its s synapses
    assert d["union_mc"][0] < 0.01 < 0.1 < d["union_mc"][1]


def test_dendritic_segment_recognises_and_refuses_recall():
    with pytest.raises(ValidationError, match="theta"):
        DendriticSegment(100, s=5, theta=6)
    with pytest.raises(ValidationError, match="whole|integer"):
        DendriticSegment(100.5)
    m = DendriticSegment(50, s=4, theta=3, seed=1)
    with pytest.raises(ValidationError, match="binary"):
        m.store(np.where(np.arange(50) % 2, 1, -1))
    x = np.zeros(50)
    x[:10] = 1
    m.store(x)
    assert m.overlap(x) == 4 and m.recognize(x) >= 1
    with pytest.raises(NotSupportedError, match="SegmentMemory"):
        m.recall(x)


def test_segment_memory_completes_partial_cues_as_the_hypergeometric_tail_says(tmp_path):
    # One sweep from a cue keeping k of a pattern's a active cells: a pattern cell's segment samples s of the
    # other a - 1 cells, so it fires with P = P(X >= theta), X ~ Hypergeometric(a - 1, s, k') where k' is the
    # number of kept cells other than the cell itself (Ahmad & Hawkins 2016 segments, exact tail).
    from neuromem.theory.dendrites import hypergeometric_tail
    n, a, s, theta, keep = 2000, 40, 20, 10, 20
    rng = np.random.default_rng(3)
    pats = np.zeros((30, n))
    for row in pats:
        row[rng.choice(n, a, replace=False)] = 1
    mem = SegmentMemory(n, s=s, theta=theta, seed=4)
    mem.store(pats)
    fired, expected = [], []
    for row in pats:
        on = np.flatnonzero(row)
        cue = np.zeros(n)
        cue[rng.choice(on, keep, replace=False)] = 1
        first = mem._active_cells(cue > 0)
        for i in on:
            others_kept = int(cue[on].sum() - cue[i])
            expected.append(hypergeometric_tail(a - 1, s, others_kept, theta))
        fired.append(first[on])
    fired, expected = np.concatenate(fired), np.array(expected)
    sigma = np.sqrt(np.sum(expected * (1 - expected)))
    assert abs(fired.sum() - expected.sum()) <= 4 * sigma
    # iterated to a fixed point the whole pattern comes back, and nothing else (false matches ~ 1e-14 here)
    res = mem.recall(cue)
    assert res.converged and np.array_equal(res.state, pats[-1])
    assert mem.recognize(pats[3]) == 1.0
    back = load_memory(save_memory(mem, tmp_path / "seg.npz"))
    np.testing.assert_array_equal(back.recall(cue).state, res.state)
    more = np.zeros((1, n))
    more[0, rng.choice(n, a, replace=False)] = 1
    mem.store(more)
    back.store(more)        # the restored random stream samples the same synapses
    np.testing.assert_array_equal(back.synapses, mem.synapses)


def present_repeatedly(memory, seq, times):
    return [P.sequence_prediction(memory, [seq], 1, seed=k).accuracy[0] for k in range(times)]


def test_first_order_sequence_connects_after_three_reinforcements():
    # a new synapse starts at 0.21 and needs ceil((0.50 - 0.21) / 0.10) = 3 increments to connect: the
    # segment is made at presentation 1, reinforced at 2, 3, 4, so predictions start at presentation 5
    sm = SequenceMemory(list("ABCDEF"), seed=2)
    acc = present_repeatedly(sm, list("ABCDEF"), 6)
    assert acc == [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]
    assert sm.tm.segments == 5 * 40        # one segment per winner cell of each learned transition


def test_high_order_sequences_and_cell_loss():
    d = D.sequence_learning(pairs=4, presentations=40, loss=(0.1,), recovery=2, seed=1)
    c = d["curves"]
    # 1 - 1/(length - 2): the first-order table fails the last step of every sequence
    assert d["first_order_limit"] == pytest.approx(0.75)
    assert c["first order"][-1] == pytest.approx(0.75)
    assert c["temporal memory"][-1] == 1.0
    assert c["temporal memory"][-1] > c["no punishment"][-1]   # stale first-order segments need punishment
    # 10% cell loss: a segment with 20 live synapses keeps >= 13 with probability P(Bin(20, 0.9) >= 13), and a
    # symbol needs half its 40 columns: binomial estimate of the accuracy right after the loss
    keep = 0.9 * stats.binom.sf(12, 20, 0.9)
    expected = stats.binom.sf(19, 40, keep)
    assert expected > 0.99 and d["loss_accuracy"][0] >= 0.95


def test_temporal_memory_determinism_io_and_errors(tmp_path):
    seqs = D.high_order_sequences(2, 5, seed=4)
    a, b = (SequenceMemory(sorted({s for q in seqs for s in q}), seed=9, columns=512) for _ in range(2))
    ra = P.sequence_prediction(a, seqs, 6, seed=1).accuracy
    rb = P.sequence_prediction(b, seqs, 6, seed=1).accuracy
    assert np.array_equal(ra, rb) and np.array_equal(a.tm.syn_perm, b.tm.syn_perm)
    b = load_memory(save_memory(a, tmp_path / "sequence_memory.npz"))
    assert b.codes.keys() == a.codes.keys() and all(np.array_equal(a.codes[s], b.codes[s]) for s in a.codes)
    assert np.array_equal(P.sequence_prediction(a, seqs, 1, learn=False, seed=2).accuracy,
                          P.sequence_prediction(b, seqs, 1, learn=False, seed=2).accuracy)
    with pytest.raises(ValidationError, match="active_columns"):
        a.tm.compute([600])
    with pytest.raises(ValidationError, match="min_threshold"):
        TemporalMemory(activation_threshold=5, min_threshold=8)
    with pytest.raises(ValidationError, match="symbol"):
        a.present(["not a symbol"])
    with pytest.raises(ValidationError, match="fraction"):
        a.tm.kill_cells(1.5)


def test_pool_growth_keeps_segments():
    # a tiny initial pool must grow between kernel calls without changing what is learned
    tm = TemporalMemory(columns=256, cells_per_column=4, seed=1)
    tm._allocate(8)
    rng = np.random.default_rng(0)
    steps = [rng.choice(256, 10, replace=False) for _ in range(6)] * 6
    tm.run(steps)
    ref = TemporalMemory(columns=256, cells_per_column=4, seed=1)
    ref.run(steps)
    n = ref.segments
    assert tm.segments == n and np.array_equal(tm.syn_pre[:n], ref.syn_pre[:n])


def test_active_dendrites_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    net = ActiveDendritesNetwork(6, 3, hidden=(7, 5), segments=3, active_fraction=0.5, dendrite_scale=2.0, seed=1)
    x, c, y = rng.random((4, 6)), rng.normal(size=(4, 6)), np.array([0, 2, 1, 2])

    def loss():
        logits = net._forward(x, c)[0]
        z = logits - logits.max(1, keepdims=True)
        return float(np.mean(np.log(np.exp(z).sum(1)) - z[np.arange(4), y]))

    grads = net._backward(x, c, y)
    for name in ("W0", "U0", "U1", "W2", "b1"):
        p = net.params[name].ravel()
        for i in np.random.default_rng(1).choice(p.size, 5, replace=False):
            old = p[i]
            p[i] = old + 1e-6
            up = loss()
            p[i] = old - 1e-6
            down = loss()
            p[i] = old
            assert grads[name].ravel()[i] == pytest.approx((up - down) / 2e-6, abs=1e-6)


def test_context_gating_keeps_earlier_tasks():
    # Iyer et al. 2022: context-gated dendrites forget far less than a plain network trained the same way
    d = D.continual_digits(tasks=5, hidden=(128, 128), epochs=3, variants=("active dendrites", "plain"), seed=1)
    assert d["context_accuracy"]["active dendrites"] > 0.95
    assert d["mean"]["active dendrites"] > d["mean"]["plain"] + 0.1
    gated, plain = (P.ContinualResult(d["matrix"][k]) for k in ("active dendrites", "plain"))
    assert plain.backward_transfer < gated.backward_transfer < 0


def test_kwta_winners_depend_on_the_task_only_with_standardized_pixels():
    # issue 20, first cause of the wrong ordering: pixels in [0, 1] have a large mean, so a unit's drive
    # has a part (its summed weights times that mean) that no permutation changes, and the same kWTA
    # winners serve every task; standardized pixels (as the paper's permuted MNIST) remove it
    from neuromem.studies.datasets import permuted_digits
    corr = {}
    for standardize in (False, True):
        data = permuted_digits(5, seed=1, standardize=standardize)
        net = ActiveDendritesNetwork(64, 10, hidden=(256, 256), dendrites=False, active_fraction=0.05, seed=1)
        wins = [net._forward(t.x_test, np.zeros_like(t.x_test))[2][0][4].mean(0) for t in data]
        c = np.corrcoef(wins)
        corr[standardize] = c[~np.eye(5, dtype=bool)].mean()
    assert corr[False] > 0.4 and abs(corr[True]) < 0.1


def test_the_layer_behind_kwta_keeps_its_drive():
    # second cause: with PyTorch's default bound 1/sqrt(fan_in) the layer behind a 5% kWTA layer gets
    # sqrt(0.05) of the drive; the paper's code base's bound 1/sqrt(density * fan_in) keeps it
    x = np.random.default_rng(0).normal(size=(200, 64))
    for kwta, low, high in ((True, 0.8, 1.6), (False, 0.2, 0.8)):
        net = ActiveDendritesNetwork(64, 10, hidden=(256, 256), dendrites=False, kwta=kwta, active_fraction=0.05,
                                     seed=1)
        cache = net._forward(x, np.zeros_like(x))[2]
        assert low < cache[1][1].std() / cache[0][1].std() < high


@pytest.mark.slow
def test_continual_spec_shows_the_papers_ordering():
    # the dendrites_continual spec's setting, one seed: dendrites + kWTA > each alone > plain (Iyer et al. 2022)
    d = D.continual_digits(seed=1)
    m = d["mean"]
    assert m["active dendrites + kWTA"] > max(m["active dendrites"], m["kWTA"])
    assert min(m["active dendrites"], m["kWTA"]) > m["plain"] + 0.1


def test_protocol_helpers_and_bad_input():
    assert P.first_order_limit([list("ABC"), list("XBD")]) == 0.0
    assert P.first_order_limit([list("ABCD")]) == 1.0
    r = P.ContinualResult(np.array([[0.9, 0.1], [0.5, 0.8]]))
    assert r.accuracy == pytest.approx(0.65) and r.backward_transfer == pytest.approx(-0.4)
    with pytest.raises(ValidationError, match="sequences"):
        P.sequence_prediction(None, [[1, 2]], 1)
    with pytest.raises(ValidationError, match="test_fraction"):
        permuted_digits(2, test_fraction=1.0)
    with pytest.raises(ValidationError, match="inputs|x"):
        ActiveDendritesNetwork(4, 2).learn_task(np.zeros((3, 5)), [0, 1, 0])
