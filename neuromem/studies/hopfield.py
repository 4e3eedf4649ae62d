"""The Hopfield experiments behind the ``models/hopfield_*.toml`` specs.

Each function runs one experiment and returns a dict of arrays and numbers;
:mod:`neuromem.runners` turns them into tables and figures.
"""
from __future__ import annotations

import functools
import time

import numpy as np

from .._checks import check_int, check_scalar, fail
from ..models.hopfield import ClassicalHopfield, DenseHopfield, ModernHopfield
from ..random import generator
from ..theory import hopfield as th
from . import protocols as P
from .datasets import digits
from . import register


def crossing(x, y, level) -> float:
    """First x where y falls below ``level`` (linear interpolation); NaN if it never does, x[0] if it starts below."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    below = np.nonzero(y < level)[0]
    if below.size == 0:
        return float("nan")
    j = below[0]
    if j == 0:
        return float(x[0])
    return float(x[j - 1] + (level - y[j - 1]) * (x[j] - x[j - 1]) / (y[j] - y[j - 1]))


def last_above(x, y, level) -> float:
    """Largest x with y >= ``level`` (0 if none)."""
    ok = np.nonzero(np.asarray(y) >= level)[0]
    return float(np.asarray(x)[ok[-1]]) if ok.size else 0.0


def classical_capacity(n=1000, alpha_min=0.05, alpha_max=0.2, points=16, trials=2, probes=50, learning="hebbian",
                       seed=1, executor=None) -> dict:
    """Final overlap vs. load alpha = K/N from clean cues (AGS 1985), with the theory curve."""
    n = check_int("classical_capacity", "n", n, low=10)
    alphas = np.linspace(check_scalar("classical_capacity", "alpha_min", alpha_min, low=0.0, low_open=True),
                         check_scalar("classical_capacity", "alpha_max", alpha_max, low=alpha_min), points)
    loads = np.unique(np.maximum(1, np.round(alphas * n).astype(int)))
    curve = P.capacity_sweep(functools.partial(ClassicalHopfield, learning=learning), n, loads, trials=trials,
                             probes=probes, seed=seed, executor=executor)
    alpha = curve.loads / n
    fine = np.linspace(alpha[0], alpha[-1], 200)
    return {"n": n, "alpha": alpha, "overlap": curve.mean_overlap, "exact": curve.exact,
            "theory_alpha": fine, "theory_overlap": th.ags_overlap(fine), "learning": learning,
            "transition_alpha": crossing(alpha, curve.mean_overlap, 0.9)}


def dense_capacity(n=100, degrees=(2, 3, 4), noise=(0.0, 0.1), points=8, span=(0.05, 4.0), trials=2, probes=50,
                   seed=1, executor=None) -> dict:
    """P(exact recall) vs. K for each degree, clean and noisy cues, beside N^(n-1) / (2 (2n-3)!! ln N).

    Loads run geometrically over ``span`` times the theory estimate of each degree.
    """
    n = check_int("dense_capacity", "n", n, low=10)
    out = {"n": n, "degrees": list(degrees), "noise": list(noise), "curves": {}}
    for deg in degrees:
        est = th.dense_capacity(n, int(deg))
        loads = np.unique(np.maximum(2, np.round(np.geomspace(span[0] * est, span[1] * est, points)).astype(int)))
        for nz in noise:
            curve = P.capacity_sweep(functools.partial(DenseHopfield, energy="poly", degree=int(deg)), n, loads,
                                     cue_noise=nz, trials=trials, probes=probes, seed=seed, executor=executor)
            out["curves"][(int(deg), float(nz))] = {"loads": curve.loads, "exact": curve.exact,
                                                    "overlap": curve.mean_overlap, "estimate": est}
    classical = th.AGS_CAPACITY * n
    for deg in degrees:
        for nz in noise:
            c = out["curves"][(int(deg), float(nz))]
            c["k90"] = last_above(c["loads"], c["exact"], 0.9)
            c["k90_over_classical"] = c["k90"] / classical
    return out


def exponential_capacity(n=30, loads=(2000, 6000, 12000), noise=0.0, seed=1, report=None) -> dict:
    """Store K random patterns in the F = exp network (Demircigil et al. 2017) and recall each from its cue.

    For each K in ``loads``: the number of patterns recalled exactly, beside the
    bound exp(I(1 - 2 rho) N / 2) (2^(N/2) for clean cues).
    """
    n = check_int("exponential_capacity", "n", n, low=2)
    rng = generator("exponential_capacity", seed)
    exact_counts, walls = [], []
    for k in loads:
        pats = P.random_patterns(check_int("exponential_capacity", "loads", int(k), low=1), n, seed=rng)
        mem = DenseHopfield(energy="exp")
        mem.store(pats)
        cues = np.array([P.corrupt(p, noise, "flip", "bipolar", rng) for p in pats]) if noise else pats.copy()
        t0 = time.perf_counter()
        states, _ = mem.recall_many(cues, seed=rng)
        walls.append(time.perf_counter() - t0)
        exact_counts.append(int((states == pats).all(axis=1).sum()))
        if report is not None:      # the recall time grows as K^2: report by the work done
            report(sum(x * x for x in loads[:len(exact_counts)]) / sum(x * x for x in loads), 0.0)
    return {"n": n, "loads": np.asarray(loads), "exact": np.asarray(exact_counts), "wall_s": np.asarray(walls),
            "bound": th.demircigil_capacity(n, noise), "noise": noise}


def masked_queries(patterns, masked, rng) -> np.ndarray:
    """Copies of ``patterns`` with a random ``masked`` fraction of each row's entries set to 0."""
    q = np.array(patterns, dtype=float)
    d = q.shape[1]
    cut = int(round(masked * d))
    for row in q:
        row[rng.choice(d, cut, replace=False)] = 0.0
    return q


