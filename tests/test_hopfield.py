"""Hopfield memories against closed-form theory and independent NumPy implementations."""
import functools
import math
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from neuromem import ValidationError
from neuromem.bench.hopfield import numpy_dense_sweep
from neuromem.models.hopfield import _kernels as hk
from neuromem.studies import hopfield as H
from neuromem.studies import protocols as P
from neuromem.io import load_memory, save_memory
from neuromem.models.hopfield import ClassicalHopfield, DenseHopfield, ModernHopfield
from neuromem.theory import hopfield as th


# -- theory ------------------------------------------------------------------------------------------

def test_ags_capacity_and_overlap():
    # Amit, Gutfreund & Sompolinsky (1987): alpha_c = 0.138, m(alpha_c) = 0.967; no retrieval state above
    alpha_c, m_c = th.ags_capacity()
    assert abs(alpha_c - 0.138) < 0.001 and abs(m_c - 0.967) < 0.001
    assert th.ags_overlap(0.2) == 0.0 and th.ags_overlap(0.0) == 1.0
    m = th.ags_overlap(np.array([0.05, 0.1, 0.13]))
    assert np.all(np.diff(m) < 0) and m[0] > 0.9999


def test_dense_capacity_formula():
    # n = 2 reduces to McEliece et al.'s N / (2 ln N); (2n-3)!! = 3 for n = 3, 15 for n = 4
    assert th.dense_capacity(100, 2) == pytest.approx(th.error_free_capacity(100))
    assert th.dense_capacity(100, 3) == pytest.approx(100 ** 2 / (2 * 3 * math.log(100)))
    assert th.dense_capacity(100, 4) == pytest.approx(100 ** 3 / (2 * 15 * math.log(100)))
    # Demircigil: 2^(N/2) at rho = 0; smaller for noisy cues
    assert th.demircigil_capacity(30) == pytest.approx(2 ** 15)
    assert th.demircigil_capacity(30, 0.1) < th.demircigil_capacity(30)


def test_supervised_archetype_overlap_matches_sampling():
    # exact binomial sum vs. direct sampling of the sign of M-example means
    rng = np.random.default_rng(0)
    for r, m in ((0.3, 5), (0.3, 10), (0.6, 3)):
        chi = np.where(rng.random((200000, m)) < (1 + r) / 2, 1.0, -1.0)
        sampled = np.sign(chi.sum(1)).mean()
        assert th.supervised_archetype_overlap(r, m) == pytest.approx(sampled, abs=0.005)
    assert th.example_quality(0.3, 1) == pytest.approx(1.0) and th.dataset_entropy(0.5, 3) == pytest.approx(1.0)


def test_ramsauer_bound_holds_for_separated_patterns():
    # Theorem 4: one update lands within 2 (K-1) exp(-beta (Delta_i - 2 r M)) M of the pattern
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (50, 64))
    beta = 4.0
    mem = ModernHopfield(beta=beta)
    mem.store(x)
    sep = th.ramsauer_separation(x)
    assert (sep >= th.ramsauer_threshold(x, beta)).all()
    for i in range(10):
        cue = x[i] + 0.02 * rng.standard_normal(64)
        err = np.linalg.norm(mem.retrieve(cue) - x[i])
        assert err <= th.ramsauer_error_bound(x, beta, cue, i)


# -- classical ----------------------------------------------------------------------------------------

def test_hebbian_weights_and_energy_descent():
    pats = P.random_patterns(10, 200, seed=1)
    for rule in ("hebbian", "pseudoinverse", "storkey"):
        m = ClassicalHopfield(learning=rule)
        m.store(pats)
        assert np.all(np.diag(m.weights) == 0) and np.allclose(m.weights, m.weights.T)
        res = m.recall(P.corrupt(pats[0], 0.2, rng=np.random.default_rng(2)), seed=3)
        # asynchronous dynamics with symmetric W, zero diagonal never raise E (Hopfield 1982)
        assert np.all(np.diff(res.info["energy_trace"]) <= 1e-9)
        assert res.converged and res.overlaps[0] == 1.0
    hebb = ClassicalHopfield()
    hebb.store(pats)
    expected = pats.T @ pats / 200
    np.fill_diagonal(expected, 0)
    np.testing.assert_allclose(hebb.weights, expected)


def test_pseudoinverse_makes_every_pattern_a_fixed_point():
    # W = projector with zero diagonal: h = (1 - P_ii) xi_i, same sign, for K < N, even at K = N/2
    pats = P.random_patterns(50, 100, seed=4)
    m = ClassicalHopfield(learning="pseudoinverse")
    m.store(pats)
    states, conv = m.recall_many(pats.copy(), seed=1)
    np.testing.assert_array_equal(states, pats)


