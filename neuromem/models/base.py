"""The memory protocol every model family offers, and the registries of models.

One vocabulary for every associative memory (:class:`Memory`):

* ``store(patterns)`` — add patterns, shape (K, N);
* ``recall(cue, *, seed=None, ...) -> RecallResult`` — always a :class:`RecallResult`, for
  one cue of shape (N,) (a batch is refused; memories that recall batches offer
  ``recall_many``); in a bipolar cue 0 marks an unknown unit, in a binary cue an unknown unit
  is 0 like an inactive one; ``seed`` drives whatever is random in the recall (unknown cue bits,
  update order); where recall is deterministic the docstring says so and the seed has no effect;
* ``recognize(probe) -> float`` — a familiarity score, higher for stored items;
* ``energy(state) -> float`` where the model has an energy (:class:`EnergyMemory`); the
  others raise :class:`~neuromem.errors.NotSupportedError`.

Models that are more than an autoassociative memory declare what else they do as a
:class:`typing.Protocol`: :class:`HeteroAssociativeMemory` (cue -> outcome),
:class:`SequenceLearner`, :class:`ContinualLearner`.  Bipolar models take +-1 patterns,
binary models 0/1, and say so in the error when given the other.

:data:`MEMORIES` holds every memory class (the comparison study runs them all; ``neuromem.io``
loads them), :data:`LEARNERS` the sequence and continual learners.  Together they are the
allow-list of classes a saved file may name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from .._checks import as_array, fail
from ..errors import NotSupportedError
from ..params import Checked
from ..registry import Registry


@dataclass
class RecallResult:
    """Outcome of one recall.

    Attributes
    ----------
    state : the recalled pattern
    converged : whether the dynamics reached a fixed point
    sweeps : update sweeps (or steps) used
    overlaps : overlap of ``state`` with each stored pattern, in [-1, 1]
    energy : energy of ``state`` (NaN where the model has none)
    info : model-specific extras
    """

    state: np.ndarray
    converged: bool = True
    sweeps: int = 0
    overlaps: np.ndarray = field(default_factory=lambda: np.zeros(0))
    energy: float = float("nan")
    info: dict = field(default_factory=dict)


@runtime_checkable
class Memory(Protocol):
    """An associative memory: store patterns, recall one from a cue, recognise familiar probes."""

    alphabet: str

    def store(self, patterns) -> None: ...

    def recall(self, cue, *, seed=None) -> RecallResult: ...

    def recognize(self, probe) -> float: ...


@runtime_checkable
class EnergyMemory(Memory, Protocol):
    """A memory whose recall descends an energy function."""

    def energy(self, state) -> float: ...


@runtime_checkable
class HeteroAssociativeMemory(Memory, Protocol):
    """A memory of (cue, outcome) pairs: ``recall(cue).state`` is the outcome stored with the cue."""

    def store_pairs(self, cues, outcomes) -> None: ...


@runtime_checkable
class SequenceLearner(Protocol):
    """Learns sequences of symbols: ``present(sequence, learn)`` returns, after each element, the
    set of symbols it predicts next."""

    def present(self, sequence, learn=True) -> list: ...


@runtime_checkable
class ContinualLearner(Protocol):
    """Learns tasks one after another: ``learn_task(x, y)`` returns the task's index,
    ``evaluate(x, y)`` the accuracy on a task without being told which."""

    def learn_task(self, x, y) -> int: ...

    def evaluate(self, x, y) -> float: ...


MEMORIES = Registry("memory")
LEARNERS = Registry("learner")


def register_memory(cls):
    """Class decorator: add a :class:`Memory` to :data:`MEMORIES` (and so to ``io``'s allow-list)."""
    MEMORIES.register(cls.__name__, cls)
    return cls


def register_learner(cls):
    """Class decorator: add a sequence or continual learner to :data:`LEARNERS`."""
    LEARNERS.register(cls.__name__, cls)
    return cls


class AssociativeMemory(Checked):
    """Base class: pattern and cue checks and the shared parts of the protocol.

    Subclasses set ``alphabet`` to ``"bipolar"`` (+-1), ``"binary"`` (0/1) or ``"real"`` and
    implement :meth:`store`, :meth:`recall` and :meth:`recognize`; they save through
    :meth:`state_dict` / :meth:`from_state_dict`.
    """

    alphabet = "bipolar"

    def __init__(self, n: int | None = None):
        self.n = n
        self.patterns = None

    @property
    def name(self) -> str:
        return type(self).__name__

    def check_patterns(self, patterns, param="patterns", ndim=2, unknown=False) -> np.ndarray:
        """Return patterns as a float array after checking shape and alphabet (``unknown``: a bipolar
        pattern may hold 0, an unknown unit)."""
        arr = as_array(self.name, param, patterns)
        if ndim == 2 and arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != ndim:
            raise fail(self.name, param, arr, f"expected a {ndim}-D array "
                       f"({'(K, N) patterns' if ndim == 2 else '(N,) pattern'})")
        if self.n is not None and arr.shape[-1] != self.n:
            raise fail(self.name, param, arr, f"expected patterns of length N = {self.n}, got {arr.shape[-1]}")
        allowed = ((-1.0, 0.0, 1.0) if unknown else (-1.0, 1.0)) if self.alphabet == "bipolar" else (0.0, 1.0)
        if arr.size and not np.isin(arr, allowed).all():
            other = "0/1" if self.alphabet == "bipolar" else "+-1"
            hint = f" (got {other}: convert with 2*x-1)" if self.alphabet == "bipolar" and np.isin(arr, (0, 1)).all() \
                else (" (got +-1: convert with (x+1)/2)" if np.isin(arr, (-1, 1)).all() else "")
            raise fail(self.name, param, arr, f"{self.name} takes {self.alphabet} patterns with values "
                       f"{allowed}{hint}")
        return arr

    def check_cue(self, cue, param="cue") -> np.ndarray:
        """One cue of shape (N,), checked against the alphabet (a bipolar cue may hold 0: unknown units);
        a batch is refused."""
        arr = as_array(self.name, param, cue)
        if arr.ndim == 2:
            raise fail(self.name, param, arr, f"expected one {param} of shape (N,); recall a batch one cue at a "
                       "time" + (" or with recall_many" if hasattr(self, "recall_many") else ""))
        cue = self.check_patterns(arr, param, ndim=1, unknown=True)
        if self.alphabet == "bipolar" and cue.size > 1 and (cue == 0).any() and (cue == 1).any() \
                and not (cue == -1).any():
            raise fail(self.name, param, cue, f"{self.name} takes bipolar cues (+-1, with 0 marking an unknown "
                       "unit); this one holds only 0 and 1, a 0/1 pattern: convert it with 2*x-1")
        return cue

    def store(self, patterns) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def recall(self, cue, *, seed=None) -> RecallResult:  # pragma: no cover - interface
        raise NotImplementedError

    def recognize(self, probe) -> float:  # pragma: no cover - interface
        raise NotImplementedError

    def energy(self, state) -> float:
        """Models without an energy function say so."""
        raise NotSupportedError(f"{self.name}: has no energy function; only the Hopfield family "
                                "(ClassicalHopfield, DenseHopfield, ModernHopfield) defines one")

    def overlaps(self, state) -> np.ndarray:
        """Overlap m_mu = (1/N) sum_i xi_i^mu s_i of ``state`` with each stored pattern (bipolar view)."""
        if self.patterns is None or not len(self.patterns):
            return np.zeros(0)
        x = as_array(self.name, "state", state)
        p = self.patterns
        if self.alphabet == "binary":
            x, p = 2 * x - 1, 2 * p - 1
        return p @ x / p.shape[1]

    def agreement(self, probe) -> float:
        """Familiarity as pattern completion: the overlap (bipolar view, in [-1, 1]) between ``probe`` and
        what the memory recalls from it; the recognition score of memories with no other familiarity signal."""
        x = self.check_cue(probe, "probe")
        state = self.recall(x).state
        if self.alphabet == "binary":
            x, state = 2 * x - 1, 2 * np.asarray(state) - 1
        return float(np.dot(x, state) / x.size)

    def state_dict(self) -> tuple[dict, dict]:  # pragma: no cover - interface
        raise NotImplementedError

    @classmethod
    def from_state_dict(cls, arrays, config):  # pragma: no cover - interface
        raise NotImplementedError
