"""Board profiles (``hardware/*.toml``): found here; resource estimates and
checks build on them."""
from __future__ import annotations

import sys
from pathlib import Path


def profile_dirs() -> list[Path]:
    """Where board profiles are looked up: the source checkout, then the installed data."""
    here = Path(__file__).resolve().parent.parent.parent / "hardware"
    installed = Path(sys.prefix) / "share" / "neuromem" / "hardware"
    return [d for d in (here, installed) if d.is_dir()]


def profiles() -> dict[str, Path]:
    """Profile name -> path of every board profile found."""
    out: dict[str, Path] = {}
    for d in reversed(profile_dirs()):
        for p in sorted(d.glob("*.toml")):
            out[p.stem] = p
    return out


# -- profiles --------------------------------------------------------------------------------------

import copy
import math
import tomllib
from dataclasses import dataclass

import numpy as np

from ..errors import HardwareConstraintError, ValidationError

#: every field a profile must have: section -> {field: type}
PROFILE_FIELDS = {
    "board": {"name": str, "cores_per_chip": int, "non_user_cores_per_chip": int, "chips_per_board": int,
              "small_board_chips": int, "sdram_per_chip_bytes": int},
    "neurons": {"neurons_per_core": int, "cell_types": list, "state_format": str},
    "synapses": {"max_row_length": int, "max_row_length_plastic": int, "weight_bits": int,
                 "bytes_per_static_synapse": int, "bytes_per_plastic_synapse": int, "plasticity": list},
    "timing": {"timestep_ms": float, "max_delay_steps_per_core": int, "max_delay_steps_with_extensions": int},
}


#: the largest value a profile field may hold (a real board's numbers are far below)
MAX_FIELD = 2.0 ** 40
#: fields that divide: zero is not a valid value
POSITIVE = {"cores_per_chip", "chips_per_board", "small_board_chips", "neurons_per_core", "timestep_ms",
            "max_row_length", "max_row_length_plastic", "weight_bits", "max_delay_steps_per_core"}


def load_profile(name_or_path) -> dict:
    """A board profile by name (``spinnaker1``) or path, with every field checked."""
    found = profiles()
    path = Path(name_or_path)
    if not path.suffix:
        if str(name_or_path) not in found:
            raise ValidationError(f"hardware.load_profile: parameter 'name' = {str(name_or_path)!r} is invalid; "
                                  f"known profiles: {sorted(found)}")
        path = found[str(name_or_path)]
    if not path.is_file():
        raise ValidationError(f"hardware.load_profile: parameter 'path' = '{path}' is invalid; no such file")
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(f"hardware.load_profile: '{path}' is not valid TOML text: {exc}") from None
    for section in PROFILE_FIELDS:
        if section in data and not isinstance(data[section], dict):
            raise ValidationError(f"hardware.load_profile: '{path}' [{section}] = {data[section]!r} is invalid; "
                                  "expected a table of fields")
    for section, fields in PROFILE_FIELDS.items():
        if section not in data:
            raise ValidationError(f"hardware.load_profile: '{path}' has no [{section}] section; expected "
                                  f"sections {sorted(PROFILE_FIELDS)}")
        for field, kind in fields.items():
            if field not in data[section]:
                raise ValidationError(f"hardware.load_profile: '{path}' [{section}] has no field '{field}'")
            value = data[section][field]
            ok = isinstance(value, kind) or (kind is float and isinstance(value, int))
            number = kind in (int, float)
            if not ok or (number and (isinstance(value, bool) or not 0 <= value <= MAX_FIELD)) or \
                    (number and field in POSITIVE and value == 0):
                raise ValidationError(f"hardware.load_profile: '{path}' [{section}] {field} = {value!r} is invalid; "
                                      f"expected a {'positive' if field in POSITIVE else 'non-negative'} "
                                      f"{kind.__name__} up to {MAX_FIELD:g}")
            if kind is list and not all(isinstance(v, str) for v in value):
                raise ValidationError(f"hardware.load_profile: '{path}' [{section}] {field} = {value!r} is invalid; "
                                      "expected a list of names")
    data["path"] = str(path)
    return data


