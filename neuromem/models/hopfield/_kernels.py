r"""Kernels of the Hopfield-type memories: asynchronous sweeps, dense updates, softmax retrieval.

Random visiting orders come from :mod:`.rng` (SplitMix64 seeded by the
caller's ``numpy.random.Generator``): the same seed, the same order bit for bit.
"""
import math

import numpy as np
from numba import njit, prange

from ...random import shuffle, splitmix_next, uniform  # noqa: F401 - re-exported for callers of this module

POLY, RECTIFIED, EXP = 0, 1, 2
#: terms with beta (s - s_max) below -(ln K + EXP_CUT) weigh less than 2^-53 in the softmax
EXP_CUT = 53.0 * math.log(2.0)

_SINH1_E = math.sinh(1.0) * math.e          # sinh(1) exp(+1): x s_i = -1
_SINH1_EINV = math.sinh(1.0) / math.e       # sinh(1) exp(-1): x s_i = +1


@njit(cache=True, nogil=True)
def flip(s, i, new, row, acc):
    """Set s_i to ``new`` and add its change times ``row`` to the running sums ``acc`` (fields or overlaps)."""
    delta = new - s[i]
    for j in range(acc.size):
        acc[j] += row[j] * delta
    s[i] = new


@njit(cache=True, nogil=True)
def pairwise_async(w, s, state, max_sweeps, temperature, tie, energy_trace):
    r"""Asynchronous sweeps of the pairwise network, local fields kept up to date.

    h_i = sum_j W_ij s_j; at T = 0, s_i <- sgn h_i (|h_i| <= ``tie`` keeps s_i: the
    running field carries rounding error, so an exact tie may read as +-1e-17); at T > 0,
    Glauber dynamics P(s_i = +1) = 1 / (1 + exp(-2 h_i / T)).  A flip of s_i adds
    2 s_i W_:i to h (W symmetric, so row i is used).  Energy E = -s.h/2 after each
    sweep goes to ``energy_trace``.  Returns (sweeps, converged): converged when a
    T = 0 sweep flipped nothing.
    """
    n = s.size
    h = w @ s
    order = np.arange(n)
    for sweep in range(max_sweeps):
        shuffle(order, state)
        flips = 0
        for k in range(n):
            i = order[k]
            if temperature > 0.0:
                x = -2.0 * h[i] / temperature
                p_up = 1.0 / (1.0 + math.exp(x)) if x < 700.0 else 0.0
                new = 1.0 if uniform(state) < p_up else -1.0
            elif h[i] > tie:
                new = 1.0
            elif h[i] < -tie:
                new = -1.0
            else:
                new = s[i]
            if new != s[i]:
                flip(s, i, new, w[i], h)
                flips += 1
        energy_trace[sweep] = -0.5 * np.dot(s, h)
        if flips == 0 and temperature == 0.0:
            return sweep + 1, True
    return max_sweeps, False


@njit(cache=True, nogil=True)
def power(x, degree):
    """x ** degree for a small integer degree, by repeated multiplication."""
    out = 1.0
    for _ in range(degree):
        out *= x
    return out


@njit(cache=True, nogil=True)
def dense_drive(row, m, weight, si, kind, degree):
    r"""Drive of neuron i: sum_mu w_mu [F(x_mu + a_mu) - F(-x_mu + a_mu)], a_mu = m_mu - x_mu s_i.

    ``row[mu]`` = xi_i^mu, ``m[mu]`` = sum_j xi_j^mu s_j (so a_mu excludes neuron i);
    F(x) = x^n (POLY) or max(x, 0)^n (RECTIFIED) (Krotov & Hopfield 2016, eq. 3).
    """
    total = 0.0
    for mu in range(row.size):
        x = row[mu]
        a = m[mu] - x * si
        up, down = a + x, a - x
        if kind == RECTIFIED:
            up, down = max(up, 0.0), max(down, 0.0)
        total += weight[mu] * (power(up, degree) - power(down, degree))
    return total


