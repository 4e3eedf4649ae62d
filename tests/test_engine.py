"""Engine behaviour: seeds, segments, recording, connectors, bad input."""
import numpy as np
import pytest

import neuromem as nm
from neuromem.studies.engine import izhikevich2003


def spikes_of(seed_net, seed_sim, duration=300.0):
    net = izhikevich2003(n_exc=80, n_inh=20, seed=seed_net)
    sim = nm.Simulator(net, dt=1.0, seed=seed_sim)
    sim.run(duration)
    d = sim.get_data(net.populations[0])
    return d.spike_times, d.spike_ids


def test_same_seed_bit_identical_different_seed_differs():
    a, b, c = spikes_of(1, 5), spikes_of(1, 5), spikes_of(1, 6)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert a[0].size > 50
    assert not (a[0].size == c[0].size and np.array_equal(a[0], c[0]))


def test_segments_equal_one_run_for_deterministic_input():
    def build():
        net = nm.Network(seed=0)
        src = net.population(3, nm.SpikeSourceArray(spike_times=[[5.0, 50.0], [20.0], [70.0, 71.0]]), label="s")
        cells = net.population(4, nm.IF_curr_exp(tau_refrac=2.0), label="c")
        net.projection(src, cells, nm.AllToAllConnector(), nm.StaticSynapse(weight=3.0, delay=2.0))
        cells.record(["spikes", "v"])
        return net, cells
    net1, c1 = build()
    s1 = nm.Simulator(net1, dt=0.1)
    s1.run(100.0)
    net2, c2 = build()
    s2 = nm.Simulator(net2, dt=0.1)
    for _ in range(4):
        s2.run(25.0)
    a, b = s1.get_data(c1), s2.get_data(c2)
    assert np.array_equal(a.spike_times, b.spike_times)
    assert np.array_equal(a.signals["v"], b.signals["v"])
    assert a.spike_times.size > 0


def test_changing_input_between_segments():
    net = nm.Network(seed=0)
    src = net.population(1, nm.SpikeSourceArray(spike_times=[]), label="s")
    cell = net.population(1, nm.IF_curr_exp(), label="c")
    net.projection(src, cell, nm.OneToOneConnector(), nm.StaticSynapse(weight=20.0, delay=1.0))
    cell.record("spikes")
    sim = nm.Simulator(net, dt=0.1)
    sim.run(50.0)
    assert sim.get_data(cell).spike_times.size == 0
    src.set(spike_times=[60.0])
    sim.run(50.0)
    assert sim.get_data(cell).spike_times.min() > 60.0


def test_poisson_source_rate():
    net = nm.Network(seed=0)
    src = net.population(200, nm.SpikeSourcePoisson(rate=20.0), label="p")
    src.record("spikes")
    sim = nm.Simulator(net, dt=0.1, seed=3)
    sim.run(2000.0)
    rate = sim.get_data(src).mean_rate()
    # 200 x 2 s x 20 Hz = 8000 expected spikes; Poisson sd ~ 89 -> 4.5 sd band is about +-1 Hz
    assert abs(rate - 20.0) < 1.0


@pytest.mark.parametrize("conn,expected", [
    (nm.AllToAllConnector(), 12), (nm.AllToAllConnector(allow_self_connections=False), 12),
    (nm.FixedNumberPreConnector(2), 8), (nm.FromListConnector([(0, 1, 1.0, 1.0), (2, 3, 0.5, 2.0)]), 2)])
def test_connectors(conn, expected):
    net = nm.Network(seed=0)
    a = net.population(3, nm.IF_curr_exp(), label="a")
    b = net.population(4, nm.IF_curr_exp(), label="b")
    prj = net.projection(a, b, conn, nm.StaticSynapse(weight=1.0, delay=1.0))
    assert len(prj) == expected
    assert np.all(np.diff(prj.pre_idx) >= 0)
    if isinstance(conn, nm.FromListConnector):
        assert prj.weight.tolist() == [1.0, 0.5] and prj.delay.tolist() == [1.0, 2.0]


