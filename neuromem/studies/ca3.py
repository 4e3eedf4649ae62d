"""Experiments with the spiking CA3 memory (Casanueva-Morato et al. 2024).

* The paper's three experiments, replayed from the inputs of its repository and compared
  spike for spike with the SpiNNaker recordings (:func:`replay_paper`, specs
  ``ca3_paper_exp1..3``; the data in ``neuromem/data/casanueva2024``).
* neuromem's own operation lists on :class:`CA3Memory`'s timeline: a 5 x 10 memory learning,
  recalling and forgetting, a random testbench, a 16-cell robot map recalled by content (after
  the paper's applicability test, with a map of ours), a stress testbench at 1000 x 100; recall
  by content with spurious fragment bits; a side-by-side with
  :class:`~neuromem.models.hopfield.ClassicalHopfield`.

Every decoded result is checked against :class:`DictionaryMemory`, a plain Python model of what
a content-addressable memory must return.
"""
from __future__ import annotations

import csv
import time
from importlib import resources

import numpy as np

from .._checks import check_int, check_scalar, fail
from ..core import Simulator
from ..models.ca3 import (DT, PAPER_LABELS, VARIANTS, CA3Memory, Learn, OperationResult, Recall, RecallByContent,
                          build_network)
from ..random import generator
from . import register


class DictionaryMemory:
    """What the memory should return: ``{cue: content}``, overwritten by relearning."""

    def __init__(self, bits):
        self.m = bits
        self.stored: dict[int, np.ndarray] = {}

    def apply(self, op):
        """Expected ``(cues, content, pairs)`` of ``op`` (and store it, for a learn)."""
        if isinstance(op, Learn):
            self.stored[op.cue] = np.asarray(op.content, dtype=int)
            return (op.cue,), None, []
        if isinstance(op, Recall):
            return (op.cue,), self.stored.get(op.cue, np.zeros(self.m, dtype=int)), []
        frag = np.asarray(op.fragment, dtype=int)
        cues = tuple(sorted(q for q, c in self.stored.items() if (c & frag).any()))
        return cues, frag, [(q, self.stored[q]) for q in cues]


def agrees(result, expected) -> bool:
    """Whether a decoded :class:`OperationResult` matches the dictionary's answer.

    A learn is not scored (its output echoes the memory, old content included,
    while it is rewritten); a recall must give the cue and exactly the stored
    content; a recall by content exactly the cues and each one's content.
    """
    cues, content, pairs = expected
    if isinstance(result.op, Learn):
        return True
    if isinstance(result.op, Recall):
        return result.cues == cues and np.array_equal(result.content, content)
    return result.cues == cues and len(result.pairs) == len(pairs) and all(
        q == p and np.array_equal(a, b) for (q, a), (p, b) in zip(result.pairs, pairs))


def _bits(m, on):
    x = np.zeros(m, dtype=int)
    x[list(on)] = 1
    return x


def basic_operations(cues=5, bits=10) -> list:
    """Learn, recall and forget on a 5-cue x 10-bit memory: neuromem's list, after the paper's first
    experiment (whose own inputs :func:`replay_paper` replays).

    Nine operations: three memories (two orthogonal, one sharing bits with the
    first), a recall of each, relearning cue 0 (its old content is forgotten),
    and recalls of cue 0 and of an untouched cue.
    """
    if cues < 3 or bits < 10:
        raise fail("basic_operations", "cues/bits", (cues, bits), "expected at least 3 cues and 10 bits")
    a, b, c, a2 = _bits(bits, [0, 1, 2, 9]), _bits(bits, [3, 4, 5]), _bits(bits, [2, 6, 7]), _bits(bits, [3, 8])
    return [Learn(0, a), Learn(1, b), Learn(2, c), Recall(0), Recall(1), Recall(2), Learn(0, a2), Recall(0), Recall(2)]


def random_operations(cues, bits, n_ops, density=0.3, fragment_bits=(1, 2), fractions=(0.4, 0.3, 0.3),
                      seed=0) -> list:
    """``n_ops`` random learns, recalls by cue and recalls by content.

    Contents have each bit on with probability ``density`` (at least one);
    fragments are ``fragment_bits`` random bits, inside or outside stored
    contents, so contents overlap and queries hit several cues, or none.
    ``fractions`` are the shares of learn, recall and recall by content.
    """
    o = "random_operations"
    n_ops = check_int(o, "n_ops", n_ops, low=1)
    density = check_scalar(o, "density", density, low=0.0, low_open=True, high=1.0)
    p = np.asarray(fractions, dtype=float)
    if p.shape != (3,) or (p < 0).any() or not np.isclose(p.sum(), 1.0):
        raise fail(o, "fractions", fractions, "expected three non-negative shares summing to 1")
    rng = generator(o, seed)
    ops = []
    for kind in rng.choice(3, size=n_ops, p=p):
        if kind == 0:
            x = (rng.random(bits) < density).astype(int)
            if not x.any():
                x[rng.integers(bits)] = 1
            ops.append(Learn(int(rng.integers(cues)), x))
        elif kind == 1:
            ops.append(Recall(int(rng.integers(cues))))
        else:
            k = int(rng.integers(fragment_bits[0], fragment_bits[1] + 1))
            ops.append(RecallByContent(_bits(bits, rng.choice(bits, size=min(k, bits), replace=False))))
    return ops


