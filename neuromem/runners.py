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
    log: list = field(default_factory=list)  # lines printed before the table (e.g. operations and results)

    def table(self) -> list[tuple[str, str, str, str]]:
        """Rows of (quantity, measured, paper, agreement)."""
        rows = []
        for name, value in self.measured.items():
            ref = self.spec.reference.get(name)
            unit = self.units.get(name, "")
            shown = f"{value:.3g} {unit}".strip() if isinstance(value, (int, float)) else str(value)
            if isinstance(ref, list) and len(ref) == 2:
                ok = "yes" if ref[0] <= value <= ref[1] else "NO"
                band = f">= {ref[0]:g}" if ref[1] == float("inf") else (
                    f"<= {ref[1]:g}" if ref[0] == -float("inf") else f"{ref[0]:g}-{ref[1]:g}")
                rows.append((name, shown, f"{band} {unit}".strip(), ok))
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
    spiking: bool = True   # shows dt and duration; False: only the seed matters


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


def _experiment_runner(experiment, measure, figure, spiking=False):
    """A runner for an experiment function: ``measure(data) -> (measured, units)``, ``figure`` from
    plotting; ``data['log']``, when present, is printed before the table."""

    def run(spec, seed, report=None):
        t0 = time.perf_counter()
        data = experiment(seed=seed, **spec.parameters)
        wall = time.perf_counter() - t0
        measured, units = measure(data)
        measured["wall_time_s"], units["wall_time_s"] = wall, "s"

        def plot(path):
            from . import plotting
            getattr(plotting, figure)(data, path, title=spec.title)

        return RunResult(spec, measured, units, data, plot, log=list(data.get("log", [])))

    return Runner(experiment, run, spiking=spiking)


def _measure_classical(d):
    from .theory.hopfield import ags_overlap
    i10 = int(np.argmin(np.abs(d["alpha"] - 0.1)))
    return ({"transition_alpha": d["transition_alpha"], "overlap_at_alpha_0.1": float(d["overlap"][i10]),
             "ags_overlap_at_alpha_0.1": float(ags_overlap(d["alpha"][i10])),
             "overlap_at_max_alpha": float(d["overlap"][-1])}, {})


def _measure_dense(d):
    out = {}
    for (deg, nz), c in d["curves"].items():
        tag = "clean" if nz == 0 else f"noise{int(round(nz * 100))}"
        out[f"k90_n{deg}_{tag}"] = c["k90"]
        out[f"k90_over_classical_n{deg}_{tag}"] = c["k90_over_classical"]
        out[f"estimate_n{deg}"] = c["estimate"]
    return out, {}


def _measure_exp(d):
    return ({"exact_recalled": int(d["exact"][-1]), "stored": int(d["loads"][-1]),
             "exact_fraction": float(d["exact"][-1] / d["loads"][-1]), "demircigil_bound": d["bound"]}, {})


def _measure_modern(d):
    return ({"correct_fraction": d["correct_fraction"], "queries_per_s": d["queries_per_s"],
             "ramsauer_separated_fraction": d["separated_fraction"]}, {"queries_per_s": "1/s"})


def _measure_digits(d):
    return ({f"{k}_{q}": d[k][q] for k in ("masked", "noisy") for q in ("correct_fraction", "same_class_fraction")},
            {})


def _measure_examples(d):
    out = {}
    for m, s, u, t in zip(d["m"], d["supervised"], d["unsupervised"], d["theory"]):
        out[f"supervised_m{m}"], out[f"theory_m{m}"], out[f"unsupervised_m{m}"] = float(s), float(t), float(u)
    out["max_abs_supervised_minus_theory"] = float(np.max(np.abs(d["supervised"] - d["theory"])[d["m"] >= 5]))
    return out, {}


def _measure_multitask(d):
    out = {}
    for i, dil in enumerate(d["dilutions"]):
        for j in range(2):
            out[f"m{j + 1}_d{dil:g}"] = float(d["measured"][i, j])
            out[f"theory_m{j + 1}_d{dil:g}"] = float(d["theory"][i, j])
    return out, {}


def _hopfield_runners():
    from .experiments import hopfield as H
    return {
        "hopfield_classical": _experiment_runner(H.classical_capacity, _measure_classical, "classical_capacity_figure"),
        "hopfield_dense": _experiment_runner(H.dense_capacity, _measure_dense, "dense_capacity_figure"),
        "hopfield_exponential": _experiment_runner(H.exponential_capacity, _measure_exp, "exponential_capacity_figure"),
        "hopfield_modern": _experiment_runner(H.modern_retrieval, _measure_modern, "modern_retrieval_figure"),
        "hopfield_modern_digits": _experiment_runner(H.modern_digits, _measure_digits, "recall_grid_figure"),
        "hopfield_examples": _experiment_runner(H.examples_retrieval, _measure_examples, "examples_figure"),
        "hopfield_multitask": _experiment_runner(H.multitask, _measure_multitask, "multitask_figure"),
    }


