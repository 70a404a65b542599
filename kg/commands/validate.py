"""`kg validate`: run the SHACL shapes of ontology/shapes.ttl over the store (or an RDF file)."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import click

from kg.commands.options import BadInput, lang_option, open_store_or_fail, say, store_option, wait_option


def validate(data: bytes, fmt: str = "nq") -> tuple[bool, str]:
    """(conforms, report text) of RDF `data` (format by file extension: ttl, nt, nq, trig, jsonld, rdf)
    against the shipped shapes, over the union of its graphs. Raises SyntaxError/ValueError on bad data."""
    import pyoxigraph as ox
    import pyshacl
    import rdflib

    rdf_format = ox.RdfFormat.from_extension(fmt)
    if rdf_format is None:
        raise ValueError(f"unknown RDF file extension {fmt!r}")
    triples = dict.fromkeys(q.triple for q in ox.parse(data, format=rdf_format))
    graph = rdflib.Graph().parse(data=ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
    ontology = resources.files("ontology")
    shapes = rdflib.Graph().parse(str(ontology / "shapes.ttl"), format="turtle")
    vocabulary = rdflib.Graph().parse(str(ontology / "kg.ttl"), format="turtle")  # for rdfs:subClassOf
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=vocabulary, inference="none",
                                         advanced=True)
    return bool(conforms), str(text)


@click.command("validate")
@click.option("--data", "data_file", type=click.Path(dir_okay=False),
              help="Validate this RDF file (Turtle, N-Triples, N-Quads, TriG, JSON-LD) instead of the store.")
@store_option
@wait_option
@lang_option
def command(data_file: str | None, store_location: str, lang: str) -> None:
    """Check the graph against the SHACL shapes. Exit status 0 conforms, 1 violations, 2 load error."""
    if data_file:
        fmt = Path(data_file).suffix.lstrip(".") or "ttl"
        try:
            with open(data_file, "rb") as f:
                data = f.read()
        except OSError as e:
            raise BadInput(f"{data_file}: cannot read ({e.strerror or e})") from e
    else:
        from kg.store import export_rdf

        store = open_store_or_fail(store_location)
        try:
            data, fmt = export_rdf(store, "nquads"), "nq"
        finally:
            store.close()
    try:
        conforms, text = validate(data, fmt)
    except (SyntaxError, ValueError) as e:
        raise BadInput(f"{data_file or store_location}: cannot load the graph ({type(e).__name__}: {e})") from e
    if conforms:
        click.echo(say("conforms", lang))
        return
    click.echo(text)
    click.echo(say("violations", lang), err=True)
    sys.exit(1)
