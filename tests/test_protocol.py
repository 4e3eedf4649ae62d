"""Conformance of every registered memory and learner to the protocol of ``neuromem.models.base``.

Each registered class gets a small instance here; a class registered without one fails
``test_every_registered_model_has_a_conformance_instance``, so none is skipped silently.
"""
import numpy as np
import pytest

from neuromem import NotSupportedError, ValidationError
from neuromem.io import load_memory, save_memory
from neuromem.models import (LEARNERS, MEMORIES, ActiveDendritesNetwork, CA3Memory, ClassicalHopfield,
                             ContinualLearner, ContinualSpikingNetwork, DenseHopfield, EnergyMemory,
                             FirstOrderSequenceMemory, HeteroAssociativeMemory, HLOPMemory, Memory, ModernHopfield,
                             NearestNeighbourMemory, ReservoirMemory, SegmentMemory, SequenceLearner, SequenceMemory,
                             SparseyMemory)

N = 64
MEMORY_FACTORIES = {
    "NearestNeighbourMemory": lambda: NearestNeighbourMemory(N),
    "ClassicalHopfield": lambda: ClassicalHopfield(N),
    "DenseHopfield": lambda: DenseHopfield(N, degree=3),
    "ModernHopfield": lambda: ModernHopfield(beta=8.0, n=N),
    "CA3Memory": lambda: CA3Memory(cues=8, bits=N),
    "SparseyMemory": lambda: SparseyMemory(N, Q=8, K=8, seed=1),
    "SegmentMemory": lambda: SegmentMemory(N, s=8, theta=6, seed=1),
    "ReservoirMemory": lambda: ReservoirMemory(N, n_exc=160, n_inh=40, targets=20, fan_in=5, seed=1),
    "HLOPMemory": lambda: HLOPMemory(N, hidden=64, seed=1),
}


def patterns_for(mem, k, seed=0):
    """k random patterns in the memory's alphabet (binary ones sparse, 10 of 64 active)."""
    rng = np.random.default_rng(seed)
    if mem.alphabet == "binary":
        out = np.zeros((k, N))
        for row in out:
            row[rng.choice(N, 10, replace=False)] = 1.0
        return out
    return np.where(rng.random((k, N)) < 0.5, 1.0, -1.0)


def test_every_registered_model_has_a_conformance_instance():
    assert set(MEMORY_FACTORIES) == set(MEMORIES)
    assert set(LEARNER_FACTORIES) == set(LEARNERS)


@pytest.fixture(params=sorted(MEMORY_FACTORIES))
def memory(request):
    return MEMORY_FACTORIES[request.param]()


def test_store_recall_recognize(memory):
    assert isinstance(memory, Memory)
    stored = patterns_for(memory, 4)
    memory.store(stored)
    for p in stored:       # four patterns of 64 units: every model holds them and gives each back from itself
        res = memory.recall(p)
        assert res.state.shape == (N,)
        np.testing.assert_array_equal(res.state, p)
    novel = patterns_for(memory, 4, seed=9)
    seen = [memory.recognize(p) for p in stored]
    unseen = [memory.recognize(p) for p in novel]
    assert all(isinstance(s, float) for s in seen + unseen)
    assert min(seen) > max(unseen)


def test_save_load_round_trip_is_bit_exact(memory, tmp_path):
    stored = patterns_for(memory, 3)
    memory.store(stored)
    back = load_memory(save_memory(memory, tmp_path / "m.npz"))
    assert type(back) is type(memory)
    a, b = memory.state_dict()[0], back.state_dict()[0]
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_array_equal(np.asarray(a[k]), np.asarray(b[k]), err_msg=k)
    cue = stored[1].copy()
    cue[:3] = stored[0][:3]
    r1, r2 = memory.recall(cue, seed=5), back.recall(cue, seed=5)
    np.testing.assert_array_equal(r1.state, r2.state)
    assert memory.recognize(cue) == back.recognize(cue)


def test_bad_cues_are_refused(memory):
    memory.store(patterns_for(memory, 2))
    with pytest.raises(ValidationError, match=type(memory).__name__):
        memory.recall(np.ones(N + 1))
    with pytest.raises(ValidationError, match="one cue"):
        memory.recall(patterns_for(memory, 2))
    if memory.alphabet != "real":
        with pytest.raises(ValidationError, match="values|binary|bipolar|\\+-1"):
            memory.recall(np.full(N, 2.0))


def test_energy_where_defined_clear_error_elsewhere(memory):
    stored = patterns_for(memory, 2)
    memory.store(stored)
    if isinstance(memory, (ClassicalHopfield, DenseHopfield, ModernHopfield)):
        assert isinstance(memory, EnergyMemory) and np.isfinite(memory.energy(stored[0]))
    else:
        with pytest.raises(NotSupportedError, match="no energy"):
            memory.energy(stored[0])


