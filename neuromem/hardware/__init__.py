"""Board profiles (``hardware/*.toml``): found here; resource estimates and
checks build on them."""
from __future__ import annotations

import sys
from pathlib import Path


def profile_dirs() -> list[Path]:
    """Where board profiles are looked up: the source checkout, then the installed data."""
    here = Path(__file__).resolve().parent.parent.parent / "hardware"
    installed = Path(sys.prefix) / "share" / "neuromem" / "hardware"
    return [d for d in (here, installed) if d.is_dir()]


def profiles() -> dict[str, Path]:
    """Profile name -> path of every board profile found."""
    out: dict[str, Path] = {}
    for d in reversed(profile_dirs()):
        for p in sorted(d.glob("*.toml")):
            out[p.stem] = p
    return out
