"""Model specifications: ``models/*.toml`` loaded and validated.

A spec has ``[model]`` (name, study, title, citation, optionally figure and runtime: :data:`SPEC_KEYS`),
``[parameters]`` (passed to the study's experiment), ``[run]`` (dt, duration, seed) and
``[reference]`` (the paper's values: a number, a ``[low, high]`` range, or a description).
The study and figure are looked up by name in :data:`neuromem.studies.STUDIES` when the
spec is loaded, which imports only that study's module.
``neuromem run NAME`` finds ``models/NAME.toml``; a path is read as is.
"""
from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ._checks import check_names, check_scalar
from .errors import SpecError, ValidationError

SECTIONS = ("model", "parameters", "run", "reference")
#: the keys of [model] and [run]: key -> (type, default, meaning); the validation below and the
#: documentation's spec-format reference both read this table
SPEC_KEYS = {
    "model": {
        "name": (str, None, "the spec's name (``neuromem run NAME``); by convention the file's stem"),
        "study": (str, None, "the registered study that runs it (``neuromem info`` lists them)"),
        "title": (str, "", "one line shown above the table and on the figure"),
        "citation": (str, "", "the paper (and data source) the reference values come from"),
        "figure": (str, "the study's first figure", "which of the study's figures ``--plot`` draws"),
        "runtime": (float, None, "typical wall time in seconds on a 2-core laptop, kernels compiled "
                                 "(``neuromem info`` shows it)"),
    },
    "run": {
        "dt": (float, 0.1, "time step (ms) of a spiking study"),
        "duration": (float, 1000.0, "simulated time (ms) of a spiking study"),
        "seed": (int, 0, "the run's seed: the same seed gives the same result"),
    },
}
MODEL_KEYS = tuple(SPEC_KEYS["model"])
RUN_KEYS = tuple(SPEC_KEYS["run"])


#: the keys of a reference given as a table
REFERENCE_KEYS = ("paper", "dataset", "theory", "accept")


def reference_parts(ref) -> dict:
    """A ``[reference]`` entry as ``{paper, dataset, theory, accept}``.

    A number is the paper's value, to be equalled (to its written precision); a ``[low, high]`` list an
    acceptance range; a string a description; a table gives the parts by name: ``paper`` (a value,
    range or words) with its ``dataset``, ``theory`` (a value), ``accept`` (a number to equal or a
    ``[low, high]`` range).
    """
    if isinstance(ref, dict):
        return {k: ref.get(k) for k in REFERENCE_KEYS}
    if isinstance(ref, list):
        return {"accept": ref}
    if isinstance(ref, (int, float)) and not isinstance(ref, bool):
        return {"paper": ref, "accept": ref}
    return {"paper": ref}


def _check_reference(where, name, ref) -> None:
    def number(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    def rangelike(v):
        return isinstance(v, list) and len(v) == 2 and all(number(x) for x in v) and v[0] <= v[1]

    what = "a number, a [low, high] range, a string, or a table with keys " + ", ".join(REFERENCE_KEYS)
    if isinstance(ref, dict):
        check_names(f"{where} [reference] {name}", "key", ref, REFERENCE_KEYS)
        accept = ref.get("accept")
        if accept is not None and not (number(accept) or rangelike(accept)):
            raise SpecError(f"{where} [reference]: '{name}.accept' = {accept!r} is invalid; expected a number or "
                            "a [low, high] range")
        if ref.get("theory") is not None and not (number(ref["theory"]) or rangelike(ref["theory"])):
            raise SpecError(f"{where} [reference]: '{name}.theory' = {ref['theory']!r} is invalid; expected a number")
        return
    if not (number(ref) or rangelike(ref) or isinstance(ref, str)):
        raise SpecError(f"{where} [reference]: '{name}' = {ref!r} is invalid; expected {what}")


def spec_dirs() -> list[Path]:
    """Where named specs are looked up: the source checkout, then the installed data."""
    here = Path(__file__).resolve().parent.parent / "models"
    installed = Path(sys.prefix) / "share" / "neuromem" / "models"
    return [d for d in (here, installed) if d.is_dir()]


def available() -> dict[str, Path]:
    """Spec name -> path of every spec found."""
    out: dict[str, Path] = {}
    for d in reversed(spec_dirs()):
        for p in sorted(d.glob("*.toml")):
            out[p.stem] = p
    return out


@dataclass
class Spec:
    """A validated model specification."""

    name: str
    study: str
    title: str
    citation: str
    parameters: dict = field(default_factory=dict)
    run: dict = field(default_factory=dict)
    reference: dict = field(default_factory=dict)
    path: Path | None = None
    figure: str | None = None
    runtime: float | None = None


def load(name_or_path) -> Spec:
    """Load a spec by name (``izhikevich2003``) or by path (``dir/x.toml``)."""
    text = str(name_or_path)
    path = Path(text)
    if not (text.endswith(".toml") or path.exists()):
        specs = available()
        if text not in specs:
            check_names("neuromem spec", "spec name", [text], specs)
        path = specs[text]
    if not path.is_file():
        raise SpecError(f"spec: parameter 'path' = {text!r} is invalid; no such file")
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SpecError(f"spec {path}: not UTF-8 text ({exc.reason} at byte {exc.start}); expected a TOML file") \
            from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"spec {path}: not valid TOML ({exc}); expected a TOML file with [model], [parameters], "
                        "[run] and [reference] tables") from None
    except OSError as exc:
        raise SpecError(f"spec: parameter 'path' = {text!r} is invalid; {exc.strerror}") from None
    return validate(data, path)


