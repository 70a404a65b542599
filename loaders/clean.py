"""Clean decoded text for parsing, keeping a map back to the original offsets.

What real PDF/Word text needs (each step cites the damage it repairs):
- decomposed (NFD) diacritics → NFC (two seeds contain "nhâṇ", "vâṇ" written with combining marks);
- CRLF line endings;
- web addresses: blanked so nothing inside them is read as a reference;
- page numbers and running headers / gazette stamps alone on a line: blanked;
- letter-spaced header text ("U B ND", "K Ế  H O Ạ C H"): joined;
- footnotes: a footnote area (after a rule of spaces or underscores at the page bottom, up to the
  next page) is cut out of the body and appended after it, its pieces joined, so body sentences and
  footnote sentences each read continuously; "[1]"-style markers inside body text are blanked.

Most steps replace characters by spaces of the same length, so offsets only move where NFC
composes characters or where footnotes are moved; `OffsetMap` records exactly those places.

>>> c = clean_text("Chi\\u0309 thi\\u0323 số 33/CT-TTg")
>>> c.text
'Chỉ thị số 33/CT-TTg'
>>> c.to_original(c.text.index("33"))
13
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache


@dataclass(slots=True)
class OffsetMap:
    """Piecewise map from cleaned offsets to original offsets.

    Each piece is (clean_start, orig_start, length_in_clean, length_in_orig). Inside a piece whose
    two lengths agree the map is a shift; otherwise every clean offset maps to the piece start.
    """

    clean_starts: list[int] = field(default_factory=list)
    pieces: list[tuple[int, int, int, int]] = field(default_factory=list)

    def add(self, clean_start: int, orig_start: int, clean_len: int, orig_len: int) -> None:
        if clean_len <= 0:
            return
        if self.pieces:
            cs, os_, cl, ol = self.pieces[-1]
            if cl == ol and clean_len == orig_len and cs + cl == clean_start and os_ + ol == orig_start:
                self.pieces[-1] = (cs, os_, cl + clean_len, ol + orig_len)
                return
        self.clean_starts.append(clean_start)
        self.pieces.append((clean_start, orig_start, clean_len, orig_len))

    def __call__(self, pos: int) -> int:
        pieces = self.pieces
        if len(pieces) == 1:  # most texts: one piece, the identity or a shift (no bisect)
            cs, os_, cl, ol = pieces[0]
            if pos < cs:
                return os_
            if pos >= cs + cl:
                return os_ + ol
            return os_ + (pos - cs) if cl == ol else os_
        if not pieces:
            return pos
        i = bisect.bisect_right(self.clean_starts, pos) - 1
        if i < 0:
            return self.pieces[0][1]
        cs, os_, cl, ol = self.pieces[i]
        if pos >= cs + cl:  # at or past the end of the piece
            return os_ + ol
        return os_ + (pos - cs) if cl == ol else os_

    def compose(self, inner: OffsetMap) -> OffsetMap:
        """A map that applies `self` then `inner` (inner maps self's original to the true original)."""
        out = OffsetMap()
        for cs, os_, cl, ol in self.pieces:
            if cl == ol:
                # split at inner's piece boundaries so shifts stay exact
                pos = 0
                while pos < cl:
                    o = os_ + pos
                    j = bisect.bisect_right(inner.clean_starts, o) - 1
                    if j < 0 or not inner.pieces:
                        out.add(cs + pos, o, cl - pos, cl - pos)
                        break
                    ics, ios, icl, iol = inner.pieces[j]
                    end = min(cl, pos + (ics + icl - o)) if o < ics + icl else cl
                    n = max(1, end - pos)
                    if icl == iol:
                        out.add(cs + pos, ios + (o - ics), n, n)
                    else:
                        out.add(cs + pos, ios, n, iol)
                    pos += n
            else:
                start = inner(os_)
                out.add(cs, start, cl, max(1, inner(os_ + ol) - start))
        return out


@dataclass(slots=True)
class Cleaned:
    """Cleaned text, the map back to the original, and where footnote text sits in `text`."""

    text: str
    offsets: OffsetMap
    footnote_start: int  # offset in `text` where moved footnote text begins (len(text) if none)
    original_length: int

    def to_original(self, pos: int) -> int:
        return self.offsets(pos)

    def in_footnote(self, pos: int) -> bool:
        return pos >= self.footnote_start


# --- NFC with offsets --------------------------------------------------------------------------

_COMBINING_RUN = re.compile(r"[^\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff][\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]+")
# The marks alone: a pattern that opens with one class of rare characters is scanned for them by
# `re`, where `_COMBINING_RUN` (opening with "any other character") is tried at every position.
# Written "[…][…]*", not "[…]+": a repeat first gets no such scan (45 µs against 110 µs for 9 kB).
_MARK_RUN = re.compile(r"[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff][\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]*")


def nfc_with_map(text: str) -> tuple[str, OffsetMap]:
    """NFC-normalise, mapping each output character back to its source cluster.

    Same result as `_nfc_with_map_reference` (kept for the tests), faster: whether the text is
    already NFC is asked block by block (see `_is_nfc`), and clusters are found from their marks.
    """
    if _is_nfc(text) or not _ANY_COMBINING.search(text):
        return text, _identity_map(len(text))
    return _nfc_pieces(text)


def _is_nfc(text: str, block: int = 2000) -> bool:
    """`unicodedata.is_normalized("NFC", text)`, asked of blocks of ~2 kB cut before a newline.

    A newline neither composes nor reorders with anything, so NFC(a + "\n" + b) is
    NFC(a) + "\n" + NFC(b) and the text is NFC exactly when every block is. The answer costs
    the same for an NFC text (a quick check of every character); for a text with marks (PDF text
    in NFD), `is_normalized` normalizes all of it to say no (~0.5 ms for 10 kB), a block only the
    first block that has a mark.
    """
    n = len(text)
    if n <= block:
        return unicodedata.is_normalized("NFC", text)
    start = 0
    while start < n:
        cut = text.find("\n", start + block)
        if cut < 0:
            cut = n
        if not unicodedata.is_normalized("NFC", text[start:cut]):
            return False
        start = cut
    return True


def _identity_map(n: int) -> OffsetMap:
    omap = OffsetMap()
    omap.add(0, 0, n, n)
    return omap


def _nfc_pieces(text: str) -> tuple[str, OffsetMap]:
    """NFC piece by piece (text between clusters, and each base character with its marks) and the
    map: what `_nfc_with_map_reference` does, each run of marks found by a scan for the marks."""
    omap = OffsetMap()
    out: list[str] = []
    pos = 0
    clean_pos = 0
    normalize = unicodedata.normalize
    for m in _MARK_RUN.finditer(text):
        start = m.start() - 1  # the base character: whatever precedes the marks (a run is maximal)
        if start < 0:
            continue  # marks at the very start have no base: they stay in the first chunk
        end = m.end()
        if start > pos:
            chunk = normalize("NFC", text[pos:start])
            omap.add(clean_pos, pos, len(chunk), start - pos)
            out.append(chunk)
            clean_pos += len(chunk)
        cluster = normalize("NFC", text[start:end])
        omap.add(clean_pos, start, len(cluster), end - start)
        out.append(cluster)
        clean_pos += len(cluster)
        pos = end
    if pos < len(text):
        chunk = normalize("NFC", text[pos:])
        omap.add(clean_pos, pos, len(chunk), len(text) - pos)
        out.append(chunk)
    return "".join(out), omap


def _nfc_with_map_reference(text: str) -> tuple[str, OffsetMap]:
    """The plain version of `nfc_with_map` (one regex for base and marks): the tests' reference."""
    omap = OffsetMap()
    if not _ANY_COMBINING.search(text) or unicodedata.is_normalized("NFC", text):
        omap.add(0, 0, len(text), len(text))
        return text, omap
    out: list[str] = []
    pos = 0
    clean_pos = 0
    for m in _COMBINING_RUN.finditer(text):
        if m.start() > pos:
            chunk = unicodedata.normalize("NFC", text[pos : m.start()])
            omap.add(clean_pos, pos, len(chunk), m.start() - pos)
            out.append(chunk)
            clean_pos += len(chunk)
        cluster = unicodedata.normalize("NFC", m.group())
        omap.add(clean_pos, m.start(), len(cluster), m.end() - m.start())
        out.append(cluster)
        clean_pos += len(cluster)
        pos = m.end()
    if pos < len(text):
        chunk = unicodedata.normalize("NFC", text[pos:])
        omap.add(clean_pos, pos, len(chunk), len(text) - pos)
        out.append(chunk)
    return "".join(out), omap


# --- same-length blanking ----------------------------------------------------------------------

_URL = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^\s<>\"”]+")
# Line patterns start with the newline before the line rather than `(?m)^`: a literal first
# character lets `re` skip ahead to the next line, where `^` is tried at every position (3× slower).
# The text is searched with a newline in front, so the first line is a line like the others.
_PAGE_NUMBER_LINE = re.compile(r"\n[ \t]*(?:[-–]\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–])?"
                               r"[ \t]*(?=\n|\Z)")
