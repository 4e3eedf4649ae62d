r"""Fixed-point arithmetic of SpiNNaker, as sPyNNaker 7.1.0 computes (``Simulator(timing="spinnaker")``).

Formats (sPyNNaker ``maths-util.h``, ``stdp_typedefs.h``): ``accum`` is **s16.15** (int32 bits,
value = bits / 2^15); ``unsigned long fract`` is **u0.32** (value = bits / 2^32); STDP traces are
**s4.11** int16 (2048 = 1.0).  Every function here takes and returns the *bits* as integers and
reproduces the ARM code GCC emits for sPyNNaker's C, including its truncations:

* ``accum * accum``: the 64-bit product shifted right by 15 (floor, toward -inf), wrapped to 32 bits;
* ``decay_s1615(x, d) = (x * d) >> 32`` for a u0.32 decay ``d`` (floor);
* ``kdivk(a, b) = floor(a 2^15 / b)`` (unsigned);
* ``expk`` / ``expulr``: spinn_common's table-and-series exponential (``stdfix-exp.c``), truncated.

The tables of the exponential are ``e^k 2^32`` for ``k = -13 .. 12`` and ``(1 - e^{-m/16}) 2^32`` for
``m = 0 .. 15``, both rounded to the nearest integer, computed here from their definition (the tests check
them against spinn_common's),
plus the three coefficients of spinn_common's series for ``1 - e^{-x}`` on the last 11 bits.
"""
import decimal

import numpy as np
from numba import njit

ONE = 1 << 15                   # 1.0 in s16.15
UNSIGNED_ONE = (1 << 32) - 1    # 1.0ulr saturates to 0xFFFFFFFF
STDP_ONE = 1 << 11              # 1.0 in s4.11


def _rounded(value) -> int:
    """``value`` (a Decimal) rounded to the nearest integer."""
    return int(value.to_integral_value(decimal.ROUND_HALF_EVEN))


def _exp_hi():
    """``e^k 2^32`` rounded, for k = -13..12 (spinn_common ``__exp_hi``), computed to 60 digits."""
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        return np.array([_rounded(decimal.Decimal(k).exp() * 2 ** 32) for k in range(-13, 13)], dtype=np.uint64)


def _expm1_mid():
    """``(1 - e^{-m/16}) 2^32`` rounded, for m = 0..15 (spinn_common ``__expm1_mid``)."""
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        return np.array([_rounded((1 - (decimal.Decimal(-m) / 16).exp()) * 2 ** 32) for m in range(16)],
                        dtype=np.uint64)


EXP_HI = _exp_hi()
EXPM1_MID = _expm1_mid()
#: spinn_common's series coefficients for 1 - e^{-x}, x in [0, 2^-4) (stdfix-exp.c ``__exp_series``)
EXP_SERIES = np.array([5294, 4293434720, 2081624032], dtype=np.uint64)
EXP_HIGH_LIMIT, EXP_LOW_LIMIT = 363408, -340695
INT32_MAX = (1 << 31) - 1


@njit(cache=True, nogil=True, inline='always')
def wrap32(x):
    """``x`` reduced to a signed 32-bit integer, as a C cast does."""
    return np.int64(np.int32(x))   # numba's int32 cast truncates to the low 32 bits


@njit(cache=True, nogil=True, inline='always')
def mul_k(a, b):
    """``accum * accum``: ``(a b) >> 15``, floor, wrapped to 32 bits (GCC's inline ``smull``)."""
    return wrap32((a * b) >> 15)


@njit(cache=True, nogil=True, inline='always')
def decay_s1615(x, d):
    """sPyNNaker ``decay_s1615``: an accum ``x`` times a u0.32 ``d``: ``(x d) >> 32`` (floor)."""
    return (x * d) >> 32


@njit(cache=True, nogil=True)
def decay_s1615_to_u032(x, d):
    """sPyNNaker ``decay_s1615_to_u032``: ``(x d) >> 15`` as an unsigned 32-bit u0.32 (floor, wrapped)."""
    return ((x * d) >> 15) & 0xFFFFFFFF


