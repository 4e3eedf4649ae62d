"""The validation layer every public entry point goes through.

* Parameter descriptors in the nengo style (:class:`Number`, :class:`Integer`, :class:`Choice`,
  :class:`Flag`): declared once per class, checked on every assignment (in ``__init__`` and
  after it), each error naming the object, the parameter, the value and what is valid.
* :class:`Checked`: a base class whose subclasses' ``__init__`` answer a misspelled or missing
  keyword with a :class:`~neuromem.errors.ValidationError` and a "did you mean", where Python
  would raise a bare ``TypeError``; :func:`keywords` does the same for functions and methods.
* :func:`check_memory`: refuses a size whose arrays cannot fit in this machine's memory before
  anything is allocated (``NEUROMEM_MEMORY_LIMIT`` in bytes lowers the limit).
"""
from __future__ import annotations

import difflib
import functools
import inspect
import math
import os

import numpy as np

from ._checks import check_int, check_scalar, fail
from .errors import ValidationError


class Param:
    """A validated attribute: ``check(owner, value)`` runs on every assignment.

    ``fixed=True``: the value shapes what the object built, so it is set once, at construction;
    a later assignment is refused (make a new object instead).
    """

    def __init__(self, doc: str = "", fixed: bool = False):
        self.doc = doc
        self.fixed = fixed
        self.name = None

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return obj.__dict__[self.name]

    def __set__(self, obj, value):
        if self.fixed and self.name in obj.__dict__:
            raise fail(type(obj).__name__, self.name, value, f"it is fixed at construction (it is "
                       f"{obj.__dict__[self.name]!r}); make a new {type(obj).__name__} for another value")
        obj.__dict__[self.name] = self.check(type(obj).__name__, value)

    def check(self, owner: str, value):  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> str:
        """What values are valid, in words (for documentation)."""
        return ""


class Number(Param):
    """A finite real number in ``[low, high]`` (``low_open``: excluding ``low``)."""

    def __init__(self, low=None, high=None, low_open=False, doc=""):
        super().__init__(doc)
        self.low, self.high, self.low_open = low, high, low_open

    def check(self, owner, value):
        return check_scalar(owner, self.name, value, low=self.low, high=self.high, low_open=self.low_open)

    def describe(self):
        lo = "" if self.low is None else f"{'>' if self.low_open else '>='} {self.low:g}"
        hi = "" if self.high is None else f"<= {self.high:g}"
        return "a finite number" + (f" {lo}" if lo else "") + (f" and {hi}" if lo and hi else f" {hi}" if hi else "")


class Integer(Param):
    """An integer in ``[low, high]``."""

    def __init__(self, low=None, high=None, doc=""):
        super().__init__(doc)
        self.low, self.high = low, high

    def check(self, owner, value):
        v = check_int(owner, self.name, value, low=self.low)
        if self.high is not None and v > self.high:
            raise fail(owner, self.name, value, f"expected an integer <= {self.high}")
        return v

    def describe(self):
        return "an integer" + ("" if self.low is None else f" >= {self.low}") + \
            ("" if self.high is None else f" and <= {self.high}")


class Choice(Param):
    """One of a fixed set of values (a typo gets a "did you mean")."""

    def __init__(self, choices, doc="", fixed=False):
        super().__init__(doc, fixed)
        self.choices = tuple(choices)

    def check(self, owner, value):
        if isinstance(value, str) or value is None or isinstance(value, (bool, int, float)):
            if value in self.choices:
                return value
        hint = ""
        if isinstance(value, str):
            close = difflib.get_close_matches(value, [c for c in self.choices if isinstance(c, str)], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise fail(owner, self.name, value, f"expected one of {list(self.choices)}{hint}")

    def describe(self):
        return "one of " + ", ".join(repr(c) for c in self.choices)


class Flag(Param):
    """A boolean (``True``/``False``, or numpy's bool)."""

    def check(self, owner, value):
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        raise fail(owner, self.name, value, "expected True or False")

    def describe(self):
        return "True or False"


def _suggest(name, valid) -> str:
    close = difflib.get_close_matches(name, list(valid), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def bind(owner: str, fn, args, kwargs):
    """Bind a call like Python does, but answer a bad call with a :class:`ValidationError`."""
    sig = inspect.signature(fn)
    try:
        return sig.bind(*args, **kwargs)
    except TypeError as exc:
        params = sig.parameters
        takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
        names = [n for n, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and n != "self"]
        if not takes_any:
            for k in kwargs:
                if k not in params:
                    raise ValidationError(f"{owner}: unknown keyword '{k}'{_suggest(k, names)}; valid keywords are: "
                                          f"{', '.join(names)}") from None
        raise ValidationError(f"{owner}: {exc}; expected a call like {owner}{_public_signature(sig)}") from None


def _public_signature(sig) -> str:
    return str(sig.replace(parameters=[p for n, p in sig.parameters.items() if n != "self"]))


def keywords(fn=None, *, owner=None):
    """Decorator: calls with a misspelled keyword or missing argument raise :class:`ValidationError`."""
    if fn is None:
        return lambda f: keywords(f, owner=owner)
    label = owner or fn.__qualname__
    sig = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            sig.bind(*args, **kwargs)
        except TypeError:
            bind(label, fn, args, kwargs)
        return fn(*args, **kwargs)

    return wrapper


class Checked:
    """Base class: the ``__init__`` of every subclass refuses unknown keywords with a "did you mean"."""

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        init = cls.__dict__.get("__init__")
        if init is not None and not getattr(init, "_checked", False):
            wrapped = keywords(init, owner=cls.__name__)
            wrapped._checked = True
            cls.__init__ = wrapped


def memory_limit() -> int:
    """Bytes an allocation may take: ``NEUROMEM_MEMORY_LIMIT`` if set, else the machine's physical memory."""
    env = os.environ.get("NEUROMEM_MEMORY_LIMIT")
    if env:
        try:
            return int(float(env))
        except ValueError:
            raise ValidationError(f"environment: NEUROMEM_MEMORY_LIMIT = {env!r} is invalid; expected a number "
                                  "of bytes") from None
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 1 << 36


def check_memory(owner: str, name: str, value, nbytes: float) -> None:
    """Refuse ``value`` (of parameter ``name``) when it needs ``nbytes`` bytes, more than :func:`memory_limit`."""
    limit = memory_limit()
    if not math.isfinite(nbytes) or nbytes > limit:
        raise fail(owner, name, value, f"needs about {_human(nbytes)} of memory, more than this machine's "
                   f"{_human(limit)}; use a smaller size (NEUROMEM_MEMORY_LIMIT sets the limit)")


def _human(nbytes) -> str:
    if not math.isfinite(nbytes):
        return "an unbounded amount"
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if nbytes < 1024 or unit == "PiB":
            return f"{nbytes:.3g} {unit}"
        nbytes /= 1024
    return f"{nbytes:.3g} EiB"  # pragma: no cover
