"""What is simulated: :class:`Network`, :class:`Population`, :class:`Projection`.

Nothing here runs; a :class:`~neuromem.core.simulator.Simulator` (or an export
backend) reads these objects.  Connectivity, weights and delays are drawn when a
projection is created, from the network's seed, so every engine that receives
the network sees the same synapses.
"""
from __future__ import annotations

import copy
import weakref

import numpy as np

from .._checks import check_array, check_int, check_names, fail
from ..params import Checked, check_memory, keywords
from ..random import child, seed_sequence
from .cells import CellType
from .connectors import Connector, FromListConnector
from .sources import CurrentSource, PoissonInput
from .synapses import RandomDistribution, StaticSynapse


class Population:
    """``size`` neurons of one cell type (create with :meth:`Network.population`).

    The population owns a copy of the cell type it is given, so populations built from one
    cell-type object do not share later parameter changes.
    """

    def __init__(self, network: "Network", size: int, celltype: CellType, label: str, index: int):
        self.network = network
        self.size = size
        self.celltype = celltype.copy()
        self.label = label
        self.index = index
        self.owner = f"Population '{label}'"
        self._draws = 0  # random parameter or state draws so far (each gets its own stream)
        if self.celltype.is_source:
            self.spike_times = (self.celltype.resolve_times(size, self.owner)
                                if hasattr(self.celltype, "resolve_times") else None)
        self._values = self.celltype.resolve(size, self.owner, self._stream)
        self.initial = {k: np.full(size, v, dtype=float) for k, v in self.celltype.initial_values.items()}
        self.recorded: dict[str, np.ndarray] = {}
        self.sources: list[CurrentSource] = []
        self.poisson_inputs: list[PoissonInput] = []
        self.version = 0        # bumped on every change of parameters, recording or sources
        self.init_version = 0   # bumped by initialize(): a simulator loads the new values into its state
        self.initialized: set = set()  # variables given to initialize() since a simulator last loaded them

    def __repr__(self):
        return f"Population({self.size}, {self.celltype!r}, label={self.label!r})"

    def __len__(self):
        return self.size

    def _stream(self):
        """A fresh random stream for one draw of a :class:`RandomDistribution` (keyed by population and draw)."""
        self._draws += 1
        return self.network.rng(2, self.index, self._draws)

    @property
    def values(self) -> dict:
        """Per-neuron parameter arrays by name (read them; change them with :meth:`set`)."""
        return self._values

    @keywords
    def get(self, name: str) -> np.ndarray:
        """Per-neuron values of parameter ``name``."""
        check_names(self.owner, "parameter", [name], self._values)
        return self._values[name].copy()

    @keywords
    def set(self, **params) -> None:
        """Change parameters (scalars, per-neuron arrays or :class:`RandomDistribution`); takes effect at the next run."""
        if self.celltype.is_source and "spike_times" in params:
            self.celltype.spike_times = params.pop("spike_times")
            self.spike_times = self.celltype.resolve_times(self.size, self.owner)
        check_names(self.owner, "parameter", params, self._values)
        merged = dict(self.celltype.params)
        merged.update({k: self._drawn(k, v) for k, v in params.items()})
        trial = self.celltype.copy()
        trial.params = merged
        self._values = trial.resolve(self.size, self.owner)
        self.celltype.params = merged
        self.version += 1

    def _drawn(self, name, value):
        if isinstance(value, RandomDistribution):
            return value.draw(self._stream(), self.size).astype(float)
        return value

    @keywords
    def initialize(self, **values) -> None:
        """Set state variables (e.g. ``v=-70.0``, an array, or a :class:`RandomDistribution`).

        As in PyNN: before the first run they are the initial state; after a run, the next run
        starts from them (the given variables only).
        """
        check_names(self.owner, "state variable", values, self.initial)
        for k, v in values.items():
            self.initial[k] = check_array(self.owner, k, self._drawn(k, v), self.size)
        self.initialized |= set(values)
        self.init_version += 1

    @keywords
    def record(self, variables, indices=None) -> None:
        """Record ``"spikes"`` and/or state variables (of ``indices``, default all)."""
        if isinstance(variables, str):
            variables = [variables]
        check_names(self.owner, "recordable", variables, self.celltype.recordable)
        if indices is None:
            idx = np.arange(self.size)
        else:
            idx = np.unique(np.asarray(indices, dtype=np.int64).reshape(-1))
            if idx.size and (idx.min() < 0 or idx.max() >= self.size):
                raise fail(self.owner, "indices", idx, f"expected indices in [0, {self.size})")
        for v in variables:
            self.recorded[v] = idx
        self.version += 1

    @keywords
    def inject(self, source: CurrentSource, cells=None) -> CurrentSource:
        """Inject a current source into every neuron of the population, or only into ``cells`` (indices); or add
        a :class:`~neuromem.core.sources.PoissonInput` to every neuron.

        Returns the source as the population holds it (a copy when ``cells`` are given), whose parameters
        may be changed between runs.
        """
        if self.celltype.is_source:
            raise fail(self.owner, "source", source, "spike sources take no current")
        if isinstance(source, PoissonInput) and cells is None:
            self.poisson_inputs.append(source)
            self.version += 1
            return source
        if not isinstance(source, CurrentSource):
            raise fail(self.owner, "source", source,
                       "expected a DCSource, StepCurrentSource, ACSource or NoisyCurrentSource, or a PoissonInput "
                       "(into the whole population)")
        if cells is not None:
            idx = np.unique(np.asarray(cells).reshape(-1))
            if idx.dtype.kind not in "iu" or (idx.size and (idx[0] < 0 or idx[-1] >= self.size)):
                raise fail(self.owner, "cells", cells, f"expected indices of neurons 0 .. {self.size - 1}")
            source = copy.copy(source)
            source.cells = idx.astype(np.int64)
        self.sources.append(source)
        self.version += 1
        return source


