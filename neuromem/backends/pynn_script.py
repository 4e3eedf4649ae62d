"""Write a network as a standalone PyNN script that runs without neuromem.

``write_pynn_script(network, path, sim="pyNN.spiNNaker", dt=1.0, duration=...)``
writes ``path`` (a readable script) and ``path`` with suffix ``.npz`` (the
connection lists, weights, delays and spike times the script loads with NumPy;
no pickle).  Both are written to temporary names and renamed.  The script
applies the same backend rules as :func:`neuromem.backends.pynn.to_pynn`
(sign of inhibitory weights, Izhikevich weight scale, on-grid NEST spikes) and
saves every recorded population's spikes to ``<script>_spikes.npz``.
"""
from __future__ import annotations

import types
from pathlib import Path

import numpy as np

from ..core.cells import SpikeSourceArray
from ..core.sources import DCSource
from .._checks import check_scalar
from ..errors import ExportError
from ..io import atomic_write
from . import translation as T
from .pynn import BACKENDS, check_exportable

_TEMPLATE = '''"""A standalone PyNN script written by neuromem (TITLE and NETWORK below say of what).

Runs with PyNN alone: ``python`` this file; on NEST built with MPI also ``mpirun -np 4 python``
this file.  Connection lists, weights, delays and input spike times are in the ``.npz`` file of
the same name (NumPy arrays).  Spikes of the recorded populations are saved to ``<name>_spikes.npz``.
"""
import numpy as np
import {sim} as sim

TITLE = {title!r}
NETWORK = {summary!r}
DATA = np.load(__file__.rsplit(".", 1)[0] + ".npz")
DT = {dt!r}
DURATION = {duration!r}

sim.setup(timestep=DT, min_delay={min_delay!r}{setup_extra})

populations = {{}}
{populations}
projections = {{}}
{projections}
sim.run(DURATION)
spikes = {{}}
for label, pop in populations.items():
    if label in {recorded!r}:
        trains = pop.get_data("spikes").segments[0].spiketrains
        spikes[label + "/times"] = np.concatenate([np.asarray(t.magnitude, float) for t in trains] or [[]])
        spikes[label + "/ids"] = np.concatenate([np.full(len(t), i) for i, t in enumerate(trains)] or [[]])
if sim.rank() == 0:  # under MPI (mpirun -np N python this_script.py) every rank gathers; one writes
    np.savez(__file__.rsplit(".", 1)[0] + "_spikes.npz", **spikes)
sim.end()
'''


def _cell_code(pop, key):
    name = type(pop.celltype).__name__
    if isinstance(pop.celltype, SpikeSourceArray):
        # plain lists: pyNN.spiNNaker does not export Sequence
        return (f'sim.SpikeSourceArray(spike_times=[t.tolist() for t in '
                f'np.split(DATA["{key}/times"], DATA["{key}/cuts"])])')
    params = []
    for k, v in pop.values.items():
        params.append(f"{k}={float(v[0])!r}" if np.ptp(v) == 0 else f'{k}=DATA["{key}/{k}"]')
    return f"sim.{name}({', '.join(params)})"


