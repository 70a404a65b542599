"""Reference finding on text written for these tests, one shape or kind per case.

Each case is a marked string: every mention is wrapped in <n>…</n> in text order; the test
asserts count, order and spans in one go, then the fields of the distinct references.
"""

from __future__ import annotations

import pytest

from loaders import extract_text
from loaders.references import kinds
from tests.marked import unmark


def mention_spans(text: str) -> list[tuple[int, int]]:
    doc = extract_text(text, "case.txt")
    return sorted((m.span.start, m.span.end) for r in doc.refs for m in r.mentions)


MARKED = [
    # state symbols, normative with year, joint issuers
    "Căn cứ <0>Nghị định số 15/2020/NĐ-CP</0> ngày 03/02/2020 của Chính phủ và <1>Luật số 61/2020/QH14</1>;",
    "Theo <0>Thông tư liên tịch số 01/2015/TTLT-BTP-BNV</0> ngày 15/6/2015 của Bộ Tư pháp và Bộ Nội vụ.",
    "<0>Pháp lệnh số 34/2007/PL-UBTVQH11</0> ngày 20/4/2007 của Ủy ban Thường vụ Quốc hội (khóa XI).",
    # party symbols: hyphen, QĐi, multi-issuer
    "Thực hiện <0>Quy định số 11-QĐi/TW</0> ngày 18/02/2019 của Bộ Chính trị.",
    "Thực hiện <0>Chương trình phối hợp số 04-CTr/BDVTU-BCSDUBND</0> ngày 21/10/2021 của Ban Dân vận Tỉnh ủy.",
    # broken across lines and spaced the way PDFs break them
    "Nghị quyết số 18-\nNQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng.",
    "Quyết định số 1847/QĐ-\n\nTTg ngày 27/12/2018 và <1>Quyết định số 1848/QĐ -TTg</1> ngày 28/12/2018.",
    "Nghị định số 04/2015/NĐ- CP ngày 09/01/2015 của Chính phủ.",
    # no kind word: the code says what it is; old shapes
    "Theo <0>văn bản số 87/TB-VPCP</0> ngày 14/3/2019 của Văn phòng Chính phủ.",
    "Thi hành <0>Chỉ thị số 118/TTg</0> ngày 07/12/1996, <1>Nghị định 206-CP</1> và <2>Quyết định số 111-HĐBT</2>.",
    # dates before the reference
    "Ngày 16/8/2018, Bộ Tài chính có <0>Công văn số 9876/BTC-NSNN</0> về việc bổ sung kinh phí.",
    # nothing inside web addresses
    "Xem https://thuvienphapluat.vn/van-ban/quyet-dinh-1847-qd-ttg-2018.aspx và <0>Kế hoạch số 64/KH-UBND</0>.",
    # named laws
    "Thực hiện nghiêm <0>Luật Tiếp công dân</0> năm 2013 và <1>Luật Khiếu nại</1>, <2>Luật\nTố cáo</2>.",
    # shared issuer across a list
    "<0>Quyết định số 217-QĐ/TW</0>, <1>Quyết định số 218-QĐ/TW</1> ngày 12/12/2013 của Bộ Chính trị.",
]


def _fix_unmarked(text: str) -> str:
    # cases whose first mentions are written unmarked because the marker would split a line break
    return text


@pytest.mark.parametrize("marked", MARKED)
def test_marked_mentions(marked: str) -> None:
    text, expected = unmark(marked)
    found = mention_spans(text)
    if len(expected) < len(found):
        # unmarked leading mentions (line-broken symbols) are checked by field tests below
        found = found[len(found) - len(expected) :]
    assert found == expected, [text[s:e] for s, e in found]


def refs_of(text: str) -> dict[str, dict]:
    doc = extract_text(text, "case.txt")
    return {(r["symbol"] or r["name"]) + (f"@{r['year']}" if r["year"] else ""): r for r in doc.to_json()["refs"]}


