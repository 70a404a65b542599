"""Document → RDF, as N-Triples lines (no rdflib on this path: it is the bulk-ingest hot loop).

Everything one source file says lives in one named graph (`ids.graph_iri(path)`):

- the source document node (path, hash, format, warnings) and ``kg:describes`` → its instrument;
- its instrument with the metadata its own header gives;
- every instrument it refers to, with the date, issuer and title *this document* gives it (so each
  graph is one document's claims, and disagreements between documents stay visible), a
  ``kg:cites`` edge and one mention node per place it is mentioned (a ``kg:Mention`` by the domain of
  ``kg:mentionOf``, in the document it is in by the graph it lives in: neither is stated, ~34 quads
  less per plan);
- ``kg:implements`` edges from the preamble ("Thực hiện …") and from reference titles;
- supersessions the text declares ("… thay thế Chỉ thị số 16/CT-TTg"), as status facts whose
  source is this document.

The descriptions of the kinds, issuers and places a graph uses, and the identity of the instruments
it cites (type, kind, number, year: see `_describe`), are the same in every graph, so they are
returned apart and stored once, in the shared graph (`ids.shared_graph`).

>>> from kg.model import Document, Identity
>>> g, lines, shared = document_triples(Document(source="a.txt", sha256="ab" * 32, text="", identity=Identity()))
>>> len(lines) > 3
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from kg import ids
from kg.model import Document, Jurisdiction, Reference, Supersession
from kg.namespace import KG
from kg.store import GraphData
from loaders.issuers import issuer_for_code

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _P:
    """N-Triples forms of the vocabulary, computed once (attribute access mirrors `KG`)."""

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        value = f"<{KG[name]}>"
        setattr(self, name, value)
        return value


P = _P()
PREF_LABEL = f"<{SKOS}prefLabel>"
IN_SCHEME = f"<{SKOS}inScheme>"
CONCEPT = f"<{SKOS}Concept>"

# Supersession verbs of the parser → (relation concept, direct edge from the old to the new).
SUPERSESSION = {
    "replaces": ("Replaced", "replacedBy"),
    "repeals": ("Repealed", "repealedBy"),
    "ends": ("Repealed", "repealedBy"),
    "repeals_part": ("Amended", "amendedBy"),
    "amends": ("Amended", "amendedBy"),
}


def issuer_names(code: str) -> tuple[str, str] | None:
    """Canonical (Vietnamese, English) names of an issuer code, with the term where it has one.

    >>> issuer_names("QH15")
    ('Quốc hội khóa XV', 'National Assembly, term XV')
    """
    info = issuer_for_code(code)
    if info is None:
        return None
    if info.term:
        return f"{info.name_vi} khóa {info.term}", f"{info.name_en}, term {info.term}"
    return info.name_vi, info.name_en


def iri(value: str) -> str:
    return f"<{value}>"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def lit(value: str | int, lang: str | None = None, datatype: str | None = None) -> str:
    r"""An N-Triples literal (escapes per RDF 1.1 N-Triples §2.3).

    >>> print(lit('say "hi"\nbye'), lit(2021, datatype="gYear")[:7])
    "say \"hi\"\nbye" "2021"^
    """
    text = value if type(value) is str else str(value)
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:  # rare: four scans beat a translate
        text = text.translate(_ESCAPES)
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^<{XSD}{datatype}>'
    return f'"{text}"'


def date_lit(value: str | None) -> str | None:
    return lit(value, datatype="date") if value and _DATE.match(value) else None


class Triples:
    """Collects N-Triples lines; skips None objects so callers need no `if`s.

    `lines` are the graph's own claims; `shared` the descriptions of instrument kinds, issuers and
    places, the same in every graph that uses them, which the store keeps once in the shared graph
    (`kg.ids.shared_graph`) instead of in each document's graph. `watch`: predicate → a list to which
    the (subject, object) of each of the graph's triples with it is appended too (`kg.cascade_index`
    reads its rows from them instead of parsing the lines back).
    """

    def __init__(self, watch: dict[str, list[tuple[str, str]]] | None = None) -> None:
        self.lines: list[str] = []
        self.shared: list[str] = []
        self._seen: set[str] = set()
        self.watch = watch or {}

    def add(self, s: str, p: str, o: str | None) -> None:
        if o is not None:
            self.lines.append(f"{s} {p} {o} .")
            bucket = self.watch.get(p)
            if bucket is not None:
                bucket.append((s, o))

    def share(self, s: str, p: str, o: str | None) -> None:
        if o is not None:
            self.shared.append(f"{s} {p} {o} .")

    def describe(self, node: str, lines: tuple[str, ...]) -> str:
        """`node`'s description `lines` (a block made once per process) added the first time this graph
        uses it; `node` as an N-Triples IRI."""
        if self.once(node):
            self.shared += lines
        return iri(node)

    def once(self, key: str) -> bool:
        """True the first time `key` is seen (describe shared nodes once per graph)."""
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


# The descriptions of places, issuers and kinds depend only on what names them (and the IRI base),
# so each is made once per process and reused by every graph that uses it (`Triples.once` still
# writes it once per graph, `Triples.describe`). A block may repeat lines the graph already holds (a province described
# by an issuer's block, then by a reference's own place): `document_triples` keeps the first of each.
_BLOCKS = 1 << 12


def _jurisdiction(t: Triples, j: Jurisdiction | None) -> str | None:
    if j is None or not j.province:
        return None
    return t.describe(*_place_block(j, ids.base()))


@functools.lru_cache(maxsize=_BLOCKS)
def _place_block(j: Jurisdiction, base: str) -> tuple[str, tuple[str, ...]]:
    """A place's IRI and the lines describing it and the units it lies in."""
    node = ids.place_iri(j)
    assert node is not None
    chain = [Jurisdiction(province=j.province, level="province", province_code=j.province_code)]
    if j.district:
        chain.append(Jurisdiction(province=j.province, district=j.district, level="district",
                                  district_code=j.district_code))
    if j.level == "commune" and j.commune:
        chain.append(j)
    t = Triples()
    parent = None
    for unit in chain:
        here = ids.place_iri(unit)
        assert here is not None
        if t.once(here):
            kind = {"province": P.Province, "district": P.District}.get(unit.level or "", P.Commune)
            name = {"province": unit.province, "district": unit.district}.get(unit.level or "", unit.commune)
            code = {"province": unit.province_code, "district": unit.district_code}.get(
                unit.level or "", unit.commune_code)
            t.share(iri(here), RDF_TYPE, kind)
            t.share(iri(here), RDFS_LABEL, lit(name or "", "vi"))
            t.share(iri(here), P.adminCode, lit(code) if code is not None else None)
            t.share(iri(here), P.partOf, iri(parent) if parent else None)
        parent = here
        if unit.level == j.level:
            break
    return node, tuple(t.shared)


