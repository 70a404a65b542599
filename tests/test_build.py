"""Document → triples: identity joins, per-document claims, mentions, supersessions."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from conftest import TAY_NINH, doc_1243, doc_dak_doa, doc_so_tttt, ref, sha
from rdflib.compare import graph_diff, isomorphic

from kg import ids
from kg.build import document_triples, own_iri, reference_iri
from kg.model import Document, Identity
from kg.namespace import KG

B = "https://kg.vn-plans.org/"


def all_lines(doc: Document) -> list[str]:
    """A document's graph with the shared descriptions it uses (kinds, issuers, places)."""
    _, lines, shared = document_triples(doc)
    return lines + shared


def as_graph(lines: list[str]) -> rdflib.Graph:
    return rdflib.Graph().parse(data="\n".join(lines), format="nt")


def assert_isomorphic(got: rdflib.Graph, want: rdflib.Graph) -> None:
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(got, want)
        raise AssertionError("only built:\n" + only_got.serialize(format="nt") +
                             "\nonly expected:\n" + only_want.serialize(format="nt"))


def test_golden_small_document():
    text = "Thực hiện Chỉ thị số 33/CT-TTg"
    doc = Document(source="a.txt", sha256="0" * 64, text=text,
                   identity=Identity(type="Kế hoạch", year=2023, issuer="Sở Ngoại vụ", jurisdiction=TAY_NINH),
                   implements=["33/CT-TTg@2021"],
                   refs=[ref("33/CT-TTg", "Chỉ thị", "2021-11-26", "Thủ tướng Chính phủ", at=10)])
    graph, lines, shared = document_triples(doc)
    lines = lines + shared
    assert graph == ids.graph_iri("a.txt")
    want = rdflib.Graph().parse(format="turtle", data=f"""
        @prefix kg: <https://kg.vn-plans.org/ns#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix b: <{B}> .
        <{B}doc/{"0" * 64}> a kg:SourceDocument ; kg:sourcePath "a.txt" ; kg:sha256 "{"0" * 64}" ; kg:format "txt" ;
            kg:describes <{B}doc/{"0" * 64}> .
        <{B}doc/{"0" * 64}> a kg:Instrument ; kg:kind <{B}kind/ke-hoach> ; kg:year "2023"^^xsd:gYear ;
            kg:issuerName "Sở Ngoại vụ" ; kg:issuer <{B}org/vn-tay-ninh/so-ngoai-vu> ;
            kg:jurisdiction <{B}place/vn-tay-ninh> ;
            kg:cites <{B}eli/vn/ct-ttg/2021/33> ; kg:implements <{B}eli/vn/ct-ttg/2021/33> .
        <{B}kind/ke-hoach> a skos:Concept ; skos:inScheme kg:InstrumentKindScheme ; skos:prefLabel "Kế hoạch"@vi .
        <{B}kind/chi-thi> a skos:Concept ; skos:inScheme kg:InstrumentKindScheme ; skos:prefLabel "Chỉ thị"@vi .
        <{B}place/vn-tay-ninh> a kg:Province ; rdfs:label "Tây Ninh"@vi ; kg:adminCode "72" .
        <{B}org/vn-tay-ninh/so-ngoai-vu> a kg:Issuer ; skos:prefLabel "Sở Ngoại vụ"@vi ; kg:level kg:LevelProvince ;
            kg:jurisdiction <{B}place/vn-tay-ninh> .
        <{B}org/ttg> a kg:Issuer ; kg:code "TTg" ; skos:prefLabel "Thủ tướng Chính phủ"@vi, "Prime Minister"@en ;
            kg:level kg:LevelNational .
        <{B}eli/vn/ct-ttg/2021/33> a kg:Instrument ; kg:kind <{B}kind/chi-thi> ; kg:symbol "33/CT-TTg" ;
            kg:number "33" ; kg:year "2021"^^xsd:gYear ; kg:date "2021-11-26"^^xsd:date ;
            kg:issuerName "Thủ tướng Chính phủ" ; kg:issuer <{B}org/ttg> .
        <{B}doc/{"0" * 64}/mention/0> kg:mentionOf <{B}eli/vn/ct-ttg/2021/33> ; kg:surface "Chỉ thị số 33/CT-TTg" ;
            kg:start 10 ; kg:end 30 ; kg:writtenDate "2021-11-26" ; kg:writtenIssuer "Thủ tướng Chính phủ" .
    """)
    assert_isomorphic(as_graph(lines), want)