class Projection(Checked):
    """Synapses from ``pre`` to ``post`` (create with :meth:`Network.projection`).

    Attributes ``pre_idx``, ``post_idx``, ``weight`` (float64) and ``delay``
    (ms) hold one entry per synapse, sorted by pre then post.  The synapses are held once: pre neurons as row
    pointers ``row_ptr`` (the synapses of pre neuron ``j`` are ``row_ptr[j] .. row_ptr[j + 1] - 1``; ``pre_idx``
    is made from them on each read), post indices as int32; the first simulator that compiles the network takes
    ``post_idx`` and ``weight`` into its own arrays and leaves views of them here (``host``), so a synapse costs
    its post index, weight and delay, not twice that.
    """

    def __init__(self, network, pre, post, connector, synapse, receptor_type, label, index, rng):
        self.network, self.pre, self.post = network, pre, post
        self.connector, self.synapse, self.receptor_type = connector, synapse, receptor_type
        self.label, self.index = label, index
        self.owner = f"Projection '{label}'"
        pre_idx, post_idx = connector.connect(pre.size, post.size, rng, pre is post)
        self.row_ptr = np.zeros(pre.size + 1, np.int64)
        np.cumsum(np.bincount(pre_idx, minlength=pre.size), out=self.row_ptr[1:])
        del pre_idx
        self.post_idx = np.ascontiguousarray(post_idx, dtype=np.int32)
        del post_idx
        self._host = None
        n = self.post_idx.size
        self.dense = bool(connector.dense) and n == pre.size * post.size
        listed = isinstance(connector, FromListConnector)
        w = connector.listed(2) if listed else None
        d = connector.listed(3) if listed else None
        self.weight = self._checked_weights(self._values("weight", synapse.weight if w is None else w, n, rng))
        self.delay = self._checked_delays(self._values("delay", synapse.delay if d is None else d, n, rng))
        self.short_term = {name: self._short_term(name, getattr(synapse, name), rng) for name in synapse.per_synapse}
        self.dense = self.dense and not synapse.short_term      # each synapse keeps its own state
        self.version = 0
        self.delay_version = 0

    def _checked_delays(self, delay):
        if (delay <= 0).any():
            raise fail(self.owner, "delay", delay[delay <= 0][:3], "delays must be > 0 ms")
        if self.synapse.plastic and delay.size and np.ptp(delay) > 0:
            raise fail(self.owner, "delay", delay, "a plastic projection needs one delay value for all its synapses")
        return delay

    def _short_term(self, name, spec, rng):
        """One value per synapse of a per-synapse parameter, checked (U and p in [0, 1], time constants >= 0)."""
        values = self._values(name, spec, len(self), rng)
        if (values < 0).any() or (name in ("U", "p") and (values > 1).any()):
            raise fail(self.owner, name, values, f"expected {name} in [0, 1]" if name in ("U", "p") else
                       f"expected {name} >= 0 ms")
        return values

    def _checked_weights(self, w):
        """``w`` if it is a valid weight array for this projection (non-negative; within [w_min, w_max] if plastic)."""
        if (w < 0).any():
            raise fail(self.owner, "weight", w[w < 0][:3],
                       "weights must be >= 0; use receptor_type='inhibitory' for inhibition (PyNN convention)")
        if self.synapse.plastic:
            wd = self.synapse.weight_dependence
            if ((w < wd.w_min - 1e-12) | (w > wd.w_max + 1e-12)).any():
                raise fail(self.owner, "weight", w, f"weights of a plastic projection must lie in [w_min, w_max] = "
                           f"[{wd.w_min}, {wd.w_max}]")
        return w

    def _values(self, name, spec, n, rng):
        if isinstance(spec, RandomDistribution):
            if rng is None:
                raise fail(self.owner, name, spec, "a RandomDistribution is drawn when the projection is made")
            return spec.draw(rng, n).astype(float)
        try:
            arr = np.asarray(spec, dtype=float)
        except (TypeError, ValueError):
            raise fail(self.owner, name, spec, "expected numbers") from None
        if arr.ndim == 0:
            arr = np.full(n, float(arr))
        elif arr.shape == (self.pre.size, self.post.size):
            arr = arr[self.pre_idx, self.post_idx]
        elif arr.shape != (n,):
            raise fail(self.owner, name, spec, f"expected a scalar, a RandomDistribution, {n} values "
                       f"(one per synapse) or a ({self.pre.size}, {self.post.size}) matrix")
        if not np.isfinite(arr).all():
            raise fail(self.owner, name, arr, "expected finite numbers")
        return np.ascontiguousarray(arr, dtype=float).copy()

    @property
    def host(self):
        """The compiled network whose arrays hold ``post_idx`` and ``weight`` (None: this projection's own arrays).
        Held by a weak reference, so a projection does not keep a simulator's network alive."""
        return None if self._host is None else self._host()

    @host.setter
    def host(self, compiled) -> None:
        self._host = None if compiled is None else weakref.ref(compiled)

    @property
    def pre_idx(self) -> np.ndarray:
        """The pre neuron of each synapse (int64, made from ``row_ptr``)."""
        return np.repeat(np.arange(self.pre.size, dtype=np.int64), np.diff(self.row_ptr))

    def __len__(self):
        return self.post_idx.size

    def __repr__(self):
        return (f"Projection({self.pre.label!r} -> {self.post.label!r}, {self.connector!r}, "
                f"{self.synapse!r}, receptor_type={self.receptor_type!r}, n={len(self)})")

    def set(self, weight=None, delay=None, **short_term) -> None:
        """Replace the weights or delays (scalar, per synapse, or a (n_pre, n_post) matrix), checked as the
        constructor does; likewise ``U``, ``tau_rec`` and ``tau_facil`` of a
        :class:`~neuromem.core.synapses.TsodyksMarkramSynapse`.  New delays act on spikes emitted after the
        change (those already in flight arrive as they were sent, as in NEST)."""
        if weight is not None:
            self.weight = self._checked_weights(self._values("weight", weight, len(self), None))
            self.host = None       # its own array now, which a simulator copies its weights into after a run
        if delay is not None:
            self.delay = self._checked_delays(self._values("delay", delay, len(self), None))
            self.delay_version += 1
        for name, value in short_term.items():
            if name not in self.short_term:
                raise fail(self.owner, name, value, f"settable: weight{''.join(', ' + k for k in self.short_term)}")
            self.short_term[name] = self._short_term(name, value, None)
        self.version += 1

    def set_rule(self, **params) -> None:
        """Change a plastic projection's pair rule between runs: ``tau_plus``, ``tau_minus``, ``A_plus``,
        ``A_minus`` (its timing dependence) or ``w_min``, ``w_max`` (its weight dependence); checked as when made.
        The projection gets its own copy of the synapse type, so projections that shared it keep theirs."""
        if not self.synapse.plastic:
            raise fail(self.owner, "synapse", self.synapse, "a rule can be set on a plastic projection only")
        syn = copy.copy(self.synapse)
        syn.timing_dependence, syn.weight_dependence = copy.copy(syn.timing_dependence), copy.copy(syn.weight_dependence)
        for name, value in params.items():
            part = (syn.timing_dependence if name in ("tau_plus", "tau_minus", "A_plus", "A_minus") else
                    syn.weight_dependence if name in ("w_min", "w_max") else None)
            if part is None:
                raise fail(self.owner, name, value, "settable rule parameters: tau_plus, tau_minus, A_plus, A_minus, "
                           "w_min, w_max")
            setattr(part, name, value)
        if syn.weight_dependence.w_max < syn.weight_dependence.w_min:
            raise fail(self.owner, "w_max", syn.weight_dependence.w_max,
                       f"expected w_max >= w_min = {syn.weight_dependence.w_min}")
        self.synapse = syn
        self.version += 1

    def weight_matrix(self) -> np.ndarray:
        """Weights as an (n_pre, n_post) array, NaN where there is no synapse."""
        m = np.full((self.pre.size, self.post.size), np.nan)
        m[self.pre_idx, self.post_idx] = self.weight
        return m


