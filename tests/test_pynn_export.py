"""Export to PyNN: the same network on pyNN.nest as on the Numba core (NEST's grid order).

Each pyNN.nest run happens in a child process: NEST keeps kernel state per process,
and pyNN.nest after a direct NEST session (the cross-check backend) crashes NEST 3.10.
"""
import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import neuromem as nm
from neuromem.backends.pynn import check_exportable, to_pynn
from neuromem.errors import ExportError

from conftest import needs_nest, small_lif_network

HERE = pathlib.Path(__file__).resolve().parent


def in_child(case: str):
    """Run ``case()`` of this module in a fresh Python process; returns its JSON result."""
    code = (f"import sys, json; sys.path.insert(0, {str(HERE)!r}); import test_pynn_export as t; "
            f"print('RESULT ' + json.dumps(t.{case}()))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):])


def _spikes(rec):
    return {k: [r.spike_times.tolist(), r.spike_ids.tolist()] for k, r in rec.items()}


def case_lif():
    import pyNN.nest as sim
    from neuromem.backends.pynn import run_pynn
    net = small_lif_network()
    ours = nm.Simulator(net, dt=0.1, seed=1).run(100.0)
    mine = {p.label: [ours.get_data(p).spike_times.tolist(), ours.get_data(p).spike_ids.tolist()]
            for p in net.populations if not p.celltype.is_source}
    return {"neuromem": mine, "pynn": _spikes(run_pynn(net, sim, 100.0, dt=0.1))}


def _izhikevich_network():
    net = nm.Network(seed=0)
    src = net.population(3, nm.SpikeSourceArray(spike_times=[[5.0, 30.0], [12.0], [40.0, 41.0]]), label="src")
    cells = net.population(4, nm.Izhikevich(a=0.02, b=0.2, c=-65.0, d=8.0, i_offset=0.004), label="cells")
    cells.initialize(v=-65.0, u=-13.0)
    net.projection(src, cells, nm.AllToAllConnector(), nm.StaticSynapse(weight=12.0, delay=1.0))
    net.projection(cells, cells, nm.AllToAllConnector(allow_self_connections=False),
                   nm.StaticSynapse(weight=3.0, delay=2.0), receptor_type="inhibitory")
    cells.record("spikes")
    return net, cells


def case_izhikevich():
    import pyNN.nest as sim
    from neuromem.backends.pynn import run_pynn
    net, cells = _izhikevich_network()
    ours = nm.Simulator(net, dt=1.0).run(200.0).get_data(cells).spike_times.tolist()
    return {"neuromem": ours, "pynn": run_pynn(net, sim, 200.0, dt=1.0)["cells"].spike_times.tolist()}


def case_izhikevich2003():
    import pyNN.nest as sim
    from neuromem.backends.pynn import run_pynn
    from neuromem.studies.engine import izhikevich2003
    net = izhikevich2003(n_exc=160, n_inh=40, seed=2)
    ours = nm.Simulator(net, dt=1.0, seed=3).run(2000.0)
    rec = run_pynn(net, sim, 2000.0, dt=1.0)
    return {p.label: [int(ours.get_data(p).spike_times.size), int(rec[p.label].spike_times.size)]
            for p in net.populations}


def _stdp_network(dependence="additive"):
    # NEST applies a synapse's pending potentiation only at its next pre spike, so every pre
    # neuron fires once more (118 ms) after the last post burst: then both report the same weights
    net = nm.Network(seed=0)
    pre = net.population(2, nm.SpikeSourceArray(spike_times=[[10.0, 50.0, 90.0, 118.0], [30.0, 70.0, 118.0]]),
                         label="pre")
    post = net.population(2, nm.IF_curr_exp(tau_m=10.0, cm=0.25, v_thresh=-60.0, v_rest=-65.0,
                                             v_reset=-70.0), label="post")
    post.initialize(v=-65.0)
    drive = net.population(1, nm.SpikeSourceArray(spike_times=[[13.0, 45.0, 75.0, 95.0]]), label="drive")
    net.projection(drive, post, nm.AllToAllConnector(), nm.StaticSynapse(weight=5.0, delay=1.0))
    dep = {"additive": nm.AdditiveWeightDependence, "multiplicative": nm.MultiplicativeWeightDependence}[dependence]
    rule = nm.STDPMechanism(nm.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.05, A_minus=0.06),
                            dep(w_min=0.0, w_max=1.0), weight=0.2, delay=1.0)
    prj = net.projection(pre, post, nm.AllToAllConnector(), rule, label="stdp")
    post.record("spikes")
    return net, prj


