"""PyNN's own example scripts (``examples/`` of PyNN's source distribution) on pyNN.neuromem beside pyNN.nest, each
run unchanged in a child process with the simulator's name as its argument: deterministic ones agree trace for
trace, noisy ones in their rates.  The data are what each script reads through PyNN's recorder (``get_data`` /
``write_data``), captured as it passes."""
import json
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("pyNN")
pytest.importorskip("nest")

from neuromem.pynn.distribution import pynn_source  # noqa: E402

CHILD = """
import json, runpy, sys
import numpy as np
import neuromem.pynn  # noqa: F401 - makes pyNN.neuromem importable
from pyNN import recording

captured = []
original = recording.Recorder.get


def get(self, *args, **kwargs):
    block = original(self, *args, **kwargs)
    for segment in block.segments:
        captured.append({
            "population": self.population.label,
            "spikes": [np.asarray(st.magnitude, float).tolist() for st in segment.spiketrains],
            "signals": {s.name: np.asarray(s.magnitude, float).tolist() for s in segment.analogsignals}})
    return block


recording.Recorder.get = get

if REPAIR_PYNN:
    # three bugs of PyNN 0.13 that stop PyNN's own examples, repaired the same way for both backends:
    # 1. under NumPy 2 a one-cell presynaptic population gives OneToOneConnector a 0-d column mask (a NumPy
    #    scalar), whose nonzero() NumPy 2 refuses: the column is made 1-d
    # 2. pyNN.nest's IF_cond_exp_gsfa_grr maps its state variables as g_rr and g_sfa where the standard model
    #    names them g_r and g_s, so creating the cell fails (KeyError 'g_r'): the standard names are added (nS,
    #    the standard model's units and NEST's)
    # 3. pyNN.nest's IF_curr_delta has no variable map, so recording v asks NEST for "v" ("Cannot connect with
    #    unknown recordable v"): v is mapped to NEST's V_m
    from pyNN import connectors
    standard_connect = connectors.MapConnector._standard_connect

    def _standard_connect(self, projection, connection_map_generator, distance_map=None):
        def columns(*args, **kwargs):
            for column in connection_map_generator(*args, **kwargs):
                yield np.atleast_1d(column) if isinstance(column, (np.ndarray, np.generic)) else column
        return standard_connect(self, projection, columns, distance_map)

    connectors.MapConnector._standard_connect = _standard_connect
    if BACKEND == "nest":
        import pyNN.nest
        cell = pyNN.nest.IF_cond_exp_gsfa_grr
        cell.variable_map = {**cell.variable_map, "g_r": "g_rr", "g_s": "g_sfa"}
        cell.scale_factors = {**cell.scale_factors, "g_r": 1.0, "g_s": 1.0}
        pyNN.nest.IF_curr_delta.variable_map = {"v": "V_m"}
        pyNN.nest.IF_curr_delta.scale_factors = {"v": 1.0}
sys.argv = [SCRIPT, BACKEND]
runpy.run_path(PATH, run_name="__main__")
json.dump(captured, open(OUT, "w"))
"""


def run_example(name, backend, tmp_path, repair_pynn=False, stdout=None):
    """What PyNN's ``examples/<name>.py`` recorded on ``backend``: {population label: data} (the last read); with
    ``stdout`` (a list) the script's printed output is appended to it."""
    source = pynn_source()
    if source is None:
        pytest.skip("PyNN's source distribution could not be downloaded (pip download --no-binary :all: PyNN)")
    out = tmp_path / f"{name}_{backend}.json"
    given = {"SCRIPT": f"{name}.py", "BACKEND": backend, "PATH": str(source / "examples" / f"{name}.py"),
             "OUT": str(out), "REPAIR_PYNN": repair_pynn}
    code = "".join(f"{k} = {v!r}\n" for k, v in given.items()) + CHILD
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    if stdout is not None:
        stdout.append(proc.stdout)
    return {entry["population"]: entry for entry in json.loads(out.read_text())}


