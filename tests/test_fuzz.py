"""Property-based fuzzing of the public API: every outcome is a valid result or a NeuromemError that names
the object, the parameter, the value and what is valid.  Never another exception, never a silent NaN.

Fixed seeds (``derandomize``); a quick profile by default, a deeper one under ``-m slow``
(``NEUROMEM_FUZZ_EXAMPLES`` overrides both).  Each surface counts its cases and outcomes in
:data:`COUNTS`; ``pytest -s tests/test_fuzz.py`` prints them at the end of the session.
"""
import ast
import io as _io
import json
import os
import zipfile
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import neuromem as nm
from neuromem import NeuromemError
from neuromem.io import load_memory, load_network, save_memory, save_network

QUICK = int(os.environ.get("NEUROMEM_FUZZ_EXAMPLES", 40))
COUNTS: dict[str, Counter] = {}
FUZZ = settings(derandomize=True, max_examples=QUICK, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
DEEP = settings(FUZZ, max_examples=max(QUICK, int(os.environ.get("NEUROMEM_FUZZ_DEEP", 400))))

# values a hostile user tries
junk = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                 st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
                 st.lists(st.floats(-1e6, 1e6), max_size=4), st.just([[1, 2], [3]]), st.just({"a": 1}),
                 st.just(np.array([np.nan])), st.just(2**62), st.just(-1e300), st.just(1e300))
number = st.one_of(st.floats(-1e4, 1e4), st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10**6))
# mostly plausible values, so that cases also get past validation and their results can be checked
plausible = st.one_of(st.floats(0.05, 30.0), st.floats(0.05, 30.0), st.floats(0.05, 30.0), number, junk)


def outcome(surface, fn, *args, check=None, **kwargs):
    """Run one case; classify it as ok or a proper NeuromemError, and fail on anything else."""
    counts = COUNTS.setdefault(surface, Counter())
    counts["cases"] += 1
    try:
        result = fn(*args, **kwargs)
    except NeuromemError as exc:
        msg = str(exc)
        assert ":" in msg and any(w in msg for w in ("expected", "valid", "did you mean", "convert", "use ",
                                                      "not a neuromem", "corrupted", "truncated", "checksum",
                                                      "no such file", "does not", "cannot", "only", "needs",
                                                      "at most", "at least", "must")), msg
        counts["refused with a NeuromemError"] += 1
        return None
    except Exception as exc:  # noqa: BLE001 - a leak is exactly what this suite looks for
        counts["leaked another exception"] += 1
        raise AssertionError(f"{surface}: leaked {type(exc).__name__}: {exc}") from exc
    if check is not None and not check(result):
        counts["accepted silently with a bad result"] += 1
        raise AssertionError(f"{surface}: accepted {args} {kwargs} and returned {result!r}")
    counts["valid result"] += 1
    return result


def finite_state(sim):
    return bool(np.isfinite(sim.state(sim.network.populations[-1], "v")).all())


# -- engine -------------------------------------------------------------------------------------------------

TYPOS = {nm.IF_curr_exp: ["tau_mm", "vthresh"], nm.Izhikevich: ["A", "i_ofset"]}
cells_and_params = st.sampled_from([nm.IF_curr_exp, nm.Izhikevich]).flatmap(
    lambda cls: st.tuples(st.just(cls), st.dictionaries(st.sampled_from(list(cls.parameters) * 3 + TYPOS[cls]),
                                                        st.one_of(st.floats(-80.0, 80.0), st.floats(0.05, 30.0),
                                                                  st.floats(0.05, 30.0), number, junk), max_size=2)))


def _run_cell(celltype_cls, params, weight, delay, dt, duration):
    net = nm.Network(seed=1)
    src = net.population(2, nm.SpikeSourceArray(spike_times=[[1.0, 3.0], [2.0]]), label="s")
    cells = net.population(3, celltype_cls(**params), label="c")
    net.projection(src, cells, nm.AllToAllConnector(), nm.StaticSynapse(weight=weight, delay=delay))
    sim = nm.Simulator(net, dt=dt)
    sim.run(duration)
    return sim


