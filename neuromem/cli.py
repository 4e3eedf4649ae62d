"""Command line: ``neuromem run | bench | info``."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import NeuromemError
from .progress import Progress


def print_table(rows, headers) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*headers))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line.format(*r))


def check_output(option: str, path, suffixes=None) -> None:
    """Refuse an output path whose directory does not exist or is not writable, or whose suffix is not one of
    ``suffixes``, before anything runs (a long run must not fail at its end)."""
    from .errors import ValidationError
    if path is None:
        return
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise ValidationError(f"neuromem run: option '{option}' = '{path}' is invalid; directory '{parent}' does not exist")
    if not os.access(parent, os.W_OK):
        raise ValidationError(f"neuromem run: option '{option}' = '{path}' is invalid; directory '{parent}' is not "
                              "writable")
    if p.exists() and p.is_dir():
        raise ValidationError(f"neuromem run: option '{option}' = '{path}' is invalid; it is a directory, expected a file")
    if suffixes is not None and p.suffix.lower().lstrip(".") not in suffixes:
        raise ValidationError(f"neuromem run: option '{option}' = '{path}' is invalid; expected a file name ending in "
                              f"one of {', '.join('.' + s for s in sorted(suffixes))}")


def figure_formats() -> set:
    """The file formats matplotlib can write here."""
    from matplotlib.figure import Figure
    return set(Figure().canvas.get_supported_filetypes())


def cmd_run(args) -> int:
    from . import spec as spec_mod
    from .io import write_json
    from .studies import STUDIES
    check_output("--json", args.json, {"json"})
    check_output("--plot", args.plot, figure_formats() if args.plot else None)
    spec = spec_mod.load(args.spec)
    seed = spec.run["seed"] if args.seed is None else args.seed
    print(f"{spec.name}: {spec.title}")
    print(f"  {spec.citation}")
    study = STUDIES[spec.study]
    if args.mnist:
        if "mnist" not in study.parameters:
            raise spec_mod.SpecError(f"neuromem run: spec '{spec.name}' does not take MNIST (--mnist); specs that "
                                     "do: hlop_permuted")
        spec.parameters["mnist"] = args.mnist
    timing = f"dt = {spec.run['dt']} ms, duration = {spec.run['duration']} ms, " if study.spiking else ""
    typical = f", typically {spec.runtime:g} s" if spec.runtime is not None else ""
    print(f"  {timing}seed = {seed}{typical}\n", flush=True)
    with Progress(spec.name, args.progress) as bar:
        result = study.run(spec, seed, report=bar, notice=bar.notice)
    print_log(result.log, spec.name, args)
    rows = result.table()
    headers = ("quantity", "measured", "paper", "theory", "rule", "verdict")
    used = [i for i in range(len(headers)) if i < 2 or any(r[i] for r in rows)]     # no empty column
    print_table([tuple(r[i] for i in used) for r in rows], tuple(headers[i] for i in used))
    if args.plot:
        result.plot(args.plot)
        print(f"\nfigure written to {args.plot}")
    if args.json:
        write_json(args.json, {"spec": spec.name, "seed": seed, "measured": result.measured,
                               "reference": spec.reference, "passed": result.passed()})
        print(f"results written to {args.json}")
    return 0


#: how many lines of an operation log the terminal shows before the rest goes to a file
LOG_LINES = 40


def print_log(lines, name, args) -> None:
    """A study's log: all of it when short; otherwise its first and last lines, and the whole in a file
    (``NAME_log.txt`` beside ``--json`` or ``--plot``, or in the current directory)."""
    from .io import atomic_write
    if not lines:
        return
    if len(lines) <= LOG_LINES:
        print("\n".join(lines) + "\n")
        return
    where = Path(args.json or args.plot or ".").parent if (args.json or args.plot) else Path(".")
    path = where / f"{name}_log.txt"
    atomic_write(path, lambda fh: fh.write(("\n".join(lines) + "\n").encode()))
    half = LOG_LINES // 2
    print("\n".join(lines[:half]))
    print(f"   ... {len(lines) - 2 * half} more lines ...")
    print("\n".join(lines[-half:]))
    print(f"(the whole log, {len(lines)} lines, is in {path})\n")


def cmd_info(args) -> int:
    import importlib.util

    from . import __version__
    from .hardware import profiles
    from .spec import available
    from .spec import load
    from .studies import FAMILIES, STUDIES
    family_of = {study: family for family, names in FAMILIES.items() for study in names}
    groups = {}
    for name in available():
        spec = load(name)
        groups.setdefault(family_of.get(spec.study, "other"), []).append(spec)
    print(f"neuromem {__version__}\n\nspecs (neuromem run NAME), by model family, with their typical run time on a "
          "2-core laptop:")
    for family in sorted(groups):
        print(f"\n  {family}")
        for spec in sorted(groups[family], key=lambda sp: sp.name):
            when = "" if spec.runtime is None else (f"{spec.runtime:g} s" if spec.runtime < 120 else
                                                    f"{spec.runtime / 60:.0f} min")
            what = spec.title if len(spec.title) <= 90 else spec.title[:87] + "..."
            print(f"    {spec.name:30s} {when:>7s}  {what}")
    print("\nstudies (what a spec can run):")
    for name in sorted(STUDIES.names()):
        print(f"  {name:30s} {STUDIES[name].description}")
    print("\nbackends:")
    for mod, what in (("numba", "core engine"), ("brian2", "cross-checks, benchmarks"),
                      ("nest", "cross-checks, benchmarks"), ("pyNN", "export"), ("neo", "Recording.to_neo"),
                      ("spynnaker", "SpiNNaker export"), ("nir", "NIR export")):
        found = importlib.util.find_spec(mod) is not None
        print(f"  {mod:10s} {'found' if found else 'missing':8s} {what}")
    print("\nboard profiles:")
    found = profiles()
    if not found:
        print("  (none)")
    for name, path in found.items():
        print(f"  {name:24s} {path}")
    return 0


def cmd_bench(args) -> int:
    from .bench import main as bench_main
    return bench_main(args)


def cmd_export(args) -> int:
    from . import spec as spec_mod
    from .backends.pynn_script import write_pynn_script
    from .studies import STUDIES
    spec = spec_mod.load(args.spec)
    seed = spec.run["seed"] if args.seed is None else args.seed
    study = STUDIES[spec.study]
    if study.network is None:
        exportable = sorted(name for name in STUDIES if STUDIES[name].network is not None)
        raise spec_mod.SpecError(f"neuromem export: spec '{spec.name}' (study {spec.study}) has no network to "
                                 f"export; studies that have one: {', '.join(exportable)}")
    net, dt, duration = study.network(spec, seed)
    path = write_pynn_script(net, args.output, sim=args.sim, dt=dt, duration=duration,
                             title=f"{spec.name}: {spec.title}")
    print(f"wrote {path} and {path.with_suffix('.npz')} ({args.sim}, {duration:g} ms at dt = {dt} ms)")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="neuromem", description="Neuromorphic associative-memory simulator")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run a model spec and compare with the paper")
    r.add_argument("spec", help="spec name (see `neuromem info`) or path to a .toml file")
    r.add_argument("--seed", type=int, default=None, help="override the spec's seed")
    r.add_argument("--plot", metavar="FILE", help="save the figure (PNG/PDF/SVG)")
    r.add_argument("--json", metavar="FILE", help="save measured and reference values as JSON")
    r.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: when the terminal is interactive)")
    r.add_argument("--mnist", metavar="DIR", help="MNIST IDX files for specs that take them (permuted MNIST)")
    r.set_defaults(func=cmd_run)
    i = sub.add_parser("info", help="list specs, backends and board profiles")
    i.set_defaults(func=cmd_info)
    b = sub.add_parser("bench", help="benchmark against Brian2 and NEST in one process")
    from .bench import ORDER
    b.add_argument("--only", nargs="*", choices=list(ORDER), default=None, help="benchmarks to run (default all)")
    b.add_argument("--duration", type=float, default=10000.0, help="simulated ms per benchmark (default 10 s)")
    b.add_argument("--output", metavar="FILE", default=None, help="JSON file (default benchmarks/results/<machine>.json)")
    b.add_argument("--no-reference", action="store_true", help="run neuromem only")
    b.set_defaults(func=cmd_bench)
    e = sub.add_parser("export", help="write a spec's network as a standalone PyNN script")
    e.add_argument("spec", help="spec name or path (izhikevich2003, ca3_*)")
    e.add_argument("--to", choices=["pynn-script"], default="pynn-script", help="export format")
    e.add_argument("output", metavar="FILE", help="the script to write (.py; data goes to FILE.npz)")
    e.add_argument("--sim", default="pyNN.spiNNaker", choices=["pyNN.spiNNaker", "pyNN.nest", "pyNN.brian2"],
                   help="PyNN backend the script imports (default pyNN.spiNNaker)")
    e.add_argument("--seed", type=int, default=None, help="override the spec's seed")
    e.set_defaults(func=cmd_export)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except NeuromemError as exc:
        print(f"neuromem: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
