"""Hostile input to the readers and the parser: whatever the bytes, `read_file` and `extract_file`
give a result or the project's own error (never another exception), and time grows linearly.

tests/test_read.py fuzzes `read_bytes` with magic prefixes; here real files are damaged instead
(bytes overwritten, cut short, repeated) so the fuzzing reaches deep into each format, and the
whole path from file to Document runs."""

from __future__ import annotations

import functools
import tempfile
import time
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linear import assert_linear
from reliability import bad_files as bad
from reliability.table import reliability  # noqa: F401  (the session fixture)

from kg.errors import KGError, ReadError
from loaders import extract_file, extract_text
from loaders import read as read_module
from loaders.encodings import encode_tcvn3, encode_vni
from loaders.read import SUPPORTED_SUFFIXES, read_bytes, read_file

SECTION = "Hostile input: readers and parser"
SUFFIXES = (*SUPPORTED_SUFFIXES, ".rtf", ".bin", "")
EXAMPLES = 150
_RUNS: dict[str, int] = {}


@functools.cache
def samples() -> dict[str, bytes]:
    """One valid file per format, the seeds the fuzzer damages."""
    plan = bad.plans(1)[0]
    ascii_lines = ["KE HOACH so 12/KH-UBND", "Thuc hien Chi thi so 33/CT-TTg ngay 26/11/2021 cua Thu tuong"]
    return {
        ".txt": plan.encode("utf-8"),
        ".md": ("# " + plan).encode("utf-8"),
        ".docx": bad.docx(plan[:3000]),
        ".pdf": bad.text_pdf(ascii_lines),
        ".html": ("<!DOCTYPE html><html><body><p>" + plan[:3000].replace("\n", "</p><p>")
                  + "</p></body></html>").encode(),
        ".htm": b"<html><body><table><tr><td>STT</td><td>N\xe1\xbb\x99i dung</td></tr></table></body></html>",
        ".doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + plan[:500].encode("utf-16-le"),
        ".rtf": b"{\\rtf1\\ansi K\\'ea ho\\'e1ch s\\'f4 12}",
        ".bin": encode_tcvn3(plan[:2000]),
        "": encode_vni(plan[:2000]),
    }


