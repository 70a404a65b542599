"""Clean-up of real PDF/Word damage, with offsets that lead back to the original text."""

from __future__ import annotations

import unicodedata

from loaders import extract_text
from loaders.clean import clean_text


def test_nfd_is_composed_and_offsets_map_back() -> None:
    original = unicodedata.normalize("NFD", "nâng cao nhận thức; Chỉ thị số 33/CT-TTg")
    c = clean_text(original)
    assert c.text == "nâng cao nhận thức; Chỉ thị số 33/CT-TTg"
    at = c.text.index("33/")
    assert original[c.to_original(at) : c.to_original(at + 9)] == "33/CT-TTg"


def test_crlf_and_spans() -> None:
    original = "Thực hiện\r\nChỉ thị số 33/CT-TTg ngày 26/11/2021\r\n"
    doc = extract_text(original, "x.txt")
    span = doc.refs[0].spans[0]
    assert original[span.start : span.end] == "Chỉ thị số 33/CT-TTg"


def test_page_numbers_and_running_headers_are_blanked() -> None:
    pages = [f"CÔNG BÁO TỈNH TÂY NINH\nnội dung trang {i} về Nghị định số 04/2015/NĐ-CP\n{i}\n" for i in range(1, 5)]
    c = clean_text("\f".join(pages))
    assert "CÔNG BÁO TỈNH" not in c.text
    assert "\n2\n" not in c.text
    assert len(c.text) == len("\f".join(pages))  # same length: offsets unchanged


def test_gazette_stamp_inside_a_sentence() -> None:
    text = "theo Quyết định số 12/QĐ-UBND ngày 02/3/2020 của\nCÔNG BÁO/Số 15/Ngày 20-3-2020\nUBND tỉnh về việc x."
    doc = extract_text(text, "x.txt")
    assert doc.refs[0].issuer == "UBND tỉnh"


def test_footnote_area_moved_after_the_body() -> None:
    body1 = "1. Tuyên truyền các văn bản\n1\n. \n"
    rule = " " * 40 + "\n"
    note1 = "1\nNghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương về tăng cường và\n"
    body2 = " 2. Thực hiện tốt Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ.\n"
    note2 = "đổi mới công tác dân vận; Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị.\n"
    original = body1 + rule + note1 + body2 + rule + note2 + " 3. Hết.\n"
    c = clean_text(original)
    body, notes = c.text[: c.footnote_start], c.text[c.footnote_start :]
    assert "Nghị quyết số 25" not in body and "Chỉ thị số 33" in body
    # the footnote continued on the next page reads as one sentence
    assert "tăng cường và đổi mới công tác dân vận" in " ".join(notes.split())
    doc = extract_text(original, "x.txt")
    by = {r.symbol: r for r in doc.refs}
    assert by["25-NQ/TW"].mentions[0].in_footnote and not by["33/CT-TTg"].mentions[0].in_footnote
    assert by["25-NQ/TW"].title.startswith("về tăng cường và đổi mới công tác dân vận")
    for r in doc.refs:
        s = r.spans[0]
        assert r.number in original[s.start : s.end]


def test_endnotes_behind_bracket_markers() -> None:
    original = ("Thực hiện các văn bản chỉ đạo[1] của Trung ương.\n\n[1] Chỉ thị số 05-CT/TW ngày 15/5/2016 của "
                "Bộ Chính trị\n[2] Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị\n")
    doc = extract_text(original, "x.txt")
    assert {r.symbol for r in doc.refs} == {"05-CT/TW", "01-KL/TW"}
    assert all(m.in_footnote for r in doc.refs for m in r.mentions)
    c = clean_text(original)
    assert "[1]" not in c.text[: c.text.index("của Trung ương")]


def test_web_addresses_are_blanked_in_place() -> None:
    original = "xem https://thuvienphapluat.vn/quyet-dinh-1847-qd-ttg-2018.aspx nhé"
    c = clean_text(original)
    assert "thuvienphapluat" not in c.text and len(c.text) == len(original)
