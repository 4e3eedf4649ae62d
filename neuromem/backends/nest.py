"""The same network in NEST (direct NEST 3 API), for cross-checks and benchmarks.

``IF_curr_exp`` -> ``iaf_psc_exp``, ``IF_cond_exp`` -> ``iaf_cond_exp`` and ``Izhikevich`` -> ``izhikevich`` with
``consistent_integration=False`` (the paper's scheme, as neuromem); names, scales
(nA -> pA) and signs come from :mod:`neuromem.backends.translation`.  NEST and neuromem stamp spikes alike, so spike times
compare directly.
"""
from __future__ import annotations

import numpy as np

from ..core.cells import (EIF_cond_alpha_isfa_ista, EIF_cond_exp_isfa_ista, HH_cond_exp, IF_cond_alpha, IF_cond_exp,
                          IF_cond_exp_gsfa_grr, IF_curr_alpha, IF_curr_delta, IF_curr_exp, Izhikevich, SpikeSourceArray,
                          SpikeSourcePoisson)
from ..core.sources import ACSource, DCSource, NoisyCurrentSource, StepCurrentSource
from ..errors import ExportError
from . import SpikeResult, check_supported, require
from . import translation as T


class NestNetwork:
    """A neuromem network rebuilt in NEST (resets the NEST kernel)."""

    def __init__(self, network, dt=0.1, seed=0, threads=1, record=True):
        nest = require("nest", "pynn")
        check_supported(network, "NestNetwork")
        self.nest, self.network, self.dt = nest, network, dt
        nest.set_verbosity("M_ERROR")
        nest.ResetKernel()
        nest.SetKernelStatus({"resolution": dt, "local_num_threads": threads, "rng_seed": seed + 1,
                              "print_time": False})
        self.nodes, self.recorders = {}, {}
        for pop in network.populations:
            self.nodes[pop.index] = self._population(pop)
            if record and "spikes" in pop.recorded and not isinstance(pop.celltype, SpikeSourceArray):
                rec = nest.Create("spike_recorder")
                nodes = self.nodes[pop.index]
                nest.Connect(nodes.parrots if isinstance(nodes, _Shifted) else nodes, rec)
                self.recorders[pop.index] = rec
        for prj in network.projections:
            self._projection(prj)

    def _population(self, pop):
        nest, ct, v = self.nest, pop.celltype, pop.values
        if isinstance(ct, (IF_curr_exp, IF_curr_alpha, IF_curr_delta, IF_cond_exp, IF_cond_exp_gsfa_grr, IF_cond_alpha,
                           EIF_cond_exp_isfa_ista, EIF_cond_alpha_isfa_ista, HH_cond_exp, Izhikevich)):
            tr = T.cell("nest", pop)
            nodes = nest.Create(tr.model, pop.size)
            nodes.set({**T.parameters("nest", pop), **T.state("nest", pop), **tr.fixed})
            if isinstance(ct, (IF_curr_exp, IF_curr_alpha)) and (np.any(pop.initial["isyn_exc"]) or np.any(pop.initial["isyn_inh"])):
                raise ExportError(f"NestNetwork: population '{pop.label}': NEST 3 cannot set initial "
                                  "synaptic currents; initialise isyn_exc and isyn_inh to 0")
        elif isinstance(ct, SpikeSourceArray):
            nodes = nest.Create("spike_generator", pop.size)
            nodes.set([{"spike_times": np.rint(t / self.dt) * self.dt} for t in pop.spike_times])
            return nodes
        elif isinstance(ct, SpikeSourcePoisson):
            gen = nest.Create("poisson_generator", pop.size)
            gen.set([{"rate": r, "start": s, "stop": s + d} for r, s, d in
                     zip(v["rate"], v["start"], np.minimum(v["duration"], 1e9))])
            parrots = nest.Create("parrot_neuron", pop.size)
            nest.Connect(gen, parrots, "one_to_one", syn_spec={"delay": self.dt})
            return _Shifted(parrots, gen)
        else:
            raise ExportError(f"NestNetwork: population '{pop.label}': no NEST counterpart of {type(ct).__name__} "
                              "here")
        scale = T.CURRENT_SCALE["nest"]
        # a generator's current reaches its targets one connection delay (one step here) after it is emitted:
        # its times are moved one step earlier so that the current flows on neuromem's steps
        early = self.dt
        for src in pop.poisson_inputs:
            # one poisson_generator: each target draws its own train, events carrying their multiplicity
            sign = T.WEIGHTS["nest"].inhibitory_sign if src.receptor_type == "inhibitory" else 1.0
            gen = nest.Create("poisson_generator", params={"rate": src.rate})
            nest.Connect(gen, nodes, "all_to_all", {"weight": sign * T.weight_scale("nest", pop.celltype) * src.weight,
                                                    "delay": self.dt})
        for src in pop.sources:
            if isinstance(src, NoisyCurrentSource):
                gen = nest.Create("noise_generator", params={"mean": scale * src.mean, "std": scale * src.stdev,
                                                              "dt": src.dt or self.dt})
            elif isinstance(src, DCSource):
                gen = nest.Create("dc_generator", params={"amplitude": scale * src.amplitude,
                                                          "start": max(0.0, src.start - early),
                                                          **({} if src.stop is None else {"stop": src.stop - early})})
            elif isinstance(src, StepCurrentSource):
                gen = nest.Create("step_current_generator", params={
                    "amplitude_times": np.maximum(np.rint(src.times / self.dt) * self.dt - early, self.dt),
                    "amplitude_values": scale * src.amplitudes})
            elif isinstance(src, ACSource):
                gen = nest.Create("ac_generator", params={
                    "amplitude": scale * src.amplitude, "offset": scale * src.offset, "frequency": src.frequency,
                    # NEST's phase holds at t = 0, PyNN's and neuromem's at start (NEST's clock: one step early)
                    "phase": src.phase - 360.0 * src.frequency * (src.start - early) / 1000.0,
                    "start": max(0.0, src.start - early),
                    **({} if src.stop is None else {"stop": src.stop - early})})
            else:  # pragma: no cover
                raise TypeError(src)
            nest.Connect(gen, nodes if src.cells is None else nodes[src.cells.tolist()],
                         syn_spec={"delay": self.dt})
        return nodes

    def _projection(self, prj):
        nest = self.nest
        pre, post = self.nodes[prj.pre.index], self.nodes[prj.post.index]
        shift = 0.0
        if isinstance(pre, _Shifted):  # parrots re-emit one step late: take that step off the delay
            shift = self.dt
            pre = pre.parrots
        delays = np.rint(prj.delay / self.dt) * self.dt - shift
        if (delays < self.dt - 1e-9).any():
            raise ValueError(f"NestNetwork: projection '{prj.label}' from a spike source needs delays of at "
                             f"least two steps (one is taken by the parrot neuron)")
        if len(prj):
            first_pre, first_post = pre[0].global_id, post[0].global_id
            spec = {"synapse_model": "static_synapse", "weight": T.weights("nest", prj), "delay": delays}
            if "p" in prj.short_term:
                spec.update(synapse_model="bernoulli_synapse", p_transmit=prj.short_term["p"])
            elif prj.synapse.short_term:
                key = "tau_syn_E" if prj.receptor_type == "excitatory" else "tau_syn_I"
                spec.update(synapse_model="tsodyks_synapse", U=prj.short_term["U"], tau_rec=prj.short_term["tau_rec"],
                            tau_fac=prj.short_term["tau_facil"], tau_psc=prj.post.values[key][prj.post_idx],
                            x=np.ones(len(prj)), y=np.zeros(len(prj)), u=np.zeros(len(prj)))
            nest.Connect(first_pre + prj.pre_idx, first_post + prj.post_idx, "one_to_one", syn_spec=spec)

    def run(self, duration):
        self.nest.Simulate(float(duration))
        return self

    def spikes(self, population) -> SpikeResult:
        ev = self.recorders[population.index].get("events")
        first = self.nodes[population.index]
        first = first.parrots if isinstance(first, _Shifted) else first
        t = np.asarray(ev["times"], dtype=float)
        i = np.asarray(ev["senders"], dtype=np.int64) - first[0].global_id
        if isinstance(self.nodes[population.index], _Shifted):
            t = t - self.dt
        order = np.lexsort((i, np.rint(t / self.dt)))
        return SpikeResult(t[order], i[order])


class _Shifted:
    """Parrot neurons standing for a generator (connections need real nodes)."""

    def __init__(self, parrots, generators):
        self.parrots, self.generators = parrots, generators

    def __len__(self):
        return len(self.parrots)
