"""Ingest: one graph per file, skip unchanged, replace changed, isolate failures — on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import doc_1243, extract_fixture

from kg import ids
from kg.build import own_iri
from kg.cli import main
from kg.ingest import count_instruments, forget, ingest, stored_files
from kg.store import GraphData

KG = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"
B = "https://kg.vn-plans.org/"


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "so").mkdir(parents=True)
    (folder / "so" / "002_so_tttt.txt").write_text("so_tttt")
    (folder / "1243.txt").write_text("kh_1243")
    (folder / "004.txt").write_text("dak_doa")
    (folder / "notes.json").write_text("{}")  # not a document format: not picked up from a folder
    return folder


def quads(store) -> list[str]:
    return sorted(line for chunk in store.dump_nquads() for line in chunk.splitlines() if line)


def graph_quads(store, path: Path) -> list[str]:
    g = f"<{ids.graph_iri(str(path))}>"
    return [q for q in quads(store) if q.endswith(f"{g} .")]


def test_ingest_builds_the_cascade(store, corpus):
    s = ingest([corpus], store, extract=extract_fixture)
    assert (s.added, s.replaced, s.unchanged, s.failed) == (3, 0, 0, 0)
    assert s.references == 8 + 3 + 3
    assert s.instruments == count_instruments(store) > 10
    rows = store.select(KG + "SELECT ?top WHERE { ?src kg:sourcePath ?p ; kg:describes ?d . ?d kg:implements+ ?top "
                             "FILTER(CONTAINS(?p, 'so_tttt')) }")
    tops = {r["top"] for r in rows}
    assert {B + "eli/vn-tay-ninh/kh-ubnd/2023/1243", B + "eli/vn/ct-ttg/2021/33"} <= tops
    # the plan's own graph and the department's reference meet in one node
    plan = own_iri(doc_1243())
    assert store.select(KG + "SELECT ?src WHERE { ?src kg:describes ?d }", {"d": f"<{plan}>"})


def test_reingest_is_idempotent(store, corpus):
    ingest([corpus], store, extract=extract_fixture)
    before = quads(store)
    s = ingest([corpus], store, extract=extract_fixture, jobs=2)
    assert (s.added, s.replaced, s.unchanged, s.failed) == (0, 0, 3, 0)
    assert quads(store) == before


def test_a_file_reached_by_another_path_is_the_same_graph(store, corpus, tmp_path):
    """A file's graph is keyed by its real path, resolved once where the ingest runs and handed to
    the parsing worker: reached through a symbolic link, it is the stored file, unchanged."""
    ingest([corpus], store, extract=extract_fixture)
    before = quads(store)
    link = tmp_path / "via-link"
    link.symlink_to(corpus, target_is_directory=True)
    named = [link / "1243.txt", link / "so" / "002_so_tttt.txt"]  # files are named: links to folders are not walked
    s = ingest(named, store, extract=extract_fixture, jobs=2)
    assert (s.added, s.replaced, s.unchanged, s.failed) == (0, 0, 2, 0)
    assert quads(store) == before
    assert graph_quads(store, named[0]) == graph_quads(store, corpus / "1243.txt") != []


def test_changed_file_replaces_its_graph(store, corpus):
    ingest([corpus], store, extract=extract_fixture)
    target = corpus / "1243.txt"
    old = graph_quads(store, target)
    other = graph_quads(store, corpus / "004.txt")
    target.write_text("dak_doa")  # now a different document
    s = ingest([corpus], store, extract=extract_fixture)
    assert (s.added, s.replaced, s.unchanged) == (0, 1, 2)
    new = graph_quads(store, target)
    assert new and not set(old) & set(new) - {q for q in old if "kind/" in q or "place/" in q or "org/" in q}
    assert not any("1243/KH-UBND" in q for q in new)
    assert graph_quads(store, corpus / "004.txt") == other


def test_failing_file_is_reported_and_nothing_stored_is_lost(store, corpus, tmp_path):
    ingest([corpus], store, extract=extract_fixture)
    kept = graph_quads(store, corpus / "1243.txt")
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "bad.txt").write_text("CORRUPT \x00\x01")
    (batch / "good.txt").write_text("synthetic 7")
    (corpus / "1243.txt").write_text("CORRUPT now")  # a stored file that breaks on its next read
    s = ingest([corpus, batch], store, extract=extract_fixture)
    assert (s.added, s.failed) == (1, 2)
    assert s.errors == [f"{corpus / '1243.txt'}: no document header found; is this a plan?",
                        f"{batch / 'bad.txt'}: no document header found; is this a plan?"]
    assert graph_quads(store, corpus / "1243.txt") == kept


def test_real_extractor_failure_names_the_file(embedded_store, tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "ok.txt").write_text(
        "KẾ HOẠCH\nThực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ\n", encoding="utf-8")
    s = ingest([tmp_path], embedded_store)
    assert (s.added, s.failed) == (1, 1)
    assert s.errors[0].startswith(f"{tmp_path / 'broken.docx'}: ")
    assert "\n" not in s.errors[0]


def test_jobs_give_the_same_graph(tmp_path, embedded_store):
    from kg.store import EmbeddedStore

    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(12):
        (folder / f"{n}.txt").write_text(f"synthetic {n}")
    ingest([folder], embedded_store, extract=extract_fixture)
    other = EmbeddedStore(tmp_path / "other")
    ingest([folder], other, extract=extract_fixture, jobs=2)
    assert quads(other) == quads(embedded_store)
    other.close()


def test_interrupted_load_is_replaced_not_added_to(store, corpus):
    path = corpus / "1243.txt"
    g = ids.graph_iri(str(path))
    store.write_graphs([GraphData(g, ['<urn:stale> <urn:p> "left over" .'], [])], fresh=True)  # no marker
    assert stored_files(store)[g] == ("", "")
    assert stored_files(store, [g]) == {g: ("", "")}  # looked up by IRI, as ingest does
    s = ingest([path], store, extract=extract_fixture)
    assert s.replaced == 1
    assert not store.select("SELECT ?o WHERE { <urn:stale> ?p ?o }")


def test_stored_files_by_iri_is_the_whole_listing_restricted(store, corpus):
    ingest([corpus], store, extract=extract_fixture)
    everything = stored_files(store)
    assert len(everything) >= 3 and all(sha and path for sha, path in everything.values())
    asked = [*sorted(everything)[:2], ids.graph_iri(str(corpus / "never-ingested.txt"))]
    assert stored_files(store, asked) == {g: everything[g] for g in asked[:2]}
    assert stored_files(store, []) == {}


def test_forget_file_and_folder(store, corpus):
    ingest([corpus], store, extract=extract_fixture)
    (corpus / "004.txt").unlink()
    assert forget([corpus / "004.txt"], store) == [str((corpus / "004.txt").resolve())]
    assert graph_quads(store, corpus / "004.txt") == []
    assert len(forget([corpus / "so"], store)) == 1
    assert len(stored_files(store)) == 1
    assert forget([corpus / "nothing-here"], store) == []


def test_cli_ingest_summary_and_exit_status(tmp_path, corpus, monkeypatch):
    import kg.ingest

    monkeypatch.setattr(kg.ingest, "_default_extract", extract_fixture)
    runner = CliRunner()
    store = str(tmp_path / "cli-store")
    result = runner.invoke(main, ["ingest", "--store", store, str(corpus)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Văn bản: 3 thêm mới, 0 cập nhật, 0 không đổi, 0 lỗi; 14 trích dẫn; ")
    (corpus / "x.txt").write_text("CORRUPT")
    result = runner.invoke(main, ["ingest", "--store", store, "--lang", "en", str(corpus)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {corpus / 'x.txt'}: no document header found; is this a plan?\n"
    assert result.stdout.startswith("Documents: 0 added, 0 replaced, 3 unchanged, 1 failed; 0 references; ")


def test_cli_missing_path_is_bad_input(tmp_path):
    result = CliRunner().invoke(main, ["ingest", "--store", str(tmp_path / "s"), str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_cli_forget(tmp_path, corpus, monkeypatch):
    import kg.ingest

    monkeypatch.setattr(kg.ingest, "_default_extract", extract_fixture)
    store = str(tmp_path / "cli-store")
    CliRunner().invoke(main, ["ingest", "--store", store, str(corpus)])
    result = CliRunner().invoke(main, ["forget", "--store", store, "--lang", "en", str(corpus / "004.txt")])
    assert result.exit_code == 0
    assert result.output == f"Forgotten: {(corpus / '004.txt').resolve()}\n"


def test_cli_export_rdf_and_cascade(tmp_path, corpus, monkeypatch):
    import json

    import networkx as nx
    import rdflib

    import kg.ingest

    monkeypatch.setattr(kg.ingest, "_default_extract", extract_fixture)
    store = str(tmp_path / "cli-store")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--store", store, str(corpus)]).exit_code == 0
    out = tmp_path / "g.ttl"
    result = runner.invoke(main, ["export", "--store", store, "--format", "turtle", "--out", str(out)])
    assert result.exit_code == 0, result.output
    g = rdflib.Graph().parse(out)
    assert (rdflib.URIRef(B + "eli/vn-tay-ninh/kh-ubnd/2023/1243"), rdflib.URIRef("https://kg.vn-plans.org/ns#implements"),
            rdflib.URIRef(B + "eli/vn/ct-ttg/2021/33")) in g
    graphml = str(tmp_path / "c.graphml")
    result = runner.invoke(main, ["export", "--store", store, "--format", "graphml", "--out", graphml])
    assert result.exit_code == 0, result.output
    net = nx.read_graphml(graphml)
    assert net.edges[B + "eli/vn-tay-ninh/kh-ubnd/2023/1243", B + "eli/vn/ct-ttg/2021/33"]["relation"] == "implements"
    assert net.nodes[B + "eli/vn/ct-ttg/2021/33"]["symbol"] == "33/CT-TTg"
    result = runner.invoke(main, ["export", "--store", store, "--format", "cascade-json"])
    data = json.loads(result.stdout)
    assert {"nodes", "edges"} <= set(data)
    assert any(e["relation"] == "cites" for e in data["edges"])


def test_cli_store_busy_is_bad_input(tmp_path, embedded_store):
    result = CliRunner().invoke(main, ["registry", "list", "--store", embedded_store.location])
    assert result.exit_code == 2
    assert "another kg process is writing to this store" in result.output


def test_both_backends_hold_the_same_quads(embedded_store, http_store, corpus):
    for store in (embedded_store, http_store):
        ingest([corpus], store, extract=extract_fixture)
    assert quads(http_store) == quads(embedded_store)


def test_deferred_upkeep_is_done_by_the_next_ingest(tmp_path, corpus, monkeypatch):
    """Two ingests into one store, the first with --defer-upkeep: in between, canonical metadata is
    missing and `kg verify` names the pending refresh; after the second, the store holds exactly
    what one ingest of both folders gives."""
    from kg import registry
    from kg.store import EmbeddedStore

    monkeypatch.setattr("kg.ingest._default_extract", extract_fixture)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    for name in ("1243.txt", "004.txt"):
        (corpus / name).rename(first / name)
    (corpus / "so").rename(second / "so")

    runner = CliRunner()
    split, whole = tmp_path / "split-store", tmp_path / "whole-store"
    result = runner.invoke(main, ["ingest", str(first), "--store", str(split), "--defer-upkeep"])
    assert result.exit_code == 0, result.output
    store = EmbeddedStore(split)
    assert registry.canonical_pending(store)
    assert not store.select(KG + "SELECT ?i WHERE { GRAPH ?c { ?i kg:canonicalDate ?d } }",
                            {"c": f"<{ids.canonical_graph()}>"})
    store.close()
    verify = runner.invoke(main, ["verify", "--store", str(split), "--lang", "en", "--no-shapes"])
    assert verify.exit_code == 1 and "--defer-upkeep" in verify.output

    assert runner.invoke(main, ["ingest", str(second), "--store", str(split)]).exit_code == 0
    assert runner.invoke(main, ["ingest", str(first), str(second), "--store", str(whole)]).exit_code == 0
    assert runner.invoke(main, ["verify", "--store", str(split), "--no-shapes"]).exit_code == 0
    stores = [EmbeddedStore(split), EmbeddedStore(whole)]
    try:
        assert quads(stores[0]) == quads(stores[1])
    finally:
        for s in stores:
            s.close()


def test_the_store_is_optimised_after_large_ingests_only(store, corpus, tmp_path, monkeypatch):
    """Optimising rewrites the whole store (87 s of a 92 s ingest of one plan into 100k): it follows
    an ingest that added `OPTIMIZE_AFTER` documents or more, or one that finishes deferred upkeep."""
    import kg.ingest

    calls: list[str] = []
    monkeypatch.setattr(type(store), "optimize", lambda self: calls.append("optimize"))
    monkeypatch.setattr(kg.ingest, "OPTIMIZE_AFTER", 2)
    (corpus / "1243.txt").rename(tmp_path / "later.txt")
    for n in (1, 2):
        (tmp_path / f"extra-{n}.txt").write_text(f"synthetic {n}")
    s = ingest([corpus], store, extract=extract_fixture)
    assert (s.added, len(calls)) == (2, 1) and "optimize" in s.phases
    s = ingest([tmp_path / "later.txt"], store, extract=extract_fixture)
    assert (s.added, len(calls)) == (1, 1) and "optimize" not in s.phases
    s = ingest([tmp_path / "extra-1.txt"], store, extract=extract_fixture, upkeep=False)
    assert (s.added, len(calls)) == (1, 1)
    s = ingest([tmp_path / "extra-2.txt"], store, extract=extract_fixture)  # finishes the deferred upkeep
    assert (s.added, len(calls)) == (1, 2)


def test_the_optimisation_follows_the_last_write_and_runs_beside_the_reading_steps(store, corpus, monkeypatch):
    """The compaction starts once the canonical refresh has written (what it leaves out stays slower to
    query), runs in a thread while the index and the kept report are made, and its failure is the
    ingest's."""
    import threading

    import kg.ingest
    from kg import registry, stale_rows

    events: list[str] = []
    started, release = threading.Event(), threading.Event()
    refresh, keep = registry.refresh_canonical, stale_rows.keep_after_write

    def optimize(self):
        events.append("optimize starts")
        started.set()
        assert release.wait(10)  # held until the kept report is made: they overlap
        events.append("optimize ends")

    def kept(*args, **kwargs):
        assert started.wait(10)
        events.append("kept")
        keep(*args, **kwargs)
        release.set()

    monkeypatch.setattr(type(store), "optimize", optimize)
    monkeypatch.setattr(registry, "refresh_canonical", lambda *a, **k: (events.append("refresh"), refresh(*a, **k)))
    monkeypatch.setattr(stale_rows, "keep_after_write", kept)
    monkeypatch.setattr(kg.ingest, "OPTIMIZE_AFTER", 2)
    s = ingest([corpus], store, extract=extract_fixture)
    assert events == ["refresh", "optimize starts", "kept", "optimize ends"]
    assert s.ok and "optimize" in s.phases

    def broken(self):
        raise OSError("no space left on device")

    monkeypatch.setattr(type(store), "optimize", broken)
    monkeypatch.setattr(stale_rows, "keep_after_write", keep)
    (corpus / "more.txt").write_text("synthetic 1")
    (corpus / "more-2.txt").write_text("synthetic 2")
    with pytest.raises(OSError, match="no space"):
        ingest([corpus], store, extract=extract_fixture)


