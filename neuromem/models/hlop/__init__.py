"""Continual learning in a spiking network with Hebbian learning of orthogonal projections (HLOP).

A multilayer network of LIF neurons sees its input as spikes for T steps and is
trained online from presynaptic traces (OTTT, Xiao et al., NeurIPS 2022): at each
step the instantaneous loss gives grad W_l = delta_l a_l^T with a_l the trace of
the layer's input spikes.  HLOP (Xiao et al., ICLR 2024, arXiv 2402.11984) gives
each layer k lateral *subspace neurons* y = H a trained by Oja's subspace rule;
while learning a new task the traces are projected out of the subspace of the
earlier tasks, a - H^T H a, so the weight changes leave old responses alone.

Baselines in the same code: plain fine-tuning, EWC (Kirkpatrick et al., PNAS 2017)
and multitask training on every task seen so far (the upper bound).
"""
from __future__ import annotations

import numpy as np

from ..._checks import as_array, check_int, check_names, check_scalar, fail, single_threaded_blas
from ...random import generator, rng_words, set_rng_words
from ..base import AssociativeMemory, RecallResult, register_learner, register_memory
from ...params import Checked, Integer, Number, check_memory
from . import _kernels as sk

METHODS = ("hlop", "finetune", "ewc", "multitask")
ENCODINGS = ("rate", "latency", "direct")
LOSSES = ("softmax", "bce")


