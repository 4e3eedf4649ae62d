"""``Simulator(timing="spinnaker")`` against data recorded on SpiNNaker boards.

* The three experiments of Casanueva-Morato et al. (2024), recorded on a board with the paper's
  parameters (``neuromem/data/casanueva2024``): every population, every ms.
* sPyNNaker 7.1.0's integration tests (commit 50eec8b8a): the synfire rings of
  ``test_param_vertex`` (board CSVs in ``tests/data/spynnaker``), the exact s16.15 voltages of
  ``test_set_and_reset.py``, the spike lists of ``test_set_toffset.py`` and
  ``test_set_toffset_izk.py``, the post spikes of ``test_stdp`` with the weights by the tests'
  own formulas (``synapse_dynamics_utils.py``) and tolerance.
"""
from pathlib import Path

import numpy as np
import pytest

import neuromem as nm
from neuromem.studies.ca3 import PAPER_EXPERIMENTS, replay_paper

DATA = Path(__file__).parent / "data" / "spynnaker" / "test_param_vertex"


# -- the CA3 memory of the paper ---------------------------------------------------------------

@pytest.mark.parametrize("experiment", sorted(PAPER_EXPERIMENTS))
def test_ca3_papers_experiments_spike_for_spike(experiment):
    d = replay_paper(experiment, variant="paper")
    for row in d["table"]:
        assert row["board"] == row["emulated"] == row["matching"], row
    assert sum(r["board"] for r in d["table"]) > 0
    # the recording's read-out and the emulation's are the same operation by operation
    board, emulated = d["decoded"]["board"]["results"], d["decoded"]["emulated"]["results"]
    assert [(r.cues, r.content.tolist()) for r in board] == [(r.cues, r.content.tolist()) for r in emulated]


def test_ca3_papers_parameters_on_the_float_order_miss_the_recording():
    # the reason for the emulation: the paper's STDP on the floating-point sPyNNaker order (per-pairing
    # updates, w_max-scaled A, no 16-bit grid) does not give the board's spikes
    from neuromem.models import ca3
    rec = __import__("neuromem.studies.ca3", fromlist=["board_recording"]).board_recording(1)
    net, pops, _ = ca3.build_network(5, 10, "paper")
    pops["Input"].set(spike_times=[[t + 1.0 for t in ts] for ts in rec["input"]])
    sim = nm.Simulator(net, dt=1.0, timing="arrival").run(91.0)
    t, i = sim.spikes(pops["ContCue"])
    got = set(zip(i.tolist(), (np.rint(t).astype(int) - 1).tolist()))
    assert got != rec["spikes"]["CA3contCueRecallLayer"]


# -- synfire rings (test_param_vertex) ---------------------------------------------------------

SYNFIRE_CELL = dict(cm=0.25, i_offset=0.0, tau_m=20.0, tau_refrac=2.0, tau_syn_E=5.0, tau_syn_I=5.0,
                    v_reset=-70.0, v_rest=-65.0, v_thresh=-50.0)


def synfire(n, delay, runtime):
    """``scripts/synfire_runner.py`` with the tests' settings."""
    net = nm.Network(seed=0)
    pop = net.population(n, nm.IF_curr_exp(**SYNFIRE_CELL), label="pop_1")
    pop.initialize(v=-65.0)
    src = net.population(1, nm.SpikeSourceArray(spike_times=[[0.0]]), label="inputSSA_1")
    ring = np.array([(i, (i + 1) % n) for i in range(n)])
    net.projection(pop, pop, nm.FromListConnector(ring), nm.StaticSynapse(weight=2.0, delay=float(delay)))
    net.projection(src, pop, nm.FromListConnector(np.array([[0, 0]])), nm.StaticSynapse(weight=2.0, delay=1.0))
    pop.record(["spikes", "v", "isyn_exc"])
    return nm.Simulator(net, dt=1.0, timing="spinnaker").run(float(runtime)).get_data(pop)


def as_rows(data, signal, n, runtime):
    """A signal in the CSVs' layout: ``id, time, value``, neuron-major."""
    x = data.signals[signal]
    return np.column_stack((np.repeat(np.arange(n), runtime), np.tile(np.arange(runtime), n), x.T.ravel()))


@pytest.mark.parametrize("name, n, delay, runtime", [("20_1", 20, 1, 100), ("20_7", 20, 7, 200),
                                                     ("20_17", 20, 17, 500), ("200_17", 200, 17, 5000)])
