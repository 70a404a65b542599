"""bench.million on a rehearsal: a small cascade written and ingested in chunks, every chunk but
the last with upkeep deferred; its record, the store it leaves, and the section it renders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench import million
from kg import registry
from kg.ingest import stored_files
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def test_a_chunked_build_ends_with_every_document_and_upkeep_done(tmp_path: Path) -> None:
    record = million.build(30, 10, tmp_path, jobs=1)
    assert record["docs"] == 30 and not record["stopped"]
    chunks = record["chunks"]
    assert [c["docs_total"] for c in chunks] == [10, 20, 30]
    assert [c["upkeep"] for c in chunks] == [False, False, True]
    assert sum(c["added"] for c in chunks) == 30 and "optimize" in chunks[-1]["phases"]
    assert not (tmp_path / "chunk").exists()  # each chunk's text deleted once stored
    assert json.loads((tmp_path / "million-30.json").read_text("utf-8"))["docs"] == 30
    store = open_store(tmp_path / "store-30")
    try:
        files = stored_files(store)
        assert len(files) == 30 and all(sha for sha, _ in files.values())
        assert not registry.canonical_pending(store)
    finally:
        store.close()
    section = million.render(30, record, ["a note"])
    assert "all 30 documents ingested" in section and "\n- a note" in section
    assert section.count("| 10,000 |") == 0 and "| 30 | 10 (" in section


def test_render_alone_reads_the_record_and_its_notes(tmp_path: Path) -> None:
    chunk = {"seconds": 10.0, "added": 8, "replaced": 2, "unchanged": 0, "peak_mib": 100.0, "phases": {"files": 10.0},
             "upkeep": True, "docs_total": 10, "text_mb": 0.1, "store_bytes": 1_000_000, "commit": "abc1234"}
    record = {"docs": 10, "commit": "abc1234", "date": "2026-11-23", "jobs": 1, "chunks": [chunk], "stopped": "",
              "ingest_s": 10.0, "bytes": 1_000_000}
    (tmp_path / "million-10.json").write_text(json.dumps(record), "utf-8")
    (tmp_path / "million-10.notes").write_text("first note\n\nsecond note\n", "utf-8")
    section = million.render(10, record, ["first note", "second note"])
    assert "| 10 | 10 (0 MB, 2 stored incomplete and written again) | 10 s | **1** |" in section
    assert section.endswith("\n- first note\n- second note\n")
    run = ("import runpy, sys, bench.common as c; c.write_section = lambda name, md: print(md); "
           "sys.argv[1:] = ['--docs', '10', '--work', sys.argv[1], '--render']; "
           "runpy.run_module('bench.million', run_name='__main__')")  # printed instead of written into docs/
    out = subprocess.run([sys.executable, "-c", run, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == section.strip()