def test_storkey_matches_its_definition():
    # W_ij += (xi_i xi_j - xi_i h_ji - h_ij xi_j) / N, h_ij = sum_{k != i, j} W_ik xi_k (Storkey 1997), by loops
    pats = P.random_patterns(4, 12, seed=5)
    n = 12
    w = np.zeros((n, n))
    for xi in pats:
        new = w.copy()
        for i in range(n):
            for j in range(n):
                if i == j:
                    continue
                h_ij = sum(w[i, k] * xi[k] for k in range(n) if k not in (i, j))
                h_ji = sum(w[j, k] * xi[k] for k in range(n) if k not in (i, j))
                new[i, j] += (xi[i] * xi[j] - xi[i] * h_ji - h_ij * xi[j]) / n
        w = new
    m = ClassicalHopfield(learning="storkey")
    m.store(pats[:2])
    m.store(pats[2:])   # incremental
    np.testing.assert_allclose(m.weights, w, atol=1e-12)


def test_glauber_overlap_matches_curie_weiss():
    # one stored pattern at temperature T: m = tanh(m / T) (Mattis / Curie-Weiss mean field); T = 0.5 -> 0.9575
    from scipy.optimize import brentq
    t = 0.5
    m_theory = brentq(lambda m: m - np.tanh(m / t), 0.5, 1.0)
    n = 4000
    pat = P.random_patterns(1, n, seed=6)
    mem = ClassicalHopfield(temperature=t)
    mem.store(pat)
    res = mem.recall(pat[0], max_sweeps=30, seed=7)
    assert not res.converged
    assert res.overlaps[0] == pytest.approx(m_theory, abs=0.02)
    # same seed, same trajectory; another seed, another one
    again = mem.recall(pat[0], max_sweeps=30, seed=7)
    np.testing.assert_array_equal(res.state, again.state)
    assert not np.array_equal(res.state, mem.recall(pat[0], max_sweeps=30, seed=8).state)


def test_synchronous_two_cycle_and_fixed_point():
    # xi = (1, -1): W_12 = -1/2.  Sync from (1, 1) oscillates with (-1, -1); async settles on +-xi.
    sync = ClassicalHopfield(update="sync")
    sync.store([[1, -1]])
    res = sync.recall([1, 1])
    assert not res.converged and res.sweeps == 2
    asyn = ClassicalHopfield()
    asyn.store([[1, -1]])
    res = asyn.recall([1, 1], seed=0)
    assert res.converged and abs(res.overlaps[0]) == 1.0
    pats = P.random_patterns(5, 200, seed=8)
    s2 = ClassicalHopfield(update="sync")
    s2.store(pats)
    assert s2.recall(P.corrupt(pats[1], 0.1, rng=np.random.default_rng(0))).overlaps[1] == 1.0


def test_classical_capacity_transition_against_ags():
    # N = 1000: near-perfect retrieval at alpha = 0.1 (AGS m = 0.998), lost by alpha = 0.2 (> alpha_c = 0.138)
    curve = P.capacity_sweep(ClassicalHopfield, 1000, [100, 200], trials=1, probes=20, seed=3)
    assert curve.mean_overlap[0] >= 0.99
    assert curve.mean_overlap[1] < 0.6


def test_missing_bits_are_filled_and_recalled():
    pats = P.random_patterns(5, 300, seed=9)
    mem = ClassicalHopfield()
    mem.store(pats)
    cue = P.corrupt(pats[2], 0.4, "missing", rng=np.random.default_rng(1))
    assert mem.recall(cue, seed=2).overlaps[2] == 1.0


# -- dense -------------------------------------------------------------------------------------------

def test_dense_degree_two_is_the_hebbian_network():
    # (a + x)^2 - (a - x)^2 = 4 x a: the same sign as the Hebbian field, same order -> same trajectory
    pats = P.random_patterns(12, 100, seed=10)
    cues = np.array([P.corrupt(p, 0.2, rng=np.random.default_rng(i)) for i, p in enumerate(pats)])
    dense, hebb = DenseHopfield(degree=2), ClassicalHopfield()
    dense.store(pats)
    hebb.store(pats)
    a, _ = dense.recall_many(cues.copy(), seed=4)
    b, _ = hebb.recall_many(cues.copy(), seed=4)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("rectified", [False, True])
