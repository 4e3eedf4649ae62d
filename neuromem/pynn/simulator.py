"""The backend's state: one neuromem :class:`~neuromem.core.Network` built as the PyNN script creates
populations and projections, and one :class:`~neuromem.core.Simulator` made at the first run."""
from __future__ import annotations

from pyNN import common

name = "neuromem"


class ID(int, common.IDMixin):
    """A PyNN cell ID (a global integer)."""

    def __init__(self, n):
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):
    """What ``setup`` configured and what has been built; ``run`` advances neuromem's simulator."""

    def __init__(self):
        common.control.BaseState.__init__(self)
        self.mpi_rank = 0
        self.num_processes = 1
        self.dt = 0.1
        self._min_delay = 0.1
        self.auto_min_delay = False
        self.max_delay = 10.0
        self.timing = "nest"
        self.threads = None
        self.seed = 0
        self.net = None
        self.sim = None
        self.clear()

    @property
    def min_delay(self):
        """``setup``'s ``min_delay``; with ``"auto"``, the shortest delay of the network's connections (the time
        step while there are none), as pyNN.nest reports it."""
        if self.auto_min_delay and self.net is not None:
            delays = [float(prj.delay.min()) for prj in self.net.projections if len(prj)]
            return min(delays) if delays else self.dt
        return self._min_delay

    @min_delay.setter
    def min_delay(self, value):
        self._min_delay = value

    def clear(self):
        """Forget the network (``setup`` and ``end``)."""
        from ..core import Network
        self.recorders = set()
        self.id_counter = 0
        self.segment_counter = -1
        self.net = Network(seed=self.seed, label="pyNN.neuromem")
        self.sim = None
        self.reset()

    def simulator(self):
        """neuromem's simulator of the network, made on first use (populations and projections added
        after it start from the current time, as in PyNN)."""
        from ..core import Simulator
        if self.sim is None:
            self.sim = Simulator(self.net, dt=self.dt, seed=self.seed, timing=self.timing, threads=self.threads)
        return self.sim

    def run(self, simtime):
        self.run_until(self.t + simtime)

    def run_until(self, tstop):
        sim = self.simulator()
        steps = int(round((tstop - sim.t) / self.dt))
        if steps > 0:
            sim.run(steps * self.dt)
        self.t = sim.t
        self.running = True

    def reset(self):
        """Back to t = 0 (PyNN's ``reset``): a new segment, the initial values."""
        if self.sim is not None:
            self.sim.reset()
        self.running = False
        self.t = 0.0
        self.t_start = 0.0
        self.segment_counter += 1


state = State()
