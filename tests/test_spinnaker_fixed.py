"""The fixed-point arithmetic of ``Simulator(timing="spinnaker")``, worked by hand from sPyNNaker 7.1.0's C.

Each expected integer below is computed in the test from the C formulas (``neuron_model_lif_impl.h``,
``exp_synapse_utils.h``, ``synapse_dynamics_stdp_mad_impl.c`` with ``timing_pair_impl.h`` and
``weight_additive_one_term_impl.h``) and sPyNNaker's host-side encoding, not read from neuromem.
"""
import math

import numpy as np
import pytest

import neuromem as nm
from neuromem.core.kernels import fixed as F
from neuromem.core.spinnaker import exp_lut, ring_buffer_shifts, s1615, s1615_array, source_ticks
from neuromem.errors import ValidationError

ONE = 1 << 15


def test_spinn_common_exponential_tables():
    # src/stdfix-exp.c of spinn_common (de627fa): __exp_hi, __expm1_mid, __exp_series, literally
    exp_hi = [9708, 26389, 71733, 194991, 530041, 1440801, 3916503, 10646160, 28939262, 78665070, 213833830,
              581260615, 1580030169, 4294967296, 11674931555, 31735754293, 86266724208, 234497268814,
              637429664642, 1732713474316, 4710003551159, 12803117065094, 34802480465680, 94602950235157,
              257157480542844, 699026506411923]
    expm1_mid = [0, 260218914, 504671961, 734314346, 950043403, 1152702096, 1343082321, 1521927990, 1689937949,
                 1847768698, 1996036966, 2135322113, 2266168400, 2389087112, 2504558555, 2613033936]
    assert F.EXP_HI.tolist() == exp_hi
    assert F.EXPM1_MID.tolist() == expm1_mid
    assert F.EXP_SERIES.tolist() == [5294, 4293434720, 2081624032]


def test_host_encoding_and_lookup_tables():
    # DataType.S1615.encode_as_int: round(Decimal(str(x)) * 2^15), half to even
    assert [s1615("t", "x", v) for v in (0.01, 0.02, 0.2, -65.0, 1.85)] == [328, 655, 6554, -65 * ONE, 60621]
    assert s1615_array("t", "x", np.array([[0.01, 0.2], [2.5, -0.5]])).tolist() == [[328, 6554], [81920, -16384]]
    with pytest.raises(ValidationError, match="s16.15"):
        s1615("t", "x", 70000.0)
    # get_exp_lut_array: floor(exp(-k / tau) 2048) for k < 2 ceil(ln(2048) tau / 2): 154 entries for tau = 20 ms
    lut = exp_lut(1.0, 20.0)
    assert lut.size == 154 and lut[0] == 2048 and lut[3] == math.floor(math.exp(-3 / 20) * 2048) == 1762
    # a spike time t ms is sent on tick ceil(floor(1000 t) / 1000 dt)
    assert source_ticks([0.0, 1.0, 1.5, 2.0004, 2.0015], 1.0).tolist() == [0, 1, 2, 2, 3]


def test_one_lif_step():
    # tau_m 20, cm 1, i_offset 1 nA, v -65: R = kdivk(20, 1) = 20.0; exp_TC = expk(-kdivk(1, 20)) = 31170
    # (the 7.x value sPyNNaker's test_set_and_reset checks); alpha = I R + V_rest = -45 mV;
    # V' = alpha - ((exp_TC (alpha - V)) >> 15)
    assert F.kdivk(20 * ONE, ONE) == 20 * ONE and F.kdivk(ONE, 20 * ONE) == 1638
    exp_tc = F.expk(-1638)
    assert exp_tc == 31170 and abs(exp_tc / ONE - math.exp(-1638 / ONE)) < 2 / ONE
    alpha = (ONE * 20 * ONE >> 15) - 65 * ONE
    v1 = alpha - ((exp_tc * (alpha - (-65 * ONE))) >> 15)
    v2 = alpha - ((exp_tc * (alpha - v1)) >> 15)
    net = nm.Network(seed=0)
    pop = net.population(1, nm.IF_curr_exp(i_offset=1.0), label="cell")
    pop.initialize(v=-65.0)
    pop.record("v")
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(3.0)
    assert (sim.get_data(pop).signals["v"][:, 0] * ONE).tolist() == [-65 * ONE, v1, v2]