def test_dense_kernel_matches_numpy_recomputation(rectified):
    pats = P.random_patterns(300, 60, seed=11)
    mem = DenseHopfield(degree=3, rectified=rectified)
    mem.store(pats)
    rng = np.random.default_rng(0)
    for b in range(5):
        s = np.where(rng.random(60) < 0.5, 1.0, -1.0)
        seed = np.array([rng.integers(0, 2**63)], dtype=np.uint64)
        order = np.arange(60)
        hk.shuffle(order, seed.copy())
        ours = s.copy()
        hk.dense_async(mem._xt, mem.row_weight, ours, seed, 1, mem.kind, 3, True, np.zeros(1))
        ref = s.copy()
        if rectified:
            for i in order:  # rectified F by direct recomputation
                m = pats @ ref
                x = pats[:, i]
                a = m - x * ref[i]
                d = np.sum(np.maximum(a + x, 0) ** 3 - np.maximum(a - x, 0) ** 3)
                ref[i] = np.sign(d) if d != 0 else ref[i]
        else:
            numpy_dense_sweep(pats, ref, order, 3)
        np.testing.assert_array_equal(ours, ref)


def test_dense_cubic_stores_tens_of_times_the_classical_limit():
    # N = 100, K = 200 = 14.5 x 0.138 N; n = 3 error-free estimate N^2 / (6 ln N) = 362
    curve = P.capacity_sweep(functools.partial(DenseHopfield, degree=3), 100, [200], cue_noise=0.1, probes=60, seed=2)
    assert curve.exact[0] >= 0.95
    classical = P.capacity_sweep(ClassicalHopfield, 100, [200], cue_noise=0.1, probes=20, seed=2)
    assert classical.exact[0] == 0.0


def test_exponential_dense_no_overflow_and_exact_paths():
    # N = 100 would overflow exp(m) with m up to 100 only past N ~ 700; check N = 1000 stays finite
    pats = P.random_patterns(50, 1000, seed=12)
    mem = DenseHopfield(energy="exp")
    mem.store(pats)
    res = mem.recall(P.corrupt(pats[3], 0.3, rng=np.random.default_rng(0)), seed=1)
    assert np.isfinite(res.energy) and res.overlaps[3] == 1.0
    assert np.all(np.diff(res.info["energy_trace"]) <= 1e-9)
    # the +-1 dot-product path and the general exp path agree
    small = P.random_patterns(2000, 40, seed=13)
    a = DenseHopfield(energy="exp")
    a.store(small)
    cues = np.array([P.corrupt(p, 0.15, rng=np.random.default_rng(i)) for i, p in enumerate(small[:50])])
    s1, _ = a.recall_many(cues.copy(), seed=3)
    a._bipolar = False
    s2, _ = a.recall_many(cues.copy(), seed=3)
    np.testing.assert_array_equal(s1, s2)
    # Demircigil: at rho = 0.15, N = 40 the bound exp(I(0.7) N / 2) = 184 < 2000 patterns; at N = 100 it is 4e5
    assert (s1 == small[:50]).all(1).mean() < 1.0


def test_exponential_recalls_thousands_at_n30():
    # 3000 patterns at N = 30 (bound 2^15): all recalled exactly save near-duplicate pairs
    data = H.exponential_capacity(n=30, loads=(3000,), seed=1)
    assert data["exact"][0] >= 2995


@pytest.mark.slow
def test_exponential_more_than_ten_thousand_at_n30():
    data = H.exponential_capacity(n=30, loads=(12000,), seed=1)
    assert data["exact"][0] > 10000


def test_from_examples_supervised_matches_theory():
    d = H.examples_retrieval(n=3000, m_values=(5, 20, 80), trials=2, seed=2)
    np.testing.assert_allclose(d["supervised"], d["theory"], atol=0.025)
    assert d["unsupervised"][-1] > 0.98
    lab = np.repeat([0, 1], 3)
    ex = P.random_patterns(6, 50, seed=1)
    sup = DenseHopfield.from_examples(ex, lab, degree=2)
    np.testing.assert_allclose(sup.rows, [ex[:3].mean(0), ex[3:].mean(0)])
    uns = DenseHopfield.from_examples(ex, None, degree=4)
    np.testing.assert_allclose(uns.row_weight, 1 / 6)


def test_multitask_hierarchical_overlaps():
    # Agliari et al. 2012: |m_j| = (1 - d) d^(j-1) for the first patterns
    for d in (0.2, 0.4):
        res = P.multitask_overlaps(functools.partial(ClassicalHopfield, diluted=True), 2000, 4, d, trials=4, seed=1)
        np.testing.assert_allclose(res.mean[:2], th.hierarchical_overlaps(d, 2), atol=0.03)


