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

import math
import time

import numpy as np

from .._checks import check_int, check_scalar, fail
from ..core import Simulator
from ..models.reservoir import IzhikevichReservoir
from ..random import seed_sequence
from . import register

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
    rng = res.network.rng(9)
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


#: the "what and when" task: two cues, three outcomes; the delay changes, then the probabilities
WHAT_WHEN_PHASES = (
    {"trials": 400, "delays": (150, 150), "probabilities": ((0.6, 0.3, 0.1), (0.1, 0.3, 0.6))},
    {"trials": 250, "delays": (250, 250), "probabilities": ((0.6, 0.3, 0.1), (0.1, 0.3, 0.6))},
    {"trials": 250, "delays": (250, 250), "probabilities": ((0.1, 0.3, 0.6), (0.6, 0.3, 0.1))},
)


def _check_phases(phases):
    o = "what_when"
    if not phases:
        raise fail(o, "phases", phases, "expected at least one phase {'trials', 'delays', 'probabilities'}")
    out = []
    for ph in phases:
        if not isinstance(ph, dict) or set(ph) != {"trials", "delays", "probabilities"}:
            raise fail(o, "phases", ph, "expected each phase as {'trials', 'delays', 'probabilities'}")
        p = np.asarray(ph["probabilities"], dtype=float)
        d = np.asarray(ph["delays"], dtype=float)
        if p.ndim != 2 or (p < 0).any() or not np.allclose(p.sum(axis=1), 1.0):
            raise fail(o, "probabilities", ph["probabilities"], "expected one row of outcome probabilities per cue, "
                       "each >= 0 and summing to 1")
        if d.shape != (p.shape[0],) or (d < 1).any():
            raise fail(o, "delays", ph["delays"], f"expected one delay >= 1 ms per cue ({p.shape[0]} cues)")
        out.append((check_int(o, "trials", ph["trials"], low=1), d, p))
    if len({(p.shape) for _, _, p in out}) != 1:
        raise fail(o, "phases", phases, "expected the same cues and outcomes in every phase")
    return out


