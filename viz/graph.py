"""What the cascade map shows, read from any store into a `networkx.DiGraph`.

Nodes are instruments (keyed by IRI): every ingested document, everything a document cites or
implements, and the instruments that replace those (followed along the whole chain). Attributes:
``label``, ``symbol``, ``kind``, ``date``, ``issuer``, ``unit``, ``place``, ``province``, ``tier``
(0 central party and state bodies, 1 ministries and provinces, 2 departments and districts,
3 communes), ``title``, ``status`` (``in_force`` | ``superseded`` | ``unknown``), ``since`` (date
it stopped being in force), ``replaced_by`` ([(relation, iri)]), ``document`` (ingested),
``path``, ``cited_by`` (distinct citing instruments), ``stale`` (stale citations it makes).

Edges carry ``relation``: ``implements`` (a kind of citing), ``cites``, or ``replacedBy`` (with
``kind`` = replaced_by | repealed_by | succeeded_by | successor_unconfirmed). A citing edge is
``stale`` when the cited instrument had stopped being in force by the citing document's date — judged
as of that document's date (or its ``not_before`` lower bound, or 1 January of its year), never as
of today (DESIGN.md, queries/).

The map stays readable as the graph grows: `aggregate` collapses a unit's documents into one node,
then keeps only instruments cited at least N times, and returns notes saying what it did.

>>> g = nx.DiGraph()
>>> g.add_edge("a", "b", relation="implements")
>>> sorted(lineage(g, "b", depth=1))
['a', 'b']
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg.errors import RefError

KG = "https://kg.vn-plans.org/ns#"
_PREFIXES = """PREFIX kg: <https://kg.vn-plans.org/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
PROPERTIES = [KG + p for p in (
    "symbol", "name", "kind", "issuer", "jurisdiction", "year", "date", "notBefore", "issuerName", "title",
    "canonicalDate", "canonicalIssuerName", "canonicalTitle", "expiredOn")]
EDGE_RELATIONS = [KG + p for p in ("implements", "cites", "replacedBy", "repealedBy", "succeededBy",
                                   "successorUnconfirmed")]
# Each claimed value with the number of graphs (documents, registry) that claim it: one vote per graph.
Q_PROPS = _PREFIXES + """
SELECT ?i ?p ?v (COUNT(DISTINCT ?g) AS ?n) WHERE {
  VALUES ?p { """ + " ".join(f"<{p}>" for p in PROPERTIES) + """ }
  GRAPH ?g { ?i ?p ?v }
} GROUP BY ?i ?p ?v
"""
Q_INSTRUMENTS = _PREFIXES + "SELECT DISTINCT ?i WHERE { ?i a kg:Instrument }"
Q_SOURCES = _PREFIXES + """
SELECT ?i (SAMPLE(?path) AS ?file) WHERE { ?src a kg:SourceDocument ; kg:describes ?i .
  OPTIONAL { ?src kg:sourcePath ?path } } GROUP BY ?i
"""
# The default graph is the union of every named graph, and a triple stated in a thousand documents'
# graphs comes back a thousand times: a join of two such patterns explodes (10^12 rows for issuers at
# 1,000 documents). So each query below is one triple pattern (or a fact's own few triples) made
# DISTINCT, and the joins are done in Python.
Q_EDGES = _PREFIXES + """
SELECT DISTINCT ?a ?rel ?b WHERE {
  VALUES ?rel { """ + " ".join(f"<{p}>" for p in EDGE_RELATIONS) + """ }
  ?a ?rel ?b .
}
"""
Q_FACTS = _PREFIXES + """
SELECT DISTINCT ?s ?rel ?o ?eff ?conf WHERE {
  GRAPH ?g { ?f a kg:StatusFact ; kg:subject ?s ; kg:relation ?rel .
             OPTIONAL { ?f kg:confidence ?conf } OPTIONAL { ?f kg:object ?o } OPTIONAL { ?f kg:effectiveDate ?eff } }
}
"""
Q_ISSUERS = _PREFIXES + "SELECT DISTINCT ?iss WHERE { ?iss a kg:Issuer }"
ISSUER_PROPERTIES = [KG + "code", KG + "level", KG + "jurisdiction", "http://www.w3.org/2004/02/skos/core#prefLabel"]
VIETNAMESE = 'FILTER(!isLiteral(?v) || lang(?v) = "" || lang(?v) = "vi")'
Q_ISSUER_PROPS = _PREFIXES + """
SELECT DISTINCT ?iss ?p ?v WHERE {
  VALUES ?p { """ + " ".join(f"<{p}>" for p in ISSUER_PROPERTIES) + """ } ?iss ?p ?v .
  """ + VIETNAMESE + """
}
"""
Q_PLACES = _PREFIXES + """
SELECT DISTINCT ?pl ?p ?v WHERE {
  { VALUES ?v { kg:Province kg:District kg:Commune } ?pl a ?v BIND(rdf:type AS ?p) }
  UNION { VALUES ?p { rdfs:label kg:partOf } ?pl ?p ?v }
}
"""
Q_KINDS = _PREFIXES + """
SELECT DISTINCT ?k ?label WHERE { ?k skos:prefLabel ?label FILTER(lang(?label) = "vi") }
"""

