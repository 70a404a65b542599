"""Bad input through `kg ingest`: a catalogue of bad files made here, in one batch with good plans.

Each bad file must give one line "error: path: cause" while the good documents of the batch are
ingested and the documents stored before stay exactly as they were (issue 8). Every case is also
read alone, within the ingest's limits, to time it for docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability import bad_files as bad
from reliability.table import reliability  # noqa: F401  (the session fixture)

from kg import ids
from kg.cli import main
from kg.commands.ingest import LimitedExtract
from kg.errors import KGError
from loaders.encodings import encode_tcvn3
from loaders.read import BAD_NAME, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT

SECTION = "Bad input: one `kg ingest` batch"
KG = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"
ODD_NAME = "Kế hoạch số 12 (bản chính) #1 'x' ;&$ [a] {b} %20.txt"
LOOP_CAUSE = "symbolic link loop — point the link at a real file or remove it"


@dataclass(frozen=True)
class Case:
    name: str  # file name in the batch folder
    tried: str  # what the file is, for the table
    cause: str | None  # the exact cause after "path: ", or None when the file must be ingested
    data: bytes | None = None  # None: made by the test itself (links)


def cases(plans: list[str], pdf_text: bytes, docx: bytes) -> list[Case]:
    big = DEFAULT_MAX_BYTES + 100 * 1024
    return [
        Case("empty.txt", "empty file", "empty file", b""),
        Case("ảnh.txt", "binary file (PNG bytes) named .txt",
             "not a text file: binary content (NUL bytes) — convert it to .txt, .docx or .pdf",
             b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8),
        Case("latin1.txt", "invalid UTF-8 (Latin-1 German)",
             "invalid UTF-8 at byte offset 14 (0xFC) and not TCVN3, VNI or Windows-1258 Vietnamese either "
             "— re-save the file as UTF-8", "Hello world grüße aus München".encode("latin-1")),
        Case("mixed.txt", "mixed encodings: a UTF-8 plan continued in TCVN3",
             "mixed encodings: UTF-8 Vietnamese letters alongside bytes that are not UTF-8 (first at byte offset "
             "499, 0xAD) — re-save the whole file in one encoding, as UTF-8",
             plans[5][:400].encode("utf-8") + encode_tcvn3(plans[5][400:])),
        Case("not a zip.docx", "corrupt .docx: not a zip",
             "corrupt .docx: not a zip archive — re-save it from Word or LibreOffice", b"PK\x03\x04 not really"),
        Case("half.docx", "corrupt .docx: a real one cut in half",
             "corrupt .docx: not a zip archive — re-save it from Word or LibreOffice", docx[: len(docx) // 2]),
        Case("no document.docx", "corrupt .docx: a zip without word/document.xml",
             "corrupt .docx: missing word/document.xml (not a Word document) — re-save it from Word or "
             "LibreOffice as .docx", bad.zip_without_document()),
        Case("bomb.docx", "zip bomb: 1 MB .docx whose document.xml unpacks to 250 MB",
             "refusing .docx: its parts unpack to 250 MB, over the 200 MB safety limit (a zip bomb?) — re-save "
             "the document without embedded media", bad.docx_bomb(250)),
        Case("small bomb.docx", "zip bomb under the size limit: 30 MB of zeros from 134 KB",
             "refusing .docx: word/document.xml would unpack 229× (30 MB from 134 KB; a zip bomb?) — re-save the "
             "document from Word or LibreOffice", bad.docx_bomb(30)),
        Case("mật.pdf", "encrypted PDF (user password)",
             "encrypted PDF — remove the password and try again", bad.encrypted_pdf(pdf_text)),
        Case("scan.pdf", "image-only PDF (two scanned pages)",
             "scanned PDF without a text layer — run OCR first (e.g. ocrmypdf) and ingest the result",
             bad.scanned_pdf()),
        Case("cut.pdf", "truncated PDF (first half of a valid one)",
             "truncated PDF: no %%EOF marker at the end — the download or copy was cut short; get the file again",
             pdf_text[: len(pdf_text) // 2]),
        Case("deep.html", "HTML nested 100,000 <div> deep around a plan", None,
             bad.nested_html(100_000, plans[2].replace("\n", "<br>"))),
        Case("enormous.html", "enormous HTML: 21 MB, a million empty elements, then a plan", None,
             bad.enormous_html(plans[3], 1_000_000)),
        Case("lớn.txt", "50 MB text file (a plan, then prose)",
             f"file is 50.1 MB, over the {DEFAULT_MAX_BYTES // bad.MB} MB limit — raise --max-size (or KG_MAX_SIZE) "
             "or split the file", bad.big_text(plans[4], big)),
        Case(ODD_NAME, "file name with spaces, Vietnamese letters, quotes, ; & $ [ ] { } %", None,
             plans[1].encode("utf-8")),
        Case(os.fsdecode(b"k\xe9 ho\xb9ch.txt"), "file name that is not UTF-8 (Windows-1258 bytes)", BAD_NAME,
             plans[2].encode("utf-8")),
        Case("loop.txt", "symbolic link to itself", LOOP_CAUSE),
        Case("ping.txt", "two symbolic links pointing at each other", LOOP_CAUSE),
        Case("pong.txt", "(the other link of the pair)", LOOP_CAUSE),
        Case("sub/up", "symbolic link to its own parent folder (a folder loop)", None),
        Case("ghost.txt", "symbolic link to a missing file", "file not found — check the path"),
    ]


def make(batch: Path, case: Case) -> Path:
    path = batch / case.name
    path.parent.mkdir(parents=True, exist_ok=True)
    links = {"loop.txt": "loop.txt", "ping.txt": "pong.txt", "pong.txt": "ping.txt", "sub/up": "..",
             "ghost.txt": "gone.txt"}
    if case.name in links:
        os.symlink(links[case.name], path)
    else:
        path.write_bytes(case.data or b"")
    return path


def printable(path: Path) -> str:
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def stored(store_path: Path) -> tuple[dict[str, str], list[str]]:
    """Source path → graph IRI of every stored document, and the store's quads."""
    from kg.store import EmbeddedStore

    store = EmbeddedStore(store_path, read_only=True)
    try:
        rows = store.select(KG + "SELECT ?g ?path WHERE { GRAPH ?g { ?g kg:graphOf ?src ; kg:sourcePath ?path } }")
        quads = sorted(line for chunk in store.dump_nquads() for line in chunk.splitlines() if line)
    finally:
        store.close()
    return {r["path"]: r["g"] for r in rows}, quads


