"""Bad files, made by the tests (no binary fixture is checked in): PDFs written object by object,
.docx archives with zipfile, a zip bomb streamed through zlib, and good plans from bench/corpus.py."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

MB = 1024 * 1024


def plans(n: int, seed: int = 11) -> list[str]:
    """`n` plausible plans (header, citations, signer) from the benchmark generator."""
    from bench.corpus import documents

    return [text for _, text in documents(n, seed)]


def pdf(page_streams: list[bytes], *, image: bool = False) -> bytes:
    """A valid PDF: one page per content stream, Helvetica as /F1, and with `image` a 16×16 gray
    image as /Im1 (a "scan"). Offsets in the xref table are computed, so PDFium opens it as is."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the page tree's number is known
    pages = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pixels = bytes((x * 16) % 256 for x in range(256))
    img = add(b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
              b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream") if image else 0
    kids = []
    for stream in page_streams:
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        xobject = b" /XObject << /Im1 %d 0 R >>" % img if img else b""
        resources = b"<< /Font << /F1 %d 0 R >>" % font + xobject + b" >>"
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
                        % (pages, resources, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
    objects[pages - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                          + b"] /Count %d >>" % len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines` (ASCII: Helvetica's standard encoding)."""
    ops = [b"BT /F1 11 Tf 50 800 Td 14 TL"]
    for line in lines:
        escaped = line.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(" + escaped + b") Tj T*")
    ops.append(b"ET")
    return pdf([b"\n".join(ops)])


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages that only draw an image: no text layer, as a scanner makes them."""
    return pdf([b"q 500 0 0 700 50 70 cm /Im1 Do Q"] * pages, image=True)


def encrypted_pdf(data: bytes, password: str = "mật khẩu") -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(password)  # RC4-128, pypdf's default: needs no extra package
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(text: str) -> bytes:
    """A real .docx holding `text` one paragraph per line (python-docx)."""
    import docx as python_docx

    document = python_docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", "<w:styles/>")
    return out.getvalue()


def docx_bomb(unpacked_mb: int) -> bytes:
    """A .docx whose word/document.xml unpacks to `unpacked_mb` MB of zeros; one 1 MB chunk is
    compressed once per call and the stream written with a streaming zipfile member."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(MB)
            for _ in range(unpacked_mb):
                member.write(chunk)
    return out.getvalue()


def big_text(header: str, size: int) -> bytes:
    """A UTF-8 plan of at least `size` bytes: `header`, then prose repeated."""
    prose = ("Nâng cao nhận thức, trách nhiệm của cán bộ, công chức, viên chức và người lao động về vị trí, "
             "vai trò của công tác này trong tình hình mới.\n").encode()
    head = header.encode("utf-8") + b"\n"
    return head + prose * ((size - len(head)) // len(prose) + 1)


def nested_html(depth: int, text: str) -> bytes:
    return ("<html><body>" + "<div>" * depth + text + "</div>" * depth + "</body></html>").encode("utf-8")


def enormous_html(text: str, elements: int) -> bytes:
    """`text` as paragraphs, after `elements` empty inline elements (a page full of layout)."""
    body = "<span class=x></span>" * elements + "".join(f"<p>{line}</p>" for line in text.splitlines())
    return f"<!DOCTYPE html><html><head><meta charset=utf-8></head><body>{body}</body></html>".encode()


def crc_of(data: bytes) -> int:
    return zlib.crc32(data)


def write(folder: Path, name: str | bytes, data: bytes) -> Path:
    path = Path(folder, name.decode("utf-8", "surrogateescape") if isinstance(name, bytes) else name)
    path.write_bytes(data)
    return path
