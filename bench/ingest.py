"""Ingest end to end (hash → read → extract → triples → Oxigraph on disk) on a generated corpus
(`bench/corpus.py`): documents/s with --jobs 1 and 2, peak memory, store bytes per document, at
several corpus sizes; and the profile of the hot paths.

    python -m bench.ingest                          # 1k and 10k documents (BENCH_SIZES="1000 10000")
    python -m bench.ingest --sizes 100000 --runs 1  # a national-scale size
    python -m bench.ingest --sizes 100000 --store-dir DIR   # the corpus kept in DIR/corpus-N and reused
    python -m bench.ingest --profile                # pyinstrument profile of a 1k ingest, --jobs 1

Each measured ingest runs in a child process of its own (`--one`), so the peak resident memory
(the process's own `getrusage` peak plus its largest worker's, sampled every 0.2 s) is that run's
and nothing else's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.common import (
    ROOT,
    git_commit,
    load_results,
    machine,
    save_results,
    versions,
    write_section,
    yardstick,
)

PROFILES = ROOT / "bench" / "profiles"
BEFORE = PROFILES / "ingest-before.txt"  # kept from commit 4fddcc4 (the layout before this work)
AFTER = PROFILES / "ingest-after.txt"


def _du(path: Path) -> int:
    """Bytes of the store itself (as `kg.store.store_bytes` counts them). Written out here: `--one`
    runs this file with an older checkout's packages for `--baseline`, which may predate it."""
    total = 0
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d not in ("kg-snapshots", "kg-kept")]
        for name in files:
            try:  # compaction deletes table files while we list them
                total += os.stat(os.path.join(folder, name)).st_size
            except FileNotFoundError:
                continue
    return total


def one(corpus: Path, store_dir: Path, jobs: int) -> dict[str, float]:
    """One ingest into a fresh store, in this process: seconds, documents, peak RSS, store bytes."""
    from bench.ingest_memory import Sampler, peak_mib
    from kg.ingest import ingest
    from kg.store import open_store

    store = open_store(str(store_dir))
    sampler = Sampler(0.2)
    t0 = time.perf_counter()
    summary = ingest([corpus / "docs"], store, jobs=jobs)
    seconds = time.perf_counter() - t0
    store.close()
    assert summary.failed == 0, summary.errors[:5]
    return {"seconds": seconds, "docs": summary.added, "peak_mib": peak_mib(sampler.stop()), "bytes": _du(store_dir),
            "phases": {k: round(v, 2) for k, v in summary.phases.items()}}


