"""Connectors in PyNN vocabulary.  Each turns (n_pre, n_post, rng) into the
(pre, post) index arrays of its synapses, sorted by pre then post, which the
simulator stores as CSR rows."""
from __future__ import annotations

import numpy as np

from .._checks import fail
from ..params import Checked, Flag, Integer, Number


class Connector(Checked):
    """Base class: ``connect(n_pre, n_post, rng, same_population)`` -> (pre, post)."""

    #: True when every pre neuron reaches every post neuron in order (dense rows).
    dense = False

    def connect(self, n_pre, n_post, rng, same_population):  # pragma: no cover - interface
        raise NotImplementedError

    def expected(self, n_pre, n_post) -> float:
        """About how many synapses :meth:`connect` makes (to refuse what cannot fit before building it)."""
        return float(n_pre) * n_post

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({args})"


def _drop_self(pre, post, allow, same):
    if allow or not same:
        return pre, post
    keep = pre != post
    return pre[keep], post[keep]


class AllToAllConnector(Connector):
    """Every pre neuron to every post neuron."""

    allow_self_connections = Flag()

    def __init__(self, allow_self_connections=True):
        self.allow_self_connections = allow_self_connections

    def connect(self, n_pre, n_post, rng, same_population):
        self.dense = self.allow_self_connections or not same_population
        pre = np.repeat(np.arange(n_pre, dtype=np.int64), n_post)
        post = np.tile(np.arange(n_post, dtype=np.int64), n_pre)
        return _drop_self(pre, post, self.allow_self_connections, same_population)


class OneToOneConnector(Connector):
    """Neuron i to neuron i; both populations must have the same size."""

    def expected(self, n_pre, n_post):
        return float(min(n_pre, n_post))

    def connect(self, n_pre, n_post, rng, same_population):
        if n_pre != n_post:
            raise fail("OneToOneConnector", "population sizes", (n_pre, n_post),
                       "pre and post populations must have the same size")
        idx = np.arange(n_pre, dtype=np.int64)
        return idx, idx.copy()


class FixedProbabilityConnector(Connector):
    """Each (pre, post) pair independently with probability ``p_connect``."""

    p_connect = Number(low=0.0, high=1.0, doc="probability of each connection")
    allow_self_connections = Flag()

    def __init__(self, p_connect, allow_self_connections=True):
        self.p_connect = p_connect
        self.allow_self_connections = allow_self_connections

    def expected(self, n_pre, n_post):
        return self.p_connect * n_pre * n_post

    def connect(self, n_pre, n_post, rng, same_population):
        pres, posts = [], []
        # Row by row keeps memory at O(n_post) for large networks.
        for i in range(n_pre):
            cols = np.flatnonzero(rng.random(n_post) < self.p_connect)
            pres.append(np.full(cols.size, i, dtype=np.int64))
            posts.append(cols.astype(np.int64))
        pre = np.concatenate(pres) if pres else np.zeros(0, np.int64)
        post = np.concatenate(posts) if posts else np.zeros(0, np.int64)
        return _drop_self(pre, post, self.allow_self_connections, same_population)


class FixedTotalNumberConnector(Connector):
    """Exactly ``n`` connections between random (pre, post) pairs: PyNN's ``FixedTotalNumberConnector`` and NEST's
    ``fixed_total_number`` rule (a pair may repeat with ``with_replacement``, NEST's multapses; self-connections
    as ``allow_self_connections``)."""

    n = Integer(low=0, doc="connections in all")
    allow_self_connections = Flag()
    with_replacement = Flag()

    def __init__(self, n, allow_self_connections=True, with_replacement=True):
        self.n, self.allow_self_connections, self.with_replacement = n, allow_self_connections, with_replacement

    def expected(self, n_pre, n_post):
        return float(self.n)

    def connect(self, n_pre, n_post, rng, same_population):
        no_self = same_population and not self.allow_self_connections
        pairs = n_pre * n_post - (min(n_pre, n_post) if no_self else 0)
        if not self.with_replacement and self.n > pairs:
            raise fail("FixedTotalNumberConnector", "n", self.n,
                       f"expected at most {pairs} without replacement between {n_pre} and {n_post} neurons")
        if self.n and not pairs:
            raise fail("FixedTotalNumberConnector", "n", self.n, "there is no pair to connect")
        if self.with_replacement:
            pre = rng.integers(0, n_pre, self.n, dtype=np.int64)
            post = rng.integers(0, n_post, self.n, dtype=np.int64)
            while no_self and (same := np.flatnonzero(pre == post)).size:
                pre[same] = rng.integers(0, n_pre, same.size)
                post[same] = rng.integers(0, n_post, same.size)
        else:
            flat = rng.choice(n_pre * n_post, self.n + (min(n_pre, n_post) if no_self else 0), replace=False)
            pre, post = flat // n_post, flat % n_post
            if no_self:
                keep = pre != post
                pre, post = pre[keep][:self.n], post[keep][:self.n]
        order = np.lexsort((post, pre))
        return pre[order], post[order]


