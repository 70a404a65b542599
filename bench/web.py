"""Web page latency: the main pages of `kg serve` on the stores `bench.queries` prepares (1k, 10k,
100k documents), each page requested over HTTP (urllib) from a real `kg serve` process.

    python -m bench.web --sizes 1000 10000 100000 --store-dir /work/bench-data/q
    python -m bench.web --render        # only rewrite the section from bench/results/web.json

For each size: the store is prepared (or reused) by `bench.queries.prepare`, `kg serve --store DIR
--port P` is started as a subprocess, and each page is requested once cold (the first request of the
server for that page, with `--warm 0`: what the first user after a start or an ingest waits when
the server does not compute those pages ahead, as it does by default) and then `--runs` times
warm; the figure is the median of the warm requests, the cold one is shown beside it. Results are
kept per size in `bench/results/web.json`, with the commit measured.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import ROOT, git_commit, load_results, machine, save_results, versions, write_section

RESULTS = ROOT / "bench" / "results" / "web.json"
UNIT = "Sở Ngoại vụ"
CITED = "30c/NQ-CP"
BAR = 1.0  # seconds: a page slower than this at 100k is profiled and fixed (issue 7)
BUDGET_S = 30.0  # stop repeating a page once its warm requests took this long together
K = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"
SPARQL = K + """SELECT ?doc ?path WHERE {
  ?doc kg:cites ?old . ?src kg:describes ?doc ; kg:sourcePath ?path .
} LIMIT 1000"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _params(store_dir: Path) -> dict[str, str]:
    """The IRIs the pages are asked about (not timed): 30c/NQ-CP and the instrument the most
    documents cite."""
    from kg.refs import resolve_one
    from kg.store import open_store

    store = open_store(str(store_dir), read_only=True)
    try:
        cited = resolve_one(store, CITED).iri
        top = store.select(K + "SELECT ?o (COUNT(?d) AS ?n) WHERE { ?d kg:cites ?o } GROUP BY ?o "
                               "ORDER BY DESC(?n) ?o LIMIT 1")[0]
        sym = store.select(K + "SELECT ?s WHERE { ?i kg:symbol ?s } LIMIT 1", {"i": f"<{top['o']}>"})
    finally:
        store.close()
    return {"cited": cited, "top": top["o"], "top_symbol": sym[0]["s"] if sym else top["o"],
            "top_citers": top["n"]}


