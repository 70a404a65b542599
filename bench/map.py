"""`kg map` at scale: generation time (read the store, filter/aggregate, write the page) and the
time headless Chromium takes to load and draw it, on generated corpora of several sizes.

    python -m bench.map --sizes 1000 10000          # in a temporary folder: each store ingested here
    python -m bench.map --sizes 1000 10000 100000 --store-dir /work/bench-data/q
                                                    # the stores bench.queries prepared (reused)

Figures are kept per size in `bench/results/map.json` (with the commit and runs of each), so one
size measured again (`--sizes 1000000 --runs 1` on the million-plan store) leaves the others' rows.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, git_commit, load_results, machine, save_results, versions, write_section

CHROMIUM = Path("/usr/bin/chromium")
RESULTS = ROOT / "bench" / "results" / "map.json"


def browser_load_seconds(page_path: Path, runs: int) -> float | None:
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        for _ in range(runs):
            page = b.new_page(viewport={"width": 1400, "height": 900})
            t0 = time.perf_counter()
            page.goto(page_path.resolve().as_uri())
            page.wait_for_function("window.kgMap && window.kgMap.ready === true", timeout=600_000)
            times.append(time.perf_counter() - t0)
            page.close()
        b.close()
    return statistics.median(times)


def measure(n: int, runs: int, work: Path, store_dir: Path | None = None) -> dict[str, float]:
    """Map generation and browser load at `n` documents: on the store `bench.queries.prepare` keeps in
    `store_dir` (made there when missing), or on one ingested in `work`."""
    from bench.corpus import write_corpus
    from kg.ingest import ingest
    from kg.store import open_store
    from viz.graph import build_map, read_graph
    from viz.render import write_html

    if store_dir is not None:
        from bench.queries import prepare

        store = open_store(str(prepare(n, store_dir)), read_only=True)
    else:
        corpus = work / f"corpus-{n}"
        write_corpus(n, corpus, seed=1)
        store = open_store(str(work / f"store-{n}"))
        ingest([corpus / "docs"], store, jobs=2)
    out = work / f"map-{n}.html"
    focus = _focus_cases(store, out, runs)
    gen = []
    drawn = total = 0
    size = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        full = read_graph(store)
        m = build_map(store, graph=full)
        size = write_html(m, out, full=full)
        gen.append(time.perf_counter() - t0)
        drawn, total = m.graph.number_of_nodes(), m.total_nodes
    store.close()
    return {"docs": n, "generate_s": statistics.median(gen), "load_s": browser_load_seconds(out, runs) or float("nan"),
            "drawn": drawn, "total": total, "bytes": size, **focus, "runs": runs, "commit": git_commit(),
            "date": time.strftime("%Y-%m-%d")}


def _focus_cases(store, out: Path, runs: int) -> dict[str, float]:
    """`kg map --focus REF` (default depth 2) for a province plan and for 30c/NQ-CP, which 7% of the
    plans cite, and `kg map --unit "Sở Ngoại vụ"`: generation (only that part read from the store,
    `viz.focus`) and nodes drawn."""
    from bench.queries import UNIT, choose
    from viz.graph import build_map
    from viz.render import write_html

    p = choose(store)
    figures: dict[str, float] = {}
    for key, options in (("plan", {"focus": p["plan_ref"]}), ("cited", {"focus": p["cited_ref"]}),
                         ("unit", {"unit": UNIT})):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            m = build_map(store, depth=2, **options)
            write_html(m, out.with_name(f"focus-{key}.html"))
            times.append(time.perf_counter() - t0)
        figures[f"{key}_s"] = statistics.median(times)
        figures[f"{key}_drawn"] = m.graph.number_of_nodes()
    return figures


_STORES = " (the stores of the query benchmark, with the corpus's registry facts)"


def run(sizes: tuple[int, ...] | None = None, runs: int = 3, store_dir: Path | None = None) -> str:
    from bench.common import env_sizes, env_store_dir

    sizes = sizes or tuple(env_sizes([1000, 10000]))
    store_dir = store_dir or env_store_dir()
    with tempfile.TemporaryDirectory(prefix="kg-bench-map-") as tmp:
        for n in sizes:
            row = measure(n, runs, Path(tmp), store_dir)
            results = load_results(RESULTS)  # read again: another size may have been measured meanwhile
            results[str(n)] = row
            save_results(RESULTS, results)
    md = render(load_results(RESULTS), bool(store_dir))
    write_section("map", md)
    return md


def render(results: dict[str, dict[str, Any]], kept_stores: bool = True) -> str:
    """The section from the figures kept per size."""
    rows = [results[k] for k in sorted(results, key=int)]
    table = "\n".join(
        f"| {r['docs']:,} | {r['total']:,} | {r['drawn']:,} | {r['bytes'] / 1e6:.1f} MB | **{_s(r['generate_s'])}** "
        f"| **{_s(r['load_s'])}** | **{_s(r['plan_s'])}** ({r['plan_drawn']:,}) | **{_s(r['cited_s'])}** "
        f"({r['cited_drawn']:,}) | **{_s(r['unit_s'])}** ({r['unit_drawn']:,}) |" for r in rows)
    measured = ", ".join(f"{r['docs']:,} at {r.get('commit', '?')} ({r.get('date', '?')}, "
                         f"{'median of ' + str(r['runs']) + ' runs' if r.get('runs', 1) > 1 else 'one run'})"
                         for r in rows)
    md = f"""## `kg map` at scale

- Machine: {machine()}
- Versions: {versions("vn-plan-kg", "pyoxigraph", "pyvis")}; Chromium at {CHROMIUM}
- Measured: {measured}
- Corpora: generated plans (`bench/corpus.py`, seed 1) ingested with `--jobs 2`{_STORES if kept_stores else ""};
  whole-graph map with the default node budget (beyond it the page aggregates and says so).
- `--focus`: generation of `kg map --focus REF` (depth 2) for PLAN, a province plan departments and
  districts carry out, and for 30c/NQ-CP, cited by ~7% of the plans (its lineage holds every citing
  plan: 7,727 nodes at 100k, aggregated to the nodes drawn); `--unit`: of `kg map --unit "Sở Ngoại vụ"`,
  a department every province has (its documents and what they cite). Only that part is read from
  the store (`viz.focus`); before, the whole graph was read first, as long as the whole map's generation.

| documents | nodes in the graph | nodes drawn | page size | generation | browser load and first draw \
| `--focus PLAN` (drawn) | `--focus 30c/NQ-CP` (drawn) | `--unit "Sở Ngoại vụ"` (drawn) |
|---|---|---|---|---|---|---|---|---|
{table}
"""
    return md


def _s(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds:.1f} s" if seconds < 600 else f"{seconds / 60:.1f} min"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", help="default: KG_BENCH_SIZES, else 1000 10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--store-dir", type=Path, help="reuse (or prepare) the stores of bench.queries in this folder")
    a = ap.parse_args()
    print(run(tuple(a.sizes) if a.sizes else None, a.runs, a.store_dir))


if __name__ == "__main__":
    main()
