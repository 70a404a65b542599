"""`kg ingest` killed with SIGKILL at seeded random moments, then rerun (issue 8).

After every kill each document is either fully in (its graph holds exactly what `file_nquads`
builds for the file, completion markers included) or not complete (no graph, or a graph without
markers), and `kg verify` names exactly the unfinished graphs with the command that repairs them.
Rerunning `kg ingest` then finishes the job. The ingest runs in bulk loads of `BATCH` files instead
of 500, so that kills land between commits as well as inside them.
"""

from __future__ import annotations

import os
import random
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability.table import reliability  # noqa: F401  (the session fixture)

from kg import ids
from kg.cli import main
from kg.ingest import file_nquads

pytestmark = pytest.mark.slow  # subprocess ingests killed and rerun: ~45 s in all

SECTION = "Crashes: `kg ingest` killed with SIGKILL"
KG = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"
DOCS = 100
BATCH = 6
KILLS = 5
SEED = 8
# `kg ingest` with a smaller bulk-load batch. A fault "module:Object.name@K" makes it SIGKILL itself
# on the K-th call of that function, the calls before going through; "…@K~text" counts only the calls
# whose arguments mention `text`.
RUNNER = """
import functools, importlib, os, signal, sys
import kg.ingest, kg.registry, kg.store
kg.ingest.BATCH = int(sys.argv.pop(1))
kg.ingest.OPTIMIZE_AFTER = 1  # as a large ingest does: the store is optimised, and a kill there is tried
fault = sys.argv.pop(1)
if fault != "-":
    where, at = fault.split("@")
    at, _, needle = at.partition("~")
    module, path = where.split(":")
    owner = importlib.import_module(module)
    *parents, name = path.split(".")
    for part in parents:
        owner = getattr(owner, part)
    real, calls = getattr(owner, name), [0]

    @functools.wraps(real)
    def die_at(*args, **kwargs):
        if needle not in repr(args):
            return real(*args, **kwargs)
        calls[0] += 1
        if calls[0] >= int(at):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    setattr(owner, name, die_at)
from kg.cli import main
main(prog_name="kg")
"""


def ingest_process(store: Path, folder: Path, fault: str = "-") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(BATCH), fault, "ingest", "--store", str(store), "--lang", "en",
         str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def kill(proc: subprocess.Popen) -> bool:
    """SIGKILL the ingest (its whole process group); True if it was still running."""
    running = proc.poll() is None
    if running:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    return running


def graphs(store_path: Path) -> tuple[dict[str, set[str]], set[str]]:
    """Quads of every file graph, and the file graphs holding both completion markers."""
    from kg.store import EmbeddedStore

    store = EmbeddedStore(store_path, read_only=True)
    try:
        files = ids.file_graphs()
        out: dict[str, set[str]] = {}
        for chunk in store.dump_nquads():
            for line in chunk.splitlines():
                g = line.rsplit(" ", 2)[-2][1:-1] if line else ""
                if g.startswith(files):
                    out.setdefault(g, set()).add(line)
        marked = {r["g"] for r in store.select(
            KG + "SELECT ?g WHERE { GRAPH ?g { ?g kg:graphOf ?src ; kg:sourcePath ?path } }")}
    finally:
        store.close()
    return out, marked & set(out)


def verify(store: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["verify", "--store", str(store), "--lang", "en", "--no-shapes"])
    assert result.exit_code in (0, 1), result.output
    # the problems: the summary line dropped, and the notes (a killed writer leaves no cascade index for
    # what it wrote: readers read the store, the next writer builds it)
    return result.exit_code, [line for line in result.stdout.splitlines()[:-1] if not line.startswith("Note: ")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, set[str]]]:
    """DOCS generated plans, and the quads each one's graph must hold when it is complete."""
    from bench.corpus import write_corpus

    root = tmp_path_factory.mktemp("crash")
    write_corpus(DOCS, root, seed=SEED)
    folder = root / "docs"
    expected: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.txt")):
        g = ids.graph_iri(str(path))
        expected[g] = {q for q in file_nquads(path).splitlines() if q.endswith(f" <{g}> .")}
    assert len(expected) == DOCS
    return folder, expected