def errors(stderr: str) -> dict[str, str]:
    lines = [line.removeprefix("error: ") for line in stderr.splitlines() if line.startswith("error: ")]
    out = {}
    for line in lines:
        path, _, cause = line.partition(": ")
        out[path] = cause
    assert len(out) == len(lines), lines
    return out


def test_a_batch_of_bad_files_fails_one_line_each_and_keeps_the_store(tmp_path, reliability):  # noqa: F811
    plans = bad.plans(8)
    pdf_text = bad.text_pdf(["KE HOACH so 12/KH-UBND", "Thuc hien Chi thi so 33/CT-TTg ngay 26/11/2021"])
    store = tmp_path / "kg-store"
    runner = CliRunner()
    before = tmp_path / "before" / "đã lưu.txt"
    before.parent.mkdir()
    before.write_text(plans[0], encoding="utf-8")
    first = runner.invoke(main, ["ingest", "--store", str(store), "--lang", "en", str(before)])
    assert first.exit_code == 0, first.output
    docs_before, quads_before = stored(store)
    assert list(docs_before) == [str(before.resolve())]
    kept_graph = f"<{ids.graph_iri(str(before))}> ."
    kept = [q for q in quads_before if q.endswith(kept_graph)]

    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "tốt.txt").write_text(plans[6], encoding="utf-8")
    catalogue = cases(plans, pdf_text, bad.docx(plans[7]))
    for case in catalogue:
        make(batch, case)
    good = [batch / "tốt.txt", *(batch / c.name for c in catalogue if c.cause is None and c.data is not None)]

    start = time.perf_counter()
    result = runner.invoke(main, ["ingest", "--store", str(store), "--lang", "en", str(batch)])
    batch_seconds = time.perf_counter() - start
    assert result.exit_code == 1, result.output
    expected = {printable(batch / c.name): c.cause for c in catalogue if c.cause is not None}
    assert errors(result.stderr) == expected
    assert result.stdout.startswith(f"Documents: {len(good)} added, 0 replaced, 0 unchanged, {len(expected)} failed; ")

    docs_after, quads_after = stored(store)
    assert sorted(docs_after) == sorted([str(before.resolve()), *(str(p.resolve()) for p in good)])
    assert [q for q in quads_after if q.endswith(kept_graph)] == kept  # untouched, quad for quad
    verify = runner.invoke(main, ["verify", "--store", str(store), "--lang", "en", "--no-shapes"])
    assert verify.exit_code == 0, verify.output

    kept_note = f"{len(docs_before)} of {len(docs_before)} kept unchanged; the batch went on"
    limits = LimitedExtract(max_bytes=DEFAULT_MAX_BYTES, timeout=DEFAULT_TIMEOUT)
    for case in catalogue:
        path = batch / case.name
        start = time.perf_counter()
        with contextlib.suppress(KGError, OSError):
            limits(str(path))
        seconds = time.perf_counter() - start
        if case.cause is not None:
            happened = f"error: {printable(path.relative_to(tmp_path))}: {case.cause}"
        elif case.name == "sub/up":
            happened = "not followed (symlinked folders are not walked): every file read once"
        else:
            happened = "ingested" + (" (read as tagged text without a DOM)" if case.name == "deep.html" else "")
        reliability.row(SECTION, printable(Path(case.name)), case.tried, happened,
                        kept_note if case.cause else f"added; {kept_note}", seconds)
    reliability.row(SECTION, "(whole batch)", f"{len(catalogue)} bad or odd files and {len(good)} good ones in one "
                    "folder", f"exit status 1; {len(expected)} error lines, one per bad file; summary line "
                    f"'{len(good)} added … {len(expected)} failed'; `kg verify` clean",
                    f"{len(docs_before)} of {len(docs_before)} kept unchanged; {len(good)} added", batch_seconds)


