"""Recording: what neuromem's simulator recorded, handed to PyNN's recorder (which makes the Neo data)."""
from __future__ import annotations

import numpy as np
from pyNN import recording

from . import simulator


class Recorder(recording.Recorder):
    _simulator = simulator

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

    def _data(self):
        state = simulator.state
        return state.sim.get_data(self._neuromem()) if state.sim is not None else None

    def _get_spiketimes(self, ids, clear=False):
        data = self._data()
        first = int(self._neuromem_first_id())
        if data is None:
            return np.zeros(0, dtype=int), np.zeros(0)
        gids = data.spike_ids + first
        keep = np.isin(gids, np.asarray(ids, dtype=int))
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
        return data.signals[variable.name][:, columns], None

    def _local_count(self, variable, filter_ids=None):
        data = self._data()
        first = int(self._neuromem_first_id())
        counts = {int(i): 0 for i in self.filter_recorded(variable, filter_ids)}
        if data is not None:
            for gid, n in zip(*np.unique(data.spike_ids + first, return_counts=True)):
                if int(gid) in counts:
                    counts[int(gid)] = int(n)
        return counts
