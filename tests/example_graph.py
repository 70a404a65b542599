"""The example corpus's graph, built once per test module, for the query and command tests."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The five plans, not the corpus README (which `kg ingest examples/corpus` would also read).
PLANS = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "examples" / "corpus").glob("*.txt"))
BASE = "https://kg.vn-plans.org/"
SO_NGOAI_VU = "examples/corpus/000_ad4fe33f902addcd.txt"


def load_example(store) -> None:
    """Ingest the example plans into `store` with repo-relative paths (as the README does)."""
    from kg.ingest import ingest

    here = os.getcwd()
    os.chdir(REPO)
    try:
        summary = ingest(PLANS, store)
    finally:
        os.chdir(here)
    assert summary.ok and summary.added == len(PLANS) == 5, summary


def short(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows with the IRI base cut, for readable golden files."""
    return [{k: v[len(BASE):] if v.startswith(BASE) else v for k, v in row.items()} for row in rows]
