"""What each page shows, as plain data, from the library functions behind the `kg` commands.

Every question goes to the function the matching command calls: `kg.refs.resolve` (search),
`kg.show.card` (status, canonical record, variants), `kg.lineage.lineage` (the trees),
`kg.queries.run("cited-by" | "cites" | "unit-profile")`, `kg.stale.stale_citations` and
`kg.stale.stats`, `kg.check.check_document`, `viz.graph.build_map` + `viz.render.render_html`.
What the library has no function for lives in ``web/queries/*.rq`` (same header format as
``queries/``, run with bound parameters): text search in titles and issuers, a unit's documents,
what a list of documents implements, their provinces, an instrument's source file.
"""

from __future__ import annotations

import html
import logging
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg import queries
from kg.errors import KGError
from kg.queries import NamedQuery
from kg.refs import Candidate, resolve
from kg.store import Store, value_blocks

log = logging.getLogger(__name__)
STATUS_ENDED = ("replaced_by", "repealed_by", "expired")
MAX_HITS = 30


@cache
def web_query(name: str) -> NamedQuery:
    """One of ``web/queries/*.rq``, parsed once."""
    text = (resources.files("web") / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    return queries.parse(text, name)


def select_for(store: Store, name: str, var: str, values: list[str], chunk: int = 2000) -> list[dict[str, str]]:
    """Run a web query with a list of IRIs bound to ?var (one VALUES row each), `chunk` at a time."""
    text = queries.body(web_query(name).text)
    return [row for block in value_blocks(var, sorted(set(values)), chunk) for row in store.select(text, block)]


def file_name(path: str | None) -> str:
    return (path or "").replace("\\", "/").rsplit("/", 1)[-1]


# ---------------------------------------------------------------- search

@dataclass
class SearchResult:
    query: str
    candidates: list[Candidate] = field(default_factory=list)
    text_hits: list[tuple[Candidate, str]] = field(default_factory=list)
    units: list[dict[str, str]] = field(default_factory=list)

    @property
    def only(self) -> Candidate | None:
        if len(self.candidates) == 1 and not self.text_hits and not self.units:
            return self.candidates[0]
        return None


def search(store: Store, text: str, index: dict[str, list[dict[str, str]]] | None = None) -> SearchResult:
    """A symbol in any form `kg.refs` reads (``30c``, ``CT 33/2021``, ``chỉ thị 33``, a file), else
    words of a title or an issuer, and units whose name contains the text."""
    text = " ".join(text.split())
    out = SearchResult(text)
    if not text:
        return out
    try:
        out.candidates = resolve(store, text, index)
    except KGError as e:
        log.info("search %r: %s", text, e)
    if out.candidates:
        return out
    seen: dict[str, str] = {}
    for row in queries.run(store, web_query("search-text"), {"words": text}):
        seen.setdefault(row["i"], row["text"])
    for iri_, matched in list(seen.items())[:MAX_HITS]:
        found = resolve(store, iri_)
        out.text_hits.append((found[0] if found else Candidate(iri=iri_), matched))
    out.units = queries.run(store, "unit-profile", {"unit": text})[:MAX_HITS]
    return out


# ---------------------------------------------------------------- instrument

@dataclass
class Segment:
    text: str
    iri: str = ""
    ref: str = ""


def status_summary(status: list[dict[str, str]]) -> str:
    """``ended`` (replaced, repealed, expired), ``amended``, ``in_force`` (facts, none ending it) or
    ``unknown`` (no fact)."""
    relations = {s["relation"] for s in status}
    if relations & set(STATUS_ENDED):
        return "ended"
    if "amended_by" in relations:
        return "amended"
    return "in_force" if relations else "unknown"


def instrument(store: Store, inst: Candidate) -> dict[str, Any]:
    """The instrument page: `kg show`'s card, `kg lineage`'s trees, `kg cited-by`'s rows, what it
    cites (`kg cites`), and its own text when it was ingested."""
    from kg.cascade import lineage_rows
    from kg.lineage import lineage
    from kg.show import card

    down = lineage_rows(store, inst.iri, "down")  # read once: the card and the tree
    citers = queries.run(store, "cited-by", {"target": inst.iri})
    data = card(store, inst, down=down, cited_by=citers)
    data["kind"] = data["kind"] or kind_of(data["symbol"])  # a Candidate resolved by IRI carries no kind
    data["summary"] = status_summary(data["status"])
    data["up"] = lineage(store, inst, "up")
    data["down"] = lineage(store, inst, "down", rows=down)
    data["citers"] = citers
    paths = [r["path"] for r in queries.run(store, web_query("source-of"), {"i": inst.iri})]
    data["paths"] = paths
    data["cites"] = queries.run(store, "cites", {"doc": inst.iri}) if paths else []
    return data


def linked_text(path: str, base: Path | None = None) -> tuple[list[Segment], str]:
    """The document's text re-read from its file, cut into plain segments and references (each with
    the IRI `kg.build` gives it, the one stored when it was ingested). Returns (segments, problem)."""
    from kg.build import reference_iri
    from loaders import extract_file

    p = Path(path)
    if not p.is_absolute() and base is not None and not p.exists():
        p = base / p
    if not p.is_file():
        return [], "missing"
    try:
        doc = extract_file(p)
    except (KGError, OSError) as e:
        log.warning("%s: cannot re-read (%s)", path, e)
        return [], "unreadable"
    spans = []
    for r in doc.refs:
        try:
            target = reference_iri(doc, r)
        except Exception:  # an IRI that cannot be minted (no symbol): link by the text instead
            target = ""
        for m in r.mentions or []:
            if 0 <= m.span.start < m.span.end <= len(doc.text):
                spans.append((m.span.start, m.span.end, target, r.symbol or r.name or m.surface))
    text = doc.text
    segments, pos = [], 0
    for start, end, target, label in sorted(spans):
        if start < pos:  # overlapping mentions: keep the first
            continue
        if start > pos:
            segments.append(Segment(text[pos:start]))
        segments.append(Segment(text[start:end], target, label))
        pos = end
    segments.append(Segment(text[pos:]))
    for seg in segments:  # shown composed: some sources write decomposed diacritics (spans count those)
        seg.text = unicodedata.normalize("NFC", seg.text)
    return segments, ""


# ---------------------------------------------------------------- units, stale report

def unit(store: Store, name: str, every: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """A unit's profile (`unit-profile`), its documents with what they implement, its stale citations
    (from `every`, the whole stale report, when the app has it)."""
    from kg.stale import stale_citations

    docs = queries.run(store, web_query("unit-documents"), {"unit": name})
    profile = [_profile(store, name, docs)] if docs else []
    implements: dict[str, list[dict[str, str]]] = {}
    for r in select_for(store, "implements-of", "doc", [d["doc"] for d in docs]):
        implements.setdefault(r["doc"], []).append(r)
    for d in docs:
        d["implements"] = sorted(implements.get(d["doc"], []), key=lambda r: r["label"])
    rows = [r for r in every if unit_matches(name, r)] if every is not None else stale_citations(store, unit=name)
    stale = [r for r in rows if r.get("unitName") == name]
    return {"name": name, "profile": profile[0] if profile else None, "documents": docs, "stale": stale}


def _profile(store: Store, name: str, docs: list[dict[str, str]]) -> dict[str, str]:
    """`unit-profile`'s row for exactly `name`, from the unit's documents (that query reads every
    document of the graph to find the unit's: 17 s at 100k documents)."""
    cited: set[str] = set()
    implemented: set[str] = set()
    for r in select_for(store, "links-of", "doc", [d["doc"] for d in docs]):
        (implemented if r["p"].endswith("#implements") else cited).add(r["o"])
    when = [d.get("date") or d.get("year") for d in docs if d.get("date") or d.get("year")]
    out = {"unitName": name, "documents": str(len({d["doc"] for d in docs})),
           "instrumentsCited": str(len(cited)), "implementsCount": str(len(implemented))}
    if when:
        out.update(first=min(when), last=max(when))
    return out


def kind_of(symbol: str | None) -> str:
    """The instrument kind a symbol's type code names (``30c/NQ-CP`` → Nghị quyết), per `kg.refs`."""
    from kg.refs import CODE_KINDS
    from loaders.symbols import fold_code, parse_symbol

    sym = parse_symbol(symbol) if symbol else None
    if not sym or not sym.codes:
        return ""
    folded = {fold_code(c): k for c, k in CODE_KINDS.items()}
    return folded.get(fold_code(sym.codes[0]), "")


def annotate_stale(store: Store, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Add the citing document's province and the cited instrument's kind to `kg stale`'s rows."""
    places: dict[str, set[str]] = {}
    for r in select_for(store, "places-of", "doc", [r["doc"] for r in rows]):
        places.setdefault(r["doc"], set()).add(r["place"])
    in_province: dict[str, set[str]] = {}
    for r in select_for(store, "provinces-of", "place", [p for ps in places.values() for p in ps]):
        in_province.setdefault(r["place"], set()).add(r["province"])
    provinces = {doc: min(found) for doc, ps in places.items()
                 if (found := {prov for p in ps for prov in in_province.get(p, ())})}
    for r in rows:
        r["province"] = provinces.get(r["doc"], "")
        r["kind"] = kind_of(r.get("oldSymbol"))
    return rows


def unit_matches(unit: str, row: dict[str, str]) -> bool:
    """`kg stale --unit`'s test (stale-citations.rq: the issuer contains UNIT, case-insensitive)."""
    return unit.lower() in (row.get("unitName") or "").lower()


def stale_report(store: Store, *, unit: str | None = None, province: str | None = None, kind: str | None = None,
                 certainty: str | None = None, every: list[dict[str, str]] | None = None
                 ) -> tuple[list[dict[str, str]], dict[str, list[str]]]:
    """`kg stale`'s rows with the cited instrument's kind and the citing document's province, then
    filtered; also every value each filter can take (for the form). `every`: the annotated rows of
    the whole report, already computed (the app keeps them until the store changes); the unit filter
    is then applied to them, as the query would."""
    from kg.stale import stale_citations

    if every is not None:
        rows = [r for r in every if not unit or unit_matches(unit, r)]
    else:
        rows = annotate_stale(store, stale_citations(store, unit=unit or None))
    choices = {
        "province": sorted({r["province"] for r in rows if r["province"]}),
        "kind": sorted({r["kind"] for r in rows if r["kind"]}),
        "certainty": [c for c in ("certain", "bound", "possible") if any(r["certainty"] == c for r in rows)],
    }
    rows = [r for r in rows if (not province or r["province"] == province) and (not kind or r["kind"] == kind)
            and (not certainty or r["certainty"] == certainty)]
    return rows, choices


def stale_csv(rows: list[dict[str, str]]) -> str:
    """The CSV of `kg stale --format csv`, plus the two columns the web report adds."""
    from kg.commands.stale import SCRIPT_COLUMNS
    from kg.tables import render

    return render(rows, [*SCRIPT_COLUMNS, ("province", "jurisdiction"), ("kind", "kind")], "csv") + "\n"


def latest_stale(rows: list[dict[str, str]], n: int = 10) -> list[dict[str, str]]:
    """The findings of the most recent citing documents first."""
    return sorted(rows, key=lambda r: (r.get("when") or "", r.get("path", "")), reverse=True)[:n]


# ---------------------------------------------------------------- map

def map_page(store: Store, full: Any, *, focus: str | None, unit: str | None, stale_only: bool, lang: str,
             depth: int = 2, max_nodes: int = 1500) -> str:
    """`kg map`'s page for what the user is looking at (same functions, same options)."""
    from viz.graph import build_map
    from viz.render import render_html

    m = build_map(store, graph=full, focus=focus, depth=depth, unit=unit, stale_only=stale_only,
                  max_nodes=max_nodes)
    return render_html(m, lang=lang, full=full, max_nodes=max_nodes)


def escape(text: str) -> str:
    return html.escape(text, quote=True)
