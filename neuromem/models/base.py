"""The interface every associative memory implements.

``store(patterns)``, ``recall(cue, ...) -> RecallResult``, and where the model
has them ``recognize(probe) -> score`` and ``energy(state)``.  Bipolar models
take +-1 patterns, binary models 0/1, and say so when given the other.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._checks import fail


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


class AssociativeMemory:
    """Base class: pattern checks and the shared interface.

    Subclasses set ``alphabet`` to ``"bipolar"`` (+-1) or ``"binary"`` (0/1) and
    implement :meth:`store` and :meth:`recall`.
    """

    alphabet = "bipolar"

    def __init__(self, n: int | None = None):
        self.n = n
        self.patterns = None

    @property
    def name(self) -> str:
        return type(self).__name__

    def check_patterns(self, patterns, param="patterns", ndim=2) -> np.ndarray:
        """Return patterns as a float array after checking shape and alphabet."""
        arr = np.asarray(patterns, dtype=float)
        if ndim == 2 and arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != ndim:
            raise fail(self.name, param, arr, f"expected a {ndim}-D array "
                       f"({'(K, N) patterns' if ndim == 2 else '(N,) pattern'})")
        if self.n is not None and arr.shape[-1] != self.n:
            raise fail(self.name, param, arr, f"expected patterns of length N = {self.n}, got {arr.shape[-1]}")
        allowed = (-1.0, 1.0) if self.alphabet == "bipolar" else (0.0, 1.0)
        if arr.size and not np.isin(arr, allowed).all():
            other = "0/1" if self.alphabet == "bipolar" else "+-1"
            hint = f" (got {other}: convert with 2*x-1)" if self.alphabet == "bipolar" and np.isin(arr, (0, 1)).all() \
                else (" (got +-1: convert with (x+1)/2)" if np.isin(arr, (-1, 1)).all() else "")
            raise fail(self.name, param, arr, f"{self.name} takes {self.alphabet} patterns with values "
                       f"{allowed}{hint}")
        return arr

    def store(self, patterns) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def recall(self, cue, **kwargs) -> RecallResult:  # pragma: no cover - interface
        raise NotImplementedError

    def overlaps(self, state) -> np.ndarray:
        """Overlap m_mu = (1/N) sum_i xi_i^mu s_i of ``state`` with each stored pattern (bipolar view)."""
        if self.patterns is None:
            return np.zeros(0)
        x = np.asarray(state, dtype=float)
        p = self.patterns
        if self.alphabet == "binary":
            x, p = 2 * x - 1, 2 * p - 1
        return p @ x / p.shape[1]

    def state_dict(self) -> tuple[dict, dict]:  # pragma: no cover - interface
        raise NotImplementedError
