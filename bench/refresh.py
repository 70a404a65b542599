"""A full canonical refresh (`kg.registry.refresh_canonical`, what an ingest does after its files and
the last of a deferred build does over the whole store): wall and CPU time and peak memory, on a
store of each size, in a child process of its own. The refresh writes only what differs from the
canonical graph already stored: on a store refreshed before, nothing but its pending mark.

    python -m bench.refresh --sizes 1000 10000 100000 --store-dir DIR   # the stores bench.queries keeps
    python -m bench.refresh --store 1000000=/work/bench-data/m/store-1000000  # the million build's

Results are kept per size in `bench/results/refresh.json`; the section lists every size kept.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, git_commit, load_results, machine, save_results, versions, write_section

RESULTS = ROOT / "bench" / "results" / "refresh.json"


def one(location: str) -> dict[str, float]:
    """One whole refresh of the store at `location`, in this process."""
    import resource

    from kg import registry
    from kg.store import EmbeddedStore, store_bytes

    store = EmbeddedStore(location)
    instruments = next(store.select_values(
        "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a <https://kg.vn-plans.org/ns#Instrument> }"))[0]
    t0, c0 = time.perf_counter(), time.process_time()
    registry.refresh_canonical(store)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    store.close()
    return {"wall_s": wall, "cpu_s": cpu, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "instruments": int(instruments or 0), "store_mb": store_bytes(location) / 1e6}


def measure(location: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "bench.refresh", "--one", str(location)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(sizes: list[int] | None = None, store_dir: Path | None = None,
        stores: dict[int, Path] | None = None) -> str:
    from bench.common import env_sizes, env_store_dir
    from bench.queries import prepare

    kept = load_results(RESULTS)
    with tempfile.TemporaryDirectory(prefix="kg-bench-refresh-") as tmp:
        todo = dict(stores or {})
        if not todo or sizes:  # the query benchmark's stores, or stores made here for the sizes asked
            for n in sizes or env_sizes([1000, 10000]):
                todo.setdefault(n, prepare(n, store_dir or env_store_dir() or Path(tmp)))
        for n, location in sorted(todo.items()):
            kept[str(n)] = {**measure(location), "commit": git_commit(), "date": time.strftime("%Y-%m-%d")}
    save_results(RESULTS, kept)
    return render(kept)


def render(kept: dict[str, dict]) -> str:  # type: ignore[type-arg]
    rows = "\n".join(
        f"| {int(n):,} | {r['store_mb']:,.0f} MB | {r['instruments']:,} | **{r['wall_s']:.1f} s** | {r['cpu_s']:.1f} s "
        f"| **{r['peak_mib']:,.0f} MiB** | {r['commit']} ({r['date']}) |"
        for n, r in sorted(kept.items(), key=lambda kv: int(kv[0])))
    md = f"""## Canonical refresh

- Machine: {machine()}
- Versions: {versions("vn-plan-kg", "pyoxigraph")}
- `python -m bench.refresh`: one whole `kg.registry.refresh_canonical` on the stores of the query
  benchmark (and the million build's), in a child process of its own: every instrument's canonical
  date, issuer and title recomputed from the registry, its own document and the readings of the
  documents citing it, and checked against the canonical graph stored (nothing differs there, so
  nothing is written but the pending mark). Peak memory: the process's resident peak (`getrusage`).
- Before the change of 2026-11-24 (one reading held per instrument, the stored graph checked as it
  streams, instead of counters of every value, every line and the stored triples as rows of dicts),
  the million build's last refresh took 352 s with a peak of 2,946 MiB.
- Since 2026-11-25 the readings, the choice and the difference with the stored graph go through a
  temporary SQLite file (`kg.canonical_disk`) instead of ~1M chosen readings per property in Python
  dicts. With the dicts (5a6cb35, measured the same day on hard-link copies of the 100k store):
  25.2-25.5 s of CPU and 334 MiB, against 29.1-32.2 s and 314-315 MiB this way; on the million-plan
  store 1,180 MiB (233 s, 3793d28), and 949 / 1,030 / 1,117 MiB in each property's reading in a run
  sampled every 0.2 s (325 s, just after the store was compacted). Small stores pay SQLite's own
  memory (10k plans: 109 → 133 MiB). See bench/profiles/refresh-disk.md.

| documents | store | instruments | wall | CPU | peak memory | commit |
|---|---|---|---|---|---|---|
{rows}
"""
    write_section("refresh", md)
    return md


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", help="default: KG_BENCH_SIZES, else 1000 10000")
    ap.add_argument("--store-dir", type=Path, help="the stores of bench.queries (prepared there when missing)")
    ap.add_argument("--store", action="append", default=[], metavar="SIZE=PATH", help="another store, by its size")
    ap.add_argument("--render", action="store_true", help="only write the section from the kept results")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(one(a.one)))
        return
    if a.render:
        print(render(load_results(RESULTS)))
        return
    stores = {int(s.split("=", 1)[0]): Path(s.split("=", 1)[1]) for s in a.store}
    print(run(a.sizes, a.store_dir, stores))


if __name__ == "__main__":
    main()