# -- modern -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("beta", [0.5, 50.0])   # dense softmax path, sparse path
def test_modern_update_equals_softmax_formula(beta):
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, (500, 16))
    q = x[:40] + 0.3 * rng.standard_normal((40, 16))
    mem = ModernHopfield(beta=beta)
    mem.store(x)
    s = beta * q @ x.T
    p = np.exp(s - s.max(1, keepdims=True))
    expected = (p / p.sum(1, keepdims=True)) @ x
    np.testing.assert_allclose(mem.retrieve(q), expected, atol=1e-12)
    np.testing.assert_allclose(mem.retrieve(q[5]), expected[5], atol=1e-12)


def test_modern_energy_descends_and_converges():
    # Ramsauer et al. Theorem 1: the update never increases E
    rng = np.random.default_rng(4)
    x = rng.standard_normal((30, 8))
    mem = ModernHopfield(beta=0.5)
    mem.store(x)
    res = mem.recall(rng.standard_normal(8), max_sweeps=200, tol=1e-10)
    assert res.converged and np.all(np.diff(res.info["energy_trace"]) <= 1e-12)


def test_modern_ten_thousand_patterns_half_masked_one_step():
    d = H.modern_retrieval(k=10000, d=64, beta=2.0, masked=0.5, seed=1)
    assert d["correct_fraction"] > 0.99


def test_modern_digits_recall():
    d = H.modern_digits(seed=1)
    assert d["noisy"]["correct_fraction"] >= 0.9 and d["masked"]["same_class_fraction"] >= 0.9


# -- interface, errors, io, parallel ------------------------------------------------------------------

def test_bad_input_errors():
    with pytest.raises(ValidationError, match="bipolar.*2\\*x-1"):
        ClassicalHopfield().store([[0, 1, 1, 0]])
    mem = DenseHopfield(degree=3)
    with pytest.raises(ValidationError, match="store patterns before recall"):
        mem.recall([1, -1, 1])
    mem.store(P.random_patterns(3, 10, seed=1))
    with pytest.raises(ValidationError, match="length N = 10"):
        mem.recall(np.ones(9))
    with pytest.raises(ValidationError, match="degree"):
        DenseHopfield(degree=1)
    with pytest.raises(ValidationError, match="beta"):
        ModernHopfield(beta=0)
    with pytest.raises(ValidationError, match="beta"):
        ModernHopfield(beta=-1.0)
    with pytest.raises(ValidationError, match="at least one pattern"):
        ClassicalHopfield().store(np.zeros((0, 10)))
    with pytest.raises(ValidationError, match="at least one pattern"):
        ModernHopfield().store(np.zeros((0, 4)))
    with pytest.raises(ValidationError, match="learning"):
        ClassicalHopfield(learning="hebb")
    with pytest.raises(ValidationError, match="rectified"):
        DenseHopfield(energy="exp", rectified=True)
    with pytest.raises(ValidationError, match="finite"):
        ModernHopfield().store([[1.0, np.nan]])
    with pytest.raises(ValidationError, match="diluted"):
        ClassicalHopfield(diluted=True).store([[1, 2, 0]])


def test_save_load_roundtrip(tmp_path):
    pats = P.random_patterns(8, 64, seed=2)
    cue = P.corrupt(pats[0], 0.1, rng=np.random.default_rng(0))
    for mem in (ClassicalHopfield(learning="storkey"), DenseHopfield(energy="exp"), ModernHopfield(beta=3.0)):
        mem.store(pats)
        path = save_memory(mem, tmp_path / f"{mem.name}.npz")
        back = load_memory(path)
        assert type(back) is type(mem)
        np.testing.assert_array_equal(back.recall(cue, seed=1).state, mem.recall(cue, seed=1).state)


def test_capacity_sweep_same_with_executor():
    make = functools.partial(DenseHopfield, degree=3)
    a = P.capacity_sweep(make, 60, [100, 200], cue_noise=0.1, trials=2, probes=20, seed=5)
    with ThreadPoolExecutor(2) as ex:
        b = P.capacity_sweep(make, 60, [100, 200], cue_noise=0.1, trials=2, probes=20, seed=5, executor=ex)
    np.testing.assert_array_equal(a.exact_per_trial, b.exact_per_trial)


def test_hopfield_specs_validate_and_run_from_cli(tmp_path):
    from neuromem import spec
    for name in ("hopfield_classical", "hopfield_dense", "hopfield_exponential", "hopfield_modern",
                 "hopfield_modern_digits", "hopfield_examples", "hopfield_multitask"):
        assert spec.load(name).study == name
    png = tmp_path / "ex.png"
    out = subprocess.run([sys.executable, "-m", "neuromem.cli", "run", "hopfield_examples", "--plot", str(png)],
                         capture_output=True, text=True, check=True)
    assert "max abs supervised minus theory" in out.stdout and png.stat().st_size > 10000
