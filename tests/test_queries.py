"""Every named query on the example corpus's graph against its checked-in golden result
(`tests/data/queries/NAME.json`; regenerate with ``KG_UPDATE_GOLDEN=1`` and review the diff)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from example_graph import BASE, load_example, short

from kg import queries
from kg.errors import QueryError

GOLDEN = Path(__file__).parent / "data" / "queries"
SO_TTTT = BASE + "doc/51432701ca4340e77f4ec53ba62bda074390be55ceeedf7e959b22fa70103143"
CASES = {  # name → parameters for the golden run
    "stale-citations": {},
    "lineage-up": {"root": SO_TTTT},
    "lineage-down": {"root": BASE + "eli/vn/ct-ttg/2021/33"},
    "inherited-risk": {},
    "cited-by": {"target": BASE + "eli/vn/nq-cp/2011/30c"},
    "cites": {"doc": BASE + "eli/vn-tay-ninh/kh-ubnd/2024/859"},
    "citation-disagreements": {},
    "orphans": {},
    "most-cited": {},
    "unit-profile": {},
}


def _golden(name: str, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    path = GOLDEN / f"{name}.json"
    if os.environ.get("KG_UPDATE_GOLDEN"):
        path.write_text(json.dumps(short(rows), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_shipped_query_has_a_golden_case():
    assert sorted(CASES) == queries.names()
    assert len(CASES) == 10


@pytest.mark.parametrize("name", sorted(CASES))
def test_named_query_golden(example, name):
    rows = queries.run(example, name, CASES[name])
    assert short(rows) == _golden(name, rows)


@pytest.mark.server
def test_named_queries_give_the_same_rows_over_http(http_store):
    load_example(http_store)
    for name, params in CASES.items():
        assert short(queries.run(http_store, name, params)) == json.loads(
            (GOLDEN / f"{name}.json").read_text(encoding="utf-8")), name


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_query_has_a_header(name):
    q = queries.load(name)
    assert q.title and len(q.answers) > 40
    assert q.text.lstrip().startswith("# title:")
    required = {p.name for p in q.params if p.required}
    assert required <= set(CASES[name])


def test_stale_citations_on_the_example_corpus(example):
    rows = queries.run(example, "stale-citations")
    found = {(r["path"][-24:-4], r["oldSymbol"], r["relation"], r.get("newSymbol"), r["certainty"]) for r in rows}
    assert found == {
        ("000_ad4fe33f902addcd", "30c/NQ-CP", "expired", "76/NQ-CP", "bound"),
        ("000_ad4fe33f902addcd", "60/2013/NĐ-CP", "replaced_by", "149/2018/NĐ-CP", "bound"),
        ("000_ad4fe33f902addcd", "34/2007/PL-UBTVQH11", "repealed_by", "10/2022/QH15", "possible"),
        ("002_0fcbf1ed67dcb533", "34/2007/PL-UBTVQH11", "repealed_by", "10/2022/QH15", "possible"),
    }
    assert not any(r["oldSymbol"] == "124-QĐ/TW" for r in rows)  # the seeds cite the one of 2018


def test_stale_as_of_a_date_is_certain_after_and_absent_before(example):
    later = queries.run(example, "stale-citations", {"asOf": "2024-01-01"})
    assert {r["certainty"] for r in later} == {"certain"} and len(later) == 4
    earlier = queries.run(example, "stale-citations", {"asOf": "2019-06-01"})
    assert {r["oldSymbol"] for r in earlier} == {"60/2013/NĐ-CP"}


def test_stale_filtered_by_unit_ignores_case(example):
    rows = queries.run(example, "stale-citations", {"unit": "sở ngoại"})
    assert {r["unitName"] for r in rows} == {"Sở Ngoại vụ"} and len(rows) == 3


def test_parameter_values_cannot_change_the_query(example):
    evil = 'x") } UNION { ?doc ?p ?o } #'
    assert queries.run(example, "stale-citations", {"unit": evil}) == []
    with pytest.raises(QueryError, match="is not an IRI"):
        queries.run(example, "cited-by", {"target": "https://x.org/a> ?p ?o . <b"})
    with pytest.raises(QueryError, match="ISO date"):
        queries.run(example, "stale-citations", {"asOf": "2024"})


def test_required_and_unknown_parameters_are_named():
    with pytest.raises(QueryError, match="needs --param root"):
        queries.bindings(queries.load("lineage-up"), {})
    with pytest.raises(QueryError, match="has no parameter 'nope'"):
        queries.bindings(queries.load("lineage-up"), {"root": "https://x.org/a", "nope": "1"})
    with pytest.raises(QueryError, match="no named query 'nope'"):
        queries.load("nope")


def test_inherited_risk_follows_the_cascade(embedded_store, docs):
    """A plan two steps below a replaced instrument inherits the risk, with its path and depth."""
    from dataclasses import replace

    from kg import build, registry

    so_tttt, kh_1243, _ = docs
    graphs = [g for d in (so_tttt, kh_1243) for g in build.document_graphs(d)]
    embedded_store.write_graphs(graphs)
    fact = registry.Fact(subject_symbol="33/CT-TTg", subject_date="2021-11-26", relation="replaced_by",
                         object_symbol="99/CT-TTg", object_date="2026-01-05", effective_date="2026-01-05",
                         confidence="high", source="test")
    registry.add_fact(embedded_store, replace(fact))
    rows = queries.run(embedded_store, "inherited-risk")
    paths = {(r.get("planSymbol") or r["planPath"], r.get("viaSymbol"), r["oldSymbol"], r["depth"]) for r in rows}
    assert ("002_so_tttt.txt", "1243/KH-UBND", "33/CT-TTg", "2") in paths
    assert ("002_so_tttt.txt", "33/CT-TTg", "33/CT-TTg", "1") in paths
    assert ("1243/KH-UBND", "33/CT-TTg", "33/CT-TTg", "1") in paths


def test_header_parse_errors_name_the_line():
    with pytest.raises(QueryError, match="kind 'date'"):
        queries.parse("# params:\n#   x: date, optional; d\nSELECT * {}", "bad.rq")
    with pytest.raises(QueryError, match="is not 'name: kind"):
        queries.parse("# params:\n#   x IRI\nSELECT * {}", "bad.rq")


def test_read_only_check():
    assert queries.check_read_only("ASK { ?s ?p ?o }") == "ASK"
    assert queries.check_read_only("# SELECT\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"
    for update in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DROP ALL", "CLEAR DEFAULT",
                   "DELETE WHERE { ?s ?p ?o }", "LOAD <http://example.org/x>"):
        with pytest.raises(QueryError, match="SPARQL update"):
            queries.check_read_only(update)
    with pytest.raises(QueryError, match=r"malformed SPARQL: error at 1:\d+"):
        queries.check_read_only("SELECT ?s WHERE { ?s ?p }")


def test_undated_reference_is_matched_by_symbol_and_only_possible(embedded_store):
    """"Nghị quyết 30c/NQ-CP" with no date anywhere is minted apart from the registry's 30c of 2011."""
    from kg import build, registry
    from loaders import extract_text

    doc = extract_text("KẾ HOẠCH\nTây Ninh, ngày 05 tháng 5 năm 2023\nThực hiện Nghị quyết 30c/NQ-CP về cải cách.\n",
                       source="undated.txt")
    embedded_store.write_graphs(build.document_graphs(doc), fresh=True)
    registry.load_shipped(embedded_store)
    registry.refresh_canonical(embedded_store)
    rows = queries.run(embedded_store, "stale-citations")
    assert [(r["oldSymbol"], r["matchedBy"], r["certainty"]) for r in rows] == [("30c/NQ-CP", "symbol", "possible")]
    assert rows[0]["cited"] != rows[0]["old"]


