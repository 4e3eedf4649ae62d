"""Figures (matplotlib, Agg backend: works without a display)."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def save(fig, path) -> Path:
    """Write a figure atomically (temporary name, then rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}{path.suffix}")
    fig.savefig(tmp, dpi=120, bbox_inches="tight")
    plt.close(fig)
    os.replace(tmp, path)
    return path


def raster(ax, recordings, t_max=None, colors=("tab:blue", "tab:red")):
    """Raster of several populations stacked (first at the bottom)."""
    offset = 0
    for rec, color in zip(recordings, colors):
        sel = slice(None) if t_max is None else rec.spike_times <= t_max
        ax.plot(rec.spike_times[sel], rec.spike_ids[sel] + offset, ".", ms=1.0, color=color, label=rec.population)
        offset += rec.size
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron")
    ax.set_ylim(0, offset)
    ax.legend(loc="upper right", markerscale=8, fontsize=8)


def izhikevich2003_figure(data, path, title=""):
    """Raster of the first second (as the paper's Fig. 3) beside the rate spectrum."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [2, 1]})
    raster(a, [data["exc"], data["inh"]], t_max=1000.0)
    a.set_xlim(0, 1000)
    a.set_title(title or "Izhikevich 2003 network")
    f, p = data["freqs"], data["power"]
    sel = (f > 0) & (f <= 100)
    b.semilogy(f[sel], p[sel], color="k")
    for lo, hi, name in ((8, 13, "alpha"), (25, 45, "gamma")):
        b.axvspan(lo, hi, alpha=0.15, label=name)
    b.set_xlabel("frequency (Hz)")
    b.set_ylabel("power of population rate")
    b.set_title("population rate spectrum")
    b.legend(fontsize=8)
    return save(fig, path)


# -- Hopfield memories -------------------------------------------------------------------------------

def classical_capacity_figure(data, path, title=""):
    """Final overlap vs. load alpha with the AGS retrieval curve and alpha_c = 0.138."""
    from .theory.hopfield import AGS_CAPACITY
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    ax.plot(data["theory_alpha"], data["theory_overlap"], "k-", label="AGS theory (N -> inf)")
    ax.plot(data["alpha"], data["overlap"], "o-", color="tab:blue", label=f"simulation, N = {data['n']}")
    ax.plot(data["alpha"], data["exact"], "s--", color="tab:orange", ms=4, label="fraction recalled exactly")
    ax.axvline(AGS_CAPACITY, color="gray", ls=":", label=r"$\alpha_c$ = 0.138")
    ax.set_xlabel(r"load $\alpha$ = K / N")
    ax.set_ylabel("final overlap with the cued pattern")
    ax.set_ylim(-0.02, 1.05)
    ax.set_title(title or "Classical Hopfield network: retrieval vs. load")
    ax.legend(fontsize=8, loc="lower left")
    return save(fig, path)


def dense_capacity_figure(data, path, title=""):
    """P(exact recall) vs. K per degree, clean (solid) and noisy (dashed) cues, theory estimates marked."""
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ci, deg in enumerate(data["degrees"]):
        color = colors[ci % len(colors)]
        for nz in data["noise"]:
            c = data["curves"][(deg, nz)]
            ax.semilogx(c["loads"], c["exact"], "o-" if nz == 0 else "s--", color=color, ms=4,
                        label=f"n = {deg}, {'clean' if nz == 0 else f'{nz:.0%} flipped'} cues")
        ax.axvline(data["curves"][(deg, data["noise"][0])]["estimate"], color=color, ls=":", lw=1)
    from .theory.hopfield import AGS_CAPACITY
    ax.axvline(AGS_CAPACITY * data["n"], color="k", ls="-.", lw=1, label="classical limit 0.138 N")
    ax.set_xlabel("stored patterns K")
    ax.set_ylabel("P(exact recall)")
    ax.set_title(title or f"Dense Hopfield, N = {data['n']} (dotted: N^(n-1) / (2 (2n-3)!! ln N))")
    ax.legend(fontsize=7, loc="lower left")
    return save(fig, path)


def exponential_capacity_figure(data, path, title=""):
    """Patterns recalled exactly vs. patterns stored, with the Demircigil bound."""
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(data["loads"], data["exact"], "o-", label="recalled exactly")
    ax.plot(data["loads"], data["loads"], "k:", label="all stored")
    ax.axhline(1e4, color="tab:green", ls="--", lw=1, label="10^4")
    ax.set_xlabel("stored patterns K")
    ax.set_ylabel("patterns recalled exactly")
    ax.set_title(title or f"Exponential DAM, N = {data['n']} (bound 2^(N/2) = {data['bound']:.0f})")
    ax.legend(fontsize=8)
    return save(fig, path)


def modern_retrieval_figure(data, path, title=""):
    """Cosine with the target before (cue) and after one update."""
    fig, ax = plt.subplots(figsize=(6, 4.5))
    bins = np.linspace(min(data["cue_cosine"].min(), 0), 1, 60)
    ax.hist(data["cue_cosine"], bins=bins, alpha=0.6, label="masked cue")
    ax.hist(data["recall_cosine"], bins=bins, alpha=0.6, label="after one update")
    ax.set_xlabel("cosine similarity with the stored pattern")
    ax.set_ylabel("queries")
    ax.set_title(title or f"Modern Hopfield: K = {data['k']}, d = {data['d']}, "
                          f"{data['correct_fraction']:.2%} correct")
    ax.legend(fontsize=8)
    return save(fig, path)


def recall_grid_figure(data, path, title="", side=8):
    """Rows of cue / recalled / stored images for each corruption in ``data`` (modern_digits output)."""
    kinds = [k for k in ("masked", "noisy") if k in data]
    shown = data["shown"]
    fig, axes = plt.subplots(3 * len(kinds), len(shown), figsize=(1.2 * len(shown), 3.8 * len(kinds)))
    for ki, kind in enumerate(kinds):
        for row, (name, imgs) in enumerate((("cue", data[kind]["cue"]), ("recalled", data[kind]["recalled"]),
                                            ("stored", data["stored"]))):
            for col, idx in enumerate(shown):
                ax = axes[3 * ki + row, col]
                ax.imshow(imgs[idx].reshape(side, side), cmap="gray_r", vmin=0, vmax=16)
                ax.set_xticks([])
                ax.set_yticks([])
                if col == 0:
                    ax.set_ylabel(f"{kind}\n{name}" if row == 0 else name, fontsize=8)
    fig.suptitle(title or "Modern Hopfield recall of sklearn digits")
    return save(fig, path)


def examples_figure(data, path, title=""):
    """Archetype overlap vs. examples per class, supervised and unsupervised, with the supervised theory."""
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.semilogx(data["m"], data["theory"], "k-", label="theory: sign of the mean of M examples")
    ax.semilogx(data["m"], data["supervised"], "o", label="supervised (class means)")
    ax.semilogx(data["m"], data["unsupervised"], "s", label="unsupervised (all examples)")
    ax.set_xlabel("examples per archetype M")
    ax.set_ylabel("overlap of the retrieved state with the archetype")
    ax.set_title(title or "Learning archetypes from noisy examples")
    ax.legend(fontsize=8)
    return save(fig, path)


def multitask_figure(data, path, title=""):
    """Sorted overlaps measured vs. the hierarchical prediction (1 - d) d^(j-1), per dilution."""
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    k = data["k"]
    width = 0.8 / len(data["dilutions"])
    for i, d in enumerate(data["dilutions"]):
        x = np.arange(1, k + 1) + (i - len(data["dilutions"]) / 2 + 0.5) * width
        ax.bar(x, data["measured"][i], width, alpha=0.7, label=f"d = {d:g}")
        ax.plot(x, data["theory"][i], ls="none", marker="_", ms=12, mew=2, color="k")
    ax.plot([], [], ls="none", marker="_", ms=12, mew=2, color="k", label="(1 - d) d^(j-1)")
    ax.set_xlabel("pattern rank j")
    ax.set_ylabel("|overlap|")
    ax.set_xticks(np.arange(1, k + 1))
    ax.set_title(title or "Multitask retrieval with diluted patterns")
    ax.legend(fontsize=8)
    return save(fig, path)


def segment_theory_figure(data, path, title=""):
    """Ahmad & Hawkins (2016) figures: false match vs n, error vs theta under noise, union capacity; theory lines,
    simulation points."""
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.6))
    ax = axes[0]
    for i, t in enumerate(data["thetas"]):
        for code, style, label in (("sparse", "-", f"a = {data['sparse_a']}"), ("dense", "--", "a = n/4")):
            line, = ax.loglog(data["n"], data[f"{code}_theory"][i], style, label=f"{label}, theta = {t}")
            ax.loglog(data["n"], data[f"{code}_mc"][i], "o", color=line.get_color(), ms=5)
    ax.plot([], [], "ko", ms=5, label="simulation")
    ax.set_xlabel("cells n")
    ax.set_ylabel("P(false match)")
    ax.set_title(f"sparse vs dense codes (s = {data['s']})")
    ax.legend(fontsize=7)
    ax = axes[1]
    for i, v in enumerate(data["noise"]):
        line, = ax.semilogy(data["theta_values"], data["fn_theory"][i], "-", label=f"P(false negative), noise {v:.0%}")
        ax.semilogy(data["theta_values"], data["fn_mc"][i], "o", color=line.get_color(), ms=4)
    ax.semilogy(data["theta_values"], data["fp_theta_theory"], "k--",
                label=f"P(false match), n = {data['noise_n']}, a = {data['noise_a']}")
    ax.semilogy(data["theta_values"], data["fp_theta_mc"], "ko", ms=4)
    ax.set_ylim(1e-12, 2)
    ax.set_xlabel("threshold theta (synapses)")
    ax.set_ylabel("error probability")
    ax.set_title(f"error vs theta under noise (s = {data['s']})")
    ax.legend(fontsize=7)
    ax = axes[2]
    ax.semilogx(data["loads"], data["union_theory"], "k-", label="theory: s_M = n(1 - (1 - s/n)^M)")
    ax.semilogx(data["loads"], data["union_mc"], "o", label="SegmentMemory, recognition protocol")
    ax.axvline(data["union_capacity"], color="gray", ls=":", label=f"capacity at P = {data['union_target']:g}")
    ax.set_xlabel("patterns stored on one segment M")
    ax.set_ylabel("P(false match) of a random probe")
    ax.set_title(f"union property (n = {data['union_n']}, a = {data['union_a']}, s = {data['union_s']}, "
                 f"theta = {data['union_theta']})")
    ax.legend(fontsize=7)
    fig.suptitle(title or "Dendritic segments: exact theory and simulation")
    return save(fig, path)


def sequence_learning_figure(data, path, title=""):
    """Prediction accuracy vs presentations for each learner, and accuracy after cell loss."""
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.5))
    for name, acc in data["curves"].items():
        a1.plot(data["presentations"], acc, "-o", ms=3, label=name)
    a1.axhline(data["first_order_limit"], color="gray", ls=":", label="best first-order accuracy")
    a1.set_xlabel("presentations of the sequence set")
    a1.set_ylabel("prediction accuracy")
    a1.set_ylim(-0.02, 1.02)
    a1.set_title("high-order sequences (shared middles)")
    a1.legend(fontsize=8)
    a2.plot(100 * data["loss"], data["loss_accuracy"], "-o", label="right after cell loss")
    a2.plot(100 * data["loss"], data["loss_recovered"], "-s", label=f"after {data['recovery']} more presentations")
    a2.set_xlabel("cells removed (%)")
    a2.set_ylabel("prediction accuracy")
    a2.set_ylim(-0.02, 1.02)
    a2.set_title("robustness to cell loss")
    a2.legend(fontsize=8)
    fig.suptitle(title or "Sequence memory of dendritic neurons")
    return save(fig, path)


def continual_figure(data, path, title=""):
    """Final accuracy on each task after training on all tasks in sequence, one bar group per task."""
    fig, ax = plt.subplots(figsize=(9, 4.5))
    names = data["variants"]
    width = 0.8 / len(names)
    tasks = np.arange(1, data["tasks"] + 1)
    for i, name in enumerate(names):
        ax.bar(tasks + (i - len(names) / 2 + 0.5) * width, data["final"][name], width,
               label=f"{name} (mean {data['mean'][name]:.1%})")
    ax.set_xlabel("task (in training order)")
    ax.set_ylabel("test accuracy after the last task")
    ax.set_xticks(tasks)
    ax.set_ylim(0, 1)
    ax.set_title(title or "Continual learning on permuted digits")
    ax.legend(fontsize=8, loc="upper left")
    return save(fig, path)


def continual_snn_figure(data, path, title=""):
    """Accuracy matrix heat maps (first seed) per method, and the first task's accuracy along the sequence."""
    methods = data["methods"]
    fig, axes = plt.subplots(1, len(methods) + 1, figsize=(4 * (len(methods) + 1), 4))
    tasks = np.arange(1, data["tasks"] + 1)
    for ax, m in zip(axes, methods):
        mat = data["matrices"][m][0]
        im = ax.imshow(mat, vmin=0, vmax=1, cmap="viridis", origin="upper")
        ax.set_xticks(range(data["tasks"]), tasks, fontsize=7)
        ax.set_yticks(range(data["tasks"]), tasks, fontsize=7)
        ax.set_xlabel("tested on task j")
        ax.set_ylabel("after training task i")
        ax.set_title(f"{m}: ACC {data['acc'][m].mean():.1%}, BWT {data['bwt'][m].mean():+.1%}", fontsize=9)
    fig.colorbar(im, ax=axes[len(methods) - 1], fraction=0.046, pad=0.04, label="accuracy")
    fig.subplots_adjust(wspace=0.45)
    ax = axes[-1]
    for m in methods:
        first = data["matrices"][m][:, :, 0]           # (seeds, after task i)
        ax.errorbar(tasks, first.mean(0), yerr=first.std(0), marker="o", ms=3, capsize=2, label=m)
    ax.set_xlabel("tasks learned")
    ax.set_ylabel("accuracy on task 1")
    ax.set_ylim(0, 1)
    ax.set_title("task 1 across the sequence (mean, sd over seeds)", fontsize=9)
    ax.legend(fontsize=8)
    fig.suptitle(title or "Continual learning in a spiking network")
    return save(fig, path)