def _post_slices(pop, per_core):
    return math.ceil(pop.size / per_core)


@dataclass
class Estimate:
    """Resources a network needs on a board profile."""

    cores: int
    chips: int
    boards: int
    synapses: int
    synaptic_bytes: int
    cores_by_population: dict


def estimate(network, profile) -> Estimate:
    """Cores (one per ``neurons_per_core`` neurons of each population, sources included), chips
    (user cores per chip), boards, and synaptic memory (bytes per static or plastic synapse)."""
    p = load_profile(profile) if not isinstance(profile, dict) else profile
    per_core = p["neurons"]["neurons_per_core"]
    by_pop = {pop.label: _post_slices(pop, per_core) for pop in network.populations}
    cores = sum(by_pop.values())
    user = p["board"]["cores_per_chip"] - p["board"]["non_user_cores_per_chip"]
    chips = math.ceil(cores / user)
    boards = math.ceil(chips / p["board"]["chips_per_board"])
    s = p["synapses"]
    n_syn = sum(len(prj) for prj in network.projections)
    mem = sum(len(prj) * (s["bytes_per_plastic_synapse"] if prj.synapse.plastic else s["bytes_per_static_synapse"])
              for prj in network.projections)
    return Estimate(cores, chips, boards, n_syn, int(mem), by_pop)


