"""One self-contained UTF-8 HTML page for the cascade map: vis-network inline, no network, data escaped.

Node and edge lists are built here directly (DESIGN.md: pyvis's `add_node` slows to seconds at
tens of thousands of nodes), positions come from `viz.layout` and physics is off. The page:

- inlines the vis-network JS/CSS that ships inside pyvis (``pyvis/lib/vis-9.1.2``), read with
  importlib.resources; no CDN, no Bootstrap; a Content-Security-Policy forbids every fetch;
- carries the data in ``<script type="application/json">`` with ``<``, ``>`` and ``&`` written as
  ``\\u003c`` … so no text from a document can close the block, and its own script puts every piece
  of text on the page with ``textContent`` (tooltips are DOM elements too) — never as HTML;
- is written by us in UTF-8 (pyvis writes in the system encoding).

>>> script_json({"title": "</script><img src=x onerror=alert(1)> & co"})
'{"title":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e \\\\u0026 co"}'
"""

from __future__ import annotations

import html
import json
import math
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from kg.i18n import MESSAGES, t
from viz.graph import DEFAULT_MAX_NODES, MapGraph
from viz.layout import tiered_layout

VIS_VERSION = "vis-9.1.2"
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
       "font-src data:; connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; "
       "worker-src 'none'; base-uri 'none'; form-action 'none'")
STATUS_COLOURS = {"in_force": "#2e7d32", "superseded": "#c62828", "unknown": "#90a4ae", "group": "#1565c0"}
# kind family → vis-network shape, and the kind words that belong to it (first word match wins)
SHAPES = {
    "law": ("star", ("Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh")),
    "decree": ("diamond", ("Nghị định", "Nghị quyết")),
    "decision": ("square", ("Quyết định", "Quy định", "Quy chế")),
    "directive": ("triangle", ("Chỉ thị", "Thông tri")),
    "plan": ("dot", ("Kế hoạch", "Chương trình", "Đề án", "Dự án")),
    "other": ("hexagon", ()),
}
GROUP_SHAPE = "box"
LABEL_MAX = 30
_SOURCE_MAP = re.compile(r"^\s*(//[#@]\s*sourceMappingURL=\S*|/\*[#@]\s*sourceMappingURL=[^*]*\*/)\s*$", re.M)


def kind_family(kind: str | None) -> str:
    """The legend's family of an instrument kind, which sets its shape.

    >>> kind_family("Chương trình phối hợp"), kind_family("Công văn"), kind_family(None)
    ('plan', 'other', 'other')
    """
    for family, (_, words) in SHAPES.items():
        if kind and any(kind.startswith(w) for w in words):
            return family
    return "other"