def sparsey_similarity_figure(data, path, title=""):
    """Code overlap vs input overlap (chance line), the eta(G) curve, and codes as Q x K images."""
    fig = plt.figure(figsize=(14, 4.5))
    ax = fig.add_subplot(1, 3, 1)
    ov = data["code_overlap"]
    ax.errorbar(data["fractions"], ov.mean(1), yerr=ov.std(1), marker="o", capsize=3, label="code overlap (mean, sd)")
    ax.axhline(data["chance"], color="gray", ls=":", label="chance 1/K")
    ax.plot([0, 1], [0, 1], "k--", lw=0.8, label="identity")
    ax.set_xlabel("input overlap with a stored input")
    ax.set_ylabel("code overlap with its stored code")
    ax.set_title(f"similarity preservation (r = {data['correlation']:.2f})")
    ax.legend(fontsize=8)
    ax = fig.add_subplot(1, 3, 2)
    ax.semilogy(data["g_axis"], data["eta"])
    ax.set_xlabel("familiarity G")
    ax.set_ylabel("expansivity eta")
    ax.set_title("eta(G) = 1 + [(G - G-)/(1 - G-)]^gamma chi K")
    shown = [0, len(data["examples"]) // 2, len(data["examples"]) - 1]
    for j, i in enumerate(shown):
        ax = fig.add_subplot(2, 6, 5 + j + (0 if j < 2 else 4))
        ax.imshow(data["examples"][i].T, cmap="Greys", aspect="auto")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"input overlap {data['fractions'][i]:.1f}", fontsize=8)
    ax = fig.add_subplot(2, 6, 12)
    ax.imshow(data["stored_code"].T, cmap="Greys", aspect="auto")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title("stored code", fontsize=8)
    fig.suptitle(title or "Sparsey: similar inputs get similar codes")
    return save(fig, path)


