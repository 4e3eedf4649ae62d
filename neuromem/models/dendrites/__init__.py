"""Memories built from neurons with active dendritic segments.

- :class:`DendriticSegment`: one segment that stores the union of many sparse patterns and
  recognises them (Ahmad & Hawkins 2016, arXiv 1601.00720): a building block, not a memory
  (it recognises, it does not recall).
- :class:`SegmentMemory`: a layer of cells whose segments store sparse patterns in one exposure
  and complete them from partial or noisy cues (the family's associative memory).
- :class:`TemporalMemory`: columns of cells with many segments each, permanences,
  Hebbian growth and punishment; predictive cells and bursting (Hawkins & Ahmad,
  Front. Neural Circuits 10:23, 2016; htm.core TemporalMemory defaults).
- :class:`SequenceMemory`: symbols -> sparse column codes -> a TemporalMemory; learns
  high-order sequences from a stream.  :class:`FirstOrderSequenceMemory` is the
  baseline that only knows the previous symbol.
- :class:`ActiveDendritesNetwork`: a context-gated layer of dendritic neurons with
  k-winners-take-all for continual learning (Iyer et al., Front. Neurorobot.
  16:846219, 2022).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._checks import as_array, check_int, check_scalar, fail, single_threaded_blas
from ...errors import NotSupportedError
from ...random import generator, rng_words, set_rng_words
from ..base import AssociativeMemory, RecallResult, register_learner, register_memory
from ...params import Checked, Integer, Number, check_memory
from . import _kernels as tk
from . import _segments
from ._kernels import adam_update


def _count(owner, name, value, low=1):
    return check_int(owner, name, value, low=low)


def _fraction(owner, name, value, low=0.0, high=1.0):
    return check_scalar(owner, name, value, low=low, high=high)


class DendriticSegment(AssociativeMemory):
    r"""One dendritic segment that stores the union of sparse binary patterns and recognises them.

    A building block, not a memory: a segment can tell whether a probe is one of its
    patterns, but it cannot give a pattern back (:meth:`recall` says so).  The memory of
    this family is :class:`SegmentMemory`, a layer of cells with segments.

    Storing pattern :math:`\xi^\mu` (a of n cells active) adds synapses to s of its
    active cells, chosen at random; a probe is recognised when at least theta of the
    segment's synapses see active cells.  After M patterns the segment holds about
    :math:`s_M = n(1 - (1 - s/n)^M)` synapses and a random probe matches with
    probability ``theory.dendrites.union_false_match_probability`` (Ahmad & Hawkins
    2016, eq. 5 and section "Union property").

    Parameters
    ----------
    n : cells in the presynaptic population
    s : synapses sampled per stored pattern
    theta : active synapses needed for a dendritic spike
    seed : int or Generator for the synapse sampling
    """

    alphabet = "binary"

    def __init__(self, n, s=20, theta=10, seed=0):
        super().__init__(_count(self.name, "n", n))
        self.s = _count(self.name, "s", s)
        self.theta = _count(self.name, "theta", theta)
        if self.theta > self.s:
            raise fail(self.name, "theta", theta, f"expected theta <= s = {self.s} (a segment cannot see more "
                                                   "active synapses than it has)")
        self._rng = generator(self.name, seed)
        self.synapses = np.zeros(self.n, dtype=bool)
        self.patterns = np.zeros((0, self.n))

    def store(self, patterns) -> None:
        """Add s synapses from each pattern's active cells to the segment (fewer if a pattern has fewer active)."""
        p = self.check_patterns(patterns)
        for row in p:
            on = np.flatnonzero(row)
            if on.size:
                self.synapses[self._rng.choice(on, min(self.s, on.size), replace=False)] = True
        self.patterns = np.vstack([self.patterns, p])

    def overlap(self, probe) -> int:
        """Active synapses of the segment under ``probe``."""
        x = self.check_patterns(probe, "probe", ndim=1)
        return int(np.count_nonzero(self.synapses & (x > 0)))

    def recognize(self, probe) -> float:
        """overlap / theta: >= 1 means the segment fires (a dendritic spike)."""
        return self.overlap(probe) / self.theta

    def recall(self, cue, *, seed=None):
        """A segment recognises; it does not recall (raises :class:`~neuromem.errors.NotSupportedError`)."""
        raise NotSupportedError(f"{self.name}: one dendritic segment recognises patterns (recognize) but holds "
                                "no way back to a pattern; recall with SegmentMemory, a layer of cells with segments")


