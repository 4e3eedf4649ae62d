r"""Hopfield-type associative memories: classical, dense (p-body / exponential) and modern.

* :class:`ClassicalHopfield` — Hopfield (1982): bipolar states, couplings from a
  learning rule (Hebbian, pseudoinverse, Storkey), zero diagonal, asynchronous
  updates in a seeded random order, a synchronous option, Glauber dynamics at T.
* :class:`DenseHopfield` — Krotov & Hopfield (2016) E = -sum_mu F(xi^mu . s) with
  F(x) = x^n (or rectified), and Demircigil et al. (2017) F = exp; the K overlaps
  are kept and updated per flip (O(K) per neuron update).  Agliari-Barra couplings
  from noisy examples come from :meth:`DenseHopfield.from_examples`.
* :class:`ModernHopfield` — Ramsauer et al. (2020): continuous states, the update
  xi <- X^T softmax(beta X xi), batched over many queries.

All offer the memory protocol of :mod:`neuromem.models.base`: ``store(patterns)`` with
patterns of shape (K, N), ``recall(cue, *, seed=None, max_sweeps=...) -> RecallResult``,
``recognize(probe)`` (familiarity from the energy), ``overlaps(state)`` and ``energy(state)``.
"""
from __future__ import annotations

import math

import numpy as np

from ..._checks import as_array, check_int, check_scalar, fail
from ...params import Choice, Integer, Number, check_memory
from . import _kernels as hk
from ...random import generator
from ..base import AssociativeMemory, RecallResult, register_memory

LEARNING_RULES = ("hebbian", "pseudoinverse", "storkey")
#: the largest interaction order of DenseHopfield
MAX_DEGREE = 100
UPDATES = ("async", "sync")
ENERGIES = ("poly", "exp")


_POOL = None


def _threaded_rows(ufunc, a):
    """Apply a NumPy ufunc in place to the rows of ``a``, split over Numba's thread count (ufuncs release the GIL)."""
    global _POOL
    import numba
    from concurrent.futures import ThreadPoolExecutor
    workers = numba.get_num_threads()
    if workers < 2 or a.shape[0] < 2 * workers:
        ufunc(a, out=a)
        return
    if _POOL is None or _POOL._max_workers != workers:
        _POOL = ThreadPoolExecutor(workers)
    bounds = np.linspace(0, a.shape[0], workers + 1).astype(int)
    list(_POOL.map(lambda lo_hi: ufunc(a[lo_hi[0]:lo_hi[1]], out=a[lo_hi[0]:lo_hi[1]]),
                   zip(bounds[:-1], bounds[1:])))


def _seeds(seed, count, owner):
    """``count`` SplitMix64 seeds drawn from ``seed``'s Generator."""
    return generator(owner, 0 if seed is None else seed).integers(0, 2**63, size=count, dtype=np.uint64)


