"""Ingest: files and folders → one named graph per source file.

Each file is hashed first; a file whose hash is already recorded for its graph is skipped without
being parsed. The others are read and parsed, turned into N-Triples, and written: new graphs in
bulk loads of up to `BATCH` files or `BATCH_BYTES` of N-Quads (each file's completion marker
written after its batch, so a crash leaves every file either complete or re-ingested next time),
changed ones each replaced in one transaction. A file that fails to read or parse becomes one line
"path: cause" in the summary; the others go on and nothing already stored is touched. Afterwards
the shipped registry is loaded if it changed and the canonical metadata graph is recomputed once
(see `kg.registry.refresh_canonical`).

Hashing, reading, parsing and building run in `jobs` worker processes (or on a Dask cluster, see
`kg.distributed`) in chunks of `CHUNK` files with a bounded number in flight, and results stream
back in file order; the store is written by a thread of its own while the next files are parsed
(bench/profiles/ holds the profiles this layout comes from). Memory stays flat with the corpus.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import itertools
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from kg import build, cascade_index, ids, registry, stale_rows
from kg.batching import BatchSizer
from kg.errors import KGError
from kg.model import Document
from kg.store import GraphData, Store, bind, nquads_text, value_blocks
from loaders.files import find_real_files

log = logging.getLogger(__name__)

BATCH = 5000  # at most this many documents per bulk load …
BATCH_BYTES = 64 << 20  # … and at most about this many bytes of N-Quads (see `_Writer` for why large ones),
MEMORY: int | None = None  # … or fewer, to keep the ingesting process under this many bytes (`kg.batching`)
OPTIMIZE_AFTER = 1000  # documents added by one ingest from which the store is optimised (see `ingest`)
CHUNK = 8  # files per task sent to a worker process
WINDOW = 4  # chunks in flight per worker: enough to keep it busy, few enough to keep memory flat
START = "forkserver"  # how worker processes start (see `_pool`)
TOUCHED_MAX = 100_000  # instruments an ingest tracks for the canonical refresh; past it, it redoes all
T = TypeVar("T")

Extractor = Callable[[str], Document]


@dataclass
class Summary:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    failed: int = 0
    references: int = 0
    instruments: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step: files, canonical, optimize …
    batch_bytes: int = 0  # the smallest limit the bulk loads were held to (`kg.batching`)

    @property
    def ok(self) -> bool:
        return self.failed == 0


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_STATE = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT ?g ?src ?path WHERE { GRAPH ?g { ?g kg:graphOf ?src } OPTIONAL { GRAPH ?g { ?g kg:sourcePath ?path } } }
"""  # the OPTIONAL outside the GRAPH: inside, Oxigraph scanned every graph's paths per block (1,000 graphs of a
# 100k-plan store: 12 s; outside: 60 ms)