def check_interrupted(store: Path, expected: dict[str, set[str]]) -> tuple[int, int, list[str]]:
    """Every document fully in or not complete; `kg verify` names exactly the unfinished ones.

    Returns (complete, unfinished, problems)."""
    quads, marked = graphs(store)
    assert set(quads) <= set(expected)
    for g in marked:
        assert quads[g] == expected[g], f"{g}: marked complete, but its quads differ from the file's"
    unfinished = set(quads) - marked
    code, problems = verify(store)
    lines = [p for p in problems if "graph without its completion marker" in p]
    named = {ids.graph_iri(p.split(": graph without", 1)[0]) for p in lines}
    assert named == unfinished, problems
    for line in lines:
        path = line.split(": graph without", 1)[0]
        assert line.endswith(f" — repair: kg ingest --store {shlex.quote(str(store))} {shlex.quote(path)}"), line
    others = [p for p in problems if p not in lines]
    for p in others:  # what else an interrupted ingest may leave: only about unfinished graphs, or canonical
        assert "canonical metadata" in p or any(p.startswith(path) for path in
                                                   (line.split(": graph without")[0] for line in lines)), p
    assert code == (1 if problems else 0)
    return len(marked), len(unfinished), problems


def test_sigkill_at_random_moments_then_rerun_finishes(tmp_path, corpus, reliability):  # noqa: F811
    folder, expected = corpus
    store = tmp_path / "kg-store"
    rng = random.Random(SEED)
    delays = [rng.uniform(0.9, 2.2) for _ in range(KILLS)]  # Python starts in ~0.8 s
    rows = []
    for n, delay in enumerate(delays, 1):
        proc = ingest_process(store, folder)
        time.sleep(delay)
        was_running = kill(proc)
        complete, unfinished, problems = check_interrupted(store, expected)
        rows.append((n, delay, was_running, complete, unfinished, problems))

    result = CliRunner().invoke(main, ["ingest", "--store", str(store), "--lang", "en", str(folder)])
    assert result.exit_code == 0, result.output
    quads, marked = graphs(store)
    assert set(quads) == marked == set(expected)
    assert all(quads[g] == expected[g] for g in expected)
    assert verify(store) == (0, [])
    full = CliRunner().invoke(main, ["verify", "--store", str(store), "--lang", "en"])
    assert full.exit_code == 0, full.output
    assert full.stdout.endswith(f"({DOCS} file graphs, {DOCS} completion markers, {DOCS} source documents)\n")

    # the counts at each kill, and so the times of the checks and of the rerun, depend on the machine's
    # speed: the table says what held every time, without times
    for n, delay, *_ in rows:
        reliability.row(SECTION, f"kill {n} of {KILLS}", f"SIGKILL {delay:.1f} s after starting `kg ingest` of "
                        f"{DOCS} plans (bulk loads of {BATCH}; on the store the previous kill left)",
                        "every document complete (its graph identical to a clean ingest's) or unfinished; `kg verify` "
                        "named exactly the unfinished graphs, each with `kg ingest --store … FILE`",
                        "no partial document marked complete")
    reliability.row(SECTION, "rerun", f"`kg ingest` of the same {DOCS} plans after the {KILLS} kills",
                    f"exit 0; {DOCS} documents, each graph identical to a clean ingest; `kg verify` clean (SHACL "
                    "included)", f"{DOCS} of {DOCS}")


