"""Sparsey benchmark: the Numba Code Selection Algorithm beside the same algorithm in NumPy.

One mac (Q = 24, K = 8) over 1024 binary inputs with 5% active, learning a stream of
inputs with argmax winners (deterministic, so both versions must produce the same codes
and weights); and the per-image learning time of a two-level hierarchy at MNIST size.
"""
from __future__ import annotations

import time

from . import register
import numpy as np

from ..models.sparsey import _kernels as spk


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
    args = (1, 0.1, 2.0, 100.0, 28.0, 1.0, 5 / 28, 0.95, 0.3, 1.0, True, True)
    spk.csa(frames_idx[0], w_nb.copy(), np.zeros(q * k, dtype=np.int64), q, k, *args, state, win, v)  # JIT
    cell_set = np.zeros(q * k, dtype=np.int64)
    codes_nb, codes_np = [], []
    t0 = time.perf_counter()
    for a in frames_idx:
        spk.csa(a, w_nb, cell_set, q, k, *args, state, win, v)
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


#: a two-level hierarchy on 28 x 28 images (MNIST's size) with 4 edge orientations per pixel:
#: 7 x 7 level-1 macs over 8 x 8-pixel receptive fields, one level-2 mac over all of them
MNIST_SIZE_LEVELS = ({"grid": (7, 7), "rf": (8, 32), "Q": 9, "K": 16}, {"grid": (1, 1), "Q": 24, "K": 128})

#: Rinkus (arXiv 1710.07829): about 0.1 s to learn one MNIST image on one thread
PAPER_S_PER_IMAGE = 0.1


def bench_hierarchy(images=300, seed=1) -> dict:
    """Learning time per image of a two-level hierarchy at MNIST's input size.

    MNIST cannot be downloaded here, so the images are sklearn's digits enlarged to 28 x 28
    (scipy.ndimage.zoom, so strokes cover MNIST-like areas), as binary edge features.
    """
    from scipy.ndimage import zoom

    from ..studies.datasets import digits
    from ..studies.sparsey import edge_features
    from ..models.sparsey import Sparsey
    x, _ = digits()
    big = np.clip(zoom(x[:images].reshape(-1, 8, 8), (1, 3.5, 3.5), order=1), 0, 16) * 16.0
    feats = edge_features(big, (28, 28), threshold=16.0)  # zoom spreads a stroke edge over 3.5 pixels
    model = Sparsey((28, 28 * 4), levels=MNIST_SIZE_LEVELS, seed=seed)
    model.present(feats[0], learn=False)        # JIT load outside the timing
    times = []
    for f in feats:
        t0 = time.perf_counter()
        model.reset()
        model.present(f, learn=True, retrieve=False)
        times.append(time.perf_counter() - t0)
    per = float(np.median(times))
    return {"name": "sparsey_hierarchy", "images": images, "levels": [dict(lv) for lv in MNIST_SIZE_LEVELS],
            "active_features_mean": float(feats.reshape(images, -1).sum(1).mean()),
            "s_per_image": per, "paper_s_per_image": PAPER_S_PER_IMAGE, "ratio": PAPER_S_PER_IMAGE / per}


def report_hierarchy(r) -> None:
    print(f"Sparsey hierarchy at MNIST size ({r['images']} images, {r['active_features_mean']:.0f} active "
          f"features each): {r['s_per_image'] * 1e3:.2f} ms per image learned; the paper's 0.1 s is "
          f"{r['ratio']:.0f}x that")


@register('sparsey', "the Code Selection Algorithm beside NumPy; a two-level hierarchy's learning time per image")
def run(args) -> list[dict]:
    """``neuromem bench --only sparsey``."""
    r = bench_csa()
    report(r)
    h = bench_hierarchy()
    report_hierarchy(h)
    return [r, h]
