"""Save and load networks, simulator state, memories and learners: versioned ``.npz``, never pickle.

A file is a zip of ``.npy`` members: the named arrays, ``__meta__`` (a JSON header: format name,
version, kind, metadata and the SHA-256 of every array) and ``__check__`` (the SHA-256 of the
header), so truncation, corruption and edits of the header are all detected on load.  Loading
reads each member's ``.npy`` header first and refuses sizes that disagree with the file or do not
fit in memory before anything is allocated; anything malformed is a :class:`FileFormatError`.
Only the classes of an explicit allow-list are ever constructed from a file.

Every file neuromem writes (here, figures, exported scripts) goes through :func:`atomic_write`:
the content is written to an unnamed temporary file in the target directory (``O_TMPFILE``
where the system has it, so a process killed midway leaves nothing behind), then given a name
and renamed over the target, so the target is either the old file or the complete new one.
"""
from __future__ import annotations

import contextlib
import hashlib
import io as _io
import json
import os
import zipfile
from pathlib import Path

import numpy as np

from .errors import FileFormatError, NeuromemError, ValidationError

FORMAT = "neuromem"
VERSION = 2
#: members a file may hold (arrays of a large network included)
MAX_MEMBERS = 100_000


# -- writing files -------------------------------------------------------------------------------------

def _bad(message: str) -> FileFormatError:
    """A :class:`FileFormatError` that also says what a valid file is."""
    if "expected" not in message:
        message += f"; expected a file written by neuromem.io (format version {VERSION})"
    return FileFormatError(message)


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")


def _remove_stale(path: Path) -> None:
    """Remove temporary files of earlier writes to ``path`` whose process no longer runs."""
    for old in path.parent.glob(f".{path.name}.*.tmp*"):
        parts = old.name[len(path.name) + 2:].split(".")
        if parts and parts[0].isdigit() and int(parts[0]) != os.getpid():
            try:
                os.kill(int(parts[0]), 0)
            except ProcessLookupError:
                with contextlib.suppress(OSError):
                    old.unlink()
            except OSError:
                pass


