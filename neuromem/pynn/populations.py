"""PyNN populations as neuromem populations (created at once in the backend's network)."""
from __future__ import annotations

import warnings

import numpy as np
from pyNN import common, errors
from pyNN.parameters import ParameterSpace, simplify
from pyNN.standardmodels import StandardCellType

from . import simulator
from .recording import Recorder
from .standardmodels import neuromem_cell, standard_cell_types


class Assembly(common.Assembly):
    _simulator = simulator


def _parameters_of(celltype, names, values, mask):
    if isinstance(celltype, StandardCellType):
        if any(name in celltype.computed_parameters() for name in names):
            native = celltype.get_native_names()
        else:
            native = celltype.get_native_names(*names)
        return celltype.reverse_translate(
            ParameterSpace({n: simplify(values[n][mask] if isinstance(values[n], np.ndarray) else values[n])
                            for n in native}, shape=(int(np.count_nonzero(mask)),)))
    raise errors.NotLocalError("pyNN.neuromem supports PyNN's standard cell types")


class _StateBySet:
    """``set(v=...)``: sPyNNaker's scripts set initial state with ``set`` (PyNN's own backends want
    ``initialize``); a state variable given to ``set`` is initialised, with a warning, so such scripts run
    unchanged."""

    def set(self, **parameters):
        state = {k: parameters.pop(k) for k in list(parameters)
                 if k in self.celltype.default_initial_values and k not in self.celltype.get_parameter_names()}
        if state:
            warnings.warn(f"pyNN.neuromem: set({', '.join(state)}=...) initialises state variables as sPyNNaker "
                          "does; PyNN's way is initialize()", stacklevel=2)
            self.initialize(**state)
        if parameters:
            super().set(**parameters)


class PopulationView(_StateBySet, common.PopulationView):
    _assembly_class = Assembly
    _simulator = simulator

    def __init__(self, parent, selector, label=None):
        # a range or tuple of indices, as sPyNNaker's scripts give (PyNN's common code takes lists and arrays)
        if isinstance(selector, (range, tuple)):
            selector = np.asarray(selector, dtype=int)
        common.PopulationView.__init__(self, parent, selector, label)

    def _get_parameters(self, *names):
        return _parameters_of(self.celltype, names, self.parent._parameters, self.mask_array())

    def mask_array(self):
        m = np.zeros(self.parent.size, dtype=bool)
        m[self.mask] = True
        return m

    def _set_parameters(self, parameter_space):
        for name, value in parameter_space.items():
            full = np.array(np.broadcast_to(self.parent._parameters[name], (self.parent.size,)), dtype=object
                            if name == "spike_times" else float)
            full[self.mask] = value.evaluate(simplify=False)
            self.parent._parameters[name] = full
        self.parent._push_parameters()

    def _set_initial_value_array(self, variable, initial_values):
        values = np.array(self.parent._neuromem.initial[variable], dtype=float)
        values[self.mask] = initial_values.evaluate(simplify=False) if hasattr(initial_values, "evaluate") \
            else initial_values
        self.parent._neuromem.initialize(**{variable: values})

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)


class Population(_StateBySet, common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def _create_cells(self):
        state = simulator.state
        ids = np.arange(state.id_counter, state.id_counter + self.size)
        self.all_cells = np.array([simulator.ID(i) for i in ids], dtype=simulator.ID)
        self._mask_local = np.ones(self.size, dtype=bool)
        for cell in self.all_cells:
            cell.parent = self
        state.id_counter += self.size
        if not isinstance(self.celltype, StandardCellType) or not hasattr(type(self.celltype), "neuromem"):
            raise NotImplementedError(f"pyNN.neuromem has no {type(self.celltype).__name__}; it runs "
                                      f"{', '.join(standard_cell_types())}")
        space = self.celltype.native_parameters
        space.shape = (self.size,)
        space.evaluate(simplify=False)
        self._parameters = space.as_dict()
        cell = neuromem_cell(self.celltype, self._evaluated(), self.size)
        self._neuromem = state.net.population(self.size, cell, label=self.label or f"population{len(state.net.populations)}")
        initial = {k: v for k, v in self.celltype.default_initial_values.items() if k in self._neuromem.initial}
        if initial:
            self._neuromem.initialize(**{k: float(v) for k, v in initial.items()})

    def _evaluated(self) -> dict:
        out = {}
        for name, value in self._parameters.items():
            if name == "spike_times":
                out[name] = value
            else:
                arr = np.asarray(value, dtype=float)
                out[name] = float(arr.flat[0]) if arr.size and np.all(arr == arr.flat[0]) else arr
        return out

    def _push_parameters(self):
        """Changed parameters into the neuromem population (they act from the next run)."""
        values = self._evaluated()
        if "spike_times" in values:
            times = values["spike_times"]
            self._neuromem.set(spike_times=[np.asarray(getattr(t, "value", t), dtype=float).tolist()
                                            for t in np.atleast_1d(times)])
        else:
            self._neuromem.set(**values)

    def _set_initial_value_array(self, variable, initial_values):
        values = initial_values.evaluate(simplify=False) if hasattr(initial_values, "evaluate") else initial_values
        self._neuromem.initialize(**{variable: np.broadcast_to(np.asarray(values, dtype=float), (self.size,))})

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    def _get_parameters(self, *names):
        return _parameters_of(self.celltype, names, self._parameters, np.ones(self.size, dtype=bool))

    def _set_parameters(self, parameter_space):
        parameter_space.evaluate(simplify=False)
        for name, value in parameter_space.items():
            self._parameters[name] = value
        self._push_parameters()