def issuer_node(t: Triples, code: str | None, name: str | None, j: Jurisdiction | None) -> str | None:
    node, lines = _issuer_block(code, name, j, ids.base())
    return None if node is None else t.describe(node, lines)


@functools.lru_cache(maxsize=_BLOCKS)
def _issuer_block(code: str | None, name: str | None, j: Jurisdiction | None,
                  base: str) -> tuple[str | None, tuple[str, ...]]:
    """An issuer's IRI (None: a local one without a place) and the lines describing it."""
    node = ids.issuer_iri(code, name, j)
    if node is None:
        return None, ()
    t = Triples()
    national = bool(code) and ids.issuer_scope(code) == "national"
    names = issuer_names(code) if code else None
    t.share(iri(node), RDF_TYPE, P.Issuer)
    t.share(iri(node), P.code, lit(code) if code else None)
    if names:
        local = "" if national or j is None else f" {j.label}"
        t.share(iri(node), PREF_LABEL, lit(names[0] + local, "vi"))
        t.share(iri(node), PREF_LABEL, lit(names[1] + local, "en"))
    elif name:
        t.share(iri(node), PREF_LABEL, lit(name, "vi"))
    level = "national" if national else (j.level if j and j.level else "province")
    t.share(iri(node), P.level, getattr(P, "Level" + level.capitalize()))
    t.share(iri(node), P.jurisdiction, None if national else _jurisdiction(t, j))
    return node, tuple(t.shared)


def _kind(t: Triples, type_word: str | None) -> str | None:
    if not type_word:
        return None
    return t.describe(*_kind_block(type_word, ids.base()))


@functools.lru_cache(maxsize=_BLOCKS)
def _kind_block(type_word: str, base: str) -> tuple[str, tuple[str, ...]]:
    node = ids.kind_iri(type_word)
    return node, (f"{iri(node)} {RDF_TYPE} {CONCEPT} .",
                  f"{iri(node)} {IN_SCHEME} {P.InstrumentKindScheme} .",
                  f"{iri(node)} {PREF_LABEL} {lit(type_word, 'vi')} .")


