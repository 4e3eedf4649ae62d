"""Studies: the experiments behind the specs, one module per family.

A family module (``hopfield``, ``ca3``, ``sparsey``...) holds, for each of its studies, the
experiment (a function of the spec's parameters and a seed returning a dict of results), its
measures (that dict -> measured values with units), its figures, and its registration
(:func:`register`).  ``neuromem run`` and the spec loader look a study up by name in
:data:`STUDIES`, which imports only that study's family module.  Protocols shared by every
memory (:mod:`.protocols`), datasets (:mod:`.datasets`) and the reference networks
(:mod:`.engine`) live here too.
"""
from __future__ import annotations

import inspect
import time
from dataclasses import dataclass, field
from typing import Callable

from ..registry import Registry

STUDIES = Registry("study")
#: family module -> the studies it registers (imported on first lookup of one of them)
FAMILIES = {
    "engine": ("izhikevich2003",),
    "hopfield": ("hopfield_classical", "hopfield_dense", "hopfield_exponential", "hopfield_modern",
                 "hopfield_modern_digits", "hopfield_examples", "hopfield_multitask"),
    "dendrites": ("dendrites_segments", "dendrites_sequences", "dendrites_continual"),
    "hlop": ("hlop_permuted",),
    "sparsey": ("sparsey_similarity", "sparsey_episodic", "sparsey_sequences", "sparsey_classify"),
    "ca3": ("ca3_operations", "ca3_paper", "ca3_noise"),
    "reservoir": ("distal_reward", "what_when", "force_sine"),
    "quantization": ("quantization",),
    "compare": ("memory_compare",),
}
for _family, _names in FAMILIES.items():
    STUDIES.lazy(_names, f"{__name__}.{_family}")


@dataclass
class RunResult:
    """What one run of a study measured: values (name -> number), their units, the data behind the figures."""

    spec: object
    measured: dict
    units: dict
    data: dict = field(default_factory=dict)
    study: "Study | None" = None
    log: list = field(default_factory=list)  # lines printed before the table (e.g. operations and results)

    def table(self) -> list[tuple[str, str, str, str, str, str]]:
        """Rows of (quantity, measured, paper, theory, rule, verdict).

        A reference (:func:`neuromem.spec.reference_parts`) may give the paper's value (and its dataset),
        a theory's value and an acceptance rule: a ``[low, high]`` range to fall in, or a value to equal
        to the precision it is written with (an integer exactly; 0.998 within 0.0005).  A bare number
        is the paper's value and must be equalled; a bare range is an acceptance rule; a string describes
        what to look for (verdict ``see text``).  Names are written out with their units, numbers by
        their magnitude.
        """
        from ..spec import reference_parts
        rows = []
        for name, value in self.measured.items():
            label = readable(name, self.units.get(name, ""))
            ref = self.spec.reference.get(name)
            if ref is None:
                rows.append((label, fmt(value), "", "", "", ""))
                continue
            parts = reference_parts(ref)
            paper = _shown(parts.get("paper"))
            if parts.get("dataset"):
                paper = f"{paper} ({parts['dataset']})" if paper else f"({parts['dataset']})"
            theory = _shown(parts.get("theory"))
            rule, verdict = _judge(parts.get("accept"), value)
            if verdict == "" and (paper or theory):
                verdict = "see text"
            rows.append((label, fmt(value), paper, theory, rule, verdict))
        for name, ref in self.spec.reference.items():
            if name not in self.measured:
                parts = reference_parts(ref)
                rows.append((readable(name, ""), "(not measured)", _shown(parts.get("paper")),
                             _shown(parts.get("theory")), "", "see figure"))
        return rows

    def passed(self) -> bool:
        return all(r[5] != "NO" for r in self.table())

    def plot(self, path, figure: str | None = None):
        """Draw the study's figure (``figure``: one of its figure names; default the spec's or the study's)."""
        name = figure or getattr(self.spec, "figure", None) or self.study.default_figure
        return self.study.figures[name](self.data, path, title=self.spec.title)


#: unit suffixes of measured names, and how they read
_UNIT_WORDS = {"hz": "Hz", "ms": "ms", "s": "s", "deg": "deg", "mv": "mV", "nA": "nA", "pct": "%"}


def readable(name: str, unit: str = "") -> str:
    """A measured name as words with its unit: ``exc_rate_hz`` -> ``exc rate (Hz)``."""
    words = name.split("_")
    if len(words) > 2 and words[-2] == "per":          # a rate: "operations per s"
        return " ".join(words)
    if words and words[-1].lower() in _UNIT_WORDS and len(words) > 1:
        unit = unit or _UNIT_WORDS[words[-1].lower()]
        words = words[:-1]
    text = " ".join(words)
    return f"{text} ({unit})" if unit else text


