"""Current sources injected into populations (PyNN vocabulary, nA and ms)."""
from __future__ import annotations

import numpy as np

from .._checks import check_scalar, fail
from ..params import Checked, Choice, Number
from ..random import fill_normal, fill_uniform


#: values per block of a random source (the unit its random stream is keyed by)
BLOCK = 1024


class CurrentSource(Checked):
    """Base class: a current added to each target neuron's input every step (``cells``: the indices of the
    neurons it reaches when injected into some of a population's neurons only)."""

    cells = None

    def table(self, k0: int, dt: float, n_steps: int, n: int, block) -> np.ndarray | None:
        """Current (nA) on steps ``k0 .. k0 + n_steps - 1``, shape (n_steps, n); None if all zero.

        ``block(b)`` gives the random values of block ``b`` (:meth:`draw` of that block's own
        stream, kept by the simulator), so a value depends on its step, not on how a run was split.
        """
        raise NotImplementedError  # pragma: no cover - interface

    def draw(self, rng, n: int) -> np.ndarray:
        """The random values of one block: shape (BLOCK, n) (random sources only)."""
        raise NotImplementedError  # pragma: no cover - interface


class DCSource(CurrentSource):
    """Constant ``amplitude`` nA between ``start`` and ``stop`` ms."""

    stochastic = False
    amplitude = Number(doc="current (nA)")
    start = Number(low=0.0, doc="onset (ms)")

    def __init__(self, amplitude=1.0, start=0.0, stop=None):
        self.amplitude, self.start = amplitude, start
        self.stop = None if stop is None else check_scalar("DCSource", "stop", stop, low=self.start)

    def table(self, k0, dt, n_steps, n, block):
        t = dt * (k0 + np.arange(n_steps))
        on = (t >= self.start - 1e-9) & ((self.stop is None) | (t < (self.stop or 0) - 1e-9))
        if not on.any():
            return None
        return np.repeat((self.amplitude * on)[:, None], n, axis=1)


class StepCurrentSource(CurrentSource):
    """A current that jumps to ``amplitudes[j]`` nA at ``times[j]`` ms and holds it (0 before the first time),
    as PyNN's ``StepCurrentSource`` and NEST's ``step_current_generator``.

    Times must be non-negative and increasing; a step applies from the first step starting at or after its time
    (times are rounded to the time grid when run, a later time on the same step wins).
    """

    stochastic = False

    def __init__(self, times=(), amplitudes=()):
        o = "StepCurrentSource"
        t = np.asarray(times, dtype=float).reshape(-1)
        a = np.asarray(amplitudes, dtype=float).reshape(-1)
        if t.size != a.size:
            raise fail(o, "amplitudes", amplitudes, f"expected one amplitude per time ({t.size})")
        if not np.isfinite(t).all() or (t < 0).any():
            raise fail(o, "times", times, "expected finite, non-negative times (ms)")
        if (np.diff(t) <= 0).any():
            raise fail(o, "times", times, "expected strictly increasing times")
        if not np.isfinite(a).all():
            raise fail(o, "amplitudes", amplitudes, "expected finite currents (nA)")
        self.times, self.amplitudes = t, a

    def table(self, k0, dt, n_steps, n, block):
        if not self.times.size:
            return None
        on_step = np.rint(self.times / dt).astype(np.int64)
        k = k0 + np.arange(n_steps)
        j = np.searchsorted(on_step, k, side="right") - 1       # the last step change at or before step k
        values = np.where(j >= 0, self.amplitudes[np.maximum(j, 0)], 0.0)
        if not values.any():
            return None
        return np.repeat(values[:, None], n, axis=1)