#: the robot map: 16 cells of a 4 x 4 grid, 6 flags each
ROBOT_FLAGS = ("obstacle", "free", "visited", "goal", "charger", "start")
_ROBOT_MAP = ("S..#", ".#..", "..#C", "#..G")


def robot_map_operations() -> tuple[list, dict]:
    """A robot stores a 16-cell map (cell -> 6 flags) and asks which cells hold an obstacle, the
    goal, a charger, or the start: neuromem's map and flags, after the paper's applicability test
    (whose own map and states :func:`replay_paper` replays as experiment 3).

    Returns ``(ops, info)`` with 16 learns and 4 recalls by content; ``info``
    names the flags and gives the grid.
    """
    ops = []
    for cell, ch in enumerate("".join(_ROBOT_MAP)):
        flags = {"#": ["obstacle"], ".": ["free"], "S": ["free", "start", "visited"], "G": ["free", "goal"],
                 "C": ["free", "charger", "visited"]}[ch]
        if ch == "." and cell % 3 == 0:
            flags = ["free", "visited"]
        ops.append(Learn(cell, _bits(6, [ROBOT_FLAGS.index(f) for f in flags])))
    for query in ("obstacle", "goal", "charger", "start"):
        ops.append(RecallByContent(_bits(6, [ROBOT_FLAGS.index(query)])))
    return ops, {"flags": ROBOT_FLAGS, "grid": _ROBOT_MAP}


def run_testbench(cues, bits, ops, seed=0, record_spikes=True, variant="paper") -> dict:
    """Run ``ops`` on a fresh :class:`CA3Memory` (of ``variant``), check each against :class:`DictionaryMemory`.

    Returns the results, the expectations, per-op agreement, wall times, the
    simulated time, latencies of the output layer and (optionally) the spikes.
    """
    t0 = time.perf_counter()
    mem = CA3Memory(cues, bits, variant=variant, seed=seed)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = mem.run_operations(ops)
    t_run = time.perf_counter() - t0
    ref = DictionaryMemory(bits)
    expected = [ref.apply(r.op) for r in results]
    ok = np.array([agrees(r, e) for r, e in zip(results, expected)])
    scored = np.array([not isinstance(r.op, Learn) for r in results])
    data = {"cues": cues, "bits": bits, "results": results, "expected": expected, "agrees": ok, "scored": scored,
            "correct_fraction": float(ok[scored].mean()) if scored.any() else 1.0,
            "build_s": t_build, "run_s": t_run, "simulated_ms": mem.simulator.t,
            "n_internal": mem.n_internal, "latency": output_latency(mem)}
    if record_spikes:
        data["spikes"] = mem.spikes()
        data["populations"] = {k: p.size for k, p in mem.pops.items()}
    return data


def output_latency(mem) -> dict:
    """Median delay (ms) from an operation's first input to its cue and content at the output.

    The paper's timing: a recall shows its cue 5 time units after the input and
    the content one unit later; a learn echoes its memory after 5.
    """
    times, ids = mem.simulator.spikes(mem.pops["Output"])
    out = {"recall_cue": [], "recall_content": [], "learn": [], "content_cue": []}
    for r in mem.history:
        sel = (times >= r.start) & (times < r.stop)
        t, i = times[sel] - r.start, ids[sel]
        cue_t, cont_t = t[i < mem.c], t[i >= mem.c]
        if isinstance(r.op, Recall) and cue_t.size and cont_t.size:
            out["recall_cue"].append(cue_t.min())
            out["recall_content"].append(cont_t.min())
        elif isinstance(r.op, Learn) and t.size:
            out["learn"].append(t.min())
        elif isinstance(r.op, RecallByContent) and cue_t.size:
            out["content_cue"].append(cue_t.min())
    return {k: float(np.median(v)) if v else float("nan") for k, v in out.items()}


def describe(result, expected, ok) -> str:
    """One line: time, operation, decoded output, what the dictionary expects."""
    def show(x):      # a bit string, or the active bits' indices when the content is long
        x = np.asarray(x)
        return "".join(str(int(b)) for b in x) if x.size <= 40 else "{" + ",".join(map(str, np.flatnonzero(x))) + "}"
    op = result.op
    if isinstance(op, Learn):
        what = f"learn    cue {op.cue:3d} <- {show(op.content)}"
        got = f"output cues {list(result.cues)} content {show(result.content)}"
        return f"{result.start:7.0f} ms  {what}   {got}"
    if isinstance(op, Recall):
        what = f"recall   cue {op.cue:3d}"
        got = f"-> {show(result.content)}"
        want = f"(expected {show(expected[1])})"
    else:
        what = f"content  {show(op.fragment)}"
        pairs = result.pairs[:6]
        got = "-> " + (", ".join(f"{q}:{show(c)}" for q, c in pairs) or "no cue") + (
            f" and {len(result.pairs) - 6} more cues" if len(result.pairs) > 6 else "")
        cues = list(expected[0])
        want = f"(expected cues {cues[:12]}" + (f" and {len(cues) - 12} more)" if len(cues) > 12 else ")")
    return f"{result.start:7.0f} ms  {what}   {got}   {want}  {'ok' if ok else 'WRONG'}"