_GAZETTE_STAMP = re.compile(r"(?m)^[ \t]*CÔNG BÁO\s*/\s*Số[^\n]{0,60}$")
_BRACKET_MARKER = re.compile(r"(?<=\S)\[\d{1,3}\]")
# Checked for what precedes it in `_join_letter_spaced` (a leading look-behind would make the
# pattern test every position of the text instead of only capital letters).
_UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
_LETTER_SPACED = re.compile(
    rf"[{_UPPER}](?: {{1,3}}[{_UPPER}]{{1,3}}){{2,}}(?![^\s,.;:)\"”])(?P<rest>[^\n]*)"
)
_ANY_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u1100-\u11ff]")


_NOT_NEWLINE = re.compile(r"[^\n]")
# Where a web address can start: before "://" (http, https) and before "ww." in any case (www.).
_URL_TAILS = (("://", (5, 4)), ("ww.", (1,)), ("wW.", (1,)), ("Ww.", (1,)), ("WW.", (1,)))


def _blank_urls(text: str) -> str:
    """`_URL.sub(_spaces, text)`, the pattern tried only where an address can start: its own scan
    stops at every "h" and "w" of the text (~200 µs for a 12 kB plan, against ~25 µs)."""
    starts: list[int] = []
    for tail, backs in _URL_TAILS:
        i = text.find(tail)
        while i >= 0:
            starts.extend(i - b for b in backs if i >= b)
            i = text.find(tail, i + 1)
    parts: list[str] = []
    pos = last = 0
    for i in sorted(starts):
        if i < pos:
            continue  # inside the previous address, as sub would skip it
        m = _URL.match(text, i)
        if m is not None:
            parts += [text[last:i], _spaces(m)]
            last = pos = m.end()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _blank(s: str) -> str:
    """`_NOT_NEWLINE.sub(" ", s)` without a regex match per character (~20× faster on a
    footnote area)."""
    if "\n" not in s:
        return " " * len(s)
    return "\n".join(" " * len(line) for line in s.split("\n"))


