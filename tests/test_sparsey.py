"""Sparsey part 1: the SDR type and one macrocolumn's Code Selection Algorithm."""
import numpy as np
import pytest
from scipy import stats

from neuromem import ValidationError
from neuromem.models.sparsey import SDR, Mac


def sparse_patterns(k, n, a, rng):
    out = np.zeros((k, n), dtype=np.uint8)
    for row in out:
        row[rng.choice(n, a, replace=False)] = 1
    return out


def test_sdr_views():
    c = SDR(np.array([1, 0, 3]), 4)
    assert c.q == 3 and list(c.indices) == [1, 4, 11]
    assert np.flatnonzero(c.dense).tolist() == [1, 4, 11]
    assert c.overlap(SDR(np.array([1, 2, 3]), 4)) == 2 and c == SDR(np.array([1, 0, 3]), 4)
    with pytest.raises(ValidationError, match="Q = 3"):
        c.overlap(SDR(np.array([1, 2]), 4))


def test_eta_follows_the_formula():
    mac = Mac(10, Q=4, K=8)
    # eta = 1 + [max(0, (G - G-)/(1 - G-))]^gamma chi K with G- = 0.1, gamma = 2, chi = 100
    assert mac.eta(0.05) == 1.0 and mac.eta(0.1) == 1.0
    assert mac.eta(1.0) == pytest.approx(1 + 100 * 8)
    assert mac.eta(0.55) == pytest.approx(1 + (0.45 / 0.9) ** 2 * 800)


def test_stored_inputs_reactivate_their_exact_codes():
    rng = np.random.default_rng(0)
    mac = Mac(400, seed=1)
    pats = sparse_patterns(20, 400, 40, rng)
    codes = [mac.learn(p)[0] for p in pats]
    for p, c in zip(pats, codes):
        code, g = mac.retrieve(p)
        assert code == c and g == 1.0     # every winner of the stored code sees all 40 inputs: V = 1, G = 1


def test_novel_codes_are_no_closer_than_chance():
    # G near G- makes the per-CM draw uniform: a novel code shares Binomial(Q, 1/K) winners with a stored one
    rng = np.random.default_rng(1)
    mac = Mac(2000, Q=24, K=8, seed=2)
    stored = [mac.learn(p)[0] for p in sparse_patterns(5, 2000, 20, rng)]
    overlaps = []
    for p in sparse_patterns(200, 2000, 20, rng):
        code, g = mac.encode(p)
        assert g < 0.35
        overlaps += [code.overlap(s) for s in stored]
    chance = stats.binom(24, 1 / 8)
    se = chance.std() / np.sqrt(len(overlaps))
    assert abs(np.mean(overlaps) - chance.mean()) < 4 * se
    assert np.var(overlaps) == pytest.approx(chance.var(), rel=0.2)


def test_similar_inputs_get_similar_codes():
    rng = np.random.default_rng(3)
    n, a = 400, 40
    mac = Mac(n, seed=4)
    base = sparse_patterns(1, n, a, rng)[0]
    stored, _ = mac.learn(base)
    on, off = np.flatnonzero(base), np.flatnonzero(base == 0)
    x_ov, c_ov = [], []
    for frac in np.linspace(0, 1, 6):
        for _ in range(20):
            keep = int(round(frac * a))
            x = np.zeros(n, dtype=np.uint8)
            x[rng.choice(on, keep, replace=False)] = 1
            x[rng.choice(off, a - keep, replace=False)] = 1
            x_ov.append(frac)
            c_ov.append(mac.encode(x)[0].overlap(stored) / 24)
    x_ov, c_ov = np.array(x_ov), np.array(c_ov)
    assert np.corrcoef(x_ov, c_ov)[0, 1] > 0.8
    assert c_ov[x_ov == 1].mean() > 3 * c_ov[x_ov == 0].mean()


def test_gate_determinism_and_bad_input():
    mac = Mac(20, Q=3, K=4, pi_min=2, pi_max=5, seed=1)
    x = np.zeros(20, dtype=np.uint8)
    x[0] = 1
    code, g = mac.learn(x)
    assert code is None and np.isnan(g) and mac.saturation == 0     # fewer than pi_min active: silent
    x[:3] = 1
    a, b = Mac(20, Q=3, K=4, seed=5), Mac(20, Q=3, K=4, seed=5)
    assert a.learn(x)[0] == b.learn(x)[0]
    with pytest.raises(ValidationError, match="binary"):
        mac.learn(np.full(20, 0.5))
    with pytest.raises(ValidationError, match="length 20"):
        mac.learn(np.zeros(21))
    with pytest.raises(ValidationError, match="'Q'"):
        Mac(10, Q=0)
    with pytest.raises(ValidationError, match="'K'"):
        Mac(10, K=0)


def test_numba_csa_matches_numpy_version():
    from neuromem.bench_sparsey import bench_csa
    r = bench_csa(inputs=200, frames=40)
    assert r["same_codes"]


def test_episodic_memory_through_the_common_protocols():
    import functools

    from neuromem.experiments.protocols import capacity_sweep, recognition
    from neuromem.models.sparsey import SparseyMemory
    rng = np.random.default_rng(5)
    mem = SparseyMemory(1000, seed=1)
    pats = sparse_patterns(20, 1000, 50, rng).astype(float)
    mem.store(pats)
    for p in pats:
        res = mem.recall(p)
        assert np.array_equal(res.state, p) and res.info["G"] == 1.0
    novel = sparse_patterns(20, 1000, 50, rng).astype(float)
    r = recognition(SparseyMemory(1000, seed=2), pats, novel, threshold=0.99)
    assert r.hit_rate == 1.0 and r.false_alarm_rate == 0.0
    # one mac of 24 x 8 cells: exact single-trial recall of tens of patterns, lost by hundreds
    curve = capacity_sweep(functools.partial(SparseyMemory, 1000, seed=1), 1000, [10, 800], alphabet="binary",
                           sparsity=0.05, probes=20, seed=2)
    assert curve.exact[0] == 1.0 and curve.exact[1] == 0.0
    with pytest.raises(ValidationError, match="binary"):
        mem.store(np.where(pats > 0, 1.0, -1.0))


def test_similarity_spec_runs_and_agrees():
    from neuromem import spec as spec_mod
    from neuromem.runners import RUNNERS
    s = spec_mod.load("sparsey_similarity")
    result = RUNNERS[s.kind].run(s, seed=1)
    assert result.passed()
    assert result.measured["code_overlap_at_input_overlap_1"] > 2 * result.measured["code_overlap_at_input_overlap_0"]
