"""Query latency: every named query (`queries/*.rq`) and the library calls behind the query commands
(`kg stale`, `lineage`, `cited-by`, `cites`, `show`, `check`) on the embedded Oxigraph store at
several corpus sizes, and the same queries on rdflib's default in-memory store (`rdflib.Dataset`,
default graph = union) loaded from the same N-Quads, side by side.

    python -m bench.queries                                   # 1k and 10k, rdflib at both
    python -m bench.queries --sizes 100000 --store-dir /data/kg-bench --runs 3
    python -m bench.queries --sizes 1000 10000 100000 --store-dir DIR --rdflib-sizes 1000 10000
    python -m bench.queries --sizes 1000 10000 100000 --store-dir DIR --rebuild   # after ingest changed
    KG_BENCH_SIZES="1000 10000 100000" KG_BENCH_STORE_DIR=DIR python -m bench.run queries web
    KG_BENCH_CASES="command:" python -m bench.queries --sizes 1000000 --store-dir DIR --rdflib-sizes
                                                      # only the cases whose "group: label" has a word

`--store-dir DIR` keeps corpora and stores as DIR/corpus-N and DIR/store-N and reuses those that are
there (a store is reused when DIR/store-N/.bench-ready exists: it was ingested completely, with the
corpus's registry.csv imported), so a 100k store is prepared once and measured again after changes.
Without it everything lives in a temporary folder.

Each case runs in a child process (forked from a session process that holds the rdflib graph, or that
opens the Oxigraph store afresh per case) and is killed after `--timeout` seconds ("> 120 s"). A
figure is the median of up to `--runs` runs, fewer when the runs of a case pass 20 s together.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import ROOT, git_commit, load_results, machine, save_results, versions, write_section
from kg.store import store_bytes

BUDGET_S = 20.0  # stop repeating a case once its runs took this long together
UNIT = "Sở Ngoại vụ"  # a department every province has: `kg stale --unit "Sở Ngoại vụ"`
CITED = "30c/NQ-CP"  # real, in the shipped registry (expired), among the most cited of the pool
K = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"


# ---------------------------------------------------------------- corpus, store, draft


def prepare(n: int, work: Path, rebuild: bool = False) -> Path:
    """DIR/store-N ingested from DIR/corpus-N (generated if missing), with the corpus's registry
    facts imported; reused when already complete (DIR/store-N/.bench-ready, a JSON record of the
    commit, ingest time and size), rebuilt from the same corpus with `rebuild`."""
    import shutil

    from bench.corpus import generator_stamp, kept_corpus

    store_dir, corpus = work / f"store-{n}", work / f"corpus-{n}"
    ready = store_dir / ".bench-ready"
    if ready.exists() and not rebuild:
        record = _ready(ready)
        if record.get("generator") == generator_stamp():
            return store_dir
        if "chunks" in record:  # built by bench.million: hours of work, never deleted here
            raise SystemExit(f"{store_dir} was built from another version of bench/corpus.py: "
                             "build it again with bench.million")
    shutil.rmtree(store_dir, ignore_errors=True)
    kept_corpus(n, corpus)
    code = ("import sys; from pathlib import Path; from kg.ingest import ingest; from kg.store import open_store; "
            "from kg import registry; c, s = Path(sys.argv[1]), open_store(sys.argv[2]); "
            "registry.import_csv(s, c / 'registry.csv'); "  # first: into the empty store, one refresh less
            "r = ingest([c / 'docs'], s, jobs=2); assert r.failed == 0, r.errors[:5]; s.close()")
    t0, commit = time.perf_counter(), git_commit()
    subprocess.run([sys.executable, "-c", code, str(corpus), str(store_dir)], cwd=ROOT, check=True)
    seconds = time.perf_counter() - t0
    ready.write_text(json.dumps({"docs": n, "commit": commit, "date": date.today().isoformat(),
                                 "ingest_s": round(seconds, 1), "bytes": store_bytes(store_dir),
                                 "generator": generator_stamp()}) + "\n")
    return store_dir


def _ready(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def store_record(store_dir: Path) -> dict[str, Any]:
    """What `prepare` wrote in .bench-ready (older stores: only the size)."""
    try:
        return dict(json.loads((store_dir / ".bench-ready").read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return {"bytes": store_bytes(store_dir)}


def write_draft(path: Path, seed: int = 7, pages: int = 20) -> tuple[int, int]:
    """A 20-page draft plan (≈ 2,800 characters a page) dated 2025-03-15, citing ~80 instruments of
    the generator's pool, the registry's superseded ones (30c/NQ-CP, 60/2013/NĐ-CP …) among them, with
    the damage PDF text has. Returns (bytes, citations written)."""
    from bench.corpus import PROSE, REAL, TOPICS, Pool

    rng = random.Random(seed)
    pool = Pool(random.Random(1), size=2000)
    real = {symbol for _, symbol, _, _ in REAL}
    cites = pool.sample(rng, 70, date(2025, 3, 15))  # nothing dated after the draft
    cites += [i for i in pool.items if i.symbol in real and i not in cites]
    rng.shuffle(cites)
    written = 4
    parts = ["ỦY BAN NHÂN DÂN                         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "TỈNH TÂY NINH                           Độc lập - Tự do - Hạnh phúc",
             "Số:      /KH-UBND                       Tây Ninh, ngày 15 tháng 03 năm 2025", "",
             "DỰ THẢO", "KẾ HOẠCH", "Triển khai công tác dân vận chính quyền giai đoạn 2025-2030", "",
             "Căn cứ " + "; ".join(c.cite(rng) for c in cites[:4]) + ";", "", "I. MỤC ĐÍCH, YÊU CẦU"]
    k = 1
    while sum(len(x) + 1 for x in parts) < pages * 2800:
        group = cites[written:written + 3] or [rng.choice(cites)]
        written += len(group)
        parts.append(f"{k}. Tiếp tục quán triệt và thực hiện có hiệu quả "
                     + "; ".join(c.cite(rng) + f" về {rng.choice(TOPICS)}" for c in group) + ".")
        parts.extend("- " + rng.choice(PROSE) for _ in range(rng.randrange(5, 9)))
        k += 1
    parts += ["", "III. TỔ CHỨC THỰC HIỆN", "Các đơn vị báo cáo kết quả trước ngày 15/12/2025./.", "",
              "Nơi nhận:                               CHỦ TỊCH", "- Như trên;", "- Lưu: VT.", ""]
    data = "\n".join(parts).encode("utf-8")
    path.write_bytes(data)
    return len(data), written


# ---------------------------------------------------------------- the rdflib store behind kg's Store protocol

class RdflibStore:
    """rdflib's default in-memory store (`Dataset(default_union=True)`) with the `select` of kg's
    Store protocol: the library functions of the commands run on it unchanged."""

    location = "rdflib:memory"

    def __init__(self, nquads: Path):
        import rdflib

        self.ds = rdflib.Dataset(default_union=True)
        self.ds.parse(str(nquads), format="nquads")

    def select(self, query: str, bindings: Any = None) -> list[dict[str, str]]:
        from kg.store import bind

        result = self.ds.query(bind(query, bindings))
        names = [str(v) for v in result.vars or []]
        return [{n: str(row[i]) for i, n in enumerate(names) if row[i] is not None} for row in result]

    def select_values(self, query: str, bindings: Any = None) -> Any:
        from kg.store import bind

        result = self.ds.query(bind(query, bindings))
        for row in result:
            yield tuple(None if v is None else str(v) for v in row)


# ---------------------------------------------------------------- the cases

def choose(store: Any) -> dict[str, str]:
    """Realistic parameters read from the store (not timed): the central instrument the most plans
    carry out (a directive: its whole cascade below it), a province plan that departments and
    districts carry out, a plan at the bottom of a cascade, the much-cited 30c/NQ-CP."""
    top = store.select(K + "SELECT ?o (COUNT(?s) AS ?n) WHERE { ?s kg:implements ?o } GROUP BY ?o "
                           "ORDER BY DESC(?n) ?o LIMIT 50")
    described = {r["i"] for r in store.select(K + "SELECT ?i WHERE { ?s kg:describes ?i }",
                                              {"i": [f"<{r['o']}>" for r in top]})}
    directive = next(r["o"] for r in top if r["o"] not in described)
    plan = next(r["o"] for r in top if r["o"] in described)
    leaf = sorted(r["s"] for r in store.select(K + "SELECT ?s WHERE { ?s kg:implements ?o }", {"o": f"<{plan}>"}))[0]
    cited = store.select(K + "SELECT ?i WHERE { ?i kg:symbol ?s ; kg:year ?y } LIMIT 1", {"s": f'"{CITED}"'})[0]["i"]
    out = {"directive": directive, "plan": plan, "leaf": leaf, "cited": cited}
    for key in list(out):
        sym = store.select(K + "SELECT ?s WHERE { ?i kg:symbol ?s } LIMIT 1", {"i": f"<{out[key]}>"})
        out[key + "_ref"] = sym[0]["s"] if sym else out[key]
    from kg.refs import resolve

    for key in ("directive", "plan", "leaf", "cited"):  # a REF as typed when it is unambiguous, else the IRI
        if [c.iri for c in resolve(store, out[key + "_ref"])] != [out[key]]:
            out[key + "_ref"] = out[key]
    return out


def cases(p: dict[str, str], draft: Path) -> list[tuple[str, str, Callable[[Any], Any]]]:
    """(group, label, fn(store)) for every named query and every command's library call."""
    from kg import queries
    from kg.check import check_file
    from kg.lineage import lineage
    from kg.refs import resolve_one
    from kg.show import card
    from kg.stale import stale_citations

    def q(name: str, **params: str) -> Callable[[Any], Any]:
        return lambda s: queries.run(s, name, params)

    return [
        ("query", "`stale-citations` (every unit)", q("stale-citations")),
        ("query", f"`stale-citations` unit={UNIT}", q("stale-citations", unit=UNIT)),
        ("query", "`lineage-up` (a plan at the bottom)", q("lineage-up", root=p["leaf"])),
        ("query", "`lineage-down` (a central directive)", q("lineage-down", root=p["directive"])),
        ("query", "`lineage-down` (a province plan)", q("lineage-down", root=p["plan"])),
        ("query", "`inherited-risk`", q("inherited-risk")),
        ("query", f"`cited-by` {CITED}", q("cited-by", target=p["cited"])),
        ("query", "`cites` (a province plan)", q("cites", doc=p["plan"])),
        ("query", "`citation-disagreements`", q("citation-disagreements")),
        ("query", "`orphans`", q("orphans")),
        ("query", "`most-cited`", q("most-cited")),
        ("query", "`unit-profile`", q("unit-profile")),
        # in this order: the first case's last run keeps its result, which the next two read
        ("command", "`kg stale`", _unkept(stale_citations)),
        ("command", "`kg stale` (kept)", lambda s: stale_citations(s)),
        ("command", f"`kg stale --unit \"{UNIT}\"` (kept)", lambda s: stale_citations(s, unit=UNIT)),
        ("command", f"`kg stale --unit \"{UNIT}\"`", _unkept(lambda s: stale_citations(s, unit=UNIT))),
        ("command", "`kg lineage PLAN --up`", lambda s: lineage(s, resolve_one(s, p["leaf_ref"]), "up")),
        ("command", "`kg lineage DIRECTIVE --down`",
         lambda s: lineage(s, resolve_one(s, p["directive_ref"]), "down")),
        ("command", "`kg lineage PLAN --down`", lambda s: lineage(s, resolve_one(s, p["plan_ref"]), "down")),
        ("command", f"`kg cited-by {CITED}`", lambda s: queries.run(s, "cited-by", {
            "target": resolve_one(s, p["cited_ref"]).iri})),
        ("command", "`kg cited-by PLAN`", lambda s: queries.run(s, "cited-by", {
            "target": resolve_one(s, p["plan_ref"]).iri})),
        ("command", "`kg cites PLAN`", lambda s: queries.run(s, "cites", {"doc": resolve_one(s, p["plan_ref"]).iri})),
        ("command", f"`kg show {CITED}`", lambda s: card(s, resolve_one(s, p["cited_ref"]))),
        ("command", "`kg show DIRECTIVE`", lambda s: card(s, resolve_one(s, p["directive_ref"]))),
        ("command", "`kg check` (20-page draft)", lambda s: check_file(draft, s)),
    ]


