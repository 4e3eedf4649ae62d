"""PyNN's own backend-independent tests (``test/system/scenarios`` of PyNN's source distribution), run against
pyNN.neuromem.

PyNN's scenarios parametrize each test over the simulators it is meant for (``run_with_simulators("nest",
"neuron", ...)``); :func:`prepare` copies them into a directory with a ``conftest.py`` that runs every scenario
meant for ``nest`` on ``neuromem`` instead (and on ``nest`` too when asked), so the count compares like with like.
The source distribution comes from :func:`neuromem.pynn.distribution.pynn_source`.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from neuromem.pynn.distribution import pynn_source as sdist  # noqa: F401 - the suite's source

CONFTEST = '''\
import importlib
import os

import neuromem.pynn  # noqa: F401 - registers pyNN.neuromem
import pytest

import scenarios.fixtures as fixtures

SIMULATORS = os.environ.get("NEUROMEM_SCENARIO_SIMULATORS", "neuromem").split(",")


class Simulator:
    """``pyNN.<name>``, imported when first used (PyNN 0.13's fixtures do the same; 0.12's import at once)."""

    def __init__(self, name):
        self._name = name

    def __str__(self):
        return f"pyNN.{self._name}"

    __name__ = property(__str__)

    def __getattr__(self, attr):
        return getattr(importlib.import_module(f"pyNN.{self._name}"), attr)


def run_with_simulators(*sim_names):
    """PyNN's parametrization, with neuromem standing in wherever NEST is one of the simulators."""
    chosen = [s for s in SIMULATORS if s in sim_names or (s == "neuromem" and "nest" in sim_names)]
    return pytest.mark.parametrize("sim", [pytest.param(Simulator(s), id=s) for s in chosen])


fixtures.run_with_simulators = run_with_simulators
'''


def prepare(source: Path, dest: Path) -> Path:
    """Copy PyNN's scenarios into ``dest/scenarios`` beside the adapter ``conftest.py``; returns ``dest``."""
    shutil.copytree(source / "test" / "system" / "scenarios", dest / "scenarios")
    (dest / "conftest.py").write_text(CONFTEST)
    return dest
