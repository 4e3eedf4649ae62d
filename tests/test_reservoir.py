"""Izhikevich reservoirs with three-factor learning (Izhikevich 2007, Cereb Cortex 17:2443)."""
import math

import numpy as np
import pytest

import neuromem as nm
from neuromem.errors import ValidationError
from neuromem.experiments.reservoir import REWARD_DELAY_MS, WINDOW_MS, distal_reward
from neuromem.models.reservoir import STDP_TAU_2007, IzhikevichReservoir


def test_fixed_number_post_connector():
    conn = nm.FixedNumberPostConnector(7, allow_self_connections=False)
    pre, post = conn.connect(20, 20, np.random.default_rng(0), True)
    assert np.array_equal(np.bincount(pre, minlength=20), np.full(20, 7))
    assert not (pre == post).any()
    assert all(np.unique(post[pre == j]).size == 7 for j in range(20))
    with pytest.raises(ValidationError, match="FixedNumberPostConnector"):
        nm.FixedNumberPostConnector(21).connect(5, 20, np.random.default_rng(0), False)


def test_uniform_noise_current_has_the_stated_mean_sd_and_bounds():
    src = nm.NoisyCurrentSource(0.2, 0.5, dt=1.0, distribution="uniform")
    x = src.table(0.0, 1.0, 20000, 3, np.random.default_rng(1), {})
    half = 0.5 * math.sqrt(3.0)  # U(m - sqrt(3) s, m + sqrt(3) s) has sd s
    assert x.min() >= 0.2 - half and x.max() <= 0.2 + half
    assert abs(x.mean() - 0.2) < 4 * 0.5 / math.sqrt(x.size)
    assert x.std() == pytest.approx(0.5, rel=0.02)
    with pytest.raises(ValidationError, match="distribution"):
        nm.NoisyCurrentSource(0.0, 1.0, distribution="poisson")


def test_reservoir_wiring_and_cells_follow_izhikevich_2007():
    r = IzhikevichReservoir(seed=3)
    e, i = r.excitatory, r.inhibitory
    assert len(e) == 800 * 100 and len(i) == 200 * 100
    assert np.array_equal(np.bincount(e.pre_idx, minlength=800)[:800], np.full(800, 100))
    assert (i.post_idx < 800).all()                      # inhibitory neurons target excitatory ones only
    assert not (e.pre_idx == e.post_idx).any()
    a, d = r.neurons.get("a"), r.neurons.get("d")
    assert np.array_equal(a[:800], np.full(800, 0.02)) and np.array_equal(d[800:], np.full(200, 2.0))
    rule = e.synapse
    # STDP traces x0.95 per ms, LTP 0.1, LTD 1.5 x 0.1, tau_c 1 s, tau_d 0.2 s, s += (0.002 + d) c every 10 ms
    assert math.exp(-1.0 / STDP_TAU_2007) == pytest.approx(0.95)
    assert rule.timing_dependence.A_plus * rule.weight_dependence.w_max == pytest.approx(0.1)
    assert rule.timing_dependence.A_minus * rule.weight_dependence.w_max == pytest.approx(0.15)
    assert (rule.tau_eligibility, rule.tau_modulator, rule.baseline) == (1000.0, 200.0, 0.002)
    assert rule.learning_rate * rule.update_interval == pytest.approx(1.0)


def test_reservoir_2003_cells_are_heterogeneous():
    r = IzhikevichReservoir(n_exc=80, n_inh=20, targets=10, cells="2003", seed=1)
    c = r.neurons.get("c")[:80]
    assert c.min() >= -65.0 and c.max() <= -50.0 and np.ptp(c) > 1.0


@pytest.mark.parametrize("kw, match", [
    (dict(targets=1000), "targets"), (dict(cells="1999"), "cells"), (dict(exc_weight=5.0), "exc_weight"),
    (dict(noise=-1.0), "noise"), (dict(n_exc=0), "n_exc"),
])
def test_reservoir_bad_input(kw, match):
    with pytest.raises(ValidationError, match=match):
        IzhikevichReservoir(**kw)


def test_rewards_follow_pairings_by_one_to_three_seconds():
    d = distal_reward(minutes=2.0, seed=4, sample_s=30.0)
    assert d["pairings"].size > 0
    lags = []
    for r in d["rewards"]:
        lag = r - d["pairings"]
        lags.append(lag[(lag >= REWARD_DELAY_MS[0]) & (lag <= REWARD_DELAY_MS[1])].size > 0)
    assert all(lags)
    assert d["rewards"].size <= d["pairings"].size
    assert 0.5 < d["rate_exc_hz"] < 3.0                 # the paper's network fires at about 1-2 Hz
    assert WINDOW_MS == 20


@pytest.mark.slow
def test_distal_reward_reproduces_izhikevich_2007():
    # Izhikevich (2007), Fig. 1: the rewarded synapse reaches the maximum, the others stay low
    d = distal_reward(minutes=40.0, seed=1, sample_s=10.0)
    reached = d["t_s"][np.flatnonzero(d["chosen"] >= 3.5)]
    assert reached.size and reached[0] <= 40 * 60
    assert d["median_others"][-1] < 1.0


def test_force_readout_equals_ridge_regression():
    # RLS from P0 = alpha I is exact recursive ridge: w = (R^T R + I / alpha)^{-1} R^T F
    from neuromem.models.reservoir import ForceReadout
    rng = np.random.default_rng(0)
    R, F = rng.standard_normal((200, 12)), rng.standard_normal((200, 2))
    ro = ForceReadout(12, 2, alpha=0.5)
    for r, f in zip(R, F):
        ro.update(r, f)
    ridge = np.linalg.solve(R.T @ R + np.eye(12) / 0.5, R.T @ F)
    assert np.allclose(ro.w, ridge, atol=1e-9)
    ro.reset()
    assert np.array_equal(ro.P, 0.5 * np.eye(12))
    with pytest.raises(ValidationError, match="n_outputs=2"):
        ro.update(R[0], [1.0])
    with pytest.raises(ValidationError, match="n_inputs=12"):
        ro.predict(np.zeros(5))


def test_spiking_force_learns_a_sine():
    # Nicola & Clopath (2017): after RLS the network keeps producing the 5 Hz target on its own
    from neuromem.experiments.reservoir import force_sine
    d = force_sine(n=500, seconds=5.0, train=(1.0, 3.5), seed=2)
    assert abs(d["test_frequency_hz"] - 5.0) < 0.25
    assert 0.8 < d["test_amplitude"] < 1.2
    assert d["first_second_correlation"] > 0.9


def test_spiking_force_bad_target():
    from neuromem.models.reservoir import SpikingForceNetwork
    net = SpikingForceNetwork(n=20, n_outputs=2, seed=0)
    with pytest.raises(ValidationError, match="n_outputs=2"):
        net.run(np.zeros(10))
    with pytest.raises(ValidationError, match="train"):
        net.run(np.zeros((10, 2)), train=(5, 20))
