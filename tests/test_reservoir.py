"""Izhikevich reservoirs with three-factor learning (Izhikevich 2007, Cereb Cortex 17:2443)."""
import math

import numpy as np
import pytest

import neuromem as nm
from neuromem.errors import ValidationError
from neuromem.studies.reservoir import REWARD_DELAY_MS, WINDOW_MS, distal_reward
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
    x = src.table(0, 1.0, 20000, 3, lambda b: src.draw(np.random.default_rng([1, b]), 3))
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
    from neuromem.studies.reservoir import force_sine
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


def test_three_factor_readout_settles_at_the_outcome_probability():
    # the rule's fixed point is the conditional mean E[f | x]: an outcome that follows a state with
    # probability p is predicted at amplitude p (one-hot states, so the expectation is exact)
    from neuromem.models.reservoir import ThreeFactorReadout
    rng = np.random.default_rng(0)
    n, steps, p = 20, 20, 0.3
    x = np.eye(n)[np.arange(steps) % n] * 1.0
    ro = ThreeFactorReadout(n, 1, eta=0.5, tau_eligibility=0.0, tau_mean=1e12)
    ys = []
    for _ in range(6000):
        f = np.zeros((steps, 1))
        f[10, 0] = float(rng.random() < p)
        ys.append(ro.trial(x, f)[10, 0])
    # (the fluctuations of a finite learning rate bias it low by about eta-proportional amounts: 0.27 at eta = 2)
    assert np.mean(ys[-3000:]) == pytest.approx(p, abs=0.02)
    # the other steps, never followed by the outcome, predict nothing
    assert np.abs(ro.predict(x)[np.arange(steps) != 10]).max() < 0.05


def test_offline_readout_learns_only_when_it_consolidates():
    from neuromem.models.reservoir import ThreeFactorReadout
    x = np.eye(5)
    f = np.ones((5, 2))
    ro = ThreeFactorReadout(5, 2, mode="offline", consolidate_every=3)
    online = ThreeFactorReadout(5, 2, mode="online")
    ro.trial(x, f)
    online.trial(x, f)
    ro.trial(x, f)
    assert np.array_equal(ro.w, np.zeros((5, 2))) and not np.array_equal(online.w, np.zeros((5, 2)))
    ro.trial(x, f)  # the third trial: the stored trials are replayed through the rule
    assert np.abs(ro.w).sum() > 0


def test_force_readout_trial_equals_per_step_updates():
    from neuromem.models.reservoir import ForceReadout
    rng = np.random.default_rng(1)
    R, F = rng.random((40, 8)), rng.random((40, 2))
    a, b = ForceReadout(8, 2, alpha=2.0), ForceReadout(8, 2, alpha=2.0)
    ya = a.trial(R, F, every=3)
    yb = np.array([b.update(r, f) if s % 3 == 0 else r @ b.w for s, (r, f) in enumerate(zip(R, F))])
    assert np.allclose(ya, yb) and np.allclose(a.w, b.w) and np.allclose(a.P, b.P)


@pytest.mark.parametrize("kw, match", [
    (dict(n_inputs=0), "n_inputs"), (dict(tau_eligibility=-1.0), "tau_eligibility"),
    (dict(tau_mean=0.0), "tau_mean"), (dict(mode="sleep"), "mode"), (dict(gamma=-1.0), "gamma"),
])
def test_three_factor_readout_bad_parameters(kw, match):
    from neuromem.models.reservoir import ThreeFactorReadout
    with pytest.raises(ValidationError, match=match):
        ThreeFactorReadout(**{"n_inputs": 4, **kw})


def test_readout_targets_must_match_the_reservoir():
    from neuromem.models.reservoir import ThreeFactorReadout
    ro = ThreeFactorReadout(4, 2)
    with pytest.raises(ValidationError, match="n_inputs=4"):
        ro.trial(np.zeros((10, 5)), np.zeros((10, 2)))
    with pytest.raises(ValidationError, match=r"shape \(10, 2\)"):
        ro.trial(np.zeros((10, 4)), np.zeros((10, 3)))
    with pytest.raises(ValidationError, match="gate"):
        ro.trial(np.zeros((10, 4)), np.zeros((10, 2)), gate=-1.0)


def test_modulator_of_the_wrong_shape():
    r = IzhikevichReservoir(n_exc=20, n_inh=5, targets=5, seed=0)
    sim = nm.Simulator(r.network, dt=1.0, seed=0)
    with pytest.raises(ValidationError, match="amount"):
        sim.deliver_modulator(r.excitatory, np.ones(3))
    with pytest.raises(ValidationError, match="ThreeFactorSynapse"):
        sim.deliver_modulator(r.inhibitory, 0.5)


@pytest.mark.parametrize("kw, match", [
    (dict(phases=()), "phases"),
    (dict(phases=({"trials": 5, "delays": (100,), "probabilities": ((0.5, 0.4),)},)), "probabilities"),
    (dict(phases=({"trials": 5, "delays": (100, 100), "probabilities": ((0.5, 0.5),)},)), "delays"),
    (dict(phases=({"trials": 5, "delays": (500,), "probabilities": ((0.5, 0.5),)},)), "attention"),
    (dict(cue_targets=500), "cue_targets"), (dict(cue_delays=(50, 10)), "cue_delays"),
])
def test_what_when_bad_input(kw, match):
    from neuromem.studies.reservoir import what_when
    with pytest.raises(ValidationError, match=match):
        what_when(**kw)


def test_what_when_readouts_predict_and_re_adapt_where_force_needs_a_reset():
    # Yamada & Chao (2025): readouts peak at the outcome's latency with amplitude proportional to its
    # probability and follow a change of delay without any reset; FORCE follows only with P reset
    from neuromem.studies.reservoir import what_when
    probs = ((0.6, 0.3, 0.1), (0.1, 0.3, 0.6))
    phases = ({"trials": 300, "delays": (150, 150), "probabilities": probs},
              {"trials": 200, "delays": (250, 250), "probabilities": probs})
    d = what_when(phases=phases, n_exc=200, n_inh=50, targets=25, cue_targets=80, seed=1)
    tf, kept, reset = (d["scores"][k] for k in ("three_factor", "force_kept", "force_reset"))
    assert max(abs(e) for p in tf for e in p["timing_error_ms"]) <= 20
    assert tf[1]["amplitude_probability_correlation"] > 0.8
    assert tf[1]["trials_to_recover"] is not None
    assert kept[1]["trials_to_recover"] is None            # P kept: the readout stays at the old delay
    assert min(kept[1]["timing_error_ms"]) < -50
    assert reset[1]["trials_to_recover"] is not None
    assert all(abs(a - 90.0) < 20.0 for a in d["what_specific_when_angle_deg"])


@pytest.mark.slow
def test_what_when_spec_meets_its_references():
    from neuromem import spec
    from neuromem.studies import STUDIES
    s = spec.load("yamada_chao_what_when")
    assert STUDIES[s.study].run(s, seed=1).passed()
