"""Exact error rates of dendritic segments (Ahmad & Hawkins 2016, arXiv 1601.00720).

A population of n cells has a active; a segment with s synapses on distinct
cells fires when at least theta of them see active cells.  Every probability
here is a hypergeometric tail, computed in exact integer arithmetic (falling
factorials, one correctly rounded division at the end), so it holds for n up to
10^6 and values down to the smallest double (about 1e-308), with no overflow.
"""
from __future__ import annotations

import math
import numbers

from .._checks import fail


def _count(owner, name, value, low=0):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise fail(owner, name, value, "expected a whole number (a count of cells or synapses)")
    if value < low:
        raise fail(owner, name, value, f"expected a count >= {low}")
    return int(value)


def hypergeometric_tail(population, successes, draws, low, high=None) -> float:
    r"""P(low <= X <= high) for X ~ Hypergeometric(population, successes, draws).

    P(X = b) = C(draws, b) (successes)_b (population - successes)_(draws - b) / (population)_draws,
    with (x)_k = x! / (x - k)! the falling factorial; the sum is formed in integers.
    """
    owner = "hypergeometric_tail"
    population = _count(owner, "population", population)
    successes = _count(owner, "successes", successes)
    draws = _count(owner, "draws", draws)
    if successes > population:
        raise fail(owner, "successes", successes, f"expected at most population = {population}")
    if draws > population:
        raise fail(owner, "draws", draws, f"expected at most population = {population}")
    if successes < draws:  # the law is symmetric in successes and draws: keep the products short
        successes, draws = draws, successes
    high = draws if high is None else min(int(high), draws)
    low = max(int(low), 0, draws - (population - successes))
    if low > high:
        return 0.0
    total = 0
    for b in range(low, high + 1):
        total += math.comb(draws, b) * math.perm(successes, b) * math.perm(population - successes, draws - b)
    return total / math.perm(population, draws)


def _check_segment(owner, n, a, s, theta):
    n = _count(owner, "n", n, low=1)
    a = _count(owner, "a", a)
    s = _count(owner, "s", s)
    theta = _count(owner, "theta", theta)
    if a > n:
        raise fail(owner, "a", a, f"expected at most n = {n} active cells")
    if s > n:
        raise fail(owner, "s", s, f"expected at most n = {n} synapses (one per cell)")
    if theta > s:
        raise fail(owner, "theta", theta, f"expected a threshold <= s = {s} synapses")
    return n, a, s, theta


def false_match_probability(n, a, s, theta) -> float:
    r"""P_fp = sum_{b=theta}^{s} C(s, b) C(n - s, a - b) / C(n, a) (Ahmad & Hawkins 2016, eq. 2).

    The chance that a random pattern of a active cells out of n reaches the
    threshold theta on a segment of s synapses.
    """
    n, a, s, theta = _check_segment("false_match_probability", n, a, s, theta)
    return hypergeometric_tail(n, a, s, theta)


def noise_count(owner, a, noise) -> int:
    """``noise`` as a count of the a active cells: an int is a count, a float a fraction of a (rounded)."""
    if isinstance(noise, float):
        if not 0.0 <= noise <= 1.0:
            raise fail(owner, "noise", noise, "expected a fraction in [0, 1] (a float) or a whole count (an int)")
        return int(round(noise * a))
    v = _count(owner, "noise", noise)
    if v > a:
        raise fail(owner, "noise", noise, f"expected at most a = {a} replaced cells")
    return v


def false_negative_probability(a, s, theta, noise) -> float:
    r"""P_fn = sum_{b=s-theta+1}^{s} C(s, b) C(a - s, v - b) / C(a, v) (Ahmad & Hawkins 2016, eq. 4).

    The segment's s synapses sit on cells of a stored pattern of a active cells;
    v = ``noise`` of those cells (a count, or a fraction of a) are replaced by
    others.  The segment fails when it loses more than s - theta synapses.
    """
    owner = "false_negative_probability"
    a = _count(owner, "a", a, low=1)
    s = _count(owner, "s", s)
    theta = _count(owner, "theta", theta)
    if s > a:
        raise fail(owner, "s", s, f"expected at most a = {a} synapses (they sit on the pattern's active cells)")
    if theta > s:
        raise fail(owner, "theta", theta, f"expected a threshold <= s = {s} synapses")
    v = noise_count(owner, a, noise)
    return hypergeometric_tail(a, s, v, s - theta + 1)


