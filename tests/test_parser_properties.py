"""Property-based and adversarial tests: no input crashes the parser or makes it slow."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from linear import assert_linear

from loaders import extract_text
from loaders.clean import clean_text
from loaders.symbols import parse_symbol

VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
ALPHABET = VIET + VIET.upper() + "0123456789 /-.,;:()“”\n\t\r[]_" + "\u0300\u0301\u0303\u0309\u0323"
PIECES = ["số ", "Số: ", "Nghị định ", "Quyết định số ", "-QĐ/TW", "/NĐ-CP", "/2015/", "ngày ", "của ",
          "Bộ Chính trị", " về ", "; ", "\n\n", "1", "23", "-", "/", "tháng ", "năm 2021", "Luật ", "(khóa XI)"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=400))
def test_any_text_parses(text: str) -> None:
    doc = extract_text(text, "x.txt")
    for r in doc.refs:
        for s in r.spans:
            assert 0 <= s.start <= s.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=120).map("".join))
def test_reference_like_text_parses(text: str) -> None:
    doc = extract_text(text, "x.txt")
    assert all(r.symbol is None or parse_symbol(r.symbol) is not None for r in doc.refs)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_clean_maps_back_inside_the_original(text: str) -> None:
    c = clean_text(text)
    assert unicodedata.is_normalized("NFC", c.text)
    for pos in range(0, len(c.text) + 1, 7):
        assert 0 <= c.to_original(pos) <= len(text)


@given(st.sampled_from(["33/CT-TTg", "04/2015/NĐ-CP", "23-QĐ/TW", "11-QĐi/TW", "04-CTr/BDVTU-BCSDUBND",
                        "34/2007/PL-UBTVQH11", "30c/NQ-CP", "1432/BNV-CTTN", "206-CP", "01/2015/TTLT-BTP-BNV"]),
       st.integers(1, 99999))
def test_symbol_round_trip(symbol: str, number: int) -> None:
    s = parse_symbol(symbol)
    assert s is not None and parse_symbol(s.text) == s
    other = parse_symbol(f"{number}{symbol[symbol.index(next(c for c in symbol if not c.isdigit())):]}")
    assert other is not None and other.number.startswith(str(number))


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@given(st.sampled_from(["33/CT-TTg", "04/2015/NĐ-CP", "23-QĐ/TW", "11-QĐi/TW", "1243/KH-UBND", "206-CP",
                        "01/2015/TTLT-BTP-BNV", "26-KH/BCĐ", "15/2019/TT-BTC"]),
       st.integers(1, 99), st.sampled_from(["glued", "superscript", "spaced"]))
def test_a_footnote_marker_after_a_symbol_is_not_part_of_it(symbol: str, marker: int, how: str) -> None:
    """PDF text glues footnote markers to what they annotate: "NĐ-CP2", "KH-UBND¹"."""
    mark = {"glued": str(marker), "superscript": str(marker).translate(SUPERSCRIPT), "spaced": f" {marker}"}[how]
    text = f"Căn cứ Văn bản số {symbol}{mark} ngày 10/3/2020 của Ủy ban nhân dân tỉnh."
    assert [r.symbol for r in extract_text(text, "x.txt").refs] == [parse_symbol(symbol).text]


def test_a_numbered_code_keeps_its_number() -> None:
    """The National Assembly's term is part of the symbol, not a footnote marker."""
    assert parse_symbol("10/2022/QH15").text == "10/2022/QH15"
    assert parse_symbol("34/2007/PL-UBTVQH11").text == "34/2007/PL-UBTVQH11"


def _assert_linear(make) -> None:
    assert_linear(lambda k: extract_text(make(k), "x.txt"))


def test_linear_on_runs_of_so() -> None:
    _assert_linear(lambda k: "số 1/" * (20_000 * k))


def test_linear_on_unmatched_brackets() -> None:
    _assert_linear(lambda k: "(“[Quyết định số 12/QĐ-UBND của (" * (5_000 * k))


def test_linear_on_digits() -> None:
    _assert_linear(lambda k: "1234567890/" * (25_000 * k))


def test_five_megabytes_of_digits() -> None:
    assert extract_text("7" * 5_000_000, "x.txt").refs == []
    _assert_linear(lambda k: "7" * 500_000 * k)


def test_linear_on_dense_references() -> None:
    unit = "Quyết định số 217-QĐ/TW, Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị; "
    _assert_linear(lambda k: unit * (1_000 * k))
