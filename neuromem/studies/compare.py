"""The same probes through every registered memory: recognition, recall, retention, capacity, time.

Design after the few-shot memory experiments of "Recognition, recall, and retention of few-shot
memories" (single exposure: each item is stored once): every memory of
:data:`neuromem.models.MEMORIES` gets the same random items at comparable size (N = 1000 units),
in two codes (dense, half the units active; sparse, 5%), and is measured on

* recognition of seen vs. novel items: the ROC AUC, and hit rate and false alarms at the neutral
  criterion of signal detection theory (halfway between the mean scores of seen and novel items;
  each model's ``recognize`` has its own scale, and a fixed threshold would mean different things
  for dense and sparse codes);
* recall from partial cues (a fraction of the units unknown) and noisy cues (a fraction flipped):
  fraction recalled exactly, mean overlap;
* retention: the first items' recall and recognition as more items are stored after them;
* capacity: the largest load at which 90% of the stored items come back exactly from themselves,
  per neuron and per stored weight, beside the theory where one exists (error-free Hebbian
  stability, the dense capacity, Demircigil's exponential bound, the segment false-match bound);
* time per store and per recall.

Memories are built by :data:`MODELS`; a registered memory without an entry there is an error, so
no model is silently skipped.
"""
from __future__ import annotations

import time
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .._checks import check_int, check_scalar, fail
from ..models import (MEMORIES, CA3Memory, ClassicalHopfield, DenseHopfield, HLOPMemory, ModernHopfield,
                      NearestNeighbourMemory, ReservoirMemory, SegmentMemory, SparseyMemory)
from . import register
from .protocols import roc_auc