@pytest.mark.slow
def test_the_50_mb_file_is_read_when_the_limit_is_raised(tmp_path, reliability):  # noqa: F811
    plans = bad.plans(5)
    big = bad.write(tmp_path, "lớn.txt", bad.big_text(plans[4], DEFAULT_MAX_BYTES + 100 * 1024))
    store = str(tmp_path / "kg-store")
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["ingest", "--store", store, "--lang", "en", "--max-size", "60MB", str(big)])
    seconds = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Documents: 1 added, 0 replaced, 0 unchanged, 0 failed; ")
    assert list(stored(Path(store))[0]) == [str(big.resolve())]
    reliability.row(SECTION, "lớn.txt with --max-size 60MB", "the same 50 MB text file, limit raised",
                    "ingested", "1 document added", seconds)


def test_a_file_name_with_a_newline_still_gives_one_error_line(tmp_path, reliability):  # noqa: F811
    (tmp_path / "rỗng\nmới.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["ingest", "--store", str(tmp_path / "s"), "--lang", "en", str(tmp_path)])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "rỗng\\nmới.txt: " in result.stderr  # the newline shown escaped
    reliability.row(SECTION, "rỗng\\nmới.txt", "an empty file whose name holds a newline",
                    "one error line, the newline shown escaped: 'rỗng\\nmới.txt: empty file'", "—")
