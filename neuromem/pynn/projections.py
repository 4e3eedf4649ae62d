"""PyNN projections as neuromem projections: PyNN's connectors choose the connections, neuromem stores and
runs them."""
from __future__ import annotations

import numpy as np
from pyNN import common
from pyNN.space import Space

from . import simulator
from .standardmodels import neuromem_synapse


class Connection(common.Connection):
    """One synapse, read through to neuromem (weights change with plasticity)."""

    def __init__(self, projection, index):
        self.projection = projection
        self.index = index

    @property
    def presynaptic_index(self):
        return int(self.projection._neuromem.pre_idx[self.index])

    @property
    def postsynaptic_index(self):
        return int(self.projection._neuromem.post_idx[self.index])

    @property
    def weight(self):
        return float(self.projection._neuromem.weight[self.index])

    @property
    def delay(self):
        return float(self.projection._neuromem.delay[self.index])

    def as_tuple(self, *attribute_names):
        return tuple(getattr(self, name) for name in attribute_names)


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator

    def __init__(self, presynaptic_population, postsynaptic_population, connector, synapse_type=None, source=None,
                 receptor_type=None, space=Space(), label=None):
        common.Projection.__init__(self, presynaptic_population, postsynaptic_population, connector, synapse_type,
                                   source, receptor_type, space, label)
        self._pairs = []
        connector.connect(self)
        self._build()

    def _convergent_connect(self, presynaptic_indices, postsynaptic_index, location_selector=None,
                            **connection_parameters):
        if location_selector is not None:
            raise NotImplementedError("pyNN.neuromem has no multicompartment neurons")
        pre = np.atleast_1d(np.asarray(presynaptic_indices, dtype=np.int64))
        w = np.broadcast_to(np.asarray(connection_parameters["weight"], dtype=float), pre.shape)
        d = np.broadcast_to(np.asarray(connection_parameters["delay"], dtype=float), pre.shape)
        self._pairs.append(np.column_stack((pre, np.full(pre.shape, int(postsynaptic_index)), w, d)))

    def _build(self):
        from ..core import FromListConnector
        rows = np.concatenate(self._pairs) if self._pairs else np.zeros((0, 4))
        order = np.lexsort((rows[:, 1], rows[:, 0]))
        rows = rows[order]
        pre, post = self._neuromem_population(self.pre), self._neuromem_population(self.post)
        receptor = "inhibitory" if self.receptor_type == "inhibitory" else "excitatory"
        synapse = neuromem_synapse(self.synapse_type, np.abs(rows[:, 2]), rows[:, 3])
        self._neuromem = simulator.state.net.projection(
            pre, post, FromListConnector(np.column_stack((self._global(self.pre, rows[:, 0]),
                                                          self._global(self.post, rows[:, 1])))),
            synapse, receptor_type=receptor, label=self.label)
        self.connections = [Connection(self, i) for i in range(len(rows))]

    @staticmethod
    def _neuromem_population(p):
        return p._neuromem if hasattr(p, "_neuromem") else p.grandparent._neuromem

    @staticmethod
    def _global(p, local):
        """Indices of a population view's cells in their population."""
        if hasattr(p, "_neuromem"):
            return local.astype(np.int64)
        return np.asarray(p.index_in_grandparent(local.astype(np.int64)), dtype=np.int64)

    def __len__(self):
        return len(self.connections)

    def _set_attributes(self, parameter_space):
        parameter_space.evaluate(mask=(slice(None), slice(None)))
        prj = self._neuromem
        for name, value in parameter_space.items():
            matrix = np.asarray(value, dtype=float) if np.ndim(value) else None
            if name == "weight":
                prj.set(weight=np.abs(matrix[self._local_pre(), self._local_post()]) if matrix is not None
                        else abs(float(value)))
            else:
                raise NotImplementedError(f"pyNN.neuromem sets the weights of a projection; not '{name}'")

    def _local_pre(self):
        return np.array([c.presynaptic_index for c in self.connections], dtype=np.int64)

    def _local_post(self):
        return np.array([c.postsynaptic_index for c in self.connections], dtype=np.int64)
