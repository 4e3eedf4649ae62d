"""Active-dendrite experiments: the segment theory beside simulation, sequence memory, continual learning."""
from __future__ import annotations

import numpy as np

from .._checks import check_int, fail
from ..models.dendrites import _segments as dk
from ..models.dendrites import ActiveDendritesNetwork, DendriticSegment, FirstOrderSequenceMemory, SequenceMemory
from ..theory import dendrites as td
from . import protocols as P
from .datasets import permuted_digits
from . import register


def _stream(seed, *key):
    """A SplitMix64 state for a Monte Carlo kernel, one per (seed, key)."""
    return np.random.SeedSequence([seed, *key]).generate_state(1, dtype=np.uint64)


def _mc_trials(p, rel=0.2, low=2000, high=200_000):
    """Trials for a relative standard error ``rel`` at probability p, within [low, high]; 0 if p is too small."""
    if p <= 0 or (1 - p) / (p * high) > rel ** 2 * 4:
        return 0
    return int(np.clip((1 - p) / (p * rel ** 2), low, high))


def segment_theory(n_values=(500, 1000, 2000, 4000, 8000, 16000, 32000, 64000), s=24, theta=(6, 12), sparse_a=64,
                   noise=(0.1, 0.2, 0.3, 0.4, 0.5), theta_values=tuple(range(2, 25)), noise_n=2048, noise_a=64,
                   union_n=2048, union_a=40, union_s=20, union_theta=10, union_target=1e-2, union_loads=None,
                   union_probes=400, union_segments=5, seed=1) -> dict:
    """The three figures of Ahmad & Hawkins (2016) from the exact theory, with Monte Carlo points.

    1. P(false match) vs n at s and each theta: sparse code (a = ``sparse_a``) and dense code (a = n/4).
    2. P(false negative) vs theta for each noise fraction, with P(false match) at
       (``noise_n``, ``noise_a``): the window of theta where both are small.
    3. Union property: one :class:`DendriticSegment` stores M patterns; its false positive rate
       measured with the common ``recognition`` protocol vs. the union theory.
    """
    n_values = np.asarray(n_values)
    thetas = np.atleast_1d(np.asarray(theta))
    out = {"n": n_values, "s": s, "thetas": thetas, "sparse_a": sparse_a}
    for code, active in (("sparse", lambda n: sparse_a), ("dense", lambda n: n // 4)):
        th_ = np.array([[td.false_match_probability(int(n), active(int(n)), s, int(t)) for n in n_values]
                        for t in thetas])
        mc = np.full(th_.shape, np.nan)
        for i, t in enumerate(thetas):
            for j, n in enumerate(n_values):
                trials = _mc_trials(th_[i, j])
                if trials and n * trials <= 5e8:
                    mc[i, j] = dk.mc_false_match(int(n), active(int(n)), s, int(t), trials,
                                                 _stream(seed, 1, i, j, code == "sparse"))
        out[f"{code}_theory"], out[f"{code}_mc"] = th_, mc
    th = np.asarray([t for t in theta_values if t <= s])
    out.update(theta_values=th, noise=np.asarray(noise), noise_n=noise_n, noise_a=noise_a)
    out["fn_theory"] = np.array([[td.false_negative_probability(noise_a, s, int(t), float(v)) for t in th]
                                 for v in noise])
    out["fn_mc"] = np.full(out["fn_theory"].shape, np.nan)
    for i, v in enumerate(noise):
        for j, t in enumerate(th):
            trials = _mc_trials(out["fn_theory"][i, j])
            if trials:
                out["fn_mc"][i, j] = dk.mc_false_negative(noise_a, s, int(t), td.noise_count("segment_theory",
                                                          noise_a, float(v)), trials, _stream(seed, 2, i, j))
    out["fp_theta_theory"] = np.array([td.false_match_probability(noise_n, noise_a, s, int(t)) for t in th])
    out["fp_theta_mc"] = np.full(th.size, np.nan)
    for j, t in enumerate(th):
        trials = _mc_trials(out["fp_theta_theory"][j])
        if trials:
            out["fp_theta_mc"][j] = dk.mc_false_match(noise_n, noise_a, s, int(t), trials, _stream(seed, 3, j))
    cap = td.union_capacity(union_n, union_a, union_s, union_theta, union_target)
    loads = np.unique(np.round(np.geomspace(1, 8 * cap, 14)).astype(int)) if union_loads is None \
        else np.asarray(union_loads)
    out.update(union_n=union_n, union_a=union_a, union_s=union_s, union_theta=union_theta,
               union_target=union_target, union_capacity=cap, loads=loads)
    out["union_theory"] = np.array([td.union_false_match_probability(union_n, union_a, union_s, union_theta, int(m))
                                    for m in loads])
    fp, hit = [], []
    for i, m in enumerate(loads):      # several segments per load: s_M itself varies from segment to segment
        res = []
        for k in range(union_segments):
            rng = np.random.default_rng(_stream(seed, 5, i, k))
            pats = _fixed_size_patterns(int(m) + union_probes, union_n, union_a, rng)
            res.append(P.recognition(DendriticSegment(union_n, union_s, union_theta, seed=rng), pats[:m], pats[m:],
                                     threshold=1.0))
        fp.append(np.mean([r.false_alarm_rate for r in res]))
        hit.append(np.mean([r.hit_rate for r in res]))
    out["union_mc"] = np.array(fp)
    out["union_hits"] = np.array(hit)
    out["union_probes"] = union_probes * union_segments
    return out


def _fixed_size_patterns(k, n, a, rng):
    """k binary patterns with exactly a of n cells active (the theory's fixed-size code)."""
    out = np.zeros((k, n))
    for row in out:
        row[rng.choice(n, a, replace=False)] = 1.0
    return out


def high_order_sequences(pairs=10, length=6, seed=1) -> list[list[int]]:
    """Pairs of sequences that share their middle (length - 2 symbols) and differ at both ends.

    Predicting the last symbol needs the first: a first-order memory cannot, so its best
    accuracy over the scored steps (all but the first) is 1 - 1/(length - 2)
    (Hawkins & Ahmad 2016, high-order sequences with shared subsequences).
    """
    if length < 3:
        raise fail("high_order_sequences", "length", length, "expected at least 3 symbols (a shared middle)")
    rng = np.random.default_rng(seed)
    symbols = rng.permutation(pairs * (length - 2 + 4)).tolist()
    seqs = []
    for _ in range(pairs):
        mid = [symbols.pop() for _ in range(length - 2)]
        a, b, c, d = (symbols.pop() for _ in range(4))
        seqs += [[a] + mid + [c], [b] + mid + [d]]
    return seqs


def sequence_learning(pairs=10, length=6, presentations=40, punish=0.05, loss=(0.1, 0.2, 0.3, 0.4, 0.5),
                      recovery=10, tm=None, seed=1) -> dict:
    """Accuracy vs. presentations on high-order sequences, then robustness to cell loss.

    Three learners through the same protocol: the temporal memory with punishment of
    wrong predictions, without it, and a first-order transition table.  After training,
    a fraction of the cells is killed and accuracy is measured at once and after
    ``recovery`` more presentations.  ``tm`` holds :class:`TemporalMemory` parameters.
    """
    tm = dict(tm or {})
    seqs = high_order_sequences(pairs, length, seed)
    symbols = sorted({s for q in seqs for s in q})
    learners = {"temporal memory": SequenceMemory(symbols, seed=seed, predicted_segment_decrement=punish, **tm),
                "no punishment": SequenceMemory(symbols, seed=seed, predicted_segment_decrement=0.0, **tm),
                "first order": FirstOrderSequenceMemory()}
    curves = {k: P.sequence_prediction(m, seqs, presentations, seed=seed).accuracy for k, m in learners.items()}
    trained = learners["temporal memory"]
    state = trained.tm.state_dict()
    after, recovered = [], []
    for i, f in enumerate(loss):
        m = SequenceMemory(symbols, seed=seed, **tm)
        m.tm = type(trained.tm).from_state_dict(*state)
        m.tm.kill_cells(f, seed=np.random.SeedSequence([seed, 7, i]))
        after.append(P.sequence_prediction(m, seqs, 1, learn=False, seed=seed).accuracy[0])
        recovered.append(P.sequence_prediction(m, seqs, recovery, seed=seed).accuracy[-1])
    return {"presentations": np.arange(1, presentations + 1), "curves": curves, "sequences": seqs,
            "first_order_limit": P.first_order_limit(seqs), "loss": np.asarray(loss),
            "loss_accuracy": np.array(after), "loss_recovered": np.array(recovered), "recovery": recovery,
            "segments": trained.tm.segments, "synapses": trained.tm.synapses}


VARIANTS = {"active dendrites + kWTA": dict(dendrites=True, kwta=True),
            "active dendrites": dict(dendrites=True, kwta=False),
            "kWTA": dict(dendrites=False, kwta=True),
            "plain": dict(dendrites=False, kwta=False)}


def continual_digits(tasks=10, hidden=(512, 512), active_fraction=0.05, segments=None, epochs=3, batch=32,
                     learning_rate=1e-3, dendrite_scale=3.0, test_fraction=0.3, standardize=True,
                     variants=tuple(VARIANTS), seed=1, repeats=1, report=None) -> dict:
    """Permuted sklearn digits, ``tasks`` tasks in sequence; final accuracy per task for each network variant.

    The same data, order and optimiser for every variant (Iyer et al. 2022, permuted MNIST
    protocol on the 8x8 digits); contexts are inferred from the nearest prototype at test.
    ``repeats`` runs use seeds ``seed, seed + 1, ...`` (new split, permutations and weights);
    ``mean`` and ``final`` average over them, ``per_seed`` keeps each run's mean accuracy and
    ``matrix`` the first run's accuracy matrix.
    """
    check_int("continual_digits", "repeats", repeats, low=1)
    for name in variants:
        if name not in VARIANTS:
            raise fail("continual_digits", "variants", name, f"expected names from {list(VARIANTS)}")
    out = {"tasks": tasks, "variants": list(variants), "seeds": [seed + r for r in range(repeats)], "matrix": {},
           "final": {}, "mean": {}, "per_seed": {name: [] for name in variants}, "context_accuracy": {}}
    finals = {name: [] for name in variants}
    done, total = 0, repeats * len(variants)
    for s in out["seeds"]:
        data = permuted_digits(tasks, test_fraction=test_fraction, seed=s, standardize=standardize)
        for name in variants:
            net = ActiveDendritesNetwork(64, 10, hidden=hidden, segments=segments or tasks,
                                         active_fraction=active_fraction, epochs=epochs, batch=batch,
                                         learning_rate=learning_rate, dendrite_scale=dendrite_scale, seed=s,
                                         **VARIANTS[name])
            res = P.continual_learning(net, data)
            out["matrix"].setdefault(name, res.matrix)
            finals[name].append(res.matrix[-1])
            out["per_seed"][name].append(float(res.accuracy))
            out["context_accuracy"].setdefault(name, float(np.mean([np.mean(net.infer_context(t.x_test) == i)
                                                                    for i, t in enumerate(data)])))
            done += 1
            if report is not None:
                report(done / total, 0.0)
    for name in variants:
        out["final"][name] = np.mean(finals[name], axis=0)
        out["mean"][name] = float(np.mean(out["per_seed"][name]))
    return out


# -- measures and figures ----------------------------------------------------------------------

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

def segment_theory_figure(data, path, title=""):
    """Ahmad & Hawkins (2016) figures: false match vs n, error vs theta under noise, union capacity; theory lines,
    simulation points."""
    from ..plotting import plt, save
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
    ax.semilogx(data["loads"], data["union_mc"], "o", label="DendriticSegment, recognition protocol")
    ax.axvline(data["union_capacity"], color="gray", ls=":", label=f"capacity at P = {data['union_target']:g}")
    ax.set_xlabel("patterns stored on one segment M")
    ax.set_ylabel("P(false match) of a random probe")
    ax.set_title(f"union property (n = {data['union_n']}, a = {data['union_a']}, s = {data['union_s']}, "
                 f"theta = {data['union_theta']})")
    ax.legend(fontsize=7)
    fig.suptitle(title or "Dendritic segments: exact theory and simulation")
    return save(fig, path)

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

def sequence_learning_figure(data, path, title=""):
    """Prediction accuracy vs presentations for each learner, and accuracy after cell loss."""
    from ..plotting import plt, save
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

#: Iyer et al. (2022)'s ordering on permuted MNIST: (better, worse) pairs of variants
PAPER_ORDERING = (("active dendrites + kWTA", "active dendrites"), ("active dendrites + kWTA", "kWTA"),
                  ("active dendrites", "plain"), ("kWTA", "plain"))


def _measure_continual(d):
    out = {f"mean_accuracy_{name.replace(' ', '_').replace('+', 'and')}": float(v) for name, v in d["mean"].items()}
    if "plain" in d["mean"] and len(d["variants"]) > 1:
        out["gain_over_plain"] = float(d["mean"][d["variants"][0]] - d["mean"]["plain"])
    pairs = [(a, b) for a, b in PAPER_ORDERING if a in d["per_seed"] and b in d["per_seed"]]
    if pairs:
        out["seeds_with_the_papers_ordering"] = int(sum(
            all(d["per_seed"][a][r] > d["per_seed"][b][r] for a, b in pairs) for r in range(len(d["seeds"]))))
    out["context_inference_accuracy"] = float(d["context_accuracy"][d["variants"][0]])
    return out, {}

def continual_figure(data, path, title=""):
    """Final accuracy on each task after training on all tasks in sequence, one bar group per task."""
    from ..plotting import plt, save
    fig, ax = plt.subplots(figsize=(9, 4.5))
    names = data["variants"]
    width = 0.8 / len(names)
    tasks = np.arange(1, data["tasks"] + 1)
    for i, name in enumerate(names):
        ax.bar(tasks + (i - len(names) / 2 + 0.5) * width, data["final"][name], width,
               label=f"{name} (mean {data['mean'][name]:.1%})")
    ax.set_xlabel("task (in training order)")
    seeds = data["seeds"]
    ax.set_ylabel("test accuracy after the last task" + (f"\n(mean of seeds {seeds[0]}-{seeds[-1]})"
                                                         if len(seeds) > 1 else ""))
    ax.set_xticks(tasks)
    ax.set_ylim(0, 1)
    ax.set_title(title or "Continual learning on permuted digits")
    ax.legend(fontsize=8, loc="upper left")
    return save(fig, path)


# -- registration ------------------------------------------------------------------------------

register('dendrites_segments', segment_theory, _measure_segments, segment_theory_figure,
         description='dendritic segments (Ahmad & Hawkins 2016): exact false-match theory beside simulation')

register('dendrites_sequences', sequence_learning, _measure_sequences, sequence_learning_figure,
         description='temporal memory of dendritic neurons: high-order sequences, cell loss')

register('dendrites_continual', continual_digits, _measure_continual, continual_figure,
         description='active dendrites + kWTA (Iyer et al. 2022): permuted-digits continual learning')