@FUZZ
@given(cells_and_params, plausible, st.one_of(st.sampled_from([1.0, 2.0, 0.5]), plausible),
       st.sampled_from([0.1, 1.0, 0.1, 1.0, 0.0, -1.0, float("nan")]), st.sampled_from([5.0, 5.0, 5.05, -1.0, 1e13]))
def test_fuzz_cells_synapses_simulator(cell, weight, delay, dt, duration):
    cls, params = cell
    outcome("cells, synapses, simulator", _run_cell, cls, params, weight, delay, dt, duration, check=finite_state)


CONNECTORS = {"AllToAllConnector": nm.AllToAllConnector, "OneToOneConnector": nm.OneToOneConnector,
              "FixedProbabilityConnector": nm.FixedProbabilityConnector,
              "FixedNumberPreConnector": nm.FixedNumberPreConnector,
              "FixedNumberPostConnector": nm.FixedNumberPostConnector, "FromListConnector": nm.FromListConnector}


def _connect(name, kwargs, sizes):
    net = nm.Network(seed=2)
    a = net.population(sizes[0], nm.IF_curr_exp(), label="a")
    b = net.population(sizes[1], nm.IF_curr_exp(), label="b")
    prj = net.projection(a, b, CONNECTORS[name](**kwargs), nm.StaticSynapse(weight=1.0, delay=1.0))
    return prj


@FUZZ
@given(st.sampled_from(sorted(CONNECTORS)), st.dictionaries(st.sampled_from(
       ["p_connect", "n", "allow_self_connections", "with_replacement", "conn_list", "p", "N"]),
       st.one_of(plausible, st.integers(0, 4), st.just([[0, 1, 1.0, 1.0], [1, 0, 2.0, 0.5]])), max_size=3),
       st.tuples(st.integers(-2, 6), st.integers(-2, 6)))
def test_fuzz_connectors(name, kwargs, sizes):
    outcome("connectors", _connect, name, kwargs, sizes,
            check=lambda prj: np.isfinite(prj.weight).all() and (prj.pre_idx < prj.pre.size).all())


def _plastic(td, wd, weight, delay, set_weight):
    net = nm.Network(seed=3)
    a = net.population(2, nm.SpikeSourceArray(spike_times=[[1.0, 4.0], [2.0]]), label="a")
    b = net.population(2, nm.IF_curr_exp(), label="b")
    syn = nm.STDPMechanism(nm.SpikePairRule(**td), nm.AdditiveWeightDependence(**wd), weight=weight, delay=delay)
    prj = net.projection(a, b, nm.AllToAllConnector(), syn)
    if set_weight is not None:
        prj.set(weight=set_weight)
    sim = nm.Simulator(net, dt=0.1)
    sim.run(10.0)
    return sim.weights(prj)


@FUZZ
@given(st.dictionaries(st.sampled_from(["tau_plus", "tau_minus", "A_plus", "A_minus", "tau_plu"]),
                       plausible, max_size=2),
       st.dictionaries(st.sampled_from(["w_min", "w_max", "wmax"]), plausible, max_size=2),
       st.one_of(st.floats(0.0, 1.0), number, junk, st.just(nm.RandomDistribution("uniform", low=0.0, high=0.5))),
       st.one_of(plausible, st.just(0.05)), st.one_of(st.none(), st.floats(0.0, 1.0), number, junk))
def test_fuzz_plasticity(td, wd, weight, delay, set_weight):
    outcome("plastic synapses", _plastic, td, wd, weight, delay, set_weight,
            check=lambda w: np.isfinite(w).all())


def _sources(rate, times, noise):
    net = nm.Network(seed=4)
    p = net.population(2, nm.SpikeSourcePoisson(rate=rate), label="p")
    a = net.population(2, nm.SpikeSourceArray(spike_times=times), label="a")
    c = net.population(2, nm.IF_curr_exp(), label="c")
    c.inject(nm.NoisyCurrentSource(**noise))
    for pre in (p, a):
        net.projection(pre, c, nm.AllToAllConnector(), nm.StaticSynapse(weight=0.5, delay=1.0))
    sim = nm.Simulator(net, dt=0.1, seed=1)
    sim.run(20.0)
    return sim


