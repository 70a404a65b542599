"""The vocabulary (kg.ttl ↔ kg/namespace.py), ELI alignment, and the SHACL shapes with
`kg validate` exit codes: a small valid and a small invalid fixture per shape."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.cli import main
from kg.namespace import ELI, KG

ONTOLOGY = Path(str(resources.files("ontology")))
NS = "https://kg.vn-plans.org/ns#"


@pytest.fixture(scope="module")
def vocabulary() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "kg.ttl")


def test_namespace_matches_kg_ttl_both_ways(vocabulary):
    in_ttl = {str(t)[len(NS):] for t in vocabulary.all_nodes() if str(t).startswith(NS)}
    in_code = set(KG.__annotations__)
    assert in_ttl - in_code == set(), "in kg.ttl but not in kg/namespace.py"
    assert in_code - in_ttl == set(), "in kg/namespace.py but not in kg.ttl"
    with pytest.raises(AttributeError):
        _ = KG.notATerm


def test_every_class_and_property_has_vietnamese_and_english_labels(vocabulary):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme)
    terms = {s for k in kinds for s in vocabulary.subjects(RDF.type, k) if str(s).startswith(NS)}
    assert terms == {KG[name] for name in KG.__annotations__}  # every term is declared with its kind
    for term in terms:
        labels = list(vocabulary.objects(term, RDFS.label)) + list(vocabulary.objects(term, SKOS.prefLabel))
        assert {lab.language for lab in labels} >= {"vi", "en"}, term


@pytest.mark.parametrize(("term", "eli"), [
    (KG.Instrument, ELI.LegalResource), (KG.cites, ELI.cites), (KG.implements, ELI.based_on),
    (KG.issuer, ELI.passed_by), (KG.date, ELI.date_document), (KG.symbol, ELI.id_local),
    (KG.expiredOn, ELI.date_no_longer_in_force), (KG.jurisdiction, ELI.jurisdiction),
])
def test_aligned_to_eli(vocabulary, term, eli):
    assert (term, RDFS.subClassOf, eli) in vocabulary or (term, RDFS.subPropertyOf, eli) in vocabulary


def test_repeals_is_inverse_of_eli(vocabulary):
    assert (KG.repealedBy, OWL.inverseOf, ELI.repeals) in vocabulary


def test_relation_concepts_carry_the_registry_notations(vocabulary):
    from kg.registry import RELATIONS

    notations = {str(n) for n in vocabulary.objects(None, SKOS.notation)}
    assert notations == set(RELATIONS)


PREFIXES = """@prefix kg: <https://kg.vn-plans.org/ns#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix : <https://kg.vn-plans.org/> .
"""
H = "a" * 64
VALID = {
    "instrument": ':i a kg:Instrument ; kg:symbol "33/CT-TTg" ; kg:date "2021-11-26"^^xsd:date ; '
                  'kg:year "2021"^^xsd:gYear ; kg:cites :j . :j a kg:Instrument .',
    "source": f':s a kg:SourceDocument ; kg:sha256 "{H}" ; kg:sourcePath "a.txt" ; kg:describes :i .'
              " :i a kg:Instrument .",
    "mention": ':m kg:mentionOf :i ; kg:surface "Chỉ thị 33" ; kg:start 3 ; kg:end 13 . :i a kg:Instrument .',
    "issuer": ':o a kg:Issuer ; skos:prefLabel "Bộ Nội vụ"@vi ; kg:level kg:LevelNational .',
    "district": ':d a kg:District ; rdfs:label "Đak Đoa"@vi ; kg:partOf :p .'
                ' :p a kg:Province ; rdfs:label "Gia Lai"@vi .',
    "fact": ':f a kg:StatusFact ; kg:subject :i ; kg:relation kg:Replaced ; kg:object :j ; '
            'kg:effectiveDate "2019-01-01"^^xsd:date ; kg:confidence "high" ; kg:source "congbao" .',
}
INVALID = {
    "instrument": ':i a kg:Instrument ; kg:date "26/11/2021" .',
    "source": ':s a kg:SourceDocument ; kg:sha256 "not-a-hash" ; kg:sourcePath "a.txt" .',
    "mention": ':m kg:mentionOf :i ; kg:surface "x" ; kg:start 13 ; kg:end 3 . :i a kg:Instrument .',
    "issuer": ':o a kg:Issuer ; skos:prefLabel "X"@vi ; kg:level kg:Replaced .',
    "district": ':d a kg:District ; rdfs:label "Đak Đoa"@vi .',
    "fact": ':f a kg:StatusFact ; kg:subject :i ; kg:relation kg:Replaced ; kg:confidence "sure" ; kg:source "x" .',
}


def validate_file(tmp_path, body: str, name: str = "data.ttl"):
    path = tmp_path / name
    path.write_text(PREFIXES + body, encoding="utf-8")
    return CliRunner().invoke(main, ["validate", "--data", str(path), "--lang", "en"])


@pytest.mark.parametrize("shape", sorted(VALID))
def test_valid_fixture_conforms(tmp_path, shape):
    result = validate_file(tmp_path, VALID[shape])
    assert result.exit_code == 0, result.output
    assert result.output == "The graph conforms to the SHACL shapes.\n"


@pytest.mark.parametrize("shape", sorted(INVALID))
def test_invalid_fixture_violates(tmp_path, shape):
    result = validate_file(tmp_path, INVALID[shape])
    assert result.exit_code == 1, result.output
    assert "Constraint Violation" in result.stdout


def test_fact_needs_its_object(tmp_path):
    result = validate_file(tmp_path, ':f a kg:StatusFact ; kg:subject :i ; kg:relation kg:Repealed ; '
                                     'kg:confidence "high" ; kg:source "x" .')
    assert result.exit_code == 1
    assert "needs its object" in result.stdout


def test_fixture_counts():
    assert len(VALID) == len(INVALID) == 6


def test_unparseable_data_is_a_load_error(tmp_path):
    result = validate_file(tmp_path, ":i a kg:Instrument ; kg:date ")
    assert result.exit_code == 2
    assert "cannot load the graph" in result.output
    missing = CliRunner().invoke(main, ["validate", "--data", str(tmp_path / "none.ttl")])
    assert missing.exit_code == 2


def test_example_corpus_graph_conforms(tmp_path):
    """The real extractor on examples/corpus, ingested, satisfies every shape."""
    corpus = Path(__file__).resolve().parents[1] / "examples" / "corpus"
    store = str(tmp_path / "store")
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", "--store", store, str(corpus)])
    assert ingested.exit_code == 0, ingested.output
    result = runner.invoke(main, ["validate", "--store", store])
    assert result.exit_code == 0, result.output
    assert result.output == "Đồ thị hợp lệ theo các ràng buộc SHACL.\n"


def test_hand_made_cascade_conforms_on_the_server(http_store, tmp_path, docs):
    from kg import ids
    from kg.build import document_triples
    from kg.ingest import markers
    from kg.store import GraphData

    for doc in docs:
        graph, lines, shared = document_triples(doc)
        http_store.write_graphs([GraphData(graph, lines, markers(graph, doc.sha256, tmp_path / doc.source)),
                                 GraphData(ids.shared_graph(), shared, [])], fresh=True)
    result = CliRunner().invoke(main, ["validate", "--store", http_store.location, "--lang", "en"])
    assert result.exit_code == 0, result.output
