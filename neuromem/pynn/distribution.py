"""PyNN's source distribution (its ``test/system/scenarios`` and ``examples/``, which the wheel leaves out), for
the PyNN test suite and the PyNN benchmarks: from ``NEUROMEM_PYNN_SDIST`` (a directory), a cache under
``~/.cache/neuromem``, or ``pip download --no-binary :all: PyNN==<installed version>``."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path


def pynn_source(version: str | None = None) -> Path | None:
    """The unpacked source distribution of PyNN ``version`` (default: the installed one), or None when it cannot
    be had."""
    if version is None:
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


def pynn_library(version: str, *extra: str) -> Path | None:
    """A directory holding PyNN ``version`` and the ``extra`` packages it needs beyond what is installed (``pip
    install --no-deps --target``, cached), to put first on ``PYTHONPATH`` of a child interpreter that should run
    that PyNN; None when it cannot be had."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "neuromem" / f"pynn-{version}-lib"
    if (cache / "pyNN").is_dir():
        return cache
    partial = cache.with_name(cache.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(partial),
                           f"PyNN=={version}", *extra], capture_output=True, text=True)
    if proc.returncode != 0 or not (partial / "pyNN").is_dir():
        shutil.rmtree(partial, ignore_errors=True)
        return None
    partial.rename(cache)
    return cache
