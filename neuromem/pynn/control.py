"""``setup``, ``run``, ``reset``, ``end`` and the state queries."""
from __future__ import annotations

from pyNN import common
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.recording import get_io

from . import simulator


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, spinnaker=False, timing=None, threads=None,
          seed=0, **extra_params):
    """Start a new network.

    ``spinnaker=True`` runs it on the bit-exact SpiNNaker emulation (``timing="spinnaker"``,
    sPyNNaker 7.1.0 at its time step); ``timing`` chooses any of neuromem's orders ("nest", the
    default; "spinnaker"; "arrival"); ``threads`` the float engine's threads; ``seed`` the run's
    random streams (Poisson sources, noise).
    """
    max_delay = extra_params.get("max_delay", DEFAULT_MAX_DELAY)
    common.setup(timestep, min_delay, **extra_params)
    state = simulator.state
    state.dt = float(timestep)
    state.auto_min_delay = min_delay == "auto"
    state.min_delay = timestep if min_delay == "auto" else min_delay
    state.max_delay = max_delay
    state.timing = "spinnaker" if spinnaker else (timing or "nest")
    state.threads = threads
    state.seed = seed
    state.clear()
    return rank()


def end(compatible_output=True):
    """Write what ``write_data`` on end asked for, and forget the network."""
    for (population, variables, filename) in simulator.state.write_on_end:
        population.write_data(get_io(filename), variables)
    simulator.state.write_on_end = []


run, run_until = common.build_run(simulator)
run_for = run
reset = common.build_reset(simulator)
initialize = common.initialize
get_current_time, get_time_step, get_min_delay, get_max_delay, num_processes, rank = \
    common.build_state_queries(simulator)
