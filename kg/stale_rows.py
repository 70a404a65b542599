"""The rows of `queries/stale-citations.rq`, read in three plain streams and joined here.

The named query states what a stale citation is; it joins every citation of a superseded
instrument with its fact and its citing document's metadata in one SPARQL evaluation, which costs
~200 µs a row on Oxigraph (42 s for the 214,000 rows of a 100k-plan store). Here the same rows come
from three reads that each touch an index once per row they return:

1. the status facts (a few hundred: what ended which instrument, when, what replaced it);
2. the citations of those instruments (by IRI, and by symbol for references without a year);
3. the citing documents' own metadata (path, date, year, lower bound, unit) — for `unit`, only the
   documents whose unit matches, read first, so one unit's report reads only its documents.

Certainty is then judged per row exactly as the query's BINDs do. `tests/test_stale_rows.py` holds
this module to the named query: the same rows, on the example corpus and a generated one, with and
without `unit` and `asOf`.
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from kg import kept, queries
from kg.store import Store, value_blocks

_PREFIX = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"

# what each fact says (the named query's fact subquery, with its relation, confidence and source)
_FACTS = _PREFIX + """SELECT ?fact ?fg ?old ?relation ?confidence ?source ?oldSymbol
       ?effective ?new ?newSymbol ?newDate ?oldDate ?oldTitle WHERE {
  VALUES (?rel ?relation) { (kg:Replaced "replaced_by") (kg:Repealed "repealed_by") (kg:Expired "expired") }
  GRAPH ?fg { ?fact kg:relation ?rel ; kg:subject ?old ; kg:confidence ?confidence ; kg:source ?source .
              OPTIONAL { ?old kg:symbol ?oldSymbol } }
  FILTER(?confidence != "low")
  OPTIONAL { GRAPH ?fg { ?fact kg:effectiveDate ?effective } }
  OPTIONAL { GRAPH ?fg { ?fact kg:object ?object } OPTIONAL { GRAPH ?fg { ?object kg:symbol ?objectSymbol } }
             OPTIONAL { ?object kg:canonicalDate ?objectDate } }
  OPTIONAL { GRAPH ?sg { ?old kg:succeededBy ?successor }
             OPTIONAL { GRAPH ?sg { ?successor kg:symbol ?successorSymbol } }
             OPTIONAL { ?successor kg:canonicalDate ?successorDate } }
  BIND(COALESCE(?object, ?successor) AS ?new)
  BIND(COALESCE(?objectSymbol, ?successorSymbol) AS ?newSymbol)
  BIND(IF(BOUND(?object), ?objectDate, ?successorDate) AS ?newDate)
  OPTIONAL { ?old kg:canonicalDate ?oldDate }
  OPTIONAL { ?old kg:canonicalTitle ?oldTitle }
}"""
_FACT_VARS = ("fact", "fg", "old", "relation", "confidence", "source", "oldSymbol", "effective", "new",
              "newSymbol", "newDate", "oldDate", "oldTitle")

# the graphs citing one instrument, and the document citing it in each, as one string ("g|doc g|doc …":
# IRIs hold neither spaces nor "|"), which Oxigraph builds faster than it hands out rows
_CITING = _PREFIX + """SELECT (GROUP_CONCAT(CONCAT(STR(?g), "|", STR(?doc)); separator=" ") AS ?pairs)
WHERE { GRAPH ?g { ?doc kg:cites ?old } }"""
_CITES_IN = _PREFIX + "SELECT ?g ?doc ?cited WHERE { GRAPH ?g { ?doc kg:cites ?cited } }"
# a reference whose year nobody gave is matched to the dated instrument by its symbol: the
# instruments written with a fact's symbol (few), those of them without year or date, their citations
_WITH_SYMBOL = _PREFIX + "SELECT DISTINCT ?cited ?sym WHERE { GRAPH ?g { ?cited kg:symbol ?sym } }"
_UNDATED = _PREFIX + """SELECT ?cited WHERE {
  FILTER NOT EXISTS { ?cited kg:year ?anyYear } FILTER NOT EXISTS { ?cited kg:date ?anyDate }
}"""
_BY_SYMBOL = _PREFIX + "SELECT ?g ?doc ?cited ?sym WHERE { GRAPH ?g { ?cited kg:symbol ?sym . ?doc kg:cites ?cited } }"
_DOCS = _PREFIX + """SELECT ?g ?doc ?path ?docDate ?docYear ?notBefore ?unitName WHERE {
  GRAPH ?g { ?src kg:describes ?doc . ?src kg:sourcePath ?path }
  OPTIONAL { GRAPH ?g { ?doc kg:date ?docDate } }
  OPTIONAL { GRAPH ?g { ?doc kg:year ?docYear } }
  OPTIONAL { GRAPH ?g { ?doc kg:notBefore ?notBefore } }
  OPTIONAL { GRAPH ?g { ?doc kg:issuerName ?unitName } }
}"""  # each OPTIONAL in a GRAPH of its own: inside the one GRAPH, the unit's VALUES-bound blocks read every document
_DOC_VARS = ("path", "docDate", "docYear", "notBefore", "unitName")
# one unit's documents: a unit given, a document without an issuer name never matches, so the name
# is read (and filtered on) before the optional rest: first the distinct issuer names written anywhere
# (Oxigraph compares them without decoding each row: ~90 names from 1.7M readings at 100k plans in
# under a second), then the documents written with the matching ones (instead of every document's
# name: ~10 s at 100k)
_NAMES = _PREFIX + "SELECT DISTINCT ?unitName WHERE { GRAPH ?g { ?x kg:issuerName ?unitName } }"
_UNIT_NAMES = _PREFIX + """SELECT ?g ?doc ?unitName WHERE {
  GRAPH ?g { ?src kg:describes ?doc . ?doc kg:issuerName ?unitName }
}"""
COLUMNS = ("doc", "path", "unitName", "docDate", "docYear", "notBefore", "cited", "matchedBy", "old", "oldSymbol",
           "oldDate", "oldTitle", "relation", "new", "newSymbol", "newDate", "effective", "confidence", "source",
           "certainty")

CHUNK = 400  # instruments or graphs per VALUES block

Row = dict[str, str]


def stale_rows(store: Store, unit: str | None = None, as_of: str | None = None) -> list[Row]:
    """The distinct rows `queries.run(store, "stale-citations", {"unit": unit, "asOf": as_of})`
    returns, in no particular order (`kg.stale.stale_citations` sorts them). The parameters are
    checked as the named query checks them (QueryError: "'01/02/2024' is not an ISO date …").

    The citations of superseded instruments with their documents' metadata, before judging, are kept
    beside an embedded store until it changes (`kg.kept`), one part per unit name: the first full
    report after a change reads the store, later ones (any unit, any date) read the kept parts, a
    unit's report only the parts of the names it matches. One unit's report with nothing kept reads
    only that unit's documents in the store."""
    queries.bindings(queries.load("stale-citations"), {"unit": unit, "asOf": as_of})
    unit, as_of = unit or None, as_of or None  # empty: not given, as for the named query
    found = _kept(store, unit)
    if found is None:
        found = _gather(store, unit)
        if unit is None:
            kept.save(store, KEPT_AS, _by_unit(found))
    return _judged(found, unit, as_of)


