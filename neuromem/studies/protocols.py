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


def random_patterns(k, n, alphabet="bipolar", sparsity=0.5, seed=0, dilution=0.0) -> np.ndarray:
    """``k`` random patterns of length ``n`` (bipolar +-1, or binary 0/1 with ``sparsity`` ones).

    ``dilution`` d > 0 (bipolar only) blanks a fraction d of the entries, drawn
    independently per entry: P(xi = 0) = d, P(xi = +-1) = (1 - d)/2 (Agliari et al. 2012).
    """
    rng = generator("random_patterns", seed)
    ones = rng.random((k, n)) < sparsity
    out = np.where(ones, 1.0, -1.0 if alphabet == "bipolar" else 0.0)
    dilution = check_scalar("random_patterns", "dilution", dilution, low=0.0, high=1.0)
    if dilution > 0:
        if alphabet != "bipolar":
            raise fail("random_patterns", "dilution", dilution, "dilution applies to bipolar patterns only")
        out[rng.random((k, n)) < dilution] = 0.0
    return out


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
    """Recall quality against the number of stored patterns ``loads``.

    ``mean_overlap`` and ``exact`` average over trials; ``exact_per_trial``
    (loads x trials) gives the spread.
    """

    loads: np.ndarray
    mean_overlap: np.ndarray
    exact: np.ndarray
    exact_per_trial: np.ndarray | None = None


def capacity_sweep(make_memory, n, loads, cue_noise=0.0, alphabet="bipolar", trials=1, probes=None, seed=0,
                   executor=None, max_sweeps=100, sparsity=0.5, cue_mode="flip") -> CapacityCurve:
    """For each K in ``loads`` and each trial: fresh memory, K random patterns, recall from noisy cues.

    ``probes`` caps how many of the K stored patterns are cued per trial (a
    random subset; all when None).  Memories with ``recall_many`` recall the
    probes in one batch.  Every (load, trial) pair is one job with its own seed
    stream, so ``executor`` (any ``concurrent.futures``-style executor: a
    ``ProcessPoolExecutor`` for both cores, a Dask client for a cluster) runs them
    in parallel and the result does not depend on the executor.  ``make_memory``
    must be picklable for a process pool (a class or a ``functools.partial``).
    ``sparsity`` is the fraction of ones of binary patterns; ``cue_mode`` is how the cue
    is corrupted (:func:`corrupt`: ``"flip"``, or ``"missing"``, which for binary patterns
    drops about ``cue_noise`` of the active bits).
    """
    if cue_mode not in ("flip", "missing"):
        raise fail("capacity_sweep", "cue_mode", cue_mode, "expected 'flip' or 'missing'")
    loads = [check_int("capacity_sweep", "loads", int(k), low=1) for k in loads]
    trials = check_int("capacity_sweep", "trials", trials, low=1)
    if probes is not None:
        probes = check_int("capacity_sweep", "probes", probes, low=1)
    seeds = np.random.SeedSequence(seed).spawn(len(loads) * trials)
    jobs = [(make_memory, n, k, cue_noise, alphabet, probes, max_sweeps, seeds[li * trials + t], sparsity, cue_mode)
            for li, k in enumerate(loads) for t in range(trials)]
    if executor is None:
        results = [_capacity_point(*j) for j in jobs]
    else:
        results = [f.result() for f in [executor.submit(_capacity_point, *j) for j in jobs]]
    ov = np.array([r[0] for r in results]).reshape(len(loads), trials)
    ex = np.array([r[1] for r in results]).reshape(len(loads), trials)
    return CapacityCurve(np.asarray(loads), ov.mean(axis=1), ex.mean(axis=1), ex)


def parameter_sweep(run, grid: dict, seed=0, executor=None, **fixed) -> list[dict]:
    """``run(**point, **fixed, seed=s)`` at every point of ``grid`` (the product of its value lists, first name
    slowest), each point with its own seed ``s`` from ``SeedSequence(seed)``: the result does not depend on the
    executor or on the order the points finish in.

    ``executor`` is any ``concurrent.futures``-style executor (``submit`` returning futures with ``result()``):
    a ``ProcessPoolExecutor`` for the cores of one machine, a ``dask.distributed.Client`` for a cluster; ``run``
    must then be importable (a module-level function, e.g.
    :func:`neuromem.studies.engine.izhikevich2003_rates`).  Returns one ``{"point": ..., "seed": s,
    "result": ...}`` per point, in grid order.
    """
    import itertools
    names = list(grid)
    for name in names:
        if not np.iterable(grid[name]) or isinstance(grid[name], (str, bytes)) or not len(grid[name]):
            raise fail("parameter_sweep", "grid", {name: grid[name]}, "expected a non-empty list of values per name")
    points = [dict(zip(names, values)) for values in itertools.product(*(grid[n] for n in names))]
    seeds = [int(ss.generate_state(1)[0]) for ss in np.random.SeedSequence(seed).spawn(len(points))]
    if executor is None:
        results = [run(**p, **fixed, seed=s) for p, s in zip(points, seeds)]
    else:
        futures = [executor.submit(run, **p, **fixed, seed=s) for p, s in zip(points, seeds)]
        results = [f.result() for f in futures]
    return [{"point": p, "seed": s, "result": r} for p, s, r in zip(points, seeds, results)]


def recall_batch(memory, cues, seed=0, max_sweeps=100) -> np.ndarray:
    """Recalled states for a batch of cues: ``memory.recall_many`` when it has one, else one by one."""
    if hasattr(memory, "recall_many"):
        return memory.recall_many(cues, max_sweeps=max_sweeps, seed=seed)[0]
    return np.array([memory.recall(c).state for c in cues])