class _BipolarMemory(AssociativeMemory):
    """Shared cue handling of the bipolar (+-1 state) memories."""

    alphabet = "bipolar"
    allow_zeros = False

    def check_patterns(self, patterns, param="patterns", ndim=2, unknown=False):
        if self.allow_zeros:
            arr = as_array(self.name, param, patterns)
            arr = arr[None, :] if ndim == 2 and arr.ndim == 1 else arr
            if arr.ndim != ndim or (self.n is not None and arr.shape[-1] != self.n):
                raise fail(self.name, param, arr, f"expected shape (K, {self.n or 'N'})")
            if not np.isin(arr, (-1.0, 0.0, 1.0)).all():
                raise fail(self.name, param, arr, f"{self.name}(diluted=True) takes patterns with values -1, 0, +1")
            return arr
        return super().check_patterns(patterns, param, ndim, unknown)

    def _check_stored(self, patterns):
        p = self.check_patterns(patterns)
        if p.shape[0] == 0:
            raise fail(self.name, "patterns", p, "expected at least one pattern (shape (K, N) with K >= 1)")
        return p

    def _cues(self, cue, seed, batch=False):
        """Cues as a float (B, N) array; entries 0 are unknown bits, filled with seeded random +-1.

        ``batch=False`` takes exactly one cue (N,); ``recall_many`` passes ``batch=True``.
        """
        x = np.array(as_array(self.name, "cue", cue), dtype=float, ndmin=1)
        if x.ndim == 2 and not batch:
            raise fail(self.name, "cue", x, f"expected one cue of shape ({self.n},); recall a batch with recall_many")
        single = x.ndim == 1
        x = x[None, :] if single else x
        if self.patterns is None:
            raise fail(self.name, "patterns", None, "store patterns before recall")
        if x.ndim != 2 or x.shape[1] != self.n:
            raise fail(self.name, "cue", x, f"expected a cue of length N = {self.n} (or a (B, {self.n}) batch)")
        if not np.isin(x, (-1.0, 0.0, 1.0)).all():
            raise fail(self.name, "cue", x, "expected entries +-1 (0 marks an unknown bit)")
        blank = x == 0
        if blank.any():
            rng = generator(f"{self.name}.recall", 0 if seed is None else seed)
            x[blank] = np.where(rng.random(int(blank.sum())) < 0.5, -1.0, 1.0)
        return x, single


