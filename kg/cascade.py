"""The rows of `queries/lineage-up.rq` and `lineage-down.rq`, walked level by level.

The named queries find each node's shortest depth with seven property-path branches evaluated over
the whole cascade, and label every row from every graph that restates the node's symbol: at 100k
plans a central directive's cascade (9,419 plans) took 4.5 s. Here the cascade is walked breadth
first, one query per level over the frontier (`kg:implements` looked up from its bound end), and
each node is labelled once. Where the store keeps a cascade index for the snapshot read
(`kg.cascade_index`), the walk and the labels are read from it instead, with one read a node.
`tests/test_cascade.py` holds the rows to the named queries'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kg import cascade_index
from kg.store import Store, value_blocks

_PREFIX = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"
_BELOW = _PREFIX + "SELECT ?node ?parent WHERE { ?node kg:implements ?parent }"  # what carries ?parent out
_ABOVE = _PREFIX + "SELECT ?node ?parent WHERE { ?parent kg:implements ?node }"  # what ?parent carries out
_CANONICAL = _PREFIX + """SELECT ?node ?date ?issuer WHERE {
  OPTIONAL { ?node kg:canonicalDate ?date } OPTIONAL { ?node kg:canonicalIssuerName ?issuer }
}"""
_CANONICAL_TITLED = _PREFIX + """SELECT ?node ?date ?issuer ?title WHERE {
  OPTIONAL { ?node kg:canonicalDate ?date } OPTIONAL { ?node kg:canonicalIssuerName ?issuer }
  OPTIONAL { ?node kg:canonicalTitle ?title }
}"""  # going up only: few nodes
_SYMBOLS = _PREFIX + "SELECT ?node (SAMPLE(?s) AS ?symbol) WHERE { ?node kg:symbol ?s } GROUP BY ?node"
# a node's file and symbol from its own document's graph: one graph each, where the symbol of a much-cited
# plan is restated in every graph citing it (what _SYMBOLS reads, for the nodes no file describes)
_OWN = _PREFIX + """SELECT ?node ?path ?symbol WHERE {
  GRAPH ?g { ?src kg:describes ?node ; kg:sourcePath ?path } OPTIONAL { GRAPH ?g { ?node kg:symbol ?symbol } }
}"""  # the OPTIONAL in a GRAPH of its own: inside the first, the VALUES-bound block read every document (4× slower)
# one symbol of a node: an instrument many plans cite has its symbol restated in each of their graphs
_SYMBOL = _PREFIX + "SELECT ?symbol WHERE { ?node kg:symbol ?symbol } LIMIT 1"
DEEPEST = 7  # depths from here on are reported as 7 ("7 or more"), as the named queries do
CHUNK = 500
MANY = 40  # above this many nodes, symbols are read with the other labels (plans: few citers each)

Row = dict[str, str]


def lineage_rows(store: Store, root: str, direction: str, max_depth: int | None = None, *,
                 ordered: bool = True) -> list[Row]:
    """The rows `queries.run(store, f"lineage-{direction}", {"root": root})` returns (``up``: with
    titles; ``down``: with each node's first file), ordered by depth, symbol, path and node; with
    `max_depth`, the walk stops there (the rows of the nodes that deep, each with its parents
    found so far); not `ordered` for a caller that orders them its own way (`kg.lineage`)."""
    db, up = cascade_index.reader(store), direction == "up"
    if db is None:
        query = _ABOVE if up else _BELOW

        def step(frontier: list[str]) -> Iterator[tuple[str, str]]:
            for block in value_blocks("parent", frontier, CHUNK):
                yield from store.select_values(query, block)  # type: ignore[misc]
        depth, edges = _walk(step, root, max_depth)
        labels = _labels(store, sorted(depth), with_path=not up, with_title=up)
        rows = [{"parent": p, "node": n, "depth": str(depth[n]), **labels.get(n, {})} for p, n in dict.fromkeys(edges)]
    else:  # the index: nodes walked and labelled as integers, named once each
        start = cascade_index.node_id(db, root)  # None: no edge names it
        found, steps = ({}, []) if start is None else _walk(lambda f: cascade_index.step(db, f, direction),
                                                           start, max_depth)
        named, iri = cascade_index.labels(db, sorted(found), with_path=not up, with_title=up)
        iri[start] = root  # type: ignore[index]
        rows = [{"parent": iri[p], "node": iri[n], "depth": str(found[n]), **named[n]} for p, n in dict.fromkeys(steps)]
    if not ordered:
        return rows
    return sorted(rows, key=lambda r: (int(r["depth"]), r.get("symbol", ""), r.get("path", ""), r["node"], r["parent"]))


def _walk(step: Callable[[list[Any]], Iterator[tuple[Any, Any]]], root: Any,
          max_depth: int | None) -> tuple[dict[Any, int], list[tuple[Any, Any]]]:
    """Breadth first from `root`: each node's shortest depth (7 or more as 7) and the edges met,
    (parent, node); `step` gives (node, parent) for the edges one level from a frontier."""
    depth: dict[Any, int] = {}
    edges: list[tuple[Any, Any]] = []  # (parent, node)
    frontier, level, expanded = [root], 0, {root}
    while frontier and (max_depth is None or level < max_depth):
        level += 1
        found: list[Any] = []
        for node, parent in step(frontier):
            assert node is not None and parent is not None
            edges.append((parent, node))
            if node not in depth:
                depth[node] = min(level, DEEPEST)
            if node not in expanded:
                expanded.add(node)
                found.append(node)
        frontier = found
    return depth, edges


def _labels(store: Store, nodes: list[str], *, with_path: bool, with_title: bool) -> dict[str, Row]:
    """Each node's symbol (any of those written), canonical date, issuer and title, and first file;
    read as tuples (decoding rows into dicts cost as much as the queries: 10k plans, a 3,084-node
    cascade)."""
    out: dict[str, Row] = {n: {} for n in nodes}
    keys = ("date", "issuer", "title") if with_title else ("date", "issuer")
    canonical = _CANONICAL_TITLED if with_title else _CANONICAL
    for block in value_blocks("node", nodes, CHUNK):
        for node, *values in store.select_values(canonical, block):
            row = out[node]  # type: ignore[index]
            for key, value in zip(keys, values, strict=False):
                if value is not None:
                    row.setdefault(key, value)
        for node, path, symbol in store.select_values(_OWN, block):
            row = out[node]  # type: ignore[index]
            if with_path and path is not None and path < row.get("path", "\uffff"):
                row["path"] = path
            if symbol is not None:
                row.setdefault("symbol", symbol)
    unnamed = [n for n in nodes if "symbol" not in out[n]]
    if len(unnamed) > MANY:
        for block in value_blocks("node", unnamed, CHUNK):
            for node, symbol in store.select_values(_SYMBOLS, block):
                if symbol is not None:
                    out[node]["symbol"] = symbol  # type: ignore[index]
    else:  # few nodes, perhaps much cited: one symbol each, read without the fan-out
        for node in unnamed:
            for (symbol,) in store.select_values(_SYMBOL, {"node": f"<{node}>"}):
                if symbol is not None:
                    out[node]["symbol"] = symbol
    return out