_OP_COLORS = {"Learn": "tab:green", "Recall": "tab:blue", "RecallByContent": "tab:orange"}


def ca3_operations_figure(data, path, title="", t_max=400.0):
    """One raster panel per CA3 population, operation windows shaded by kind
    (learn green, recall blue, recall by content orange) and labelled; wrong
    results (against the dictionary model) are marked in red.  Long runs show
    their first ``t_max`` ms."""
    spikes, sizes = data["spikes"], data["populations"]
    order = ["Input", "CueCue", "ContCue", "ContCond", "CondInt", "CueCont", "ContCont", "MergeCue", "MergeCont",
             "Output"]
    t_end = min(t_max or np.inf, max(r.stop for r in data["results"]))
    heights = [max(2, min(sizes[k], 20)) for k in order]
    fig, axes = plt.subplots(len(order), 1, figsize=(max(10, min(40, t_end / 12)), 1.2 + 0.18 * sum(heights)),
                             sharex=True, gridspec_kw={"height_ratios": heights})
    for ax, name in zip(axes, order):
        t, i = spikes[name]
        sel = t <= t_end
        ax.plot(t[sel], i[sel], "|", ms=4 if sizes[name] <= 40 else 2, color="k")
        for r, ok in zip(data["results"], data["agrees"]):
            if r.start <= t_end:
                ax.axvspan(r.start, r.stop, color=_OP_COLORS[type(r.op).__name__], alpha=0.12 if ok else 0.0, lw=0)
                if not ok:
                    ax.axvspan(r.start, r.stop, color="tab:red", alpha=0.3, lw=0)
                ax.axvline(r.start, color="0.6", lw=0.5)
        ax.set_ylim(-0.5, sizes[name] - 0.5)
        ax.set_ylabel(name, rotation=0, ha="right", va="center", fontsize=8)
        ax.tick_params(labelsize=7)
    top = axes[0]
    for r in data["results"]:
        if r.start <= t_end:
            op = r.op
            tag = {"Learn": lambda: f"L{op.cue}", "Recall": lambda: f"R{op.cue}",
                   "RecallByContent": lambda: "C"}[type(op).__name__]()
            top.text((r.start + r.stop) / 2, sizes["Input"] - 0.5, tag, ha="center", va="bottom", fontsize=7)
    axes[-1].set_xlabel("time (ms)")
    axes[-1].set_xlim(0, t_end)
    n_ok = int(data["agrees"][data["scored"]].sum())
    fig.suptitle(f"{title or 'CA3 content-addressable memory'}\n{n_ok}/{int(data['scored'].sum())} recalls agree "
                 "with the dictionary model (green learn, blue recall, orange recall by content)", fontsize=10)
    return save(fig, path)


