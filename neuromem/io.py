"""Save and load networks, simulator state and memories: versioned ``.npz``, never pickle.

A file holds named arrays plus ``__meta__``, a JSON document with the format
name, version and a SHA-256 of every array, so truncation and corruption are
detected on load.  Saving writes a temporary file and renames it, so a crash
never leaves a half-written file under the target name.
"""
from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import numpy as np

from .errors import FileFormatError, ValidationError

FORMAT = "neuromem"
VERSION = 1


def write_json(path, obj) -> Path:
    """Write ``obj`` as JSON atomically (temporary name in the same directory, then rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_text(json.dumps(obj, indent=2, default=float) + "\n")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _digest(arr: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes() + str(arr.dtype).encode() + str(arr.shape).encode()).hexdigest()


def save_arrays(path, kind: str, arrays: dict[str, np.ndarray], meta: dict | None = None) -> Path:
    """Write ``arrays`` and ``meta`` (JSON-able) atomically to ``path`` (.npz)."""
    path = Path(path)
    for name, arr in arrays.items():
        if np.asarray(arr).dtype == object:
            raise ValidationError(f"io.save: parameter '{name}' has dtype object; only numeric arrays are saved")
    arrays = {k: np.asarray(v) for k, v in arrays.items()}
    header = {"format": FORMAT, "version": VERSION, "kind": kind, "meta": meta or {},
              "digests": {k: _digest(v) for k, v in arrays.items()}}
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, __meta__=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8), **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def load_arrays(path, kind: str | None = None) -> tuple[dict[str, np.ndarray], dict]:
    """Read a file written by :func:`save_arrays`; checks format, version, kind and digests."""
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(f"io.load: parameter 'path' = '{path}' is invalid; no such file")
    try:
        with np.load(path, allow_pickle=False) as z:
            data = {k: z[k] for k in z.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise FileFormatError(f"io.load: '{path}' is truncated or not a neuromem file ({exc})") from exc
    if "__meta__" not in data:
        raise FileFormatError(f"io.load: '{path}' has no neuromem header; not a neuromem file")
    try:
        header = json.loads(data.pop("__meta__").tobytes().decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileFormatError(f"io.load: '{path}' has a corrupted header") from exc
    if header.get("format") != FORMAT:
        raise FileFormatError(f"io.load: '{path}' is of format {header.get('format')!r}, expected {FORMAT!r}")
    if not isinstance(header.get("version"), int) or header["version"] > VERSION:
        raise FileFormatError(f"io.load: '{path}' has version {header.get('version')!r}; this neuromem reads "
                              f"versions up to {VERSION}: upgrade neuromem")
    if kind is not None and header.get("kind") != kind:
        raise FileFormatError(f"io.load: '{path}' holds a {header.get('kind')!r}, expected a {kind!r}")
    for name, digest in header["digests"].items():
        if name not in data or _digest(data[name]) != digest:
            raise FileFormatError(f"io.load: '{path}' is corrupted: array '{name}' does not match its checksum")
    return data, header["meta"]


# -- networks ----------------------------------------------------------------------------------------

def save_network(network, path) -> Path:
    """Save a network's populations (type, parameters, initial state, recording) and synapses."""
    from .core.synapses import ThreeFactorSynapse
    arrays, pops, prjs = {}, [], []
    for p in network.populations:
        pops.append({"label": p.label, "size": p.size, "celltype": type(p.celltype).__name__,
                     "recorded": sorted(p.recorded)})
        for k, v in p.values.items():
            arrays[f"pop{p.index}/param/{k}"] = v
        for k, v in p.initial.items():
            arrays[f"pop{p.index}/init/{k}"] = v
        for k, v in p.recorded.items():
            arrays[f"pop{p.index}/rec/{k}"] = v
        if getattr(p, "spike_times", None) is not None:
            arrays[f"pop{p.index}/spike_counts"] = np.array([len(t) for t in p.spike_times])
            arrays[f"pop{p.index}/spike_times"] = np.concatenate(p.spike_times) if p.spike_times else np.zeros(0)
        if p.sources:
            raise ValidationError(f"io.save_network: population '{p.label}' has current sources; saving them "
                                  "is not supported yet — inject them again after loading")
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


def load_network(path):
    """Rebuild a network saved by :func:`save_network` (bit-exact weights and delays)."""
    from . import core
    data, meta = load_arrays(path, "network")
    net = core.Network(seed=meta["seed"], label=meta["label"])
    for i, d in enumerate(meta["populations"]):
        cls = core.CELL_TYPES[d["celltype"]]
        if d["celltype"] == "SpikeSourceArray":
            counts = data[f"pop{i}/spike_counts"]
            times = np.split(data[f"pop{i}/spike_times"], np.cumsum(counts)[:-1])
            ct = cls(spike_times=[t for t in times])
        else:
            ct = cls(**{k: data[f"pop{i}/param/{k}"] for k in cls.parameters})
        pop = net.population(d["size"], ct, label=d["label"])
        for k in pop.initial:
            pop.initial[k] = data[f"pop{i}/init/{k}"].copy()
        for k in d["recorded"]:
            pop.recorded[k] = data[f"pop{i}/rec/{k}"].copy()
    for j, d in enumerate(meta["projections"]):
        pre, post = net.populations[d["pre"]], net.populations[d["post"]]
        pre_idx, post_idx = data[f"prj{j}/pre_idx"], data[f"prj{j}/post_idx"]
        w, dl = data[f"prj{j}/weight"], data[f"prj{j}/delay"]
        if d["synapse"] == "StaticSynapse":
            syn = core.StaticSynapse(weight=w, delay=dl)
        else:
            td = core.SpikePairRule(**d["timing"])
            wdd = dict(d["weight_dependence"])
            wd = getattr(core, wdd.pop("kind"))(**wdd)
            if "three_factor" in d:
                syn = core.ThreeFactorSynapse(td, wd, weight=w, delay=dl, **d["three_factor"])
            else:
                syn = core.STDPMechanism(td, wd, weight=w, delay=dl)
        prj = net.projection(pre, post, core.FromListConnector(np.column_stack((pre_idx, post_idx))), syn,
                             receptor_type=d["receptor_type"], label=d["label"])
        prj.weight[:] = w
        prj.delay[:] = dl
        prj.dense = d["dense"]
    return net


# -- simulator state ---------------------------------------------------------------------------------

def save_simulator(sim, path) -> Path:
    """Save a simulator's dynamic state (:meth:`Simulator.state_dict`: time, neurons, ring buffers,
    weights, traces, RNG position)."""
    arrays, meta = sim.state_dict()
    return save_arrays(path, "simulator", {f"state/{k}": v for k, v in arrays.items()}, meta)


def load_simulator(sim, path) -> None:
    """Restore into ``sim`` (built on the same network and dt) a state saved by :func:`save_simulator`."""
    data, meta = load_arrays(path, "simulator")
    try:
        sim.load_state_dict({k[len("state/"):]: v for k, v in data.items()}, meta)
    except ValidationError as exc:
        raise FileFormatError(f"io.load_simulator: '{path}' does not fit this simulator: {exc}") from None


# -- memories ---------------------------------------------------------------------------------------

def save_memory(memory, path) -> Path:
    """Save a memory's learned state (``memory.state_dict()``: arrays and JSON-able config)."""
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
    if meta["class"] not in registry:
        raise FileFormatError(f"io.load_memory: '{path}' holds a {meta['class']!r}; known memories: "
                              f"{sorted(registry)}")
    return registry[meta["class"]].from_state_dict(data, meta["config"])