def stored_files(store: Store, graphs: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
    """Graph IRI → (content hash, absolute path) of every stored file, or of those of `graphs`
    that are stored (looked up by IRI, so that what an ingest costs follows the files it is given,
    not the store: listing the state of every file of a 575k-plan store had run for over ten
    minutes before the resumed million-plan build was stopped to take this in).

    A file graph without its completion marker (an interrupted bulk load) is listed with an empty
    hash, so the next ingest replaces it instead of adding to it.
    """
    prefix, files = ids.source_iri(""), ids.file_graphs()
    if graphs is None:
        out = {r["g"]: ("", "") for r in store.select("SELECT ?g WHERE { GRAPH ?g { } }") if r["g"].startswith(files)}
        out.update({r["g"]: (r["src"].removeprefix(prefix), r.get("path", ""))
                    for r in store.select(_STATE) if r["g"].startswith(files)})
        return out
    out = {}
    for block in value_blocks("g", graphs, 1000):
        out.update({g: (src.removeprefix(prefix), path or "")  # type: ignore[union-attr]
                    for g, src, path in store.select_values(_STATE, block)})
        unmarked = [g for g in block["g"] if g[1:-1] not in out]  # new files, or interrupted loads
        if unmarked:
            out.update({g: ("", "") for (g,) in store.select_values(_EXISTS, {"g": unmarked})})  # type: ignore[misc]
    return out


_EXISTS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"  # for unmarked graphs: none, or a few


def _tasks(files: dict[str, Path], store: Store, known: dict[str, tuple[str, str]], extract: Extractor | None,
           block: int = 1000) -> Iterator[Task]:
    """The files (real path → as given) as tasks with the hash stored for each (empty: new or
    unfinished), looked up a block of files at a time; `known` collects what was found."""
    it = iter(files.items())
    while pairs := list(itertools.islice(it, block)):
        graphs = [ids.graph_iri(str(path), real) for real, path in pairs]
        known.update(stored_files(store, graphs))
        for (_, path), graph in zip(pairs, graphs, strict=True):
            yield path, known.get(graph, ("",))[0], extract, graph


_INSTRUMENT = f" {build.RDF_TYPE} {build.P.Instrument} ."
# the instruments a file's graph makes claims about: its own, those it cites, those it says it supersedes
_OLD = """PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT DISTINCT ?i WHERE {
  GRAPH ?g { { ?s kg:describes ?i } UNION { ?d kg:cites ?i } UNION { ?i a kg:Instrument } }
}"""


def instruments_in(lines: Iterable[str]) -> list[str]:
    """IRIs of the instruments typed in a graph's lines (its own and shared ones)."""
    return [line[1:line.index(">")] for line in lines if line.endswith(_INSTRUMENT)]


def stored_instruments(store: Store, graph: str) -> list[str]:
    return [r["i"] for r in store.select(_OLD, {"g": f"<{graph}>"})]


def markers(graph: str, sha256: str, path: Path) -> list[str]:
    return [
        f"<{graph}> {build.P.graphOf} <{ids.source_iri(sha256)}> .",
        f"<{graph}> {build.P.sourcePath} {build.lit(str(path.resolve()))} .",
    ]


def shown(path: Path) -> str:
    r"""A path as one line of an error report: control characters (a newline in a file name) escaped.

    >>> shown(Path("rỗng\nmới.txt"))
    'rỗng\\nmới.txt'
    """
    text = str(path)
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _default_extract(path: str) -> Document:
    from loaders import extract_file  # imported in the worker: the parser is heavy to import

    return extract_file(path)


@dataclass
class _Result:
    path: Path
    sha256: str
    graph: str = ""
    nquads: bytes = b""  # the graph's triples as N-Quads, UTF-8 (one object pickles fast; see GraphData)
    shared: list[str] = field(default_factory=list)  # descriptions for the shared graph
    references: int = 0
    instruments: list[str] = field(default_factory=list)
    error: str | None = None
    unchanged: bool = False
    index: cascade_index.GraphRows | None = None  # the graph's rows in the cascade index


# path, hash stored for its graph ("" if none), extractor, the file's graph IRI (resolved once, where the
# ingest runs: `ids.graph_iri` reads the real path, a few system calls a file)
Task = tuple[Path, str, Extractor | None, str]


def _work(task: Task) -> _Result:
    """Hash, read, parse and build one file (runs in a worker process, or on a Dask worker).

    A file whose hash is the stored one comes back `unchanged` without being parsed.
    """
    path, known, extract, graph = task
    try:
        sha = file_sha256(path)
    except OSError as e:  # the same words as the reader's (a symbolic link loop, a missing link target …)
        from loaders.read import os_error_cause

        return _Result(path, "", graph, error=f"{shown(path)}: {os_error_cause(e)}")
    if sha == known:
        return _Result(path, sha, graph, unchanged=True)
    try:
        doc = (extract or _default_extract)(str(path))
        if doc.sha256 != sha:  # identity of the source is the hash of the bytes we skip by
            doc.sha256 = sha
        watched = cascade_index.watch()
        graph, lines, shared = build.document_triples(doc, str(path), watched, graph=graph)
        return _Result(path, sha, graph, nquads_text(graph, lines).encode("utf-8"), shared, len(doc.refs),
                       instruments_in(itertools.chain(lines, shared)), index=cascade_index.rows_of(graph, watched))
    except KGError as e:
        cause = str(e).removeprefix(f"{e.path}: ") if e.path else str(e)
        return _Result(path, sha, graph, error=f"{shown(path)}: {cause}")
    except Exception as e:  # a parser bug must not stop the batch; say what happened
        log.exception("unexpected failure on %s", path)
        return _Result(path, sha, graph, error=f"{shown(path)}: {type(e).__name__}: {e}")


def file_nquads(path: str | os.PathLike[str], extract: Extractor | None = None) -> str:
    """The N-Quads `ingest` would load for one file: its graph, then its completion markers.

    Raises KGError ("path: cause") when the file cannot be read or parsed.
    """
    result = _work((Path(path), "", extract, ids.graph_iri(str(path))))
    if result.error:
        raise KGError(result.error)
    return (nquads_text(ids.shared_graph(), result.shared) + result.nquads.decode("utf-8")
            + nquads_text(result.graph, markers(result.graph, result.sha256, result.path)))


def work_many(tasks: list[Task]) -> list[_Result]:
    """`_work` over a chunk of files: one round trip to a worker per chunk, not per file."""
    return [_work(t) for t in tasks]


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes started from a small server process that has imported the parser, not forked
    from this one: a fork would start each worker as a copy of the ingesting process, with the open
    store's memory and RocksDB's threads (unsafe to fork), and a worker's resident figure would count
    that memory a second time."""
    ctx = multiprocessing.get_context(START)
    if START == "forkserver":
        ctx.set_forkserver_preload(["kg.ingest", "loaders.extract"])
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)


def _results(tasks: Iterable[Task], jobs: int) -> Iterator[_Result]:
    """Results in task order, streamed: at most `jobs * WINDOW` chunks are in flight, so memory
    stays flat however many files there are (`Executor.map` would submit them all at once)."""
    if jobs <= 1:
        yield from map(_work, tasks)
        return
    with _pool(jobs) as pool:
        pending: deque[Future[list[_Result]]] = deque()
        try:
            for chunk in chunked(tasks, CHUNK):
                pending.append(pool.submit(work_many, chunk))
                if len(pending) >= jobs * WINDOW:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool as e:
            raise KGError(WORKER_LOST) from e


WORKER_LOST = ("a parsing worker process stopped abruptly (killed by the system, e.g. out of memory, or a script "
               "calling kg.ingest without an `if __name__ == \"__main__\":` guard); the files written before it "
               "are kept, the next ingest reads the others")


class _Shared:
    """Descriptions for the shared graph (kinds, issuers, places, cited instruments' identity) not
    yet written by this ingest: each line once however many documents use it, as long as fewer
    than `limit` distinct lines were seen; past that the memory is cleared and a line seen again is
    written again (harmless: the store keeps one copy), so memory stays flat at any corpus size.

    A line seen is remembered by a 128-bit digest, a 49-byte object where the line itself takes ~200
    bytes (the 100k corpus: 12.3M shared lines, 251k of them distinct: ~50 MB of strings, ~12 MB of
    digests). Two distinct lines would have to share a BLAKE2b digest for one to be skipped."""

    def __init__(self, limit: int = 300_000) -> None:
        self.seen: set[bytes] = set()
        self.new: list[str] = []
        self.limit = limit

    def add(self, lines: list[str]) -> None:
        if len(self.seen) > self.limit:
            self.seen.clear()
        seen, digest = self.seen, hashlib.blake2b
        for line in lines:
            key = digest(line.encode("utf-8"), digest_size=16).digest()
            if key not in seen:
                seen.add(key)
                self.new.append(line)

    def take(self) -> list[GraphData]:
        """The lines to add to the shared graph (a bulk addition: writing one again is harmless)."""
        if not self.new:
            return []
        data, self.new = GraphData(ids.shared_graph(), self.new, []), []
        return [data]


def release_memory() -> None:
    """Hand the memory freed so far back to the system (glibc's `malloc_trim`; nothing elsewhere).
    Freed batches stay in the allocator's arenas otherwise, and the process's resident size after the
    files of a 100k-plan ingest stays at its high-water mark while the canonical refresh and the
    optimisation add their own on top."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class _Writer:
    """Writes batches to the store in a thread of its own, so that Oxigraph's bulk load (native
    code, the GIL released) runs while the next files are parsed. A batch is handed over, not
    queued: `put` returns once the writer has taken it, so at most two batches are held, the one
    loading and the one being gathered, and a slow store slows the parsing down instead of piling
    batches up. At 100k plans the store is the slower side with one job or two (~3.4 ms of CPU a
    plan against ~2.5 ms to parse it): a batch waiting beside the loading one (64 MB and its
    objects) only held memory (bench/profiles/ingest-memory.md).

    Batches are large because each bulk load adds table files that overlap the whole store (graph
    and node keys are hashes), which RocksDB then compacts into it: the fewer the loads, the less
    of the store is rewritten per document. Into a 110k-plan store, 10,600 plans went in at 44
    plans/s in loads of 500 and at 106/s in loads of 64 MB (bench/profiles/batch-size.md)."""

    def __init__(self, store: Store):
        self.store = store
        self.queue: queue.Queue[tuple[list[GraphData], bool] | None] = queue.Queue(maxsize=1)
        self.taken = threading.Semaphore(0)  # released as the writer takes an item
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="kg-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            self.taken.release()
            if item is None:
                return
            if self.error is None:
                try:
                    self.store.write_graphs(item[0], fresh=item[1])
                except BaseException as e:  # re-raised in the ingesting thread by `put`/`close`
                    self.error = e
            del item  # not held while waiting for the next

    def put(self, graphs: list[GraphData], *, fresh: bool) -> None:
        if self.error is not None:
            raise self.error
        if graphs:
            self.queue.put((graphs, fresh))
            self.taken.acquire()

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def ingest(
    paths: Iterable[str | os.PathLike[str]] | dict[str, Path],
    store: Store,
    *,
    jobs: int = 1,
    extract: Extractor | None = None,
    progress: Callable[[int], None] | None = None,
    results: Callable[[Iterable[Task]], Iterable[_Result]] | None = None,
    upkeep: bool = True,
    memory: int | None = MEMORY,
) -> Summary:
    """Ingest files and folders into `store` (or the files `loaders.files.find_real_files` found);
    see the module docstring.

    With `jobs` > 1 the workers start from a forkserver (`_pool`) and import the calling script's
    main module as Python's `spawn` does: a script calling this at its top level needs the usual
    `if __name__ == "__main__":` guard. `extract` replaces `loaders.extract_file` (a module-level
    function, so worker processes can import it); `progress` is called with the number of files
    just handled. `results` replaces the local process pool (`kg.distributed` passes one that runs
    on a Dask cluster); it must yield a result for every task.

    Without `upkeep` the canonical metadata refresh and the store's optimisation are left to the
    next ingest (the refresh-pending mark stays set, so that ingest redoes the whole refresh and
    optimises): for several large ingests into one store, each of which would otherwise redo both
    over the whole store (at 100k plans: 73 s and 84 s, growing with the store).

    The store is optimised after an ingest that added `OPTIMIZE_AFTER` documents or more, or that
    finishes deferred upkeep; a smaller one leaves its few table files to RocksDB's own compaction.

    `memory` is the resident size (bytes) of this process that the bulk loads are sized to stay
    under (`kg.batching`; None: always `BATCH_BYTES`). Worker processes' memory is not counted.
    """
    start = time.perf_counter()
    summary = Summary()
    known: dict[str, tuple[str, str]] = {}  # the stored state of the files read ahead, until met
    found = paths if isinstance(paths, dict) else find_real_files(paths)  # a dict: `find_real_files` done
    tasks = _tasks(found, store, known, extract)
    stream = results(tasks) if results is not None else _results(tasks, jobs)

    fresh: list[GraphData] = []
    fresh_bytes = 0
    dropped: set[str] = set()  # instruments a replaced graph spoke of: they may be cited nowhere now
    shared = _Shared()
    interrupted = registry.canonical_pending(store)  # an earlier run was killed before its refresh finished
    pending = interrupted
    empty_before = not stored_files_exist(store)
    # instruments whose claims change: their canonical metadata is redone (None: all of it is, as
    # when the store held no documents or more than TOUCHED_MAX are touched)
    touched: set[str] | None = None if empty_before else set()
    # file graphs written (not held when the store was empty: the stale report kept for readers is
    # then read whole), and of those the ones that replaced a stored version
    written: set[str] | None = None if empty_before else set()
    replaced: set[str] = set()
    index = cascade_index.Keeper(store, empty_before=empty_before)
    writer = _Writer(store)
    sizer = BatchSizer(memory, BATCH_BYTES)
    limit = sizer.limit
    try:
        for result in stream:
            if progress:
                progress(1)
            stored = known.pop(result.graph, None)  # met once: held no longer
            if result.unchanged:
                summary.unchanged += 1
                continue
            if result.error:
                summary.failed += 1
                summary.errors.append(result.error)
                continue
            data = GraphData(result.graph, [], markers(result.graph, result.sha256, result.path), result.nquads)
            if not pending:  # before the first write: a kill from here on leaves the refresh to do
                registry.mark_canonical_pending(store)
                pending = True
            summary.references += result.references
            if touched is not None:
                touched.update(result.instruments)
                if len(touched) > TOUCHED_MAX:  # most of a large store: refreshed whole, not held
                    touched = None
            if written is not None:
                written.add(result.graph)
            shared.add(result.shared)
            if stored is not None:
                before = stored_instruments(store, result.graph)  # read before the writer replaces it
                if touched is not None:
                    touched.update(before)
                dropped.update(before)
                replaced.add(result.graph)
                writer.put(shared.take(), fresh=True)  # added to, never replaced
                writer.put([data], fresh=False)  # replaces the stored graph in one transaction
                index.replace(result.graph, result.index)
                summary.replaced += 1
            else:
                fresh.append(data)
                fresh_bytes += len(data.nquads)
                summary.added += 1
                index.add(result.index)
                if len(fresh) >= BATCH or fresh_bytes >= limit:
                    writer.put(shared.take() + fresh, fresh=True)
                    fresh, fresh_bytes = [], 0
                    limit = sizer.handed_over()
        writer.put(shared.take() + fresh, fresh=True)
    finally:
        sizer.close()
        writer.close()
    summary.batch_bytes = sizer.lowest
    if sizer.lowest < BATCH_BYTES:
        log.info("bulk loads down to %.0f MB to stay under %d MiB", sizer.lowest / 1e6, sizer.budget >> 20)  # type: ignore[operator]
    del fresh, shared, known, tasks, stream, writer
    release_memory()  # what the batches held, before the upkeep's queries take theirs
    clock = _Clock(summary.phases, start)
    clock("files")  # hashing, reading, parsing and writing the graphs
    if dropped:  # only what replaced graphs spoke of: not whole-store upkeep, so never deferred
        prune_shared(store, dropped)
        clock("prune")
    refreshed: set[str] | None = set()  # instruments whose canonical metadata was redone (None: all)
    if upkeep:
        if registry.load_shipped(store) or interrupted or (touched is None and summary.added + summary.replaced):
            registry.refresh_canonical(store)
            refreshed = None
        elif touched:
            registry.refresh_canonical(store, touched)
            refreshed = touched
        clock("canonical")
        if pending:
            registry.clear_canonical_pending(store)
    elif pending and not interrupted:
        log.info("canonical refresh and optimisation deferred to the next ingest")
    # After large bulk loads queries are slower until the store is optimised (10k plans, measured
    # 2026-11-24: cited-by 30c/NQ-CP 109 → 51 ms, a directive's lineage 402 → 306 ms, most-cited 624 →
    # 476 ms, for 5.2 s of a 38 s ingest); a few files are left to RocksDB's own compaction
    # (optimising a 100k-plan store for one added plan took 87 of the ingest's 92 s). The compaction
    # comes after the last write (begun before the canonical refresh, the refresh's writes were left
    # out of it and queries ran 15-90 % slower at 10k plans) and runs on one core, in native code,
    # while the index and the kept report, which only read the store, are made here on the other.
    optimize = upkeep and (summary.added >= OPTIMIZE_AFTER or interrupted)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-optimize") as background:
        optimizing = background.submit(store.optimize) if optimize else None
        index.finish(refreshed)  # after the last write
        clock("index")
        if upkeep or (empty_before and summary.added):  # deferred upkeep: one of several bulk loads, kept by the last
            stale_rows.keep_after_write(store, written or (), replaced, empty_before)
            clock("kept")
        if optimizing is not None:
            optimizing.result()  # raises what the compaction raised
            clock("optimize")  # what the compaction took beyond the index and the kept report
    summary.instruments = count_instruments(store)
    summary.seconds = time.perf_counter() - start
    log.info("ingest steps (s): %s", ", ".join(f"{k} {v:.1f}" for k, v in summary.phases.items()))
    return summary


class _Clock:
    """Records the seconds since the previous call under a step's name."""

    def __init__(self, into: dict[str, float], start: float) -> None:
        self.into, self.last = into, start

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.into[step] = self.into.get(step, 0.0) + now - self.last
        self.last = now


def stored_files_exist(store: Store) -> bool:
    return bool(store.select("PREFIX kg: <https://kg.vn-plans.org/ns#>\n"
                             "SELECT ?g WHERE { GRAPH ?g { ?src kg:sourcePath ?path } } LIMIT 1"))


def count_instruments(store: Store) -> int:
    rows = store.select("PREFIX kg: <https://kg.vn-plans.org/ns#>\n"
                        "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { GRAPH ?g { ?i a kg:Instrument } }")
    return int(rows[0]["n"]) if rows else 0


def forget(paths: Iterable[str | os.PathLike[str]], store: Store) -> list[str]:
    """Drop the graphs of files (or of every file under folders), present on disk or not.

    Returns the absolute paths forgotten.
    """
    stored = stored_files(store)
    index = cascade_index.Keeper(store)
    gone: list[str] = []
    dropped: list[str] = []
    touched: set[str] = set()
    interrupted = registry.canonical_pending(store)
    for p in paths:
        target = str(Path(p).resolve())
        for graph, (_, path) in stored.items():
            if path == target or path.startswith(target.rstrip(os.sep) + os.sep):
                if not gone and not interrupted:
                    registry.mark_canonical_pending(store)
                touched.update(stored_instruments(store, graph))
                store.drop_graph(graph)
                index.replace(graph, None)
                gone.append(path)
                dropped.append(graph)
    if interrupted:
        registry.refresh_canonical(store)
    elif touched:
        registry.refresh_canonical(store, touched)
    if touched:
        prune_shared(store, touched)
    if gone or interrupted:
        registry.clear_canonical_pending(store)
    index.finish(None if interrupted else touched)
    stale_rows.keep_after_write(store, (), dropped, False)
    return sorted(gone)


_PRUNE = """DELETE { GRAPH <@S@> { ?i ?p ?o } } WHERE {
  GRAPH <@S@> { ?i ?p ?o }
  FILTER NOT EXISTS { GRAPH ?g { ?x ?q ?i } FILTER(?g != <@S@> && ?g != <@C@>) }
  FILTER NOT EXISTS { GRAPH ?g { ?i ?q ?y } FILTER(?g != <@S@> && ?g != <@C@>) }
}"""


def prune_shared(store: Store, instruments: Iterable[str], chunk: int = 500) -> None:
    """Remove from the shared graph the identity of those `instruments` that no file graph or
    registry graph speaks of any more (after a forget, or a file replaced by a version that no
    longer cites them)."""
    query = _PRUNE.replace("@S@", ids.shared_graph()).replace("@C@", ids.canonical_graph())
    for block in value_blocks("i", sorted(set(instruments)), chunk):
        store.update(bind(query, block))
