"""Pages generated from neuromem itself, so the documentation cannot drift from the code.

* ``.. neuromem-spec-keys::`` — the keys of ``[model]`` and ``[run]`` from :data:`neuromem.spec.SPEC_KEYS`
  (what the validation reads);
* ``.. neuromem-studies::`` — every registered study: its description, its parameters with their defaults
  (what a spec's ``[parameters]`` is checked against), its figures and the specs that use it;
* ``.. neuromem-specs::`` — every spec, grouped by model family, with its title and typical run time;
* ``.. neuromem-cli::`` — the ``--help`` of every ``neuromem`` command.
"""
from __future__ import annotations

import argparse
import inspect

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList


def _parse(directive, lines):
    from sphinx.util.nodes import nested_parse_with_titles
    container = nodes.section()
    container.document = directive.state.document
    nested_parse_with_titles(directive.state, StringList(lines, source="neuromem_docs"), container)
    return container.children


def _table(header, rows, widths=None):
    out = [".. list-table::", "   :header-rows: 1", ""]
    if widths:
        out.insert(1, f"   :widths: {' '.join(str(w) for w in widths)}")
    for row in [header] + rows:
        out.append(f"   * - {row[0]}")
        out += [f"     - {cell}" for cell in row[1:]]
    return out + [""]


def _literal(value):
    return "``" + repr(value).replace("`", "'") + "``"


class SpecKeys(Directive):
    def run(self):
        from neuromem.spec import SECTIONS, SPEC_KEYS
        lines = [f"A spec has the sections {', '.join('``[' + s + ']``' for s in SECTIONS)}; any other is refused.", ""]
        for section, keys in SPEC_KEYS.items():
            lines += [f"**[{section}]**", ""]
            rows = [[f"``{k}``", t.__name__, "required" if d is None and k in ("name", "study") else
                     ("none" if d is None else _literal(d) if not isinstance(d, str) or d == "" else d), meaning]
                    for k, (t, d, meaning) in keys.items()]
            lines += _table(["key", "type", "default", "meaning"], rows, (12, 8, 18, 62))
        return _parse(self, lines)


def _family_of(study_name):
    from neuromem.studies import FAMILIES
    for family, names in FAMILIES.items():
        if study_name in names:
            return family
    return "other"


class Studies(Directive):
    def run(self):
        from neuromem.spec import available, load
        from neuromem.studies import STUDIES
        users = {}
        for name in available():
            users.setdefault(load(name).study, []).append(name)
        lines = []
        for name in sorted(STUDIES.names()):
            study = STUDIES[name]
            lines += [name, "~" * len(name), "", study.description or "", ""]
            lines += [f"Family ``{_family_of(name)}``; figures: {', '.join('``' + f + '``' for f in study.figures)}"
                      + ("; spiking: ``[run]`` dt and duration apply" if study.spiking else "") + "; specs: "
                      + (", ".join(f"``{s}``" for s in sorted(users.get(name, []))) or "none") + ".", ""]
            sig = inspect.signature(study.experiment).parameters
            rows = []
            for p in study.parameters:
                default = sig[p].default
                rows.append([f"``{p}``", "required" if default is inspect.Parameter.empty else _literal(default)])
            if rows:
                lines += _table(["parameter", "default"], rows, (30, 70))
        return _parse(self, lines)


class Specs(Directive):
    def run(self):
        from neuromem.spec import available, load
        groups = {}
        for name in available():
            spec = load(name)
            groups.setdefault(_family_of(spec.study), []).append(spec)
        lines = []
        for family in sorted(groups):
            lines += [f"**{family}**", ""]
            rows = [[f"``{s.name}``", s.title.replace("*", "\\*"),
                     "about " + (f"{s.runtime:g} s" if s.runtime < 120 else f"{s.runtime / 60:.0f} min")
                     if s.runtime is not None else ""] for s in sorted(groups[family], key=lambda s: s.name)]
            lines += _table(["spec", "what it runs", "typical time"], rows, (22, 63, 15))
        return _parse(self, lines)


class Cli(Directive):
    def run(self):
        from neuromem.cli import parser as build_parser
        parser = build_parser()
        lines = []
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parsers = [("neuromem", parser)] + [(f"neuromem {n}", p) for n, p in subs[0].choices.items()]
        for title, p in parsers:
            p.prog = title
            lines += [f"``{title}``", "", "::", ""]
            lines += ["   " + line for line in p.format_help().splitlines()] + [""]
        return _parse(self, lines)


def setup(app):
    app.add_directive("neuromem-spec-keys", SpecKeys)
    app.add_directive("neuromem-studies", Studies)
    app.add_directive("neuromem-specs", Specs)
    app.add_directive("neuromem-cli", Cli)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
