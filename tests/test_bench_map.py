"""`bench.map`: the section rendered from the figures kept per size."""

from __future__ import annotations

from bench.map import render


def _row(n: int, commit: str, runs: int, generate_s: float, load_s: float) -> dict:
    return {"docs": n, "generate_s": generate_s, "load_s": load_s, "drawn": 1500, "total": n + n // 5,
            "bytes": 9.9e6, "plan_s": 0.8, "plan_drawn": 30, "cited_s": 18.5, "cited_drawn": 72, "unit_s": 18.7,
            "unit_drawn": 1500, "runs": runs, "commit": commit, "date": "2026-11-24"}


def test_each_size_keeps_its_commit_and_runs_in_size_order() -> None:
    md = render({"1000000": _row(1000000, "bbb", 1, 1500.0, float("nan")), "1000": _row(1000, "aaa", 3, 0.7, 1.6)})
    assert "- Measured: 1,000 at aaa (2026-11-24, median of 3 runs), 1,000,000 at bbb (2026-11-24, one run)" in md
    rows = [line for line in md.splitlines() if line.startswith("| 1,")]
    assert rows[0].startswith("| 1,000 | 1,200 | 1,500 | 9.9 MB | **0.7 s** | **1.6 s** | **0.8 s** (30) |")
    assert rows[1].startswith("| 1,000,000 | 1,200,000 | 1,500 | 9.9 MB | **25.0 min** | **–** |")