#: row label -> (memory class, factory(n, capacity, seed), largest load of the capacity sweep, neurons(n, K),
#: stored weights(n, K)); ``capacity`` is how many items the memory will hold (CA3 needs one cue per item)
MODELS = {
    "nearest neighbour": (NearestNeighbourMemory, lambda n, c, s: NearestNeighbourMemory(n), 2000,
                          lambda n, k: n, lambda n, k: k * n),
    "Hopfield (Hebbian)": (ClassicalHopfield, lambda n, c, s: ClassicalHopfield(n), 2000,
                           lambda n, k: n, lambda n, k: n * (n - 1) // 2),
    "dense Hopfield (n = 3)": (DenseHopfield, lambda n, c, s: DenseHopfield(n, degree=3), 2000,
                               lambda n, k: n, lambda n, k: k * n),
    "dense Hopfield (exp)": (DenseHopfield, lambda n, c, s: DenseHopfield(n, energy="exp"), 2000,
                             lambda n, k: n, lambda n, k: k * n),
    "modern Hopfield": (ModernHopfield, lambda n, c, s: ModernHopfield(beta=0.1, n=n), 2000,
                        lambda n, k: n, lambda n, k: k * n),
    "CA3 (paper, SpiNNaker)": (CA3Memory, lambda n, c, s: CA3Memory(cues=c, bits=n, seed=s), 500,
                               lambda n, k: 3 * k + 4 * n + 1 + (k + n), lambda n, k: 2 * k * n),
    "CA3 (narrow variant)": (CA3Memory, lambda n, c, s: CA3Memory(cues=c, bits=n, variant="narrow", seed=s), 500,
                             lambda n, k: 3 * k + 4 * n + 1 + (k + n), lambda n, k: 2 * k * n),
    "Sparsey": (SparseyMemory, lambda n, c, s: SparseyMemory(n, Q=32, K=256, seed=s), 2000,
                lambda n, k: 32 * 256, lambda n, k: n * 32 * 256 + 32 * 256 * n),
    "dendritic segments": (SegmentMemory, lambda n, c, s: SegmentMemory(n, s=20, theta=10, seed=s), 2000,
                           lambda n, k: n, None),
    "Izhikevich reservoir": (ReservoirMemory, lambda n, c, s: ReservoirMemory(n, seed=s), 1000,
                             lambda n, k: 1000 + n, lambda n, k: 1000 * 100 + 1000 * 10 + 1001 * n),
    "HLOP (spiking autoencoder)": (HLOPMemory, lambda n, c, s: HLOPMemory(n, seed=s), 200,
                                   lambda n, k: 512 + n, lambda n, k: 2 * 512 * n),
}
CODES = {"dense": 0.5, "sparse": 0.05}
ROWS = tuple(MODELS)


def check_coverage() -> None:
    """Every registered memory class has at least one row in :data:`MODELS`."""
    missing = sorted(set(MEMORIES) - {cls.__name__ for cls, *_ in MODELS.values()})
    if missing:
        raise fail("memory_compare", "MODELS", missing, "every registered memory needs a row in "
                   "neuromem.studies.compare.MODELS (none is skipped silently)")


# -- items and cues -------------------------------------------------------------------------------------

def encode(bits, alphabet) -> np.ndarray:
    """0/1 items in a memory's alphabet (bipolar and real: +-1)."""
    bits = np.asarray(bits, dtype=float)
    return bits if alphabet == "binary" else 2.0 * bits - 1.0


def decode(state, alphabet) -> np.ndarray:
    """A recalled state as 0/1 bits."""
    state = np.asarray(state, dtype=float)
    return (state > 0.5).astype(float) if alphabet == "binary" else (state > 0).astype(float)


def partial(bits, unknown, alphabet, rng) -> np.ndarray:
    """A cue with a random ``unknown`` fraction of the units blanked (0: unknown in +-1 codes, inactive in 0/1)."""
    cue = encode(bits, alphabet).copy()
    cue[rng.choice(cue.size, int(round(unknown * cue.size)), replace=False)] = 0.0
    return cue


def flipped(bits, fraction, alphabet, rng) -> np.ndarray:
    """A cue with a random ``fraction`` of the units flipped."""
    b = np.array(bits, dtype=float)
    idx = rng.choice(b.size, int(round(fraction * b.size)), replace=False)
    b[idx] = 1.0 - b[idx]
    return encode(b, alphabet)


def items(k, n, density, seed) -> np.ndarray:
    """``k`` random 0/1 items with exactly ``round(density n)`` active units each (at least one)."""
    rng = np.random.default_rng(seed)
    a = max(1, int(round(density * n)))
    out = np.zeros((k, n))
    for row in out:
        row[rng.choice(n, a, replace=False)] = 1.0
    return out


def _overlap(bits_a, bits_b) -> float:
    return float(np.dot(2 * bits_a - 1, 2 * bits_b - 1) / bits_a.size)


# -- one row of the table -----------------------------------------------------------------------------------

def _recall_stats(mem, pats, cues):
    exact, overlap = [], []
    for p, c in zip(pats, cues):
        got = decode(mem.recall(c).state, mem.alphabet)
        exact.append(np.array_equal(got, p))
        overlap.append(_overlap(got, p))
    return float(np.mean(exact)), float(np.mean(overlap))


def _capacity(row, n, density, loads, probes, ss):
    """Largest load (of ``loads``, up to the row's maximum) with >= 90% of probed items exact from themselves."""
    cls, make, max_load, *_ = MODELS[row]
    best, curve = 0, []
    for li, k in enumerate(x for x in loads if x <= max_load):
        s = np.random.SeedSequence(ss.entropy, spawn_key=ss.spawn_key + (3, li))
        pats = items(k, n, density, s)
        mem = make(n, k, s)
        mem.store(encode(pats, mem.alphabet))
        rng = np.random.default_rng(s)
        idx = rng.choice(k, min(k, probes), replace=False)
        exact, _ = _recall_stats(mem, pats[idx], encode(pats[idx], mem.alphabet))
        curve.append((k, exact))
        if exact < 0.9:
            break
        best = k
    tested_all = bool(curve) and curve[-1][1] >= 0.9
    return best, tested_all, curve


def compare_row(row, code, n, stored, unknown, flips, batch, batches, loads, probes, seed) -> dict:
    """All measures of one memory (``row`` of :data:`MODELS`) on one code; deterministic given ``seed``."""
    cls, make, max_load, neurons, weights = MODELS[row]
    density = CODES[code]
    ss = np.random.SeedSequence([seed, ROWS.index(row), list(CODES).index(code)])
    shared = np.random.SeedSequence([seed, list(CODES).index(code)])      # the same items for every model
    pats = items(stored + stored, n, density, shared)
    seen, novel = pats[:stored], pats[stored:]
    mem = make(n, max(stored, batch * batches), ss)
    a = mem.alphabet
    out = {"row": row, "code": code, "class": cls.__name__, "alphabet": a}
    t0 = time.perf_counter()
    mem.store(encode(seen, a))
    out["store_ms"] = 1000.0 * (time.perf_counter() - t0) / stored
    # recognition
    s_seen = np.array([mem.recognize(encode(p, a)) for p in seen])
    s_novel = np.array([mem.recognize(encode(p, a)) for p in novel])
    criterion = 0.5 * (s_seen.mean() + s_novel.mean())    # the neutral criterion of signal detection theory
    out.update(hit_rate=float(np.mean(s_seen > criterion)), false_alarms=float(np.mean(s_novel > criterion)),
               auc=roc_auc(s_seen, s_novel), criterion=float(criterion))
    # recall from partial and noisy cues (one stream of cue draws per model, from the shared seed: same cues)
    rng = np.random.default_rng(np.random.SeedSequence([seed, list(CODES).index(code), 1]))
    t0 = time.perf_counter()
    out["partial"] = [_recall_stats(mem, seen, [partial(p, u, a, rng) for p in seen]) for u in unknown]
    out["recall_ms"] = 1000.0 * (time.perf_counter() - t0) / (stored * len(unknown))
    out["noisy"] = [_recall_stats(mem, seen, [flipped(p, f, a, rng) for p in seen]) for f in flips]
    # retention: the first batch, as batches are stored after it
    ret_items = items(batch * batches + batch, n, density, np.random.SeedSequence([seed, list(CODES).index(code), 2]))
    first, later, probes_novel = ret_items[:batch], ret_items[:batch * batches], ret_items[batch * batches:]
    mem = make(n, batch * batches, np.random.SeedSequence(ss.entropy, spawn_key=ss.spawn_key + (2,)))
    ret = {"stored": [], "recall": [], "recognition_auc": [], "hit_rate": []}
    for b in range(batches):
        mem.store(encode(later[b * batch:(b + 1) * batch], a))
        exact, _ = _recall_stats(mem, first, encode(first, a))
        sf = [mem.recognize(encode(p, a)) for p in first]
        sn = [mem.recognize(encode(p, a)) for p in probes_novel]
        ret["stored"].append((b + 1) * batch)
        ret["recall"].append(exact)
        ret["recognition_auc"].append(roc_auc(sf, sn))
        ret["hit_rate"].append(float(np.mean(np.asarray(sf) > 0.5 * (np.mean(sf) + np.mean(sn)))))
    out["retention"] = ret
    # capacity
    k90, all_passed, curve = _capacity(row, n, density, loads, probes, ss)
    out.update(k90=k90, k90_is_lower_bound=all_passed, capacity_curve=curve,
               neurons=neurons(n, max(k90, 1)), weights=None if weights is None else weights(n, max(k90, 1)))
    if row == "dendritic segments":         # its synapses: s per segment, one segment per active unit per item
        out["weights"] = 20 * max(k90, 1) * max(1, int(round(density * n)))
    return out


def theory(n, code) -> dict:
    """Capacity (items at 90% exact recall from themselves) where a closed form exists, by row."""
    from ..theory.dendrites import segment_memory_capacity
    from ..theory.hopfield import dense_capacity, demircigil_capacity, load_for_stability
    out = {}
    if code == "dense":      # unbiased +-1 patterns: the Hopfield analyses apply
        out["Hopfield (Hebbian)"] = ("one-sweep stability, Gaussian crosstalk", float(load_for_stability(n, 0.9)))
        out["dense Hopfield (n = 3)"] = ("Krotov & Hopfield error-free N^2/(6 ln N)", dense_capacity(n, 3))
        out["dense Hopfield (exp)"] = ("Demircigil et al. 2^(N/2)", demircigil_capacity(n))
    a = max(1, int(round(CODES[code] * n)))
    if a > 21:              # s = 20 synapses on other active units
        out["dendritic segments"] = ("Ahmad & Hawkins false matches", segment_memory_capacity(n, a, 20, 10, 0.9))
    return out


def memory_compare(n=1000, codes=("dense", "sparse"), stored=50, unknown=(0.0, 0.2, 0.4, 0.6, 0.8),
                   flips=(0.0, 0.05, 0.1, 0.2, 0.3), batch=10, batches=20,
                   loads=(10, 20, 50, 100, 200, 500, 1000, 2000), probes=50, models=None, workers=2, seed=1,
                   report=None) -> dict:
    """Run every registered memory (or the named ``models`` rows) through the same probes.

    Parameters
    ----------
    n : units per item
    codes : "dense" (half the units active) and/or "sparse" (5%)
    stored : items stored once for recognition and recall
    unknown, flips : fractions of cue units unknown, flipped
    batch, batches : retention: the first ``batch`` items, then ``batches - 1`` more batches stored after them
    loads, probes : the capacity sweep and the items probed per load
    models : row labels of :data:`MODELS` (default all)
    workers : processes (each row and code is one job; the result does not depend on the number)
    """
    check_coverage()
    o = "memory_compare"
    n = check_int(o, "n", n, low=30)
    rows = list(ROWS) if models is None else list(models)
    for r in rows:
        if r not in MODELS:
            raise fail(o, "models", r, f"expected rows of {list(MODELS)}")
    for c in codes:
        if c not in CODES:
            raise fail(o, "codes", c, f"expected some of {list(CODES)}")
    stored = check_int(o, "stored", stored, low=2)
    batch, batches = check_int(o, "batch", batch, low=1), check_int(o, "batches", batches, low=1)
    for u in list(unknown) + list(flips):
        check_scalar(o, "unknown/flips", u, low=0.0, high=1.0)
    workers = check_int(o, "workers", workers, low=1)
    jobs = [(r, c, n, stored, tuple(unknown), tuple(flips), batch, batches, tuple(loads), probes, seed)
            for c in codes for r in rows]
    t0 = time.perf_counter()
    if workers == 1:
        results = [compare_row(*j) for j in jobs]
    else:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(compare_row, *j) for j in jobs]
            results = []
            for i, f in enumerate(futures):
                results.append(f.result())
                if report is not None and callable(report):
                    report((i + 1) / len(futures), 0.0)
    return {"n": n, "codes": list(codes), "rows": rows, "results": results, "unknown": list(unknown),
            "flips": list(flips), "batch": batch, "batches": batches, "stored": stored,
            "theory": {c: theory(n, c) for c in codes}, "wall_s": time.perf_counter() - t0,
            "log": _log(results, {c: theory(n, c) for c in codes})}