def preset_operations(preset="basic", cues=5, bits=10, n_ops=60, density=0.3, seed=1) -> tuple[list, int, int]:
    """The operations of a preset (basic, testbench, robot_map) and the memory's size: ``(ops, cues, bits)``."""
    if preset == "basic":
        return basic_operations(cues, bits), cues, bits
    if preset == "testbench":
        return random_operations(cues, bits, n_ops, density=density, seed=seed), cues, bits
    if preset == "robot_map":
        return robot_map_operations()[0], 16, 6
    raise fail("operations", "preset", preset, "expected 'basic', 'testbench' or 'robot_map'")


def operations(preset="basic", cues=5, bits=10, n_ops=60, density=0.3, seed=1, variants=("paper",)) -> dict:
    """One of neuromem's operation lists (``preset``: basic, testbench, robot_map) on each of ``variants``
    of :class:`CA3Memory`, checked against the dictionary; the first variant's run is described and drawn,
    every variant's correct fraction is measured."""
    variants = list(variants) if not isinstance(variants, str) else [variants]
    if not variants or any(v not in VARIANTS for v in variants):
        raise fail("operations", "variants", variants, f"expected a non-empty list of {sorted(VARIANTS)}")
    ops, cues, bits = preset_operations(preset, cues, bits, n_ops, density, seed)
    data = run_testbench(cues, bits, ops, seed=seed, variant=variants[0])
    data["preset"] = preset
    data["variant"] = variants[0]
    data["log"] = [f"variant {variants[0]!r}:"] + [describe(r, e, ok) for r, e, ok in
                                                    zip(data["results"], data["expected"], data["agrees"])]
    data["variants"] = {variants[0]: _score(data)}
    for v in variants[1:]:
        data["variants"][v] = _score(run_testbench(cues, bits, ops, seed=seed, record_spikes=False, variant=v))
    return data


def _score(d) -> dict:
    sc = d["scored"]
    return {"correct": int(d["agrees"][sc].sum()), "scored": int(sc.sum()), "correct_fraction": d["correct_fraction"],
            "simulated_ms": d["simulated_ms"], "wall_s": d["build_s"] + d["run_s"]}


def spurious_bits(cues=20, bits=40, density=0.1, extra=(0, 1, 2, 4, 8), trials=20, seed=0, variant="paper") -> dict:
    """Recall by content from one true bit plus ``k`` spurious bits (noise in the query).

    Stores ``cues`` random contents, then for each ``k`` queries one active bit
    of a stored content plus ``k`` bits it does not have.  Every cue sharing an
    active bit comes back, so the number of cues returned grows with ``k``;
    theory for the mean from the stored contents:
    ``1 + sum_{r != target} P(content_r meets the query)``, averaged over the
    same queries.  Also reports whether the target was always found.
    """
    rng = generator("spurious_bits", seed)
    contents = (rng.random((cues, bits)) < density).astype(int)
    for row in contents:
        if row.sum() < 2:
            row[rng.choice(bits, 2, replace=False)] = 1
    mem = CA3Memory(cues, bits, variant=variant, seed=seed)
    mem.run_operations([Learn(q, c) for q, c in enumerate(contents)])
    returned, predicted, found = [], [], []
    for k in extra:
        queries, targets = [], []
        for _ in range(trials):
            q = int(rng.integers(cues))
            frag = np.zeros(bits, dtype=int)
            frag[rng.choice(np.flatnonzero(contents[q]))] = 1
            off = np.flatnonzero(contents[q] == 0)
            frag[rng.choice(off, size=min(k, off.size), replace=False)] = 1
            queries.append(RecallByContent(frag))
            targets.append(q)
        res = mem.run_operations(queries)
        returned.append(np.mean([len(r.cues) for r in res]))
        predicted.append(np.mean([((contents & np.asarray(op.fragment)).sum(1) > 0).sum() for op in queries]))
        found.append(np.mean([t in r.cues for t, r in zip(targets, res)]))
    return {"extra": np.asarray(extra), "returned": np.asarray(returned), "predicted": np.asarray(predicted),
            "target_found": np.asarray(found), "cues": cues, "bits": bits, "density": density}


