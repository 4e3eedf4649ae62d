"""Hopfield benchmarks: neuromem kernels beside plain NumPy, in one process, same machine.

(a) one asynchronous sweep of the dense network (N = 100, K = 1000, n = 3): the
    Numba kernel that keeps the K overlaps vs. NumPy recomputing X s at each
    neuron update (same visiting order, so both must end in the same state);
(b) modern batched retrieval (K = 10^4, d = 64, 1000 queries): ModernHopfield.retrieve
    vs. the bare NumPy matrix products it needs (Q X^T and P X);
(c) a dense capacity sweep serially and on a two-process pool (same numbers).
"""
from __future__ import annotations

import functools
import time
from concurrent.futures import ProcessPoolExecutor

from . import register
import numpy as np

from ..models.hopfield import _kernels as hk
from ..studies.protocols import capacity_sweep, random_patterns
from ..models.hopfield import DenseHopfield, ModernHopfield


def numpy_dense_sweep(patterns, s, order, degree):
    """One asynchronous sweep, recomputing the overlaps m = X s before each neuron update (F = x^n)."""
    for i in order:
        m = patterns @ s
        x = patterns[:, i]
        a = m - x * s[i]
        drive = np.sum((a + x) ** degree - (a - x) ** degree)
        if drive != 0:
            s[i] = 1.0 if drive > 0 else -1.0
    return s


def best_of(fn, repeats):
    """Smallest wall time of ``repeats`` calls (s)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_dense_sweep(n=100, k=1000, degree=3, sweeps=20, seed=1) -> dict:
    rng = np.random.default_rng(seed)
    x = random_patterns(k, n, seed=rng)
    mem = DenseHopfield(energy="poly", degree=degree)
    mem.store(x)
    starts = np.where(rng.random((sweeps, n)) < 0.5, 1.0, -1.0)
    seeds = rng.integers(0, 2**63, size=sweeps, dtype=np.uint64)
    trace = np.zeros(1)
    # the kernel's first-sweep order, reproduced for the NumPy version
    orders = []
    for sd in seeds:
        o = np.arange(n)
        hk.shuffle(o, np.array([sd], dtype=np.uint64))
        orders.append(o)

    def run_kernel():
        out = starts.copy()
        for b in range(sweeps):
            hk.dense_async(mem._xt, mem.row_weight, out[b], np.array([seeds[b]], dtype=np.uint64), 1, hk.POLY,
                           degree, True, trace)
        return out

    def run_numpy():
        out = starts.copy()
        for b in range(sweeps):
            numpy_dense_sweep(x, out[b], orders[b], degree)
        return out

    run_kernel()  # load the kernels
    same = bool(np.array_equal(run_kernel(), run_numpy()))
    t_kernel = best_of(run_kernel, 5) / sweeps
    t_numpy = best_of(run_numpy, 2) / sweeps
    return {"name": "dense_sweep", "n": n, "k": k, "degree": degree, "neuromem_s_per_sweep": t_kernel,
            "numpy_s_per_sweep": t_numpy, "ratio": t_numpy / t_kernel, "same_states": same, "target": 10.0}


def bench_modern(k=10000, d=64, queries=1000, beta=2.0, seed=1) -> dict:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (k, d))
    q = x[rng.choice(k, queries, replace=False)].copy()
    q[:, d // 2:] = 0.0
    mem = ModernHopfield(beta=beta)
    mem.store(x)
    mem.retrieve(q)  # load the kernels
    probs = np.full((queries, k), 1.0 / k)

    def bare():
        _ = q @ x.T
        _ = probs @ x

    full = q @ x.T
    full = np.exp(beta * (full - full.max(1, keepdims=True)))
    reference = (full / full.sum(1, keepdims=True)) @ x
    err = float(np.abs(mem.retrieve(q) - reference).max())
    t_ours = best_of(lambda: mem.retrieve(q), 7)
    t_bare = best_of(bare, 7)
    return {"name": "modern_batched", "k": k, "d": d, "queries": queries, "beta": beta,
            "neuromem_s": t_ours, "bare_products_s": t_bare, "neuromem_queries_per_s": queries / t_ours,
            "bare_queries_per_s": queries / t_bare, "throughput_ratio": t_bare / t_ours,
            "max_abs_diff_vs_full_softmax": err, "target": 0.5}


def bench_capacity_parallel(workers=2, seed=1) -> dict:
    make = functools.partial(DenseHopfield, energy="poly", degree=3)
    loads = [100, 200, 300, 400, 500, 600]
    kw = dict(n=100, loads=loads, cue_noise=0.1, trials=4, probes=100, seed=seed)
    capacity_sweep(make, 100, [10], cue_noise=0.1, probes=2)  # load the kernels
    t0 = time.perf_counter()
    serial = capacity_sweep(make, **kw)
    t_serial = time.perf_counter() - t0
    with ProcessPoolExecutor(workers) as ex:
        list(ex.map(abs, range(workers)))  # start the workers
        t0 = time.perf_counter()
        par = capacity_sweep(make, executor=ex, **kw)
        t_par = time.perf_counter() - t0
    return {"name": "capacity_sweep_parallel", "workers": workers, "serial_s": t_serial, "parallel_s": t_par,
            "speedup": t_serial / t_par, "same_result": bool(np.array_equal(serial.exact, par.exact))}


def run_all() -> list[dict]:
    # beta = 2 keeps every softmax term (dense path), beta = 8 drops most (sparse path)
    return [bench_dense_sweep(), bench_modern(beta=2.0), bench_modern(beta=8.0), bench_capacity_parallel()]


def report(results) -> None:
    for r in results:
        if r["name"] == "dense_sweep":
            print(f"\ndense sweep N = {r['n']}, K = {r['k']}, n = {r['degree']}: neuromem "
                  f"{r['neuromem_s_per_sweep'] * 1e3:.3f} ms/sweep, NumPy (recompute overlaps) "
                  f"{r['numpy_s_per_sweep'] * 1e3:.2f} ms/sweep, ratio {r['ratio']:.1f}x "
                  f"(target >= {r['target']}x: {'met' if r['ratio'] >= r['target'] else 'NOT met'}); "
                  f"same states: {r['same_states']}")
        elif r["name"] == "modern_batched":
            print(f"modern retrieval K = {r['k']}, d = {r['d']}, {r['queries']} queries, beta = {r['beta']}: neuromem "
                  f"{r['neuromem_queries_per_s']:.0f} queries/s, bare NumPy products {r['bare_queries_per_s']:.0f}"
                  f" queries/s, throughput ratio {r['throughput_ratio']:.2f} (target >= {r['target']}: "
                  f"{'met' if r['throughput_ratio'] >= r['target'] else 'NOT met'}); max |diff| vs full softmax "
                  f"{r['max_abs_diff_vs_full_softmax']:.1e}")
        else:
            print(f"capacity sweep: serial {r['serial_s']:.2f} s, {r['workers']} processes {r['parallel_s']:.2f} s,"
                  f" speed-up {r['speedup']:.2f}x, same result: {r['same_result']}")


@register('hopfield', 'Hopfield kernels beside NumPy: dense sweep, modern batched retrieval, parallel capacity sweep')
def run(args) -> list[dict]:
    """``neuromem bench --only hopfield``."""
    results = run_all()
    report(results)
    return results