def test_fixed_probability_connector_density():
    net = nm.Network(seed=4)
    a = net.population(300, nm.IF_curr_exp(), label="a")
    prj = net.projection(a, a, nm.FixedProbabilityConnector(0.1), nm.StaticSynapse(weight=0.1))
    n = len(prj)
    # binomial(90000, 0.1): mean 9000, sd 90
    assert abs(n - 9000) < 450


def test_recording_to_neo():
    pytest.importorskip("neo")
    net = nm.Network(seed=0)
    cell = net.population(2, nm.IF_curr_exp(i_offset=1.0), label="c")
    cell.record(["spikes", "v"])
    sim = nm.Simulator(net, dt=0.1)
    sim.run(100.0)
    rec = sim.get_data(cell)
    block = rec.to_neo()
    seg = block.segments[0]
    assert len(seg.spiketrains) == 2
    assert sum(len(s) for s in seg.spiketrains) == rec.spike_times.size
    assert seg.analogsignals[0].shape == (1000, 2)


def test_report_callable_and_text(capsys):
    net = izhikevich2003(n_exc=8, n_inh=2)
    sim = nm.Simulator(net, dt=1.0)
    seen = []
    sim.run(100.0, report=lambda f, t: seen.append((f, t)))
    assert seen[-1] == (1.0, 100.0)
    sim.run(10.0, report="text")
    assert "100.0%" in capsys.readouterr().err


BAD = [
    (lambda: nm.IF_curr_exp(tau_m=-1.0), "tau_m"),
    (lambda: nm.IF_curr_exp(tau_m=float("nan")), "tau_m"),
    (lambda: nm.IF_curr_exp(taum=10.0), "did you mean 'tau_m'"),
    (lambda: nm.Network().population(3, nm.IF_curr_exp(cm=[1.0, 2.0])), "shape"),
    (lambda: nm.Network().population(0, nm.IF_curr_exp()), "size"),
    (lambda: nm.Network().population(1, nm.IF_curr_exp(v_reset=-40.0, v_thresh=-50.0)), "v_reset"),
    (lambda: nm.Simulator(nm.Network(), dt=0.0), "dt"),
    (lambda: nm.Simulator(nm.Network(), dt=0.1).run(-5.0), "duration"),
    (lambda: nm.FixedProbabilityConnector(1.5), "p_connect"),
    (lambda: nm.SpikePairRule(tau_plus=0.0), "tau_plus"),
]


@pytest.mark.parametrize("make,needle", BAD)
def test_bad_input_gives_validation_error(make, needle):
    with pytest.raises(nm.ValidationError, match=needle):
        make()


def test_delay_shorter_than_dt_rejected():
    net = nm.Network()
    a = net.population(2, nm.IF_curr_exp(), label="a")
    net.projection(a, a, nm.AllToAllConnector(), nm.StaticSynapse(weight=1.0, delay=0.04))
    with pytest.raises(nm.ValidationError, match="delay.*at least the time step"):
        nm.Simulator(net, dt=0.1)


def test_unknown_receptor_and_recordable():
    net = nm.Network()
    a = net.population(2, nm.IF_curr_exp(), label="a")
    with pytest.raises(nm.ValidationError, match="receptor_type"):
        net.projection(a, a, nm.AllToAllConnector(), receptor_type="exitatory")
    with pytest.raises(nm.ValidationError, match="did you mean 'spikes'"):
        a.record("spike")


# -- regression tests of the engine bugs found in the memory-protocol review (issue 16) --------------------

def one_cell(v0=-65.0):
    net = nm.Network(seed=2)
    cell = net.population(1, nm.IF_curr_exp(tau_m=10.0, i_offset=0.0), label="cell")
    cell.initialize(v=v0)
    cell.record("v")
    return net, cell


def test_initialize_after_the_simulator_exists_sets_the_next_run_start():
    net, cell = one_cell()
    sim = nm.Simulator(net, dt=0.1)
    sim.run(5.0)
    cell.initialize(v=-55.0)
    sim.run(5.0)
    v = sim.get_data(cell).signals["v"][:, 0]
    # the first sample of the second run is the state it starts from; then the free decay to v_rest = -65:
    # v(t) = -65 + 10 exp(-t / tau_m) on the grid (exact integration)
    assert v[49] == -65.0 and v[50] == -55.0
    np.testing.assert_allclose(v[50:], -65.0 + 10.0 * np.exp(-0.1 * np.arange(50) / 10.0), rtol=0, atol=1e-12)


