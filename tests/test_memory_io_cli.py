"""Memory interface and protocols on the exact nearest-neighbour memory; persistence; specs and CLI."""
import json
import subprocess
import sys

import numpy as np
import pytest

import neuromem as nm
from neuromem import io
from neuromem.studies import protocols as P
from neuromem.models import NearestNeighbourMemory


def test_nearest_neighbour_recall_vs_corruption_is_exact_below_half():
    # For random bipolar patterns with N = 200 and K = 5 the closest stored pattern to a cue with
    # up to 20% flipped bits is the original (overlap 0.6 vs. ~N^-1/2 for the others): recall is exact.
    pats = P.random_patterns(5, 200, seed=1)
    curve = P.recall_vs_corruption(NearestNeighbourMemory(), pats, [0.0, 0.1, 0.2], seed=2)
    np.testing.assert_array_equal(curve.exact, [1.0, 1.0, 1.0])
    # at 100% flipped the cue is -xi: every stored pattern has overlap ~0, recall is not the original
    curve = P.recall_vs_corruption(NearestNeighbourMemory(), pats, [1.0], seed=2)
    assert curve.exact[0] == 0.0


def test_recognition_auc_and_rates():
    seen = P.random_patterns(20, 100, seed=1)
    novel = P.random_patterns(20, 100, seed=2)
    r = P.recognition(NearestNeighbourMemory(), seen, novel, threshold=0.99)
    assert r.hit_rate == 1.0 and r.false_alarm_rate == 0.0 and r.auc == 1.0


def test_roc_auc_known_values():
    assert P.roc_auc([1, 2, 3], [0, 0, 0]) == 1.0
    assert P.roc_auc([0, 0], [0, 0]) == 0.5
    assert P.roc_auc([1, 3], [2]) == 0.5


def test_retention_with_bounded_capacity():
    # capacity 10 forgets the oldest: first batch recalled exactly until more than 10 are stored
    pats = P.random_patterns(30, 64, seed=3)
    curve = P.retention(lambda: NearestNeighbourMemory(capacity=10), pats, batch=5)
    np.testing.assert_array_equal(curve.stored, [5, 10, 15, 20, 25, 30])
    assert curve.early_overlap[0] == 1.0 and curve.early_overlap[1] == 1.0
    assert curve.early_overlap[2] < 0.5


def test_capacity_sweep_executor_independent():
    from concurrent.futures import ThreadPoolExecutor
    make = lambda: NearestNeighbourMemory()
    a = P.capacity_sweep(make, 50, [1, 5, 20], cue_noise=0.1, seed=7)
    with ThreadPoolExecutor(2) as ex:
        b = P.capacity_sweep(make, 50, [1, 5, 20], cue_noise=0.1, seed=7, executor=ex)
    np.testing.assert_array_equal(a.mean_overlap, b.mean_overlap)
    assert a.exact[0] == 1.0


def test_memory_rejects_wrong_alphabet():
    m = NearestNeighbourMemory(alphabet="bipolar")
    with pytest.raises(nm.ValidationError, match="convert with 2\\*x-1"):
        m.store(np.array([[0, 1, 1, 0]]))


def test_memory_roundtrip(tmp_path):
    m = NearestNeighbourMemory()
    m.store(P.random_patterns(4, 16, seed=0))
    io.save_memory(m, tmp_path / "m.npz")
    m2 = io.load_memory(tmp_path / "m.npz")
    assert np.array_equal(m.patterns, m2.patterns)


def test_network_and_simulator_roundtrip_bit_exact(tmp_path):
    from conftest import small_lif_network
    net = small_lif_network()
    io.save_network(net, tmp_path / "net.npz")
    net2 = io.load_network(tmp_path / "net.npz")
    for a, b in zip(net.projections, net2.projections):
        assert np.array_equal(a.weight, b.weight) and np.array_equal(a.delay, b.delay)
    s1 = nm.Simulator(net, dt=0.1)
    s1.run(60.0)
    io.save_simulator(s1, tmp_path / "sim.npz")
    s1.run(60.0)
    s2 = nm.Simulator(net2, dt=0.1)
    io.load_simulator(s2, tmp_path / "sim.npz")
    s2.run(60.0)
    a = s1.get_data(net.populations[2])
    b = s2.get_data(net2.populations[2])
    tail = a.spike_times > 60.0
    assert np.array_equal(a.spike_times[tail], b.spike_times) and b.spike_times.size > 0