@njit(cache=True, nogil=True)
def exp_drive(row, scaled, si):
    r"""Drive of neuron i for F = exp, scaled by exp(-max m): sum_mu w_mu 2 sinh(x_mu) exp(m_mu - x_mu s_i - max m).

    exp(x + a) - exp(-x + a) = 2 sinh(x) exp(a) (Demircigil et al. 2017); ``scaled[mu]``
    holds w_mu exp(m_mu - max m) (log-sum-exp scaling), so nothing overflows.
    """
    total = 0.0
    for mu in range(row.size):
        xs = row[mu] * si
        if xs == 1.0:
            f = _SINH1_EINV
        elif xs == -1.0:
            f = _SINH1_E
        elif xs == 0.0:
            continue
        else:
            f = math.sinh(abs(row[mu])) * math.exp(-xs)
        # sinh(x) has the sign of x: the sign of x s_i times s_i
        total += f * scaled[mu] * (1.0 if row[mu] > 0.0 else -1.0)
    return total


@njit(cache=True, nogil=True)
def exp_drive_bipolar(row, weighted, total_weighted, si):
    r""":func:`exp_drive` for +-1 rows as one dot product.

    With t_mu = w_mu exp(m_mu - max m) (``weighted``), P = sum_mu t_mu and D = row . t,
    the rows with x = +1 sum to (P + D)/2 and those with x = -1 to (P - D)/2, so the
    drive is sinh(1) [exp(-s_i) (P + D)/2 - exp(s_i) (P - D)/2].
    """
    d = np.dot(row, weighted)
    plus, minus = 0.5 * (total_weighted + d), 0.5 * (total_weighted - d)
    if si > 0.0:
        return _SINH1_EINV * plus - _SINH1_E * minus
    return _SINH1_E * plus - _SINH1_EINV * minus


@njit(cache=True, nogil=True)
def rescale(m, weight, scaled):
    """scaled = w exp(m - max m); returns its sum."""
    mx = np.max(m)
    total = 0.0
    for mu in range(m.size):
        scaled[mu] = weight[mu] * math.exp(m[mu] - mx)
        total += scaled[mu]
    return total


@njit(cache=True, nogil=True)
def dense_async(xt, weight, s, state, max_sweeps, kind, degree, bipolar, energy_trace):
    r"""Asynchronous sweeps of the dense network keeping the K overlaps, O(K) per neuron update.

    ``xt`` is (N, K): ``xt[i]`` holds neuron i's entry of every stored row.  The
    overlaps m_mu = sum_j xi_j^mu s_j are built once, then a flip of s_i adds
    (s_i' - s_i) xi_i^mu to each.  The order-n tensor is never formed.  For EXP
    the scaled exponentials exp(m_mu - max m) are kept too and refreshed per flip.
    Energy -sum_mu w_mu F(m_mu) (for EXP: -log sum_mu w_mu exp(m_mu)) per sweep.
    Returns (sweeps, converged).
    """
    n, k = xt.shape
    m = np.zeros(k)
    for i in range(n):
        for mu in range(k):
            m[mu] += xt[i, mu] * s[i]
    scaled = np.zeros(k)
    total_scaled = rescale(m, weight, scaled) if kind == EXP else 0.0
    order = np.arange(n)
    for sweep in range(max_sweeps):
        shuffle(order, state)
        flips = 0
        for t in range(n):
            i = order[t]
            if kind == EXP and bipolar:
                drive = exp_drive_bipolar(xt[i], scaled, total_scaled, s[i])
            elif kind == EXP:
                drive = exp_drive(xt[i], scaled, s[i])
            else:
                drive = dense_drive(xt[i], m, weight, s[i], kind, degree)
            new = 1.0 if drive > 0.0 else (-1.0 if drive < 0.0 else s[i])
            if new != s[i]:
                flip(s, i, new, xt[i], m)
                flips += 1
                if kind == EXP:
                    total_scaled = rescale(m, weight, scaled)
        energy_trace[sweep] = dense_energy(m, weight, kind, degree)
        if flips == 0:
            return sweep + 1, True
    return max_sweeps, False