def _multipart(path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"draft\"; filename=\"{path.name}\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def pages(p: dict[str, str], draft: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, path, request options) for each page measured."""
    q = urllib.parse.urlencode
    body, ctype = _multipart(draft)
    return [
        ("home", "/", {}),
        ("search \"30c\" (answers 303)", "/search?" + q({"q": "30c"}), {"redirect": False}),
        (f"instrument {CITED} (the redirect's target)", "/instrument?" + q({"iri": p["cited"]}), {}),
        ("instrument: the most cited one (see above)", "/instrument?" + q({"iri": p["top"]}), {}),
        (f"unit \"{UNIT}\"", "/unit?" + q({"name": UNIT}), {}),
        (f"stale report, unit \"{UNIT}\"", "/stale?" + q({"unit": UNIT}), {}),
        ("stale report, unfiltered (first page)", "/stale", {}),
        ("stale report CSV (every row)", "/stale?format=csv", {}),
        ("map page", "/map", {}),
        ("map (the drawing itself, /map/view)", "/map/view", {}),
        ("check a 20-page draft (upload)", "/check", {"data": body, "ctype": ctype}),
        ("/sparql SELECT (JSON, 1,000 rows)", "/sparql?" + q({"query": SPARQL}),
         {"accept": "application/sparql-results+json"}),
    ]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _get(base: str, path: str, opts: dict[str, Any], timeout: float) -> tuple[float, int, int]:
    """(seconds, status, bytes) of one request, the body read completely."""
    headers = {"Accept": opts.get("accept", "text/html")}
    if "ctype" in opts:
        headers["Content-Type"] = opts["ctype"]
    req = urllib.request.Request(base + path, data=opts.get("data"), headers=headers,
                                 method="POST" if "data" in opts else "GET")
    opener = urllib.request.build_opener(_NoRedirect) if opts.get("redirect") is False else \
        urllib.request.build_opener()
    t0 = time.perf_counter()
    try:
        with opener.open(req, timeout=timeout) as resp:
            data = resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:  # the 303 of a search, or a real error
        data = e.read()
        status = e.code
    return time.perf_counter() - t0, status, len(data)


def _serve(store_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    kg = Path(sys.executable).parent / "kg"
    # --warm 0: the cold figure is what a first visitor waits for when nothing was computed ahead
    # (by default `kg serve` computes those pages in the background after each store change)
    cmd = [str(kg), "serve", "--store", str(store_dir), "--port", str(port), "--warm", "0"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kg serve exited ({proc.returncode}): {log.read_text('utf-8', 'replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    _stop(proc)
    raise RuntimeError("kg serve did not start listening within 120 s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def measure(n: int, work: Path, runs: int, timeout: float) -> dict[str, Any]:
    from bench.queries import prepare, store_record, write_draft

    store_dir = prepare(n, work)
    params = _params(store_dir)
    draft = work / "draft-20-pages.txt"
    write_draft(draft)
    port = _free_port()
    log = work / f"serve-{n}.log"
    started = time.perf_counter()
    proc = _serve(store_dir, port, log)
    listening = time.perf_counter() - started
    base = f"http://127.0.0.1:{port}"
    out: list[dict[str, Any]] = []
    try:
        for label, path, opts in pages(params, draft):
            case: dict[str, Any] = {"label": label, "path": path[:200]}
            try:
                cold, status, size = _get(base, path, opts, timeout)
                case.update(cold=cold, status=status, bytes=size)
                times: list[float] = []
                while len(times) < runs and sum(times) < BUDGET_S:
                    seconds, status, size = _get(base, path, opts, timeout)
                    times.append(seconds)
                case.update(times=times, status=status, bytes=size)
            except (OSError, TimeoutError) as e:  # a timeout, a refused connection
                case["error"] = f"{type(e).__name__}: {e}"[:300]
            print(json.dumps(case, ensure_ascii=False)[:300], file=sys.stderr, flush=True)
            out.append(case)
    finally:
        _stop(proc)
    return {"docs": n, "commit": git_commit(), "date": date.today().isoformat(), "params": params,
            "start_s": listening, "store": store_record(store_dir), "pages": out}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def _cell(case: dict[str, Any] | None, bold: bool = False) -> str:
    if case is None:
        return "–"
    if "error" in case:
        return "error"
    warm = _ms(statistics.median(case["times"])) if case.get("times") else "–"
    warm = f"**{warm}**" if bold else warm
    status = "" if case.get("status") in (200, 303) else f" (HTTP {case.get('status')})"
    return f"{warm} ({_ms(case['cold'])} cold){status}"


def render(results: dict[str, Any], notes: str = "") -> str:
    sizes = sorted(results, key=int)
    last = results[sizes[-1]]
    labels = [c["label"] for c in last["pages"]]
    by = {n: {c["label"]: c for c in results[n]["pages"]} for n in sizes}

    def key(label: str) -> str:  # the most-cited instrument differs by size
        return "instrument: the most cited one (see above)" if "most cited" in label else label

    keyed = {n: {key(lb): c for lb, c in by[n].items()} for n in sizes}
    labels = [key(label) for label in labels]
    rows = []
    for label in labels:
        cells = [_cell(keyed[n].get(key(label)), bold=n == sizes[-1]) for n in sizes]
        big = keyed[sizes[-1]].get(key(label), {})
        slow = big.get("times") and statistics.median(big["times"]) > BAR and int(sizes[-1]) >= 100000
        kb = f"{big.get('bytes', 0) / 1000:,.0f} kB" if big.get("bytes") else ""
        rows.append(f"| {label}{' ⚠' if slow else ''} | " + " | ".join(cells) + f" | {kb} |")
    commits = ", ".join(f"{int(n):,} at {results[n]['commit']} ({results[n]['date']})" for n in sizes)
    top = "; ".join(f"{int(n):,}: {results[n]['params']['top_symbol']} (cited by "
                    f"{int(results[n]['params']['top_citers']):,} documents)" for n in sizes)
    stores = ", ".join(f"{int(n):,}: {results[n]['store'].get('bytes', 0) / 1e6:,.0f} MB" for n in sizes)
    return f"""## Web page latency (`kg serve`)

- Machine: {machine()}
- Versions: {versions("vn-plan-kg", "pyoxigraph", "starlette", "uvicorn", "jinja2")}; measured: {commits}
- The stores of the query benchmark (`bench.queries.prepare`: generated plans, seed 1, the corpus's
  registry facts imported; on disk {stores}). `kg serve --store DIR --port P` runs as a subprocess;
  each page is requested with urllib from the same machine, its body read completely. A cell is
  the median of up to {max(len(c.get('times', [])) for c in last['pages'])} warm requests, with the
  server's first request for that page ("cold": results the app caches until the store changes, such
  as the home page's figures, are computed then). Bar: under {BAR:.0f} s at 100k documents (⚠ above it).
- The most cited instrument: {top}.
- The search for "30c" answers 303 to the instrument page (measured without following it; the
  target is the next row). The unit page and the unit filter of the stale report take the name as
  documents write it: "{UNIT}" is the same name in every province. The check uploads the generated
  20-page draft of the query benchmark. `python -m bench.web --sizes … --store-dir DIR` measures
  again (one size alone keeps the others' figures from `bench/results/web.json`).
{notes}

| page | {' | '.join(f"{results[n]['docs']:,} docs" for n in sizes)} | size at {int(sizes[-1]):,} |
|---|{'---|' * len(sizes)}---|
""" + "\n".join(rows) + "\n"


NOTES = """
- Pages are requested in the order of the table: the home page's first request computes the whole
  stale report (with provinces and kinds) and the corpus figures, which the app keeps until the store
  changes; the stale report (any filter, any page, the CSV) and the unit page read that kept report,
  so their "cold" figures are already warm for it.
- Changed because of these figures (CPU time at 10k documents, same pages, `tests/test_web_app.py`
  unchanged): the stale report's provinces were looked up with `kg:partOf*` from every place of the
  graph once the list of documents was long (156 s → 0.8 s, now two steps, documents → places →
  provinces); the stale report, its CSV and the unit page ran the full stale query on every request
  (now the kept report); the unit page's figures ran `unit-profile` over every document (now counted
  from the unit's documents: 0.96 → 0.25 s); the instrument page read `lineage-down` and `cited-by`
  twice (now once; the data of the last 32 instrument and unit pages and maps drawn are kept until
  the store changes); a search for a bare number scanned every symbol triple (now an index of symbols
  by number, kept per store version: 0.31 → 0.03 s, its first request builds it).
"""


def run(sizes: list[int] | None = None, store_dir: Path | None = None, runs: int = 5,
        timeout: float = 300.0) -> str:
    from bench.common import env_sizes, env_store_dir

    sizes = sizes or env_sizes([1000, 10000])
    store_dir = store_dir or env_store_dir()
    results = load_results(RESULTS)
    with tempfile.TemporaryDirectory(prefix="kg-bench-web-") as tmp:
        work = store_dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            measured = measure(n, work, runs, timeout)
            results = load_results(RESULTS)
            results[str(n)] = measured
            save_results(RESULTS, results)
    md = render(results, NOTES)
    write_section("web", md)
    return md


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--store-dir", type=Path, help="keep and reuse corpora and stores here (DIR/store-N)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds before a request is given up")
    ap.add_argument("--render", action="store_true", help="only rewrite the section from bench/results/web.json")
    a = ap.parse_args()
    if a.render:
        md = render(load_results(RESULTS), NOTES)
        write_section("web", md)
        print(md)
        return
    print(run(a.sizes, a.store_dir, a.runs, a.timeout))


if __name__ == "__main__":
    main()