class SpikingMLP(Checked):
    """Bias-free multilayer network of LIF neurons with a linear readout, run for ``steps`` time steps.

    Hidden layer l: u <- decay u (1 - s) + W_l^T s_(l-1), s = H(u - threshold).
    Output: o_t = W_L^T s_t, averaged over the steps for the prediction.  The loss per step is
    the softmax cross-entropy of a class label (``loss="softmax"``), or the binary cross-entropy
    of sigmoid(o_t) against a 0/1 target vector (``loss="bce"``: one output per target bit, as an
    autoencoder needs).
    Inputs in [0, 1] become spikes: ``rate`` (Bernoulli with p = x each step) or
    ``latency`` (one spike at step round((1 - x)(T - 1)), none for x = 0); or, with
    ``direct``, the intensities themselves drive the first layer at every step (the
    direct encoding of OTTT and most SNN training on static images: the first layer's
    LIF neurons do the spike coding).

    Parameters
    ----------
    sizes : layer sizes, input first, classes last
    steps : time steps T
    encoding : "rate", "latency" or "direct"
    decay : membrane and trace decay per step (lambda in OTTT)
    threshold : firing threshold
    slope : slope of the sigmoid surrogate derivative
    weight_scale : gain of the initial weights (sparser input codes such as latency need more)
    loss : "softmax" (labels) or "bce" (0/1 target vectors)
    seed : int or Generator for the initial weights
    """

    def __init__(self, sizes=(64, 256, 256, 10), steps=6, encoding="rate", decay=0.5, threshold=1.0, slope=4.0,
                 weight_scale=1.0, seed=0, loss="softmax"):
        o = type(self).__name__
        if len(sizes) < 2:
            raise fail(o, "sizes", sizes, "expected at least an input and an output size")
        self.sizes = tuple(check_int(o, "sizes", s, low=1) for s in sizes)
        self.steps = check_int(o, "steps", steps, low=1)
        check_names(o, "encoding", [encoding], ENCODINGS)
        self.encoding = encoding
        check_names(o, "loss", [loss], LOSSES)
        self.loss = loss
        self.decay = check_scalar(o, "decay", decay, low=0, high=1)
        self.threshold = check_scalar(o, "threshold", threshold, low=0, low_open=True)
        self.slope = check_scalar(o, "slope", slope, low=0, low_open=True)
        self.weight_scale = check_scalar(o, "weight_scale", weight_scale, low=0, low_open=True)
        check_memory(o, "sizes", sizes, 64.0 * sum(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:])))
        rng = generator(o, seed)
        # uniform weights with variance 2 threshold^2 / n_in keep the first layers firing at T of a few steps
        self.weights = [rng.uniform(-1, 1, (a, b)) * np.sqrt(6.0 / a) * self.threshold * self.weight_scale
                        for a, b in zip(self.sizes[:-1], self.sizes[1:])]

    @property
    def layers(self) -> int:
        return len(self.weights)

    def check_inputs(self, x, owner):
        x = as_array(owner, "x", x)
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise fail(owner, "x", x, f"expected an array of shape (samples, {self.sizes[0]}) (the input size)")
        if not np.isfinite(x).all() or x.min() < 0 or x.max() > 1:
            raise fail(owner, "x", x, "expected input intensities in [0, 1]")
        return x

    def encode(self, x, t, rng):
        """Input spikes at step t."""
        if self.encoding == "rate":
            return (rng.random(x.shape) < x).astype(float)
        if self.encoding == "direct":
            return x
        fire_at = np.rint((1.0 - x) * (self.steps - 1))
        return ((fire_at == t) & (x > 0)).astype(float)

    def run(self, x, rng, y=None, projections=None, keep_traces=False, complements=None):
        """Run the network on a batch; with labels, also the OTTT gradient (projected when ``projections`` given).

        ``projections[l]`` are orthonormal rows H whose span is removed from layer l's traces,
        ``a - H^T H a``; where ``complements[l]`` is True they are instead rows C spanning what
        is kept, ``C^T C a`` (the same projection, cheaper when the stored subspace is more
        than half the layer's inputs).

        Returns (mean logits, gradients or None, traces or None): traces[l] is (T * batch, n_in of layer l).
        """
        n = len(x)
        L = self.layers
        u = [np.zeros((n, s)) for s in self.sizes[1:-1]]
        s = [np.zeros((n, sz)) for sz in self.sizes[1:-1]]
        sg = [np.zeros((n, sz)) for sz in self.sizes[1:-1]]
        traces = [np.zeros((n, sz)) for sz in self.sizes[:-1]]
        kept = [np.empty((self.steps, n, sz)) for sz in self.sizes[:-1]] if keep_traces else None
        grads = [np.zeros_like(w) for w in self.weights] if y is not None else None
        logits = np.zeros((n, self.sizes[-1]))
        # projecting traces costs ~ steps * batch per layer, projecting the gradient ~ the layer's outputs
        keep = complements or [False] * L
        per_step = [projections is not None and hm is not None and (len(hm) > 0 or keep[l]) and n * self.steps < n_out
                    for l, (hm, n_out) in enumerate(zip(projections or [None] * L, self.sizes[1:]))]
        # a subspace spanning all of a layer's inputs projects its whole gradient away: skip computing it
        full = [projections is not None and hm is not None and (len(hm) == 0 if keep[l] else len(hm) >= n_in)
                for l, (hm, n_in) in enumerate(zip(projections or [None] * L, self.sizes[:-1]))]
        for t in range(self.steps):
            h = self.encode(x, t, rng)
            for l in range(L):
                sk.trace_step(traces[l], h, self.decay)
                if keep_traces:
                    kept[l][t] = traces[l]
                current = h @ self.weights[l]
                if l < L - 1:
                    sk.surrogate_layer_step(u[l], s[l], current, self.decay, self.threshold, self.slope, sg[l])
                    h = s[l]
                else:
                    out = current
            logits += out
            if y is not None:
                if self.loss == "bce":
                    p = 0.5 * (1.0 + np.tanh(0.5 * out)) - y          # sigmoid(o) - target
                else:
                    p = np.exp(out - out.max(1, keepdims=True))
                    p /= p.sum(1, keepdims=True)
                    p[np.arange(n), y] -= 1.0
                delta = p / (n * self.steps)
                for l in range(L - 1, -1, -1):
                    if not full[l]:
                        a = traces[l]
                        if per_step[l]:
                            a = _project(a, projections[l], keep[l])
                        grads[l] += a.T @ delta
                    if l:
                        delta = (delta @ self.weights[l].T) * sg[l - 1]
        if projections is not None:
            # sum_t (a_t - H^T H a_t)^T delta_t = (I - H^T H) sum_t a_t^T delta_t: where it is cheaper, project
            # the summed gradient once instead of every step's traces
            for l, (g, hm) in enumerate(zip(grads, projections)):
                if hm is not None and (len(hm) or keep[l]) and not per_step[l] and not full[l]:
                    g[...] = _project(g.T, hm, keep[l]).T
        if keep_traces:
            kept = [k.reshape(-1, k.shape[2]) for k in kept]
        return logits / self.steps, grads, kept