def test_truncated_corrupted_newer_files_rejected(tmp_path):
    m = NearestNeighbourMemory()
    m.store(P.random_patterns(4, 16, seed=0))
    path = io.save_memory(m, tmp_path / "m.npz")
    raw = path.read_bytes()
    (tmp_path / "trunc.npz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(nm.FileFormatError, match="truncated"):
        io.load_memory(tmp_path / "trunc.npz")
    arrays, meta = io.load_arrays(path)
    io.save_arrays(tmp_path / "bad.npz", "memory", arrays, meta)
    # flip one byte of the stored pattern data, keep the header's checksum
    bad = bytearray((tmp_path / "bad.npz").read_bytes())
    import zipfile
    with zipfile.ZipFile(tmp_path / "bad.npz") as z:
        info = z.getinfo("patterns.npy")
    pos = info.header_offset + 30 + len(info.filename) + len(info.extra) + 200
    bad[pos] ^= 0xFF
    (tmp_path / "bad.npz").write_bytes(bytes(bad))
    with pytest.raises(nm.FileFormatError):
        io.load_memory(tmp_path / "bad.npz")
    io.VERSION, old = io.VERSION + 1, io.VERSION
    try:
        io.save_arrays(tmp_path / "new.npz", "memory", arrays, meta)
    finally:
        io.VERSION = old
    with pytest.raises(nm.FileFormatError, match="upgrade neuromem"):
        io.load_memory(tmp_path / "new.npz")
    assert not list(tmp_path.glob(".*tmp*"))  # no half-written temporaries left


def test_spec_validation(tmp_path):
    from neuromem import spec
    s = spec.load("izhikevich2003")
    assert s.study == "izhikevich2003" and s.run["dt"] == 1.0
    bad = tmp_path / "typo.toml"
    bad.write_text('[model]\nname = "x"\nstudy = "izhikevich2003"\n[parameters]\nn_exx = 10\n')
    with pytest.raises(nm.SpecError, match="did you mean 'n_exc'"):
        spec.load(bad)
    with pytest.raises(nm.ValidationError, match="izhikevich2003"):
        spec.load("izhikevich2030")


def test_cli_run_small_spec(tmp_path):
    spec_file = tmp_path / "small.toml"
    spec_file.write_text('[model]\nname = "small"\nstudy = "izhikevich2003"\n'
                         '[parameters]\nn_exc = 160\nn_inh = 40\n[run]\ndt = 1.0\nduration = 2000.0\nseed = 3\n'
                         '[reference]\nexc_rate_hz = [0.5, 40.0]\n')
    out = subprocess.run([sys.executable, "-m", "neuromem.cli", "run", str(spec_file), "--json",
                          str(tmp_path / "r.json"), "--plot", str(tmp_path / "r.png")],
                         capture_output=True, text=True, check=True)
    assert "exc rate (Hz)" in out.stdout and "0.5 to 40" in out.stdout and "yes" in out.stdout
    res = json.loads((tmp_path / "r.json").read_text())
    assert res["seed"] == 3 and res["measured"]["exc_rate_hz"] > 0
    assert (tmp_path / "r.png").stat().st_size > 10_000


def test_cli_bad_spec_name_exit_code():
    out = subprocess.run([sys.executable, "-m", "neuromem.cli", "run", "izhikevich2030"],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "did you mean" in out.stderr


@pytest.mark.slow
def test_izhikevich2003_reproduces_paper_description():
    # Izhikevich 2003: excitatory rate about 7-8 Hz, alpha and gamma rhythms (REFERENCES.md)
    from neuromem import spec
    from neuromem.studies import STUDIES
    s = spec.load("izhikevich2003")
    result = STUDIES[s.study].run(s, seed=1)
    assert 6.0 <= result.measured["exc_rate_hz"] <= 9.0
    assert result.passed()


def test_examples_run(tmp_path):
    import pathlib
    root = pathlib.Path(__file__).resolve().parent.parent / "examples"
    for script in sorted(root.glob("*.py")):
        subprocess.run([sys.executable, str(script)], cwd=tmp_path, check=True, capture_output=True, timeout=300)


def test_bench_runs_and_writes_json(tmp_path):
    # Smoke test of the benchmark harness (neuromem side only; no timing is asserted).
    out = tmp_path / "bench.json"
    subprocess.run([sys.executable, "-m", "neuromem.cli", "bench", "--only", "propagation", "--duration", "20",
                    "--no-reference", "--output", str(out)], check=True, capture_output=True, text=True)
    res = json.loads(out.read_text())
    r = res["results"][0]
    assert r["name"] == "propagation" and r["neuromem"]["synaptic_events"] > 0
    assert res["machine"]["cores"] >= 1


def test_compile_time_is_measured_apart_and_announced_once():
    from numba import njit

    from neuromem.progress import CompileWatch
    calls = []
    with CompileWatch(notice=lambda: calls.append(1)) as watch:
        @njit(cache=False)
        def f(x):
            return x + 1
        f(1)
        f(2.0)           # a second signature: a second compile, no second notice
    assert watch.kernels == 2 and watch.seconds > 0 and calls == [1]


def test_progress_bar_shows_fraction_or_elapsed(capsys):
    from neuromem.progress import Progress
    with Progress("demo", enabled=True) as bar:
        bar(0.5, 10.0)
    err = capsys.readouterr().err
    assert "demo" in err and "50%" in err
    with Progress("quiet", enabled=False) as bar:
        bar(0.5)
    assert capsys.readouterr().err == ""


def test_table_names_units_numbers_and_verdicts():
    from neuromem.spec import Spec
    from neuromem.studies import RunResult, fmt, precision, readable
    assert readable("exc_rate_hz") == "exc rate (Hz)" and readable("operations_per_s") == "operations per s"
    assert fmt(3401.0) == "3,401" and fmt(0.7071) == "0.707" and fmt(1e-7) == "1e-07" and fmt(123.456) == "123.5"
    assert precision(56) == 0.0 and precision(0.998) == 0.0005 and precision(361.9) == 0.05
    spec = Spec("s", "x", "", "", reference={"a": [1.0, 2.0], "b": 0.998, "c": "look", "d": 5,
                                             "e": {"paper": 0.946, "dataset": "MNIST"},
                                             "f": {"theory": 72.4, "accept": [60.0, 80.0]}})
    measured = {"a": 1.5, "b": 0.9984, "c": 1.0, "d": 6.0, "e": 0.9, "f": 70.0}
    rows = {r[0]: r for r in RunResult(spec, measured, {}).table()}
    assert [rows[k][5] for k in "abcdef"] == ["yes", "yes", "see text", "NO", "see text", "yes"]
    assert rows["e"][2] == "0.946 (MNIST)" and rows["f"][3] == "72.4" and rows["f"][4] == "60 to 80"
    assert rows["b"][4] == "= 0.998 +- 0.0005" and rows["d"][2] == "5"
    assert not RunResult(spec, measured, {}).passed()


def test_spec_references_are_checked():
    from neuromem.errors import SpecError
    from neuromem.spec import validate
    base = {"model": {"name": "x", "study": "izhikevich2003"}}
    for bad in ({"r": [2.0, 1.0]}, {"r": True}, {"r": {"paper": 1, "acept": 2}}, {"r": {"accept": "high"}}):
        with pytest.raises(SpecError, match="reference"):
            validate(dict(base, reference=bad))


def test_long_logs_go_to_a_file(tmp_path, capsys):
    from types import SimpleNamespace

    from neuromem.cli import LOG_LINES, print_log
    lines = [f"line {i}" for i in range(3 * LOG_LINES)]
    print_log(lines, "demo", SimpleNamespace(json=str(tmp_path / "out.json"), plot=None))
    out = capsys.readouterr().out
    assert "line 0" in out and f"line {3 * LOG_LINES - 1}" in out and "line 50" not in out
    assert (tmp_path / "demo_log.txt").read_text().splitlines() == lines


def test_info_groups_specs_by_family_with_run_times():
    out = subprocess.run([sys.executable, "-m", "neuromem.cli", "info"], capture_output=True, text=True, check=True).stdout
    assert "\n  ca3\n" in out and "ca3_stress" in out and "30 s" in out and "hlop_permuted_wide" in out