@register_memory
class SegmentMemory(AssociativeMemory):
    r"""A layer of ``n`` cells with dendritic segments: one-shot storage and completion of sparse patterns.

    Storing a pattern :math:`\xi` (:math:`a` of ``n`` cells active) gives each of its active
    cells a new segment with ``s`` synapses onto other active cells of :math:`\xi`, chosen at
    random (all of them when :math:`a - 1 < s`).  A segment with at least ``theta`` synapses on
    active cells produces a dendritic spike, which makes its cell active (Ahmad & Hawkins 2016,
    arXiv 1601.00720: a neuron recognises a pattern through a segment that samples it).
    Recall iterates :math:`x_{t+1,i} = 1` iff some segment of cell :math:`i` is active under
    :math:`x_t`, from the cue until a fixed point: the pattern's cells fire again from a partial
    cue (a segment needs ``theta`` of its ``s`` cells), cells of a noisy cue that belong to no
    stored pattern fall silent.  A random probe activates a segment with the false-match
    probability :func:`neuromem.theory.dendrites.false_match_probability` ``(n, a, s, theta)``,
    which keeps sparse codes apart and makes dense ones collide.

    ``recognize(probe)`` is the fraction of the probe's active cells with an active segment
    under the probe: 1 for a stored pattern.

    Parameters
    ----------
    n : cells in the layer
    s : synapses per segment
    theta : active synapses needed for a dendritic spike
    seed : int or Generator for the synapse sampling
    """

    alphabet = "binary"

    def __init__(self, n, s=20, theta=10, seed=0):
        super().__init__(_count(self.name, "n", n))
        self.s = _count(self.name, "s", s)
        self.theta = _count(self.name, "theta", theta)
        if self.theta > self.s:
            raise fail(self.name, "theta", theta, f"expected theta <= s = {self.s} (a segment cannot see more "
                                                   "active synapses than it has)")
        self._rng = generator(self.name, seed)
        self.segment_cell = np.zeros(0, dtype=np.int64)
        self.synapses = np.zeros((0, self.s), dtype=np.int64)   # presynaptic cells, -1 where unused
        self.patterns = np.zeros((0, self.n))

    def store(self, patterns) -> None:
        """One exposure per pattern: a new segment on each of its active cells."""
        p = self.check_patterns(patterns)
        cells, rows = [], []
        for row in p:
            on = np.flatnonzero(row)
            for i in on:
                others = on[on != i]
                pick = self._rng.choice(others, min(self.s, others.size), replace=False) if others.size else others
                syn = np.full(self.s, -1, dtype=np.int64)
                syn[:pick.size] = np.sort(pick)
                cells.append(i)
                rows.append(syn)
        if rows:
            self.segment_cell = np.concatenate((self.segment_cell, np.asarray(cells, dtype=np.int64)))
            self.synapses = np.vstack((self.synapses, np.asarray(rows)))
        self.patterns = np.vstack([self.patterns, p])

    def _active_cells(self, x) -> np.ndarray:
        """Cells with at least one segment active under the binary state ``x``."""
        out = np.zeros(self.synapses.shape[0], dtype=np.int64)
        if out.size:
            _segments.segment_overlaps_gather(self.synapses, x > 0, out)
        fired = np.zeros(self.n, dtype=bool)
        fired[self.segment_cell[out >= self.theta]] = True
        return fired

    def recall(self, cue, *, seed=None, max_sweeps=20) -> RecallResult:
        """Complete ``cue`` (0/1) by iterating segment activation to a fixed point (deterministic: ``seed``
        has no effect)."""
        x = self.check_cue(cue) > 0
        max_sweeps = _count(self.name, "max_sweeps", max_sweeps)
        converged, sweeps = False, 0
        for sweeps in range(1, max_sweeps + 1):
            new = self._active_cells(x)
            if np.array_equal(new, x):
                converged = True
                break
            x = new
        state = x.astype(float)
        return RecallResult(state=state, converged=converged, sweeps=sweeps, overlaps=self.overlaps(state))

    def recognize(self, probe) -> float:
        """Fraction of the probe's active cells that a segment recognises under the probe."""
        x = self.check_cue(probe, "probe") > 0
        on = np.count_nonzero(x)
        return float(np.count_nonzero(self._active_cells(x) & x) / on) if on else 0.0

    def state_dict(self):
        return ({"segment_cell": self.segment_cell, "synapses": self.synapses, "patterns": self.patterns,
                 "rng_state": rng_words(self._rng)}, {"n": self.n, "s": self.s, "theta": self.theta})

    @classmethod
    def from_state_dict(cls, arrays, config):
        m = cls(config["n"], config["s"], config["theta"])
        m.segment_cell = np.asarray(arrays["segment_cell"], dtype=np.int64)
        m.synapses = np.asarray(arrays["synapses"], dtype=np.int64).reshape(-1, m.s)
        m.patterns = np.asarray(arrays["patterns"], dtype=float).reshape(-1, m.n)
        set_rng_words(m._rng, arrays["rng_state"])
        return m


