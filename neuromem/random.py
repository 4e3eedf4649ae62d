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


def rng_words(rng: np.random.Generator) -> np.ndarray:
    """The full state of a PCG64 ``Generator`` as six uint64 words (saved files hold it as an array)."""
    st = rng.bit_generator.state
    if st["bit_generator"] != "PCG64":
        raise fail("rng_words", "rng", st["bit_generator"], "expected a numpy Generator on PCG64 (default_rng)")
    mask = (1 << 64) - 1
    s, inc = st["state"]["state"], st["state"]["inc"]
    return np.array([s >> 64, s & mask, inc >> 64, inc & mask, st["has_uint32"], st["uinteger"]], dtype=np.uint64)


def set_rng_words(rng: np.random.Generator, words) -> None:
    """Restore a state saved by :func:`rng_words` into ``rng`` (a PCG64 Generator)."""
    w = [int(x) for x in np.asarray(words, dtype=np.uint64)]
    if len(w) != 6:
        raise fail("set_rng_words", "words", words, "expected the six words written by rng_words")
    rng.bit_generator.state = {"bit_generator": "PCG64", "state": {"state": (w[0] << 64) | w[1],
                                                                   "inc": (w[2] << 64) | w[3]},
                               "has_uint32": w[4], "uinteger": w[5]}


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


@njit(cache=True, nogil=True)
def unit_at(seed, a, b):
    """A float in [0, 1) that depends only on ``(seed, a, b)`` (SplitMix64's mix of the three): the draw for
    synapse ``a`` at step ``b``, the same whichever thread makes it and in whatever order."""
    z = np.uint64(seed) + np.uint64(a) * _GOLDEN + np.uint64(b) * _MIX2
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    z = z ^ (z >> np.uint64(31))
    return float(z >> np.uint64(11)) * (1.0 / 9007199254740992.0)
