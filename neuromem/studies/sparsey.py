"""Sparsey experiments: similarity preservation, single-trial episodic memory, sequences and
classification of handwritten digits."""
from __future__ import annotations

import functools
import time

import numpy as np

from .._checks import check_int, fail
from ..models.sparsey import Mac, Sparsey, SparseyMemory
from ..random import generator
from .datasets import digits, mnist as load_mnist
from .protocols import capacity_sweep
from . import register


def _with_overlap(base, keep, rng):
    """A pattern with ``keep`` of base's active inputs and the rest moved elsewhere (same number active)."""
    on, off = np.flatnonzero(base), np.flatnonzero(base == 0)
    x = np.zeros_like(base)
    x[rng.choice(on, keep, replace=False)] = 1
    x[rng.choice(off, on.size - keep, replace=False)] = 1
    return x


def similarity(n=400, a=40, Q=24, K=8, stored=10, levels=11, trials=20, seed=1) -> dict:
    """Code overlap vs input overlap for inputs built around stored ones (Rinkus 2010, Fig. 5 style).

    ``stored`` random inputs (a of n active) are learned in one trial each; then, for each input
    overlap level, probes sharing that fraction of a stored input's active bits are encoded (CSA
    draw, no learning) and their codes compared with the stored code.  Also: G of every probe,
    eta(G), and example codes for the plot.
    """
    check_int("similarity", "levels", levels, low=2)
    if a > n:
        raise fail("similarity", "a", a, f"expected at most n = {n} active inputs")
    rng = np.random.default_rng(seed)
    mac = Mac(n, Q=Q, K=K, seed=rng)
    bases = np.zeros((stored, n), dtype=np.uint8)
    for row in bases:
        row[rng.choice(n, a, replace=False)] = 1
    codes = [mac.learn(b)[0] for b in bases]
    fractions = np.linspace(0, 1, levels)
    overlap = np.zeros((levels, stored * trials))
    familiarity = np.zeros((levels, stored * trials))
    examples = []
    for i, f in enumerate(fractions):
        col = 0
        for j, (b, c) in enumerate(zip(bases, codes)):
            for _ in range(trials):
                code, g = mac.encode(_with_overlap(b, int(round(f * a)), rng))
                overlap[i, col] = code.overlap(c) / Q
                familiarity[i, col] = g
                col += 1
            if j == 0:
                examples.append(code.dense.reshape(Q, K))
    g_axis = np.linspace(0, 1, 101)
    x = np.repeat(fractions, overlap.shape[1])
    return {"fractions": fractions, "code_overlap": overlap, "familiarity": familiarity,
            "correlation": float(np.corrcoef(x, overlap.ravel())[0, 1]), "chance": 1.0 / K,
            "g_axis": g_axis, "eta": np.array([mac.eta(g) for g in g_axis]), "stored_code": codes[0].dense.reshape(Q, K),
            "examples": examples, "Q": Q, "K": K,
            "reactivated": float(np.mean([mac.retrieve(b)[0] == c for b, c in zip(bases, codes)]))}


def episodic(n=1000, active=50, Q=32, K=256, loads=(250, 500, 1000, 2000, 4000), noise=0.01, missing=0.2,
             probes=100, seed=1) -> dict:
    """Single-trial episodic memory: capacity curves of one mac through :func:`capacity_sweep`.

    ``loads`` random patterns (``active`` of ``n`` bits on) are stored in one presentation
    each in a fresh :class:`SparseyMemory`; ``probes`` of them are recalled from the exact
    pattern, with ``noise`` of the bits flipped, and with ``missing`` of them dropped (about
    that fraction of the active bits).  Exact recall fraction and mean overlap per load.
    """
    make = functools.partial(SparseyMemory, n, Q=Q, K=K, seed=seed)
    cues = {"exact cue": (0.0, "flip"), f"{noise:.0%} of bits flipped": (noise, "flip"),
            f"{missing:.0%} of active bits missing": (missing, "missing")}
    t0 = time.perf_counter()
    curves = {}
    for name, (level, mode) in cues.items():
        c = capacity_sweep(make, n, loads, level, "binary", probes=probes, seed=seed, sparsity=active / n,
                           cue_mode=mode)
        curves[name] = {"exact": c.exact.tolist(), "overlap": c.mean_overlap.tolist()}
    return {"loads": list(loads), "curves": curves, "n": n, "active": active, "Q": Q, "K": K,
            "wall_s": time.perf_counter() - t0}