@dataclass
class TemporalRecord:
    """What a :meth:`TemporalMemory.run` saw: ``predicted[t]`` = columns predicted for step t + 1,
    ``bursting[t]`` = number of active columns that burst (were not predicted) at step t."""

    predicted: np.ndarray
    bursting: np.ndarray


class TemporalMemory(Checked):
    """Columns of cells with dendritic segments that learn transitions between sparse column codes.

    A cell is *predictive* when one of its segments has at least
    ``activation_threshold`` connected synapses (permanence >= ``connected_permanence``)
    on active cells.  When a column becomes active its predictive cells fire; a column
    without one *bursts* (every cell fires).  Learning (Hawkins & Ahmad 2016, Methods):
    active segments of correctly predicting cells, or the best *matching* segment
    (>= ``min_threshold`` potential synapses active) of a bursting column, or else a new
    segment on its least used cell, get dp = +inc on synapses from previously active
    cells and -dec on the rest, and grow synapses to previous winner cells up to
    ``new_synapses``; matching segments in columns that stay inactive lose
    ``predicted_segment_decrement``.  Defaults are htm.core's (REFERENCES.md), apart
    from the pool limits.

    Parameters
    ----------
    columns, cells_per_column : size of the layer
    activation_threshold, min_threshold : active / matching thresholds of a segment (synapses)
    initial_permanence, connected_permanence, permanence_increment, permanence_decrement : permanence rule
    predicted_segment_decrement : punishment of wrong predictions (0 turns it off)
    new_synapses : target of active synapses per learning segment
    max_segments_per_cell, max_synapses_per_segment : limits (the least recently used segment
        and the weakest synapses make room)
    seed : int or Generator (winner choice among equally used cells, synapse sampling)
    """

    # the learning rates and permanence levels are checked on every assignment (the sizes are fixed)
    initial_permanence = Number(low=0.0, high=1.0, doc="permanence of a new synapse")
    connected_permanence = Number(low=0.0, high=1.0, doc="permanence from which a synapse is connected")
    permanence_increment = Number(low=0.0, high=1.0, doc="reinforcement of a correct synapse")
    permanence_decrement = Number(low=0.0, high=1.0, doc="punishment of an inactive synapse")
    predicted_segment_decrement = Number(low=0.0, high=1.0, doc="punishment of a wrongly predicting segment")

    def __init__(self, columns=2048, cells_per_column=32, activation_threshold=13, min_threshold=10,
                 initial_permanence=0.21, connected_permanence=0.5, permanence_increment=0.1,
                 permanence_decrement=0.1, predicted_segment_decrement=0.0, new_synapses=20,
                 max_segments_per_cell=64, max_synapses_per_segment=64, seed=0):
        o = type(self).__name__
        self.columns = _count(o, "columns", columns)
        self.cells_per_column = _count(o, "cells_per_column", cells_per_column)
        self.max_synapses_per_segment = _count(o, "max_synapses_per_segment", max_synapses_per_segment)
        self.activation_threshold = _count(o, "activation_threshold", activation_threshold)
        self.min_threshold = _count(o, "min_threshold", min_threshold)
        self.new_synapses = _count(o, "new_synapses", new_synapses)
        self.max_segments_per_cell = _count(o, "max_segments_per_cell", max_segments_per_cell)
        for name in ("activation_threshold", "new_synapses"):
            if getattr(self, name) > self.max_synapses_per_segment:
                raise fail(o, name, getattr(self, name), "expected at most max_synapses_per_segment = "
                           f"{self.max_synapses_per_segment}")
        if self.min_threshold > self.activation_threshold:
            raise fail(o, "min_threshold", min_threshold, f"expected min_threshold <= activation_threshold = "
                       f"{self.activation_threshold}")
        self.initial_permanence, self.connected_permanence = initial_permanence, connected_permanence
        self.permanence_increment, self.permanence_decrement = permanence_increment, permanence_decrement
        self.predicted_segment_decrement = predicted_segment_decrement
        self._rng = generator(o, seed)
        self._state = self._rng.integers(0, 2**63, size=1, dtype=np.uint64)
        n_cells = self.columns * self.cells_per_column
        check_memory(o, "columns", columns, 8.0 * n_cells * (self.max_segments_per_cell + 8)
                     + 1024 * 24.0 * self.max_synapses_per_segment)
        self.cell_segs = np.full((n_cells, self.max_segments_per_cell), -1, dtype=np.int64)
        self.cell_nsegs = np.zeros(n_cells, dtype=np.int64)
        self.active = np.zeros(n_cells, dtype=np.uint8)
        self.dead = np.zeros(n_cells, dtype=np.uint8)
        self._prev_active = np.zeros(n_cells, dtype=np.uint8)
        self._winners = np.zeros(n_cells, dtype=np.int64)
        self._prev_winners = np.zeros(n_cells, dtype=np.int64)
        self.counters = np.zeros(4, dtype=np.int64)
        self._allocate(1024)

    @property
    def cells(self) -> int:
        return self.columns * self.cells_per_column

    @property
    def segments(self) -> int:
        """Segments in use."""
        return int(self.counters[tk.N_SEG])

    @property
    def synapses(self) -> int:
        """Potential synapses (permanence > 0) over all segments."""
        return int(self.seg_nsyn[:self.segments].sum())

    def _allocate(self, capacity):
        """Grow the segment pool to ``capacity`` segments, keeping what is there."""
        old = getattr(self, "seg_cell", None)
        used = 0 if old is None else self.segments
        m = self.max_synapses_per_segment
        fresh = {"seg_cell": np.full(capacity, -1, np.int64), "seg_nsyn": np.zeros(capacity, np.int64),
                 "seg_last": np.zeros(capacity, np.int64), "syn_pre": np.full((capacity, m), -1, np.int64),
                 "syn_perm": np.zeros((capacity, m), np.float64), "conn_count": np.zeros(capacity, np.int64),
                 "pot_count": np.zeros(capacity, np.int64)}
        for name, arr in fresh.items():
            if old is not None:
                arr[:used] = getattr(self, name)[:used]
            setattr(self, name, arr)

    def _columns(self, active_columns):
        cols = np.unique(np.asarray(active_columns, dtype=np.int64).ravel())
        if cols.size and (cols[0] < 0 or cols[-1] >= self.columns):
            raise fail(type(self).__name__, "active_columns", active_columns,
                       f"expected column indices in [0, {self.columns})")
        return cols

    def reset(self) -> None:
        """Forget the current context (start of a new sequence): no active cells, no predictions."""
        self.active[:] = 0
        self.counters[tk.N_WIN] = 0
        self.conn_count[:] = 0
        self.pot_count[:] = 0

    def run(self, steps, learn=True, reset_first=False) -> TemporalRecord:
        """Present a list of active-column sets, one per step, in as few kernel calls as the pool allows.

        Parameters
        ----------
        steps : sequence of arrays of active column indices
        learn : update permanences and grow segments
        reset_first : forget the context before the first step
        """
        cols = [self._columns(s) for s in steps]
        sizes = np.array([c.size for c in cols], dtype=np.int64)
        predicted = np.zeros((len(cols), self.columns), dtype=np.uint8)
        bursting = np.zeros(len(cols), dtype=np.int64)
        t = 0
        while t < len(cols):
            room = self.seg_cell.size - self.segments
            # each step creates at most one segment per active column
            stop = t + int(np.searchsorted(np.cumsum(sizes[t:]), room, side="right"))
            if stop == t:
                self._allocate(2 * self.seg_cell.size + int(sizes[t]))
                continue
            ptr = np.concatenate([[0], np.cumsum(sizes[t:stop])])
            flat = np.concatenate(cols[t:stop]) if stop > t else np.zeros(0, np.int64)
            resets = np.zeros(stop - t, dtype=np.bool_)
            resets[0] = reset_first and t == 0
            tk.tm_run(ptr, flat, resets, bool(learn), self.cells_per_column, self.activation_threshold,
                      self.min_threshold, self.initial_permanence, self.connected_permanence,
                      self.permanence_increment, self.permanence_decrement, self.predicted_segment_decrement,
                      self.new_synapses, self.counters, self.seg_cell, self.seg_nsyn, self.seg_last, self.syn_pre,
                      self.syn_perm, self.cell_segs, self.cell_nsegs, self.conn_count, self.pot_count, self.active,
                      self._prev_active, self._winners, self._prev_winners, self.dead, self._state,
                      predicted[t:stop], bursting[t:stop])
            t = stop
        return TemporalRecord(predicted.astype(bool), bursting)

    def compute(self, active_columns, learn=True) -> np.ndarray:
        """One step; returns the columns predicted for the next step (sorted indices)."""
        return np.flatnonzero(self.run([active_columns], learn).predicted[0])

    def predictive_cells(self) -> np.ndarray:
        """Cells with an active segment now (they predict their column for the next step)."""
        n = self.segments
        g = np.flatnonzero(self.conn_count[:n] >= self.activation_threshold)
        cells = np.unique(self.seg_cell[g])
        return cells[self.dead[cells] == 0]

    def kill_cells(self, fraction, seed=0) -> np.ndarray:
        """Silence a random ``fraction`` of the living cells for good (cell loss); returns their indices."""
        fraction = _fraction(type(self).__name__, "fraction", fraction)
        alive = np.flatnonzero(self.dead == 0)
        gone = generator(type(self).__name__, seed).choice(alive, int(round(fraction * alive.size)), replace=False)
        self.dead[gone] = 1
        self.active[gone] = 0
        return np.sort(gone)

    _CONFIG = ("columns", "cells_per_column", "activation_threshold", "min_threshold", "initial_permanence",
               "connected_permanence", "permanence_increment", "permanence_decrement",
               "predicted_segment_decrement", "new_synapses", "max_segments_per_cell", "max_synapses_per_segment")
    _ARRAYS = ("seg_cell", "seg_nsyn", "seg_last", "syn_pre", "syn_perm", "cell_segs", "cell_nsegs", "dead",
               "counters")

    def state_dict(self):
        n = self.segments
        arrays = {k: getattr(self, k)[:n] if k.startswith(("seg_", "syn_")) else getattr(self, k)
                  for k in self._ARRAYS}
        arrays["rng_state"] = self._state
        return arrays, {k: getattr(self, k) for k in self._CONFIG}

    @classmethod
    def from_state_dict(cls, arrays, config):
        tm = cls(**config)
        n = int(arrays["counters"][tk.N_SEG])
        tm._allocate(max(1024, 2 * n))
        for k in cls._ARRAYS:
            target = getattr(tm, k)
            if k.startswith(("seg_", "syn_")):
                target[:n] = arrays[k]
            else:
                target[...] = arrays[k]
        tm._state[:] = arrays["rng_state"]
        tm.reset()
        return tm