REPLACEMENT = {  # edge property → kind of replacement
    "replacedBy": "replaced_by", "repealedBy": "repealed_by", "succeededBy": "succeeded_by",
    "successorUnconfirmed": "successor_unconfirmed",
}
ENDS_FORCE = {"Replaced", "Repealed", "Expired"}  # kg.registry.ENDS_FORCE, by concept
KEEPS_FORCE = {"InForce", "Amended"}
CENTRAL = {"party-central", "state-central"}
# Codes of a unit's own leading bodies (People's Committee, People's Council, party committee):
# at province level they sit with the ministries (tier 1), not with the departments (tier 2).
TOP_CODES = {"UBND", "HĐND", "TU", "BTVTU", "BCSĐUBND", "HU", "BTVHU", "QU", "TXU", "ĐU"}
_TOP_NAME = re.compile(r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd|hội đồng nhân dân|hđnd|(ban thường vụ )?"
                       r"(tỉnh|thành|huyện|quận|thị) ủy|chủ tịch)", re.I)
_COMMUNE_NAME = re.compile(r"\b(xã|phường|thị trấn)\b", re.I)
_DISTRICT_NAME = re.compile(r"\b(huyện|quận|thị xã)\b", re.I)
_PROVINCE_NAME = re.compile(r"\b(tỉnh|thành phố)\b", re.I)
DEFAULT_MAX_NODES = 1500


