"""Read the name of a law cited without its number ("Luật Tiếp công dân năm 2013").

Known names (the law table in `loaders.laws`) are matched first, folded, longest first, so
"Luật tiếp công dân của người đứng đầu" reads "Tiếp công dân". Other names are read by rule:
capitalised first word, then words up to a function word, punctuation or a year.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_WORD = re.compile(r"[^\s,;:.()“”\"]+")
_STOPS = {
    "năm", "số", "và", "của", "theo", "đã", "được", "nhằm", "để", "có", "trong", "về", "thì", "là",
    "cho", "các", "này", "ngày", "tại", "đối", "với", "gắn", "đảm", "bảo", "trên", "quy",
    "nghiêm", "đến", "từ", "khi", "đúng", "hướng", "cùng", "mà", "như", "sau", "trước", "hoặc",
}
_MAX_WORDS = 12


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower().replace("đ", "d").replace("Đ", "d"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[\s,]+", " ", s).strip()


@cache
def _known() -> dict[str, dict[tuple[str, ...], str]]:
    """kind → folded word tuple → name as the table writes it."""
    table: dict[str, dict[tuple[str, ...], str]] = {}
    try:
        from loaders import laws
    except ImportError:  # pragma: no cover - the table ships with the package
        return table
    for typ, name in laws.law_names():
        table.setdefault(typ, {})[tuple(fold(name).split())] = name
    return table


def match_name(text: str, pos: int, kind: str) -> tuple[str, int] | None:
    """The law name starting at `pos` (after the kind word) and where it ends, or None.

    >>> match_name("Luật Phổ biến, giáo dục pháp luật năm 2012", 5, "Luật")
    ('Phổ biến, giáo dục pháp luật', 33)
    """
    words: list[tuple[int, int]] = []
    commas: list[int] = []  # word indices that follow a comma
    for m in _WORD.finditer(text, pos, min(len(text), pos + 200)):
        gap = text[words[-1][1] : m.start()] if words else text[pos : m.start()]
        if words and any(c in gap for c in ";:.()“”\"") or gap.count("\n") > 2:
            break
        if words and "," in gap:
            commas.append(len(words))
        words.append((m.start(), m.end()))
        if len(words) >= _MAX_WORDS:
            break
    if not words:
        return None
    folded = [fold(text[s:e]) for s, e in words]
    known = _known().get(kind, {})
    for n in range(len(words), 0, -1):
        if tuple(folded[:n]) in known:
            return " ".join(text[words[0][0] : words[n - 1][1]].split()), words[n - 1][1]
    first = text[words[0][0] : words[0][1]]
    if not first[:1].isupper():
        return None
    taken = 0
    for i, (s, e) in enumerate(words):
        w = text[s:e]
        if i and (i in commas or w.lower() in _STOPS or w[:1].isdigit()):
            break
        if i and w[:1].isupper() and w.upper() == w and len(w) > 1:  # an acronym starts something else
            break
        taken = i + 1
    if taken == 0:
        return None
    return " ".join(text[words[0][0] : words[taken - 1][1]].split()), words[taken - 1][1]