def union_synapses(n, s, patterns) -> int:
    """s_M = n (1 - (1 - s/n)^M): distinct synapses of a segment storing M patterns of s synapses each."""
    n = _count("union_synapses", "n", n, low=1)
    s = _count("union_synapses", "s", s)
    patterns = _count("union_synapses", "patterns", patterns, low=1)
    return int(round(n * (1.0 - (1.0 - s / n) ** patterns)))


def union_false_match_probability(n, a, s, theta, patterns) -> float:
    """P_fp of a segment holding the union of M patterns: s_M synapses (:func:`union_synapses`), same theta."""
    n, a, s, theta = _check_segment("union_false_match_probability", n, a, s, theta)
    return false_match_probability(n, a, union_synapses(n, s, patterns), theta)


def threshold_for_error(n, a, s, target, noise=None) -> int:
    """Smallest theta with P_fp <= target (and, with ``noise``, also P_fn <= target); -1 if none.

    P_fp falls and P_fn rises with theta, so with noise the first theta that
    meets the false-match target is the only candidate that can meet both.
    """
    target = float(target)
    if not 0.0 <= target <= 1.0:
        raise fail("threshold_for_error", "target", target, "expected a probability in [0, 1]")
    _check_segment("threshold_for_error", n, a, s, 0)
    for theta in range(0, s + 1):
        if false_match_probability(n, a, s, theta) <= target:
            if noise is None or false_negative_probability(a, s, theta, noise) <= target:
                return theta
            return -1
    return -1


def synapses_for_error(a, theta, noise, target, s_max=None) -> int:
    """Smallest s >= theta with P_fn(a, s, theta, noise) <= target (more synapses, more slack); -1 if none."""
    target = float(target)
    if not 0.0 <= target <= 1.0:
        raise fail("synapses_for_error", "target", target, "expected a probability in [0, 1]")
    a = _count("synapses_for_error", "a", a, low=1)
    theta = _count("synapses_for_error", "theta", theta)
    for s in range(theta, (a if s_max is None else min(a, s_max)) + 1):
        if false_negative_probability(a, s, theta, noise) <= target:
            return s
    return -1


def union_capacity(n, a, s, theta, target) -> int:
    """Largest M with union_false_match_probability <= target (0 if even one pattern misses it)."""
    if union_false_match_probability(n, a, s, theta, 1) > target:
        return 0
    lo, hi = 1, 2
    while union_false_match_probability(n, a, s, theta, hi) <= target:
        lo, hi = hi, hi * 2
        if union_synapses(n, s, hi) >= n:
            break
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if union_false_match_probability(n, a, s, theta, mid) <= target:
            lo = mid
        else:
            hi = mid
    return lo


def segment_memory_exact_recall(n, a, s, theta, k) -> float:
    r"""Probability that :class:`~neuromem.models.SegmentMemory` gives a stored pattern back exactly from itself.

    After K patterns of a active cells, each pattern has left a segment of s synapses on each of its
    cells; a cell outside the cued pattern carries about :math:`K a / n` segments of other patterns,
    each a false match with :func:`false_match_probability` ``(n, a, s, theta)`` (its synapses sit on
    random cells).  The pattern's own cells always fire (their segments lie inside it), so recall is
    exact when none of the :math:`n - a` others fires: a Poisson estimate
    :math:`\exp(-(n - a) (K a / n) P_{fp})` (Ahmad & Hawkins 2016's false-match probability).
    """
    o = "segment_memory_exact_recall"
    _check_segment(o, n, a, s, theta)
    k = _count(o, "k", k)
    return math.exp(-(n - a) * (k * a / n) * false_match_probability(n, a, s, theta))


def segment_memory_capacity(n, a, s, theta, target=0.9) -> float:
    """Stored patterns at which :func:`segment_memory_exact_recall` falls to ``target`` (the inverse of its formula)."""
    p = false_match_probability(n, a, s, theta)
    if p == 0.0:
        return math.inf
    return -math.log(target) * n / ((n - a) * a * p)