def test_synfire_rings_recorded_on_a_board(name, n, delay, runtime):
    data = synfire(n, delay, runtime)
    spikes = np.loadtxt(DATA / f"{name}_spikes.csv.gz", delimiter=",")
    got = np.column_stack((data.spike_ids, data.spike_times))
    got = got[np.lexsort((got[:, 1], got[:, 0]))]
    assert np.array_equal(got, spikes)        # every spike at its ms
    if name == "200_17":                      # its v and gsyn files are not available
        return
    # recorded in December 2017, whose code had exp(-dt/tau_m) = 31169/32768 where 7.1.0 has 31170/32768
    # (the value test_set_and_reset checks exactly): within the tests' own tolerance, not bit for bit
    v = np.loadtxt(DATA / f"{name}_v.csv.gz", delimiter=",")
    g = np.loadtxt(DATA / f"{name}_gsyn.csv.gz", delimiter=",")
    assert np.allclose(v, as_rows(data, "v", n, runtime), rtol=1e-3)
    assert np.allclose(g, as_rows(data, "isyn_exc", n, runtime), rtol=1e-4)
    # every recorded value is on the s16.15 grid, as the board's
    assert np.all(data.signals["v"] * 32768 == np.rint(data.signals["v"] * 32768))


# -- test_change_neuron_parameters_between_runs --------------------------------------------------

FROM_65 = [-65.0, -64.024658203125, -63.09686279296875, -62.214324951171875, -61.37481689453125]
FROM_60 = [-60.0, -59.26849365234375, -58.5726318359375, -57.91070556640625, -57.28106689453125]


def default_lif(n=1, v=None, with_input=False):
    net = nm.Network(seed=0)
    pop = net.population(n, nm.IF_curr_exp(), label="pop")      # PyNN defaults: tau_m 20, cm 1, v_rest -65
    inp = None
    if with_input:
        inp = net.population(1, nm.SpikeSourceArray(spike_times=[0.0]), label="inp")
        net.projection(inp, pop, nm.OneToOneConnector(), nm.StaticSynapse(weight=5.0, delay=1.0))
    if v is not None:
        pop.initialize(v=v)
    pop.set(i_offset=1.0)
    pop.set(tau_syn_E=1.0)
    pop.record(["v"])
    return net, pop, inp


def v_of(sim, pop):
    return sim.get_data(pop).signals["v"][:, 0].tolist()


def test_set_and_reset_voltages_bit_for_bit():
    # exact equality, as sPyNNaker's test: V' = A - ((31170 (A - V)) >> 15), A = -45 mV
    net, pop, _ = default_lif()
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(5.0)
    assert v_of(sim, pop) == FROM_65
    sim.reset()
    pop.set(tau_syn_E=1.0)
    sim.run(5.0)
    assert v_of(sim, pop) == FROM_65
    # run_set_run_reset: a set between two runs changes nothing here
    net, pop, _ = default_lif()
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(2.0)
    pop.set(tau_syn_E=1.0)
    sim.run(3.0)
    assert v_of(sim, pop) == FROM_65


def test_reset_returns_to_the_initialized_voltage():
    # no_change_with_v_set: an input moved past the run, the neuron starts again from v = -60
    net, pop, inp = default_lif(v=-60.0, with_input=True)
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(5.0)
    sim.reset()
    inp.set(spike_times=[100.0])
    sim.run(5.0)
    assert v_of(sim, pop) == FROM_60
    # change_v_before: initialize(v=-65) after the reset
    net, pop, inp = default_lif(with_input=True)
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(5.0)
    sim.reset()
    inp.set(spike_times=[100.0])
    pop.initialize(v=-65.0)
    sim.run(5.0)
    assert v_of(sim, pop) == FROM_65


def test_set_toffset_lif():
    net = nm.Network(seed=0)
    pop = net.population(6, nm.IF_curr_exp(**SYNFIRE_CELL), label="pop_1")
    pop.initialize(v=-65.0)
    pop.record("spikes")
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(100.0)
    pop.set(i_offset=1.0)
    sim.run(100.0)
    pop.set(i_offset=2.0)
    sim.run(100.0)
    expected = [104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192, 200] + list(range(205, 300, 5))
    for train in sim.get_data(pop).spiketrains():
        assert train.tolist() == expected


def test_set_toffset_izhikevich():
    # sPyNNaker's Izhikevich takes i_offset in the paper's current units (nA read as mV/ms); RK2 midpoint
    # in s16.15 with the 1.85 dt step after a spike: float64 gives 2429 ms for the fourth spike, the board 2427
    net = nm.Network(seed=0)
    pop = net.population(32, nm.Izhikevich(a=0.02, b=0.2, c=-65.0, d=8.0), label="pop_1")
    pop.initialize(v=-75.0, u=0.0)
    pop.record("spikes")
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(1000.0)
    pop.set(i_offset=2.0)
    sim.run(1000.0)
    pop.set(i_offset=4.0)
    sim.run(1000.0)
    for train in sim.get_data(pop).spiketrains():
        assert train.tolist() == [2011.0, 2148.0, 2288.0, 2427.0, 2565.0, 2703.0, 2844.0, 2982.0]


# -- test_stdp ----------------------------------------------------------------------------------

def _stdp_times(pre, post, delay):
    """``_calculate_stdp_times`` of synapse_dynamics_utils.py (sPyNNaker 7.1.0)."""
    pre, post = np.asarray(pre, float), np.asarray(post, float)
    considered = post[post < pre[-1] - delay]
    if considered.size == 0:
        return np.zeros(0), np.zeros(0)
    pot = np.subtract.outer(considered + delay, pre[:-1]).ravel()
    dep = np.subtract.outer(considered + delay, pre).ravel()
    return -pot[pot > 0], dep[dep < 0]


