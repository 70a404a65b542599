"""The document's own identity, on documents written for these tests in the shapes real ones take."""

from __future__ import annotations

from loaders import extract_text

DECISION = """ỦY BAN NHÂN DÂN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH LONG AN                             Độc lập - Tự do - Hạnh phúc
   -------                                  ---------------
Số: 1520/QĐ-UBND                  Long An, ngày 14 tháng 02 năm 2022

QUYẾT ĐỊNH
Về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh

ỦY BAN NHÂN DÂN TỈNH LONG AN

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Nghị định số 138/2016/NĐ-CP ngày 01/10/2016 của Chính phủ ban hành Quy chế làm việc mẫu của
Ủy ban nhân dân tỉnh;
Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 45/TTr-SNV ngày 10/02/2022.

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc của Ủy ban nhân dân tỉnh Long An.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 77/QĐ-UBND ngày 08/01/2018
của Ủy ban nhân dân tỉnh.
Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:                                         TM. ỦY BAN NHÂN DÂN
- Như Điều 3;                                      CHỦ TỊCH
- TT.TU, TT.HĐND tỉnh;
- Lưu: VT.

                                                   Nguyễn Văn Út
"""


def test_decision_with_full_header() -> None:
    doc = extract_text(DECISION, "qd.txt")
    s = doc.identity
    assert (s.type, s.number, s.symbol, s.date, s.year) == ("Quyết định", "1520", "1520/QĐ-UBND", "2022-02-14", 2022)
    assert s.issuer == "Ủy ban nhân dân tỉnh Long An"
    assert s.jurisdiction is not None and s.jurisdiction.label == "Long An"
    assert s.place == "Long An"
    assert s.title == "Về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh"
    assert (s.signer, s.signer_position) == ("Nguyễn Văn Út", "Chủ tịch")
    assert s.recipients == ["Như Điều 3", "TT.TU, TT.HĐND tỉnh", "Lưu: VT"]
    assert s.not_before is None  # its own date is known
    # "Căn cứ …" clauses are what it carries out; "Theo đề nghị … Tờ trình" is not
    assert [doc._key_to_symbol(k) for k in doc.implements] == ["77/2015/QH13", "138/2016/NĐ-CP"]
    assert [(x.relation, x.symbol, x.effective) for x in doc.supersessions] == [
        ("replaces", "77/QĐ-UBND", "2022-02-14")]
    own = {r.symbol for r in doc.refs}
    assert "1520/QĐ-UBND" not in own  # the document's own number is not a reference


DEPARTMENT = """UBND HUYỆN ĐAK ĐOA                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
PHÒNG NỘI VỤ                         Độc lập - Tự do - Hạnh phúc
Số:     /KH-PNV                     Đak Đoa, ngày     tháng     năm 2024

KẾ HOẠCH
Triển khai công tác cải cách hành chính năm 2024

Thực hiện Kế hoạch số 45/KH-UBND ngày 10/01/2024 của Ủy ban nhân dân huyện về cải cách hành chính
năm 2024, Phòng Nội vụ xây dựng Kế hoạch triển khai như sau:
1. Báo cáo kết quả về UBND huyện trước ngày 15/6/2024.
"""


def test_district_department_draft_without_number_or_day() -> None:
    doc = extract_text(DEPARTMENT, "kh.txt")
    s = doc.identity
    assert s.type == "Kế hoạch"
    assert s.number is None and s.symbol is None
    assert s.date is None and s.year == 2024
    assert s.issuer == "Phòng Nội vụ"
    assert s.jurisdiction is not None
    assert (s.jurisdiction.province, s.jurisdiction.level) == ("Gia Lai", "district")
    assert s.not_before == "2024-01-10"
    assert s.deadlines == ["2024-06-15"]
    assert any("without a number" in w for w in doc.warnings)
    ref = doc.refs[0]
    assert ref.symbol == "45/KH-UBND" and ref.jurisdiction is not None and ref.jurisdiction.level == "district"
    assert [doc._key_to_symbol(k) for k in doc.implements] == ["45/KH-UBND"]