def test_populations_sharing_a_cell_type_object_do_not_share_changes():
    net = nm.Network()
    ct = nm.IF_curr_exp(tau_m=20.0)
    a = net.population(2, ct, label="a")
    b = net.population(2, ct, label="b")
    a.set(tau_m=5.0)
    assert a.get("tau_m").tolist() == [5.0, 5.0] and b.get("tau_m").tolist() == [20.0, 20.0]
    assert ct.params["tau_m"] == 20.0


def test_adding_populations_and_projections_after_a_run():
    # the added part must behave as the same part built before the first run, with its input shifted
    def build(times):
        net = nm.Network(seed=1)
        src = net.population(2, nm.SpikeSourceArray(spike_times=times), label="src")
        cell = net.population(3, nm.IF_curr_exp(tau_refrac=2.0), label="cell")
        net.projection(src, cell, nm.AllToAllConnector(), nm.StaticSynapse(weight=4.0, delay=1.5))
        cell.record(["spikes", "v"])
        return net, cell
    ref_net, ref_cell = build([[12.0, 14.0], [13.0, 30.0]])
    ref = nm.Simulator(ref_net, dt=0.1)
    ref.run(50.0)
    net = nm.Network(seed=1)
    other = net.population(4, nm.IF_curr_exp(i_offset=1.0), label="other")
    other.record("spikes")
    sim = nm.Simulator(net, dt=0.1)
    sim.run(10.0)
    src = net.population(2, nm.SpikeSourceArray(spike_times=[[22.0, 24.0], [23.0, 40.0]]), label="src")
    cell = net.population(3, nm.IF_curr_exp(tau_refrac=2.0), label="cell")
    net.projection(src, cell, nm.AllToAllConnector(), nm.StaticSynapse(weight=4.0, delay=1.5))
    cell.record(["spikes", "v"])
    sim.run(50.0)
    got, want = sim.get_data(cell), ref.get_data(ref_cell)
    np.testing.assert_array_equal(np.rint(got.spike_times / 0.1), np.rint(want.spike_times / 0.1) + 100)
    np.testing.assert_array_equal(got.signals["v"], want.signals["v"])
    assert sim.get_data(other).spike_times.size > 0


@pytest.mark.parametrize("timing", ["nest", "spinnaker"])
def test_delays_changed_between_runs_act_on_later_spikes(timing):
    # IF_curr_delta: each arrival is a jump of v, so v shows when every spike lands.  A spike at 5 ms sent with an
    # 8 ms delay is still in flight when the delay becomes 1 ms at 6 ms: it lands at 13 ms as sent; the spike at
    # 10 ms lands at 11 ms.  The board's delays are fixed when it starts: refused there.
    net = nm.Network(seed=1)
    src = net.population(1, nm.SpikeSourceArray(spike_times=[[5.0, 10.0]]), label="src")
    cell = net.population(1, nm.IF_curr_delta(tau_m=1e4, v_rest=-65.0), label="cell")
    cell.initialize(v=-65.0)
    cell.record("v")
    prj = net.projection(src, cell, nm.AllToAllConnector(), nm.StaticSynapse(weight=1.0, delay=8.0))
    sim = nm.Simulator(net, dt=1.0 if timing == "spinnaker" else 0.5, timing=timing)
    sim.run(6.0)
    prj.set(delay=1.0)
    if timing == "spinnaker":
        with pytest.raises(nm.NeuromemError, match="delays are placed on the board when it starts"):
            sim.run(10.0)
        return
    with pytest.raises(nm.ValidationError, match="delays must be > 0 ms"):
        prj.set(delay=-1.0)
    sim.run(14.0)
    v = sim.get_data(cell).signals["v"][:, 0]
    t = np.arange(v.size) * 0.5
    assert set(t[1:][np.diff(v) > 0.5]) == {11.0, 13.0}
    assert prj.delay.tolist() == [1.0]


