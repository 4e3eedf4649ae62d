"""Sphinx configuration of neuromem's documentation: ``python -m sphinx -W -b html docs docs/_build/html``."""
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
# examples write their figures here when the gallery runs them (not into the source tree)
os.environ.setdefault("NEUROMEM_EXAMPLE_OUTPUT", tempfile.mkdtemp(prefix="neuromem-docs-"))
os.environ.setdefault("MPLBACKEND", "Agg")

import neuromem  # noqa: E402

project = "neuromem"
author = "the neuromem developers"
copyright = "2026, the neuromem developers"
release = getattr(neuromem, "__version__", "0.1.0")

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "neuromem_docs",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.ipynb", "auto_examples/*.py",
                    "auto_examples/*.zip", "auto_examples/*.json", "auto_examples/*.md5"]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]          # README sections start at level 2 inside a page

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False, "show-inheritance": True}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()

sphinx_gallery_conf = {
    "examples_dirs": str(HERE.parent / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r".*\.py",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "plot_gallery": "True",
    # the test of the documentation runs every example again, whatever ran before
    "run_stale_examples": bool(os.environ.get("NEUROMEM_DOCS_RERUN")),
}

html_theme = "furo"
html_title = "neuromem"
html_static_path = []