@register_memory
class ClassicalHopfield(_BipolarMemory):
    r"""The Hopfield (1982) network with a choice of learning rule.

    E(s) = -1/2 sum_ij W_ij s_i s_j with W_ii = 0.  Learning rules:

    * ``"hebbian"``: W = (1/N) sum_mu xi^mu xi^mu^T (Hopfield 1982);
    * ``"pseudoinverse"``: W = X^T (X X^T)^+ X, the projector onto the patterns'
      span (Personnaz, Guyon & Dreyfus 1985), diagonal then set to zero;
    * ``"storkey"``: incremental W_ij += (xi_i xi_j - xi_i h_ji - h_ij xi_j) / N with
      h_ij = sum_{k != i, j} W_ik xi_k (Storkey 1997).

    Parameters
    ----------
    n : int, optional; number of neurons (taken from the first patterns otherwise)
    learning : one of ``LEARNING_RULES``
    update : ``"async"`` (random order each sweep, seeded) or ``"sync"`` (all at once)
    temperature : Glauber temperature T >= 0 (asynchronous only); 0 is deterministic
    diluted : accept patterns with zeros (a fraction d of blank entries)
    """

    learning = Choice(LEARNING_RULES, doc="learning rule (applies to the next store)")
    update = Choice(UPDATES, doc="update schedule")
    temperature = Number(low=0.0, doc="Glauber temperature")

    def __init__(self, n=None, learning="hebbian", update="async", temperature=0.0, diluted=False):
        super().__init__(None if n is None else check_int("ClassicalHopfield", "n", n, low=2))
        if n is not None:
            check_memory("ClassicalHopfield", "n", n, 32.0 * n * n)
        self.learning, self.update, self.temperature = learning, update, temperature
        if self.temperature > 0 and update == "sync":
            raise fail("ClassicalHopfield", "temperature", temperature, "Glauber dynamics needs update='async'")
        self.allow_zeros = bool(diluted)
        self.weights = None

    def store(self, patterns) -> None:
        """Add patterns (K, N) and rebuild (or, for Storkey, extend) the couplings."""
        p = self._check_stored(patterns)
        self.n = p.shape[1]
        check_memory(self.name, "patterns", p, 32.0 * self.n * self.n)   # couplings and their temporaries
        self.patterns = p if self.patterns is None else np.vstack((self.patterns, p))
        n = self.n
        if self.learning == "hebbian":
            w = self.patterns.T @ self.patterns / n
        elif self.learning == "pseudoinverse":
            x = self.patterns
            w = x.T @ np.linalg.pinv(x @ x.T) @ x
        else:
            w = np.zeros((n, n)) if self.weights is None else self.weights
            for xi in p:
                h = w @ xi  # h_ij = h_i - W_ij xi_j (W_ii = 0)
                sq = xi * xi
                w = w + (np.outer(xi, xi) - np.outer(xi, h) - np.outer(h, xi) + w * (sq[:, None] + sq[None, :])) / n
                np.fill_diagonal(w, 0.0)
        np.fill_diagonal(w, 0.0)
        self.weights = np.ascontiguousarray(0.5 * (w + w.T))
        self._tie = self.tie_tolerance(self.weights)

    @staticmethod
    def tie_tolerance(weights) -> float:
        """Fields this close to 0 count as ties (rounding in the running field is far below it)."""
        return 1e-10 * float(np.abs(weights).sum(axis=1).max()) if weights.size else 0.0

    def energy(self, state) -> float:
        """E = -1/2 s^T W s."""
        s = self.check_cue(state, "state")
        return float(-0.5 * s @ self.weights @ s)

    def recall(self, cue, *, seed=None, max_sweeps=100) -> RecallResult:
        """Run the dynamics from ``cue`` (0 entries: unknown bits) until a fixed point or ``max_sweeps``.

        ``seed`` draws the unknown bits and the asynchronous update order.
        ``info["energy_trace"]`` holds the energy after each sweep; a synchronous
        run that ends in a two-cycle is reported as not converged.
        """
        max_sweeps = check_int(self.name, "max_sweeps", max_sweeps, low=1)
        x, _ = self._cues(cue, seed)
        s = x[0].copy()
        if self.update == "sync":
            sweeps, converged, trace = self._sync(s, max_sweeps)
        else:
            state = _seeds(seed, 1, self.name)
            trace = np.zeros(max_sweeps)
            sweeps, converged = hk.pairwise_async(self.weights, s, state, max_sweeps, self.temperature, self._tie, trace)
            trace = trace[:sweeps]
        return RecallResult(state=s, converged=bool(converged), sweeps=int(sweeps), overlaps=self.overlaps(s),
                            energy=self.energy(s), info={"energy_trace": trace})

    def recognize(self, probe) -> float:
        r"""Familiarity :math:`-2E(s)/N`: about 1 for a stored pattern below capacity, about 0 for a random probe
        (:math:`E(s) = -\frac{1}{2} s^T W s` with Hebbian couplings gives
        :math:`-2E(\xi^\mu)/N \approx 1 - 1/N`, and zero mean over random states since :math:`W_{ii} = 0`)."""
        s = self.check_cue(probe, "probe")
        return -2.0 * self.energy(s) / self.n

    def recall_many(self, cues, max_sweeps=100, seed=None) -> tuple[np.ndarray, np.ndarray]:
        """Recall a batch (B, N) of cues in one kernel call; returns (states, converged)."""
        max_sweeps = check_int(self.name, "max_sweeps", max_sweeps, low=1)
        x, _ = self._cues(cues, seed, batch=True)
        if self.update == "sync":
            conv = np.array([self._sync(s, max_sweeps)[1] for s in x])
            return x, conv
        seeds = _seeds(seed, x.shape[0], self.name)
        sweeps = np.zeros(x.shape[0], dtype=np.int64)
        conv = np.zeros(x.shape[0], dtype=np.bool_)
        hk.pairwise_recall_many(self.weights, x, seeds, max_sweeps, self.temperature, self._tie, sweeps, conv)
        return x, conv

    def _sync(self, s, max_sweeps):
        prev = None
        trace = []
        for sweep in range(max_sweeps):
            h = self.weights @ s
            new = np.where(h > self._tie, 1.0, np.where(h < -self._tie, -1.0, s))
            trace.append(-0.5 * new @ self.weights @ new)
            if np.array_equal(new, s):
                return sweep + 1, True, np.array(trace)
            if prev is not None and np.array_equal(new, prev):
                s[:] = new
                return sweep + 1, False, np.array(trace)
            prev, s[:] = s.copy(), new
        return max_sweeps, False, np.array(trace)

    def state_dict(self):
        return ({"patterns": self.patterns, "weights": self.weights},
                {"n": self.n, "learning": self.learning, "update": self.update, "temperature": self.temperature,
                 "diluted": self.allow_zeros})

    @classmethod
    def from_state_dict(cls, arrays, config):
        m = cls(config["n"], config["learning"], config["update"], config["temperature"], config["diluted"])
        m.patterns, m.weights = arrays["patterns"], np.ascontiguousarray(arrays["weights"])
        m._tie = m.tie_tolerance(m.weights)
        return m