class FixedNumberPreConnector(Connector):
    """Each post neuron receives exactly ``n`` connections from random pre neurons."""

    n = Integer(low=0, doc="connections per post neuron")
    allow_self_connections = Flag()
    with_replacement = Flag()

    def __init__(self, n, allow_self_connections=True, with_replacement=False):
        self.n, self.allow_self_connections, self.with_replacement = n, allow_self_connections, with_replacement

    def expected(self, n_pre, n_post):
        return float(self.n) * n_post

    def connect(self, n_pre, n_post, rng, same_population):
        avail = n_pre - (0 if (self.allow_self_connections or not same_population) else 1)
        if not self.with_replacement and self.n > avail:
            raise fail("FixedNumberPreConnector", "n", self.n,
                       f"expected at most {avail} without replacement for a pre population of {n_pre}")
        pres, posts = [], []
        for j in range(n_post):
            if self.with_replacement:
                choice = rng.integers(0, avail, size=self.n)
            else:
                choice = rng.choice(avail, size=self.n, replace=False)
            if not (self.allow_self_connections or not same_population):
                choice = np.where(choice >= j, choice + 1, choice)  # skip j itself
            pres.append(choice.astype(np.int64))
            posts.append(np.full(self.n, j, dtype=np.int64))
        pre = np.concatenate(pres) if pres else np.zeros(0, np.int64)
        post = np.concatenate(posts) if posts else np.zeros(0, np.int64)
        order = np.lexsort((post, pre))
        return pre[order], post[order]


class FixedNumberPostConnector(Connector):
    """Each pre neuron makes exactly ``n`` connections to random post neurons (PyNN's
    ``FixedNumberPostConnector``; Izhikevich 2006/2007: 100 targets per neuron)."""

    n = Integer(low=0, doc="connections per pre neuron")
    allow_self_connections = Flag()
    with_replacement = Flag()

    def __init__(self, n, allow_self_connections=True, with_replacement=False):
        self.n, self.allow_self_connections, self.with_replacement = n, allow_self_connections, with_replacement

    def expected(self, n_pre, n_post):
        return float(self.n) * n_pre

    def connect(self, n_pre, n_post, rng, same_population):
        # the transpose of FixedNumberPre: draw pre targets for each "post" of the reversed map
        mirror = FixedNumberPreConnector(self.n, self.allow_self_connections, self.with_replacement)
        try:
            targets, sources = mirror.connect(n_post, n_pre, rng, same_population)
        except ValueError:
            raise fail("FixedNumberPostConnector", "n", self.n,
                       f"expected at most {n_post - (0 if self.allow_self_connections or not same_population else 1)}"
                       f" targets without replacement for a post population of {n_post}") from None
        order = np.lexsort((targets, sources))
        return sources[order], targets[order]


class FromListConnector(Connector):
    """Explicit list of ``(pre, post)`` or ``(pre, post, weight, delay)`` rows.

    Weights and delays in the list, when present, override the synapse type's.
    """

    def __init__(self, conn_list):
        arr = np.asarray(conn_list, dtype=float)
        if arr.size == 0:
            arr = arr.reshape(0, 2)
        if arr.ndim != 2 or arr.shape[1] not in (2, 3, 4):
            raise fail("FromListConnector", "conn_list", arr,
                       "expected rows of (pre, post), (pre, post, weight) or (pre, post, weight, delay)")
        if not np.all(np.isfinite(arr)):
            raise fail("FromListConnector", "conn_list", arr, "expected finite numbers")
        self.conn_list = arr

    def expected(self, n_pre, n_post):
        return float(len(self.conn_list))

    def connect(self, n_pre, n_post, rng, same_population):
        arr = self.conn_list
        pre = arr[:, 0].astype(np.int64)
        post = arr[:, 1].astype(np.int64)
        if (pre != arr[:, 0]).any() or (post != arr[:, 1]).any():
            raise fail("FromListConnector", "conn_list", arr[:, :2], "pre and post indices must be integers")
        if pre.size and (pre.min() < 0 or pre.max() >= n_pre or post.min() < 0 or post.max() >= n_post):
            raise fail("FromListConnector", "conn_list", arr[:, :2],
                       f"indices must lie in [0, {n_pre}) for pre and [0, {n_post}) for post")
        order = np.lexsort((post, pre))
        self._order = order
        return pre[order], post[order]

    def listed(self, column: int):
        """Column ``column`` (2 = weight, 3 = delay) in connection order, or None."""
        if self.conn_list.shape[1] <= column:
            return None
        return self.conn_list[self._order, column]


CONNECTORS = {c.__name__: c for c in (AllToAllConnector, OneToOneConnector, FixedProbabilityConnector,
                                      FixedNumberPreConnector, FixedNumberPostConnector, FromListConnector)}