def _unkept(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`fn` (`kg stale`) as the first reader after a change runs it: the stale report kept beside the
    store (`kg.kept`) removed before each run (the "(kept)" cases leave it: their first run keeps, the
    others read). The cascade index kept there stays: lineage and cited-by read it."""
    def run(store: Any) -> Any:
        if getattr(store, "generation", None):
            import shutil

            from kg.kept import KEPT
            from kg.stale_rows import KEPT_AS

            for folder in (Path(store.location) / KEPT).glob(f"{KEPT_AS}-*"):
                shutil.rmtree(folder, ignore_errors=True)
        return fn(store)
    return run


def _rows(result: Any) -> int:
    if isinstance(result, list):
        return len(result)
    if hasattr(result, "findings"):
        return len(result.findings)
    if isinstance(result, dict):
        return len(result.get("cited_by", []))
    if hasattr(result, "children"):  # a lineage tree: its nodes
        stack, n = [result], -1
        while stack:
            node = stack.pop()
            n += 1
            stack.extend(node.children)
        return n
    return 0


# ---------------------------------------------------------------- session process (one backend, one size)

def _in_child(setup: Callable[[], Any], fn: Callable[[Any], Any], runs: int, timeout: float) -> dict[str, Any]:
    """In a forked child: `setup()` (not timed: opening the store), then `fn(store)` up to `runs`
    times; the child is killed after `timeout` seconds."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(r)
        try:
            store = setup()
            times: list[float] = []
            cpu: list[float] = []
            rows = 0
            while len(times) < runs and sum(times) < BUDGET_S:
                t0, c0 = time.perf_counter(), time.process_time()
                rows = _rows(fn(store))
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            out: dict[str, Any] = {"times": times, "cpu": cpu, "rows": rows}
        except BaseException as e:  # reported in the table, never hidden
            out = {"error": f"{type(e).__name__}: {e}"[:300]}
        os.write(w, json.dumps(out).encode())
        os._exit(0)
    os.close(w)
    ready, _, _ = select.select([r], [], [], timeout)
    if not ready:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(r)
        return {"timeout": timeout}
    data = b"".join(iter(lambda: os.read(r, 65536), b""))
    os.close(r)
    os.waitpid(pid, 0)
    return json.loads(data or b'{"error": "the child died"}')


def session(backend: str, source: Path, params: dict[str, str], draft: Path, runs: int, timeout: float) -> None:
    """Print one JSON line for the load, then one per case. rdflib: the graph is parsed once here
    and each case's child inherits it; Oxigraph: each child opens the store (RocksDB handles are not
    shared across a fork)."""
    import gc

    if backend == "rdflib":
        t0 = time.perf_counter()
        rdf = RdflibStore(source)
        load = time.perf_counter() - t0
        print(json.dumps({"load_s": load, "quads": len(rdf.ds)}), flush=True)
        gc.collect()
        gc.freeze()  # the children's copy-on-write pages stay shared

        def setup() -> Any:
            return rdf
    else:
        print(json.dumps({"load_s": None}), flush=True)

        def setup() -> Any:
            from kg.store import open_store

            return open_store(str(source), read_only=True)  # as the kg commands read: a snapshot
    only = [w for w in os.environ.get("KG_BENCH_CASES", "").split(",") if w]  # e.g. "command:" at 1M documents
    for group, label, fn in cases(params, draft):
        if only and not any(w in f"{group}: {label}" for w in only):
            continue
        if backend == "rdflib" and label.endswith("(kept)"):  # rdflib keeps nothing: the same as without
            continue
        print(json.dumps({"group": group, "label": label, **_in_child(setup, fn, runs, timeout)}), flush=True)


# ---------------------------------------------------------------- driver

RESULTS = ROOT / "bench" / "results" / "queries.json"
NOTES = """
### What was changed because of these figures

Measured first at 1k and 10k documents; CPU time of the query, same rows in the same order (the
golden tests `tests/test_queries.py` unchanged). Oxigraph 0.5 plans each `OPTIONAL` as a lookup per
row only when its right side is one triple pattern (or several nested `OPTIONAL`s) sharing a variable
that is always bound on the left; otherwise it reads every triple of the right side and hashes them,
and with no shared bound variable it matches every such triple against every row.

- `stale-citations`: the OPTIONAL on `?new` (bound by a `BIND`, so possibly unbound) made it
  quadratic. Each fact's end date, replacement and canonical dates are now read once per fact in a
  sub-select, the citing documents' own metadata once per document: 1k 0.70 → 0.09 s, 10k
  more than 300 s (killed) → 2.5 s.
- `kg check`: the canonical record of each cited instrument was read with `?i a kg:Instrument` as a
  pattern, i.e. once per graph citing it (720 rows for 30c/NQ-CP at 10k), in 3 queries per
  reference; now 3 queries for the whole draft, one row per instrument: 20-page draft at 10k
  5.2 → 0.4 s.
- REF resolution (`kg.refs`, in every command figure): a whole symbol is looked up as stored (an index
  lookup, in the spellings that match alike) instead of scanning every symbol triple twice; the scan
  remains for a bare number ("30c"): `30c/NQ-CP` at 10k 0.38 → 0.04 s.
- `lineage-down`, `kg show`: a node's file was read in an OPTIONAL of two patterns (every document's
  file read); now nested, one lookup per node: a province plan's lineage at 10k 0.14 → 0.007 s.

- `kg stale` (`kg.stale_rows`): the named query's rows, read as three plain streams (the status facts;
  each superseded instrument's citing graphs as one `GROUP_CONCAT` string; the citing documents'
  metadata) and joined and judged in Python, the same rows exactly (`tests/test_stale_rows.py`). At
  10k on a loaded machine 1.5 → 0.8 s of CPU; `--unit` reads the unit names first and then only the
  unit's documents: 0.8 → 0.35 s. Then, at 100k, the unit's documents are found from the distinct
  issuer names (Oxigraph's DISTINCT compares the 1.7M readings without decoding them: 92 names in
  0.8 s of CPU) and the documents written with the matching names, instead of every document's
  name: 32.8 → 23.5 s (8.6 → 5.4 s of CPU), one cold run. The rest is cold reads: the same
  documents' metadata took 96 s cold and 6.4 s warm in one process.
- `kg stale`, kept (`kg.kept`): the citations of superseded instruments with their documents'
  metadata, gathered before judging, are kept beside the store (JSON in `kg-kept/`, keyed by the
  snapshot the reader opened, which every writer renews), so only the first report after a change
  reads the store; later ones, for any unit and any `--as-of`, judge the kept rows. Kept in one
  file, one unit's report still read all of it (0.9 s at 100k, 0.6 s of it parsing 29 MB of JSON);
  kept in one part per unit name, it reads only the parts of the names it matches: 127 ms. The
  whole report from the kept parts: 2.9 s, most of it building, judging and sorting 214k rows. The
  table grouped the rows by document by scanning every row for each document: 8 of the 9 s of
  `kg stale` at 10k plans, quadratic beyond; one pass now. The first report at 100k, on a quiet machine with its store
  rebuilt at the current layout: 68.9 s (measured beside the million-plan build) → 20.4 s.
- `kg stale` kept by writers (`kg.stale_rows.keep_after_write`): an ingest into an empty store keeps
  the whole gathered result; later ingests, forgets and registry changes carry it forward, reading
  only the graphs they wrote (the parts of units that wrote nothing are linked, a change of the
  status facts reads the whole), and the result becomes the snapshot's the writer makes as it
  closes. So the report after any write costs what "(kept)" says (3.5 s at 100k, 49 ms for one
  unit); "`kg stale`" (27.3 s) is now what a store costs whose writers kept nothing (no report
  had been kept before the write, or the kept results were deleted).
- At a million plans (the build's deferred chunks keep nothing): one `kg stale` gathered the whole
  result and kept it, read cold from the 41 GB store: 21.6 min (40 % of it on the CPU), 5.4 GiB
  at peak, 1,684,522 rows, the kept parts 301 MB on disk. From them, the "(kept)" rows: the whole
  report 61 s (one cold run), one unit's 0.59 s.
- The whole report's memory (2026-11-25). The gather held two new strings and a tuple per citation
  and every document's metadata, and the table was rendered whole, split into lines and joined
  again (373 MB of text at a million plans, held several times over). Now each (graph, document)
  pair is one tuple shared by its citations and its metadata, a repeated value (date, year, unit
  name) one string, only citing documents' metadata is read, and `kg stale` writes its table, CSV
  or JSON a megabyte at a time as it is made. The same output byte for byte (the 373 MB table at a
  million plans, the kept parts); peak memory at a million plans: gathering and keeping the parts
  2,708 → 1,886 MiB, the whole `kg stale` with nothing kept 5.43 → 3.48 GiB (29 min read cold on
  a machine running the test suite beside it), from the kept parts 5.57 → 3.63 GiB (69 → 59 s,
  warm); at 100k: the gather 458 → 382 MiB, the report from the kept parts 668 → 432 MB (6.0 →
  5.5 s), as CSV 611 → 432 MB, as JSON 915 → 433 MB (7.6 → 6.0 s). What is left is the report's
  rows themselves (~830 bytes a row as a dict, 1.4 GB at a million plans) and the gathered
  citations they are judged from.
- `kg lineage` labels are read as tuples (decoding rows into dicts cost as much as the queries),
  each node's file and symbol from its own document's graph (no fan-out over the graphs restating
  a much-cited plan's symbol): a 3,084-node cascade at 10k 0.37 → 0.27 s.
- `kg lineage`, the web app's lineage trees (`kg.cascade`): the named queries find depths with seven
  property-path branches and label each row from every graph restating the node's symbol (27,000
  graphs for a central directive at 100k); the cascade is now walked level by level, one query per
  level, each node labelled once: DIRECTIVE's cascade at 10k 590 → 204 ms of CPU.
- `kg show`: the card read the whole cascade below the instrument, every citing document and every
  mention; now its direct implementers, a count of citers with 20 of them named (`kg cited-by` lists
  all), surfaces counted in the store: DIRECTIVE at 10k 2.5 s → 76 ms of CPU.
- `kg lineage`, `kg cited-by`, `kg show`, the web app's instrument page: read from the cascade index
  kept beside the store (`kg.cascade_index`, SQLite: every `implements` edge, each file's
  instrument and labels, canonical metadata, instruments under integer ids), kept by the writers
  as they write and used only by a reader of the very snapshot it was made for: DIRECTIVE's
  cascade at 100k 1.2 s → 139 ms, the citers of 30c/NQ-CP 637 → 111 ms (their mentions still
  counted in Oxigraph, their labels from the index). The index is 99 MB at 100k (2.6 % of the
  store); a store without one gets it from its next writer (37 s at 100k, read cold). Details:
  bench/profiles/cascade-index.md. The named queries `lineage-up`, `lineage-down` and `cited-by`,
  asked for by name (`kg query`, the "query:" rows), are answered the same way (`kg.queries.run`;
  the same rows as their SPARQL, which tests hold them to): `lineage-down` of the directive at
  100k 3.8 s → 105 ms.
- `inherited-risk`: each branch now starts from the superseded instruments and walks down from them
  (the depth then read with both ends known), symbols read from the fact's and the plan's own graph:
  10k > 60 s → 1.2 s. `citation-disagreements` reads the target's symbol in the mentioning graph.

Not reached at 100k with this graph layout, and why: Oxigraph answers a bound lookup in ~5-20 µs
here and hands each result term to Python for ~2-5 µs more, so a report of 200,000 rows, each
needing its citing document's date, year, issuer and file, costs seconds however it is phrased;
every document graph also repeats the readings of each instrument it cites (171,000 `kg:date`
triples at 10k documents for their 10,000 own dates). `--unit` filters on the issuer's name as a
substring, which no index answers. A per-document summary (the document's own date, year, issuer
name and file in one literal or one graph, written by ingest) would let the report read one triple
per document, and an index of issuer names would let `--unit` start from the unit's documents. The
web app computes the whole report once per store version, in the background (`kg serve --warm`).
A lookup also costs more as the store grows: at 100k plans its optimised levels are LZ4-compressed
and far larger than RocksDB's block cache (which pyoxigraph does not let us size), so most lookups
decompress a block: the citing documents' metadata cost ~140 µs of CPU per document at 100k
against ~57 at 10k. The figures at every size were measured on 2026-11-24 on stores built from
the corrected generator (`ff8101d`: plans dated 2016-2025, communes, more stale citations per plan
than before: 170k rows at 100k), with nothing else running; a case whose first run passes 20 s
runs only once, so its figure is a cold-cache one.
"""
BARS = {  # label → (bar, aim) in seconds at 100k documents (issue 6)
    "`kg stale`": (5.0, 1.0), f"`kg stale --unit \"{UNIT}\"`": (0.2, 0.05), "`kg stale` (kept)": (5.0, 1.0),
    f"`kg stale --unit \"{UNIT}\"` (kept)": (0.2, 0.05), "`kg lineage PLAN --up`": (0.2, 0.05),
    "`kg lineage DIRECTIVE --down`": (0.2, 0.05), "`kg lineage PLAN --down`": (0.2, 0.05),
    f"`kg cited-by {CITED}`": (0.2, 0.05), "`kg cited-by PLAN`": (0.2, 0.05),
    f"`kg show {CITED}`": (0.2, 0.05), "`kg show DIRECTIVE`": (0.2, 0.05), "`kg check` (20-page draft)": (1.0, 1.0),
}


def _session(backend: str, source: Path, params: dict[str, str], draft: Path, runs: int,
             timeout: float) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    args = [sys.executable, "-m", "bench.queries", "--session", backend, str(source), json.dumps(params), str(draft),
            str(runs), str(timeout)]
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    lines = [json.loads(x) for x in out.stdout.splitlines() if x.startswith("{")]
    if out.returncode or not lines:
        raise RuntimeError(f"{backend} session failed ({out.returncode}): {out.stderr[-2000:]}")
    return lines[0], lines[1:]


def _oxigraph_load(nquads: Path, work: Path) -> tuple[float, float, float]:
    """Bulk load of the same N-Quads into a fresh on-disk store (queryable from then on), the same
    followed by optimize (as `kg ingest` does, for ~5× faster queries), and into Oxigraph's
    in-memory store (like for like with rdflib's): seconds of each."""
    import shutil

    import pyoxigraph as ox

    where = work / "load-check"
    shutil.rmtree(where, ignore_errors=True)
    t0 = time.perf_counter()
    s = ox.Store(str(where))
    s.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    s.flush()
    loaded = time.perf_counter() - t0
    s.optimize()
    s.flush()
    seconds = time.perf_counter() - t0
    del s
    shutil.rmtree(where, ignore_errors=True)
    t0 = time.perf_counter()
    m = ox.Store()
    m.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    in_memory = time.perf_counter() - t0
    del m
    return loaded, seconds, in_memory


def measure(n: int, work: Path, runs: int, timeout: float, with_rdflib: bool,
            rebuild: bool = False) -> dict[str, Any]:
    from kg.store import open_store

    store_dir = prepare(n, work, rebuild)
    store = open_store(str(store_dir), read_only=True)
    params = choose(store)
    docs = int(store.select(K + "SELECT (COUNT(?s) AS ?n) WHERE { ?s a kg:SourceDocument }")[0]["n"])
    nquads = work / f"dump-{n}.nq"
    if with_rdflib:
        with nquads.open("w", encoding="utf-8") as f:
            for chunk in store.dump_nquads():
                f.write(chunk)
    store.close()
    draft = work / "draft-20-pages.txt"
    draft_bytes, _ = write_draft(draft)
    _, ox_cases = _session("oxigraph", store_dir, params, draft, runs, timeout)
    out: dict[str, Any] = {"docs": docs, "commit": git_commit(), "date": date.today().isoformat(), "params": params,
                           "draft_bytes": draft_bytes, "store": store_record(store_dir), "timeout": timeout,
                           "oxigraph": ox_cases}
    if with_rdflib:
        out["oxigraph_bulk_s"], out["oxigraph_load_s"], out["oxigraph_memory_s"] = _oxigraph_load(nquads, work)
        head, rdf_cases = _session("rdflib", nquads, params, draft, runs, timeout)
        out.update(rdflib_load_s=head["load_s"], quads=head["quads"], rdflib=rdf_cases)
        nquads.unlink()
    return out


def _median(case: dict[str, Any] | None) -> float | None:
    return statistics.median(case["times"]) if case and case.get("times") else None


def _fmt(case: dict[str, Any] | None, cpu: bool = False) -> str:
    if case is None:
        return "–"
    if "timeout" in case:
        return f"> {case['timeout']:.0f} s"
    if "error" in case:
        return "error"
    s = _median(case)
    assert s is not None
    text = _secs(s)
    if cpu and case.get("cpu") and statistics.median(case["cpu"]) < 0.8 * s:  # waited for the CPU
        text += f" ({_secs(statistics.median(case['cpu']))} CPU)"
    return text


def _secs(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.1f} s" if s < 100 else f"{s:.0f} s"


def _measured_at(n: str, result: dict[str, Any]) -> str:
    """The commit(s) a size's figures were measured at: each case's own when every case says it
    (the cases of a commit other than most of them named), else the size's and an earlier one."""
    cases = result["oxigraph"] + result.get("rdflib", [])
    commits = Counter(c.get("commit") for c in cases)
    if None in commits or len(commits) < 2:
        return f"{int(n):,} at {result['commit']}" + (
            f" (the cases not measured again at {result['earlier']})" if result.get("earlier") else "")
    most = commits.most_common(1)[0][0]
    others = "; ".join(
        ", ".join(dict.fromkeys(c["label"] for c in cases if c.get("commit") == commit)) + f" at {commit}"
        for commit in commits if commit != most)
    return f"{int(n):,} at {most} ({others})"


def render(results: dict[str, Any]) -> str:
    sizes = sorted(results, key=int)
    first = results[sizes[0]]
    # every case measured at any size, in the order of `cases` (one added later has no figure at the
    # sizes measured before it: a dash there)
    from collections import defaultdict

    order = [label for _, label, _ in cases(defaultdict(str), Path("draft.txt"))]
    groups = {c["label"]: c["group"] for n in sizes for c in results[n]["oxigraph"]}
    labels = sorted(groups, key=lambda label: order.index(label) if label in order else len(order))
    by = {n: {c["label"]: c for c in results[n]["oxigraph"]} for n in sizes}
    head = "| | " + " | ".join(f"{results[n]['docs']:,} docs" for n in sizes) + " | rows | bar at 100k (aim) |"
    lines = [head, "|---" * (len(sizes) + 3) + "|"]
    for label in labels:
        cells = [_fmt(by[n].get(label), cpu=True) for n in sizes]
        if by[sizes[-1]].get(label, {}).get("times"):
            cells[-1] = f"**{cells[-1]}**"
        rows = "/".join(str(by[n].get(label, {}).get("rows", "?")) for n in sizes)
        bar = BARS.get(label)
        bar_text = f"{bar[0] * 1000:.0f} ms ({bar[1] * 1000:.0f} ms)" if bar and bar[0] < 1 else \
            f"{bar[0]:.0f} s ({bar[1]:.0f} s)" if bar else ""
        kind = "command" if groups[label] == "command" else "query"
        lines.append(f"| {kind}: {label} | " + " | ".join(cells) + f" | {rows} | {bar_text} |")
    side = [n for n in sizes if "rdflib" in results[n]]
    rd = ""
    if side:
        hdr = "| | " + " | ".join(f"Oxigraph {results[n]['docs']:,} | rdflib {results[n]['docs']:,} | ratio"
                                    for n in side) + " |"
        rl = [hdr, "|---" * (3 * len(side) + 1) + "|"]

        def ratio(a: float | None, b: dict[str, Any] | None) -> str:
            if a is None or b is None:
                return "–"
            if "timeout" in b:
                return f"> {b['timeout'] / a:,.0f}×"
            m = _median(b)
            return f"{m / a:,.0f}×" if m is not None and m / a >= 10 else f"{m / a:.1f}×" if m is not None else "–"
        quads = ", ".join(f"{results[n]['quads']:,}" for n in side)
        for key, what in (("oxigraph_bulk_s", "load the N-Quads ({quads} quads): Oxigraph's bulk load"),
                          ("oxigraph_load_s", "load the N-Quads ({quads} quads): bulk load, then `optimize()` "
                                              "as `kg ingest` does"),
                          ("oxigraph_memory_s", "load the N-Quads ({quads} quads) into memory: Oxigraph's in-memory "
                                                "store (`pyoxigraph.Store()`), like for like")):
            if not any(key in results[n] for n in side):
                continue
            cells = []
            for n in side:
                r = results[n]
                cells += ([f"{r[key]:.1f} s", f"{r['rdflib_load_s']:.1f} s", f"**{r['rdflib_load_s'] / r[key]:.1f}×**"]
                          if key in r else ["–", f"{r['rdflib_load_s']:.1f} s", "–"])
            rl.append(f"| {what.format(quads=quads)} | " + " | ".join(cells) + " |")
        for label in labels:
            if label.endswith("(kept)"):  # rdflib keeps nothing beside a store: no pair to compare
                continue
            cells = []
            for n in side:
                o = {c["label"]: c for c in results[n]["oxigraph"]}.get(label)
                b = {c["label"]: c for c in results[n]["rdflib"]}.get(label)
                same = "" if not (o and b and "rows" in o and "rows" in b) or o["rows"] == b["rows"] else \
                    f" (rows {b['rows']} ≠ {o['rows']})"
                cells += [_fmt(o), _fmt(b) + same, f"**{ratio(_median(o), b)}**"]
            rl.append(f"| {label} | " + " | ".join(cells) + " |")
        rd = "\n".join(rl)
    commits = sorted({(results[n]["commit"], results[n]["date"]) for n in sizes})
    per_size = ", ".join(_measured_at(n, results[n]) for n in sizes)

    def built(n: str) -> str:
        rec = results[n].get("store") or {}
        if not rec.get("ingest_s"):
            return f"{int(n):,}: {rec.get('bytes', 0) / 1e6:,.0f} MB"
        return (f"{int(n):,}: {rec['bytes'] / 1e6:,.0f} MB, ingested in {rec['ingest_s'] / 60:.1f} min "
                f"at {rec.get('commit', '?')}")
    stores = "; ".join(built(n) for n in sizes)
    md = f"""## Query latency

- Machine: {machine()}
- Versions: {versions("vn-plan-kg", "pyoxigraph", "rdflib")}; commit {', '.join(f'{c} ({d})' for c, d in commits)}
  (sizes measured at different times keep their own commit: {per_size})
- Stores (on disk, without the readers' snapshot; ingest with `--jobs 2` and the registry import, on
  a machine shared with other work): {stores}. A store is measured with the code of the row's
  commit but keeps the graph layout of the commit it was ingested at; after a change to ingest or to
  the layout, `python -m bench.queries --sizes … --store-dir DIR --rebuild` ingests it again.
- Corpora: generated plans (`bench/corpus.py`, seed 1) ingested with `--jobs 2` into the embedded
  store on disk, the corpus's synthetic registry facts imported (`kg registry import`); each case
  runs in a fresh child process (the store opened before the clock starts) and is killed after
  {max(results[n].get("timeout", 120) for n in sizes):.0f} s.
  Median of up to 5 runs (fewer once a case's runs pass {BUDGET_S:.0f} s together); where the
  machine was busy with other work (the median CPU time under 80% of the wall time), the CPU time of
  the measuring process follows in parentheses.
- Parameters (read from each store, not timed): DIRECTIVE is the central instrument the most plans
  carry out (its whole cascade below it), PLAN a province plan that departments and districts carry
  out (`lineage --up` starts from one of those; `lineage PLAN --down` and `cited-by PLAN` are what a
  province's staff ask of their own plan, DIRECTIVE and {CITED} the heaviest cases there are), {CITED} a
  real instrument among the most cited (in the shipped registry: its term ended in 2020);
  `--unit "{UNIT}"` a department every province has. A command's figure is its library call with
  the REF resolved as typed (`kg.refs.resolve_one`), without the process start. `kg check` reads,
  extracts and checks a generated 20-page draft ({first['draft_bytes'] / 1000:.0f} kB, dated 2025, citing
  ~80 instruments, the registry's superseded ones among them).
- `python -m bench.queries --sizes … --store-dir DIR` reuses prepared stores; results are kept per size
  in `bench/results/queries.json`, so one size can be measured again alone.

| Oxigraph (embedded, on disk) | {' | '.join(f"{results[n]['docs']:,}" for n in sizes)} | rows | bar at 100k (aim) |
|---|{'---|' * len(sizes)}---|---|
""" + "\n".join(lines[2:]) + f"""

### Side by side with rdflib's in-memory store

The same N-Quads (`kg export --format nquads` of the store above) loaded into `rdflib.Dataset(default_union=True)`
and into a fresh on-disk Oxigraph store (`bulk_load`, then `optimize`), the store `kg` uses; the load
also into Oxigraph's in-memory store, the like of rdflib's (not used by `kg`); the same queries and the same
library calls (`bench.queries.RdflibStore` gives rdflib kg's `select`), in one run. The ratio is
rdflib's time over Oxigraph's: above 1 Oxigraph is faster.

{rd}
{NOTES}"""
    return md


def run(sizes: list[int] | None = None, store_dir: Path | None = None, rdflib_sizes: list[int] | None = None,
        runs: int = 5, timeout: float = 120.0, rebuild: bool | None = None) -> str:
    from bench.common import env_sizes, env_store_dir

    sizes = sizes or env_sizes([1000, 10000])
    store_dir = store_dir or env_store_dir()
    rebuild = os.environ.get("KG_BENCH_REBUILD") == "1" if rebuild is None else rebuild
    rdflib_sizes = [1000, 10000] if rdflib_sizes is None else rdflib_sizes
    results = load_results(RESULTS)
    with tempfile.TemporaryDirectory(prefix="kg-bench-queries-") as tmp:
        work = store_dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            measured = measure(n, work, runs, timeout, n in rdflib_sizes, rebuild)
            # read again: another size may have been measured meanwhile by another run
            results = load_results(RESULTS)
            for backend in ("oxigraph", "rdflib"):  # each case says the commit it was measured at
                for case in measured.get(backend, []):
                    case["commit"] = measured["commit"]
            if os.environ.get("KG_BENCH_CASES") and str(n) in results:  # some cases again: keep the others
                again = {c["label"] for c in measured["oxigraph"]}
                before = results[str(n)]
                for backend in ("oxigraph", "rdflib"):
                    if backend in measured and backend in before:
                        kept = [c for c in before[backend] if c["label"] not in again]
                        for case in kept:  # a record without commits per case and no earlier run: its own
                            if "commit" not in case and not before.get("earlier"):
                                case["commit"] = before["commit"]
                        measured[backend] = kept + measured[backend]
                    elif backend in before:
                        measured[backend] = before[backend]
                untagged = any("commit" not in c for b in ("oxigraph", "rdflib") for c in measured.get(b, []))
                if untagged:  # cases of an older record, measured at its commit or an earlier one
                    measured["earlier"] = before.get("earlier") or before["commit"]
                for key, value in before.items():  # what this run did not measure (the loads …)
                    if key != "earlier":
                        measured.setdefault(key, value)
            results[str(n)] = measured
            save_results(RESULTS, results)
    md = render(results)
    write_section("queries", md)
    return md


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--session":
        backend, source, params, draft, runs, timeout = sys.argv[2:8]
        session(backend, Path(source), json.loads(params), Path(draft), int(runs), float(timeout))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--store-dir", type=Path, help="keep and reuse corpora and stores here (DIR/store-N)")
    ap.add_argument("--rdflib-sizes", type=int, nargs="*", default=[1000, 10000],
                    help="sizes also measured on rdflib (default 1000 10000; none: --rdflib-sizes)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before a case is killed")
    ap.add_argument("--rebuild", action="store_true",
                    help="ingest the stores again (same corpora): after a change to ingest or the graph's layout")
    ap.add_argument("--render", action="store_true", help="only rewrite the section from bench/results/queries.json")
    a = ap.parse_args()
    if a.render:
        md = render(load_results(RESULTS))
        write_section("queries", md)
        print(md)
        return
    print(run(a.sizes, a.store_dir, a.rdflib_sizes, a.runs, a.timeout, a.rebuild))


if __name__ == "__main__":
    main()
