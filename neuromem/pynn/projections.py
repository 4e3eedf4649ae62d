"""PyNN projections as neuromem projections: PyNN's connectors choose the connections, neuromem stores and
runs them."""
from __future__ import annotations

import numpy as np
from pyNN import common
from pyNN.space import Space

from . import simulator
from .standardmodels import SHORT_TERM_PARAMETERS, StaticSynapse, neuromem_synapse


class Connection(common.Connection):
    """One synapse, read through to neuromem (weights change with plasticity); pre- and postsynaptic indices
    are those in the projection's populations (or views)."""

    def __init__(self, projection, index):
        self.projection = projection
        self.index = index

    @property
    def presynaptic_index(self):
        return int(self.projection._local[self.index, 0])

    @property
    def postsynaptic_index(self):
        return int(self.projection._local[self.index, 1])

    @property
    def weight(self):
        return float(self.projection._neuromem.weight[self.index])

    @weight.setter
    def weight(self, value):
        w = self.projection._neuromem.weight.copy()
        w[self.index] = abs(float(value))
        self.projection._neuromem.set(weight=w)

    @property
    def delay(self):
        return float(self.projection._neuromem.delay[self.index])

    @delay.setter
    def delay(self, value):
        if simulator.state.sim is not None:
            raise NotImplementedError("pyNN.neuromem sets delays before the first run only")
        self.projection._neuromem.delay[self.index] = float(value)

    def __getattr__(self, name):
        # a parameter of the synapse type: per synapse (short-term plasticity) or one for the whole projection
        if name.startswith("_") or name in ("projection", "index"):
            raise AttributeError(name)
        short_term = self.projection._neuromem.short_term
        if name in short_term:
            return float(short_term[name][self.index])
        synapse = self.projection.synapse_type
        if name not in synapse.get_parameter_names():
            raise AttributeError(f"pyNN.neuromem Connection has no attribute '{name}'")
        space = synapse.parameter_space
        space.shape = (1,)
        space.evaluate(simplify=True)
        return float(np.atleast_1d(space[name])[0])

    def as_tuple(self, *attribute_names):
        return tuple(getattr(self, name) for name in attribute_names)