def test_set_and_initialize_take_random_distributions():
    def build():
        net = nm.Network(seed=7)
        p = net.population(500, nm.IF_curr_exp(tau_m=nm.RandomDistribution("uniform", low=10.0, high=20.0)))
        p.set(cm=nm.RandomDistribution("uniform", low=0.5, high=1.0))
        p.initialize(v=nm.RandomDistribution("normal", mu=-65.0, sigma=2.0))
        return p
    a, b = build(), build()
    for name in ("tau_m", "cm"):
        assert np.array_equal(a.get(name), b.get(name)) and np.unique(a.get(name)).size == 500
    assert 10.0 <= a.get("tau_m").min() and a.get("tau_m").max() <= 20.0
    assert 0.5 <= a.get("cm").min() and a.get("cm").max() <= 1.0
    # the draws of one population are independent streams: sample mean and sd of N(-65, 2) within 5 sigma
    v = a.initial["v"]
    assert np.array_equal(v, b.initial["v"]) and abs(v.mean() + 65.0) < 5 * 2.0 / np.sqrt(500)
    assert abs(v.std() - 2.0) < 5 * 2.0 / np.sqrt(1000)


def test_run_off_the_time_grid_is_refused():
    net, _ = one_cell()
    sim = nm.Simulator(net, dt=0.1)
    with pytest.raises(nm.ValidationError, match="whole number of time steps dt = 0.1 ms, e.g. 10 or 10.1"):
        sim.run(10.05)
    sim.run(10.1)            # 101 steps: on the grid, despite 10.1 / 0.1 = 100.99999999999999 in floats
    assert sim.step == 101


def test_reset_starts_again_from_the_initial_values():
    net, cell = one_cell(v0=-55.0)
    sim = nm.Simulator(net, dt=0.1)
    sim.run(5.0)
    first = sim.get_data(cell).signals["v"].copy()
    sim.reset()
    assert sim.t == 0.0
    sim.run(5.0)
    np.testing.assert_array_equal(sim.get_data(cell).signals["v"], first)


def test_state_dict_round_trip_continues_identically():
    net = izhikevich2003(n_exc=80, n_inh=20, seed=3)
    a = nm.Simulator(net, dt=1.0, seed=4)
    a.run(100.0)
    arrays, meta = a.state_dict()
    # the engine pads its neuron arrays to whole cache lines (104 columns); a state holds the 100 neurons only
    assert a.c.st.shape[1] == 104 and arrays["st"].shape[1] == arrays["refr"].size == arrays["ring"].shape[2] == 100
    b = nm.Simulator(net, dt=1.0, seed=4)
    b.load_state_dict(arrays, meta)
    a.run(100.0)
    b.run(100.0)
    ta, tb = (s.spikes(net.populations[0], start=101.0) for s in (a, b))   # b recorded from step 100 on
    assert ta[0].size > 10 and np.array_equal(ta[0], tb[0]) and np.array_equal(ta[1], tb[1])


@pytest.mark.parametrize("splits", [[400.0], [123.4, 276.6], [10.0] * 40])
def test_same_seed_same_result_however_a_run_is_split(splits):
    # Poisson and noise inputs are drawn per block of absolute steps, so splitting a run into segments
    # does not change them (NEST and Brian2 give the same result however a run is split)
    def run(parts):
        net = nm.Network(seed=5)
        src = net.population(30, nm.SpikeSourcePoisson(rate=80.0, start=3.3), label="poisson")
        cells = net.population(20, nm.IF_curr_exp(tau_refrac=2.0), label="cells")
        cells.inject(nm.NoisyCurrentSource(mean=0.2, stdev=0.5, dt=0.5))
        cells.inject(nm.NoisyCurrentSource(mean=0.0, stdev=0.3, distribution="uniform"))
        net.projection(src, cells, nm.FixedProbabilityConnector(0.3), nm.StaticSynapse(weight=1.5, delay=1.0))
        src.record("spikes")
        cells.record(["spikes", "v"])
        sim = nm.Simulator(net, dt=0.1, seed=8)
        for d in parts:
            sim.run(d)
        return sim.get_data(src), sim.get_data(cells)
    (s1, c1), (s2, c2) = run([400.0]), run(splits)
    assert s1.spike_times.size > 500 and c1.spike_times.size > 20
    np.testing.assert_array_equal(s1.spike_times, s2.spike_times)
    np.testing.assert_array_equal(s1.spike_ids, s2.spike_ids)
    np.testing.assert_array_equal(c1.signals["v"], c2.signals["v"])


