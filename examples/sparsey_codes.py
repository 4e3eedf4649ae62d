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
# 1. learn 50 inputs once each, then look at inputs that share part of the first one
mac = Mac(1000, Q=24, K=8, seed=2)
stored = np.zeros((50, 1000), dtype=np.uint8)
for row in stored:
    row[rng.choice(1000, 50, replace=False)] = 1
codes = [mac.learn(x)[0] for x in stored]
base, code = stored[0], codes[0]
print(f"1. 50 inputs stored once each; the first one's winners per CM: {code.winners.tolist()}")
on, off = np.flatnonzero(base), np.flatnonzero(base == 0)
for keep in (0, 25, 40, 50):
    x = np.zeros(1000, dtype=np.uint8)
    x[rng.choice(on, keep, replace=False)] = 1
    x[rng.choice(off, 50 - keep, replace=False)] = 1
    c, g = mac.encode(x)
    print(f"   input sharing {keep:2d}/50 bits: G = {g:.2f}, eta = {mac.eta(g):6.1f}, "
          f"code shares {c.overlap(code):2d}/24 CMs (chance {24 / 8:.0f})")
again = np.mean([mac.encode(x)[0].overlap(c) for x, c in zip(stored, codes)])
print(f"   each stored input presented again (a fresh draw, no learning): {again:.1f}/24 CMs on average")
print(f"   retrieval (argmax V) of the first input gives its exact code: {mac.retrieve(base)[0] == code}")

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