def test_current_injection_example_agrees_with_nest(tmp_path):
    # DC, step and AC sources: the same membrane traces (exact integration on both); the noisy source's cell:
    # the same mean potential (independent random streams) within its fluctuations
    ours = run_example("current_injection", "neuromem", tmp_path)
    theirs = run_example("current_injection", "nest", tmp_path)
    (label,) = ours
    v, w = np.asarray(ours[label]["signals"]["v"]), np.asarray(theirs[label]["signals"]["v"])
    n = min(len(v), len(w))
    assert n >= 5000
    np.testing.assert_allclose(v[:n, :3], w[:n, :3], rtol=0, atol=1e-9)
    assert abs(v[:n, 3].mean() - w[:n, 3].mean()) < 0.5 and np.ptp(v[:n, 3]) > 5.0


def test_tsodyksmarkram_example_agrees_with_nest(tmp_path):
    # static, depressing and facilitating inhibitory synapses onto IF_cond_exp cells: the same conductances
    # (tsodyks_synapse, exact exponential decay), membranes within the two integrators' difference.  The script
    # leaves min_delay "auto"; pyNN.nest then takes the shortest delay (0.5 ms) as its min_delay and delivers the
    # spike source's spikes min_delay - dt = 0.4 ms late (with setup(min_delay=0.1) it agrees with neuromem's
    # arrival at spike time + delay), so NEST's traces are compared 4 samples later.
    late = 4
    ours = run_example("tsodyksmarkram", "neuromem", tmp_path)
    theirs = run_example("tsodyksmarkram", "nest", tmp_path)
    assert set(ours) == {"static", "depressing", "facilitating"} <= set(theirs)
    for label in ours:
        g, h = np.asarray(ours[label]["signals"]["gsyn_inh"]), np.asarray(theirs[label]["signals"]["gsyn_inh"])
        n = min(len(g), len(h)) - late
        assert n >= 1900 and h.max() > 1e-3
        assert not g[:105].any() and g[105].all()                 # the first spike (10 ms) arrives at 10.5 ms
        np.testing.assert_allclose(g[:n], h[late:late + n], rtol=1e-6, atol=1e-9)   # NEST integrates g by RKF45
        v, w = np.asarray(ours[label]["signals"]["v"]), np.asarray(theirs[label]["signals"]["v"])
        np.testing.assert_allclose(v[:n], w[late:late + n], rtol=0, atol=0.01)


def test_varying_poisson_example_rates_agree_with_nest(tmp_path):
    # Poisson sources whose rate a callback changes every 100 ms: the spike counts of each interval agree with
    # NEST's within 5% of the total (independent random streams; the counts' own spread is about 2%)
    counts = {}
    for backend in ("neuromem", "nest"):
        data = run_example("varying_poisson", backend, tmp_path)
        (label,) = data
        spikes = np.concatenate([np.asarray(s) for s in data[label]["spikes"]])
        counts[backend] = np.histogram(spikes, bins=np.arange(0, 1001, 100))[0]
    total = counts["nest"].sum()
    assert total > 1500
    assert np.abs(counts["neuromem"] - counts["nest"]).sum() < 0.05 * total


@pytest.mark.slow
@pytest.mark.parametrize("benchmark", ["CUBA", "COBA"])
def test_vabenchmarks_example_rates_agree_with_nest(benchmark):
    # PyNN's VAbenchmarks.py, unchanged: 4000 cells, chaotic, so the engines agree in rates (within 5%, the
    # issue's bound for noisy scripts; measured: 0.05% for CUBA, 1% for COBA)
    from neuromem.bench.pynn import vabenchmarks
    ours, theirs = vabenchmarks("neuromem", benchmark), vabenchmarks("nest", benchmark)
    for key in ("exc_rate_hz", "inh_rate_hz"):
        assert theirs[key] > 1.0
        assert abs(ours[key] - theirs[key]) < 0.05 * theirs[key], key