@pytest.mark.parametrize("celltype", ["IF_curr_exp", "IF_cond_exp"])
def test_uniform_and_per_neuron_parameter_paths_agree(celltype):
    # A population whose parameters are all equal takes the kernels' scalar path; the same neurons beside one
    # that differs take the per-neuron path.  Both must give the same spikes and potentials.
    from neuromem.studies.engine import COBA_CELL, CUBA_CELL
    params = COBA_CELL if celltype == "IF_cond_exp" else CUBA_CELL
    weight = 0.01 if celltype == "IF_cond_exp" else 0.5

    def run(extra):
        net = nm.Network(seed=2)
        rng = np.random.default_rng(5)
        src = net.population(40, nm.SpikeSourceArray(spike_times=[np.unique(np.rint(rng.uniform(1, 300, 12)))
                                                                  for _ in range(40)]))
        offset = np.full(30 + extra, 0.05)
        offset[30:] = 0.3
        cells = net.population(30 + extra, getattr(nm, celltype)(**{**params, "i_offset": offset}))
        cells.initialize(v=np.r_[np.linspace(-60.0, -51.0, 30), np.full(extra, -60.0)])
        cells.record(["spikes", "v"])
        pairs = np.argwhere(np.random.default_rng(6).random((40, 30)) < 0.3)
        net.projection(src, cells, nm.FromListConnector(pairs), nm.StaticSynapse(weight=weight, delay=0.5))
        sim = nm.Simulator(net, dt=0.1, seed=3)
        sim.run(300.0)
        rec = sim.get_data(cells)
        keep = rec.spike_ids < 30
        return rec.spike_times[keep], rec.spike_ids[keep], rec.signals["v"][:, :30]

    (t1, i1, v1), (t2, i2, v2) = run(0), run(1)
    assert t1.size > 50
    np.testing.assert_array_equal(t1, t2)
    np.testing.assert_array_equal(i1, i2)
    np.testing.assert_array_equal(v1, v2)


@pytest.mark.parametrize("celltype, interval", [
    (nm.SpikeSourceGamma(alpha=np.array([6.0, 2.0]), beta=np.array([100.0, 400.0])),
     lambda k: __import__("scipy.stats").stats.gamma([6.0, 2.0][k], scale=1000.0 / [100.0, 400.0][k])),
    (nm.SpikeSourcePoissonRefractory(rate=np.array([50.0, 100.0]), tau_refrac=np.array([5.0, 2.0])),
     lambda k: __import__("scipy.stats").stats.expon(loc=[5.0, 2.0][k], scale=[15.0, 8.0][k]))])
def test_renewal_sources_draw_their_intervals_the_same_however_a_run_is_split(celltype, interval):
    # the intervals follow the stated distribution (Kolmogorov-Smirnov distance below PyNN's own bound, 0.1);
    # the spikes do not depend on how the run is split
    from scipy.stats import kstest

    def spikes(parts):
        net = nm.Network(seed=1)
        p = net.population(2, celltype)
        p.record("spikes")
        sim = nm.Simulator(net, dt=0.1, seed=4)
        for part in parts:
            sim.run(part)
        d = sim.get_data(p)
        return d.spike_times, d.spike_ids

    t, i = spikes([20000.0])
    t2, i2 = spikes([333.3, 12345.6, 7321.1])
    assert np.array_equal(t, t2) and np.array_equal(i, i2)
    for k in range(2):
        isi = np.diff(np.sort(t[i == k]))
        assert isi.size > 300
        assert kstest(isi, interval(k).cdf).statistic < 0.1
        assert isi.min() >= interval(k).ppf(0.0) - 0.1 - 1e-9       # the dead time holds, to the time step


