"""Dendritic-segment theory (Ahmad & Hawkins 2016) against exact enumeration and Monte Carlo."""
import math
from fractions import Fraction

import numpy as np
import pytest

from neuromem import ValidationError
from neuromem.bench.dendrites import bench_segment_activation
from neuromem.models.dendrites import _segments as dk
from neuromem.theory import dendrites as td


def brute_false_match(n, a, s, theta):
    # the paper's formula with Fractions: sum_{b>=theta} C(s,b) C(n-s,a-b) / C(n,a)
    return float(sum(Fraction(math.comb(s, b) * math.comb(n - s, a - b), math.comb(n, a))
                     for b in range(theta, min(s, a) + 1)))


def seed():
    return np.array([2024], dtype=np.uint64)


def test_matches_the_binomial_formula():
    for n, a, s, theta in ((50, 10, 8, 3), (1000, 20, 24, 6), (500, 125, 20, 10)):
        assert td.false_match_probability(n, a, s, theta) == pytest.approx(brute_false_match(n, a, s, theta),
                                                                           rel=1e-14)
    # false negatives: same hypergeometric law, C(s,b) C(a-s,v-b) / C(a,v), b > s - theta
    a, s, theta, v = 40, 12, 8, 10
    brute = float(sum(Fraction(math.comb(s, b) * math.comb(a - s, v - b), math.comb(a, v))
                      for b in range(s - theta + 1, min(s, v) + 1)))
    assert td.false_negative_probability(a, s, theta, v) == pytest.approx(brute, rel=1e-14)
    assert td.false_negative_probability(a, s, theta, 0.25) == td.false_negative_probability(a, s, theta, 10)
    assert td.false_match_probability(100, 10, 10, 0) == 1.0


def test_large_n_tiny_probabilities():
    # n = 10^6 with 2% active: finite, positive, far below 1e-30, and falling with theta
    p = [td.false_match_probability(10**6, 20000, 64, th) for th in (20, 30, 40)]
    assert all(np.isfinite(p)) and p[0] > p[1] > p[2] > 0 and p[1] < 1e-30
    # sparse codes (a = 64 active whatever n): error falls steeply with n; dense codes (a = n/4) stay high
    # whatever n (the paper's conclusion for s = 24, theta = 12)
    sparse = [td.false_match_probability(n, 64, 24, 12) for n in (1000, 10000, 100000)]
    dense = [td.false_match_probability(n, n // 4, 24, 12) for n in (1000, 10000, 100000)]
    assert sparse[0] / sparse[2] > 1e6 and min(dense) > 1e-3


@pytest.mark.parametrize("n,a,s,theta", [(1000, 250, 24, 12), (2000, 40, 20, 2), (500, 50, 30, 5)])
def test_monte_carlo_false_match(n, a, s, theta):
    p = td.false_match_probability(n, a, s, theta)
    trials = 40000
    mc = dk.mc_false_match(n, a, s, theta, trials, seed())
    assert abs(mc - p) <= 5 * math.sqrt(p * (1 - p) / trials) + 1e-12


@pytest.mark.parametrize("a,s,theta,v", [(200, 24, 12, 100), (100, 20, 15, 20)])
def test_monte_carlo_false_negative(a, s, theta, v):
    p = td.false_negative_probability(a, s, theta, v)
    trials = 40000
    mc = dk.mc_false_negative(a, s, theta, v, trials, seed())
    assert abs(mc - p) <= 5 * math.sqrt(p * (1 - p) / trials)


def test_union_property():
    # one segment storing M patterns: false matches stay low up to the predicted M, then rise (s_M grows)
    n, a, s, theta = 2000, 40, 20, 10
    m_cap = td.union_capacity(n, a, s, theta, 1e-3)
    assert m_cap >= 5
    assert td.union_false_match_probability(n, a, s, theta, m_cap) <= 1e-3
    assert td.union_false_match_probability(n, a, s, theta, m_cap + 1) > 1e-3
    # simulation: the union of M actual random subsets, probed with random patterns
    for m in (m_cap // 2, 4 * m_cap):
        p = td.union_false_match_probability(n, a, s, theta, m)
        mc = dk.mc_union_false_match(n, a, s, theta, m, 4000, seed())
        assert abs(mc - p) <= 5 * math.sqrt(max(p, 1e-4) * (1 - p) / 4000) + 0.01


def test_solvers():
    th = td.threshold_for_error(10000, 200, 32, 1e-9)
    assert td.false_match_probability(10000, 200, 32, th) <= 1e-9 < td.false_match_probability(10000, 200, 32, th - 1)
    s = td.synapses_for_error(200, 12, 0.3, 1e-6)
    assert td.false_negative_probability(200, s, 12, 0.3) <= 1e-6 < td.false_negative_probability(200, s - 1, 12, 0.3)


def test_bad_input():
    with pytest.raises(ValidationError, match="theta"):
        td.false_match_probability(100, 10, 8, 9)
    with pytest.raises(ValidationError, match="'a'"):
        td.false_match_probability(100, 101, 8, 2)
    with pytest.raises(ValidationError, match="count >= 0"):
        td.false_match_probability(100, -1, 8, 2)
    with pytest.raises(ValidationError, match="whole number"):
        td.false_match_probability(100.5, 10, 8, 2)
    with pytest.raises(ValidationError, match="noise"):
        td.false_negative_probability(100, 10, 5, 1.5)


def test_activation_kernels_agree_with_numpy():
    r = bench_segment_activation(segments=2000, cells=1000, steps=3)
    assert r["same_segments"]