def case_stdp(dependence="additive"):
    import pyNN.nest as sim
    net, prj = _stdp_network(dependence)
    nm.Simulator(net, dt=0.1).run(120.0)
    ours = prj.weight_matrix().tolist()
    fresh, _ = _stdp_network(dependence)  # a run writes the learned weights back into the projection
    sim.setup(timestep=0.1, min_delay=0.1, spike_precision="on_grid")
    built = to_pynn(fresh, sim)
    sim.run(120.0)
    theirs = built["projections"]["stdp"].get("weight", format="array").tolist()
    sim.end()
    return {"neuromem": ours, "pynn": theirs}


def case_stdp_multiplicative():
    return case_stdp("multiplicative")


def case_ca3():
    import pyNN.nest as sim
    from neuromem.models.ca3 import CA3Memory
    mem = CA3Memory(4, 6)
    sim.setup(timestep=1.0, min_delay=1.0, spike_precision="on_grid")
    built = to_pynn(mem.network, sim)
    sizes = {k: p.size for k, p in built["populations"].items()}
    n_syn = sum(len(p.get("weight", format="list")) for p in built["projections"].values())
    sim.end()
    return {"sizes": sizes, "expected_sizes": {k: p.size for k, p in mem.pops.items()}, "synapses": n_syn,
            "expected_synapses": sum(len(p) for p in mem.network.projections)}


def case_early_input():
    import pyNN.nest as sim
    from neuromem.backends.pynn import run_pynn
    net = nm.Network(seed=0)
    src = net.population(1, nm.SpikeSourceArray(spike_times=[1.0, 5.0]), label="src")
    cell = net.population(1, nm.IF_curr_exp(), label="cell")
    net.projection(src, cell, nm.OneToOneConnector(), nm.StaticSynapse(weight=1.0, delay=1.0))
    try:
        run_pynn(net, sim, 10.0, dt=0.1, min_delay=1.0)
    except ExportError as exc:
        return str(exc)
    return ""


@needs_nest
def test_lif_network_spike_for_spike():
    # Identical spikes for the first 60 ms; then PyNN's connection order in NEST (it creates the
    # connections in its own order, so inputs arriving on one step are summed in another order)
    # changes the last bits of a current and a borderline crossing moves by a step.  Counts agree.
    r = in_child("case_lif")
    for label, (t_ours, i_ours) in r["neuromem"].items():
        t_ours, i_ours = np.asarray(t_ours), np.asarray(i_ours)
        t_pynn, i_pynn = (np.asarray(x) for x in r["pynn"][label])
        a, b = t_ours < 60.0, t_pynn < 60.0
        assert a.sum() > 20
        assert np.array_equal(np.round(t_ours[a], 6), np.round(t_pynn[b], 6))
        assert np.array_equal(i_ours[a], i_pynn[b])
        assert abs(t_ours.size - t_pynn.size) <= 0.1 * t_ours.size


@needs_nest
def test_izhikevich_network_spike_for_spike():
    r = in_child("case_izhikevich")
    assert len(r["neuromem"]) >= 8 and r["neuromem"] == r["pynn"]


@needs_nest
def test_noisy_izhikevich_2003_rates_agree():
    # the noise streams differ between engines: spike counts agree statistically (2 s, 200 cells: +-20%)
    for label, (ours, theirs) in in_child("case_izhikevich2003").items():
        assert ours > 100 and abs(ours - theirs) / ours < 0.2, (label, ours, theirs)