def modern_retrieval(k=10000, d=64, beta=2.0, masked=0.5, steps=1, seed=1) -> dict:
    """One-step retrieval of K random continuous patterns from cues with half the entries masked.

    Patterns are uniform in [-1, 1]^d (Ramsauer et al. 2020 store continuous
    patterns; uniform entries keep the own-pattern score ||x_U||^2 from fluctuating
    as much as Gaussian ones, whose chi-square tail alone costs about 1% at K = 10^4, d = 64).

    Correct: the retrieved vector is closer (cosine) to its own pattern than to any other.
    """
    rng = generator("modern_retrieval", seed)
    x = rng.uniform(-1.0, 1.0, (check_int("modern_retrieval", "k", k, low=2), check_int("modern_retrieval", "d", d, low=1)))
    mem = ModernHopfield(beta=beta)
    mem.store(x)
    q = masked_queries(x, check_scalar("modern_retrieval", "masked", masked, low=0.0, high=1.0), rng)
    t0 = time.perf_counter()
    r = mem.retrieve(q, steps=steps)
    wall = time.perf_counter() - t0
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    nearest = np.argmax(r @ unit.T, axis=1)
    correct = nearest == np.arange(k)
    sep = th.ramsauer_separation(x)
    return {"k": k, "d": d, "beta": beta, "correct_fraction": float(correct.mean()), "wall_s": wall,
            "queries_per_s": k / wall, "separated_fraction": float(np.mean(sep >= th.ramsauer_threshold(x, beta))),
            "cue_cosine": np.sum(q * x, 1) / (np.linalg.norm(q, axis=1) * np.linalg.norm(x, axis=1)),
            "recall_cosine": np.sum(r * x, 1) / (np.linalg.norm(r, axis=1) * np.linalg.norm(x, axis=1))}


