"""PyNN's standard models on neuromem: each maps its PyNN parameters one to one onto a neuromem cell type,
synapse type or current source (neuromem uses PyNN's names and units)."""
from __future__ import annotations

import numpy as np
from pyNN.errors import InvalidParameterValueError
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


class IF_cond_exp(cells.IF_cond_exp):
    __doc__ = cells.IF_cond_exp.__doc__
    translations = _identity("tau_m", "cm", "v_rest", "v_thresh", "v_reset", "tau_refrac", "i_offset",
                             "tau_syn_E", "tau_syn_I", "e_rev_E", "e_rev_I")
    neuromem = nm.IF_cond_exp


class IF_curr_delta(cells.IF_curr_delta):
    __doc__ = cells.IF_curr_delta.__doc__ + "\n    On neuromem: the SpiNNaker emulation only (``setup(spinnaker=True)``)."
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


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    translations = _identity("spike_times")
    neuromem = nm.SpikeSourceArray


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
    return kind(**{k: (v if np.ndim(v) else float(v)) for k, v in parameters.items()})


# -- current sources -----------------------------------------------------------------------------

class _CurrentSource:
    """Injection into PyNN cells: into whole neuromem populations (neuromem's current sources act on a
    whole population)."""

    def inject_into(self, cells):
        groups = {}
        for cell in cells:
            groups.setdefault(cell.parent, []).append(int(cell))
        for parent, ids in groups.items():
            if len(ids) != parent.size:
                raise NotImplementedError("pyNN.neuromem injects current sources into whole populations; "
                                          f"{len(ids)} of the {parent.size} cells of '{parent.label}' were given")
            parent._neuromem.inject(self._neuromem_source())


class DCSource(_CurrentSource, electrodes.DCSource):
    __doc__ = electrodes.DCSource.__doc__
    translations = _identity("amplitude", "start", "stop")

    def _neuromem_source(self):
        p = _scalars(self.native_parameters)
        stop = p["stop"]
        return nm.DCSource(amplitude=p["amplitude"], start=p["start"], stop=None if stop in (None, 1e12) else stop)


class NoisyCurrentSource(_CurrentSource, electrodes.NoisyCurrentSource):
    __doc__ = electrodes.NoisyCurrentSource.__doc__
    translations = _identity("mean", "start", "stop", "stdev", "dt")

    def _neuromem_source(self):
        p = _scalars(self.native_parameters)
        stop = p["stop"]
        return nm.NoisyCurrentSource(mean=p["mean"], stdev=p["stdev"], dt=p["dt"] or state.dt, start=p["start"],
                                     stop=None if stop in (None, 1e12) else stop)


# -- synapses ------------------------------------------------------------------------------------

def _min_delay():
    """The default delay: ``setup``'s ``min_delay``, or the time step with ``"auto"``."""
    return state.dt if state.auto_min_delay else state.min_delay


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = _identity("weight", "delay")

    def _get_minimum_delay(self):
        return _min_delay()


class STDPMechanism(synapses.STDPMechanism):
    __doc__ = synapses.STDPMechanism.__doc__
    base_translations = _identity("weight", "delay", "dendritic_delay_fraction")

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


class SpikePairRule(synapses.SpikePairRule):
    __doc__ = synapses.SpikePairRule.__doc__
    translations = _identity("tau_plus", "tau_minus", "A_plus", "A_minus")


def neuromem_synapse(synapse_type, weights, delays):
    """The neuromem synapse of a PyNN synapse type with the connections' weights and delays."""
    if isinstance(synapse_type, STDPMechanism):
        td, wd = synapse_type.timing_dependence, synapse_type.weight_dependence
        tp, wp = _scalars(td.native_parameters), _scalars(wd.native_parameters)
        rule = nm.SpikePairRule(tau_plus=tp["tau_plus"], tau_minus=tp["tau_minus"], A_plus=tp["A_plus"],
                                A_minus=tp["A_minus"])
        return nm.STDPMechanism(rule, type(wd).neuromem(w_min=wp["w_min"], w_max=wp["w_max"]), weight=weights,
                                delay=delays)
    return nm.StaticSynapse(weight=weights, delay=delays)
