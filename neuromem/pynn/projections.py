"""PyNN projections as neuromem projections: PyNN's connectors choose the connections, neuromem stores and
runs them."""
from __future__ import annotations

import numpy as np
from pyNN import common
from pyNN.space import Space

from . import simulator
from .standardmodels import PER_SYNAPSE, StaticSynapse, neuromem_synapse

#: the pair-rule parameters, one value per projection (timing dependence, then weight dependence)
RULE_PARAMETERS = ("tau_plus", "tau_minus", "A_plus", "A_minus", "w_min", "w_max")


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
        part, j = self.projection._locate(self.index)
        return float(part.weight[j])

    @weight.setter
    def weight(self, value):
        part, j = self.projection._locate(self.index)
        w = part.weight.copy()
        w[j] = abs(float(value))
        part.set(weight=w)

    @property
    def delay(self):
        part, j = self.projection._locate(self.index)
        return float(part.delay[j])

    @delay.setter
    def delay(self, value):
        part, j = self.projection._locate(self.index)
        d = part.delay.copy()
        d[j] = float(value)
        part.set(delay=d)

    def __getattr__(self, name):
        # a parameter of the synapse type: per synapse (short-term plasticity) or one for the whole projection
        if name.startswith("_") or name in ("projection", "index"):
            raise AttributeError(name)
        part, j = self.projection._locate(self.index)
        if name in part.short_term:
            return float(part.short_term[name][j])
        if name in RULE_PARAMETERS and part.synapse.plastic:
            rule = part.synapse.timing_dependence if name in RULE_PARAMETERS[:4] else part.synapse.weight_dependence
            return float(getattr(rule, name))
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
        names = ("weight", "delay", *PER_SYNAPSE)
        values = [np.broadcast_to(np.asarray(connection_parameters[k], dtype=float), pre.shape)
                  for k in names if k in connection_parameters]
        self._pairs.append(np.column_stack((pre, np.full(pre.shape, int(postsynaptic_index)), *values)))

    def _build(self):
        """One neuromem projection per pair of populations the connections join (an assembly may span several):
        ``self._parts``, each with the indices of its connections; connection ``i`` (in PyNN's order, by pre then
        post) is synapse ``self._row_syn[i]`` of part ``self._row_part[i]``."""
        from ..core import FromListConnector
        extra = [k for k in PER_SYNAPSE if k in self.synapse_type.get_parameter_names()]
        width = 4 + len(extra)
        rows = np.concatenate(self._pairs) if self._pairs else np.zeros((0, width))
        self._pairs = []
        key = rows[:, 0].astype(np.int64) * max(1, self.post.size) + rows[:, 1].astype(np.int64)
        rows = rows[np.argsort(key, kind="stable")]            # by pre, then post (PyNN's order)
        self._local = rows[:, :2].astype(np.int64)
        self._populations = []
        pre_parent, pre_index = self._cells(self.pre)
        post_parent, post_index = self._cells(self.post)
        receptor = "inhibitory" if self.receptor_type == "inhibitory" else "excitatory"
        a, b = pre_parent[self._local[:, 0]], post_parent[self._local[:, 1]]
        gpre, gpost = pre_index[self._local[:, 0]], post_index[self._local[:, 1]]
        self._parts, self._row_part, self._row_syn = [], np.zeros(len(rows), np.int64), np.zeros(len(rows), np.int64)
        groups = a * len(self._populations) + b
        kinds = np.unique(groups)
        for g in kinds:
            sel = np.flatnonzero(groups == g)
            sel = sel[np.lexsort((gpost[sel], gpre[sel]))]       # neuromem's synapse order within the part
            r = rows[sel]
            synapse = neuromem_synapse(self.synapse_type, np.abs(r[:, 2]), r[:, 3],
                                       dict(zip(extra, r[:, 4:].T)))
            part = simulator.state.net.projection(
                self._populations[a[sel[0]]]._neuromem, self._populations[b[sel[0]]]._neuromem,
                FromListConnector(np.column_stack((gpre[sel], gpost[sel]))), synapse, receptor_type=receptor,
                label=self.label if kinds.size == 1 else f"{self.label} ({len(self._parts)})")
            self._row_part[sel] = len(self._parts)
            self._row_syn[sel] = np.arange(sel.size)
            self._parts.append((part, sel))
        self.connections = _Connections(self, len(rows))

    def _cells(self, p):
        """For each cell of ``p`` (a population, view or assembly): the number of its population in
        ``self._populations`` (added as met) and its index there."""
        parent, index = np.zeros(p.size, np.int64), np.zeros(p.size, np.int64)
        for k, cell in enumerate(p.all_cells):
            owner = cell.parent
            found = [n for n, q in enumerate(self._populations) if q is owner]
            if not found:
                self._populations.append(owner)
                found = [len(self._populations) - 1]
            parent[k] = found[0]
            index[k] = int(cell) - int(owner.first_id)
        return parent, index

    def _locate(self, i):
        """The neuromem projection holding connection ``i``, and the synapse's index in it."""
        return self._parts[self._row_part[i]][0], int(self._row_syn[i])

    def _column(self, name):
        """One value per connection of a per-synapse quantity (weight, delay, a short-term parameter)."""
        out = np.empty(len(self))
        for part, sel in self._parts:
            out[sel] = getattr(part, name) if name in ("weight", "delay") else part.short_term[name]
        return out

    def __len__(self):
        return len(self._local)

    def _set_attributes(self, parameter_space):
        parameter_space.evaluate(mask=(slice(None), slice(None)))
        short_term = set(self._parts[0][0].short_term) if self._parts else set()
        for name, value in parameter_space.items():
            matrix = np.asarray(value, dtype=float) if np.ndim(value) else None
            values = np.abs(matrix[self._local_pre(), self._local_post()]) if matrix is not None \
                else np.full(len(self), abs(float(value)))
            if name in RULE_PARAMETERS and self._parts and self._parts[0][0].synapse.plastic:
                if np.ptp(values) > 0:
                    raise NotImplementedError(f"pyNN.neuromem keeps one '{name}' per projection (its STDP rule); "
                                              "give one value for all connections")
                for part, _ in self._parts:
                    part.set_rule(**{name: float(values[0])})
                continue
            if name not in ("weight", "delay") and name not in short_term:
                raise NotImplementedError(f"pyNN.neuromem sets the weights, delays and per-synapse parameters of a "
                                          f"projection; not '{name}'")
            for part, sel in self._parts:
                part.set(**{name: values[sel]})

    def _values(self, name):
        """One value per connection of ``name`` (weight, delay, an index, or a synapse type's parameter)."""
        name = {"weights": "weight", "delays": "delay"}.get(name, name)
        if name == "presynaptic_index":
            return self._local[:, 0]
        if name == "postsynaptic_index":
            return self._local[:, 1]
        if name in ("weight", "delay") or (self._parts and name in self._parts[0][0].short_term):
            return self._column(name)
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
