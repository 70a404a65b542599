"""The status registry: sourced facts about instruments and issuers, and canonical metadata.

Facts come from three places, each in graphs of its own: the shipped ``ontology/registry.csv``
(graph ``registry/shipped``), users (``kg registry add`` → ``registry/user``; ``kg registry import
FILE.csv`` → ``registry/import/{hash}``, replaced when the file is imported again), and ingested
texts ("Chỉ thị này thay thế …", written by `kg.build` into that document's graph, with the document
as source). Each fact is a ``kg:StatusFact`` node (subject, relation, object, effective date,
confidence, source, evidence) plus a direct edge (``kg:replacedBy`` …) for fast queries.

Issuer succession (the 2025 restructuring) uses the same rows with an issuer instead of a symbol:
``subject_issuer`` + ``subject_jurisdiction`` and ``object_issuer`` + ``object_jurisdiction``.

Canonical metadata (date, issuer, title) is materialised in the graph ``canonical`` by
`refresh_canonical` after every ingest, forget and registry change, with this precedence:
registry > the instrument's own source document > the most common reading among the documents
that cite it (ties: the earliest date / the alphabetically first reading). ``kg:dateBasis`` etc.
say which rule chose each value; the readings themselves stay in their graphs, so disagreements
(23-QĐ/TW: Bộ Chính trị vs Ban Chấp hành Trung ương) remain queryable.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path

from kg import build, canonical_disk, cascade_index, ids, stale_rows
from kg.build import P, date_lit, iri, lit
from kg.errors import KGError
from kg.model import Jurisdiction
from kg.namespace import KG
from kg.store import Bindings, GraphData, Store, bind, value_blocks

RELATIONS = {  # CSV relation → (concept, direct edge or None)
    "replaced_by": ("Replaced", "replacedBy"),
    "repealed_by": ("Repealed", "repealedBy"),
    "expired": ("Expired", None),
    "succeeded_by": ("Succeeded", "succeededBy"),
    "amended_by": ("Amended", "amendedBy"),
    "successor_unconfirmed": ("SuccessorUnconfirmed", "successorUnconfirmed"),
    "in_force": ("InForce", None),
}
ENDS_FORCE = frozenset({"replaced_by", "repealed_by", "expired"})
CONFIDENCE = ("high", "medium", "low")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOCAL_ISSUER = [  # leading words of a local issuer's name → its code
    (re.compile(r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\b", re.I), "UBND"),
    (re.compile(r"^(hội đồng nhân dân|hđnd)\b", re.I), "HĐND"),
    (re.compile(r"^(ban thường vụ )?tỉnh ủy\b", re.I), "TU"),
    (re.compile(r"^(ban thường vụ )?huyện ủy\b", re.I), "HU"),
]


@dataclass(frozen=True, slots=True)
class Fact:
    """One registry row (columns of ``registry.csv``; the last three are optional)."""

    subject_symbol: str = ""
    subject_date: str = ""
    subject_issuer: str = ""
    subject_title: str = ""
    relation: str = ""
    object_symbol: str = ""
    object_date: str = ""
    effective_date: str = ""
    confidence: str = ""
    source: str = ""
    evidence: str = ""
    subject_jurisdiction: str = ""
    object_issuer: str = ""
    object_jurisdiction: str = ""

    def check(self) -> None:
        """Raise KGError naming the bad column and value."""
        if not (self.subject_symbol or self.subject_issuer):
            raise KGError("a fact needs subject_symbol (an instrument) or subject_issuer (an issuer)")
        if self.relation not in RELATIONS:
            raise KGError(f"relation {self.relation!r} is not one of: {', '.join(RELATIONS)}")
        if self.confidence not in CONFIDENCE:
            raise KGError(f"confidence {self.confidence!r} is not one of: high, medium, low")
        if not self.source:
            raise KGError("source is empty: say where the fact was found")
        for name in ("subject_date", "object_date", "effective_date"):
            value = getattr(self, name)
            if value and not _DATE.match(value):
                raise KGError(f"{name} {value!r} is not an ISO date (YYYY-MM-DD)")
        if RELATIONS[self.relation][1] and not (self.object_symbol or self.object_issuer):
            raise KGError(f"relation {self.relation} needs object_symbol (or object_issuer)")


COLUMNS = [f.name for f in fields(Fact)]


def read_csv(path: str | Path) -> list[Fact]:
    """Facts of a CSV file with the registry's columns; errors name the file and line."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS[:11] if c not in (reader.fieldnames or [])]
            if missing:
                raise KGError(f"missing columns {', '.join(missing)}; the header must be {','.join(COLUMNS[:11])}",
                              path=str(path))
            facts = []
            for row in reader:
                fact = Fact(**{c: (row.get(c) or "").strip() for c in COLUMNS})
                try:
                    fact.check()
                except KGError as e:
                    raise KGError(f"line {reader.line_num}: {e}", path=str(path)) from None
                facts.append(fact)
            return facts
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise KGError(f"cannot read the CSV ({e})", path=str(path)) from e