def test_a_kill_between_a_bulk_load_and_its_markers(tmp_path, corpus, reliability):  # noqa: F811
    """The narrowest window: the second batch's quads are loaded, its completion markers not."""
    folder, expected = corpus
    store = tmp_path / "kg-store"
    # kg.store.nquads_text writes each graph's completion markers after its batch's bulk load: the
    # (BATCH + 1)-th call with a kg:graphOf line is the second batch's first, after its bulk load
    proc = ingest_process(store, folder, f"kg.store:nquads_text@{BATCH + 1}~graphOf")
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    quads, marked = graphs(store)
    assert (len(marked), len(quads)) == (BATCH, 2 * BATCH)
    assert check_interrupted(store, expected)[:2] == (BATCH, BATCH)
    result = CliRunner().invoke(main, ["ingest", "--store", str(store), "--lang", "en", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Documents: {DOCS - 2 * BATCH} added, {BATCH} replaced, {BATCH} unchanged, ")
    quads, marked = graphs(store)
    assert set(quads) == marked == set(expected) and all(quads[g] == expected[g] for g in expected)
    assert verify(store) == (0, [])
    reliability.row(SECTION, "kill between a bulk load and its markers",
                    "SIGKILL after the 2nd batch's quads were loaded, before its completion markers",
                    f"{BATCH} complete, {BATCH} unfinished graphs named by `kg verify` (exit 1) with their repair "
                    f"command; rerun: {BATCH} replaced, {DOCS - 2 * BATCH} added, `kg verify` clean",
                    f"{DOCS} of {DOCS} after the rerun")


@pytest.mark.parametrize("fault", ["kg.registry:refresh_canonical@1", "kg.store:EmbeddedStore.optimize@1"])
def test_a_kill_after_the_graphs_are_written(tmp_path, corpus, fault, reliability):  # noqa: F811
    """Killed at a named step after the documents' graphs are written: they are all complete, and a
    rerun (which finds every file unchanged) leaves a consistent store. (It left canonical metadata
    stale after a kill in refresh_canonical, until kg/ingest.py marked the refresh pending.)"""
    folder, expected = corpus
    store = tmp_path / "kg-store"
    proc = ingest_process(store, folder, fault)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    quads, marked = graphs(store)
    assert set(quads) == marked == set(expected)
    result = CliRunner().invoke(main, ["ingest", "--store", str(store), "--lang", "en", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Documents: 0 added, 0 replaced, {DOCS} unchanged, 0 failed")
    code, problems = verify(store)
    assert (code, problems) == (0, [])
    step = fault.split("@")[0].rsplit(".", 1)[-1].split(":")[-1]
    reliability.row(SECTION, f"kill in {step}", f"SIGKILL at the start of `{fault.split('@')[0]}` (all graphs written)",
                    f"all {DOCS} documents complete; rerun: {DOCS} unchanged, `kg verify` clean",
                    f"{DOCS} of {DOCS}")


def test_a_parsing_worker_killed_mid_ingest(tmp_path, corpus, reliability):  # noqa: F811
    """A worker killed as the out-of-memory killer would: one error line, exit 1, nothing partial
    marked complete, and the rerun finishes."""
    from bench.ingest_memory import _children

    folder, expected = corpus
    store = tmp_path / "kg-store"
    proc = subprocess.Popen([sys.executable, "-m", "kg", "ingest", "--store", str(store), "--lang", "en", "--jobs", "2",
                             str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while not workers and proc.poll() is None and time.monotonic() < deadline:
        # the forkserver is the ingest's child; the workers are the forkserver's
        workers = [w for child in _children(proc.pid) for w in _children(child)]
        time.sleep(0.02)
    assert workers, "no worker process seen"
    os.kill(workers[0], signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (out, err)
    lines = err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: a parsing worker process stopped abruptly"), lines
    check_interrupted(store, expected)  # every document complete or unfinished, `kg verify` names those
    rerun = CliRunner().invoke(main, ["ingest", "--store", str(store), "--lang", "en", str(folder)])
    assert rerun.exit_code == 0, rerun.output
    quads, marked = graphs(store)
    assert set(quads) == marked == set(expected) and verify(store) == (0, [])
    reliability.row(SECTION, "a parsing worker killed",
                    f"SIGKILL to one worker process of `kg ingest --jobs 2` of {DOCS} plans (as the out-of-memory "
                    "killer would)", f"exit 1, one line: '{lines[0]}'; no partial document marked complete; rerun: "
                    "exit 0, `kg verify` clean", f"{DOCS} of {DOCS} after the rerun")
