"""Sparsey benchmark: the Numba Code Selection Algorithm beside the same algorithm in NumPy.

One mac (Q = 24, K = 8) over 1024 binary inputs with 5% active, learning a stream of
inputs with argmax winners (deterministic, so both versions must produce the same codes
and weights).  The hierarchy's per-image timing comes with part 2.
"""
from __future__ import annotations

import time

import numpy as np

from .core.kernels import sparsey as spk


def numpy_csa(active, weights, q, k, w_max, g_minus, gamma, chi, learn):
    """CSA steps 2-5 and 9 with NumPy: V, G, eta, argmax winners, single-trial learning."""
    v = np.minimum(weights[active].sum(axis=0, dtype=np.float64) / (active.size * w_max), 1.0).reshape(q, k)
    g = float(v.max(axis=1).mean())
    eta = 1.0 + max(0.0, (g - g_minus) / (1 - g_minus)) ** gamma * chi * k
    winners = np.argmax(v, axis=1)
    if learn:
        weights[np.ix_(active, np.arange(q) * k + winners)] = w_max
    return winners, g, eta


def bench_csa(inputs=1024, q=24, k=8, active_fraction=0.05, frames=300, seed=1) -> dict:
    rng = np.random.default_rng(seed)
    frames_idx = [np.sort(rng.choice(inputs, int(active_fraction * inputs), replace=False)) for _ in range(frames)]
    w_nb = np.zeros((inputs, q * k), dtype=np.uint8)
    w_np = w_nb.copy()
    v = np.zeros(q * k)
    state = np.array([seed], dtype=np.uint64)
    win = np.zeros(q, dtype=np.int64)
    spk.csa(frames_idx[0], w_nb.copy(), q, k, 1, 0.1, 2.0, 100.0, 4.0, 1.0, 0.5, True, True, state, win, v)  # JIT
    codes_nb, codes_np = [], []
    t0 = time.perf_counter()
    for a in frames_idx:
        spk.csa(a, w_nb, q, k, 1, 0.1, 2.0, 100.0, 4.0, 1.0, 0.5, True, True, state, win, v)
        codes_nb.append(win.copy())
    t_nb = (time.perf_counter() - t0) / frames
    t0 = time.perf_counter()
    for a in frames_idx:
        codes_np.append(numpy_csa(a, w_np, q, k, 1, 0.1, 2.0, 100.0, True)[0])
    t_np = (time.perf_counter() - t0) / frames
    same = bool(np.array_equal(w_nb, w_np) and all(np.array_equal(x, y) for x, y in zip(codes_nb, codes_np)))
    return {"name": "sparsey_csa", "inputs": inputs, "Q": q, "K": k, "active_fraction": active_fraction,
            "numba_s_per_frame": t_nb, "numpy_s_per_frame": t_np, "ratio": t_np / t_nb, "same_codes": same}


def report(r) -> None:
    print(f"\nSparsey CSA, one mac (Q = {r['Q']}, K = {r['K']}, {r['inputs']} inputs, {r['active_fraction']:.0%} "
          f"active): Numba {r['numba_s_per_frame'] * 1e6:.1f} us/frame, NumPy {r['numpy_s_per_frame'] * 1e6:.1f} "
          f"us/frame, {r['ratio']:.1f}x; same codes and weights: {r['same_codes']}")
