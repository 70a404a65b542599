"""Tests for loaders.laws: named laws resolved to their symbols."""

from __future__ import annotations

import csv
import importlib.resources
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from loaders.gazetteer import fold_text
from loaders.laws import LawInfo, law_names, lookup_law


def _rows() -> list[dict[str, str]]:
    with (importlib.resources.files("loaders") / "data" / "laws.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ROWS = _rows()
TYPES = ("Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh")
SYMBOL = re.compile(r"^\d+/\d{4}/(QH\d+|PL-UBTVQH\d+)$")
# Two Luật Tổ chức chính quyền địa phương were passed in 2025 (65/2025/QH15 in February,
# 72/2025/QH15 in June): a citation by name and year cannot tell them apart.
SAME_YEAR_REENACTMENTS = {("Luật", "Tổ chức chính quyền địa phương", "2025")}
SHARED = Path(__file__).resolve().parents[2] / "shared"


def test_row_count() -> None:
    assert len(ROWS) == 86


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['type']} {r['name']} {r['year']}")
def test_row_well_formed(row: dict[str, str]) -> None:
    assert list(row) == ["type", "name", "year", "symbol", "source"]
    assert row["type"] in TYPES
    assert row["name"] and row["name"] == row["name"].strip() and row["source"].strip()
    assert re.fullmatch(r"(19|20)\d\d", row["year"])
    if row["type"] == "Hiến pháp":
        assert row["symbol"] == ""  # constitutions carry no số/ký hiệu
    else:
        assert SYMBOL.match(row["symbol"]), row["symbol"]
        assert row["symbol"].split("/")[1] == row["year"]
        assert ("PL-" in row["symbol"]) == (row["type"] == "Pháp lệnh")


def test_no_duplicate_versions() -> None:
    counts = Counter((r["type"], r["name"], r["year"]) for r in ROWS)
    assert {k for k, n in counts.items() if n > 1} == SAME_YEAR_REENACTMENTS
    symbols = [r["symbol"] for r in ROWS if r["symbol"]]
    assert len(symbols) == len(set(symbols))


def test_names_do_not_collide_after_folding() -> None:
    names: dict[tuple[str, str], set[str]] = {}
    for r in ROWS:
        names.setdefault((r["type"], fold_text(r["name"])), set()).add(r["name"])
    assert {k: v for k, v in names.items() if len(v) > 1} == {}


@pytest.mark.parametrize(
    ("type_", "name", "kwargs", "symbol"),
    [
        ("Luật", "Tiếp công dân", {"year": 2013}, "42/2013/QH13"),
        ("Luật", "Tiếp công dân", {}, "42/2013/QH13"),  # one version: no year needed
        ("Luật", "Tố cáo", {"as_of_year": 2023}, "25/2018/QH14"),
        ("Luật", "Tố cáo", {"as_of_year": 2015}, "03/2011/QH13"),
        ("Luật", "Tố cáo", {"as_of_year": 2018}, "25/2018/QH14"),
        ("Luật", "Tố cáo", {"year": 2011, "as_of_year": 2023}, "03/2011/QH13"),  # year wins
        ("Luật", "thực hiện DÂN CHỦ ở cơ sở", {}, "10/2022/QH15"),
        ("Luật", "Phòng chống tham nhũng", {"as_of_year": 2020}, "36/2018/QH14"),
        ("luật", "phòng, chống  tham nhũng", {"year": 2005}, "55/2005/QH11"),
        ("Luật", "Tổ chức chính quyền địa phương", {"as_of_year": 2023}, "77/2015/QH13"),
        ("Luật", "Thanh tra", {"as_of_year": 2024}, "11/2022/QH15"),
        ("Luật", "Thanh tra", {"year": 2010}, "56/2010/QH12"),
        ("Bộ luật", "Lao động", {"year": 2012}, "10/2012/QH13"),
        ("Bộ luật", "Lao động", {"as_of_year": 2021}, "45/2019/QH14"),
        ("Luật", "Tiếp cận thông tin", {}, "104/2016/QH13"),
        ("Pháp lệnh", "Thực hiện dân chủ ở xã, phường, thị trấn", {}, "34/2007/PL-UBTVQH11"),
    ],
)
def test_lookup_law(type_: str, name: str, kwargs: dict[str, int], symbol: str) -> None:
    law = lookup_law(type_, name, **kwargs)
    assert law is not None and law.symbol == symbol


@pytest.mark.parametrize(
    ("type_", "name", "kwargs"),
    [
        ("Luật", "Tố cáo", {}),  # 2011 or 2018: ambiguous
        ("Luật", "Tố cáo", {"year": 2014}),  # no version passed that year
        ("Luật", "Tố cáo", {"as_of_year": 2010}),  # none passed yet
        ("Luật", "Tổ chức chính quyền địa phương", {"year": 2025}),  # two passed in 2025
        ("Luật", "Tổ chức chính quyền địa phương", {"as_of_year": 2026}),
        ("Luật", "Không có luật này", {}),
        ("Bộ luật", "Tiếp công dân", {}),  # the type matters
    ],
)
def test_lookup_law_refuses_to_guess(type_: str, name: str, kwargs: dict[str, int]) -> None:
    assert lookup_law(type_, name, **kwargs) is None


def test_constitution() -> None:
    law = lookup_law("Hiến pháp", "", year=2013)
    assert law == LawInfo("Hiến pháp", "nước Cộng hòa xã hội chủ nghĩa Việt Nam", 2013, None, law.source)
    assert lookup_law("Hiến pháp", "nước Cộng hòa xã hội chủ nghĩa Việt Nam", as_of_year=2020) == law


def test_law_names() -> None:
    names = law_names()
    assert len(names) == len(set(names)) == len({(r["type"], r["name"]) for r in ROWS})
    assert ("Luật", "Tiếp công dân") in names and ("Bộ luật", "Lao động") in names


def _named_references() -> list[tuple[str, str, str]]:
    path = SHARED / "gold" / "seeds.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not present")
    refs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for ref in json.loads(line)["refs"]:
            if ref.get("type") in TYPES and ref.get("canonical_symbol"):
                refs.append((ref["type"], ref["name"], ref["canonical_symbol"]))
    return refs


def test_every_named_law_of_the_gold_set_is_in_the_table() -> None:
    refs = _named_references()
    assert len(refs) == 10
    symbols = {r["symbol"] for r in ROWS}
    for type_, name, symbol in refs:
        assert symbol in symbols
        law = lookup_law(type_, name, year=int(symbol.split("/")[1]))
        assert law is not None and law.symbol == symbol


def test_every_law_of_the_registry_is_in_the_table() -> None:
    path = SHARED / "registry" / "status.csv"
    if not path.exists():
        pytest.skip(f"{path} not present")
    with path.open(encoding="utf-8", newline="") as f:
        facts = list(csv.DictReader(f))
    law_symbol = re.compile(r"^\d+/\d{4}/(QH\d+|PL-UBTVQH\d+)$")
    cited = {
        (fact[f"{side}_symbol"])
        for fact in facts
        for side in ("subject", "object")
        if law_symbol.match(fact[f"{side}_symbol"] or "")
    }
    # 136/2025/QH15 (amending Tiếp công dân, Khiếu nại, Tố cáo) and 97/2025/QH15 (amending four
    # laws) are amending laws that no plan cites by name.
    assert cited - {r["symbol"] for r in ROWS} == {"136/2025/QH15", "97/2025/QH15"}