def test_an_ingest_touching_many_instruments_refreshes_them_all(tmp_path, corpus, monkeypatch):
    """Past `TOUCHED_MAX` instruments an ingest stops tracking them and refreshes the whole canonical
    graph: the store ends as the tracked refresh leaves it; a file met again is replaced, not added."""
    import kg.ingest
    from kg import registry
    from kg.store import EmbeddedStore

    later = tmp_path / "later"
    later.mkdir()
    (corpus / "004.txt").rename(later / "004.txt")
    calls: list[object] = []
    real = registry.refresh_canonical
    monkeypatch.setattr(registry, "refresh_canonical",
                        lambda store, instruments=None: (calls.append(instruments), real(store, instruments))[1])
    stores = []
    for cap in (kg.ingest.TOUCHED_MAX, 2):
        store = EmbeddedStore(tmp_path / f"store-{cap}")
        stores.append(store)
        ingest([corpus], store, extract=extract_fixture)  # the shipped registry: a whole refresh
        (corpus / "1243.txt").write_text("so_tttt")  # changed: replaced by the next ingest
        monkeypatch.setattr(kg.ingest, "TOUCHED_MAX", cap)
        calls.clear()
        s = ingest([corpus, later], store, extract=extract_fixture)
        assert (s.added, s.replaced, s.unchanged) == (1, 1, 1)
        assert (calls[0] is None) == (cap == 2), calls
        (corpus / "1243.txt").write_text("kh_1243")
    try:
        assert quads(stores[0]) == quads(stores[1])
    finally:
        for s in stores:
            s.close()


