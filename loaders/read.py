"""Bytes → text for every supported format; the format is detected from the content.

`read_file` is the entry point: it checks the size with ``os.stat`` before reading, sniffs
the format from magic bytes (``%PDF``, a zip holding ``word/document.xml``, the OLE2 header of
Word 97-2003, ``<html``), falls back on the suffix, and returns the text *as decoded*: not
NFC-normalised, not cleaned (``loaders/clean.py`` does that and keeps the offset map).

Every failure is a `kg.errors.ReadError` whose message is one line: the cause, then the next
step. No other exception escapes.

>>> read_bytes("Kế hoạch số 12/KH-UBND".encode("utf-8"), name="kh.txt").encoding
'utf-8'
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import html
import io
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from kg.errors import ReadError
from loaders.encodings import UndecodableError, decode_text

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_TIMEOUT = 120.0
"""Seconds allowed per file: for an external converter here, for reading and parsing in `kg ingest`."""
SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".doc")
UNZIPPED_LIMIT = 200 * 1024 * 1024
"""A .docx whose parts unpack to more than this (or 20× max_bytes, if smaller) is refused."""
UNZIPPED_RATIO = 200
UNZIPPED_RATIO_FLOOR = 10 * 1024 * 1024
"""A .docx part over the floor that unpacks to more than `UNZIPPED_RATIO` times its packed size is
refused: Word's XML packs about 10×, its media not at all; deflate's own limit is ~1000×."""
HTML_MAX_DEPTH = 3000
"""Deeper HTML is read without a DOM: lexbor's tree builder slows quadratically with depth."""

_MB = 1024 * 1024
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RTF_MAGIC = b"{\\rtf"
# What zipfile raises on damaged archives: bad headers, unknown versions or methods, bad data.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, zlib.error, EOFError,
               OSError, ValueError)
_MISSING_SIGNATURE = {
    "docx": "corrupt .docx: not a zip archive — re-save it from Word or LibreOffice",
    "pdf": "corrupt PDF: no %PDF header — the file is damaged or mislabelled; export it again",
    "doc": (
        "corrupt .doc: not a Word 97-2003 file (no OLE2 header) "
        "— open it in Word or LibreOffice and save as .docx"
    ),
}
_OTHER_FORMATS = (
    (b"PK\x03\x04", "a zip archive that is not a Word document (no word/document.xml)"),
    (_RTF_MAGIC, "RTF"),
)
_SUFFIX_FORMAT = {".txt": "txt", ".md": "md", ".docx": "docx", ".pdf": "pdf", ".html": "html",
                  ".htm": "html", ".doc": "doc"}


@dataclass(frozen=True, slots=True)
class ReadResult:
    """What a file turned into.

    Attributes:
        text: decoded text, not yet NFC-normalised or cleaned.
        format: "txt", "md", "docx", "pdf", "html" or "doc".
        encoding: for text files "utf-8", "utf-16", "cp1258", "tcvn3" or "vni"; else None.
        warnings: things the reader noticed but could work around, one line each.
        sha256: hex SHA-256 of the bytes read (for a file, of the file as read: a caller needs no
            second read to name it).
    """

    text: str
    format: str
    encoding: str | None
    warnings: tuple[str, ...] = ()
    sha256: str = ""


BAD_NAME = "the file name is not valid UTF-8 — rename the file (e.g. convmv -f cp1258 -t utf8 --notest)"