def what_when(phases=WHAT_WHEN_PHASES, cells="2003", n_exc=400, n_inh=100, targets=50, noise=13.0, exc_weight=1.0,
              cue_inputs=20, cue_targets=100, cue_fanout=20, cue_weight=40.0, cue_delays=(1, 350), trial_ms=600,
              attention_ms=400, tau_trace=20.0, tau_outcome=50.0, eta=0.03, force_alpha=1.0, force_every=10,
              window=20, seed=1) -> dict:
    """The "what and when" prediction task (Yamada & Chao 2025) on an Izhikevich reservoir.

    Each trial starts with one of the cues: a fixed burst from its ``cue_inputs``
    input neurons, each onto ``cue_fanout`` cells of the cue's own group of
    ``cue_targets`` excitatory cells, every cell hearing the cue after its own
    conduction delay drawn from ``cue_delays`` (ms); after the cue's delay, one of
    the outcomes follows, drawn with the cue's probabilities.

    The spread delays give the reservoir its clock, standing in for the sequentially
    firing "time cells" of models of interval timing.  Without them the reservoir
    forgets when the cue came: measured with the best (ridge) readout on 200 trials,
    the p = 0.6 outcome peaked at 0.13-0.18 whether the cue was a burst or held on and
    whether the cells had one recovery time scale or a spread (1/a from 20 to 200 ms);
    with delays spread over 1-350 ms it peaks at 0.58.  The reservoir sees the
    cues only; the outcome reaches the readouts as their error signal
    (``f(t) = exp(-(t - t_outcome) / tau_outcome)`` after it).  Readouts, all on the
    reservoir's spike traces (``tau_trace``) and learning inside the attention window
    (the first ``attention_ms`` of a trial):

    - "when": one :class:`ThreeFactorReadout` online, target = any outcome;
    - "what": one offline :class:`ThreeFactorReadout` per outcome (consolidated every
      10 trials);
    - FORCE (:class:`ForceReadout`, RLS every ``force_every`` steps) on the same
      targets, with ``P`` kept across phase changes and with ``P`` reset at each change.

    The readouts do not feed back into the reservoir, so the reservoir runs once and
    the learners run on its recorded spikes trial by trial, in order.
    """
    from ..core import FromListConnector, SpikeSourceArray, StaticSynapse
    from ..models.reservoir._kernels import spike_traces
    from ..models.reservoir import ForceReadout, ThreeFactorReadout
    o = "what_when"
    plan = _check_phases(phases)
    trial_ms = check_int(o, "trial_ms", trial_ms, low=2)
    attention_ms = check_int(o, "attention_ms", attention_ms, low=1)
    if attention_ms > trial_ms:
        raise fail(o, "attention_ms", attention_ms, f"expected an attention window within the trial (<= {trial_ms} ms)")
    if max(d.max() for _, d, _ in plan) >= attention_ms:
        raise fail(o, "delays", [d.tolist() for _, d, _ in plan], f"expected delays inside the attention window "
                   f"(< attention_ms={attention_ms})")
    lo, hi = (check_int(o, "cue_delays", v, low=1) for v in cue_delays)
    if hi < lo:
        raise fail(o, "cue_delays", cue_delays, "expected (shortest, longest) conduction delays in ms, shortest first")
    n_cues, n_out = plan[0][2].shape
    rng_task = np.random.default_rng(seed_sequence(o, seed))
    # the schedule: cue, outcome and delay of every trial
    cue, outcome, delay, phase = [], [], [], []
    for k, (n_trials, d, p) in enumerate(plan):
        c = rng_task.integers(0, n_cues, n_trials)
        cue.append(c)
        outcome.append(np.array([rng_task.choice(n_out, p=p[ci]) for ci in c]))
        delay.append(d[c].astype(int))
        phase.append(np.full(n_trials, k))
    cue, outcome, delay, phase = (np.concatenate(v) for v in (cue, outcome, delay, phase))
    n_trials = cue.size
    res = IzhikevichReservoir(n_exc, n_inh, targets, cells=cells,
                              exc_weight=exc_weight, noise=noise, plastic=False, seed=seed)
    if n_cues * cue_targets > res.n_exc:
        raise fail(o, "cue_targets", cue_targets, f"expected at most n_exc / cues = {res.n_exc // n_cues} "
                   "excitatory cells per cue")
    if not 1 <= cue_fanout <= cue_targets:
        raise fail(o, "cue_fanout", cue_fanout, f"expected 1..cue_targets={cue_targets} targets per cue input")
    offsets = rng_task.integers(0, 10, (n_cues, cue_inputs))   # each cue: a fixed burst pattern
    groups = rng_task.permutation(res.n_exc)[:n_cues * cue_targets].reshape(n_cues, cue_targets)
    for c in range(n_cues):
        starts = np.flatnonzero(cue == c) * float(trial_ms) + 1.0
        times = [starts + offsets[c, i] for i in range(cue_inputs)]
        src = res.network.population(cue_inputs, SpikeSourceArray(times), label=f"cue{c}")
        pairs = np.asarray([(i, j) for i in range(cue_inputs)
                            for j in rng_task.choice(groups[c], cue_fanout, replace=False)], dtype=float)
        # each target cell hears the cue after its own delay (the same for all its inputs)
        cell_delay = rng_task.integers(lo, hi + 1, res.n)
        res.network.projection(src, res.neurons,
                               FromListConnector(np.column_stack((pairs, np.full(len(pairs), cue_weight),
                                                                  cell_delay[pairs[:, 1].astype(int)]))),
                               StaticSynapse(weight=cue_weight, delay=1.0), label=f"cue{c}_input")
    sim = Simulator(res.network, dt=1.0, seed=seed)
    t0 = time.perf_counter()
    sim.run(n_trials * trial_ms)
    sim_s = time.perf_counter() - t0
    times, ids = sim.spikes(res.neurons)
    steps = np.round(times).astype(np.int64) - 1          # a spike at t ends step t - 1
    order = np.lexsort((ids, steps))
    steps, ids = steps[order], ids[order].astype(np.int64)
    bounds = np.searchsorted(steps, np.arange(n_trials + 1) * trial_ms)

    when = ThreeFactorReadout(res.n, 1, eta=eta, mode="online")
    what = ThreeFactorReadout(res.n, n_out, eta=eta, mode="offline")
    force = {"kept": ForceReadout(res.n, n_out + 1, alpha=force_alpha),
             "reset": ForceReadout(res.n, n_out + 1, alpha=force_alpha)}
    out = {name: np.zeros((n_trials, attention_ms, n_out + 1))
           for name in ("three_factor", "force_kept", "force_reset")}
    x_carry = np.zeros(res.n)
    x = np.zeros((trial_ms, res.n))
    lag = np.arange(attention_ms)
    gate = np.ones(attention_ms)
    t1 = time.perf_counter()
    for k in range(n_trials):
        spike_traces(steps[bounds[k]:bounds[k + 1]] - k * trial_ms, ids[bounds[k]:bounds[k + 1]], trial_ms,
                     math.exp(-1.0 / tau_trace), x_carry, x)
        xa = x[:attention_ms]
        f_any = np.where(lag >= delay[k], np.exp(-(lag - delay[k]) / tau_outcome), 0.0)
        f = np.zeros((attention_ms, n_out + 1))
        f[:, 0] = f_any
        f[:, 1 + outcome[k]] = f_any
        if k and phase[k] != phase[k - 1]:
            force["reset"].reset()
        out["three_factor"][k, :, :1] = when.trial(xa, f[:, :1], gate)
        out["three_factor"][k, :, 1:] = what.trial(xa, f[:, 1:], gate)
        for name, rd in force.items():
            out[f"force_{name}"][k] = rd.trial(xa, f, force_every)
    learn_s = time.perf_counter() - t1
    result = {"cue": cue, "outcome": outcome, "delay": delay, "phase": phase, "outputs": out,
              "phases": [{"trials": n, "delays": d.tolist(), "probabilities": p.tolist()} for n, d, p in plan],
              "rate_hz": float(times.size / res.n / (n_trials * trial_ms / 1000.0)),
              "w_when": when.w[:, 0].copy(), "w_what": what.w.copy(), "sim_s": sim_s, "learn_s": learn_s,
              "n": res.n, "attention_ms": attention_ms, "window": window, "tau_outcome": tau_outcome}
    result.update(what_when_scores(result))
    return result


