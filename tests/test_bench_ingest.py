"""bench.ingest and bench.ingest_memory on a small generated corpus: one measured ingest reports its
steps, the section renders every size kept, and memory samples fall into the step that holds them."""

from __future__ import annotations

import time
from pathlib import Path

from bench import ingest as bench_ingest
from bench.corpus import write_corpus
from bench.ingest_memory import Sampler, by_phase


def test_a_measured_ingest_reports_its_steps_and_the_section_every_size(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus-20"
    docs, nbytes = write_corpus(20, corpus, seed=1)
    r = bench_ingest.measure(corpus, 1, 1, tmp_path)
    assert r["docs"] == docs == 20 and r["docs_per_s"] > 0 and r["peak_mib"] > 0
    assert list(r["phases"])[:2] == ["files", "canonical"] and r["phases"]["files"] > 0
    entry = {"docs": docs, "bytes": nbytes, "runs": 1, "commit": "abc1234", "date": "2026-11-24",
             "jobs1": r, "jobs2": {**r, "docs_per_s": 2 * r["docs_per_s"], "phases": {}}}
    big = {**entry, "docs": 100000, "bytes": 10**9, "commit": "def5678"}
    md = bench_ingest.render({"100000": big, "20": entry})  # kept in any order, shown by size
    assert md.index("| 20 (") < md.index("| 100,000 (1000 MB)")
    assert "20 at abc1234 (2026-11-24), 100,000 at def5678" in md
    assert f"**{2 * r['docs_per_s']:.0f}**" in md
    assert "| 20 | `--jobs 1` | files " in md and "| 20 | `--jobs 2` |" not in md  # no steps reported


def test_memory_samples_fall_into_the_step_that_holds_them() -> None:
    samples = [(0.5, 100.0, 40.0), (1.5, 300.0, 50.0), (2.5, 200.0, 0.0), (3.5, 150.0, 0.0)]
    steps = by_phase(samples, {"files": 2.0, "canonical": 1.0, "optimize": 0.4, "kept": 1.0})
    assert steps == [("files", 2.0, 300.0, 350.0), ("canonical", 1.0, 200.0, 200.0),
                     ("optimize", 0.4, 0.0, 0.0), ("kept", 1.0, 150.0, 150.0)]
    sampler = Sampler(every=0.01)
    block = bytearray(64 << 20)  # touched: resident
    for i in range(0, len(block), 4096):
        block[i] = 1
    time.sleep(0.1)
    got = sampler.stop()
    assert got and max(s[1] for s in got) >= 64
