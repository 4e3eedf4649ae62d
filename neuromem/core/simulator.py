"""How a network runs: :class:`Simulator` drives the Numba time loop in chunks."""
from __future__ import annotations

import math
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .._checks import check_scalar, fail
from ..errors import NotSupportedError
from ..params import Checked, keywords
from ..random import child, seed_sequence
from .cells import RenewalSource, SpikeSourceArray, SpikeSourcePoisson
from .compiled import (LINE, MAX_DELAY_STEPS, STATE_ARRAYS, STATE_ROWS, TIMINGS, CompiledNetwork, aligned_zeros,
                       steps_of, whole_lines)
from .kernels.spinnaker import run_ticks
from .spinnaker import FixedNetwork, fixed_currents, source_ticks
from .kernels import neurons as K
from .kernels.plasticity import ELIG_SCALE
from .kernels.step import run_steps, run_steps_epochs, run_steps_parallel
from .recording import Recording

I64 = np.int64
#: floats in one chunk's table of injected currents (bounds memory)
CHUNK_TABLE = 2_000_000
MAX_CHUNK_STEPS = 10_000
#: the dynamic state of the fixed-point engine
FIXED_STATE = ("V", "U", "refract", "this_h", "syn", "ring", "syn_w", "hdr_time", "hdr_trace", "hist_t", "hist_tr",
               "hist_cnt", "saturated")
#: the last step a simulation may reach (about 33 simulated years at dt = 1 ms)
MAX_STEPS = 1 << 40
#: steps per block of random input (Poisson spikes, noise), the unit the random streams are keyed by
BLOCK = 1024


#: the float engine splits a step over threads when the network has this many synapses or neurons: below,
#: one thread is faster than the fork and join of each step (about 1 us each, two per step)
PARALLEL_MIN_SYNAPSES = 1_000_000
PARALLEL_MIN_NEURONS = 20_000
#: the epoch kernel (one synchronisation per epoch) splits networks from this many neurons
EPOCH_MIN_NEURONS = 2000
#: the longest epoch of :func:`~neuromem.core.kernels.step.run_steps_epochs` (steps), and the most entries of its
#: per-step spike buffers (an epoch's steps times the neurons): past some 64 steps a fork and join costs little
EPOCH_MAX_STEPS = 64
EPOCH_BUFFER = 1 << 20
#: several threads: the parallel and the serial time loop are each timed on a chunk of at least this many steps,
#: and the faster kept (see Simulator._plan); ADAPTIVE = False keeps the parallel one
TRIAL_STEPS = 2048
ADAPTIVE = True


def resolve_threads(owner, threads) -> int:
    """``threads``, or ``NEUROMEM_THREADS``, or every core of this machine."""
    if threads is None:
        env = os.environ.get("NEUROMEM_THREADS")
        if env is None:
            return max(1, os.cpu_count() or 1)
        try:
            threads = int(env)
        except ValueError:
            raise fail("environment", "NEUROMEM_THREADS", env, "expected a whole number of threads >= 1") from None
    return int(check_scalar(owner, "threads", threads, low=1, integer=True))


def _split(lo, hi, parts):
    """``lo..hi`` in ``parts`` near-equal ranges whose inner edges are multiples of :data:`LINE` (whole cache lines
    of the neuron arrays to each thread); empty ones dropped: ``(starts, ends)``."""
    edges = np.linspace(lo, hi, parts + 1)
    edges[1:-1] = np.clip(np.round(edges[1:-1] / LINE) * LINE, lo, hi)
    edges = edges.astype(I64)
    keep = edges[1:] > edges[:-1]
    return edges[:-1][keep], edges[1:][keep]


def parallel_chunks(c, threads):
    """Work split for :func:`run_steps_parallel`: each neuron population in ``threads`` chunks (population
    and neuron order), a spike buffer and count per chunk (each on cache lines of its own), and the neurons in
    ``threads`` ranges of targets."""
    pops, los, his = [], [], []
    for p in range(c.pop_kind.size):
        if c.pop_kind[p] not in K.NEURON_KINDS:
            continue
        a, b = _split(c.pop_lo[p], c.pop_hi[p], min(threads, c.pop_hi[p] - c.pop_lo[p]))
        pops += [p] * a.size
        los += list(a)
        his += list(b)
    size = whole_lines(max([b - a for a, b in zip(los, his)], default=1))
    t_lo, t_hi = _split(0, c.n, threads)
    return (np.array(pops, I64), np.array(los, I64), np.array(his, I64),
            aligned_zeros((max(1, len(pops)), size), I64), aligned_zeros((max(1, len(pops)), LINE), I64), t_lo, t_hi)


def epoch_plan(c, threads, epoch, cur_idx, rec_idx):
    """Work split for :func:`run_steps_epochs`: the chunks of :func:`parallel_chunks`, thread ``t`` owning the
    ``t``-th chunk of each population (in reverse order for every other population, so that one thread owns both
    sides of a population boundary), a spike buffer per chunk and step of an epoch, and each chunk's columns of
    the current table and entries of the state record (CSR)."""
    ch_pop, ch_lo, ch_hi = parallel_chunks(c, threads)[:3]
    rank = np.zeros(ch_pop.size, I64)
    for i in range(1, ch_pop.size):
        rank[i] = rank[i - 1] + 1 if ch_pop[i] == ch_pop[i - 1] else 0
    for p in np.unique(ch_pop)[1::2]:
        mine = ch_pop == p
        rank[mine] = rank[mine].max() - rank[mine]
    th_ch = np.argsort(rank, kind="stable").astype(I64)
    th_ptr = np.zeros(threads + 1, I64)
    np.cumsum(np.bincount(rank, minlength=threads), out=th_ptr[1:])

    def owned(idx):
        parts = [np.flatnonzero((idx >= a) & (idx < b)) for a, b in zip(ch_lo, ch_hi)]
        ptr = np.zeros(len(parts) + 1, I64)
        np.cumsum([x.size for x in parts], out=ptr[1:])
        return ptr, (np.concatenate(parts) if parts else np.zeros(0)).astype(I64)
    size = whole_lines(max((ch_hi - ch_lo).max(initial=1), 1))
    n_ch = max(1, ch_pop.size)
    return (epoch, ch_pop, ch_lo, ch_hi, aligned_zeros((n_ch, epoch, size), I64),
            aligned_zeros((n_ch, whole_lines(epoch)), I64), th_ptr, th_ch, *owned(cur_idx), *owned(rec_idx))


