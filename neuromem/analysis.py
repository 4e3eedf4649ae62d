"""Analyses of spike recordings: rates and population-rate spectra."""
from __future__ import annotations

import numpy as np
from scipy import signal


def population_rate(spike_times, n_neurons, duration, bin_ms=1.0) -> np.ndarray:
    """Population firing rate (Hz per neuron) in bins of ``bin_ms``."""
    edges = np.arange(0.0, duration + bin_ms, bin_ms)
    counts, _ = np.histogram(spike_times, edges)
    return counts / (n_neurons * bin_ms / 1000.0)


def rate_spectrum(rate, bin_ms=1.0, segment_ms=1024.0):
    """Welch power spectrum of a population rate (mean removed); returns (freq Hz, power)."""
    fs = 1000.0 / bin_ms
    nper = int(min(len(rate), segment_ms / bin_ms))
    f, p = signal.welch(rate - rate.mean(), fs=fs, nperseg=nper)
    return f, p


def band_peak(freqs, power, low, high) -> tuple[float, float]:
    """Frequency and power of the largest spectral value in ``[low, high]`` Hz."""
    sel = (freqs >= low) & (freqs <= high)
    i = np.argmax(power[sel])
    return float(freqs[sel][i]), float(power[sel][i])