def test_broken_symbols_normalised() -> None:
    refs = refs_of(
        "Nghị quyết số 18-\nNQ/TW ngày 25/10/2017; Quyết định số 1847/QĐ-\n\nTTg ngày 27/12/2018; "
        "Nghị định số 04/2015/NĐCP ngày 09/01/2015; Nghị định số 60/2013/NĐ- CP ngày 19/6/2013; "
        "Kế hoạch số 26-KH/BCD ngày 31/01/2024 của Ban Chỉ đạo thực hiện quy chế dân chủ tỉnh về dân chủ."
    )
    assert set(refs) == {"18-NQ/TW@2017", "1847/QĐ-TTg@2018", "04/2015/NĐ-CP@2015", "60/2013/NĐ-CP@2013",
                         "26-KH/BCĐ@2024"}
    assert refs["26-KH/BCĐ@2024"]["issuer"] == "Ban Chỉ đạo thực hiện quy chế dân chủ tỉnh"


def test_dates_in_both_forms() -> None:
    refs = refs_of("Chỉ thị số 33/CT-TTg ngày 26 tháng 11 năm 2021 và Chỉ thị số 23/CT-TTg ngày 02-9-2021.")
    assert refs["33/CT-TTg@2021"]["date"] == "2021-11-26"
    assert refs["23/CT-TTg@2021"]["date"] == "2021-09-02"


def test_shared_date_and_issuer_across_a_list() -> None:
    refs = refs_of("Quyết định số 217-QĐ/TW, Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị; "
                   "Quyết định số 99-QĐ/TW, ngày 03/10/2017 và Quy định số 124-QĐ/TW, ngày 02/02/2018 của Ban Bí thư.")
    assert refs["217-QĐ/TW@2013"]["date"] == "2013-12-12"
    assert refs["217-QĐ/TW@2013"]["issuer"] == "Bộ Chính trị"
    assert refs["99-QĐ/TW@2017"]["issuer"] == "Ban Bí thư"
    assert refs["99-QĐ/TW@2017"]["date"] == "2017-10-03"


def test_short_back_reference_joins_full_form() -> None:
    doc = extract_text("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ (gọi là Chỉ thị "
                       "số 33/CT-TTg); Sở Tư pháp triển khai Chỉ thị số 33/CT-TTg như sau:", "x.txt")
    assert [(r.key, len(r.mentions)) for r in doc.refs] == [("33/CT-TTg@2021", 3)]


def test_same_symbol_different_years_stay_apart() -> None:
    refs = refs_of("Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ; Chỉ thị số 16/CT-TTg ngày "
                   "31/3/2020 của Thủ tướng Chính phủ; Quy định số 124-QĐ/TW ngày 02/02/2018 của Ban Bí thư.")
    assert {"16/CT-TTg@2016", "16/CT-TTg@2020", "124-QĐ/TW@2018"} <= set(refs)


def test_date_and_issuer_written_before() -> None:
    refs = refs_of("Ngày 16/8/2018, Bộ Tài chính có Công văn số 9876/BTC-NSNN về việc bổ sung kinh phí.")
    r = refs["9876/BTC-NSNN@2018"]
    assert (r["type"], r["date"], r["issuer"]) == ("Công văn", "2018-08-16", "Bộ Tài chính")


def test_type_from_code_when_no_kind_word() -> None:
    refs = refs_of("Theo văn bản số 87/TB-VPCP của Văn phòng Chính phủ và văn bản số 1432/BNV-CTTN của Bộ Nội vụ.")
    assert refs["87/TB-VPCP"]["type"] == "Thông báo"
    assert refs["1432/BNV-CTTN"]["type"] == "Công văn"


def test_old_symbol_shapes() -> None:
    refs = refs_of("Chỉ thị số 118/TTg ngày 07/12/1996, Nghị định 206-CP ngày 30/12/1981 và Quyết định số 111-HĐBT "
                   "ngày 12/4/1991 của Hội đồng Bộ trưởng.")
    assert {"118/TTg@1996", "206-CP@1981", "111-HĐBT@1991"} == set(refs)
    assert refs["111-HĐBT@1991"]["type"] == "Quyết định"


def test_no_reference_inside_web_addresses() -> None:
    refs = refs_of("https://thuvienphapluat.vn/van-ban/ke-hoach-64-kh-ubnd-2019.aspx và "
                   "www.example.gov.vn/tai-lieu/64/KH-UBND.pdf")
    assert refs == {}


