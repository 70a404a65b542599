"""Identity rules: one function mints every instrument IRI."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg import ids
from kg.model import Jurisdiction

B = "https://kg.vn-plans.org/"
TAY_NINH = Jurisdiction(province="Tây Ninh", level="province")
LONG_AN = Jurisdiction(province="Long An", level="province")

CASES = [
    # (symbol, year, date, jurisdiction, expected path under the base)
    ("33/CT-TTg", 2021, None, None, "eli/vn/ct-ttg/2021/33"),
    ("04/2015/NĐ-CP", None, None, None, "eli/vn/nd-cp/2015/04"),
    ("04/2015/NĐ-CP", 2019, None, None, "eli/vn/nd-cp/2015/04"),  # the symbol's own year wins
    ("124-QĐ/TW", None, "2018-02-02", None, "eli/vn/qd-tw/2018/124"),
    ("124-QĐ/TW", None, "2023-10-04", None, "eli/vn/qd-tw/2023/124"),
    ("11-QĐi/TW", 2019, None, None, "eli/vn/qd-tw/2019/11"),
    ("11-QĐ/TW", 2019, None, None, "eli/vn/qd-tw/2019/11"),
    ("10/2022/QH15", None, None, None, "eli/vn/qh15/2022/10"),
    ("34/2007/PL-UBTVQH11", None, None, None, "eli/vn/pl-ubtvqh11/2007/34"),
    ("1432/BNV-CTTN", 2023, None, None, "eli/vn/bnv-cttn/2023/1432"),
    ("30c/NQ-CP", 2011, None, None, "eli/vn/nq-cp/2011/30c"),
    ("4/CT-TTg", 2020, None, None, "eli/vn/ct-ttg/2020/04"),
    ("1243/KH-UBND", 2023, None, TAY_NINH, "eli/vn-tay-ninh/kh-ubnd/2023/1243"),
    ("26-KH/BCĐ", 2024, None, TAY_NINH, "eli/vn-tay-ninh/kh-bcd/2024/26"),
    ("12/KH-UBND", 2023, None, Jurisdiction(province="Gia Lai", district="Đak Đoa", level="district"),
     "eli/vn-gia-lai/dak-doa/kh-ubnd/2023/12"),
    ("5/KH-UBND", 2023, None, Jurisdiction(province="Gia Lai", district="Đak Đoa", commune="Đak Đoa",
                                           level="commune"), "eli/vn-gia-lai/dak-doa/dak-doa/kh-ubnd/2023/05"),
    ("5/KH-UBND", 2025, None, Jurisdiction(province="Gia Lai", commune="Đak Đoa", level="commune"),
     "eli/vn-gia-lai/-/dak-doa/kh-ubnd/2025/05"),
    ("175/KH-UBND", 2021, None, None, "doc/abcdef0123456789/ref/kh-ubnd/2021/175"),
    ("04-CTr/BDVTU-BCSDUBND", 2021, None, None, "doc/abcdef0123456789/ref/ctr-bdvtu-bcsdubnd/2021/04"),
]


@pytest.mark.parametrize(("symbol", "year", "date", "j", "path"), CASES)
def test_instrument_iri(symbol, year, date, j, path):
    got = ids.instrument_iri(symbol=symbol, year=year, date=date, jurisdiction=j,
                             scope_sha256="abcdef0123456789" * 4)
    assert got == B + path


def test_case_count():
    assert len(CASES) == 19


def test_undated_national_is_logged(caplog):
    caplog.set_level(logging.INFO, logger="kg.ids")
    assert ids.instrument_iri(symbol="366-QĐ/TW") == B + "eli/vn/qd-tw/undated/366"
    assert "366-QĐ/TW: no year known" in caplog.text


def test_local_namesakes_in_two_provinces_differ():
    a = ids.instrument_iri(symbol="765/KH-UBND", year=2023, jurisdiction=TAY_NINH)
    b = ids.instrument_iri(symbol="765/KH-UBND", year=2023, jurisdiction=LONG_AN)
    assert a != b


def test_unknown_jurisdiction_stays_in_citing_document():
    a = ids.instrument_iri(symbol="175/KH-UBND", year=2021, scope_sha256="a" * 64)
    b = ids.instrument_iri(symbol="175/KH-UBND", year=2021, scope_sha256="b" * 64)
    assert a != b and a.startswith(B + "doc/aaaaaaaaaaaaaaaa/ref/")


def test_named_reference():
    got = ids.instrument_iri(type="Luật", name="Tiếp công dân", year=2013)
    assert got == B + "eli/vn/named/luat/tiep-cong-dan/2013"


def test_base_is_configurable(monkeypatch):
    monkeypatch.setenv("KG_BASE", "http://example.org/kg")
    assert ids.instrument_iri(symbol="33/CT-TTg", year=2021) == "http://example.org/kg/eli/vn/ct-ttg/2021/33"
    assert ids.source_iri("ff") == "http://example.org/kg/doc/ff"


def test_issuer_scope():
    assert [ids.issuer_scope(c) for c in ("TTg", "CP", "TW", "QH14", "UBTVQH11", "BNV")] == ["national"] * 6
    assert [ids.issuer_scope(c) for c in ("UBND", "HĐND", "TU", "HU", "BCĐ", "BDVTU", "XYZ", None)] == ["local"] * 8


def test_parse_symbol_rejects_non_symbols():
    assert ids.parse_symbol("Luật Tiếp công dân") is None
    assert ids.parse_symbol("2023") is None


def test_issuer_and_place_iris():
    assert ids.issuer_iri("TTg") == B + "org/ttg"
    assert ids.issuer_iri("UBND", jurisdiction=TAY_NINH) == B + "org/vn-tay-ninh/ubnd"
    assert ids.issuer_iri(None, "Sở Ngoại vụ", TAY_NINH) == B + "org/vn-tay-ninh/so-ngoai-vu"
    assert ids.issuer_iri("UBND") is None
    assert ids.place_iri(TAY_NINH) == B + "place/vn-tay-ninh"


slugs = st.text(alphabet="abcdđêơưxyz", min_size=1, max_size=6)
kinds = st.sampled_from(["CT-TTg", "NĐ-CP", "QĐ/TW", "KH-UBND", "QĐ-UBND", "CV/TU", "KH/BCĐ", "QH15"])
places = st.one_of(
    st.none(),
    st.builds(lambda p: Jurisdiction(province=p, level="province"), slugs),
    st.builds(lambda p, d: Jurisdiction(province=p, district=d, level="district"), slugs, slugs),
    st.builds(lambda p, d, c: Jurisdiction(province=p, district=d, commune=c, level="commune"),
              slugs, st.one_of(st.none(), slugs), slugs),
)
keys = st.tuples(kinds, st.one_of(st.none(), st.integers(1945, 2030)), st.integers(1, 99999), places)


def _mint(key):
    kind, year, number, j = key
    sep = "-" if "/" in kind else "/"
    return ids.instrument_iri(symbol=f"{number}{sep}{kind}", year=year, jurisdiction=j, scope_sha256="c" * 64)


def _identity(key):
    """What identity should depend on: national codes ignore the jurisdiction."""
    kind, year, number, j = key
    national = kind in ("CT-TTg", "NĐ-CP", "QĐ/TW", "QH15")
    place = None if national or j is None else (ids.slug(j.province or ""),
                                                ids.slug(j.district or "") if j.level != "province" else None,
                                                ids.slug(j.commune or "") if j.level == "commune" else None)
    return kind, year, number, place


@given(keys, keys)
def test_minting_is_deterministic_and_injective(a, b):
    assert _mint(a) == _mint(a)
    assert (_mint(a) == _mint(b)) == (_identity(a) == _identity(b))


def test_document_iri_joins_references_only_when_identity_is_complete():
    kw = {"date": None, "sha256": "f" * 64}
    assert ids.document_iri(symbol="1243/KH-UBND", year=2023, jurisdiction=TAY_NINH, **kw) == \
        ids.instrument_iri(symbol="1243/KH-UBND", year=2023, jurisdiction=TAY_NINH)
    assert ids.document_iri(symbol="33/CT-TTg", year=None, jurisdiction=None, date="2021-11-26", sha256="f" * 64) == \
        B + "eli/vn/ct-ttg/2021/33"
    # a local plan without its province, a plan without a year, or without a symbol: its content hash
    assert ids.document_iri(symbol="1243/KH-UBND", year=2023, jurisdiction=None, **kw) == B + "doc/" + "f" * 64
    assert ids.document_iri(symbol="33/CT-TTg", year=None, jurisdiction=None, **kw) == B + "doc/" + "f" * 64
    assert ids.document_iri(symbol=None, year=2023, jurisdiction=TAY_NINH, **kw) == B + "doc/" + "f" * 64