def write_pynn_script(network, path, sim="pyNN.spiNNaker", dt=1.0, duration=1000.0, title=None) -> Path:
    """Write ``network`` as a standalone PyNN script for backend ``sim`` (a module name)."""
    if sim not in BACKENDS:
        raise ExportError(f"write_pynn_script: parameter 'sim' = {sim!r} is invalid; expected one of {list(BACKENDS)}")
    check_exportable(network, types.SimpleNamespace(__name__=sim))
    dt = check_scalar("write_pynn_script", "dt", dt, low=0.0, low_open=True)
    duration = check_scalar("write_pynn_script", "duration", duration, low=0.0)
    if title is not None and not isinstance(title, str):
        raise ExportError(f"write_pynn_script: parameter 'title' = {title!r} is invalid; expected a string")
    path = Path(path)
    if path.suffix != ".py":
        raise ExportError(f"write_pynn_script: parameter 'path' = '{path}' is invalid; expected a .py file name")
    data, pop_lines, prj_lines = {}, [], []
    for i, pop in enumerate(network.populations):
        key = f"pop{i}"
        if isinstance(pop.celltype, SpikeSourceArray):
            times = [np.rint(np.asarray(t) / dt) * dt for t in pop.spike_times]
            data[f"{key}/times"] = np.concatenate(times) if times else np.zeros(0)
            data[f"{key}/cuts"] = np.cumsum([t.size for t in times])[:-1]
        for k, v in pop.values.items():
            if np.ptp(v) != 0:
                data[f"{key}/{k}"] = v
        pop_lines.append(f'populations[{pop.label!r}] = sim.Population({pop.size}, {_cell_code(pop, key)}, '
                         f'label={pop.label!r})')
        init = {k: v for k, v in pop.initial.items() if k in ("v", "u")}
        for k, v in init.items():
            if np.ptp(v) == 0:
                pop_lines.append(f'populations[{pop.label!r}].initialize({k}={float(v[0])!r})')
            else:
                data[f"{key}/init_{k}"] = v
                pop_lines.append(f'populations[{pop.label!r}].initialize({k}=DATA["{key}/init_{k}"])')
        fixed = T.cell(sim, pop) if type(pop.celltype).__name__ in T.CELLS[sim] else None
        if fixed is not None and fixed.fixed:
            settings = ", ".join(f"{k}={v!r}" for k, v in fixed.fixed.items())
            pop_lines.append(f'populations[{pop.label!r}].node_collection.set({settings})')
        if "spikes" in pop.recorded and not pop.celltype.is_source:
            pop_lines.append(f'populations[{pop.label!r}].record("spikes")')
        for src in pop.sources:
            stop = "" if src.stop is None else f", stop={src.stop!r}"
            if isinstance(src, DCSource):
                code = f"sim.DCSource(amplitude={src.amplitude!r}, start={src.start!r}{stop})"
            else:  # Gaussian (check_exportable refused the others)
                code = (f"sim.NoisyCurrentSource(mean={src.mean!r}, stdev={src.stdev!r}, dt={src.dt or dt!r}, "
                        f"start={src.start!r}{stop})")
            pop_lines.append(f'populations[{pop.label!r}].inject({code})')
    n_syn = 0
    for j, prj in enumerate(network.projections):
        key = f"prj{j}"
        scale = T.weight_scale(sim, prj.post.celltype)
        data[f"{key}/conn"] = np.column_stack((prj.pre_idx, prj.post_idx, T.weights(sim, prj),
                                               np.maximum(np.rint(prj.delay / dt), 1) * dt))
        n_syn += len(prj)
        if prj.synapse.plastic:
            td, wd = prj.synapse.timing_dependence, prj.synapse.weight_dependence
            dep = type(wd).__name__                           # PyNN's weight dependence of the same name
            syn = (f"sim.STDPMechanism(timing_dependence=sim.SpikePairRule(tau_plus={td.tau_plus!r}, "
                   f"tau_minus={td.tau_minus!r}, A_plus={td.A_plus!r}, A_minus={td.A_minus!r}), "
                   f"weight_dependence=sim.{dep}(w_min={scale * wd.w_min!r}, "
                   f"w_max={scale * wd.w_max!r}), dendritic_delay_fraction=1.0)")
        else:
            syn = "sim.StaticSynapse()"
        prj_lines.append(
            f'projections[{prj.label!r}] = sim.Projection(populations[{prj.pre.label!r}], '
            f'populations[{prj.post.label!r}],\n    sim.FromListConnector(DATA["{key}/conn"].tolist(), '
            f'column_names=["weight", "delay"]),\n    {syn}, receptor_type={prj.receptor_type!r}, '
            f'label={prj.label!r})')
    recorded = [p.label for p in network.populations if "spikes" in p.recorded and not p.celltype.is_source]
    # user strings (title, labels) reach the script only as repr() literals: data, never code
    summary = (f"{network.label!r}: {len(network.populations)} populations, {len(network.projections)} "
               f"projections, {n_syn} synapses")
    text = _TEMPLATE.format(
        title=str(title or f"{network.label}: exported from neuromem"), summary=summary, sim=sim, dt=dt,
        duration=duration,
        min_delay=dt, setup_extra=', spike_precision="on_grid"' if sim == "pyNN.nest" else "",
        populations="\n".join(pop_lines), projections="\n".join(prj_lines), recorded=recorded)
    atomic_write(path.with_suffix(".npz"), lambda fh: np.savez(fh, **data))
    atomic_write(path, lambda fh: fh.write(text.encode()))
    return path
