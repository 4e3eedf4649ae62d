"""Exact nearest-neighbour memory: the reference whose answers are known.

It stores patterns verbatim and recalls the stored pattern with the largest
overlap with the cue (ties: lowest index); recognition scores a probe by its
best overlap.  The experiment protocols are tested on it because their
outcome can be computed by hand.
"""
from __future__ import annotations

import numpy as np

from .._checks import fail
from .base import AssociativeMemory, RecallResult, register_memory


@register_memory
class NearestNeighbourMemory(AssociativeMemory):
    """Stores patterns; recall returns the closest (Hamming) stored pattern."""

    def __init__(self, n: int | None = None, alphabet: str = "bipolar", capacity: int | None = None):
        super().__init__(n)
        if alphabet not in ("bipolar", "binary"):
            raise fail("NearestNeighbourMemory", "alphabet", alphabet, "expected 'bipolar' or 'binary'")
        self.alphabet = alphabet
        self.capacity = capacity

    def store(self, patterns) -> None:
        p = self.check_patterns(patterns)
        self.n = p.shape[1]
        self.patterns = p if self.patterns is None else np.vstack((self.patterns, p))
        if self.capacity is not None and len(self.patterns) > self.capacity:
            self.patterns = self.patterns[-self.capacity:]  # forgets the oldest, a known retention curve

    def recall(self, cue, *, seed=None) -> RecallResult:
        """The stored pattern closest to ``cue`` (deterministic: ``seed`` has no effect)."""
        if self.patterns is None:
            raise fail(self.name, "patterns", None, "store patterns before recall")
        x = self.check_cue(cue)
        m = self.overlaps(x)
        best = int(np.argmax(m))
        state = self.patterns[best].copy()
        return RecallResult(state=state, converged=True, sweeps=1, overlaps=self.overlaps(state),
                            info={"index": best})

    def recognize(self, probe) -> float:
        """Familiarity: the best correlation (Pearson) of ``probe`` with a stored pattern.

        1 for a stored pattern; about 0 for a random probe whatever the fraction of active
        units (an overlap would not be: two random sparse patterns agree on most units).
        """
        if self.patterns is None:
            raise fail(self.name, "patterns", None, "store patterns before recognize")
        x = self.check_cue(probe, "probe")
        xc = x - x.mean()
        pc = self.patterns - self.patterns.mean(axis=1, keepdims=True)
        norms = np.linalg.norm(pc, axis=1) * np.linalg.norm(xc)
        same = np.all(self.patterns == x, axis=1)
        corr = np.where(norms > 0, pc @ xc / np.where(norms > 0, norms, 1.0), same.astype(float))
        return float(corr.max())

    def state_dict(self):
        return {"patterns": self.patterns if self.patterns is not None else np.zeros((0, self.n or 0))}, \
            {"n": self.n, "alphabet": self.alphabet, "capacity": self.capacity}

    @classmethod
    def from_state_dict(cls, arrays, config):
        m = cls(config["n"], config["alphabet"], config["capacity"])
        m.patterns = arrays["patterns"] if arrays["patterns"].size else None
        return m
