"""The `implements` cascade above and below an instrument, as a tree for people.

Rows are those of `queries/lineage-up.rq` and `lineage-down.rq` (edges with the shortest depth of
each node), read level by level by `kg.cascade`; each node is shown once, under a parent one level
nearer the root.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.cascade import lineage_rows
from kg.refs import Candidate
from kg.store import Store


@dataclass
class Node:
    iri: str
    label: str
    depth: int
    children: list[Node] = field(default_factory=list)


def _label(row: dict[str, str]) -> str:
    head = row.get("symbol") or (row.get("path") or "").rsplit("/", 1)[-1] or row["node"]
    extra = ", ".join(x for x in (row.get("date"), row.get("issuer")) if x)
    return f"{head} ({extra})" if extra else head


def lineage(store: Store, root: Candidate, direction: str, depth: int | None = None,
            rows: list[dict[str, str]] | None = None) -> Node:
    """The tree of what `root` carries out (``up``) or what carries it out (``down``); `rows`: the
    query's rows when the caller has read them already (the web app's instrument page)."""
    if rows is None:
        rows = lineage_rows(store, root.iri, direction, depth or None, ordered=False)  # the walk stops at --depth
    tree = Node(root.iri, root.label, 0)
    placed = {root.iri: tree}
    for d, label, parent_iri, iri in sorted((int(r["depth"]), _label(r), r["parent"], r["node"]) for r in rows):
        parent = placed.get(parent_iri)
        if iri in placed or parent is None or parent.depth != d - 1 or (depth and d > depth):
            continue
        node = Node(iri, label, d)
        parent.children.append(node)
        placed[iri] = node
    return tree


def render_tree(tree: Node) -> list[str]:
    """Indented lines, two spaces per level, children in label order."""
    lines = []

    def walk(node: Node, indent: int) -> None:
        for child in sorted(node.children, key=lambda n: n.label):
            lines.append("  " * indent + "└ " + child.label)
            walk(child, indent + 1)

    walk(tree, 1)
    return lines
