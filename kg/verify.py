"""Check a store's integrity and say, for each problem, the command that repairs it.

`verify_store` looks at what `kg ingest` promises (kg/ingest.py's docstring): one named graph per
source file, each closed by its completion markers (``<g> kg:graphOf <source>`` and
``<g> kg:sourcePath "…"``), holding exactly one ``kg:SourceDocument`` whose hash is the marker's;
every mention tied to an instrument and its graph to a source document; canonical metadata for every
instrument that has a date, issuer or title reading, and no refresh of it left pending by a killed
run; the cascade index kept for the snapshot read (`kg.cascade_index`) holding exactly the rows a
whole build from it would (its absence is a note: readers then read the store); and, unless
``shapes=False``, the union of the graphs conforming to ``ontology/shapes.ttl`` (the check
`kg validate` runs), each violation named by the file whose graph holds its focus node.

>>> from kg.verify import Problem
>>> Problem("unfinished", "a.txt: interrupted ingest", "kg ingest --store s a.txt").line()
'a.txt: interrupted ingest — repair: kg ingest --store s a.txt'
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field

from kg import ids
from kg.registry import canonical_pending
from kg.store import Store, export_rdf

KG = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"

_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
_MARKERS = KG + """SELECT ?g ?src ?path WHERE { GRAPH ?g { ?g kg:graphOf ?src OPTIONAL { ?g kg:sourcePath ?path } } }"""
_SOURCES = KG + """SELECT ?g ?d ?sha ?path WHERE { GRAPH ?g { ?d a kg:SourceDocument
  OPTIONAL { ?d kg:sha256 ?sha } OPTIONAL { ?d kg:sourcePath ?path } } }"""
_DANGLING = KG + """SELECT ?g ?m ?what WHERE {
  { GRAPH ?g { ?m kg:mentionOf ?i } FILTER NOT EXISTS { ?i a kg:Instrument }
    BIND("mentionOf" AS ?what) }
  UNION
  # a mention is in the document whose graph holds it
  { GRAPH ?g { ?m kg:mentionOf ?i } FILTER NOT EXISTS { GRAPH ?g { ?d a kg:SourceDocument } }
    BIND("mentionIn" AS ?what) }
}"""
_UNCOVERED = KG + """SELECT DISTINCT ?i ?g WHERE {
  VALUES (?prop ?canon) { (kg:date kg:canonicalDate) (kg:issuerName kg:canonicalIssuerName)
                          (kg:title kg:canonicalTitle) }
  GRAPH ?g { ?i ?prop ?v }
  FILTER NOT EXISTS { GRAPH ?c { ?i ?canon ?x } FILTER(?c = ?canonical) }
}"""
_FOCUS = re.compile(r"Focus Node:\s*(\S+)")
_FOCUS_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong: its kind, what is wrong (naming the file), and the command that repairs it."""

    kind: str
    message: str
    repair: str

    def line(self) -> str:
        return f"{self.message} — repair: {self.repair}" if self.repair else self.message


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, not wrong (a file deleted from disk)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def kinds(self) -> set[str]:
        return {p.kind for p in self.problems}


def _q(text: str) -> str:
    return shlex.quote(text)


