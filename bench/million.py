"""A national-scale store on one machine: the generated cascade (`bench/corpus.py`) written and
ingested in chunks, each chunk's text deleted once it is in the store, so the disk holds the store
and one chunk, never the whole corpus.

    python -m bench.million --docs 1000000 --chunk 100000 --work /data/kg-million
    python -m bench.million --docs 3000 --chunk 1000 --work /tmp/m   # a rehearsal

Per chunk it records the ingest time (documents/s), the peak memory of the ingesting process and
its workers, and the store's size; before each chunk it checks that the disk can take the chunk's
text and the store's growth, and stops with a clear message (what was reached is still written)
when it cannot. The finished store is WORK/store-N with the `.bench-ready` record `bench.queries`
reads, so `python -m bench.queries --sizes N --store-dir WORK --rdflib-sizes` measures the query
latencies on it (run at the end unless `--no-queries`). The table goes to the `million` section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import ROOT, git_commit, machine, versions, write_section
from kg.store import store_bytes

HEADROOM = 2 * 1024**3  # free space left untouched on the disk



def ingest_chunk(folder: Path, store_dir: Path, jobs: int, upkeep: bool = True) -> dict[str, float]:
    """One chunk into the store, in this process (run as a child: its peak memory is its own), as
    `kg ingest --exclusive` (no readers' snapshot holding compacted files: the store's disk is its
    own); without `upkeep`, as `kg ingest --defer-upkeep` too."""
    from bench.ingest_memory import Sampler, peak_mib
    from kg.ingest import ingest
    from kg.store import open_store

    store = open_store(str(store_dir), exclusive=True)
    sampler = Sampler(0.2)
    t0 = time.perf_counter()
    summary = ingest([folder], store, jobs=jobs, upkeep=upkeep)
    seconds = time.perf_counter() - t0
    store.close()
    if summary.failed:
        raise SystemExit(f"{summary.failed} documents failed: {summary.errors[:3]}")
    return {"seconds": seconds, "added": summary.added, "replaced": summary.replaced, "unchanged": summary.unchanged,
            "peak_mib": peak_mib(sampler.stop()),
            "phases": {k: round(v, 1) for k, v in summary.phases.items()}, "upkeep": upkeep}


def import_registry(store_dir: Path, csv_path: Path) -> None:
    from kg import registry
    from kg.store import open_store

    store = open_store(str(store_dir))
    registry.import_csv(store, csv_path)
    store.close()


def checkpoint(store_dir: Path, target: Path) -> None:
    """A copy of the store as it is now (RocksDB checkpoint: hard links to its immutable files, so
    it costs disk only as the growing store compacts them away)."""
    import pyoxigraph

    shutil.rmtree(target, ignore_errors=True)
    pyoxigraph.Store(str(store_dir)).backup(str(target))


def _child(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "bench.million", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:  # its own words, not only an exit status
        tail = " | ".join(done.stderr.strip().splitlines()[-6:])
        raise RuntimeError(f"bench.million {args[0]} exited with {done.returncode}: {tail}")
    return done.stdout.strip().splitlines()[-1]


def write_chunk(docs: Any, folder: Path, count: int) -> int:
    """Write the next `count` documents of the generator `docs` under `folder`; returns bytes."""
    total = 0
    for rel, text in itertools.islice(docs, count):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def build(n: int, chunk: int, work: Path, jobs: int, keep: frozenset[int] = frozenset(), *, defer: bool = True,
          resume: bool = False, after_chunk: Any = None) -> dict[str, Any]:
    """Write and ingest `n` documents in chunks; after a chunk that brings the store to a size in
    `keep`, a checkpoint of it is kept as WORK/store-SIZE for `bench.queries`.

    With `defer`, every chunk but the last is ingested as `kg ingest --defer-upkeep` (the canonical
    refresh and the optimisation, which each redo the whole store, run once at the end). The record
    (WORK/million-N.json) is written after each chunk and `after_chunk(record)` called; with
    `resume`, a build stopped part way (a killed run, a full disk) goes on from its record: the
    generator skips the documents already stored, and a chunk cut short is ingested again (its
    stored files are found unchanged and skipped)."""
    from bench.corpus import documents, generator_stamp, registry_rows

    work.mkdir(parents=True, exist_ok=True)
    store_dir, folder = work / f"store-{n}", work / "chunk"
    progress = work / f"million-{n}.json"
    docs = documents(n, seed=1)
    if resume and progress.exists() and store_dir.exists():
        record: dict[str, Any] = json.loads(progress.read_text("utf-8"))
        if record.get("generator") != generator_stamp():
            raise SystemExit(f"{progress} was begun with another version of bench/corpus.py: its documents "
                             "would not be the ones stored; start the build again without --resume")
        record["stopped"] = ""
        for _ in itertools.islice(docs, record["docs"]):
            pass
    else:
        shutil.rmtree(store_dir, ignore_errors=True)
        rows = registry_rows(n, seed=1)
        registry_csv = work / f"registry-{n}.csv"
        with registry_csv.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        _child("--import-registry", str(store_dir), str(registry_csv))
        record = {"docs": 0, "commit": git_commit(), "date": date.today().isoformat(), "jobs": jobs,
                  "generator": generator_stamp(),
                  "chunks": [], "stopped": "", "ingest_s": 0.0}
    t_all = time.perf_counter() - record.get("ingest_s", 0.0)
    while record["docs"] < n:
        count = min(chunk, n - record["docs"])
        per_doc = store_bytes(store_dir) / record["docs"] if record["docs"] else 120_000
        need = count * (15_000 + 1.5 * per_doc) + HEADROOM
        free = shutil.disk_usage(work).free
        if free < need and defer:  # deferred chunks leave the store uncompacted (~1.4× larger): compact it now
            t0 = time.perf_counter()
            _child("--optimize", str(store_dir))
            record.setdefault("compactions", []).append(
                {"at": record["docs"], "seconds": round(time.perf_counter() - t0, 1),
                 "freed_gb": round((shutil.disk_usage(work).free - free) / 1e9, 1)})
            print(f"disk short before document {record['docs'] + 1:,}: store optimised in "
                  f"{record['compactions'][-1]['seconds']:.0f} s, {record['compactions'][-1]['freed_gb']} GB freed",
                  file=sys.stderr, flush=True)
            per_doc = store_bytes(store_dir) / record["docs"]
            need = count * (15_000 + 1.5 * per_doc) + HEADROOM
            free = shutil.disk_usage(work).free
        if free < need:
            record["stopped"] = (f"stopped before document {record['docs'] + 1:,}: {free / 1e9:.1f} GB free, the next "
                                 f"chunk needs about {need / 1e9:.1f} GB")
            print(record["stopped"], file=sys.stderr)
            break
        shutil.rmtree(folder, ignore_errors=True)
        text_bytes = write_chunk(docs, folder, count)
        last = record["docs"] + count >= n
        result = json.loads(_child("--ingest-chunk", str(folder), str(store_dir), str(jobs),
                                   "upkeep" if last or not defer else "defer"))
        shutil.rmtree(folder)
        # replaced: files of a chunk cut short whose batch had not been marked complete
        record["docs"] += result["added"] + result.get("replaced", 0) + result["unchanged"]
        row = {**result, "docs_total": record["docs"], "text_mb": text_bytes / 1e6,
               "store_bytes": store_bytes(store_dir), "commit": git_commit()}
        record["chunks"].append(row)
        record["ingest_s"] = round(time.perf_counter() - t_all, 1)
        record["bytes"] = row["store_bytes"]
        progress.write_text(json.dumps(record, indent=1) + "\n")
        print(f"{record['docs']:,} documents: {_written(result) / result['seconds']:.0f} docs/s, "
              f"peak {result['peak_mib']:.0f} MiB, store {row['store_bytes'] / 1e9:.2f} GB, "
              f"{_steps(row)}", file=sys.stderr, flush=True)
        if record["docs"] in keep:
            kept = work / f"store-{record['docs']}"
            _child("--checkpoint", str(store_dir), str(kept))
            (kept / ".bench-ready").write_text(json.dumps({
                "docs": record["docs"], "commit": record["commit"], "date": record["date"],
                "ingest_s": round(time.perf_counter() - t_all, 1), "bytes": store_bytes(kept),
                "generator": generator_stamp(), "chunks": len(record["chunks"]),
                "note": f"checkpoint of the {n:,}-document build (its registry facts)"}) + "\n")
        if after_chunk is not None:
            after_chunk(record)
    record["ingest_s"] = round(time.perf_counter() - t_all, 1)
    record["bytes"] = store_bytes(store_dir)
    if not record["stopped"] and record["docs"] >= n:
        (store_dir / ".bench-ready").write_text(json.dumps(record) + "\n")
    progress.write_text(json.dumps(record, indent=1) + "\n")
    return record


def _written(chunk: dict[str, Any]) -> int:
    """Documents a chunk wrote: added, and replaced (stored by a run cut short, not marked complete)."""
    return int(chunk["added"] + chunk.get("replaced", 0))


def _steps(chunk: dict[str, Any]) -> str:
    """Where a chunk's ingest time went: files (read, parse, write), canonical refresh, optimize."""
    return ", ".join(f"{k} {v:.0f}" for k, v in chunk.get("phases", {}).items())


