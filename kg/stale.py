"""Stale citations and graph statistics, over the named queries.

A citation is stale when the cited instrument was replaced, repealed or had expired *on the citing
document's date* (`queries/stale-citations.rq` says how the three certainty levels are told apart).
This module only shapes the query's rows for people: one row per citation, most certain first.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from kg.stale_rows import COLUMNS, stale_rows
from kg.store import Store

CERTAINTY = ("certain", "bound", "possible")
BLANKS = ("",) * len(COLUMNS)  # each column's default in the sort key


def stale_citations(store: Store, unit: str | None = None, as_of: str | None = None) -> list[dict[str, str]]:
    """One row per (document, cited instrument, relation), most certain first, then by document.

    Rows carry the query's variables plus ``document`` (symbol or file name), ``when`` (the date the
    finding was judged at: ``as_of``, the document's date, or its lower bound) and ``sources``.
    """
    rows = sorted(stale_rows(store, unit, as_of),  # the named query's rows, read in streams (kg.stale_rows)
                  key=lambda r: (r["path"], r.get("oldSymbol", ""), r["relation"], *map(r.get, COLUMNS, BLANKS)))
    merged: dict[tuple[str, str, str], dict[str, str]] = {}
    for row in rows:
        key = (row["doc"], row["old"], row["relation"])
        if key in merged:  # the same fact from the shipped registry and a user's import
            if row["source"] not in merged[key]["sources"].split(" | "):
                merged[key]["sources"] += " | " + row["source"]
            continue
        row["document"] = row.get("docSymbol") or row["path"].rsplit("/", 1)[-1]
        row["when"] = as_of or row.get("docDate") or row.get("notBefore") or row.get("docYear", "")
        row["sources"] = row["source"]
        merged[key] = row
    return sorted(merged.values(), key=lambda r: (CERTAINTY.index(r["certainty"]), r["path"],
                                                  r.get("oldSymbol", ""), r["relation"]))


_COUNTS = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT
  (COUNT(DISTINCT ?src) AS ?documents)
  (COUNT(DISTINCT ?unitName) AS ?units)
WHERE { ?src a kg:SourceDocument ; kg:describes ?doc . GRAPH ?g { ?src kg:describes ?doc .
        OPTIONAL { ?doc kg:issuerName ?unitName } } }
"""
_EDGES = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT (COUNT(DISTINCT ?i) AS ?instruments) (COUNT(DISTINCT ?c) AS ?cites) (COUNT(DISTINCT ?m) AS ?impl)
       (COUNT(DISTINCT ?mention) AS ?mentions) (COUNT(DISTINCT ?fact) AS ?facts) WHERE {
  { ?i a kg:Instrument } UNION { ?a kg:cites ?b BIND(CONCAT(STR(?a), " ", STR(?b)) AS ?c) }
  UNION { ?a kg:implements ?b BIND(CONCAT(STR(?a), " ", STR(?b)) AS ?m) }
  UNION { ?mention kg:mentionOf ?any } UNION { ?fact a kg:StatusFact }
}
"""


def stats(store: Store, stale: list[dict[str, str]] | None = None) -> dict[str, int]:
    """Documents, instruments, edges, mentions, units, status facts and stale citations (`stale`:
    the rows of `stale_citations(store)` when the caller has them already)."""
    counts = store.select(_COUNTS)[0]
    edges = store.select(_EDGES)[0]
    return {
        "documents": int(counts.get("documents", 0)),
        "instruments": int(edges.get("instruments", 0)),
        "cites": int(edges.get("cites", 0)),
        "implements": int(edges.get("impl", 0)),
        "mentions": int(edges.get("mentions", 0)),
        "units": int(counts.get("units", 0)),
        "facts": int(edges.get("facts", 0)),
        "stale": len(stale_citations(store) if stale is None else stale),
    }


TABLE = [("oldSymbol", "cited"), ("status", "status"), ("newSymbol", "replacement"), ("effective", "effective"),
         ("certaintyText", "certainty")]


def table_parts(rows: list[dict[str, str]], lang: str = "vi", width: int | None = None) -> Iterator[str]:
    """The report as a table: one block per citing document (unit — file or symbol (date; not before
    …)), then its stale citations, readable at 80-100 columns where one wide table would cut every
    name. In pieces, one block at a time, for `kg stale` to write as they come (the whole report at
    a million plans is 1.7 M rows, 373 MB of text)."""
    from kg.i18n import t
    from kg.tables import table_layout
    from kg.tables import width as terminal_width

    w = width or terminal_width()
    for r in rows:
        r["status"], r["certaintyText"] = t(r["relation"], lang), t(r["certainty"], lang)
    header, line = table_layout(rows, TABLE, lang, width=w - 2)  # one width for every block
    by_doc: dict[str, list[dict[str, str]]] = {}  # in the rows' order (grouped in one pass: 214k rows at 100k plans)
    for r in rows:
        by_doc.setdefault(r["doc"], []).append(r)
    for n, mine in enumerate(by_doc.values()):
        first = mine[0]
        when = first.get("docDate") or "; ".join(
            x for x in (first.get("docYear", ""),
                        f"{t('not_before', lang).lower()} {first['notBefore']}" if first.get("notBefore") else "") if x)
        head = f"{first.get('unitName') or t('unknown', lang)} — {first.get('docSymbol') or first['path']}"
        head += f" ({when})" if when else ""
        head = head if len(head) <= w else textwrap.fill(head, w, subsequent_indent="    ")
        body = "\n".join("  " + x for x in header + [line(r) for r in mine])
        yield ("\n\n" if n else "") + head + "\n" + body
    legend = [textwrap.fill(f"{t(c, lang)}: {t('legend_' + c, lang)}", w, subsequent_indent="    ")
              for c in CERTAINTY if any(r["certainty"] == c for r in rows)]
    yield "\n\n" + "\n".join(legend)
