"""PyNN's standard models on neuromem: each maps its PyNN parameters one to one onto a neuromem cell type,
synapse type or current source (neuromem uses PyNN's names and units)."""
from __future__ import annotations

import numpy as np
from pyNN.errors import ConnectionError, InvalidParameterValueError
from pyNN.parameters import ParameterSpace, Sequence
from pyNN.standardmodels import build_translations, cells, electrodes, synapses

from .. import core as nm
from .simulator import state


def _identity(*names):
    return build_translations(*[(n, n) for n in names])


def _scalars(space) -> dict:
    """A parameter space of single values as a dict of numbers (or None)."""
    space.shape = (1,)
    space.evaluate(simplify=True)
    out = {}
    for k, v in space.items():
        v = np.atleast_1d(v)[0] if np.ndim(v) else v
        out[k] = None if v is None else float(v)
    return out


class IF_curr_exp(cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    translations = _identity("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset",
                             "tau_syn_E", "tau_syn_I")
    neuromem = nm.IF_curr_exp


class IF_curr_alpha(cells.IF_curr_alpha):
    __doc__ = cells.IF_curr_alpha.__doc__
    translations = _identity("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset",
                             "tau_syn_E", "tau_syn_I")
    neuromem = nm.IF_curr_alpha


class IF_cond_exp(cells.IF_cond_exp):
    __doc__ = cells.IF_cond_exp.__doc__
    translations = _identity("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset",
                             "tau_syn_E", "tau_syn_I", "e_rev_E", "e_rev_I")
    neuromem = nm.IF_cond_exp


class IF_cond_exp_gsfa_grr(cells.IF_cond_exp_gsfa_grr):
    __doc__ = cells.IF_cond_exp_gsfa_grr.__doc__
    translations = _identity(*cells.IF_cond_exp_gsfa_grr.default_parameters)
    neuromem = nm.IF_cond_exp_gsfa_grr


class IF_cond_alpha(cells.IF_cond_alpha):
    __doc__ = cells.IF_cond_alpha.__doc__
    translations = IF_cond_exp.translations
    neuromem = nm.IF_cond_alpha


class EIF_cond_exp_isfa_ista(cells.EIF_cond_exp_isfa_ista):
    __doc__ = cells.EIF_cond_exp_isfa_ista.__doc__
    translations = _identity(*cells.EIF_cond_exp_isfa_ista.default_parameters)
    neuromem = nm.EIF_cond_exp_isfa_ista


class EIF_cond_alpha_isfa_ista(cells.EIF_cond_alpha_isfa_ista):
    __doc__ = cells.EIF_cond_alpha_isfa_ista.__doc__
    translations = _identity(*cells.EIF_cond_alpha_isfa_ista.default_parameters)
    neuromem = nm.EIF_cond_alpha_isfa_ista


class HH_cond_exp(cells.HH_cond_exp):
    __doc__ = cells.HH_cond_exp.__doc__
    translations = _identity(*cells.HH_cond_exp.default_parameters)
    neuromem = nm.HH_cond_exp


class IF_curr_delta(cells.IF_curr_delta):
    __doc__ = cells.IF_curr_delta.__doc__
    translations = _identity("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset")
    neuromem = nm.IF_curr_delta


class Izhikevich(cells.Izhikevich):
    __doc__ = cells.Izhikevich.__doc__
    translations = _identity("a", "b", "c", "d", "i_offset")
    neuromem = nm.Izhikevich


class SpikeSourcePoisson(cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    translations = _identity("rate", "start", "duration")
    neuromem = nm.SpikeSourcePoisson


class SpikeSourceGamma(cells.SpikeSourceGamma):
    __doc__ = cells.SpikeSourceGamma.__doc__
    translations = _identity("alpha", "beta", "start", "duration")
    neuromem = nm.SpikeSourceGamma


class SpikeSourcePoissonRefractory(cells.SpikeSourcePoissonRefractory):
    __doc__ = cells.SpikeSourcePoissonRefractory.__doc__
    translations = _identity("rate", "tau_refrac", "start", "duration")
    neuromem = nm.SpikeSourcePoissonRefractory


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    translations = _identity("spike_times")
    neuromem = nm.SpikeSourceArray


def standard_cell_types() -> list[str]:
    """The names of the PyNN standard cell types this backend runs (those here with a neuromem cell type)."""
    return sorted(name for name, obj in globals().items()
                  if isinstance(obj, type) and issubclass(obj, cells.StandardCellType) and hasattr(obj, "neuromem"))


def neuromem_cell(celltype, parameters: dict, size: int):
    """The neuromem cell type of a PyNN one, from its evaluated native parameters."""
    kind = type(celltype).neuromem
    if kind is nm.SpikeSourceArray:
        times = parameters["spike_times"]
        per_cell = [np.asarray(getattr(t, "value", t), dtype=float).tolist() for t in np.atleast_1d(times)]
        for i, seq in enumerate(per_cell):
            if np.any(np.diff(seq) < 0):
                raise InvalidParameterValueError(f"SpikeSourceArray: spike_times of cell {i} are not in increasing "
                                                 f"order: {seq}")
        if len(per_cell) == 1 and size > 1:
            per_cell = per_cell * size
        return kind(spike_times=per_cell)
    values = {k: (v if np.ndim(v) else float(v)) for k, v in parameters.items()}
    if kind is nm.Izhikevich:  # PyNN defines this model's synapses as voltage steps (pyNN.nest: NEST's default)
        return kind(integration="euler", **values)
    return kind(**values)


# -- current sources -----------------------------------------------------------------------------

_FOREVER = 1e12     # PyNN's default ``stop``


def _stop(value):
    return None if value is None or value >= _FOREVER else float(value)


class _CurrentSource:
    """A PyNN current source on neuromem: each injection is a neuromem source in the target population (into
    the cells given); parameters changed between runs reach every one of them from the next run on, and
    ``record()`` keeps the current (its history is rebuilt from the parameters in force at each step)."""

    def __init__(self, **parameters):
        object.__setattr__(self, "_native", {})
        object.__setattr__(self, "_targets", [])      # (PyNN population, neuromem source), one per injection
        object.__setattr__(self, "_history", [])      # (first step, neuromem source with those parameters)
        super().__init__(**parameters)
        space = ParameterSpace(self.default_parameters, self.get_schema(), shape=(1,))
        space.update(**parameters)
        self.set_native_parameters(self.translate(space))

    def get_native_parameters(self):
        return ParameterSpace(dict(self._native))

    def set_native_parameters(self, parameters):
        parameters.evaluate(simplify=True)
        for name, value in parameters.items():
            self._native[name] = value.value if isinstance(value, Sequence) else value
        self._normalise()
        fresh = self._neuromem_source()
        for _, source in self._targets:
            cells = source.cells
            source.__dict__.update(fresh.__dict__)
            source.cells = cells
        step = int(round(state.t / state.dt)) if state.sim is not None else 0
        self._history[:] = [(k, s) for k, s in self._history if k < step] + [(step, fresh)]

    def _normalise(self):
        """Validate and place parameters on the time grid (where a source needs it)."""

    def inject_into(self, cells):
        groups = {}
        for cell in cells:
            if cell.celltype.injectable is False:
                raise TypeError("Can't inject current into a spike source.")
            groups.setdefault(id(cell.parent), (cell.parent, []))[1].append(int(cell) - int(cell.parent.first_id))
        for parent, idx in groups.values():
            whole = len(set(idx)) == parent.size
            source = parent._neuromem.inject(self._neuromem_source(), cells=None if whole else idx)
            self._targets.append((parent, source))

    def record(self):
        """Keep the injected current for :meth:`get_data` (kept always: this marks intent, as in PyNN)."""

    def _get_data(self):
        dt, n = state.dt, int(round(state.t / state.dt)) + 1
        values = np.zeros(n)
        marks = [k for k, _ in self._history] + [n]
        for (k0, source), k1 in zip(self._history, marks[1:]):
            if k1 > k0:
                values[k0:k1] = self._trace(source, k0, k1 - k0)
        return np.arange(n) * dt, values

    def _trace(self, source, k0, steps):
        """The current of ``source`` on steps ``k0 .. k0 + steps - 1`` (at the first target cell for noise)."""
        sim = state.sim
        if getattr(source, "stochastic", False):
            if not self._targets or sim is None:
                return 0.0
            parent, injected = self._targets[0]
            pop = parent._neuromem
            key = (3, pop.index, next(i for i, s in enumerate(pop.sources) if s is injected))
            cell = 0 if injected.cells is None else int(injected.cells[0])
            table = source.table(k0, state.dt, steps, pop.size,
                                 lambda b: sim._block(key, b, lambda r: source.draw(r, pop.size)))
            return 0.0 if table is None else table[:, cell]
        table = source.table(k0, state.dt, steps, 1, None)
        return 0.0 if table is None else table[:, 0]


class DCSource(_CurrentSource, electrodes.DCSource):
    __doc__ = electrodes.DCSource.__doc__
    translations = _identity("amplitude", "start", "stop")

    def _neuromem_source(self):
        p = self._native
        return nm.DCSource(amplitude=float(p["amplitude"]), start=float(p["start"]), stop=_stop(p["stop"]))


class ACSource(_CurrentSource, electrodes.ACSource):
    __doc__ = electrodes.ACSource.__doc__
    translations = _identity("amplitude", "start", "stop", "frequency", "offset", "phase")

    def _neuromem_source(self):
        p = self._native
        return nm.ACSource(amplitude=float(p["amplitude"]), offset=float(p["offset"]),
                           frequency=float(p["frequency"]), phase=float(p["phase"]), start=float(p["start"]),
                           stop=_stop(p["stop"]))


class StepCurrentSource(_CurrentSource, electrodes.StepCurrentSource):
    __doc__ = electrodes.StepCurrentSource.__doc__
    translations = _identity("amplitudes", "times")

    def _normalise(self):
        """Times on the time grid; of several times on one step the last amplitude wins (as PyNN's backends)."""
        times = np.asarray(self._native["times"], dtype=float).reshape(-1)
        amplitudes = np.asarray(self._native["amplitudes"], dtype=float).reshape(-1)
        if (times < 0).any():
            raise ValueError("Step current cannot accept negative timestamps.")
        if (np.diff(times) <= 0).any():
            raise ValueError("Step current timestamps should be monotonically increasing.")
        grid = np.rint(times / state.dt) * state.dt
        unique, index = np.unique(grid[::-1], return_index=True)
        self._native["times"], self._native["amplitudes"] = unique, amplitudes[::-1][index]

    def _neuromem_source(self):
        return nm.StepCurrentSource(times=self._native["times"], amplitudes=self._native["amplitudes"])


class NoisyCurrentSource(_CurrentSource, electrodes.NoisyCurrentSource):
    __doc__ = electrodes.NoisyCurrentSource.__doc__
    translations = _identity("mean", "start", "stop", "stdev", "dt")

    def _neuromem_source(self):
        p = self._native
        return nm.NoisyCurrentSource(mean=float(p["mean"]), stdev=float(p["stdev"]), dt=float(p["dt"] or state.dt),
                                     start=float(p["start"]), stop=_stop(p["stop"]))


# -- synapses ------------------------------------------------------------------------------------

def check_weights(weights, projection):
    """PyNN's weight check with either sign on current-based inhibitory synapses: pyNN.nest wants them negative,
    sPyNNaker positive, and neuromem takes a script written for either (the receptor gives the sign; the weights
    are stored as magnitudes).  Mixed signs, and negative excitatory or conductance weights, are refused as PyNN
    refuses them."""
    w = np.asarray(weights, dtype=float)
    if not np.isfinite(w).all():
        raise ConnectionError("Weights must be finite numbers.")
    if (w > 0).any() and (w < 0).any():
        raise ConnectionError("Weights must be either all positive or all negative")
    inhibitory_current = projection.receptor_type == "inhibitory" and not projection.post.conductance_based
    if (w < 0).any() and not inhibitory_current:
        raise ConnectionError("Weights must be positive for conductance-based and/or excitatory synapses")


def _min_delay():
    """The default delay: ``setup``'s ``min_delay``, or the time step with ``"auto"``."""
    return state.dt if state.auto_min_delay else state.min_delay


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    parameter_checks = {"weight": check_weights}
    translations = _identity("weight", "delay")

    def _get_minimum_delay(self):
        return _min_delay()


class STDPMechanism(synapses.STDPMechanism):
    __doc__ = synapses.STDPMechanism.__doc__
    parameter_checks = {"weight": check_weights}
    base_translations = _identity("weight", "delay", "dendritic_delay_fraction")

    def _get_minimum_delay(self):
        return _min_delay()


#: the synapse parameters neuromem keeps per synapse besides weight and delay (Tsodyks-Markram; the probability)
PER_SYNAPSE = ("U", "tau_rec", "tau_facil", "p")


class TsodyksMarkramSynapse(synapses.TsodyksMarkramSynapse):
    __doc__ = synapses.TsodyksMarkramSynapse.__doc__
    parameter_checks = {"weight": check_weights}
    translations = _identity("weight", "delay", "U", "tau_rec", "tau_facil")

    def _get_minimum_delay(self):
        return _min_delay()


class SimpleStochasticSynapse(synapses.SimpleStochasticSynapse):
    __doc__ = synapses.SimpleStochasticSynapse.__doc__
    parameter_checks = {"weight": check_weights}
    translations = _identity("weight", "delay", "p")

    def _get_minimum_delay(self):
        return _min_delay()


class AdditiveWeightDependence(synapses.AdditiveWeightDependence):
    __doc__ = synapses.AdditiveWeightDependence.__doc__
    translations = _identity("w_max", "w_min")
    neuromem = nm.AdditiveWeightDependence


class MultiplicativeWeightDependence(synapses.MultiplicativeWeightDependence):
    __doc__ = synapses.MultiplicativeWeightDependence.__doc__
    translations = _identity("w_max", "w_min")
    neuromem = nm.MultiplicativeWeightDependence


class AdditivePotentiationMultiplicativeDepression(synapses.AdditivePotentiationMultiplicativeDepression):
    __doc__ = synapses.AdditivePotentiationMultiplicativeDepression.__doc__
    translations = _identity("w_max", "w_min")
    neuromem = nm.AdditivePotentiationMultiplicativeDepression


class SpikePairRule(synapses.SpikePairRule):
    __doc__ = synapses.SpikePairRule.__doc__
    translations = _identity("tau_plus", "tau_minus", "A_plus", "A_minus")


def neuromem_synapse(synapse_type, weights, delays, per_synapse=None):
    """The neuromem synapse of a PyNN synapse type with the connections' weights, delays and other per-connection
    parameters (:data:`PER_SYNAPSE`)."""
    if isinstance(synapse_type, TsodyksMarkramSynapse):
        return nm.TsodyksMarkramSynapse(weight=weights, delay=delays, **per_synapse)
    if isinstance(synapse_type, SimpleStochasticSynapse):
        return nm.SimpleStochasticSynapse(weight=weights, delay=delays, **per_synapse)
    if isinstance(synapse_type, STDPMechanism):
        td, wd = synapse_type.timing_dependence, synapse_type.weight_dependence
        tp, wp = _scalars(td.native_parameters), _scalars(wd.native_parameters)
        rule = nm.SpikePairRule(tau_plus=tp["tau_plus"], tau_minus=tp["tau_minus"], A_plus=tp["A_plus"],
                                A_minus=tp["A_minus"])
        return nm.STDPMechanism(rule, type(wd).neuromem(w_min=wp["w_min"], w_max=wp["w_max"]), weight=weights,
                                delay=delays)
    return nm.StaticSynapse(weight=weights, delay=delays)