def test_small_network_example_agrees_with_nest(tmp_path):
    # IF_cond_alpha cells driven by the script's seeded spike trains and each other: NEST integrates adaptively,
    # neuromem exactly per step, and a spike moved by a step changes the rest of the run, so the engines are
    # compared by spike count (measured: 372 against 371)
    counts = {}
    for backend in ("neuromem", "nest"):
        (entry,) = run_example("small_network", backend, tmp_path).values()
        counts[backend] = sum(len(s) for s in entry["spikes"])
    assert counts["nest"] > 100
    assert abs(counts["neuromem"] - counts["nest"]) <= 0.05 * counts["nest"]


def test_izhikevich_example_agrees_with_nest(tmp_path):
    # three Izhikevich cells (offset current, a spike train, a DC source) at dt = 0.01 ms: PyNN defines the model's
    # synapses as voltage steps and pyNN.nest runs NEST's forward Euler, as neuromem.pynn does
    # (Izhikevich(integration="euler")): the same membrane traces.  The script stops on PyNN 0.13 under NumPy 2 on
    # both backends; both run it with the repair in CHILD.
    ours = run_example("Izhikevich", "neuromem", tmp_path, repair_pynn=True)
    theirs = run_example("Izhikevich", "nest", tmp_path, repair_pynn=True)
    (label,) = ours
    v, w = np.asarray(ours[label]["signals"]["v"]), np.asarray(theirs[label]["signals"]["v"])
    assert v.shape == w.shape == (10001, 3)
    assert (np.diff(w, axis=0) < -50).any(axis=0).all()                # every cell spikes
    np.testing.assert_allclose(v, w, rtol=0, atol=1e-9)


def final_weights(stdout: str) -> np.ndarray:
    """The weights simple_STDP.py prints last ("Final weights: [...]")."""
    text = stdout[stdout.index("Final weights:"):]
    return np.array(text[text.index("[") + 1:text.index("]")].split(), dtype=float)


def test_simple_stdp_example_agrees_with_nest(tmp_path):
    # 60 inputs firing at fixed lags around a driven cell, all-to-all additive STDP (tau 20 ms, A+ 0.01, w_max 1e-7,
    # all of the 3 ms delay dendritic): the same spikes, and the same final weights once NEST's lazy update is
    # allowed for: NEST's stdp_synapse applies a postsynaptic spike's potentiation at the synapse's next
    # presynaptic spike, so the potentiation by postsynaptic spikes after a synapse's last presynaptic spike
    # (sum of A+ w_max exp(-(t_post + d - t_pre) / tau+) over its earlier pre spikes) is missing from NEST's weights
    out = {}
    data = {}
    for backend in ("neuromem", "nest"):
        printed = []
        data[backend] = run_example("simple_STDP", backend, tmp_path, repair_pynn=True, stdout=printed)
        out[backend] = final_weights(printed[0])
    pre = [np.asarray(s) for s in data["nest"]["presynaptic"]["spikes"]]
    post = np.asarray(data["nest"]["postsynaptic"]["spikes"][0])
    assert len(pre) == 60 and post.size == 10
    for x, y in zip(data["neuromem"]["presynaptic"]["spikes"], pre):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(data["neuromem"]["postsynaptic"]["spikes"][0], post)
    delay, tau_plus, step = 3.0, 20.0, 0.01 * 1e-7
    pending = step * np.array([sum(np.exp(-(t + delay - p[p < t + delay]) / tau_plus).sum()
                                   for t in post if t + delay > p.max()) for p in pre])
    change = out["nest"] + pending - 5e-8
    assert change.max() > 1e-9 and change.min() < -1e-9              # both potentiated and depressed synapses
    np.testing.assert_allclose(out["neuromem"], out["nest"] + pending, rtol=1e-6, atol=0)