def with_hopfield(bits=40, k=5, density=0.3, levels=(0.0, 0.25, 0.5, 0.75, 0.9), trials=4, seed=0,
                  variant="paper") -> dict:
    """CA3 beside :class:`ClassicalHopfield` storing the same ``k`` contents, through
    :func:`~neuromem.studies.protocols.recall_vs_corruption` with missing bits.

    CA3 is cued with the remaining active bits (a recall by content; the state
    is the returned content overlapping the fragment most, ties to the lower
    cue); Hopfield with the bipolar pattern whose missing bits are 0.  A
    fragment with no active bit left keeps one random active bit (an empty
    fragment is an error).  ``target_returned``: how often the stored pattern
    was among the pairs a recall by content returned; it must be always, since
    a fragment of a content shares its bits.
    """
    from ..models.hopfield import ClassicalHopfield
    from .protocols import corrupt, recall_vs_corruption
    rng = generator("with_hopfield", seed)
    patterns = (rng.random((k, bits)) < density).astype(float)
    hop = recall_vs_corruption(ClassicalHopfield(bits), 2 * patterns - 1, levels, mode="missing", trials=trials,
                               seed=seed)
    mem = CA3Memory(k, bits, variant=variant, seed=seed)
    mem.store(patterns)
    ov, ex, returned = [], [], []
    for lv in levels:
        vals = []
        for _ in range(trials):
            for q, p in enumerate(patterns):
                frag = corrupt(p, lv, "missing", "binary", rng)
                if not frag.any():
                    frag[rng.choice(np.flatnonzero(p))] = 1
                res = mem.recall(frag)
                vals.append(float(np.dot(2 * res.state - 1, 2 * p - 1) / bits))
                returned.append(any(c == q and np.array_equal(v, p) for c, v in res.info["pairs"]))
        ov.append(np.mean(vals))
        ex.append(np.mean(np.asarray(vals) > 1 - 1e-12))
    return {"levels": np.asarray(levels), "ca3_overlap": np.asarray(ov), "ca3_exact": np.asarray(ex),
            "hopfield_overlap": hop.mean_overlap, "hopfield_exact": hop.exact, "bits": bits, "k": k,
            "target_returned": float(np.mean(returned))}


def noise(cues=20, bits=40, density=0.1, extra=(0, 1, 2, 4, 8), trials=20, k=5, levels=(0.0, 0.25, 0.5, 0.75, 0.9),
          seed=0, variant="paper") -> dict:
    """Beyond the paper: :func:`spurious_bits` and :func:`with_hopfield` together (spec ``ca3_noise``)."""
    return {"spurious": spurious_bits(cues, bits, density, extra, trials, seed, variant),
            "hopfield": with_hopfield(bits, k, 0.3, levels, 4, seed, variant)}


# -- the paper's experiments against the board ---------------------------------------------------

#: the paper's experiments on SpiNNaker: number -> (cues, bits, recorded ms, results folder)
PAPER_EXPERIMENTS = {1: (5, 10, 90, "1_learn_recall_by_cue_and_cont_forget"),
                     2: (5, 10, 851, "2_tb2_piramidal_sequence_cont"),
                     3: (16, 6, 140, "3_state_map_app")}
_OP_KINDS = {"learn": Learn, "recall_by_cue": Recall, "recall_by_content": RecallByContent}


