"""An instrument's card: status with its source, canonical metadata and where each value comes
from, what it implements, what implements and cites it, and the ways documents wrote it."""

from __future__ import annotations

from collections import Counter

from kg import registry
from kg.cascade import lineage_rows
from kg.i18n import t
from kg.refs import Candidate
from kg.store import Store, bind

_RECORD = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT ?p ?v WHERE {
  VALUES ?p { kg:canonicalDate kg:dateBasis kg:canonicalIssuerName kg:issuerBasis kg:canonicalTitle kg:titleBasis }
  ?i ?p ?v
}
"""
_UP = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT DISTINCT ?o ?symbol ?path WHERE { ?i kg:implements ?o .
  OPTIONAL { ?o kg:symbol ?symbol } OPTIONAL { ?s kg:describes ?o OPTIONAL { ?s kg:sourcePath ?path } } }
"""
# counted in the store, over the first SURFACES_COUNTED mentions: an instrument much cited has tens of
# thousands (21,862 for a directive at 100k plans: 385 ms to read each one's surface, 17 ms to count them);
# ?i is bound in the subquery (@FIRST@, bound apart): bound outside, the subquery would take any mentions
_FIRST_MENTIONS = "SELECT ?m WHERE { ?m <https://kg.vn-plans.org/ns#mentionOf> ?i } LIMIT @N@"
_SURFACES = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT ?surface (COUNT(?m) AS ?n) WHERE { { @FIRST@ } ?m kg:surface ?surface } GROUP BY ?surface
"""
_MENTIONS = "PREFIX kg: <https://kg.vn-plans.org/ns#>\nSELECT (COUNT(*) AS ?n) WHERE { ?m kg:mentionOf ?i }"
SURFACES_COUNTED = 2000  # mentions whose wording the card counts; the total is counted too
_CITERS = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?doc kg:cites ?i } }  # one per citing file, as cited-by lists them
"""
# a few of the citing documents (the first in the store's order: no sort over every citer)
_SOME_CITERS = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT ?doc ?path ?symbol WHERE {
  GRAPH ?g { ?doc kg:cites ?i . ?src kg:describes ?doc ; kg:sourcePath ?path OPTIONAL { ?doc kg:symbol ?symbol } }
} LIMIT @N@
"""
CITERS_SHOWN = 20  # citing documents named on the card; `kg cited-by` lists them all


def card(store: Store, inst: Candidate, down: list[dict[str, str]] | None = None,
         cited_by: list[dict[str, str]] | None = None) -> dict:
    """Everything the card shows, as plain data (the `show` command renders it; ``--format json``
    prints it). `down` and `cited_by`: the rows of `lineage-down` and `cited-by` for `inst` when the
    caller has read them already (the web app's instrument page shows them in full)."""
    record = {r["p"].rsplit("#", 1)[-1]: r["v"] for r in store.select(_RECORD, {"i": f"<{inst.iri}>"})}
    facts = registry.list_facts(store, subject=inst.iri)
    me = {"i": f"<{inst.iri}>"}
    up = store.select(_UP, me)
    if down is None:
        down = lineage_rows(store, inst.iri, "down", max_depth=1)  # what carries it out directly
    if cited_by is None:
        count = int(store.select(_CITERS, me)[0].get("n", 0))
        cited_by = sorted(store.select(_SOME_CITERS.replace("@N@", str(CITERS_SHOWN)), me),
                          key=lambda r: r["path"]) if count else []
    else:
        count = len(cited_by)
    written: Counter[str] = Counter()
    first = bind(_FIRST_MENTIONS.replace("@N@", str(SURFACES_COUNTED)), me)
    for r in store.select(_SURFACES.replace("@FIRST@", first)):
        written[" ".join(r["surface"].split())] += int(r["n"])
    mentions = int(store.select(_MENTIONS, me)[0].get("n", 0))
    return {
        "iri": inst.iri, "label": inst.label, "symbol": inst.symbol, "kind": inst.kind,
        "status": [{"relation": f["relation"], "object": f.get("objectSymbol") or f.get("objectName", ""),
                    "effective": f.get("effective", ""), "confidence": f["confidence"], "source": f["source"],
                    "origin": registry.origin(f["g"])} for f in facts],
        "date": record.get("canonicalDate", ""), "date_basis": record.get("dateBasis", ""),
        "issuer": record.get("canonicalIssuerName", ""), "issuer_basis": record.get("issuerBasis", ""),
        "title": record.get("canonicalTitle", ""), "title_basis": record.get("titleBasis", ""),
        "implements": sorted(r.get("symbol") or r.get("path", r["o"]) for r in up),
        "implemented_by": sorted({r.get("symbol") or r.get("path", r["node"]).rsplit("/", 1)[-1]
                                  for r in down if r["depth"] == "1"}),
        "cited_by_count": count,  # "cited_by" names CITERS_SHOWN of them unless the caller gave every row
        "cited_by": [r.get("symbol") or r["path"].rsplit("/", 1)[-1] for r in cited_by],
        "written_as": [{"surface": s, "count": n} for s, n in sorted(written.items(), key=lambda kv: (-kv[1], kv[0]))],
        "written_as_counted": sum(written.values()),  # of "mentions": fewer when it is mentioned very often
        "mentions": mentions,
    }


def _citers(c: dict, lang: str) -> str:
    """"(3) a, b, c", or for many "(27,729) a, b, … and 27,709 more (kg cited-by)"."""
    names = ", ".join(c["cited_by"])
    more = c["cited_by_count"] - len(c["cited_by"])
    tail = f", … {t('and_more', lang).format(n=f'{more:,}')}" if more > 0 else ""
    return f"({c['cited_by_count']:,}) {names}{tail}"


def _sampled(c: dict, lang: str) -> list[str]:
    """The line saying the wordings were counted over part of the mentions, when they were."""
    counted, total = c.get("written_as_counted", 0), c.get("mentions", 0)
    return [t("written_as_sample", lang).format(counted=f"{counted:,}", total=f"{total:,}")] if counted < total else []


def render_card(c: dict, lang: str) -> list[str]:
    def basis(key: str) -> str:
        return f" ({t('canonical_from', lang)} {t('basis_' + c[key], lang)})" if c.get(key) else ""

    none = t("none", lang)
    status = [f"{t(s['relation'], lang)}" + (f" → {s['object']}" if s["object"] else "")
              + (f", {t('effective', lang).lower()} {s['effective']}" if s["effective"] else "")
              + f" [{t('confidence', lang)} {t('confidence_' + s['confidence'], lang)}; {s['source']}]"
              for s in c["status"]] or [t("no_status", lang)]
    rows = [
        ("status", status),
        ("date", [(c["date"] or t("unknown", lang)) + basis("date_basis")]),
        ("issuer", [(c["issuer"] or t("unknown", lang)) + basis("issuer_basis")]),
        ("title", [(c["title"] or t("unknown", lang)) + basis("title_basis")]),
        ("implements", [", ".join(c["implements"]) or none]),
        ("implemented_by", [", ".join(c["implemented_by"]) or none]),
        ("cited_by", [_citers(c, lang) if c["cited_by"] else none]),
        ("written_as", [f"{w['count']}× {w['surface']}" for w in c["written_as"]] + _sampled(c, lang) or [none]),
    ]
    w = max(len(t(k, lang)) for k, _ in rows) + 2
    lines = [c["label"], f"  {'IRI':<{w}}{c['iri']}"]
    for key, values in rows:
        for i, value in enumerate(values):
            lines.append(f"  {(t(key, lang) if i == 0 else ''):<{w}}{value}")
    return lines