def _row(c: dict[str, Any]) -> str:
    text = f"{c['text_mb']:.0f} MB" if c.get("text_mb") else "text size not recorded"
    again = f", {c['unchanged']:,} already stored" if c.get("unchanged") else ""
    again += f", {c['replaced']:,} stored incomplete and written again" if c.get("replaced") else ""
    upkeep = "full" if c.get("upkeep", True) else "deferred"
    return (f"| {c['docs_total']:,} | {_written(c):,} ({text}{again}) | {c['seconds']:.0f} s | "
            f"**{_written(c) / c['seconds']:.0f}** | {c['peak_mib']:.0f} MiB | {c['store_bytes'] / 1e9:.2f} GB | "
            f"{c['store_bytes'] / c['docs_total'] / 1024:.1f} KiB | {upkeep}: {_steps(c)} | {c.get('commit', '')} |")


HEADER = ("| documents in the store | this chunk | ingest time | docs/s | peak memory | store size "
          "| store per document "
          "| upkeep: of which (s) | commit |\n|---|---|---|---|---|---|---|---|---|")


def _compactions(record: dict[str, Any]) -> str:
    done = record.get("compactions") or []
    if not done:
        return ""
    return ("\n  When the disk ran short, the store was optimised between chunks: " + "; ".join(
        f"at {c['at']:,} documents in {c['seconds']:.0f} s ({c['freed_gb']} GB freed)" for c in done) + ".")


