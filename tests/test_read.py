"""Readers: every format from bytes made here (never downloaded), and every way a file can fail."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
import unicodedata
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import ReadError
from loaders import read as read_module
from loaders.encodings import encode_cp1258, encode_tcvn3, encode_vni
from loaders.read import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, ReadResult, read_bytes, read_file

TITLE = "KẾ HOẠCH"
PARAGRAPH = (
    "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ; Nghị định số "
    "04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ về thực hiện dân chủ trong hoạt động của cơ quan "
    "hành chính nhà nước và đơn vị sự nghiệp công lập, Ủy ban nhân dân tỉnh Tây Ninh ban hành Kế "
    "hoạch triển khai thực hiện năm 2022 như sau:"
)
TEXT = f"{TITLE}\n{PARAGRAPH}\nI. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao nhận thức, trách nhiệm của người đứng đầu."
HEADER = "ỦY BAN NHÂN DÂN TỈNH TÂY NINH"
TABLE = [["STT", "Nội dung", "Cơ quan chủ trì"], ["1", "Tuyên truyền, phổ biến", "Sở Tư pháp"]]
FOOTNOTE = "Quyết định số 1243/QĐ-UBND ngày 15/6/2022 của Ủy ban nhân dân tỉnh."
VIETNAMESE_NAME = "Kế hoạch số 12 (bản chính)"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def words(text: str) -> str:
    """Whitespace-insensitive form, for formats that wrap lines (PDF, .doc)."""
    return " ".join(nfc(text).split())


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- fixtures: documents made by the tests -------------------------------------------------------

def make_docx(path: Path) -> Path:
    """A .docx with a header, a title, a paragraph citing a footnote, a table and a footnote.

    python-docx cannot write footnotes, so word/footnotes.xml, its relationship and its content
    type are added to the saved package with zipfile.
    """
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = HEADER
    document.add_paragraph(TITLE)
    paragraph = document.add_paragraph(PARAGRAPH)
    paragraph.add_run()._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{W_NS}" w:id="1"/>'))
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for row, values in zip(table.rows, TABLE, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Nơi nhận: như trên.")
    buffer = io.BytesIO()
    document.save(buffer)

    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve"> {FOOTNOTE}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
                )
            target.writestr(item, data)
        target.writestr("word/footnotes.xml", footnotes)
    return path


def soffice_convert(source: Path, target_format: str, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot make the .pdf and .doc fixtures")
    profile = (outdir / f"profile-{target_format}").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target_format,
         "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    result = outdir / f"{source.stem}.{target_format}"
    assert result.exists(), f"soffice made no {target_format}"
    return result


@pytest.fixture(scope="session")
def fixtures_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("read-fixtures")


@pytest.fixture(scope="session")
def docx_file(fixtures_dir) -> Path:
    return make_docx(fixtures_dir / "ke hoach.docx")


@pytest.fixture(scope="session")
def pdf_file(fixtures_dir, docx_file) -> Path:
    return soffice_convert(docx_file, "pdf", fixtures_dir / "pdf")


@pytest.fixture(scope="session")
def doc_file(fixtures_dir, docx_file) -> Path:
    return soffice_convert(docx_file, "doc", fixtures_dir / "doc")


def assert_read_error(call, *fragments: str) -> str:
    with pytest.raises(ReadError) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, message
    return message


# --- text files ----------------------------------------------------------------------------

TEXT_ENCODINGS = {
    "utf-8": (lambda t: t.encode("utf-8"), "utf-8"),
    "utf-8-bom": (lambda t: t.encode("utf-8-sig"), "utf-8"),
    "utf-16-le-bom": (lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16"),
    "utf-16-be-bom": (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16"),
    "utf-16-le": (lambda t: t.encode("utf-16-le"), "utf-16"),
    "utf-16-be": (lambda t: t.encode("utf-16-be"), "utf-16"),
    "cp1258": (encode_cp1258, "cp1258"),
    "tcvn3": (encode_tcvn3, "tcvn3"),
    "vni": (encode_vni, "vni"),
}


@pytest.mark.parametrize("case", TEXT_ENCODINGS)
def test_text_encodings(tmp_path, case):
    encode, encoding = TEXT_ENCODINGS[case]
    result = read_file(write(tmp_path, "van ban.txt", encode(TEXT)))
    assert isinstance(result, ReadResult)
    assert (result.format, result.encoding) == ("txt", encoding)
    assert nfc(result.text) == TEXT


def test_text_encodings_cover_every_case():
    assert len(TEXT_ENCODINGS) == 9


def test_crlf_is_kept(tmp_path):
    result = read_file(write(tmp_path, "a.txt", TEXT.replace("\n", "\r\n").encode()))
    assert result.text == TEXT.replace("\n", "\r\n")


def test_markdown(tmp_path):
    result = read_file(write(tmp_path, "ke-hoach.md", f"# {TITLE}\n\n{PARAGRAPH}\n".encode()))
    assert (result.format, result.encoding) == ("md", "utf-8")
    assert PARAGRAPH in result.text


def test_legacy_encoding_is_detected_without_a_telling_name(tmp_path):
    for encode, encoding in ((encode_tcvn3, "tcvn3"), (encode_vni, "vni")):
        result = read_file(write(tmp_path, "noname", encode(TEXT)))
        assert (result.format, result.encoding) == ("txt", encoding)
        assert nfc(result.text) == TEXT


def test_vietnamese_file_name_with_spaces(tmp_path):
    path = write(tmp_path, f"{VIETNAMESE_NAME}.txt", TEXT.encode())
    assert nfc(read_file(path).text) == TEXT
    empty = write(tmp_path, f"{VIETNAMESE_NAME} rỗng.txt", b"")
    assert_read_error(lambda: read_file(empty), f"{VIETNAMESE_NAME} rỗng.txt", "empty file")


def test_read_bytes_matches_read_file(tmp_path):
    data = encode_vni(TEXT)
    assert read_bytes(data, name="x.txt") == read_file(write(tmp_path, "x.txt", data))


def test_a_file_is_named_by_the_hash_of_the_bytes_parsed(tmp_path):
    import hashlib

    from loaders import extract_file

    data = encode_vni(TEXT)
    path = write(tmp_path, "x.txt", data)
    assert read_file(path).sha256 == hashlib.sha256(data).hexdigest() == extract_file(path).sha256


# --- .docx ---------------------------------------------------------------------------------

def test_docx(docx_file):
    result = read_file(docx_file)
    assert (result.format, result.encoding, result.warnings) == ("docx", None, ())
    expected = [
        HEADER,
        TITLE,
        PARAGRAPH + "[1]",  # the footnote reference, numbered like the note at the end
        " | ".join(TABLE[0]),
        " | ".join(TABLE[1]),
        "Nơi nhận: như trên.",
        "",
        f"[1] {FOOTNOTE}",
    ]
    assert nfc(result.text).split("\n") == expected


def test_docx_endnotes_use_roman_markers(tmp_path, docx_file):
    endnotes = (
        f'<w:endnotes xmlns:w="{W_NS}"><w:endnote w:id="1"><w:p><w:r><w:t>Ghi chú cuối.</w:t>'
        "</w:r></w:p></w:endnote></w:endnotes>"
    )
    path = tmp_path / "endnotes.docx"
    with zipfile.ZipFile(docx_file) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/endnotes.xml", endnotes)
    assert read_file(path).text.endswith("[i] Ghi chú cuối.")


def test_docx_text_boxes_and_nested_tables(tmp_path, docx_file):
    """A text box's mc:Fallback copy is not read twice; a nested table stays in its cell."""
    w, mc = f'xmlns:w="{W_NS}"', 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    body = (
        f'<w:p {w} {mc}><w:r><w:t>Trước </w:t></w:r><mc:AlternateContent><mc:Choice Requires="wps">'
        "<w:r><w:txbxContent><w:p><w:r><w:t>Hộp chữ</w:t></w:r></w:p></w:txbxContent></w:r></mc:Choice>"
        "<mc:Fallback><w:r><w:t>Hộp chữ</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>"
        f"<w:tbl {w}><w:tr><w:tc><w:p><w:r><w:t>Ngoài</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r>"
        "<w:t>Trong</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p><w:r><w:t>Bên</w:t></w:r>"
        "</w:p></w:tc></w:tr></w:tbl>"
    )
    path = tmp_path / "boxes.docx"
    with zipfile.ZipFile(docx_file) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + body.encode())
            target.writestr(item, data)
    lines = read_file(path).text.split("\n")
    assert lines[1:4] == ["Trước ", "Hộp chữ", "Ngoài Trong | Bên"]