@register_learner
class SequenceMemory(Checked):
    """Sequences of symbols learned by a :class:`TemporalMemory`.

    Each symbol is a fixed random set of ``active_columns`` columns (2% of 2048 by
    default, as in Hawkins & Ahmad 2016).  A symbol counts as predicted when at least
    ``match`` of its columns are predicted.

    Parameters
    ----------
    symbols : the alphabet (any hashable values)
    active_columns : columns per symbol
    match : fraction of a symbol's columns that must be predicted
    seed : int or Generator (symbol codes and the temporal memory)
    **tm : TemporalMemory parameters
    """

    def __init__(self, symbols, active_columns=40, match=0.5, seed=0, **tm):
        o = type(self).__name__
        self._config = {"active_columns": active_columns, "match": match, **tm}
        self.symbols = list(dict.fromkeys(symbols))
        if not self.symbols:
            raise fail(o, "symbols", symbols, "expected at least one symbol")
        rng = generator(o, seed)
        self.tm = TemporalMemory(seed=rng, **tm)
        self.active_columns = _count(o, "active_columns", active_columns)
        if self.active_columns > self.tm.columns:
            raise fail(o, "active_columns", active_columns, f"expected at most columns = {self.tm.columns}")
        self.match = _fraction(o, "match", match, low=1e-9)
        self.codes = {s: np.sort(rng.choice(self.tm.columns, self.active_columns, replace=False))
                      for s in self.symbols}
        self._code_matrix = np.zeros((len(self.symbols), self.tm.columns), dtype=np.float64)
        for i, s in enumerate(self.symbols):
            self._code_matrix[i, self.codes[s]] = 1.0

    def _code(self, symbol):
        if symbol not in self.codes:
            raise fail(type(self).__name__, "symbol", symbol, f"expected one of the alphabet {self.symbols[:10]}")
        return self.codes[symbol]

    def decode(self, predicted_columns) -> list[set]:
        """Symbols predicted by each row of a (T, columns) boolean array."""
        hits = predicted_columns.astype(np.float64) @ self._code_matrix.T / self.active_columns
        return [{self.symbols[i] for i in np.flatnonzero(row >= self.match)} for row in hits]

    def present(self, sequence, learn=True) -> list[set]:
        """Present one sequence after a reset; returns the set of symbols predicted after each element."""
        rec = self.tm.run([self._code(s) for s in sequence], learn=learn, reset_first=True)
        return self.decode(rec.predicted)

    def state_dict(self):
        """The temporal memory's segments and the symbols' column codes (symbols must be str, int or float)."""
        _json_symbols(type(self).__name__, self.symbols)
        arrays, tm_config = self.tm.state_dict()
        arrays = {f"tm/{k}": v for k, v in arrays.items()}
        arrays["codes"] = np.array([self.codes[s] for s in self.symbols])
        return arrays, {"symbols": self.symbols, **self._config, "tm": tm_config}

    @classmethod
    def from_state_dict(cls, arrays, config):
        config = dict(config)
        tm_config = config.pop("tm")
        m = cls(config.pop("symbols"), **config)
        m.tm = TemporalMemory.from_state_dict({k[3:]: v for k, v in arrays.items() if k.startswith("tm/")},
                                             tm_config)
        m.codes = {s: np.asarray(c) for s, c in zip(m.symbols, arrays["codes"])}
        m._code_matrix[...] = 0.0
        for i, s in enumerate(m.symbols):
            m._code_matrix[i, m.codes[s]] = 1.0
        return m