def is_utf8_name(name: str) -> bool:
    """Whether a file name (as `os.fsdecode` gives it) is valid UTF-8, as IRIs and literals need."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable_name(name: str) -> str:
    r"""A file name that may hold undecodable bytes, with those bytes written as \xNN.

    >>> printable_name(os.fsdecode(b"k\xe9 ho\xb9ch.txt"))
    'k\\xe9 ho\\xb9ch.txt'
    """
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def os_error_cause(e: OSError) -> str:
    """The cause of an OSError met opening or reading a file, with what to do about it.

    >>> os_error_cause(OSError(errno.ELOOP, "Too many levels of symbolic links"))
    'symbolic link loop — point the link at a real file or remove it'
    """
    if isinstance(e, FileNotFoundError):
        return "file not found — check the path"
    if isinstance(e, PermissionError):
        return "permission denied — check the file's permissions"
    if e.errno == errno.ELOOP:
        return "symbolic link loop — point the link at a real file or remove it"
    return f"cannot read ({e.strerror or e}) — check the disk and the file"


class _Failure(Exception):
    """Internal: a one-line message for ReadError, raised where the path is not at hand."""


def read_file(
    path: str | os.PathLike[str], *, max_bytes: int | None = None, timeout: float | None = None
) -> ReadResult:
    """Read one file into text.

    Args:
        path: the file.
        max_bytes: refuse files larger than this (checked with ``os.stat`` before reading);
            default ``KG_MAX_SIZE`` (e.g. ``20MB``), else `DEFAULT_MAX_BYTES`.
        timeout: seconds allowed for an external converter (legacy .doc); default ``KG_TIMEOUT``,
            else `DEFAULT_TIMEOUT`.

    Raises:
        ReadError: the file is missing, too large, empty, binary, corrupt, encrypted, scanned…
    """
    name = os.fsdecode(path)
    if not is_utf8_name(name):
        raise ReadError(BAD_NAME, path=printable_name(name))
    max_bytes = default_max_bytes() if max_bytes is None else max_bytes
    timeout = default_timeout() if timeout is None else timeout
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise _Failure("is a directory — pass a file, or the files inside it")
        if not stat.S_ISREG(info.st_mode):
            raise _Failure("not a regular file (a device, pipe or socket) — pass a document file")
        _check_size(info.st_size, max_bytes)
        with open(name, "rb") as f:
            data = f.read(max_bytes + 1)
        _check_size(len(data), max_bytes)  # the file grew since stat
        return _read(data, Path(name).suffix.lower(), max_bytes, timeout)
    except _Failure as e:
        raise ReadError(str(e), path=name) from None
    except ReadError:
        raise
    except OSError as e:
        raise ReadError(os_error_cause(e), path=name) from None
    except Exception as e:  # a library failed in a way we did not foresee
        raise ReadError(_unexpected(e), path=name) from e


def read_bytes(data: bytes, *, name: str = "<bytes>", max_bytes: int | None = None) -> ReadResult:
    """Read in-memory bytes; `name` gives the suffix hint and names the source in errors.

    External converters (legacy .doc) get `read_file`'s default timeout.

    Raises:
        ReadError: as `read_file`.
    """
    max_bytes = default_max_bytes() if max_bytes is None else max_bytes
    try:
        _check_size(len(data), max_bytes)
        return _read(bytes(data), Path(name).suffix.lower(), max_bytes, default_timeout())
    except _Failure as e:
        raise ReadError(str(e), path=name) from None
    except ReadError:
        raise
    except Exception as e:
        raise ReadError(_unexpected(e), path=name) from e


def _unexpected(e: Exception) -> str:
    detail = " ".join(f"{type(e).__name__}: {e}".split())[:200]
    return f"could not read the file ({detail}) — check that it opens in its own application"


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        unit, scale = ("MB", _MB) if max_bytes >= _MB else ("KB", 1024)  # not "0.000976562 MB"
        raise _Failure(
            f"file is {size / scale:.1f} {unit}, over the {round(max_bytes / scale, 3):g} {unit} limit "
            "— raise --max-size (or KG_MAX_SIZE) or split the file"
        )


# ---------------------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------------------
_UNITS = {"": _MB, "b": 1, "k": 1024, "kb": 1024, "m": _MB, "mb": _MB, "g": 1024 * _MB, "gb": 1024 * _MB}


def parse_size(text: str) -> int:
    """Bytes in a size as people write it; a bare number is megabytes.

    >>> parse_size("50MB"), parse_size("512k"), parse_size("2"), parse_size("1.5 GB")
    (52428800, 524288, 2097152, 1610612736)
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    if m is None or m.group(2).lower() not in _UNITS:
        raise ValueError(f"{text!r} is not a size; write e.g. 50MB, 512KB or 2GB")
    size = int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    if size <= 0:
        raise ValueError(f"{text!r}: a size limit must be above zero")
    return size


