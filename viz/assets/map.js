// The cascade map's own script. Every piece of text from the data goes through textContent (or
// is drawn on the canvas by vis-network): never innerHTML, so a document title cannot run anything.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const W = data.words;
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const outgoing = new Map(), incoming = new Map();
  for (const e of data.edges) {
    if (!outgoing.has(e.from)) outgoing.set(e.from, []);
    if (!incoming.has(e.to)) incoming.set(e.to, []);
    outgoing.get(e.from).push(e);
    incoming.get(e.to).push(e);
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fold(s) {
    return String(s || "").replace(/Đ/g, "D").replace(/đ/g, "d").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function statusText(n) {
    return n.group ? W.map_status_group : W["map_status_" + (n.status || "unknown")];
  }

  // ------------------------------------------------------------------ the network
  function tooltip(n) {
    const box = el("div", null, "tip");
    box.appendChild(el("b", n.label));
    for (const line of [n.kind, n.date, n.issuer, n.title, statusText(n)]) {
      if (line) box.appendChild(el("div", line));
    }
    if (n.cited_by) box.appendChild(el("div", W.map_cited_count + ": " + n.cited_by, "muted"));
    return box;
  }
  const highlight = (c) => ({ background: c, border: "#263238" });
  const visNodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.id, label: n.short, x: n.x, y: n.y, shape: n.shape, size: n.size,
    color: { background: n.color, border: n.document ? "#263238" : n.color, highlight: highlight(n.color),
             hover: highlight(n.color) },
    borderWidth: n.document ? 3 : 1, title: tooltip(n),
    font: n.group ? { color: "#ffffff", size: 20 }
      : { size: n.document ? 22 : 18, color: "#263238", bold: n.document, strokeWidth: 3, strokeColor: "#ffffff" },
  })));
  function edgeStyle(e) {
    const base = { id: e.id, from: e.from, to: e.to, arrows: { to: { enabled: true, scaleFactor: 0.5 } } };
    if (e.relation === "replacedBy") {
      return Object.assign(base, { color: { color: "#c62828" }, width: 2, dashes: [2, 5] });
    }
    const width = Math.min(6, 1 + Math.log2(e.count || 1));
    if (e.stale) return Object.assign(base, { color: { color: "#ef6c00" }, width: width + 1, dashes: [6, 4] });
    if (e.relation === "implements") return Object.assign(base, { color: { color: "#37474f" }, width: width + 1 });
    // cites: solid and light; dashes cost vis-network ~5x the drawing time at 10,000 edges
    return Object.assign(base, { color: { color: "#b0bec5" }, width: width });
  }
  const visEdges = new vis.DataSet(data.edges.map(edgeStyle));
  const container = document.getElementById("map");
  const network = new vis.Network(container, { nodes: visNodes, edges: visEdges }, {
    physics: false,
    layout: { improvedLayout: false, hierarchical: false },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: true, multiselect: false },
    edges: { smooth: false },
    nodes: { font: { face: "DejaVu Sans, Arial, sans-serif" } },
  });

  // ------------------------------------------------------------------ details panel
  const details = document.getElementById("details");
  const detailsTitle = details.querySelector("h2");
  const detailsBody = document.getElementById("details-body");
  function link(id) {
    const b = el("span", byId.get(id).label, "link");
    b.setAttribute("role", "button");
    b.tabIndex = 0;
    b.addEventListener("click", () => select(id));
    b.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") select(id); });
    return b;
  }
  function showDetails(id) {
    const n = byId.get(id);
    detailsTitle.textContent = n.label;
    detailsBody.replaceChildren();
    const dl = el("dl");
    function row(label, value, cls) {
      if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
      dl.appendChild(el("dt", label));
      const dd = el("dd", null, cls);
      if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
      dl.appendChild(dd);
    }
    row(W.symbol, n.symbol);
    row(W.type, n.kind);
    row(W.date, n.date);
    row(W.issuer, n.issuer);
    row(W.map_unit, n.unit !== n.issuer ? n.unit : null);
    row(W.jurisdiction, n.place);
    row(W.map_level, W["map_tier_" + n.tier]);
    row(W.map_title_field, n.title);
    row(W.map_status, statusText(n), "status-" + (n.group ? "group" : n.status));
    row(W.map_since, n.since);
    for (const [kind, label] of n.replaced_by) row(W["map_rel_" + kind], label);
    for (const label of n.amended_by) row(W.map_rel_amended_by, label);
    row(W.map_file, n.path);
    row(W.map_cited_count, n.cited_by || null);
    row(W.map_stale_count, n.stale || null);
    detailsBody.appendChild(dl);
    const citers = (incoming.get(id) || []).filter((e) => e.relation !== "replacedBy");
    if (citers.length) {
      detailsBody.appendChild(el("h2", W.map_cited_by + " (" + citers.length + ")"));
      const ul = el("ul");
      for (const e of citers.slice(0, 100)) {
        const li = el("li");
        li.appendChild(link(e.from));
        if (e.relation === "implements") li.appendChild(el("span", " · " + W.map_edge_implements));
        ul.appendChild(li);
      }
      if (citers.length > 100) ul.appendChild(el("li", W.map_more.replace("{n}", citers.length - 100)));
      detailsBody.appendChild(ul);
    }
    if (n.group && n.member_labels.length) {
      detailsBody.appendChild(el("h2", W.map_members + " (" + n.members + ")"));
      const ul = el("ul");
      for (const label of n.member_labels) ul.appendChild(el("li", label));
      if (n.members > n.member_labels.length) {
        ul.appendChild(el("li", W.map_more.replace("{n}", n.members - n.member_labels.length)));
      }
      detailsBody.appendChild(ul);
    }
    details.dataset.node = id;
  }
  function clearDetails() {
    detailsTitle.textContent = W.map_details;
    detailsBody.replaceChildren(el("p", W.map_click_hint));
    delete details.dataset.node;
  }
  function select(id) {
    if (visNodes.get(id).hidden) resetFilters();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showDetails(id);
    api.selected = id;
  }
  network.on("click", (params) => {
    if (params.nodes.length) { api.selected = params.nodes[0]; showDetails(params.nodes[0]); }
  });

  // ------------------------------------------------------------------ search
  const search = document.getElementById("search");
  search.placeholder = W.map_search;
  document.getElementById("search-go").textContent = W.map_search_go;
  const results = document.getElementById("results");
  results.querySelector("h2").textContent = W.map_matches;
  function find(query) {
    const q = fold(query);
    if (!q) return [];
    const hits = [];
    for (const n of data.nodes) {
      const sym = fold(n.symbol), label = fold(n.label);
      let rank = -1;
      if (sym === q || label === q) rank = 0;
      else if (sym.startsWith(q) || label.startsWith(q)) rank = 1;
      else if (label.includes(q) || sym.includes(q)) rank = 2;
      else if (fold(n.title).includes(q) || fold(n.issuer).includes(q)) rank = 3;
      if (rank >= 0) hits.push([rank, -n.cited_by, n.label, n.id]);
    }
    hits.sort((a, b) => (a[0] - b[0]) || (a[1] - b[1]) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
    return hits.map((h) => h[3]);
  }
  document.getElementById("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const hits = find(search.value);
    const ul = results.querySelector("ul");
    ul.replaceChildren();
    results.hidden = false;
    if (!hits.length) {
      ul.appendChild(el("li", W.map_no_match + " “" + search.value + "”"));
      return;
    }
    for (const id of hits.slice(0, 20)) { const li = el("li"); li.appendChild(link(id)); ul.appendChild(li); }
    select(hits[0]);
  });

  // ------------------------------------------------------------------ filters
  const unitSel = document.getElementById("unit"), kindSel = document.getElementById("kind");
  const stale = document.getElementById("stale");
  function fill(select, first, values) {
    select.appendChild(new Option(first, ""));
    for (const v of values) select.appendChild(new Option(v, v));  // Option(text, value): text only
  }
  fill(unitSel, W.map_all_units, data.units);
  fill(kindSel, W.map_all_kinds, data.kinds);
  document.querySelector("#stale-label span").textContent = W.map_stale_only;
  document.getElementById("reset").textContent = W.map_reset;
  const shown = document.getElementById("shown");
  function replacements(ids) {
    const todo = [...ids];
    while (todo.length) {
      for (const e of outgoing.get(todo.pop()) || []) {
        if (e.relation === "replacedBy" && !ids.has(e.to)) { ids.add(e.to); todo.push(e.to); }
      }
    }
    return ids;
  }
  function intersect(a, b) { return a === null ? b : new Set([...a].filter((x) => b.has(x))); }
  function applyFilters() {
    let allow = null;
    if (unitSel.value) {
      const s = new Set();
      for (const n of data.nodes) {
        if (n.document && n.unit === unitSel.value) {
          s.add(n.id);
          for (const e of outgoing.get(n.id) || []) s.add(e.to);
        }
      }
      allow = intersect(allow, replacements(s));
    }
    if (kindSel.value) {
      const s = new Set();
      for (const n of data.nodes) {
        if (n.kind === kindSel.value) {
          s.add(n.id);
          for (const e of incoming.get(n.id) || []) if (byId.get(e.from).document) s.add(e.from);
        }
      }
      allow = intersect(allow, s);
    }
    if (stale.checked) allow = intersect(allow, new Set(data.nodes.filter((n) => n.in_stale).map((n) => n.id)));
    visNodes.update(data.nodes.map((n) => ({ id: n.id, hidden: allow !== null && !allow.has(n.id) })));
    const count = allow === null ? data.nodes.length : allow.size;
    shown.textContent = count + " / " + data.nodes.length + " " + W.map_shown;
    api.visible = count;
  }
  function resetFilters() {
    unitSel.value = ""; kindSel.value = ""; stale.checked = false;
    applyFilters();
  }
  unitSel.addEventListener("change", applyFilters);
  kindSel.addEventListener("change", applyFilters);
  stale.addEventListener("change", applyFilters);
  document.getElementById("reset").addEventListener("click", () => { resetFilters(); network.fit(); });

  // ------------------------------------------------------------------ notes and legend
  const notes = document.getElementById("notes");
  notes.querySelector("h2").textContent = W.map_notes;
  for (const text of data.notes) notes.appendChild(el("p", text));
  const legend = document.getElementById("legend");
  legend.querySelector("h2").textContent = W.map_legend;
  const SVG = "http://www.w3.org/2000/svg";
  function svg(draw) {
    const s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", "28"); s.setAttribute("height", "16"); s.setAttribute("viewBox", "0 0 28 16");
    draw(s);
    return s;
  }
  function shape(s, name, fill) {
    const paths = {
      dot: "M14 2a6 6 0 1 0 0.01 0z", square: "M8 2h12v12H8z", triangle: "M14 2l7 12H7z",
      diamond: "M14 1l7 7-7 7-7-7z", star: "M14 1l2.2 4.6 5 .6-3.7 3.4 1 5-4.5-2.6-4.5 2.6 1-5L6.8 6.2l5-.6z",
      hexagon: "M10 2h8l4 6-4 6h-8l-4-6z", box: "M3 3h22v10H3z",
    };
    const p = document.createElementNS(SVG, "path");
    p.setAttribute("d", paths[name] || paths.dot);
    p.setAttribute("fill", fill); p.setAttribute("stroke", "#263238"); p.setAttribute("stroke-width", "0.8");
    s.appendChild(p);
  }
  function line(s, colour, dashes, width) {
    const l = document.createElementNS(SVG, "line");
    l.setAttribute("x1", "1"); l.setAttribute("y1", "8"); l.setAttribute("x2", "27"); l.setAttribute("y2", "8");
    l.setAttribute("stroke", colour); l.setAttribute("stroke-width", String(width));
    if (dashes) l.setAttribute("stroke-dasharray", dashes);
    s.appendChild(l);
  }
  function legendRow(icon, text) {
    const row = el("div", null, "row");
    row.appendChild(icon);
    row.appendChild(el("span", text));
    legend.appendChild(row);
  }
  legend.appendChild(el("h2", W.map_status));
  for (const key of ["in_force", "superseded", "unknown", "group"]) {
    legendRow(svg((s) => shape(s, "dot", data.colours[key])), W["map_status_" + key]);
  }
  legend.appendChild(el("h2", W.map_kinds));
  for (const family of ["law", "decree", "decision", "directive", "plan", "other", "group"]) {
    legendRow(svg((s) => shape(s, data.shapes[family], "#cfd8dc")), W["map_shape_" + family]);
  }
  legend.appendChild(el("p", W.map_document_border));
  legend.appendChild(el("h2", W.map_edges));
  legendRow(svg((s) => line(s, "#37474f", null, 2)), W.map_edge_implements);
  legendRow(svg((s) => line(s, "#b0bec5", null, 1.5)), W.map_edge_cites);
  legendRow(svg((s) => line(s, "#ef6c00", "6 4", 2)), W.map_edge_stale);
  legendRow(svg((s) => line(s, "#c62828", "2 5", 2)), W.map_edge_replaced);
  legend.appendChild(el("h2", W.map_levels));
  const tiers = el("ol");
  tiers.start = 1;
  for (const k of [0, 1, 2, 3]) tiers.appendChild(el("li", W["map_tier_" + k]));
  legend.appendChild(tiers);

  // ------------------------------------------------------------------ start
  const api = { data, network, nodes: visNodes, edges: visEdges, select, find, applyFilters, selected: null,
                visible: data.nodes.length, ready: false };
  window.kgMap = api;
  clearDetails();
  applyFilters();
  if (data.focus) select(data.focus); else network.fit();
  network.once("afterDrawing", () => { api.ready = true; document.body.dataset.ready = "1"; });
  network.redraw();
})();
