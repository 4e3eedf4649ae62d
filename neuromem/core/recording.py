"""Recordings: NumPy arrays first, ``neo.Block`` on request (as PyNN's ``get_data``)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import BackendUnavailableError


@dataclass
class Recording:
    """What one population recorded.

    Attributes
    ----------
    spike_times, spike_ids : arrays of equal length, sorted by time (ms, neuron index)
    signals : dict variable -> array (n_samples, n_recorded), sampled at the start of every step
    signal_indices : dict variable -> recorded neuron indices
    times : sample times of ``signals`` (ms)
    """

    population: str
    size: int
    dt: float
    duration: float = 0.0
    spike_times: np.ndarray = field(default_factory=lambda: np.zeros(0))
    spike_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    signals: dict = field(default_factory=dict)
    signal_indices: dict = field(default_factory=dict)
    times: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def spiketrains(self) -> list[np.ndarray]:
        """One array of spike times per neuron."""
        order = np.argsort(self.spike_ids, kind="stable")
        ids, times = self.spike_ids[order], self.spike_times[order]
        cuts = np.searchsorted(ids, np.arange(self.size + 1))
        return [times[cuts[i]:cuts[i + 1]] for i in range(self.size)]

    def rates(self) -> np.ndarray:
        """Mean firing rate of each neuron over the recorded duration (Hz)."""
        if self.duration <= 0:
            return np.zeros(self.size)
        return np.bincount(self.spike_ids, minlength=self.size) / (self.duration / 1000.0)

    def mean_rate(self) -> float:
        """Population-average firing rate (Hz)."""
        return float(self.rates().mean()) if self.size else 0.0

    def to_neo(self):
        """A ``neo.Block`` with one segment, spike trains and analog signals (needs ``neo``)."""
        try:
            import neo
            import quantities as pq
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise BackendUnavailableError("Recording.to_neo: parameter 'neo' is not installed; "
                                          "pip install 'neuromem[neo]'") from exc
        block = neo.Block(name=self.population)
        seg = neo.Segment(name="segment0")
        block.segments.append(seg)
        t_stop = max(self.duration, float(self.spike_times.max()) if self.spike_times.size else 0.0) + self.dt
        for i, train in enumerate(self.spiketrains()):
            st = neo.SpikeTrain(train * pq.ms, t_start=0 * pq.ms, t_stop=t_stop * pq.ms)
            st.annotate(source_index=i, source_population=self.population)
            seg.spiketrains.append(st)
        units = {"v": pq.mV, "u": pq.mV / pq.ms, "isyn_exc": pq.nA, "isyn_inh": pq.nA}
        for name, data in self.signals.items():
            sig = neo.AnalogSignal(data, units=units.get(name, pq.dimensionless), sampling_period=self.dt * pq.ms,
                                   t_start=0 * pq.ms, name=name)
            sig.array_annotate(channel_index=np.asarray(self.signal_indices[name]))
            seg.analogsignals.append(sig)
        return block