_LIMITS: ContextVar[tuple[int | None, float | None]] = ContextVar("kg_read_limits", default=(None, None))


def default_max_bytes() -> int:
    """The limit of the enclosing `file_limits`, else ``KG_MAX_SIZE`` (a malformed value is ignored),
    else 50 MB."""
    if _LIMITS.get()[0]:
        return _LIMITS.get()[0]  # type: ignore[return-value]
    value = os.environ.get("KG_MAX_SIZE")
    if value:
        with contextlib.suppress(ValueError):
            return parse_size(value)
    return DEFAULT_MAX_BYTES


def default_timeout() -> float:
    """The limit of the enclosing `file_limits`, else ``KG_TIMEOUT`` seconds if set and positive,
    else `DEFAULT_TIMEOUT`."""
    if _LIMITS.get()[1]:
        return _LIMITS.get()[1]  # type: ignore[return-value]
    with contextlib.suppress(ValueError):
        value = float(os.environ.get("KG_TIMEOUT") or DEFAULT_TIMEOUT)
        if value > 0:
            return value
    return DEFAULT_TIMEOUT


@contextlib.contextmanager
def file_limits(path: str, max_bytes: int | None = None, timeout: float | None = None) -> Iterator[None]:
    """Read and parse one file within limits: `read_file` calls inside take them as defaults, and
    the whole block is cut at `timeout` seconds (see `time_limit`).

    >>> with file_limits("x.txt", max_bytes=1024, timeout=5):
    ...     default_max_bytes(), default_timeout()
    (1024, 5)
    """
    token = _LIMITS.set((max_bytes, timeout))
    try:
        with time_limit(default_timeout(), path):
            yield
    finally:
        _LIMITS.reset(token)