def _data_rows(name):
    text = resources.files("neuromem").joinpath("data", "casanueva2024", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def board_recording(experiment) -> dict:
    """One of the paper's experiments as recorded on SpiNNaker (``neuromem/data/casanueva2024``).

    Returns ``cues``, ``bits``, ``duration`` (ms), ``input`` (spike times per input neuron),
    ``spikes`` (PyNN label -> set of ``(neuron, ms)``) and ``operations`` (``(start ms, op)``).
    """
    if experiment not in PAPER_EXPERIMENTS:
        raise fail("board_recording", "experiment", experiment, f"expected one of {sorted(PAPER_EXPERIMENTS)}")
    c, m, duration, _ = PAPER_EXPERIMENTS[experiment]
    times = [[] for _ in range(c + m)]
    for r in _data_rows(f"exp{experiment}_input.csv"):
        times[int(r["neuron"])].append(float(r["time_ms"]))
    spikes = {label: set() for label in PAPER_LABELS.values() if label != "ILayer"}
    for r in _data_rows(f"exp{experiment}_spikes.csv"):
        spikes[r["population"]].add((int(r["neuron"]), int(r["time_ms"])))
    ops = []
    for r in _data_rows(f"exp{experiment}_operations.csv"):
        kind = _OP_KINDS[r["type"]]
        bits = np.array([int(b) for b in r["content_bits"]])
        op = {Learn: lambda: Learn(int(r["cue"]), bits), Recall: lambda: Recall(int(r["cue"])),
              RecallByContent: lambda: RecallByContent(bits)}[kind]()
        ops.append((float(r["t_start_ms"]), op))
    return {"cues": c, "bits": m, "duration": float(duration), "input": times, "spikes": spikes, "operations": ops}


def decode_output(spikes, c, m, operations, duration) -> list:
    """The paper's read-out on the output layer: an operation's window runs from one ms after its
    input to one ms after the next operation's (the output is 5 to 7 hops from the input, and the
    paper's third experiment starts an operation 6 ms after the last); ``spikes`` is a set of
    ``(neuron, ms)`` of OLayer (cues ``0..c-1``, then content bits)."""
    starts = [t + 1 for t, _ in operations] + [duration]
    out = []
    for (_, op), start, stop in zip(operations, starts, starts[1:]):
        fired = np.zeros(c + m, dtype=bool)
        for n, t in spikes:
            if start <= t < stop:
                fired[n] = True
        out.append(OperationResult(op, start, stop, tuple(np.flatnonzero(fired[:c]).tolist()),
                                   fired[c:].astype(int)))
    return out


def paper_agrees(result, expected) -> bool:
    """The paper's read-out checked against the dictionary: a recall by cue shows its cue and exactly
    the stored content; a recall by content shows exactly the cues storing one of its bits (the
    output's content neurons echo the fragment); a learn is not scored."""
    cues, content, _ = expected
    if isinstance(result.op, Learn):
        return True
    if isinstance(result.op, Recall):
        return result.cues == cues and np.array_equal(result.content, content)
    return result.cues == cues


def replay_paper(experiment=1, variant="paper", seed=0) -> dict:
    """Run one of the paper's experiments with its own inputs and compare every population's spikes with
    the SpiNNaker recording.

    The network is :func:`~neuromem.models.ca3.build_network` of ``variant``; the input spikes are the
    repository's, unshifted, on the emulation (a spike at 0 ms is sent on tick 0, as on the board); the
    float ``timing="arrival"`` of the narrow variant cannot emit at 0 ms, so there every input moves one
    step later and the recording is compared one step later too.
    """
    rec = board_recording(experiment)
    c, m, duration = rec["cues"], rec["bits"], rec["duration"]
    timing = VARIANTS[variant][1]
    shift = 0.0 if timing == "spinnaker" else DT
    net, pops, _ = build_network(c, m, variant, seed)
    pops["Input"].set(spike_times=[[t + shift for t in ts] for ts in rec["input"]])
    sim = Simulator(net, dt=DT, seed=seed, timing=timing)
    t0 = time.perf_counter()
    sim.run(duration + shift)
    wall = time.perf_counter() - t0
    table, emulated = [], {}
    for label, pop in pops.items():
        if label == "Input":
            continue
        paper = PAPER_LABELS[label]
        t, i = sim.spikes(pop)
        got = set(zip(i.tolist(), (np.rint(t).astype(int) - int(shift)).tolist()))
        want = rec["spikes"][paper]
        emulated[paper] = got
        table.append({"population": paper, "board": len(want), "emulated": len(got), "matching": len(got & want),
                      "missing": sorted(want - got, key=lambda x: x[1])[:5],
                      "extra": sorted(got - want, key=lambda x: x[1])[:5]})
    expected, ref = [], DictionaryMemory(m)
    for _, op in rec["operations"]:
        expected.append(ref.apply(op))
    decoded = {}
    for who, spikes in (("board", rec["spikes"]["OLayer"]), ("emulated", emulated["OLayer"])):
        results = decode_output(spikes, c, m, rec["operations"], duration)
        decoded[who] = {"results": results, "agrees": np.array([paper_agrees(r, e) for r, e in zip(results, expected)])}
    scored = np.array([not isinstance(op, Learn) for _, op in rec["operations"]])
    log = [f"{'population':24s} {'board':>6s} {'emulated':>8s} {'matching':>8s}"]
    log += [f"{r['population']:24s} {r['board']:6d} {r['emulated']:8d} {r['matching']:8d}"
            + (f"   missing {r['missing']} extra {r['extra']}" if r["board"] != r["matching"] or
               r["emulated"] != r["matching"] else "") for r in table]
    return {"experiment": experiment, "variant": variant, "cues": c, "bits": m, "duration": duration,
            "table": table, "recording": rec, "emulated": emulated, "decoded": decoded, "expected": expected,
            "scored": scored, "wall_s": wall, "log": log}


def _measure_paper(d):
    measured = {f"matching_{r['population']}": r["matching"] for r in d["table"]}
    units = {k: "spikes" for k in measured}
    measured["spikes_differing"] = sum(r["board"] + r["emulated"] - 2 * r["matching"] for r in d["table"])
    sc = d["scored"]
    measured["recalls_right_on_board"] = int(d["decoded"]["board"]["agrees"][sc].sum())
    measured["recalls_right_emulated"] = int(d["decoded"]["emulated"]["agrees"][sc].sum())
    measured["recalls"] = int(sc.sum())
    return measured, units


def paper_replay_figure(data, path, title=""):
    """Every population: the board's spikes (open circles) and the emulation's (dots), which should coincide."""
    from ..plotting import plt, save
    order = ["CA3cueCueRecallLayer", "CA3contCueRecallLayer", "CA3contCondLayer", "CA3contCondIntLayer",
             "CA3cueContRecallLayer", "CA3contContRecallLayer", "CA3mergeCueLayer", "CA3mergeContLayer", "OLayer"]
    c, m = data["cues"], data["bits"]
    sizes = {"CA3cueCueRecallLayer": c, "CA3cueContRecallLayer": c, "CA3mergeCueLayer": c, "CA3contCondIntLayer": 1,
             "OLayer": c + m}
    size = lambda k: sizes.get(k, m)  # noqa: E731
    heights = [max(2, size(k)) for k in order]
    t_end = data["duration"]
    height = 1.2 + 0.16 * sum(heights)
    fig, axes = plt.subplots(len(order), 1, figsize=(max(9, min(30, t_end / 30)), height),
                             sharex=True, gridspec_kw={"height_ratios": heights})
    fig.subplots_adjust(top=1 - 1.0 / height, bottom=0.5 / height, hspace=0.25)
    rows = {r["population"]: r for r in data["table"]}
    for ax, name in zip(axes, order):
        board = np.array(sorted(data["recording"]["spikes"][name])).reshape(-1, 2)
        emu = np.array(sorted(data["emulated"][name])).reshape(-1, 2)
        ax.plot(board[:, 1], board[:, 0], "o", mfc="none", mec="tab:orange", ms=5, label="SpiNNaker board")
        ax.plot(emu[:, 1], emu[:, 0], ".", color="k", ms=3, label="neuromem emulation")
        r = rows[name]
        short = "output" if name == "OLayer" else name.replace("Layer", "").replace("CA3", "")
        ax.set_ylabel(f"{short}\n{r['matching']}/{r['board']}", rotation=0, ha="right", va="center", fontsize=7)
        ax.set_ylim(-0.5, size(name) - 0.5)
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=7, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, frameon=False)
    axes[-1].set_xlabel("time (ms)")
    axes[-1].set_xlim(-1, t_end)
    fig.suptitle((title or f"CA3 experiment {data['experiment']}: board recording and emulation")
                 + "\n(label: spikes matched / spikes the board recorded)", fontsize=9)
    return save(fig, path)