def verify_store(store: Store, *, shapes: bool = True, index: bool = True) -> Report:
    """Every check of the module docstring over `store`; `shapes=False` skips SHACL (slow on big stores),
    `index=False` the cascade index (a whole build of it to compare with: 37 s at 100k plans).

    Raises StoreError/QueryError when the store cannot be read.
    """
    report = Report()
    at = f"--store {_q(store.location)}"
    files = ids.file_graphs()
    graphs = {r["g"] for r in store.select(_GRAPHS) if r["g"].startswith(files)}
    marked: dict[str, tuple[str, str]] = {}
    for r in store.select(_MARKERS):
        if r["g"].startswith(files):
            marked[r["g"]] = (r["src"].removeprefix(ids.source_iri("")), r.get("path", ""))
    sources: dict[str, list[dict[str, str]]] = {}
    for r in store.select(_SOURCES):
        if r["g"].startswith(files):
            sources.setdefault(r["g"], []).append(r)

    def path_of(g: str) -> str:
        if marked.get(g, ("", ""))[1]:
            return marked[g][1]
        for r in sources.get(g, []):
            if r.get("path"):
                return os.path.abspath(r["path"])
        return ""

    def redo(g: str) -> str:
        """Re-ingest the file. A complete graph must be forgotten first: `kg ingest` skips a file
        whose hash is the one its marker records, however damaged the graph."""
        path = path_of(g)
        if not path:
            return f"kg forget {at} <the file's path>"
        if g in marked:
            return f"kg forget {at} {_q(path)} && kg ingest {at} {_q(path)}"
        return f"kg ingest {at} {_q(path)}"

    for g in sorted(graphs):
        path = path_of(g) or g
        if g not in marked:
            report.problems.append(Problem(
                "unfinished", f"{path}: graph without its completion marker (an ingest was interrupted)", redo(g)))
            continue
        docs = sources.get(g, [])
        sha = marked[g][0]
        if len(docs) != 1:
            report.problems.append(Problem(
                "documents", f"{path}: {len(docs)} source documents in its graph, expected 1", redo(g)))
        elif docs[0].get("sha") != sha:
            report.problems.append(Problem(
                "hash", f"{path}: the graph's document hash {docs[0].get('sha', '(none)')[:12]}… is not the "
                        f"marker's {sha[:12]}…", redo(g)))
        if marked[g][1] and not os.path.exists(marked[g][1]):
            report.notes.append(f"{marked[g][1]}: no longer on disk; `kg forget {at} {_q(marked[g][1])}` "
                                "drops its graph")

    seen: set[tuple[str, str]] = set()
    for r in store.select(_DANGLING):
        if (r["g"], r["what"]) in seen:
            continue
        seen.add((r["g"], r["what"]))
        target = "instrument" if r["what"] == "mentionOf" else "source document"
        where = path_of(r["g"]) or r["g"]
        repair = redo(r["g"]) if r["g"].startswith(files) else ""
        report.problems.append(Problem(
            "dangling", f"{where}: a mention whose {target} is missing ({r['m']})", repair))

    if canonical_pending(store):  # kg/ingest.py's marker: written before a run's first write, cleared after
        stored = sorted(path for _, path in marked.values() if path)
        report.problems.append(Problem(
            "canonical", "canonical metadata: a refresh is pending (an ingest or forget was interrupted before it "
                         "recomputed it, or ran with --defer-upkeep; the next `kg ingest` of any file redoes it)",
            f"kg ingest {at} {_q(stored[0])}" if stored else f"kg ingest {at} FILE"))

    uncovered: dict[str, str] = {}
    for r in store.select(_UNCOVERED, {"canonical": f"<{ids.canonical_graph()}>"}):
        uncovered.setdefault(r["i"], r["g"])
    for inst, g in sorted(uncovered.items())[:50]:
        path = path_of(g)
        repair = (f"kg forget {at} {_q(path)} && kg ingest {at} {_q(path)}" if path
                  else f"kg registry import {at} FILE.csv (any registry change recomputes canonical metadata)")
        report.problems.append(Problem("canonical", f"{inst}: no canonical metadata though "
                                                    f"{path or g} has readings of it", repair))
    if len(uncovered) > 50:
        report.problems.append(Problem("canonical", f"… and {len(uncovered) - 50} more instruments without "
                                                    "canonical metadata", ""))

    if index:
        _index_problems(store, at, report)

    if shapes:
        report.problems.extend(_shape_problems(store, at, path_of, redo, files))

    report.counts = {
        "file_graphs": len(graphs),
        "markers": sum(1 for g in graphs if g in marked),
        "source_documents": sum(len(v) for g, v in sources.items() if g in graphs),
    }
    return report


def _index_problems(store: Store, at: str, report: Report) -> None:
    """The cascade index kept for this snapshot (`kg.cascade_index`) against one built whole from it."""
    import sqlite3

    from kg import cascade_index

    if not getattr(store, "generation", None):
        return  # a server, or a writer: nothing is kept for what it reads
    repair = f"kg verify {at} --rebuild-index"
    try:
        found = cascade_index.differences(store)
    except sqlite3.Error as e:
        report.problems.append(Problem("index", f"cascade index: cannot be read ({e}); kg lineage, kg cited-by "
                                                "and kg show read the store instead (slower)", repair))
        return
    except OSError as e:  # the index to compare with: not the store's problem
        report.notes.append(f"the cascade index was not checked: {' '.join(str(e).split())}")
        return
    if found is None:
        report.notes.append("no cascade index is kept for this state of the store: kg lineage, kg cited-by and "
                            f"kg show read the store (slower on a large one); `{repair}` builds it (so does the "
                            "next kg ingest)")
    elif found:
        what = "; ".join(f"{table}: {missing} missing, {extra} in excess" for table, (missing, extra) in found.items())
        report.problems.append(Problem("index", f"cascade index: differs from the store ({what}); kg lineage, "
                                                "kg cited-by and kg show answer from it", repair))


def _shape_problems(store: Store, at: str, path_of, redo, files: str) -> list[Problem]:  # type: ignore[no-untyped-def]
    """SHACL over the union of the graphs (`kg validate`'s check), each violation named by its file."""
    from kg.commands.validate import validate

    conforms, text = validate(export_rdf(store, "nquads"), "nq")
    if conforms:
        return []
    out: list[Problem] = []
    focus = list(dict.fromkeys(_FOCUS.findall(text)))
    for node in focus[:50]:
        value = node.strip("<>")
        in_graphs = [r["g"] for r in store.select(_FOCUS_GRAPHS, {"s": f"<{value}>"})] if ":" in value else []
        file_graphs = [g for g in in_graphs if g.startswith(files)]
        if file_graphs:
            g = file_graphs[0]
            out.append(Problem("shapes", f"{path_of(g) or g}: {value} violates the SHACL shapes "
                                         "(`kg validate` shows the details)", redo(g)))
        else:
            out.append(Problem("shapes", f"{value} violates the SHACL shapes in "
                                         f"{', '.join(in_graphs) or 'the store'} (`kg validate` shows the details)",
                               f"kg registry list {at} (then fix or re-import the facts)"))
    if not focus:
        out.append(Problem("shapes", "the store does not conform to the SHACL shapes", f"kg validate {at}"))
    return out