def _amplitude(y, delay, tau):
    """A readout's amplitude: its mean over ``[delay, delay + tau)`` over the outcome trace's mean there
    (``1 - e^{-1}`` for ``exp(-(t - delay) / tau)``), so a readout at ``p`` times the trace reads ``p``."""
    span = int(round(tau))
    return float(y[delay:delay + span].mean() / (1.0 - math.exp(-1.0)))


def what_when_scores(d) -> dict:
    """Timing error, amplitude-probability agreement, trials to recover and readout angles.

    At the end of each phase (its last ``window`` trials per cue): the peak latency of
    the trial-averaged "when" output against the delay, and the amplitude of each
    "what" output (:func:`_amplitude`) against the outcome probability.  After each change: the trials until
    the trailing ``window``-trial average of every cue's outputs meets the criterion
    (latency within 20 ms of the new delay, every amplitude within 0.15 of its new
    probability); None when that does not happen within the phase.  Angles: between
    the "when" weights and each "what" readout, and between "when" and the part of
    each "what" readout that is specific to its outcome (minus the mean "what").
    """
    cue, phase = d["cue"], d["phase"]
    W = d["window"]
    n_cues = len(d["phases"][0]["delays"])
    scores = {}

    def state(y, trials, ph):
        """(max latency error, max amplitude error, amplitudes, probabilities) over cues."""
        lat_err, amp, prob = [], [], []
        for c in range(n_cues):
            sel = trials[cue[trials] == c][-W:]
            if sel.size == 0:
                return None
            m = y[sel].mean(axis=0)
            D = int(d["phases"][ph]["delays"][c])
            lat_err.append(int(np.argmax(m[:, 0])) - D)
            for q in range(m.shape[1] - 1):
                amp.append(_amplitude(m[:, 1 + q], D, d["tau_outcome"]))
                prob.append(d["phases"][ph]["probabilities"][c][q])
        amp, prob = np.asarray(amp), np.asarray(prob)
        return np.asarray(lat_err), amp, prob

    for name, y in d["outputs"].items():
        per_phase = []
        for ph in range(len(d["phases"])):
            trials = np.flatnonzero(phase == ph)
            lat_err, amp, prob = state(y, trials, ph)
            recover = None        # for a change: None when the readout does not recover within the phase
            if ph:
                for j in range(W, len(trials) + 1):
                    s = state(y, trials[:j], ph)
                    if s is not None and np.abs(s[0]).max() <= 20 and np.abs(s[1] - s[2]).max() <= 0.15:
                        recover = j
                        break
            per_phase.append({"timing_error_ms": lat_err.tolist(), "amplitudes": amp.tolist(),
                              "probabilities": prob.tolist(),
                              "amplitude_probability_correlation": float(np.corrcoef(amp, prob)[0, 1]),
                              "max_amplitude_error": float(np.abs(amp - prob).max()),
                              "trials_to_recover": recover})
        scores[name] = per_phase
    ww, wq = d["w_when"], d["w_what"]
    cos = [float(ww @ wq[:, q] / (np.linalg.norm(ww) * np.linalg.norm(wq[:, q]) + 1e-300)) for q in range(wq.shape[1])]
    centred = wq - wq.mean(axis=1, keepdims=True)
    cos_c = [float(ww @ centred[:, q] / (np.linalg.norm(ww) * np.linalg.norm(centred[:, q]) + 1e-300))
             for q in range(wq.shape[1])]
    return {"scores": scores, "what_when_angle_deg": np.degrees(np.arccos(np.clip(cos, -1, 1))).tolist(),
            "what_specific_when_angle_deg": np.degrees(np.arccos(np.clip(cos_c, -1, 1))).tolist()}


