"""The same network in Brian2, for cross-checks and benchmarks.

Time conventions differ by one step and are mapped here: Brian2 stamps a spike
with the start of the step in which the threshold was crossed, NEST and
neuromem with its end.  So input spike times are shifted by ``-dt`` going in
and output spike times by ``+dt`` coming out; with that, an exactly integrated
model gives identical spike times.  Izhikevich cells are integrated with the
paper's scheme in a ``run_regularly`` block (Brian2's built-in integrators
differ at 1 ms steps); their synaptic input is a current held for one step,
consumed by the next update, so the delay is shortened by one step.  IF_curr_delta cells likewise: their
arrivals are summed into ``x_in`` and added by the next update (input during the refractory period is lost, as
NEST's ``iaf_psc_delta`` and neuromem do).  A :class:`~neuromem.core.sources.PoissonInput` is Brian2's
``PoissonInput`` with ``N`` trials of ``p = rate dt / N``, ``N`` chosen so that ``p <= 0.001`` (a binomial within
0.1% of the Poisson variance).  IF_cond_exp
cells run neuromem's scheme in a ``run_regularly`` block too (the membrane solved exactly
for each step's mean conductances): Brian2's ``exponential_euler`` holds the conductances at
their value at the start of the step, a first-order error that raises the COBA benchmark's
rate from NEST's 13 Hz to 21 Hz.
"""
from __future__ import annotations

import math

import numpy as np

from ..core.cells import (IF_cond_exp, IF_curr_delta, IF_curr_exp, Izhikevich, SpikeSourceArray,
                          SpikeSourcePoisson)
from ..core.sources import DCSource, NoisyCurrentSource
from . import SpikeResult, check_supported, require
from . import translation as T


#: the integrate-and-fire cells' membrane parameters and noise current (one declaration for every model below)
MEMBRANE_EQS = """
c_m : farad (constant)
v_rest : volt (constant)
v_reset : volt (constant)
v_thresh : volt (constant)
i_offset : amp (constant)
tau_refrac : second (constant)
i_noise : amp
"""

LIF_EQS = """
dv/dt = (v_rest - v) / tau_m + (ie - ii + i_offset + i_noise) / c_m : volt (unless refractory)
die/dt = -ie / tau_syn_E : amp
dii/dt = -ii / tau_syn_I : amp
tau_m : second (constant)
tau_syn_E : second (constant)
tau_syn_I : second (constant)
""" + MEMBRANE_EQS

COND_EQS = """
v : volt
ge : siemens
gi : siemens
last_spike : second
t_free : second (constant)
g_leak : siemens (constant)
tau_syn_E : second (constant)
tau_syn_I : second (constant)
e_rev_E : volt (constant)
e_rev_I : volt (constant)
""" + MEMBRANE_EQS

DELTA_EQS = """
v : volt
x_in : volt
last_spike : second
t_free : second (constant)
tau_m : second (constant)
""" + MEMBRANE_EQS

#: IF_curr_delta's exact step (neuromem's :func:`~neuromem.core.kernels.neurons.delta_step`): decay, offset and
#: noise current, then the step's arrivals; a refractory cell stays and loses its input
DELTA_UPDATE = """
free = int(t - last_spike > t_free)
v_next = v_rest + (v - v_rest) * exp(-dt / tau_m) + (i_offset + i_noise) * tau_m / c_m * (1 - exp(-dt / tau_m))
v = free * (v_next + x_in) + (1 - free) * v
x_in = 0 * mV
"""

POISSON_EQS = """
rate : Hz (constant)
active_from : second (constant)
active_until : second (constant)
"""

COND_UPDATE = """
ge_mean = ge * tau_syn_E / dt * (1 - exp(-dt / tau_syn_E))
gi_mean = gi * tau_syn_I / dt * (1 - exp(-dt / tau_syn_I))
g_total = g_leak + ge_mean + gi_mean
v_inf = (g_leak * v_rest + i_offset + ge_mean * e_rev_E + gi_mean * e_rev_I + i_noise) / g_total
free = int(t - last_spike > t_free)
v = free * (v_inf + (v - v_inf) * exp(g_total * (-dt / c_m))) + (1 - free) * v
ge = ge * exp(-dt / tau_syn_E)
gi = gi * exp(-dt / tau_syn_I)
"""

IZH_EQS = """
v : 1
u : 1
a : 1 (constant)
b : 1 (constant)
c : 1 (constant)
d : 1 (constant)
I_e : 1 (constant)
i_noise : 1
i_syn : 1
"""