def atomic_write(path, write) -> Path:
    """Write ``path`` through ``write(binary file object)``, all or nothing (see the module notes)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ValidationError(f"io.write: parameter 'path' = '{path}' is invalid; directory "
                              f"'{path.parent}' does not exist")
    _remove_stale(path)
    tmp = _temp_name(path)
    fd = None
    if hasattr(os, "O_TMPFILE"):
        with contextlib.suppress(OSError):
            fd = os.open(path.parent, os.O_TMPFILE | os.O_RDWR, 0o644)
    try:
        if fd is not None:
            with os.fdopen(fd, "w+b", closefd=False) as fh:
                write(fh)
                fh.flush()
                os.fsync(fh.fileno())
                try:
                    os.link(f"/proc/self/fd/{fd}", tmp)
                except OSError:          # a file system that cannot name an O_TMPFILE file: copy it
                    fh.seek(0)
                    with open(tmp, "wb") as out:
                        while chunk := fh.read(1 << 20):
                            out.write(chunk)
                        out.flush()
                        os.fsync(out.fileno())
        else:
            with open(tmp, "wb") as fh:
                write(fh)
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if fd is not None:
            os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path


@contextlib.contextmanager
def atomic_path(path):
    """For writers that need a file name: yields a temporary name in the target directory, renamed to
    ``path`` when the block ends without an error and removed otherwise."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ValidationError(f"io.write: parameter 'path' = '{path}' is invalid; directory "
                              f"'{path.parent}' does not exist")
    _remove_stale(path)
    tmp = _temp_name(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_json(path, obj) -> Path:
    """Write ``obj`` as JSON atomically."""
    text = json.dumps(obj, indent=2, default=float) + "\n"
    return atomic_write(path, lambda fh: fh.write(text.encode()))


def _digest(arr: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes() + str(arr.dtype).encode() + str(arr.shape).encode()).hexdigest()


def save_arrays(path, kind: str, arrays: dict[str, np.ndarray], meta: dict | None = None) -> Path:
    """Write ``arrays`` and ``meta`` (JSON-able) atomically to ``path`` (.npz)."""
    for name, arr in arrays.items():
        if np.asarray(arr).dtype == object:
            raise ValidationError(f"io.save: parameter '{name}' has dtype object; only numeric arrays are saved")
    arrays = {k: np.asarray(v) for k, v in arrays.items()}
    header = json.dumps({"format": FORMAT, "version": VERSION, "kind": kind, "meta": meta or {},
                         "digests": {k: _digest(v) for k, v in arrays.items()}}).encode()
    check = hashlib.sha256(header).hexdigest().encode()
    members = {"__meta__": np.frombuffer(header, dtype=np.uint8), "__check__": np.frombuffer(check, dtype=np.uint8),
               **arrays}
    return atomic_write(path, lambda fh: np.savez(fh, **members))


def _read_member(zf, info, path, budget):
    """One ``.npy`` member, its header checked against the member's size and the memory budget first."""
    where = f"io.load: '{path}' member '{info.filename}'"
    if info.flag_bits & 0x1:
        raise _bad(f"{where} is encrypted; neuromem files are not")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _bad(f"{where} uses compression method {info.compress_type}; neuromem files are "
                              "stored or deflated")
    with zf.open(info) as fh:
        version = np.lib.format.read_magic(fh)
        if version not in ((1, 0), (2, 0), (3, 0)):
            raise _bad(f"{where} has .npy version {version}")
        read_header = {(1, 0): np.lib.format.read_array_header_1_0}.get(version, np.lib.format.read_array_header_2_0)
        shape, fortran, dtype = read_header(fh)
        if dtype.hasobject:
            raise _bad(f"{where} holds Python objects; neuromem files hold numbers only (no pickle)")
        count = int(np.prod(shape, dtype=object))
        nbytes = count * dtype.itemsize
        if nbytes != info.file_size - fh.tell():
            raise _bad(f"{where} claims {count} elements of {dtype} ({nbytes} bytes) but holds "
                                  f"{info.file_size - fh.tell()} bytes")
        if nbytes > budget:
            raise _bad(f"{where} needs {nbytes} bytes, more than this machine's memory")
        raw = fh.read(nbytes)
    arr = np.frombuffer(raw, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return arr.copy()


def load_arrays(path, kind: str | None = None) -> tuple[dict[str, np.ndarray], dict]:
    """Read a file written by :func:`save_arrays`; checks format, version, kind, the header's checksum and
    every array's; a malformed file of any kind is a :class:`FileFormatError`."""
    from .params import memory_limit
    path = Path(path)
    if not path.is_file():
        raise _bad(f"io.load: parameter 'path' = '{path}' is invalid; no such file")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise _bad(f"io.load: '{path}' has {len(infos)} members; neuromem files have at most "
                                      f"{MAX_MEMBERS}")
            budget = memory_limit()
            data = {}
            for info in infos:
                if not info.filename.endswith(".npy"):
                    raise _bad(f"io.load: '{path}' member '{info.filename}' is not a .npy array")
                data[info.filename[:-4]] = _read_member(zf, info, path, budget)
                budget -= data[info.filename[:-4]].nbytes
    except NeuromemError:
        raise
    except Exception as exc:  # noqa: BLE001 - zip, zlib and .npy readers raise many kinds; all mean "malformed"
        raise _bad(f"io.load: '{path}' is truncated or not a neuromem file "
                              f"({type(exc).__name__}: {exc})") from None
    if "__meta__" not in data or "__check__" not in data:
        raise _bad(f"io.load: '{path}' has no neuromem header and checksum; not a neuromem file "
                              f"(or one written before version {VERSION}: save it again)")
    raw = data.pop("__meta__").tobytes()
    if hashlib.sha256(raw).hexdigest().encode() != data.pop("__check__").tobytes():
        raise _bad(f"io.load: '{path}' has a header that does not match its checksum: it was edited "
                              "or corrupted")
    try:
        header = json.loads(raw.decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(f"io.load: '{path}' has a corrupted header") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _bad(f"io.load: '{path}' is not of format {FORMAT!r}")
    version = header.get("version")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise _bad(f"io.load: '{path}' has version {version!r}; this neuromem reads version {VERSION}"
                              + (": upgrade neuromem" if type(version) is int and version > VERSION else ""))
    if kind is not None and header.get("kind") != kind:
        raise _bad(f"io.load: '{path}' holds a {header.get('kind')!r}, expected a {kind!r}")
    digests = header.get("digests")
    if not isinstance(digests, dict) or set(digests) != set(data):
        raise _bad(f"io.load: '{path}' is corrupted: its arrays {sorted(data)} and their checksums "
                              f"{sorted(digests) if isinstance(digests, dict) else digests!r} do not match")
    for name, digest in digests.items():
        if _digest(data[name]) != digest:
            raise _bad(f"io.load: '{path}' is corrupted: array '{name}' does not match its checksum")
    if not isinstance(header.get("meta"), dict):
        raise _bad(f"io.load: '{path}' has no metadata")
    return data, header["meta"]


# -- networks ----------------------------------------------------------------------------------------

def save_network(network, path) -> Path:
    """Save a network's populations (type, parameters, initial state, recording) and synapses."""
    from .core.synapses import ThreeFactorSynapse
    arrays, pops, prjs = {}, [], []
    for p in network.populations:
        pops.append({"label": p.label, "size": p.size, "celltype": type(p.celltype).__name__,
                     "recorded": sorted(p.recorded)})
        if hasattr(p.celltype, "integration"):
            pops[-1]["integration"] = p.celltype.integration
        for k, v in p.values.items():
            arrays[f"pop{p.index}/param/{k}"] = v
        for k, v in p.initial.items():
            arrays[f"pop{p.index}/init/{k}"] = v
        for k, v in p.recorded.items():
            arrays[f"pop{p.index}/rec/{k}"] = v
        if getattr(p, "spike_times", None) is not None:
            arrays[f"pop{p.index}/spike_counts"] = np.array([len(t) for t in p.spike_times])
            arrays[f"pop{p.index}/spike_times"] = np.concatenate(p.spike_times) if p.spike_times else np.zeros(0)
        if p.sources or p.poisson_inputs:
            raise ValidationError(f"io.save_network: population '{p.label}' has current sources or Poisson inputs; "
                                  "saving them is not supported yet — inject them again after loading")
    for q in network.projections:
        syn = q.synapse
        d = {"label": q.label, "pre": q.pre.index, "post": q.post.index, "receptor_type": q.receptor_type,
             "dense": q.dense, "synapse": type(syn).__name__}
        if syn.plastic:
            td, wd = syn.timing_dependence, syn.weight_dependence
            d["timing"] = {k: getattr(td, k) for k in ("tau_plus", "tau_minus", "A_plus", "A_minus")}
            d["weight_dependence"] = {"kind": type(wd).__name__, "w_min": wd.w_min, "w_max": wd.w_max}
            if isinstance(syn, ThreeFactorSynapse):
                d["three_factor"] = {k: getattr(syn, k) for k in ("tau_eligibility", "learning_rate", "baseline",
                                                                  "tau_modulator", "update_interval")}
        prjs.append(d)
        for k in ("pre_idx", "post_idx", "weight", "delay"):
            arrays[f"prj{q.index}/{k}"] = getattr(q, k)
    return save_arrays(path, "network", arrays, {"label": network.label, "seed": network.seed,
                                                  "populations": pops, "projections": prjs})


def _rebuilt(path, what, build):
    """``build()``, with anything that goes wrong on the way (a missing array, a bad value) reported as a
    malformed file."""
    try:
        return build()
    except FileFormatError:
        raise
    except (NeuromemError, KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise _bad(f"io.load_{what}: '{path}' does not describe a valid {what} "
                              f"({type(exc).__name__}: {exc})") from None


def load_network(path):
    """Rebuild a network saved by :func:`save_network` (bit-exact weights and delays).

    Only neuromem's cell types, synapse types and weight dependences (an explicit allow-list)
    are constructed from the names in the file.
    """
    data, meta = load_arrays(path, "network")
    return _rebuilt(path, "network", lambda: _network(data, meta))


def _network(data, meta):
    from . import core
    synapses = {"StaticSynapse": core.StaticSynapse, "STDPMechanism": core.STDPMechanism,
                "ThreeFactorSynapse": core.ThreeFactorSynapse}
    dependences = {"AdditiveWeightDependence": core.AdditiveWeightDependence,
                   "MultiplicativeWeightDependence": core.MultiplicativeWeightDependence,
                   "AdditivePotentiationMultiplicativeDepression": core.AdditivePotentiationMultiplicativeDepression}

    def allowed(kind, name, table):
        if not isinstance(name, str) or name not in table:
            raise _bad(f"io.load_network: {kind} {name!r} is not one neuromem builds; expected one of "
                                  f"{sorted(table)}")
        return table[name]

    net = core.Network(seed=meta["seed"], label=meta["label"])
    for i, d in enumerate(meta["populations"]):
        cls = allowed("cell type", d["celltype"], core.CELL_TYPES)
        if d["celltype"] == "SpikeSourceArray":
            counts = data[f"pop{i}/spike_counts"]
            times = np.split(data[f"pop{i}/spike_times"], np.cumsum(counts)[:-1])
            ct = cls(spike_times=[t for t in times])
        else:
            options = {"integration": d["integration"]} if "integration" in d else {}
            ct = cls(**options, **{k: data[f"pop{i}/param/{k}"] for k in cls.parameters})
        pop = net.population(d["size"], ct, label=d["label"])
        for k in pop.initial:
            pop.initial[k] = _sized(data[f"pop{i}/init/{k}"], pop.size).copy()
        for k in d["recorded"]:
            pop.record(k, data[f"pop{i}/rec/{k}"])
    for j, d in enumerate(meta["projections"]):
        pre, post = net.populations[d["pre"]], net.populations[d["post"]]
        pre_idx, post_idx = data[f"prj{j}/pre_idx"], data[f"prj{j}/post_idx"]
        w, dl = data[f"prj{j}/weight"], data[f"prj{j}/delay"]
        syn_cls = allowed("synapse type", d["synapse"], synapses)
        if syn_cls is core.StaticSynapse:
            syn = core.StaticSynapse(weight=w, delay=dl)
        else:
            td = core.SpikePairRule(**d["timing"])
            wdd = dict(d["weight_dependence"])
            wd = allowed("weight dependence", wdd.pop("kind"), dependences)(**wdd)
            if syn_cls is core.ThreeFactorSynapse:
                syn = core.ThreeFactorSynapse(td, wd, weight=w, delay=dl, **d["three_factor"])
            else:
                syn = core.STDPMechanism(td, wd, weight=w, delay=dl)
        prj = net.projection(pre, post, core.FromListConnector(np.column_stack((pre_idx, post_idx))), syn,
                             receptor_type=d["receptor_type"], label=d["label"])
        prj.weight[:] = w
        prj.delay[:] = dl
        prj.dense = bool(d["dense"])
    return net


def _sized(arr, n):
    if arr.shape != (n,):
        raise _bad(f"io.load_network: an array of shape {arr.shape} where ({n},) belongs")
    return arr


# -- simulator state ---------------------------------------------------------------------------------

def save_simulator(sim, path) -> Path:
    """Save a simulator's dynamic state (:meth:`Simulator.state_dict`: time, neurons, ring buffers,
    weights, traces, RNG position)."""
    arrays, meta = sim.state_dict()
    return save_arrays(path, "simulator", {f"state/{k}": v for k, v in arrays.items()}, meta)


def load_simulator(sim, path) -> None:
    """Restore into ``sim`` (built on the same network and dt) a state saved by :func:`save_simulator`."""
    data, meta = load_arrays(path, "simulator")
    _rebuilt(path, "simulator", lambda: sim.load_state_dict({k[len("state/"):]: v for k, v in data.items()}, meta))


# -- memories ---------------------------------------------------------------------------------------

def save_memory(memory, path) -> Path:
    """Save a registered memory's or learner's state (``memory.state_dict()``: arrays and JSON-able config)."""
    from .models import LEARNERS, MEMORIES
    name = type(memory).__name__
    if name not in MEMORIES and name not in LEARNERS:
        raise ValidationError(f"io.save_memory: parameter 'memory' = {name} is invalid; expected a registered "
                              f"memory or learner: {MEMORIES.names() + LEARNERS.names()}")
    arrays, config = memory.state_dict()
    return save_arrays(path, "memory", arrays, {"class": type(memory).__name__, "config": config})


def load_memory(path, registry=None):
    """Rebuild a memory or learner saved by :func:`save_memory`.

    Only classes registered in :data:`neuromem.models.MEMORIES` or :data:`~neuromem.models.LEARNERS`
    (or named in ``registry``, class name -> class) are constructed.
    """
    from .models import LEARNERS, MEMORIES
    data, meta = load_arrays(path, "memory")
    if registry is None:
        registry = {name: (MEMORIES if name in MEMORIES else LEARNERS)[name]
                    for name in MEMORIES.names() + LEARNERS.names()}
    if not isinstance(meta.get("class"), str) or meta["class"] not in registry:
        raise _bad(f"io.load_memory: '{path}' holds a {meta['class']!r}; known memories: "
                              f"{sorted(registry)}")
    cls = registry[meta["class"]]
    return _rebuilt(path, "memory", lambda: cls.from_state_dict(data, meta["config"]))