class Network(Checked):
    """A set of populations and projections with one seed for its structure.

    Examples
    --------
    >>> net = Network(seed=1)
    >>> src = net.population(1, SpikeSourceArray(spike_times=[5.0]), label="in")
    >>> cell = net.population(1, IF_curr_exp(), label="cell")
    >>> prj = net.projection(src, cell, OneToOneConnector(), StaticSynapse(weight=2.0, delay=1.0))
    """

    def __init__(self, seed=0, label="network"):
        self.seed = seed
        self._ss = seed_sequence("Network", seed)
        self.label = label
        self.populations: list[Population] = []
        self.projections: list[Projection] = []

    def __repr__(self):
        return f"Network({self.label!r}, populations={len(self.populations)}, projections={len(self.projections)})"

    @property
    def size(self) -> int:
        return sum(p.size for p in self.populations)

    def rng(self, *key: int) -> np.random.Generator:
        """The random stream named ``key`` under this network's seed (keys 0 and 9 are free for model builders;
        1 is the projections', 2 the populations' parameter draws)."""
        return child(self._ss, *key)

    @property
    def seed_sequence(self) -> np.random.SeedSequence:
        """The root of this network's random streams (simulators derive theirs from it unless given a seed)."""
        return self._ss

    @keywords
    def population(self, size, celltype, label=None) -> Population:
        """Add ``size`` neurons of ``celltype``."""
        size = check_int("Network.population", "size", size, low=1)
        check_memory("Network.population", "size", size, 200.0 * size)   # state, parameters, buffers per neuron
        if not isinstance(celltype, CellType):
            raise fail("Network.population", "celltype", celltype,
                       "expected a cell type instance such as IF_curr_exp() or Izhikevich()")
        label = label or f"population{len(self.populations)}"
        if any(p.label == label for p in self.populations):
            raise fail("Network.population", "label", label, "labels must be unique in a network")
        pop = Population(self, size, celltype, label, len(self.populations))
        self.populations.append(pop)
        return pop

    @keywords
    def projection(self, pre, post, connector, synapse=None, receptor_type="excitatory",
                   label=None) -> Projection:
        """Connect ``pre`` to ``post``; connectivity and random weights are drawn now."""
        o = "Network.projection"
        for name, pop in (("pre", pre), ("post", post)):
            if not isinstance(pop, Population) or pop.network is not self:
                raise fail(o, name, pop, "expected a Population of this network")
        if post.celltype.is_source:
            raise fail(o, "post", post.label, "a spike source cannot receive synapses")
        if not isinstance(connector, Connector):
            raise fail(o, "connector", connector, "expected a Connector such as AllToAllConnector()")
        synapse = StaticSynapse() if synapse is None else synapse
        if not isinstance(synapse, StaticSynapse):
            raise fail(o, "synapse", synapse, "expected StaticSynapse, STDPMechanism or ThreeFactorSynapse")
        if receptor_type not in post.celltype.receptor_types:
            raise fail(o, "receptor_type", receptor_type,
                       f"valid receptor types of {type(post.celltype).__name__}: {list(post.celltype.receptor_types)}")
        label = label or f"{pre.label}->{post.label}#{len(self.projections)}"
        check_memory(o, "connector", connector, 64.0 * connector.expected(pre.size, post.size))  # per synapse
        rng = child(self._ss, 1, len(self.projections))
        prj = Projection(self, pre, post, connector, synapse, receptor_type, label, len(self.projections), rng)
        self.projections.append(prj)
        return prj

    @keywords
    def find(self, label: str):
        """The population or projection with this label."""
        for obj in self.populations + self.projections:
            if obj.label == label:
                return obj
        check_names(f"Network '{self.label}'", "label", [label],
                    [o.label for o in self.populations + self.projections])