def _log(results, th) -> list[str]:
    """The comparison table, one line per memory and code."""
    head = (f"{'memory':28s} {'code':6s} {'AUC':>5s} {'hits':>5s} {'FA':>5s} {'exact, 20% unknown':>18s} "
            f"{'exact, 10% flipped':>18s} {'K90':>7s} {'theory':>9s} {'K90/neuron':>10s} {'K90/weight':>10s} "
            f"{'store ms':>8s} {'recall ms':>9s}")
    lines = [head, "-" * len(head)]
    for r in results:
        u = r["partial"][1][0] if len(r["partial"]) > 1 else float("nan")
        f = r["noisy"][2][0] if len(r["noisy"]) > 2 else float("nan")
        k90 = f"{'>=' if r['k90_is_lower_bound'] else ''}{r['k90']}"
        t = th[r["code"]].get(r["row"])
        tk = "" if t is None else (f"{t[1]:.3g}" if t[1] < 1e9 else f"{t[1]:.1e}")
        per_w = "" if not r["weights"] else f"{r['k90'] / r['weights']:.2e}"
        lines.append(f"{r['row']:28s} {r['code']:6s} {r['auc']:5.2f} {r['hit_rate']:5.2f} {r['false_alarms']:5.2f} "
                     f"{u:18.2f} {f:18.2f} {k90:>7s} {tk:>9s} {r['k90'] / r['neurons']:10.3f} {per_w:>10s} "
                     f"{r['store_ms']:8.2f} {r['recall_ms']:9.2f}")
    lines.append("K90: items recalled exactly from themselves at 90%, '>=' when the largest load tested still passed; "
                 "theory: " + "; ".join(sorted({f"{row}: {v[0]}" for c in th.values() for row, v in c.items()})))
    return lines