@njit(cache=True, nogil=True)
def dense_energy(m, weight, kind, degree):
    """-sum_mu w_mu F(m_mu); for EXP the log-scaled -log(sum_mu w_mu exp(m_mu)) (same ordering)."""
    if kind == EXP:
        amax = np.max(m)
        acc = 0.0
        for mu in range(m.size):
            acc += weight[mu] * math.exp(m[mu] - amax)
        return -(amax + math.log(acc))
    e = 0.0
    for mu in range(m.size):
        x = max(m[mu], 0.0) if kind == RECTIFIED else m[mu]
        e -= weight[mu] * power(x, degree)
    return e


@njit(cache=True, nogil=True)
def dense_recall_many(xt, weight, cues, seeds, max_sweeps, kind, degree, bipolar, out_sweeps, out_converged):
    """:func:`dense_async` on each row of ``cues`` in place (one SplitMix64 seed per cue)."""
    trace = np.zeros(max_sweeps)
    state = np.zeros(1, dtype=np.uint64)
    for b in range(cues.shape[0]):
        state[0] = seeds[b]
        sw, conv = dense_async(xt, weight, cues[b], state, max_sweeps, kind, degree, bipolar, trace)
        out_sweeps[b] = sw
        out_converged[b] = conv


@njit(cache=True, nogil=True)
def pairwise_recall_many(w, cues, seeds, max_sweeps, temperature, tie, out_sweeps, out_converged):
    """:func:`pairwise_async` on each row of ``cues`` in place (one SplitMix64 seed per cue)."""
    trace = np.zeros(max_sweeps)
    state = np.zeros(1, dtype=np.uint64)
    for b in range(cues.shape[0]):
        state[0] = seeds[b]
        sw, conv = pairwise_async(w, cues[b], state, max_sweeps, temperature, tie, trace)
        out_sweeps[b] = sw
        out_converged[b] = conv


@njit(cache=True, nogil=True, parallel=True)
def softmax_rows_kept(scores, beta, cut):
    """Row maxima of ``scores`` and how many entries lie within ``cut`` of the maximum after scaling by beta."""
    b, k = scores.shape
    smax = np.empty(b)
    kept = np.zeros(b, dtype=np.int64)
    for r in prange(b):
        row = scores[r]
        mx = -np.inf
        for j in range(k):
            if row[j] > mx:
                mx = row[j]
        smax[r] = mx
        floor = mx - cut / beta
        c = 0
        for j in range(k):
            if row[j] >= floor:
                c += 1
        kept[r] = c
    return smax, kept


@njit(cache=True, nogil=True, parallel=True)
def softmax_combine_sparse(scores, smax, patterns, beta, cut, out):
    r"""out_r = sum_mu softmax(beta s_r)_mu x_mu, summing only terms within ``cut`` of the row maximum.

    With cut = ln K + 53 ln 2 the dropped weights add up to less than 2^-53 of the
    total, so the result equals the full softmax product to double precision.
    """
    b, k = scores.shape
    d = patterns.shape[1]
    for r in prange(b):
        row = scores[r]
        floor = smax[r] - cut / beta
        z = 0.0
        acc = np.zeros(d)
        for mu in range(k):
            if row[mu] >= floor:
                p = math.exp(beta * (row[mu] - smax[r]))
                z += p
                x = patterns[mu]
                for j in range(d):
                    acc[j] += p * x[j]
        for j in range(d):
            out[r, j] = acc[j] / z


@njit(cache=True, nogil=True, parallel=True)
def shift_scale_rows(scores, smax, beta):
    """scores[r] <- beta (scores[r] - smax[r]) in place: the exponent of the max-shifted softmax."""
    b, k = scores.shape
    for r in prange(b):
        row = scores[r]
        for mu in range(k):
            row[mu] = beta * (row[mu] - smax[r])
