"""Experiments with Izhikevich reservoirs and three-factor learning.

:func:`distal_reward` is the first experiment of Izhikevich (2007), Cereb Cortex
17:2443 ("Solving the distal reward problem through linkage of STDP and
dopamine signaling"), Fig. 1: one chosen excitatory synapse ``n1 -> n2`` starts
at 0; every time ``n2`` fires within 20 ms after ``n1``, a reward (dopamine
``+0.5``) is delivered 1-3 s later, while the network keeps firing at random.
Eligibility traces bridge the delay, so the chosen synapse grows to the
maximum while the others do not.
"""
from __future__ import annotations

import time

import numpy as np

from .._checks import check_scalar
from ..core import Simulator
from ..models.reservoir import IzhikevichReservoir
from ..random import child

#: Izhikevich (2007): a pairing counts if n2 fires within 20 ms after n1; reward 1-3 s later, DA += 0.5
WINDOW_MS, REWARD_DELAY_MS, REWARD = 20, (1000, 3000), 0.5


def distal_reward(minutes=60.0, segment_ms=1000.0, sample_s=10.0, seed=1, report=None, **reservoir) -> dict:
    """Run the distal-reward experiment for ``minutes`` of simulated time.

    The network runs in segments of ``segment_ms`` (and up to each reward
    time); after each segment the pairings ``n1 -> n2`` in it are found from
    the recorded spikes and their rewards scheduled.  Every ``sample_s``
    seconds the chosen weight and the distribution of the other excitatory
    weights are sampled.  Returns the curves, the reward times, rates and the
    wall time.
    """
    minutes = check_scalar("distal_reward", "minutes", minutes, low=0.0, low_open=True)
    res = IzhikevichReservoir(seed=seed, **reservoir)
    rng = child(res.network._ss, 9)
    prj = res.excitatory
    exc_exc = np.flatnonzero(prj.post_idx < res.n_exc)
    chosen = int(rng.choice(exc_exc))
    n1, n2 = int(prj.pre_idx[chosen]), int(prj.post_idx[chosen])
    w = prj.weight.copy()
    w[chosen] = 0.0
    prj.set(weight=w)
    sim = Simulator(res.network, dt=1.0, seed=seed)
    total = minutes * 60_000.0
    rewards: list[float] = []          # delivery times (ms), pending and done
    delivered = []
    pairings = []
    last_n1 = -np.inf
    samples_t, chosen_w, median_w, p90_w, mean_w = [], [], [], [], []
    others = np.ones(len(prj), dtype=bool)
    others[chosen] = False
    others &= prj.post_idx < res.n_exc
    next_sample = 0.0

    def sample():
        ws = sim.weights(prj)
        samples_t.append(sim.t / 1000.0)
        chosen_w.append(float(ws[chosen]))
        median_w.append(float(np.median(ws[others])))
        p90_w.append(float(np.percentile(ws[others], 90)))
        mean_w.append(float(ws[others].mean()))
        return ws

    n_spikes = np.zeros(2)
    t0 = time.perf_counter()
    while sim.t < total - 1e-9:
        if sim.t >= next_sample - 1e-9:
            sample()
            next_sample += sample_s * 1000.0
        pending = [r for r in rewards if r > sim.t + 1e-9]
        stop = min(total, sim.t + segment_ms, next_sample, *(pending or [np.inf]))
        start = sim.t
        sim.run(stop - start)
        for r in rewards:
            if start < r <= sim.t + 1e-9 and r not in delivered:
                sim.deliver_modulator(prj, REWARD)
                delivered.append(r)
        times, ids = sim.spikes(res.neurons, start=start + 1e-9)
        n_spikes += [np.sum(ids < res.n_exc), np.sum(ids >= res.n_exc)]
        t1 = times[ids == n1]
        t2 = times[ids == n2]
        for t in t2:
            before = t1[t1 < t]
            prev = before[-1] if before.size else last_n1
            if 0 < t - prev <= WINDOW_MS:
                pairings.append(float(t))
                rewards.append(float(t + rng.integers(REWARD_DELAY_MS[0], REWARD_DELAY_MS[1] + 1)))
        if t1.size:
            last_n1 = t1[-1]
        if report is not None:
            report(sim.t / total, sim.t)
    wall = time.perf_counter() - t0
    ws = sample()
    seconds = sim.t / 1000.0
    return {"t_s": np.asarray(samples_t), "chosen": np.asarray(chosen_w), "median_others": np.asarray(median_w),
            "p90_others": np.asarray(p90_w), "mean_others": np.asarray(mean_w), "final_weights": ws[others],
            "n1": n1, "n2": n2, "pairings": np.asarray(pairings), "rewards": np.asarray(delivered),
            "rate_exc_hz": float(n_spikes[0] / res.n_exc / seconds),
            "rate_inh_hz": float(n_spikes[1] / max(res.n_inh, 1) / seconds),
            "minutes": minutes, "wall_s": wall, "w_max": res.w_max}


def force_sine(n=2000, seconds=10.0, train=(1.0, 6.0), frequency=5.0, seed=1, **network) -> dict:
    """Nicola & Clopath (2017): a spiking FORCE network learns a ``frequency`` Hz sine.

    RLS runs during ``train`` (s); the network then runs on its own output feedback
    and the output is compared with the sine on the rest of the run (the test).
    """
    from ..models.reservoir import SpikingForceNetwork
    net = SpikingForceNetwork(n=n, seed=seed, **network)
    steps = int(round(seconds * 1000.0 / net.dt))
    t = np.arange(steps) * net.dt
    target = np.sin(2 * np.pi * frequency * t / 1000.0)
    a, b = (int(round(x * 1000.0 / net.dt)) for x in train)
    t0 = time.perf_counter()
    out = net.run(target, train=(a, b))
    wall = time.perf_counter() - t0
    z = out["z"][:, 0]
    test = slice(b, steps)
    # after training the network oscillates on its own: its frequency and amplitude are the test
    # (a small frequency error accumulates into phase lag, which a correlation with the clock sine would count)
    zt = z[test]
    ups = np.flatnonzero((zt[:-1] < 0) & (zt[1:] >= 0))
    freq = (ups.size - 1) / ((ups[-1] - ups[0]) * net.dt / 1000.0) if ups.size > 1 else 0.0
    first_second = slice(b, min(steps, b + int(round(1000.0 / net.dt))))
    return {"t_s": t / 1000.0, "z": z, "target": target, "train": train, "n": n, "rate_hz": out["rate_hz"],
            "test_frequency_hz": float(freq), "test_amplitude": float(np.sqrt(2.0) * zt.std()),
            "test_rms": float(np.sqrt(np.mean((zt - target[test]) ** 2))),
            "first_second_correlation": float(np.corrcoef(z[first_second], target[first_second])[0, 1]),
            "wall_s": wall, "frequency": frequency}