def test_one_exponential_synapse():
    # tau_syn 5 ms: decay = expulr(-kdivk(1, 5)), init = ((tau/dt) (1 - decay)) as u0.32 (decay_s1615_to_u032);
    # a 2 nA weight with ring-buffer shift 3 is w16 = rint(2 * 2^12) = 8192, entering as (w16 << 3) * init >> 32,
    # then decaying as (isyn * decay) >> 32 each tick
    tau = 5 * ONE
    assert F.kdivk(ONE, tau) == 6553
    decay = F.expulr(-6553)
    assert abs(decay / 2**32 - math.exp(-6553 / ONE)) < 2**-19     # spinn_common's approximation
    init = ((F.kdivk(tau, ONE) * (2**32 - 1 - decay)) >> 15) & 0xFFFFFFFF
    assert init == F.decay_s1615_to_u032(F.kdivk(tau, ONE), F.UNSIGNED_ONE - decay)
    shift = 3          # the smallest p with 2^p > the summed incoming maximum, 2 + 2 nA (sPyNNaker's rule)
    expected = [0, ((8192 << shift) * init) >> 32]
    for _ in range(3):
        expected.append((expected[-1] * decay) >> 32)
    net = nm.Network(seed=0)
    src = net.population(2, nm.SpikeSourceArray(spike_times=[[0.0], []]), label="src")
    cell = net.population(1, nm.IF_curr_exp(tau_syn_E=5.0), label="cell")
    net.projection(src, cell, nm.AllToAllConnector(), nm.StaticSynapse(weight=2.0, delay=1.0))
    assert ring_buffer_shifts(cell, net.projections, 1.0, 1.0) == [shift, 0]
    cell.record("isyn_exc")
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(5.0)
    # isyn is recorded before the tick's decay, with the tick's arrivals in it
    recorded = (sim.get_data(cell).signals["isyn_exc"][:, 0] * ONE).astype(np.int64).tolist()
    assert recorded == expected and expected[1] == 59393


def test_one_stdp_pairing():
    # pre at 10 and 30 ms, post driven to fire at 12 ms (and only then), plastic delay 1 ms (all dendritic), tau 20, A 0.01,
    # additive in [0, 5], w0 2.5.  At the pre spike of 30: the post event at 12 is seen at 12 + 1 = 13,
    # 3 ticks after the pre spike whose trace is 2048: potentiation a2+ (lut[3] 2048 >> 11) << 4 >> 15;
    # depression against the last post event, 30 - 13 = 17 ticks later: a2- (lut[17]) << 4 >> 15
    a2 = 328                                 # s1615(0.01)
    lut = [math.floor(math.exp(-k / 20) * 2048) for k in range(20)]
    pot = (a2 * ((2048 * lut[3] >> 11) << 4)) >> 15
    dep = (a2 * ((2048 * lut[17] >> 11) << 4)) >> 15
    assert (pot, dep) == (282, 140)
    shift = 5                                # 2^5 > 5 (w_max) + 25 (the drive)
    w16 = round(2.5 * 2 ** (15 - shift))
    expected = ((w16 << shift) + pot - dep) >> shift
    net = nm.Network(seed=0)
    pre = net.population(1, nm.SpikeSourceArray(spike_times=[10.0, 30.0]), label="pre")
    drive = net.population(1, nm.SpikeSourceArray(spike_times=[11.0]), label="drive")
    post = net.population(1, nm.IF_curr_exp(tau_syn_E=1.0), label="post")     # one spike from one drive
    post.initialize(v=-65.0)
    post.record("spikes")
    net.projection(drive, post, nm.OneToOneConnector(), nm.StaticSynapse(weight=25.0, delay=1.0))
    prj = net.projection(pre, post, nm.OneToOneConnector(), nm.STDPMechanism(
        nm.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.01),
        nm.AdditiveWeightDependence(w_min=0.0, w_max=5.0), weight=2.5, delay=1.0))
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(40.0)
    assert sim.get_data(post).spike_times.tolist() == [12.0]
    assert sim.weights(prj)[0] * 2 ** (15 - shift) == expected == 2564