def _describe(t: Triples, node: str, *, type: str | None, symbol: str | None, number: str | None,
              year: int | None, date: str | None, issuer: str | None, issuer_code: str | None,
              jurisdiction: Jurisdiction | None, title: str | None, name: str | None = None,
              cited: bool = False) -> None:
    """The claims one graph makes about an instrument.

    Its type, kind, number and year follow from its IRI (symbol and year), so for an instrument
    a document cites they are the same in every citing graph and go to the shared graph; a
    document's own instrument keeps them in its graph. The symbol as written (11-QĐ/TW, 11-QĐi/TW),
    date, issuer and title are this document's readings and stay in its graph."""
    identity = t.share if cited else t.add
    identity(node, RDF_TYPE, P.Instrument)
    identity(node, P.kind, _kind(t, type))
    t.add(node, P.symbol, lit(symbol) if symbol else None)
    identity(node, P.number, lit(number) if number else None)
    year = year or (int(date[:4]) if date and _DATE.match(date) else None)
    identity(node, P.year, lit(year, datatype="gYear") if year else None)
    t.add(node, P.date, date_lit(date))
    t.add(node, P.title, lit(title) if title else None)
    t.add(node, P.name, lit(name) if name else None)
    t.add(node, P.issuerName, lit(issuer) if issuer else None)
    parts = ids.parse_symbol(symbol) if symbol else None
    code = issuer_code or (parts.issuer_code if parts else None)
    t.add(node, P.issuer, issuer_node(t, code, None if code else issuer, jurisdiction))
    t.add(node, P.jurisdiction, _jurisdiction(t, jurisdiction))


def reference_iri(doc: Document, ref: Reference) -> str:
    return ids.instrument_iri(
        symbol=ref.symbol, year=ref.year, date=ref.date, jurisdiction=ref.jurisdiction,
        issuer_code=ref.issuer_code, type=ref.type, name=ref.name, surface=ref.surface,
        scope_sha256=doc.sha256,
    )


def own_iri(doc: Document) -> str:
    """The document's own instrument: the IRI its citers use when its symbol and year are known."""
    me = doc.identity
    return ids.document_iri(symbol=me.symbol, year=me.year, date=me.date, jurisdiction=me.jurisdiction,
                            sha256=doc.sha256)


def _supersession(t: Triples, doc: Document, sup: Supersession, me: str, src: str,
                  by_symbol: dict[str, str]) -> None:
    relation, edge = SUPERSESSION.get(sup.relation, ("Repealed", "repealedBy"))
    if sup.symbol and sup.symbol in by_symbol:
        target = by_symbol[sup.symbol]
    elif sup.symbol or sup.name:
        target = ids.instrument_iri(symbol=sup.symbol, year=sup.year, date=sup.date, name=sup.name,
                                    surface=sup.surface, scope_sha256=doc.sha256)
        t.add(iri(target), RDF_TYPE, P.Instrument)
        t.add(iri(target), P.symbol, lit(sup.symbol) if sup.symbol else None)
    else:
        return
    fact = iri(ids.fact_iri(target, relation, me, sup.effective, doc.sha256))
    t.add(iri(target), getattr(P, edge), me)
    t.add(fact, RDF_TYPE, P.StatusFact)
    t.add(fact, P.subject, iri(target))
    t.add(fact, P.relation, getattr(P, relation))
    t.add(fact, P.object, me)
    t.add(fact, P.effectiveDate, date_lit(sup.effective))
    t.add(fact, P.confidence, lit("medium"))  # found by the parser in the text, not checked by hand
    t.add(fact, P.source, lit(doc.source))
    t.add(fact, P.sourceDocument, src)
    t.add(fact, P.evidence, lit(sup.surface) if sup.surface else None)
    t.add(fact, P.asOf, date_lit(doc.identity.date))


def document_triples(doc: Document, path: str | None = None,
                     watch: dict[str, list[tuple[str, str]]] | None = None,
                     graph: str | None = None) -> tuple[str, list[str], list[str]]:
    """The named graph IRI of `doc`'s file, its triples and the shared descriptions it uses (kinds,
    issuers, places: see `Triples`), as N-Triples lines; `watch`: see `Triples`. `graph`: the file's
    graph IRI when the caller has it (`ids.graph_iri(path)` otherwise)."""
    with ids.pinned_base():  # ~75 IRIs a plan, one reading of KG_BASE
        return _document_triples(doc, path, watch, graph)


