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

from .._checks import check_int, check_scalar, fail
from ..core.kernels import sparsey as spk
from ..random import generator
from .base import AssociativeMemory, RecallResult


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


class Mac:
    """One Sparsey macrocolumn: Q competitive modules of K binary cells over ``inputs`` binary inputs.

    Parameters (names as in Rinkus's papers; defaults from REFERENCES.md "Sparsey")
    ----------
    inputs : size of the receptive field
    Q, K : competitive modules and cells per module
    pi_min, pi_max : the mac is active only with pi_min <= active inputs <= pi_max (step 1)
    w_max : binary weight value
    G_minus, gamma, chi : eta = 1 + [max(0, (G - G-)/(1 - G-))]^gamma chi K (step 5)
    nu, mu_min : mu = max(eta / (1 + exp(-nu (V - I))), mu_min) (step 6)
    I_low, I_high : the sigmoid's inflection I rises from I_low to I_high as the weights saturate
    seed : int or Generator for the per-CM draws
    """

    def __init__(self, inputs, Q=24, K=8, pi_min=1, pi_max=None, w_max=1, G_minus=0.1, gamma=2.0, chi=100.0,
                 nu=4.0, mu_min=1.0, I_low=0.5, I_high=0.9, seed=0):
        o = type(self).__name__
        self.inputs = check_int(o, "inputs", inputs, low=1)
        self.Q = check_int(o, "Q", Q, low=1)
        self.K = check_int(o, "K", K, low=1)
        self.pi_min = check_int(o, "pi_min", pi_min, low=1)
        self.pi_max = self.inputs if pi_max is None else check_int(o, "pi_max", pi_max, low=self.pi_min)
        self.w_max = check_int(o, "w_max", w_max, low=1)
        if self.w_max > 255:
            raise fail(o, "w_max", w_max, "expected at most 255 (binary weights are stored as uint8)")
        self.G_minus = check_scalar(o, "G_minus", G_minus, low=0, high=1)
        if self.G_minus >= 1:
            raise fail(o, "G_minus", G_minus, "expected G- < 1")
        self.gamma = check_scalar(o, "gamma", gamma, low=0)
        self.chi = check_scalar(o, "chi", chi, low=0)
        self.nu = check_scalar(o, "nu", nu, low=0)
        self.mu_min = check_scalar(o, "mu_min", mu_min, low=0)
        self.I_low = check_scalar(o, "I_low", I_low, low=0, high=1)
        self.I_high = check_scalar(o, "I_high", I_high, low=self.I_low, high=1)
        self._state = generator(o, seed).integers(0, 2**63, size=1, dtype=np.uint64)
        self.weights = np.zeros((self.inputs, self.Q * self.K), dtype=np.uint8)
        self._v = np.zeros(self.Q * self.K)

    @property
    def name(self):
        return type(self).__name__

    @property
    def saturation(self) -> float:
        """Fraction of the weights set to w_max."""
        return float(np.count_nonzero(self.weights)) / self.weights.size

    @property
    def inflection(self) -> float:
        """Sigmoid inflection I: from I_low (empty mac) to I_high (saturated)."""
        return self.I_low + (self.I_high - self.I_low) * self.saturation

    def eta(self, G) -> float:
        """Expansivity eta(G) (CSA step 5)."""
        return float(spk.eta_of_g(float(G), self.G_minus, self.gamma, self.chi, self.K))

    def _active(self, x):
        x = np.asarray(x)
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
        g = spk.csa(active, self.weights, self.Q, self.K, self.w_max, self.G_minus, self.gamma, self.chi, self.nu,
                    self.mu_min, self.inflection, learn, retrieve, self._state, winners, self._v)
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

    def __init__(self, n, Q=24, K=8, recall_threshold=1.0, seed=0, **mac):
        super().__init__(check_int(type(self).__name__, "n", n, low=1))
        self.mac = Mac(self.n, Q=Q, K=K, seed=seed, **mac)
        self.recall_threshold = check_scalar(self.name, "recall_threshold", recall_threshold, low=0, high=1,
                                             low_open=True)
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

    def recall(self, cue, **kwargs) -> RecallResult:
        x = self.check_patterns(cue, "cue", ndim=1).astype(np.uint8)
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
        x = self.check_patterns(probe, "probe", ndim=1).astype(np.uint8)
        g = self.mac.retrieve(x)[1]
        return 0.0 if np.isnan(g) else g
