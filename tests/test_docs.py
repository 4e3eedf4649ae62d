"""The documentation builds with no warning, runs every example, and documents the public API."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    pytest.importorskip("sphinx")
    out = tmp_path / "html"
    env = dict(os.environ, NEUROMEM_DOCS_RERUN="1", NEUROMEM_EXAMPLE_OUTPUT=str(tmp_path))
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(ROOT / "docs"),
                          str(out)], capture_output=True, text=True, timeout=1200, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    # every example ran in the gallery
    examples = sorted(p.stem for p in (ROOT / "examples").glob("*.py"))
    for name in examples:
        assert (out / "auto_examples" / f"{name}.html").is_file(), name
    # the API reference covers the six models, the engine, io, hardware and backends
    api = " ".join(p.read_text(errors="ignore") for p in (out / "_autosummary").glob("*.html"))
    for name in ("CA3Memory", "ClassicalHopfield", "DenseHopfield", "ModernHopfield", "SparseyMemory", "SegmentMemory",
                 "TemporalMemory", "ActiveDendritesNetwork", "IzhikevichReservoir", "ReservoirMemory",
                 "ContinualSpikingNetwork", "HLOPMemory", "Simulator", "Population", "Projection", "STDPMechanism",
                 "save_memory", "load_memory", "quantize", "estimate", "to_pynn", "write_nir", "BoardReport"):
        assert name in api, name
    # the generated spec reference lists every spec
    specs = (out / "specs.html").read_text()
    for toml in (ROOT / "models").glob("*.toml"):
        assert toml.stem in specs, toml.stem