def sequences(counts=(10, 25, 50, 100, 200), length=8, side=20, active=20, Q=24, K=32, seed=1) -> dict:
    """Store sequences of random sparse frames in one presentation each, recall the rest from the first frame.

    One mac over the ``side`` x ``side`` frame with horizontal input from its own previous
    code: a frame's code depends on the sequence so far.  Recall: the first frame is given,
    then blank frames, so each later code is reached through the horizontal weights alone
    and decoded back to a frame.  Per number of stored sequences: the fraction of later
    frames recalled exactly and their mean overlap with the stored frames.
    """
    length = check_int("sequences", "length", length, low=2)
    n = side * side
    if not 1 <= active <= n:
        raise fail("sequences", "active", active, f"expected 1..{n} active inputs per frame")
    rng = generator("sequences", seed)
    exact, overlap, examples = [], [], []
    t_learn = 0.0
    for count in counts:
        frames = np.zeros((count, length, n), dtype=np.uint8)
        for seq in frames:
            for f in seq:
                f[rng.choice(n, active, replace=False)] = 1
        sp = Sparsey((side, side), levels=({"grid": (1, 1), "Q": Q, "K": K, "horizontal": 0, "pi_min": 0},),
                     seed=rng)
        t0 = time.perf_counter()
        for seq in frames:
            sp.reset()
            for f in seq:
                sp.present(f, learn=True, retrieve=False)
        t_learn += time.perf_counter() - t0
        hits, ov = [], []
        blank = np.zeros(n, dtype=np.uint8)
        for s_i, seq in enumerate(frames):
            sp.reset()
            sp.present(seq[0])
            recalled = [sp.decode().ravel()]
            for f in seq[1:]:
                sp.present(blank)
                got = sp.decode().ravel()
                recalled.append(got)
                hits.append(bool(np.array_equal(got, f)))
                ov.append(float(np.sum(got & f)) / active)
            if s_i == 0:
                examples.append({"stored": seq.reshape(length, side, side),
                                 "recalled": np.array(recalled).reshape(length, side, side), "count": count})
        exact.append(float(np.mean(hits)))
        overlap.append(float(np.mean(ov)))
    frames_learned = sum(counts) * length
    return {"counts": list(counts), "exact": exact, "overlap": overlap, "length": length, "Q": Q, "K": K,
            "side": side, "active": active, "examples": examples, "s_per_frame": t_learn / frames_learned}


def edge_features(images, shape, threshold=4.0, orientations=4, active=None) -> np.ndarray:
    """Binary edge features: for each pixel, its gradient orientation in ``orientations`` bins where the
    gradient magnitude is at least ``threshold``; shape (n, rows, columns * orientations), the
    orientations of one pixel side by side (so a receptive field of r x (c * orientations) covers
    r x c pixels).  With ``active``, only the ``active`` pixels of largest gradient magnitude
    (ties to the first) are kept, so every image has the same number of active features."""
    img = np.asarray(images, dtype=float).reshape((-1,) + tuple(shape))
    gy, gx = np.gradient(img, axis=(1, 2))
    magnitude = np.hypot(gx, gy)
    angle = np.arctan2(gy, gx) % np.pi
    bins = np.minimum((angle / np.pi * orientations).astype(int), orientations - 1)
    strong = magnitude >= threshold
    if active is not None:
        flat = magnitude.reshape(len(img), -1)
        keep = np.zeros(flat.shape, dtype=bool)
        np.put_along_axis(keep, np.argsort(-flat, axis=1, kind="stable")[:, :active], True, axis=1)
        strong &= keep.reshape(magnitude.shape)
    feat = np.stack([(bins == o) & strong for o in range(orientations)], axis=-1)
    return feat.reshape(img.shape[0], shape[0], shape[1] * orientations).astype(np.uint8)


DIGITS_LEVELS = ({"grid": (1, 1), "Q": 48, "K": 512},)


def classify(per_class=(5, 10, 20, 50, 100), levels=DIGITS_LEVELS, test=500, threshold=4.0, active=None,
             mnist=None, seed=1, repeats=1, csa=None) -> dict:
    """Classification after one presentation of each training image, beside 1-nearest-neighbour.

    sklearn's digits (8 x 8, 0..16) or, with ``mnist`` (a directory of IDX files), MNIST
    (28 x 28, rescaled to 0..16): binary edge features
    (:func:`edge_features`), a fresh :class:`Sparsey` per training-set size learning each
    image once and binding its label to the top-level code; the test images are classified
    by retrieval.  The 1-NN baseline sees the same binary features (Hamming distance).
    ``repeats`` runs use seeds ``seed, seed + 1, ...`` (a new test split and training draw
    each); per run and size, the gap Sparsey - 1-NN is also given in standard errors of the
    paired difference over the test images.  ``csa`` goes to :class:`Sparsey`.
    """
    check_int("classify", "repeats", repeats, low=1)
    runs = [_classify_once(per_class, levels, test, threshold, active, mnist, seed + r, csa or {})
            for r in range(repeats)]
    first = runs[0]
    return {"per_class": list(per_class), "seeds": [seed + r for r in range(repeats)],
            "sparsey": [r["sparsey"] for r in runs], "knn": [r["knn"] for r in runs],
            "gap_in_se": [r["gap_in_se"] for r in runs], "s_per_image": [t for r in runs for t in r["s_per_image"]],
            "data": "mnist" if mnist else "digits", "levels": [dict(lv) for lv in levels], "active": active,
            "example_features": first["example_features"], "example_labels": first["example_labels"]}


