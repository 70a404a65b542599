"""Forgiving references on the example corpus's graph: the ways people type an instrument."""

from __future__ import annotations

import pytest
from example_graph import BASE, SO_NGOAI_VU, load_example

from kg.errors import RefError
from kg.refs import Wanted, parse_ref, resolve, resolve_one

CT33 = BASE + "eli/vn/ct-ttg/2021/33"


@pytest.mark.parametrize(("text", "wanted"), [
    ("33/CT-TTg", Wanted(symbol="33/CT-TTg", number="33")),
    ("CT 33/2021", Wanted(number="33", year=2021, kind="Chỉ thị", code="CT")),
    ("chỉ thị 33", Wanted(number="33", kind="Chỉ thị")),
    ("Chỉ thị số 33/CT-TTg", Wanted(symbol="33/CT-TTg", number="33")),
    ("30c", Wanted(number="30c")),
    ("124-QĐ/TW 2018", Wanted(symbol="124-QĐ/TW", number="124", year=2018)),
    ("quy định 124 năm 2023", Wanted(number="124", year=2023, kind="Quy định")),
    ("NĐ 60/2013", Wanted(number="60", year=2013, kind="Nghị định", code="NĐ")),
    ("04/2015/NĐCP", Wanted(symbol="04/2015/NĐ-CP", number="04", year=2015)),
])
def test_parse_ref(text, wanted):
    assert parse_ref(text) == wanted


@pytest.mark.parametrize(("text", "iri"), [
    ("33/CT-TTg", CT33),
    ("CT 33/2021", CT33),
    ("chỉ thị 33", CT33),
    ("ct 33", CT33),
    ("30c", BASE + "eli/vn/nq-cp/2011/30c"),
    ("nghị định 60", BASE + "eli/vn/nd-cp/2013/60"),
    ("4/2015/NĐ-CP", BASE + "eli/vn/nd-cp/2015/04"),
    ("04/2015/NĐCP", BASE + "eli/vn/nd-cp/2015/04"),
    ("11-QĐi/TW", BASE + "eli/vn/qd-tw/2019/11"),
    ("124-QĐ/TW 2018", BASE + "eli/vn/qd-tw/2018/124"),
    ("luật 10", BASE + "eli/vn/qh15/2022/10"),
    (CT33, CT33),
    ("000_ad4fe33f902addcd.txt", BASE + "doc/511143656b808e6196b9b2055738c3c0cd2aa17d104306102cd29c508b4312b3"),
    (SO_NGOAI_VU, BASE + "doc/511143656b808e6196b9b2055738c3c0cd2aa17d104306102cd29c508b4312b3"),
])
def test_resolve_the_way_people_type(example, text, iri):
    assert resolve_one(example, text).iri == iri


def test_ambiguous_reference_lists_the_candidates(example):
    with pytest.raises(RefError) as e:
        resolve_one(example, "124-QĐ/TW")
    assert e.value.candidates == [BASE + "eli/vn/qd-tw/2018/124", BASE + "eli/vn/qd-tw/2023/124"]
    assert "Quy định 124-QĐ/TW (2018-02-02, Ban Bí thư); 124-QĐ/TW (2023-10-04, Bộ Chính trị)" in str(e.value)
    with pytest.raises(RefError, match="matches 2 instruments"):
        resolve_one(example, "23")


def test_unknown_reference_says_how_to_type_one(example):
    with pytest.raises(RefError, match=r"no instrument in the graph matches '999/CT-TTg'; try"):
        resolve_one(example, "999/CT-TTg")
    assert resolve(example, "") == resolve(example, "hello") == []


@pytest.mark.server
def test_resolve_on_a_sparql_server(http_store):
    load_example(http_store)
    assert resolve_one(http_store, "chỉ thị 33").iri == CT33
    assert resolve_one(http_store, "4/2015/NĐ-CP").iri == BASE + "eli/vn/nd-cp/2015/04"
    with pytest.raises(RefError):
        resolve_one(http_store, "124-QĐ/TW")


def test_a_file_whose_instrument_others_also_describe_is_one_candidate(embedded_store, docs):
    """1243/KH-UBND has its own file and is cited with other dates and issuers: still one match."""
    from kg import build, registry

    embedded_store.write_graphs([g for d in docs for g in build.document_graphs(d)], fresh=True)
    registry.refresh_canonical(embedded_store)
    assert resolve_one(embedded_store, "1243_kh_ubnd.txt").iri == BASE + "eli/vn-tay-ninh/kh-ubnd/2023/1243"
    assert resolve_one(embedded_store, "1243/KH-UBND").iri == BASE + "eli/vn-tay-ninh/kh-ubnd/2023/1243"
