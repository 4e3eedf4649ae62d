"""NEST with MPI: the Potjans-Diesmann microcircuit at 10% (NEST's own build of it,
:func:`neuromem.bench.microcircuit.nest_microcircuit`) on 1 rank x 2 threads and 2 ranks x 1 thread.

NEST gives the same spikes for the same number of virtual processes (ranks x threads) however they are split, so
the two runs must agree spike for spike.  Needs a NEST built with MPI (see README, "Past one machine"):

    mpirun -np 1 python benchmarks/nest_mpi.py run 2 OUT_1x2     # one rank, two threads
    mpirun -np 2 python benchmarks/nest_mpi.py run 1 OUT_2x1     # two ranks, one thread each
    python benchmarks/nest_mpi.py compare OUT_1x2 OUT_2x1 benchmarks/results/nest-mpi.json

Each rank writes its own neurons' spikes (``OUT.rank<r>.npz``) and wall times; ``compare`` joins the ranks.
"""
import glob
import json
import sys
import time

import numpy as np

SCALE = 0.1
DURATION = 1000.0


def run(threads: int, out: str) -> None:
    import nest
    from neuromem.bench.microcircuit import nest_microcircuit
    t0 = time.perf_counter()
    pops, recorders = nest_microcircuit(SCALE, threads)
    nest.Prepare()
    nest.Cleanup()
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    nest.Simulate(DURATION)
    wall = time.perf_counter() - t0
    senders = np.concatenate([r.events["senders"] for r in recorders])
    times = np.concatenate([r.events["times"] for r in recorders])
    np.savez(f"{out}.rank{nest.Rank()}.npz", senders=senders, times=times, build_s=build, run_s=wall,
             ranks=nest.NumProcesses(), threads=threads, have_mpi=bool(nest.GetKernelStatus("build_info")["have_mpi"]))


def gather(out: str) -> dict:
    parts = [np.load(f) for f in sorted(glob.glob(f"{out}.rank*.npz"))]
    senders = np.concatenate([p["senders"] for p in parts])
    times = np.concatenate([p["times"] for p in parts])
    order = np.lexsort((senders, times))
    return {"senders": senders[order], "times": times[order], "ranks": int(parts[0]["ranks"]),
            "threads": int(parts[0]["threads"]), "build_s": max(float(p["build_s"]) for p in parts),
            "run_s": max(float(p["run_s"]) for p in parts), "have_mpi": bool(parts[0]["have_mpi"])}


def compare(a: str, b: str, result: str) -> None:
    x, y = gather(a), gather(b)
    same = np.array_equal(x["senders"], y["senders"]) and np.array_equal(x["times"], y["times"])
    summary = {"model": f"Potjans-Diesmann microcircuit at {SCALE:g}, {DURATION:g} ms, NEST built with MPI",
               "runs": [{k: v for k, v in r.items() if k not in ("senders", "times")} | {"spikes": int(r["times"].size)}
                        for r in (x, y)],
               "identical_spikes": bool(same)}
    with open(result, "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(int(sys.argv[2]), sys.argv[3])
    else:
        compare(sys.argv[2], sys.argv[3], sys.argv[4])
