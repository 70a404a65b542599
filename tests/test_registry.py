"""Status registry: shipped facts, user facts, supersessions from texts, issuer succession,
and canonical metadata precedence (registry > own source document > most common reading)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import (
    docs,  # noqa: F401  (fixture)
    extract_fixture,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import ids, registry
from kg.cli import main
from kg.errors import KGError
from kg.ingest import ingest

KG = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"
B = "https://kg.vn-plans.org/"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "registry" / "status.csv"
HEADER = ("subject_symbol,subject_date,subject_issuer,subject_title,relation,object_symbol,object_date,"
          "effective_date,confidence,source,evidence")


@pytest.fixture
def ingested(store, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("so_tttt", "kh_1243", "dak_doa"):
        (folder / f"{name}.txt").write_text(name)
    ingest([folder], store, extract=extract_fixture)
    return store


def canonical(store, iri: str) -> dict[str, str]:
    rows = store.select(KG + "SELECT ?date ?db ?issuer ?ib WHERE { GRAPH ?c { ?i kg:canonicalDate ?date ; "
                        "kg:dateBasis ?db . OPTIONAL { ?i kg:canonicalIssuerName ?issuer ; kg:issuerBasis ?ib } } }",
                        {"c": f"<{ids.canonical_graph()}>", "i": f"<{iri}>"})
    assert len(rows) == 1, rows
    return rows[0]


def test_shipped_registry_is_the_shared_one_plus_issuer_succession():
    shipped = list(csv.DictReader(registry.shipped_path().open(encoding="utf-8")))
    if SHARED.exists():
        shared = list(csv.DictReader(SHARED.open(encoding="utf-8")))
        assert [{k: r[k] for k in shared[0]} for r in shipped[: len(shared)]] == shared
    facts = registry.read_csv(registry.shipped_path())
    assert len(facts) == 35
    assert sum(1 for f in facts if not f.subject_symbol) == 4


def test_bad_csv_names_file_line_and_column(tmp_path):
    bad = tmp_path / "facts.csv"
    bad.write_text(HEADER + "\n33/CT-TTg,2021-11-26,,,superseded,,,,high,me,\n", encoding="utf-8")
    with pytest.raises(KGError, match=r"facts.csv: line 2: relation 'superseded' is not one of"):
        registry.read_csv(bad)
    bad.write_text("symbol,relation\n", encoding="utf-8")
    with pytest.raises(KGError, match="missing columns subject_symbol"):
        registry.read_csv(bad)
    bad.write_text(HEADER + "\n175/KH-UBND,2021-12-24,,,in_force,,,,high,me,\n", encoding="utf-8")
    with pytest.raises(KGError, match="local instrument: give its jurisdiction"):
        registry.import_csv(registry_store(tmp_path), bad)


def registry_store(tmp_path):
    from kg.store import EmbeddedStore

    return EmbeddedStore(tmp_path / "r")


def test_same_symbol_different_years_get_their_own_facts(ingested):
    rows = registry.list_facts(ingested, "124-QĐ/TW")
    got = [(r["subjectDate"], r["relation"], r["objectSymbol"]) for r in rows]
    assert got == [("2023-10-04", "replaced_by", "366-QĐ/TW")]
    # the 2018 Quy định (Ban Bí thư) cited by the seeds has no fact: it is not the one replaced
    assert not ingested.select(KG + "SELECT ?x WHERE { ?i kg:replacedBy ?x }", {"i": f"<{B}eli/vn/qd-tw/2018/124>"})
    assert ingested.select(KG + "SELECT ?x WHERE { ?i kg:replacedBy ?x }", {"i": f"<{B}eli/vn/qd-tw/2023/124>"})


def test_supersession_in_a_text_is_a_fact_with_that_document_as_source(ingested):
    rows = registry.list_facts(ingested, "16/CT-TTg")
    assert len(rows) == 1
    row = rows[0]
    assert (row["relation"], row["objectSymbol"], row["effective"], registry.origin(row["g"])) == \
        ("replaced_by", "1243/KH-UBND", "2023-04-26", "document")
    assert row["source"].endswith("kh_1243.txt")


def test_load_shipped_only_when_changed(store):
    assert registry.load_shipped(store) is True
    assert registry.load_shipped(store) is False
    assert len(registry.list_facts(store)) == 35


def test_canonical_precedence(ingested):
    # registry beats everything: 132-QĐ/TW is only known from the registry
    assert canonical(ingested, B + "eli/vn/qd-tw/2018/132") == {
        "date": "2018-03-08", "db": "registry", "issuer": "Ban Chấp hành Trung ương", "ib": "registry"}
    # the plan's own header beats the department's reading ("UBND tỉnh Tây Ninh")
    assert canonical(ingested, B + "eli/vn-tay-ninh/kh-ubnd/2023/1243") == {
        "date": "2023-04-26", "db": "source", "issuer": "Ủy ban nhân dân tỉnh Tây Ninh", "ib": "source"}
    # otherwise the most common reading: two documents say Bộ Chính trị, one Ban Chấp hành Trung ương
    assert canonical(ingested, B + "eli/vn/qd-tw/2021/23")["issuer"] == "Bộ Chính trị"


def test_registry_fact_overrides_mentions_and_disagreements_stay_queryable(ingested):
    registry.add_fact(ingested, registry.Fact(
        subject_symbol="23-QĐ/TW", subject_date="2021-07-30", subject_issuer="Bộ Chính trị",
        relation="in_force", confidence="medium", source="tests"))
    assert canonical(ingested, B + "eli/vn/qd-tw/2021/23")["ib"] == "registry"
    rows = ingested.select(KG + "SELECT DISTINCT ?name WHERE { GRAPH ?g { ?i kg:issuerName ?name } } ORDER BY ?name",
                           {"i": f"<{B}eli/vn/qd-tw/2021/23>"})
    assert [r["name"] for r in rows] == ["Ban Chấp hành Trung ương", "Bộ Chính trị"]
    written = ingested.select(KG + "SELECT DISTINCT ?w WHERE { ?m kg:mentionOf ?i ; kg:writtenIssuer ?w }",
                              {"i": f"<{B}eli/vn/qd-tw/2021/23>"})
    assert len(written) == 2


def test_forget_recomputes_canonical(ingested, tmp_path):
    from kg.ingest import forget

    forget([tmp_path / "corpus" / "kh_1243.txt"], ingested)
    assert canonical(ingested, B + "eli/vn-tay-ninh/kh-ubnd/2023/1243") == {
        "date": "2023-04-26", "db": "mentions", "issuer": "UBND tỉnh Tây Ninh", "ib": "mentions"}
    # and the supersession it declared is gone with it
    assert registry.list_facts(ingested, "16/CT-TTg") == []


def test_import_twice_replaces(store, tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text(HEADER + "\n33/CT-TTg,2021-11-26,Thủ tướng Chính phủ,,in_force,,,2025-09-01,medium,"
                 "a September 2025 plan,\n", encoding="utf-8")
    assert registry.import_csv(store, f) == 1
    assert registry.import_csv(store, f) == 1
    mine = [r for r in registry.list_facts(store, "33/CT-TTg") if registry.origin(r["g"]) == "import"]
    assert len(mine) == 1


def test_issuer_succession_finds_plans_of_units_that_no_longer_exist(ingested):
    registry.load_shipped(ingested)
    rows = ingested.select(KG + """
        SELECT ?doc ?new ?when WHERE {
          ?src kg:describes ?doc . ?doc kg:issuer ?old . ?old kg:succeededBy ?new .
          ?fact kg:subject ?old ; kg:object ?new ; kg:effectiveDate ?when }""")
    assert [(r["new"], r["when"]) for r in rows] == [(B + "org/vn-tay-ninh/so-khoa-hoc-va-cong-nghe", "2025-03-01")]
    ended = ingested.select(KG + "SELECT ?d WHERE { ?org kg:expiredOn ?d }",
                            {"org": f"<{B}org/vn-gia-lai/dak-doa/ubnd>"})
    assert ended == [{"d": "2025-07-01"}]


def test_cli_registry_list_add_import(tmp_path):
    store = str(tmp_path / "cli-store")
    runner = CliRunner()
    result = runner.invoke(main, ["registry", "list", "--store", store, "--symbol", "60/2013/NĐ-CP", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "60/2013/NĐ-CP (2013-06-19) replaced by 149/2018/NĐ-CP (2018-11-07); effective 2019-01-01; confidence high; "
        "source: congdoanthainguyen.org.vn; dost.danang.gov.vn [the shipped registry]\n1 status facts\n")
    result = runner.invoke(main, ["registry", "add", "--store", store, "16/CT-TTg", "replaced_by", "33/CT-TTg",
                                  "--subject-date", "2020-03-31", "--object-date", "2021-11-26",
                                  "--source", "test", "--confidence", "low"])
    assert result.exit_code == 0, result.output
    assert result.output == "Đã thêm thông tin hiệu lực: 16/CT-TTg bị thay thế bởi 33/CT-TTg\n"
    result = runner.invoke(main, ["registry", "list", "--store", store, "--symbol", "16/CT-TTg", "--format", "csv"])
    assert result.output.splitlines()[1].startswith("16/CT-TTg,2020-03-31,,replaced_by,33/CT-TTg,2021-11-26,")
    assert result.output.splitlines()[1].endswith(",low,test,,user")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\nx,,,,in_force,,,,sure,me,\n", encoding="utf-8")
    result = runner.invoke(main, ["registry", "import", "--store", store, str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: line 2: confidence 'sure' is not one of: high, medium, low" in result.output
    result = runner.invoke(main, ["registry", "add", "--store", store, "16/CT-TTg", "replaced_by", "--source", "x"])
    assert result.exit_code == 2
    assert "needs object_symbol" in result.output


def test_full_refresh_writes_only_the_difference_and_mends_a_damaged_graph(ingested):
    g = ids.canonical_graph()
    dump = "SELECT ?s ?p ?o WHERE { GRAPH ?c { ?s ?p ?o } }"

    def graph() -> set[tuple[str | None, ...]]:  # as N-Triples terms: a date and the same untyped differ
        return set(ingested.select_nt(dump, {"c": f"<{g}>"}))

    registry.refresh_canonical(ingested)
    whole = graph()
    assert len(whole) > 20
    writes = []
    real_update, real_write = ingested.update, ingested.write_graphs
    ingested.update = lambda q: (writes.append(q), real_update(q))[1]
    ingested.write_graphs = lambda gs, **k: (writes.append(gs), real_write(gs, **k))[1]
    try:
        registry.refresh_canonical(ingested)  # nothing changed: the pending mark set and cleared, nothing else
        assert [w for w in writes if isinstance(w, list) or f"GRAPH <{g}> {{\n" in w] == []
        s, p, o = sorted(t for t in whole if t[1].endswith("#dateBasis>"))[0]  # a plain literal
        ingested.update(f"DELETE DATA {{ GRAPH <{g}> {{ {s} {p} {o} }} }}")
        s2, p2, _ = sorted(t for t in whole if t[1].endswith("#issuerBasis>"))[0]
        ingested.update(f'INSERT DATA {{ GRAPH <{g}> {{ {s2} {p2} "sai" . {s2} <{B}ns#retired> "x" }} }}')
        s3, p3, o3 = sorted(t for t in whole if t[1].endswith("#canonicalDate>"))[0]
        untyped = o3.split("^^")[0]  # the same date, untyped
        ingested.update(f"DELETE DATA {{ GRAPH <{g}> {{ {s3} {p3} {o3} }} }} ; INSERT DATA {{ GRAPH <{g}> {{ "
                        f"{s3} {p3} {untyped} . <{B}eli/vn/ct-ttg/1999/0> {p3} {o3} }} }}")
        assert graph() != whole
        registry.refresh_canonical(ingested)
    finally:
        ingested.update, ingested.write_graphs = real_update, real_write
    # the wrong values (an untyped date among them), the removed one, an instrument no longer read and
    # a property no longer written: mended
    assert graph() == whole


_VALUES = st.sampled_from(["2021-06-16", "2020-01-01", "Bộ Chính trị", "Ban Chấp hành Trung ương", "Z", "Đảng", "a"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["urn:a", "urn:b", "urn:c"]), _VALUES,
                          st.integers(1, 3)), max_size=25))
def test_the_choice_tallied_on_disk_is_the_one_made_in_memory(readings):
    """A refresh of every instrument tallies on disk (`kg.canonical_disk`), of some in Python
    (`_chosen`): the same reading wins (best rank, most votes, ties to the smallest value in code
    points: "Z" < "a" < "Đ")."""
    from kg import canonical_disk
    from kg.registry import _chosen, _objects

    queries = [(rank, f"q{rank}") for rank in range(3)]

    class Rows:
        def __init__(self) -> None:
            self.written: list[str] = []

        def select_values(self, query, bindings=None):
            rank = int(query[1:])
            return iter([(i, v, str(n)) for r, i, v, n in readings if r == rank])

        def select_nt(self, query, bindings=None):
            return iter([])  # nothing stored yet: every chosen line is written

        def write_graphs(self, graphs, *, fresh=False):
            self.written += [line for g in graphs for line in g.lines]

    store = Rows()
    pair = ("<urn:date>", "<urn:basis>")
    with canonical_disk.scratch() as db:
        canonical_disk.rewrite(db, store, "urn:g", pair, queries, _objects)
    in_memory = _chosen(store, queries, None)
    expected = set()
    for inst, (rank, _, value) in in_memory.items():
        o, b = _objects(pair[0], rank, value)
        expected |= {f"<{inst}> {pair[0]} {o} .", f"<{inst}> {pair[1]} {b} ."}
    assert set(store.written) == expected and len(store.written) == len(expected)


def test_a_refresh_of_some_writes_what_a_refresh_of_all_does(ingested):
    g = ids.canonical_graph()
    dump = "SELECT ?s ?p ?o WHERE { GRAPH ?c { ?s ?p ?o } }"
    registry.refresh_canonical(ingested)
    whole = set(ingested.select_nt(dump, {"c": f"<{g}>"}))
    instruments = {s[1:-1] for s, _, _ in whole}
    assert len(instruments) > 10
    ingested.drop_graph(g)
    registry.refresh_canonical(ingested, instruments)
    assert set(ingested.select_nt(dump, {"c": f"<{g}>"})) == whole