def check(network, profile, dt=None) -> list[str]:
    """Every way ``network`` breaks the profile's limits, each with what to change; empty if none."""
    p = load_profile(profile) if not isinstance(profile, dict) else profile
    out = []
    per_core = p["neurons"]["neurons_per_core"]
    for pop in network.populations:
        kind = type(pop.celltype).__name__
        if kind not in p["neurons"]["cell_types"]:
            out.append(f"population '{pop.label}': cell type {kind} is not available on {p['board']['name']} "
                       f"(available: {p['neurons']['cell_types']})")
    step = p["timing"]["timestep_ms"]
    if dt is not None and abs(dt - step) > 1e-12:
        out.append(f"time step {dt} ms: {p['board']['name']} runs at {step} ms by default; quantize() rounds "
                   "delays to it")
    for prj in network.projections:
        plastic = prj.synapse.plastic
        if plastic and type(prj.synapse).__name__ not in p["synapses"]["plasticity"]:
            out.append(f"projection '{prj.label}': {type(prj.synapse).__name__} is not supported "
                       f"(supported: {p['synapses']['plasticity']})")
        limit = p["synapses"]["max_row_length_plastic" if plastic else "max_row_length"]
        if len(prj):
            core = prj.post_idx // per_core
            rows = np.bincount(prj.pre_idx * (_post_slices(prj.post, per_core)) + core)
            longest = int(rows.max())
            if longest > limit:
                fit = max(1, per_core * limit // longest)
                out.append(f"projection '{prj.label}': a presynaptic neuron reaches {longest} targets on one core, "
                           f"over the {'STDP ' if plastic else ''}row limit of {limit}; put at most {fit} neurons "
                           f"of '{prj.post.label}' on a core (set_number_of_neurons_per_core) or split the "
                           "projection")
        steps = np.rint(prj.delay / step)
        if steps.size and steps.max() > p["timing"]["max_delay_steps_with_extensions"]:
            out.append(f"projection '{prj.label}': delays up to {prj.delay.max():g} ms exceed "
                       f"{p['timing']['max_delay_steps_with_extensions']} steps even with delay extensions")
        elif steps.size and steps.max() > p["timing"]["max_delay_steps_per_core"]:
            out.append(f"projection '{prj.label}': delays up to {prj.delay.max():g} ms need delay-extension "
                       f"cores (more than {p['timing']['max_delay_steps_per_core']} steps)")
    return out


def quantize(network, profile, in_place=False):
    """The network with the board's representation of its weights and delays, for the float engine.

    A profile emulated by neuromem (``[board] emulation = "spinnaker"``: SpiNNaker 1) is a view of
    ``Simulator(timing="spinnaker")``: each weight becomes what the emulation (and the board) reads
    back, ``w16 / scale`` with sPyNNaker's ring-buffer shifts and rounding, and each delay whole ticks.
    Other profiles: a 16-bit grid with one power-of-two step per (post population, receptor) from the
    largest weight.  Delays are rounded to whole time steps (at least one).  Returns ``(network,
    report)``; run it at the profile's time step to see recall after quantisation.  Neuron state
    stays float64 (run the network with ``timing="spinnaker"`` for the board's S16.15 arithmetic)."""
    p = load_profile(profile) if not isinstance(profile, dict) else profile
    net = network if in_place else copy.deepcopy(network)
    step = p["timing"]["timestep_ms"]
    if p["board"].get("emulation") == "spinnaker":
        return net, _quantize_emulated(net, step)
    levels = 2 ** p["synapses"]["weight_bits"] - 1
    groups = {}
    for prj in net.projections:
        groups.setdefault((prj.post.label, prj.receptor_type), []).append(prj)
    report = {"weight_step": {}, "max_weight_error": 0.0, "max_error_in_steps": 0.0, "max_delay_change_ms": 0.0}
    for key, prjs in groups.items():
        top = max([float(np.max(np.abs(prj.weight))) if len(prj) else 0.0 for prj in prjs] +
                  [prj.synapse.weight_dependence.w_max for prj in prjs if prj.synapse.plastic])
        if top == 0:
            continue
        q = 2.0 ** math.ceil(math.log2(top / levels))
        report["weight_step"][f"{key[0]}/{key[1]}"] = q
        for prj in prjs:
            new = np.rint(prj.weight / q) * q
            error = float(np.max(np.abs(new - prj.weight), initial=0.0))
            report["max_weight_error"] = max(report["max_weight_error"], error)
            report["max_error_in_steps"] = max(report["max_error_in_steps"], error / q)
            prj.weight[:] = new
            d = np.maximum(np.rint(prj.delay / step), 1) * step
            report["max_delay_change_ms"] = max(report["max_delay_change_ms"],
                                                float(np.max(np.abs(d - prj.delay), initial=0.0)))
            prj.delay[:] = d
            prj.version += 1
    report["timestep_ms"] = step
    return net, report


def _quantize_emulated(net, step) -> dict:
    """Weights and delays of ``net`` as the SpiNNaker emulation holds them (in place); the report."""
    from ..core.spinnaker import FixedNetwork
    fixed = FixedNetwork(net, step, neurons=False)
    report = {"weight_step": {}, "max_weight_error": 0.0, "max_error_in_steps": 0.0, "max_delay_change_ms": 0.0,
              "ring_buffer_shifts": fixed.report.shifts}
    for prj in net.projections:
        new = np.where(prj.weight < 0, -1.0, 1.0) * fixed.weights(prj)
        q = 1.0 / fixed.scale[prj.index]
        report["weight_step"][f"{prj.post.label}/{prj.receptor_type}"] = q
        error = float(np.max(np.abs(new - prj.weight), initial=0.0))
        report["max_weight_error"] = max(report["max_weight_error"], error)
        report["max_error_in_steps"] = max(report["max_error_in_steps"], error / q)
        d = fixed.syn_d[fixed.syn_lo[prj.index]:fixed.syn_hi[prj.index]] * step
        report["max_delay_change_ms"] = max(report["max_delay_change_ms"],
                                            float(np.max(np.abs(d - prj.delay), initial=0.0)))
        prj.weight[:] = new
        prj.delay[:] = d
        prj.version += 1
    report["timestep_ms"] = step
    return report


def require_fits(network, profile, dt=None) -> None:
    """Raise :class:`HardwareConstraintError` listing every violation of :func:`check`."""
    problems = check(network, profile, dt)
    if problems:
        raise HardwareConstraintError("; ".join(problems))
