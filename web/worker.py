"""The process that runs users' SPARQL for `/sparql`, so a runaway query can be stopped.

pyoxigraph cannot interrupt a query from another thread, and a thread cannot be killed: a query
joining everything with everything would hold the server's CPU until it ended. Each query runs
in one of a few worker processes instead (`web.sparql.WorkerPool`); at the time limit the parent
kills the worker and starts another. A worker opens the embedded store with
`pyoxigraph.Store.read_only` (see `web.storeview`) and reopens it when the store's fingerprint
changes; for a SPARQL server it forwards the query and parses the answer.

It imports only pyoxigraph and the standard library (and `web.results`), so a new worker is ready
in a fraction of a second.
"""

from __future__ import annotations

import traceback
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from web.results import GRAPH_TYPES, RESULT_TYPES, write_boolean, write_results


class TooBig(Exception):
    pass


def _graphs(ox: Any, iris: list[str]) -> list[Any]:
    return [ox.NamedNode(i) for i in iris]


def _remote(ox: Any, job: dict[str, Any]) -> Any:
    """Ask a SPARQL server; parse its answer into pyoxigraph results."""
    url = job["location"].rstrip("/")
    if not url.endswith(("/query", "/sparql")):
        url += "/query"
    params = [("query", job["query"])] + [("default-graph-uri", g) for g in job["default_graphs"]] + \
        [("named-graph-uri", g) for g in job["named_graphs"]]
    graph = job["form"] in ("CONSTRUCT", "DESCRIBE")
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    req = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    with urllib.request.urlopen(req, timeout=job["timeout"] + 5) as resp:
        body = resp.read()
    if graph:
        return (q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)


def answer(job: dict[str, Any], handles: dict[str, Any]) -> tuple:
    """("ok", media type, body) or ("error", HTTP status, message)."""
    import pyoxigraph as ox

    try:
        if job["remote"]:
            result = _remote(ox, job)
        else:
            cached = handles.get(job["location"])
            if cached is None or cached[0] != job["version"]:
                handles[job["location"]] = cached = (job["version"], ox.Store.read_only(job["location"]))
            kwargs: dict[str, Any] = {"use_default_graph_as_union": not job["default_graphs"]}
            if job["default_graphs"]:
                kwargs["default_graph"] = _graphs(ox, job["default_graphs"])
            if job["named_graphs"]:
                kwargs["named_graphs"] = _graphs(ox, job["named_graphs"])
            result = cached[1].query(job["query"], **kwargs)
        limit, fmt = job["max_rows"], job["format"]
        if isinstance(result, ox.QuerySolutions) or type(result).__name__ == "QuerySolutions":
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) >= limit:
                    raise TooBig(f"more than {limit:,} rows")
                rows.append([solution[v] for v in variables])
            return ("ok", RESULT_TYPES[fmt], write_results(variables, rows, fmt), len(rows))
        if isinstance(result, (ox.QueryBoolean, bool)):
            return ("ok", RESULT_TYPES[fmt], write_boolean(bool(result), fmt), 1)
        triples = []
        for triple in result:
            if len(triples) >= limit:
                raise TooBig(f"more than {limit:,} triples")
            triples.append(triple)
        media = GRAPH_TYPES[fmt]
        body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media)) or b""
        return ("ok", media, body, len(triples))
    except TooBig as e:
        return ("error", 413, f"the result has {e} (the server's limit); add LIMIT or narrow the query")
    except SyntaxError as e:
        return ("error", 400, f"malformed SPARQL: {' '.join(str(e).split())}")
    except urllib.error.HTTPError as e:
        return ("error", 502, f"the SPARQL server answered HTTP {e.code}: {e.read()[:300].decode('utf-8', 'replace')}")
    except OSError as e:
        handles.pop(job["location"], None)  # reopen next time
        return ("error", 500, f"the store could not be read ({e}); try again")
    except Exception as e:  # a bug must not kill the worker silently: the user gets the cause
        return ("error", 500, f"query failed: {e!r}\n{traceback.format_exc(limit=3)}")


def serve(conn: Any) -> None:
    """Answer jobs from `conn` until the parent closes it."""
    handles: dict[str, Any] = {}
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(job, handles))