def measure(corpus: Path, jobs: int, runs: int, work: Path, code: Path = ROOT) -> dict[str, float]:
    """`runs` ingests, each in a child process running the code of the checkout `code` (this one by
    default; an older checkout for a before/after figure on the same machine at the same time)."""
    results = []
    env = {**os.environ, "PYTHONPATH": str(code)}
    script = code / "bench" / "ingest.py"  # the checkout's own `--one`: it imports that checkout's bench
    for i in range(runs):
        store_dir = work / f"store-{jobs}-{i}"
        args = ["--one", str(corpus), str(store_dir), str(jobs)]
        out = subprocess.run(
            [sys.executable, "-c", f"import runpy, sys; sys.argv[1:] = {args!r}; "
             f"runpy.run_path({str(script)!r}, run_name='__main__')"],
            cwd=code, env=env, capture_output=True, text=True, check=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
        shutil.rmtree(store_dir)
    docs = results[0]["docs"]
    middle = sorted(results, key=lambda r: r["seconds"])[len(results) // 2]
    return {
        "docs": docs,
        "docs_per_s": statistics.median(docs / r["seconds"] for r in results),
        "peak_mib": max(r["peak_mib"] for r in results),
        "bytes_per_doc": statistics.median(r["bytes"] / docs for r in results),
        "phases": middle.get("phases", {}),  # an older checkout's `--one` may not report them
    }


RESULTS = ROOT / "bench" / "results" / "ingest.json"


def _corpus(n: int, work: Path, store_dir: Path | None) -> tuple[Path, int, int]:
    """The corpus of `n` plans: kept in STORE_DIR/corpus-N (the query benchmark's, reused while the
    generator is unchanged) or written into `work`; (folder, documents, bytes)."""
    from bench.corpus import kept_corpus, write_corpus

    if store_dir is None:
        corpus = work / f"corpus-{n}"
        return (corpus, *write_corpus(n, corpus, seed=1))
    corpus = store_dir / f"corpus-{n}"
    return (corpus, *kept_corpus(n, corpus))


def run(sizes: list[int] | None = None, runs: int | None = None, baseline: Path | None = None,
        store_dir: Path | None = None) -> str:
    """Measure each size (results kept per size in bench/results/ingest.json, so one size can be
    measured again alone) and rewrite the section from every size kept."""
    from bench.common import env_sizes, env_store_dir

    sizes = sizes or env_sizes([1000, 10000])
    store_dir = store_dir or env_store_dir()
    results = load_results(RESULTS)
    if store_dir is not None:
        store_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kg-bench-", dir=store_dir) as tmp:
        work = Path(tmp)
        for n in sizes:
            corpus, docs, nbytes = _corpus(n, work, store_dir)
            k = runs or (3 if docs <= 2000 else 1)
            entry = {"docs": docs, "bytes": nbytes, "runs": k, "commit": git_commit(),
                     "date": date.today().isoformat(), "yardstick": yardstick()}
            if baseline:
                entry["before"] = {"commit": _commit(baseline), "jobs1": measure(corpus, 1, k, work, baseline),
                                   "jobs2": measure(corpus, 2, k, work, baseline)}
            entry["jobs1"], entry["jobs2"] = measure(corpus, 1, k, work), measure(corpus, 2, k, work)
            results[str(n)] = entry
            save_results(RESULTS, results)
    md = render(results)
    write_section("ingest", md)
    return md


def _row(label: str, e: dict, r1: dict, r2: dict) -> str:
    y = e.get("yardstick")
    ruler = f"{y['regex_mb_s']:.0f} / {y['nfc_mb_s']:.0f}" if y else "–"
    return (f"| {label} ({e['bytes'] / 1e6:.0f} MB) | **{r1['docs_per_s']:.0f}** | **{r2['docs_per_s']:.0f}** | "
            f"{r1['peak_mib']:.0f} / {r2['peak_mib']:.0f} MiB | {r1['bytes_per_doc'] / 1024:.1f} KiB | {e['runs']} | "
            f"{ruler} |")


def render(results: dict) -> str:
    rows, steps = [], []
    for n in sorted(results, key=int):
        e = results[n]
        if "before" in e:
            b = e["before"]
            rows.append(_row(f"{e['docs']:,}, before: {b['commit']}", e, b["jobs1"], b["jobs2"]))
        rows.append(_row(f"{e['docs']:,}", e, e["jobs1"], e["jobs2"]))
        for jobs in ("jobs1", "jobs2"):
            phases = e[jobs].get("phases")
            if phases:
                cells = " · ".join(f"{k} {v:.0f}" if v >= 10 else f"{k} {v:.1f}" for k, v in phases.items())
                steps.append(f"| {e['docs']:,} | `--{jobs[:4]} {jobs[4:]}` | {cells} |")
    measured = ", ".join(f"{int(n):,} at {results[n]['commit']} ({results[n]['date']})"
                         for n in sorted(results, key=int))
    table = "\n".join(rows)
    step_table = ""
    if steps:
        step_table = ("\nSeconds per step of the median run (`Summary.phases`: files = hash, read, parse,\n"
                      "build and bulk-load; canonical = the canonical metadata refresh; optimize = RocksDB's\n"
                      "compaction; kept = the stale report kept for readers):\n\n"
                      "| documents | jobs | seconds per step |\n|---|---|---|\n" + "\n".join(steps) + "\n")
    return f"""## Ingest end to end (embedded Oxigraph store on disk)

- Machine: {machine()}
- Versions: {versions("vn-plan-kg", "pyoxigraph")}; measured: {measured}
- Corpus: generated plans (`bench/corpus.py`, seed 1); each run ingests into a fresh store in a
  process of its own; documents/s is the median of the runs, peak memory (resident, the ingesting
  process's `getrusage` peak plus its largest worker's, sampled every 0.2 s) the highest.
  `python -m bench.ingest --sizes N --store-dir DIR` measures one size again (the corpus kept in
  DIR/corpus-N, the other sizes' figures kept from `bench/results/ingest.json`); with
  `--baseline CHECKOUT` an older checkout is measured alongside ("before" rows).
- Sizes may be measured on different machines of this kind, which differ by up to 2×: the
  yardstick column gives how fast each ran a regex pass / NFC over the seeds' text when it was
  measured, in MB/s (`bench.common.yardstick`; "–": not recorded then).

| documents | docs/s `--jobs 1` | docs/s `--jobs 2` | peak memory (jobs 1 / 2) | store per document | runs | yardstick |
|---|---|---|---|---|---|---|
{table}
{step_table}
{profile_section()}
"""


def _serve(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A local `oxigraph serve` (the `server` extra) on a free port, the way tests/conftest.py runs it."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    assert binary, "the `oxigraph` server CLI is missing: pip install '.[server]'"
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("oxigraph serve did not start")


def one_cluster(corpus: Path, store: str, workers: int) -> dict[str, float]:
    """One ingest with parsing on a local Dask cluster of `workers` processes (started first, not timed)."""
    import distributed

    from kg.distributed import ingest_on_cluster
    from kg.store import open_store

    with distributed.LocalCluster(n_workers=workers, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        target = open_store(store)
        t0 = time.perf_counter()
        summary = ingest_on_cluster([corpus / "docs"], target, client)
        seconds = time.perf_counter() - t0
        target.close()
    assert summary.failed == 0, summary.errors[:5]
    return {"seconds": seconds, "docs": summary.added}


def run_server(n: int = 1000) -> str:
    """Ingest into a local `oxigraph serve` through `--store http://…`, and parsing on a local Dask
    cluster: the figures of docs/scaling.md."""
    from bench.corpus import write_corpus

    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-server-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        docs, nbytes = write_corpus(n, corpus, seed=1)
        for label, jobs, cluster, http in [
            ("embedded store on disk, `--jobs 2`", 2, False, False),
            ("`oxigraph serve` over HTTP, `--jobs 2`", 2, False, True),
            ("embedded store, `--dask` (local cluster, 2 workers)", 0, True, False),
            ("`oxigraph serve` over HTTP, `--dask` (2 workers)", 0, True, True),
        ]:
            server = None
            target = str(work / f"store-{len(rows)}")
            if http:
                server, target = _serve(work / f"server-{len(rows)}")
            try:
                if cluster:
                    r = one_cluster(corpus, target, 2)
                else:
                    from kg.ingest import ingest
                    from kg.store import open_store

                    store = open_store(target)
                    t0 = time.perf_counter()
                    summary = ingest([corpus / "docs"], store, jobs=jobs)
                    r = {"seconds": time.perf_counter() - t0, "docs": summary.added}
                    store.close()
            finally:
                if server:
                    server.terminate()
                    server.wait(timeout=30)
            rows.append((label, r["docs"] / r["seconds"]))
    table = "\n".join(f"| {label} | **{rate:.0f}** |" for label, rate in rows)
    md = f"""## Ingest into a SPARQL server and with a Dask cluster

- Machine: {machine()}
- Versions: {versions("vn-plan-kg", "pyoxigraph", "distributed")}; commit {git_commit()}
- Corpus: {docs:,} generated plans (`bench/corpus.py`, seed 1, {nbytes / 1e6:.0f} MB); one run each
  (`python -m bench.ingest --server`), the server and the cluster on this same machine.

| where the graph goes, who parses | documents per second |
|---|---|
{table}
"""
    write_section("ingest-server", md)
    return md


def _commit(checkout: Path) -> str:
    """The commit of an older checkout made by `git archive` (named in a COMMIT file) or a worktree."""
    named = checkout / "COMMIT"
    if named.exists():
        return named.read_text().strip()
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=checkout, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return checkout.name


def top_functions(path: Path, n: int = 12) -> list[tuple[float, str]]:
    """The heaviest frames of a pyinstrument text profile: (seconds, function and file)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text("utf-8").splitlines():
        m = re.match(r"^[\s│├└─]*([\d.]+) (\S+)\s+(\S+)", line)
        if m and m[2] not in ("<module>",):
            out.append((float(m[1]), f"`{m[2]}` ({Path(m[3].split(':')[0]).name})"))
    return out[:n]


def _header(path: Path) -> str:
    text = path.read_text("utf-8") if path.exists() else ""
    m = re.search(r"Duration: ([\d.]+)", text)
    return f"{float(m[1]):.1f} s" if m else "?"


def profile_section() -> str:
    before, after = top_functions(BEFORE), top_functions(AFTER)
    lines = ["### Profiles of the hot paths", "",
             "pyinstrument (main thread), one ingest of the 1k corpus with `--jobs 1` "
             "(`python -m bench.ingest --profile`): "
             f"before ([{BEFORE.name}](../bench/profiles/{BEFORE.name}), {_header(BEFORE)}) and after "
             f"([{AFTER.name}](../bench/profiles/{AFTER.name}), {_header(AFTER)}); "
             "the first frames of each call tree.", "",
             "| before | s | after | s |", "|---|---|---|---|"]
    for i in range(max(len(before), len(after))):
        b = before[i] if i < len(before) else (0.0, "")
        a = after[i] if i < len(after) else (0.0, "")
        lines.append(f"| {b[1]} | {b[0]:.2f} | {a[1]} | {a[0]:.2f} |")
    lines += ["", CHANGES]
    return "\n".join(lines)


CHANGES = """What the profiles led to:

- Before, the ingesting process did everything in turn: parse a file, build its triples, and every
  500 files stop parsing to convert the lines to N-Quads and bulk-load them (`bulk_load` alone 26 %
  of the time), then recompute canonical metadata and optimise. Oxigraph's bulk load is native code
  that releases the GIL, so the store is now written by a thread of its own (`kg.ingest._Writer`,
  handed one batch at a time) while parsing goes on.
- The N-Quads text of a file is made where its triples are built (the worker), and crosses the
  process boundary as one string instead of ~400 (`GraphData.nquads`).
- Files are hashed in the workers, not in the ingesting process, and sent in chunks of 8 with at
  most 4 chunks per worker in flight, results streamed back in file order (`Executor.map` submitted
  every file at once and held every result not yet consumed): memory stays flat as the corpus grows.
- Markers stay last: a batch's files are bulk-loaded, then all their completion markers in one
  transaction, so a crash mid-batch leaves each file either complete or re-ingested next time.

What the store side led to (measured on the 10k corpus, `kg.registry`, `kg.build`):

- Quads per plan 378 → 260: the descriptions of kinds, issuers and places (~60 quads per plan) and
  the identity of every cited instrument (type, kind, number, year: 4 of ~19 quads per reference)
  are stated once in a shared graph instead of in every citing graph. Bulk-loading 3,000 plans:
  955k → 771k quads, 21 → 15 s.
- Canonical metadata: one query per claimed property with the property fixed (a VALUES block over
  the properties joined with a chunk of instruments made Oxigraph scan every reading: 3,000
  instruments 75 s → 2.6 s, a full recompute 11.7 s → 6.7 s), votes counted from a stream of
  tuples one property at a time, the graph rewritten in bulk loads (peak 484 → 286 MB).

Still the limit, and next: loading costs ~13 µs of CPU per quad on this machine whatever the batch
size (1.59M quads in 1, 3 or 10 bulk loads: 20–22 s of CPU, RocksDB's background compaction
included — it took more CPU than the ingesting process itself in a 100k ingest), so at 260 quads a
plan the store side is ~3.4 ms of CPU per plan against ~2.5 ms to read, parse and build it, on
two cores. Mentions are no longer typed nor tied to their document by a triple (`kg:Mention` follows
from `kg:mentionOf`'s domain, the document from the graph): 254 → 220 quads per plan; 2,000 plans
with `--jobs 1`, before and after measured alternately on the same loaded machine: store 163 → 143
MB, CPU 13.1 → 12.5 s (median of 2). The next quads to save are the as-written date and issuer of a
mention repeated from its graph's reading (~33 per plan; this changes what citation-disagreements
reads). At 100k plans the canonical refresh and `optimize()` took 73 s and 84 s of a 698 s ingest
and grow with the store: `kg ingest --defer-upkeep` leaves both to the last of several batches (the
million-plan build below). The refresh's votes are now counted by Oxigraph (`GROUP BY ?i ?v`, one
row per instrument and value instead of one per graph), and the canonical graph is no longer
dropped and written again (700k quads at 100k, ~25 µs each to drop) but compared with what the
refresh computes, property by property, and only the difference written: a full refresh of a copy
of the 100k store 58.3 → 51.1 → 33.3 s, peak 1,074 → 939 MiB (10k: 4.5 → 2.3 s), the same canonical
graph to the triple (checked also after damaging it: 1,000 triples removed, 500 wrong ones added).
Of the 33 s, 20 s read the readings. At a million plans the first of those reads (each
instrument's date in its own document, a join per graph) ran for over ten minutes before it was
stopped. RocksDB (as pyoxigraph configures
it) leaves levels 0 and 1 uncompressed and LZ4-compresses the rest, so a store is ~1.8× larger
on disk until compaction pushes its data down (one bulk load into an empty store: 156 bytes per
quad; the same quads in several loads: ~280).

That CPU per quad holds in a small store. In a large one the number of loads counts: each load adds
table files whose hashed keys overlap the whole store, and compacting them in rewrites more of it
the larger it is. Into a 110k-plan store, the same 10,600 plans went in at 44 plans/s in loads of
500 plans and at 95-106/s in loads of 5,000 plans or 64 MB of N-Quads, so a load is now bounded by
bytes (`BATCH_BYTES`) and streamed to the loader graph by graph, which keeps the peak at 895 MiB
instead of 3 GiB for the joined 5,000-plan batch (`bench/profiles/batch-size.md`). The price is
memory at every size: peaks went from 430 to 899 MiB at 10k plans and from 881 to 1,060 MiB at
100k with `--jobs 1` (the batches in flight, and Oxigraph sorting a larger load), for 141 → 169
plans/s at 100k. The batches in flight (up to four of 64 MB) were Python strings, which take 2
bytes a character as soon as one Vietnamese letter is in them; held as their UTF-8 (1.01 bytes a
character here) they take half that: the peaks in the table above, 899 → 686 MiB at 10k and
1,060 → 904 MiB at 100k with `--jobs 1` (1,379 → 1,107 MiB with `--jobs 2`, the workers'
memory included), the speed unchanged. A smaller bound, or one that grows with the store, is
untried.

Where the files step's memory went at 100k plans (`python -m bench.ingest_memory`, phase by phase in
`bench/profiles/ingest-memory.md`), and what changed: Oxigraph's bulk load of a 64 MB batch takes
~237 MiB besides the batch; a second batch waited beside the loading one although the writer is the
slower side (now handed over: two batches at most, the loaded one dropped before the writer waits);
the shared graph's lines already written were held as ~200-byte strings (now 16-byte digests:
251k lines at 100k); the stored state of every file met, the graphs written and the instruments
touched were held to the end (now dropped once met, or not collected where the store held no
documents and everything is recomputed whole anyway). Peaks at 100k plans (commit 22e108d →
3e630a8) 939 → 850 MiB
(`--jobs 1`) and 1,030 → 922 MiB (`--jobs 2`), at 10k 614 → 577 and 662 → 597 MiB, the rates
within the machine's noise (jobs 2 at 100k: 233 → 258 plans/s). The transactions of a writer
(completion markers, the canonical refresh) now flush RocksDB's write buffers every 4 MB of text:
pyoxigraph gives each index 128 MB buffers, and 100k files' markers written by transactions alone
held 226 MiB there.

Where the CPU goes, thread by thread (`/proc` read during the million build's chunks, `--jobs 2`;
`bench/profiles/ingest-cpu.md`): the machine is busy throughout, and RocksDB's compaction threads are
the largest consumer, about a third of all CPU loading 100k plans into an empty store (166 s; the
parsing workers 222 s, the ingesting process's Python 64 s) and 46 % from 200k to 300k plans (371 of
811 s), growing with the store: every bulk load's hashed keys overlap the whole store, and pyoxigraph
merges level 0 into the next level from two files on, options Python cannot change. A plan costs the
workers ~2.2 ms of CPU (extraction 1.0 ms, building its lines 0.5 ms). The 300 plans/s bar at 100k
would need a quarter less CPU than this: fewer, larger loads are bounded by memory (Oxigraph sorts a
load in memory), and what is left in the project (fewer quads a plan, a faster parser) is ~15 % at
most.

Until 2026-11-25 the workers were forks of the ingesting process, started once its store was open:
each began as a copy of it, so a worker's resident size counted pages the ingesting process already
held (at a million plans the largest worker measured ~250 MiB, against ~80 MiB for a worker started
apart). They now start from a forkserver that has imported only the parser (`kg.ingest._pool`),
and the peak above adds the largest of them sampled every 0.2 s (`getrusage` does not see a
forkserver's children): the 100k figures of 930 → 873 MiB with `--jobs 2` and 223 → 241 plans/s
are one run each, on a machine whose runs vary by ±20 % (`--jobs 1`, which has no workers, went
from 182 to 206 plans/s in the same session). Summed over every process of the ingest (PSS,
shared pages split), the memory hardly changed: 808 → 797 MiB for 15k plans into the million-plan
store (`bench/profiles/worker-start.md`).

On 2026-12-08 (a slower machine of this kind; `bench/profiles/ingest-critical-path.md`) a 10k
ingest's CPU was about half the store's (bulk loads 11-14 µs a quad even into an empty store, and
their compaction), a third parsing and the rest the ingesting process's Python. Building a plan's
lines went from 0.62 to 0.36 ms (descriptions of places, issuers and kinds made once per process),
a file's real path is read once, the cascade index's rows are stored 5,000 at a time, and
`optimize()` runs beside the index and the kept report after the canonical refresh (begun before
the refresh, it left the refresh's writes uncompacted and queries ran 15-90 % slower): the 10k rows
above with their "before" rows, measured in the same run."""


def profile(n: int = 1000) -> Path:
    """Profile one 1k ingest with pyinstrument and keep its text output in bench/profiles/."""
    from bench.corpus import write_corpus

    PROFILES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kg-prof-") as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(n, corpus, seed=1)
        subprocess.run([sys.executable, "-m", "pyinstrument", "-r", "text",
                        "-o", str(AFTER), "-m", "bench.ingest", "--one", str(corpus), str(Path(tmp) / "store"), "1"],
                       cwd=ROOT, check=True, capture_output=True)
    return AFTER


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", help="corpus sizes (default: BENCH_SIZES or 1000 10000)")
    ap.add_argument("--docs", type=int, help="one corpus size (same as --sizes N)")
    ap.add_argument("--runs", type=int, help="runs per figure (default: 3 up to 2k documents, else 1)")
    ap.add_argument("--profile", action="store_true", help="write bench/profiles/ingest-after.txt first")
    ap.add_argument("--baseline", type=Path,
                    help="an older checkout (git archive C | tar -x -C DIR) measured alongside, up to 2k documents")
    ap.add_argument("--server", action="store_true",
                    help="only the SPARQL server and Dask cluster figures (section ingest-server)")
    ap.add_argument("--store-dir", type=Path, help="keep and reuse the corpora here (DIR/corpus-N)")
    ap.add_argument("--render", action="store_true", help="only rewrite the section from bench/results/ingest.json")
    ap.add_argument("--one", nargs=3, metavar=("CORPUS", "STORE", "JOBS"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(one(Path(a.one[0]), Path(a.one[1]), int(a.one[2]))))
        return
    if a.render:
        md = render(load_results(RESULTS))
        write_section("ingest", md)
        print(md)
        return
    if a.server:
        print(run_server(a.docs or 1000))
        return
    if a.profile:
        print(f"profile written to {profile()}")
    sizes = a.sizes or ([a.docs] if a.docs else None)
    print(run(sizes, a.runs, a.baseline, a.store_dir))


if __name__ == "__main__":
    main()