def fold(text: str | None) -> str:
    """Lower-case, diacritics and đ folded, spaces squeezed: for forgiving matching.

    >>> fold("  Sở  Ngoại vụ TÂY NINH ")
    'so ngoai vu tay ninh'
    """
    text = unicodedata.normalize("NFD", (text or "").replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(text.split())


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri


def _vote(values: Counter[str]) -> str:
    """The value most graphs claim; ties go to the smallest (earliest date, first spelling)."""
    return min(values.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _tier(code: str | None, level: str | None, name: str | None, place_type: str | None) -> int | None:
    """0 central, 1 ministry / province, 2 department / district, 3 commune; None when nothing says."""
    from loaders.issuers import issuer_for_code

    info = issuer_for_code(code) if code else None
    if info is not None and info.scope == "national":
        return 0 if info.level in CENTRAL else 1
    if level == "LevelNational":
        return 0
    where = {"LevelProvince": "province", "LevelDistrict": "district", "LevelCommune": "commune"}.get(level or "")
    where = where or {"Province": "province", "District": "district", "Commune": "commune"}.get(place_type or "")
    if where is None and name:
        where = ("commune" if _COMMUNE_NAME.search(name) else "district" if _DISTRICT_NAME.search(name)
                 else "province" if _PROVINCE_NAME.search(name) else None)
    if where is None and info is not None:
        where = {"province": "province", "district": "district", "commune": "commune"}.get(info.level)
        if where is None and info.code.upper() in TOP_CODES:
            return 1  # UBND, HĐND of a unit nobody named: most often the province
    if where == "commune":
        return 3
    if where == "district":
        return 2
    if where == "province":
        top = (code or "").upper() in TOP_CODES or bool(name and _TOP_NAME.match(name.strip()))
        return 1 if top else 2
    return None


def read_graph(store: Any) -> nx.DiGraph:
    """Every instrument worth drawing, with its attributes and its implements/cites/replacedBy edges."""
    # the large results read as tuples: decoding ~30 rows an instrument into dicts cost as much as the queries
    props: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for i, p, v, n in store.select_values(Q_PROPS):
        props[i][_local(p)][v] += int(n or 1)
    instruments = {i for (i,) in store.select_values(Q_INSTRUMENTS)}
    sources = dict(store.select_values(Q_SOURCES))  # instrument → a file describing it
    issuers = _by_subject(store.select(Q_ISSUER_PROPS), "iss", {row["iss"] for row in store.select(Q_ISSUERS)},
                          ISSUER_NAMES)
    context = Context(props, sources, issuers, read_places(store), read_kinds(store), read_facts(store, instruments))
    return assemble(context, instruments, store.select_values(Q_EDGES))


ISSUER_NAMES = {"code": "code", "level": "level", "jurisdiction": "pl", "prefLabel": "label"}


@dataclass
class Context:
    """What the attributes of the instruments to draw are made from (`_attributes`)."""

    props: dict[str, dict[str, Counter[str]]]  # instrument → property → value → graphs claiming it
    sources: dict[str, str | None]  # instrument → a file describing it
    issuers: dict[str, dict[str, str]]
    places: dict[str, dict[str, str]]
    kinds: dict[str, str]
    facts: dict[str, list[dict[str, str]]]


def read_places(store: Any) -> dict[str, dict[str, str]]:
    places = _by_subject(store.select(Q_PLACES), "pl", None, {"type": "type", "label": "label", "partOf": "parent"})
    return {k: v for k, v in places.items() if "type" in v}


def read_kinds(store: Any) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for row in store.select(Q_KINDS):
        kinds[row["k"]] = min(kinds.get(row["k"], row["label"]), row["label"])
    return kinds


def read_facts(store: Any, instruments: set[str]) -> dict[str, list[dict[str, str]]]:
    facts: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in store.select(Q_FACTS):
        if row["s"] in instruments and row not in facts[row["s"]]:
            facts[row["s"]].append(row)
    return facts


def assemble(c: Context, instruments: set[str], edge_rows: Iterable[tuple[str | None, ...]],
             only: set[str] | None = None) -> nx.DiGraph:
    """The graph of the instruments worth drawing (documents, what they cite or implement, the
    replacements of those), from their edges (``(a, relation IRI, b)``) and attributes; with `only`,
    of those of them in `only` (whose edges among themselves `edge_rows` must hold)."""
    cites: set[tuple[str, str]] = set()
    implements: set[tuple[str, str]] = set()
    replaced: dict[tuple[str, str], str] = {}
    for a, rel, b in edge_rows:
        rel = _local(rel)  # type: ignore[arg-type]
        if a not in instruments or b not in instruments or a == b:
            continue
        if rel == "implements":
            implements.add((a, b))  # type: ignore[arg-type]
        elif rel == "cites":
            cites.add((a, b))  # type: ignore[arg-type]
        else:
            replaced.setdefault((a, b), REPLACEMENT[rel])  # type: ignore[index]

    if only is not None:
        keep = set(only)
    else:  # which instruments to draw: documents, what they cite, and replacement chains from those
        keep = set(c.sources) & instruments
        for a, b in cites | implements:
            if a in instruments:
                keep |= {a, b}
        successors: dict[str, list[str]] = defaultdict(list)
        for (a, b) in replaced:
            successors[a].append(b)
        todo = list(keep)
        while todo:
            for b in successors.get(todo.pop(), []):
                if b not in keep:
                    keep.add(b)
                    todo.append(b)

    g = nx.DiGraph()
    for i in sorted(keep):
        g.add_node(i, **_attributes(i, c.props.get(i, {}), c.sources, c.issuers, c.places, c.kinds,
                                    c.facts.get(i, [])))
    for (a, b), kind in sorted(replaced.items()):
        if a in keep and b in keep:
            g.add_edge(a, b, relation="replacedBy", kind=kind)
    for a, b in sorted(cites | implements):
        if a in keep and b in keep:
            g.add_edge(a, b, relation="implements" if (a, b) in implements else "cites", stale=False)
    _finish(g)
    return g


def _by_subject(rows: list[dict[str, str]], key: str, subjects: set[str] | None,
                names: dict[str, str]) -> dict[str, dict[str, str]]:
    """{subject: {name: value}} from (subject, ?p, ?v) rows; the smallest value wins when there are several."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        if subjects is not None and row[key] not in subjects:
            continue
        name = names.get(_local(row["p"]).rsplit("/", 1)[-1].split("#")[-1])
        if name and (name not in out[row[key]] or row["v"] < out[row[key]][name]):
            out[row[key]][name] = row["v"]
    return dict(out)


def _attributes(i: str, p: dict[str, Counter[str]], sources: dict[str, str | None], issuers: dict[str, dict],
                places: dict[str, dict], kinds: dict[str, str], facts: list[dict[str, str]]) -> dict[str, Any]:
    def one(*names: str) -> str | None:
        for name in names:
            if p.get(name):
                return _vote(p[name])
        return None

    issuer_iri = one("issuer")
    issuer = issuers.get(issuer_iri or "", {})
    issuer_name = one("canonicalIssuerName", "issuerName") or issuer.get("label")
    place_iri = one("jurisdiction") or (issuer.get("pl") if issuer else None)
    place = places.get(place_iri or "", {})
    place_label, province = place.get("label"), place.get("label")
    parent = places.get(place.get("parent") or "", {})
    while parent:  # walk up to the province
        province = parent.get("label") or province
        parent = places.get(parent.get("parent") or "", {})
    if place and _local(place.get("type", "")) != "Province" and province and province != place_label:
        place_label = f"{place_label}, {province}"
    symbol = one("symbol")
    code = issuer.get("code")
    if not code and symbol:
        from kg.ids import parse_symbol

        parts = parse_symbol(symbol)
        code = parts.issuer_code if parts else None
    tier = _tier(code, _local(issuer.get("level", "")) or None, issuer_name, _local(place.get("type", "")) or None)

    kind = kinds.get(one("kind") or "") or _kind_from_symbol(symbol)
    date = one("canonicalDate", "date")
    year = one("year") or (date[:4] if date else None)
    as_of = date or one("notBefore") or (f"{year}-01-01" if year else None)
    status, since, replaced_by, amended = _status(facts, p.get("expiredOn"))
    unit = issuer_name or ""
    if unit and place_label and fold(place_label.split(",")[0]) not in fold(unit):
        unit = f"{unit} ({place_label})"
    return {
        "symbol": symbol, "name": one("name"), "kind": kind,
        "date": date, "year": year, "as_of": as_of, "issuer": issuer_name, "unit": unit or None,
        "place": place_label, "province": province, "tier": tier, "title": one("canonicalTitle", "title"),
        "status": status, "since": since, "replaced_by": replaced_by, "amended_by": amended,
        "document": i in sources, "path": sources.get(i), "cited_by": 0, "stale": 0, "iri": i,
    }


def _kind_from_symbol(symbol: str | None) -> str | None:
    """The kind word of a symbol's type code, for instruments only the registry names (149/2018/NĐ-CP).

    >>> _kind_from_symbol("149/2018/NĐ-CP"), _kind_from_symbol("23-QĐ/TW")
    ('Nghị định', 'Quyết định')
    """
    from loaders.issuers import type_for_code

    m = re.match(r"^\s*\d+\w*\s*([/-])\s*(?:\d{4}\s*/\s*)?([^/\-\s]+)", symbol or "")
    return type_for_code(m[2], party=m[1] == "-") if m else None


def _status(facts: list[dict[str, str]], expired: Counter[str] | None
            ) -> tuple[str, str | None, list[tuple[str, str]], list[str]]:
    """(status, since, [(relation, replacement iri)], [amending iri]) from status facts."""
    ends = sorted(expired or [])
    replaced_by: list[tuple[str, str]] = []
    amended: list[str] = []
    keeps = False
    for f in facts:
        rel = _local(f["rel"])
        if rel in ENDS_FORCE and f.get("conf") != "low":
            if f.get("eff"):
                ends.append(f["eff"])
            else:
                ends.append("")  # ended, date unknown
        keeps |= rel in KEEPS_FORCE
        if rel == "Amended" and f.get("o"):
            amended.append(f["o"])
        kind = {"Replaced": "replaced_by", "Repealed": "repealed_by", "Succeeded": "succeeded_by",
                "SuccessorUnconfirmed": "successor_unconfirmed"}.get(rel)
        if kind and f.get("o") and (kind, f["o"]) not in replaced_by:
            replaced_by.append((kind, f["o"]))
    if ends:
        dated = [d for d in ends if d]
        return "superseded", min(dated) if dated else None, sorted(replaced_by), sorted(set(amended))
    return ("in_force" if keeps else "unknown"), None, sorted(replaced_by), sorted(set(amended))


def _finish(g: nx.DiGraph) -> None:
    """Labels, citation counts, stale flags, and tiers for instruments nobody placed."""
    for _, d in g.nodes(data=True):
        d["label"] = d.get("symbol") or _short_label(d)
    for a, b, e in g.edges(data=True):
        if e["relation"] == "replacedBy":
            continue
        cited = g.nodes[b]
        cited["cited_by"] += 1
        since, as_of = cited.get("since"), g.nodes[a].get("as_of")
        if cited.get("status") == "superseded" and since and as_of and as_of >= since:
            e["stale"] = True
            g.nodes[a]["stale"] += 1
    # An instrument whose level is unknown goes one level below what it implements (plans under
    # what they carry out), else with the ministries and provinces.
    unplaced = [n for n, d in g.nodes(data=True) if d.get("tier") is None]
    for _ in range(4):
        for n in unplaced:
            ups = [g.nodes[b]["tier"] for b in g.successors(n)
                   if g.edges[n, b]["relation"] == "implements" and g.nodes[b].get("tier") is not None]
            if ups:
                g.nodes[n]["tier"] = min(3, max(ups) + 1)
        unplaced = [n for n in unplaced if g.nodes[n].get("tier") is None]
    for n in unplaced:
        g.nodes[n]["tier"] = 1


def _short_label(d: dict[str, Any]) -> str:
    parts = [d.get("kind") or "", d.get("name") or ""]
    if not d.get("name") and d.get("issuer"):
        parts.append(d["issuer"])
    label = " ".join(p for p in parts if p).strip() or "?"
    return f"{label} ({d['year']})" if d.get("year") else label


# ---------------------------------------------------------------------------------------- views

def lineage(g: nx.DiGraph, node: str, depth: int = 2) -> set[str]:
    """`node`, what it implements up to `depth` levels, what implements it down to `depth` levels,
    the documents citing it directly, and the replacements of all of these."""
    def walk(start: str, neighbours) -> set[str]:
        seen, frontier = {start}, {start}
        for _ in range(depth):
            frontier = {m for n in frontier for m in neighbours(n) if m not in seen}
            seen |= frontier
        return seen

    up = walk(node, lambda n: (b for b in g.successors(n) if g.edges[n, b]["relation"] == "implements"))
    down = walk(node, lambda n: (a for a in g.predecessors(n) if g.edges[a, n]["relation"] == "implements"))
    citers = {a for a in g.predecessors(node) if g.edges[a, node]["relation"] == "cites"}
    return _with_replacements(g, up | down | citers)


def _with_replacements(g: nx.DiGraph, nodes: set[str]) -> set[str]:
    out, todo = set(nodes), list(nodes)
    while todo:
        n = todo.pop()
        for b in g.successors(n):
            if g.edges[n, b]["relation"] == "replacedBy" and b not in out:
                out.add(b)
                todo.append(b)
    return out


def unit_nodes(g: nx.DiGraph, text: str) -> set[str]:
    """Documents of the units whose issuer or place matches `text` (folded substring), and what they cite."""
    want = fold(text)
    mine = {n for n, d in g.nodes(data=True) if d.get("document") and want
            and any(want in fold(d.get(k)) for k in ("unit", "issuer", "place"))}
    return _with_replacements(g, mine | {b for n in mine for b in g.successors(n)})


def stale_nodes(g: nx.DiGraph) -> set[str]:
    """Both ends of every stale citation, and what replaced the cited instruments."""
    ends = {n for a, b, e in g.edges(data=True) if e.get("stale") for n in (a, b)}
    return _with_replacements(g, ends)


def resolve(g: nx.DiGraph, ref: str, store: Any = None) -> tuple[str, str, int]:
    """(node, how, candidates) for a user-typed reference: an IRI; a symbol (exact but forgiving on
    case, spaces and diacritics; then same number and code the way kg.ids compares them),
    optionally with a year ("33/CT-TTg 2021"); then, given the store, whatever kg/refs.py's forgiving
    parser makes of it ("CT 33/2021", "chỉ thị 33", a file path). Several matches: the most cited
    wins and `candidates` says how many. `how` is "iri", "exact", "code" or "refs". Raises RefError."""
    typed = ref = unicodedata.normalize("NFC", ref).strip()
    if ref in g:
        return ref, "iri", 1
    ref, year = split_year(ref)
    candidates = [n for n, d in g.nodes(data=True) if fold(d.get("symbol")) == fold(ref)]
    how = "exact"
    if not candidates:
        from kg.ids import parse_symbol

        wanted = parse_symbol(ref)
        if wanted is not None:
            candidates = [n for n, d in g.nodes(data=True)
                          if d.get("symbol") and same_symbol(parse_symbol(d["symbol"]), wanted)]
            how = "code"
    if year:
        candidates = [n for n in candidates if (g.nodes[n].get("year") or "") == year] or candidates
    if not candidates and store is not None:
        candidates, how = _via_refs(store, g, typed), "refs"
    if not candidates:
        raise RefError(f"no instrument on the map matches {typed!r}; try the symbol as written (33/CT-TTg), "
                       "with its year (33/CT-TTg 2021), or ingest the documents that cite it")
    best = sorted(candidates, key=lambda n: (-g.nodes[n]["cited_by"], not g.nodes[n]["document"], n))
    return best[0], how, len(best)


def split_year(ref: str) -> tuple[str, str | None]:
    """A typed reference and the year typed after it, if any.

    >>> split_year("33/CT-TTg 2021"), split_year("10/2022/QH15")
    (('33/CT-TTg', '2021'), ('10/2022/QH15', None))
    """
    m = re.match(r"^(.*?)[\s@,]+((?:19|20)\d\d)$", ref)
    if m and not re.search(r"/\d{4}/", ref):
        return m[1].strip(), m[2]
    return ref, None


def same_symbol(a: Any, b: Any) -> bool:
    """Whether parsed symbols `a` and `b` have the same number and kind code, and no differing years."""
    return a is not None and (a.number, a.kind_code) == (b.number, b.kind_code) and (
        a.year is None or b.year is None or a.year == b.year)


def _via_refs(store: Any, g: nx.DiGraph, text: str) -> list[str]:
    """Candidates from kg/refs.py (the project's forgiving reference reader) that are on the map."""
    try:
        from kg import refs as kg_refs

        found = kg_refs.resolve(store, text)
    except (ImportError, AttributeError):  # an older checkout without kg/refs.py
        return []
    return [c.iri for c in found if c.iri in g]


# ---------------------------------------------------------------------------------- aggregation

@dataclass
class MapGraph:
    """The graph to draw, the focus node if any, and notes for the page (keys of kg.i18n + values)."""

    graph: nx.DiGraph
    focus: str | None = None
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    total_nodes: int = 0
    total_edges: int | None = 0  # None: not counted (a focused map read only its part of the store)
    context: nx.DiGraph | None = None  # what a focused map was cut from: labels of the instruments it names


_PRIORITY = {"implements": 3, "cites": 2, "replacedBy": 1}


def _contract(g: nx.DiGraph, groups: dict[str, str], make: dict[str, dict[str, Any]]) -> nx.DiGraph:
    """A copy of `g` with each node of `groups` replaced by its group node; edges merged (count)."""
    out = nx.DiGraph()
    for n, d in g.nodes(data=True):
        if n not in groups:
            out.add_node(n, **d)
    for key, attrs in make.items():
        out.add_node(key, **attrs)
    for a, b, e in g.edges(data=True):
        ga, gb = groups.get(a, a), groups.get(b, b)
        if ga == gb:
            continue
        if out.has_edge(ga, gb):
            old = out.edges[ga, gb]
            old["count"] = old.get("count", 1) + e.get("count", 1)
            old["stale"] = old.get("stale", False) or e.get("stale", False)
            if _PRIORITY[e["relation"]] > _PRIORITY[old["relation"]]:
                old["relation"] = e["relation"]
        else:
            out.add_edge(ga, gb, **{**e, "count": e.get("count", 1)})
    return out


def _group_attrs(key: str, members: list[dict[str, Any]], label: str, scope: str) -> dict[str, Any]:
    tiers = Counter(m["tier"] for m in members)
    return {
        "group": scope, "label": label, "unit": label, "members": len(members),
        "member_labels": sorted(m.get("label") or "?" for m in members)[:50],
        "tier": min(tiers.items(), key=lambda kv: (-kv[1], kv[0]))[0], "status": "group",
        "cited_by": sum(m.get("cited_by", 0) for m in members), "stale": sum(m.get("stale", 0) for m in members),
        "document": True, "kind": None, "symbol": None, "iri": key,
        "province": members[0].get("province"), "place": members[0].get("place"),
    }


def _collapse(g: nx.DiGraph, keep: set[str], key_of) -> tuple[nx.DiGraph, int, int]:
    """Collapse documents (and earlier groups) sharing `key_of(attrs)` into one node each.
    Returns the new graph, the number of groups made and of nodes they absorbed."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for n, d in g.nodes(data=True):
        if n in keep or not d.get("document"):
            continue
        key = key_of(d)
        if key:
            buckets[key].append(n)
    groups: dict[str, str] = {}
    make: dict[str, dict[str, Any]] = {}
    absorbed = 0
    for key, members in sorted(buckets.items()):
        if len(members) < 2:
            continue
        gid = f"group:{key}"
        expanded = []
        for m in members:
            groups[m] = gid
            d = g.nodes[m]
            expanded.extend([{"label": lbl, "tier": d["tier"]} for lbl in d.get("member_labels", [])]
                            if d.get("group") else [d])
        attrs = _group_attrs(gid, [g.nodes[m] for m in members], key, "unit")
        attrs["members"] = sum(g.nodes[m].get("members", 1) for m in members)
        attrs["member_labels"] = sorted(e.get("label") or "?" for e in expanded)[:50]
        make[gid] = attrs
        absorbed += attrs["members"]
    return (_contract(g, groups, make) if groups else g), len(make), absorbed


def aggregate(g: nx.DiGraph, max_nodes: int = DEFAULT_MAX_NODES, keep: Iterable[str] = ()
              ) -> tuple[nx.DiGraph, list[tuple[str, dict[str, Any]]]]:
    """At most `max_nodes` nodes: collapse each unit's documents, then (when units alone would fill
    half the map) each province's, then keep only the most cited instruments that fit (each cited at
    least N times, N in the note), then the most connected nodes.
    Nodes in `keep` (the focus) are never folded away. Returns the graph and notes."""
    notes: list[tuple[str, dict[str, Any]]] = []
    keep = set(keep)
    if len(g) <= max_nodes:
        return g, notes
    g, groups, absorbed = _collapse(g, keep, lambda d: d.get("unit") or d.get("place"))
    if groups:
        notes.append(("map_note_units", {"documents": absorbed, "groups": groups}))
    if sum(1 for _, d in g.nodes(data=True) if d.get("document")) > max_nodes // 2:  # too many units
        g, groups, absorbed = _collapse(g, keep, lambda d: d.get("province"))
        if groups:
            notes.append(("map_note_provinces", {"documents": absorbed, "groups": groups}))
    if len(g) > max_nodes:  # the most cited instruments that fit, ties broken by label
        ranked = sorted((n for n, d in g.nodes(data=True) if not d.get("document") and n not in keep),
                        key=lambda n: (-int(g.nodes[n].get("cited_by") or 0), str(g.nodes[n].get("label") or ""), n))
        room = max(max_nodes - (len(g) - len(ranked)), 0)
        kept, drop = ranked[:room], ranked[room:]
        g = g.copy()
        g.remove_nodes_from(drop)
        threshold = int(g.nodes[kept[-1]].get("cited_by") or 0) if kept else 0
        notes.append(("map_note_threshold", {"kept": len(kept), "threshold": threshold, "hidden": len(drop)}))
    if len(g) > max_nodes:
        ranked = sorted(g.nodes, key=lambda n: (n not in keep, -g.degree(n), n))
        drop = ranked[max_nodes:]
        g = g.copy()
        g.remove_nodes_from(drop)
        notes.append(("map_note_truncated", {"hidden": len(drop)}))
    return g, notes


def subgraph(g: nx.DiGraph, nodes: set[str]) -> nx.DiGraph:
    """A copy of `g` restricted to `nodes`, nodes and edges in `g`'s order. (`g.subgraph(nodes)`
    iterates a set of nodes under half the graph's size in the set's order, which changes with each
    process's string hashing: the aggregated map then differed from one run to the next.)"""
    out = nx.DiGraph()
    out.add_nodes_from((n, d) for n, d in g.nodes(data=True) if n in nodes)
    out.add_edges_from((a, b, e) for a, b, e in g.edges(data=True) if a in nodes and b in nodes)
    return out


def build_map(store: Any = None, *, graph: nx.DiGraph | None = None, focus: str | None = None, depth: int = 2,
              unit: str | None = None, stale_only: bool = False, max_nodes: int = DEFAULT_MAX_NODES) -> MapGraph:
    """Read the store (or take `graph`), apply focus / unit / stale filters, aggregate to fit.

    With `focus` or `unit` and no `graph`, only the focus's lineage or the unit's documents and what
    they cite are read from the store (`viz.focus`): the same map, without reading the whole graph
    first; the whole graph's size is then the number of instruments in the store, and its number of
    edges is not counted (`total_edges` None)."""
    notes: list[tuple[str, dict[str, Any]]] = []
    node = context = None
    part = None
    if graph is None and store is not None and (focus or unit):  # read only that part of the store
        from viz.focus import focus_graph, instrument_count, resolve_focus, unit_graph

        if focus:
            node, how, candidates = resolve_focus(store, focus)
            part = focus_graph(store, node, depth)
        else:
            part = unit_graph(store, unit)  # type: ignore[arg-type]
    if part is not None:
        g, context = part
        total_nodes, total_edges = instrument_count(store), None
    else:
        g = graph if graph is not None else read_graph(store)
        context = None if graph is not None else g  # read here: the labels of what the details name
        total_nodes, total_edges = g.number_of_nodes(), g.number_of_edges()
        if focus:
            node, how, candidates = resolve(g, focus, store)
            g = subgraph(g, lineage(g, node, depth))
    if node is not None:
        notes.append(("map_note_focus", {"ref": focus, "label": g.nodes[node]["label"], "depth": depth,
                                         "how": how, "candidates": candidates}))
    if unit:
        g = subgraph(g, unit_nodes(g, unit) | ({node} if node else set()))
        notes.append(("map_note_unit", {"unit": unit, "documents": sum(1 for _, d in g.nodes(data=True)
                                                                        if d.get("document"))}))
    if stale_only:
        g = subgraph(g, stale_nodes(g) | ({node} if node else set()))
        notes.append(("map_note_stale", {"citations": sum(1 for *_, e in g.edges(data=True) if e.get("stale"))}))
    g, more = aggregate(g, max_nodes, keep={node} if node else ())
    return MapGraph(g, node, notes + more, total_nodes, total_edges, context)