def validate(data: dict, path: Path | None = None) -> Spec:
    """Check a spec's sections, keys and values against its model builder."""
    try:
        return _validate(data, path)
    except SpecError:
        raise
    except ValidationError as exc:
        raise SpecError(str(exc)) from exc


def _check_type(where, name, value, default) -> None:
    """A spec parameter must have the type of the experiment's default (int, number, bool, string, list)."""
    kinds = [(bool, "true or false"), (int, "an integer"), (float, "a number"), (str, "a string"),
             ((list, tuple), "a list")]
    for kind, words in kinds:
        if isinstance(default, kind):
            ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
            if kind is float:
                ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if kind == (list, tuple):
                ok = isinstance(value, list)
            if not ok:
                raise SpecError(f"{where}: parameter '{name}' = {value!r} is invalid; expected {words} "
                                f"(like its default {default!r})")
            return


def _validate(data: dict, path: Path | None) -> Spec:
    from .studies import STUDIES
    where = f"spec {path}" if path else "spec"
    check_names(where, "section", data, SECTIONS)
    for section in SECTIONS:
        if section in data and not isinstance(data[section], dict):
            raise SpecError(f"{where}: section '{section}' = {data[section]!r} is invalid; expected a table "
                            f"[{section}] of keys")
    model = data.get("model")
    if not isinstance(model, dict):
        raise SpecError(f"{where}: section [model] is missing; expected a [model] table with keys name and study")
    check_names(f"{where} [model]", "key", model, MODEL_KEYS)
    for key in ("name", "study"):
        if not isinstance(model.get(key), str):
            raise SpecError(f"{where} [model]: key '{key}' is missing or not a string; expected {key} = \"...\"")
    check_names(f"{where} [model]", "study", [model["study"]], STUDIES.names())
    study = STUDIES[model["study"]]
    figure = model.get("figure")
    if figure is not None:
        check_names(f"{where} [model]", "figure", [figure], study.figures)
    params = data.get("parameters", {})
    check_names(f"{where} [parameters]", "parameter", params, study.parameters)
    for name, value in params.items():
        _check_type(f"{where} [parameters]", name, value, study.defaults[name])
    for key in ("title", "citation"):
        if not isinstance(model.get(key, ""), str):
            raise SpecError(f"{where} [model]: key '{key}' = {model[key]!r} is invalid; expected a string")
    runtime = model.get("runtime")
    if runtime is not None:
        runtime = check_scalar(f"{where} [model]", "runtime", runtime, low=0.0)
    for name, ref in data.get("reference", {}).items():
        _check_reference(where, name, ref)
    run = data.get("run", {})
    check_names(f"{where} [run]", "key", run, RUN_KEYS)
    run = dict(run)
    defaults = {k: v[1] for k, v in SPEC_KEYS["run"].items()}
    run["dt"] = check_scalar(f"{where} [run]", "dt", run.get("dt", defaults["dt"]), low=0.0, low_open=True)
    run["duration"] = check_scalar(f"{where} [run]", "duration", run.get("duration", defaults["duration"]),
                                   low=0.0, low_open=True)
    run["seed"] = int(check_scalar(f"{where} [run]", "seed", run.get("seed", defaults["seed"]), low=0, integer=True))
    return Spec(name=model["name"], study=model["study"], title=model.get("title", ""),
                citation=model.get("citation", ""), parameters=dict(params), run=run,
                reference=dict(data.get("reference", {})), path=path, figure=figure, runtime=runtime)