# -- measures and figures ----------------------------------------------------------------------

def _trailing_mean(y, window):
    """Mean of the last ``window`` rows up to each row (fewer at the start), along axis 0."""
    c = np.cumsum(y, axis=0)
    out = c.copy()
    out[window:] = c[window:] - c[:-window]
    return out / np.minimum(np.arange(1, len(y) + 1), window).reshape((-1,) + (1,) * (y.ndim - 1))

def _measure_distal_reward(d):
    above = np.flatnonzero(d["chosen"] >= 3.5)
    reached = float(d["t_s"][above[0]] / 60.0) if above.size else float("inf")
    return ({"minutes_to_reach_w3_5": reached, "rewarded_weight_final": float(d["chosen"][-1]),
             "median_other_weight_final": float(d["median_others"][-1]),
             "rewards": int(d["rewards"].size), "exc_rate_hz": d["rate_exc_hz"],
             "simulated_minutes_per_wall_minute": d["minutes"] / (d["wall_s"] / 60.0)},
            {"minutes_to_reach_w3_5": "min", "rewarded_weight_final": "mV", "median_other_weight_final": "mV",
             "exc_rate_hz": "Hz"})

def distal_reward_figure(data, path, title=""):
    """Izhikevich (2007) Fig. 1 style: the rewarded synapse against the distribution of the others,
    the reward times, and the final weight histogram."""
    from ..plotting import plt, save
    fig, axes = plt.subplots(1, 3, figsize=(15, 4), gridspec_kw={"width_ratios": [2.2, 1, 1]})
    t = data["t_s"] / 60.0
    ax = axes[0]
    ax.plot(t, data["chosen"], lw=2, label=f"rewarded synapse {data['n1']} -> {data['n2']}")
    ax.plot(t, data["median_others"], color="k", label="other excitatory synapses: median")
    ax.fill_between(t, 0, data["p90_others"], color="0.85", label="others: 0 to 90th percentile")
    ax.axhline(data["w_max"], color="gray", ls=":", lw=0.8)
    ax.set_xlabel("time (min)")
    ax.set_ylabel("weight (mV)")
    ax.set_ylim(0, data["w_max"] * 1.05)
    ax.legend(fontsize=8, loc="center right")
    ax.set_title("weights")
    ax = axes[1]
    ax.plot(data["rewards"] / 60000.0, np.arange(1, data["rewards"].size + 1), ".", ms=2)
    ax.set_xlabel("time (min)")
    ax.set_ylabel("rewards delivered")
    ax.set_title(f"{data['rewards'].size} rewards (n2 within 20 ms of n1)")
    ax = axes[2]
    ax.hist(data["final_weights"], bins=40, color="0.5")
    ax.axvline(data["chosen"][-1], color="tab:blue", lw=2, label="rewarded synapse")
    ax.set_yscale("log")
    ax.set_xlabel("final weight (mV)")
    ax.set_title("final distribution")
    ax.legend(fontsize=8)
    fig.suptitle(title or "Distal reward: dopamine-modulated STDP (Izhikevich 2007)")
    return save(fig, path)