def _latencies(n: int, done: int) -> str:
    """Where the query latencies at this size are, or why there are none yet."""
    if done < n:
        return f"Query latencies at {n:,} documents: measured once the build is done (`bench.queries`)."
    return f"Query latencies on this store are in the query section (`bench.queries`, size {n:,})."


def render(n: int, record: dict[str, Any], notes: list[str] | None = None) -> str:
    """The section; `notes`: lines said under the table (what else happened during the build)."""
    rows = "\n".join(_row(c) for c in record["chunks"])
    done = record["docs"]
    hours = record.get("ingest_s", 0) / 3600
    status = record["stopped"] or (f"all {done:,} documents ingested in {hours:.2f} h" if done >= n
                                   else f"in progress: {done:,} of {n:,} documents ingested in {hours:.2f} h")
    size = record.get("bytes", 0)
    return f"""## National scale: {n:,} documents on one machine

- Machine: {machine()}
- Versions: {versions("vn-plan-kg", "pyoxigraph")}; commit {record['commit']} (each chunk's in the table);
  `--jobs {record['jobs']}`
- Corpus: `bench/corpus.py` (seed 1) written and ingested in chunks by `python -m bench.million`, each
  chunk's text deleted once stored; one run (figures per chunk, not medians). Chunks before the last
  are ingested with `--defer-upkeep` ("deferred": canonical refresh and optimisation, which redo the
  whole store, left to the last chunk); "full" chunks did both.
- Result: {status}; store {size / 1e9:.1f} GB ({size / max(done, 1) / 1024:.1f} KiB per document).{_compactions(record)}
  {_latencies(n, done)}

{HEADER}
{rows}
""" + "".join(f"\n- {line}" for line in notes or []) + ("\n" if notes else "")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--ingest-chunk":
        upkeep = len(sys.argv) < 6 or sys.argv[5] != "defer"
        print(json.dumps(ingest_chunk(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), upkeep)))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--optimize":
        from kg.store import open_store

        store = open_store(sys.argv[2])
        store.optimize()
        store.close()
        print("ok")
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--checkpoint":
        checkpoint(Path(sys.argv[2]), Path(sys.argv[3]))
        print("ok")
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--import-registry":
        import_registry(Path(sys.argv[2]), Path(sys.argv[3]))
        print("ok")
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--chunk", type=int, default=100_000)
    ap.add_argument("--work", type=Path, required=True, help="folder for the store and the current chunk")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-queries", action="store_true", help="build the store only")
    ap.add_argument("--keep", type=int, nargs="*", default=[], metavar="N",
                    help="keep a checkpoint of the store at these sizes (WORK/store-N, for bench.queries)")
    ap.add_argument("--no-defer", action="store_true",
                    help="full upkeep (canonical refresh, optimisation) after every chunk, not only the last")
    ap.add_argument("--resume", action="store_true", help="go on with the build recorded in WORK/million-N.json")
    ap.add_argument("--render", action="store_true",
                    help="only rewrite the section from WORK/million-N.json, with the notes in WORK/million-N.notes "
                         "(one per line: what else happened during the build)")
    a = ap.parse_args()
    notes_file = a.work / f"million-{a.docs}.notes"
    notes = [line for line in notes_file.read_text("utf-8").splitlines() if line.strip()] if notes_file.exists() else []
    if a.render:
        record = json.loads((a.work / f"million-{a.docs}.json").read_text("utf-8"))
        write_section("million", render(a.docs, record, notes))
        return
    record = build(a.docs, a.chunk, a.work, a.jobs, frozenset(a.keep), defer=not a.no_defer, resume=a.resume,
                   after_chunk=lambda r: write_section("million", render(a.docs, r, notes)))
    write_section("million", render(a.docs, record, notes))
    if not a.no_queries and not record["stopped"]:
        from bench import queries

        queries.run(sizes=[a.docs], store_dir=a.work, rdflib_sizes=[], runs=3)


if __name__ == "__main__":
    main()
