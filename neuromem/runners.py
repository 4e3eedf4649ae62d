"""Spec kinds -> how to build, run and measure them (used by ``neuromem run``).

A runner's ``run(spec, seed)`` returns a :class:`RunResult`: measured values
beside the spec's reference values, and a figure function for ``--plot``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .analysis import band_peak, population_rate, rate_spectrum
from .core import Simulator
from .experiments.networks import izhikevich2003


@dataclass
class RunResult:
    """Measured values (name -> number), their units, extra data for plots."""

    spec: object
    measured: dict
    units: dict
    data: dict = field(default_factory=dict)
    plot: Callable | None = None

    def table(self) -> list[tuple[str, str, str, str]]:
        """Rows of (quantity, measured, paper, agreement)."""
        rows = []
        for name, value in self.measured.items():
            ref = self.spec.reference.get(name)
            unit = self.units.get(name, "")
            shown = f"{value:.3g} {unit}".strip() if isinstance(value, (int, float)) else str(value)
            if isinstance(ref, list) and len(ref) == 2:
                ok = "yes" if ref[0] <= value <= ref[1] else "NO"
                rows.append((name, shown, f"{ref[0]:g}-{ref[1]:g} {unit}".strip(), ok))
            elif isinstance(ref, (int, float)):
                rows.append((name, shown, f"{ref:g} {unit}".strip(), f"{(value - ref) / ref:+.1%}"))
            else:
                rows.append((name, shown, "" if ref is None else str(ref), ""))
        for name, ref in self.spec.reference.items():
            if name not in self.measured:
                rows.append((name, "(not measured)", str(ref), ""))
        return rows

    def passed(self) -> bool:
        return all(r[3] != "NO" for r in self.table())


@dataclass
class Runner:
    builder: Callable
    run: Callable


def run_izhikevich2003(spec, seed, report=None) -> RunResult:
    """Simulate the Izhikevich (2003) network and measure rates and rhythms."""
    net = izhikevich2003(seed=seed, **spec.parameters)
    sim = Simulator(net, dt=spec.run["dt"], seed=seed)
    t0 = time.perf_counter()
    sim.run(spec.run["duration"], report=report)
    wall = time.perf_counter() - t0
    exc, inh = (sim.get_data(p) for p in net.populations)
    duration = spec.run["duration"]
    n = exc.size + inh.size
    rate = population_rate(np.concatenate((exc.spike_times, inh.spike_times)), n, duration)
    freqs, power = rate_spectrum(rate)
    alpha = band_peak(freqs, power, 2.0, 20.0)
    gamma = band_peak(freqs, power, 20.0, 80.0)
    measured = {"exc_rate_hz": exc.mean_rate(), "inh_rate_hz": inh.mean_rate(),
                "alpha_peak_hz": alpha[0], "gamma_peak_hz": gamma[0], "wall_time_s": wall}
    units = {"exc_rate_hz": "Hz", "inh_rate_hz": "Hz", "alpha_peak_hz": "Hz", "gamma_peak_hz": "Hz",
             "wall_time_s": "s"}
    data = {"exc": exc, "inh": inh, "freqs": freqs, "power": power, "rate": rate}

    def plot(path):
        from .plotting import izhikevich2003_figure
        izhikevich2003_figure(data, path, title=spec.title)

    return RunResult(spec, measured, units, data, plot)


RUNNERS = {"izhikevich2003": Runner(izhikevich2003, run_izhikevich2003)}