def _classify_once(per_class, levels, test, threshold, active, mnist, seed, csa) -> dict:
    if mnist is not None:
        x_train, y_pool, x_test, y_test = load_mnist(mnist)
        shape = (28, 28)
        x_pool, x_test = x_train * 16.0, x_test * 16.0
    else:
        x, y = digits()
        shape = (8, 8)
        rng0 = generator("classify", seed)
        order = rng0.permutation(len(y))
        test_idx, pool_idx = order[:test], order[test:]
        x_pool, y_pool, x_test, y_test = x[pool_idx], y[pool_idx], x[test_idx], y[test_idx]
    rng = generator("classify", seed)
    if len(x_test) > test:
        keep = rng.choice(len(x_test), test, replace=False)
        x_test, y_test = x_test[keep], y_test[keep]
    f_pool = edge_features(x_pool, shape, threshold, active=active)
    f_test = edge_features(x_test, shape, threshold, active=active)
    classes = np.unique(y_pool)
    acc, knn, gap_se, s_per_image = [], [], [], []
    for n_per in per_class:
        n_per = check_int("classify", "per_class", n_per, low=1)
        train = np.concatenate([rng.permutation(np.flatnonzero(y_pool == c))[:n_per] for c in classes])
        train = rng.permutation(train)
        model = Sparsey(f_pool.shape[1:], levels=levels, seed=rng, **csa)
        t0 = time.perf_counter()
        model.fit(f_pool[train], y_pool[train])
        s_per_image.append((time.perf_counter() - t0) / train.size)
        right = model.predict(f_test) == y_test
        a = f_test.reshape(len(f_test), -1).astype(np.int32)
        b = f_pool[train].reshape(train.size, -1).astype(np.int32)
        hamming = a.sum(1)[:, None] + b.sum(1)[None, :] - 2 * a @ b.T
        right_knn = y_pool[train][hamming.argmin(axis=1)] == y_test
        acc.append(float(np.mean(right)))
        knn.append(float(np.mean(right_knn)))
        diff = right.astype(float) - right_knn
        se = diff.std(ddof=1) / np.sqrt(diff.size)
        gap_se.append(float(diff.mean() / se) if se > 0 else 0.0)
    return {"sparsey": acc, "knn": knn, "gap_in_se": gap_se, "s_per_image": s_per_image,
            "example_features": f_test[:5], "example_labels": y_test[:5]}


# -- measures and figures ----------------------------------------------------------------------

def _measure_sparsey_similarity(d):
    ov = d["code_overlap"].mean(axis=1)
    return ({"code_overlap_at_input_overlap_0": float(ov[0]), "code_overlap_at_input_overlap_1": float(ov[-1]),
             "CMs_reactivated_by_a_stored_input": float(ov[-1] * d["Q"]),
             "reactivated_exactly_by_retrieval": d["reactivated"], "correlation": d["correlation"]}, {})

def sparsey_similarity_figure(data, path, title=""):
    """Code overlap vs input overlap (chance line), the eta(G) curve, and codes as Q x K images."""
    from ..plotting import plt, save
    fig = plt.figure(figsize=(14, 4.5))
    ax = fig.add_subplot(1, 3, 1)
    ov = data["code_overlap"]
    ax.errorbar(data["fractions"], ov.mean(1), yerr=ov.std(1), marker="o", capsize=3, label="code overlap (mean, sd)")
    ax.axhline(data["chance"], color="gray", ls=":", label="chance 1/K")
    ax.plot([0, 1], [0, 1], "k--", lw=0.8, label="identity")
    ax.set_xlabel("input overlap with a stored input")
    ax.set_ylabel("code overlap with its stored code")
    ax.axhline((data["Q"] - 1) / data["Q"], color="tab:green", ls="--", lw=0.8,
               label=f"{data['Q'] - 1} of {data['Q']} CMs")
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

def _measure_sparsey_episodic(d):
    out = {}
    for name, c in d["curves"].items():
        key = name.replace("% of ", "pct_").replace(" ", "_")
        for load, ex in zip(d["loads"], c["exact"]):
            out[f"exact_{key}_{load}"] = ex
    return out, {}