def _jurisdiction(label: str) -> Jurisdiction | None:
    """"Tây Ninh" → province; "Đak Đoa, Gia Lai" → district of a province."""
    parts = [p.strip() for p in label.split(",") if p.strip()]
    if len(parts) == 1:
        return Jurisdiction(province=parts[0], level="province")
    if len(parts) == 2:
        return Jurisdiction(province=parts[1], district=parts[0], level="district")
    return None


def _issuer_code(name: str) -> str | None:
    if build.issuer_names(name) is not None or ids.issuer_scope(name) == "national":
        return name
    for pattern, code in _LOCAL_ISSUER:
        if pattern.match(name):
            return code
    return None


def _party(t: build.Triples, symbol: str, date: str, issuer: str, jurisdiction: str,
           title: str = "") -> str:
    j = _jurisdiction(jurisdiction) if jurisdiction else None
    if symbol:
        parts = ids.parse_symbol(symbol)
        if parts is None:
            raise KGError(f"symbol {symbol!r} has no number/code shape (like 33/CT-TTg)")
        if ids.issuer_scope(parts.issuer_code) == "local" and j is None:
            raise KGError(f"{symbol} is a local instrument: give its jurisdiction (province)")
        node = iri(ids.instrument_iri(symbol=symbol, date=date or None, jurisdiction=j))
        t.add(node, build.RDF_TYPE, P.Instrument)
        t.add(node, P.symbol, lit(symbol))
        t.add(node, P.date, date_lit(date))
        t.add(node, P.issuerName, lit(issuer) if issuer else None)
        t.add(node, P.title, lit(title) if title else None)
        return node
    code = _issuer_code(issuer)
    node = build.issuer_node(t, code, None if code else issuer, j)
    if node is None:
        raise KGError(f"issuer {issuer!r} is local: give its jurisdiction")
    return node


def fact_triples(facts: list[Fact]) -> list[str]:
    """N-Triples of facts (subjects and objects with the metadata the registry gives them)."""
    t = build.Triples()
    for fact in facts:
        s = _party(t, fact.subject_symbol, fact.subject_date, fact.subject_issuer, fact.subject_jurisdiction,
                   fact.subject_title)
        o = None
        if fact.object_symbol or fact.object_issuer:
            o = _party(t, fact.object_symbol, fact.object_date,
                       fact.object_issuer if not fact.object_symbol else "", fact.object_jurisdiction)
        concept, edge = RELATIONS[fact.relation]
        node = iri(ids.fact_iri(s, fact.relation, o, fact.effective_date, fact.source))
        t.add(node, build.RDF_TYPE, P.StatusFact)
        t.add(node, P.subject, s)
        t.add(node, P.relation, getattr(P, concept))
        t.add(node, P.object, o)
        t.add(node, P.effectiveDate, date_lit(fact.effective_date))
        t.add(node, P.confidence, lit(fact.confidence))
        t.add(node, P.source, lit(fact.source))
        t.add(node, P.evidence, lit(fact.evidence) if fact.evidence else None)
        if edge and o:
            t.add(s, getattr(P, edge), o)
        if fact.relation in ENDS_FORCE and fact.confidence != "low":
            t.add(s, P.expiredOn, date_lit(fact.effective_date))
    return t.lines + list(dict.fromkeys(t.shared))  # a registry graph describes its issuers itself


def shipped_path() -> Path:
    return Path(str(resources.files("ontology") / "registry.csv"))