def modern_digits(per_class=20, beta=20.0, masked=0.25, noise=4.0, shown=8, seed=1) -> dict:
    """sklearn's digits stored in a modern Hopfield network, recalled from masked or noisy copies.

    Images are centred on the stored set's mean image and scaled to unit norm
    before storing (the softmax compares dot products, so raw pixels would favour
    bright images).  Two corruptions per stored image: a random ``masked``
    fraction of pixels set to 0, and Gaussian pixel noise of s.d. ``noise`` (pixel
    range 0-16).  Reported: the fraction whose recalled vector is closest to its
    own image, and to an image of its own class.
    """
    rng = generator("modern_digits", seed)
    images, labels = digits()
    per_class = check_int("modern_digits", "per_class", per_class, low=1)
    idx = np.concatenate([np.nonzero(labels == c)[0][:per_class] for c in range(10)])
    x, lab = images[idx], labels[idx]
    mean = x.mean(axis=0)

    def embed(v):
        z = v - mean
        return z / np.maximum(np.linalg.norm(z, axis=-1, keepdims=True), 1e-12)

    stored = embed(x)
    mem = ModernHopfield(beta=beta)
    mem.store(stored)
    cues = {"masked": masked_queries(x, masked, rng), "noisy": x + noise * rng.standard_normal(x.shape)}
    out = {"stored": x, "labels": lab, "shown": np.sort(rng.choice(x.shape[0], shown, replace=False))}
    for name, q in cues.items():
        r = mem.retrieve(embed(q))
        nearest = np.argmax(r @ stored.T, axis=1)
        scale = np.linalg.norm(x - mean, axis=1, keepdims=True)
        out[name] = {"cue": q, "recalled": r * scale + mean, "nearest": nearest,
                     "correct_fraction": float(np.mean(nearest == np.arange(len(x)))),
                     "same_class_fraction": float(np.mean(lab[nearest] == lab))}
    return out


def examples_retrieval(n=3000, k=3, r=0.3, m_values=(1, 3, 5, 10, 20, 40, 80), degree=2, trials=4, seed=1) -> dict:
    """Archetype retrieval from couplings built on M noisy examples (Agliari, Barra et al. 2023).

    Examples eta = chi * xi with P(chi = +-1) = (1 +- r)/2; the network built
    supervised (class means) or unsupervised (all examples) is cued with a fresh
    example; the overlap of the final state with the archetype is reported beside
    the supervised low-load theory (sign of the mean of M examples).
    """
    rng = generator("examples_retrieval", seed)
    r = check_scalar("examples_retrieval", "r", r, low=0.0, high=1.0)
    res = {"m": np.asarray(m_values), "supervised": [], "unsupervised": [], "entropy": [],
           "theory": [th.supervised_archetype_overlap(r, int(m)) for m in m_values]}
    for m in m_values:
        sup, uns = [], []
        for _ in range(trials):
            arch = P.random_patterns(k, n, seed=rng)
            chi = np.where(rng.random((k, m, n)) < (1 + r) / 2, 1.0, -1.0)
            ex = (chi * arch[:, None, :]).reshape(k * m, n)
            lab = np.repeat(np.arange(k), m)
            cue = np.where(rng.random((k, n)) < (1 + r) / 2, 1.0, -1.0) * arch
            for store, sup_flag in ((sup, True), (uns, False)):
                mem = DenseHopfield.from_examples(ex, lab if sup_flag else None, degree=degree)
                states, _ = mem.recall_many(cue, seed=rng)
                store.append(np.mean(np.abs(np.sum(states * arch, axis=1)) / n))
        res["supervised"].append(np.mean(sup))
        res["unsupervised"].append(np.mean(uns))
        res["entropy"].append(th.dataset_entropy(r, int(m)) if r > 0 else float("inf"))
    for key in ("supervised", "unsupervised", "entropy", "theory"):
        res[key] = np.asarray(res[key])
    return res


def multitask(n=2000, k=4, dilutions=(0.1, 0.2, 0.3, 0.4), trials=5, seed=1) -> dict:
    """Parallel retrieval with diluted patterns: sorted overlaps vs. (1 - d) d^(j-1) (Agliari et al. 2012)."""
    if not len(dilutions):
        raise fail("multitask", "dilutions", dilutions, "expected at least one dilution")
    rows, theory = [], []
    for j, d in enumerate(dilutions):
        res = P.multitask_overlaps(functools.partial(ClassicalHopfield, diluted=True), n, k, d, trials=trials,
                                   seed=np.random.SeedSequence([seed, j]).generate_state(1)[0])
        rows.append(res.mean)
        theory.append(th.hierarchical_overlaps(d, k))
    return {"dilutions": np.asarray(dilutions), "measured": np.array(rows), "theory": np.array(theory), "k": k}


# -- measures and figures ----------------------------------------------------------------------

def _measure_classical(d):
    from ..theory.hopfield import ags_overlap
    i10 = int(np.argmin(np.abs(d["alpha"] - 0.1)))
    return ({"transition_alpha": d["transition_alpha"], "overlap_at_alpha_0.1": float(d["overlap"][i10]),
             "ags_overlap_at_alpha_0.1": float(ags_overlap(d["alpha"][i10])),
             "overlap_at_max_alpha": float(d["overlap"][-1])}, {})

