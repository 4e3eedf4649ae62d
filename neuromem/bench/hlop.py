"""HLOP benchmark: a training epoch with and without projection, and the Numba kernels beside NumPy.

- Epoch time of the spiking network on a permuted-digits task, after a first task has
  filled the subspace: fine-tuning (no projection, no Hebbian learning) vs HLOP (projected
  traces plus Oja's rule on the new subspace neurons during the epoch).  Target: HLOP costs
  under 50% extra.
- The LIF step with its surrogate derivative, the trace update and Oja's subspace rule:
  Numba kernels vs the same arithmetic in NumPy, same inputs, same results.
"""
from __future__ import annotations

import time

from . import register
import numpy as np

from .._checks import single_threaded_blas
from ..models.hlop import _kernels as sk
from ..studies.datasets import permuted_digits
from ..models.hlop import ContinualSpikingNetwork


def numpy_surrogate_layer_step(u, s, current, decay, threshold, slope, surrogate):
    u[...] = decay * u * (1.0 - s) + current
    s[...] = (u >= threshold).astype(float)
    surrogate[...] = 1.0 / (1.0 + slope * np.abs(u - threshold)) ** 2


def numpy_trace_step(trace, spikes, decay):
    trace *= decay
    trace += spikes


def numpy_oja(h, x, first, rate, iterations):
    y_old = x @ h[:first].T
    for _ in range(iterations):
        yn = x @ h[first:].T
        y = np.hstack([y_old, yn])
        h[first:] += rate * (yn.T @ x - (yn.T @ y) @ h) / len(x)


#: the network and schedule of spec hlop_permuted_wide
WIDE = {"sizes": (64, 1200, 1200, 10), "encoding": "direct", "subspace": ((64, 250, 250), (0, 80, 80))}


def bench_epoch(sizes=WIDE["sizes"], encoding=WIDE["encoding"], subspace=WIDE["subspace"], task=2, repeats=7,
                seed=1) -> dict:
    """Median epoch time of fine-tuning and HLOP while learning task ``task`` (1-based), measured alternately
    so that machine noise hits both alike.

    HLOP's stored subspace is what the schedule holds by then (random orthonormal rows: the cost
    depends on their number, not their values) plus the new rows its Hebbian rule trains.
    """
    data = permuted_digits(2, seed=seed)
    x, y = data[1].x_train, data[1].y_train
    runs = {}
    rng = np.random.default_rng(seed)
    for method in ("finetune", "hlop"):
        net = ContinualSpikingNetwork(sizes, method=method, encoding=encoding, subspace=subspace, epochs=1,
                                      oja_epochs=0, seed=seed)
        net.learn_task(data[0].x_train, data[0].y_train)
        if method == "hlop":
            rows = net.subspace
            held = [sum(rows[min(t, len(rows) - 1)][l] for t in range(task - 1)) for l in range(len(sizes) - 1)]
            net.projections = [np.linalg.qr(rng.normal(size=(n, k)))[0].T if k else np.zeros((0, n))
                               for n, k in zip(sizes[:-1], held)]
            net.tasks = task - 1
            net._grow_subspace()
            old = held
        else:
            old = [0] * (len(sizes) - 1)
        runs[method] = (net, old)
    times = {m: [] for m in runs}
    with single_threaded_blas():
        for m, (net, old) in runs.items():           # warm-up
            net._train(x, y, old)
        for _ in range(repeats):
            for m, (net, old) in runs.items():
                t0 = time.perf_counter()
                net._train(x, y, old)
                times[m].append(time.perf_counter() - t0)
    med = {m: float(np.median(t)) for m, t in times.items()}
    return {"name": "hlop_epoch", "sizes": list(sizes), "encoding": encoding, "task": task,
            "subspace_rows": [int(h.shape[0]) for h in runs["hlop"][0].projections],
            "samples": int(len(x)), "repeats": repeats, "finetune_s": med["finetune"], "hlop_s": med["hlop"],
            "projection_overhead": med["hlop"] / med["finetune"] - 1.0, "target_overhead": 0.5}


def bench_kernels(batch=32, units=800, inputs=800, subspace=(200, 40), seed=1) -> dict:
    rng = np.random.default_rng(seed)
    u0, s0, cur = rng.normal(size=(batch, units)), (rng.random((batch, units)) < 0.2) * 1.0, rng.normal(size=(batch, units))
    a0, spk = rng.random((batch, units)), (rng.random((batch, units)) < 0.2) * 1.0
    h0 = np.linalg.qr(rng.normal(size=(inputs, sum(subspace))))[0].T.copy()
    x = rng.random((batch * 6, inputs))
    out = {"name": "hlop_kernels", "batch": batch, "units": units}
    reps = 20
    with single_threaded_blas():
        for name, nb, npy, args in (
                ("surrogate_layer_step", sk.surrogate_layer_step, numpy_surrogate_layer_step, lambda: (u0.copy(), s0.copy(), cur, 0.5, 1.0, 4.0,
                                                                    np.zeros_like(u0))),
                ("trace_step", sk.trace_step, numpy_trace_step, lambda: (a0.copy(), spk, 0.5)),
                ("oja_subspace", sk.oja_subspace, numpy_oja, lambda: (h0.copy(), x, subspace[0], 1e-3, 2))):
            ra, rb = args(), args()
            nb(*ra)
            npy(*rb)
            same = all(np.allclose(p, q) for p, q in zip(ra, rb) if isinstance(p, np.ndarray))

            def timed(fn):
                sets = [args() for _ in range(reps)]      # fresh inputs, prepared outside the timed loop
                t0 = time.perf_counter()
                for a in sets:
                    fn(*a)
                return (time.perf_counter() - t0) / reps
            t_nb = min(timed(nb) for _ in range(5))
            t_np = min(timed(npy) for _ in range(5))
            out[name] = {"numba_s": t_nb, "numpy_s": t_np, "ratio": t_np / t_nb, "same": bool(same)}
    return out


def run_all() -> list[dict]:
    return [bench_epoch(task=2), bench_epoch(task=10), bench_kernels()]


def report(results) -> None:
    for r in results:
        if r["name"] == "hlop_epoch":
            print(f"\nHLOP epoch, task {r['task']} ({'-'.join(map(str, r['sizes']))}, {r['encoding']} input, subspace "
                  f"rows {r['subspace_rows']}, {r['samples']} samples): fine-tuning "
                  f"{r['finetune_s']:.3f} s, HLOP {r['hlop_s']:.3f} s: projection costs "
                  f"{r['projection_overhead']:+.0%} (target < +{r['target_overhead']:.0%}: "
                  f"{'met' if r['projection_overhead'] < r['target_overhead'] else 'NOT met'})")
        else:
            print(f"HLOP kernels ({r['batch']} x {r['units']}):")
            for k in ("surrogate_layer_step", "trace_step", "oja_subspace"):
                v = r[k]
                print(f"  {k:13s} Numba {v['numba_s'] * 1e6:8.1f} us   NumPy {v['numpy_s'] * 1e6:8.1f} us   "
                      f"{v['ratio']:.2f}x   same: {v['same']}")


@register('hlop', 'an HLOP training epoch with and without projection; its kernels beside NumPy')
def run(args) -> list[dict]:
    """``neuromem bench --only hlop``."""
    results = run_all()
    report(results)
    return results
