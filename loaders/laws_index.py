"""Read the name of a law cited without its number ("Luật Tiếp công dân năm 2013").

Known names (the law table in `loaders.laws`) are matched first, folded, longest first, so
"Luật tiếp công dân của người đứng đầu" reads "Tiếp công dân". Other names are read by rule:
capitalised first word, then words up to a function word, punctuation or a year.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_SPACES_COMMAS = re.compile(r"[\s,]+")
_WORD = re.compile(r"[^\s,;:.()“”\"]+")
_STOPS = {
    "năm", "số", "và", "của", "theo", "đã", "được", "nhằm", "để", "có", "trong", "về", "thì", "là",
    "cho", "các", "này", "ngày", "tại", "đối", "với", "gắn", "đảm", "bảo", "trên", "quy",
    "nghiêm", "đến", "từ", "khi", "đúng", "hướng", "cùng", "mà", "như", "sau", "trước", "hoặc",
}
_MAX_WORDS = 14
_AMENDING_END = re.compile(r"\s+(?:ngày|năm)\s|\s+số\s+\d|[;.:(]|\n\s*\n")
# short names of bodies that law names contain ("Luật Tổ chức HĐND và UBND")
_ACRONYMS = {
    "hdnd": ("hoi", "dong", "nhan", "dan"),
    "ubnd": ("uy", "ban", "nhan", "dan"),
    "mttq": ("mat", "tran", "to", "quoc"),
    "ubtvqh": ("uy", "ban", "thuong", "vu", "quoc", "hoi"),
}


@lru_cache(maxsize=16384)
def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower().replace("đ", "d").replace("Đ", "d"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return _SPACES_COMMAS.sub(" ", s).strip()


_GAP_STOPS = re.compile(r"[;:.()“”\"]")


@cache
def _known_sizes(kind: str) -> frozenset[int]:
    """How many folded tokens the known names of a kind have."""
    return frozenset(len(k) for k in _known().get(kind, {}))


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
    >>> match_name("Luật Tổ chức HĐND và UBND ngày 26/11/2003", 5, "Luật")[0]
    'Tổ chức Hội đồng nhân dân và Ủy ban nhân dân'
    >>> match_name("Luật sửa đổi, bổ sung một số điều của Luật Đất đai năm 2024", 5, "Luật")[0]
    'sửa đổi, bổ sung một số điều của Luật Đất đai'

    """
    words: list[tuple[int, int]] = []
    commas: list[int] = []  # word indices that follow a comma
    prev_end = pos
    for m in _WORD.finditer(text, pos, min(len(text), pos + 200)):
        s, e = m.span()
        if s - prev_end != 1 or text[prev_end] != " ":  # a gap other than one space: look at it
            gap = text[prev_end:s]
            if (words and _GAP_STOPS.search(gap)) or gap.count("\n") > 2:
                break
            if words and "," in gap:
                commas.append(len(words))
        words.append((s, e))
        prev_end = e
        if len(words) >= _MAX_WORDS:
            break
    if not words:
        return None
    # folded tokens, acronyms spelled out ("HĐND" → "hoi dong nhan dan"), each word's last token index
    tokens: list[str] = []
    ends: list[int] = []
    for s, e in words:
        f = fold(text[s:e])
        tokens.extend(_ACRONYMS.get(f, (f,)))
        ends.append(len(tokens))
    known = _known().get(kind, {})
    sizes = _known_sizes(kind)
    for n in range(len(words), 0, -1):
        if ends[n - 1] not in sizes:  # no known name has that many tokens
            continue
        name = known.get(tuple(tokens[: ends[n - 1]]))
        if name is not None:  # the table's spelling, so that lookups by name find it
            return name, words[n - 1][1]
    first = text[words[0][0] : words[0][1]]
    if fold(first) == "sua" and len(words) > 1 and fold(text[words[1][0] : words[1][1]]) == "doi":
        # "Luật sửa đổi, bổ sung một số điều của Luật X và Luật Y ngày …": the name runs to its date
        end_m = _AMENDING_END.search(text, words[0][0], min(len(text), words[0][0] + 300))
        end = end_m.start() if end_m else words[-1][1]
        return " ".join(text[words[0][0] : end].split()).rstrip(" ,"), end
    if not first[:1].isupper():
        return None
    taken = 0
    for i, (s, e) in enumerate(words):
        w = text[s:e]
        if i and (i in commas or w.lower() in _STOPS or w[:1].isdigit()):
            break
        if i and w[:1].isupper() and w.upper() == w and len(w) > 1 and fold(w) not in _ACRONYMS:
            # an acronym other than a body's short name starts something else
            break
        taken = i + 1
    if taken == 0:
        return None
    return " ".join(text[words[0][0] : words[taken - 1][1]].split()), words[taken - 1][1]