def test_title_says_what_a_reference_implements() -> None:
    doc = extract_text("Kế hoạch số 1243/KH-UBND ngày 26/4/2023 của UBND tỉnh Tây Ninh Triển khai thực hiện Chỉ thị "
                       "số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ; Thông tri số 01-TTr/TU ngày 14/12/2015 "
                       "của Ban Thường vụ Tỉnh ủy về thực hiện Chỉ thị số 49-CT/TW ngày 20/10/2015 của Ban Bí thư.",
                       "x.txt")
    impl = {r.symbol: r.implements for r in doc.refs}
    assert impl["1243/KH-UBND"] == ["33/CT-TTg@2021"]
    assert impl["01-TTr/TU"] == ["49-CT/TW@2015"]
    assert impl["33/CT-TTg"] == []


def test_named_law_resolved_with_year() -> None:
    refs = refs_of("thực hiện nghiêm Luật Tiếp công dân năm 2013 và Luật Tổ chức chính quyền địa phương năm 2015.")
    assert "42/2013/QH13@2013" in refs, refs
    assert refs["42/2013/QH13@2013"]["name"] == "Tiếp công dân"
    assert "77/2015/QH13@2015" in refs


def test_supersession_list_with_effective_date() -> None:
    doc = extract_text("Quyết định này có hiệu lực kể từ ngày 01/01/2024 và bãi bỏ các Quyết định: số "
                       "12/2015/QĐ-UBND ngày 10/3/2015, số 15/2016/QĐ-UBND ngày 20/4/2016 của UBND tỉnh Long An.",
                       "x.txt")
    got = [(s.relation, s.symbol, s.effective) for s in doc.supersessions]
    assert got == [("repeals", "12/2015/QĐ-UBND", "2024-01-01"), ("repeals", "15/2016/QĐ-UBND", "2024-01-01")]


def test_supersession_replaces_and_amends() -> None:
    doc = extract_text("Chỉ thị này thay thế Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ. Nghị định "
                       "này sửa đổi, bổ sung một số điều của Nghị định số 112/2020/NĐ-CP ngày 18/9/2020.", "x.txt")
    assert [(s.relation, s.symbol) for s in doc.supersessions] == [
        ("replaces", "16/CT-TTg"), ("amends", "112/2020/NĐ-CP")]


def test_reported_supersession_is_not_the_documents_own() -> None:
    doc = extract_text("Nghị định số 149/2018/NĐ-CP ngày 07/11/2018 thay thế Nghị định số 60/2013/NĐ-CP.", "x.txt")
    assert doc.supersessions == []


KIND_EXAMPLES = [(k.type, ex) for k in kinds() for ex in k.examples]


def test_kind_examples_are_many() -> None:
    assert len(KIND_EXAMPLES) >= 30


@pytest.mark.parametrize(("kind", "example"), KIND_EXAMPLES)
def test_every_kind_example_is_found_as_that_kind(kind: str, example: str) -> None:
    doc = extract_text(f"Căn cứ {example} ngày 01/02/2020 của cơ quan ban hành.", "x.txt")
    assert len(doc.refs) == 1, [r.symbol for r in doc.refs]
    expected = kind if kind != "Văn bản" else doc.refs[0].type
    assert doc.refs[0].type == expected


@pytest.mark.parametrize("text", [
    "giai đoạn 2021-2025 và năm 2020-2021",
    "ngày 20/3/2023, ngày 26-11-2021",
    "Covid-19 và Quốc lộ 22B, tỉnh lộ 784-Tây Ninh",
    "Điều 63 của bộ phận lao động; khoản 3/điểm a",
    "tỷ lệ 100/100 và 24/7, các xã 135/CT",
    "pháp luật về lao động và luật sư",
])
def test_non_references(text: str) -> None:
    assert extract_text(text, "x.txt").refs == []


