"""The paths to national scale: `kg extract --format nquads` streams what ingest loads, `kg ingest
--dask` on a local two-worker cluster gives the plain ingest's store, and ingest in big batches keeps
each file all-or-nothing. No timings here: speed lives in bench/ (docs/benchmarks.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import extract_fixture

from kg import ids
from kg.cli import main
from kg.ingest import file_nquads, ingest, stored_files
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def quads(store) -> list[str]:
    return sorted(line for chunk in store.dump_nquads() for line in chunk.splitlines() if line)


def file_graph_quads(store) -> list[str]:
    files = ids.file_graphs()
    return [q for q in quads(store) if q.rsplit(" ", 2)[-2].startswith(f"<{files}")]


def test_extract_nquads_is_what_ingest_loads(corpus: Path, embedded_store) -> None:
    result = CliRunner().invoke(main, ["extract", "--format", "nquads", str(corpus)])
    assert result.exit_code == 0, result.output
    streamed = result.stdout
    parsed = list(ox.parse(streamed, format=ox.RdfFormat.N_QUADS))  # valid N-Quads
    assert len({q.graph_name.value for q in parsed}) == 5 + 1  # the files' graphs and the shared one
    ingest([corpus], embedded_store)
    shared = f"<{ids.shared_graph()}> ."
    assert sorted({q for q in streamed.splitlines() if not q.endswith(shared)}) == file_graph_quads(embedded_store)
    stored = {q for q in quads(embedded_store) if q.endswith(shared)}
    assert {q for q in streamed.splitlines() if q.endswith(shared)} == stored


def test_extract_nquads_reports_a_bad_file_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    shutil.copy(CORPUS / "003_37ff60af79915060.txt", tmp_path / "ok.txt")
    result = CliRunner().invoke(main, ["extract", "--format", "nquads", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'broken.docx'}: ")
    assert "859/KH-UBND" in result.stdout


def test_file_nquads_ends_with_the_completion_marker(corpus: Path) -> None:
    text = file_nquads(corpus / "003_37ff60af79915060.txt")
    graph = ids.graph_iri(str(corpus / "003_37ff60af79915060.txt"))
    assert text.splitlines()[-2].startswith(f"<{graph}> <https://kg.vn-plans.org/ns#graphOf> ")


def test_many_files_in_one_batch_each_marked(tmp_path: Path, embedded_store, monkeypatch) -> None:
    import kg.ingest

    monkeypatch.setattr(kg.ingest, "BATCH", 4)
    monkeypatch.setattr(kg.ingest, "CHUNK", 3)
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(10):
        (folder / f"{n}.txt").write_text(f"synthetic {n}")
    s = ingest([folder], embedded_store, extract=extract_fixture, jobs=2)
    assert (s.added, s.failed) == (10, 0)
    assert all(sha for sha, _ in stored_files(embedded_store).values())


def test_dask_cluster_gives_the_plain_ingest(corpus: Path, tmp_path: Path, embedded_store) -> None:
    distributed = pytest.importorskip("distributed")
    from kg.distributed import ingest_on_cluster

    ingest([corpus], embedded_store)
    other = EmbeddedStore(tmp_path / "dask-store")
    cluster_args = {"n_workers": 2, "processes": True, "threads_per_worker": 1, "dashboard_address": None}
    with distributed.LocalCluster(**cluster_args) as cluster, distributed.Client(cluster) as client:
        s = ingest_on_cluster([corpus], other, client)
        assert (s.added, s.failed) == (5, 0)
        assert quads(other) == quads(embedded_store)
        again = ingest_on_cluster([corpus], other, cluster.scheduler_address)  # by address, as the CLI does
        assert (again.added, again.unchanged) == (0, 5)
    other.close()


def test_cli_dask_unreachable_scheduler_says_so(tmp_path: Path, corpus: Path, monkeypatch) -> None:
    pytest.importorskip("distributed")
    import kg.distributed

    monkeypatch.setattr(kg.distributed, "CONNECT_TIMEOUT", "1s")
    result = CliRunner().invoke(main, ["ingest", "--store", str(tmp_path / "s"), "--dask", "tcp://127.0.0.1:9",
                                       str(corpus)])
    assert result.exit_code != 0
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
