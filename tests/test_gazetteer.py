"""Tests for loaders.gazetteer: names of administrative units and the 2025 province mergers."""

from __future__ import annotations

import csv
import importlib.resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linear import assert_linear

from loaders.gazetteer import find_places, fold, province_names, province_successor, resolve

NEW_PROVINCES_2025 = {
    "Thành phố Hà Nội", "Cao Bằng", "Tuyên Quang", "Điện Biên", "Lai Châu", "Sơn La", "Lào Cai",
    "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Ninh", "Phú Thọ", "Thành phố Hải Phòng",
    "Hưng Yên", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Trị", "Thành phố Huế",
    "Thành phố Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Đắk Lắk", "Lâm Đồng", "Đồng Nai",
    "Thành phố Hồ Chí Minh", "Tây Ninh", "Đồng Tháp", "Vĩnh Long", "An Giang", "Thành phố Cần Thơ",
    "Cà Mau",
}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Đak Đoa", "Đăk Đoa"),
        ("Đắk Lắk", "ĐAK LAK"),
        ("Hoà Bình", "Hòa Bình"),
        ("Uỷ ban", "Ủy ban"),
        ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
        ("Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu"),
        ("TP. Hồ Chí Minh", "thành phố Hồ Chí Minh"),
        ("Tp Hồ Chí Minh", "Thành Phố  Hồ Chí Minh"),
        ("K' Dang", "K'Dang"),
    ],
)
def test_fold_unifies_spellings(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_fold_keeps_distinct_names_apart() -> None:
    assert fold("Quan Sơn") == "quan son"  # "Quan" is a name, not the unit word "quận"
    assert resolve("Quan Sơn", "huyện") is not None


def test_province_names() -> None:
    names = province_names()
    assert len(names) == 63
    assert "Tây Ninh" in names and "Hồ Chí Minh" in names and "Gia Lai" in names
    assert not any(n.lower().startswith(("tỉnh", "thành phố")) for n in names)


def test_district_by_variant_spelling() -> None:
    j = resolve("Đak Đoa", "huyện")
    assert j is not None
    assert (j.province, j.district, j.commune, j.level, j.written) == (
        "Gia Lai", "Đăk Đoa", None, "district", "Đak Đoa"
    )
    assert j.province_code == 64 and j.district_code is not None and j.commune_code is None
    assert j.label == "Đak Đoa, Gia Lai"


def test_town_with_district_hint() -> None:
    j = resolve("Đak Đoa", "thị trấn", district="Đak Đoa")
    assert j is not None
    assert (j.province, j.district, j.commune, j.level) == ("Gia Lai", "Đăk Đoa", "Đăk Đoa", "commune")
    assert j.commune_code is not None


def test_province() -> None:
    j = resolve("Tây Ninh", "tỉnh")
    assert j is not None and (j.province, j.district, j.level) == ("Tây Ninh", None, "province")


def test_unit_word_decides_between_province_and_city() -> None:
    city = resolve("Tây Ninh", "thành phố")
    assert city is not None and (city.level, city.district) == ("district", "Tây Ninh")
    assert resolve("Tây Ninh") is None  # province or city: not a guess to make
    assert resolve("tỉnh Tây Ninh") == resolve("Tây Ninh", "tỉnh")


@pytest.mark.parametrize(
    ("name", "kind", "province"),
    [
        ("Thừa Thiên Huế", "tỉnh", "Huế"),
        ("Thừa Thiên - Huế", "tỉnh", "Huế"),
        ("Bà Rịa Vũng Tàu", "tỉnh", "Bà Rịa - Vũng Tàu"),
        ("Hồ Chí Minh", "TP.", "Hồ Chí Minh"),
        ("Hà Nội", "thành phố", "Hà Nội"),
        ("ĐẮK LẮK", "TỈNH", "Đắk Lắk"),
        ("Hòa Bình", "tỉnh", "Hoà Bình"),
    ],
)
def test_province_spellings(name: str, kind: str, province: str) -> None:
    j = resolve(name, kind)
    assert j is not None and j.level == "province" and j.province == province


def test_ambiguous_commune_needs_a_hint() -> None:
    assert resolve("Tân Bình", "xã") is None  # 24 units of that name
    assert resolve("Tân Bình", "xã", province="Tây Ninh") is None  # two of them in Tây Ninh
    j = resolve("Tân Bình", "xã", province="tỉnh Tây Ninh", district="huyện Tân Biên")
    assert j is not None and (j.province, j.district, j.commune) == ("Tây Ninh", "Tân Biên", "Tân Bình")
    assert resolve("Ia Băng", "xã") is None
    j = resolve("Ia Băng", "xã", province="Gia Lai", district="Đak Đoa")
    assert j is not None and (j.district, j.commune) == ("Đăk Đoa", "Ia Băng")


def test_unknown_names() -> None:
    assert resolve("Atlantis", "tỉnh") is None
    assert resolve("Đak Đoa", "tỉnh") is None
    assert resolve("Đak Đoa", "vương quốc") is None
    assert resolve("Đak Đoa", "huyện", province="Tây Ninh") is None


def test_find_places_in_a_paragraph() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\n"
        "Thực hiện Kế hoạch của UBND huyện Đak Đoa, Ủy ban nhân dân thị trấn Đak Đoa ban hành "
        "kế hoạch; phối hợp với xã Ia Băng và Tỉnh ủy Gia Lai, tỉnh Tây Ninh, TP. Hồ Chí Minh. "
        "Các vấn đề xã hội, thành phố thông minh, xã Atlantis."
    )
    found = find_places(text)
    got = [(text[s:e], j.level, j.province, j.district, j.commune) for s, e, j in found]
    assert got == [
        ("TỈNH GIA LAI", "province", "Gia Lai", None, None),
        ("huyện Đak Đoa", "district", "Gia Lai", "Đăk Đoa", None),
        ("thị trấn Đak Đoa", "commune", "Gia Lai", "Đăk Đoa", "Đăk Đoa"),
        ("xã Ia Băng", "commune", "Gia Lai", "Đăk Đoa", "Ia Băng"),  # narrowed by context
        ("Tỉnh ủy Gia Lai", "province", "Gia Lai", None, None),
        ("tỉnh Tây Ninh", "province", "Tây Ninh", None, None),
        ("TP. Hồ Chí Minh", "province", "Hồ Chí Minh", None, None),
    ]
    assert found[1][2].written == "Đak Đoa"


