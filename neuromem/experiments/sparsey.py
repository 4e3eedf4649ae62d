"""Sparsey experiments: similarity preservation of the Code Selection Algorithm."""
from __future__ import annotations

import numpy as np

from .._checks import check_int, fail
from ..models.sparsey import Mac


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
