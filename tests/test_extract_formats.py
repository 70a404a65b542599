"""End to end through `kg extract`: every format the readers take, made by the tests themselves,
and bad files that must give one clear line naming the file while the others go on."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from loaders.encodings import encode_tcvn3, encode_vni
from tests.test_read import soffice_convert

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

BODY = [
    "SỞ TƯ PHÁP TỈNH BẮC NINH",
    "KẾ HOẠCH",
    "Triển khai công tác phổ biến, giáo dục pháp luật năm 2024",
    "Thực hiện Kế hoạch số 310/KH-UBND ngày 12/01/2024 của Ủy ban nhân dân tỉnh Bắc Ninh về công tác phổ "
    "biến, giáo dục pháp luật năm 2024, Sở Tư pháp xây dựng Kế hoạch như sau:",
    "1. Tuyên truyền Luật Phổ biến, giáo dục pháp luật năm 2012 và Nghị định số 28/2013/NĐ-CP ngày 04/4/2013 "
    "của Chính phủ.",
]
FOOTNOTE = ("Quyết định số 1521/QĐ-TTg ngày 06/10/2021 của Thủ tướng Chính phủ về ban hành Kế hoạch thực hiện "
            "Kết luận số 80-KL/TW.")


def make_docx(path: Path) -> Path:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    for i, line in enumerate(BODY):
        p = document.add_paragraph(line)
        if i == 3:
            p.add_run()._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{W_NS}" w:id="1"/>'))
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Chỉ thị số 33/CT-TTg ngày 26/11/2021"
    table.rows[0].cells[1].text = "Thủ tướng Chính phủ"
    buffer = io.BytesIO()
    document.save(buffer)
    notes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
             f'<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">{FOOTNOTE}</w:t></w:r></w:p></w:footnote>'
             "</w:footnotes>")
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                                    b"</Relationships>")
            dst.writestr(item, data)
        dst.writestr("word/footnotes.xml", notes)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("formats")
    text = "\n".join(BODY) + "\n" + FOOTNOTE + "\n"
    out = {"docx": make_docx(d / "ke hoạch sở tư pháp.docx")}
    out["pdf"] = soffice_convert(out["docx"], "pdf", d)
    out["doc"] = soffice_convert(out["docx"], "doc", d)
    (d / "tcvn3.txt").write_bytes(encode_tcvn3(text))
    (d / "vni.txt").write_bytes(encode_vni(text))
    (d / "utf16.txt").write_bytes(text.encode("utf-16"))
    (d / "page.html").write_text(f"<html><body>{''.join(f'<p>{x}</p>' for x in BODY)}<p>{FOOTNOTE}</p></body></html>",
                                 "utf-8")
    out.update({"tcvn3": d / "tcvn3.txt", "vni": d / "vni.txt", "utf16": d / "utf16.txt", "html": d / "page.html"})
    return out


def extract_json(path: Path) -> dict:
    result = CliRunner().invoke(main, ["extract", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("kind", ["docx", "pdf", "doc", "tcvn3", "vni", "utf16", "html"])
def test_every_format_gives_the_same_references(files: dict[str, Path], kind: str) -> None:
    d = extract_json(files[kind])
    symbols = {r["symbol"] for r in d["refs"]}
    assert {"310/KH-UBND", "28/2013/NĐ-CP", "1521/QĐ-TTg", "80-KL/TW"} <= symbols, symbols
    assert d["implements"] == ["310/KH-UBND"]
    assert d["self"]["issuer"].startswith("Sở Tư pháp")
    assert d["self"]["jurisdiction"] == "Bắc Ninh"
    law = next(r for r in d["refs"] if r["name"] == "Phổ biến, giáo dục pháp luật")
    assert law["symbol"] == "14/2012/QH13"
    if kind in ("docx", "pdf", "doc"):
        assert "33/CT-TTg" in symbols  # from the table


def test_footnote_reference_is_marked(files: dict[str, Path]) -> None:
    d = extract_json(files["docx"])
    r = next(r for r in d["refs"] if r["symbol"] == "1521/QĐ-TTg")
    assert r["date"] == "2021-10-06" and r["issuer"] == "Thủ tướng Chính phủ"


def test_bad_files_give_one_line_each_and_the_rest_goes_on(tmp_path: Path, files: dict[str, Path]) -> None:
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "scan.pdf").write_bytes(files["pdf"].read_bytes()[:300])
    good = tmp_path / "good.txt"
    good.write_text("\n".join(BODY), "utf-8")
    result = CliRunner().invoke(main, ["extract", "--format", "json", str(tmp_path)])
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if ln]
    assert len(errors) == 4, errors
    for name in ("binary.txt", "broken.docx", "empty.txt", "scan.pdf"):
        assert sum(name in ln for ln in errors) == 1, errors
    assert all(ln.startswith("error: ") for ln in errors)
    assert [json.loads(ln)["source"] for ln in result.stdout.splitlines()] == [str(good)]