@st.composite
def damaged(draw) -> tuple[str, bytes]:
    """A valid sample of some format, then damaged: overwritten, cut, spliced or repeated."""
    suffix = draw(st.sampled_from(SUFFIXES))
    data = bytearray(samples()[suffix])
    for _ in range(draw(st.integers(0, 4))):
        how = draw(st.sampled_from(["overwrite", "cut", "insert", "repeat"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=64))
            data[at:at + len(chunk)] = chunk
        elif how == "cut":
            del data[at:at + draw(st.integers(1, max(len(data) // 2, 1)))]
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=256))
        else:
            data[at:at] = data[at:at + 200] * draw(st.integers(2, 50))
    return draw(st.sampled_from([suffix, *SUFFIXES])), bytes(data)


def no_converters():
    """Hide antiword and LibreOffice: an OLE2 input would start them (seconds each)."""
    return mock.patch.object(read_module.shutil, "which", return_value=None)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=damaged())
def test_a_damaged_file_gives_a_document_or_the_projects_error(case):
    suffix, data = case
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, no_converters():
        path = Path(tmp, f"damaged{suffix}")
        path.write_bytes(data)
        try:
            doc = extract_file(path)
        except KGError as e:  # ReadError or ParseError
            assert "\n" not in str(e) and str(e).startswith(str(path)), str(e)
        else:
            assert isinstance(doc.text, str)
    assert time.perf_counter() - start < 20  # a hang would be stopped by the time limit in `kg ingest`
    _RUNS["damaged"] = _RUNS.get("damaged", 0) + 1


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_under_every_suffix_through_read_file(data, suffix):
    with tempfile.TemporaryDirectory() as tmp, no_converters():
        path = Path(tmp, f"random{suffix}")
        path.write_bytes(data)
        try:
            result = read_file(path)
        except ReadError as e:
            assert "\n" not in str(e)
        else:
            assert result.format in ("txt", "md", "docx", "pdf", "html", "doc")
    _RUNS["random"] = _RUNS.get("random", 0) + 1


@settings(max_examples=EXAMPLES, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=3000))
def test_extract_text_takes_any_text(text):
    try:
        doc = extract_text(text, "fuzz.txt")
    except KGError as e:
        assert "\n" not in str(e)
    else:
        assert all(0 <= s.start <= s.end <= len(doc.text) for r in doc.refs for s in r.spans)
    _RUNS["text"] = _RUNS.get("text", 0) + 1


def test_the_fuzzers_ran_and_are_recorded(reliability):  # noqa: F811
    """Runs after the three properties above (file order): they ran in full, and go in the table."""
    if len(_RUNS) < 3:
        pytest.skip("run with the property tests above to record them")
    assert min(_RUNS.values()) >= EXAMPLES  # hypothesis replays failures first: at least the asked number
    reliability.row(SECTION, "damaged files", f"{EXAMPLES}+ valid .txt/.md/.docx/.pdf/.html/.doc/.rtf files "
                    "overwritten, cut, spliced and repeated (hypothesis), under every suffix, through extract_file",
                    "a Document or one-line ReadError/ParseError naming the file; nothing else escaped", "—")
    reliability.row(SECTION, "random bytes", f"{EXAMPLES}+ random byte strings under each of {len(SUFFIXES)} suffixes, "
                    "through read_file", "a result or a one-line ReadError; nothing else escaped", "—")
    reliability.row(SECTION, "random text", f"{EXAMPLES}+ random Unicode texts through extract_text",
                    "a Document, every span inside the text; nothing escaped", "—")


# --- linear time -------------------------------------------------------------------------------

def _grown(kind: str, k: int) -> tuple[str, bytes]:
    plan = bad.plans(1)[0]
    if kind == "txt":
        return ".txt", (plan * k).encode("utf-8")
    if kind == "html":
        return ".html", ("<html><body>" + "".join(f"<p>{line}</p>" for line in (plan * k).splitlines())
                         + "</body></html>").encode()
    if kind == "deep html":
        return ".html", bad.nested_html(6000 * k, "Kế hoạch")
    if kind == "docx":
        return ".docx", bad.docx(plan * k)
    if kind == "pdf":
        return ".pdf", bad.pdf([b"BT /F1 11 Tf 50 800 Td (KE HOACH so 12/KH-UBND) Tj ET"] * (4 * k))
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["txt", "html", "deep html", "docx", "pdf"])
def test_reading_time_grows_linearly(kind, reliability):  # noqa: F811
    inputs = {k: _grown(kind, k) for k in (1, 8)}
    assert_linear(lambda k: read_bytes(inputs[k][1], name=f"x{inputs[k][0]}"), factor=8)
    reliability.row(SECTION, f"linear time: {kind}", f"reading a {kind} file 8× larger",
                    "CPU time at most ~2×8 that of the small one (tests/linear.py)", "—")


def test_parsing_time_grows_linearly_on_hostile_text(reliability):  # noqa: F811
    hostile = "Căn cứ Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ; số số số ((( 1/1/1/ "
    assert_linear(lambda k: extract_text(hostile * 300 * k, "x.txt"), factor=8)
    reliability.row(SECTION, "linear time: parser", "dense references, runs of 'số', unclosed brackets, 8× longer",
                    "CPU time at most ~2×8 that of the short text", "—")


# --- regressions found by the catalogue ---------------------------------------------------------

def test_mixed_encodings_are_refused_not_stored_as_mojibake():
    plan = bad.plans(1)[0]
    for data in (plan[:400].encode("utf-8") + encode_tcvn3(plan[400:]),
                 encode_vni(plan[:400]) + plan[400:].encode("utf-8")):
        with pytest.raises(ReadError, match=r"^m\.txt: mixed encodings: UTF-8 Vietnamese letters alongside bytes "):
            read_bytes(data, name="m.txt")
    assert read_bytes(encode_tcvn3(plan), name="t.txt").encoding == "tcvn3"  # one legacy encoding still reads
    assert read_bytes(encode_vni(plan), name="v.txt").encoding == "vni"


def test_a_docx_bomb_under_the_size_limit_is_refused_by_its_ratio():
    data = bad.docx_bomb(30)
    start = time.process_time()
    with pytest.raises(ReadError, match=r"word/document\.xml would unpack \d+× \(30 MB from \d+ KB; a zip bomb\?\)"):
        read_bytes(data, name="b.docx")
    assert time.process_time() - start < 1  # refused from the zip directory: nothing unpacked