def sparsey_episodic_figure(data, path, title=""):
    """Capacity curves of single-trial episodic memory: exact recall and overlap against stored patterns."""
    from ..plotting import plt, save
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for name, c in data["curves"].items():
        axes[0].plot(data["loads"], c["exact"], marker="o", label=name)
        axes[1].plot(data["loads"], c["overlap"], marker="o", label=name)
    for ax, what in zip(axes, ("fraction recalled exactly", "overlap with the stored pattern")):
        ax.set_xscale("log")
        ax.set_xticks(list(data["loads"]), [f"{int(x):,}" for x in data["loads"]])
        ax.minorticks_off()
        ax.set_xlabel("patterns stored (one presentation each)")
        ax.set_ylabel(what)
        ax.set_ylim(-0.03, 1.03)
        ax.legend(fontsize=8)
    fig.suptitle(title or f"Sparsey episodic memory: one mac, Q = {data['Q']}, K = {data['K']}, "
                 f"{data['active']} of {data['n']} bits active")
    return save(fig, path)

def _measure_sparsey_sequences(d):
    out = {f"exact_frames_{c}_sequences": e for c, e in zip(d["counts"], d["exact"])}
    out["learn_us_per_frame"] = d["s_per_frame"] * 1e6
    return out, {"learn_us_per_frame": "us"}

def sparsey_sequences_figure(data, path, title=""):
    """Sequence recall from the first frame: exact frames against stored sequences, and, for the most
    sequences stored and the least, one sequence as stored beside its recall."""
    from ..plotting import plt, save
    length = data["length"]
    fig = plt.figure(figsize=(15, 5))
    grid = fig.add_gridspec(4, 3 + length)
    ax = fig.add_subplot(grid[:, :3])
    ax.plot(data["counts"], data["exact"], marker="o", label="frames recalled exactly")
    ax.plot(data["counts"], data["overlap"], marker="s", label="overlap with the stored frame")
    ax.set_xscale("log")
    ax.set_xlabel(f"sequences stored ({length} frames each, one presentation)")
    ax.set_ylabel("fraction of frames (after the first)")
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

def _measure_sparsey_classify(d):
    sp, kn = np.array(d["sparsey"]), np.array(d["knn"])
    out = {}
    for i, n in enumerate(d["per_class"]):
        out[f"sparsey_accuracy_{n}_per_class"] = float(sp[:, i].mean())
        out[f"knn_accuracy_{n}_per_class"] = float(kn[:, i].mean())
    out["worst_sparsey_minus_knn"] = float((sp - kn).min())
    out["worst_sparsey_minus_knn_in_paired_se"] = float(np.min(d["gap_in_se"]))
    out["learn_ms_per_image"] = 1000.0 * float(np.median(d["s_per_image"]))
    return out, {"learn_ms_per_image": "ms"}

def sparsey_classify_figure(data, path, title=""):
    """Accuracy against training images per class (one presentation each), Sparsey beside 1-NN on the
    same binary features, and example feature images."""
    from ..plotting import plt, save
    fig = plt.figure(figsize=(13, 4.5))
    ax = fig.add_subplot(1, 2, 1)
    for runs, marker, colour, label in ((data["sparsey"], "o", "tab:blue", "Sparsey (one presentation per image)"),
                                         (data["knn"], "s", "tab:orange", "1-nearest neighbour, same features")):
        runs = np.asarray(runs)
        for r in runs:
            ax.plot(data["per_class"], r, color=colour, lw=0.6, alpha=0.4)
        ax.plot(data["per_class"], runs.mean(axis=0), marker=marker, color=colour,
                label=f"{label}, mean of seeds {data['seeds'][0]}-{data['seeds'][-1]}")
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
        a.set_ylabel(f"digit {y}", rotation=0, fontsize=8, ha="right", va="center")
        if i == 0:
            a.set_title("example features: one row per orientation band, pixels along x", fontsize=8)
    fig.suptitle(title or f"Sparsey on {data['data']}: binary edge features (4 orientations per pixel)")
    return save(fig, path)


# -- registration ------------------------------------------------------------------------------

register('sparsey_similarity', similarity, _measure_sparsey_similarity, sparsey_similarity_figure,
         description='Sparsey: similar inputs get similar codes; stored inputs reactivate theirs')

register('sparsey_episodic', episodic, _measure_sparsey_episodic, sparsey_episodic_figure,
         description='Sparsey: single-trial episodic memory of thousands of patterns in one mac')

register('sparsey_sequences', sequences, _measure_sparsey_sequences, sparsey_sequences_figure,
         description='Sparsey: sequences recalled from their first frame through horizontal weights')

register('sparsey_classify', classify, _measure_sparsey_classify, sparsey_classify_figure,
         description='Sparsey: one-presentation digit classification beside 1-nearest-neighbour')
