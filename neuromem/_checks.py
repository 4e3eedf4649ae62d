"""Validation helpers shared by every public constructor.

One place builds the error messages so that they all read the same way:
``<object>: parameter '<name>' = <value> is invalid; <what is valid>``.
"""
from __future__ import annotations

import difflib
import math
from typing import Iterable

import numpy as np

from .errors import ValidationError


def _show(value) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return repr(value.tolist())
        return f"array(shape={value.shape}, dtype={value.dtype})"
    return repr(value)


def fail(owner: str, name: str, value, valid: str) -> ValidationError:
    """Build the standard :class:`ValidationError` (returned, to be raised)."""
    return ValidationError(f"{owner}: parameter '{name}' = {_show(value)} is invalid; {valid}")


def check_names(owner: str, kind: str, given: Iterable[str], valid: Iterable[str]) -> None:
    """Raise if any of ``given`` is not in ``valid``, suggesting the closest name."""
    valid = list(valid)
    for name in given:
        if name not in valid:
            close = difflib.get_close_matches(name, valid, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ValidationError(
                f"{owner}: unknown {kind} '{name}'{hint}; valid {kind}s are: {', '.join(sorted(valid))}"
            )


def check_scalar(owner: str, name: str, value, *, low=None, high=None, low_open=False,
                 integer=False) -> float:
    """Return ``value`` as a float (or int) after checking it is finite and in range.

    ``low``/``high`` are inclusive unless ``low_open`` is set.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise fail(owner, name, value, "expected a number")
    v = float(value)
    if not math.isfinite(v):
        raise fail(owner, name, value, "expected a finite number")
    if integer and v != int(v):
        raise fail(owner, name, value, "expected an integer")
    if low is not None and (v <= low if low_open else v < low):
        raise fail(owner, name, value, f"expected a value {'>' if low_open else '>='} {low}")
    if high is not None and v > high:
        raise fail(owner, name, value, f"expected a value <= {high}")
    return int(v) if integer else v


def check_array(owner: str, name: str, value, size: int, *, low=None, low_open=False, high=None) -> np.ndarray:
    """Return ``value`` broadcast to a float64 array of length ``size`` after checks."""
    try:
        arr = np.asarray(value, dtype=float) if not isinstance(value, (str, bytes)) else None
    except (TypeError, ValueError):
        arr = None
    if arr is None:
        raise fail(owner, name, value, "expected a number or an array of numbers")
    if arr.ndim == 0:
        arr = np.full(size, float(arr))
    elif arr.shape != (size,):
        raise fail(owner, name, value, f"expected a scalar or an array of shape ({size},)")
    if not np.isfinite(arr).all():
        raise fail(owner, name, value, "expected finite numbers (no NaN or inf)")
    if low is not None:
        bad = arr <= low if low_open else arr < low
        if bad.any():
            raise fail(owner, name, arr[bad][:3],
                       f"expected values {'>' if low_open else '>='} {low}")
    if high is not None and (arr > high).any():
        raise fail(owner, name, arr[arr > high][:3], f"expected values <= {high:g}")
    return arr


def check_int(owner: str, name: str, value, *, low=None) -> int:
    """Return ``value`` as an int after checking it is an integer >= ``low``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise fail(owner, name, value, "expected an integer")
    if low is not None and value < low:
        raise fail(owner, name, value, f"expected an integer >= {low}")
    return int(value)


def single_threaded_blas():
    """Context manager: BLAS on one thread.

    The trainers of small networks multiply matrices of a few hundred rows thousands of
    times; there, OpenBLAS's thread start-up costs more than it gains (5x slower on 2 cores).
    """
    from threadpoolctl import threadpool_limits
    return threadpool_limits(1, user_api="blas")


def check_finite(owner: str, name: str, value, shape=None, what: str = "") -> np.ndarray:
    """``value`` as a float64 array after checking it is numeric, finite and (when given) of ``shape``
    (a tuple in which ``None`` matches any length); ``what`` describes the expected shape for the message."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise fail(owner, name, value, f"expected numbers{': ' + what if what else ''}") from None
    if shape is not None and (arr.ndim != len(shape) or any(s is not None and a != s for a, s in zip(arr.shape, shape))):
        raise fail(owner, name, arr, f"expected {what or f'shape {shape}'}")
    if not np.isfinite(arr).all():
        raise fail(owner, name, arr, "expected finite numbers (no NaN or inf)")
    return arr


def as_array(owner: str, name: str, value, dtype=float) -> np.ndarray:
    """``value`` as a numeric array; ragged lists, strings, dicts and other non-numbers are refused."""
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise fail(owner, name, value, "expected an array of numbers")
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError, OverflowError):
        raise fail(owner, name, value, "expected an array of numbers (a rectangular array, not ragged lists)") from None
    return arr
