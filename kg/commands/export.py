"""`kg export`: the whole graph as RDF, or the cascade (implements/cites network) for network tools."""

from __future__ import annotations

import json
import sys

import click

from kg.commands.options import format_option, lang_option, open_store_or_fail, say, store_option, wait_option

NETWORK_FORMATS = ("graphml", "cascade-json")

_EDGES = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT DISTINCT ?a ?b ?rel WHERE {
  GRAPH ?g { { ?a kg:implements ?b BIND("implements" AS ?rel) } UNION { ?a kg:cites ?b BIND("cites" AS ?rel) } }
}
"""
_NODES = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT ?i ?symbol ?date ?issuer ?title WHERE {
  { SELECT DISTINCT ?i ?symbol WHERE { GRAPH ?g { ?i a kg:Instrument OPTIONAL { ?i kg:symbol ?symbol } } } }
  OPTIONAL { GRAPH ?c { ?i kg:canonicalDate ?date } } OPTIONAL { GRAPH ?c { ?i kg:canonicalIssuerName ?issuer } }
  OPTIONAL { GRAPH ?c { ?i kg:canonicalTitle ?title } }
}
"""


def cascade(store):
    """networkx.DiGraph of instruments; edges carry `relation` = implements | cites."""
    import networkx as nx

    g = nx.DiGraph()
    for row in store.select(_NODES):
        attrs = {k: v for k, v in row.items() if k != "i"}
        g.add_node(row["i"], **{**attrs, **g.nodes.get(row["i"], {})})
    for row in store.select(_EDGES):
        if not g.has_edge(row["a"], row["b"]) or row["rel"] == "implements":
            g.add_edge(row["a"], row["b"], relation=row["rel"])
    return g


@click.command("export")
@format_option("turtle", "ntriples", "nquads", "jsonld", *NETWORK_FORMATS, default="turtle")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
@store_option
@wait_option
@lang_option
def command(fmt: str, out: str | None, store_location: str, lang: str) -> None:
    """Export the store as RDF (turtle, ntriples, nquads, jsonld) or the cascade as GraphML / JSON."""
    from kg.store import export_rdf

    store = open_store_or_fail(store_location)
    try:
        if fmt in NETWORK_FORMATS:
            import networkx as nx

            graph = cascade(store)
            if fmt == "graphml":
                data = ("\n".join(nx.generate_graphml(graph)) + "\n").encode("utf-8")
            else:
                data = json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, indent=1).encode()
        else:
            data = export_rdf(store, fmt)
    finally:
        store.close()
    if out is None:
        sys.stdout.buffer.write(data)
        return
    with open(out, "wb") as f:
        f.write(data)
    click.echo(f"{say('written', lang)}: {out} ({len(data)} bytes)", err=True)