COMMUNE = """KẾ HOẠCH
Thực hiện công tác dân vận chính quyền năm 2022

Thực hiện Kế hoạch số 20/KH-UBND ngày 15/02/2022 của Ủy ban nhân dân huyện Đak Đoa về công tác dân vận.
Ủy ban nhân dân thị trấn xây dựng Kế hoạch triển khai thực hiện như sau:

Thực hiện chế độ báo cáo 6 tháng (trước ngày 05/6/2022), 01 năm (trước ngày 25/10/2022).

Trên đây là Kế hoạch triển khai thực hiện công tác dân vận chính quyền năm 2022 của UBND thị trấn Đak Đoa./.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Trần Thị Hoa
"""


def test_commune_without_header() -> None:
    doc = extract_text(COMMUNE, "tt.txt")
    s = doc.identity
    assert s.issuer == "Ủy ban nhân dân thị trấn Đak Đoa"
    assert s.jurisdiction is not None and s.jurisdiction.level == "commune"
    assert s.jurisdiction.label == "Đak Đoa, Gia Lai"
    assert s.year == 2022 and s.date is None and s.not_before == "2022-02-15"
    assert (s.signer, s.signer_position) == ("Trần Thị Hoa", "Chủ tịch")
    assert doc.refs[0].jurisdiction is not None and doc.refs[0].jurisdiction.level == "district"


COMMUNE_UNDER_DISTRICT = """UBND HUYỆN THANH TRÌ                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
UBND XÃ TẢ THANH OAI                    Độc lập - Tự do - Hạnh phúc
Số: 38/KH-UBND                          Tả Thanh Oai, ngày 24 tháng 12 năm 2021

KẾ HOẠCH
Triển khai Kế hoạch số 7/KH-UBND của UBND huyện Thanh Trì

Thực hiện Kế hoạch số 7/KH-UBND ngày 19/11/2021 của UBND huyện Thanh Trì, Ủy ban nhân dân xã Tả Thanh Oai
xây dựng Kế hoạch như sau:
"""


def test_commune_header_under_its_district() -> None:
    s = extract_text(COMMUNE_UNDER_DISTRICT, "xa.txt").identity
    assert s.issuer == "UBND xã Tả Thanh Oai"  # not "UBND huyện Thanh Trì UBND xã …"
    assert s.jurisdiction is not None and s.jurisdiction.level == "commune"
    assert (s.jurisdiction.district, s.jurisdiction.province) == ("Thanh Trì", "Hà Nội")


def test_commune_placed_by_its_district_in_the_header() -> None:
    # "Bảo Lâm" is a district of Cao Bằng and of Lâm Đồng, "Vĩnh Phong" a commune name in several
    # provinces; the text names no province, but only Cao Bằng has a Vĩnh Phong in its Bảo Lâm
    text = COMMUNE_UNDER_DISTRICT.replace("THANH TRÌ", "BẢO LÂM").replace("TẢ THANH OAI", "VĨNH PHONG")
    j = extract_text(text.replace("Tả Thanh Oai", "Vĩnh Phong"), "xa.txt").identity.jurisdiction
    assert j is not None and (j.commune, j.district, j.province) == ("Vĩnh Phong", "Bảo Lâm", "Cao Bằng")


def test_letter_spaced_header() -> None:
    text = "U B ND TỈNH TÂY NINH\nSố: 12/KH-UBND      Tây Ninh, ngày 02 tháng 01 năm 2024\n\nK Ế H O Ạ C H\nVề việc x\n"
    s = extract_text(text, "x.txt").identity
    assert (s.type, s.symbol, s.date) == ("Kế hoạch", "12/KH-UBND", "2024-01-02")
    assert s.issuer == "UBND tỉnh Tây Ninh"


def test_no_date_no_place_is_unknown_not_guessed() -> None:
    text = ("Thực hiện Kế hoạch số 175/KH-UBND ngày 24/12/2021 của Chủ tịch UBND tỉnh, Văn phòng UBND tỉnh "
            "(Văn phòng) ban hành Kế hoạch như sau:\nBáo cáo trước ngày 05/11.")
    s = extract_text(text, "x.txt").identity
    assert s.issuer == "Văn phòng UBND tỉnh"
    assert s.year is None and s.date is None and s.jurisdiction is None
    assert s.not_before == "2021-12-24"