def _capacity_point(make_memory, n, k, cue_noise, alphabet, probes, max_sweeps, ss, sparsity=0.5, cue_mode="flip"):
    rng = np.random.default_rng(ss)
    pats = random_patterns(k, n, alphabet, sparsity, seed=rng)
    mem = make_memory()
    mem.store(pats)
    idx = np.arange(k) if probes is None or probes >= k else rng.choice(k, probes, replace=False)
    cues = np.array([corrupt(pats[i], cue_noise, cue_mode, alphabet, rng) for i in idx])
    states = recall_batch(mem, cues, seed=rng, max_sweeps=max_sweeps)
    vals = np.array([_overlap(s, pats[i], alphabet) for s, i in zip(states, idx)])
    return float(vals.mean()), float(np.mean(vals > 1 - 1e-12))


@dataclass
class MultitaskResult:
    """Absolute overlaps of the retrieved state with every stored pattern, sorted descending, per trial."""

    overlaps: np.ndarray       # (trials, K), each row sorted descending
    mean: np.ndarray           # (K,)


def multitask_overlaps(make_memory, n, k, dilution, trials=1, seed=0, max_sweeps=100) -> MultitaskResult:
    """Parallel (multitask) retrieval with diluted patterns.

    Per trial: K patterns with a fraction ``dilution`` of zeros, stored in a fresh
    memory, recalled from the first pattern (its blank entries are unknown bits);
    the overlaps m_mu = (1/N) sum_i xi_i^mu s_i of the final state with all K
    patterns, sorted.  Compare with
    :func:`neuromem.theory.hopfield.hierarchical_overlaps`.
    """
    k = check_int("multitask_overlaps", "k", k, low=1)
    trials = check_int("multitask_overlaps", "trials", trials, low=1)
    rng = generator("multitask_overlaps", seed)
    rows = []
    for _ in range(trials):
        pats = random_patterns(k, n, "bipolar", dilution=dilution, seed=rng)
        mem = make_memory()
        mem.store(pats)
        res = mem.recall(pats[0], max_sweeps=max_sweeps, seed=rng)
        rows.append(np.sort(np.abs(pats @ res.state / n))[::-1])  # -xi is as much a memory as xi
    ov = np.array(rows)
    return MultitaskResult(ov, ov.mean(axis=0))


@dataclass
class SequenceResult:
    """Prediction accuracy per presentation of the whole set of sequences."""

    accuracy: np.ndarray       # (presentations,)


def sequence_prediction(learner, sequences, presentations, learn=True, seed=0) -> SequenceResult:
    """Present every sequence ``presentations`` times (a fresh random order each time) and score predictions.

    ``learner.present(sequence, learn) -> list of sets`` gives, after each element, the set
    of symbols it predicts next.  A step counts as correct when that set is exactly the
    true next symbol; the prediction after the first element is not scored (after a
    reset nothing tells which sequence has started).  Accuracy is scored online, before
    the learner sees the next element, as in Hawkins & Ahmad (2016).
    """
    presentations = check_int("sequence_prediction", "presentations", presentations, low=1)
    if not sequences or any(len(s) < 3 for s in sequences):
        raise fail("sequence_prediction", "sequences", sequences, "expected sequences of at least 3 symbols")
    rng = generator("sequence_prediction", seed)
    acc = []
    for _ in range(presentations):
        right = total = 0
        for i in rng.permutation(len(sequences)):
            seq = sequences[i]
            predicted = learner.present(seq, learn=learn)
            for k in range(1, len(seq) - 1):
                right += predicted[k] == {seq[k + 1]}
                total += 1
        acc.append(right / total)
    return SequenceResult(np.array(acc))


def first_order_limit(sequences) -> float:
    """Best accuracy of any first-order predictor on ``sequence_prediction``'s scored steps.

    A step is predictable from the current symbol alone only if that symbol has a single
    successor over all sequences.
    """
    successors: dict = {}
    for seq in sequences:
        for a, b in zip(seq[:-1], seq[1:]):
            successors.setdefault(a, set()).add(b)
    steps = [(seq[k], seq[k + 1]) for seq in sequences for k in range(1, len(seq) - 1)]
    return sum(len(successors[a]) == 1 for a, _ in steps) / len(steps)


@dataclass
class ContinualResult:
    """``matrix[i, j]`` = accuracy on task j after training on tasks 0..i (Lopez-Paz & Ranzato 2017)."""

    matrix: np.ndarray

    @property
    def accuracy(self) -> float:
        """ACC: mean final accuracy over tasks."""
        return float(self.matrix[-1].mean())

    @property
    def backward_transfer(self) -> float:
        """BWT = mean_j (a_{T,j} - a_{j,j}) over all tasks but the last (negative = forgetting)."""
        t = self.matrix.shape[0]
        return float(np.mean([self.matrix[-1, j] - self.matrix[j, j] for j in range(t - 1)])) if t > 1 else 0.0


def continual_learning(learner, tasks) -> ContinualResult:
    """Train ``learner.learn_task(x, y)`` on each task in turn; after each, test ``learner.evaluate(x, y)`` on all.

    ``tasks`` holds objects with ``x_train, y_train, x_test, y_test``; the learner is not
    told which task it is tested on.
    """
    if not len(tasks):
        raise fail("continual_learning", "tasks", tasks, "expected at least one task")
    rows = []
    for task in tasks:
        learner.learn_task(task.x_train, task.y_train)
        rows.append([learner.evaluate(t.x_test, t.y_test) for t in tasks])
    return ContinualResult(np.array(rows))