def _measure_segments(d):
    i12 = list(d["thetas"]).index(12) if 12 in list(d["thetas"]) else -1
    n_big = int(np.argmin(np.abs(d["n"] - 64000)))
    sampled = ~np.isnan(d["union_mc"])
    return ({"false_match_sparse_n64000": float(d["sparse_theory"][i12, n_big]),
             "false_match_dense_n64000": float(d["dense_theory"][i12, n_big]),
             "union_capacity": int(d["union_capacity"]),
             "union_false_match_at_capacity": float(np.interp(d["union_capacity"], d["loads"], d["union_mc"])),
             "union_max_abs_error": float(np.max(np.abs(d["union_mc"][sampled] - d["union_theory"][sampled])))},
            {"union_capacity": "patterns"})


def _measure_sequences(d):
    c = d["curves"]
    first_full = np.flatnonzero(c["temporal memory"] >= 1.0)
    return ({"final_accuracy": float(c["temporal memory"][-1]),
             "presentations_to_100%": int(d["presentations"][first_full[0]]) if first_full.size else -1,
             "final_accuracy_no_punishment": float(c["no punishment"][-1]),
             "final_accuracy_first_order": float(c["first order"][-1]),
             "first_order_limit": float(d["first_order_limit"]),
             **{f"accuracy_after_{f:.0%}_cell_loss": float(a) for f, a in zip(d["loss"], d["loss_accuracy"])}},
            {"presentations_to_100%": "presentations"})


def _measure_continual(d):
    out = {f"mean_accuracy_{name.replace(' ', '_').replace('+', 'and')}": float(v) for name, v in d["mean"].items()}
    if "plain" in d["mean"] and len(d["variants"]) > 1:
        out["gain_over_plain"] = float(d["mean"][d["variants"][0]] - d["mean"]["plain"])
    out["context_inference_accuracy"] = float(d["context_accuracy"][d["variants"][0]])
    return out, {}


def _dendrite_runners():
    from .experiments import dendrites as D
    return {
        "dendrites_segments": _experiment_runner(D.segment_theory, _measure_segments, "segment_theory_figure"),
        "dendrites_sequences": _experiment_runner(D.sequence_learning, _measure_sequences, "sequence_learning_figure"),
        "dendrites_continual": _experiment_runner(D.continual_digits, _measure_continual, "continual_figure"),
    }


def _measure_hlop(d):
    out = {}
    for m in d["methods"]:
        out[f"ACC_{m}"] = float(d["acc"][m].mean())
        out[f"ACC_{m}_sd"] = float(d["acc"][m].std())
        out[f"BWT_{m}"] = float(d["bwt"][m].mean())
    if "hlop" in d["methods"] and "multitask" in d["methods"]:
        out["ACC_gap_to_multitask"] = float(d["acc"]["multitask"].mean() - d["acc"]["hlop"].mean())
    if len(d["leak"]):
        out["update_share_in_old_subspace"] = float(np.mean(d["leak"]))
    if d["agreement"] is not None:     # the first hidden layer's input: the input layer may be fully spanned
        layer = min(1, len(d["agreement"]) - 1)
        out["subspace_vs_svd_hidden1"] = float(d["agreement"][layer])
        out["captured_energy_vs_svd_hidden1"] = float(d["energy_ratio"][layer])
    return out, {}


def _hlop_runners():
    from .experiments import hlop
    run = _experiment_runner(hlop.continual_snn, _measure_hlop, "continual_snn_figure")
    return {"hlop_permuted": run}


def _measure_sparsey_similarity(d):
    ov = d["code_overlap"].mean(axis=1)
    return ({"code_overlap_at_input_overlap_0": float(ov[0]), "code_overlap_at_input_overlap_1": float(ov[-1]),
             "reactivated_exactly": d["reactivated"], "correlation": d["correlation"]}, {})


def _measure_sparsey_episodic(d):
    out = {}
    for name, c in d["curves"].items():
        key = name.replace("% of ", "pct_").replace(" ", "_")
        for load, ex in zip(d["loads"], c["exact"]):
            out[f"exact_{key}_{load}"] = ex
    return out, {}


def _measure_sparsey_sequences(d):
    out = {f"exact_frames_{c}_sequences": e for c, e in zip(d["counts"], d["exact"])}
    out["learn_us_per_frame"] = d["s_per_frame"] * 1e6
    return out, {"learn_us_per_frame": "us"}


def _measure_sparsey_classify(d):
    out = {}
    for n, a, k in zip(d["per_class"], d["sparsey"], d["knn"]):
        out[f"sparsey_accuracy_{n}_per_class"] = a
        out[f"knn_accuracy_{n}_per_class"] = k
    out["sparsey_minus_knn_at_fewest"] = d["sparsey"][0] - d["knn"][0]
    out["learn_ms_per_image"] = 1000.0 * float(np.median(d["s_per_image"]))
    return out, {"learn_ms_per_image": "ms"}


