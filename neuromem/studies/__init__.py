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

    def table(self) -> list[tuple[str, str, str, str]]:
        """Rows of (quantity, measured, paper, agreement)."""
        rows = []
        for name, value in self.measured.items():
            ref = self.spec.reference.get(name)
            unit = self.units.get(name, "")
            shown = f"{value:.3g} {unit}".strip() if isinstance(value, (int, float)) else str(value)
            if isinstance(ref, list) and len(ref) == 2:
                ok = "yes" if ref[0] <= value <= ref[1] else "NO"
                band = f">= {ref[0]:g}" if ref[1] == float("inf") else (
                    f"<= {ref[1]:g}" if ref[0] == -float("inf") else f"{ref[0]:g}-{ref[1]:g}")
                rows.append((name, shown, f"{band} {unit}".strip(), ok))
            elif isinstance(ref, (int, float)):
                rows.append((name, shown, f"{ref:g} {unit}".strip(), f"{(value - ref) / ref:+.1%}"))
            else:
                rows.append((name, shown, "" if ref is None else str(ref), ""))
        for name, ref in self.spec.reference.items():
            if name not in self.measured:
                rows.append((name, "(not measured)", str(ref), ""))
        return rows

    def passed(self) -> bool:
        return all(r[3] != "NO" for r in self.table())

    def plot(self, path, figure: str | None = None):
        """Draw the study's figure (``figure``: one of its figure names; default the spec's or the study's)."""
        name = figure or getattr(self.spec, "figure", None) or self.study.default_figure
        return self.study.figures[name](self.data, path, title=self.spec.title)


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

    def run(self, spec, seed, report=None) -> RunResult:
        """Run the experiment with the spec's parameters and measure it."""
        kwargs = dict(spec.parameters)
        accepted = inspect.signature(self.experiment).parameters
        if self.spiking:
            kwargs.update(dt=spec.run["dt"], duration=spec.run["duration"])
        if "report" in accepted:
            kwargs["report"] = report
        t0 = time.perf_counter()
        data = self.experiment(seed=seed, **kwargs)
        wall = time.perf_counter() - t0
        measured, units = self.measure(data)
        measured.setdefault("wall_time_s", wall)
        units.setdefault("wall_time_s", "s")
        return RunResult(spec, measured, units, data, self, log=list(data.get("log", [])))


def register(name, experiment, measure, figures, *, spiking=False, description="", network=None) -> Study:
    """Register a study; ``figures`` is one figure function or a dict name -> function (the first is the default)."""
    if callable(figures):
        figures = {figures.__name__.removesuffix("_figure"): figures}
    study = Study(name, experiment, measure, dict(figures), next(iter(figures)), spiking, description, network)
    STUDIES.register(name, study)
    return study