def classical_capacity_figure(data, path, title=""):
    """Final overlap vs. load alpha with the AGS retrieval curve and alpha_c = 0.138."""
    from ..plotting import plt, save
    from ..theory.hopfield import AGS_CAPACITY
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    learning = data.get("learning", "hebbian")
    if learning == "hebbian":       # the AGS theory is of the Hebbian rule
        ax.plot(data["theory_alpha"], data["theory_overlap"], "k-", label="AGS theory (N -> inf)")
        ax.axvline(AGS_CAPACITY, color="gray", ls=":", label=r"$\alpha_c$ = 0.138")
    ax.plot(data["alpha"], data["overlap"], "o-", color="tab:blue", label=f"simulation, N = {data['n']}")
    ax.plot(data["alpha"], data["exact"], "s--", color="tab:orange", ms=4, label="fraction recalled exactly")
    ax.set_xlabel(r"load $\alpha$ = K / N")
    ax.set_ylabel("final overlap with the cued pattern")
    ax.set_ylim(-0.02, 1.05)
    ax.set_title(f"{title or 'Classical Hopfield network: retrieval vs. load'}\n{learning} learning, "
                 f"N = {data['n']}", fontsize=10)
    ax.legend(fontsize=8, loc="lower left")
    return save(fig, path)

def _measure_dense(d):
    out = {}
    for (deg, nz), c in d["curves"].items():
        tag = "clean" if nz == 0 else f"noise{int(round(nz * 100))}"
        out[f"k90_n{deg}_{tag}"] = c["k90"]
        out[f"k90_over_classical_n{deg}_{tag}"] = c["k90_over_classical"]
        out[f"estimate_n{deg}"] = c["estimate"]
    return out, {}

