"""`kg check`: a 2025 draft citing outdated, malformed and misattributed instruments, and the same
draft fixed; with the registry alone and with the example corpus's graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from example_graph import load_example

from kg.check import check_document, check_file
from kg.cli import main
from loaders import extract_text

DRAFTS = Path(__file__).parent / "data" / "drafts"
DRAFT, FIXED = DRAFTS / "draft_2025.txt", DRAFTS / "draft_2025_fixed.txt"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    from kg.store import EmbeddedStore

    path = tmp_path_factory.mktemp("check") / "kg-store"
    store = EmbeddedStore(path)
    load_example(store)
    store.close()
    return str(path)


@pytest.fixture
def example(store_path):
    from kg.store import EmbeddedStore

    store = EmbeddedStore(store_path)
    yield store
    store.close()


def found(report):
    return [(f.line, f.severity, f.kind, f.symbol) for f in report.findings]


def test_draft_with_the_registry_alone():
    report = check_file(DRAFT)
    assert report.draft_date == "2025-03-15" and report.date_basis == "draft" and report.references == 7
    assert found(report) == [
        (9, "warning", "expired", "30c/NQ-CP"),
        (10, "error", "replaced", "60/2013/NĐ-CP"),
        (10, "info", "unknown_registry", "45/2019/QH14"),
        (11, "warning", "malformed", "04/2015/NĐ-CP"),
        (11, "warning", "successor_unconfirmed", "04/2015/NĐ-CP"),
        (12, "info", "unknown_registry", "23-QĐ/TW"),
    ]
    assert report.exit_code == 1
    expired = report.findings[0]
    assert expired.written == "Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ"
    assert expired.fix == "dẫn 76/NQ-CP (2021-07-15) thay cho văn bản này"
    assert expired.basis.startswith("sổ hiệu lực: phapluatquanly.vietnamhoinhap.vn")


def test_replacement_chain_is_followed_to_what_is_in_force():
    replaced = check_file(DRAFT, lang="en").findings[1]
    assert replaced.message == ("replaced by 149/2018/NĐ-CP from 2019-01-01; which was in turn superseded by "
                                "145/2020/NĐ-CP from 2021-02-01")
    assert replaced.fix == "cite 145/2020/NĐ-CP (2020-12-14) instead"


def test_the_graph_adds_the_wrong_issuer(example):
    report = check_file(DRAFT, example, lang="en")
    issuer = [f for f in report.findings if f.kind == "issuer"]
    assert [(f.line, f.severity, f.symbol) for f in issuer] == [(12, "warning", "23-QĐ/TW")]
    assert issuer[0].message == 'issuer written "Ban Chấp hành Trung ương"; the record says "Bộ Chính trị"'
    assert issuer[0].fix == 'write "Bộ Chính trị"' and issuer[0].basis == "graph (most citing documents)"


def test_fixed_draft_is_clean(example):
    for report in (check_file(FIXED), check_file(FIXED, example)):
        assert report.exit_code == 0
        assert {f.severity for f in report.findings} <= {"info"}


def test_quy_dinh_124_of_2018_is_not_flagged(example):
    for report in (check_file(DRAFT), check_file(DRAFT, example)):
        assert not [f for f in report.findings if f.symbol == "124-QĐ/TW"]


def test_quy_dinh_124_of_2023_is_flagged():
    doc = extract_text("Căn cứ Quy định số 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị về kiểm điểm;\n",
                       source="d.txt")
    report = check_document(doc, as_of="2025-12-01", lang="en")
    assert [(f.severity, f.kind, f.message) for f in report.findings] == [
        ("warning", "replaced_undated", "replaced by 366-QĐ/TW (from a date not known)")]


def test_malformed_symbol_with_a_space_and_a_later_date():
    text = ("Kế hoạch ngày 10 tháng 01 năm 2019\n"
            "Thực hiện Quyết định số 1847/QĐ -TTg ngày 27/12/2018 của Thủ tướng Chính phủ;\n"
            "Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ;\n")
    report = check_document(extract_text(text, source="d.txt"), as_of="2019-01-10", lang="en")
    assert [(f.line, f.kind, f.message) for f in report.findings if f.severity != "info"] == [
        (2, "malformed", 'malformed symbol: "1847/QĐ -TTg"'),
        (3, "after_draft", "dated 2021-11-26, after the draft (2019-01-10)"),
    ]


def test_a_line_break_inside_a_symbol_is_not_malformed():
    doc = extract_text("Căn cứ Nghị quyết số 18-\nNQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương;\n", source="d")
    assert not [f for f in check_document(doc, as_of="2024-01-01").findings if f.kind == "malformed"]


def test_cli_exit_codes_and_output(store_path, tmp_path):
    runner = CliRunner()
    dirty = runner.invoke(main, ["check", str(DRAFT), "--store", store_path, "--lang", "en"])
    assert dirty.exit_code == 1
    assert dirty.output.splitlines()[-1] == "5 problems in the draft's 7 references (draft dated 2025-03-15)."
    assert f"{DRAFT}:12: [warning] 23-QĐ/TW: issuer written" in dirty.output
    clean = runner.invoke(main, ["check", str(FIXED), "--store", store_path])
    assert clean.exit_code == 0
    assert clean.output == f"""\
{FIXED}:10: [thông tin] 45/2019/QH14: không có trong sổ hiệu lực và đồ thị
    Bộ luật Lao động
    Sửa: kiểm tra lại số, ngày của văn bản được dẫn
    Căn cứ: sổ hiệu lực + đồ thị