def test_cascade_joins_source_document_and_references():
    """The department plan implements 1243/KH-UBND: the same IRI as that plan's own document."""
    dept, plan = doc_so_tttt(), doc_1243()
    plan_iri = own_iri(plan)
    assert plan_iri == B + "eli/vn-tay-ninh/kh-ubnd/2023/1243"
    implemented = [reference_iri(dept, dept.ref_by_key(k)) for k in dept.implements]
    assert plan_iri in implemented
    g = as_graph(all_lines(plan))
    assert (rdflib.URIRef(plan_iri), KG.implements, rdflib.URIRef(B + "eli/vn/ct-ttg/2021/33")) in g


def test_reference_implements_from_title():
    g = as_graph(all_lines(doc_so_tttt()))
    assert (rdflib.URIRef(B + "eli/vn-tay-ninh/kh-ubnd/2023/1243"), KG.implements,
            rdflib.URIRef(B + "eli/vn/ct-ttg/2021/33")) in g


def test_each_graph_keeps_its_own_reading():
    """Seeds name both Bộ Chính trị and Ban Chấp hành Trung ương as issuer of 23-QĐ/TW."""
    qd23 = rdflib.URIRef(B + "eli/vn/qd-tw/2021/23")
    graphs = [as_graph(all_lines(d)) for d in (doc_so_tttt(), doc_1243())]
    readings = {str(o) for g in graphs for o in g.objects(qd23, KG.issuerName)}
    assert readings == {"Bộ Chính trị", "Ban Chấp hành Trung ương"}


def test_party_qdi_and_qd_are_one_instrument():
    a = ref("11-QĐi/TW", "Quy định", "2019-02-18", "Bộ Chính trị")
    b = ref("11-QĐ/TW", "Quy định", "2019-02-18", "Bộ Chính trị")
    doc = doc_so_tttt()
    assert reference_iri(doc, a) == reference_iri(doc, b) == B + "eli/vn/qd-tw/2019/11"


def test_local_reference_without_jurisdiction_is_scoped_to_its_document():
    doc = doc_dak_doa()
    node = reference_iri(doc, doc.ref_by_key("175/KH-UBND@2021"))
    assert node == B + f"doc/{doc.sha256[:16]}/ref/kh-ubnd/2021/175"
    assert reference_iri(doc, doc.ref_by_key("12/KH-UBND@2023")) == B + "eli/vn-gia-lai/dak-doa/kh-ubnd/2023/12"


def test_commune_issuer_level_and_parents():
    g = as_graph(all_lines(doc_dak_doa()))
    commune = rdflib.URIRef(B + "place/vn-gia-lai/dak-doa/dak-doa")
    assert (commune, rdflib.RDF.type, KG.Commune) in g
    assert (commune, KG.partOf, rdflib.URIRef(B + "place/vn-gia-lai/dak-doa")) in g
    assert (rdflib.URIRef(B + "place/vn-gia-lai/dak-doa"), KG.partOf, rdflib.URIRef(B + "place/vn-gia-lai")) in g


def test_mentions_keep_spans_and_written_values():
    doc = doc_so_tttt()
    g = as_graph(all_lines(doc))
    mentions = list(g.subjects(KG.mentionOf, None))
    assert len(mentions) == sum(len(r.mentions) for r in doc.refs) == 8
    starts = sorted(int(g.value(m, KG.start)) for m in mentions)
    assert starts == sorted(r.mentions[0].span.start for r in doc.refs)


