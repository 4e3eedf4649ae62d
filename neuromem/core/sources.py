"""Current sources injected into populations (PyNN vocabulary, nA and ms)."""
from __future__ import annotations

import numpy as np

from .._checks import check_scalar, fail
from ..random import fill_uniform


class CurrentSource:
    """Base class: a current added to each target neuron's input every step."""

    def table(self, t0: float, dt: float, n_steps: int, n: int, rng, carry: dict) -> np.ndarray | None:
        """Current (nA) for steps ``t0 + k dt``, shape (n_steps, n); None if all zero.

        ``carry`` is this source's private state between consecutive tables of
        one simulator, so a value held across a table boundary is not redrawn.
        """
        raise NotImplementedError  # pragma: no cover - interface


class DCSource(CurrentSource):
    """Constant ``amplitude`` nA between ``start`` and ``stop`` ms."""

    stochastic = False

    def __init__(self, amplitude=1.0, start=0.0, stop=None):
        self.amplitude = check_scalar("DCSource", "amplitude", amplitude)
        self.start = check_scalar("DCSource", "start", start, low=0.0)
        self.stop = None if stop is None else check_scalar("DCSource", "stop", stop, low=self.start)

    def table(self, t0, dt, n_steps, n, rng, carry):
        t = t0 + dt * np.arange(n_steps)
        on = (t >= self.start - 1e-9) & ((self.stop is None) | (t < (self.stop or 0) - 1e-9))
        if not on.any():
            return None
        return np.repeat((self.amplitude * on)[:, None], n, axis=1)


class NoisyCurrentSource(CurrentSource):
    """Random current, a new independent value per neuron every ``dt`` ms.

    ``mean`` and ``stdev`` in nA, active in [start, stop).  Gaussian by default,
    as NEST's ``noise_generator`` and PyNN's ``NoisyCurrentSource``; with
    ``distribution="uniform"`` the values are uniform on mean +- sqrt(3) stdev
    (the same mean and sd).  The thalamic input of Izhikevich (2003) is
    ``NoisyCurrentSource(0, 0.005, dt=1)`` onto Izhikevich cells (``I = 5 randn``
    in the paper's units); the noise of Izhikevich (2007), ``I = 13 (U - 0.5)``,
    is ``NoisyCurrentSource(0, 0.013 / sqrt(12), dt=1, distribution="uniform")``.
    """

    stochastic = True
    distributions = ("normal", "uniform")

    def __init__(self, mean=0.0, stdev=1.0, dt=None, start=0.0, stop=None, distribution="normal"):
        o = "NoisyCurrentSource"
        if distribution not in self.distributions:
            raise fail(o, "distribution", distribution, f"expected one of {list(self.distributions)}")
        self.distribution = distribution
        self.mean = check_scalar(o, "mean", mean)
        self.stdev = check_scalar(o, "stdev", stdev, low=0.0)
        self.dt = None if dt is None else check_scalar(o, "dt", dt, low=0.0, low_open=True)
        self.start = check_scalar(o, "start", start, low=0.0)
        self.stop = None if stop is None else check_scalar(o, "stop", stop, low=self.start)

    def table(self, t0, dt, n_steps, n, rng, carry):
        every = 1 if self.dt is None else int(round(self.dt / dt))
        if every < 1 or abs(every * dt - (self.dt or dt)) > 1e-9 * max(1.0, every * dt):
            raise fail("NoisyCurrentSource", "dt", self.dt,
                       f"expected a positive multiple of the simulation step {dt} ms")
        k0 = int(round(t0 / dt))
        first, last = k0 // every, (k0 + n_steps - 1) // every
        if self.distribution == "uniform":
            # a SplitMix64 stream seeded from this chunk's generator (numpy's uniform draws
            # were half of a simulated minute of the Izhikevich 2007 network)
            draws = np.empty((last - first + 1, n))
            width = self.stdev * np.sqrt(12.0)
            fill_uniform(np.array([rng.integers(0, 2**63)], dtype=np.uint64), draws, self.mean - width / 2, width)
        else:
            draws = rng.standard_normal((last - first + 1, n))
            draws *= self.stdev
            draws += self.mean
        if carry.get("interval") == first:
            draws[0] = carry["value"]
        carry["interval"], carry["value"] = last, draws[-1].copy()
        rows = (k0 + np.arange(n_steps)) // every - first
        out = draws[rows] if every > 1 else draws
        t = t0 + dt * np.arange(n_steps)
        on = (t >= self.start - 1e-9)
        if self.stop is not None:
            on &= t < self.stop - 1e-9
        if not on.all():
            out = out * on[:, None]
        return out
