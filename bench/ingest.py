"""Ingest end to end (read → extract → triples → Oxigraph on disk): documents/s with --jobs 1 and 2,
and store bytes per document, on a generated corpus (`bench/corpus.py`)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import git_commit, machine, versions, write_section


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure(n: int, jobs: int, runs: int, work: Path, corpus: Path) -> dict[str, float]:
    from kg.ingest import ingest
    from kg.store import open_store

    rates, sizes = [], []
    for i in range(runs):
        store_dir = work / f"store-{jobs}-{i}"
        store = open_store(str(store_dir))
        t0 = time.perf_counter()
        summary = ingest([corpus / "docs"], store, jobs=jobs)
        seconds = time.perf_counter() - t0
        store.close()
        assert summary.failed == 0 and summary.added == n, summary
        rates.append(n / seconds)
        sizes.append(_du(store_dir) / n)
        shutil.rmtree(store_dir)
    return {"docs_per_s": statistics.median(rates), "bytes_per_doc": statistics.median(sizes)}


def run(n: int = 1000, runs: int = 3) -> str:
    from bench.corpus import write_corpus

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = Path(tmp)
        docs, nbytes = write_corpus(n, work / "corpus", seed=1)
        r1 = measure(n, 1, runs, work, work / "corpus")
        r2 = measure(n, 2, runs, work, work / "corpus")
    md = f"""## Ingest end to end (embedded Oxigraph store on disk)

- Machine: {machine()}
- Versions: {versions("vn-plan-kg", "pyoxigraph")}; commit {git_commit()}
- Corpus: {docs} generated plans (`bench/corpus.py`, seed 1, {nbytes / 1e6:.1f} MB); each run ingests
  into a fresh store; median of {runs} runs.

| | `--jobs 1` | `--jobs 2` |
|---|---|---|
| documents per second | **{r1['docs_per_s']:.0f}** | **{r2['docs_per_s']:.0f}** |
| store bytes per document | {r1['bytes_per_doc'] / 1024:.1f} KiB | {r2['bytes_per_doc'] / 1024:.1f} KiB |
"""
    write_section("ingest", md)
    return md


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=int(os.environ.get("BENCH_DOCS", 1000)))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    print(run(a.docs, a.runs))


if __name__ == "__main__":
    main()
