"""The exported CA3 script on a sPyNNaker virtual 48-chip board (version 5).

sPyNNaker pins its own PyNN and NumPy, so it lives in its own environment: set
``NEUROMEM_SPYNNAKER_PYTHON`` to that environment's interpreter (``pip install
sPyNNaker`` there).  The board is virtual (``virtual_board = True`` in a cfg file
in a temporary HOME): sPyNNaker maps and places the network, nothing executes.
"""
import os
import subprocess
import sys

import pytest

from neuromem.hardware import check, estimate
from neuromem.models.ca3 import CA3Memory

PROBE = '''
import runpy, sys
import pyNN.spiNNaker as sim
from spynnaker.pyNN.data import SpynnakerDataView
end = sim.end
def report_and_end():
    apps = {}
    for p in SpynnakerDataView.iterate_placemements():
        if p.vertex.app_vertex is not None and p.vertex.app_vertex.label:
            apps[p.vertex.app_vertex.label] = apps.get(p.vertex.app_vertex.label, 0) + 1
    print("APP_CORES", sum(apps.values()), sorted(apps.items()))
    end()
sim.end = report_and_end
runpy.run_path(sys.argv[1], run_name="__main__")
'''


@pytest.fixture
def spynnaker_python():
    exe = os.environ.get("NEUROMEM_SPYNNAKER_PYTHON")
    if not exe:
        pytest.skip("set NEUROMEM_SPYNNAKER_PYTHON to an interpreter with sPyNNaker installed")
    ok = subprocess.run([exe, "-c", "import spynnaker"], capture_output=True)
    if ok.returncode:
        pytest.skip(f"{exe} cannot import spynnaker")
    return exe


def test_ca3_maps_on_a_virtual_board_with_the_estimated_cores(tmp_path, spynnaker_python):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / ".spynnaker.cfg").write_text("[Machine]\nvirtual_board = True\nversion = 5\n")
    out = subprocess.run([sys.executable, "-m", "neuromem.cli", "export", "ca3_cam", str(tmp_path / "ca3.py")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    (tmp_path / "probe.py").write_text(PROBE)
    run = subprocess.run([spynnaker_python, "probe.py", "ca3.py"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=600, env={**os.environ, "HOME": str(tmp_path / "home")})
    assert run.returncode == 0, run.stderr[-2000:]
    line = [x for x in run.stdout.splitlines() if x.startswith("APP_CORES")][-1]
    placed = int(line.split()[1])
    mem = CA3Memory(5, 10)
    assert placed == estimate(mem.network, "spinnaker1").cores
    assert check(mem.network, "spinnaker1", dt=1.0) == []
