"""Registries: things chosen by name (studies, benchmarks, memories, cell kinds) come from one each.

As Brian2 registers devices and nengo registers builders, a :class:`Registry` maps
names to objects, refuses a name registered twice, and answers an unknown name with a
:class:`~neuromem.errors.ValidationError` that lists the valid names and suggests the
closest.  Entries may be *lazy*: ``lazy(names, module)`` declares that importing
``module`` registers ``names``, so looking up one name imports only its own module.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from ._checks import check_names


class Registry(Mapping):
    """Name -> object, filled by :meth:`register` (or a module declared with :meth:`lazy`).

    Parameters
    ----------
    kind : str
        What the entries are ("study", "benchmark", "memory"...), for error messages.
    """

    def __init__(self, kind: str):
        self.kind = kind
        self._items: dict = {}
        self._lazy: dict[str, str] = {}

    def register(self, name: str, obj=None):
        """Register ``obj`` under ``name``; without ``obj``, a decorator that registers what it decorates."""
        if obj is None:
            return lambda target: self.register(name, target)
        if name in self._items and self._items[name] is not obj:
            raise ValueError(f"{self.kind} '{name}' is registered twice")
        self._items[name] = obj
        return obj

    def lazy(self, names, module: str) -> None:
        """Declare that importing ``module`` registers each of ``names``."""
        for name in names:
            self._lazy[name] = module

    def load_all(self) -> None:
        """Import every lazily declared module (so iteration sees every entry)."""
        for module in sorted(set(self._lazy.values())):
            importlib.import_module(module)
        missing = sorted(set(self._lazy) - set(self._items))
        if missing:
            raise RuntimeError(f"{self.kind} registry: declared but never registered: {missing}")

    def names(self) -> list[str]:
        """Every name, registered or declared, without importing anything."""
        return sorted(set(self._items) | set(self._lazy))

    def __getitem__(self, name):
        if name not in self._items and name in self._lazy:
            importlib.import_module(self._lazy[name])
        if name not in self._items:
            check_names(f"neuromem {self.kind} registry", self.kind, [name], self.names())
            raise KeyError(name)  # declared lazily but its module did not register it
        return self._items[name]

    def __contains__(self, name) -> bool:
        return name in self._items or name in self._lazy

    def __iter__(self) -> Iterator[str]:
        self.load_all()
        return iter(sorted(self._items))

    def __len__(self) -> int:
        return len(self.names())

    def __repr__(self):
        return f"Registry({self.kind!r}, {self.names()})"