def _replace(store: Store, graph: str, facts: list[Fact], sha: str) -> None:
    marker = f"<{graph}> {P.graphOf} <{ids.source_iri(sha)}> ."
    store.write_graphs([GraphData(graph, fact_triples(facts), [marker])])


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_shipped(store: Store) -> bool:
    """Load ``ontology/registry.csv`` into its graph unless that version is already there."""
    path, graph = shipped_path(), ids.registry_graph()
    sha = _sha(path)
    rows = store.select("PREFIX kg: <https://kg.vn-plans.org/ns#>\n"
                        "SELECT ?src WHERE { GRAPH ?g { ?g kg:graphOf ?src } }", {"g": f"<{graph}>"})
    if rows and rows[0]["src"] == ids.source_iri(sha):
        return False
    _replace(store, graph, read_csv(path), sha)
    return True


def import_csv(store: Store, path: str | Path) -> int:
    """Import a user CSV into a graph of its own (importing the same file again replaces it)."""
    facts = read_csv(path)
    index = cascade_index.Keeper(store)
    mark_canonical_pending(store)  # cleared by the refresh below; a kill in between leaves it for the next run
    try:
        _replace(store, ids.import_graph(str(path)), facts, _sha(Path(path)))
    except KGError as e:
        raise KGError(str(e), path=str(path)) from e
    refresh_canonical(store)
    index.finish(canonical=None)
    stale_rows.keep_after_write(store)  # the facts changed: the readers' stale report too
    return len(facts)


def add_fact(store: Store, fact: Fact) -> None:
    """Add one fact to the user graph."""
    fact.check()
    lines = "\n".join(fact_triples([fact]))
    index = cascade_index.Keeper(store)
    mark_canonical_pending(store)
    store.update(f"INSERT DATA {{ GRAPH <{ids.registry_graph('user')}> {{\n{lines}\n}} }}")
    refresh_canonical(store)
    index.finish(canonical=None)
    stale_rows.keep_after_write(store)


# The relation concepts' notations, inlined so listing does not depend on the ontology being loaded.
_NOTATIONS = "VALUES (?rel ?relation) { " + " ".join(
    f"({getattr(P, c)} \"{k}\")" for k, (c, _) in RELATIONS.items()) + " }"