def _json_symbols(owner, symbols):
    """Refuse symbols a saved file cannot hold as JSON."""
    bad = [s for s in symbols if isinstance(s, bool) or not isinstance(s, (str, int, float))]
    if bad:
        raise fail(owner, "symbols", bad[:3], "saving needs symbols that are str, int or float")


@register_learner
class FirstOrderSequenceMemory(Checked):
    """Baseline: predicts every symbol that has followed the current symbol (a first-order transition table).

    ``symbols`` and ``seed`` are accepted for the interface of :class:`SequenceMemory` and not used.
    """

    def __init__(self, symbols=None, seed=0):
        self.successors: dict = {}

    def state_dict(self):
        pairs = [(a, b) for a, nxt in self.successors.items() for b in sorted(nxt, key=repr)]
        _json_symbols(type(self).__name__, [x for pair in pairs for x in pair])
        return {}, {"transitions": pairs}

    @classmethod
    def from_state_dict(cls, arrays, config):
        m = cls()
        for a, b in config["transitions"]:
            m.successors.setdefault(a, set()).add(b)
        return m

    def present(self, sequence, learn=True) -> list[set]:
        out = []
        for k, s in enumerate(sequence):
            if learn and k:
                self.successors.setdefault(sequence[k - 1], set()).add(s)
            out.append(set(self.successors.get(s, ())))
        return out


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