class _Connections:
    """The connections of a projection as a sequence, each :class:`Connection` made when it is asked for (a
    list of ten million objects would take longer than building the synapses)."""

    def __init__(self, projection, n):
        self.projection, self.n = projection, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [Connection(self.projection, k) for k in range(*i.indices(self.n))]
        i = int(i)
        if not -self.n <= i < self.n:
            raise IndexError(i)
        return Connection(self.projection, i % self.n)

    def __iter__(self):
        return (Connection(self.projection, k) for k in range(self.n))


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = StaticSynapse

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
        names = ("weight", "delay", *SHORT_TERM_PARAMETERS)
        values = [np.broadcast_to(np.asarray(connection_parameters[k], dtype=float), pre.shape)
                  for k in names if k in connection_parameters]
        self._pairs.append(np.column_stack((pre, np.full(pre.shape, int(postsynaptic_index)), *values)))

    def _build(self):
        from ..core import FromListConnector
        width = 4 + sum(k in self.synapse_type.get_parameter_names() for k in SHORT_TERM_PARAMETERS)
        rows = np.concatenate(self._pairs) if self._pairs else np.zeros((0, width))
        self._pairs = []
        key = rows[:, 0].astype(np.int64) * max(1, self.post.size) + rows[:, 1].astype(np.int64)
        rows = rows[np.argsort(key, kind="stable")]            # by pre, then post (neuromem's synapse order)
        self._local = rows[:, :2].astype(np.int64)
        pre, post = self._neuromem_population(self.pre), self._neuromem_population(self.post)
        receptor = "inhibitory" if self.receptor_type == "inhibitory" else "excitatory"
        synapse = neuromem_synapse(self.synapse_type, np.abs(rows[:, 2]), rows[:, 3],
                                   dict(zip(SHORT_TERM_PARAMETERS, rows[:, 4:].T)))
        self._neuromem = simulator.state.net.projection(
            pre, post, FromListConnector(np.column_stack((self._global(self.pre, rows[:, 0]),
                                                          self._global(self.post, rows[:, 1])))),
            synapse, receptor_type=receptor, label=self.label)
        self.connections = _Connections(self, len(rows))

    @staticmethod
    def _parent(p):
        """The one population whose cells ``p`` (a population, view or assembly) holds."""
        parents = {id(c.parent): c.parent for c in p.all_cells}
        if len(parents) != 1:
            raise NotImplementedError(f"pyNN.neuromem: a projection to or from '{p.label}', which spans "
                                      f"{len(parents)} populations; make one projection per population")
        return next(iter(parents.values()))

    def _neuromem_population(self, p):
        return self._parent(p)._neuromem

    def _global(self, p, local):
        """Indices of ``p``'s cells ``local`` in their population."""
        parent = self._parent(p)
        ids = np.asarray(p.all_cells, dtype=np.int64)[local.astype(np.int64)]
        return ids - int(parent.first_id)

    def __len__(self):
        return len(self._local)

    def _set_attributes(self, parameter_space):
        parameter_space.evaluate(mask=(slice(None), slice(None)))
        prj = self._neuromem
        for name, value in parameter_space.items():
            matrix = np.asarray(value, dtype=float) if np.ndim(value) else None
            values = np.abs(matrix[self._local_pre(), self._local_post()]) if matrix is not None \
                else abs(float(value))
            if name == "weight":
                prj.set(weight=values)
            elif name == "delay" and simulator.state.sim is None:
                prj.delay = np.array(np.broadcast_to(values, prj.delay.shape), dtype=float)
            elif name == "delay":
                raise NotImplementedError("pyNN.neuromem sets delays before the first run only (its delay buffers "
                                          "are laid out then)")
            elif name in prj.short_term:
                prj.set(**{name: values})
            else:
                raise NotImplementedError(f"pyNN.neuromem sets the weights and delays of a projection; not '{name}' "
                                          f"(one value for the whole projection, given with its synapse type)")

    def _values(self, name):
        """One value per connection of ``name`` (weight, delay, an index, or a synapse type's parameter)."""
        prj = self._neuromem
        if name in ("weight", "weights"):
            return prj.weight
        if name in ("delay", "delays"):
            return prj.delay
        if name == "presynaptic_index":
            return self._local[:, 0]
        if name == "postsynaptic_index":
            return self._local[:, 1]
        if name in prj.short_term:
            return prj.short_term[name]
        return np.full(len(self), getattr(Connection(self, 0), name) if len(self) else np.nan)

    def _get_attributes_as_list(self, names):
        columns = [self._values(n) for n in names]
        return [tuple(float(c[i]) if n not in ("presynaptic_index", "postsynaptic_index") else int(c[i])
                      for n, c in zip(names, columns)) for i in range(len(self))]

    def _get_attributes_as_arrays(self, names, multiple_synapses="sum"):
        op = common.Projection.MULTI_SYNAPSE_OPERATIONS[multiple_synapses]
        pre, post = self._local[:, 0], self._local[:, 1]
        out = []
        for name in names:
            name = {"weights": "weight", "delays": "delay"}.get(name, name)
            values = np.full((self.pre.size, self.post.size), np.nan)
            v = self._values(name)
            flat = pre * self.post.size + post
            if np.unique(flat).size == flat.size:
                values[pre, post] = v
            else:
                for i, j, x in zip(pre, post, v):
                    values[i, j] = x if np.isnan(values[i, j]) else op(values[i, j], x)
            out.append(values)
        return out

    def _local_pre(self):
        return self._local[:, 0]

    def _local_post(self):
        return self._local[:, 1]
