"""SPARQL 1.1 query results written from pyoxigraph terms: JSON, XML, CSV and TSV.

pyoxigraph serialises a whole result set itself, but the endpoint must stop at a row limit, so the
rows are collected first (at most ``max_rows``) and written here, following the W3C formats:
`SPARQL 1.1 Query Results JSON Format`, `SPARQL Query Results XML Format (Second Edition)` and
`SPARQL 1.1 Query Results CSV and TSV Formats`. Only the standard library and pyoxigraph's term
classes are used, so the worker process that runs queries imports little.

>>> import pyoxigraph as ox
>>> rows = [[ox.NamedNode("urn:a"), ox.Literal("x\\ty", language="vi")]]
>>> write_results(["s", "o"], rows, "tsv")
b'?s\\t?o\\n<urn:a>\\t"x\\\\ty"@vi\\n'
>>> write_results(["s", "o"], [[ox.BlankNode("b1"), None]], "csv")
b's,o\\r\\n_:b1,\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULT_TYPES = {  # short name → media type
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}


def _kind(term: Any) -> str:
    name = type(term).__name__
    return {"NamedNode": "uri", "BlankNode": "bnode", "Literal": "literal"}.get(name, "triple")


def term_json(term: Any) -> dict[str, Any]:
    kind = _kind(term)
    if kind == "triple":
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    out: dict[str, Any] = {"type": kind, "value": term.value}
    if kind == "literal":
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
    return out


_XML_WS = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}  # kept exactly, whatever the parser does with whitespace


def _text(value: str) -> str:
    return escape(value, _XML_WS)


def _term_xml(term: Any) -> str:
    kind = _kind(term)
    if kind == "uri":
        return f"<uri>{escape(term.value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    if kind == "triple":
        return (f"<triple><subject>{_term_xml(term.subject)}</subject><predicate>{_term_xml(term.predicate)}"
                f"</predicate><object>{_term_xml(term.object)}</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{_text(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{_text(term.value)}</literal>"
    return f"<literal>{_text(term.value)}</literal>"


def _term_tsv(term: Any) -> str:
    # pyoxigraph writes terms in N-Triples syntax; a tab or newline inside a literal must not split
    # the line (TSV §3: escape them as in Turtle)
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _term_csv(term: Any) -> str:
    kind = _kind(term)
    if kind == "bnode":
        return "_:" + term.value
    if kind == "triple":
        return str(term)
    return term.value


def write_results(variables: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    """A SELECT result in `fmt` (json, xml, csv, tsv); each row lists one term or None per variable."""
    if fmt == "json":
        bindings = [{v: term_json(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
               "<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head><results>"]
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                                            for v, t in zip(variables, row, strict=True) if t is not None)
                       + "</result>")
        out.append("</results></sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else _term_csv(t) for t in row])
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if t is None else _term_tsv(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")


def write_boolean(value: bool, fmt: str) -> bytes:
    """An ASK result; CSV and TSV (which define none) get one line ``true`` or ``false``."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return b"true\n" if value else b"false\n"