@FUZZ
@given(plausible, st.one_of(junk, st.lists(st.floats(allow_nan=True), max_size=3), st.just([0.04, 5.0]),
                            st.just([1e20]), st.lists(st.floats(0.1, 30.0), max_size=4)),
       st.dictionaries(st.sampled_from(["mean", "stdev", "dt", "start", "stop", "distribution", "stddev"]),
                       st.one_of(plausible, st.just("uniform")), max_size=3))
def test_fuzz_sources(rate, times, noise):
    outcome("sources", _sources, rate, times, noise, check=finite_state)


# -- models -------------------------------------------------------------------------------------------------

def _memories():
    from neuromem.models import (CA3Memory, ClassicalHopfield, DenseHopfield, ModernHopfield,
                                 NearestNeighbourMemory, SegmentMemory, SparseyMemory)
    return {"ClassicalHopfield": lambda: ClassicalHopfield(12), "DenseHopfield": lambda: DenseHopfield(12),
            "ModernHopfield": lambda: ModernHopfield(n=12), "NearestNeighbourMemory": lambda: NearestNeighbourMemory(12),
            "CA3Memory": lambda: CA3Memory(4, 12), "SparseyMemory": lambda: SparseyMemory(12, Q=4, K=4),
            "SegmentMemory": lambda: SegmentMemory(12, s=3, theta=2)}


def _rows(values, k):
    return st.lists(st.lists(st.sampled_from(values), min_size=12, max_size=12), min_size=k, max_size=k)


ALPHABETS = {"bipolar": [1.0, -1.0], "binary": [0.0, 1.0], "real": [1.0, -1.0, 0.3]}
junk_arrays = st.one_of(st.integers(1, 5).flatmap(lambda k: _rows([0.0, 1.0, -1.0, 0.5, np.nan, 2.0], k)),
                        st.lists(st.sampled_from([0.0, 1.0, -1.0]), min_size=1, max_size=14), junk)


def memory_case():
    """A memory, patterns and a cue: mostly in the memory's alphabet, often not."""
    def build(name):
        values = ALPHABETS[_memories()[name]().alphabet]
        good_patterns = st.integers(1, 4).flatmap(lambda k: _rows(values, k))
        good_cue = st.lists(st.sampled_from(values + [0.0]), min_size=12, max_size=12)
        return st.tuples(st.just(name), st.one_of(good_patterns, good_patterns, junk_arrays),
                         st.one_of(good_cue, good_cue, junk_arrays))
    return st.sampled_from(sorted(_memories())).flatmap(build)


def _store_recall(name, patterns, cue):
    mem = _memories()[name]()
    mem.store(patterns)
    res = mem.recall(cue)
    score = mem.recognize(cue)
    return res, score


def _good_recall(out):
    res, score = out
    return np.isfinite(np.asarray(res.state, dtype=float)).all() and np.isfinite(score)


@FUZZ
@given(memory_case())
def test_fuzz_memories(case):
    name, patterns, cue = case
    outcome("memories: store, recall, recognize", _store_recall, name, patterns, cue, check=_good_recall)


def _construct(name, kwargs):
    from neuromem import models as M
    cls = getattr(M, name)
    return cls(**kwargs)


@FUZZ
@given(st.sampled_from(["ClassicalHopfield", "DenseHopfield", "ModernHopfield", "SparseyMemory", "SegmentMemory",
                        "TemporalMemory", "CA3Memory", "ReservoirMemory", "HLOPMemory", "ActiveDendritesNetwork"]),
       st.dictionaries(st.sampled_from(["n", "degree", "energy", "beta", "Q", "K", "s", "theta", "columns",
                                        "cues", "bits", "learning", "inputs", "outputs", "hidden", "n_exc",
                                        "degre", "colums"]), st.one_of(number, junk), max_size=3))
def test_fuzz_model_constructors(name, kwargs):
    outcome("model constructors", _construct, name, kwargs)


