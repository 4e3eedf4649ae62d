"""Compare the ``neuromem run NAME --json`` outputs of two directories, spec by spec.

Usage: python benchmarks/compare_specs.py BEFORE_DIR AFTER_DIR [--output FILE.md]

Measured values must be identical (same seed, same result); values that measure speed
(wall times, rates of work) are listed apart, since they differ from run to run.
"""
import argparse
import json
import math
from pathlib import Path

#: measured keys that are speeds or wall times, not results
TIMING = ("wall_time_s", "queries_per_s", "operations_per_s", "simulated_minutes_per_wall_minute",
          "learn_us_per_frame", "learn_ms_per_image")


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def compare(before: Path, after: Path) -> tuple[list[str], int]:
    lines = ["| spec | values compared | identical | differing | timing values (not compared) |",
             "| --- | --- | --- | --- | --- |"]
    differing = 0
    for path in sorted(before.glob("*.json")):
        other = after / path.name
        a = json.loads(path.read_text())["measured"]
        if not other.exists():
            lines.append(f"| {path.stem} | missing after | | | |")
            differing += 1
            continue
        b = json.loads(other.read_text())["measured"]
        keys = [k for k in a if k not in TIMING]
        diff = [k for k in keys if k not in b or not same(a[k], b[k])]
        differing += len(diff)
        shown = ", ".join(f"{k}: {a[k]!r} -> {b.get(k, 'missing')!r}" for k in diff) or ""
        lines.append(f"| {path.stem} | {len(keys)} | {len(keys) - len(diff)} | {len(diff)} {shown} | "
                     f"{', '.join(k for k in a if k in TIMING)} |")
    return lines, differing


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("before", type=Path)
    p.add_argument("after", type=Path)
    p.add_argument("--output", type=Path)
    args = p.parse_args()
    lines, differing = compare(args.before, args.after)
    text = "\n".join(lines) + f"\n\n{differing} measured values differ.\n"
    print(text)
    if args.output:
        args.output.write_text(text)
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
