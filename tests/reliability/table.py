"""The table of docs/reliability.md, filled by the tests that try bad input, faults and attacks.

Each such test asks for the session fixture `reliability` and calls ``reliability.row(...)`` with
what it did and what happened. When the session ends the file is rewritten: the rows recorded in
this session replace the rows of the same section and case, rows of tests that did not run are kept
as they were, and times are rounded up to a coarse bound ("< 0.1 s", "< 2 s") so that a rerun on a
busier machine does not rewrite the file. ``KG_RELIABILITY_DOC`` names another file to write
(``-`` writes none).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
SECTIONS = (
    "Bad input: one `kg ingest` batch",
    "Crashes: `kg ingest` killed with SIGKILL",
    "Concurrent use",
    "`kg verify`: damage written straight into a store",
    "Hostile input: readers and parser",
    "Hostile input: SPARQL",
    "Hostile input: web uploads",
)
HEADER = "| Case | What was tried | What happened | Stored documents | Time |"
BOUNDS = (0.2, 5, 30, 120)
"""Wide bands, their edges away from the usual times (an error line: ms; a check or a kill: about
1 s; a big file or a batch: several seconds), so that a busier run falls in the same band."""
INTRO = """# Reliability: bad input, faults and attacks

Written by the test suite, not by hand: the tests in `tests/test_reliability_*.py`,
`tests/test_crash.py`, `tests/test_verify.py`, `tests/test_hostile_*.py` and
`tests/test_web_hostile.py` record a row for each thing they try, through the session fixture in
`tests/reliability/table.py`, and the file is rewritten when the session ends (`make test` or
`pytest`). Every row is an assertion that passed: the error line shown is the exact text the test
expected, and "Stored documents" is what the test checked in the store afterwards. Times are
wall-clock on the machine that ran the suite, rounded up to a coarse bound.
"""


def rounded(seconds: float) -> str:
    """A coarse upper bound, so the file does not change with the machine's load.

    >>> rounded(0.03), rounded(0.4), rounded(7.5), rounded(500)
    ('< 0.2 s', '< 5 s', '< 30 s', '> 120 s')
    """
    for bound in BOUNDS:
        if seconds < bound:
            return f"< {bound:g} s"
    return f"> {BOUNDS[-1]:g} s"


def cell(text: str) -> str:
    """Text as one Markdown table cell: one line, pipes escaped.

    >>> cell("a | b\\nc")
    'a \\\\| b c'
    """
    return " ".join(str(text).split()).replace("|", "\\|")


@dataclass(frozen=True, slots=True)
class Row:
    section: str
    case: str
    tried: str
    happened: str
    stored: str
    time: str

    def line(self) -> str:
        return "| " + " | ".join(cell(v) for v in (self.case, self.tried, self.happened, self.stored, self.time)) + " |"


class Table:
    """Rows recorded in this session, by (section, case)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Row] = {}

    def row(self, section: str, case: str, tried: str, happened: str, stored: str = "—",
            seconds: float | None = None) -> None:
        assert section in SECTIONS, section
        self.rows[(section, case)] = Row(section, case, tried, happened, stored,
                                         rounded(seconds) if seconds is not None else "—")

    def write(self, path: Path) -> None:
        if not self.rows:
            return
        merged = read_rows(path)
        for key, row in self.rows.items():
            merged[key[0]][cell(key[1])] = row.line()
        out = [INTRO]
        for section in SECTIONS:
            if merged[section]:
                out += [f"\n## {section}\n", HEADER, "|---|---|---|---|---|", *merged[section].values()]
        text = "\n".join(out) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


_ROW = re.compile(r"^\| ((?:[^|\\]|\\.)*?) \|")


def read_rows(path: Path) -> dict[str, dict[str, str]]:
    """Section → case → table line, in the file's order (empty sections when there is no file)."""
    out: dict[str, dict[str, str]] = {s: {} for s in SECTIONS}
    section = None
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip() if line[3:].strip() in out else None
        elif section and line.startswith("| ") and line != HEADER:
            m = _ROW.match(line)
            if m:
                out[section][m.group(1)] = line
    return out


TABLE = Table()


@pytest.fixture(scope="session")
def reliability():
    """The session's `Table`; written to docs/reliability.md when the session ends."""
    yield TABLE
    target = os.environ.get("KG_RELIABILITY_DOC", str(DOC))
    if target != "-":
        TABLE.write(Path(target))