class Simulator(Checked):
    """Runs a :class:`~neuromem.core.network.Network` on the Numba core.

    Parameters
    ----------
    network : Network
    dt : float
        Time step (ms).
    seed : int or numpy.random.Generator, optional
        Seed of the run-time randomness (Poisson sources, noise currents).
        Default: derived from the network's seed.
    timing : {"nest", "spinnaker", "arrival"}
        ``"nest"`` (default): NEST's update order in floating point, cross-checked against NEST
        and Brian2 (a spike arriving on step k moves v from step k+1).
        ``"spinnaker"``: a bit-exact emulation of a SpiNNaker board running sPyNNaker 7.1.0:
        integer fixed-point state and arithmetic, sPyNNaker's tick order, 16-bit saturating ring
        buffers, its STDP (:mod:`neuromem.core.spinnaker`; ``board_report()`` says what the board
        changes).  Spikes are stamped with their tick (``t dt``), as the board records them.
        ``"arrival"``: neuromem's floating-point approximation of sPyNNaker's order (IF_curr_exp
        input acts on its arrival step; a post spike reaching a plastic synapse on the step of a
        pre spike depresses it), kept for the narrow-window CA3 variant; not what a board computes.
    threads : int, optional
        Threads of the float engine (default ``NEUROMEM_THREADS`` or every core).  Neuron updates and
        spike transmission split over them in epochs of the shortest delay (one synchronisation each, from 2000
        neurons, when it is two steps or more and nothing is plastic), otherwise two synchronisations a step (from a
        million synapses or 20,000 neurons); a long run times the split against one thread on a chunk each and
        keeps the faster.  The result is bit-identical for any number of threads (each target neuron sums its
        inputs in the serial order).  The SpiNNaker emulation runs on one thread, and so does the float engine in
        a process that has imported NEST (whose OpenMP runtime cannot share the process with numba's threads).

    Runs are resumable in segments: ``run(100)``, change inputs, parameters,
    initial values (``Population.initialize`` sets the state the next run starts
    from), the modulator, or add populations and projections, and ``run(100)``
    again.  Time ``t`` (ms) advances by whole steps: a duration that is not a
    whole number of steps is refused (as NEST refuses one off its grid).
    :meth:`reset` goes back to ``t = 0`` and the initial values, as PyNN's ``reset``.
    """

    def __init__(self, network, dt=0.1, seed=None, timing="nest", threads=None):
        self.network = network
        self.threads = resolve_threads("Simulator", threads)
        self._chunks = None
        self._kernel_threads = self.threads
        self._ran = None      # the time loop of the last chunk (see _plan)
        self._trials = {}     # the time per step of each plan on trial (see _plan)
        self._compiled = False
        self._go = threading.Event()
        self.dt = check_scalar("Simulator", "dt", dt, low=0.0, low_open=True)
        if timing not in TIMINGS:
            raise fail("Simulator", "timing", timing, f"expected one of {list(TIMINGS)}")
        self.timing = timing
        base = network.seed_sequence if seed is None else seed_sequence("Simulator", seed)
        self._ss = np.random.SeedSequence(base.entropy, spawn_key=tuple(base.spawn_key) + (7,))
        self.fixed = timing == "spinnaker"
        self.c = FixedNetwork(network, self.dt) if self.fixed else CompiledNetwork(network, self.dt, timing)
        self.step = 0
        self._segment = 0          # reset() starts a new segment: new random streams
        self._renewal = {}         # renewal sources' state, see _renewal_block
        self._blocks: dict = {}
        self._seen: dict = {}
        self._spikes: dict = {}
        self._signals: dict = {}
        self._array_cache: dict = {}
        self._delay_versions = [p.delay_version for p in network.projections]
        self._watch()
        self._rec_config()

    def _watch(self):
        """Remember the versions of populations and projections not seen yet (their state is compiled)."""
        for p in self.network.populations:
            if ("pop", p.index) not in self._seen:
                self._seen[("pop", p.index)] = p.version
                self._seen[("init", p.index)] = p.init_version
                p.initialized = set()
                self._spikes[p.index] = []
                self._signals[p.index] = {}
        for p in self.network.projections:
            self._seen.setdefault(("prj", p.index), p.version)

    @property
    def t(self) -> float:
        """Current simulation time (ms)."""
        return self.step * self.dt

    # -- configuration ---------------------------------------------------------------
    def _rows(self, celltype) -> dict:
        """Recordable state variable -> row of the engine's state (the fixed-point engine records v, the
        excitatory and inhibitory input, and u)."""
        if self.fixed:
            return {"v": 0, "isyn_exc": 1, "isyn_inh": 2, "gsyn_exc": 1, "gsyn_inh": 2, "u": 3}
        return STATE_ROWS.get(type(celltype).__name__, {})

    def _rec_config(self):
        idx, row, owners = [], [], []
        for p in self.network.populations:
            rows = self._rows(p.celltype)
            for var, sel in p.recorded.items():
                if var == "spikes":
                    continue
                lo = self.c.pop_lo[p.index]
                idx.append(lo + sel)
                row.append(np.full(sel.size, rows[var], I64))
                owners.append((p.index, var, sel.size))
        self._rec_idx = np.concatenate(idx).astype(I64) if idx else np.zeros(0, I64)
        self._rec_row = np.concatenate(row).astype(I64) if row else np.zeros(0, I64)
        self._rec_owners = owners
        self._rec_flag = np.zeros(self.c.n, np.bool_)
        self._rec_flag[self._rec_idx] = True
        self._pop_rec_spk = np.array([1 if "spikes" in p.recorded else 0 for p in self.network.populations], I64)

    def _sync_in(self):
        """Pick up changes the user made to the network since the last run: new populations or
        projections (the compiled network grows, keeping the state of what was there), parameters,
        values given to ``initialize`` (loaded into the current state), weights."""
        net = self.network
        delays = [p.delay_version for p in net.projections]
        grown = len(net.populations) != self.c.pop_lo.size or len(net.projections) != self.c.syn_lo.size
        if grown or delays != self._delay_versions:
            if self.fixed:
                raise NotSupportedError("Simulator (timing='spinnaker'): populations, projections and delays are "
                                        "placed on the board when it starts; add or change them before the first run")
            self.c = CompiledNetwork(net, self.dt, self.timing, carry=(self.c, self.step))
            self._array_cache.clear()
            self._watch()
        self._delay_versions = delays
        for p in self.network.populations:
            if self._seen[("pop", p.index)] != p.version:
                self.c.load_parameters(p)
                self._seen[("pop", p.index)] = p.version
            if self._seen[("init", p.index)] != p.init_version:
                self.c.load_initial(p, sorted(p.initialized))
                p.initialized = set()
                self._seen[("init", p.index)] = p.init_version
        for p in self.network.projections:
            if self._seen[("prj", p.index)] != p.version:
                if self.fixed:
                    self.c.load_projection(p)
                else:
                    self.c.syn_w[self.c.syn_lo[p.index]:self.c.syn_hi[p.index]] = p.weight
                    self.c.load_short_term(p)
                    self.c.load_rule(p)
                self._seen[("prj", p.index)] = p.version
        self._rec_config()

    def _sync_out(self):
        for p in self.network.projections:
            if p.synapse.plastic and p.host is not self.c:   # (a projection this network hosts sees its weights)
                p.weight[:] = self.weights(p)

    # -- inputs ----------------------------------------------------------------------------
    def _array_events(self, k0, k1):
        steps, ids = [], []
        for p in self.network.populations:
            if not isinstance(p.celltype, SpikeSourceArray):
                continue
            cached = self._array_cache.get(p.index)
            if cached is None or cached[0] != p.version:
                lengths = [t.size for t in p.spike_times]
                times = np.concatenate(p.spike_times) if lengths else np.zeros(0)
                early = times < (0.0 if self.fixed else 0.5 * self.dt)
                late = times / self.dt > MAX_STEPS
                if early.any() or late.any():
                    bad = times[early | late][:3]
                    raise fail(p.owner + " (SpikeSourceArray)", "spike_times", bad,
                               f"a spike at t is emitted on the step that ends at t (NEST's rule), so times must lie "
                               f"in [dt/2, {MAX_STEPS:.3g} dt] = [{0.5 * self.dt:g}, {MAX_STEPS * self.dt:.3g}] ms "
                               f"at dt = {self.dt} ms; shift a spike at 0 to dt")
                if self.fixed:   # sPyNNaker's tick of a spike time: ceil(floor(t 1000) / dt_us)
                    k_all = source_ticks(times, self.dt)
                else:            # emitted on the step ending at the time
                    k_all = np.rint(times / self.dt).astype(I64) - 1
                gid = self.c.pop_lo[p.index] + np.repeat(np.arange(len(lengths), dtype=I64), lengths)
                key = np.sort(k_all * self.c.n + gid)  # by step, then neuron
                key = key[np.r_[True, key[1:] != key[:-1]]] if key.size else key  # a repeated time spikes once
                cached = (p.version, key // self.c.n, key % self.c.n)
                self._array_cache[p.index] = cached
            _, k_all, gid = cached
            a, b = np.searchsorted(k_all, [k0, k1])
            steps.append(k_all[a:b])
            ids.append(gid[a:b])
        if not steps:
            return np.zeros(0, I64), np.zeros(0, I64)
        return np.concatenate(steps), np.concatenate(ids)

    def _block(self, key, b, draw, version=0):
        """What ``draw(rng)`` gives for block ``b`` of stream ``key``, drawn once per (segment, key, block).

        Random inputs are keyed by absolute step blocks, not by run calls, so a run gives the same
        result however it is split into segments (as NEST and Brian2 do).  The last blocks of each
        key are kept, so short successive runs do not draw a block again; a new ``version`` (the
        source's parameters changed) draws again, from the same stream.
        """
        memo = self._blocks.get(key)
        if memo is None or memo["version"] != version:
            memo = self._blocks[key] = {"version": version}
        if b not in memo:
            if len(memo) > 3:
                memo.pop(min(k for k in memo if k != "version"))
            memo[b] = draw(child(self._ss, *key, self._segment, b))
        return memo[b]

    def _poisson_events(self, k0, k1):
        steps, ids = [], []
        for p in self.network.populations:
            if not isinstance(p.celltype, (SpikeSourcePoisson, RenewalSource)):
                continue
            for b in range(k0 // BLOCK, (k1 - 1) // BLOCK + 1):
                if isinstance(p.celltype, RenewalSource):
                    s, i = self._renewal_block(p, b)
                else:
                    s, i = self._block((2, p.index), b, lambda rng: self._poisson_block(p, b, rng), p.version)
                lo, hi = np.searchsorted(s, [k0, k1])
                steps.append(s[lo:hi])
                ids.append(self.c.pop_lo[p.index] + i[lo:hi])
        if not steps:
            return np.zeros(0, I64), np.zeros(0, I64)
        return np.concatenate(steps), np.concatenate(ids)

    def _stochastic_seed(self) -> int:
        """The seed of this segment's synaptic transmission draws (:class:`SimpleStochasticSynapse`)."""
        return int(child(self._ss, 6, self._segment).integers(0, 2**63))

    def _poisson_input_seed(self) -> int:
        """The seed of this segment's :class:`~neuromem.core.sources.PoissonInput` draws."""
        return int(child(self._ss, 8, self._segment).integers(0, 2**63))

    def _renewal_block(self, p, b):
        """Spikes of renewal source ``p`` (:class:`~neuromem.core.cells.RenewalSource`) on the steps of block ``b``.

        A renewal process carries each neuron's next spike from one block to the next, so the blocks are made in
        order from block 0 of the segment, each from its own keyed stream (the same spikes however a run is
        split); the state after the last block made is kept, as is that block's spikes.
        """
        st = self._renewal.get(p.index)
        if st is None or st["key"] != (p.version, self._segment) or st["block"] > b + 1:
            v = p.values
            st = self._renewal[p.index] = {"key": (p.version, self._segment), "block": 0, "spikes": None}
            st["next"] = v["start"] + p.celltype.intervals(child(self._ss, 5, p.index, self._segment), v,
                                                          np.arange(p.size))
        while st["block"] <= b:
            st["spikes"] = self._renewal_spikes(p, st, child(self._ss, 4, p.index, self._segment, st["block"]))
            st["block"] += 1
        return st["spikes"]

    def _renewal_spikes(self, p, st, rng):
        """Advance ``st["next"]`` through block ``st["block"]``; its spikes as ``(steps, neurons)`` by step."""
        v = p.values
        end = np.minimum(v["start"] + v["duration"], (st["block"] + 1) * BLOCK * self.dt)
        t, times, owners = st["next"], [], []
        active = np.flatnonzero(t < end)
        while active.size:
            times.append(t[active].copy())
            owners.append(active)
            t[active] += p.celltype.intervals(rng, v, active)
            active = active[t[active] < end[active]]
        times = np.concatenate(times) if times else np.zeros(0)
        owner = np.concatenate(owners).astype(I64) if owners else np.zeros(0, I64)
        step = np.floor(times / self.dt).astype(I64)
        order = np.argsort(step, kind="stable")
        return step[order], owner[order]

    def _poisson_block(self, p, b, rng):
        """Spikes of Poisson population ``p`` on the steps of block ``b``: ``(steps, neurons)`` sorted by step."""
        rate, start, dur = p.values["rate"], p.values["start"], p.values["duration"]
        t0, t1 = b * BLOCK * self.dt, (b + 1) * BLOCK * self.dt
        a = np.clip(start, t0, t1)
        span = np.maximum(np.clip(start + dur, t0, t1) - a, 0.0)
        owner = np.repeat(np.arange(p.size), rng.poisson(rate * span / 1000.0))
        t = a[owner] + rng.random(owner.size) * span[owner]
        step = np.minimum(np.floor(t / self.dt).astype(I64), (b + 1) * BLOCK - 1)
        order = np.argsort((step - b * BLOCK).astype(np.uint16), kind="stable")   # 16 bits: a radix sort
        return step[order], owner[order]

    def _source_table(self, k0, k1):
        """Events of every spike source on steps [k0, k1) as a per-step CSR."""
        steps, ids = self._array_events(k0, k1)
        s2, i2 = self._poisson_events(k0, k1)
        if s2.size:
            # one spike per neuron per step (a Poisson source may draw two in one step); the keys come in sorted
            # runs (each source's, by step and neuron), which a stable sort merges in linear time
            key = (np.concatenate((steps, s2)) - k0) * self.c.n + np.concatenate((ids, i2))
            key.sort(kind="stable")
            key = key[np.r_[True, key[1:] != key[:-1]]]
            steps, ids = key // self.c.n + k0, key % self.c.n
        elif len(self._array_cache) > 1:  # events of several populations: order by step, then id
            order = np.lexsort((ids, steps))
            steps, ids = steps[order], ids[order]
        ptr = np.zeros(k1 - k0 + 1, I64)
        np.cumsum(np.bincount(steps - k0, minlength=k1 - k0), out=ptr[1:])
        return ptr, ids.astype(I64)

    def _current_table(self, k0, k1):
        idx, cols = [], []
        for p in self.network.populations:
            lo = self.c.pop_lo[p.index]
            total = None
            for s_i, src in enumerate(p.sources):
                key = (3, p.index, s_i)
                tab = src.table(k0, self.dt, k1 - k0, p.size,
                                lambda b, src=src, key=key, n=p.size: self._block(key, b, lambda r: src.draw(r, n)))
                if tab is not None and src.cells is not None:
                    tab = np.where(np.isin(np.arange(p.size), src.cells)[None, :], tab, 0.0)
                if tab is not None:
                    total = tab if total is None else total + tab
            if total is not None:
                idx.append(np.arange(lo, lo + p.size, dtype=I64))
                cols.append(total)
        if not idx:
            return np.zeros(0, I64), np.zeros((k1 - k0, 0))
        if len(cols) == 1:  # one injected population: no copy of the whole table
            return idx[0], np.ascontiguousarray(cols[0])
        return np.concatenate(idx), np.ascontiguousarray(np.concatenate(cols, axis=1))

    # -- running -----------------------------------------------------------------------------
    @keywords
    def run(self, duration, report=None):
        """Advance by ``duration`` ms, a whole number of steps ``dt``.

        ``report`` is None, ``"text"`` (progress on stderr) or a callable
        ``report(fraction_done, t_ms)``.
        """
        duration = check_scalar("Simulator.run", "duration", duration, low=0.0)
        if report not in (None, "text") and not callable(report):
            raise fail("Simulator.run", "report", report, "expected None, 'text' or a callable(fraction, t_ms)")
        n_steps = steps_of("Simulator.run", "duration", duration, self.dt)
        if self.step + n_steps > MAX_STEPS:
            raise fail("Simulator.run", "duration", duration, f"the simulation may last at most {MAX_STEPS:.3g} steps "
                       f"({MAX_STEPS * self.dt:.3g} ms at dt = {self.dt} ms) in all")
        self._sync_in()
        n_cur = int(sum(p.size for p in self.network.populations if p.sources))
        chunk = max(1, min(MAX_CHUNK_STEPS, CHUNK_TABLE // max(1, n_cur)))
        if chunk >= BLOCK:   # chunks of whole random-input blocks: a block's draws are the chunk's table, not copied
            chunk -= chunk % BLOCK
        start_step, t_wall = self.step, time.perf_counter()
        end = self.step + n_steps
        cuts = range((self.step // chunk + 1) * chunk, end, chunk)
        bounds = list(zip((self.step, *cuts), (*cuts, end))) if n_steps else []
        # the next chunk's inputs (random draws, tables) are made on a helper thread while the kernel (which
        # releases the GIL) runs this one on the other threads, where the chunk's plan has one (see _plan); the
        # inputs depend only on the steps, so the result is the same
        helper, ahead = None, None
        try:
            for i, (k0, k1) in enumerate(bounds):
                self._ran, self._kernel_threads, helped = plan = self._plan(k1 - k0, len(bounds), len(bounds) - i)
                t0 = time.perf_counter()
                drawn_ahead = ahead is not None
                inputs = ahead.result() if drawn_ahead else self._inputs(k0, k1)
                t1 = time.perf_counter()
                ahead = None
                self._go = threading.Event()
                if helped and i + 1 < len(bounds):
                    helper = helper or ThreadPoolExecutor(1)
                    ahead = helper.submit(self._inputs_once, self._go, *bounds[i + 1])
                self._compiled = False
                self._run_chunk(k0, k1, inputs)
                # what the chunk cost as it would in a run of this plan: its inputs are drawn ahead if it has a helper
                if not self._compiled:
                    self._timed(plan, k1 - k0, time.perf_counter() - t1 + (t1 - t0 if drawn_ahead or not helped
                                                                            else 0.0))
                if report is not None:
                    frac = (self.step - start_step) / max(1, n_steps)
                    if report == "text":
                        print(f"neuromem: {100 * frac:5.1f}% of {duration:g} ms simulated "
                              f"({time.perf_counter() - t_wall:.2f} s)", file=sys.stderr)
                    else:
                        report(frac, self.t)
        finally:
            if helper is not None:
                self._go.set()      # a helper still waiting for a kernel that did not start
                helper.shutdown(cancel_futures=True)
        self._sync_out()
        return self

    def _plan(self, steps, chunks, left) -> tuple:
        """How the float engine runs the next chunk of ``steps`` steps, of a run of ``chunks`` chunks of which this is
        the ``left``-th last: ``(time loop, its threads, whether a helper thread draws the next chunk's inputs)``.

        With several threads the parallel plan splits each step over them (:meth:`_kernel`), beside a helper
        thread where there are random inputs to draw, unless the epoch kernel runs the network and no noise current
        is drawn (a value per neuron and step, which costs what the kernel does): measured faster on 2 cores than a
        helper beside one kernel thread.  The serial plan runs the serial loop, beside a helper where there are
        random inputs.  The first chunk of at least :data:`TRIAL_STEPS` steps runs the parallel plan, a later one
        (with three chunks or more after it in its run, to gain from the outcome) the serial one, each timed; then
        the faster runs for this network and thread count: a network too small to gain from the split, or a machine
        whose memory is the bottleneck, is not run slower on many threads than on one.  Both give the same
        result."""
        if self.fixed:
            return "serial", 1, False
        random = chunks > 1 and self.threads > 1 and self._random_inputs()
        helped = random and (self._kernel(self.threads) != "epochs" or self._noise_currents())
        threads = self.threads - helped
        parallel = (self._kernel(threads), threads, helped)
        if parallel[0] == "serial" or not ADAPTIVE:
            return parallel
        serial = ("serial", 1, random)
        if self._trials.get("network") is not self.c or self._trials.get("threads") != self.threads:
            self._trials = {"network": self.c, "threads": self.threads, "s/step": {}}
        times = self._trials["s/step"]
        if len(times) == 2:
            return min((parallel, serial), key=lambda plan: times[plan[0]])
        return serial if parallel[0] in times and steps >= TRIAL_STEPS and left >= 4 else parallel

    def _timed(self, plan, steps, seconds) -> None:
        """Note the time of a chunk run on ``plan`` (see :meth:`_plan`) while the plans are on trial."""
        times = self._trials.get("s/step")
        if steps >= TRIAL_STEPS and times is not None and self._trials["network"] is self.c \
                and len(times) < 2 and plan[0] not in times:
            times[plan[0]] = seconds / steps

    def _random_inputs(self) -> bool:
        """Whether drawing the inputs takes time worth a thread of its own: random spike sources or currents."""
        return any(isinstance(p.celltype, (SpikeSourcePoisson, RenewalSource)) for p in self.network.populations) \
            or self._noise_currents()

    def _noise_currents(self) -> bool:
        """Whether a population has a random current (a draw per neuron and step)."""
        return any(getattr(src, "stochastic", False) for p in self.network.populations for src in p.sources)

    def _inputs(self, k0, k1):
        """The spike sources' events and the injected currents of steps ``k0 .. k1 - 1``."""
        return self._source_table(k0, k1), self._current_table(k0, k1)

    def _inputs_once(self, go, k0, k1):
        """:meth:`_inputs` on the helper thread once ``go`` is set, when the kernel is about to release the GIL
        (a helper that took the GIL first held the kernel's start back by up to the interpreter's switch interval,
        5 ms: a third of a chunk of the propagation benchmark)."""
        go.wait()
        return self._inputs(k0, k1)

    def _run_chunk(self, k0, k1, inputs):
        c = self.c
        (src_ptr, src_ids), (cur_idx, cur_val) = inputs
        rec_buf = np.zeros((k1 - k0, self._rec_idx.size), dtype=np.int64 if self.fixed else float)
        cap = max(4 * c.n, 1024)
        if not self.fixed and self._ran == "epochs":  # room for a whole epoch's spikes
            cap = max(cap, 2 * self._epoch() * c.n)
        spk_t, spk_id = np.zeros(cap, I64), np.zeros(cap, I64)
        n_spk = np.zeros(1, I64)
        if self.fixed:
            spikes = np.zeros(c.n, I64)
            cur_col = np.full(c.n, -1, I64)
            cur_col[cur_idx] = np.arange(cur_idx.size)
            cur_val = fixed_currents(cur_val)
        else:
            icur = aligned_zeros(c.cols)
        k = k0
        while k < k1:
            if self.fixed:
                k = run_ticks(k, k1, k0, c.pop_kind, c.pop_lo, c.pop_hi, c.pop_of, self._pop_rec_spk, c.V, c.U,
                              c.refract, c.this_h, c.syn, c.v_rest, c.r_mem, c.exp_tc, c.i_offset, c.v_reset,
                              c.v_thresh, c.t_refract, c.decay, c.init, c.v_rev, c.izh, c.input_kind, c.delta_scale,
                              c.shift, c.ring, c.mask, c.saturated, src_ptr, src_ids, cur_col, cur_val,
                              c.prj_pre_pop, c.prj_type,
                              c.prj_rule, c.prj_row_off, c.rowptr, c.syn_post, c.syn_w, c.syn_d, c.prj_post_pop, c.prj_delay, c.prj_full,
                              c.rule_par, c.hdr_off, c.hdr_time, c.hdr_trace, c.lut_plus, c.lutp_off, c.lut_minus,
                              c.lutm_off, c.post_lut, c.hist_t, c.hist_tr, c.hist_cnt, spikes, spk_t, spk_id, n_spk,
                              self._rec_flag, self._rec_idx, self._rec_row, rec_buf)
            else:
                args = (k, k1, k0, self.dt, c.pop_kind, c.pop_lo, c.pop_hi, c.pop_uniform, c.pop_has_current,
                        self._pop_rec_spk,
                        c.st, c.par, c.refr, c.refr_steps, icur, cur_idx, cur_val, src_ptr, src_ids,
                        c.ring, c.hist, c.hist_n, c.mask,
                        c.prj_pre_pop, c.prj_post_lo, c.prj_post_n, c.prj_rec, c.prj_row_off, c.prj_dense,
                        c.prj_delay, c.prj_inline, c.rowptr, c.syn_post, c.syn_w, c.syn_d, c.prj_tm, c.tm_par,
                        c.tm_st, c.tm_last,
                        self._stochastic_seed(), c.pop_has_pin, c.pin_lam, c.pin_p0, c.pin_w,
                        self._poisson_input_seed(),
                        c.rule_kind, c.rule_par, c.rule_prj, c.kp_off, c.kp_val, c.kp_t, c.km_off, c.km_val,
                        c.km_t, c.col_off, c.colptr, c.colsyn, c.colpre, c.elig, c.modv, c.mod_decay,
                        spk_t, spk_id, n_spk, self._rec_idx, self._rec_row, rec_buf)
                k = self._advance(args)
            if k < k1:  # spike record full: grow and resume
                spk_t = np.concatenate((spk_t, np.zeros(spk_t.size, I64)))
                spk_id = np.concatenate((spk_id, np.zeros(spk_id.size, I64)))
        self.step = k1
        if self.fixed:
            rec_buf = rec_buf / 32768.0      # s16.15 bits as mV, nA or uS
        self._store(spk_t[:n_spk[0]], spk_id[:n_spk[0]], rec_buf)
        if not self.fixed and not np.isfinite(c.st).all():
            self._non_finite()

    def _kernel(self, threads) -> str:
        """Which time loop runs the float engine on ``threads`` threads: ``"serial"`` (:func:`run_steps`), or for a
        network large enough to gain from more threads ``"epochs"`` (:func:`run_steps_epochs`, when every delay is
        two steps or more and nothing is plastic; from :data:`EPOCH_MIN_NEURONS` neurons) or ``"parallel"``
        (:func:`run_steps_parallel`; two synchronisations a step, from :data:`PARALLEL_MIN_SYNAPSES` synapses or
        :data:`PARALLEL_MIN_NEURONS` neurons).  NEST brings its own OpenMP runtime: numba's OpenMP threads beside it
        in one process crash, so with NEST loaded (the cross-checks) the engine stays on one thread.  All give the
        same result."""
        if threads == 1 or "nest" in sys.modules:
            return "serial"
        epochs = self._epoch() >= 2
        if epochs and self.c.n >= EPOCH_MIN_NEURONS:
            return "epochs"
        # a fork and join costs several us: with a fork and join each step (epochs of one step) it was slower than
        # one thread (CUBA, 10 s on 2 threads: 1.0 s against 0.4 s)
        if self.c.syn_w.size < PARALLEL_MIN_SYNAPSES and self.c.n < PARALLEL_MIN_NEURONS:
            return "serial"
        return "epochs" if epochs else "parallel"

    def _epoch(self) -> int:
        """Steps a thread may advance its neurons alone (:func:`run_steps_epochs`): the shortest delay of the
        projections that travel at the epoch's end (``CompiledNetwork.epoch_delay``), at most half the ring (the
        spike history holds two epochs); at most :data:`EPOCH_MAX_STEPS`, and short enough for the epoch's spike
        buffers (a step's worth per neuron) to hold :data:`EPOCH_BUFFER` entries; 0 with plasticity, which
        interleaves with each step."""
        if self.c.rule_kind.size:
            return 0
        epoch = min(EPOCH_MAX_STEPS, max(2, EPOCH_BUFFER // max(1, self.c.n)))
        if self.c.epoch_delay < MAX_DELAY_STEPS:
            epoch = min(epoch, self.c.epoch_delay, self.c.ring_len // 2)
        return epoch

    def _advance(self, args):
        """Run the chunk's time loop (``_ran``, chosen by :meth:`_plan`) on its threads (the same result whichever
        runs); ``_compiled`` notes that numba compiled or loaded it for these argument types on the way."""
        kernel = {"serial": run_steps, "epochs": run_steps_epochs, "parallel": run_steps_parallel}[self._ran]
        known = len(getattr(kernel, "signatures", ()))
        self._go.set()
        try:
            return self._call(kernel, args)
        finally:
            self._compiled |= len(getattr(kernel, "signatures", ())) != known

    def _call(self, kernel, args):
        threads = self._kernel_threads
        if kernel is run_steps:
            return run_steps(*args)
        import numba
        previous = numba.get_num_threads()
        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
        try:
            if kernel is run_steps_epochs:   # the plasticity arrays (16, before the record's 6) are not passed
                return run_steps_epochs(*args[:-22], *args[-6:],
                                        *epoch_plan(self.c, threads, self._epoch(), args[15], args[-3]))
            if self._chunks is None or self._chunks[0] != (self.c.n, threads):
                self._chunks = ((self.c.n, threads), *parallel_chunks(self.c, threads))
            return run_steps_parallel(*args, *self._chunks[1:])
        finally:
            numba.set_num_threads(previous)

    def _non_finite(self):
        """Say which population's state left the finite numbers (instead of carrying NaN on silently)."""
        bad = np.flatnonzero(~np.isfinite(self.c.st).all(axis=0))[0]
        p = self.network.populations[int(np.searchsorted(self.c.pop_hi, bad, side="right"))]
        rows = STATE_ROWS.get(type(p.celltype).__name__, {})
        state = {k: float(self.c.st[r, bad]) for k, r in rows.items()}
        raise fail(f"Simulator ({p.label})", "state", state, f"neuron {bad - self.c.pop_lo[p.index]} reached a "
                   f"non-finite state by t = {self.t:g} ms: its parameters or inputs drive it beyond the numbers "
                   f"the integration scheme can hold; check weights, currents and cell parameters")

    def _store(self, stamps, gids, rec_buf):
        if stamps.size:
            which = np.searchsorted(self.c.pop_hi, gids, side="right")
            for i in np.flatnonzero(np.bincount(which)):
                sel = which == i
                self._spikes[int(i)].append((stamps[sel], gids[sel] - self.c.pop_lo[i]))
        col = 0
        for pop_i, var, n in self._rec_owners:
            self._signals[pop_i].setdefault(var, []).append(rec_buf[:, col:col + n].copy())
            col += n

    # -- state -----------------------------------------------------------------------------------
    def state_dict(self) -> tuple[dict, dict]:
        """The dynamic state: ``(arrays, meta)``, what :meth:`load_state_dict` restores bit for bit.

        Arrays: neuron state, refractory counters, delay ring buffers and spike history, weights,
        STDP traces, eligibility and its scale, modulators.  Meta (JSON): time step number, reset
        counter (which random streams are in use), dt, timing, and the sizes the state belongs to.
        """
        if self.fixed:
            arrays = {k: getattr(self.c, k).copy() for k in FIXED_STATE}
        else:
            arrays = {k: self._state_array(k).copy() for k in STATE_ARRAYS}
            arrays["elig_scale"] = self.c.rule_par[:, ELIG_SCALE].copy()  # true eligibility = elig * scale
        meta = {"step": int(self.step), "segment": int(self._segment), "dt": self.dt, "timing": self.timing,
                "n": int(self.c.n), "n_syn": int(self.c.syn_w.size)}
        return arrays, meta

    def _state_array(self, name):
        """State array ``name`` of the float engine without the padding columns of the per-neuron arrays."""
        a = getattr(self.c, name)
        return a[..., :self.c.n] if name in ("st", "refr", "ring") else a

    def load_state_dict(self, arrays: dict, meta: dict) -> None:
        """Restore a state from :meth:`state_dict` of a simulator of the same network, dt and timing."""
        self._sync_in()
        mine = {"n": int(self.c.n), "n_syn": int(self.c.syn_w.size), "dt": self.dt, "timing": self.timing}
        theirs = {k: meta.get(k) for k in mine}
        if theirs != mine:
            raise fail("Simulator.load_state_dict", "meta", theirs, f"expected a state of this simulator's "
                       f"network and settings {mine}")
        for k in (FIXED_STATE if self.fixed else STATE_ARRAYS):
            target = getattr(self.c, k) if self.fixed else self._state_array(k)
            value = np.asarray(arrays[k])
            if value.shape != target.shape:
                raise fail("Simulator.load_state_dict", k, value, f"expected shape {target.shape}")
            target[...] = value
        if not self.fixed:
            self.c.rule_par[:, ELIG_SCALE] = arrays.get("elig_scale", np.ones(self.c.rule_par.shape[0]))
        self.step, self._segment = int(meta["step"]), int(meta["segment"])
        self._blocks = {}
        self._sync_out()

    def reset(self) -> None:
        """Back to ``t = 0`` with the initial values (PyNN's ``reset``).

        Neuron state, refractory counters, delay buffers, spike history, STDP traces,
        eligibility and modulators start again; weights keep what plasticity made of them
        (as in PyNN).  Recorded data of the runs so far is discarded.
        """
        self._sync_in()
        for p in self.network.populations:
            self.c.load_initial(p)
        self.c.clear_dynamics()
        self.step = 0
        self._segment += 1
        self._blocks = {}
        self._spikes = {p.index: [] for p in self.network.populations}
        self._signals = {p.index: {} for p in self.network.populations}

    # -- results and control ------------------------------------------------------------------
    @keywords
    def get_data(self, population) -> Recording:
        """Everything ``population`` recorded so far, as a :class:`Recording`."""
        if population not in self.network.populations:
            raise fail("Simulator.get_data", "population", population, "expected a population of this network")
        chunks = self._spikes[population.index]
        stamps = np.concatenate([c[0] for c in chunks]) if chunks else np.zeros(0, I64)
        ids = np.concatenate([c[1] for c in chunks]) if chunks else np.zeros(0, I64)
        keep = population.recorded.get("spikes")
        if keep is not None and keep.size != population.size:
            mask = np.isin(ids, keep)
            stamps, ids = stamps[mask], ids[mask]
        signals = {v: np.concatenate(parts) for v, parts in self._signals[population.index].items()}
        n_samples = next(iter(signals.values())).shape[0] if signals else 0
        return Recording(population.label, population.size, self.dt, duration=self.t,
                         spike_times=stamps * self.dt, spike_ids=ids, signals=signals,
                         signal_indices={v: population.recorded[v] for v in signals},
                         times=np.arange(n_samples) * self.dt)

    @keywords
    def spikes(self, population, start=0.0) -> tuple[np.ndarray, np.ndarray]:
        """``(times, ids)`` of the spikes of ``population`` at ``t >= start`` (ms).

        Reads only the chunks that can hold such spikes, so polling the latest
        spikes after each short run costs O(new spikes), not O(all spikes).
        """
        if population not in self.network.populations:
            raise fail("Simulator.spikes", "population", population, "expected a population of this network")
        chunks = self._spikes[population.index]
        first = int(math.ceil(start / self.dt - 1e-9))
        keep = []
        for stamps, ids in reversed(chunks):
            keep.append((stamps, ids))
            if stamps.size and stamps[0] < first:
                break
        if not keep:
            return np.zeros(0), np.zeros(0, I64)
        stamps = np.concatenate([c[0] for c in reversed(keep)])
        ids = np.concatenate([c[1] for c in reversed(keep)])
        sel = stamps >= first
        return stamps[sel] * self.dt, ids[sel]

    @keywords
    def weights(self, projection) -> np.ndarray:
        """Current weights of ``projection`` (one per synapse, in its order)."""
        if self.fixed:
            return self.c.weights(projection)
        return self.c.syn_w[self.c.syn_lo[projection.index]:self.c.syn_hi[projection.index]].copy()

    def eligibility(self, projection) -> np.ndarray:
        """Eligibility traces of a three-factor projection at the current time.

        The kernel stores each trace as its value at the next weight update;
        this carries it back to ``t`` (exact when no spike is pending).
        """
        r = self._rule(projection, "eligibility")
        every = int(self.c.rule_par[r, 11])
        next_update = (self.step // every + 1) * every
        back = np.exp((next_update - self.step) * self.dt / self.c.rule_par[r, 7])
        scale = self.c.rule_par[r, ELIG_SCALE]
        return self.c.elig[self.c.syn_lo[projection.index]:self.c.syn_hi[projection.index]] * (scale * back)

    def _rule(self, projection, what):
        r = self.c.rule_of.get(getattr(projection, "index", None))
        if r is None or self.c.rule_kind[r] != 1:
            raise fail(f"Simulator.{what}", "projection", projection, "expected a projection with a ThreeFactorSynapse")
        return r

    def set_modulator(self, projection, value) -> None:
        """Set the neuromodulator level ``M`` of a three-factor projection."""
        self.c.modv[self._rule(projection, "set_modulator")] = check_scalar("Simulator.set_modulator", "value", value)

    def deliver_modulator(self, projection, amount) -> None:
        """Add ``amount`` to the modulator (a reward or dopamine pulse)."""
        self.c.modv[self._rule(projection, "deliver_modulator")] += check_scalar(
            "Simulator.deliver_modulator", "amount", amount)

    def modulator(self, projection) -> float:
        """Current modulator level of a three-factor projection."""
        return float(self.c.modv[self._rule(projection, "modulator")])

    @keywords
    def state(self, population, variable) -> np.ndarray:
        """Current values of a state variable of ``population``."""
        rows = STATE_ROWS.get(type(population.celltype).__name__, {}) if not self.fixed else \
            {k: None for k in population.celltype.initial_values}
        if variable not in rows:
            raise fail(f"Simulator.state ({population.label})", "variable", variable, f"valid: {sorted(rows)}")
        lo, hi = self.c.pop_lo[population.index], self.c.pop_hi[population.index]
        if self.fixed:
            return self.c.state(variable, lo, hi)
        return self.c.st[rows[variable], lo:hi].copy()

    def board_report(self):
        """What the emulated SpiNNaker board does that a float simulator would not (``timing="spinnaker"``):
        a :class:`~neuromem.core.spinnaker.BoardReport`."""
        if not self.fixed:
            raise NotSupportedError("Simulator.board_report: only timing='spinnaker' emulates a board")
        rep = self.c.report
        rep.saturated = {p.label: int(self.c.saturated[p.index]) for p in self.network.populations}
        return rep
