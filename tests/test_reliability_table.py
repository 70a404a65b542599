"""The writer of docs/reliability.md: rows recorded in a session replace their own rows only, in a
stable order, one table line each; times rounded so reruns do not rewrite the file."""

from __future__ import annotations

from reliability.table import HEADER, SECTIONS, Table, read_rows, rounded

A, B = SECTIONS[0], SECTIONS[3]


def test_rows_merge_by_section_and_case(tmp_path):
    path = tmp_path / "reliability.md"
    first = Table()
    first.row(A, "empty.txt", "empty file", "error: empty file", "kept", 0.03)
    first.row(A, "a | b.txt", "a pipe\nin a name", "error", "kept", 0.7)
    first.row(B, "clean store", "kg verify", "exit 0", "2 of 2")
    first.write(path)
    text = path.read_text(encoding="utf-8")
    assert text.count(HEADER) == 2 and text.index(f"## {A}") < text.index(f"## {B}")
    assert "| a \\| b.txt | a pipe in a name | error | kept | < 5 s |" in text

    second = Table()  # a later session that ran only one test
    second.row(A, "empty.txt", "empty file", "error: empty file (reworded)", "kept", 0.04)
    second.row(A, "new.txt", "new case", "ingested", "added", 3)
    second.write(path)
    rows = read_rows(path)
    assert list(rows[A]) == ["empty.txt", "a \\| b.txt", "new.txt"]  # replaced in place, new ones last
    assert "(reworded)" in rows[A]["empty.txt"] and "< 5 s" in rows[A]["new.txt"]
    assert list(rows[B]) == ["clean store"]  # a section not run this time is kept as it was

    before = path.stat().st_mtime_ns
    again = Table()
    again.row(A, "new.txt", "new case", "ingested", "added", 4.5)  # slower, same band: the file is not rewritten
    again.write(path)
    assert path.stat().st_mtime_ns == before


def test_rounding_bounds():
    assert [rounded(s) for s in (0.0, 0.199, 0.2, 4.9, 5, 29, 119, 121)] == [
        "< 0.2 s", "< 0.2 s", "< 5 s", "< 5 s", "< 30 s", "< 30 s", "< 120 s", "> 120 s"]
