"""The map around one instrument (`kg map --focus REF`) or of one unit (`--unit TEXT`), read from the
store without reading all of it.

`viz.graph.read_graph` reads every instrument of the store, and `build_map` then keeps the focus's
lineage or the unit's documents: at 100k plans ~100 s for a map of a few hundred nodes. Here the
nodes `viz.graph.lineage` or `unit_nodes` keep are found in the store (implements edges walked up
and down from the focus, the documents citing it; the documents whose issuer names, issuers or places
match the unit, and what they cite; replacements), and only what their attributes depend on is read:
their claimed values and files, the issuers they name, and the instruments above them (an instrument
no issuer places sits one tier below what it implements: `viz.graph._finish`). How often each is
cited and how many stale citations each makes are counted in the store, over the whole graph.
The nodes, edges and attributes are those of the whole graph's subgraph (`tests/test_viz_focus.py`).

The focus is resolved by the reference reader (`kg.refs.resolve`); among several candidates the most
cited wins, as on the whole graph (`viz.graph.resolve`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from kg.errors import RefError
from kg.store import value_blocks
from viz.graph import (
    _PREFIXES,
    EDGE_RELATIONS,
    ISSUER_NAMES,
    ISSUER_PROPERTIES,
    KG,
    PROPERTIES,
    Q_FACTS,
    Q_INSTRUMENTS,
    Q_ISSUERS,
    Q_KINDS,
    Q_SOURCES,
    REPLACEMENT,
    VIETNAMESE,
    Context,
    _attributes,
    _by_subject,
    _local,
    _status,
    assemble,
    fold,
    read_places,
    same_symbol,
    split_year,
    subgraph,
)

_IMPLEMENTS = _PREFIXES + "SELECT ?a ?b WHERE { ?a kg:implements ?b }"
_CITERS = _PREFIXES + "SELECT DISTINCT ?a WHERE { ?a kg:cites ?b }"
_TYPED = Q_INSTRUMENTS  # bound to some, or all of them
_DOCUMENTS = _PREFIXES + "SELECT DISTINCT ?i WHERE { ?src kg:describes ?i }"
# Each query has its predicate fixed: Oxigraph joins a VALUES block of predicates with one of subjects
# by reading every triple of those predicates (viz.graph's Q_PROPS and Q_EDGES, bound to a block of
# 500 instruments at 1k plans: 3 s against 0.1 s one predicate at a time).
# Citing instruments counted without `?a a kg:Instrument`: only a document's own graph states that it
# cites or implements, and a document is an instrument (`kg.build`); the check cost a lookup per citer
# (40 much-cited instruments at 100k plans, 576k citers: 5.1 s → 0.34 s).
_CITED_BY = _PREFIXES + """SELECT ?b (COUNT(DISTINCT ?a) AS ?n) WHERE {
  { ?a kg:cites ?b } UNION { ?a kg:implements ?b } FILTER(?a != ?b)
} GROUP BY ?b"""
_PROP = "SELECT ?i ?v (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?i <{p}> ?v }} }} GROUP BY ?i ?v"
_EDGE = "SELECT DISTINCT ?a ?b WHERE {{ ?a <{p}> ?b }}"
_ISSUER_PROP = "SELECT DISTINCT ?iss ?v WHERE {{ ?iss <{p}> ?v " + VIETNAMESE + " }}"  # viz.graph.Q_ISSUER_PROPS
_EXPIRED = _PREFIXES + "SELECT DISTINCT ?i ?v WHERE { ?i kg:expiredOn ?v }"
_COUNT = _PREFIXES + "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a kg:Instrument }"
_REPLACING = {KG + rel for rel in REPLACEMENT}
_LINKING = frozenset({KG + "cites", KG + "implements"})


def _rows(store: Any, query: str, var: str, values: Iterable[str], *,
          literal: bool = False) -> Iterator[tuple[str | None, ...]]:
    """The rows of `query` with ?var bound to each of `values` (IRIs, or plain literals), in blocks."""
    for block in value_blocks(var, sorted(values), literal=literal):
        yield from store.select_values(query, block)


class _Reader:
    """Reads of the store shared by the steps of one focused map: each instrument's outgoing edges
    read once, and the instrument check done from the whole list of instruments when it is asked of
    many (at 100k plans a much-cited directive's map asks it of ~60k IRIs: listing the 120k
    instruments is cheaper than looking each up)."""

    MANY = 5000

    def __init__(self, store: Any) -> None:
        self.store = store
        self.known: set[str] | None = None
        self.read: set[str] = set()
        self.out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # a → b → relations

    @functools.cached_property
    def places(self) -> dict[str, dict[str, str]]:
        return read_places(self.store)

    def instruments(self, iris: Iterable[str]) -> set[str]:
        iris = set(iris)
        if self.known is None and len(iris) > self.MANY:
            self.known = {i for (i,) in self.store.select_values(_TYPED) if i}  # unbound: all of them
        if self.known is not None:
            return iris & self.known
        return {i for (i,) in _rows(self.store, _TYPED, "i", iris) if i}

    def edges(self, nodes: Iterable[str]) -> dict[str, dict[str, set[str]]]:
        """a → b → the relations of `viz.graph.Q_EDGES` from a to b (a ≠ b), for `nodes` (and all read before)."""
        todo = set(nodes) - self.read
        for rel in EDGE_RELATIONS if todo else ():
            for a, b in _rows(self.store, _EDGE.format(p=rel), "a", todo):
                if a and b and a != b:
                    self.out[a][b].add(rel)
        self.read |= todo
        return self.out

    def targets(self, nodes: Iterable[str], relations: set[str], *, unless: frozenset[str] = frozenset()) -> set[str]:
        """What `nodes` point to by one of `relations` (and none of `unless`)."""
        nodes = set(nodes)
        out = self.edges(nodes)
        return {b for a in nodes for b, rels in out.get(a, {}).items() if rels & relations and not rels & unless}


def resolve_focus(store: Any, ref: str) -> tuple[str, str, int]:
    """(node, how, candidates) as `viz.graph.resolve` gives them, from the store: the instrument
    `ref` means (the most cited of several); `how` is "iri", "exact", "code" or "refs"."""
    from kg import refs
    from kg.ids import parse_symbol

    typed = unicodedata.normalize("NFC", ref).strip()
    if re.match(r"^https?://\S+$", typed) and _Reader(store).instruments([typed]):
        return typed, "iri", 1
    found = [c for c in refs.resolve(store, typed) if c.iri]
    found = [c for c in found if c.iri in _Reader(store).instruments(c.iri for c in found)]
    if not found:
        raise RefError(f"no instrument on the map matches {typed!r}; try the symbol as written (33/CT-TTg), "
                       "with its year (33/CT-TTg 2021), or ingest the documents that cite it")
    bare = split_year(typed)[0]
    wanted = parse_symbol(bare)
    exact = [c for c in found if fold(c.symbol) == fold(bare)]
    same = [c for c in found if wanted is not None and c.symbol and same_symbol(parse_symbol(c.symbol), wanted)]
    how, candidates = ("exact", exact) if exact else ("code", same) if same else ("refs", found)
    iris = [c.iri for c in candidates]
    cited = {b: int(n or 0) for b, n in _rows(store, _CITED_BY, "b", iris) if b}
    documents = {i for (i,) in _rows(store, _DOCUMENTS, "i", iris) if i}
    best = sorted(iris, key=lambda i: (-cited.get(i, 0), i not in documents, i))
    return best[0], how, len(best)


def lineage_nodes(r: _Reader, node: str, depth: int) -> set[str]:
    """What `viz.graph.lineage(whole graph, node, depth)` returns, walked in the store."""
    def walk(up: bool) -> set[str]:
        seen, frontier = {node}, {node}
        for _ in range(depth):
            if up:
                found = r.targets(frontier, {KG + "implements"})
            else:
                found = {a for a, b in _rows(r.store, _IMPLEMENTS, "b", frontier) if a != b}
            frontier = r.instruments(found - seen)
            seen |= frontier
        return seen

    citers = {a for (a,) in _rows(r.store, _CITERS, "b", [node]) if a and a != node}
    return replacements(r, walk(True) | walk(False) | r.instruments(citers))


def replacements(r: _Reader, nodes: set[str]) -> set[str]:
    """`nodes` and the instruments replacing them, along whole chains (`viz.graph._with_replacements`:
    an edge that is also a citation is drawn as one, and not followed)."""
    out, frontier = set(nodes), set(nodes)
    while frontier:
        frontier = r.instruments(r.targets(frontier, _REPLACING, unless=_LINKING) - out)
        out |= frontier
    return out


def _above(r: _Reader, nodes: set[str]) -> set[str]:
    """Everything the instruments of `nodes` carry out, transitively."""
    out, frontier = set(nodes), set(nodes)
    while frontier:
        frontier = r.instruments(r.targets(frontier, {KG + "implements"}) - out)
        out |= frontier
    return out


def _context(r: _Reader, nodes: set[str], cited: set[str], facts_rows: list[dict[str, str]]) -> Context:
    """What the attributes of `nodes` are made from; of the instruments they `cited`, only what
    their status needs (their facts and expiry dates)."""
    store = r.store
    props: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for p in PROPERTIES:
        for i, v, n in _rows(store, _PROP.format(p=p), "i", nodes):
            props[i][_local(p)][v] += int(n or 1)  # type: ignore[index,arg-type]
    for i, v in _rows(store, _EXPIRED, "i", cited - nodes):
        props[i]["expiredOn"][v] += 1  # type: ignore[index]
    sources = {i: path for i, path in _rows(store, Q_SOURCES, "i", nodes) if i}
    named = {v for i in nodes for v in props.get(i, {}).get("issuer", {})}
    typed = {i for (i,) in _rows(store, Q_ISSUERS, "iss", named)}
    rows = [{"iss": a, "p": p, "v": v} for p in ISSUER_PROPERTIES
            for a, v in _rows(store, _ISSUER_PROP.format(p=p), "iss", named)]
    issuers = _by_subject(rows, "iss", typed, ISSUER_NAMES)  # type: ignore[arg-type]
    kinds: dict[str, str] = {}
    for k, label in _rows(store, Q_KINDS, "k", {v for i in nodes for v in props.get(i, {}).get("kind", {})}):
        kinds[k] = min(kinds.get(k, label), label)  # type: ignore[arg-type,index]
    facts: dict[str, list[dict[str, str]]] = defaultdict(list)
    wanted = nodes | cited
    for row in facts_rows:
        if row["s"] in wanted and row not in facts[row["s"]]:
            facts[row["s"]].append(row)
    return Context(props, sources, issuers, r.places, kinds, facts)


def focus_graph(store: Any, node: str, depth: int) -> tuple[nx.DiGraph, nx.DiGraph]:
    """The focus's lineage as `viz.graph.build_map` cuts it from the whole graph (attributes, citation
    counts and stale counts as there), and the graph it was cut from (which also holds the
    instruments the nodes' details name, for their labels)."""
    r = _Reader(store)
    return _part(r, lineage_nodes(r, node, depth), store.select(Q_FACTS))


def unit_graph(store: Any, text: str) -> tuple[nx.DiGraph, nx.DiGraph] | None:
    """What `viz.graph.unit_nodes(whole graph, text)` keeps (the documents of the units whose name or
    place contains `text`, folded, what they cite and its replacements), as `focus_graph` gives a
    lineage. None when the whole graph is the better read: `text` runs across a unit's name and its
    place ("Sở Ngoại vụ (Tây"), or the units it matches wrote more than an eighth of the documents
    (reading a part costs ~4× a whole read per node: at 10k plans, "Sở" took 7.8 s this way, 7.6 s whole)."""
    want = fold(text)
    if not want or any(c in want for c in "(),"):
        return None
    r = _Reader(store)
    found = _unit_candidates(r, want)
    if len(found) > instrument_count(store) // 8:
        return None
    facts_rows = store.select(Q_FACTS)
    context = _context(r, found, set(), facts_rows)
    mine = set()
    for i in found:  # decided on their attributes, as unit_nodes decides
        d = _attributes(i, context.props.get(i, {}), context.sources, context.issuers, context.places,
                        context.kinds, context.facts.get(i, []))
        if d["document"] and any(want in fold(d.get(k)) for k in ("unit", "issuer", "place")):
            mine.add(i)
    cited = r.instruments(r.targets(mine, set(EDGE_RELATIONS)))
    return _part(r, replacements(r, mine | cited), facts_rows)


_NAMES = [_PREFIXES + f"SELECT DISTINCT ?n WHERE {{ ?i kg:{p} ?n }}" for p in ("issuerName", "canonicalIssuerName")]
_NAMED = [_PREFIXES + f"SELECT DISTINCT ?d WHERE {{ ?d kg:{p} ?n . ?src kg:describes ?d }}"
          for p in ("issuerName", "canonicalIssuerName")]
_LABELS = _PREFIXES + "SELECT ?iss ?label WHERE { ?iss a kg:Issuer ; skos:prefLabel ?label }"
_BY_ISSUER = _PREFIXES + "SELECT DISTINCT ?d WHERE { ?d kg:issuer ?iss . ?src kg:describes ?d }"
_PLACED = _PREFIXES + "SELECT DISTINCT ?d WHERE { ?d kg:jurisdiction ?pl . ?src kg:describes ?d }"
_ISSUERS_IN = _PREFIXES + "SELECT DISTINCT ?iss WHERE { ?iss kg:jurisdiction ?pl . ?iss a kg:Issuer }"


def _unit_candidates(r: _Reader, want: str) -> set[str]:
    """Every document whose unit, issuer or place may contain `want` (folded): named so in any
    reading, issued by an issuer so labelled, or placed (itself or its issuer) where a place or
    its province is so named. A superset: `unit_graph` decides on their attributes."""
    store = r.store
    found: set[str] = set()
    for names, named in zip(_NAMES, _NAMED, strict=True):
        matching = [n for (n,) in store.select_values(names) if n and want in fold(n)]
        found |= {d for (d,) in _rows(store, named, "n", matching, literal=True) if d}
    issuers = {i for i, label in store.select_values(_LABELS) if i and want in fold(label)}
    places = r.places

    def province(pl: str) -> str:
        label, seen = places[pl].get("label") or "", {pl}
        parent = places.get(places[pl].get("parent") or "", {})
        while parent:
            label = parent.get("label") or label
            up = parent.get("parent") or ""
            if up in seen:
                break
            seen.add(up)
            parent = places.get(up, {})
        return label

    where = [pl for pl, d in places.items() if want in fold(d.get("label")) or want in fold(province(pl))]
    issuers |= {i for (i,) in _rows(store, _ISSUERS_IN, "pl", where) if i}
    found |= {d for (d,) in _rows(store, _PLACED, "pl", where) if d}
    found |= {d for (d,) in _rows(store, _BY_ISSUER, "iss", issuers) if d}
    return found


def _part(r: _Reader, shown: set[str], facts_rows: list[dict[str, str]]) -> tuple[nx.DiGraph, nx.DiGraph]:
    """`shown` as in the whole graph, and the graph it was cut from (what the attributes and tiers of
    `shown` depend on, and the instruments their details name)."""
    store = r.store
    named = {row["o"] for row in facts_rows if row["s"] in shown and row.get("o")}
    drawn = _above(r, shown) | r.instruments(named - shown)
    out = r.edges(drawn)
    cites = {a: {b for b, rels in out.get(a, {}).items() if rels & _LINKING} for a in shown}
    cited = r.instruments({b for bs in cites.values() for b in bs})
    context = _context(r, drawn, cited, facts_rows)
    edges = ((a, rel, b) for a in drawn for b, rels in out.get(a, {}).items() if b in drawn for rel in rels)
    around = assemble(context, drawn, edges, only=drawn)
    # counted over the whole graph, not over what was read
    counts = {b: int(n or 0) for b, n in _rows(store, _CITED_BY, "b", shown) if b}
    status = {b: _status(context.facts.get(b, []), context.props.get(b, {}).get("expiredOn"))[:2] for b in cited}
    for i in shown:
        d = around.nodes[i]
        d["cited_by"] = counts.get(i, 0)
        as_of = d.get("as_of")
        d["stale"] = sum(1 for b in cites[i] if b in status and status[b][0] == "superseded"
                         and status[b][1] and as_of and as_of >= status[b][1])
    return subgraph(around, shown), around


def instrument_count(store: Any) -> int:
    """How many instruments the store holds (the whole map's size, near enough, without reading it)."""
    return next((int(n or 0) for (n,) in store.select_values(_COUNT)), 0)