_LIST = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?fact ?g ?subject ?subjectSymbol ?subjectDate ?subjectName ?relation ?object ?objectSymbol ?objectDate
       ?objectName ?effective ?confidence ?source ?evidence WHERE {
  GRAPH ?g { ?fact a kg:StatusFact ; kg:subject ?subject ; kg:relation ?rel ; kg:confidence ?confidence ;
                   kg:source ?source .
             OPTIONAL { ?fact kg:effectiveDate ?effective } OPTIONAL { ?fact kg:evidence ?evidence }
             OPTIONAL { ?subject kg:symbol ?subjectSymbol } OPTIONAL { ?subject kg:date ?subjectDate }
             OPTIONAL { ?subject skos:prefLabel ?subjectName FILTER(lang(?subjectName) = "vi") }
             OPTIONAL { ?fact kg:object ?object
                        OPTIONAL { ?object kg:symbol ?objectSymbol } OPTIONAL { ?object kg:date ?objectDate }
                        OPTIONAL { ?object skos:prefLabel ?objectName FILTER(lang(?objectName) = "vi") } } }
  NOTATIONS
}
""".replace("NOTATIONS", _NOTATIONS)


def list_facts(store: Store, symbol: str | None = None, subject: str | None = None) -> list[dict[str, str]]:
    """Every fact (optionally only those about `symbol`, or about the node `subject`), each with the
    graph it comes from."""
    rows = store.select(_LIST, {"subject": f"<{subject}>"} if subject else None)
    if symbol:
        wanted = ids.parse_symbol(symbol)
        rows = [r for r in rows if r.get("subjectSymbol") == symbol
                or (wanted and ids.parse_symbol(r.get("subjectSymbol", "")) == wanted)]
    return sorted(rows, key=lambda r: (r.get("subjectSymbol") or r.get("subjectName", ""),
                                       r.get("subjectDate", ""), r.get("effective", ""), r["relation"]))



def origin(graph: str) -> str:
    """Short name of where a fact comes from: shipped, user, import, or document."""
    prefix = ids.registry_graph("")
    return graph[len(prefix):].split("/")[0] if graph.startswith(prefix) else "document"


# Each claimed property is read by a query of its own with the property fixed: a VALUES block over
# the properties, joined with VALUES over a chunk of instruments, makes Oxigraph scan every reading
# (30 s instead of 1 s for 1,000 instruments in a 10k-document store).
# Votes: one per graph (document, registry graph) that gives a reading, counted by Oxigraph (without
# decoding a row per graph: 17M readings of each property at a million plans, ~1.1M distinct pairs).
_VOTES = "SELECT ?i ?v (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?i @P@ ?v } } GROUP BY ?i ?v"
# Readings that outrank the votes: an instrument's own source document's …
_OWN = "SELECT ?i ?v WHERE { GRAPH ?g { ?own <https://kg.vn-plans.org/ns#describes> ?i . ?i @P@ ?v } }"
# … for every instrument as a hash join of two scans (the subqueries keep Oxigraph from looking up
# each document's reading on its own: at a million plans those lookups read the disk at random,
# ~320 a second, about an hour a property; the join reads each index in order: 66 s cold, and at
# 100k plans 28.6 → 8.3 s). With ?i bound, _OWN's lookups are the fast way.
_OWN_ALL = ("SELECT ?i ?v WHERE {"
            " { SELECT ?g ?i WHERE { GRAPH ?g { ?own <https://kg.vn-plans.org/ns#describes> ?i } } }"
            " { SELECT ?g ?i ?v WHERE { GRAPH ?g { ?i @P@ ?v } } } }")
# … and the registry's, per registry graph (a handful: shipped, user, one per imported file).
_IN_GRAPH = "SELECT ?i ?v WHERE { GRAPH @G@ { ?i @P@ ?v } }"
# the graphs holding status facts (registry graphs, and file graphs whose document states one): read
# through the facts' kg:relation, not by listing every graph (25 s at 100k plans, on every refresh)
_FACT_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?fact <https://kg.vn-plans.org/ns#relation> ?relation } }"
_CANONICAL = {  # claimed property → (canonical property, basis property)
    str(KG.date): (P.canonicalDate, P.dateBasis),
    str(KG.issuerName): (P.canonicalIssuerName, P.issuerBasis),
    str(KG.title): (P.canonicalTitle, P.titleBasis),
}
RANKS = ("registry", "source", "mentions")
CHUNK = 1000
WRITE_CHUNK = 200_000


def _canonical_lines(store: Store, bindings: Bindings | None = None) -> Iterator[list[str]]:
    """Canonical metadata lines for every instrument read (or those bound to ?i), property by
    property (`_chosen`)."""
    for (target, basis), chosen in _chosen_by_property(store, bindings):
        yield list(_lines(target, basis, chosen))


def _chosen_by_property(store: Store, bindings: Bindings | None = None
                        ) -> Iterator[tuple[tuple[str, str], dict[str, list]]]:  # type: ignore[type-arg]
    """(canonical and basis properties, `_chosen`) for each claimed property, one held at a time."""
    for pair, queries in _queries(store, bindings):
        yield pair, _chosen(store, queries, bindings)


def _queries(store: Store, bindings: Bindings | None = None) -> Iterator[tuple[tuple[str, str], list[tuple[int, str]]]]:
    """(canonical and basis properties, the (rank, query) reading its claims, in rank order) for each
    claimed property; the instruments bound to ?i, or all."""
    prefix = ids.registry_graph("")
    registry_graphs = [g for g, in store.select_values(_FACT_GRAPHS) if g and g.startswith(prefix)]
    for prop, pair in _CANONICAL.items():
        queries = [(0, _IN_GRAPH.replace("@G@", f"<{g}>")) for g in registry_graphs]
        queries += [(1, _OWN if bindings else _OWN_ALL), (2, _VOTES)]  # in rank order: lower ranks skipped
        yield pair, [(rank, q.replace("@P@", f"<{prop}>")) for rank, q in queries]


def _chosen(store: Store, queries: list[tuple[int, str]], bindings: Bindings | None) -> dict[str, list]:  # type: ignore[type-arg]
    """Instrument → [rank, votes, value] of its canonical reading: of the readings of the highest
    rank present (`queries`, in rank order), the most common (one vote per graph; ties: the smallest
    value, so the earliest date). For the instruments bound to ?i (a refresh of some); a refresh of
    all tallies them on disk instead (`kg.canonical_disk`, the same choice)."""
    chosen: dict[str, list] = {}  # type: ignore[type-arg]
    several: dict[str, Counter[str]] = {}
    for rank, query in queries:
        for inst, value, *count in store.select_values(query, bindings):
            n = int(count[0]) if count else 1  # type: ignore[arg-type]
            c = chosen.get(inst)  # type: ignore[arg-type]
            if c is None:
                chosen[inst] = [rank, n, value]  # type: ignore[index]
            elif c[0] != rank:
                continue  # read at a higher rank: that decides
            elif inst in several:
                several[inst][value] += n  # type: ignore[index]
            elif c[2] == value:
                c[1] += n
            else:
                several[inst] = Counter({c[2]: c[1], value: n})  # type: ignore[index,dict-item]
    for inst, counted in several.items():
        c = chosen[inst]
        c[2], c[1] = min(counted.items(), key=lambda kv: (-kv[1], kv[0]))
    return chosen


def _objects(target: str, rank: int, value: str) -> tuple[str | None, str]:
    """The N-Triples objects of an instrument's canonical value (None: not a date) and basis."""
    return (date_lit(value) if target == P.canonicalDate else lit(value)), lit(RANKS[rank])


