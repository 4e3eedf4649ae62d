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


def pynn_source() -> Path | None:
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