def _measure_what_when(d):
    measured, units = {}, {}
    for name, phases in d["scores"].items():
        measured[f"{name}_timing_error_ms"] = float(max(abs(e) for p in phases for e in p["timing_error_ms"]))
        units[f"{name}_timing_error_ms"] = "ms"
        measured[f"{name}_amplitude_probability_correlation"] = min(p["amplitude_probability_correlation"]
                                                                    for p in phases)
        for k, p in enumerate(phases[1:], start=1):
            key = f"{name}_trials_to_recover_change_{k}"
            measured[key] = float("inf") if p["trials_to_recover"] is None else float(p["trials_to_recover"])
            units[key] = "trials"
    measured["what_when_angle_deg_min"] = min(d["what_when_angle_deg"])
    measured["what_specific_when_angle_deg_max_from_90"] = max(abs(a - 90.0) for a in d["what_specific_when_angle_deg"])
    measured["rate_hz"] = d["rate_hz"]
    units.update(what_when_angle_deg_min="deg", what_specific_when_angle_deg_max_from_90="deg", rate_hz="Hz")
    return measured, units

def what_when_figure(data, path, title=""):
    """The "what and when" task: three-factor readout outputs per cue at the end of each phase
    (outcome probabilities dotted, delay dashed), and across the run the "when" latency and one
    "what" amplitude for the three-factor rule, FORCE with P kept and FORCE with P reset."""
    from ..plotting import plt, save
    phases, cue, phase = data["phases"], data["cue"], data["phase"]
    W = data["window"]
    n_cues = len(phases[0]["delays"])
    n_out = len(phases[0]["probabilities"][0])
    fig, axes = plt.subplots(n_cues + 1, len(phases), figsize=(5 * len(phases), 3.2 * (n_cues + 1)), squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    y3 = data["outputs"]["three_factor"]
    t = np.arange(y3.shape[1])
    for ph, spec in enumerate(phases):
        for c in range(n_cues):
            ax = axes[c, ph]
            sel = np.flatnonzero((phase == ph) & (cue == c))[-W:]
            m = y3[sel].mean(axis=0)
            ax.plot(t, m[:, 0], color="k", lw=2, label="when")
            for q in range(n_out):
                ax.plot(t, m[:, 1 + q], color=colors[q], label=f"what {q}")
                ax.axhline(spec["probabilities"][c][q], color=colors[q], ls=":", lw=0.8)
            ax.axvline(spec["delays"][c], color="0.5", ls="--", lw=0.8)
            ax.set_ylim(-0.05, 1.15)
            ax.set_title(f"phase {ph + 1}, cue {c}: delay {spec['delays'][c]:g} ms, p = "
                         + ", ".join(f"{p:g}" for p in spec["probabilities"][c]), fontsize=9)
            if ph == 0:
                ax.set_ylabel("readout output")
            if c == n_cues - 1:
                ax.set_xlabel("time from cue (ms)")
    axes[0, 0].legend(fontsize=7, loc="upper right")
    starts = np.flatnonzero(np.diff(phase)) + 1
    c0 = np.flatnonzero(cue == 0)
    labels = {"three_factor": "three-factor", "force_kept": "FORCE, P kept", "force_reset": "FORCE, P reset"}
    ax_lat, ax_amp = axes[n_cues, 0], axes[n_cues, 1]
    for name, y in data["outputs"].items():
        m = _trailing_mean(y[c0], W)
        ax_lat.plot(c0, m[:, :, 0].argmax(axis=1), label=labels[name], lw=1)
        ax_amp.plot(c0, m[:, :, 1].max(axis=1), label=labels[name], lw=1)
    delay0 = np.array([phases[p]["delays"][0] for p in phase[c0]])
    prob0 = np.array([phases[p]["probabilities"][0][0] for p in phase[c0]])
    ax_lat.plot(c0, delay0, color="0.5", ls="--", lw=1, label="delay")
    ax_amp.plot(c0, prob0, color="0.5", ls="--", lw=1, label="probability")
    ax_lat.set_ylabel("cue 0: 'when' peak latency (ms)")
    ax_amp.set_ylabel("cue 0: 'what 0' peak")
    for ax in (ax_lat, ax_amp):
        for s in starts:
            ax.axvline(s, color="k", lw=0.6)
        ax.set_xlabel(f"trial (outputs averaged over the last {W} cue-0 trials)")
        ax.legend(fontsize=7)
    ax = axes[n_cues, 2] if len(phases) > 2 else None
    if ax is not None:
        for name in data["outputs"]:
            last = data["scores"][name][-1]
            ax.plot(last["probabilities"], last["amplitudes"], "o", label=labels[name])
        ax.plot([0, 1], [0, 1], color="0.5", ls=":", lw=0.8)
        ax.set_xlabel("outcome probability")
        ax.set_ylabel("readout peak, end of the run")
        ax.set_title("what/when angle: " + ", ".join(f"{a:.0f}" for a in data["what_when_angle_deg"])
                     + " deg; outcome-specific part: "
                     + ", ".join(f"{a:.0f}" for a in data["what_specific_when_angle_deg"]) + " deg", fontsize=8)
        ax.legend(fontsize=7)
    fig.suptitle(title or "What and when prediction in an Izhikevich reservoir")
    fig.tight_layout()
    return save(fig, path)

def _measure_force_sine(d):
    return ({"test_frequency_hz": d["test_frequency_hz"], "test_amplitude": d["test_amplitude"],
             "first_second_correlation": d["first_second_correlation"], "test_rms": d["test_rms"],
             "rate_hz": d["rate_hz"]}, {"test_frequency_hz": "Hz", "rate_hz": "Hz"})

def force_sine_figure(data, path, title=""):
    """Spiking FORCE (Nicola & Clopath 2017): the network's output against the target sine,
    training window shaded, and the last second enlarged."""
    from ..plotting import plt, save
    fig, axes = plt.subplots(2, 1, figsize=(12, 6))
    t, z, f = data["t_s"], data["z"], data["target"]
    step = max(1, t.size // 20000)
    for ax, sel in ((axes[0], slice(None, None, step)), (axes[1], t >= t[-1] - 1.0)):
        ax.plot(t[sel], f[sel], color="0.6", lw=2, label=f"target: {data['frequency']:g} Hz sine")
        ax.plot(t[sel], z[sel], color="tab:red", lw=1, label="network output z")
        ax.axvspan(*data["train"], color="tab:green", alpha=0.12, label="RLS on")
        ax.set_ylabel("output")
    axes[0].set_xlim(t[0], t[-1])
    axes[1].set_xlim(t[-1] - 1.0, t[-1])
    axes[1].set_xlabel("time (s)")
    axes[0].legend(fontsize=8, loc="upper right")
    axes[1].set_title(f"free-running after training: {data['test_frequency_hz']:.2f} Hz, amplitude "
                      f"{data['test_amplitude']:.2f} (first second: correlation {data['first_second_correlation']:.3f})",
                      fontsize=9)
    fig.suptitle(title or f"Spiking FORCE: {data['n']} Izhikevich neurons at {data['rate_hz']:.0f} Hz")
    return save(fig, path)


# -- registration ------------------------------------------------------------------------------

register('distal_reward', distal_reward, _measure_distal_reward, distal_reward_figure,
         description='distal reward (Izhikevich 2007): dopamine-modulated STDP in a 1000-neuron network')

register('what_when', what_when, _measure_what_when, what_when_figure,
         description="'what and when' predictions by three-factor readouts of a reservoir (Yamada & Chao 2025)")

register('force_sine', force_sine, _measure_force_sine, force_sine_figure,
         description='spiking FORCE (Nicola & Clopath 2017): 2000 Izhikevich neurons learn a 5 Hz sine')