def additive_weight(pre, post, w0, delay, a_plus, a_minus, tau_plus, tau_minus):
    pot, dep = _stdp_times(pre, post, delay)
    return w0 + np.sum(a_plus * np.exp(pot / tau_plus)) - np.sum(a_minus * np.exp(dep / tau_minus))


def multiplicative_weight(pre, post, w0, delay, w_min, w_max, a_plus, a_minus, tau_plus, tau_minus):
    pot, dep = _stdp_times(pre, post, delay)
    return (w0 + np.sum((w_max - w0) * a_plus * np.exp(pot / tau_plus))
            - np.sum((w0 - w_min) * a_minus * np.exp(dep / tau_minus)))


def potentiation_and_depression(cell, w_static, rule, delay, w0):
    net = nm.Network(seed=0)
    pre = net.population(1, nm.SpikeSourceArray(spike_times=[1010.0, 1050.0]), label="pre")
    extra = net.population(1, nm.SpikeSourceArray(spike_times=[1030.0]), label="extra")
    post = net.population(1, cell, label="post")
    post.initialize(v=-65.0)
    for src in (pre, extra):
        net.projection(src, post, nm.OneToOneConnector(), nm.StaticSynapse(weight=w_static, delay=1.0))
    prj = net.projection(pre, post, nm.OneToOneConnector(), nm.STDPMechanism(rule[0], rule[1], weight=w0,
                                                                               delay=float(delay)))
    post.record("spikes")
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(1100.0)
    return sim.get_data(post).spike_times, float(sim.weights(prj)[0])


def test_stdp_pair_additive():
    rule = (nm.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.01),
            nm.AdditiveWeightDependence(w_min=0.0, w_max=5.0))
    post, w = potentiation_and_depression(nm.IF_curr_exp(), 5.0, rule, 3, 2.5)
    assert post.tolist() == [1014.0, 1032.0, 1053.0]
    assert np.isclose(w, additive_weight([1010, 1050], post, 2.5, 3, 0.01, 0.01, 20, 20), rtol=1e-3)


def test_stdp_pair_multiplicative():
    rule = (nm.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.01),
            nm.MultiplicativeWeightDependence(w_min=0.0, w_max=5.0))
    post, w = potentiation_and_depression(nm.IF_curr_exp(), 5.0, rule, 3, 2.5)
    assert post.tolist() == [1014.0, 1032.0, 1053.0]
    assert np.isclose(w, multiplicative_weight([1010, 1050], post, 2.5, 3, 0.0, 5.0, 0.01, 0.01, 20, 20), rtol=1e-3)


def test_stdp_conductance_pair_additive():
    # IF_cond_exp, A- with its own tau (64 ms); weights are conductances (x1024 on the chip)
    rule = (nm.SpikePairRule(tau_plus=20.0, tau_minus=64.0, A_plus=0.1, A_minus=0.0375),
            nm.AdditiveWeightDependence(w_min=0.0, w_max=0.5))
    post, w = potentiation_and_depression(nm.IF_cond_exp(), 0.1, rule, 1, 0.05)
    assert post.tolist() == [1013.0, 1032.0, 1051.0, 1055.0]
    assert np.isclose(w, additive_weight([1010, 1050], post, 0.05, 1, 0.1, 0.0375, 20, 64), rtol=1e-3)


@pytest.mark.parametrize("dependence", ["additive", "multiplicative"])
def test_stdp_post_spike_at_the_same_time(dependence):
    wd = (nm.AdditiveWeightDependence(w_min=0.0, w_max=5.0) if dependence == "additive" else
          nm.MultiplicativeWeightDependence(w_min=0.0, w_max=5.0))
    net = nm.Network(seed=0)
    prjs, posts = [], []
    for k in range(2):
        pre = net.population(1, nm.SpikeSourceArray(spike_times=[0.0, 2.0, 4.0, 6.0, 8.0]), label=f"pre_{k}")
        post = net.population(1, nm.IF_curr_exp(), label=f"post_{k}")
        post.initialize(v=-65.0)
        post.record("spikes")
        prjs.append(net.projection(pre, post, nm.OneToOneConnector(), nm.STDPMechanism(
            nm.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.01), wd, weight=4.0, delay=1.0)))
        posts.append(post)
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(12.0)
    w1, w2 = (float(sim.weights(p)[0]) for p in prjs)
    spikes = sim.get_data(posts[0]).spike_times
    if dependence == "additive":
        exact = additive_weight([0, 2, 4, 6, 8], spikes, 4.0, 1, 0.01, 0.01, 20, 20)
    else:
        exact = multiplicative_weight([0, 2, 4, 6, 8], spikes, 4.0, 1, 0.0, 5.0, 0.01, 0.01, 20, 20)
    assert spikes.size and exact != 4.0      # the pairings do move the weight
    assert w1 == w2 and np.isclose(w1, exact, rtol=1e-3)