def test_supersession_becomes_a_fact_sourced_by_the_document():
    doc = doc_1243()
    g = as_graph(all_lines(doc))
    old, new = rdflib.URIRef(B + "eli/vn/ct-ttg/2016/16"), rdflib.URIRef(own_iri(doc))
    assert (old, KG.replacedBy, new) in g
    fact = g.value(predicate=KG.subject, object=old)
    assert g.value(fact, KG.relation) == KG.Replaced
    assert g.value(fact, KG.sourceDocument) == rdflib.URIRef(ids.source_iri(doc.sha256))
    assert str(g.value(fact, KG.effectiveDate)) == "2023-04-26"
    assert str(g.value(fact, KG.evidence)).startswith("Kế hoạch này thay thế")


def test_document_citing_its_own_symbol_does_not_cite_itself():
    doc = doc_1243()
    doc.refs.append(ref("1243/KH-UBND", "Kế hoạch", "2023-04-26", "UBND tỉnh", jurisdiction=TAY_NINH, at=0))
    g = as_graph(all_lines(doc))
    me = rdflib.URIRef(own_iri(doc))
    assert (me, KG.cites, me) not in g


def test_unidentified_document_is_its_content_hash():
    doc = doc_so_tttt()
    assert own_iri(doc) == ids.source_iri(doc.sha256)


def test_output_is_valid_ntriples_and_deterministic():
    for make in (doc_so_tttt, doc_1243, doc_dak_doa):
        g1, lines, _ = document_triples(make())
        g2, again, _ = document_triples(make())
        assert (g1, lines) == (g2, again)
        assert len(list(ox.parse("\n".join(lines), format=ox.RdfFormat.N_TRIPLES))) == len(set(lines))


def test_escaping_of_titles():
    doc = doc_1243()
    doc.identity.title = 'Về "dân vận khéo"\ngiai đoạn 2023\\2025'
    g = as_graph(all_lines(doc))
    assert str(g.value(rdflib.URIRef(own_iri(doc)), KG.title)) == doc.identity.title


def test_bad_dates_are_left_out_not_written():
    doc = Document(source="x.txt", sha256=sha("x"), text="", identity=Identity(date="26/4/2023", year=2023),
                   refs=[ref("33/CT-TTg", "Chỉ thị", "2021-13", "TTg")])
    g = as_graph(all_lines(doc))
    assert not list(g.triples((None, KG.date, None)))


def test_no_triple_is_written_twice():
    doc = doc_so_tttt()
    doc.refs.append(ref("11-QĐi/TW", "Quy định", "2019-02-18", "Bộ Chính trị", at=300))  # same as 11-QĐ/TW
    lines = all_lines(doc)
    assert len(lines) == len(set(lines))


def test_descriptions_do_not_depend_on_what_was_built_before():
    """Places, issuers and kinds are described from blocks made once per process: each graph still
    gets every description it uses, once, whichever graphs were built before it."""
    from kg import build

    docs = [doc_dak_doa(), doc_1243(), doc_so_tttt()]
    build._place_block.cache_clear()
    build._issuer_block.cache_clear()
    build._kind_block.cache_clear()
    first = {d.source: document_triples(d) for d in docs}
    again = {d.source: document_triples(d) for d in reversed(docs)}  # every block now cached
    assert again == first
    for _, lines, shared in first.values():
        assert len(shared) == len(set(shared)) and len(lines) == len(set(lines))
    # the commune's graph describes its commune, district and province, each once
    _, _, shared = first[docs[0].source]
    for place in ("vn-gia-lai", "vn-gia-lai/dak-doa", "vn-gia-lai/dak-doa/dak-doa"):
        typed = [s for s in shared if s.startswith(f"<{B}place/{place}> <http://www.w3.org/1999/02/22-rdf")]
        assert len(typed) == 1, place


def test_a_new_iri_base_is_used_by_the_next_graph(monkeypatch):
    doc = doc_dak_doa()
    document_triples(doc)  # fills the description blocks under the default base
    monkeypatch.setenv("KG_BASE", "http://example.org/kg")
    graph, lines, shared = document_triples(doc)
    text = "\n".join([graph, *lines, *shared])
    for minted in ("doc/", "eli/", "org/", "place/", "kind/", "graph/"):  # the vocabulary (ns#) stays
        assert B + minted not in text, minted
    assert any(s.startswith("<http://example.org/kg/place/vn-gia-lai>") for s in shared)
