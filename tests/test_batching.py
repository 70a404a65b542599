"""The bulk loads sized to a memory budget (`kg.batching`, `kg ingest --max-memory`)."""

from __future__ import annotations

import time

import pytest

from bench.corpus import documents
from kg import batching, ingest
from kg.batching import BatchSizer, resident_bytes
from kg.store import EmbeddedStore

MiB = 1 << 20


def test_the_limit_moves_by_the_distance_to_the_budget():
    with BatchSizer(600 * MiB, largest=64 * MiB, smallest=8 * MiB) as sizer:
        sizer.peak = 700 * MiB  # 100 MiB over: ~1/6 of it off the next batch
        assert sizer.handed_over() == 64 * MiB - 100 * MiB // 6
        sizer.peak = 500 * MiB  # under again: back up, never past the largest
        assert sizer.handed_over() == 64 * MiB
        sizer.peak = 10 << 30  # far over: the smallest, not below
        assert sizer.handed_over() == 8 * MiB
        assert sizer.lowest == 8 * MiB
        assert sizer.handed_over() == 8 * MiB  # no reading since the hand-over: left as it is


def test_without_a_budget_the_loads_stay_at_the_largest():
    with BatchSizer(None, largest=64 * MiB) as sizer:
        sizer.peak = 10 << 30
        assert sizer.handed_over() == 64 * MiB
        assert sizer._thread is None  # nothing read


@pytest.mark.skipif(resident_bytes() is None, reason="no /proc/self/statm")
def test_the_reading_thread_sees_the_process_grow():
    with BatchSizer(1 << 40, largest=64 * MiB) as sizer:
        before = resident_bytes()
        block = b"x" * (200 * MiB)  # written, so resident
        deadline = time.monotonic() + 10
        while sizer.peak < before + 150 * MiB and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sizer.peak >= before + 150 * MiB
        del block


@pytest.mark.skipif(resident_bytes() is None, reason="no /proc/self/statm")
def test_a_small_budget_makes_more_smaller_loads_of_the_same_graph(tmp_path, monkeypatch):
    folder = tmp_path / "plans"
    for rel, text in documents(120, seed=3):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    monkeypatch.setattr(ingest, "BATCH_BYTES", 2 * MiB)
    monkeypatch.setattr(batching, "SMALLEST", 64 << 10)
    monkeypatch.setattr(batching, "EVERY", 0.001)  # a reading before every hand-over, however fast

    def loads(store: EmbeddedStore, memory: int | None) -> tuple[int, ingest.Summary]:
        count, write = [0], store.write_graphs

        def counted(graphs, *, fresh=False):
            count[0] += fresh and any(g.nquads or g.lines for g in graphs)
            return write(graphs, fresh=fresh)

        store.write_graphs = counted  # type: ignore[method-assign]
        summary = ingest.ingest([folder], store, memory=memory)
        return count[0], summary

    wide, narrow = EmbeddedStore(tmp_path / "wide"), EmbeddedStore(tmp_path / "narrow")
    n_wide, s_wide = loads(wide, None)
    n_narrow, s_narrow = loads(narrow, 1)  # a byte: every reading is over it
    assert s_wide.added == s_narrow.added == 120
    assert s_wide.batch_bytes == 2 * MiB and s_narrow.batch_bytes == 64 << 10
    assert n_narrow > 2 * n_wide
    dump = [sorted(line for chunk in s.dump_nquads() for line in chunk.splitlines() if line) for s in (wide, narrow)]
    assert dump[0] == dump[1]
    wide.close()
    narrow.close()


def test_cli_max_memory_is_read_as_a_size(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kg.cli import main

    seen = []
    monkeypatch.setattr(ingest, "ingest", lambda *a, **k: seen.append(k["memory"]) or ingest.Summary())
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    store = str(tmp_path / "s")
    bad = CliRunner().invoke(main, ["ingest", "--store", store, "--max-memory", "lots", str(tmp_path / "a.txt")])
    assert bad.exit_code == 2 and "--max-memory: 'lots' is not a size" in bad.output
    assert CliRunner().invoke(main, ["ingest", "--store", store, str(tmp_path / "a.txt")]).exit_code == 0
    assert CliRunner(env={"KG_MAX_MEMORY": "1.5GB"}).invoke(
        main, ["ingest", "--store", store, str(tmp_path / "a.txt")]).exit_code == 0
    assert seen == [None, 1536 * MiB]  # no budget unless asked
