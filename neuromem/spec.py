"""Model specifications: ``models/*.toml`` loaded and validated.

A spec has ``[model]`` (name, study, title, citation and optionally figure),
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
MODEL_KEYS = ("name", "study", "title", "citation", "figure")
RUN_KEYS = ("dt", "duration", "seed")


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
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"spec {path}: not valid TOML: {exc}") from exc
    return validate(data, path)


def validate(data: dict, path: Path | None = None) -> Spec:
    """Check a spec's sections, keys and values against its model builder."""
    try:
        return _validate(data, path)
    except SpecError:
        raise
    except ValidationError as exc:
        raise SpecError(str(exc)) from exc


def _validate(data: dict, path: Path | None) -> Spec:
    from .studies import STUDIES
    where = f"spec {path}" if path else "spec"
    check_names(where, "section", data, SECTIONS)
    model = data.get("model")
    if not isinstance(model, dict):
        raise SpecError(f"{where}: section [model] is missing")
    check_names(f"{where} [model]", "key", model, MODEL_KEYS)
    for key in ("name", "study"):
        if not isinstance(model.get(key), str):
            raise SpecError(f"{where} [model]: key '{key}' is missing or not a string")
    check_names(f"{where} [model]", "study", [model["study"]], STUDIES.names())
    study = STUDIES[model["study"]]
    figure = model.get("figure")
    if figure is not None:
        check_names(f"{where} [model]", "figure", [figure], study.figures)
    params = data.get("parameters", {})
    check_names(f"{where} [parameters]", "parameter", params, study.parameters)
    run = data.get("run", {})
    check_names(f"{where} [run]", "key", run, RUN_KEYS)
    run = dict(run)
    run["dt"] = check_scalar(f"{where} [run]", "dt", run.get("dt", 0.1), low=0.0, low_open=True)
    run["duration"] = check_scalar(f"{where} [run]", "duration", run.get("duration", 1000.0), low=0.0, low_open=True)
    run["seed"] = int(check_scalar(f"{where} [run]", "seed", run.get("seed", 0), low=0, integer=True))
    return Spec(name=model["name"], study=model["study"], title=model.get("title", ""),
                citation=model.get("citation", ""), parameters=dict(params), run=run,
                reference=dict(data.get("reference", {})), path=path, figure=figure)