def _project(a, rows, keep):
    """Rows of ``a`` projected: onto span(rows) with ``keep``, else onto its orthogonal complement
    (``rows`` orthonormal)."""
    inside = (a @ rows.T) @ rows
    return inside if keep else a - inside


def _projector(h):
    """The cheaper form of the projection that removes span(h) (orthonormal rows): (h, False), or
    (rows spanning the orthogonal complement, True) when h holds more than half the dimensions."""
    k, n = h.shape
    if 2 * k <= n:
        return h, False
    q = np.linalg.qr(h.T, mode="complete")[0]
    return np.ascontiguousarray(q[:, k:].T), True


def _orthonormal_rows(h):
    """Merge step: the closest orthonormal rows with the same span, (h h^T)^(-1/2) h (Lowdin).

    Oja's subspace rule converges to orthonormal rows; after a finite number of
    iterations they are only nearly so, and I - h^T h would then stretch some
    directions instead of removing them.  The span, which is what the rule learned,
    is unchanged.
    """
    if not len(h):
        return h
    vals, vecs = np.linalg.eigh(h @ h.T)
    keep = vals > 1e-12 * vals.max()
    vecs, vals = vecs[:, keep], vals[keep]
    return (vecs / np.sqrt(vals)) @ vecs.T @ h if keep.all() else (vecs.T @ h) / np.sqrt(vals)[:, None]


def _schedule(owner, subspace, sizes):
    """Per-task, per-layer numbers of new subspace neurons: a list of tuples, the last repeated."""
    rows = [tuple(int(v) for v in np.atleast_1d(r)) for r in subspace]
    if not rows or any(len(r) != len(sizes) - 1 for r in rows):
        raise fail(owner, "subspace", subspace, f"expected rows of {len(sizes) - 1} counts (one per weight layer)")
    if any(v < 0 for r in rows for v in r):
        raise fail(owner, "subspace", subspace, "expected counts >= 0")
    return rows