def _measure(d):
    measured, units = {}, {}
    for r in d["results"]:
        key = f"{r['row']}, {r['code']} code"
        measured[f"recognition AUC, {key}"] = r["auc"]
        measured[f"capacity K90, {key}"] = r["k90"]
        units[f"capacity K90, {key}"] = "items"
    measured["models"] = len({r["class"] for r in d["results"]})
    return measured, units


def compare_figure(data, path, title=""):
    """Capacity with theory, recall vs. unknown and flipped cue units, retention of recall and recognition,
    and recognition AUC: one row of panels per code."""
    from ..plotting import plt, save
    codes, rows = data["codes"], data["rows"]
    palette = [plt.get_cmap("tab10")(i) for i in range(10)] + ["black", "gold", "navy"]

    def colors(i):
        return palette[i % len(palette)]      # one colour per memory (tab10 alone repeats its first after ten)
    fig, axes = plt.subplots(len(codes), 5, figsize=(24, 4.6 * len(codes)), squeeze=False)
    by = {(r["row"], r["code"]): r for r in data["results"]}
    for ci, code in enumerate(codes):
        ax = axes[ci]
        th = data["theory"][code]
        y = np.arange(len(rows))
        k90 = [max(by[(r, code)]["k90"], 0.5) for r in rows]
        starred = False
        ax[0].barh(y, k90, color=[colors(i) for i in range(len(rows))])
        for i, r in enumerate(rows):
            if by[(r, code)]["k90_is_lower_bound"]:
                ax[0].annotate("", xy=(k90[i] * 2.2, i), xytext=(k90[i], i),
                               arrowprops=dict(arrowstyle="->", color="0.3"))
            if r in th:
                if th[r][1] < 1e5:
                    ax[0].plot(th[r][1], i, "k*", ms=12, label=None if starred else "theory")
                    starred = True
                else:               # off the scale: say how far
                    ax[0].annotate(f"theory {th[r][1]:.1e}", xy=(1e5, i), xytext=(8e3, i), fontsize=7,
                                   va="center", arrowprops=dict(arrowstyle="->", color="k"))
        ax[0].set_xscale("log")
        ax[0].set_xlim(0.4, 1e5)
        ax[0].set_yticks(y, rows, fontsize=8)
        ax[0].invert_yaxis()
        ax[0].set_xlabel("items recalled exactly (90%) from themselves")
        ax[0].set_title(f"{code} code: capacity (arrow: no failure up to the largest load; * theory)", fontsize=9)
        if starred:                         # theory values off the scale are annotated, not in the legend
            ax[0].legend(fontsize=8, loc="lower right")
        for i, r in enumerate(rows):
            res = by[(r, code)]
            shift = 0.012 * (i - (len(rows) - 1) / 2)   # curves that coincide stay visible side by side
            ax[1].plot(data["unknown"], np.array([e for e, _ in res["partial"]]) + shift, "o-", color=colors(i), ms=3,
                       label=r)
            ax[2].plot(data["flips"], np.array([e for e, _ in res["noisy"]]) + shift, "o-", color=colors(i), ms=3)
            ret = res["retention"]
            ax[3].plot(ret["stored"], np.array(ret["recall"]) + shift, "-", color=colors(i))
            ax[3].plot(ret["stored"], np.array(ret["recognition_auc"]) + shift, ":", color=colors(i), lw=2)
        ax[1].set_xlabel("fraction of cue units unknown")
        ax[1].set_ylabel(f"fraction of {data['stored']} items recalled exactly")
        ax[1].set_title("recall from partial cues (curves offset by <= 0.06 to stay visible)", fontsize=9)
        ax[2].set_xlabel("fraction of cue units flipped")
        ax[2].set_title("recall from noisy cues", fontsize=9)
        ax[3].set_xlabel("items stored (the first batch first)")
        ax[3].set_ylabel(f"first {data['batch']} items")
        ax[3].set_title("retention: recall exact (solid), recognition AUC (dotted)", fontsize=9)
        for a_ in ax[1:4]:
            a_.set_ylim(-0.08, 1.08)
        auc = [by[(r, code)]["auc"] for r in rows]
        ax[4].barh(y, auc, color=[colors(i) for i in range(len(rows))])
        ax[4].axvline(0.5, color="0.5", ls=":", label="chance")
        ax[4].set_xlim(0, 1.02)
        ax[4].set_yticks(y, [""] * len(rows))
        ax[4].invert_yaxis()
        ax[4].set_xlabel(f"ROC AUC, {data['stored']} seen vs. {data['stored']} novel")
        ax[4].set_title("recognition", fontsize=9)
        ax[4].legend(fontsize=8)
    axes[0, 1].legend(fontsize=7, loc="lower left")
    fig.suptitle(title or f"Every memory, the same probes (N = {data['n']} units, items stored once)")
    fig.tight_layout()
    return save(fig, path)


register("memory_compare", memory_compare, _measure, compare_figure,
         description="every registered memory through the same recognition, recall, retention and capacity probes")