def test_federated_queries_are_refused():
    with pytest.raises(QueryError, match="SERVICE"):
        queries.check_read_only("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


@pytest.mark.server
def test_user_ask_and_construct_over_http(http_store):
    load_example(http_store)
    assert queries.run_user(http_store, "ASK { ?m <https://kg.vn-plans.org/ns#mentionOf> ?i }") == ("ASK", True)
    form, nt = queries.run_user(http_store, "CONSTRUCT { ?i <urn:p> ?s } WHERE { ?i "
                                "<https://kg.vn-plans.org/ns#symbol> ?s FILTER(?s = '30c/NQ-CP') }")
    assert form == "CONSTRUCT"
    assert nt.strip() == '<https://kg.vn-plans.org/eli/vn/nq-cp/2011/30c> <urn:p> "30c/NQ-CP" .'


def test_queries_stay_linear_when_many_plans_cite_the_same_instruments(tmp_path):
    """Regression: joining symbol, kind and mentions over the union of graphs multiplied rows by the
    number of citing plans (most-cited took 3.5 s and citation-disagreements 8 s at 100 plans).
    Each named query on 8× the plans must take about 8× the time, not 64×."""
    from conftest import synthetic
    from linear import assert_linear

    from kg import build, registry
    from kg.store import open_store

    stores = {}
    for k in (1, 8):
        store = open_store(str(tmp_path / f"s{k}"))
        graphs = [g for i in range(40 * k) for g in build.document_graphs(synthetic(i, f"d{i}.txt"))]
        store.write_graphs(graphs, fresh=True)
        registry.load_shipped(store)
        registry.refresh_canonical(store)
        store.optimize()
        stores[k] = store
    edge = stores[1].select("PREFIX kg: <https://kg.vn-plans.org/ns#> SELECT ?a ?b WHERE { ?a kg:implements ?b } "
                            "LIMIT 1")[0]
    params = {"lineage-up": {"root": edge["a"]}, "lineage-down": {"root": edge["b"]},
              "cited-by": {"target": edge["b"]}, "cites": {"doc": edge["a"]}}
    for name in queries.names():
        assert_linear(lambda k, name=name: queries.run(stores[k], name, params.get(name, {})), floor=0.3)
    for store in stores.values():
        store.close()