@register_learner
class ContinualSpikingNetwork(Checked):
    """A :class:`SpikingMLP` learning tasks in sequence with HLOP, fine-tuning, EWC or multitask training.

    ``learn_task(x, y)`` trains on one task with SGD (momentum, reset per task);
    ``evaluate(x, y)`` is the accuracy.  One shared output head; the learner is never
    told the task at test time.  With ``loss="bce"`` the targets are 0/1 vectors (one per
    output), ``predict`` returns 0/1 vectors and ``evaluate`` the fraction reproduced exactly.

    Parameters
    ----------
    sizes, steps, encoding, decay, threshold, slope, weight_scale, loss : the :class:`SpikingMLP`
    method : "hlop", "finetune", "ewc" or "multitask"
    epochs, batch, learning_rate, momentum : training per task
    subspace : for HLOP, rows of new subspace neurons per weight layer, one row per task
        (the last row repeats); the total per layer may not exceed that layer's input size
    oja_rate, oja_iterations : Oja's subspace rule per minibatch (rate is scaled by ``1 / mean |a|^2``)
    oja_epochs : passes of the subspace rule over each task after its training, weights fixed
    oja_samples : trace rows (of T x batch) per Hebbian update, drawn at random
    ewc_lambda, ewc_samples : EWC penalty strength and samples for the Fisher information
    seed : int or Generator
    """

    # training settings, checked on every assignment and saved as they are (the network is fixed at construction)
    epochs = Integer(low=1, doc="passes over each task's data")
    batch = Integer(low=1, doc="minibatch size")
    learning_rate = Number(low=0.0, low_open=True, doc="SGD step size")
    momentum = Number(low=0.0, high=1.0, doc="SGD momentum")
    oja_rate = Number(low=0.0, low_open=True, doc="step size of the Hebbian (Oja) subspace learning")
    oja_iterations = Integer(low=1, doc="lateral iterations per Oja step")
    oja_epochs = Integer(low=0, doc="Oja passes after each task")
    oja_samples = Integer(low=1, doc="activity samples per Oja pass")
    ewc_lambda = Number(low=0.0, doc="EWC penalty strength")
    ewc_samples = Integer(low=1, doc="samples for EWC's Fisher information")
    TUNABLES = ("epochs", "batch", "learning_rate", "momentum", "oja_rate", "oja_iterations", "oja_epochs",
                "oja_samples", "ewc_lambda", "ewc_samples")

    def __init__(self, sizes=(64, 256, 256, 10), method="hlop", steps=6, encoding="rate", decay=0.5,
                 threshold=1.0, slope=4.0, weight_scale=1.0, epochs=3, batch=32, learning_rate=0.03, momentum=0.9,
                 subspace=((64, 80, 80), (0, 16, 16)), oja_rate=1.0, oja_iterations=2, oja_epochs=2, oja_samples=64,
                 ewc_lambda=1e4, ewc_samples=200, seed=0, loss="softmax"):
        o = type(self).__name__
        check_names(o, "method", [method], METHODS)
        self.method = method
        self._config = {"sizes": list(sizes), "method": method, "steps": steps, "encoding": encoding, "decay": decay,
                        "threshold": threshold, "slope": slope, "weight_scale": weight_scale, "epochs": epochs,
                        "batch": batch, "learning_rate": learning_rate, "momentum": momentum,
                        "subspace": [list(np.atleast_1d(r).tolist()) for r in subspace], "oja_rate": oja_rate,
                        "oja_iterations": oja_iterations, "oja_epochs": oja_epochs, "oja_samples": oja_samples,
                        "ewc_lambda": ewc_lambda, "ewc_samples": ewc_samples, "loss": loss}
        ss = np.random.SeedSequence(generator(o, seed).integers(0, 2**63))
        self.net = SpikingMLP(sizes, steps, encoding, decay, threshold, slope, weight_scale,
                              seed=np.random.default_rng(ss.spawn(1)[0]), loss=loss)
        self._rng = np.random.default_rng(ss.spawn(1)[0])
        self._eval_seed = ss.spawn(1)[0]
        self.epochs, self.batch, self.learning_rate, self.momentum = epochs, batch, learning_rate, momentum
        self.subspace = _schedule(o, subspace, self.net.sizes)
        self.oja_rate, self.oja_iterations, self.oja_epochs, self.oja_samples = (oja_rate, oja_iterations, oja_epochs,
                                                                                 oja_samples)
        self.ewc_lambda, self.ewc_samples = ewc_lambda, ewc_samples
        self.projections = [np.zeros((0, n)) for n in self.net.sizes[:-1]]
        self.tasks = 0
        self._seen = []
        self._fisher = [np.zeros_like(w) for w in self.net.weights]
        self._anchor = [w.copy() for w in self.net.weights]
        self.last_update_leak = np.nan

    @property
    def name(self):
        return type(self).__name__

    def _grow_subspace(self, row=None):
        row = self.subspace[min(self.tasks, len(self.subspace) - 1)] if row is None else row
        for l, k in enumerate(row):
            n = self.net.sizes[l]
            if self.projections[l].shape[0] + k > n:
                raise fail(self.name, "subspace", self.subspace, f"layer {l} would hold "
                           f"{self.projections[l].shape[0] + k} subspace neurons after task {self.tasks + 1}, more "
                           f"than its {n} inputs")
            new = self._rng.normal(0.0, 1.0 / np.sqrt(n), (k, n))
            self.projections[l] = np.vstack([self.projections[l], new])

    def _train(self, x, y, old_rows):
        velocity = [np.zeros_like(w) for w in self.net.weights]
        project = self.method == "hlop"
        proj = keep = None
        if project:          # the stored rows stay fixed during the task
            proj, keep = zip(*(_projector(h[:k]) for h, k in zip(self.projections, old_rows)))
        for _ in range(self.epochs):
            order = self._rng.permutation(len(x))
            for s in range(0, len(x), self.batch):
                idx = order[s:s + self.batch]
                _, grads, traces = self.net.run(x[idx], self._rng, y[idx], proj and list(proj), keep_traces=project,
                                                complements=keep and list(keep))
                for w, v, g in zip(self.net.weights, velocity, grads):
                    v *= self.momentum
                    v += g
                    w -= self.learning_rate * v
                if self.method == "ewc" and self.tasks:
                    # EWC's penalty (lambda/2) sum F (w - w*)^2 as a proximal step, exact for a quadratic and
                    # stable for any lambda: w <- (w + lr lambda F w*) / (1 + lr lambda F)
                    for w, f, w0 in zip(self.net.weights, self._fisher, self._anchor):
                        k = self.learning_rate * self.ewc_lambda * f
                        w += k * w0
                        w /= 1.0 + k
                if project:
                    self._hebbian(traces, old_rows, proj, keep)

    def _hebbian(self, traces, old_rows, proj, keep):
        """Oja's subspace rule on the new subspace neurons of every layer, from one batch of traces.

        Where the stored subspace is held by its complement (``keep``), the rule runs on the
        traces with the stored subspace projected out: its anti-Hebbian term against the stored
        rows is then zero, and the new rows learn the principal subspace of that residual, which
        is what the full rule converges to, at the cost of the new rows only.
        """
        rows = None
        for h, k, a, p, kp in zip(self.projections, old_rows, traces, proj, keep):
            if h.shape[0] > k:
                if len(a) > self.oja_samples:          # an unbiased random subset of the T x batch trace rows
                    rows = self._rng.choice(len(a), self.oja_samples, replace=False) if rows is None else rows
                    a = np.ascontiguousarray(a[rows])
                if kp:
                    a = np.ascontiguousarray(_project(a, p, True))
                rate = self.oja_rate / max(float(np.mean(np.sum(a * a, axis=1))), 1e-12)
                if kp:
                    sk.oja_subspace(h[k:], a, 0, rate, self.oja_iterations)
                else:
                    sk.oja_subspace(h, a, k, rate, self.oja_iterations)

    def _consolidate(self, x, old_rows):
        """Extra passes of the subspace rule over the task with the weights fixed: the subspace of the final activity."""
        proj, keep = zip(*(_projector(h[:k]) for h, k in zip(self.projections, old_rows)))
        for _ in range(self.oja_epochs):
            order = self._rng.permutation(len(x))
            for s in range(0, len(x), self.batch):
                _, _, traces = self.net.run(x[order[s:s + self.batch]], self._rng, keep_traces=True)
                self._hebbian(traces, old_rows, proj, keep)

    def _update_fisher(self, x, y):
        """Diagonal empirical Fisher information, mean of squared per-sample gradients (EWC)."""
        idx = self._rng.choice(len(x), min(self.ewc_samples, len(x)), replace=False)
        fisher = [np.zeros_like(w) for w in self.net.weights]
        for i in idx:
            _, g, _ = self.net.run(x[i:i + 1], self._rng, y[i:i + 1])
            for f, gi in zip(fisher, g):
                f += gi * gi / len(idx)
        self._fisher = [f0 + f for f0, f in zip(self._fisher, fisher)]
        self._anchor = [w.copy() for w in self.net.weights]

    def _targets(self, x, y):
        y = as_array(self.name, "y", y, dtype=None)
        if self.net.loss == "bce":
            if y.shape != (len(x), self.net.sizes[-1]) or not np.isin(y, (0, 1)).all():
                raise fail(self.name, "y", y, f"expected 0/1 targets of shape ({len(x)}, {self.net.sizes[-1]})")
            return y.astype(float)
        if y.shape != (len(x),) or not np.issubdtype(y.dtype, np.integer) or y.min() < 0 \
                or y.max() >= self.net.sizes[-1]:
            raise fail(self.name, "y", y, f"expected {len(x)} integer labels in [0, {self.net.sizes[-1]})")
        return y

    def learn_task(self, x, y, subspace=None) -> int:
        """Train on one more task; returns its index.

        ``subspace`` (HLOP): this task's new subspace neurons per weight layer, instead of the
        constructor's schedule.
        """
        x = self.net.check_inputs(x, self.name)
        y = self._targets(x, y)
        if subspace is not None:
            subspace = _schedule(self.name, [subspace], self.net.sizes)[0]
        old_rows = [h.shape[0] for h in self.projections]
        if self.method == "hlop":
            self._grow_subspace(subspace)
        if self.method == "multitask":
            self._seen.append((x, y))
            x = np.concatenate([a for a, _ in self._seen])
            y = np.concatenate([b for _, b in self._seen])
        before = [w.copy() for w in self.net.weights]
        stored = [h[:k].copy() for h, k in zip(self.projections, old_rows)]
        with single_threaded_blas():
            self._train(x, y, old_rows)
            if self.method == "hlop":
                self._consolidate(x, old_rows)
                self.projections = [_orthonormal_rows(h) for h in self.projections]
        if self.method == "hlop" and any(old_rows):
            self.last_update_leak = self.update_leak(before, stored)
        if self.method == "ewc":
            with single_threaded_blas():
                self._update_fisher(x, y)
        self.tasks += 1
        return self.tasks - 1

    def update_leak(self, before, subspaces=None) -> float:
        """||Q^T dW|| / ||dW|| over layers: the share of the weight change since ``before`` inside the subspaces.

        ``subspaces`` (default: the stored ones) are rows per layer, orthonormalised (QR) for the
        measurement; 0 means the change is orthogonal to them.
        """
        subspaces = self.projections if subspaces is None else subspaces
        inside = total = 0.0
        for h, w, w0 in zip(subspaces, self.net.weights, before):
            dw = w - w0
            total += float(np.sum(dw * dw))
            if len(h):
                q, _ = np.linalg.qr(h.T)
                inside += float(np.sum((q.T @ dw) ** 2))
        return float(np.sqrt(inside / total)) if total else 0.0

    def predict(self, x) -> np.ndarray:
        """Class labels (``loss="softmax"``) or 0/1 output vectors (``loss="bce"``: mean output > 0)."""
        x = self.net.check_inputs(x, self.name)
        with single_threaded_blas():
            out = self.net.run(x, np.random.default_rng(self._eval_seed))[0]
        return (out > 0).astype(float) if self.net.loss == "bce" else np.argmax(out, axis=1)

    def evaluate(self, x, y) -> float:
        """Accuracy on (x, y) (bce: the fraction of targets reproduced exactly); the input spikes come from a
        fixed stream, so the same call gives the same answer."""
        pred, y = self.predict(x), self._targets(np.asarray(x), y)
        return float(np.mean(np.all(pred == y, axis=1) if y.ndim == 2 else pred == y))

    def state_dict(self):
        """Weights, subspace rows, EWC terms, multitask data, counters and random streams."""
        arrays = {f"w/{i}": w for i, w in enumerate(self.net.weights)}
        arrays.update({f"h/{i}": h for i, h in enumerate(self.projections)})
        arrays.update({f"fisher/{i}": f for i, f in enumerate(self._fisher)})
        arrays.update({f"anchor/{i}": a for i, a in enumerate(self._anchor)})
        for i, (sx, sy) in enumerate(self._seen):
            arrays[f"seen_x/{i}"], arrays[f"seen_y/{i}"] = sx, sy
        arrays["rng_state"] = rng_words(self._rng)
        return arrays, {**self._config, **{k: getattr(self, k) for k in self.TUNABLES}, "tasks": self.tasks,
                        "seen": len(self._seen),
                        "eval_seed": {"entropy": str(self._eval_seed.entropy),
                                      "spawn_key": list(self._eval_seed.spawn_key)}}

    @classmethod
    def from_state_dict(cls, arrays, config):
        config = dict(config)
        tasks, seen, ev = config.pop("tasks"), config.pop("seen"), config.pop("eval_seed")
        m = cls(**config)
        layers = len(m.net.weights)
        m.net.weights = [np.array(arrays[f"w/{i}"], dtype=float) for i in range(layers)]
        m.projections = [np.array(arrays[f"h/{i}"], dtype=float).reshape(-1, m.net.sizes[i]) for i in range(layers)]
        m._fisher = [np.array(arrays[f"fisher/{i}"], dtype=float) for i in range(layers)]
        m._anchor = [np.array(arrays[f"anchor/{i}"], dtype=float) for i in range(layers)]
        m._seen = [(arrays[f"seen_x/{i}"], arrays[f"seen_y/{i}"]) for i in range(seen)]
        set_rng_words(m._rng, arrays["rng_state"])
        m._eval_seed = np.random.SeedSequence(int(ev["entropy"]), spawn_key=tuple(ev["spawn_key"]))
        m.tasks = int(tasks)
        return m


