"""neuromem as a PyNN simulator: `import neuromem.pynn as sim` runs PyNN scripts unchanged.

The same script (tests/data/pynn_scripts/lif_network.py: FromList, all-to-all and one-to-one connectors, a
population view, an inhibitory projection, pair STDP, parameters set between runs, split runs) on
pyNN.neuromem and on pyNN.nest: the same spikes at every step, the same membrane potentials, and STDP
weights equal to NEST's once a last presynaptic spike has brought NEST's deferred updates up to date.
Each backend runs in its own process (NEST keeps global state).
"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).parent / "data" / "pynn_scripts" / "lif_network.py"


def run_script(backend):
    run = subprocess.run([sys.executable, str(SCRIPT), backend], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_pynn_script_gives_neuromem_what_it_gives_nest():
    pytest.importorskip("nest")
    ours, nest = run_script("neuromem"), run_script("nest")
    for label in ("exc", "out"):
        assert sum(map(len, ours[label])) > 100
        assert ours[label] == nest[label]
    assert np.array_equal(np.array(ours["v"]), np.array(nest["v"]))
    assert np.allclose(ours["w"], nest["w"], rtol=1e-12, atol=1e-12)


def test_procedural_api_views_and_neo_data():
    import neuromem.pynn as sim
    sim.setup(timestep=0.1)
    cells = sim.create(sim.IF_curr_exp(i_offset=np.linspace(0.5, 1.5, 8)), n=8)
    src = sim.create(sim.SpikeSourcePoisson(rate=100.0), n=4)
    sim.connect(src, cells, weight=0.5, delay=1.0, p=0.5)
    cells[2:6].record(["spikes", "v"])
    sim.run(100.0)
    block = cells.get_data()
    seg = block.segments[0]
    assert len(seg.spiketrains) == 4 and seg.analogsignals[0].shape[1] == 4
    assert sum(len(s) for s in seg.spiketrains) > 0
    assert cells.get("i_offset")[0] == pytest.approx(0.5)
    cells[:2].set(i_offset=0.0)
    sim.run(10.0)
    assert list(cells.get("i_offset")[:3]) == [0.0, 0.0, pytest.approx(0.5 + 2 / 7)]
    assert sim.get_current_time() == pytest.approx(110.0)
    import pyNN.neuromem          # the alias PyNN's tools find
    assert pyNN.neuromem.Population is sim.Population
    assert sim.list_standard_models() == ["EIF_cond_alpha_isfa_ista", "EIF_cond_exp_isfa_ista", "HH_cond_exp", "IF_cond_alpha", "IF_cond_exp",
                                          "IF_cond_exp_gsfa_grr", "IF_curr_alpha", "IF_curr_delta",
                                          "IF_curr_exp", "Izhikevich", "SpikeSourceArray", "SpikeSourceGamma",
                                          "SpikeSourcePoisson", "SpikeSourcePoissonRefractory"]
    sim.end()


def test_spinnaker_mode_and_refusals():
    import neuromem.pynn as sim
    sim.setup(timestep=1.0, spinnaker=True)
    cell = sim.Population(1, sim.IF_cond_exp(), label="cell")
    inp = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0, 6.0, 7.0]), label="inp")
    sim.Projection(inp, cell, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.05, delay=1.0))
    cell.record("v")
    sim.run(20.0)
    v = np.asarray(cell.get_data().segments[0].analogsignals[0])[:, 0]
    assert v.max() > -65.0 and np.all(v * 32768 == np.rint(v * 32768))   # the board's s16.15 grid
    sim.end()
    with pytest.raises(NotImplementedError, match="IF_cond_alpha"):
        import pyNN.standardmodels.cells as std

        class IF_cond_alpha(std.IF_cond_alpha):
            translations = {}
        sim.setup(timestep=0.1)
        sim.Population(1, IF_cond_alpha())
    # PyNN's models that neuromem lacks are refused by name (and hasattr answers False, as for any backend)
    for name, kind in (("GIF_cond_exp", "cell type"), ("Vogels2011Rule", "synapse type"),
                       ("CondExpPostSynapticResponse", "post-synaptic response")):
        assert not hasattr(sim, name)
        with pytest.raises(NotImplementedError, match=f"pyNN.neuromem has no {name} \\(a PyNN {kind}\\); it runs"):
            getattr(sim, name)


PAPER_SCRIPT = Path(__file__).parent / "data" / "casanueva2024_script"
#: the populations in the order the paper's script hands them to plot.spikes_plot (after its input)
SCRIPT_LAYERS = ("CA3cueCueRecallLayer", "CA3contCueRecallLayer", "CA3contCondLayer", "CA3contCondIntLayer",
                 "CA3cueContRecallLayer", "CA3contContRecallLayer", "CA3mergeCueLayer", "CA3mergeContLayer", "OLayer")


@pytest.mark.slow
@pytest.mark.parametrize("experiment", [1, 2, 3])
def test_the_papers_own_script_reproduces_the_board(experiment, tmp_path, monkeypatch):
    # The CA3 memory's original scripts (tests/data/casanueva2024_script: changed at the import and setup lines
    # only) on pyNN.neuromem's SpiNNaker mode give every spike the board recorded, and no other.
    import runpy
    import shutil
    import types
    import warnings
    shutil.copytree(PAPER_SCRIPT, tmp_path / "script")
    captured = {}
    plot = types.ModuleType("plot")             # the repository's plotting module, which draws and writes xlsx
    plot.spikes_plot = lambda spikes, *args, **kw: captured.setdefault("spikes", spikes)
    plot.create_folder_if_not_exist = plot.generate_table_excel = lambda *a, **kw: None
    plot.generate_sequence = lambda *a, **kw: []
    monkeypatch.setitem(sys.modules, "plot", plot)
    monkeypatch.chdir(tmp_path / "script")
    monkeypatch.syspath_prepend(str(tmp_path / "script"))
    source = (tmp_path / "script" / "test_CA3_content_addressable.py").read_text()
    assert source.count("\nexperiment = 1\n") == 1
    script = tmp_path / "script" / "run.py"
    script.write_text(source.replace("\nexperiment = 1\n", f"\nexperiment = {experiment}\n"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runpy.run_path(str(script), run_name="__main__")
    import neuromem
    board = np.loadtxt(Path(neuromem.__file__).parent / "data" / "casanueva2024" / f"exp{experiment}_spikes.csv",
                       delimiter=",", skiprows=1, dtype=str)
    total = 0
    for label, per_neuron in zip(SCRIPT_LAYERS, captured["spikes"][1:]):
        ours = sorted((int(i), int(round(t))) for i, times in enumerate(per_neuron) for t in times)
        theirs = sorted((int(i), int(t)) for p, i, t in board if p == label)
        assert ours == theirs, label
        total += len(ours)
    assert total == len(board) > 200      # every recorded spike of every population, none left out


def test_projection_save_from_file_and_write_data_round_trip(tmp_path):
    # Projection.save writes PyNN's connection list; FromFileConnector reads it back into the same synapses;
    # Population.write_data writes the Neo block, which Neo reads back (MATLAB format: no pickle)
    import neuromem.pynn as sim
    from neo.io import NeoMatlabIO
    sim.setup(timestep=0.1)
    src = sim.Population(5, sim.SpikeSourceArray(spike_times=[1.0, 5.0, 9.0]))
    cells = sim.Population(3, sim.IF_curr_exp(), label="cells")
    prj = sim.Projection(src, cells, sim.FixedProbabilityConnector(0.6, rng=sim.NumpyRNG(seed=2)),
                         sim.StaticSynapse(weight=sim.RandomDistribution("uniform", (0.5, 2.0),
                                                                          rng=sim.NumpyRNG(seed=3)), delay=1.0))
    cells.record(["spikes", "v"])
    sim.run(20.0)
    prj.save(["weight", "delay"], str(tmp_path / "conns.txt"), format="list")
    again = sim.Projection(src, cells, sim.FromFileConnector(str(tmp_path / "conns.txt")), sim.StaticSynapse())
    assert sorted(again.get(["weight", "delay"], format="list")) == sorted(prj.get(["weight", "delay"], format="list"))
    assert 0 < prj.size() < 15
    cells.write_data(NeoMatlabIO(str(tmp_path / "cells.mat")))
    block = NeoMatlabIO(str(tmp_path / "cells.mat")).read_block()
    v = block.segments[0].analogsignals[0]
    np.testing.assert_allclose(np.asarray(v), np.asarray(cells.get_data().segments[0].analogsignals[0]))
    assert v.shape == (201, 3)
    sim.end()


def test_pynn_finds_the_backend_by_name_in_a_fresh_interpreter():
    # PyNN's tools (get_simulator, the example scripts) import pyNN.<name>; the installed neuromem-pynn.pth makes
    # `import pyNN.neuromem` work before neuromem is imported, without loading neuromem at interpreter start
    import site
    dirs = site.getsitepackages() + [site.getusersitepackages()]
    if not any((Path(d) / "neuromem-pynn.pth").exists() for d in dirs):
        pytest.skip("neuromem-pynn.pth is not installed in this interpreter's site-packages (install with pip)")
    code = ("import sys; started = 'neuromem' in sys.modules; import pyNN.neuromem as sim, neuromem.pynn; "
            "print(started, sim is neuromem.pynn, hasattr(sim, 'setup'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "True"]


def test_pynn_connectors_build_what_they_define():
    # the connectors no scenario exercises, against their own definitions
    import neuromem.pynn as sim
    from pyNN.connectors import IndexBasedProbabilityConnector
    from pyNN.core import IndexBasedExpression
    from pyNN.space import Grid2D

    def pairs(prj):
        return sorted((int(i), int(j)) for i, j, _ in prj.get("weight", format="list"))

    class SameResidue(IndexBasedExpression):
        def __call__(self, i, j):
            return ((i % 9) == j).astype(float)

    sim.setup(timestep=0.1)
    a = sim.Population(12, sim.IF_curr_exp(), structure=Grid2D(dx=10.0, dy=10.0))
    b = sim.Population(9, sim.IF_curr_exp(), structure=Grid2D(dx=10.0, dy=10.0))
    syn = sim.StaticSynapse(weight=0.1, delay=1.0)
    assert sim.Projection(a, b, sim.FixedTotalNumberConnector(40, rng=sim.NumpyRNG(seed=1)), syn).size() == 40
    mask = np.random.default_rng(2).random((12, 9)) < 0.3
    array = sim.Projection(a, b, sim.ArrayConnector(mask), syn)
    assert pairs(array) == sorted(map(tuple, np.argwhere(mask).tolist()))
    assert pairs(sim.Projection(a, b, IndexBasedProbabilityConnector(SameResidue()), syn)) == \
        sorted((i, i % 9) for i in range(12))
    assert pairs(sim.Projection(a, b, sim.CloneConnector(array), sim.StaticSynapse(weight=0.2))) == pairs(array)
    # SmallWorldConnector: PyNN 0.13's own connect() raises NotImplementedError, on every backend
    sim.end()


def test_projection_set_changes_the_stdp_rule_between_runs():
    # PyNN's Projection.set of a rule parameter: one value for the projection; the next run learns with it
    import neuromem.pynn as sim
    sim.setup(timestep=0.1)
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0, 310.0]))
    drive = sim.Population(1, sim.SpikeSourceArray(spike_times=[11.0, 311.0]))
    post = sim.Population(1, sim.IF_curr_exp(tau_m=1.0, tau_syn_E=0.1, cm=0.01, tau_refrac=20.0))
    sim.Projection(drive, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=50.0, delay=1.0))
    stdp = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01,
                                                                 A_minus=0.01),
                             weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=1.0), weight=0.5,
                             delay=1.0)
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), stdp)
    sim.run(150.0)
    first = prj.get("weight", format="array")[0, 0] - 0.5
    prj.set(A_plus=0.03)
    assert prj.get("A_plus", format="list", with_address=False) == [0.03]
    sim.run(250.0)
    second = prj.get("weight", format="array")[0, 0] - 0.5 - first
    # the same pairing 300 ms later (the earlier spikes' traces have decayed by e^-15), three times the amplitude
    assert first > 0 and second == pytest.approx(3 * first, rel=1e-5)
    sim.end()
