"""``Simulator(timing="arrival")``: sPyNNaker's discrete-time order in floating point (a hop takes
exactly its delay; input acts on its arrival step with sPyNNaker's ``init`` scaling; pair STDP
with per-pairing updates), checked against closed forms of its definition.  The bit-exact
emulation, ``timing="spinnaker"``, is tested in test_spinnaker_fixed.py and
test_spinnaker_boards.py."""
import math

import pytest

import neuromem as nm

CELL = dict(cm=0.27, tau_m=3.0, tau_refrac=1.0, tau_syn_E=0.3, tau_syn_I=0.3,
            v_rest=-60.0, v_reset=-60.0, v_thresh=-57.0)


def _one_synapse(timing, weight, t_spike=5.0, delay=1.0, dt=1.0, cell=CELL, T=20.0):
    net = nm.Network(seed=0)
    src = net.population(1, nm.SpikeSourceArray(spike_times=[t_spike]), label="src")
    cell_pop = net.population(1, nm.IF_curr_exp(**cell), label="cell")
    cell_pop.initialize(v=cell["v_rest"])
    net.projection(src, cell_pop, nm.OneToOneConnector(), nm.StaticSynapse(weight=weight, delay=delay))
    cell_pop.record(["spikes", "v", "isyn_exc"])
    sim = nm.Simulator(net, dt=dt, timing=timing).run(T)
    return sim.get_data(cell_pop)


def test_input_acts_on_its_arrival_step_with_init_scaling():
    w, dt, ts, tm, cm = 1.0, 1.0, CELL["tau_syn_E"], CELL["tau_m"], CELL["cm"]
    data = _one_synapse("arrival", w)
    v = data.signals["v"][:, 0]
    # sample k is taken before step k runs; a source spike at 5 ms is emitted on step 4
    # (the step ending at 5 ms) and with a 1 ms delay arrives on step 5, seen in sample 6
    init = ts / dt * (1 - math.exp(-dt / ts))
    p20 = tm / cm * (1 - math.exp(-dt / tm))
    assert v[5] == pytest.approx(CELL["v_rest"])
    assert v[6] - CELL["v_rest"] == pytest.approx(w * init * p20, rel=1e-12)
    nest = _one_synapse("nest", w).signals["v"][:, 0]
    assert nest[6] == pytest.approx(CELL["v_rest"])  # NEST order: one step later
    assert nest[7] > CELL["v_rest"]


def test_charge_of_one_weight_is_w_tau_syn():
    # sum over steps of I dt = w init dt / (1 - e^{-dt/tau}) = w tau_syn exactly
    w = 2.0
    data = _one_synapse("arrival", w, T=30.0)
    # recorded isyn is the value after the step's decay, so add the arrival step's value back
    i = data.signals["isyn_exc"][:, 0]
    init = CELL["tau_syn_E"] * (1 - math.exp(-1 / CELL["tau_syn_E"]))
    charge = (i.sum() + w * init) * 1.0
    assert charge == pytest.approx(w * CELL["tau_syn_E"], rel=1e-9)


def test_one_paper_weight_fires_on_the_arrival_step():
    # Casanueva-Morato et al. (2024): a 6 nA input makes the next cell fire `delay` ms later
    data = _one_synapse("arrival", 6.0)
    assert data.spike_times.tolist() == [6.0]


def _pairing(timing, t_pre, t_post, d=1.0, A=1.0, w0=3.0):
    net = nm.Network(seed=0)
    pre = net.population(1, nm.SpikeSourceArray(spike_times=[t_pre]), label="pre")
    lead = 1.0 if timing == "arrival" else 2.0  # a hop takes d under arrival timing, d + dt under NEST
    drive = net.population(1, nm.SpikeSourceArray(spike_times=[t_post - lead]), label="drive")
    post = net.population(1, nm.IF_curr_exp(**CELL), label="post")
    post.initialize(v=-60.0)
    net.projection(drive, post, nm.OneToOneConnector(), nm.StaticSynapse(weight=20.0, delay=1.0))
    rule = nm.STDPMechanism(nm.SpikePairRule(tau_plus=3.0, tau_minus=3.0, A_plus=A, A_minus=A),
                            nm.AdditiveWeightDependence(w_min=0.0, w_max=6.0), weight=w0, delay=d)
    prj = net.projection(pre, post, nm.AllToAllConnector(), rule)
    post.record("spikes")
    sim = nm.Simulator(net, dt=1.0, timing=timing).run(20.0)
    assert sim.get_data(post).spike_times.tolist() == [t_post]
    return float(sim.weights(prj)[0])


def test_zero_lag_pairs_depress_only_under_arrival_timing():
    # post at 9 reaches the synapse at 9 + d = 10, the step of the pre spike at 10
    w_max, A = 6.0, 1.0
    assert _pairing("nest", 10.0, 9.0) == pytest.approx(3.0)  # NEST: equal times are not paired
    assert _pairing("arrival", 10.0, 9.0) == pytest.approx(max(0.0, 3.0 - w_max * A))
    # an ordinary pairing (post 2 ms after pre) is the same under both
    expected = min(w_max, 3.0 + w_max * A * math.exp(-(12.0 + 1.0 - 10.0) / 3.0))
    assert _pairing("nest", 10.0, 12.0) == pytest.approx(expected)
    assert _pairing("arrival", 10.0, 12.0) == pytest.approx(expected)


def test_unknown_timing_is_refused():
    net = nm.Network(seed=0)
    net.population(1, nm.IF_curr_exp(), label="a")
    with pytest.raises(nm.errors.ValidationError, match="timing"):
        nm.Simulator(net, dt=1.0, timing="loihi")
