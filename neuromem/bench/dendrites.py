"""Dendritic-segment benchmark: segment activation, Numba kernels beside a NumPy-vectorised version.

10^5 segments of 32 synapses over 10^4 cells with 2% active, per step: NumPy
``active[synapses].sum(1) >= theta``; the Numba gather kernel (parallel over
segments); and the event-driven kernel that visits only the active cells'
segments.  All three must give the same active segments.
"""
from __future__ import annotations

from . import register
import numpy as np

from .hopfield import best_of
from ..models.dendrites import _segments as dk


def bench_segment_activation(segments=100_000, synapses=32, cells=10_000, active_fraction=0.02, theta=13,
                             steps=20, seed=1) -> dict:
    rng = np.random.default_rng(seed)
    syn = rng.integers(0, cells, (segments, synapses))
    ptr, seg = dk.cell_index(syn, cells)
    patterns = [np.sort(rng.choice(cells, int(active_fraction * cells), replace=False)) for _ in range(steps)]
    masks = []
    for p in patterns:
        m = np.zeros(cells, dtype=np.bool_)
        m[p] = True
        masks.append(m)
    out = np.zeros(segments, dtype=np.int64)

    def numpy_version():
        return [m[syn].sum(axis=1) >= theta for m in masks]

    def gather():
        res = []
        for m in masks:
            dk.segment_overlaps_gather(syn, m, out)
            res.append(out >= theta)
        return res

    def events():
        res = []
        for p in patterns:
            dk.segment_overlaps_events(p, ptr, seg, out)
            res.append(out >= theta)
        return res

    ref = numpy_version()
    same = all(np.array_equal(a, b) for a, b in zip(ref, gather())) and \
        all(np.array_equal(a, b) for a, b in zip(ref, events()))
    t_np, t_g, t_e = (best_of(f, 5) / steps for f in (numpy_version, gather, events))
    return {"name": "segment_activation", "segments": segments, "synapses": synapses, "cells": cells,
            "active_fraction": active_fraction, "numpy_s_per_step": t_np, "numba_gather_s_per_step": t_g,
            "numba_events_s_per_step": t_e, "ratio_gather": t_np / t_g, "ratio_events": t_np / t_e,
            "same_segments": bool(same), "target": 5.0}


def report(r) -> None:
    print(f"\nsegment activation ({r['segments']} segments x {r['synapses']} synapses, {r['cells']} cells, "
          f"{r['active_fraction']:.0%} active): NumPy {r['numpy_s_per_step'] * 1e3:.3f} ms/step, Numba gather "
          f"{r['numba_gather_s_per_step'] * 1e3:.3f} ms ({r['ratio_gather']:.1f}x), Numba event-driven "
          f"{r['numba_events_s_per_step'] * 1e3:.3f} ms ({r['ratio_events']:.1f}x; target >= {r['target']}x: "
          f"{'met' if r['ratio_events'] >= r['target'] else 'NOT met'}); same segments: {r['same_segments']}")


@register('dendrites', 'dendritic segment activation beside NumPy')
def run(args) -> list[dict]:
    """``neuromem bench --only dendrites``."""
    r = bench_segment_activation()
    report(r)
    return [r]