class _Expired(BaseException):
    """Raised by the alarm of `time_limit`. A BaseException, so that no `except Exception` on the
    way (a library's, or a reader's own) can swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float | None, path: str) -> Iterator[None]:
    """Raise ReadError ("took longer than N s") when the block runs longer than `seconds`.

    Uses SIGALRM, so it applies in a process's main thread only (the CLI and `kg ingest --jobs`
    workers); elsewhere (a Dask worker thread) the block runs unlimited. Native code (PDFium,
    lxml) is interrupted when it returns to Python; external converters have their own timeout.
    """
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise ReadError(
            f"took longer than {seconds:g} s to read and parse — raise --timeout (or KG_TIMEOUT), "
            "or split the file", path=path) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------------------------
# Format detection
# ---------------------------------------------------------------------------------------------
def sniff_format(data: bytes, suffix: str = "") -> str | None:
    """The format the content says it is ("pdf", "docx", "doc", "html"), else None.

    >>> sniff_format(b"%PDF-1.7 ..."), sniff_format(b"  <!DOCTYPE html><html>"), sniff_format(b"abc")
    ('pdf', 'html', None)
    """
    head = data[:1024]
    if head.startswith(b"%PDF-") or (b"%PDF-" in head and suffix == ".pdf"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if suffix == ".docx" or _zip_has_document(data) else None
    if head.startswith(_OLE2_MAGIC):
        return "doc"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")) or (start.startswith(b"<?xml") and b"<html" in start):
        return "html"
    return None


def _zip_has_document(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except _ZIP_ERRORS:
        return False


def _read(data: bytes, suffix: str, max_bytes: int, timeout: float) -> ReadResult:
    """The text of `data` (`_decode`), named by the hash of those bytes."""
    return replace(_decode(data, suffix, max_bytes, timeout), sha256=hashlib.sha256(data).hexdigest())


def _decode(data: bytes, suffix: str, max_bytes: int, timeout: float) -> ReadResult:
    if not data:
        raise _Failure("empty file")
    by_suffix = _SUFFIX_FORMAT.get(suffix)
    sniffed = sniff_format(data, suffix)
    if sniffed == "html" and by_suffix == "md":
        sniffed = None  # Markdown may hold HTML; it stays text
    fmt = sniffed or by_suffix
    if fmt == "doc" and sniffed is None and data.startswith(_RTF_MAGIC):
        return _read_doc(data, timeout, rtf=True)  # Word wrote RTF under a .doc name for years
    if fmt in _MISSING_SIGNATURE and sniffed is None:
        raise _Failure(_MISSING_SIGNATURE[fmt])
    if sniffed is None:
        for magic, kind in _OTHER_FORMATS:
            if data.startswith(magic):
                raise _Failure(f"unsupported file type: {kind} — convert it to .docx, .pdf or .txt")
    warnings: list[str] = []
    if sniffed and by_suffix and sniffed != by_suffix:
        warnings.append(f"named {suffix} but the content is {sniffed}; read as {sniffed}")
    if fmt == "pdf":
        result = _read_pdf(data)
    elif fmt == "docx":
        result = _read_docx(data, max_bytes)
    elif fmt == "doc":
        result = _read_doc(data, timeout)
    elif fmt == "html":
        result = _read_html(data)
    else:
        result = _read_text(data, by_suffix or "txt", known=by_suffix is not None)
    if warnings:
        result = ReadResult(result.text, result.format, result.encoding, (*warnings, *result.warnings))
    return result


# ---------------------------------------------------------------------------------------------
# Plain text (.txt, .md, unknown suffixes)
# ---------------------------------------------------------------------------------------------
def _read_text(data: bytes, fmt: str, *, known: bool) -> ReadResult:
    try:
        decoded = decode_text(data)
    except UndecodableError as e:
        if str(e).startswith("invalid UTF-8"):  # not binary: maybe two encodings in one file
            _refuse_mixed_encodings(data)
        if known:
            raise _Failure(str(e)) from None
        raise _Failure(f"unsupported file type: {e}") from None
    if decoded.encoding not in ("utf-8", "utf-16"):
        _refuse_mixed_encodings(data)
    return ReadResult(decoded.text, fmt, decoded.encoding, decoded.warnings)


# UTF-8 of the letters only Vietnamese uses: đ Đ, ơ Ơ ư Ư, and the precomposed U+1EA0–U+1EF9 (ạ … ỹ).
# In TCVN3, VNI and Windows-1258 text these byte pairs and triples do not occur (cp1258 would read
# "\xe1\xba" as "áº", two tone-marked characters in a row).
_UTF8_VIETNAMESE = re.compile(rb"\xc4[\x90\x91]|\xc6[\xa0\xa1\xaf\xb0]|\xe1[\xba\xbb][\x80-\xbf]")


def _refuse_mixed_encodings(data: bytes) -> None:
    """A file that is not UTF-8 as a whole but holds UTF-8 Vietnamese letters mixes encodings
    (a UTF-8 file pasted into a TCVN3 one): reading it in either encoding garbles a part, so it is
    refused instead of stored as mojibake."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_letters = len(_UTF8_VIETNAMESE.findall(data, 0, 1 << 20))
        if utf8_letters >= 2:
            raise _Failure(
                f"mixed encodings: UTF-8 Vietnamese letters alongside bytes that are not UTF-8 (first at byte "
                f"offset {e.start}, 0x{data[e.start]:02X}) — re-save the whole file in one encoding, as UTF-8"
            ) from None