KEPT_AS = "stale-citations"
_COMMON = "common"  # the kept part with the facts, the cited instruments and the unit names


def _by_unit(found: dict[str, list]) -> dict[str, Any]:  # type: ignore[type-arg]
    """The gathered result in parts to keep: the facts, the cited instruments and the unit names,
    then per unit name its documents (each with only its metadata rows of that name; a document with
    two issuer names is in both parts) and their citations."""
    units: dict[str, dict[str, list]] = {}  # type: ignore[type-arg]
    placed: list[list[tuple[str, int]]] = []  # per document: (unit name, its index in that part)
    for g, doc, metas in found["docs"]:
        by_name: dict[str, list[Row]] = defaultdict(list)
        for meta in metas:
            by_name[meta.get("unitName", "")].append(meta)
        here = []
        for name, rows in by_name.items():
            part = units.setdefault(name, {"docs": [], "citations": []})
            here.append((name, len(part["docs"])))
            part["docs"].append([g, doc, rows])
        placed.append(here)
    for d, c, symbol, f in found["citations"]:
        for name, local in placed[d]:
            units[name]["citations"].append([local, c, symbol, f])
    common = {"facts": found["facts"], "cited": found["cited"], "units": sorted(units)}
    return {_COMMON: common, **{"unit:" + name: part for name, part in units.items()}}