def test_cell_type_demonstration_example_agrees_with_nest(tmp_path):
    # five standard cell types under current injection at dt = 0.01 ms.  IF_cond_exp_gsfa_grr (NEST
    # iaf_cond_exp_sfa_rr, RKF45; neuromem exact for each step's mean conductances), HH_cond_exp and
    # EIF_cond_exp_isfa_ista (both RKF45 against Runge-Kutta substeps): the same spike steps, membranes within the
    # integrators' differences (measured 1e-5, 3e-4 and 0.04 mV, the last at spike onsets); Izhikevich identical.
    # IF_curr_exp: pyNN.nest's default spike_precision="off_grid" runs iaf_psc_exp_ps, whose spike and end of
    # refractoriness fall between grid points; neuromem's on the grid; the same spikes, each within one step
    # (measured: the third 0.01 ms later).  Run with run_example's repairs of PyNN 0.13 (pyNN.nest cannot create
    # IF_cond_exp_gsfa_grr without them).
    ours = run_example("cell_type_demonstration", "neuromem", tmp_path, repair_pynn=True)
    theirs = run_example("cell_type_demonstration", "nest", tmp_path, repair_pynn=True)
    assert set(ours) == set(theirs) == {"IF_curr_exp", "HH_cond_exp", "EIF_cond_exp_isfa_ista",
                                        "IF_cond_exp_gsfa_grr", "Izhikevich"}

    def trace(data, label, name):
        return np.asarray(data[label]["signals"][name])[:, 0]

    def spike_steps(v):
        return np.flatnonzero(np.diff(v) < -5.0)        # the reset after each spike (HH_cond_exp does not fire)

    for label, atol in (("IF_cond_exp_gsfa_grr", 1e-4), ("HH_cond_exp", 1e-3), ("EIF_cond_exp_isfa_ista", 0.1),
                        ("Izhikevich", 1e-9)):
        v, w = trace(ours, label, "v"), trace(theirs, label, "v")
        assert v.size == w.size == 10001
        np.testing.assert_array_equal(spike_steps(v), spike_steps(w))
        np.testing.assert_allclose(v, w, rtol=0, atol=atol, err_msg=label)
    assert spike_steps(trace(theirs, "IF_cond_exp_gsfa_grr", "v")).size >= 3
    np.testing.assert_allclose(trace(ours, "EIF_cond_exp_isfa_ista", "w"), trace(theirs, "EIF_cond_exp_isfa_ista", "w"),
                               rtol=0, atol=1e-4)
    np.testing.assert_allclose(trace(ours, "Izhikevich", "u"), trace(theirs, "Izhikevich", "u"), rtol=0, atol=1e-9)
    a, b = spike_steps(trace(ours, "IF_curr_exp", "v")), spike_steps(trace(theirs, "IF_curr_exp", "v"))
    assert a.size == b.size >= 3 and np.abs(a - b).max() <= 1


def test_synaptic_input_example_agrees_with_nest(tmp_path):
    # one spike train into six cell types, two cells each (at rest; near threshold with an offset current):
    # NEST's membrane traces, exactly where both integrate exactly (IF_curr_alpha, IF_curr_delta, Izhikevich and
    # IF_curr_exp at rest), within NEST's RKF45 error for the conductance cells (measured 6e-6 mV), and within
    # 0.01 mV for the IF_curr_exp cell that fires (pyNN.nest's default off-grid iaf_psc_exp_ps resets it between
    # grid points; measured 4e-3 mV).  pyNN.nest needs run_example's third repair to record IF_curr_delta's v.
    ours = run_example("synaptic_input", "neuromem", tmp_path, repair_pynn=True)
    theirs = run_example("synaptic_input", "nest", tmp_path, repair_pynn=True)
    tolerance = {"Exponential, current-based": 0.01, "Alpha, current-based": 1e-9,
                 "Exponential, conductance-based": 1e-4, "Alpha, conductance-based": 1e-4, "Izhikevich": 1e-9,
                 "Voltage step": 1e-9}
    assert set(tolerance) <= set(ours) & set(theirs)
    for label, atol in tolerance.items():
        v, w = np.asarray(ours[label]["signals"]["v"]), np.asarray(theirs[label]["signals"]["v"])
        assert v.shape == w.shape == (10001, 2)
        assert np.ptp(w[2500:5000], axis=0).min() > 1.0                # every cell answers the first spike
        np.testing.assert_allclose(v, w, rtol=0, atol=atol, err_msg=label)
