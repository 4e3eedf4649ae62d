"""Closed-form results for Hopfield-type memories (test oracles and plot overlays).

* Amit, Gutfreund & Sompolinsky (1985, 1987): replica-symmetric retrieval overlap
  of the classical Hopfield network at T = 0 and its capacity alpha_c = 0.138.
* McEliece et al. (1987) / Krotov & Hopfield (2016, arXiv 1606.01164): error-free
  capacity N^(n-1) / (2 (2n-3)!! ln N) of the dense (p-body) network.
* Demircigil et al. (2017, J Stat Phys 168:288): exponential capacity exp(alpha N)
  with alpha < I(1 - 2 rho) / 2.
* Ramsauer et al. (2020, arXiv 2008.02217): separation condition under which a
  stored pattern is retrieved by one softmax update, and the error bound.
* Agliari, Barra et al. (Physica A 626:129076): example quality R and dataset
  entropy rho when couplings are built from noisy examples.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special, stats

from .._checks import check_int, check_scalar, fail

#: AGS critical load K/N of the classical Hopfield network (replica symmetric, T = 0)
AGS_CAPACITY = 0.138
#: retrieval overlap just below alpha_c (AGS)
AGS_OVERLAP_AT_CAPACITY = 0.967


def _ags_residual(y, alpha):
    # erf(y) = y (sqrt(2 alpha) + (2/sqrt(pi)) exp(-y^2)), from m = erf(y), y = m / sqrt(2 alpha r),
    # C = sqrt(2 / (pi alpha r)) exp(-y^2), r = 1 / (1 - C)^2 (AGS 1987, T = 0).
    return special.erf(y) - y * (math.sqrt(2.0 * alpha) + 2.0 / math.sqrt(math.pi) * math.exp(-y * y))


def ags_overlap(alpha) -> np.ndarray:
    """Retrieval overlap m(alpha) of the classical Hopfield network at T = 0 (AGS).

    Solves the replica-symmetric fixed point ``erf(y) = y (sqrt(2 alpha) +
    (2/sqrt(pi)) exp(-y^2))`` for its largest root and returns ``m = erf(y)``;
    the retrieval state exists only for alpha < alpha_c = 0.138, above which m = 0.

    Parameters
    ----------
    alpha : float or array, load K/N (>= 0)

    Returns
    -------
    m : array of the same shape, the overlap of the retrieval state with the cued pattern

    References
    ----------
    Amit, Gutfreund & Sompolinsky, Ann. Phys. 173:30 (1987), eqs. (4.11)-(4.13).
    """
    a = np.atleast_1d(np.asarray(alpha, dtype=float))
    if (a < 0).any() or not np.isfinite(a).all():
        raise fail("ags_overlap", "alpha", alpha, "expected finite loads K/N >= 0")
    out = np.zeros(a.shape)
    ys = np.linspace(1e-3, 6.0, 4000)
    for k, al in np.ndenumerate(a):
        if al == 0:
            out[k] = 1.0
            continue
        f = np.array([_ags_residual(y, al) for y in ys])
        sign_change = np.nonzero(np.sign(f[:-1]) != np.sign(f[1:]))[0]
        if sign_change.size == 0:
            continue  # only the y = 0 (non-retrieval) solution
        i = sign_change[-1]
        y = optimize.brentq(_ags_residual, ys[i], ys[i + 1], args=(al,))
        out[k] = special.erf(y)
    return out if np.ndim(alpha) else out[0]


def ags_capacity() -> tuple[float, float]:
    """Critical load alpha_c and the overlap there, recomputed from :func:`ags_overlap`'s equation.

    Returns ``(alpha_c, m_c)``; AGS give 0.138 and 0.967.
    """
    lo, hi = 0.10, 0.20
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if ags_overlap(mid) > 0 else (lo, mid)
    return lo, float(ags_overlap(lo))


def error_free_capacity(n, all_patterns=False) -> float:
    """Largest K with every bit of a stored pattern stable: N / (2 ln N), or N / (4 ln N) for all at once.

    McEliece, Posner, Rodemich & Venkatesh, IEEE Trans. Inf. Theory 33:461 (1987).
    """
    n = check_int("error_free_capacity", "n", n, low=2)
    return n / ((4.0 if all_patterns else 2.0) * math.log(n))


def double_factorial(k: int) -> int:
    """k!! = k (k-2) (k-4) ... (1 for k <= 0)."""
    out = 1
    while k > 1:
        out *= k
        k -= 2
    return out


def dense_capacity(n, degree) -> float:
    """Error-free capacity of the dense (p-body) Hopfield network: N^(n-1) / (2 (2n-3)!! ln N).

    ``degree`` is the interaction order n (F(x) = x^n); n = 2 gives the classical N / (2 ln N).
    Krotov & Hopfield (2016), arXiv 1606.01164, eq. (5).
    """
    n = check_int("dense_capacity", "n", n, low=2)
    degree = check_int("dense_capacity", "degree", degree, low=2)
    return n ** (degree - 1) / (2.0 * double_factorial(2 * degree - 3) * math.log(n))


def _entropy_i(x):
    # I(x) = ((1+x) ln(1+x) + (1-x) ln(1-x)) / 2, with 0 ln 0 = 0
    return 0.5 * (special.xlogy(1 + x, 1 + x) + special.xlogy(1 - x, 1 - x))


def demircigil_capacity(n, rho=0.0) -> float:
    """Exponential capacity bound exp(alpha N), alpha = I(1 - 2 rho) / 2, of the F = exp network.

    ``rho`` is the fraction of corrupted cue bits the patterns must still be
    retrieved from (0 <= rho < 1/2); at rho = 0 the bound is 2^(N/2).
    Demircigil, Heusel, Loewe, Upgang & Vermet, J. Stat. Phys. 168:288 (2017), Theorem 3.
    """
    n = check_int("demircigil_capacity", "n", n, low=1)
    rho = check_scalar("demircigil_capacity", "rho", rho, low=0.0, high=0.5)
    if rho >= 0.5:
        raise fail("demircigil_capacity", "rho", rho, "expected a corrupted fraction below 0.5")
    # as a power of 2: at rho = 0, I(1) = ln 2 gives exactly 2^(N/2) (exp(N ln 2 / 2) rounds 2^15 to 32767.99999999998)
    return 2.0 ** (_entropy_i(1.0 - 2.0 * rho) / math.log(2.0) / 2.0 * n)


def ramsauer_separation(patterns) -> np.ndarray:
    """Separation Delta_i = x_i . x_i - max_{j != i} x_i . x_j of each stored pattern (rows)."""
    x = np.asarray(patterns, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2:
        raise fail("ramsauer_separation", "patterns", x, "expected a (K, d) array with K >= 2")
    g = x @ x.T
    own = np.diag(g).copy()
    np.fill_diagonal(g, -np.inf)
    return own - g.max(axis=1)


def ramsauer_threshold(patterns, beta) -> float:
    """Separation above which one update retrieves a pattern: 2/(beta K) + ln(2 (K-1) K beta M^2) / beta.

    K is the number of patterns and M the largest pattern norm.  A pattern with
    ``ramsauer_separation(...)[i]`` at least this is a fixed point's neighbourhood
    that the update maps into itself (Ramsauer et al. 2020, Theorem 3).
    """
    beta = check_scalar("ramsauer_threshold", "beta", beta, low=0.0, low_open=True)
    x = np.asarray(patterns, dtype=float)
    k = x.shape[0]
    m = np.linalg.norm(x, axis=1).max()
    return 2.0 / (beta * k) + math.log(2.0 * (k - 1) * k * beta * m * m) / beta


def ramsauer_error_bound(patterns, beta, cue, index) -> float:
    """Bound on ||f(cue) - x_i|| after one update: 2 (K-1) exp(-beta (Delta_i - 2 r M)) M.

    r = max(||cue - x_i||, 1/(beta K M)) (the second term bounds the fixed point's
    distance from x_i, Theorem 3's sphere).  Ramsauer et al. (2020), Theorem 4.
    """
    beta = check_scalar("ramsauer_error_bound", "beta", beta, low=0.0, low_open=True)
    x = np.asarray(patterns, dtype=float)
    k = x.shape[0]
    m = np.linalg.norm(x, axis=1).max()
    delta = ramsauer_separation(x)[index]
    r = max(float(np.linalg.norm(np.asarray(cue, float) - x[index])), 1.0 / (beta * k * m))
    return float(2.0 * (k - 1) * math.exp(-beta * (delta - 2.0 * r * m)) * m)


def example_quality(r, m) -> float:
    """R = r^2 + (1 - r^2) / M: the squared overlap of an M-example mean with its archetype.

    Agliari, Barra et al., Physica A 626:129076 (2023).
    """
    r = check_scalar("example_quality", "r", r, low=0.0, high=1.0)
    m = check_int("example_quality", "m", m, low=1)
    return r * r + (1 - r * r) / m


def dataset_entropy(r, m) -> float:
    """rho = (1 - r^2) / (M r^2): how hard the archetypes are to infer from M examples of quality r."""
    r = check_scalar("dataset_entropy", "r", r, low=0.0, low_open=True, high=1.0)
    m = check_int("dataset_entropy", "m", m, low=1)
    return (1 - r * r) / (m * r * r)


def supervised_archetype_overlap(r, m) -> float:
    """Expected overlap with the archetype of sign(mean of M examples), ties counted as 0.

    Each example bit equals the archetype bit with probability (1 + r)/2, so the
    mean's sign is right when more than M/2 of the M examples agree:
    E[m] = P(k > M/2) - P(k < M/2), k ~ Binomial(M, (1 + r)/2).  This is the
    state a supervised Hebbian network (degree 2) built from the examples
    retrieves at low load: its coupling is the outer product of the class means.
    """
    r = check_scalar("supervised_archetype_overlap", "r", r, low=0.0, high=1.0)
    m = check_int("supervised_archetype_overlap", "m", m, low=1)
    p = (1 + r) / 2
    k = np.arange(m + 1)
    pk = stats.binom.pmf(k, m, p)
    return float(pk[2 * k > m].sum() - pk[2 * k < m].sum())


def hierarchical_overlaps(dilution, k) -> np.ndarray:
    """Overlaps (1 - d) d^(j-1), j = 1..k, of the hierarchical (multitask) state with diluted patterns.

    Patterns have a fraction d of zeros; the network aligns with pattern 1 where it
    is non-zero, with pattern 2 where pattern 1 is blank, and so on.  Holds while
    (1 - d) > d (each overlap beats the sum of those below it).
    Agliari, Barra, Galluzzi, Guerra & Moauro, PRL 109:268101 (2012).
    """
    d = check_scalar("hierarchical_overlaps", "dilution", dilution, low=0.0, high=1.0)
    k = check_int("hierarchical_overlaps", "k", k, low=1)
    return (1 - d) * d ** np.arange(k)


def stable_pattern_probability(n, k) -> float:
    r"""Probability that one asynchronous sweep leaves a stored pattern of the Hebbian network unchanged.

    The local field of bit i of pattern :math:`\xi^1` is :math:`h_i = \xi_i^1 (N-1)/N + c_i` with crosstalk
    :math:`c_i` from the :math:`K - 1` other random patterns, approximately Gaussian with variance
    :math:`(K-1)(N-1)/N^2`; each bit stays with :math:`\Phi(\sqrt{(N-1)/(K-1)})` and, bits being nearly
    independent, the whole pattern with that to the power N (the signal-to-noise analysis behind
    McEliece et al. 1987's error-free capacity :math:`N / (2 \ln N)`).
    """
    n = check_int("stable_pattern_probability", "n", n, low=2)
    k = check_int("stable_pattern_probability", "k", k, low=1)
    if k == 1:
        return 1.0
    return float(np.exp(n * stats.norm.logcdf(math.sqrt((n - 1) / (k - 1)))))


def load_for_stability(n, target=0.9) -> int:
    """Largest K with :func:`stable_pattern_probability` ``(n, K) >= target``."""
    n = check_int("load_for_stability", "n", n, low=2)
    target = check_scalar("load_for_stability", "target", target, low=0.0, high=1.0)
    lo, hi = 1, 2
    while stable_pattern_probability(n, hi) >= target:
        lo, hi = hi, 2 * hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if stable_pattern_probability(n, mid) >= target else (lo, mid)
    return lo