def _readouts(x, target, gate):
    from neuromem.models.reservoir import ForceReadout, ThreeFactorReadout
    f = ForceReadout(3, 1)
    f.update(x, target)
    t = ThreeFactorReadout(3, 1)
    y = t.trial(np.atleast_2d(x), np.atleast_2d(target), gate=gate)
    return np.concatenate([f.w.ravel(), np.ravel(y)])


@FUZZ
@given(st.one_of(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=3, max_size=3), junk),
       st.one_of(st.lists(st.floats(allow_nan=True), min_size=1, max_size=1), junk), st.one_of(number, junk))
def test_fuzz_readouts(x, target, gate):
    outcome("readouts", _readouts, x, target, gate, check=lambda a: np.isfinite(a).all())


# -- files --------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    from neuromem.models import ClassicalHopfield
    d = tmp_path_factory.mktemp("saved")
    m = ClassicalHopfield(16)
    m.store(np.where(np.random.default_rng(1).random((3, 16)) < 0.5, 1.0, -1.0))
    path = save_memory(m, d / "memory.npz")
    net = nm.Network(seed=1)
    a = net.population(2, nm.IF_curr_exp(), label="a")
    net.projection(a, a, nm.AllToAllConnector(), nm.StaticSynapse(weight=0.2, delay=1.0))
    return path, save_network(net, d / "network.npz"), d


def _mutated(raw, edits):
    data = bytearray(raw)
    for pos, byte in edits:
        data[pos % len(data)] = byte
    return bytes(data)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6),
       st.sampled_from(["memory", "network"]))
def test_fuzz_saved_files_byte_edits(saved, edits, which):
    path = saved[0] if which == "memory" else saved[1]
    bad = saved[2] / f"edited-{which}.npz"
    bad.write_bytes(_mutated(path.read_bytes(), edits))
    outcome("saved files: byte edits", load_memory if which == "memory" else load_network, bad)


def _rewrite_header(path, out, change):
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    header = np.load(_io.BytesIO(members["__meta__.npy"]))
    meta = json.loads(header.tobytes())
    change(meta)
    buf = _io.BytesIO()
    np.save(buf, np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
    members["__meta__.npy"] = buf.getvalue()
    with zipfile.ZipFile(out, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)
    return out


HEADER_EDITS = {
    "learning storkey": lambda m: m["meta"]["config"].update(learning="storkey"),
    "version -1": lambda m: m.update(version=-1), "version 0": lambda m: m.update(version=0),
    "version true": lambda m: m.update(version=True), "version 99": lambda m: m.update(version=99),
    "digest removed": lambda m: m["digests"].pop(next(iter(m["digests"]))),
    "class os.system": lambda m: m["meta"].update({"class": "system"}),
}


@pytest.mark.parametrize("edit", sorted(HEADER_EDITS))
def test_edited_headers_never_load(saved, edit):
    bad = _rewrite_header(saved[0], saved[2] / "header.npz", HEADER_EDITS[edit])
    with pytest.raises(nm.FileFormatError):
        load_memory(bad)
    outcome("saved files: header edits", load_memory, bad)


def test_malformed_files(saved, tmp_path):
    d = tmp_path
    np.save(d / "plain.npy", np.arange(3))
    big = _io.BytesIO()
    np.lib.format.write_array_header_1_0(big, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)})
    with zipfile.ZipFile(d / "huge.npz", "w") as z:
        z.writestr("x.npy", b"\x93NUMPY" + big.getvalue()[6:] + b"\x00" * 64)
    with zipfile.ZipFile(saved[0]) as z:
        members = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(d / "method.npz", "w") as z:
        for n, b in members.items():
            z.writestr(n, b, compress_type=zipfile.ZIP_DEFLATED)
    raw = bytes((d / "method.npz").read_bytes())
    local, central = raw.find(b"PK\x03\x04"), raw.find(b"PK\x01\x02")
    method = bytearray(raw)      # compression method 99 (AES), in the local and the central header
    method[local + 8:local + 10] = method[central + 10:central + 12] = (99).to_bytes(2, "little")
    (d / "method99.npz").write_bytes(bytes(method))
    encrypted = bytearray(raw)   # the "encrypted" flag bit
    encrypted[local + 6] |= 1
    encrypted[central + 8] |= 1
    (d / "encrypted.npz").write_bytes(bytes(encrypted))
    (d / "empty.npz").write_bytes(b"")
    (d / "text.npz").write_text("not a zip")
    for name in ("plain.npy", "huge.npz", "method99.npz", "encrypted.npz", "empty.npz", "text.npz"):
        with pytest.raises(nm.FileFormatError):
            load_memory(d / name)
        outcome("saved files: malformed", load_memory, d / name)


