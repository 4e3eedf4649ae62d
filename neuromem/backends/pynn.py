"""Export a neuromem :class:`~neuromem.core.network.Network` to any PyNN backend.

``to_pynn(network, sim)`` builds the same populations, connections, delays,
receptor types, spike sources, current sources, pair-STDP synapses and
recordings in a PyNN module (``pyNN.nest``, ``pyNN.brian2``, ``pyNN.spiNNaker``)
on which ``sim.setup`` has been called; ``run_pynn(network, sim, duration)``
does the setup, runs, and returns neuromem :class:`~neuromem.core.recording.Recording`
objects, so every protocol reads either engine's output the same way.

Known differences between the backends, each handled here explicitly:

* **inhibitory weights**: neuromem (like PyNN's standard) takes positive
  weights with the sign in ``receptor_type``; pyNN.nest and pyNN.brian2 want
  current-based inhibitory weights negative, sPyNNaker positive;
* **spike sources**: pyNN.nest emits a ``SpikeSourceArray`` spike one
  ``min_delay`` early inside NEST and refuses times at or before ``min_delay``,
  so such times are refused here with the reason (neuromem emits a spike at
  ``t`` on the step that ends at ``t``, as NEST does);
* **Izhikevich**: neuromem's weights onto Izhikevich cells are the paper's
  current jumps (the ``I += S`` of Izhikevich 2003); pyNN.nest hands weights
  to NEST's ``izhikevich`` unscaled, where they are the same jumps, so they
  pass as they are (other backends: divided by 1000, PyNN's nA);
* **spike precision**: pyNN.nest defaults to off-grid (precise) spiking;
  :func:`run_pynn` asks for ``spike_precision="on_grid"``, NEST's grid models,
  which neuromem matches spike for spike;
* **Izhikevich on NEST**: NEST's ``izhikevich`` integrates consistently by
  default; the export switches to the paper's scheme (``consistent_integration
  = False``), which neuromem uses;
* **initial values** go through ``Population.initialize`` (PyNN 0.13);
* **plasticity**: pair STDP with additive or multiplicative weights exports;
  the three-factor rule has no PyNN equivalent and raises :class:`ExportError`;
  pyNN.brian2 needs ``dendritic_delay_fraction=0`` for STDP and is refused for
  plastic projections (its delays would then differ from neuromem's);
* **timing**: a network built for ``Simulator(timing="spinnaker")`` runs on
  NEST and Brian2 in their own update order (a hop takes its delay plus one
  step), so circuits tuned to sPyNNaker's timing may compute differently there.
"""
from __future__ import annotations

import numpy as np

from ..core.cells import IF_curr_exp, Izhikevich, SpikeSourceArray, SpikeSourcePoisson
from ..core.recording import Recording
from ..core.sources import DCSource, NoisyCurrentSource
from ..core.synapses import ThreeFactorSynapse
from ..errors import ExportError
from . import translation as T

BACKENDS = ("pyNN.nest", "pyNN.brian2", "pyNN.spiNNaker")


def backend_name(sim) -> str:
    """The PyNN backend module's name, checked against :data:`BACKENDS`."""
    name = getattr(sim, "__name__", repr(sim))
    if name not in BACKENDS:
        raise ExportError(f"to_pynn: parameter 'sim' = {name!r} is invalid; expected a PyNN backend module, "
                          f"one of {list(BACKENDS)}")
    return name


def check_exportable(network, sim) -> None:
    """Raise :class:`ExportError` for every feature ``sim`` cannot represent, before anything is built."""
    name = backend_name(sim)
    problems = []
    for prj in network.projections:
        if isinstance(prj.synapse, ThreeFactorSynapse):
            problems.append(f"projection '{prj.label}' uses the three-factor rule, which PyNN cannot express")
        elif prj.synapse.plastic and name == "pyNN.brian2":
            problems.append(f"projection '{prj.label}' is plastic: pyNN.brian2 needs dendritic_delay_fraction=0, "
                            "neuromem's STDP takes the delay as dendritic (1)")
    for pop in network.populations:
        if pop.poisson_inputs:
            problems.append(f"population '{pop.label}' has a PoissonInput; PyNN has none (a SpikeSourcePoisson "
                            "population per input train does the same)")
        for src in pop.sources:
            if isinstance(src, NoisyCurrentSource) and src.distribution != "normal":
                problems.append(f"population '{pop.label}' has {src.distribution} noise; PyNN's "
                                "NoisyCurrentSource is Gaussian")
    if problems:
        raise ExportError("to_pynn: cannot export to " + name + ": " + "; ".join(problems))


def _cell(sim, pop):
    v = pop.values
    uniform = {k: float(a[0]) if np.ptp(a) == 0 else a for k, a in v.items()}
    if isinstance(pop.celltype, IF_curr_exp):
        return sim.IF_curr_exp(**uniform)
    if isinstance(pop.celltype, Izhikevich):
        return sim.Izhikevich(**uniform)  # i_offset in nA in both
    if isinstance(pop.celltype, SpikeSourceArray):
        return sim.SpikeSourceArray(spike_times=[np.asarray(t).tolist() for t in pop.spike_times])
    if isinstance(pop.celltype, SpikeSourcePoisson):
        return sim.SpikeSourcePoisson(**uniform)
    raise ExportError(f"to_pynn: population '{pop.label}': cell type {type(pop.celltype).__name__} has no "
                      "PyNN equivalent here")


