"""Board profiles, resource estimates, constraint checks and quantisation (SpiNNaker)."""
import math

import numpy as np
import pytest

import neuromem as nm
from neuromem.errors import HardwareConstraintError, ValidationError
from neuromem.hardware import check, estimate, load_profile, profiles, quantize, require_fits
from neuromem.models.ca3 import CA3Memory, Learn, Recall


def test_profiles_ship_and_load():
    assert {"spinnaker1", "spinnaker2"} <= set(profiles())
    p = load_profile("spinnaker1")
    # spinn_machine VersionSpin1: 18 cores per chip, one of them SCAMP; SpiNN-5 boards of 48 chips
    assert (p["board"]["cores_per_chip"], p["board"]["non_user_cores_per_chip"], p["board"]["chips_per_board"]) \
        == (18, 1, 48)
    assert load_profile("spinnaker2")["board"]["cores_per_chip"] == 152


@pytest.mark.parametrize("text, match", [
    ("", "no \\[board\\] section"),
    ("[board]\nname = 'x'\n", "no field 'cores_per_chip'"),
    (open(str(profiles()["spinnaker1"])).read().replace("neurons_per_core = 256", ""), "neurons_per_core"),
    (open(str(profiles()["spinnaker1"])).read().replace("weight_bits = 16", "weight_bits = 'sixteen'"),
     "weight_bits"),
    ("not toml [", "not valid TOML"),
])
def test_bad_profile_files(tmp_path, text, match):
    f = tmp_path / "board.toml"
    f.write_text(text)
    with pytest.raises(ValidationError, match=match):
        load_profile(f)


def test_unknown_profile_name():
    with pytest.raises(ValidationError, match="known profiles"):
        load_profile("loihi")


def test_estimate_counts_cores_chips_and_memory():
    mem = CA3Memory(1000, 100)
    est = estimate(mem.network, "spinnaker1")
    # one core per 256 neurons of each population: Input and Output 1100 -> 5; c = 1000 -> 4; m = 100 -> 1
    assert est.cores_by_population["Input"] == 5 and est.cores_by_population["CueCue"] == 4
    assert est.cores == sum(math.ceil(p.size / 256) for p in mem.network.populations) == 27
    assert est.chips == math.ceil(27 / 17) and est.boards == 1
    plastic = sum(len(p) for p in mem.plastic)
    assert est.synaptic_bytes == 4 * (est.synapses - plastic) + 6 * plastic


def test_check_catches_the_stdp_row_limit_before_mapping():
    big = CA3Memory(1000, 100).network
    problems = check(big, "spinnaker1", dt=1.0)
    assert len(problems) == 1 and "ContCont->CueCont-stdp" in problems[0] and "254" in problems[0]
    with pytest.raises(HardwareConstraintError, match="row limit"):
        require_fits(big, "spinnaker1")
    assert check(CA3Memory(5, 10).network, "spinnaker1", dt=1.0) == []


def test_check_names_unsupported_rules_delays_and_timestep():
    from neuromem.models.reservoir import IzhikevichReservoir
    res = IzhikevichReservoir(n_exc=8, n_inh=2, targets=3, seed=0)
    assert any("ThreeFactorSynapse is not supported" in p for p in check(res.network, "spinnaker1"))
    net = nm.Network(seed=0)
    a = net.population(2, nm.IF_curr_exp(), label="a")
    net.projection(a, a, nm.AllToAllConnector(), nm.StaticSynapse(weight=1.0, delay=200.0), label="slow")
    net.projection(a, a, nm.AllToAllConnector(), nm.StaticSynapse(weight=1.0, delay=20.0), label="ext")
    problems = check(net, "spinnaker1", dt=0.1)
    assert any("'slow'" in p and "even with delay extensions" in p for p in problems)
    assert any("'ext'" in p and "delay-extension cores" in p for p in problems)
    assert any("time step 0.1 ms" in p for p in problems)


def test_quantize_puts_weights_on_a_power_of_two_grid():
    net = nm.Network(seed=0)
    a = net.population(3, nm.IF_curr_exp(), label="a")
    w = np.array([0.123456789, 1.5, 2.71828, 0.0, 3.3, 1e-6, 0.5, 0.25, 1.1])
    prj = net.projection(a, a, nm.AllToAllConnector(), nm.StaticSynapse(weight=w, delay=1.26), label="p")
    q_net, rep = quantize(net, "spinnaker1")
    # sPyNNaker's ring-buffer shift: the smallest p with 2^p > the largest summed input of a neuron (3 synapses
    # of at most 3.3 nA, constant delays); 16-bit weights scaled by 2^(15 - p)
    p = math.ceil(math.log2(3 * w.max()))
    q = 2.0 ** (p - 15)
    assert rep["weight_step"]["a/excitatory"] == q
    qw = q_net.projections[0].weight
    assert np.allclose(qw / q, np.rint(qw / q)) and np.max(np.abs(qw - w)) <= q / 2
    assert np.all(q_net.projections[0].delay == 1.0) and np.all(prj.weight == w)  # the original is untouched


def test_ca3_recall_survives_quantisation():
    # the paper's weights (2, 6, 9, 6m nA) sit on the 16-bit grid: nothing moves, recall is intact
    mem = CA3Memory(5, 10)
    _, rep = quantize(mem.network, "spinnaker1", in_place=True)
    assert rep["max_weight_error"] == 0.0 and rep["max_delay_change_ms"] == 0.0
    content = np.array([1, 0, 1, 0, 0, 1, 0, 0, 0, 1])
    res = mem.run_operations([Learn(2, content), Recall(2)])
    assert np.array_equal(res[1].content, content)


def test_spinnaker1_quantisation_is_the_emulation():
    # quantize("spinnaker1") gives each weight what the emulation (and the board) reads back
    from neuromem.core import Simulator
    from neuromem.studies.engine import izhikevich2003
    net = izhikevich2003(n_exc=40, n_inh=10, seed=3, board=True)
    q_net, rep = quantize(net, "spinnaker1")
    sim = Simulator(net, dt=1.0, timing="spinnaker")
    for prj, q_prj in zip(net.projections, q_net.projections):
        assert np.array_equal(np.abs(q_prj.weight), sim.weights(prj))
    assert 0 < rep["max_error_in_steps"] <= 0.5


def test_quantization_experiment_keeps_recall():
    # CA3 weights are on the grid (recall unchanged); the reservoir's random input weights move by
    # at most half a step of their grid, and its readout still reconstructs the input
    from neuromem.studies.quantization import quantization
    d = quantization(cues=8, bits=20, n_ops=80, seconds=6.0, seed=2)
    assert d["ca3_before"] == d["ca3_after"] == 1.0
    assert 0 < d["readout_report"]["max_error_in_steps"] <= 0.5
    assert 0 < d["readout_report"]["max_weight_error"]
    assert d["readout_after"] > 0.5 and abs(d["readout_after"] - d["readout_before"]) < 0.1