def test_ring_buffer_saturation_is_reported():
    # 16-bit ring-buffer entries saturate at 0xFFFF.  With different delays sPyNNaker sizes the shift from a
    # statistical bound on the input at 30 Hz per synapse (5 sigma): 200 synapses of 0.9 nA from one source,
    # half at 1 ms and half at 2 ms, give shift 5 (w16 = 922); one spike then puts 100 x 922 > 65535 in a slot
    net = nm.Network(seed=0)
    src = net.population(1, nm.SpikeSourceArray(spike_times=[1.0, 2.0]), label="src")
    cell = net.population(1, nm.IF_curr_exp(), label="cell")
    pairs = np.zeros((200, 2), dtype=int)
    net.projection(src, cell, nm.FromListConnector(pairs),
                   nm.StaticSynapse(weight=0.9, delay=np.repeat([1.0, 2.0], 100)))
    sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(5.0)
    report = sim.board_report()
    assert report.shifts["cell"]["excitatory"] == 5
    assert report.saturated["cell"] > 0
    assert any("saturated" in line for line in report.lines())


def test_float_modes_refuse_cell_types_they_have_no_form_of():
    # timing="arrival" is the float form of sPyNNaker's IF_curr_exp order only
    for celltype, timing in ((nm.IF_curr_delta(), "arrival"), (nm.IF_cond_exp(), "arrival"),
                             (nm.IF_curr_alpha(), "arrival"), (nm.IF_cond_alpha(), "arrival")):
        net = nm.Network(seed=0)
        net.population(1, celltype, label="c")
        with pytest.raises(nm.errors.NotSupportedError, match="'c'"):
            nm.Simulator(net, dt=1.0, timing=timing).run(1.0)


def test_a_dc_source_is_an_offset_like_i_offset():
    # current_source_dc_get_offset adds the amplitude to the input from tick start to tick stop - 1,
    # exactly as I_offset enters it
    def run(i_offset, source):
        net = nm.Network(seed=0)
        pop = net.population(1, nm.IF_curr_exp(i_offset=i_offset), label="cell")
        pop.initialize(v=-65.0)
        if source:
            pop.inject(nm.DCSource(amplitude=0.8, start=5.0, stop=40.0))
        pop.record(["v", "spikes"])
        sim = nm.Simulator(net, dt=1.0, timing="spinnaker").run(60.0)
        return sim.get_data(pop)
    with_source = run(0.0, True)
    v = with_source.signals["v"][:, 0]
    assert np.all(v[:6] == -65.0) and v[6] > -65.0            # on from tick 5: seen in v recorded at 6
    constant = run(0.8, False)                                  # the same offset from tick 0
    assert np.array_equal(with_source.signals["v"][5:41], constant.signals["v"][:36])
    assert not np.array_equal(with_source.signals["v"][41:], constant.signals["v"][36:55])   # off at 40


def test_noisy_sources_are_refused_where_spynnaker_refuses_them():
    net = nm.Network(seed=0)
    pop = net.population(2, nm.IF_curr_exp(), label="cell")
    pop.inject(nm.NoisyCurrentSource(0.0, 0.1, dt=2.0))
    with pytest.raises(ValidationError, match="one value per time step"):
        nm.Simulator(net, dt=1.0, timing="spinnaker")
    net = nm.Network(seed=0)
    pop = net.population(2, nm.IF_curr_exp(), label="cell")
    pop.inject(nm.NoisyCurrentSource(0.0, 0.1, distribution="uniform"))
    with pytest.raises(ValidationError, match="Gaussian"):
        nm.Simulator(net, dt=1.0, timing="spinnaker")


def test_quiescent_neurons_wake_exactly():
    # a neuron driven below rest relaxes (floor products leave it one bit off rest or on it) and is then
    # skipped as a fixed point of its update; input after that must act as on a neuron never skipped
    def run(t_late):
        net = nm.Network(seed=0)
        src = net.population(1, nm.SpikeSourceArray(spike_times=[1.0, t_late]), label="src")
        pop = net.population(1, nm.IF_curr_exp(), label="cell")
        pop.initialize(v=-64.0)
        net.projection(src, pop, nm.OneToOneConnector(), nm.StaticSynapse(weight=3.0, delay=1.0),
                       receptor_type="inhibitory")
        pop.record("v")
        return nm.Simulator(net, dt=1.0, timing="spinnaker").run(t_late + 30.0).get_data(pop).signals["v"][:, 0]
    v = run(800.0)
    bits = np.rint(v * ONE).astype(np.int64)
    assert bits[500] == bits[799]                       # at its fixed point long before the late input
    # the late response equals the early one shifted: the update is a function of the state alone
    early = run(500.0)
    assert np.rint(early[499] * ONE) == bits[799]
    assert np.array_equal(np.rint(v[800:830] * ONE), np.rint(early[500:530] * ONE))