@register_memory
class DenseHopfield(_BipolarMemory):
    r"""Dense associative memory: E(s) = -sum_mu w_mu F(xi^mu . s).

    Asynchronous update (Krotov & Hopfield 2016, eq. 3)

        s_i <- sgn sum_mu w_mu [F(xi_i^mu + a_i^mu) - F(-xi_i^mu + a_i^mu)],
        a_i^mu = sum_{j != i} xi_j^mu s_j,

    computed from the K overlaps kept up to date per flip, O(K) per neuron update;
    the order-n coupling tensor is never built.  F(x) = x^n (``energy="poly"``,
    ``degree=n``), max(x, 0)^n (``rectified=True``), or exp(x) (``energy="exp"``,
    Demircigil et al. 2017, evaluated with log-sum-exp so large N and K do not
    overflow).  Stored rows have weight w_mu = 1 unless built by :meth:`from_examples`.

    Parameters
    ----------
    n : int, optional; number of neurons
    energy : ``"poly"`` or ``"exp"``
    degree : interaction order n >= 2 (``"poly"`` only)
    rectified : use F(x) = max(x, 0)^n
    """

    degree = Integer(low=2, high=MAX_DEGREE, doc="interaction order n of F(x) = x^n (published dense memories use "
                                                 "up to about 30; x^n overflows beyond)")

    def __init__(self, n=None, energy="poly", degree=3, rectified=False):
        super().__init__(None if n is None else check_int("DenseHopfield", "n", n, low=2))
        if energy not in ENERGIES:
            raise fail("DenseHopfield", "energy", energy, f"expected one of {ENERGIES}")
        self.energy_kind = energy
        self.degree = degree
        self.rectified = bool(rectified)
        if energy == "exp" and rectified:
            raise fail("DenseHopfield", "rectified", rectified, "only energy='poly' can be rectified")
        self.kind = hk.EXP if energy == "exp" else (hk.RECTIFIED if rectified else hk.POLY)
        self.rows = None          # stored rows (K, N), float
        self.row_weight = None    # w_mu
        self._xt = None

    def _set_rows(self, rows, weights):
        n = rows.shape[1]
        if self.kind != hk.EXP and self.degree * math.log(max(n, 2)) > 700:      # N^n beyond float64's 1.8e308
            raise fail(self.name, "degree", self.degree, f"F(x) = x^{self.degree} of overlaps up to N = {n} overflows "
                       f"double precision; expected degree <= {int(700 / math.log(max(n, 2)))} at this N")
        self.rows = rows if self.rows is None else np.vstack((self.rows, rows))
        self.row_weight = weights if self.row_weight is None else np.concatenate((self.row_weight, weights))
        self.n = self.rows.shape[1]
        self.patterns = self.rows
        self._xt = np.ascontiguousarray(self.rows.T)
        self._bipolar = bool(np.isin(self.rows, (-1.0, 1.0)).all())

    def store(self, patterns) -> None:
        """Add bipolar patterns (K, N), each with weight 1."""
        p = self._check_stored(patterns)
        self._set_rows(p, np.ones(p.shape[0]))

    @classmethod
    def from_examples(cls, examples, labels=None, degree=2, energy="poly", rectified=False):
        r"""Couplings from M noisy examples per archetype (Agliari, Barra et al. 2023).

        Supervised (``labels`` given): one row per class, the mean example
        eta_bar^mu = (1/M) sum_a eta^{mu,a}, so E = -sum_mu F(eta_bar^mu . s).
        Unsupervised (no labels): every example is a row with weight 1/M_total,
        E = -(1/M) sum_{mu,a} F(eta^{mu,a} . s).  For degree 2 these are the
        supervised and unsupervised Hebbian couplings.

        Parameters
        ----------
        examples : (S, N) array of +-1 examples
        labels : (S,) class labels, or None for the unsupervised construction
        degree : the interaction order P
        """
        mem = cls(None, energy=energy, degree=degree, rectified=rectified)
        ex = mem._check_stored(examples)
        if labels is None:
            mem._set_rows(ex, np.full(ex.shape[0], 1.0 / ex.shape[0]))
            mem.supervised = False
            return mem
        lab = np.asarray(labels)
        if lab.shape != (ex.shape[0],):
            raise fail("DenseHopfield.from_examples", "labels", lab,
                       f"expected one label per example, shape ({ex.shape[0]},)")
        classes = np.unique(lab)
        means = np.array([ex[lab == c].mean(axis=0) for c in classes])
        mem._set_rows(means, np.ones(classes.size))
        mem.classes = classes
        mem.supervised = True
        return mem

    def _m(self, s):
        return self.rows @ np.asarray(s, dtype=float)

    def energy(self, state) -> float:
        """-sum_mu w_mu F(m_mu); for ``energy="exp"`` the log-scaled -log sum_mu w_mu exp(m_mu)."""
        s = self.check_patterns(state, "state", ndim=1) if not self.allow_zeros else as_array(self.name, "state", state)
        return float(hk.dense_energy(self._m(s), self.row_weight, self.kind, self.degree))

    def recall(self, cue, *, seed=None, max_sweeps=100) -> RecallResult:
        """Asynchronous dynamics from ``cue`` (0 entries: unknown bits) until a fixed point.

        ``seed`` draws the unknown bits and the update order.
        """
        max_sweeps = check_int(self.name, "max_sweeps", max_sweeps, low=1)
        x, _ = self._cues(cue, seed)
        s = x[0].copy()
        trace = np.zeros(max_sweeps)
        sweeps, conv = hk.dense_async(self._xt, self.row_weight, s, _seeds(seed, 1, self.name), max_sweeps,
                                      self.kind, self.degree, self._bipolar, trace)
        return RecallResult(state=s, converged=bool(conv), sweeps=int(sweeps), overlaps=self.overlaps(s),
                            energy=float(trace[sweeps - 1]), info={"energy_trace": trace[:sweeps]})

    def recognize(self, probe) -> float:
        r"""Familiarity from the energy, on the scale of an overlap: :math:`F^{-1}(-E(s)) / N`
        (for ``poly``, :math:`\mathrm{sign}(x)|x|^{1/n}/N` of :math:`x = \sum_\mu w_\mu F(\xi^\mu \cdot s)`;
        for ``exp``, :math:`-E/N` with the log-sum-exp energy).  About 1 for a stored pattern,
        about :math:`(K^{1/n}\sqrt{N})/N`, near 0, for a random probe at low load."""
        s = self.check_cue(probe, "probe")
        e = self.energy(s)
        if self.kind == hk.EXP:
            return -e / self.n
        return float(np.sign(-e) * abs(e) ** (1.0 / self.degree) / self.n)

    def recall_many(self, cues, max_sweeps=100, seed=None) -> tuple[np.ndarray, np.ndarray]:
        """Recall a batch (B, N) of cues in one kernel call; returns (states, converged)."""
        max_sweeps = check_int(self.name, "max_sweeps", max_sweeps, low=1)
        x, _ = self._cues(cues, seed, batch=True)
        sweeps = np.zeros(x.shape[0], dtype=np.int64)
        conv = np.zeros(x.shape[0], dtype=np.bool_)
        hk.dense_recall_many(self._xt, self.row_weight, x, _seeds(seed, x.shape[0], self.name), max_sweeps,
                             self.kind, self.degree, self._bipolar, sweeps, conv)
        return x, conv

    def state_dict(self):
        return ({"rows": self.rows, "row_weight": self.row_weight},
                {"n": self.n, "energy": self.energy_kind, "degree": self.degree, "rectified": self.rectified})

    @classmethod
    def from_state_dict(cls, arrays, config):
        m = cls(config["n"], config["energy"], config["degree"], config["rectified"])
        m._set_rows(arrays["rows"], arrays["row_weight"])
        return m