@register_learner
class ActiveDendritesNetwork(Checked):
    r"""A multilayer network of context-gated dendritic neurons with k-winners-take-all (Iyer et al. 2022).

    Hidden unit i of a layer computes

    .. math:: \hat y_i = (w_i \cdot x + b_i)\, \sigma(u_{i,j^*} \cdot c), \quad
              j^* = \arg\max_j |u_{i,j} \cdot c|

    and only the k largest :math:`\hat y_i` of the layer pass (kWTA); the output layer
    is linear with a softmax cross-entropy loss, trained by Adam.  The context c of a
    task is its prototype (mean training input); at test time each input takes the
    nearest stored prototype, so no task label is needed.  ``dendrites=False`` drops the
    gate, ``kwta=False`` uses ReLU instead: both off is the plain network.

    Parameters
    ----------
    inputs, outputs : layer sizes
    hidden : sizes of the hidden layers
    segments : dendritic segments per hidden unit (one per task in the paper)
    active_fraction : fraction of units kept by kWTA
    dendrites, kwta : switch the two mechanisms
    learning_rate, epochs, batch : Adam training per task
    seed : int or Generator (initial weights, batch order)
    """

    # training settings, checked on every assignment (the architecture is fixed at construction)
    active_fraction = Number(low=0.0, high=1.0, low_open=True, doc="fraction of units kept by kWTA")
    learning_rate = Number(low=0.0, low_open=True, doc="Adam step size")
    epochs = Integer(low=1, doc="passes over each task's data")
    batch = Integer(low=1, doc="minibatch size")

    def __init__(self, inputs, outputs, hidden=(256, 256), segments=10, active_fraction=0.05, dendrites=True,
                 kwta=True, learning_rate=1e-3, epochs=3, batch=32, dendrite_scale=1.0, seed=0):
        o = type(self).__name__
        self.inputs = _count(o, "inputs", inputs)
        self.outputs = _count(o, "outputs", outputs)
        self.hidden = tuple(_count(o, "hidden", h) for h in np.atleast_1d(hidden))
        self.segments = _count(o, "segments", segments)
        self.active_fraction = active_fraction
        self.dendrites, self.kwta = bool(dendrites), bool(kwta)
        self.learning_rate, self.epochs, self.batch = learning_rate, epochs, batch
        self.dendrite_scale = check_scalar(o, "dendrite_scale", dendrite_scale, low=0, low_open=True)
        self._rng = generator(o, seed)
        sizes = (self.inputs,) + self.hidden + (self.outputs,)
        check_memory(o, "hidden", hidden, 32.0 * sum(a * b * (1 + self.segments * self.dendrites)
                                                     for a, b in zip(sizes[:-1], sizes[1:])))
        self.params = {}
        for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            # the paper's code base's "modified" Kaiming bound 1 / sqrt(input density * fan_in): behind a
            # kWTA layer only active_fraction of the inputs are on, and PyTorch's default bound
            # 1 / sqrt(fan_in) would leave the next layer's drive sqrt(active_fraction) as large
            density = self.active_fraction if self.kwta and l > 0 else 1.0
            bound = 1.0 / np.sqrt(density * fan_in)
            self.params[f"W{l}"] = self._rng.uniform(-bound, bound, (fan_in, fan_out))
            self.params[f"b{l}"] = self._rng.uniform(-1.0 / np.sqrt(fan_in), 1.0 / np.sqrt(fan_in), fan_out)
            if self.dendrites and l < len(self.hidden):
                self.params[f"U{l}"] = self._rng.normal(0.0, self.dendrite_scale / np.sqrt(self.inputs),
                                                        (self.inputs, fan_out * self.segments))
        self._adam = {k: [np.zeros_like(v), np.zeros_like(v)] for k, v in self.params.items()}
        self._step = 0
        self.prototypes = np.zeros((0, self.inputs))

    @property
    def name(self):
        return type(self).__name__

    def _check_x(self, x, name="x"):
        x = as_array(self.name, name, x)
        if x.ndim != 2 or x.shape[1] != self.inputs or not np.isfinite(x).all():
            raise fail(self.name, name, x, f"expected a finite (samples, {self.inputs}) array")
        return x

    def infer_context(self, x) -> np.ndarray:
        """Nearest stored prototype (Euclidean) of each input: the task index, and the contexts themselves."""
        if not len(self.prototypes):
            raise fail(self.name, "prototypes", 0, "expected at least one learned task (call learn_task first)")
        d = ((x[:, None, :] - self.prototypes[None]) ** 2).sum(-1)
        return np.argmin(d, axis=1)

    @staticmethod
    def _context(prototype):
        """The context vector of a prototype: centred and scaled to unit RMS."""
        p = prototype - prototype.mean(-1, keepdims=True)
        return p / np.maximum(np.sqrt((p * p).mean(-1, keepdims=True)), 1e-12)

    def _forward(self, x, c):
        cache = []
        h = x
        for l in range(len(self.hidden)):
            a = h @ self.params[f"W{l}"] + self.params[f"b{l}"]
            g = sel = None
            z = a
            if self.dendrites:
                d = (c @ self.params[f"U{l}"]).reshape(len(x), a.shape[1], self.segments)
                sel = np.argmax(np.abs(d), axis=2)
                g = _sigmoid(np.take_along_axis(d, sel[..., None], 2)[..., 0])
                z = a * g
            if self.kwta:
                k = max(1, int(round(self.active_fraction * z.shape[1])))
                cut = np.partition(z, -k, axis=1)[:, -k][:, None]
                mask = z >= cut
            else:
                mask = z > 0
            cache.append((h, a, g, sel, mask))
            h = z * mask
        logits = h @ self.params[f"W{len(self.hidden)}"] + self.params[f"b{len(self.hidden)}"]
        return logits, h, cache

    def _backward(self, x, c, y):
        logits, h, cache = self._forward(x, c)
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        p[np.arange(len(y)), y] -= 1.0
        delta = p / len(y)
        L = len(self.hidden)
        grads = {f"W{L}": h.T @ delta, f"b{L}": delta.sum(0)}
        dh = delta @ self.params[f"W{L}"].T
        for l in range(L - 1, -1, -1):
            h_in, a, g, sel, mask = cache[l]
            dz = dh * mask
            da = dz if g is None else dz * g
            if g is not None:
                dd = dz * a * g * (1.0 - g)
                full = np.zeros((len(x), a.shape[1], self.segments))
                np.put_along_axis(full, sel[..., None], dd[..., None], 2)
                grads[f"U{l}"] = c.T @ full.reshape(len(x), -1)
            grads[f"W{l}"] = h_in.T @ da
            grads[f"b{l}"] = da.sum(0)
            if l:
                dh = da @ self.params[f"W{l}"].T
        return grads

    def _adam_step(self, grads, b1=0.9, b2=0.999, eps=1e-8):
        self._step += 1
        for k, g in grads.items():
            m, v = self._adam[k]
            adam_update(self.params[k].ravel(), np.ascontiguousarray(g).ravel(), m.ravel(), v.ravel(),
                        self.learning_rate, b1, b2, eps, self._step)

    def learn_task(self, x, y) -> int:
        """Train on one task (its prototype becomes a new context); returns the task's index."""
        x = self._check_x(x)
        y = as_array(self.name, "y", y, dtype=None)
        if y.shape != (len(x),) or not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= self.outputs:
            raise fail(self.name, "y", y, f"expected {len(x)} labels in [0, {self.outputs})")
        self.prototypes = np.vstack([self.prototypes, x.mean(0)])
        c = np.broadcast_to(self._context(self.prototypes[-1]), x.shape)
        with single_threaded_blas():
            for _ in range(self.epochs):
                order = self._rng.permutation(len(x))
                for s in range(0, len(x), self.batch):
                    idx = order[s:s + self.batch]
                    self._adam_step(self._backward(x[idx], c[idx], y[idx]))
        return len(self.prototypes) - 1

    def predict(self, x, task=None) -> np.ndarray:
        """Class labels; the context is the given task's prototype or, with ``task=None``, the nearest one."""
        x = self._check_x(x)
        if not len(self.prototypes):
            c = np.zeros_like(x)
        elif task is None:
            c = self._context(self.prototypes)[self.infer_context(x)]
        else:
            c = np.broadcast_to(self._context(self.prototypes[int(task)]), x.shape)
        return np.argmax(self._forward(x, c)[0], axis=1)

    def evaluate(self, x, y, task=None) -> float:
        """Accuracy on (x, y)."""
        return float(np.mean(self.predict(x, task) == np.asarray(y)))

    def state_dict(self):
        """Weights, dendritic segments, Adam's moments, task prototypes and the random stream."""
        arrays = {f"param/{k}": v for k, v in self.params.items()}
        arrays.update({f"adam/{k}/{i}": m for k, pair in self._adam.items() for i, m in enumerate(pair)})
        arrays.update(prototypes=self.prototypes, rng_state=rng_words(self._rng))
        config = {"inputs": self.inputs, "outputs": self.outputs, "hidden": list(self.hidden),
                  "segments": self.segments, "active_fraction": self.active_fraction, "dendrites": self.dendrites,
                  "kwta": self.kwta, "learning_rate": self.learning_rate, "epochs": self.epochs, "batch": self.batch,
                  "dendrite_scale": self.dendrite_scale}
        return arrays, {**config, "step": self._step}

    @classmethod
    def from_state_dict(cls, arrays, config):
        config = dict(config)
        step = config.pop("step")
        m = cls(**config)
        for k in m.params:
            m.params[k][...] = arrays[f"param/{k}"]
            for i in range(2):
                m._adam[k][i][...] = arrays[f"adam/{k}/{i}"]
        m.prototypes = np.asarray(arrays["prototypes"], dtype=float).reshape(-1, m.inputs)
        set_rng_words(m._rng, arrays["rng_state"])
        m._step = int(step)
        return m