def _document_triples(doc: Document, path: str | None, watch: dict[str, list[tuple[str, str]]] | None,
                      graph: str | None) -> tuple[str, list[str], list[str]]:
    t = Triples(watch)
    me_id = doc.identity
    src, me = iri(ids.source_iri(doc.sha256)), iri(own_iri(doc))
    t.add(src, RDF_TYPE, P.SourceDocument)
    t.add(src, P.sourcePath, lit(doc.source))
    t.add(src, P.sha256, lit(doc.sha256))
    t.add(src, P.format, lit(doc.format))
    t.add(src, P.encoding, lit(doc.encoding) if doc.encoding else None)
    for warning in doc.warnings:
        t.add(src, P.warning, lit(warning))
    t.add(src, P.describes, me)
    _describe(t, me, type=me_id.type, symbol=me_id.symbol, number=me_id.number, year=me_id.year,
              date=me_id.date, issuer=me_id.issuer, issuer_code=None, jurisdiction=me_id.jurisdiction,
              title=me_id.title)
    t.add(me, P.notBefore, date_lit(me_id.not_before))
    t.add(me, P.signer, lit(me_id.signer) if me_id.signer else None)
    t.add(me, P.signerPosition, lit(me_id.signer_position) if me_id.signer_position else None)
    for recipient in me_id.recipients:
        t.add(me, P.recipient, lit(recipient))

    by_key = {r.key: iri(reference_iri(doc, r)) for r in doc.refs}
    by_symbol = {r.symbol: by_key[r.key][1:-1] for r in doc.refs if r.symbol}
    mention_no = 0
    mention_at = ids.mention_iri(doc.sha256, 0)[:-1]  # + the mention's number
    # a mention's lines, written straight to the graph's lines (no property of a mention is watched)
    emit = t.lines.append
    mention_of, surface, starts, ends = P.mentionOf, P.surface, P.start, P.end
    written_date, written_issuer, in_footnote = P.writtenDate, P.writtenIssuer, P.inFootnote
    integer, true = f"^^<{XSD}integer>", lit("true", datatype="boolean")
    for ref in doc.refs:
        node = by_key[ref.key]
        if node == me:  # a document quoting its own symbol does not cite itself
            continue
        _describe(t, node, type=ref.type, symbol=ref.symbol, number=ref.number, year=ref.year,
                  date=ref.date, issuer=ref.issuer, issuer_code=ref.issuer_code,
                  jurisdiction=ref.jurisdiction, title=ref.title, name=ref.name, cited=True)
        t.add(me, P.cites, node)
        for key in ref.implements:
            t.add(node, P.implements, by_key.get(key))
        for text, start, end, date, issuer, footnote in _mentions(ref):
            m = f"<{mention_at}{mention_no}>"
            mention_no += 1
            emit(f"{m} {mention_of} {node} .")
            emit(f"{m} {surface} {lit(text)} .")
            if start is not None:
                emit(f'{m} {starts} "{start}"{integer} .')
            if end is not None:
                emit(f'{m} {ends} "{end}"{integer} .')
            if date:
                emit(f"{m} {written_date} {lit(date)} .")
            if issuer:
                emit(f"{m} {written_issuer} {lit(issuer)} .")
            if footnote:
                emit(f"{m} {in_footnote} {true} .")
    for key in doc.implements:
        target = by_key.get(key)
        if target and target != me:
            t.add(me, P.implements, target)
    for sup in doc.supersessions:
        _supersession(t, doc, sup, me, src, by_symbol)
    graph = graph or ids.graph_iri(path or doc.source)
    return graph, list(dict.fromkeys(t.lines)), list(dict.fromkeys(t.shared))


def document_graphs(doc: Document, path: str | None = None) -> list[GraphData]:
    """`doc`'s graph and its shared descriptions, ready for `Store.write_graphs(..., fresh=True)`
    (which adds: the shared lines other graphs also wrote are simply there already)."""
    graph, lines, shared = document_triples(doc, path)
    return [GraphData(graph, lines, []), GraphData(ids.shared_graph(), shared, [])]


def _mentions(ref: Reference) -> Iterable[tuple[str, int | None, int | None, str | None, str | None, bool]]:
    """(surface, start, end, date, issuer, in_footnote) per mention; one from the reference itself
    when the parser gave no mention list."""
    if ref.mentions:
        for m in ref.mentions:
            yield m.surface, m.span.start, m.span.end, m.date, m.issuer, m.in_footnote
    elif ref.spans:
        for span in ref.spans:
            yield ref.surface, span.start, span.end, None, None, False
    else:
        yield ref.surface or ref.symbol or ref.name or "", None, None, None, None, False