@register_memory
class ModernHopfield(AssociativeMemory):
    r"""Continuous modern Hopfield network (Ramsauer et al. 2020, arXiv 2008.02217).

    Update xi <- X^T softmax(beta X xi) with X the (K, d) stored patterns; energy

        E(xi) = -lse(beta, X xi) + xi.xi / 2 + ln(K) / beta + M^2 / 2,

    lse(beta, z) = ln(sum_mu exp(beta z_mu)) / beta, M the largest pattern norm.
    Batched: :meth:`retrieve` maps (B, d) queries to (B, d) in one pass.  The
    softmax drops weights below 2^-53 of the total (exact to double precision),
    which turns the second product into a sparse sum when beta separates the patterns.

    Parameters
    ----------
    beta : inverse temperature > 0
    n : pattern dimension d, optional
    """

    alphabet = "real"

    beta = Number(low=0.0, low_open=True, doc="inverse temperature of the softmax")

    def __init__(self, beta=1.0, n=None):
        super().__init__(None if n is None else check_int("ModernHopfield", "n", n, low=1))
        self.beta = beta

    def check_patterns(self, patterns, param="patterns", ndim=2, unknown=False):
        arr = as_array(self.name, param, patterns)
        arr = arr[None, :] if ndim == 2 and arr.ndim == 1 else arr
        if arr.ndim != ndim or (self.n is not None and arr.shape[-1] != self.n):
            raise fail(self.name, param, arr, f"expected shape {'(K, ' if ndim == 2 else '('}{self.n or 'd'})")
        if not np.isfinite(arr).all():
            raise fail(self.name, param, arr, "expected finite values (no NaN or inf)")
        return arr

    def store(self, patterns) -> None:
        """Add continuous patterns (K, d)."""
        p = self.check_patterns(patterns)
        if p.shape[0] == 0:
            raise fail(self.name, "patterns", p, "expected at least one pattern (shape (K, d) with K >= 1)")
        self.n = p.shape[1]
        self.patterns = np.ascontiguousarray(p if self.patterns is None else np.vstack((self.patterns, p)))

    def _queries(self, queries):
        if self.patterns is None:
            raise fail(self.name, "patterns", None, "store patterns before recall")
        q = as_array(self.name, "cue", queries)
        single = q.ndim == 1
        q = q[None, :] if single else q
        if q.ndim != 2 or q.shape[1] != self.n:
            raise fail(self.name, "cue", q, f"expected a cue of length d = {self.n} (or a (B, {self.n}) batch)")
        if not np.isfinite(q).all():
            raise fail(self.name, "cue", q, "expected finite values (no NaN or inf)")
        return q, single

    def retrieve(self, queries, steps=1) -> np.ndarray:
        """``steps`` softmax updates of a batch of queries (B, d) (or one (d,) query)."""
        q, single = self._queries(queries)
        steps = check_int(self.name, "steps", steps, low=1)
        for _ in range(steps):
            q = self._step(q)
        return q[0] if single else q

    def _step(self, q):
        scores = q @ self.patterns.T
        k = self.patterns.shape[0]
        cut = math.log(k) + hk.EXP_CUT
        smax, kept = hk.softmax_rows_kept(scores, self.beta, cut)
        out = np.empty_like(q)
        if kept.sum() <= 0.05 * scores.size:
            hk.softmax_combine_sparse(scores, smax, self.patterns, self.beta, cut, out)
        else:
            # dense softmax: NumPy's SIMD exp (Numba's scalar exp is 2-3x slower here), split over threads
            hk.shift_scale_rows(scores, smax, self.beta)
            _threaded_rows(np.exp, scores)
            z = scores.sum(axis=1)
            np.matmul(scores, self.patterns, out=out)
            out /= z[:, None]
        return out

    def recall(self, cue, *, seed=None, max_sweeps=1, tol=1e-12) -> RecallResult:
        """Iterate the update from ``cue`` up to ``max_sweeps`` times, stopping when it moves less than ``tol``.

        ``max_sweeps=1`` is the one-step retrieval.  The update is deterministic, so the result does not
        depend on ``seed`` (accepted for the common protocol).
        """
        max_sweeps = check_int(self.name, "max_sweeps", max_sweeps, low=1)
        if np.ndim(cue) == 2:
            raise fail(self.name, "cue", np.asarray(cue), f"expected one cue of shape ({self.n},); retrieve a batch "
                       "with retrieve()")
        q, _ = self._queries(cue)
        trace = [self.energy(q[0])]
        converged, steps = False, 0
        for steps in range(1, max_sweeps + 1):
            new = self._step(q)
            moved = float(np.abs(new - q).max())
            q = new
            trace.append(self.energy(q[0]))
            if moved < tol:
                converged = True
                break
        s = q[0]
        ov = self.overlaps(s)
        return RecallResult(state=s, converged=converged, sweeps=steps, overlaps=ov, energy=trace[-1],
                            info={"energy_trace": np.array(trace), "index": int(np.argmax(ov))})

    def recognize(self, probe) -> float:
        r"""Familiarity :math:`\mathrm{lse}(\beta, X\xi) / (\lVert\xi\rVert M)`: the softmax-weighted similarity
        of the probe to the stored patterns, on a cosine's scale (about 1 for a stored pattern when the
        patterns are well separated; about the largest chance cosine for a novel probe)."""
        q, _ = self._queries(probe)
        z = self.beta * (self.patterns @ q[0])
        zmax = z.max()
        lse = (zmax + math.log(np.exp(z - zmax).sum())) / self.beta
        big_m = np.linalg.norm(self.patterns, axis=1).max()
        return float(lse / max(np.linalg.norm(q[0]) * big_m, 1e-300))

    def overlaps(self, state) -> np.ndarray:
        """Cosine similarity of ``state`` with each stored pattern."""
        s = np.asarray(state, dtype=float)
        norms = np.linalg.norm(self.patterns, axis=1) * max(np.linalg.norm(s), 1e-300)
        return self.patterns @ s / np.maximum(norms, 1e-300)

    def energy(self, state) -> float:
        """E = -lse(beta, X xi) + xi.xi/2 + ln(K)/beta + M^2/2 (Ramsauer et al. 2020, eq. 2)."""
        s = np.asarray(state, dtype=float)
        z = self.beta * (self.patterns @ s)
        zmax = z.max()
        lse = (zmax + math.log(np.exp(z - zmax).sum())) / self.beta
        big_m = np.linalg.norm(self.patterns, axis=1).max()
        return float(-lse + 0.5 * s @ s + math.log(self.patterns.shape[0]) / self.beta + 0.5 * big_m ** 2)

    def state_dict(self):
        return {"patterns": self.patterns}, {"n": self.n, "beta": self.beta}

    @classmethod
    def from_state_dict(cls, arrays, config):
        m = cls(config["beta"], config["n"])
        m.store(arrays["patterns"])
        return m