# -- specs, profiles, export --------------------------------------------------------------------------------

toml_value = st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                       st.text(max_size=5), st.booleans(), st.lists(st.integers(0, 5), max_size=3))


def _spec_text(sections):
    lines = []
    for name, table in sections.items():
        if not isinstance(table, dict):
            lines.append(f"{name} = {json.dumps(table)}")
    for name, table in sections.items():
        if isinstance(table, dict):
            lines.append(f"[{name}]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


@FUZZ
@given(st.fixed_dictionaries({"model": st.fixed_dictionaries({"name": st.just("x"),
                                                              "study": st.sampled_from(["izhikevich2003",
                                                                                         "ca3_operations",
                                                                                         "izhikevich2030"])})},
                             optional={"parameters": st.dictionaries(st.sampled_from(
                                 ["n_exc", "cues", "bits", "preset", "n_ops", "seed", "n_exx"]), toml_value, max_size=3),
                                 "run": st.one_of(st.dictionaries(st.sampled_from(["dt", "duration", "seed", "x"]),
                                                                  toml_value, max_size=2), st.integers()),
                                 "reference": st.dictionaries(st.text(min_size=1, max_size=3), toml_value,
                                                              max_size=2)}))
def test_fuzz_spec_files(tmp_path_factory, sections):
    from neuromem import spec
    path = tmp_path_factory.mktemp("specs") / "s.toml"
    path.write_text(_spec_text(sections))
    outcome("spec files", spec.load, path)


@FUZZ
@given(st.binary(max_size=64))
def test_fuzz_spec_bytes(tmp_path_factory, raw):
    from neuromem import spec
    path = tmp_path_factory.mktemp("specs") / "b.toml"
    path.write_bytes(raw)
    outcome("spec files: raw bytes", spec.load, path)


@FUZZ
@given(st.sampled_from(["board", "neurons", "synapses", "timing"]),
       st.sampled_from(["cores_per_chip", "neurons_per_core", "max_row_length", "timestep_ms", "cell_types",
                        "weight_bits", "sdram_per_chip_bytes"]), toml_value | st.just(10**30))
def test_fuzz_hardware_profiles(tmp_path_factory, section, field, value):
    import tomllib

    from neuromem.hardware import check, estimate, load_profile, profiles
    data = tomllib.loads(profiles()["spinnaker1"].read_text())
    data.setdefault(section, {})[field] = value
    path = tmp_path_factory.mktemp("profiles") / "p.toml"
    path.write_text(_spec_text(data))

    def use(p):
        prof = load_profile(p)
        net = nm.Network(seed=1)
        a = net.population(10, nm.IF_curr_exp(), label="a")
        net.projection(a, a, nm.AllToAllConnector(), nm.StaticSynapse(weight=0.1, delay=1.0))
        return estimate(net, prof), check(net, prof)
    outcome("hardware profiles", use, path)


INJECTIONS = ['"""\nprint(123)\n"""', "'''\nprint(123)\n'''", "\nprint(123)\n#", "\\'); print(123); ('",
              '{title}', "x\x00y", "\u2028print(123)"]


@pytest.mark.parametrize("text", INJECTIONS)
def test_export_carries_user_strings_as_data(tmp_path, text):
    from neuromem.backends.pynn_script import write_pynn_script
    net = nm.Network(seed=1, label=text)
    a = net.population(2, nm.SpikeSourceArray(spike_times=[2.0]), label=text + "a")
    b = net.population(2, nm.IF_curr_exp(), label=text + "b")
    net.projection(a, b, nm.AllToAllConnector(), nm.StaticSynapse(weight=1.0, delay=1.0), label=text + "p")
    b.record("spikes")
    path = outcome("export: injected strings", write_pynn_script, net, tmp_path / "s.py", sim="pyNN.nest",
                   title=text)
    tree = ast.parse(path.read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "print"]
    assert not calls, "a user string became code"


def test_export_cli_title_from_a_spec_is_data(tmp_path):
    from neuromem.cli import main
    spec_text = ('[model]\nname = "x"\nstudy = "izhikevich2003"\ntitle = "\\"\\"\\"\\nprint(123)\\n\\"\\"\\""\n'
                 '[parameters]\nn_exc = 8\nn_inh = 2\n[run]\ndt = 1.0\nduration = 10.0\n')
    (tmp_path / "s.toml").write_text(spec_text)
    assert main(["export", str(tmp_path / "s.toml"), str(tmp_path / "out.py"), "--sim", "pyNN.nest"]) == 0
    tree = ast.parse((tmp_path / "out.py").read_text())
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "print"]


