"""PyNN's own backend-independent tests (``test/system/scenarios`` of PyNN's source distribution) against
pyNN.neuromem, every scenario that PyNN runs on NEST.  Scenarios that need a PyNN feature neuromem does not
have are listed with the feature (README, "Run your PyNN script on neuromem"); any other failure fails here,
as does a listed one that starts passing (the list must be kept true)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyNN")

sys.path.insert(0, str(Path(__file__).parent))
import pynn_suite  # noqa: E402

from neuromem.pynn.distribution import pynn_library  # noqa: E402

#: scenario -> the PyNN feature it needs that neuromem does not have
OUT_OF_SCOPE = {
    "test_cell_types.py::test_composed_neuron_model_homogeneous_receptors": "composed models (PointNeuron)",
    "test_recording.py::test_issue259": "off-grid spike times (NEST's spike_precision='off_grid')",
}


#: PyNN's statistical scenarios draw from an unseeded NumpyRNG (new values on every run), so now and then they
#: fail on any backend: test_scenario3's t-test on STDP weights gave p up to 0.003 on NEST in 20 runs (it
#: asks p < 0.01) and failed once on neuromem in CI.  A scenario failing on neuromem is run again, up to
#: twice, before it counts as failed.
RERUNS = 2


def run_scenarios(tmp_path, simulators, version=None, only=None):
    """Outcomes of PyNN's scenarios on ``simulators``: the installed PyNN's, or those of PyNN ``version`` run
    with that PyNN (installed apart, first on the child's path); ``only``: these scenarios
    (``"test_x.py::test_y"``) instead of all."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = pynn_suite.sdist(version)
    if source is None:
        pytest.skip("PyNN's source distribution could not be downloaded (pip download --no-binary :all: PyNN)")
    dest = pynn_suite.prepare(source, tmp_path / "suite")
    report = tmp_path / "report.json"
    targets = [f"scenarios/{t}" for t in only] if only else ["scenarios"]
    env = {**os.environ, "NEUROMEM_SCENARIO_SIMULATORS": simulators}
    if version is not None:
        library = pynn_library(version, "morphio")   # PyNN 0.12 imports morphio at once; 0.13 when used
        if library is None:
            pytest.skip(f"PyNN {version} could not be installed from the registry")
        env["PYTHONPATH"] = os.pathsep.join([str(library), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    code = ("import json, sys, pytest\n"
            "class Collect:\n"
            "    outcomes = {}\n"
            "    def pytest_runtest_logreport(self, report):\n"
            "        if report.when == 'call' or report.outcome != 'passed':\n"
            "            self.outcomes[report.nodeid] = report.outcome\n"
            "c = Collect()\n"
            f"pytest.main(['-q', '-p', 'no:cacheprovider', *{targets!r}], plugins=[c])\n"
            f"open({str(report)!r}, 'w').write(json.dumps(c.outcomes))\n")
    subprocess.run([sys.executable, "-c", code], cwd=dest, env=env, capture_output=True, text=True, timeout=1800)
    outcomes = json.loads(report.read_text())
    # "scenarios/test_x.py::test_y[nest]" -> ("test_x.py::test_y", "nest")
    return {(k.split("scenarios/", 1)[1].split("[")[0], k.rsplit("[", 1)[1].rstrip("]")): v
            for k, v in outcomes.items() if "[" in k}


def still_failing(tmp_path, failing, version=None):
    """Of ``failing`` scenarios, those that fail on neuromem in each of ``RERUNS`` more runs."""
    still = set(failing)
    for i in range(RERUNS):
        if not still:
            break
        outcomes = run_scenarios(tmp_path / f"rerun{i}", "neuromem", version, only=sorted(still))
        passed = {k for (k, sim), v in outcomes.items() if v == "passed"}
        if still & passed:
            print(f"passed when run again (unseeded random draws): {sorted(still & passed)}")
        still -= passed
    return still


@pytest.mark.slow
def test_pynn_scenarios_that_nest_passes_pass_on_neuromem(tmp_path):
    pytest.importorskip("nest")
    outcomes = run_scenarios(tmp_path, "neuromem,nest")
    on_nest = {k for (k, sim), v in outcomes.items() if sim == "nest" and v == "passed"}
    passed = {k for (k, sim), v in outcomes.items() if sim == "neuromem" and v == "passed"}
    failed = {k for (k, sim), v in outcomes.items() if sim == "neuromem" and v == "failed"}
    assert len(on_nest) >= 60                      # PyNN 0.13.0: NEST passes all 64 scenarios meant for it
    assert passed | failed == on_nest | passed
    unlisted = still_failing(tmp_path, (on_nest - passed) - set(OUT_OF_SCOPE))
    assert unlisted == set(), "scenarios failing for a reason not listed"
    assert passed & set(OUT_OF_SCOPE) == set(), "listed scenarios now pass: take them off the list"
    print(f"PyNN scenarios: pyNN.nest passes {len(on_nest)}, pyNN.neuromem {len(passed)}; "
          f"{len(on_nest - passed)} need a listed feature")


@pytest.mark.slow
def test_pynn_012_scenarios_pass_on_neuromem(tmp_path):
    # PyNN 0.12.4's own scenarios under PyNN 0.12.4 (the backend targets 0.12 and 0.13).  pyNN.nest 0.12.4 cannot
    # run beside NEST 3.10 (it calls nest.ll_api.sr, gone with SLI), so the measure is every scenario meant for
    # NEST: all pass but the listed ones (measured: 61 of 63, the same two as under 0.13)
    outcomes = run_scenarios(tmp_path, "neuromem", version="0.12.4")
    passed = {k for (k, sim), v in outcomes.items() if v == "passed"}
    failed = {k for (k, sim), v in outcomes.items() if v == "failed"}
    assert len(passed) >= 55
    assert still_failing(tmp_path, failed - set(OUT_OF_SCOPE), "0.12.4") == set(), \
        "scenarios failing for a reason not listed"
    assert passed & set(OUT_OF_SCOPE) == set(), "listed scenarios now pass: take them off the list"
    print(f"PyNN 0.12.4 scenarios: pyNN.neuromem passes {len(passed)} of {len(passed | failed)}")
