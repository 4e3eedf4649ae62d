"""STDP and the three-factor rule against the rule's own closed form."""
import math

import numpy as np
import pytest

import neuromem as nm


def pair_network(t_pre, t_post, rule, weight, delay=1.0, synapse_cls=nm.STDPMechanism, **extra):
    net = nm.Network(seed=0)
    pre = net.population(1, nm.SpikeSourceArray(spike_times=[t_pre]), label="pre")
    # the post cell fires exactly once, driven by its own input at t_post
    drive = net.population(1, nm.SpikeSourceArray(spike_times=[t_post - 1.0]), label="drive")
    post = net.population(1, nm.IF_curr_exp(tau_m=1.0, tau_syn_E=0.1, cm=0.01, tau_refrac=50.0), label="post")
    net.projection(drive, post, nm.OneToOneConnector(), nm.StaticSynapse(weight=50.0, delay=1.0))
    prj = net.projection(pre, post, nm.OneToOneConnector(), synapse_cls(
        timing_dependence=rule[0], weight_dependence=rule[1], weight=weight, delay=delay, **extra))
    post.record("spikes")
    return net, post, prj


@pytest.mark.parametrize("dt_pair", [3.0, 8.0, -4.0, -10.0])
@pytest.mark.parametrize("wd_cls", [nm.AdditiveWeightDependence, nm.MultiplicativeWeightDependence,
                                    nm.AdditivePotentiationMultiplicativeDepression])
def test_single_pair_changes_weight_by_rule_amount(dt_pair, wd_cls):
    tau_p, tau_m, a_p, a_m, w0, w_max, d = 16.8, 33.7, 0.05, 0.04, 0.4, 1.0, 1.0
    t_post = 40.0
    t_pre = t_post - dt_pair
    rule = (nm.SpikePairRule(tau_plus=tau_p, tau_minus=tau_m, A_plus=a_p, A_minus=a_m), wd_cls(0.0, w_max))
    net, post, prj = pair_network(t_pre, t_post, rule, w0, d)
    sim = nm.Simulator(net, dt=0.1)
    sim.run(100.0)
    post_spikes = sim.get_data(post).spike_times
    assert post_spikes.size == 1
    t_post_real = post_spikes[0]
    # Delay is dendritic (NEST, sPyNNaker): Delta t = t_post + d - t_pre
    delta = t_post_real + d - t_pre
    if delta > 0:   # potentiation
        k = math.exp(-delta / tau_p)
        dw = a_p * (w_max - w0) * k if wd_cls is nm.MultiplicativeWeightDependence else a_p * w_max * k
    else:           # depression
        k = math.exp(delta / tau_m)
        dw = -a_m * w_max * k if wd_cls is nm.AdditiveWeightDependence else -a_m * w0 * k
    assert sim.weights(prj)[0] == pytest.approx(w0 + dw, rel=1e-12, abs=1e-15)
    assert prj.weight[0] == sim.weights(prj)[0]   # synced back to the projection


def test_weights_clip_at_bounds():
    rule = (nm.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=5.0, A_minus=5.0),
            nm.AdditiveWeightDependence(0.0, 0.5))
    net, post, prj = pair_network(35.0, 40.0, rule, 0.4)
    sim = nm.Simulator(net, dt=0.1)
    sim.run(100.0)
    assert sim.weights(prj)[0] == 0.5


def test_three_factor_eligibility_and_modulated_weight():
    # c jumps by A_plus * w_max * exp(-Dt/tau_plus) at the pairing, decays with tau_c; dw/dt = lr (M + b) c.
    tau_p, a_p, tau_c, lr, interval = 20.0, 0.1, 200.0, 0.01, 1.0
    rule = (nm.SpikePairRule(tau_plus=tau_p, tau_minus=20.0, A_plus=a_p, A_minus=0.0),
            nm.AdditiveWeightDependence(0.0, 10.0))
    net, post, prj = pair_network(35.0, 40.0, rule, 1.0, synapse_cls=nm.ThreeFactorSynapse,
                                  tau_eligibility=tau_c, learning_rate=lr, baseline=0.0, update_interval=interval)
    sim = nm.Simulator(net, dt=0.1)
    sim.run(60.0)                       # no modulator: the weight must not move
    assert sim.weights(prj)[0] == 1.0
    t_post = sim.get_data(post).spike_times[0]
    t_arrive = t_post + 1.0             # post spike reaches the synapse after the (dendritic) delay
    c0 = a_p * 10.0 * math.exp(-(t_arrive - 35.0) / tau_p)
    t_now = sim.t
    c_now = c0 * math.exp(-(t_now - t_arrive) / tau_c)
    assert sim.eligibility(prj)[0] == pytest.approx(c_now, rel=1e-9)
    sim.set_modulator(prj, 2.0)
    n_updates = 100
    sim.run(n_updates * interval)
    q = math.exp(-interval / tau_c)
    expected = 1.0 + lr * 2.0 * interval * c_now * q * (1 - q ** n_updates) / (1 - q)  # updates at t_now + k, k = 1..n
    assert sim.weights(prj)[0] == pytest.approx(expected, rel=1e-9)


def test_plastic_projection_needs_one_delay():
    net = nm.Network(seed=0)
    a = net.population(2, nm.IF_curr_exp(), label="a")
    with pytest.raises(nm.ValidationError, match="one delay value"):
        net.projection(a, a, nm.AllToAllConnector(), nm.STDPMechanism(
            nm.SpikePairRule(), nm.AdditiveWeightDependence(), weight=0.1, delay=np.array([1.0, 2.0, 1.0, 1.0])))
