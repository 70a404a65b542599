"""Tests for loaders.issuers: issuer and type codes of số/ký hiệu."""

from __future__ import annotations

import csv
import importlib.resources
from collections import defaultdict

import pytest

from loaders.issuers import (
    CONTEXTS,
    LEVELS,
    SCOPES,
    all_codes,
    canonical_code,
    issuer_for_code,
    type_for_code,
)


def _rows(name: str) -> list[dict[str, str]]:
    with (importlib.resources.files("loaders") / "data" / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ISSUER_ROWS = _rows("issuer_codes.csv")
TYPE_ROWS = _rows("type_codes.csv")


def test_row_counts() -> None:
    # Data-driven suites say how many cases they ran, so a stray filter cannot shrink them.
    assert len(ISSUER_ROWS) == 93
    assert len(TYPE_ROWS) == 31


@pytest.mark.parametrize("row", ISSUER_ROWS, ids=lambda r: r["code"])
def test_issuer_row_well_formed(row: dict[str, str]) -> None:
    assert list(row) == ["code", "name_vi", "name_en", "level", "scope"]
    assert all(v and v == v.strip() for v in row.values())
    assert row["level"] in LEVELS and row["scope"] in SCOPES
    assert (row["scope"] == "national") == (row["level"] in ("party-central", "state-central", "ministry"))
    info = issuer_for_code(row["code"])
    assert info is not None and info.code == row["code"] and info.term is None
    assert canonical_code(row["code"].upper()) == row["code"]


@pytest.mark.parametrize("row", TYPE_ROWS, ids=lambda r: f"{r['code']}-{r['context']}")
def test_type_row_well_formed(row: dict[str, str]) -> None:
    assert list(row) == ["code", "type_vi", "type_en", "context"]
    assert all(v and v == v.strip() for v in row.values())
    assert row["context"] in CONTEXTS
    if row["context"] in ("party", "any"):
        assert type_for_code(row["code"], party=True) == row["type_vi"]
    if row["context"] in ("state", "any"):
        assert type_for_code(row["code"], party=False) == row["type_vi"]


def test_codes_are_unique_per_context() -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for row in TYPE_ROWS:
        contexts = seen[row["code"].upper()]
        assert row["context"] not in contexts and "any" not in contexts
        assert not (row["context"] == "any" and contexts)
        contexts.add(row["context"])
    issuer_codes = [r["code"].upper() for r in ISSUER_ROWS]
    assert len(issuer_codes) == len(set(issuer_codes))


def test_a_code_in_both_tables_is_spelled_alike() -> None:
    spellings: dict[str, set[str]] = defaultdict(set)
    for row in ISSUER_ROWS + TYPE_ROWS:
        spellings[row["code"].upper()].add(row["code"])
    assert {k: v for k, v in spellings.items() if len(v) > 1} == {}


@pytest.mark.parametrize(
    ("code", "name", "level", "scope"),
    [
        ("TTg", "Thủ tướng Chính phủ", "state-central", "national"),
        ("ttg", "Thủ tướng Chính phủ", "state-central", "national"),
        ("CP", "Chính phủ", "state-central", "national"),
        ("BNV", "Bộ Nội vụ", "ministry", "national"),
        ("BKHDT", "Bộ Kế hoạch và Đầu tư", "ministry", "national"),
        ("TTCP", "Thanh tra Chính phủ", "ministry", "national"),
        ("UBND", "Ủy ban nhân dân", "local-unknown", "local"),
        ("HDND", "Hội đồng nhân dân", "local-unknown", "local"),
        ("BDVHU", "Ban Dân vận Huyện ủy", "district", "local"),
        ("BCSDUBND", "Ban cán sự đảng Ủy ban nhân dân tỉnh", "province", "local"),
        ("SNgV", "Sở Ngoại vụ", "province", "local"),
    ],
)
def test_issuer_for_code(code: str, name: str, level: str, scope: str) -> None:
    info = issuer_for_code(code)
    assert info is not None
    assert (info.name_vi, info.level, info.scope) == (name, level, scope)


def test_party_central_code() -> None:
    info = issuer_for_code("TW")
    assert info is not None and info.level == "party-central" and info.scope == "national"
    assert "Bộ Chính trị" in info.name_vi and "Ban Bí thư" in info.name_vi
    assert issuer_for_code("TU") != issuer_for_code("TƯ")  # Tỉnh ủy is not Trung ương


@pytest.mark.parametrize(
    ("code", "canonical", "term"),
    [("QH11", "QH11", "XI"), ("qh13", "QH13", "XIII"), ("QH14", "QH14", "XIV"), ("QH15", "QH15", "XV"),
     ("UBTVQH11", "UBTVQH11", "XI"), ("UBTVQH15", "UBTVQH15", "XV"), ("QH9", "QH9", "IX")],
)
def test_term_suffix(code: str, canonical: str, term: str) -> None:
    info = issuer_for_code(code)
    assert info is not None and (info.code, info.term) == (canonical, term)
    assert info.name_vi in ("Quốc hội", "Ủy ban Thường vụ Quốc hội")
    assert canonical_code(code) == canonical


def test_unknown_issuer() -> None:
    assert issuer_for_code("XYZ") is None
    assert issuer_for_code("QH0") is None
    assert issuer_for_code("") is None


@pytest.mark.parametrize(
    ("code", "party", "type_vi"),
    [
        ("NQ", False, "Nghị quyết"),
        ("NQ", True, "Nghị quyết"),
        ("ND", False, "Nghị định"),
        ("nđ", False, "Nghị định"),
        ("QĐi", True, "Quy định"),
        ("QDI", True, "Quy định"),
        ("TTr", True, "Thông tri"),
        ("TTr", False, "Tờ trình"),
        ("TTR", False, "Tờ trình"),
        ("TT", False, "Thông tư"),
        ("CTr", True, "Chương trình"),
        ("KH", True, "Kế hoạch"),
        ("KL", True, "Kết luận"),
        ("PL", False, "Pháp lệnh"),
        ("CD", False, "Công điện"),
        ("DA", False, "Dự án"),
        ("ĐA", False, "Đề án"),
    ],
)
def test_type_for_code(code: str, party: bool, type_vi: str) -> None:
    assert type_for_code(code, party=party) == type_vi


def test_type_for_code_unknown_or_wrong_context() -> None:
    assert type_for_code("XYZ", party=False) is None
    assert type_for_code("NĐ", party=True) is None  # the party issues no decrees
    assert type_for_code("QĐi", party=False) is None


@pytest.mark.parametrize(
    ("code", "canonical"),
    [("ND", "NĐ"), ("QD", "QĐ"), ("BCD", "BCĐ"), ("QĐI", "QĐi"), ("qdi", "QĐi"), ("ttg", "TTg"),
     ("ctr", "CTr"), ("BCSDUBND", "BCSĐUBND"), ("hdnd", "HĐND"), ("DA", "DA"), ("ĐA", "ĐA"),
     ("HD", "HD"), ("unknown", "UNKNOWN")],
)
def test_canonical_code(code: str, canonical: str) -> None:
    assert canonical_code(code) == canonical


def test_all_codes() -> None:
    codes = all_codes()
    assert len(codes) == len(set(codes)) == len({r["code"] for r in ISSUER_ROWS + TYPE_ROWS})
    assert {"TTg", "UBND", "BCĐ", "NQ", "QĐi", "TTr"} <= set(codes)
