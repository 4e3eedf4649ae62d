"""Cell types in PyNN vocabulary and units (ms, mV, nA, nF, Hz).

Each type declares its parameters, defaults, units and valid ranges once, in
``parameters``; backends translate names and scales from here.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .._checks import as_array, check_array, check_names, fail
from ..params import Checked
from .kernels import neurons as K
from .synapses import RandomDistribution


@dataclass(frozen=True)
class Param:
    """Declaration of one cell parameter: default, units, lower bound, meaning."""

    default: float
    units: str
    doc: str
    low: float | None = None
    low_open: bool = False
    high: float | None = None


class CellType(Checked):
    """Base class: a cell type with (possibly per-neuron) parameter values.

    Parameters are given as keyword arguments, each a scalar or an array with
    one value per neuron; missing ones take their declared default.
    """

    parameters: ClassVar[dict[str, Param]] = {}
    initial_values: ClassVar[dict[str, float]] = {}
    recordable: ClassVar[tuple[str, ...]] = ("spikes",)
    receptor_types: ClassVar[tuple[str, ...]] = ()
    is_source: ClassVar[bool] = False
    code: ClassVar[int] = -1

    def __init__(self, **params):
        owner = type(self).__name__
        check_names(owner, "parameter", params, self.parameters)
        self.params = {name: params.get(name, p.default) for name, p in self.parameters.items()}
        for name, value in params.items():  # scalars are checked now, arrays when their size is known
            if isinstance(value, RandomDistribution):
                continue
            arr = as_array(owner, name, value)
            if arr.ndim > 1:
                raise fail(owner, name, value, "expected a number or one value per neuron (a 1-D array)")
            p = self.parameters[name]
            check_array(owner, name, arr, arr.size if arr.ndim else 1, low=p.low, low_open=p.low_open, high=p.high)

    def copy(self) -> "CellType":
        """A copy with its own parameter dictionary (what a population keeps)."""
        new = copy.copy(self)
        new.params = dict(self.params)
        return new

    def __repr__(self):
        shown = ", ".join(f"{k}={v!r}" for k, v in self.params.items() if np.ndim(v) == 0)
        return f"{type(self).__name__}({shown})"

    def resolve(self, size: int, owner: str, stream=None) -> dict[str, np.ndarray]:
        """Per-neuron float64 arrays of every parameter, validated.

        A :class:`RandomDistribution` is drawn per neuron from ``stream()`` (a fresh Generator per
        parameter; the population passes its own streams) and the drawn values replace it.
        """
        out = {}
        for name, p in self.parameters.items():
            value = self.params[name]
            if isinstance(value, RandomDistribution):
                if stream is None:
                    raise fail(f"{owner} ({type(self).__name__})", name, value,
                               "a RandomDistribution is drawn when the population is created")
                value = self.params[name] = value.draw(stream(), size).astype(float)
            out[name] = check_array(f"{owner} ({type(self).__name__})", name, value,
                                    size, low=p.low, low_open=p.low_open, high=p.high)
        self.check_consistency(out, owner)
        return out

    def check_consistency(self, values: dict[str, np.ndarray], owner: str) -> None:
        """Cross-parameter checks (overridden where a type has them)."""


class IF_curr_exp(CellType):
    r"""Leaky integrate-and-fire neuron with exponentially decaying current synapses.

    .. math::
        c_m \frac{dv}{dt} = \frac{c_m}{\tau_m}(v_{rest} - v) + I_{exc} - I_{inh} + i_{offset},
        \quad \frac{dI_{x}}{dt} = -\frac{I_x}{\tau_{syn,x}}

    A spike is emitted when :math:`v \ge v_{thresh}`; then :math:`v = v_{reset}` for
    ``tau_refrac`` ms.  Integrated exactly on the time grid (Rotter & Diesmann 1999,
    Biol Cybern 81:381), as NEST's ``iaf_psc_exp`` and Brian2's ``exact`` method do.
    An incoming weight (nA) is added to :math:`I_{exc}` or :math:`I_{inh}`.
    """

    parameters = {
        "cm": Param(1.0, "nF", "membrane capacitance", 0.0, True),
        "tau_m": Param(20.0, "ms", "membrane time constant", 0.0, True),
        "tau_refrac": Param(0.1, "ms", "refractory period", 0.0),
        "tau_syn_E": Param(5.0, "ms", "excitatory synaptic time constant", 0.0, True),
        "tau_syn_I": Param(5.0, "ms", "inhibitory synaptic time constant", 0.0, True),
        "i_offset": Param(0.0, "nA", "constant injected current"),
        "v_rest": Param(-65.0, "mV", "resting potential"),
        "v_reset": Param(-65.0, "mV", "reset potential"),
        "v_thresh": Param(-50.0, "mV", "spike threshold"),
    }
    initial_values = {"v": -65.0, "isyn_exc": 0.0, "isyn_inh": 0.0}
    recordable = ("spikes", "v", "isyn_exc", "isyn_inh")
    receptor_types = ("excitatory", "inhibitory")
    code = K.LIF

    def check_consistency(self, values, owner):
        bad = values["v_reset"] >= values["v_thresh"]
        if bad.any():
            raise fail(f"{owner} (IF_curr_exp)", "v_reset", values["v_reset"][bad][:3],
                       "v_reset must be below v_thresh")


class IF_curr_alpha(CellType):
    r"""Leaky integrate-and-fire neuron with alpha-shaped current synapses (PyNN ``IF_curr_alpha``).

    .. math::
        c_m \frac{dv}{dt} = \frac{c_m}{\tau_m}(v_{rest} - v) + I_{exc} - I_{inh} + i_{offset},\quad
        I_x(t) = w \frac{t - t_s}{\tau_{syn,x}} e^{1 - (t - t_s)/\tau_{syn,x}}

    for each weight ``w`` (nA, the current's peak) arriving at :math:`t_s`.  Integrated exactly on the time
    grid, as NEST's ``iaf_psc_alpha`` (Rotter & Diesmann 1999).
    """

    parameters = IF_curr_exp.parameters
    initial_values = {"v": -65.0, "isyn_exc": 0.0, "isyn_inh": 0.0}
    recordable = ("spikes", "v", "isyn_exc", "isyn_inh")
    receptor_types = ("excitatory", "inhibitory")
    code = K.LIF_ALPHA

    def check_consistency(self, values, owner):
        IF_curr_exp.check_consistency(self, values, owner)


class IF_cond_exp(CellType):
    r"""Leaky integrate-and-fire neuron with exponentially decaying conductance synapses (PyNN ``IF_cond_exp``).

    .. math::
        c_m \frac{dv}{dt} = \frac{c_m}{\tau_m}(v_{rest} - v) + g_e (E_{rev,E} - v) + g_i (E_{rev,I} - v)
        + i_{offset}, \quad \frac{dg_x}{dt} = -\frac{g_x}{\tau_{syn,x}}

    A weight (uS) is added to :math:`g_e` or :math:`g_i`.  Under ``timing="nest"`` the membrane is solved
    exactly for each step's mean conductances (:func:`~neuromem.core.kernels.neurons.cond_step`; NEST's
    ``iaf_cond_exp`` integrates the same equations adaptively); under ``timing="spinnaker"`` it runs
    sPyNNaker's fixed-point scheme bit for bit.
    """

    parameters = {
        "cm": Param(1.0, "nF", "membrane capacitance", 0.0, True),
        "tau_m": Param(20.0, "ms", "membrane time constant", 0.0, True),
        "tau_refrac": Param(0.1, "ms", "refractory period", 0.0),
        "tau_syn_E": Param(5.0, "ms", "excitatory synaptic time constant", 0.0, True),
        "tau_syn_I": Param(5.0, "ms", "inhibitory synaptic time constant", 0.0, True),
        "e_rev_E": Param(0.0, "mV", "excitatory reversal potential"),
        "e_rev_I": Param(-70.0, "mV", "inhibitory reversal potential"),
        "i_offset": Param(0.0, "nA", "constant injected current"),
        "v_rest": Param(-65.0, "mV", "resting potential"),
        "v_reset": Param(-65.0, "mV", "reset potential"),
        "v_thresh": Param(-50.0, "mV", "spike threshold"),
    }
    initial_values = {"v": -65.0, "gsyn_exc": 0.0, "gsyn_inh": 0.0}
    recordable = ("spikes", "v", "gsyn_exc", "gsyn_inh")
    receptor_types = ("excitatory", "inhibitory")
    code = K.LIF_COND

    def check_consistency(self, values, owner):
        IF_curr_exp.check_consistency(self, values, owner)


class IF_cond_exp_gsfa_grr(CellType):
    r"""IF_cond_exp with conductance-based spike-frequency adaptation and relative refractoriness (PyNN
    ``IF_cond_exp_gsfa_grr``; Muller et al. 2007, Neural Comput 19:2958; NEST ``iaf_cond_exp_sfa_rr``).

    .. math::
        c_m \frac{dv}{dt} = \frac{c_m}{\tau_m}(v_{rest} - v) + g_e (E_{rev,E} - v) + g_i (E_{rev,I} - v)
        + g_s (E_{rev,sfa} - v) + g_r (E_{rev,rr} - v) + i_{offset}

    with :math:`\tau_{sfa} \dot g_s = -g_s`, :math:`\tau_{rr} \dot g_r = -g_r`, and at each spike
    :math:`g_s \mathrel{+}= q_{sfa}`, :math:`g_r \mathrel{+}= q_{rr}` (nS, PyNN's units for them).  Solved exactly
    for each step's mean conductances (:func:`~neuromem.core.kernels.neurons.cond_sfa_rr_step`).
    """

    parameters = {
        **IF_cond_exp.parameters,
        "tau_sfa": Param(100.0, "ms", "spike-frequency adaptation time constant", 0.0, True),
        "e_rev_sfa": Param(-75.0, "mV", "adaptation conductance reversal potential"),
        "q_sfa": Param(15.0, "nS", "adaptation conductance increase per spike", 0.0),
        "tau_rr": Param(2.0, "ms", "relative refractory time constant", 0.0, True),
        "e_rev_rr": Param(-75.0, "mV", "relative refractory conductance reversal potential"),
        "q_rr": Param(3000.0, "nS", "relative refractory conductance increase per spike", 0.0),
    }
    initial_values = {**IF_cond_exp.initial_values, "g_r": 0.0, "g_s": 0.0}
    recordable = ("spikes", "v", "gsyn_exc", "gsyn_inh", "g_r", "g_s")
    receptor_types = ("excitatory", "inhibitory")
    code = K.LIF_COND_SFA_RR

    def check_consistency(self, values, owner):
        IF_curr_exp.check_consistency(self, values, owner)


class IF_cond_alpha(CellType):
    r"""Leaky integrate-and-fire neuron with alpha-shaped conductance synapses (PyNN ``IF_cond_alpha``).

    As :class:`IF_cond_exp`, with each weight ``w`` (uS, the peak) arriving at :math:`t_s` giving the conductance
    :math:`w \frac{t - t_s}{\tau_{syn}} e^{1 - (t - t_s)/\tau_{syn}}`.  The membrane is solved exactly for each
    step's mean conductances (:func:`~neuromem.core.kernels.neurons.cond_alpha_step`); NEST's ``iaf_cond_alpha``
    integrates the same equations adaptively.
    """

    parameters = IF_cond_exp.parameters
    initial_values = IF_cond_exp.initial_values
    recordable = IF_cond_exp.recordable
    receptor_types = ("excitatory", "inhibitory")
    code = K.LIF_COND_ALPHA

    def check_consistency(self, values, owner):
        IF_curr_exp.check_consistency(self, values, owner)


class EIF_cond_exp_isfa_ista(CellType):
    r"""Adaptive exponential integrate-and-fire neuron with exponential conductances (Brette & Gerstner 2005,
    J Neurophysiol 94:3637; PyNN ``EIF_cond_exp_isfa_ista``, NEST ``aeif_cond_exp``).

    .. math::
        c_m \dot v = -g_L (v - v_{rest}) + g_L \Delta_T e^{(v - v_{thresh})/\Delta_T} - w
        + g_e (E_{rev,E} - v) + g_i (E_{rev,I} - v) + i_{offset},\quad \tau_w \dot w = a (v - v_{rest}) - w

    with :math:`g_L = c_m / \tau_m`; at ``v_spike``: ``v = v_reset``, ``w += b``, held for ``tau_refrac``.
    Integrated by Runge-Kutta substeps (:func:`~neuromem.core.kernels.neurons.eif_step`).
    """

    parameters = {
        "cm": Param(0.281, "nF", "membrane capacitance", 0.0, True),
        "tau_refrac": Param(0.1, "ms", "refractory period", 0.0),
        "v_spike": Param(-40.0, "mV", "spike cut-off"),
        "v_reset": Param(-70.6, "mV", "reset potential"),
        "v_rest": Param(-70.6, "mV", "resting potential"),
        "tau_m": Param(9.3667, "ms", "membrane time constant", 0.0, True),
        "i_offset": Param(0.0, "nA", "constant injected current"),
        "a": Param(4.0, "nS", "subthreshold adaptation conductance"),
        "b": Param(0.0805, "nA", "spike-triggered adaptation"),
        "delta_T": Param(2.0, "mV", "slope factor", 0.0, True),
        "tau_w": Param(144.0, "ms", "adaptation time constant", 0.0, True),
        "v_thresh": Param(-50.4, "mV", "threshold of the exponential term"),
        "e_rev_E": Param(0.0, "mV", "excitatory reversal potential"),
        "tau_syn_E": Param(5.0, "ms", "excitatory synaptic time constant", 0.0, True),
        "e_rev_I": Param(-80.0, "mV", "inhibitory reversal potential"),
        "tau_syn_I": Param(5.0, "ms", "inhibitory synaptic time constant", 0.0, True),
    }
    initial_values = {"v": -70.6, "w": 0.0, "gsyn_exc": 0.0, "gsyn_inh": 0.0}
    recordable = ("spikes", "v", "w", "gsyn_exc", "gsyn_inh")
    receptor_types = ("excitatory", "inhibitory")
    code = K.EIF_COND

    def check_consistency(self, values, owner):
        bad = values["v_reset"] >= values["v_spike"]
        if bad.any():
            raise fail(f"{owner} (EIF_cond_exp_isfa_ista)", "v_reset", values["v_reset"][bad][:3],
                       "v_reset must be below v_spike")


class EIF_cond_alpha_isfa_ista(CellType):
    r""":class:`EIF_cond_exp_isfa_ista` with alpha-shaped conductances (PyNN ``EIF_cond_alpha_isfa_ista``, NEST
    ``aeif_cond_alpha``): a weight ``w`` (uS, the peak) arriving at :math:`t_s` gives
    :math:`w \frac{t - t_s}{\tau_{syn}} e^{1 - (t - t_s)/\tau_{syn}}`."""

    parameters = EIF_cond_exp_isfa_ista.parameters
    initial_values = EIF_cond_exp_isfa_ista.initial_values
    recordable = EIF_cond_exp_isfa_ista.recordable
    receptor_types = ("excitatory", "inhibitory")
    code = K.EIF_COND_ALPHA

    def check_consistency(self, values, owner):
        EIF_cond_exp_isfa_ista.check_consistency(self, values, owner)


class HH_cond_exp(CellType):
    r"""Hodgkin-Huxley neuron with the Traub & Miles (1991) sodium and potassium kinetics and exponential
    conductance synapses (PyNN ``HH_cond_exp``, NEST ``hh_cond_exp_traub``).

    .. math::
        c_m \dot v = -\bar g_{Na} m^3 h (v - E_{Na}) - \bar g_K n^4 (v - E_K) - g_{leak} (v - E_{leak})
        - g_e (v - E_{rev,E}) - g_i (v - E_{rev,I}) + i_{offset}

    with the gating variables' rates in :math:`v - v_{offset}` (:func:`~neuromem.core.kernels.neurons.hh_step`).
    """

    parameters = {
        "gbar_Na": Param(20.0, "uS", "sodium conductance", 0.0),
        "gbar_K": Param(6.0, "uS", "potassium conductance", 0.0),
        "g_leak": Param(0.01, "uS", "leak conductance", 0.0, True),
        "cm": Param(0.2, "nF", "membrane capacitance", 0.0, True),
        "v_offset": Param(-63.0, "mV", "offset of the gating kinetics (V_T)"),
        "e_rev_Na": Param(50.0, "mV", "sodium reversal potential"),
        "e_rev_K": Param(-90.0, "mV", "potassium reversal potential"),
        "e_rev_leak": Param(-65.0, "mV", "leak reversal potential"),
        "e_rev_E": Param(0.0, "mV", "excitatory reversal potential"),
        "e_rev_I": Param(-80.0, "mV", "inhibitory reversal potential"),
        "tau_syn_E": Param(0.2, "ms", "excitatory synaptic time constant", 0.0, True),
        "tau_syn_I": Param(2.0, "ms", "inhibitory synaptic time constant", 0.0, True),
        "i_offset": Param(0.0, "nA", "constant injected current"),
    }
    initial_values = {"v": -65.0, "gsyn_exc": 0.0, "gsyn_inh": 0.0, "h": 1.0, "m": 0.0, "n": 0.0}
    recordable = ("spikes", "v", "gsyn_exc", "gsyn_inh", "m", "h", "n")
    receptor_types = ("excitatory", "inhibitory")
    code = K.HH_COND
    #: NEST's hh_cond_exp_traub t_ref: no second spike within 2 ms
    refractory = 2.0


class IF_curr_delta(CellType):
    r"""Leaky integrate-and-fire neuron whose input moves the membrane at once (sPyNNaker's ``IF_curr_delta``).

    A weight (mV) moves the membrane potential at once: under ``timing="nest"`` as NEST's ``iaf_psc_delta``
    (added to ``v`` on the step it arrives, lost during the refractory period); under ``timing="spinnaker"``
    through the step's current :math:`I = w / dt` held for the step (sPyNNaker's delta synapse and input type).
    """

    parameters = {
        "cm": Param(1.0, "nF", "membrane capacitance", 0.0, True),
        "tau_m": Param(20.0, "ms", "membrane time constant", 0.0, True),
        "tau_refrac": Param(0.1, "ms", "refractory period", 0.0),
        "i_offset": Param(0.0, "nA", "constant injected current"),
        "v_rest": Param(-65.0, "mV", "resting potential"),
        "v_reset": Param(-65.0, "mV", "reset potential"),
        "v_thresh": Param(-50.0, "mV", "spike threshold"),
    }
    initial_values = {"v": -65.0, "isyn_exc": 0.0, "isyn_inh": 0.0}
    recordable = ("spikes", "v", "isyn_exc", "isyn_inh")
    receptor_types = ("excitatory", "inhibitory")
    code = K.LIF_DELTA

    def check_consistency(self, values, owner):
        IF_curr_exp.check_consistency(self, values, owner)


class Izhikevich(CellType):
    r"""Izhikevich (2003) neuron, IEEE TNN 14:1569.

    .. math::
        \frac{dv}{dt} = 0.04 v^2 + 5 v + 140 - u + I, \quad
        \frac{du}{dt} = a (b v - u); \quad v \ge 30\,\mathrm{mV}: v \leftarrow c,\ u \leftarrow u + d

    ``I`` is in the paper's units (mV/ms); as in PyNN and NEST's ``izhikevich``,
    ``I = 1000 * i_offset`` with ``i_offset`` in nA (1 pF implied).

    ``integration="paper"`` (the default) integrates as the paper does: two half steps for ``v``, one step for
    ``u`` with the new ``v`` (NEST ``consistent_integration=False``), an incoming weight added to ``I`` for one
    step (negated on the inhibitory receptor), the paper's ``I += S``: at ``dt = 1`` ms it raises ``v`` by about
    the weight in mV.  ``integration="euler"`` is forward Euler with each weight a jump of ``v`` by the weight in
    mV whatever ``dt`` (NEST's default ``consistent_integration=True``, and PyNN's definition of the model's
    synapses as voltage steps; what :mod:`neuromem.pynn` uses).  See
    :func:`~neuromem.core.kernels.neurons.izh_step`.
    """

    parameters = {
        # bounds far outside the published cell classes (Izhikevich 2003, 2004), where the scheme stays finite
        "a": Param(0.02, "1/ms", "recovery time scale", 0.0, True, 10.0),
        "b": Param(0.2, "1/ms", "sensitivity of u to v", -10.0, False, 10.0),
        "c": Param(-65.0, "mV", "reset potential", -200.0, False, K.IZH_V_PEAK - 1e-9),
        "d": Param(2.0, "mV/ms", "reset increment of u", -1e4, False, 1e4),
        "i_offset": Param(0.0, "nA", "constant injected current", -100.0, False, 100.0),
    }
    initial_values = {"v": -70.0, "u": -14.0}
    recordable = ("spikes", "v", "u")
    receptor_types = ("excitatory", "inhibitory")
    code = K.IZHIKEVICH
    v_peak = K.IZH_V_PEAK
    integrations = ("paper", "euler")

    def __init__(self, integration: str = "paper", **params):
        if integration not in self.integrations:
            raise fail("Izhikevich", "integration", integration,
                       "'paper' (Izhikevich 2003's half-step scheme) or 'euler' (NEST's default forward Euler)")
        super().__init__(**params)
        self.integration = integration

    def __repr__(self):
        text = super().__repr__()
        return text if self.integration == "paper" else f"{text[:-1]}, integration='euler')"


class SpikeSourceArray(CellType):
    """Spike source emitting given spike times (ms), one sequence per neuron.

    ``spike_times`` is one sequence for all neurons or a list with one sequence
    per neuron.  A spike at time ``t`` is emitted on the step that ends at
    ``round(t / dt) * dt``, as NEST's ``spike_generator`` does.
    """

    parameters = {}
    recordable = ("spikes",)
    is_source = True
    code = K.SOURCE_ARRAY

    def __init__(self, spike_times=()):
        super().__init__()
        self.spike_times = spike_times

    def __repr__(self):
        return "SpikeSourceArray(...)"

    def resolve_times(self, size: int, owner: str) -> list[np.ndarray]:
        """One sorted float64 array of spike times per neuron, validated."""
        st = self.spike_times
        seqs = None
        if isinstance(st, (list, tuple)) and len(st) > 0 and all(isinstance(x, (list, tuple, np.ndarray)) for x in st):
            if len(st) != size:
                raise fail(f"{owner} (SpikeSourceArray)", "spike_times", f"list of {len(st)} sequences",
                           f"expected one sequence for all neurons or {size} sequences")
            seqs = [as_array(f"{owner} (SpikeSourceArray)", "spike_times", x) for x in st]
            if any(x.ndim != 1 for x in seqs):
                raise fail(f"{owner} (SpikeSourceArray)", "spike_times", st,
                           "expected a 1-D sequence of times per neuron")
        else:
            arr = as_array(f"{owner} (SpikeSourceArray)", "spike_times", st)
            if arr.ndim > 1:
                raise fail(f"{owner} (SpikeSourceArray)", "spike_times", arr,
                           "expected a 1-D sequence of times or a list of them")
            seqs = [arr.reshape(-1)] * size
        lengths = np.array([x.size for x in seqs])
        flat = np.concatenate(seqs) if seqs else np.zeros(0)
        if flat.size and (not np.isfinite(flat).all() or flat.min() < 0):
            bad = np.flatnonzero(~np.isfinite(flat) | (flat < 0))[0]
            which = int(np.searchsorted(np.cumsum(lengths), bad, side="right"))
            raise fail(f"{owner} (SpikeSourceArray)", "spike_times", seqs[which],
                       f"expected finite, non-negative times in ms (neuron {which})")
        ids = np.repeat(np.arange(len(seqs)), lengths)
        if flat.size > 1 and (np.diff(flat)[ids[1:] == ids[:-1]] < 0).any():
            flat = flat[np.lexsort((flat, ids))]
            return np.split(flat, np.cumsum(lengths)[:-1])
        return seqs


class SpikeSourcePoisson(CellType):
    """Poisson spike source: ``rate`` Hz from ``start`` for ``duration`` ms."""

    parameters = {
        "rate": Param(1.0, "Hz", "mean firing rate", 0.0),
        "start": Param(0.0, "ms", "start of activity", 0.0),
        "duration": Param(1e10, "ms", "length of activity", 0.0),
    }
    recordable = ("spikes",)
    is_source = True
    code = K.SOURCE_POISSON


class RenewalSource(CellType):
    """Base class: a spike source whose intervals are independent draws (:meth:`intervals`), from ``start`` for
    ``duration`` ms, the first spike one interval after ``start``."""

    recordable = ("spikes",)
    is_source = True
    code = K.SOURCE_POISSON

    @staticmethod
    def intervals(rng, values, idx):
        """One interval (ms) for each neuron ``idx``, drawn from ``rng``."""
        raise NotImplementedError  # pragma: no cover - interface


class SpikeSourceGamma(RenewalSource):
    r"""Gamma renewal process (PyNN ``SpikeSourceGamma``): intervals
    :math:`\sim \Gamma(\alpha, 1/\beta)`, mean :math:`\alpha / \beta` (``beta`` in Hz, so the rate is
    :math:`\beta / \alpha`)."""

    parameters = {
        "alpha": Param(2.0, "", "shape of the interval distribution", 0.0, True),
        "beta": Param(1.0, "Hz", "rate parameter", 0.0, True),
        "start": Param(0.0, "ms", "start of activity", 0.0),
        "duration": Param(1e10, "ms", "length of activity", 0.0),
    }

    @staticmethod
    def intervals(rng, values, idx):
        return rng.gamma(values["alpha"][idx], 1000.0 / values["beta"][idx])


class SpikeSourcePoissonRefractory(RenewalSource):
    r"""Poisson process with a dead time (PyNN ``SpikeSourcePoissonRefractory``): intervals
    :math:`\tau_{refrac} + \mathrm{Exp}`, the exponential's mean :math:`1000/\mathrm{rate} - \tau_{refrac}`, so
    the rate is ``rate``."""

    parameters = {
        "rate": Param(1.0, "Hz", "mean firing rate", 0.0, True),
        "tau_refrac": Param(0.0, "ms", "dead time after each spike", 0.0),
        "start": Param(0.0, "ms", "start of activity", 0.0),
        "duration": Param(1e10, "ms", "length of activity", 0.0),
    }

    def check_consistency(self, values, owner):
        bad = values["rate"] * values["tau_refrac"] >= 1000.0
        if bad.any():
            raise fail(f"{owner} (SpikeSourcePoissonRefractory)", "tau_refrac", values["tau_refrac"][bad][:3],
                       "the dead time must be shorter than the mean interval 1000 / rate ms")

    @staticmethod
    def intervals(rng, values, idx):
        return values["tau_refrac"][idx] + rng.exponential(1000.0 / values["rate"][idx] - values["tau_refrac"][idx])


CELL_TYPES = {c.__name__: c for c in (IF_curr_exp, IF_curr_alpha, IF_cond_exp, IF_cond_exp_gsfa_grr, IF_cond_alpha, IF_curr_delta,
                                      EIF_cond_exp_isfa_ista, EIF_cond_alpha_isfa_ista, HH_cond_exp, Izhikevich, SpikeSourceArray, SpikeSourcePoisson, SpikeSourceGamma,
                                      SpikeSourcePoissonRefractory)}