def test_reservoir_is_hetero_associative():
    mem = ReservoirMemory(N, outcomes=8, n_exc=160, n_inh=40, targets=20, fan_in=5, seed=2)
    assert isinstance(mem, HeteroAssociativeMemory)
    cues = patterns_for(mem, 4)
    outcomes = np.eye(8)[[1, 3, 5, 7]]
    mem.store_pairs(cues, outcomes)
    for c, o in zip(cues, outcomes):
        np.testing.assert_array_equal(mem.recall(c).state, o)
    with pytest.raises(ValidationError, match="store_pairs"):
        mem.store(cues)


# -- learners -------------------------------------------------------------------------------------------

def _continual_tasks(seed=0):
    rng = np.random.default_rng(seed)
    tasks = []
    for t in range(2):
        x = rng.random((40, 16))
        y = (x[:, t] > 0.5).astype(int)
        tasks.append((x, y))
    return tasks


LEARNER_FACTORIES = {
    "SequenceMemory": lambda: SequenceMemory(list("ABCDXY"), columns=256, seed=1),
    "FirstOrderSequenceMemory": lambda: FirstOrderSequenceMemory(),
    "ActiveDendritesNetwork": lambda: ActiveDendritesNetwork(16, 2, hidden=(32,), segments=2, epochs=2, seed=1),
    "ContinualSpikingNetwork": lambda: ContinualSpikingNetwork((16, 32, 2), steps=3, epochs=2, batch=8,
                                                               subspace=((4, 4),), seed=1),
}


@pytest.mark.parametrize("name", sorted(LEARNER_FACTORIES))
def test_learners_follow_their_protocol_and_round_trip(name, tmp_path):
    learner = LEARNER_FACTORIES[name]()
    if isinstance(learner, SequenceLearner):
        for _ in range(6):
            learner.present(list("ABCD"))
            learner.present(list("XBCY"))
        back = load_memory(save_memory(learner, tmp_path / "l.npz"))
        for seq in (list("ABCD"), list("XBCY")):
            assert back.present(seq, learn=False) == learner.present(seq, learn=False)
    else:
        assert isinstance(learner, ContinualLearner)
        tasks = _continual_tasks()
        for x, y in tasks:
            assert isinstance(learner.learn_task(x, y), int)
        back = load_memory(save_memory(learner, tmp_path / "l.npz"))
        for x, y in tasks:
            assert back.evaluate(x, y) == learner.evaluate(x, y)
        x, y = _continual_tasks(seed=1)[0]
        learner.learn_task(x, y)
        back.learn_task(x, y)    # restored random streams: training on goes on identically
        assert back.evaluate(x, y) == learner.evaluate(x, y)


# -- the comparison study ----------------------------------------------------------------------------------

def test_memory_compare_runs_every_registered_memory_on_the_same_probes():
    from neuromem.studies.compare import MODELS, memory_compare
    d = memory_compare(n=120, codes=("sparse",), stored=6, unknown=(0.0, 0.2), flips=(0.0, 0.05, 0.1), batch=3,
                       batches=3, loads=(5, 10), probes=5, workers=1, seed=2)
    assert {r["class"] for r in d["results"]} == set(MEMORIES)
    assert [r["row"] for r in d["results"]] == list(MODELS)
    by = {r["row"]: r for r in d["results"]}
    nn = by["nearest neighbour"]    # the reference: every stored item back from a clean cue, perfect recognition
    assert nn["partial"][0][0] == 1.0 and nn["auc"] == 1.0 and nn["k90"] == 10
    for r in d["results"]:
        assert 0.0 <= r["auc"] <= 1.0 and len(r["retention"]["recall"]) == 3
    assert d["log"][0].startswith("memory")


def test_memory_compare_theory_overlays():
    from neuromem.studies.compare import theory
    from neuromem.theory.hopfield import error_free_capacity
    dense, sparse = theory(1000, "dense"), theory(1000, "sparse")
    # one-sweep stability at 90% lands on McEliece et al.'s error-free capacity N / (2 ln N) = 72.4 (within 5%)
    assert dense["Hopfield (Hebbian)"][1] == pytest.approx(error_free_capacity(1000), rel=0.05)
    assert dense["dense Hopfield (exp)"][1] == pytest.approx(2.0 ** 500)
    assert "dendritic segments" in sparse and "Hopfield (Hebbian)" not in sparse


@pytest.mark.slow
def test_memory_compare_result_does_not_depend_on_the_number_of_workers():
    from neuromem.studies.compare import memory_compare
    kw = dict(n=100, codes=("dense",), stored=5, unknown=(0.0, 0.4), flips=(0.0, 0.1), batch=2, batches=2,
              loads=(4, 8), probes=4, models=["Hopfield (Hebbian)", "Sparsey", "CA3 (paper, SpiNNaker)"], seed=3)
    one, two = memory_compare(workers=1, **kw), memory_compare(workers=2, **kw)
    for a, b in zip(one["results"], two["results"]):
        for k in ("auc", "hit_rate", "false_alarms", "partial", "noisy", "retention", "k90"):
            assert a[k] == b[k], k