def test_docx_not_a_zip(tmp_path):
    path = write(tmp_path, "hỏng.docx", b"this is not a zip archive at all")
    assert_read_error(lambda: read_file(path), "hỏng.docx", "corrupt .docx: not a zip archive")


def test_docx_truncated_zip(tmp_path, docx_file):
    data = docx_file.read_bytes()
    path = write(tmp_path, "cut.docx", data[: len(data) // 2])
    assert_read_error(lambda: read_file(path), "cut.docx", "corrupt .docx")


def test_docx_with_unsupported_zip_version_is_a_read_error(tmp_path, docx_file):
    """Regression: zipfile raised NotImplementedError ("zip file version 20.0") past the reader."""
    data = bytearray(docx_file.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 200  # "version needed to extract" 20.0
    path = write(tmp_path, "v20.docx", bytes(data))
    assert_read_error(lambda: read_file(path), "v20.docx", "corrupt .docx")


def test_docx_without_document_xml(tmp_path):
    path = tmp_path / "empty zip.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert_read_error(lambda: read_file(path), "empty zip.docx", "missing word/document.xml")


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A ~300 KB .docx whose document.xml unpacks to 300 MB of zeros, written as a stream."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    return path


def test_docx_zip_bomb_is_refused_before_unpacking(zip_bomb):
    assert zip_bomb.stat().st_size < 2 * 1024 * 1024
    start = time.perf_counter()
    assert_read_error(lambda: read_file(zip_bomb), "bomb.docx", "300 MB", "zip bomb")
    assert time.perf_counter() - start < 1


# --- .pdf ----------------------------------------------------------------------------------

def test_pdf(pdf_file):
    result = read_file(pdf_file)
    assert (result.format, result.encoding) == ("pdf", None)
    text = words(result.text)
    for part in (HEADER, TITLE, PARAGRAPH, "Nơi nhận: như trên.", "Sở Tư pháp"):
        assert words(part) in text


def test_pdf_pages_are_separated_by_form_feeds(tmp_path, pdf_file):
    import pypdf

    reader = pypdf.PdfReader(pdf_file)
    writer = pypdf.PdfWriter()
    writer.append(reader)
    writer.append(reader)
    buffer = io.BytesIO()
    writer.write(buffer)
    result = read_bytes(buffer.getvalue(), name="two pages.pdf")
    assert result.text.count("\f") == len(reader.pages) * 2 - 1


def test_pdf_with_empty_user_password_opens(pdf_file):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pdf_file)
    writer.encrypt(user_password="", owner_password="chủ sở hữu")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert words(PARAGRAPH) in words(read_bytes(buffer.getvalue(), name="open.pdf").text)


def test_pdf_encrypted(tmp_path, pdf_file):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pdf_file)
    writer.encrypt("secret")
    path = tmp_path / "mật.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    assert_read_error(lambda: read_file(path), "mật.pdf", "encrypted PDF — remove the password")


def test_pdf_without_text_layer(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    path = tmp_path / "scan.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    assert_read_error(lambda: read_file(path), "scan.pdf", "scanned PDF without a text layer", "OCR")


def test_pdf_truncated(tmp_path, pdf_file):
    data = pdf_file.read_bytes()
    path = write(tmp_path, "half.pdf", data[: len(data) // 2])
    assert_read_error(lambda: read_file(path), "half.pdf", "PDF")


def test_pdf_corrupt(tmp_path):
    path = write(tmp_path, "junk.pdf", b"%PDF-1.7\n1 0 obj garbage endobj\n%%EOF\n")
    assert_read_error(lambda: read_file(path), "junk.pdf", "corrupt PDF")


def test_pdf_name_without_pdf_content(tmp_path):
    path = write(tmp_path, "fake.pdf", b"Hello, not a PDF")
    assert_read_error(lambda: read_file(path), "fake.pdf", "no %PDF header")


# --- .doc ----------------------------------------------------------------------------------

def test_doc_with_antiword(doc_file):
    if shutil.which("antiword") is None:
        pytest.skip("antiword is not installed")
    result = read_file(doc_file)
    assert (result.format, result.encoding, result.warnings) == ("doc", None, ())
    text = words(result.text)
    for part in (TITLE, PARAGRAPH + "[1]", f"[1] {FOOTNOTE}"):
        assert words(part) in text
    assert " | ".join(TABLE[1]) in nfc(result.text).split("\n")  # antiword's padded cells, compacted


def without_antiword(monkeypatch) -> None:
    real_which = shutil.which
    monkeypatch.setattr(
        read_module.shutil, "which", lambda name: None if name == "antiword" else real_which(name)
    )


def test_doc_falls_back_to_libreoffice(doc_file, monkeypatch):
    without_antiword(monkeypatch)
    result = read_file(doc_file)
    assert result.format == "doc"
    assert words(PARAGRAPH) in words(result.text)


def test_doc_conversion_timeout_kills_the_converter(doc_file, monkeypatch):
    without_antiword(monkeypatch)
    start = time.perf_counter()
    assert_read_error(lambda: read_file(doc_file, timeout=0.2), doc_file.name, "took longer than 0.2 s")
    assert time.perf_counter() - start < 10


def test_rtf_saved_as_doc(tmp_path):
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed")
    rtf = rb"{\rtf1\ansi\uc1 {K\u7871?ho\u7841?ch s\u7889? 12\par}}"
    result = read_file(write(tmp_path, "cu.doc", rtf))
    assert result.format == "doc"
    assert "hoạch số 12" in nfc(result.text)
    assert "RTF" in result.warnings[0]


def test_password_protected_office_document(tmp_path):
    # What Word writes for a password-protected .docx: an OLE2 file holding "EncryptedPackage".
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le")
    path = write(tmp_path, "mật khẩu.docx", data)
    assert_read_error(
        lambda: read_file(path), "mật khẩu.docx", "encrypted Word document — remove the password"
    )


def test_doc_without_converters(doc_file, monkeypatch):
    monkeypatch.setattr(read_module.shutil, "which", lambda name: None)
    assert_read_error(lambda: read_file(doc_file), doc_file.name, "install the Debian package antiword")


def test_doc_detected_by_content_under_another_name(tmp_path, doc_file):
    path = write(tmp_path, "renamed.docx", doc_file.read_bytes())
    result = read_file(path)
    assert result.format == "doc"
    assert result.warnings and "content is doc" in result.warnings[0]


# --- .html ---------------------------------------------------------------------------------

HTML = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Trang</title><style>p {{ color: red }}</style></head>
<body><nav><a href="/">Trang chủ</a></nav>
<script>var x = "không được thấy";</script>
<h1>{TITLE}</h1>
<p>{PARAGRAPH.replace("Chính phủ;", "<b>Chính</b> phủ;")}</p>
<table><tr><td>STT</td><td>Nội dung</td></tr><tr><td>1</td><td>Tuyên truyền</td></tr></table>
<div>Dòng một<br>Dòng hai &amp; ba</div>
</body></html>"""


def test_html(tmp_path):
    result = read_file(write(tmp_path, "trang.html", HTML.encode("utf-8")))
    assert (result.format, result.encoding) == ("html", None)
    lines = [line for line in nfc(result.text).split("\n") if line]
    assert lines == [TITLE, PARAGRAPH, "STT | Nội dung", "1 | Tuyên truyền", "Dòng một", "Dòng hai & ba"]


def test_html_meta_charset_windows_1258(tmp_path):
    markup = HTML.replace('charset="utf-8"', 'charset="windows-1258"')
    result = read_file(write(tmp_path, "trang.htm", encode_cp1258(markup)))
    assert PARAGRAPH in nfc(result.text)


def test_html_legacy_encoding_without_charset(tmp_path):
    markup = HTML.replace('<meta charset="utf-8">', "")
    result = read_file(write(tmp_path, "trang.html", encode_tcvn3(markup)))
    assert PARAGRAPH in nfc(result.text)


def test_html_western_charset_holding_tcvn3(tmp_path):
    """Old sites declared iso-8859-1 and drew TCVN3 bytes with .VnTime fonts."""
    markup = HTML.replace('charset="utf-8"', 'charset="iso-8859-1"')
    result = read_file(write(tmp_path, "cu.html", encode_tcvn3(markup)))
    assert PARAGRAPH in nfc(result.text)
    assert any("declares charset iso-8859-1" in w for w in result.warnings)


def test_html_western_charset_holding_latin1(tmp_path):
    markup = '<html><head><meta charset="iso-8859-1"></head><body><p>Größe über Straße</p></body></html>'
    assert read_file(write(tmp_path, "de.html", markup.encode("latin-1"))).text == "Größe über Straße"


def test_html_detected_by_content(tmp_path):
    result = read_file(write(tmp_path, "download", HTML.encode()))
    assert result.format == "html"


def test_html_deeply_nested(tmp_path):
    markup = "<html><body>" + "<div>" * 100_000 + TITLE + "</div>" * 100_000 + "</body></html>"
    start = time.perf_counter()
    result = read_file(write(tmp_path, "deep.html", markup.encode()))
    assert time.perf_counter() - start < 5
    assert nfc(result.text).strip() == TITLE
    assert any("nested" in w for w in result.warnings)


def test_html_moderately_nested_uses_the_dom(tmp_path):
    markup = "<html><body>" + "<div>" * 500 + "<p>a</p><p>b</p>" + "</div>" * 500 + "</body></html>"
    result = read_file(write(tmp_path, "nested.html", markup.encode()))
    assert result.text.split() == ["a", "b"] and result.warnings == ()


# --- failures common to all formats --------------------------------------------------------

def test_empty_file(tmp_path):
    path = write(tmp_path, "rỗng.txt", b"")
    message = assert_read_error(lambda: read_file(path), "empty file")
    assert message.startswith(str(path))


def test_binary_txt(tmp_path):
    path = write(tmp_path, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_read_error(lambda: read_file(path), "binary.txt", "not a text file: binary content (NUL bytes)")


def test_random_bytes(tmp_path):
    path = write(tmp_path, "random.bin", os.urandom(64 * 1024))
    assert_read_error(lambda: read_file(path), "random.bin", "unsupported file type")


def test_invalid_utf8(tmp_path):
    path = write(tmp_path, "latin1.txt", b"Hello world gr\xfc\xdfe aus M\xfcnchen")
    assert_read_error(lambda: read_file(path), "latin1.txt", "invalid UTF-8 at byte offset 14")


def test_over_the_size_limit(tmp_path):
    path = tmp_path / "lớn.txt"
    with open(path, "wb") as f:
        f.truncate(51 * 1024 * 1024)  # sparse: nothing is written or read
    assert_read_error(
        lambda: read_file(path), "lớn.txt", "file is 51.0 MB, over the 50 MB limit — raise --max-size"
    )
    assert_read_error(lambda: read_bytes(b"x" * 11, name="b.txt", max_bytes=10), "over the")
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "data", "cause"),
    [
        ("book.xlsx", None, "unsupported file type: a zip archive that is not a Word document"),
        ("letter.rtf", b"{\\rtf1\\ansi K\\'ea ho\\'e1ch}", "unsupported file type: RTF"),
        ("report.docx", b"%PDF-1.7 mislabelled", "truncated PDF"),
    ],
)
def test_other_formats_are_named(tmp_path, name, data, cause):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
        data = buffer.getvalue()
    path = write(tmp_path, name, data)
    assert_read_error(lambda: read_file(path), name, cause)


def test_missing_file_and_directory(tmp_path):
    assert_read_error(lambda: read_file(tmp_path / "không có.txt"), "không có.txt", "file not found")
    assert_read_error(lambda: read_file(tmp_path), "is a directory")


def test_unexpected_library_errors_become_read_errors(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(read_module, "_read_html", boom)
    assert_read_error(lambda: read_bytes(b"<html>x</html>", name="x.html"), "x.html", "RuntimeError: boom")


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".doc")


# No external converters here (OLE2 .doc data would start antiword and LibreOffice, which take
# seconds): they are hidden, so such inputs end in the "install antiword" ReadError.
_PREFIXES = st.sampled_from(
    [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
     b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf1 "]
)
_SUFFIXES = st.sampled_from([*SUPPORTED_SUFFIXES, "", ".bin"])


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=_PREFIXES, body=st.binary(max_size=4096), tail=st.sampled_from([b"", b"\n%%EOF\n"]),
       suffix=_SUFFIXES)
def test_any_bytes_give_a_result_or_a_read_error(prefix, body, tail, suffix):
    start = time.perf_counter()
    try:
        with mock.patch.object(read_module.shutil, "which", return_value=None):
            result = read_bytes(prefix + body + tail, name=f"fuzz{suffix}")
    except ReadError as e:
        assert "\n" not in str(e)
    else:
        assert isinstance(result.text, str)
    assert time.perf_counter() - start < 1