def _kept(store: Store, unit: str | None, generation: str | None = None) -> dict[str, list] | None:  # type: ignore[type-arg]
    """The kept result (of the unit names matching `unit` only, when given), joined back into the
    shape `_gather` returns; None when nothing complete is kept. Of the reader's generation, or of
    the one given."""
    common = kept.load(store, KEPT_AS, _COMMON, generation)
    if common is None:
        return None
    names = common["units"] if unit is None else [n for n in common["units"] if unit.lower() in n.lower()]
    found: dict[str, list] = {"facts": common["facts"], "cited": common["cited"], "docs": [], "citations": []}  # type: ignore[type-arg]
    for name in names:
        part = kept.load(store, KEPT_AS, "unit:" + name, generation)
        if part is None:
            return None
        offset = len(found["docs"])
        found["docs"] += part["docs"]
        found["citations"] += [[d + offset, c, symbol, f] for d, c, symbol, f in part["citations"]]
    return found


def _gather(store: Store, unit: str | None, graphs: list[str] | None = None) -> dict[str, list]:  # type: ignore[type-arg]
    """The status facts, the documents citing a superseded instrument (with their metadata rows)
    and those citations, as JSON-ready lists: {"facts": [fact…], "docs": [[graph, doc, [meta…]]…],
    "cited": [iri…], "citations": [[doc index, cited index, by symbol (0/1), fact index]…]}; of
    the documents of `unit`, or of `graphs`, when given.

    A whole gather holds every citation of a superseded instrument (1.7 M at a million plans) and
    its document's metadata at once: each (graph, document) pair is one tuple shared by all its
    citations and its metadata, the metadata's repeated values (dates, years, unit names) one string
    each, and only the documents that cite one are read into memory."""
    facts = _facts(store)
    by_iri: dict[str, list[int]] = defaultdict(list)  # cited instrument → its facts
    by_symbol: dict[str, list[int]] = defaultdict(list)  # the same, by the symbol the fact's graph gives
    for i, fact in enumerate(facts):
        by_iri[fact["old"]].append(i)
        if "oldSymbol" in fact:
            by_symbol[fact["oldSymbol"]].append(i)
    if not facts:
        return {"facts": [], "docs": [], "cited": [], "citations": []}
    pairs: dict[tuple[str, str], tuple[str, str]] = {}  # each (graph, document) once
    citations: list[tuple[tuple[str, str], str, int, int]] = []  # (graph, doc), cited, by symbol, fact
    if unit is None and graphs is None:
        for old, fs in by_iri.items():  # each superseded instrument's citing graphs, as one string
            for (joined,) in store.select_values(_CITING, {"old": f"<{old}>"}):
                for pair in (joined or "").split():
                    g, doc = pair.split("|", 1)
                    key = pairs.setdefault((g, doc), (g, doc))
                    citations.extend((key, old, 0, f) for f in fs)
        documents = None
    else:  # one unit, or some graphs: their documents first, then only their citations
        documents = _documents(store, unit, graphs)
        pairs = {key: key for key in documents}
        graphs = sorted({g for g, _ in documents})
        for block in value_blocks("g", graphs, CHUNK):
            for g, doc, cited in store.select_values(_CITES_IN, block):
                if fs := by_iri.get(cited):  # type: ignore[arg-type]
                    key = pairs.setdefault((g, doc), (g, doc))  # type: ignore[arg-type]
                    citations.extend((key, cited, 0, f) for f in fs)  # type: ignore[misc]
    if by_symbol:
        symbols = {sym: [facts[i] for i in fs] for sym, fs in by_symbol.items()}
        for g, doc, cited, sym in _by_symbol(store, symbols, graphs):
            fs = [f for f in by_symbol[sym] if facts[f]["old"] != cited]
            if fs:
                key = pairs.setdefault((g, doc), (g, doc))
                citations.extend((key, cited, 1, f) for f in fs)
    if documents is None:  # the whole store: the metadata of the citing documents only
        documents = _documents(store, None, keep=pairs)
    del pairs

    docs: dict[tuple[str, str], int] = {}
    cited_at: dict[str, int] = {}
    rows = []
    for key, cited, symbol, f in citations:
        if key not in documents:
            continue
        rows.append([docs.setdefault(key, len(docs)), cited_at.setdefault(cited, len(cited_at)), symbol, f])
    del citations
    return {"facts": facts, "docs": [[g, doc, documents[(g, doc)]] for g, doc in docs],
            "cited": list(cited_at), "citations": rows}


