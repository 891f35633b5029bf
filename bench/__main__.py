"""Run every bench/*.py module's main(), one after the other.

`python -m bench` runs them all; `python -m bench import_directory` runs the named ones.
Each module sets up what it needs (its own throwaway database) and prints its figures.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings")
    here = Path(__file__).resolve().parent
    names = argv or sorted(p.stem for p in here.glob("*.py") if not p.stem.startswith("_"))
    for name in names:
        print(f"== bench.{name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