@register_memory
class HLOPMemory(AssociativeMemory):
    r"""A spiking autoencoder that stores each batch of patterns as a task, protected by HLOP.

    The memory is a :class:`ContinualSpikingNetwork` with ``n`` inputs, one hidden layer of LIF
    neurons and ``n`` outputs, trained online from traces (OTTT) with the binary cross-entropy
    of each output bit (``loss="bce"``).  ``store(patterns)`` trains on the patterns as one task
    (``epochs`` passes: this memory does not learn from a single exposure); with HLOP, the
    gradients of later tasks are projected out of the activity subspace of earlier ones (Xiao et
    al., ICLR 2024), so storing new patterns leaves the old ones' responses alone.  ``recall``
    runs the cue through the network and thresholds the mean output at 0 (deterministic: the
    cue drives the first layer directly, so ``seed`` has no effect); ``recognize`` is the
    agreement between a probe and its reconstruction.

    Parameters
    ----------
    n : pattern length
    hidden : LIF neurons in the hidden layer
    subspace : new subspace neurons per task for (input layer, hidden layer); ``None`` gives the
        input layer one per stored pattern and the hidden layer ``hidden // 16``
    method : "hlop" or "finetune" (no projection; for comparison)
    steps, batch, learning_rate : training (see :class:`ContinualSpikingNetwork`)
    updates : minimum minibatch steps per ``store`` (whole passes over the patterns, at least ``epochs``)
    seed : int or Generator
    """

    alphabet = "binary"

    def __init__(self, n, hidden=512, subspace=None, method="hlop", steps=4, epochs=20, updates=100, batch=4,
                 learning_rate=0.01, seed=0):
        super().__init__(check_int(type(self).__name__, "n", n, low=1))
        if method not in ("hlop", "finetune"):
            raise fail(self.name, "method", method, "expected 'hlop' or 'finetune'")
        self.hidden = check_int(self.name, "hidden", hidden, low=1)
        self.subspace = None if subspace is None else _schedule(self.name, [subspace], (self.n, self.hidden, 1))[0]
        self.epochs = check_int(self.name, "epochs", epochs, low=1)
        self.updates = check_int(self.name, "updates", updates, low=1)
        self._config = {"n": self.n, "hidden": self.hidden, "subspace": None if subspace is None else list(subspace),
                        "method": method, "epochs": self.epochs, "updates": self.updates}
        self.network = ContinualSpikingNetwork((self.n, self.hidden, self.n), method=method, steps=steps,
                                               encoding="direct", epochs=epochs, batch=batch,
                                               learning_rate=learning_rate, subspace=((0, 0),), oja_epochs=1,
                                               seed=seed, loss="bce")
        self.patterns = np.zeros((0, self.n))

    def store(self, patterns) -> None:
        """Train on ``patterns`` (K, n) as one task."""
        p = self.check_patterns(patterns)
        if not len(p):
            return
        sub = self.subspace or (min(len(p), self.n), max(1, self.hidden // 16))
        room = [self.n - len(self.network.projections[0]), self.hidden - len(self.network.projections[1])]
        batches = -(-len(p) // self.network.batch)
        self.network.epochs = max(self.epochs, -(-self.updates // batches))
        self.network.learn_task(p, p, subspace=[min(s, r) for s, r in zip(sub, room)])
        self.patterns = np.vstack((self.patterns, p))

    def recall(self, cue, *, seed=None) -> RecallResult:
        """The network's reconstruction of ``cue`` (0/1)."""
        x = self.check_cue(cue)
        state = self.network.predict(x[None])[0]
        return RecallResult(state=state, sweeps=1, overlaps=self.overlaps(state))

    def recognize(self, probe) -> float:
        """Agreement (bipolar overlap) between the probe and its reconstruction."""
        return self.agreement(probe)

    def state_dict(self):
        arrays, net_config = self.network.state_dict()
        arrays = {f"net/{k}": v for k, v in arrays.items()}
        arrays["patterns"] = self.patterns
        return arrays, {**self._config, "network": net_config}

    @classmethod
    def from_state_dict(cls, arrays, config):
        config = dict(config)
        net_config = config.pop("network")
        m = cls(**config)
        m.network = ContinualSpikingNetwork.from_state_dict(
            {k[4:]: v for k, v in arrays.items() if k.startswith("net/")}, net_config)
        m.patterns = np.asarray(arrays["patterns"], dtype=float).reshape(-1, m.n)
        return m