def test_transactions_flush_the_write_buffers(embedded_store, corpus, monkeypatch):
    """Completion markers and replaced graphs go in by transactions, whose write buffers RocksDB keeps
    in memory until one is full: the store flushes them every `FLUSH_EVERY` bytes of such text."""
    import kg.store

    monkeypatch.setattr(kg.store, "FLUSH_EVERY", 1 << 40)
    ingest([corpus], embedded_store, extract=extract_fixture)
    assert embedded_store.unflushed > 0
    monkeypatch.setattr(kg.store, "FLUSH_EVERY", 1)
    embedded_store.update(KG + "INSERT DATA { <urn:x> kg:note 'x' }")
    assert embedded_store.unflushed == 0
    (corpus / "1243.txt").write_text("so_tttt")
    ingest([corpus], embedded_store, extract=extract_fixture)
    assert embedded_store.unflushed == 0


def test_shared_lines_are_written_once_until_the_memory_is_full():
    """Each shared line goes to the store once per ingest, remembered by its digest; past `limit`
    distinct lines the memory is cleared and lines met again are written again (harmless)."""
    from kg.ingest import _Shared

    shared = _Shared(limit=3)
    shared.add(["<urn:a> <urn:p> \"Hà Nội\" .", "<urn:b> <urn:p> <urn:c> ."])
    shared.add(["<urn:b> <urn:p> <urn:c> .", "<urn:a> <urn:p> \"Hà Nội\" .", "<urn:a> <urn:p> \"Ha Noi\" ."])
    (data,) = shared.take()
    assert data.triples() == ["<urn:a> <urn:p> \"Hà Nội\" .", "<urn:b> <urn:p> <urn:c> .",
                              "<urn:a> <urn:p> \"Ha Noi\" ."]
    assert shared.take() == []
    shared.add(["<urn:d> <urn:p> <urn:e> ."])  # the fourth distinct line: over the limit after it
    shared.add(["<urn:b> <urn:p> <urn:c> .", "<urn:b> <urn:p> <urn:c> ."])  # cleared first: once more
    assert [d.triples() for d in shared.take()] == [["<urn:d> <urn:p> <urn:e> .", "<urn:b> <urn:p> <urn:c> ."]]


def test_the_writer_takes_a_batch_only_once_it_has_loaded_the_last():
    """A batch is handed over, not queued: while the writer loads one, `put` of the next waits, so
    the ingest holds two batches at most (the loading one and the one it gathered)."""
    import threading

    from kg.ingest import _Writer

    loading, release, loaded = threading.Event(), threading.Event(), []

    class SlowStore:
        def write_graphs(self, graphs, *, fresh):
            loading.set()
            assert release.wait(10)
            loaded.append(graphs)

    writer = _Writer(SlowStore())  # type: ignore[arg-type]
    writer.put(["first"], fresh=True)  # type: ignore[list-item]
    assert loading.wait(10)
    handed = threading.Event()
    second = threading.Thread(target=lambda: (writer.put(["second"], fresh=True), handed.set()))  # type: ignore[list-item]
    second.start()
    assert not handed.wait(0.5)  # the first is still loading: the second is not taken
    release.set()
    assert handed.wait(10)
    second.join()
    writer.close()
    assert loaded == [["first"], ["second"]]