# -- measures and figures ----------------------------------------------------------------------

_OP_COLORS = {"Learn": "tab:green", "Recall": "tab:blue", "RecallByContent": "tab:orange"}

def _measure_ca3(d):
    lat = d["latency"]
    measured, units = {}, {}
    for v, score in d["variants"].items():
        measured[f"correct_fraction_{v}"] = score["correct_fraction"]
        measured[f"recalls_right_{v}"] = score["correct"]
    measured.update({"recalls": d["variants"][d["variant"]]["scored"], "operations": len(d["results"]),
                     "internal_neurons": d["n_internal"]})
    for key, name in (("recall_cue", "recall_cue_latency_ms"), ("recall_content", "recall_content_latency_ms"),
                      ("learn", "learn_echo_latency_ms"), ("content_cue", "content_recall_latency_ms")):
        if lat[key] == lat[key]:  # not NaN: the preset has such operations
            measured[name], units[name] = lat[key], "ms"
    measured["operations_per_s"] = len(d["results"]) / (d["build_s"] + d["run_s"])
    units["operations_per_s"] = "1/s"
    return measured, units

_ORDER = ["Input", "CueCue", "ContCue", "ContCond", "CondInt", "CueCont", "ContCont", "MergeCue", "MergeCont", "Output"]
#: what each population does (the figure's legend)
_ROLES = {"Input": "cue and content inputs", "CueCue": "cue layer", "ContCue": "content recalled by a cue",
          "ContCond": "content gate", "CondInt": "gate opener", "CueCont": "cue recalled by content",
          "ContCont": "content passing the gate", "MergeCue": "cue to output", "MergeCont": "content to output",
          "Output": "cues, then content bits"}


def _decoded_matrix(results, expected, agrees, kind, width):
    """Rows of one kind of operation: 1 right, 2 expected but missing, 3 shown but not expected."""
    rows, labels = [], []
    for r, e, ok in zip(results, expected, agrees):
        if not isinstance(r.op, kind):
            continue
        if kind is Recall:
            got, want = np.asarray(r.content, bool), np.asarray(e[1], bool)
            labels.append(f"{r.start:g} ms: cue {r.op.cue}")
        else:
            got, want = np.zeros(width, bool), np.zeros(width, bool)
            got[list(r.cues)] = True
            want[list(e[0])] = True
            labels.append(f"{r.start:g} ms")
        rows.append(np.where(got & want, 1, np.where(want & ~got, 2, np.where(got & ~want, 3, 0))))
    return np.array(rows), labels