def fmt(value) -> str:
    """A number by its magnitude: integers whole (with thousands separators), others to 3 significant digits."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if value != value:
        return "nan"
    if value in (float("inf"), -float("inf")):
        return "inf" if value > 0 else "-inf"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1e5 or abs(value) < 1e-3:
        return f"{value:.3g}"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:,.1f}"


def precision(ref) -> float:
    """Half a unit in the last decimal a reference number is written with (0 for a whole number)."""
    if float(ref).is_integer():
        return 0.0
    text = repr(float(ref))
    if "e" in text:
        mantissa, exponent = text.split("e")
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return 0.5 * 10.0 ** (int(exponent) - decimals)
    return 0.5 * 10.0 ** -len(text.split(".")[1])


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return f"{fmt(value[0])} to {fmt(value[1])}"
    return fmt(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _judge(accept, value) -> tuple[str, str]:
    """The rule in words and the verdict of ``value`` against an acceptance rule (``None``: no rule)."""
    if accept is None:
        return "", ""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(accept, list):
        lo, hi = accept
        if lo == hi:
            return f"= {fmt(lo)}", "yes" if number and value == lo else "NO"
        rule = (f">= {fmt(lo)}" if hi == float("inf") else f"<= {fmt(hi)}" if lo == -float("inf")
                else f"{fmt(lo)} to {fmt(hi)}")
        return rule, "yes" if number and lo <= value <= hi else "NO"
    tol = precision(accept)
    rule = f"= {fmt(accept)}" if tol == 0 else f"= {fmt(accept)} +- {tol:g}"
    return rule, "yes" if number and abs(value - accept) <= tol else "NO"


@dataclass(frozen=True)
class Study:
    """One registered study.

    Attributes
    ----------
    name : the name specs give in ``[model] study``
    experiment : ``experiment(seed=..., **parameters) -> dict``; a spiking study's also takes
        ``dt`` and ``duration`` (ms) from the spec's ``[run]``; any study's may take ``report``
    measure : ``measure(data) -> (measured, units)``
    figures : figure name -> ``figure(data, path, title="")``
    default_figure : the figure ``--plot`` draws unless the spec names another
    spiking : whether ``[run]`` dt and duration apply
    description : one line for ``neuromem info``
    network : optional ``network(parameters, seed) -> (Network, dt, duration)``, what ``neuromem export`` writes
    """

    name: str
    experiment: Callable
    measure: Callable
    figures: dict
    default_figure: str
    spiking: bool = False
    description: str = ""
    network: Callable | None = None

    @property
    def defaults(self) -> dict:
        """Each parameter's default value (``None`` where it has none)."""
        sig = inspect.signature(self.experiment).parameters
        return {p: (None if sig[p].default is inspect.Parameter.empty else sig[p].default) for p in self.parameters}

    @property
    def parameters(self) -> list[str]:
        """The parameters a spec may set (the experiment's keywords but the run settings)."""
        return [p for p in inspect.signature(self.experiment).parameters
                if p not in ("seed", "report", "dt", "duration")]

    def run(self, spec, seed, report=None, notice=None) -> RunResult:
        """Run the experiment with the spec's parameters and measure it.

        ``report(fraction, t_ms)`` receives the progress of studies that report it; ``notice()`` is
        called when the first kernel starts compiling.  The time spent compiling kernels is measured
        apart (``compile_time_s``, when there was any) and left out of ``wall_time_s``.
        """
        from ..progress import CompileWatch
        kwargs = dict(spec.parameters)
        accepted = inspect.signature(self.experiment).parameters
        if self.spiking:
            kwargs.update(dt=spec.run["dt"], duration=spec.run["duration"])
        if "report" in accepted:
            kwargs["report"] = report
        with CompileWatch(notice) as compiling:
            t0 = time.perf_counter()
            data = self.experiment(seed=seed, **kwargs)
            wall = time.perf_counter() - t0
        measured, units = self.measure(data)
        measured.setdefault("wall_time_s", wall - compiling.seconds)
        units.setdefault("wall_time_s", "s")
        if compiling.seconds > 0.05:
            measured["compile_time_s"] = compiling.seconds
            units["compile_time_s"] = "s"
        return RunResult(spec, measured, units, data, self, log=list(data.get("log", [])))


def register(name, experiment, measure, figures, *, spiking=False, description="", network=None) -> Study:
    """Register a study; ``figures`` is one figure function or a dict name -> function (the first is the default)."""
    if callable(figures):
        figures = {figures.__name__.removesuffix("_figure"): figures}
    study = Study(name, experiment, measure, dict(figures), next(iter(figures)), spiking, description, network)
    STUDIES.register(name, study)
    return study
