"""Active-dendrite experiments: the segment theory beside simulation, sequence memory, continual learning."""
from __future__ import annotations

import numpy as np

from .._checks import fail
from ..core.kernels import dendrites as dk
from ..models.dendrites import ActiveDendritesNetwork, FirstOrderSequenceMemory, SegmentMemory, SequenceMemory
from ..theory import dendrites as td
from . import protocols as P
from .datasets import permuted_digits


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
    3. Union property: one :class:`SegmentMemory` stores M patterns; its false positive rate
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
            res.append(P.recognition(SegmentMemory(union_n, union_s, union_theta, seed=rng), pats[:m], pats[m:],
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


def continual_digits(tasks=10, hidden=(512, 512), active_fraction=0.2, segments=None, epochs=3, batch=32,
                     learning_rate=1e-3, dendrite_scale=3.0, test_fraction=0.3, variants=tuple(VARIANTS),
                     seed=1) -> dict:
    """Permuted sklearn digits, ``tasks`` tasks in sequence; final accuracy per task for each network variant.

    The same data, order and optimiser for every variant (Iyer et al. 2022, permuted MNIST
    protocol on the 8x8 digits); contexts are inferred from the nearest prototype at test.
    """
    data = permuted_digits(tasks, test_fraction=test_fraction, seed=seed)
    out = {"tasks": tasks, "variants": list(variants), "matrix": {}, "final": {}, "mean": {}, "context_accuracy": {}}
    for name in variants:
        if name not in VARIANTS:
            raise fail("continual_digits", "variants", name, f"expected names from {list(VARIANTS)}")
        net = ActiveDendritesNetwork(64, 10, hidden=hidden, segments=segments or tasks,
                                     active_fraction=active_fraction, epochs=epochs, batch=batch,
                                     learning_rate=learning_rate, dendrite_scale=dendrite_scale, seed=seed,
                                     **VARIANTS[name])
        res = P.continual_learning(net, data)
        out["matrix"][name] = res.matrix
        out["final"][name] = res.matrix[-1]
        out["mean"][name] = res.accuracy
        out["context_accuracy"][name] = float(np.mean([np.mean(net.infer_context(t.x_test) == i)
                                                       for i, t in enumerate(data)]))
    return out
