"""Counter-based random numbers inside kernels: SplitMix64 streams seeded by the caller.

The caller draws the 64-bit seed from its own ``numpy.random.Generator``, so no
kernel touches global RNG state and the same seed gives the same stream.
"""
import numpy as np
from numba import njit

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