Không phát hiện vấn đề nào trong 7 trích dẫn của dự thảo.
"""
    data = json.loads(runner.invoke(main, ["check", str(DRAFT), "--format", "json", "--store", store_path]).output)
    assert data["exit_code"] == 1 and data["draft_date"] == "2025-03-15"
    assert {f["kind"] for f in data["findings"]} == {"expired", "replaced", "unknown", "malformed",
                                                    "successor_unconfirmed", "issuer"}
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    unreadable = runner.invoke(main, ["check", str(bad)])
    assert unreadable.exit_code == 2 and "cannot check" in unreadable.output
    assert runner.invoke(main, ["check", str(tmp_path / "missing.txt")]).exit_code == 2
    assert runner.invoke(main, ["check", str(DRAFT), "--as-of", "2025"]).exit_code == 2
    assert runner.invoke(main, ["check", str(DRAFT), "--store", str(tmp_path / "none")]).exit_code == 2


def test_as_of_moves_the_judgement(tmp_path):
    early = check_file(DRAFT, as_of="2018-06-01")
    assert not [f for f in early.findings if f.kind in ("replaced", "expired", "successor_unconfirmed")]
    assert early.date_basis == "as_of"


def test_docx_draft(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("SỞ NGOẠI VỤ")
    d.add_paragraph("Tây Ninh, ngày 15 tháng 3 năm 2025")
    d.add_paragraph("Căn cứ Nghị định số 60/2013/NĐ-CP ngày 19/6/2013 của Chính phủ;")
    path = tmp_path / "draft.docx"
    d.save(str(path))
    report = check_file(path, lang="en")
    assert [(f.line, f.kind) for f in report.findings] == [(3, "replaced")] and report.exit_code == 1


def test_wrong_date_and_title_against_the_graph(example):
    text = ("Kế hoạch ngày 01 tháng 6 năm 2024\n"
            "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về phát triển nuôi trồng "
            "thủy sản bền vững vùng đồng bằng;\n"
            "Căn cứ Chỉ thị số 33/CT-TTg ngày 26/12/2021 của Thủ tướng Chính phủ;\n")
    report = check_document(extract_text(text, source="d.txt"), example, lang="en")
    assert [(f.line, f.kind, f.fix, f.basis) for f in report.findings] == [
        (2, "title", 'write "Tiếp tục tăng cường và đổi mới công tác dân vận của cơ quan hành chính nhà nước, '
                     'chính quyền các cấp trong tình hình mới"', "graph (the registry)"),
        (3, "date", 'write "ngày 26/11/2021"', "graph (the registry)"),
    ]


@pytest.mark.server
def test_check_with_a_sparql_server(http_store):
    load_example(http_store)
    report = check_file(DRAFT, http_store)
    assert [(f.line, f.kind) for f in report.findings if f.severity != "info"] == [
        (9, "expired"), (10, "replaced"), (11, "malformed"), (11, "successor_unconfirmed"), (12, "issuer")]