def _spaces(m: re.Match[str]) -> str:
    return _blank(m.group())


@cache
def _spaced_words() -> dict[str, str]:
    """Kind words in capitals by their letters alone: "KẾHOẠCH" → "KẾ HOẠCH"."""
    from loaders.references import kinds

    words = {k.type.upper() for k in kinds()} | {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN"}
    return {w.replace(" ", ""): w for w in words}


def _join_letter_spaced(m: re.Match[str]) -> str:
    """"U B ND TỈNH TÂY NINH" → "UBND TỈNH TÂY NINH  ", "K Ế  H O Ạ C H" → "KẾ HOẠCH": the freed
    spaces go to the line's end, so the line keeps its length (offsets stay exact after it)."""
    s = m.group()
    rest = m.group("rest")
    spaced = s[: len(s) - len(rest)]
    if not spaced.isupper() or (m.start() > 0 and m.string[m.start() - 1] not in " \t\n(\"“"):
        return s
    if not re.search(r"(?:^| )[A-ZĐÀ-Ỹ] [A-ZĐÀ-Ỹ](?: |$)", spaced):  # no run of single letters: normal words
        return s
    joined = " ".join(w.replace(" ", "") for w in re.split(r" {2,}", spaced))
    joined = _spaced_words().get(joined.replace(" ", ""), joined)
    return joined + rest + " " * (len(spaced) - len(joined))


def _repeated_lines(text: str) -> set[str]:
    """Lines that recur on many pages: running headers and footers."""
    pages = text.split("\f")
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for page in pages:
        lines = [ln.strip() for ln in page.strip("\n").split("\n")]
        for ln in {*(lines[:2]), *(lines[-2:])}:
            if 4 <= len(ln) <= 120:
                counts[ln] = counts.get(ln, 0) + 1
    return {ln for ln, n in counts.items() if n >= max(3, len(pages) // 2)}


# --- footnotes ---------------------------------------------------------------------------------

# A footnote rule: a line of only spaces (≥ 20) or underscores/dashes (≥ 10) in PDF text.
_RULE = re.compile(r"\n(?:[ \t]{20,}|[ \t]*[_\u2014\u2500-]{10,}[ \t]*)(?=\n|\Z)")  # searched in "\n" + text
# A new page in text extracted from PDF: a form feed, or (pdftotext-like layouts) a line that
# starts with exactly one space followed by a body paragraph ("\n 2. Thực hiện …").
_PAGE_START = re.compile(r"\f|\n (?=[^\s])")
# Footnotes gathered at the end, one per line behind "[1]" (our .docx reader writes them so).
_END_NOTES = re.compile(r"(?m)^\[\d{1,3}\][ \t]")


def _footnote_ranges(text: str) -> list[tuple[int, int, int]]:
    """(area start, note text start, area end) of each footnote area."""
    ranges: list[tuple[int, int, int]] = []
    pos = 0
    nl_text = "\n" + text  # offsets in it are one more than in text
    while True:
        rule = _RULE.search(nl_text, pos)
        if not rule:
            break
        rule_start, rule_end = rule.start(), rule.end() - 1  # the rule line in text, as `(?m)^…$` found it
        nxt = _PAGE_START.search(text, rule_end)
        end = nxt.start() + (1 if nxt and nxt.group() != "\f" else 0) if nxt else len(text)
        body = text[rule_end:end]
        if body.strip():
            ranges.append((rule_start, rule_end + 1, end))
        pos = max(end, rule_end)
    m = _END_NOTES.search(text) if "[" in text else None
    if m and not any(s <= m.start() < e for s, _, e in ranges):
        # only a trailing block counts: every later non-empty line is a note or its continuation
        ranges.append((m.start(), m.start(), len(text)))
    return ranges


# --- the cleaner -------------------------------------------------------------------------------


_SUPERSCRIPTS = "\u00b2\u00b3\u00b9" + "".join(map(chr, range(0x2070, 0x207A)))
_SUPERSCRIPT_TO_SPACE = {ord(c): " " for c in _SUPERSCRIPTS}


def clean_text(original: str) -> Cleaned:
    """Clean `original` (decoded text) for parsing; see the module docstring."""
    text, nfc_map = nfc_with_map(original)
    blanked = text.replace("\r", " ")
    # a literal is looked for only if a rare character of it occurs (a one-character scan is ~20×
    # faster than a scan for several characters)
    if "://" in blanked or ("w" in blanked and "www." in blanked) or "WWW." in blanked:
        blanked = _blank_urls(blanked)
    blanked = _PAGE_NUMBER_LINE.sub(_spaces, "\n" + blanked)[1:]  # see _PAGE_NUMBER_LINE
    if "Ô" in blanked and "CÔNG BÁO" in blanked:
        blanked = _GAZETTE_STAMP.sub(_spaces, blanked)
    if "[" in blanked:
        blanked = _BRACKET_MARKER.sub(_spaces, blanked)
    # footnote markers ("KH-UBND¹"): a space each, offsets kept. Looked for one by one: `re` scans
    # for a class of non-Latin-1 characters at ~5 ns a character, `in` for one at memory speed
    if any(c in blanked for c in _SUPERSCRIPTS):
        blanked = blanked.translate(_SUPERSCRIPT_TO_SPACE)
    repeated = _repeated_lines(text)
    if repeated:
        lines = blanked.split("\n")
        blanked = "\n".join(" " * len(ln) if ln.strip() in repeated else ln for ln in lines)
    blanked = _LETTER_SPACED.sub(_join_letter_spaced, blanked)
    # footnote rules are looked for before blanking: a blanked running header is not a rule
    ranges = _footnote_ranges(text.replace("\r", " "))
    blanked = blanked.replace("\f", "\n")
    if not ranges:
        return Cleaned(blanked, nfc_map, len(blanked), len(original))

    # Body without the footnote areas (blanked in place), then the footnote pieces joined.
    parts: list[str] = []
    notes: list[tuple[int, int]] = []
    prev = 0
    for s, note_start, e in sorted(ranges):
        s = max(s, prev)
        if e <= s:
            continue
        parts += [blanked[prev:s], _blank(blanked[s:e])]
        prev = e
        notes.append((min(note_start, e), e))
    parts.append(blanked[prev:])
    body = "".join(parts)
    omap = OffsetMap()
    omap.add(0, 0, len(body), len(body))
    out = [body, "\n\n"]
    pos = len(body) + 2
    omap.add(len(body), len(body) - 1 if body else 0, 2, 1)
    footnote_start = pos
    for s, e in notes:
        piece = blanked[s:e]
        # a footnote continued on the next page joins its first part with a space
        out.append(piece.rstrip("\n") + " ")
        omap.add(pos, s, len(piece.rstrip("\n")), len(piece.rstrip("\n")))
        omap.add(pos + len(piece.rstrip("\n")), e - 1 if e > s else s, 1, 1)
        pos += len(piece.rstrip("\n")) + 1
    cleaned = "".join(out)
    return Cleaned(cleaned, omap.compose(nfc_map), footnote_start, len(original))
