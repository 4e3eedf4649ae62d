"""Export LIF networks to the Neuromorphic Intermediate Representation (NIR) and read them back.

``to_nir(network)`` maps each ``IF_curr_exp`` population to a ``CubaLIF`` node,
each spike source to an ``Input`` node, each projection to a ``Linear`` node
(through a ``Delay`` node when its delays are not all one step), and every
recorded population to an ``Output`` node; recurrent edges are allowed.
Learned (plastic) weights are frozen at their current values.

Mapping (NIR: :math:`\\tau_{syn} \\dot I = -I + w_{in} S`, :math:`\\tau_{mem} \\dot v =
(v_{leak} - v) + R I`): ``tau_mem = tau_m``, ``r = tau_m / cm``, ``v_leak =
v_rest + r i_offset``, ``tau_syn`` the population's (excitatory and inhibitory
must be equal), and a neuromem weight ``w`` (a jump of ``w`` nA in ``I``) is the
Linear weight ``w tau_syn`` (a unit spike moves ``I`` by ``1/tau_syn``);
inhibition is a negative weight.  The refractory period, which CubaLIF does
not have, travels in the node's metadata.  Izhikevich cells, Poisson sources,
current sources and per-synapse delays that differ within one presynaptic
neuron's row raise :class:`ExportError`.
"""
from __future__ import annotations

import numpy as np

from ..core.cells import IF_curr_exp, SpikeSourceArray
from ..errors import ExportError
from . import require
from . import translation as T


def _check(network):
    problems = []
    for pop in network.populations:
        ct = pop.celltype
        if not isinstance(ct, (IF_curr_exp, SpikeSourceArray)):
            problems.append(f"population '{pop.label}': {type(ct).__name__} has no NIR node (CubaLIF takes LIF cells)")
        elif isinstance(ct, IF_curr_exp) and not np.allclose(pop.get("tau_syn_E"), pop.get("tau_syn_I")):
            problems.append(f"population '{pop.label}': tau_syn_E != tau_syn_I; a CubaLIF node has one tau_syn")
        if pop.sources or pop.poisson_inputs:
            problems.append(f"population '{pop.label}': current sources and Poisson inputs have no NIR node")
    for prj in network.projections:
        if len(prj):
            rows = prj.row_ptr[:-1][np.diff(prj.row_ptr) > 0]      # where each presynaptic neuron's synapses start
            lo, hi = np.minimum.reduceat(prj.delay, rows), np.maximum.reduceat(prj.delay, rows)
            if np.any(hi - lo > 1e-12):
                problems.append(f"projection '{prj.label}': delays differ within a presynaptic neuron's synapses; "
                                "NIR delays a neuron's output, not a synapse")
    if problems:
        raise ExportError("to_nir: cannot export: " + "; ".join(problems))


def to_nir(network, dt=None, weights=None):
    """The network as a ``nir.NIRGraph`` (``weights``: optional {projection label: current weights})."""
    nir = require("nir", "nir")
    _check(network)
    nodes, edges = {}, []
    for pop in network.populations:
        if isinstance(pop.celltype, SpikeSourceArray):
            nodes[pop.label] = nir.Input(input_type={"input": np.array([pop.size])})
            continue
        nodes[pop.label] = nir.CubaLIF(
            **T.nir_lif(pop), w_in=np.ones(pop.size),
            metadata={"tau_refrac": pop.get("tau_refrac").tolist(), "v_rest": pop.get("v_rest").tolist(),
                      "cm": pop.get("cm").tolist(), "i_offset": pop.get("i_offset").tolist(),
                      "neuromem": "IF_curr_exp"})
        if "spikes" in pop.recorded:
            nodes[f"{pop.label}.output"] = nir.Output(output_type={"output": np.array([pop.size])})
            edges.append((pop.label, f"{pop.label}.output"))
    for prj in network.projections:
        mat = np.zeros((prj.post.size, prj.pre.size))
        pre_idx = prj.pre_idx
        np.add.at(mat, (prj.post_idx, pre_idx), T.nir_weight(prj, (weights or {}).get(prj.label)))
        linear = f"{prj.label}.linear"
        nodes[linear] = nir.Linear(weight=mat, metadata={"receptor_type": prj.receptor_type})
        row_delay = np.zeros(prj.pre.size)
        row_delay[pre_idx] = prj.delay
        src = prj.pre.label
        if dt is None or np.any(np.abs(row_delay[np.flatnonzero(np.diff(prj.row_ptr))] - dt) > 1e-12):
            delay = f"{prj.label}.delay"
            nodes[delay] = nir.Delay(delay=row_delay)
            edges.append((src, delay))
            src = delay
        edges.append((src, linear))
        edges.append((linear, prj.post.label))
    # NIR infers shapes from the Input nodes; a network driven only by itself has none
    has_input = any(isinstance(n, nir.Input) for n in nodes.values())
    return nir.NIRGraph(nodes=nodes, edges=edges, type_check=has_input,
                        metadata={"source": "neuromem", "label": network.label,
                                  "populations": [p.label for p in network.populations],
                                  "projections": [p.label for p in network.projections]})


