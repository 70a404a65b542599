"""Concurrent use while `kg ingest` writes: a second writer stops with "store is in use" (or waits
with --wait), and readers keep reading the state from before the ingest (issue 8).

The running ingest is slowed down (a pause per file) so that it holds the store for several seconds
whatever the machine's speed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability import bad_files as bad
from reliability.table import reliability  # noqa: F401  (the session fixture)

from kg.cli import main
from kg.store import SNAPSHOTS

pytestmark = pytest.mark.slow

SECTION = "Concurrent use"
DOCS = 40
PAUSE = 0.15  # seconds per file: the ingest holds the store for at least DOCS * PAUSE
SLOW = f"""
import sys, time
import kg.ingest
real = kg.ingest.markers
def markers(*args):
    time.sleep({PAUSE})
    return real(*args)
kg.ingest.markers = markers
from kg.cli import main
main(prog_name="kg")
"""
COUNT = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://kg.vn-plans.org/ns#SourceDocument> }"


def documents(store: str) -> int:
    result = CliRunner().invoke(main, ["sparql", "--store", store, "--format", "csv", COUNT])
    assert result.exit_code == 0, result.output
    return int(result.stdout.split()[1])


def test_a_second_writer_stops_or_waits_and_readers_keep_reading(tmp_path, reliability):  # noqa: F811
    texts = bad.plans(DOCS + 2, seed=41)
    folder = tmp_path / "docs"
    folder.mkdir()
    for n, text in enumerate(texts[:DOCS]):
        (folder / f"{n:03}.txt").write_text(text, encoding="utf-8")
    first, extra = tmp_path / "đầu tiên.txt", tmp_path / "thêm.txt"
    first.write_text(texts[DOCS], encoding="utf-8")
    extra.write_text(texts[DOCS + 1], encoding="utf-8")
    store = str(tmp_path / "kg-store")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--store", store, str(first)]).exit_code == 0

    writer = subprocess.Popen([sys.executable, "-c", SLOW, "ingest", "--store", store, str(folder)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    waiter = None
    try:
        fresh = Path(store, SNAPSHOTS, "fresh")
        deadline = time.monotonic() + 60
        while fresh.exists():  # the writer removes it once it holds the store
            assert writer.poll() is None and time.monotonic() < deadline, writer.communicate()
            time.sleep(0.05)
        start = time.perf_counter()
        busy = runner.invoke(main, ["ingest", "--store", store, "--lang", "en", str(extra)])
        busy_seconds = time.perf_counter() - start
        assert busy.exit_code == 2, busy.output
        assert busy.output == (f"Error: {store}: store is in use: another kg process is writing to this store — "
                               "wait for it to finish, rerun with --wait SECONDS, or use another --store\n")
        start = time.perf_counter()
        assert documents(store) == 1  # the state before the running ingest
        read_seconds = time.perf_counter() - start
        waiter = subprocess.Popen([sys.executable, "-m", "kg", "ingest", "--store", store, "--lang", "en", "--wait",
                                   "300", str(extra)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  start_new_session=True)
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        assert waiter.poll() is None or waiter.returncode == 0
        out, err = waiter.communicate(timeout=300)
        assert waiter.returncode == 0, err
        assert out.decode().startswith("Documents: 1 added, 0 replaced, 0 unchanged, 0 failed; ")
    finally:
        for proc in (writer, waiter):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.communicate()
    assert documents(store) == DOCS + 2
    assert runner.invoke(main, ["verify", "--store", store, "--no-shapes"]).exit_code == 0
    reliability.row(SECTION, "second writer", "`kg ingest` while another `kg ingest` writes the store",
                    "exit 2 at once: 'store is in use: another kg process is writing to this store — wait for it to "
                    "finish, rerun with --wait SECONDS, or use another --store'", "running ingest unaffected",
                    busy_seconds)
    reliability.row(SECTION, "reader during an ingest", "`kg sparql` while `kg ingest` writes",
                    "answers from the snapshot taken before the ingest (1 document, not a partial count)",
                    "—", read_seconds)
    reliability.row(SECTION, "second writer with --wait", "`kg ingest --wait 300` while another ingest writes",
                    "waits, then adds its file once the first finishes; `kg verify` clean",
                    f"{DOCS + 2} of {DOCS + 2}")


def test_an_exclusive_ingest_leaves_no_snapshot_behind_it(tmp_path):
    texts = bad.plans(DOCS + 1, seed=43)
    folder = tmp_path / "docs"
    folder.mkdir()
    for n, text in enumerate(texts[:DOCS]):
        (folder / f"{n:03}.txt").write_text(text, encoding="utf-8")
    first = tmp_path / "first.txt"
    first.write_text(texts[DOCS], encoding="utf-8")
    store = str(tmp_path / "kg-store")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--store", store, str(first)]).exit_code == 0
    snapshots = Path(store, SNAPSHOTS)
    assert [d for d in snapshots.iterdir() if d.is_dir()]

    writer = subprocess.Popen([sys.executable, "-c", SLOW, "ingest", "--exclusive", "--store", store, str(folder)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while (snapshots / "current").exists():  # withdrawn once the writer holds the store
            assert writer.poll() is None and time.monotonic() < deadline, writer.communicate()
            time.sleep(0.05)
        # then it removes the snapshots (`current` goes first: on a loaded machine this loop saw the
        # pointer gone and the folder not yet removed)
        while [d for d in snapshots.iterdir() if d.is_dir()]:
            assert writer.poll() is None and time.monotonic() < deadline, "a snapshot outlived the writer's start"
            time.sleep(0.05)
        busy = runner.invoke(main, ["sparql", "--store", store, "--lang", "en", COUNT])
        assert busy.exit_code == 2 and "store is in use" in busy.output, busy.output
        # as the message says: with --wait, a reader waits for the writer and reads what it wrote
        waited = runner.invoke(main, ["stats", "--store", store, "--wait", "300", "--format", "json"])
        assert waited.exit_code == 0, waited.output
        assert json.loads(waited.output)["documents"] == DOCS + 1  # what the writer wrote, once it was done
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    finally:
        if writer.poll() is None:
            writer.send_signal(signal.SIGKILL)
            writer.communicate()
    assert documents(store) == DOCS + 1  # a new snapshot, made as it closed