# ---------------------------------------------------------------------------------------------
# .docx
# ---------------------------------------------------------------------------------------------
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {
    "w": _W,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
# Inline pieces of a paragraph, in document order; nothing under mc:Fallback, which repeats
# the mc:Choice content for older readers.
_INLINE = (
    ".//w:t[not(ancestor::mc:Fallback)] | .//w:tab[not(ancestor::mc:Fallback)]"
    " | .//w:br[not(ancestor::mc:Fallback)] | .//w:cr[not(ancestor::mc:Fallback)]"
    " | .//w:noBreakHyphen[not(ancestor::mc:Fallback)] | .//w:p[not(ancestor::mc:Fallback)]"
    " | .//w:footnoteReference | .//w:endnoteReference"
)
_BLOCKS = "./w:p | ./w:tbl | ./w:sdt/w:sdtContent/w:p | ./w:sdt/w:sdtContent/w:tbl"
_ROWS = "./w:tr"
_CELLS = "./w:tc | ./w:sdt/w:sdtContent/w:tc"
# Nested tables are flattened into their cell; text-box paragraphs belong to the paragraph that
# anchors them, so only outermost paragraphs are taken.
_CELL_PARAGRAPHS = ".//w:p[not(ancestor::w:p)]"
_HEADER_IDS = ".//w:sectPr/w:headerReference/@r:id"
_NOTES = "./w:footnote | ./w:endnote"


@cache
def _xpath(expression: str):  # type: ignore[no-untyped-def]
    """Compiled once; lxml's XPath objects work on python-docx's elements and on plain lxml."""
    from lxml import etree

    return etree.XPath(expression, namespaces=_NS)


def _read_docx(data: bytes, max_bytes: int) -> ReadResult:
    """Headers, then body paragraphs and tables in order, then footnotes and endnotes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS:
        raise _Failure("corrupt .docx: not a zip archive — re-save it from Word or LibreOffice") from None
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise _Failure(
            "corrupt .docx: missing word/document.xml (not a Word document) "
            "— re-save it from Word or LibreOffice as .docx"
        )
    limit = min(UNZIPPED_LIMIT, 20 * max_bytes)
    unzipped = sum(i.file_size for i in infos)
    if unzipped > limit:
        raise _Failure(
            f"refusing .docx: its parts unpack to {unzipped / _MB:.0f} MB, over the "
            f"{limit / _MB:g} MB safety limit (a zip bomb?) — re-save the document without embedded media"
        )
    for info in infos:  # a smaller bomb: one part that unpacks far beyond what XML or media compress to
        if info.file_size > UNZIPPED_RATIO_FLOOR and info.file_size > UNZIPPED_RATIO * max(info.compress_size, 1):
            raise _Failure(
                f"refusing .docx: {info.filename} would unpack {info.file_size / max(info.compress_size, 1):.0f}× "
                f"({info.file_size / _MB:.0f} MB from {info.compress_size / 1024:.0f} KB; a zip bomb?) "
                "— re-save the document from Word or LibreOffice"
            )
    try:
        import docx  # imported here: python-docx is only needed for .docx

        document = docx.Document(io.BytesIO(data))
    except Exception as e:
        raise _Failure(f"corrupt .docx: {_one_line(e)} — re-save it from Word or LibreOffice") from None
    body = document.element.body
    lines: list[str] = []
    for rid in _unique(_xpath(_HEADER_IDS)(body)):
        part = document.part.related_parts.get(rid)
        if part is not None and hasattr(part, "element"):
            lines.extend(_block_lines(part.element))
    notes: list[str] = []
    markers: dict[tuple[str, str], str] = {}  # (kind, w:id) → "[1]", "[i]"
    for kind, numbering in (("footnote", _arabic), ("endnote", _roman)):
        part_name = f"word/{kind}s.xml"
        if part_name not in names:
            continue
        found = _notes(_read_member(archive, part_name), part_name)
        for n, (note_id, note_text) in enumerate(found, 1):
            markers[(kind, note_id)] = f"[{numbering(n)}]"
            notes.append(f"[{numbering(n)}] {note_text}")
    lines.extend(_block_lines(body, markers))
    if notes:
        lines.append("")
        lines.extend(notes)
    warnings: list[str] = []
    text = "\n".join(lines)
    if not text.strip():
        warnings.append("the document has no text")
    return ReadResult(text, "docx", None, tuple(warnings))


_Markers = dict[tuple[str, str], str]  # (kind, w:id) → "[1]", "[i]"


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except _ZIP_ERRORS as e:
        raise _Failure(f"corrupt .docx: cannot unpack {name} ({_one_line(e)}) — re-save it from Word") from None


def _block_lines(container, markers: _Markers | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """Lines of the paragraphs and tables directly inside a body, header or note.

    `markers` turns footnote and endnote references into the "[1]" / "[i]" that starts the
    note's own line at the end of the text (antiword writes .doc notes the same way).
    """
    markers = markers or {}
    lines = []
    for block in _xpath(_BLOCKS)(container):
        if block.tag == f"{{{_W}}}p":
            lines.append(_paragraph_text(block, markers))
            continue
        for row in _xpath(_ROWS)(block):
            cells = []
            for cell in _xpath(_CELLS)(row):
                paras = _xpath(_CELL_PARAGRAPHS)(cell)
                cell_text = " ".join(t for t in (_paragraph_text(p, markers).strip() for p in paras) if t)
                if cell_text:
                    cells.append(cell_text)
            if cells:
                lines.append(" | ".join(cells))
    return lines


def _paragraph_text(paragraph, markers: _Markers) -> str:  # type: ignore[no-untyped-def]
    parts: list[str] = []
    for node in _xpath(_INLINE)(paragraph):
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t":
            parts.append(node.text or "")
        elif tag == "tab":
            parts.append("\t")
        elif tag in ("br", "cr"):
            parts.append("\n")
        elif tag == "noBreakHyphen":
            parts.append("-")
        elif tag in ("footnoteReference", "endnoteReference"):
            parts.append(markers.get((tag[: -len("Reference")], node.get(f"{{{_W}}}id", "")), ""))
        else:  # a paragraph inside a text box
            parts.append("\n")
    return "".join(parts)


def _notes(xml: bytes, part_name: str) -> list[tuple[str, str]]:
    """(w:id, text) of each footnote or endnote, in the order of the part."""
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as e:
        raise _Failure(f"corrupt .docx: {part_name} is not well-formed XML ({_one_line(e)})") from None
    notes = []
    for note in _xpath(_NOTES)(root):
        if note.get(f"{{{_W}}}type") not in (None, "normal"):
            continue  # separators and continuation notices
        text = " ".join(t for t in (line.strip() for line in _block_lines(note)) if t)
        notes.append((note.get(f"{{{_W}}}id", ""), text))
    return notes


def _arabic(n: int) -> str:
    return str(n)


def _roman(n: int) -> str:
    """Word numbers endnotes i, ii, iii… by default."""
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, n = divmod(n, value)
        out += numeral * count
    return out


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())[:200] or type(e).__name__


# ---------------------------------------------------------------------------------------------
# .pdf
# ---------------------------------------------------------------------------------------------
_PDF_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe (pypdfium2's documentation)


def _read_pdf(data: bytes) -> ReadResult:
    """The text layer of every page, pages joined by form feeds ("\\f")."""
    with _PDFIUM_LOCK:
        return _read_pdf_unlocked(data)


def _read_pdf_unlocked(data: bytes) -> ReadResult:
    import pypdfium2 as pdfium

    try:
        # PDFium tries the empty user password itself, so PDFs "encrypted" only against
        # printing or copying open here.
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == _PDF_PASSWORD_ERROR:
            raise _Failure("encrypted PDF — remove the password and try again") from None
        if b"%%EOF" not in data[-2048:]:
            raise _Failure(
                "truncated PDF: no %%EOF marker at the end — the download or copy was cut short; "
                "get the file again"
            ) from None
        raise _Failure(f"corrupt PDF: {_one_line(e)} — open and re-save it, or export it again") from None
    try:
        pages: list[str] = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    except pdfium.PdfiumError as e:
        raise _Failure(f"corrupt PDF: {_one_line(e)} — open and re-save it, or export it again") from None
    finally:
        document.close()
    empty = [i + 1 for i, text in enumerate(pages) if not text.strip()]
    if len(empty) == len(pages):
        raise _Failure(
            "scanned PDF without a text layer — run OCR first (e.g. ocrmypdf) and ingest the result"
        )
    warnings = []
    if empty:
        shown = ", ".join(map(str, empty[:20])) + (" …" if len(empty) > 20 else "")
        warnings.append(f"pages without a text layer (scanned?): {shown} — OCR them to read everything")
    return ReadResult("\f".join(pages), "pdf", None, tuple(warnings))


# ---------------------------------------------------------------------------------------------
# .html
# ---------------------------------------------------------------------------------------------
_DROP = ("script", "style", "nav", "noscript", "template", "head", "svg", "iframe", "object")
_BLOCK_TAGS = [
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre",
    "section", "table", "tr", "ul", "caption", "title",
]
_CELL_TAGS = ("td", "th")
_PARAGRAPH, _LINE, _CELL = "\u2029", "\u2028", "\u241f"  # sentinels that survive whitespace folding
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_VOID_OR_OPTIONAL_END = frozenset(
    b"area base br col embed hr img input link meta param source track wbr p li dt dd tr td th "
    b"option optgroup tbody thead tfoot colgroup rt rp html head body".split()
)
_CHARSET_ALIASES = {"windows-1258": "cp1258", "x-cp1258": "cp1258"}
_WESTERN = frozenset({"iso-8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252", "us-ascii", "ascii"})


def _read_html(data: bytes) -> ReadResult:
    """Visible text: scripts, styles and navigation dropped, blocks and rows on lines of their own."""
    text, _encoding, warnings = _decode_html(data)
    depth = _nesting_depth(data)
    if depth > HTML_MAX_DEPTH:
        warnings.append(f"HTML nested {depth} levels deep; read as tagged text without a DOM")
        body = _html_text_without_dom(text)
    else:
        body = _html_text(text)
    return ReadResult(body, "html", None, tuple(warnings))


def _decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """Decode by BOM, else by <meta charset>, else by content.

    Old Vietnamese sites declared a Western charset and drew TCVN3 or VNI bytes with .VnTime or
    VNI-Times fonts, so a Western label on non-ASCII bytes is checked against the content.
    """
    declared = None
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        match = _META_CHARSET.search(data[:8192])
        if match:
            label = match.group(1).decode("ascii").lower()
            declared = _CHARSET_ALIASES.get(label, label)
    if declared and not (declared in _WESTERN and not data.isascii()):
        try:
            return data.decode(declared), declared, []
        except (LookupError, UnicodeDecodeError):
            pass  # wrong or unknown label: detect from the content instead
    try:
        decoded = decode_text(data)
    except UndecodableError as e:
        if declared in _WESTERN:
            return data.decode("cp1252", "replace"), "cp1252", []
        raise _Failure(str(e)) from None
    if decoded.encoding not in ("utf-8", "utf-16"):
        _refuse_mixed_encodings(data)
    warnings = list(decoded.warnings)
    if declared and declared != decoded.encoding:
        warnings.append(f"the page declares charset {declared} but reads as {decoded.encoding}")
    return decoded.text, decoded.encoding, warnings


def _nesting_depth(data: bytes) -> int:
    """Maximum element nesting, counting only elements whose end tag is required."""
    depth = deepest = 0
    for tag in _TAG.finditer(data):
        closing, name, self_closing = tag.groups()
        if self_closing or name.lower() in _VOID_OR_OPTIONAL_END:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _html_text(markup: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    for node in tree.css(", ".join(_DROP)):
        node.decompose()
    for node in tree.css(", ".join(_BLOCK_TAGS)):
        node.insert_before(_PARAGRAPH)
        node.insert_after(_PARAGRAPH)
    for node in tree.css("br"):
        node.insert_after(_LINE)
    for node in tree.css(", ".join(_CELL_TAGS)):
        node.insert_before(_CELL)
    root = tree.body or tree.root
    raw = root.text(deep=True, separator="") if root is not None else ""
    return _fold_html_whitespace(raw)


def _html_text_without_dom(markup: str) -> str:
    """Tag-stripping fallback for pathological HTML: linear time, no tree."""
    markup = re.sub(r"(?is)<(script|style|nav|noscript|template|head)\b.*?</\1\s*>", " ", markup)
    markup = re.sub(r"(?i)<br\b[^>]*>", _LINE, markup)
    markup = re.sub(r"(?i)</?(?:t[dh])\b[^>]*>", _CELL, markup)
    blocks = "|".join(_BLOCK_TAGS)
    markup = re.sub(rf"(?i)</?(?:{blocks})\b[^>]*>", _PARAGRAPH, markup)
    markup = re.sub(r"<[^>]*>", "", markup)
    return _fold_html_whitespace(html.unescape(markup))


def _fold_html_whitespace(raw: str) -> str:
    text = re.sub(r"[ \t\r\n\f]+", " ", raw)
    text = text.replace(_LINE, "\n").replace(_PARAGRAPH, "\n\n")
    lines = []
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split(_CELL)]
        lines.append(" | ".join(c for c in cells if c))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


# ---------------------------------------------------------------------------------------------
# .doc (Word 97-2003)
# ---------------------------------------------------------------------------------------------
def _read_doc(data: bytes, timeout: float, *, rtf: bool = False) -> ReadResult:
    """Convert with antiword, else with LibreOffice (which also reads RTF saved as .doc)."""
    if not rtf and "EncryptedPackage".encode("utf-16-le") in data:
        # Password-protected .docx files are OLE2 containers holding an "EncryptedPackage".
        raise _Failure("encrypted Word document — remove the password and try again")
    antiword = None if rtf else shutil.which("antiword")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not antiword and not soffice:
        if rtf:
            raise _Failure("this .doc is RTF, which needs LibreOffice — install the Debian package "
                           "libreoffice-writer-nogui")
        raise _Failure(
            "legacy .doc needs a converter and none is installed — install the Debian package "
            "antiword (or libreoffice-writer-nogui)"
        )
    with tempfile.TemporaryDirectory(prefix="kg-doc-") as tmp:
        source = Path(tmp, "input.rtf" if rtf else "input.doc")
        source.write_bytes(data)
        failures = ["the .doc is RTF"] if rtf else []
        if antiword:
            code, out, err = _run([antiword, "-m", "UTF-8.txt", "-w", "0", str(source)], timeout, tmp)
            if code == 0 and out.strip():
                return ReadResult(_compact_antiword_tables(out.decode("utf-8", "replace")), "doc", None)
            failures.append(f"antiword failed: {_stderr(err) or f'exit {code}'}")
        if soffice:
            profile = Path(tmp, "profile").as_uri()
            cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(Path(tmp, "out")), str(source)]
            code, _, err = _run(cmd, timeout, tmp)
            result = Path(tmp, "out", "input.txt")
            if code == 0 and result.exists():
                try:
                    text = decode_text(result.read_bytes()).text if result.stat().st_size else ""
                except UndecodableError as e:
                    raise _Failure(f"LibreOffice's conversion is unreadable: {e}") from None
                warnings = (f"{failures[0]}; converted with LibreOffice",) if failures else ()
                return ReadResult(text, "doc", None, warnings)
            failures.append(f"soffice failed: exit {code} {_stderr(err)}".strip())
    raise _Failure(
        f"corrupt or unsupported .doc ({'; '.join(failures)}) "
        "— open it in Word or LibreOffice and save as .docx"
    )


def _stderr(err: bytes) -> str:
    return " ".join(err.decode("utf-8", "replace").split())[:200]


def _compact_antiword_tables(text: str) -> str:
    """antiword pads table cells to fixed width ("|STT      |Nội dung   |"); write rows as
    "STT | Nội dung", the way .docx tables read."""
    lines = []
    for line in text.split("\n"):
        if line.startswith("|") and line.rstrip().endswith("|"):
            line = " | ".join(cell.strip() for cell in line.strip()[1:-1].split("|"))
        lines.append(line)
    return "\n".join(lines)


def _run(cmd: list[str], timeout: float, cwd: str) -> tuple[int, bytes, bytes]:
    """Run a converter in its own process group; kill the whole group on timeout."""
    process = subprocess.Popen(
        cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise _Failure(
            f"converting the .doc took longer than {timeout:g} s — convert it to .docx by hand "
            "or raise --timeout"
        ) from None
    except BaseException:  # interrupted (a file's time limit, Ctrl-C): never leave a converter behind
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    return process.returncode, out, err