def test_find_places_stops_at_line_end_and_falls_back_to_shorter_names() -> None:
    text = "UBND TỈNH GIA LAI\nHUYỆN ĐAK ĐOA Ban Hành"
    got = [(text[s:e], j.level) for s, e, j in find_places(text)]
    assert got == [("TỈNH GIA LAI", "province"), ("HUYỆN ĐAK ĐOA", "district")]


def test_find_places_ignores_unit_words_inside_words() -> None:
    assert find_places("phườngxã Gia Lai, Khuyện Đak Đoa") == []


def test_find_places_is_linear_on_a_megabyte() -> None:
    unit = "UBND huyện Đak Đoa, xã Tân Bình và Thành Phố Tây Ninh, thị xã Xà Phìn; "
    text = unit * (1_000_000 // len(unit))
    assert len(find_places(text)) >= text.count("huyện Đak Đoa")
    assert_linear(lambda k: find_places(unit * 1_000 * k))


_ALPHABET = st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĐTHXQP ỉệãờ'’-–.,\n\t0123456789"))
_WORDS = st.sampled_from(["tỉnh ", "TỈNH ", "huyện ", "xã ", "TP.", "Thị trấn ", "Gia Lai ", "Đak Đoa "])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_ALPHABET, _WORDS), max_size=300).map("".join))
def test_find_places_never_raises(text: str) -> None:
    for start, end, j in find_places(text):
        assert 0 <= start < end <= len(text)
        assert j.level in ("province", "district", "commune")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_ALPHABET, _WORDS), min_size=1, max_size=400).map("".join))
def test_find_places_is_linear_on_random_text(chunk: str) -> None:
    base = 100_000 // len(chunk) + 1  # 100 kB to 800 kB built from a random chunk
    assert_linear(lambda k: find_places(chunk * base * k))


def _merger_rows() -> list[dict[str, str]]:
    resource = importlib.resources.files("ontology") / "provinces_2025.csv"
    with resource.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_merger_table_covers_every_old_province() -> None:
    rows = _merger_rows()
    assert len(rows) == 63
    assert sorted(r["old_province"] for r in rows) == sorted(province_names())
    assert {r["new_province"] for r in rows} == NEW_PROVINCES_2025
    assert {(r["effective_date"], r["source"]) for r in rows} == {
        ("2025-07-01", "Nghị quyết 202/2025/QH15")
    }
    for name in province_names():
        successor = province_successor(name)
        assert successor is not None and successor[0] in NEW_PROVINCES_2025


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Long An", "Tây Ninh"),
        ("Tây Ninh", "Tây Ninh"),
        ("tỉnh Bình Định", "Gia Lai"),
        ("Kon Tum", "Quảng Ngãi"),
        ("Thừa Thiên Huế", "Thành phố Huế"),
        ("Bà Rịa Vũng Tàu", "Thành phố Hồ Chí Minh"),
        ("Đăk Nông", "Lâm Đồng"),
        ("Hải Dương", "Thành phố Hải Phòng"),
        ("Hà Nam", "Ninh Bình"),
    ],
)
def test_province_successor(old: str, new: str) -> None:
    assert province_successor(old) == (new, "2025-07-01", "Nghị quyết 202/2025/QH15")


def test_province_successor_unknown() -> None:
    assert province_successor("Atlantis") is None
