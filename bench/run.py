"""`make bench`: run the benchmark sections and write docs/benchmarks.md.

    python -m bench.run                 # every section
    python -m bench.run extraction      # one section
"""

from __future__ import annotations

import argparse
import importlib

SECTIONS = ["extraction", "ingest", "refresh", "map", "queries", "web"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sections", nargs="*", default=SECTIONS, help=f"some of: {', '.join(SECTIONS)}")
    args = ap.parse_args()
    for name in args.sections:
        if name not in SECTIONS:
            ap.error(f"unknown section {name!r}; known: {', '.join(SECTIONS)}")
        module = importlib.import_module(f"bench.{name}")
        print(module.run())


if __name__ == "__main__":
    main()