def dense_capacity_figure(data, path, title=""):
    """P(exact recall) vs. K per degree, clean (solid) and noisy (dashed) cues, theory estimates marked."""
    from ..plotting import plt, save
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ci, deg in enumerate(data["degrees"]):
        color = colors[ci % len(colors)]
        for nz in data["noise"]:
            c = data["curves"][(deg, nz)]
            ax.semilogx(c["loads"], c["exact"], "o-" if nz == 0 else "s--", color=color, ms=4,
                        label=f"n = {deg}, {'clean' if nz == 0 else f'{nz:.0%} flipped'} cues")
        ax.axvline(data["curves"][(deg, data["noise"][0])]["estimate"], color=color, ls=":", lw=1,
                   label=f"n = {deg}: estimate N^(n-1) / (2 (2n-3)!! ln N)")
    from ..theory.hopfield import AGS_CAPACITY
    ax.axvline(AGS_CAPACITY * data["n"], color="k", ls="-.", lw=1, label="classical limit 0.138 N")
    ax.set_xlabel("stored patterns K")
    ax.set_ylabel("P(exact recall)")
    ax.set_title(f"{title or 'Dense Hopfield memories'}\nN = {data['n']} (dotted: the capacity estimate of "
                 "each degree)", fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
    return save(fig, path)

def _measure_exp(d):
    return ({"exact_recalled": int(d["exact"][-1]), "stored": int(d["loads"][-1]),
             "exact_fraction": float(d["exact"][-1] / d["loads"][-1]), "demircigil_bound": d["bound"]}, {})

def exponential_capacity_figure(data, path, title=""):
    """Patterns recalled exactly vs. patterns stored, with the Demircigil bound."""
    from ..plotting import plt, save
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(data["loads"], data["exact"], "o-", label="recalled exactly")
    ax.plot(data["loads"], data["loads"], "k:", label="all stored")
    ax.axhline(data["bound"], color="tab:red", ls="--", lw=1,
               label=f"Demircigil et al. bound exp(N/2 ln 2) = {data['bound']:,.0f}")
    top = max(float(data["bound"]), float(max(data["loads"]))) * 1.1
    ax.set_ylim(0, top)
    ax.set_xlabel("stored patterns K")
    ax.set_ylabel("patterns recalled exactly")
    ax.set_title(f"{title or 'Exponential dense associative memory'}\nN = {data['n']}", fontsize=10)
    ax.legend(fontsize=8)
    return save(fig, path)

def _measure_modern(d):
    return ({"correct_fraction": d["correct_fraction"], "queries_per_s": d["queries_per_s"],
             "ramsauer_separated_fraction": d["separated_fraction"]}, {"queries_per_s": "1/s"})

def modern_retrieval_figure(data, path, title=""):
    """Cosine with the target before (cue) and after one update."""
    from ..plotting import plt, save
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

def _measure_digits(d):
    return ({f"{k}_{q}": d[k][q] for k in ("masked", "noisy") for q in ("correct_fraction", "same_class_fraction")},
            {})

def recall_grid_figure(data, path, title="", side=8):
    """Rows of cue / recalled / stored images for each corruption in ``data`` (modern_digits output)."""
    from ..plotting import plt, save
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
                if name == "recalled" and "nearest" in data[kind] and data[kind]["nearest"][idx] != idx:
                    for spine in ax.spines.values():       # a wrong recall: closest to another image
                        spine.set_color("tab:red")
                        spine.set_linewidth(2.5)
                    ax.set_title("wrong", color="tab:red", fontsize=7, pad=2)
    fig.suptitle((title or "Modern Hopfield recall of sklearn digits") + "\n(red frame: the recall is closest to "
                 "another stored image)", fontsize=10)
    return save(fig, path)

def _measure_examples(d):
    out = {}
    for m, s, u, t in zip(d["m"], d["supervised"], d["unsupervised"], d["theory"]):
        out[f"supervised_m{m}"], out[f"theory_m{m}"], out[f"unsupervised_m{m}"] = float(s), float(t), float(u)
    out["max_abs_supervised_minus_theory"] = float(np.max(np.abs(d["supervised"] - d["theory"])[d["m"] >= 5]))
    return out, {}

def examples_figure(data, path, title=""):
    """Archetype overlap vs. examples per class, supervised and unsupervised, with the supervised theory."""
    from ..plotting import plt, save
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.semilogx(data["m"], data["theory"], "k-", label="theory: sign of the mean of M examples")
    ax.semilogx(data["m"], data["supervised"], "o", label="supervised (class means)")
    ax.semilogx(data["m"], data["unsupervised"], "s", label="unsupervised (all examples)")
    ax.set_xlabel("examples per archetype M")
    ax.set_ylabel("overlap of the retrieved state with the archetype")
    ax.set_title(title or "Learning archetypes from noisy examples")
    ax.legend(fontsize=8)
    return save(fig, path)

def _measure_multitask(d):
    out = {}
    for i, dil in enumerate(d["dilutions"]):
        for j in range(2):
            out[f"m{j + 1}_d{dil:g}"] = float(d["measured"][i, j])
            out[f"theory_m{j + 1}_d{dil:g}"] = float(d["theory"][i, j])
    return out, {}

def multitask_figure(data, path, title=""):
    """Sorted overlaps measured vs. the hierarchical prediction (1 - d) d^(j-1), per dilution."""
    from ..plotting import plt, save
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


# -- registration ------------------------------------------------------------------------------

register('hopfield_classical', classical_capacity, _measure_classical, classical_capacity_figure,
         description='classical Hopfield network: overlap vs. load beside the AGS theory')

register('hopfield_dense', dense_capacity, _measure_dense, dense_capacity_figure,
         description='dense associative memory (Krotov & Hopfield 2016): P(exact recall) vs. stored patterns')

register('hopfield_exponential', exponential_capacity, _measure_exp, exponential_capacity_figure,
         description='exponential dense memory (Demircigil et al. 2017): thousands of patterns at N = 30')

register('hopfield_modern', modern_retrieval, _measure_modern, modern_retrieval_figure,
         description='modern Hopfield network (Ramsauer et al. 2020): one-step retrieval of 10^4 patterns')

register('hopfield_modern_digits', modern_digits, _measure_digits, recall_grid_figure,
         description='modern Hopfield network recalling sklearn digits from masked and noisy cues')

register('hopfield_examples', examples_retrieval, _measure_examples, examples_figure,
         description='dense Hebbian network learning archetypes from noisy examples (Agliari, Barra et al.)')

register('hopfield_multitask', multitask, _measure_multitask, multitask_figure,
         description='parallel retrieval with diluted patterns (Agliari et al. 2012)')