def _connector(sim, prj, weights, delays):
    """The cheapest PyNN connector that reproduces this projection's synapses exactly."""
    same_w = np.ptp(weights) == 0 if weights.size else True
    same_d = np.ptp(delays) == 0 if delays.size else True
    pre_idx = prj.pre_idx
    if same_w and same_d:
        if len(prj) == prj.pre.size * prj.post.size:
            return sim.AllToAllConnector(), weights[:1], delays[:1]
        if prj.pre.size == prj.post.size and np.array_equal(pre_idx, prj.post_idx) and len(prj) == prj.pre.size:
            return sim.OneToOneConnector(), weights[:1], delays[:1]
        mask = np.zeros((prj.pre.size, prj.post.size), dtype=bool)
        mask[pre_idx, prj.post_idx] = True
        return sim.ArrayConnector(mask), weights[:1], delays[:1]
    rows = np.column_stack((pre_idx, prj.post_idx, weights, delays))
    return sim.FromListConnector([tuple(r) for r in rows], column_names=["weight", "delay"]), None, None


def to_pynn(network, sim) -> dict:
    """Build ``network`` in the PyNN module ``sim`` (``sim.setup`` already called).

    Returns ``{"populations": {label: Population}, "projections": {label: Projection}}``.
    Nothing is built if any feature cannot be exported (:func:`check_exportable`).
    """
    check_exportable(network, sim)
    name = backend_name(sim)
    min_delay = sim.get_min_delay()
    for pop in network.populations:
        if isinstance(pop.celltype, SpikeSourceArray) and name == "pyNN.nest":
            early = [t[t <= min_delay] for t in pop.spike_times if t.size and t.min() <= min_delay]
            if early:
                raise ExportError(f"to_pynn: population '{pop.label}' has spikes at {early[0][:3].tolist()} ms; "
                                  f"pyNN.nest refuses input spikes at or before min_delay = {min_delay} ms")
    pops, prjs = {}, {}
    for pop in network.populations:
        p = sim.Population(pop.size, _cell(sim, pop), label=pop.label)
        if isinstance(pop.celltype, (IF_curr_exp, Izhikevich)) and T.cell(name, pop).fixed:
            # settings of the target's own model (pyNN.nest: the paper's two half steps for v)
            p.node_collection.set(**T.cell(name, pop).fixed)
        init = {k: (float(v[0]) if np.ptp(v) == 0 else v) for k, v in pop.initial.items()
                if k in ("v", "u")}
        if init:
            p.initialize(**init)
        for src in pop.sources:
            if isinstance(src, DCSource):
                cs = sim.DCSource(amplitude=src.amplitude, start=src.start,
                                  **({} if src.stop is None else {"stop": src.stop}))
            else:
                cs = sim.NoisyCurrentSource(mean=src.mean, stdev=src.stdev, dt=src.dt or sim.get_time_step(),
                                            start=src.start, **({} if src.stop is None else {"stop": src.stop}))
            p.inject(cs)
        if "spikes" in pop.recorded and not pop.celltype.is_source:
            p.record("spikes")
        pops[pop.label] = p
    for prj in network.projections:
        scale = T.weight_scale(name, prj.post.celltype)
        # delays on the time grid as neuromem rounds them (nearest step), not as each backend would
        dt = sim.get_time_step()
        weights, delays = T.weights(name, prj), np.maximum(np.rint(prj.delay / dt), 1) * dt
        connector, w, d = _connector(sim, prj, weights, delays)
        kw = {} if w is None else {"weight": float(w[0]) if w.size else 0.0, "delay": float(d[0]) if d.size else
                                   min_delay}
        if prj.synapse.plastic:
            td, wd = prj.synapse.timing_dependence, prj.synapse.weight_dependence
            dep = getattr(sim, type(wd).__name__)          # PyNN's weight dependence of the same name
            synapse = sim.STDPMechanism(
                timing_dependence=sim.SpikePairRule(tau_plus=td.tau_plus, tau_minus=td.tau_minus,
                                                    A_plus=td.A_plus, A_minus=td.A_minus),
                weight_dependence=dep(w_min=scale * wd.w_min, w_max=scale * wd.w_max),
                dendritic_delay_fraction=1.0, **kw)
        else:
            synapse = sim.StaticSynapse(**kw)
        prjs[prj.label] = sim.Projection(pops[prj.pre.label], pops[prj.post.label], connector, synapse,
                                         receptor_type=prj.receptor_type, label=prj.label)
    return {"populations": pops, "projections": prjs}


def recording_of(ppop, pop, duration, dt) -> Recording:
    """A PyNN population's recorded spikes as a neuromem :class:`Recording`."""
    trains = ppop.get_data("spikes").segments[0].spiketrains
    times = np.concatenate([np.asarray(st.magnitude, float) for st in trains]) if trains else np.zeros(0)
    ids = np.concatenate([np.full(len(st), i) for i, st in enumerate(trains)]).astype(np.int64) if trains else \
        np.zeros(0, np.int64)
    order = np.lexsort((ids, times))
    return Recording(pop.label, pop.size, dt, duration=duration, spike_times=times[order], spike_ids=ids[order])


def run_pynn(network, sim, duration, dt=0.1, min_delay=None, **setup) -> dict:
    """Set up ``sim``, build ``network`` with :func:`to_pynn`, run ``duration`` ms and return
    ``{label: Recording}`` for every population that records spikes (then ``sim.end()``)."""
    if backend_name(sim) == "pyNN.nest":
        # pyNN.nest defaults to off-grid spikes (precise models); neuromem and NEST's grid models stamp
        # spikes at the end of the step
        setup.setdefault("spike_precision", "on_grid")
    sim.setup(timestep=dt, min_delay=min_delay or dt, **setup)
    try:
        built = to_pynn(network, sim)
        sim.run(duration)
        out = {}
        for pop in network.populations:
            if "spikes" in pop.recorded and not pop.celltype.is_source:
                out[pop.label] = recording_of(built["populations"][pop.label], pop, duration, dt)
        return out
    finally:
        sim.end()