def keep_after_write(store: Store, written: Iterable[str] = (), removed: Iterable[str] = (),
                     empty_before: bool = False) -> None:
    """Keep for the readers what `stale_rows` gathers (`carried`) as this writer leaves the store, so
    that the first report after an ingest, a forget or a registry change reads no more than later
    ones: kept under a provisional name now (its memory freed at once) and made the result of the
    snapshot the writer makes as it closes. Only beside an embedded store that is written to, and
    only when the readers kept a result before (or the store had no documents)."""
    after_close = getattr(store, "after_close", None)
    if after_close is None:
        return
    # what an earlier write of this writer kept: (provisional name, writes then), or ("", -1) if it
    # could not keep anything, in which case no later write can carry it either (a whole read can)
    pending: tuple[str, int] | None = getattr(store, "_stale_kept", None)
    if pending is not None and not pending[0] and not empty_before:
        return
    before = pending[0] if pending else getattr(store, "base_generation", None)
    found = carried(store, before, written, removed, empty_before)
    store._stale_kept = ("", -1)  # type: ignore[attr-defined]
    if found is not None:
        parts, unchanged = found
        provisional = f"next-{os.getpid()}-{time.time_ns()}"
        kept.save(store, KEPT_AS, parts, provisional, drop_older=False,
                  same_as=(before, unchanged) if before and unchanged else None)
        del parts, found
        store._stale_kept = (provisional, store.writes)  # type: ignore[attr-defined]
    if pending:
        kept.discard(store, KEPT_AS, pending[0])
        return  # promoted by the first write's callback
    after_close(lambda generation: _promote(store, generation))


def _promote(store: Store, generation: str) -> None:
    """What the writer kept last, for the snapshot it made as it closed: unless it wrote after keeping
    it (then the next reader computes the report)."""
    kept.promote_unless_written(store, KEPT_AS, getattr(store, "_stale_kept", None), generation)


def _facts(store: Store) -> list[Row]:
    return [{k: v for k, v in zip(_FACT_VARS, values, strict=True) if v is not None}
            for values in store.select_values(_FACTS)]


def _fact_key(fact: Row) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(fact.items()))