@needs_nest
def test_pair_stdp_weights_agree():
    # additive pair STDP, all-to-all pairs, dendritic delay: NEST's stdp_synapse through PyNN
    r = in_child("case_stdp")
    ours, theirs = np.asarray(r["neuromem"]), np.asarray(r["pynn"])
    assert not np.allclose(ours, 0.2)
    assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-12)


@needs_nest
def test_multiplicative_stdp_weights_agree():
    # PyNN's multiplicative dependence (dw+ = A+ (w_max - w), dw- = A- (w - w_min)) is NEST's
    # stdp_synapse with mu_plus = mu_minus = 1
    r = in_child("case_stdp_multiplicative")
    ours, theirs = np.asarray(r["neuromem"]), np.asarray(r["pynn"])
    additive = np.asarray(in_child("case_stdp")["neuromem"])
    assert not np.allclose(ours, additive)
    assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-12)


@needs_nest
def test_ca3_network_exports():
    # the CA3 memory's network builds on pyNN.nest with every population and synapse; it runs there
    # in NEST's update order, not the sPyNNaker order it was tuned for (see neuromem.models.ca3)
    r = in_child("case_ca3")
    assert r["sizes"] == r["expected_sizes"] and r["synapses"] == r["expected_synapses"]


@needs_nest
def test_input_spike_at_min_delay_is_refused():
    assert "min_delay" in in_child("case_early_input")


def test_refused_before_anything_is_built():
    import types
    pn = types.SimpleNamespace(__name__="pyNN.nest")  # the checks need only the backend's name
    from neuromem.models.reservoir import IzhikevichReservoir
    res = IzhikevichReservoir(n_exc=8, n_inh=2, targets=3, seed=0)
    with pytest.raises(ExportError, match="three-factor"):
        check_exportable(res.network, pn)
    with pytest.raises(ExportError, match="uniform noise"):
        check_exportable(res.network, pn)
    with pytest.raises(ExportError, match="PyNN backend module"):
        to_pynn(res.network, np)


def case_script():
    import tempfile
    from neuromem.backends.pynn_script import write_pynn_script
    net = small_lif_network()
    ours = nm.Simulator(net, dt=0.1, seed=1).run(100.0)
    d = tempfile.mkdtemp()
    script = write_pynn_script(net, f"{d}/small.py", sim="pyNN.nest", dt=0.1, duration=100.0)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=d)
    assert proc.returncode == 0, proc.stderr[-1500:]
    out = np.load(f"{d}/small_spikes.npz")
    return {p.label: [ours.get_data(p).spike_times.tolist(), sorted(out[p.label + "/times"].tolist())]
            for p in net.populations if not p.celltype.is_source}


@needs_nest
def test_standalone_script_runs_and_agrees():
    # as to_pynn: identical spikes for 60 ms, then NEST's own connection order moves a borderline crossing
    for label, (ours, script) in in_child("case_script").items():
        ours, script = np.sort(ours), np.asarray(script)
        assert ours.size > 20
        assert np.allclose(ours[ours < 60.0], script[script < 60.0])
        assert abs(ours.size - script.size) <= 0.1 * ours.size


