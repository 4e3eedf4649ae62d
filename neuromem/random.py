"""Randomness, in one place: seed handling and the counter-based generator kernels use.

Every stochastic object takes ``seed`` (int or Generator).  Child streams come
from :class:`numpy.random.SeedSequence`, so nothing ever touches global RNG
state and the same seed gives the same result bit for bit.  Inside Numba
kernels, random numbers come from SplitMix64 streams whose 64-bit seed the
caller draws from its own ``numpy.random.Generator``.
"""
from __future__ import annotations

import math

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


@njit(cache=True, nogil=True, inline="always")
def _mix(z):
    """SplitMix64's output function of a state ``z``."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@njit(cache=True, nogil=True, inline="always")
def _unit_of(bits):
    """The float in [0, 1) made of a 64-bit word's top 53 bits."""
    return float(bits >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, nogil=True)
def splitmix_next(state):
    """Next 64-bit output of SplitMix64 (Steele, Lea & Flood 2014); ``state`` is a uint64[1]."""
    state[0] += _GOLDEN
    return _mix(state[0])


@njit(cache=True, nogil=True)
def uniform(state):
    """A float in [0, 1) with 53 random bits."""
    return _unit_of(splitmix_next(state))


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


#: the base layer's edge of the 256-layer normal ziggurat (Doornik 2005; numpy's)
ZIGGURAT_R = 3.6541528853610088


def _ziggurat_tables(layers=256, r=ZIGGURAT_R, v=0.00492867323399):
    """Layer tables of the ziggurat for the normal density (Marsaglia & Tsang 2000, J Stat Softw 5(8), with 256
    layers of area ``v`` and base edge ``r`` as in Doornik 2005 and numpy) for 52-bit magnitudes: ``k[i]``, the
    magnitude below which a draw in layer ``i`` is accepted at once; ``w[i]``, magnitude to x; ``f[i]``, the
    density at the layer's edge."""
    m = 2.0 ** 52
    k, w, f = np.zeros(layers, np.int64), np.zeros(layers), np.zeros(layers)
    q = v / math.exp(-0.5 * r * r)
    k[0], w[0], w[-1], f[0], f[-1] = int(r / q * m), q / m, r / m, 1.0, math.exp(-0.5 * r * r)
    dn = tn = r
    for i in range(layers - 2, 0, -1):
        dn = math.sqrt(-2.0 * math.log(v / dn + math.exp(-0.5 * dn * dn)))
        k[i + 1] = int(dn / tn * m)
        tn = dn
        f[i], w[i] = math.exp(-0.5 * dn * dn), dn / m
    return k, w, f


_ZIG_K, _ZIG_W, _ZIG_F = _ziggurat_tables()
_MASK52 = np.uint64(0x000fffffffffffff)


@njit(cache=True, nogil=True)
def fill_normal(state, out, mean, sd):
    r"""Fill the 2-D array ``out`` with ``mean + sd * Z``, :math:`Z \sim N(0, 1)`, from one SplitMix64 stream by the
    ziggurat method (Marsaglia & Tsang 2000; the tables of :func:`_ziggurat_tables`).  Each draw takes a
    64-bit word: 8 bits choose a layer, 1 the sign, 52 the magnitude; a draw inside its layer's rectangle is kept at
    once (about 99% of them), otherwise the wedge is tested against :math:`e^{-x^2/2}`, and the base layer's tail
    beyond :math:`r` is drawn by Marsaglia's (1964) method.  About 7x numpy's ``standard_normal`` here."""
    flat = out.reshape(-1)
    k, w, f = _ZIG_K, _ZIG_W, _ZIG_F
    s = state[0]
    for i in range(flat.size):
        while True:
            s += _GOLDEN
            bits = _mix(s)
            layer = int(bits & np.uint64(0xff))
            mag = np.int64((bits >> np.uint64(9)) & _MASK52)
            x = mag * w[layer]
            if (bits >> np.uint64(8)) & np.uint64(1):
                x = -x
            if mag < k[layer]:
                break
            s += _GOLDEN
            u1 = _unit_of(_mix(s))
            if layer == 0:
                s += _GOLDEN
                u2 = _unit_of(_mix(s))
                xx = -math.log1p(-u1) / ZIGGURAT_R
                if -2.0 * math.log1p(-u2) > xx * xx:
                    x = -(ZIGGURAT_R + xx) if (bits >> np.uint64(8)) & np.uint64(1) else ZIGGURAT_R + xx
                    break
            elif (f[layer - 1] - f[layer]) * u1 + f[layer] < math.exp(-0.5 * x * x):
                break
        flat[i] = mean + sd * x
    state[0] = s


@njit(cache=True, nogil=True)
def unit_at(seed, a, b):
    """A float in [0, 1) that depends only on ``(seed, a, b)`` (SplitMix64's mix of the three): the draw for
    synapse ``a`` at step ``b``, the same whichever thread makes it and in whatever order."""
    return _unit_of(_mix(np.uint64(seed) + np.uint64(a) * _GOLDEN + np.uint64(b) * _MIX2))