def carried(store: Store, before: str | None, written: Iterable[str], removed: Iterable[str] = (),
            empty_before: bool = False) -> tuple[dict[str, Any], list[str]] | None:
    """What a reader of the data a writer leaves behind would keep (the parts of `_by_unit`), made by
    the writer so that no reader pays for the first report after a change, from what was kept for
    the data it found (generation `before`) and a read of only the graphs it wrote (`written`);
    graphs it replaced or dropped (`removed`) lose their old rows. Returns the parts to write and the
    keys of the parts unchanged since `before` (after new plans only, the parts of the units that
    wrote none). Read whole when the store was empty before (a first bulk load) or when the status
    facts changed (an ingested text stating a replacement); None when nothing was kept before (the
    next reader computes it, as before)."""
    if empty_before:
        return _by_unit(_gather(store, None)), []
    common = kept.load(store, KEPT_AS, _COMMON, before) if before else None
    if common is None:
        return None
    facts = common["facts"]  # the order the kept parts' fact indices refer to
    at = {_fact_key(f): i for i, f in enumerate(facts)}
    now = _facts(store)
    if len(at) != len(facts) or sorted(at) != sorted(map(_fact_key, now)):
        return _by_unit(_gather(store, None)), []
    written, removed = set(written), set(removed)
    if not written and not removed:  # nothing else changed: the same parts, linked
        return {}, [_COMMON] + ["unit:" + name for name in common["units"]]
    fresh = _gather(store, None, sorted(written))  # the graphs written, as they are now
    fresh_f = [at[_fact_key(f)] for f in fresh["facts"]]
    cited = list(common["cited"])
    cited_at = {c: i for i, c in enumerate(cited)}
    citations = []
    for d, c, symbol, f in fresh["citations"]:
        iri = fresh["cited"][c]
        if iri not in cited_at:
            cited_at[iri] = len(cited)
            cited.append(iri)
        citations.append([d, cited_at[iri], symbol, fresh_f[f]])
    if removed:  # rows to take out, in parts not known without reading them: all read and rewritten
        old = _kept(store, None, before)
        if old is None:
            return None
        gone = removed | written
        kept_docs = [i for i, (g, _, _) in enumerate(old["docs"]) if g not in gone]
        doc_at = {i: n for n, i in enumerate(kept_docs)}
        rows = [[doc_at[d], c, symbol, f] for d, c, symbol, f in old["citations"] if d in doc_at]
        rows += [[len(kept_docs) + d, c, symbol, f] for d, c, symbol, f in citations]
        docs = [old["docs"][i] for i in kept_docs] + fresh["docs"]
        return _by_unit({"facts": facts, "docs": docs, "cited": cited, "citations": rows}), []
    parts = _by_unit({"facts": facts, "docs": fresh["docs"], "cited": cited, "citations": citations})
    units = sorted(set(common["units"]) | set(parts[_COMMON]["units"]))
    for key, part in parts.items():
        if key == _COMMON:
            continue
        older = kept.load(store, KEPT_AS, key, before)
        if older is None and key[len("unit:"):] in common["units"]:
            return None  # a part lost since: the next reader computes the whole
        if older is not None:
            offset = len(older["docs"])
            part["docs"] = older["docs"] + part["docs"]
            part["citations"] = older["citations"] + [[d + offset, *rest] for d, *rest in part["citations"]]
    parts[_COMMON] = {"facts": facts, "cited": cited, "units": units}
    unchanged = ["unit:" + name for name in common["units"] if "unit:" + name not in parts]
    return parts, unchanged


def _judged(found: dict[str, list], unit: str | None, as_of: str | None) -> list[Row]:  # type: ignore[type-arg]
    """The distinct rows of the gathered citations whose document matches `unit`, judged as of
    `as_of` (or each document's own date), those judged not stale left out."""
    facts, docs, cited_iris = found["facts"], found["docs"], found["cited"]
    wanted = unit.lower() if unit is not None else None
    # the unit's documents, found once each instead of once per citation
    mine = None if wanted is None else [any(wanted in m.get("unitName", "").lower() for m in metas)
                                        for _, _, metas in docs]
    shown = [{k: v for k, v in fact.items() if k not in ("fact", "fg")} for fact in facts]  # once per fact
    out: dict[tuple[str | None, ...], Row] = {}
    for d, c, symbol, f in found["citations"]:
        if mine is not None and not mine[d]:
            continue
        _, doc, metas = docs[d]
        fact, cited, matched = facts[f], cited_iris[c], "symbol" if symbol else "iri"
        for meta in metas:
            # per row, as the query filters: a document with two issuer names is kept with the matching one
            if wanted is not None and wanted not in meta.get("unitName", "").lower():
                continue
            certainty = judge(fact.get("effective", ""), fact["relation"], as_of or meta.get("docDate", ""),
                              meta.get("docYear", ""), meta.get("notBefore", ""), matched)
            if certainty == "no":
                continue
            row = {"doc": doc, "cited": cited, "matchedBy": matched, "certainty": certainty, **meta, **shown[f]}
            out.setdefault(tuple(map(row.get, COLUMNS)), row)  # map: no Python frame per column
    return list(out.values())