def ca3_noise_figure(data, path, title=""):
    """Cues returned by a recall by content vs spurious fragment bits, with the
    count predicted from the stored contents; and CA3 beside ClassicalHopfield."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    s = data["spurious"]
    axes[0].plot(s["extra"], s["returned"], "o-", label="CA3 (spiking)")
    axes[0].plot(s["extra"], s["predicted"], "k--", label="cues sharing a bit (from stored contents)")
    axes[0].set_xlabel("spurious bits in the fragment")
    axes[0].set_ylabel("cues returned")
    axes[0].legend(fontsize=8)
    h = data["hopfield"]
    axes[1].plot(h["levels"], h["ca3_overlap"], "o-", label="CA3 (recall by content)")
    axes[1].plot(h["levels"], h["hopfield_overlap"], "s-", label="ClassicalHopfield")
    axes[1].set_xlabel("fraction of bits missing from the cue")
    axes[1].set_ylabel("overlap of recall with the stored pattern")
    axes[1].legend(fontsize=8)
    fig.suptitle(title or "CA3: noisy fragments, and beside a Hopfield network")
    return save(fig, path)


def distal_reward_figure(data, path, title=""):
    """Izhikevich (2007) Fig. 1 style: the rewarded synapse against the distribution of the others,
    the reward times, and the final weight histogram."""
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


def force_sine_figure(data, path, title=""):
    """Spiking FORCE (Nicola & Clopath 2017): the network's output against the target sine,
    training window shaded, and the last second enlarged."""
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


def quantization_figure(data, path, title=""):
    """Recall before and after quantisation to a board profile: CA3 accuracy, reservoir readout
    correlation, and the readout's reconstruction of its input in both cases."""
    fig, axes = plt.subplots(1, 2, figsize=(13, 4), gridspec_kw={"width_ratios": [1, 2.4]})
    ax = axes[0]
    x = np.arange(2)
    ax.bar(x - 0.18, [data["ca3_before"], data["readout_before"]], 0.35, label="as built (float64)")
    ax.bar(x + 0.18, [data["ca3_after"], data["readout_after"]], 0.35, label=f"quantised ({data['profile']})")
    ax.set_xticks(x, ["CA3 recalls\nagreeing with dict", "reservoir readout\ncorrelation"])
    ax.set_ylim(0, 1.1)
    ax.legend(fontsize=8, loc="lower right")
    ax = axes[1]
    n = min(2000, data["target"].size)
    t = np.arange(n) / 1000.0
    ax.plot(t, data["target"][:n], color="0.5", lw=2, label="input rate (Hz)")
    ax.plot(t, data["prediction_before"][:n], lw=1, label=f"readout, as built (r = {data['readout_before']:.3f})")
    ax.plot(t, data["prediction_after"][:n], lw=1, ls="--",
            label=f"readout, quantised (r = {data['readout_after']:.3f})")
    ax.set_xlabel("held-out time (s)")
    ax.legend(fontsize=8)
    fig.suptitle(title or f"Quantisation to {data['profile']}: weights on a 16-bit power-of-two grid, delays on 1 ms")
    return save(fig, path)