def script_json(obj: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` left unescaped."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


@cache
def _asset(name: str) -> str:
    text = (resources.files("pyvis") / "lib" / VIS_VERSION / name).read_text(encoding="utf-8")
    text = _SOURCE_MAP.sub("", text)  # a map file that is not there: developer tools would ask for it
    closing = "</script" if name.endswith(".js") else "</style"
    if closing in text.lower():  # would end our inline block early; never in the shipped files
        raise ValueError(f"pyvis {VIS_VERSION}/{name} contains {closing!r}: cannot inline it")
    return text


def _own(name: str) -> str:
    return (resources.files("viz") / "assets" / name).read_text(encoding="utf-8")


def _short(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[:LABEL_MAX - 1].rstrip() + "…"


def _label_of(full: nx.DiGraph | None, g: nx.DiGraph, iri: str) -> str:
    for graph in (g, full):
        if graph is not None and iri in graph:
            return str(graph.nodes[iri].get("label") or iri)
    return iri.rstrip("/").rsplit("/", 1)[-1]


def page_data(m: MapGraph, *, lang: str = "vi", full: nx.DiGraph | None = None,
              max_nodes: int = DEFAULT_MAX_NODES) -> dict[str, Any]:
    """Everything the page's script needs: nodes (with positions and details), edges, lists for the
    filters, notes and words. Node ids are short ("n12"); the IRI is in the details."""
    from viz.graph import stale_nodes

    g = m.graph
    full = full if full is not None else m.context
    pos = tiered_layout(g)
    ids = {n: f"n{k}" for k, n in enumerate(sorted(g.nodes, key=lambda n: (pos[n][1], pos[n][0], n)))}
    in_stale = stale_nodes(g)
    nodes = []
    for n in sorted(g.nodes, key=lambda n: ids[n]):
        d = g.nodes[n]
        group = bool(d.get("group"))
        family = "group" if group else kind_family(d.get("kind"))
        cited = int(d.get("cited_by") or 0)
        label = (f"{d.get('label')} — {d.get('members')} {t('map_documents', lang)}" if group
                 else str(d.get("label") or "?"))
        nodes.append({
            "id": ids[n], "iri": d.get("iri") or n, "label": label, "short": _short(label),
            "x": pos[n][0], "y": pos[n][1], "family": family,
            "shape": GROUP_SHAPE if group else SHAPES[family][0],
            "color": STATUS_COLOURS.get(d.get("status") or "unknown", STATUS_COLOURS["unknown"]),
            "size": round(10 + min(30.0, 5 * math.sqrt(cited)), 1),
            "document": bool(d.get("document")), "group": group, "tier": d.get("tier"),
            "symbol": d.get("symbol"), "kind": d.get("kind"), "date": d.get("date"), "issuer": d.get("issuer"),
            "unit": d.get("unit"), "place": d.get("place"), "title": d.get("title"),
            "status": d.get("status"), "since": d.get("since"), "path": d.get("path"),
            "cited_by": cited, "stale": int(d.get("stale") or 0), "in_stale": n in in_stale,
            "replaced_by": [[kind, _label_of(full, g, o)] for kind, o in d.get("replaced_by") or []],
            "amended_by": [_label_of(full, g, o) for o in d.get("amended_by") or []],
            "members": d.get("members"), "member_labels": d.get("member_labels") or [],
        })
    edges = []
    for k, (a, b, e) in enumerate(sorted(g.edges(data=True), key=lambda x: (ids[x[0]], ids[x[1]]))):
        edges.append({"id": f"e{k}", "from": ids[a], "to": ids[b], "relation": e["relation"],
                      "kind": e.get("kind"), "stale": bool(e.get("stale")), "count": int(e.get("count") or 1)})
    notes = []
    for key, values in m.notes:
        values = {**values, "max": max_nodes}
        if key == "map_note_focus":
            values["how"] = t(f"map_how_{values.get('how')}", lang)
        notes.append(t(key, lang).format(**values))
        if key == "map_note_focus" and values.get("candidates", 1) > 1:
            notes.append(t("map_note_candidates", lang).format(**values))
    notes.append(t("map_summary" if m.total_edges is not None else "map_summary_focus", lang).format(
        nodes=len(nodes), edges=len(edges), total_nodes=m.total_nodes, total_edges=m.total_edges))
    words = {key: t(key, lang) for key in MESSAGES if key.startswith("map_")}
    words.update({key: t(key, lang) for key in ("symbol", "type", "date", "issuer", "jurisdiction")})
    return {
        "lang": lang, "words": words, "notes": notes, "focus": ids.get(m.focus) if m.focus else None,
        "nodes": nodes, "edges": edges,
        "units": sorted({n["unit"] for n in nodes if n["document"] and n["unit"]}),
        "kinds": sorted({n["kind"] for n in nodes if n["kind"]}),
        "colours": STATUS_COLOURS, "shapes": {f: s for f, (s, _) in SHAPES.items()} | {"group": GROUP_SHAPE},
    }


def render_html(m: MapGraph, *, lang: str = "vi", full: nx.DiGraph | None = None,
                max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """The whole page as one string."""
    data = page_data(m, lang=lang, full=full, max_nodes=max_nodes)
    return (_own("map.html")
            .replace("@@LANG@@", html.escape(lang, quote=True))
            .replace("@@CSP@@", html.escape(CSP, quote=True))
            .replace("@@TITLE@@", html.escape(t("map_title", lang)))
            .replace("@@VIS_CSS@@", _asset("vis-network.css"))
            .replace("@@MAP_CSS@@", _own("map.css"))
            .replace("@@VIS_JS@@", _asset("vis-network.min.js"))
            .replace("@@MAP_JS@@", _own("map.js"))
            .replace("@@DATA@@", script_json(data)))  # last: nothing after it is substituted


def write_html(m: MapGraph, path: str | Path, *, lang: str = "vi", full: nx.DiGraph | None = None,
               max_nodes: int = DEFAULT_MAX_NODES) -> int:
    """Write the page in UTF-8 (whatever the system encoding); returns its size in bytes."""
    data = render_html(m, lang=lang, full=full, max_nodes=max_nodes).encode("utf-8")
    Path(path).write_bytes(data)
    return len(data)