def test_stochastic_synapses_transmit_with_their_probability():
    # each synapse passes each spike with probability p: over n = 4000 spikes per synapse the count passed lies
    # within 5 binomial standard deviations of n p; p = 0 never, p = 1 always
    net = nm.Network(seed=0)
    src = net.population(1, nm.SpikeSourceArray(spike_times=np.arange(1.0, 4001.0, 1.0)))
    cells = net.population(4, nm.IF_curr_delta(tau_m=1e6, v_thresh=1e9, v_rest=0.0, v_reset=0.0), label="counters")
    cells.initialize(v=0.0)
    cells.record("v")
    p = np.array([0.0, 0.2, 0.7, 1.0])
    net.projection(src, cells, nm.AllToAllConnector(), nm.SimpleStochasticSynapse(weight=1.0, delay=1.0, p=p))
    sim = nm.Simulator(net, dt=1.0, seed=5)
    sim.run(4002.0)
    v = sim.get_data(cells).signals["v"]
    passed = (np.diff(v, axis=0) > 0.5).sum(axis=0)      # each transmitted spike moves the membrane up 1 mV
    n = 4000
    assert passed[0] == 0 and passed[3] == n
    assert (np.abs(passed - n * p) <= 5 * np.sqrt(n * p * (1 - p)) + 1e-9).all()


def test_synapses_are_held_once_and_weights_stay_in_step():
    """The first simulator takes a projection's post indices and weights into its arrays (views stay on the
    projection); another simulator copies them; a plastic run's weights are the projection's; a new weight set
    afterwards reaches the simulator and comes back after the next run."""
    import copy
    net = nm.Network(seed=3)
    src = net.population(20, nm.SpikeSourcePoisson(rate=40.0), label="src")
    cells = net.population(10, nm.IF_curr_exp(), label="cells")
    stdp = nm.STDPMechanism(nm.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.012),
                            nm.AdditiveWeightDependence(w_min=0.0, w_max=2.0), weight=1.0, delay=1.0)
    prj = net.projection(src, cells, nm.FixedProbabilityConnector(0.5), stdp, label="plastic")
    assert prj.post_idx.dtype == np.int32 and prj.pre_idx.dtype == np.int64
    assert np.array_equal(np.bincount(prj.pre_idx, minlength=20), np.diff(prj.row_ptr))
    first = nm.Simulator(net, dt=0.1, seed=1)
    assert prj.host is first.c and np.shares_memory(prj.weight, first.c.syn_w)
    second = nm.Simulator(copy.deepcopy(net), dt=0.1, seed=1)
    other = nm.Simulator(net, dt=0.1, seed=1)
    assert prj.host is first.c and not np.shares_memory(other.c.syn_w, first.c.syn_w)
    first.run(200.0)
    second.run(200.0)
    assert not np.allclose(prj.weight, 1.0)                     # learned, and seen through the view
    assert np.array_equal(prj.weight, first.weights(prj))
    assert np.array_equal(prj.weight, second.network.projections[0].weight)   # the copy learned the same
    prj.set(weight=0.5)
    assert prj.host is None and not np.shares_memory(prj.weight, first.c.syn_w)
    first.run(100.0)
    assert np.array_equal(prj.weight, first.weights(prj)) and not np.allclose(prj.weight, 0.5)


def test_noise_current_draws_are_normal_with_its_mean_and_sd():
    """The ziggurat draws of a NoisyCurrentSource: Kolmogorov-Smirnov distance to N(mean, sd) below the 0.1%
    critical value 1.95 / sqrt(n), and the tail beyond the ziggurat's base edge r (drawn by its own method) as
    often as the normal law says, within five binomial standard errors."""
    from scipy import stats
    from neuromem.random import ZIGGURAT_R
    src = nm.NoisyCurrentSource(mean=0.2, stdev=0.05)
    x = np.concatenate([src.draw(np.random.default_rng(k), 1000).ravel() for k in range(4)])
    z = (x - 0.2) / 0.05
    assert stats.kstest(z, "norm").statistic < 1.95 / np.sqrt(z.size)
    p = 2 * stats.norm.sf(ZIGGURAT_R)
    assert abs((np.abs(z) > ZIGGURAT_R).mean() - p) < 5 * np.sqrt(p * (1 - p) / z.size)
    assert np.array_equal(src.draw(np.random.default_rng(1), 10), src.draw(np.random.default_rng(1), 10))