def _sparsey_runners():
    from .experiments import sparsey
    return {"sparsey_similarity": _experiment_runner(sparsey.similarity, _measure_sparsey_similarity,
                                                     "sparsey_similarity_figure"),
            "sparsey_episodic": _experiment_runner(sparsey.episodic, _measure_sparsey_episodic,
                                                   "sparsey_episodic_figure"),
            "sparsey_sequences": _experiment_runner(sparsey.sequences, _measure_sparsey_sequences,
                                                    "sparsey_sequences_figure"),
            "sparsey_classify": _experiment_runner(sparsey.classify, _measure_sparsey_classify,
                                                   "sparsey_classify_figure")}


def _measure_ca3(d):
    lat = d["latency"]
    measured = {"correct_fraction": d["correct_fraction"], "operations": len(d["results"]),
                "internal_neurons": d["n_internal"]}
    units = {}
    for key, name in (("recall_cue", "recall_cue_latency_ms"), ("recall_content", "recall_content_latency_ms"),
                      ("learn", "learn_echo_latency_ms"), ("content_cue", "content_recall_latency_ms")):
        if lat[key] == lat[key]:  # not NaN: the preset has such operations
            measured[name], units[name] = lat[key], "ms"
    measured["operations_per_s"] = len(d["results"]) / (d["build_s"] + d["run_s"])
    units["operations_per_s"] = "1/s"
    return measured, units


def _measure_ca3_noise(d):
    s, h = d["spurious"], d["hopfield"]
    return ({"cues_returned_minus_predicted_max": float(np.max(np.abs(s["returned"] - s["predicted"]))),
             "target_found": float(s["target_found"].min()),
             "ca3_target_returned": h["target_returned"],
             "ca3_overlap_at_most_missing": float(h["ca3_overlap"][-1]),
             "hopfield_overlap_at_most_missing": float(h["hopfield_overlap"][-1])}, {})


def _ca3_runners():
    from .experiments import ca3
    return {"ca3_operations": _experiment_runner(ca3.operations, _measure_ca3, "ca3_operations_figure", spiking=False),
            "ca3_noise": _experiment_runner(ca3.noise, _measure_ca3_noise, "ca3_noise_figure")}


def _measure_distal_reward(d):
    above = np.flatnonzero(d["chosen"] >= 3.5)
    reached = float(d["t_s"][above[0]] / 60.0) if above.size else float("inf")
    return ({"minutes_to_reach_w3_5": reached, "rewarded_weight_final": float(d["chosen"][-1]),
             "median_other_weight_final": float(d["median_others"][-1]),
             "rewards": int(d["rewards"].size), "exc_rate_hz": d["rate_exc_hz"],
             "simulated_minutes_per_wall_minute": d["minutes"] / (d["wall_s"] / 60.0)},
            {"minutes_to_reach_w3_5": "min", "rewarded_weight_final": "mV", "median_other_weight_final": "mV",
             "exc_rate_hz": "Hz"})


def _measure_force_sine(d):
    return ({"test_frequency_hz": d["test_frequency_hz"], "test_amplitude": d["test_amplitude"],
             "first_second_correlation": d["first_second_correlation"], "test_rms": d["test_rms"],
             "rate_hz": d["rate_hz"]}, {"test_frequency_hz": "Hz", "rate_hz": "Hz"})


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


def _reservoir_runners():
    from .experiments import reservoir
    return {"distal_reward": _experiment_runner(reservoir.distal_reward, _measure_distal_reward,
                                                "distal_reward_figure"),
            "what_when": _experiment_runner(reservoir.what_when, _measure_what_when, "what_when_figure"),
            "force_sine": _experiment_runner(reservoir.force_sine, _measure_force_sine, "force_sine_figure")}


def _measure_quantization(d):
    return ({"ca3_accuracy_before": d["ca3_before"], "ca3_accuracy_after": d["ca3_after"],
             "readout_correlation_before": d["readout_before"], "readout_correlation_after": d["readout_after"],
             "max_weight_error": max(d["ca3_report"]["max_weight_error"], d["readout_report"]["max_weight_error"])},
            {"max_weight_error": "nA"})


def _quantization_runners():
    from .experiments import quantization
    return {"quantization": _experiment_runner(quantization.quantization, _measure_quantization,
                                               "quantization_figure")}


RUNNERS = {"izhikevich2003": Runner(izhikevich2003, run_izhikevich2003), **_hopfield_runners(), **_dendrite_runners(),
           **_hlop_runners(), **_sparsey_runners(), **_ca3_runners(), **_reservoir_runners(),
           **_quantization_runners()}