def _trailing_mean(y, window):
    """Mean of the last ``window`` rows up to each row (fewer at the start), along axis 0."""
    c = np.cumsum(y, axis=0)
    out = c.copy()
    out[window:] = c[window:] - c[:-window]
    return out / np.minimum(np.arange(1, len(y) + 1), window).reshape((-1,) + (1,) * (y.ndim - 1))


def what_when_figure(data, path, title=""):
    """The "what and when" task: three-factor readout outputs per cue at the end of each phase
    (outcome probabilities dotted, delay dashed), and across the run the "when" latency and one
    "what" amplitude for the three-factor rule, FORCE with P kept and FORCE with P reset."""
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


def sparsey_episodic_figure(data, path, title=""):
    """Capacity curves of single-trial episodic memory: exact recall and overlap against stored patterns."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for name, c in data["curves"].items():
        axes[0].plot(data["loads"], c["exact"], marker="o", label=name)
        axes[1].plot(data["loads"], c["overlap"], marker="o", label=name)
    for ax, what in zip(axes, ("fraction recalled exactly", "overlap with the stored pattern")):
        ax.set_xscale("log")
        ax.set_xlabel("patterns stored (one presentation each)")
        ax.set_ylabel(what)
        ax.set_ylim(-0.03, 1.03)
        ax.legend(fontsize=8)
    fig.suptitle(title or f"Sparsey episodic memory: one mac, Q = {data['Q']}, K = {data['K']}, "
                 f"{data['active']} of {data['n']} bits active")
    return save(fig, path)


def sparsey_sequences_figure(data, path, title=""):
    """Sequence recall from the first frame: exact frames against stored sequences, and, for the most
    sequences stored and the least, one sequence as stored beside its recall."""
    length = data["length"]
    fig = plt.figure(figsize=(15, 5))
    grid = fig.add_gridspec(4, 3 + length)
    ax = fig.add_subplot(grid[:, :3])
    ax.plot(data["counts"], data["exact"], marker="o", label="frames recalled exactly")
    ax.plot(data["counts"], data["overlap"], marker="s", label="overlap with the stored frame")
    ax.set_xscale("log")
    ax.set_xlabel(f"sequences stored ({length} frames each, one presentation)")
    ax.set_ylim(-0.03, 1.03)
    ax.legend(fontsize=8)
    best = max(i for i, e in enumerate(data["exact"]) if e == max(data["exact"]))
    for block, ex in enumerate((data["examples"][best], data["examples"][-1])):
        for row, key in enumerate(("stored", "recalled")):
            for t in range(length):
                a = fig.add_subplot(grid[2 * block + row, 3 + t])
                a.imshow(ex[key][t], cmap="Greys", interpolation="nearest")
                a.set_xticks([])
                a.set_yticks([])
                if t == 0:
                    a.set_ylabel(f"{key}\n({ex['count']} seq.)", fontsize=7)
    fig.suptitle(title or "Sparsey sequences recalled from the first frame")
    return save(fig, path)


def sparsey_classify_figure(data, path, title=""):
    """Accuracy against training images per class (one presentation each), Sparsey beside 1-NN on the
    same binary features, and example feature images."""
    fig = plt.figure(figsize=(13, 4.5))
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(data["per_class"], data["sparsey"], marker="o", label="Sparsey (one presentation per image)")
    ax.plot(data["per_class"], data["knn"], marker="s", label="1-nearest neighbour, same features")
    ax.axhline(0.1, color="gray", ls=":", lw=0.8, label="chance")
    ax.set_xscale("log")
    ax.set_xlabel("training images per class")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8)
    feats = data["example_features"]
    for i, (f, y) in enumerate(zip(feats, data["example_labels"])):
        a = fig.add_subplot(len(feats), 2, 2 * i + 2)
        a.imshow(f, cmap="Greys", interpolation="nearest", aspect="auto")
        a.set_xticks([])
        a.set_yticks([])
        a.set_ylabel(f"{y}", rotation=0, fontsize=8)
    fig.suptitle(title or f"Sparsey on {data['data']}: binary edge features (4 orientations per pixel)")
    return save(fig, path)
