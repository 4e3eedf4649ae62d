"""Benchmarks registered by name: neuromem beside the reference simulators in one run.

``neuromem bench [--only NAME ...]`` (or ``python benchmarks/run.py``) runs the
registered benchmarks on this machine, prints each one's ratios and targets and
writes every result with the machine description to ``benchmarks/results/*.json``.
Each benchmark module registers a function ``run(args) -> list of result dicts`` with
:func:`register`; the registry imports a module only when one of its benchmarks is asked for.
"""
from __future__ import annotations

import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..registry import Registry


@dataclass(frozen=True)
class Benchmark:
    """A named benchmark: ``run(args)`` prints its report and returns its results."""

    name: str
    description: str
    run: Callable


BENCHMARKS = Registry("benchmark")
# benchmark name -> module that registers it (in the order `neuromem bench` runs them)
_MODULES = {"izhikevich": "engine", "cuba": "engine", "propagation": "engine", "hopfield": "hopfield",
            "dendrites": "dendrites", "hlop": "hlop", "sparsey": "sparsey", "ca3": "ca3", "reservoir": "reservoir",
            "spinnaker": "spinnaker", "parallel": "parallel", "coba": "parallel", "brunel": "parallel", "threads": "parallel",
            "pynn": "pynn", "microcircuit": "microcircuit"}
for _name, _module in _MODULES.items():
    BENCHMARKS.lazy([_name], f"{__name__}.{_module}")
ORDER = tuple(_MODULES)


def register(name: str, description: str):
    """Decorator: register ``run(args) -> list[dict]`` as benchmark ``name``."""
    def wrap(fn):
        BENCHMARKS.register(name, Benchmark(name, description, fn))
        return fn
    return wrap


def main(args) -> int:
    """Run the benchmarks named in ``args.only`` (default all) and write the results file."""
    from ..io import write_json
    from .engine import machine
    results = []
    for name in args.only or ORDER:
        bench = BENCHMARKS[name]
        print(f"running {name} ...", file=sys.stderr)
        results.extend(bench.run(args))
    out = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M:%S"), "results": results}
    path = Path(args.output) if args.output else Path("benchmarks/results") / f"bench-{platform.node() or 'machine'}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json(path, out)
    print(f"\nresults written to {path}")
    return 0