def ca3_operations_figure(data, path, title="", window=None, shown=30):
    """Any length of run at a glance: (a) the operation timeline, kind by row, wrong results in red;
    (b) the content decoded at each recall by cue and (c) the cues found at each recall by content,
    against the dictionary (black right, red missing, orange extra; the first ``shown`` of each);
    (d) a zoom on every population's spikes over ``window`` ms (default: the first operations)."""
    from matplotlib.colors import ListedColormap

    from ..plotting import plt, save
    results, expected, agrees = data["results"], data["expected"], data["agrees"]
    c, m = data["cues"], data["bits"]
    fig = plt.figure(figsize=(12, 10))
    grid = fig.add_gridspec(4, 2, height_ratios=[0.8, 2.2, 2.2, 3.0], hspace=0.55, wspace=0.25)
    ax = fig.add_subplot(grid[0, :])
    kinds = [("Learn", Learn), ("Recall", Recall), ("RecallByContent", RecallByContent)]
    for y, (name, kind) in enumerate(kinds):
        t = [r.start for r in results if isinstance(r.op, kind)]
        bad = [r.start for r, ok in zip(results, agrees) if isinstance(r.op, kind) and not ok]
        ax.plot(t, [y] * len(t), "|", color=_OP_COLORS[name], ms=10)
        ax.plot(bad, [y] * len(bad), "x", color="tab:red", ms=6)
    ax.set_yticks(range(3), ["learn", "recall by cue", "recall by content"], fontsize=8)
    ax.set_ylim(-0.7, 2.7)
    ax.set_xlabel("time (ms)", fontsize=8)
    ax.set_title("(a) operations on the memory's timeline (red x: wrong against the dictionary)", fontsize=9)
    cmap = ListedColormap(["white", "black", "tab:red", "tab:orange"])
    for col, (kind, width, what) in enumerate(((Recall, m, "content bits"), (RecallByContent, c, "cues"))):
        axm = fig.add_subplot(grid[1:3, col])
        mat, labels = _decoded_matrix(results, expected, agrees, kind, width)
        letter = "b" if kind is Recall else "c"
        name = "recall by cue: content" if kind is Recall else "recall by content: cues found"
        axm.set_title(f"({letter}) {name} (black right, red missing, orange extra)", fontsize=9)
        if not len(mat):
            axm.text(0.5, 0.5, "none in this run", ha="center", va="center", transform=axm.transAxes)
            axm.set_axis_off()
            continue
        wrong = np.flatnonzero((mat >= 2).any(axis=1))
        keep = np.sort(np.concatenate((wrong[:shown], np.flatnonzero((mat < 2).all(axis=1))))[:shown]) \
            if len(wrong) < shown else wrong[:shown]
        keep = np.sort(keep)
        mat, labels = mat[keep], [labels[k] for k in keep]
        columns = np.arange(width)
        if width > 60:       # only the columns where something is shown or expected
            columns = np.flatnonzero(mat.any(axis=0))
            mat = mat[:, columns]
        axm.imshow(mat, aspect="auto", cmap=cmap, vmin=0, vmax=3, interpolation="nearest")
        axm.set_yticks(range(len(labels)), labels, fontsize=6 if len(labels) > 15 else 8)
        if width > 60:
            step = max(1, len(columns) // 20)
            axm.set_xticks(range(0, len(columns), step), [str(x) for x in columns[::step]], rotation=90)
            what += " (those shown or expected)"
        axm.set_xlabel(what + (f"; the {len(labels)} shown: wrong ones first" if len(wrong) else ""), fontsize=8)
        axm.tick_params(axis="x", labelsize=7)
    axz = fig.add_subplot(grid[3, :])
    if window is None:
        end = results[min(len(results), 4) - 1].stop if results else 50.0
        window = (results[0].start - 1 if results else 0.0, end)
    spikes, sizes = data["spikes"], data["populations"]
    for k, name in enumerate(_ORDER):       # one band per population, its neurons spread over the band
        t, i = spikes[name]
        sel = (t >= window[0]) & (t <= window[1])
        axz.plot(t[sel], k + 0.1 + 0.8 * (i[sel] + 0.5) / sizes[name], "|", ms=4, color=f"C{k}")
    axz.set_ylim(0, len(_ORDER))
    ticks = [(k + 0.5, f"{name} ({_ROLES[name]})") for k, name in enumerate(_ORDER)]
    for r in results:
        if window[0] <= r.start <= window[1]:
            axz.axvspan(r.start, min(r.stop, window[1]), color=_OP_COLORS[type(r.op).__name__], alpha=0.08, lw=0)
    axz.set_yticks([p for p, _ in ticks], [lab for _, lab in ticks], fontsize=6)
    axz.set_xlim(*window)
    axz.set_xlabel("time (ms)", fontsize=8)
    axz.set_title(f"(d) spikes of every population, {window[0]:g} to {window[1]:g} ms", fontsize=9)
    n_ok = int(agrees[data["scored"]].sum())
    fig.suptitle(f"{title or 'CA3 content-addressable memory'}\nvariant {data.get('variant', 'paper')!r}: {n_ok}/"
                 f"{int(data['scored'].sum())} recalls agree with the dictionary model", fontsize=10)
    return save(fig, path)


def ca3_raster_figure(data, path, title="", t_max=400.0):
    """One raster panel per CA3 population, operation windows shaded by kind
    (learn green, recall blue, recall by content orange) and labelled; wrong
    results (against the dictionary model) are marked in red.  Long runs show
    their first ``t_max`` ms."""
    from ..plotting import plt, save
    spikes, sizes = data["spikes"], data["populations"]
    order = ["Input", "CueCue", "ContCue", "ContCond", "CondInt", "CueCont", "ContCont", "MergeCue", "MergeCont",
             "Output"]
    t_end = min(t_max or np.inf, max(r.stop for r in data["results"]))
    heights = [max(2, min(sizes[k], 20)) for k in order]
    fig, axes = plt.subplots(len(order), 1, figsize=(max(10, min(40, t_end / 12)), 1.2 + 0.18 * sum(heights)),
                             sharex=True, gridspec_kw={"height_ratios": heights})
    for ax, name in zip(axes, order):
        t, i = spikes[name]
        sel = t <= t_end
        ax.plot(t[sel], i[sel], "|", ms=4 if sizes[name] <= 40 else 2, color="k")
        for r, ok in zip(data["results"], data["agrees"]):
            if r.start <= t_end:
                ax.axvspan(r.start, r.stop, color=_OP_COLORS[type(r.op).__name__], alpha=0.12 if ok else 0.0, lw=0)
                if not ok:
                    ax.axvspan(r.start, r.stop, color="tab:red", alpha=0.3, lw=0)
                ax.axvline(r.start, color="0.6", lw=0.5)
        ax.set_ylim(-0.5, sizes[name] - 0.5)
        ax.set_ylabel(name, rotation=0, ha="right", va="center", fontsize=8)
        ax.tick_params(labelsize=7)
    top = axes[0]
    for r in data["results"]:
        if r.start <= t_end:
            op = r.op
            tag = {"Learn": lambda: f"L{op.cue}", "Recall": lambda: f"R{op.cue}",
                   "RecallByContent": lambda: "C"}[type(op).__name__]()
            top.text((r.start + r.stop) / 2, sizes["Input"] - 0.5, tag, ha="center", va="bottom", fontsize=7)
    axes[-1].set_xlabel("time (ms)")
    axes[-1].set_xlim(0, t_end)
    n_ok = int(data["agrees"][data["scored"]].sum())
    fig.suptitle(f"{title or 'CA3 content-addressable memory'}\nvariant {data.get('variant', 'paper')!r}: {n_ok}/"
                 f"{int(data['scored'].sum())} recalls agree with the dictionary model (green learn, blue recall, "
                 "orange recall by content, red wrong)", fontsize=10)
    return save(fig, path)

def _measure_ca3_noise(d):
    s, h = d["spurious"], d["hopfield"]
    return ({"cues_returned_minus_predicted_max": float(np.max(np.abs(s["returned"] - s["predicted"]))),
             "target_found": float(s["target_found"].min()),
             "ca3_target_returned": h["target_returned"],
             "ca3_overlap_at_most_missing": float(h["ca3_overlap"][-1]),
             "hopfield_overlap_at_most_missing": float(h["hopfield_overlap"][-1])}, {})

def ca3_noise_figure(data, path, title=""):
    """Cues returned by a recall by content vs spurious fragment bits, with the
    count predicted from the stored contents; and CA3 beside ClassicalHopfield."""
    from ..plotting import plt, save
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    s = data["spurious"]
    axes[0].plot(s["extra"], s["returned"], "o-", label="CA3 (spiking)")
    axes[0].plot(s["extra"], s["predicted"], "k--", label="cues sharing a bit (from stored contents)")
    axes[0].set_xlabel("spurious bits in the fragment")
    axes[0].set_ylabel("cues returned")
    axes[0].legend(fontsize=8)
    h = data["hopfield"]
    axes[1].plot(h["levels"], h["ca3_overlap"], "o-", label="CA3 (recall by content)")
    axes[1].plot(h["levels"], h["hopfield_overlap"], "s-", label="ClassicalHopfield")
    axes[1].set_xlabel("fraction of bits missing from the cue")
    axes[1].set_ylabel("overlap of recall with the stored pattern")
    axes[1].legend(fontsize=8)
    fig.suptitle(title or "CA3: noisy fragments, and beside a Hopfield network")
    return save(fig, path)


# -- registration ------------------------------------------------------------------------------

def _operations_network(spec, seed):
    """The CA3 network with the spec's operations as input spikes, 1 ms later than in neuromem
    (PyNN on NEST refuses input at min_delay): ``(network, dt, duration)``."""
    p = {k: v for k, v in spec.parameters.items() if k in ("preset", "cues", "bits", "n_ops", "density")}
    ops, cues, bits = preset_operations(seed=seed, **p)
    network, duration = CA3Memory(cues, bits, seed=seed).scheduled_network(ops, shift=1.0)
    return network, 1.0, duration + 1.0


register('ca3_operations', operations, _measure_ca3, {"operations": ca3_operations_figure, "raster": ca3_raster_figure},
         description="CA3 memory: operations decoded from spikes and checked against a dictionary",
         network=_operations_network)

def _paper_network(spec, seed):
    """The paper's network of ``variant`` with the experiment's input, 1 ms later (PyNN on NEST refuses
    input at min_delay): ``(network, dt, duration)``."""
    rec = board_recording(spec.parameters.get("experiment", 1))
    net, pops, _ = build_network(rec["cues"], rec["bits"], spec.parameters.get("variant", "paper"), seed)
    pops["Input"].set(spike_times=[[t + 1.0 for t in ts] for ts in rec["input"]])
    return net, DT, rec["duration"] + 1.0


register('ca3_paper', replay_paper, _measure_paper, paper_replay_figure,
         description="CA3: the paper's experiments replayed against the SpiNNaker recordings, spike for spike",
         network=_paper_network)

register('ca3_noise', noise, _measure_ca3_noise, ca3_noise_figure,
         description='CA3 recall by content with spurious fragment bits, beside a Hopfield network')
