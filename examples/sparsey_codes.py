"""
Sparsey in three steps: a code per input, similar inputs share code cells, single-trial memory
==============================================================================================

A macrocolumn has Q competitive modules (CMs) of K cells; a code is one winner per CM.
The Code Selection Algorithm measures how familiar an input is (G) and turns that into
how strongly the draw favours cells that already respond (eta): a novel input gets a
random code, a familiar one mostly its old code.

Run:  python examples/sparsey_codes.py
"""
import numpy as np

from neuromem.models.sparsey import Mac, SparseyMemory

rng = np.random.default_rng(1)
n, a = 400, 40


def pattern():
    x = np.zeros(n, dtype=np.uint8)
    x[rng.choice(n, a, replace=False)] = 1
    return x


# 1. learn one input, then look at inputs that share part of it
mac = Mac(n, Q=24, K=8, seed=2)
base = pattern()
code, g = mac.learn(base)
print(f"1. stored code winners per CM: {code.winners.tolist()}  (G was {g:.2f}: novel)")
on, off = np.flatnonzero(base), np.flatnonzero(base == 0)
for keep in (0, 20, 40):
    x = np.zeros(n, dtype=np.uint8)
    x[rng.choice(on, keep, replace=False)] = 1
    x[rng.choice(off, a - keep, replace=False)] = 1
    c, g = mac.encode(x)
    print(f"   input sharing {keep:2d}/{a} bits: G = {g:.2f}, eta = {mac.eta(g):6.1f}, "
          f"code shares {c.overlap(code):2d}/24 CMs (chance {24 / 8:.0f})")
print(f"   retrieval of the stored input gives its exact code: {mac.retrieve(base)[0] == code}")

# 2. single-trial episodic memory: store 50 inputs once each, recall from a noisy cue
mem = SparseyMemory(1000, seed=3)
pats = np.zeros((50, 1000))
for row in pats:
    row[rng.choice(1000, 50, replace=False)] = 1
mem.store(pats)
cue = pats[7].copy()
cue[rng.choice(np.flatnonzero(cue), 5, replace=False)] = 0      # drop 5 of its 50 bits
res = mem.recall(cue)
print(f"2. 50 patterns stored once each; cue missing 5 of 50 bits -> recalled exactly: "
      f"{np.array_equal(res.state, pats[7])} (G = {res.info['G']:.2f})")
