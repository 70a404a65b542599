"""Fixed tiered coordinates for the cascade map (physics off: vis-network never settles at 1,000 nodes).

Tier → band from top to bottom (central bodies, ministries and provinces, departments and
districts, communes). Inside a band, the instruments on an implementing chain come first, each
placed as close as it can get under the instruments it implements (the mean x of those already
placed above); instruments that are only cited sit beside them, to the right, most cited first,
wrapped into rows so that a band never grows wider than `row_max` nodes (`row_width`).

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("ct", tier=0, label="33/CT-TTg", cited_by=2)
>>> g.add_node("kh", tier=1, label="1243/KH-UBND", cited_by=0)
>>> g.add_edge("kh", "ct", relation="implements")
>>> pos = tiered_layout(g)
>>> pos["kh"][0] == pos["ct"][0] and pos["kh"][1] > pos["ct"][1]
True
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

X_GAP = 160  # px between neighbours in a row (labels are symbols, ~12 characters)
ROW_GAP = 75  # px between wrapped rows of one band
BAND_GAP = 220  # px between bands
ROW_MAX = 40
CHAR_PX = 13  # width of a label character at the page's node font size
LABEL_CHARS = 30  # labels are cut there (viz.render.LABEL_MAX)


def row_width(n: int) -> int:
    """Nodes per row for a map of `n` nodes: about 1.2 √n (a landscape page), 8 to ROW_MAX.

    >>> row_width(10), row_width(93), row_width(5000)
    (8, 12, 40)
    """
    return max(8, min(ROW_MAX, math.ceil(1.2 * math.sqrt(max(n, 1)))))


def _on_chain(g: nx.DiGraph, n: str) -> bool:
    """Part of an implementing chain (or an ingested document / a group): drawn as the backbone."""
    d = g.nodes[n]
    if d.get("document") or d.get("group"):
        return True
    return any(e.get("relation") == "implements" for *_, e in g.in_edges(n, data=True)) or any(
        e.get("relation") == "implements" for *_, e in g.out_edges(n, data=True))


def tiered_layout(g: nx.DiGraph, *, x_gap: int = X_GAP, row_gap: int = ROW_GAP, band_gap: int = BAND_GAP,
                  row_max: int | None = None) -> dict[str, tuple[int, int]]:
    """{node: (x, y)} in pixels; y grows downwards as in vis-network."""
    row_max = row_max or row_width(len(g))
    tiers: dict[int, list[str]] = defaultdict(list)
    for n, d in g.nodes(data=True):
        tiers[int(d.get("tier") if d.get("tier") is not None else 1)].append(n)
    pos: dict[str, tuple[int, int]] = {}
    y = 0
    for tier in sorted(tiers):
        members = tiers[tier]
        chain = [n for n in members if _on_chain(g, n)]
        beside = [n for n in members if n not in set(chain)]

        def wanted(n: str) -> float | None:
            xs = [pos[b][0] for b in g.successors(n) if b in pos and g.edges[n, b].get("relation") == "implements"]
            xs = xs or [pos[b][0] for b in g.successors(n) if b in pos]
            return sum(xs) / len(xs) if xs else None

        def key(n: str) -> tuple:
            w = wanted(n)
            d = g.nodes[n]
            return (w is None, w or 0.0, -int(d.get("cited_by") or 0), str(d.get("label") or ""), n)

        chain.sort(key=key)
        beside.sort(key=lambda n: (-int(g.nodes[n].get("cited_by") or 0), str(g.nodes[n].get("label") or ""), n))
        rows: list[list[str]] = []
        if chain:
            rows += [chain[i:i + row_max] for i in range(0, len(chain), row_max)]
        # the cited-only instruments fill the end of the last chain row, then rows of their own
        free = row_max - len(rows[-1]) if rows else 0
        first, rest = beside[:free], beside[free:]
        if rows and first:
            rows[-1] = rows[-1] + first
        elif first:
            rows.append(first)
        rows += [rest[i:i + row_max] for i in range(0, len(rest), row_max)]
        for row in rows:
            x, prev = None, 0
            for n in row:
                w = wanted(n) if _on_chain(g, n) else None
                width = min(len(str(g.nodes[n].get("label") or "")), LABEL_CHARS)
                gap = max(x_gap, round(CHAR_PX * (prev + width) / 2))  # labels must not overlap
                x = (0 if w is None else round(w)) if x is None else max(x + gap, round(w) if w is not None else 0)
                prev = width
                pos[n] = (int(x), y)
            y += row_gap
        y += band_gap - row_gap
    return pos
