"""PyNN's own backend-independent tests (``test/system/scenarios`` of PyNN's source distribution), run against
pyNN.neuromem.

PyNN's scenarios parametrize each test over the simulators it is meant for (``run_with_simulators("nest",
"neuron", ...)``); :func:`prepare` copies them into a directory with a ``conftest.py`` that runs every scenario
meant for ``nest`` on ``neuromem`` instead (and on ``nest`` too when asked), so the count compares like with like.
The source distribution comes from ``NEUROMEM_PYNN_SDIST`` (a directory), a cache under ``~/.cache/neuromem``,
or ``pip download --no-binary :all: PyNN==<installed version>`` (package registries are reachable in CI).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

CONFTEST = '''\
import os

import neuromem.pynn  # noqa: F401 - registers pyNN.neuromem
import pytest

import scenarios.fixtures as fixtures

SIMULATORS = os.environ.get("NEUROMEM_SCENARIO_SIMULATORS", "neuromem").split(",")


def run_with_simulators(*sim_names):
    """PyNN's parametrization, with neuromem standing in wherever NEST is one of the simulators."""
    chosen = [s for s in SIMULATORS if s in sim_names or (s == "neuromem" and "nest" in sim_names)]
    return pytest.mark.parametrize("sim", [pytest.param(fixtures.LazySimulator(s), id=s) for s in chosen])


fixtures.run_with_simulators = run_with_simulators
'''


def sdist() -> Path | None:
    """The unpacked source distribution of the installed PyNN, or None when it cannot be had."""
    import pyNN
    version = pyNN.__version__
    given = os.environ.get("NEUROMEM_PYNN_SDIST")
    if given:
        return Path(given)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "neuromem" / f"pynn-{version}"
    if (cache / "test" / "system" / "scenarios").is_dir():
        return cache
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                               f"PyNN=={version}", "-d", tmp], capture_output=True, text=True)
        archives = list(Path(tmp).glob("*.tar.gz"))
        if proc.returncode != 0 or not archives:
            return None
        with tarfile.open(archives[0]) as tar:
            tar.extractall(tmp, filter="data")
        unpacked = next(p for p in Path(tmp).iterdir() if p.is_dir())
        partial = cache.with_name(cache.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(unpacked, partial)
        partial.rename(cache)
    return cache


def prepare(source: Path, dest: Path) -> Path:
    """Copy PyNN's scenarios into ``dest/scenarios`` beside the adapter ``conftest.py``; returns ``dest``."""
    shutil.copytree(source / "test" / "system" / "scenarios", dest / "scenarios")
    (dest / "conftest.py").write_text(CONFTEST)
    return dest