@pytest.mark.slow
@DEEP
@given(cells_and_params, plausible, st.one_of(st.sampled_from([1.0, 2.0, 0.5]), plausible),
       st.sampled_from([0.1, 1.0, 0.25]), st.sampled_from([5.0, 7.5]))
def test_fuzz_deep_engine(cell, weight, delay, dt, duration):
    cls, params = cell
    outcome("deep: engine", _run_cell, cls, params, weight, delay, dt, duration, check=finite_state)


@pytest.mark.slow
@DEEP
@given(memory_case())
def test_fuzz_deep_memories(case):
    name, patterns, cue = case
    outcome("deep: memories", _store_recall, name, patterns, cue, check=_good_recall)


def _tunables():
    from neuromem.models import ClassicalHopfield, SparseyMemory
    from neuromem.models.ca3 import CA3Memory
    from neuromem.models.dendrites import ActiveDendritesNetwork, TemporalMemory
    from neuromem.models.hlop import ContinualSpikingNetwork
    from neuromem.models.reservoir import ForceReadout, ThreeFactorReadout
    from neuromem.models.sparsey import Mac
    return [
        (lambda: ClassicalHopfield(8), "temperature", -1.0, 0.5),
        (lambda: SparseyMemory(12, Q=4, K=4), "recall_threshold", 0.0, 0.5),
        (lambda: Mac(12, Q=4, K=4), "chi", float("nan"), 50.0),
        (lambda: TemporalMemory(64, 4), "permanence_increment", 1.5, 0.2),
        (lambda: ActiveDendritesNetwork(4, 2, hidden=(8,)), "epochs", 0, 2),
        (lambda: ForceReadout(3), "alpha", 0.0, 2.0),
        (lambda: ThreeFactorReadout(3), "mode", "onlin", "offline"),
        (lambda: ContinualSpikingNetwork(sizes=(4, 8, 2), subspace=((2, 2),)), "momentum", 2.0, 0.5),
    ]


def test_a_fixed_parameter_is_set_once():
    from neuromem.errors import ValidationError
    from neuromem.models.ca3 import CA3Memory
    with pytest.raises(ValidationError, match="did you mean 'paper'"):
        CA3Memory(2, 3, variant="papr")
    mem = CA3Memory(2, 3)
    with pytest.raises(ValidationError, match="variant.*fixed at construction"):
        mem.variant = "narrow"
    assert mem.variant == "paper" and mem.timing == "spinnaker"


@pytest.mark.parametrize("make, attr, bad, good", _tunables())
def test_tunable_parameters_are_checked_on_every_assignment(make, attr, bad, good):
    # descriptors declared once per class: an assignment after construction is checked like the constructor's
    from neuromem.errors import ValidationError
    obj = make()
    with pytest.raises(ValidationError, match=attr):
        setattr(obj, attr, bad)
    setattr(obj, attr, good)
    assert getattr(obj, attr) == good