def write_nir(network, path, **kwargs):
    """Write :func:`to_nir` of ``network`` with ``nir.write`` (to a temporary name, then renamed)."""
    from pathlib import Path

    from ..io import atomic_path
    nir = require("nir", "nir")
    graph = to_nir(network, **kwargs)
    with atomic_path(path) as tmp:
        nir.write(tmp, graph)
    return Path(path)


def _names(values) -> list[str]:
    """Strings from NIR metadata (read back from HDF5 they may be bytes)."""
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.atleast_1d(values).tolist()] \
        if len(np.atleast_1d(values)) else []


def from_nir(graph, label="from_nir"):
    """Rebuild a neuromem :class:`Network` from a graph written by :func:`to_nir`."""
    from ..core import FromListConnector, Network, StaticSynapse
    nir = require("nir", "nir")
    net = Network(seed=0, label=label)
    pops = {}
    order = _names(graph.metadata.get("populations", [])) or list(graph.nodes)
    order += [n for n in graph.nodes if n not in order]
    for name in order:
        node = graph.nodes[name]
        if isinstance(node, nir.Input):
            size = int(np.prod(node.input_type["input"]))
            pops[name] = net.population(size, SpikeSourceArray(spike_times=[[] for _ in range(size)]), label=name)
        elif isinstance(node, nir.CubaLIF):
            md = node.metadata
            cm = np.asarray(md["cm"])
            pops[name] = net.population(len(cm), IF_curr_exp(
                cm=cm, tau_m=np.asarray(node.tau_mem), tau_syn_E=np.asarray(node.tau_syn),
                tau_syn_I=np.asarray(node.tau_syn), tau_refrac=np.asarray(md["tau_refrac"]),
                v_rest=np.asarray(md["v_rest"]), v_reset=np.asarray(node.v_reset),
                v_thresh=np.asarray(node.v_threshold), i_offset=np.asarray(md["i_offset"])), label=name)
    for name in graph.nodes:
        if name.endswith(".output") and name[:-7] in pops:
            pops[name[:-7]].record("spikes")
    into = {}
    for a, b in graph.edges:
        into.setdefault(b, []).append(a)
    linears = [f"{p}.linear" for p in _names(graph.metadata.get("projections", []))]
    linears += [n for n, node in graph.nodes.items() if isinstance(node, nir.Linear) and n not in linears]
    for name in linears:
        node = graph.nodes[name]
        label = name[:-len(".linear")]
        src = into[name][0]
        delays = None
        if isinstance(graph.nodes[src], nir.Delay):
            delays = np.asarray(graph.nodes[src].delay)
            src = into[src][0]
        post = [b for a, b in graph.edges if a == name][0]
        post_idx, pre_idx = np.nonzero(node.weight)
        tau = np.asarray(graph.nodes[post].tau_syn)[post_idx]
        w = np.asarray(node.weight)[post_idx, pre_idx] / tau
        receptor = _names([node.metadata.get("receptor_type", "excitatory" if np.all(w >= 0) else "inhibitory")])[0]
        d = delays[pre_idx] if delays is not None else np.full(pre_idx.size, 1.0)
        order = np.lexsort((post_idx, pre_idx))
        net.projection(pops[src], pops[post], FromListConnector(np.column_stack(
            (pre_idx[order], post_idx[order], np.abs(w[order]), d[order]))), StaticSynapse(),
            receptor_type=receptor, label=label)
    return net
