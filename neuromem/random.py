"""Seed handling: every stochastic object takes ``seed`` (int or Generator).

Child streams come from :class:`numpy.random.SeedSequence`, so nothing ever
touches global RNG state and the same seed gives the same result bit for bit.
"""
from __future__ import annotations

import numpy as np

from ._checks import fail


def seed_sequence(owner: str, seed) -> np.random.SeedSequence:
    """Turn ``seed`` (int, SeedSequence or Generator) into a SeedSequence."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(0, 2**63)))
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return np.random.SeedSequence(int(seed))
    raise fail(owner, "seed", seed, "expected a non-negative int or a numpy.random.Generator")


def generator(owner: str, seed) -> np.random.Generator:
    """A fresh Generator for ``seed`` (a Generator is used as is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed_sequence(owner, seed))


def child(ss: np.random.SeedSequence, *key: int) -> np.random.Generator:
    """The Generator of the stream named by ``key`` under ``ss``.

    Keys address streams by position (population 3, chunk 17...), so adding a
    stream never shifts the others.
    """
    return np.random.default_rng(np.random.SeedSequence(ss.entropy, spawn_key=tuple(ss.spawn_key) + tuple(int(k) for k in key)))