IZH_UPDATE = """
I_total = I_e + i_noise + i_syn
v = v + 0.5 * dt_ms * (0.04 * v**2 + 5 * v + 140 - u + I_total)
v = v + 0.5 * dt_ms * (0.04 * v**2 + 5 * v + 140 - u + I_total)
u = u + dt_ms * a * (b * v - u)
i_syn = 0
"""
#: Izhikevich with ``integration="euler"``: forward Euler from the old values, the weights a jump of v
IZH_UPDATE_EULER = """
I_total = I_e + i_noise
v_new = v + dt_ms * (0.04 * v**2 + 5 * v + 140 - u + I_total) + i_syn
u = u + dt_ms * a * (b * v - u)
v = v_new
i_syn = 0
"""


class Brian2Network:
    """A neuromem :class:`~neuromem.core.network.Network` rebuilt in Brian2.

    Parameters
    ----------
    network : Network
    dt : float
        Time step (ms).
    target : {"numpy", "cython", "cpp_standalone"}
    seed : int
        Brian2's seed (noise and Poisson draws differ from neuromem's).
    """

    def __init__(self, network, dt=0.1, target="numpy", seed=0, record=True, directory=None):
        b2 = require("brian2", "brian2")
        check_supported(network, "Brian2Network")
        self.b2, self.network, self.dt, self.target = b2, network, dt, target
        if target == "cpp_standalone":
            b2.set_device("cpp_standalone", directory=directory, build_on_run=True)
        else:
            b2.set_device("runtime")
            b2.prefs.codegen.target = target
        b2.start_scope()
        b2.defaultclock.dt = dt * b2.ms
        b2.seed(seed)
        self.groups, self.monitors, objs = {}, {}, []
        ms, nA = b2.ms, b2.nA
        for pop in network.populations:
            ct = pop.celltype
            if isinstance(ct, IF_cond_exp):
                g = b2.NeuronGroup(pop.size, COND_EQS, threshold="v >= v_thresh",
                                   reset="v = v_reset; last_spike = t", name=f"g{pop.index}")
                self._set(g, pop)
                # integrate again once round(t_ref/dt) steps after the spike's have passed (NEST's counter)
                g.t_free = (np.rint(pop.values["tau_refrac"] / dt) + 0.5) * dt * ms
                g.last_spike = -1e9 * ms
                g.run_regularly(COND_UPDATE, when="groups", name=f"cond{pop.index}")
                self._currents(g, pop, nA)
            elif isinstance(ct, IF_curr_delta):
                g = b2.NeuronGroup(pop.size, DELTA_EQS, threshold="v >= v_thresh",
                                   reset="v = v_reset; last_spike = t", name=f"g{pop.index}")
                self._set(g, pop)
                g.t_free = (np.rint(pop.values["tau_refrac"] / dt) + 0.5) * dt * ms   # as IF_cond_exp's
                g.last_spike = -1e9 * ms
                g.run_regularly(DELTA_UPDATE, when="groups", name=f"delta{pop.index}")
                self._currents(g, pop, nA)
            elif isinstance(ct, IF_curr_exp):
                g = b2.NeuronGroup(pop.size, LIF_EQS, threshold="v >= v_thresh", reset="v = v_reset",
                                   refractory="tau_refrac", method="exact", name=f"g{pop.index}")
                vals = pop.values
                self._set(g, pop)
                # Brian2 integrates again on the step where t - lastspike reaches the period, one
                # step sooner than NEST's counter; one extra step gives NEST's clamp of round(t_ref/dt) steps.
                g.tau_refrac = (np.rint(vals["tau_refrac"] / dt) + 1) * dt * ms
                self._currents(g, pop, nA)
            elif isinstance(ct, Izhikevich):
                g = b2.NeuronGroup(pop.size, IZH_EQS, threshold=f"v >= {Izhikevich.v_peak!r}", reset="v = c; u = u + d",
                                   method="euler", name=f"g{pop.index}")
                self._set(g, pop)
                update = IZH_UPDATE_EULER if ct.integration == "euler" else IZH_UPDATE
                g.run_regularly(update.replace("dt_ms", repr(float(dt))), when="groups", name=f"izh{pop.index}")
                self._currents(g, pop, 1000.0)
            elif isinstance(ct, SpikeSourceArray):
                ids = np.concatenate([np.full(len(t), i) for i, t in enumerate(pop.spike_times)]).astype(int)
                times = np.concatenate(pop.spike_times)
                g = b2.SpikeGeneratorGroup(pop.size, ids, (np.rint(times / dt) - 1) * dt * ms, name=f"g{pop.index}")
            elif isinstance(ct, SpikeSourcePoisson):
                g = b2.NeuronGroup(pop.size, POISSON_EQS, threshold="rand() < rate * dt * int(t >= active_from and t < active_until)",
                                   name=f"g{pop.index}")
                g.rate = pop.values["rate"] * b2.Hz
                g.active_from = pop.values["start"] * ms
                g.active_until = np.minimum(pop.values["start"] + pop.values["duration"], 1e9) * ms
            else:  # pragma: no cover - all cell types handled above
                raise TypeError(ct)
            self.groups[pop.index] = g
            objs.append(g)
            objs.extend(self._poisson_inputs(g, pop))
            if record and "spikes" in pop.recorded:
                m = b2.SpikeMonitor(g, name=f"m{pop.index}")
                self.monitors[pop.index] = m
                objs.append(m)
        for prj in network.projections:
            objs.append(self._synapses(prj))
        self.net = b2.Network(*objs)

    def _set(self, g, pop):
        """Parameters and initial state from the Brian2 translation table (a unit name is a Brian2 unit)."""
        for name, value in {**T.parameters("brian2", pop), **T.state("brian2", pop)}.items():
            if isinstance(value, tuple):
                value = value[0] * getattr(self.b2, value[1])
            setattr(g, name, value)

    def _input(self, celltype, receptor_type):
        """The variable a synapse or Poisson input onto ``celltype`` adds to, its sign and its unit."""
        exc = receptor_type == "excitatory"
        if isinstance(celltype, Izhikevich):
            return "i_syn", "+" if exc else "-", "1"
        if isinstance(celltype, IF_curr_delta):
            return "x_in", "+" if exc else "-", "mV"
        if isinstance(celltype, IF_cond_exp):
            return "ge" if exc else "gi", "+", "uS"
        return "ie" if exc else "ii", "+", "nA"

    def _poisson_inputs(self, g, pop):
        """Brian2 ``PoissonInput`` objects for ``pop``'s :class:`~neuromem.core.sources.PoissonInput` s."""
        out = []
        for src in pop.poisson_inputs:
            var, sign, unit = self._input(pop.celltype, src.receptor_type)
            trials = max(1, math.ceil(src.rate * self.dt / 1000.0 / 0.001))
            out.append(self.b2.PoissonInput(g, var, trials, src.rate / trials * self.b2.Hz,
                                            weight=f"{sign}{src.weight!r} * {unit}"))
        return out

    def _currents(self, g, pop, scale):
        for src in pop.sources:
            if isinstance(src, DCSource):
                raise NotImplementedError("Brian2Network: DCSource; use i_offset")
            if isinstance(src, NoisyCurrentSource):
                every = src.dt if src.dt is not None else self.dt
                unit = "" if not isinstance(scale, float) else ""
                if isinstance(scale, float):  # Izhikevich: paper units
                    code = f"i_noise = {scale * src.mean!r} + {scale * src.stdev!r} * randn()"
                else:
                    code = f"i_noise = ({src.mean!r} + {src.stdev!r} * randn()) * nA"
                g.run_regularly(code + unit, dt=every * self.b2.ms, when="start")

    def _synapses(self, prj):
        b2 = self.b2
        pre, post = self.groups[prj.pre.index], self.groups[prj.post.index]
        var, sign, unit = self._input(prj.post.celltype, prj.receptor_type)
        s = b2.Synapses(pre, post, model="w : 1", on_pre=f"{var}_post {sign}= w * {unit}", name=f"s{prj.index}")
        s.connect(i=prj.pre_idx, j=prj.post_idx)
        s.w = prj.weight
        steps = np.rint(prj.delay / self.dt)
        if var in ("i_syn", "x_in"):  # consumed by the next step's update: arrive one step earlier
            steps = steps - 1
        s.delay = steps * self.dt * b2.ms
        return s

    def run(self, duration):
        self.net.run(duration * self.b2.ms)
        return self

    def spikes(self, population) -> SpikeResult:
        """Spikes of ``population`` with neuromem's time stamps (end of step)."""
        m = self.monitors[population.index]
        t = np.asarray(m.t / self.b2.ms) + self.dt
        i = np.asarray(m.i, dtype=np.int64)
        order = np.lexsort((i, np.rint(t / self.dt)))
        return SpikeResult(t[order], i[order])
