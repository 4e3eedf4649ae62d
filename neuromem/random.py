"""Randomness, in one place: seed handling and the counter-based generator kernels use.

Every stochastic object takes ``seed`` (int or Generator).  Child streams come
from :class:`numpy.random.SeedSequence`, so nothing ever touches global RNG
state and the same seed gives the same result bit for bit.  Inside Numba
kernels, random numbers come from SplitMix64 streams whose 64-bit seed the
caller draws from its own ``numpy.random.Generator``.
"""
from __future__ import annotations

import numpy as np
from numba import njit

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

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@njit(cache=True, nogil=True)
def splitmix_next(state):
    """Next 64-bit output of SplitMix64 (Steele, Lea & Flood 2014); ``state`` is a uint64[1]."""
    state[0] += _GOLDEN
    z = state[0]
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@njit(cache=True, nogil=True)
def uniform(state):
    """A float in [0, 1) with 53 random bits."""
    return float(splitmix_next(state) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, nogil=True)
def shuffle(order, state):
    """Fisher-Yates shuffle of ``order`` in place."""
    for k in range(order.size - 1, 0, -1):
        j = int(uniform(state) * (k + 1))
        order[k], order[j] = order[j], order[k]


@njit(cache=True, nogil=True)
def fill_uniform(state, out, low, width):
    """Fill the 2-D array ``out`` with ``low + width * U[0, 1)`` (one SplitMix64 stream, 53 bits each)."""
    flat = out.reshape(-1)
    scale = width * (1.0 / 9007199254740992.0)
    for i in range(flat.size):
        flat[i] = low + scale * float(splitmix_next(state) >> np.uint64(11))