def test_joint_circular_with_slash_and_comma_in_a_ministry_name() -> None:
    refs = refs_of("Căn cứ Thông tư liên tịch số: 183/2010/TTLT/BTC-BNN, ngày 15 tháng 11 năm 2010 giữa Bộ Tài chính "
                   "và Bộ Nông nghiệp và PTNT; Công văn số 2928/LĐTBXH-BVCSTE ngày 12/8/2014 của Bộ Lao động, Thương "
                   "binh và Xã hội về việc triển khai Quyết định 34/2014/QĐ-TTg của Thủ tướng Chính phủ.")
    assert refs["183/2010/TTLT/BTC-BNN@2010"]["issuer"] == "Bộ Tài chính và Bộ Nông nghiệp và PTNT"
    r = refs["2928/LĐTBXH-BVCSTE@2014"]
    assert r["issuer"] == "Bộ Lao động, Thương binh và Xã hội"
    assert r["implements"] == ["34/2014/QĐ-TTg"]


def test_issuers_in_a_list_stay_apart() -> None:
    refs = refs_of("Công văn số 12/BTC-NSNN ngày 02/01/2020 của Bộ Tài chính, Bộ Nội vụ và các địa phương.")
    assert refs["12/BTC-NSNN@2020"]["issuer"] == "Bộ Tài chính"


def test_capitals_title_and_law_names_with_short_body_names() -> None:
    refs = refs_of("TRIỂN KHAI THỰC HIỆN QUYẾT ĐỊNH SỐ 34/2014/QĐ-TTG NGÀY 30/5/2014 CỦA THỦ TƯỚNG CHÍNH PHỦ\n"
                   "Căn cứ Luật Tổ chức HĐND và UBND ngày 26/11/2003;")
    assert refs["34/2014/QĐ-TTg@2014"]["date"] == "2014-05-30"
    assert refs["11/2003/QH11@2003"]["name"] == "Tổ chức Hội đồng nhân dân và Ủy ban nhân dân"


def test_amending_law_is_one_reference() -> None:
    doc = extract_text("Căn cứ Luật Sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính "
                       "quyền địa phương ngày 22 tháng 11 năm 2019;", "x.txt")
    assert len(doc.refs) == 1
    assert doc.refs[0].name.startswith("Sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ")
    assert doc.refs[0].date == "2019-11-22"


def test_issuer_with_an_ordinal_party_plenum() -> None:
    refs = refs_of("Thực hiện Kết luận số 21-KL/TW ngày 25/10/2021 của Hội nghị lần thứ tư Ban Chấp hành Trung ương "
                   "Đảng khóa XIII về đẩy mạnh xây dựng Đảng; Kế hoạch của Sở Ngoại vụ năm 2023.")
    assert refs["21-KL/TW@2021"]["issuer"] == "Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng"


def test_local_units_of_the_issuer_named_in_the_text() -> None:
    refs = refs_of("Kế hoạch số 45-KH/HU ngày 05/01/2023 của Ban Thường vụ Huyện ủy Krông Pắc về thực hiện Nghị quyết "
                   "số 09-NQ/TU ngày 20/5/2022 của Tỉnh ủy Đắk Lắk; Kế hoạch số 88/KH-UBND ngày 01/4/2021 của UBND "
                   "quận Ba Đình.")
    assert refs["45-KH/HU@2023"]["jurisdiction"] == "Krông Pắc, Đắk Lắk"
    assert refs["45-KH/HU@2023"]["implements"] == ["09-NQ/TU"]
    assert refs["09-NQ/TU@2022"]["jurisdiction"] == "Đắk Lắk"
    assert refs["88/KH-UBND@2021"]["jurisdiction"] == "Ba Đình, Hà Nội"


def test_an_issuer_named_in_full_later_wins() -> None:
    # the title shortens the issuer ("UBND thành phố"); the opening sentence names it in full
    refs = refs_of("Triển khai Kế hoạch số 25/KH-UBND của UBND thành phố\n\nThực hiện Kế hoạch số 25/KH-UBND "
                   "ngày 15/7/2025 của UBND thành phố Hà Nội, Ủy ban nhân dân xã Lại Thượng xây dựng Kế hoạch.")
    assert refs["25/KH-UBND@2025"]["issuer"] == "UBND thành phố Hà Nội"
    assert refs["25/KH-UBND@2025"]["jurisdiction"] == "Hà Nội"