class ACSource(CurrentSource):
    r"""A sinusoidal current between ``start`` and ``stop`` ms (PyNN's ``ACSource``):

    .. math:: I(t) = I_{offset} + A \sin\left(2\pi f \frac{t - t_{start}}{1000} + \frac{\pi \phi}{180}\right)

    with ``amplitude`` and ``offset`` in nA, ``frequency`` in Hz, ``phase`` in degrees; the phase holds at
    ``start`` (PyNN's convention), and the value at a step's start holds through the step.
    """

    stochastic = False
    amplitude = Number(doc="amplitude (nA)")
    offset = Number(doc="offset (nA)")
    frequency = Number(low=0.0, doc="frequency (Hz)")
    phase = Number(doc="phase at start (degrees)")
    start = Number(low=0.0, doc="onset (ms)")

    def __init__(self, amplitude=1.0, offset=0.0, frequency=10.0, phase=0.0, start=0.0, stop=None):
        self.amplitude, self.offset, self.frequency, self.phase, self.start = amplitude, offset, frequency, phase, start
        self.stop = None if stop is None else check_scalar("ACSource", "stop", stop, low=self.start)

    def table(self, k0, dt, n_steps, n, block):
        t = dt * (k0 + np.arange(n_steps))
        on = (t >= self.start - 1e-9) & ((self.stop is None) | (t < (self.stop or 0) - 1e-9))
        if not on.any():
            return None
        values = self.offset + self.amplitude * np.sin(2 * np.pi * self.frequency * (t - self.start) / 1000.0
                                                      + np.pi * self.phase / 180.0)
        return np.repeat((values * on)[:, None], n, axis=1)


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

    distribution = Choice(distributions)
    mean = Number(doc="mean current (nA)")
    stdev = Number(low=0.0, doc="standard deviation (nA)")
    start = Number(low=0.0, doc="onset (ms)")

    def __init__(self, mean=0.0, stdev=1.0, dt=None, start=0.0, stop=None, distribution="normal"):
        o = "NoisyCurrentSource"
        self.distribution, self.mean, self.stdev, self.start = distribution, mean, stdev, start
        self.dt = None if dt is None else check_scalar(o, "dt", dt, low=0.0, low_open=True)
        self.stop = None if stop is None else check_scalar(o, "stop", stop, low=self.start)

    def draw(self, rng, n):
        # a SplitMix64 stream seeded from the block's generator (numpy's uniform draws were half of a simulated
        # minute of the Izhikevich 2007 network; its normal ones cost what the Izhikevich 2003 network's kernel
        # does, 7x the ziggurat here)
        draws = np.empty((BLOCK, n))
        state = np.array([rng.integers(0, 2**63)], dtype=np.uint64)
        if self.distribution == "uniform":
            width = self.stdev * np.sqrt(12.0)
            fill_uniform(state, draws, self.mean - width / 2, width)
        else:
            fill_normal(state, draws, self.mean, self.stdev)
        return draws

    def table(self, k0, dt, n_steps, n, block):
        every = 1 if self.dt is None else int(round(self.dt / dt))
        if every < 1 or abs(every * dt - (self.dt or dt)) > 1e-9 * max(1.0, every * dt):
            raise fail("NoisyCurrentSource", "dt", self.dt,
                       f"expected a positive multiple of the simulation step {dt} ms")
        # value j (a new one every ``every`` steps) is row j % BLOCK of block j // BLOCK
        first, last = k0 // every, (k0 + n_steps - 1) // every
        b0, b1 = first // BLOCK, last // BLOCK
        values = block(b0) if b0 == b1 else np.concatenate([block(b) for b in range(b0, b1 + 1)])
        rows = (k0 + np.arange(n_steps)) // every - b0 * BLOCK
        out = values[rows] if every > 1 or rows[0] != 0 or rows.size != values.shape[0] else values
        t = dt * (k0 + np.arange(n_steps))
        on = (t >= self.start - 1e-9)
        if self.stop is not None:
            on &= t < self.stop - 1e-9
        if not on.all():
            out = out * on[:, None]
        return out


class PoissonInput(Checked):
    r"""Independent Poisson input onto every neuron of a population: each step each neuron receives
    :math:`w \cdot n` on its ``receptor_type`` input, :math:`n \sim \mathrm{Poisson}(\text{rate}\, dt)` (NEST's
    ``poisson_generator`` connected to each neuron, whose events carry their multiplicity; Brian2's
    ``PoissonInput``).  ``rate`` (Hz) is the total of the train, e.g. :math:`K_{ext} \nu_{bg}` for
    :math:`K_{ext}` background synapses of rate :math:`\nu_{bg}` each; ``weight`` is in the receptor's units
    (nA, uS or mV as the cell type's synapses).  The draw of neuron ``i`` at step ``k`` is keyed by (seed, i, k),
    so the input is the same for any thread count and however a run is split.  Added with
    :meth:`Population.inject <neuromem.core.network.Population.inject>`.
    """

    rate = Number(low=0.0, doc="rate of the whole train (Hz)")
    weight = Number(low=0.0, doc="weight of each event")
    receptor_type = Choice(("excitatory", "inhibitory"))

    def __init__(self, rate, weight, receptor_type="excitatory"):
        self.rate, self.weight, self.receptor_type = rate, weight, receptor_type

    def __repr__(self):
        return f"PoissonInput(rate={self.rate!r}, weight={self.weight!r}, receptor_type={self.receptor_type!r})"
