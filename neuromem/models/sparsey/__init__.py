"""Sparsey: sparse distributed codes chosen by the Code Selection Algorithm (Rinkus 2010; arXiv 1710.07829).

Part 1: the code type (:class:`SDR`) and one macrocolumn (:class:`Mac`) with the full CSA:
activity gate, input summation, normalisation, familiarity G, expansivity eta, sigmoid
transform, per-CM draw, single-trial binary learning and argmax retrieval.  Similar inputs
get similar codes because a familiar input (G near 1) makes the stored code's cells far
likelier than the rest, while a novel one (G near G-) gives a uniform draw.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._checks import as_array, check_int, fail
from . import _kernels as spk
from ...random import generator
from ..base import AssociativeMemory, RecallResult, register_memory
from ...params import Checked, Number, check_memory


@dataclass(frozen=True)
class SDR:
    """A Sparsey code: one winning cell in each of Q competitive modules of K cells.

    Views: ``winners`` (Q,), ``indices`` (sorted cell numbers q*K + winner), ``dense`` (Q*K bools).
    """

    winners: np.ndarray
    k: int

    @property
    def q(self) -> int:
        return int(self.winners.size)

    @property
    def indices(self) -> np.ndarray:
        return np.arange(self.q) * self.k + self.winners

    @property
    def dense(self) -> np.ndarray:
        out = np.zeros(self.q * self.k, dtype=bool)
        out[self.indices] = True
        return out

    def overlap(self, other: "SDR") -> int:
        """Number of CMs in which both codes have the same winner (0..Q)."""
        if other.q != self.q or other.k != self.k:
            raise fail("SDR.overlap", "other", (other.q, other.k), f"expected a code with Q = {self.q}, K = {self.k}")
        return int(np.count_nonzero(self.winners == other.winners))

    def __eq__(self, other):
        return isinstance(other, SDR) and self.k == other.k and np.array_equal(self.winners, other.winners)

    def __hash__(self):
        return hash((self.k, self.winners.tobytes()))


class Mac(Checked):
    """One Sparsey macrocolumn: Q competitive modules of K binary cells over ``inputs`` binary inputs.

    Names as in Rinkus's papers; defaults from REFERENCES.md "Sparsey".

    Parameters
    ----------
    inputs : size of the receptive field
    Q, K : competitive modules and cells per module
    pi_min, pi_max : the mac is active only with pi_min <= active inputs <= pi_max (step 1)
    w_max : binary weight value
    G_minus, gamma, chi : eta = 1 + [max(0, (G - G-)/(1 - G-))]^gamma chi K (step 5)
    nu, mu_min : mu = max(eta / (1 + exp(-nu (V - I))), mu_min) (step 6); with nu = lambda = 28 and
        I = phi / lambda = 5 / 28 this is Sparsey's psi(V) = eta / (1 + exp(-lambda V + phi))
        (REFERENCES "Sparsey"), so a V = 0 cell gets about 1/150 of a V = 1 cell's weight
    I_low, I_high, saturation_high : a cell's inflection I rises linearly from I_low (no afferent
        weight set) to I_high when the fraction of its afferent weights that are set reaches
        saturation_high (see :attr:`inflection`)
    freeze : a cell whose fraction of set afferent weights has reached ``freeze`` takes no new
        code (its mu stays at mu_min unless the input is one it fully supports, V = 1): the end
        of its critical period (Rinkus 2014 freezes a whole mac at a saturation threshold; the
        sparseypy testing system's threshold is 0.5); 1 never freezes
    seed : int or Generator for the per-CM draws
    """

    # the code selection's tunables, checked on every assignment (the sizes are fixed at construction)
    G_minus = Number(low=0.0, high=1.0, doc="familiarity below which eta stays 1 (G- < 1)")
    gamma = Number(low=0.0, doc="exponent of eta's familiarity term")
    chi = Number(low=0.0, doc="gain of eta's familiarity term")
    nu = Number(low=0.0, doc="steepness of the mu sigmoid")
    mu_min = Number(low=0.0, doc="floor of the mu sigmoid")
    I_low = Number(low=0.0, high=1.0, doc="sigmoid inflection with empty weights")
    I_high = Number(low=0.0, high=1.0, doc="sigmoid inflection once the weights reach saturation_high")
    saturation_high = Number(low=0.0, high=1.0, low_open=True, doc="fraction of a cell's afferent weights set "
                             "at which its inflection reaches I_high")
    freeze = Number(low=0.0, high=1.0, low_open=True, doc="fraction of a cell's afferent weights set at which "
                    "it takes no new code")

    def __init__(self, inputs, Q=24, K=8, pi_min=1, pi_max=None, w_max=1, G_minus=0.1, gamma=2.0, chi=100.0,
                 nu=28.0, mu_min=1.0, I_low=5 / 28, I_high=0.95, saturation_high=0.3, freeze=0.5, seed=0):
        o = type(self).__name__
        self.inputs = check_int(o, "inputs", inputs, low=1)
        self.Q = check_int(o, "Q", Q, low=1)
        self.K = check_int(o, "K", K, low=1)
        self.pi_min = check_int(o, "pi_min", pi_min, low=1)
        self.pi_max = self.inputs if pi_max is None else check_int(o, "pi_max", pi_max, low=self.pi_min)
        self.w_max = check_int(o, "w_max", w_max, low=1)
        if self.w_max > 255:
            raise fail(o, "w_max", w_max, "expected at most 255 (binary weights are stored as uint8)")
        self.G_minus, self.gamma, self.chi, self.nu, self.mu_min = G_minus, gamma, chi, nu, mu_min
        if self.G_minus >= 1:
            raise fail(o, "G_minus", G_minus, "expected G- < 1")
        self.I_low, self.I_high, self.saturation_high = I_low, I_high, saturation_high
        self.freeze = freeze
        if self.I_high < self.I_low:
            raise fail(o, "I_high", I_high, f"expected I_high >= I_low = {self.I_low}")
        check_memory(o, "inputs", inputs, 9.0 * self.inputs * self.Q * self.K)
        self._state = generator(o, seed).integers(0, 2**63, size=1, dtype=np.uint64)
        self.weights = np.zeros((self.inputs, self.Q * self.K), dtype=np.uint8)
        self.cell_set = np.zeros(self.Q * self.K, dtype=np.int64)     # set afferent weights per cell
        self._v = np.zeros(self.Q * self.K)

    @property
    def config(self) -> dict:
        """The constructor's parameters as they are now (what :meth:`state_dict` saves)."""
        return {"inputs": self.inputs, "Q": self.Q, "K": self.K, "pi_min": self.pi_min, "pi_max": self.pi_max,
                "w_max": self.w_max, "G_minus": self.G_minus, "gamma": self.gamma, "chi": self.chi,
                "nu": self.nu, "mu_min": self.mu_min, "I_low": self.I_low, "I_high": self.I_high,
                "saturation_high": self.saturation_high, "freeze": self.freeze}

    @property
    def name(self):
        return type(self).__name__

    @property
    def saturation(self) -> float:
        """Fraction of the weights set to w_max."""
        return float(self.cell_set.sum()) / self.weights.size

    @property
    def inflection(self) -> np.ndarray:
        """Each cell's sigmoid inflection I = I_low + (I_high - I_low) min(1, f / saturation_high), f the
        fraction of its afferent weights that are set."""
        return np.array([spk.inflection_of(f, self.I_low, self.I_high, self.saturation_high)
                         for f in self.cell_set / self.inputs])

    def eta(self, G) -> float:
        """Expansivity eta(G) (CSA step 5)."""
        return float(spk.eta_of_g(float(G), self.G_minus, self.gamma, self.chi, self.K))

    def _active(self, x):
        x = as_array(self.name, "x", x)
        if x.shape != (self.inputs,):
            raise fail(self.name, "x", x, f"expected a binary vector of length {self.inputs} (the receptive field)")
        if not np.isin(x, (0, 1)).all():
            raise fail(self.name, "x", x, "expected binary (0/1) inputs")
        return np.flatnonzero(x).astype(np.int64)

    def _run(self, x, learn, retrieve):
        active = self._active(x)
        if not self.pi_min <= active.size <= self.pi_max:
            return None, float("nan")          # step 1: the mac stays silent
        winners = np.zeros(self.Q, dtype=np.int64)
        g = spk.csa(active, self.weights, self.cell_set, self.Q, self.K, self.w_max, self.G_minus, self.gamma,
                    self.chi, self.nu, self.mu_min, self.I_low, self.I_high, self.saturation_high, self.freeze, learn,
                    retrieve, self._state, winners, self._v)
        return SDR(winners, self.K), float(g)

    def learn(self, x) -> tuple[SDR | None, float]:
        """Choose a code for ``x`` by the CSA and store it in one trial; returns (code, G). None if the mac is silent."""
        return self._run(x, learn=True, retrieve=False)

    def encode(self, x) -> tuple[SDR | None, float]:
        """The CSA's (random) choice for ``x`` without learning."""
        return self._run(x, learn=False, retrieve=False)

    def retrieve(self, x) -> tuple[SDR | None, float]:
        """Retrieval: argmax V in each CM (CSA step 9); returns (code, G)."""
        return self._run(x, learn=False, retrieve=True)


@register_memory
class SparseyMemory(AssociativeMemory):
    """Single-trial episodic memory on one mac: store codes, recall patterns from noisy or partial cues.

    Storing x learns its code (CSA with learning) and binary decoding weights from the
    code's cells to x's active inputs.  Recall retrieves a code (argmax V per CM) and
    reads the pattern back: input j is on when at least ``recall_threshold`` Q of the
    code's cells point to it (1: all of them, so inputs shared by chance with other
    stored patterns do not leak in).  ``recognize`` returns the familiarity G.

    Parameters
    ----------
    n : pattern length
    Q, K, recall_threshold, seed : as above; ``**mac`` go to :class:`Mac`
    """

    alphabet = "binary"

    recall_threshold = Number(low=0.0, high=1.0, low_open=True, doc="fraction of a code's cells that must point "
                              "to an input for it to be read back")

    def __init__(self, n, Q=24, K=8, recall_threshold=1.0, seed=0, **mac):
        super().__init__(check_int(type(self).__name__, "n", n, low=1))
        self.mac = Mac(self.n, Q=Q, K=K, seed=seed, **mac)
        self.recall_threshold = recall_threshold
        self.decoder = np.zeros((self.mac.Q * self.mac.K, self.n), dtype=np.uint8)
        self.codes: list = []
        self.patterns = np.zeros((0, self.n))

    def store(self, patterns) -> None:
        p = self.check_patterns(patterns)
        for row in p:
            code, _ = self.mac.learn(row.astype(np.uint8))
            self.codes.append(code)
            if code is not None:
                self.decoder[np.ix_(code.indices, np.flatnonzero(row))] = 1
        self.patterns = np.vstack([self.patterns, p])

    def recall(self, cue, *, seed=None) -> RecallResult:
        """Retrieve a code (argmax V per CM) and read the pattern back; deterministic, so ``seed`` has no effect."""
        x = self.check_cue(cue).astype(np.uint8)
        code, g = self.mac.retrieve(x)
        if code is None:
            state = np.zeros(self.n)
        else:
            votes = self.decoder[code.indices].sum(axis=0)
            state = (votes >= self.recall_threshold * self.mac.Q).astype(float)
        return RecallResult(state=state, converged=True, sweeps=1, overlaps=self.overlaps(state),
                            info={"G": g, "code": code})

    def recognize(self, probe) -> float:
        """Familiarity G of the probe (1 for a stored input)."""
        x = self.check_cue(probe, "probe").astype(np.uint8)
        g = self.mac.retrieve(x)[1]
        return 0.0 if np.isnan(g) else g

    def state_dict(self):
        """The mac's weights and random stream, the decoder, the stored codes and patterns."""
        winners = np.array([c.winners if c is not None else np.full(self.mac.Q, -1) for c in self.codes],
                           dtype=np.int64).reshape(-1, self.mac.Q)
        return ({"weights": self.mac.weights, "mac_state": self.mac._state, "decoder": self.decoder,
                 "codes": winners, "patterns": self.patterns},
                {"n": self.n, "recall_threshold": self.recall_threshold,
                 **{k: v for k, v in self.mac.config.items() if k != "inputs"}})

    @classmethod
    def from_state_dict(cls, arrays, config):
        m = cls(**config)
        m.mac.weights[...] = arrays["weights"]
        m.mac.cell_set[...] = np.count_nonzero(m.mac.weights, axis=0)
        m.mac._state[...] = arrays["mac_state"]
        m.decoder[...] = arrays["decoder"]
        m.codes = [None if row[0] < 0 else SDR(np.asarray(row), m.mac.K) for row in arrays["codes"]]
        m.patterns = np.asarray(arrays["patterns"], dtype=float).reshape(-1, m.n)
        return m


_LEVEL_KEYS = {"grid", "rf", "Q", "K", "horizontal", "top_down", "pi_min", "pi_max"}


class _Level:
    """Geometry, weights and codes of one level of macs (built by :class:`Sparsey`)."""

    def __init__(self, index, spec, below_grid, below_unit, owner):
        where = f"levels[{index}]"
        unknown = set(spec) - _LEVEL_KEYS
        if unknown:
            raise fail(owner, where, sorted(unknown), f"expected keys among {sorted(_LEVEL_KEYS)}")
        self.grid = tuple(check_int(owner, f"{where}.grid", g, low=1) for g in spec.get("grid", (1, 1)))
        rf = spec.get("rf")
        self.rf = tuple(below_grid) if rf is None else tuple(check_int(owner, f"{where}.rf", r, low=1) for r in rf)
        if len(self.grid) != 2 or len(self.rf) != 2:
            raise fail(owner, where, spec, "expected grid and rf as (rows, columns)")
        if self.rf[0] > below_grid[0] or self.rf[1] > below_grid[1]:
            raise fail(owner, f"{where}.rf", self.rf, f"expected a receptive field within the level below "
                       f"({below_grid[0]} x {below_grid[1]} units)")
        self.Q = check_int(owner, f"{where}.Q", spec.get("Q", 24), low=1)
        self.K = check_int(owner, f"{where}.K", spec.get("K", 8), low=1)
        self.cells = self.Q * self.K
        self.n_macs = self.grid[0] * self.grid[1]
        radius = spec.get("horizontal")
        self.horizontal = None if radius is None else check_int(owner, f"{where}.horizontal", radius, low=0)
        self.top_down = bool(spec.get("top_down", False))
        # receptive fields: windows spread evenly over the level below, each unit expanded to its cells
        units = []
        for i in range(self.grid[0]):
            top = round(i * (below_grid[0] - self.rf[0]) / max(self.grid[0] - 1, 1))
            for j in range(self.grid[1]):
                left = round(j * (below_grid[1] - self.rf[1]) / max(self.grid[1] - 1, 1))
                rows, cols = np.meshgrid(np.arange(top, top + self.rf[0]), np.arange(left, left + self.rf[1]),
                                         indexing="ij")
                u = (rows * below_grid[1] + cols).ravel()
                units.append((u[:, None] * below_unit + np.arange(below_unit)).ravel())
        self.u_idx = np.array(units, dtype=np.int64)
        self.u_len = np.full(self.n_macs, self.u_idx.shape[1], dtype=np.int64)
        self.pi_min = check_int(owner, f"{where}.pi_min", spec.get("pi_min", 1), low=0)
        self.pi_max = check_int(owner, f"{where}.pi_max", spec.get("pi_max", self.u_idx.shape[1]), low=self.pi_min)
        if self.horizontal is not None:
            gy, gx = np.divmod(np.arange(self.n_macs), self.grid[1])
            near = [np.flatnonzero(np.maximum(abs(gy - gy[m]), abs(gx - gx[m])) <= self.horizontal)
                    for m in range(self.n_macs)]
            width = max(len(n) for n in near) * self.cells
            self.h_idx = np.zeros((self.n_macs, width), dtype=np.int64)
            self.h_len = np.zeros(self.n_macs, dtype=np.int64)
            for m, n in enumerate(near):
                cells = (n[:, None] * self.cells + np.arange(self.cells)).ravel()
                self.h_idx[m, :cells.size], self.h_len[m] = cells, cells.size
        else:
            self.h_idx, self.h_len = np.zeros((self.n_macs, 0), dtype=np.int64), np.zeros(self.n_macs, dtype=np.int64)
        self.d_idx, self.d_len = np.zeros((self.n_macs, 0), dtype=np.int64), np.zeros(self.n_macs, dtype=np.int64)
        self.u_w = np.zeros((self.n_macs, self.u_idx.shape[1], self.cells), dtype=np.uint8)
        self.h_w = np.zeros((self.n_macs, self.h_idx.shape[1], self.cells), dtype=np.uint8)
        self.d_w = np.zeros((self.n_macs, 0, self.cells), dtype=np.uint8)
        self.cell_set = np.zeros((self.n_macs, self.cells), dtype=np.int64)
        self.winners = np.zeros((self.n_macs, self.Q), dtype=np.int64)
        self.on = np.zeros(self.n_macs, dtype=bool)
        self.g = np.full(self.n_macs, np.nan)
        self.code = np.zeros(self.n_macs * self.cells, dtype=np.uint8)
        self.previous = np.zeros_like(self.code)

    def connect_top_down(self, above):
        """D inputs: every cell of the level above (its previous frame)."""
        n = above.n_macs * above.cells
        self.d_idx = np.tile(np.arange(n, dtype=np.int64), (self.n_macs, 1))
        self.d_len = np.full(self.n_macs, n, dtype=np.int64)
        self.d_w = np.zeros((self.n_macs, n, self.cells), dtype=np.uint8)

    def set_code(self):
        self.code[:] = 0
        for m in np.flatnonzero(self.on):
            self.code[m * self.cells + np.arange(self.Q) * self.K + self.winners[m]] = 1


class Sparsey(Checked):
    """A Sparsey hierarchy: levels of macs with receptive fields over the level below (Rinkus 2010, 2017).

    Level 1 reads the binary input image; level ``l`` reads the codes of the level-``l-1``
    macs in its receptive field (U inputs).  With ``horizontal=r`` a mac also reads the
    previous frame's codes of the macs of its own level within ``r`` (H inputs, so a
    frame's code depends on the sequence so far); with ``top_down=True`` it reads the
    previous frame's codes of the level above (D inputs).  Every mac runs the full Code
    Selection Algorithm (:class:`Mac`'s parameters, shared by all macs) in one Numba
    kernel per level (:func:`neuromem.core.kernels.sparsey.level_frame`).

    Parameters
    ----------
    input_shape : (rows, columns) of the binary input
    levels : sequence of dicts, bottom level first, with ``grid`` (macs, rows x columns),
        ``rf`` (receptive field in units of the level below; default all of it), ``Q``,
        ``K``, ``horizontal`` (radius or None), ``top_down`` (bool), ``pi_min``, ``pi_max``
    seed : int or Generator
    **csa : ``w_max, G_minus, gamma, chi, nu, mu_min, I_low, I_high, saturation_high, freeze`` as in
        :class:`Mac`
    """

    def __init__(self, input_shape, levels=({"grid": (1, 1), "Q": 24, "K": 8},), seed=0, **csa):
        o = "Sparsey"
        self.input_shape = tuple(check_int(o, "input_shape", s, low=1) for s in input_shape)
        if len(self.input_shape) != 2:
            raise fail(o, "input_shape", input_shape, "expected (rows, columns)")
        if len(levels) < 1:
            raise fail(o, "levels", levels, "expected at least one level")
        self._csa = Mac(1, **csa)           # validates and holds the shared CSA parameters
        self._csa._state = generator(o, seed).integers(0, 2**63, size=1, dtype=np.uint64)
        self.levels: list[_Level] = []
        grid, unit = self.input_shape, 1
        for i, spec in enumerate(levels):
            if not isinstance(spec, dict):
                raise fail(o, f"levels[{i}]", spec, "expected a dict with grid, rf, Q, K, ...")
            lv = _Level(i, spec, grid, unit, o)
            self.levels.append(lv)
            grid, unit = lv.grid, lv.cells
        for lv, above in zip(self.levels[:-1], self.levels[1:]):
            if lv.top_down:
                lv.connect_top_down(above)
        if self.levels[-1].top_down:
            raise fail(o, f"levels[{len(levels) - 1}].top_down", True, "expected no top-down input on the top level")
        bottom = self.levels[0]
        self.decoder = np.zeros((bottom.n_macs, bottom.cells, bottom.u_idx.shape[1]), dtype=np.uint8)

    @property
    def n_inputs(self) -> int:
        return self.input_shape[0] * self.input_shape[1]

    def _input(self, x):
        x = as_array("Sparsey", "x", x)
        if x.shape not in (self.input_shape, (self.n_inputs,)):
            raise fail("Sparsey", "x", x, f"expected a binary image of shape {self.input_shape} or {self.n_inputs} values")
        if not np.isin(x, (0, 1)).all():
            raise fail("Sparsey", "x", x, "expected binary (0/1) inputs")
        return np.ascontiguousarray(x.ravel(), dtype=np.uint8)

    def reset(self) -> None:
        """Start a new sequence: no H or D input from a previous frame."""
        for lv in self.levels:
            lv.previous[:] = 0
            lv.code[:] = 0

    def present(self, x, learn=False, retrieve=True) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Present one frame to every level, bottom-up; returns per level (winners (macs, Q), on (macs,), G (macs,)).

        ``learn``: the CSA's draw and single-trial learning; ``retrieve``: argmax winners.
        """
        src = self._input(x)
        c = self._csa
        for lv in self.levels:
            lv.previous[:] = lv.code
        empty = np.zeros(1, dtype=np.uint8)
        for i, lv in enumerate(self.levels):
            above = self.levels[i + 1].previous if lv.top_down else empty
            spk.level_frame(src, lv.u_idx, lv.u_len, lv.u_w, lv.previous, lv.h_idx, lv.h_len, lv.h_w,
                            above, lv.d_idx, lv.d_len, lv.d_w, lv.Q, lv.K, c.w_max, lv.pi_min, lv.pi_max,
                            c.G_minus, c.gamma, c.chi, c.nu, c.mu_min, c.I_low, c.I_high, c.saturation_high,
                            c.freeze, lv.cell_set, learn,
                            retrieve, c._state, lv.winners, lv.g, lv.on)
            lv.set_code()
            if i == 0 and learn:
                self._learn_decoder(src)
            src = lv.code
        return [(lv.winners.copy(), lv.on.copy(), lv.g.copy()) for lv in self.levels]

    def _learn_decoder(self, pixels):
        lv = self.levels[0]
        for m in np.flatnonzero(lv.on):
            local = np.flatnonzero(pixels[lv.u_idx[m]])
            cells = np.arange(lv.Q) * lv.K + lv.winners[m]
            self.decoder[m][np.ix_(cells, local)] = 1

    def decode(self) -> np.ndarray:
        """The input image the bottom level's current codes point back to (an input is on when all Q
        code cells of a mac covering it point to it)."""
        lv = self.levels[0]
        out = np.zeros(self.n_inputs, dtype=np.uint8)
        for m in np.flatnonzero(lv.on):
            cells = np.arange(lv.Q) * lv.K + lv.winners[m]
            on = self.decoder[m][cells].sum(axis=0) >= lv.Q
            out[lv.u_idx[m][on]] = 1
        return out.reshape(self.input_shape)

    def top_code(self) -> np.ndarray:
        """The top level's current code as a binary vector over all its cells."""
        return self.levels[-1].code.copy()

    def fit(self, images, labels) -> "Sparsey":
        """Learn each image in one presentation and bind its label to the top level's code.

        The readout counts, per top-level cell, how often it was in the code of each class.
        """
        images = as_array("Sparsey.fit", "images", images)
        labels = as_array("Sparsey.fit", "labels", labels, dtype=None)
        if labels.ndim != 1 or labels.size != len(images) or labels.size == 0:
            raise fail("Sparsey.fit", "labels", labels, f"expected one integer label per image ({len(images)})")
        if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0:
            raise fail("Sparsey.fit", "labels", labels, "expected integer class labels >= 0")
        n_classes = int(labels.max()) + 1
        cells = self.levels[-1].code.size
        if not hasattr(self, "label_counts"):
            self.label_counts = np.zeros((cells, n_classes))
        elif self.label_counts.shape[1] < n_classes:
            self.label_counts = np.pad(self.label_counts, ((0, 0), (0, n_classes - self.label_counts.shape[1])))
        for x, y in zip(images, labels):
            self.reset()
            self.present(x, learn=True, retrieve=False)
            self.label_counts[self.levels[-1].code.astype(bool), y] += 1
        return self

    def predict(self, images) -> np.ndarray:
        """Class of each image: every cell of its retrieved top-level code votes with the class
        distribution of the training codes it was in (its label counts normalised), so a cell that
        took part in many codes does not outvote the rest."""
        if not hasattr(self, "label_counts"):
            raise fail("Sparsey.predict", "self", "unfitted", "expected fit(images, labels) first")
        share = self.label_counts / np.maximum(self.label_counts.sum(axis=1, keepdims=True), 1.0)
        out = np.empty(len(images), dtype=np.int64)
        for i, x in enumerate(images):
            self.reset()
            self.present(x, learn=False, retrieve=True)
            out[i] = int(np.argmax(share[self.levels[-1].code.astype(bool)].sum(axis=0)))
        return out