@njit(cache=True, nogil=True)
def kdivk(a, b):
    """sPyNNaker ``kdivk``: ``floor(a 2^15 / b)`` of non-negative accums, as 32 bits."""
    return wrap32((a << 15) // b)


U32 = np.uint64(0xFFFFFFFF)
_INT32_MAX_U = np.uint64(INT32_MAX)
_S32, _S17, _S11 = np.uint64(32), np.uint64(17), np.uint64(11)


@njit(cache=True, nogil=True)
def _round64(x):
    """spinn_common ``round64`` of a uint64: its high word, plus one when the low word is >= 2^31 - 1."""
    r = x >> _S32
    if (x & U32) >= _INT32_MAX_U:
        r += np.uint64(1)
    return r


@njit(cache=True, nogil=True)
def _scale64(x, y):
    """spinn_common ``scale64``: the uint64 ``x`` times the u0.32 ``y``, rounding the low word's product."""
    return _round64((x & U32) * y) + (x >> _S32) * y


@njit(cache=True, nogil=True)
def _coef_mult(c, x):
    return ((c * x) >> _S32) & U32


@njit(cache=True, nogil=True)
def _exp_series(x):
    tmp = (EXP_SERIES[1] - _coef_mult(EXP_SERIES[2], x)) & U32
    tmp = _coef_mult(tmp, x)
    return (tmp + EXP_SERIES[0]) & U32


@njit(cache=True, nogil=True)
def expi64(n):
    """spinn_common ``__expi64``: ``e^(n / 2^15) 2^32`` of an accum ``n`` within the limits (uint64)."""
    z = n >> 15
    f = n - (z << 15)
    if f > 0:
        z += 1
        f = 32768 - f
        tmp = EXP_HI[13 + z]
        tmp = tmp - _scale64(tmp, EXPM1_MID[f >> 11])
        tmp = tmp - _scale64(tmp, _exp_series(np.uint64((f & 0x7FF) << 17)))
        return tmp
    return EXP_HI[13 + z]


@njit(cache=True, nogil=True)
def expk(n):
    """spinn_common ``expk``: e^x of an accum, as accum bits (truncated; saturating)."""
    if n > EXP_HIGH_LIMIT:
        return INT32_MAX
    if n < EXP_LOW_LIMIT:
        return 0
    return wrap32(np.int64(expi64(n) >> _S17))


@njit(cache=True, nogil=True)
def expulr(n):
    """spinn_common ``expulr``: e^x of an accum as u0.32 bits (the low 32 bits: ``expulr(0)`` wraps to 0)."""
    if n > EXP_HIGH_LIMIT:
        return INT32_MAX
    if n < EXP_LOW_LIMIT:
        return 0
    return np.int64(expi64(n) & U32)


@njit(cache=True, nogil=True, inline='always')
def stdp_mul(a, b):
    """``STDP_FIXED_MUL_16X16``: the product of two s4.11 numbers (signed 16-bit halves), ``>> 11``."""
    return (wrap16(a) * wrap16(b)) >> 11


@njit(cache=True, nogil=True, inline='always')
def wrap16(x):
    """``x`` as a signed 16-bit integer (a C cast to int16_t)."""
    x = x & 0xFFFF
    return x - 0x10000 if x >= 0x8000 else x


@njit(cache=True, nogil=True, inline='always')
def lut_decay(dt, lut):
    """``maths_lut_exponential_decay``: the table entry of ``dt`` ticks, 0 past the table's end."""
    return lut[dt] if dt < lut.size else 0


@njit(cache=True, nogil=True, inline='always')
def mul_accum_fixed(a, stdp_fixed):
    """``mul_accum_fixed``: an accum times an s4.11 number shifted to s16.15 (``<< 4``)."""
    return mul_k(a, wrap32(stdp_fixed << 4))


@njit(cache=True, nogil=True)
def encode_s1615(x, out):
    """``rint(x 2^15)`` of every value into ``out`` (same shape, int64); returns the flat indices
    within 1e-6 of a rounding tie, where the decimal of the value's ``repr`` must decide."""
    flat, res = x.ravel(), out.ravel()
    ties = []
    for i in range(flat.size):
        scaled = flat[i] * 32768.0
        res[i] = np.int64(np.rint(scaled))
        if abs(abs(scaled - np.floor(scaled)) - 0.5) < 1e-6:
            ties.append(i)
    return np.array(ties, dtype=np.int64)