def _lines(target: str, basis: str, chosen: dict[str, list]) -> Iterator[str]:  # type: ignore[type-arg]
    """The canonical graph's lines of `chosen`."""
    for inst, (rank, _, value) in chosen.items():
        o, b = _objects(target, rank, value)
        if o is not None:
            yield f"{iri(inst)} {target} {o} ."
        yield f"{iri(inst)} {basis} {b} ."


# Canonical metadata is derived from every graph after the graphs are written; a process killed in
# between would leave it stale with every file already stored (a rerun finds nothing to do). So
# whoever writes graphs (ingest, forget, registry changes) marks a refresh pending before its first
# write and clears it once the refresh is done; whoever finds the mark redoes the whole refresh
# (`kg verify` reports it too).
def _pending_triple() -> str:
    return f"GRAPH <{ids.state_graph()}> {{ <{ids.canonical_graph()}> {P.refreshPending} true }}"


def canonical_pending(store: Store) -> bool:
    return bool(store.select(f"SELECT (1 AS ?x) WHERE {{ {_pending_triple()} }}"))


def mark_canonical_pending(store: Store) -> None:
    store.update(f"INSERT DATA {{ {_pending_triple()} }}")


def clear_canonical_pending(store: Store) -> None:
    store.update(f"DELETE DATA {{ {_pending_triple()} }}")


def refresh_canonical(store: Store, instruments: Iterable[str] | None = None) -> None:
    """Recompute canonical metadata (see module docstring): for every instrument (the graph
    rewritten property by property, only the triples that changed), or only for
    `instruments` (those whose claims an ingest or forget just changed), in chunks each replaced in
    one update."""
    graph = ids.canonical_graph()
    if instruments is None:
        mark_canonical_pending(store)  # the graph is rewritten in several updates
        with canonical_disk.scratch() as db:  # every instrument's readings: tallied on disk
            for pair, queries in _queries(store):
                canonical_disk.rewrite(db, store, graph, pair, queries, _objects, chunk=CHUNK, write_chunk=WRITE_CHUNK)
        written = ", ".join(p for pair in _CANONICAL.values() for p in pair)
        store.update(f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} "  # what no property writes any more
                     f"WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o FILTER(?p NOT IN ({written})) }} }}")
        clear_canonical_pending(store)
        return
    for block in value_blocks("i", sorted(set(instruments)), CHUNK):
        lines = "\n".join(itertools.chain.from_iterable(_canonical_lines(store, block)))
        delete = bind(f"DELETE {{ GRAPH <{graph}> {{ ?i ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ ?i ?p ?o }} }}", block)
        store.update(f"{delete} ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{lines}\n}} }}")
