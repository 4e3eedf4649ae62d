r"""Spiking content-addressable memory of hippocampal CA3 (Casanueva-Morato et al.).

Casanueva-Morato, Ayuso-Martinez, Dominguez-Morales, Jimenez-Fernandez and
Jimenez-Moreno (2024), "Bio-inspired computational memory model of the
Hippocampus: an approach to a neuromorphic spike-based Content-Addressable
Memory", Neural Networks 178:106474 (arXiv 2310.05868).  The model ran on
SpiNNaker and ships in the sPyMem package, whose ``network_config.json`` gives
the cell parameters, weights and delays used here.

With ``c`` cues (one-hot addresses) and ``m`` content bits the network has
``c + m`` input spike sources, ``3c + 4m + 1`` internal IF_curr_exp neurons
(CueCue, CueCont, MergeCue: c; ContCue, ContCont, ContCond, MergeCont: m;
CondInt: 1) and ``c + m`` output neurons.  Two all-to-all projections learn by
pair STDP: CueCue -> ContCue (content from cue) and ContCont -> CueCont (cue
from content).  Weights start at 0; one co-activation stores a memory.

How the circuit works (one time unit = 1 ms = one step; a hop takes its delay):

* learn: cue and content bits spike for 3 ms.  CueCue and ContCue fire
  together, so CueCue -> ContCue potentiates; ContCue -> ContCond -> ContCont
  and CueCue -> CueCont (2 ms) meet, so ContCont -> CueCont potentiates.
* recall by cue: CueCue evokes the stored bits in ContCue; CueCue's inhibition
  of ContCond (2 ms) arrives with ContCue's excitation and closes the gate, so
  the recalled content does not reach ContCont.  The output shows the cue
  after 5 ms and the content 1 ms later.
* recall by content: the fragment passes ContCond (CueCue is silent) into
  ContCont, which fires CueCont of every cue storing one of those bits.
* forgetting by relearning: the old content, evoked by the first cue spike,
  meets the second cue spike one step later and depresses CueCue -> ContCue;
  CondInt (driven by the new bits) opens the ContCond gate for the evoked old
  bits exactly while new content is learned, so ContCont(old) fires one step
  after CueCont and depresses ContCont -> CueCont.

Timing and the two variants
---------------------------
The paper's circuit is a discrete-time coincidence machine tuned on sPyNNaker: each hop takes
exactly its delay.  By default (``variant="paper"``) it runs with the paper's own parameters
(pair STDP, tau+ = tau- = 3 ms, A+ = A- = 6, additive in [0, 6]) on ``Simulator(timing=
"spinnaker")``, the bit-exact emulation of sPyNNaker 7.1.0: there sPyNNaker's deferred STDP,
its s4.11 traces, its additive rule (A applied without ``w_max``, clamped per event) and its
16-bit weight grid make one co-activation store a memory and relearning forget it, and the
three experiments of the paper reproduce the board's recorded spikes at every ms
(``tests/test_spinnaker_boards.py``).

``variant="narrow"`` is neuromem's modification, kept for comparison: a pairing window of
``tau = 0.1 ms`` with ``A = e^{dt / tau}`` on the floating-point ``timing="arrival"`` order
(NEST's per-pairing STDP with a post spike at the pre spike's step depressing).  There a
pairing at one step moves a weight by exactly ``w_max``, the one-step coincidence detector the
circuit needs under per-pairing updates.  It is not what a board does: on sPyNNaker's 1 ms
trace tables a 0.1 ms window rounds to zero and the memory would not learn.  Under NEST's
update order (a hop takes delay + dt) both fail.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._checks import as_array, check_int, fail
from ..params import Choice
from ..core import (AdditiveWeightDependence, AllToAllConnector, FromListConnector, IF_curr_exp, Network,
                    OneToOneConnector, Simulator, SpikePairRule, SpikeSourceArray, STDPMechanism, StaticSynapse)
from .base import AssociativeMemory, RecallResult, register_memory

#: Casanueva-Morato et al. (2024) / sPyMem ``network_config.json``: the two cell parameter sets
SLOW_CELL = dict(cm=0.27, tau_m=3.0, tau_refrac=1.0, tau_syn_E=0.3, tau_syn_I=0.3,
                 v_rest=-60.0, v_reset=-60.0, v_thresh=-57.0, i_offset=0.0)
FAST_CELL = dict(SLOW_CELL, cm=0.14, tau_m=0.5)
#: the output layer of sPyMem's test scripts (fires on one input spike)
OUTPUT_CELL = dict(SLOW_CELL, v_thresh=-57.5)
#: internal populations: (label, size, cell parameters); size "c" or "m" or a number
POPULATIONS = (("CueCue", "c", SLOW_CELL), ("CueCont", "c", FAST_CELL), ("MergeCue", "c", SLOW_CELL),
               ("ContCue", "m", SLOW_CELL), ("ContCont", "m", SLOW_CELL), ("ContCond", "m", FAST_CELL),
               ("CondInt", 1, FAST_CELL), ("MergeCont", "m", SLOW_CELL))
DT = 1.0
W_MAX = 6.0
#: the paper's STDP (sPyMem network_config.json): tau+- in ms, A+-, additive weights in [w_min, w_max]
PAPER_STDP = {"tau": 3.0, "A": 6.0}
#: neuromem's modification: a 0.1 ms window whose one-step pairing is exactly w_max (floating-point order only)
NARROW_STDP = {"tau": 0.1, "A": math.exp(DT / 0.1)}
#: variant -> (STDP, simulator timing)
VARIANTS = {"paper": (PAPER_STDP, "spinnaker"), "narrow": (NARROW_STDP, "arrival")}
#: neuromem's population labels -> the paper's PyNN labels (CA3_content_addressable.py)
PAPER_LABELS = {"Input": "ILayer", "CueCue": "CA3cueCueRecallLayer", "ContCue": "CA3contCueRecallLayer",
                "CueCont": "CA3cueContRecallLayer", "ContCond": "CA3contCondLayer", "CondInt": "CA3contCondIntLayer",
                "ContCont": "CA3contContRecallLayer", "MergeCue": "CA3mergeCueLayer", "MergeCont": "CA3mergeContLayer",
                "Output": "OLayer"}
#: operation timing (ms), from the paper: learn holds its input 3 steps then 7 quiet; a
#: recall is 1 step then 6.  A recall by content takes one hop more to reach the output
#: cue layer (fragment -> ContCue -> ContCond -> ContCont -> CueCont -> MergeCue -> out).
LEARN_INPUT, LEARN_WINDOW, RECALL_WINDOW, CONTENT_WINDOW = 3, 10, 7, 8
#: a source spike at t = 0 cannot be emitted on the time grid (NEST's rule too)
T_START = 1.0


@dataclass(frozen=True)
class Learn:
    """Store ``content`` (m bits, 0/1) under ``cue``; relearning a cue forgets its old content."""

    cue: int
    content: tuple


@dataclass(frozen=True)
class Recall:
    """Recall the content stored under ``cue``."""

    cue: int


@dataclass(frozen=True)
class RecallByContent:
    """Find every cue whose stored content shares an active bit with ``fragment``."""

    fragment: tuple


@dataclass
class OperationResult:
    """What the output population showed in one operation's window ``[start, stop)`` ms.

    ``cues``: output cue neurons that fired; ``content``: output content bits
    (0/1); ``pairs``: for a recall by content, ``(cue, content)`` of each cue
    found, each content recalled by its cue right after, on the same timeline.
    """

    op: object
    start: float
    stop: float
    cues: tuple
    content: np.ndarray
    pairs: list = field(default_factory=list)


@register_memory
class CA3Memory(AssociativeMemory):
    r"""The spiking CA3 content-addressable memory (Casanueva-Morato et al. 2024).

    Parameters
    ----------
    cues : int
        Number of cues ``c`` (one memory each).
    bits : int
        Content length ``m``.
    variant : {"paper", "narrow"}
        ``"paper"``: the paper's STDP on the bit-exact SpiNNaker emulation (what the board
        does); ``"narrow"``: neuromem's 0.1 ms window on the floating-point order (see the
        module notes).
    seed : int or numpy.random.Generator

    Attributes
    ----------
    network : Network
        The whole network (input, internal populations, output); an ordinary
        neuromem network that export backends can read.
    history : list of OperationResult
        Every operation run so far, in order.

    Examples
    --------
    >>> mem = CA3Memory(cues=5, bits=10)
    >>> _ = mem.learn(0, [1, 1, 1, 0, 0, 0, 0, 0, 0, 1])
    >>> mem.recall(0).state.astype(int).tolist()
    [1, 1, 1, 0, 0, 0, 0, 0, 0, 1]
    >>> [(cue, content.tolist()) for cue, content in mem.recall_by_content([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])]
    [(0, [1, 1, 1, 0, 0, 0, 0, 0, 0, 1])]
    """

    alphabet = "binary"

    variant = Choice(tuple(VARIANTS), doc="'paper' (the board's arithmetic) or 'narrow' (neuromem's modification)",
                     fixed=True)

    def __init__(self, cues, bits, variant="paper", seed=0):
        o = "CA3Memory"
        self.c = check_int(o, "cues", cues, low=1)
        self.m = check_int(o, "bits", bits, low=1)
        super().__init__(self.m)
        self.variant = variant
        self.timing = VARIANTS[variant][1]
        self.seed = seed
        self.network, self.pops, self.plastic = build_network(self.c, self.m, variant, seed)
        self.simulator = None
        self.t = T_START
        self.history: list[OperationResult] = []
        self._times = [[] for _ in range(self.c + self.m)]
        self._pending: dict[int, list] = {}  # input spikes scheduled but not yet given to the source

    def __repr__(self):
        return f"CA3Memory(cues={self.c}, bits={self.m}, t={self.t:g} ms, operations={len(self.history)})"

    @property
    def n_internal(self) -> int:
        """Internal neurons, 3c + 4m + 1."""
        return sum(self.pops[name].size for name, _, _ in POPULATIONS)

    # -- checks ---------------------------------------------------------------------------
    def _cue(self, cue) -> int:
        if isinstance(cue, bool) or not isinstance(cue, (int, np.integer)) or not 0 <= cue < self.c:
            raise fail("CA3Memory", "cue", cue, f"expected an integer cue in [0, {self.c}) (cues={self.c})")
        return int(cue)

    def _bits(self, bits, name) -> tuple:
        arr = as_array("CA3Memory", name, bits)
        if arr.ndim != 1 or arr.size != self.m:
            raise fail("CA3Memory", name, arr, f"expected a 1-D 0/1 array of length bits={self.m}")
        if not ((arr == 0) | (arr == 1)).all():
            raise fail("CA3Memory", name, arr, "expected 0/1 values")
        return tuple(int(b) for b in arr)

    def check_operation(self, op):
        """Validate ``op``; return it with its bits as a tuple of 0/1."""
        if isinstance(op, Learn):
            content = self._bits(op.content, "content")
            if not any(content):
                raise fail("CA3Memory", "content", np.asarray(content),
                           "expected at least one active bit: relearning forgets the old content through "
                           "CondInt, which only the new content's bits drive (Casanueva-Morato et al. 2024)")
            return Learn(self._cue(op.cue), content)
        if isinstance(op, Recall):
            return Recall(self._cue(op.cue))
        if isinstance(op, RecallByContent):
            frag = self._bits(op.fragment, "fragment")
            if not any(frag):
                raise fail("CA3Memory", "fragment", np.asarray(frag),
                           "expected at least one active bit (an empty fragment recalls nothing)")
            return RecallByContent(frag)
        raise fail("CA3Memory", "op", op, "expected Learn(cue, content), Recall(cue) or RecallByContent(fragment)")

    # -- operations ------------------------------------------------------------------------
    def learn(self, cue, content) -> OperationResult:
        """Store ``content`` under ``cue`` in one spike-level learning episode."""
        return self.run_operations([Learn(cue, content)])[0]

    def recall(self, cue, *, seed=None) -> RecallResult:
        """Recall by cue (an int) or by content (a 0/1 fragment of length ``bits``), as spikes.

        By cue: ``state`` is the content stored under the cue.  By content: ``state`` is the
        recalled content that overlaps the fragment most (``info['pairs']`` holds every
        ``(cue, content)`` found; ties go to the lower cue).  ``info['operation']`` is the
        :class:`OperationResult`.  The network is deterministic, so ``seed`` has no effect.
        """
        if isinstance(cue, (int, np.integer)) and not isinstance(cue, bool):
            result = self.run_operations([Recall(cue)])[0]
            state = result.content.astype(float)
            pairs = [(int(cue), result.content)]
        else:
            frag = self.check_cue(cue)
            result = self.run_operations([RecallByContent(frag.astype(int))])[0]
            pairs = result.pairs
            state = max(pairs, key=lambda p: float(np.dot(p[1], frag)))[1].astype(float) if pairs \
                else np.zeros(self.m)
        return RecallResult(state=state, sweeps=1, overlaps=self.overlaps(state),
                            info={"pairs": pairs, "operation": result})

    def recognize(self, probe) -> float:
        """Familiarity of a 0/1 pattern: the Jaccard similarity between it and the closest content a recall
        by content returns (1 for a stored content, 0 when no cue shares a bit with it)."""
        x = self.check_cue(probe, "probe")
        if not x.any():
            return 0.0
        best = 0.0
        for _, content in self.recall_by_content(x.astype(int)):
            union = np.count_nonzero((content > 0) | (x > 0))
            best = max(best, np.count_nonzero((content > 0) & (x > 0)) / union)
        return float(best)

    def recall_by_content(self, fragment) -> list:
        """Every ``(cue, content)`` whose content shares an active bit with ``fragment``."""
        return self.run_operations([RecallByContent(fragment)])[0].pairs

    def store(self, patterns) -> None:
        """Learn each pattern under the next free cue (the memory protocol): after K stored patterns,
        pattern k of this call goes to cue K + k.  At most ``cues`` patterns in all (one per cue)."""
        arr = self.check_patterns(patterns)
        first = 0 if self.patterns is None else len(self.patterns)
        if first + arr.shape[0] > self.c:
            raise fail("CA3Memory", "patterns", arr, f"expected at most cues={self.c} patterns in all (one per "
                       f"cue); {first} are stored already")
        self.run_operations([Learn(first + k, p.astype(int)) for k, p in enumerate(arr)])
        self.patterns = arr.copy() if self.patterns is None else np.vstack((self.patterns, arr))

    def run_operations(self, ops) -> list[OperationResult]:
        """Run ``ops`` back to back on the network's timeline; one result per op.

        Every operation is checked before anything runs.  The simulation runs
        in one piece up to each recall by content, whose cues are then each
        recalled on the same timeline to give its ``(cue, content)`` pairs.
        """
        ops = [self.check_operation(op) for op in ops]
        results: list[OperationResult] = []
        waiting = None  # a recall by content whose cues are recalled at the head of the next run
        i = 0
        while i < len(ops) or waiting is not None:
            follow = [Recall(q) for q in waiting.cues] if waiting is not None else []
            j = i
            while j < len(ops) and not isinstance(ops[j], RecallByContent):
                j += 1
            segment = follow + ops[i:j + 1]
            if not segment:
                break
            windows = [self._schedule(op) for op in segment]
            self._advance(windows[-1][1])
            decoded = self._decode(segment, windows)
            if waiting is not None:
                waiting.pairs = [(r.op.cue, r.content) for r in decoded[:len(follow)]]
            results += decoded[len(follow):]
            last = results[-1] if j < len(ops) else None
            waiting = last if last is not None and last.cues else None
            i = j + 1
        self.history.extend(results)
        return results

    def scheduled_network(self, ops, shift=0.0):
        """``ops`` placed on this memory's timeline as input spikes, without running them.

        Returns ``(network, end)``: the memory's network with the Input population's spike
        times set (moved ``shift`` ms later), and the time (ms) the last operation's window ends;
        what ``neuromem export`` writes for another simulator to run.
        """
        for op in [self.check_operation(op) for op in ops]:
            self._schedule(op)
        self.pops["Input"].set(spike_times=[[t + shift for t in ts] for ts in self._times])
        return self.network, self.t + shift

    # -- timeline --------------------------------------------------------------------------
    def _schedule(self, op) -> tuple[float, float]:
        start = self.t
        if isinstance(op, Learn):
            active = [op.cue] + [self.c + b for b, on in enumerate(op.content) if on]
            times, window = [start + k for k in range(LEARN_INPUT)], LEARN_WINDOW
        elif isinstance(op, Recall):
            active, times, window = [op.cue], [start], RECALL_WINDOW
        else:
            active = [self.c + b for b, on in enumerate(op.fragment) if on]
            times, window = [start], CONTENT_WINDOW
        for a in active:
            self._times[a].extend(times)
            self._pending.setdefault(a, []).extend(times)
        self.t = start + window
        return start, self.t

    def _advance(self, until: float) -> None:
        if self.simulator is None:
            self.simulator = Simulator(self.network, dt=DT, seed=self.seed, timing=self.timing)
        # the source needs only the spikes still to come (``_times`` keeps the whole history)
        pending = [[] for _ in self._times]
        for a, ts in self._pending.items():
            pending[a] = ts
        self._pending = {}
        self.pops["Input"].set(spike_times=pending)
        # Stop where the next operation's first input (at ``until``) falls on a step not yet run:
        # on the board's ticks a spike at t is sent on tick t; in the floating-point order it is
        # emitted on the step that ends at t, one step earlier (its spikes are stamped ``until``).
        self.simulator.run(until - (0.0 if self.timing == "spinnaker" else DT) - self.simulator.t)

    def _decode(self, ops, windows) -> list[OperationResult]:
        times, ids = self.simulator.spikes(self.pops["Output"], start=windows[0][0])
        out = []
        for op, (start, stop) in zip(ops, windows):
            fired = np.zeros(self.c + self.m, dtype=bool)
            fired[ids[(times >= start) & (times < stop)]] = True
            cues = tuple(np.flatnonzero(fired[:self.c]).tolist())
            out.append(OperationResult(op, start, stop, cues, fired[self.c:].astype(int)))
        return out

    # -- saving ----------------------------------------------------------------------------
    def state_dict(self):
        """Arrays and config to rebuild this memory exactly: the network is rebuilt from its size, STDP
        window and seed; the simulator's state (weights, neurons, traces) and the input history are restored."""
        arrays = {"patterns": self.patterns if self.patterns is not None else np.zeros((0, self.m)),
                  "input_counts": np.array([len(ts) for ts in self._times], dtype=np.int64),
                  "input_times": np.concatenate([np.asarray(ts, float) for ts in self._times]) if self._times
                  else np.zeros(0)}
        if self.simulator is not None:
            arrays.update({f"sim/{k}": v for k, v in self.simulator.state_dict()[0].items()})
        config = {"cues": self.c, "bits": self.m, "variant": self.variant, "seed": self.seed, "t": self.t,
                  "simulator": None if self.simulator is None else self.simulator.state_dict()[1]}
        return arrays, config

    @classmethod
    def from_state_dict(cls, arrays, config):
        mem = cls(config["cues"], config["bits"], variant=config["variant"], seed=config["seed"])
        mem.patterns = np.asarray(arrays["patterns"], dtype=float) if len(arrays["patterns"]) else None
        cuts = np.cumsum(arrays["input_counts"])[:-1]
        mem._times = [list(map(float, ts)) for ts in np.split(arrays["input_times"], cuts)]
        mem.t = float(config["t"])
        if config["simulator"] is not None:
            mem.simulator = Simulator(mem.network, dt=DT, seed=mem.seed, timing=mem.timing)
            mem.simulator.load_state_dict({k[4:]: v for k, v in arrays.items() if k.startswith("sim/")},
                                          config["simulator"])
        return mem

    # -- inspection ------------------------------------------------------------------------
    def weights(self) -> dict[str, np.ndarray]:
        """Learned weights (nA): ``cue_to_content`` (c, m) and ``content_to_cue`` (m, c)."""
        out = {}
        for name, prj in zip(("cue_to_content", "content_to_cue"), self.plastic):
            w = prj.weight if self.simulator is None else self.simulator.weights(prj)
            mat = np.zeros((prj.pre.size, prj.post.size))
            mat[prj.pre_idx, prj.post_idx] = w
            out[name] = mat
        return out

    def spikes(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """``{population label: (times, ids)}`` of every population so far (input included)."""
        now = T_START if self.simulator is None else self.simulator.t
        t_in = [np.asarray(t, float) for t in self._times]
        times = np.concatenate(t_in) if t_in else np.zeros(0)
        ids = np.repeat(np.arange(len(t_in)), [t.size for t in t_in])
        out = {"Input": (times[times <= now], ids[times <= now])}
        for label, pop in self.pops.items():
            if label != "Input":
                out[label] = self.simulator.spikes(pop) if self.simulator is not None else (np.zeros(0), np.zeros(0))
        return out


def build_network(c, m, variant="paper", seed=0):
    """The CA3 network of Casanueva-Morato et al. (2024) as a neuromem :class:`Network`.

    Weights (nA) and delays (ms) from sPyMem's ``network_config.json``; the two
    inhibitions scaled by ``m`` (``6 m``) as in sPyMem; the STDP of ``variant``
    (:data:`VARIANTS`).  Returns ``(network, {label: population}, (cue_to_content, content_to_cue))``.
    """
    stdp = VARIANTS[variant][0]
    net = Network(seed=seed, label=f"ca3_cam_{c}x{m}")
    pops = {"Input": net.population(c + m, SpikeSourceArray(spike_times=[[] for _ in range(c + m)]), label="Input")}
    for label, size, cell in POPULATIONS:
        pops[label] = net.population({"c": c, "m": m}.get(size, size), IF_curr_exp(**cell), label=label)
        pops[label].initialize(v=cell["v_rest"])
    pops["Output"] = net.population(c + m, IF_curr_exp(**OUTPUT_CELL), label="Output")
    pops["Output"].initialize(v=OUTPUT_CELL["v_rest"])
    for label, pop in pops.items():
        if label != "Input":
            pop.record("spikes")
    P = pops

    def static(pre, post, conn, w, d, receptor="excitatory"):
        tag = "-inh" if receptor == "inhibitory" else ""
        net.projection(pre, post, conn, StaticSynapse(weight=w, delay=d), receptor_type=receptor,
                       label=f"{pre.label}->{post.label}{tag}")

    def shifted(pre0, post0, n):
        return FromListConnector(np.column_stack((pre0 + np.arange(n), post0 + np.arange(n))))

    ii, jj = np.nonzero(~np.eye(c, dtype=bool))
    static(P["Input"], P["CueCue"], shifted(0, 0, c), 6.0, 1.0)
    static(P["Input"], P["ContCue"], shifted(c, 0, m), 6.0, 1.0)
    static(P["CueCue"], P["CueCont"], OneToOneConnector(), 6.0, 2.0)
    static(P["CueCue"], P["CueCont"], FromListConnector(np.column_stack((ii, jj))), 6.0 * m, 3.0, "inhibitory")
    static(P["CueCue"], P["ContCond"], AllToAllConnector(), 6.0, 2.0, "inhibitory")
    static(P["ContCue"], P["ContCond"], OneToOneConnector(), 9.0, 1.0)
    static(P["ContCond"], P["ContCont"], OneToOneConnector(), 6.0, 1.0)
    static(P["ContCue"], P["CondInt"], AllToAllConnector(), 6.0, 1.0)
    static(P["CondInt"], P["ContCond"], AllToAllConnector(), 2.0, 1.0)
    static(P["CueCont"], P["CueCont"], AllToAllConnector(allow_self_connections=False), 6.0 * m, 2.0, "inhibitory")
    static(P["CueCue"], P["MergeCue"], OneToOneConnector(), 6.0, 3.0)
    static(P["CueCont"], P["MergeCue"], OneToOneConnector(), 6.0, 1.0)
    static(P["ContCue"], P["MergeCont"], OneToOneConnector(), 6.0, 3.0)
    static(P["ContCont"], P["MergeCont"], OneToOneConnector(), 6.0, 1.0)
    static(P["MergeCue"], P["Output"], shifted(0, 0, c), 6.0, 1.0)
    static(P["MergeCont"], P["Output"], shifted(0, c, m), 6.0, 1.0)
    plastic = []
    for pre, post in (("CueCue", "ContCue"), ("ContCont", "CueCont")):
        rule = STDPMechanism(SpikePairRule(tau_plus=stdp["tau"], tau_minus=stdp["tau"], A_plus=stdp["A"],
                                           A_minus=stdp["A"]),
                             AdditiveWeightDependence(w_min=0.0, w_max=W_MAX), weight=0.0, delay=1.0)
        plastic.append(net.projection(P[pre], P[post], AllToAllConnector(), rule, label=f"{pre}->{post}-stdp"))
    return net, pops, tuple(plastic)
