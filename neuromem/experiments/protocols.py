"""Protocols every memory reports through.

* :func:`recall_vs_corruption` — recall quality against the fraction of cue
  bits flipped or missing;
* :func:`recognition` — hit rate, false-alarm rate and ROC AUC for seen vs.
  novel items;
* :func:`retention` — overlap of early items as more are stored;
* :func:`capacity_sweep` — recall quality against the number of stored patterns.

Each takes a factory ``make_memory()`` (or a memory) and a ``seed``; patterns
are drawn with :func:`random_patterns`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_int, check_scalar, fail
from ..random import generator


def random_patterns(k, n, alphabet="bipolar", sparsity=0.5, seed=0) -> np.ndarray:
    """``k`` random patterns of length ``n`` (bipolar +-1, or binary 0/1 with ``sparsity`` ones)."""
    rng = generator("random_patterns", seed)
    ones = rng.random((k, n)) < sparsity
    return np.where(ones, 1.0, -1.0 if alphabet == "bipolar" else 0.0)


def corrupt(pattern, fraction, mode="flip", alphabet="bipolar", rng=None) -> np.ndarray:
    """A copy of ``pattern`` with ``round(fraction * n)`` bits flipped, or set missing.

    Missing bits are 0 for bipolar patterns (no information) and 0 for binary
    ones (an active bit dropped), as in recall from partial cues.
    """
    fraction = check_scalar("corrupt", "fraction", fraction, low=0.0, high=1.0)
    if mode not in ("flip", "missing"):
        raise fail("corrupt", "mode", mode, "expected 'flip' or 'missing'")
    x = np.array(pattern, dtype=float)
    n = x.size
    idx = rng.choice(n, size=int(round(fraction * n)), replace=False)
    if mode == "flip":
        x[idx] = -x[idx] if alphabet == "bipolar" else 1.0 - x[idx]
    else:
        x[idx] = 0.0
    return x


def _overlap(a, b, alphabet):
    if alphabet == "binary":
        a, b = 2 * np.asarray(a) - 1, 2 * np.asarray(b) - 1
    return float(np.dot(a, b) / len(a))


@dataclass
class CorruptionCurve:
    """Recall quality per corruption level: mean final overlap and exact-recall fraction."""

    levels: np.ndarray
    mean_overlap: np.ndarray
    exact: np.ndarray
    mode: str


def recall_vs_corruption(memory, patterns, levels, mode="flip", trials=1, seed=0) -> CorruptionCurve:
    """Store ``patterns``, cue each with corrupted copies, measure recall at each level."""
    rng = generator("recall_vs_corruption", seed)
    memory.store(patterns)
    alphabet = memory.alphabet
    levels = np.asarray(levels, dtype=float)
    ov, ex = np.zeros(levels.size), np.zeros(levels.size)
    for li, lv in enumerate(levels):
        vals = []
        for _ in range(trials):
            for p in patterns:
                res = memory.recall(corrupt(p, lv, mode, alphabet, rng))
                vals.append(_overlap(res.state, p, alphabet))
        vals = np.asarray(vals)
        ov[li], ex[li] = vals.mean(), np.mean(vals > 1 - 1e-12)
    return CorruptionCurve(levels, ov, ex, mode)


@dataclass
class RecognitionResult:
    """Recognition of seen vs. novel items at a threshold, and the threshold-free AUC."""

    hit_rate: float
    false_alarm_rate: float
    auc: float
    threshold: float
    seen_scores: np.ndarray
    novel_scores: np.ndarray


def roc_auc(positive, negative) -> float:
    """Area under the ROC curve = P(score(seen) > score(novel)) + 0.5 P(equal) (Mann-Whitney)."""
    pos, neg = np.asarray(positive, float), np.asarray(negative, float)
    if pos.size == 0 or neg.size == 0:
        raise fail("roc_auc", "scores", (pos.size, neg.size), "need at least one seen and one novel score")
    greater = (pos[:, None] > neg[None, :]).mean()
    equal = (pos[:, None] == neg[None, :]).mean()
    return float(greater + 0.5 * equal)


def recognition(memory, seen, novel, threshold=0.5, probe_noise=0.0, seed=0) -> RecognitionResult:
    """Store ``seen``, score ``seen`` and ``novel`` probes (optionally corrupted) with ``recognize``."""
    if not hasattr(memory, "recognize"):
        raise fail("recognition", "memory", memory.name, "the memory has no recognize() method")
    rng = generator("recognition", seed)
    memory.store(seen)
    a = memory.alphabet
    s = np.array([memory.recognize(corrupt(p, probe_noise, "flip", a, rng)) for p in seen])
    nv = np.array([memory.recognize(corrupt(p, probe_noise, "flip", a, rng)) for p in novel])
    return RecognitionResult(float(np.mean(s >= threshold)), float(np.mean(nv >= threshold)),
                             roc_auc(s, nv), threshold, s, nv)


@dataclass
class RetentionCurve:
    """Mean recall overlap of the first ``probe`` items after each batch is stored."""

    stored: np.ndarray
    early_overlap: np.ndarray


def retention(make_memory, patterns, batch, probe=None, cue_noise=0.0, seed=0) -> RetentionCurve:
    """Store ``patterns`` in batches; after each, recall the first batch from (noisy) cues."""
    batch = check_int("retention", "batch", batch, low=1)
    rng = generator("retention", seed)
    mem = make_memory()
    probe = batch if probe is None else probe
    early = patterns[:probe]
    stored, vals = [], []
    for start in range(0, len(patterns), batch):
        mem.store(patterns[start:start + batch])
        ovs = [_overlap(mem.recall(corrupt(p, cue_noise, "flip", mem.alphabet, rng)).state, p, mem.alphabet)
               for p in early]
        stored.append(min(start + batch, len(patterns)))
        vals.append(np.mean(ovs))
    return RetentionCurve(np.asarray(stored), np.asarray(vals))


@dataclass
class CapacityCurve:
    """Recall quality against the number of stored patterns ``loads``."""

    loads: np.ndarray
    mean_overlap: np.ndarray
    exact: np.ndarray


def capacity_sweep(make_memory, n, loads, cue_noise=0.0, alphabet="bipolar", trials=1, seed=0,
                   executor=None) -> CapacityCurve:
    """For each K in ``loads``: fresh memory, store K random patterns, recall each from a noisy cue.

    ``executor`` (any ``concurrent.futures``-style executor, e.g. a Dask client)
    runs the loads in parallel; each load has its own seed stream, so the result
    does not depend on the executor.
    """
    loads = [check_int("capacity_sweep", "loads", int(k), low=1) for k in loads]
    ss = np.random.SeedSequence(seed)
    seeds = ss.spawn(len(loads))
    jobs = [(make_memory, n, k, cue_noise, alphabet, trials, s) for k, s in zip(loads, seeds)]
    if executor is None:
        results = [_capacity_point(*j) for j in jobs]
    else:
        results = [f.result() for f in [executor.submit(_capacity_point, *j) for j in jobs]]
    ov, ex = zip(*results)
    return CapacityCurve(np.asarray(loads), np.asarray(ov), np.asarray(ex))


def _capacity_point(make_memory, n, k, cue_noise, alphabet, trials, ss):
    rng = np.random.default_rng(ss)
    vals = []
    for _ in range(trials):
        pats = random_patterns(k, n, alphabet, seed=rng)
        mem = make_memory()
        mem.store(pats)
        vals += [_overlap(mem.recall(corrupt(p, cue_noise, "flip", alphabet, rng)).state, p, alphabet) for p in pats]
    vals = np.asarray(vals)
    return float(vals.mean()), float(np.mean(vals > 1 - 1e-12))