@needs_nest
def test_cli_exports_the_ca3_spec_as_a_runnable_script(tmp_path):
    out = subprocess.run([sys.executable, "-m", "neuromem.cli", "export", "ca3_cam", "--to", "pynn-script",
                          str(tmp_path / "ca3.py"), "--sim", "pyNN.nest"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "ca3.npz").is_file()
    run = subprocess.run([sys.executable, str(tmp_path / "ca3.py")], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-1500:]
    spikes = np.load(tmp_path / "ca3_spikes.npz")
    assert spikes["Output/times"].size > 0 and spikes["CueCue/times"].size > 0
    board = subprocess.run([sys.executable, "-m", "neuromem.cli", "export", "ca3_cam", str(tmp_path / "b.py")],
                           capture_output=True, text=True)
    board_script = (tmp_path / "b.py").read_text()
    assert board.returncode == 0 and "import pyNN.spiNNaker as sim" in board_script
    # the board gets the paper's STDP (sPyMem network_config.json), not neuromem's narrow variant
    assert board_script.count("SpikePairRule(tau_plus=3.0, tau_minus=3.0, A_plus=6.0, A_minus=6.0)") == 2
    bad = subprocess.run([sys.executable, "-m", "neuromem.cli", "export", "hopfield_dense", str(tmp_path / "h.py")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "no network to export" in bad.stderr


def case_brian2():
    import pyNN.brian2 as sim
    from neuromem.backends.pynn import run_pynn
    net = small_lif_network()
    ours = nm.Simulator(net, dt=0.1, seed=1).run(100.0)
    mine = {p.label: ours.get_data(p).spike_times.tolist() for p in net.populations if not p.celltype.is_source}
    rec = run_pynn(net, sim, 100.0, dt=0.1)
    return {"neuromem": mine, "pynn": {k: r.spike_times.tolist() for k, r in rec.items()}}


@pytest.mark.slow
def test_pyNN_brian2_agrees_on_a_small_network():
    pytest.importorskip("brian2", reason="brian2 not installed")
    # pyNN.brian2 integrates the same equations exactly but schedules spike delivery and threshold
    # in Brian2's order, so some spikes land a step (0.1 ms) apart and, in this recurrent network
    # with inhibition, later ones drift further: counts agree within 10% and at least 85% of the
    # spikes have a Brian2 spike within 1 ms (measured: 91% and 98%; code generation ~1 min)
    r = in_child("case_brian2")
    for label, ours in r["neuromem"].items():
        ours, theirs = np.asarray(ours), np.asarray(r["pynn"][label])
        assert ours.size > 20 and abs(ours.size - theirs.size) <= 0.1 * ours.size
        near = np.min(np.abs(ours[:, None] - theirs[None, :]), axis=1) <= 1.0 + 1e-9
        assert near.mean() >= 0.85, (label, near.mean())


def case_nest_mpi():
    import shutil
    import nest
    info = nest.GetKernelStatus().get("build_info", {})
    return {"have_mpi": bool(info.get("have_mpi")), "mpirun": shutil.which("mpirun") or ""}


@needs_nest
def test_exported_script_under_mpi(tmp_path):
    # the documented path past one machine: the standalone script under mpirun with NEST's MPI
    status = in_child("case_nest_mpi")
    if not (status["have_mpi"] and status["mpirun"]):
        pytest.skip(f"NEST here has have_mpi={status['have_mpi']} (pip's nest-simulator is built without MPI) "
                    f"and mpirun={'found' if status['mpirun'] else 'not found'}")
    from neuromem.backends.pynn_script import write_pynn_script
    net = small_lif_network()
    script = write_pynn_script(net, tmp_path / "lif.py", sim="pyNN.nest", dt=0.1, duration=100.0)
    one = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert one.returncode == 0, one.stderr[-1500:]
    single = dict(np.load(tmp_path / "lif_spikes.npz"))
    two = subprocess.run([status["mpirun"], "-np", "2", sys.executable, str(script)], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert two.returncode == 0, two.stderr[-1500:]
    double = np.load(tmp_path / "lif_spikes.npz")
    for k in single:
        if k.endswith("/times"):
            assert np.array_equal(np.sort(single[k]), np.sort(double[k]))


@pytest.mark.slow
@needs_nest
def test_exported_izhikevich2003_script_fires_as_the_paper(tmp_path):
    # Izhikevich (2003): excitatory cells at about 7-8 Hz; the script carries the network and its
    # Gaussian thalamic input (NoisyCurrentSource) to pyNN.nest
    out = subprocess.run([sys.executable, "-m", "neuromem.cli", "export", "izhikevich2003", "--to", "pynn-script",
                          str(tmp_path / "iz.py"), "--sim", "pyNN.nest"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "NoisyCurrentSource" in (tmp_path / "iz.py").read_text()
    run = subprocess.run([sys.executable, str(tmp_path / "iz.py")], cwd=tmp_path, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr[-1500:]
    spikes = np.load(tmp_path / "iz_spikes.npz")
    rate = spikes["exc/times"].size / 800 / 10.0
    assert 6.0 <= rate <= 9.0, rate