def judge(effective: str, relation: str, when: str, year: str, not_before: str, matched: str) -> str:
    """Certainty of one citation, as the named query's BINDs tell it: "certain", "bound", "possible"
    or "no" (not stale: made before the change took effect).

    >>> judge("2021-01-01", "replaced_by", "2022-05-01", "2022", "", "iri")
    'certain'
    >>> judge("2021-01-01", "replaced_by", "", "2022", "", "iri")
    'bound'
    >>> judge("2021-06-01", "replaced_by", "", "2021", "", "iri")
    'possible'
    >>> judge("2020-12-31", "expired", "2020-12-31", "2020", "", "iri")
    'no'
    >>> judge("2021-01-01", "replaced_by", "2022-05-01", "2022", "", "symbol")
    'possible'
    """
    if relation == "expired":  # an end of term holds after its last day; a replacement from its first
        def after(x: str) -> bool: return x > effective
    else:
        def after(x: str) -> bool: return x >= effective
    year_start = f"{year}-01-01" if year else ""
    year_end = f"{year}-12-31" if year else "9999-12-31"
    lower = not_before if not_before and not_before > year_start else year_start
    if effective == "":
        by_date = "possible"
    elif when != "":
        by_date = "certain" if after(when) else "no"
    elif lower != "" and after(lower):
        by_date = "bound"
    else:
        by_date = "possible" if after(year_end) else "no"
    return "possible" if matched == "symbol" and by_date != "no" else by_date


def _documents(store: Store, unit: str | None, graphs: list[str] | None = None,
               keep: dict[tuple[str, str], tuple[str, str]] | None = None) -> dict[tuple[str, str], list[Row]]:
    """(graph, document) → its metadata rows (one per combination of values, as the query joins
    them), of every document, of those in `graphs`, or of those whose unit contains `unit`
    (case-insensitive: the names are read and compared here, then the rest read for the matching
    graphs only). With `keep`, only the documents it holds, keyed by its tuples. A value written
    in several rows (dates, years, unit names) is one string."""
    out: dict[tuple[str, str], list[Row]] = defaultdict(list)
    wanted = unit.lower() if unit is not None else None
    if wanted is not None and graphs is None:
        names = sorted(name for (name,) in store.select_values(_NAMES) if name and wanted in name.lower())
        graphs = sorted({g for block in value_blocks("unitName", names, CHUNK, literal=True)
                         for g, _, _ in store.select_values(_UNIT_NAMES, block)})
    rows: Iterator[tuple[str | None, ...]] = store.select_values(_DOCS) if graphs is None else (
        r for block in value_blocks("g", graphs, CHUNK) for r in store.select_values(_DOCS, block))
    for g, doc, path, *values in rows:
        assert g is not None and doc is not None
        key = (g, doc) if keep is None else keep.get((g, doc))
        if key is None:
            continue
        meta = {"path": path} if path is not None else {}
        for k, v in zip(_DOC_VARS[1:], values, strict=True):
            if v is not None:
                meta[k] = sys.intern(v)
        # per row, as the query filters: a document with two issuer names is kept with the matching one
        if wanted is None or wanted in meta.get("unitName", "").lower():
            out[key].append(meta)
    return out


def _by_symbol(store: Store, symbols: dict[str, list[Row]], graphs: list[str] | None) -> Iterator[tuple[str, ...]]:
    """(graph, doc, cited, symbol) for the citations of instruments without year or date written
    with a fact's symbol (in `graphs` only, when given)."""
    written = [(c, s) for block in value_blocks("sym", sorted(symbols), CHUNK, literal=True)
               for c, s in store.select_values(_WITH_SYMBOL, block)]
    candidates = sorted({c for c, s in written if any(f["old"] != c for f in symbols[s or ""])})  # type: ignore[misc]
    undated = [c for block in value_blocks("cited", candidates, CHUNK) for (c,) in store.select_values(_UNDATED, block)]
    keep = set(graphs) if graphs is not None else None
    for block in value_blocks("cited", sorted(undated), CHUNK):  # type: ignore[arg-type]
        for row in store.select_values(_BY_SYMBOL, block):
            if keep is None or row[0] in keep:
                yield row  # type: ignore[misc]
