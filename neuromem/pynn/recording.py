"""Recording: what neuromem's simulator recorded, handed to PyNN's recorder (which makes the Neo data)."""
from __future__ import annotations

import numpy as np
from pyNN import recording

from . import simulator


class Recorder(recording.Recorder):
    """PyNN's recorder over neuromem's recording: neuromem records every step; the sampling interval, the
    final sample (the state at the current time, as PyNN's other backends give ``t_stop / dt + 1`` samples)
    and ``clear`` are applied when the data are read."""

    _simulator = simulator
    _cleared_at = 0.0

    def _clear_simulator(self):
        self._cleared_at = simulator.state.t

    def _reset(self):
        self._cleared_at = 0.0

    def _neuromem(self):
        p = self.population
        return p._neuromem if hasattr(p, "_neuromem") else p.grandparent._neuromem

    def _record(self, variable, new_ids, sampling_interval=None):
        pop = self._neuromem()
        ids = sorted(self.recorded[variable])
        index = np.asarray(self.population.id_to_index(np.array(ids, dtype=int)), dtype=np.int64) \
            if not hasattr(self.population, "_neuromem") else np.asarray([int(i) - int(self.population.first_id)
                                                                         for i in ids], dtype=np.int64)
        pop.record([variable.name], indices=index)
        if sampling_interval is not None and variable.name != "spikes":
            steps = sampling_interval / simulator.state.dt
            if abs(steps - round(steps)) > 1e-9 or round(steps) < 1:
                raise ValueError(f"pyNN.neuromem: sampling_interval {sampling_interval} ms is not a whole number "
                                 f"of time steps dt = {simulator.state.dt} ms")
            self.sampling_interval = sampling_interval

    def _data(self):
        state = simulator.state
        return state.sim.get_data(self._neuromem()) if state.sim is not None else None

    def _get_spiketimes(self, ids, clear=False):
        data = self._data()
        first = int(self._neuromem_first_id())
        if data is None:
            return np.zeros(0, dtype=int), np.zeros(0)
        gids = data.spike_ids + first
        keep = np.isin(gids, np.asarray(ids, dtype=int)) & (data.spike_times > self._cleared_at + 1e-9)
        return gids[keep], data.spike_times[keep].copy()

    def _neuromem_first_id(self):
        p = self.population
        return p.first_id if hasattr(p, "_neuromem") else p.grandparent.first_id

    def _get_all_signals(self, variable, ids, clear=False):
        data = self._data()
        first = int(self._neuromem_first_id())
        if data is None or variable.name not in data.signals:
            return np.zeros((0, len(ids))), None
        recorded = np.asarray(self._neuromem().recorded[variable.name])
        columns = np.searchsorted(recorded, np.asarray(ids, dtype=int) - first)
        state = simulator.state
        now = state.sim.state(self._neuromem(), variable.name)[recorded[columns]]
        rows = np.vstack((data.signals[variable.name][:, columns], now[None, :]))
        dt = state.dt
        start = int(round(self._recording_start_time.magnitude / dt))
        every = int(round(self.sampling_interval / dt))
        return rows[start::every], None

    def _local_count(self, variable, filter_ids=None):
        data = self._data()
        first = int(self._neuromem_first_id())
        counts = {int(i): 0 for i in self.filter_recorded(variable, filter_ids)}
        if data is not None:
            after = data.spike_times > self._cleared_at + 1e-9
            for gid, n in zip(*np.unique(data.spike_ids[after] + first, return_counts=True)):
                if int(gid) in counts:
                    counts[int(gid)] = int(n)
        return counts
