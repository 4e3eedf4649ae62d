"""Sweeps on a real Dask cluster (``dask.distributed.LocalCluster``: a scheduler and worker processes) give the
serial run's results, bit for bit."""
import functools
import os

import numpy as np
import pytest

distributed = pytest.importorskip("dask.distributed")

from neuromem.models.hopfield import ClassicalHopfield  # noqa: E402
from neuromem.studies.engine import izhikevich2003_rates  # noqa: E402
from neuromem.studies.protocols import capacity_sweep, parameter_sweep  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as c:
        yield c


def test_capacity_sweep_on_dask_equals_the_serial_run(client):
    make = functools.partial(ClassicalHopfield, learning="hebbian")
    args = dict(n=100, loads=[5, 10, 15, 20], cue_noise=0.1, trials=3, seed=4)
    serial, remote = capacity_sweep(make, **args), capacity_sweep(make, executor=client, **args)
    np.testing.assert_array_equal(remote.exact_per_trial, serial.exact_per_trial)
    np.testing.assert_array_equal(remote.mean_overlap, serial.mean_overlap)
    assert serial.exact[0] > serial.exact[-1]            # the sweep crosses capacity (0.138 N = 14)
    workers = client.run(os.getpid)                        # the jobs ran in two other processes
    assert len(workers) == 2 and os.getpid() not in workers.values()


def test_spiking_parameter_sweep_on_dask_equals_the_serial_run(client):
    # the Izhikevich (2003) network at three excitatory couplings, 300 ms each (small: 200 + 50 cells)
    grid = {"exc_weight": [0.3, 0.5, 0.7]}
    fixed = dict(duration=300.0, n_exc=200, n_inh=50)
    serial = parameter_sweep(izhikevich2003_rates, grid, seed=9, **fixed)
    remote = parameter_sweep(izhikevich2003_rates, grid, seed=9, executor=client, **fixed)
    assert [r["point"] for r in remote] == [{"exc_weight": w} for w in grid["exc_weight"]]
    for a, b in zip(serial, remote):
        assert a["seed"] == b["seed"]
        for pop in ("exc", "inh"):
            np.testing.assert_array_equal(a["result"][pop]["times"], b["result"][pop]["times"])
            np.testing.assert_array_equal(a["result"][pop]["ids"], b["result"][pop]["ids"])
    rates = [r["result"]["exc"]["rate_hz"] for r in serial]
    assert rates[0] < rates[-1]                            # stronger coupling, more spikes
    assert len({r["seed"] for r in serial}) == 3


def test_parameter_sweep_refuses_an_empty_axis():
    from neuromem import ValidationError
    with pytest.raises(ValidationError, match="parameter_sweep: parameter 'grid'"):
        parameter_sweep(izhikevich2003_rates, {"exc_weight": []})
