"""Số/ký hiệu: recognise, split and normalise the symbols Vietnamese instruments carry.

Shapes (Nghị định 30/2020/NĐ-CP on văn thư for state bodies; Quy định 66-QĐ/TW on party documents):
- state, administrative: ``33/CT-TTg``, ``1243/KH-UBND``, ``1432/BNV-CTTN`` (a công văn: no type code)
- state, normative, with year: ``04/2015/NĐ-CP``, ``10/2022/QH15``, ``34/2007/PL-UBTVQH11``
- party: ``23-QĐ/TW``, ``11-QĐi/TW``, ``04-CTr/BDVTU-BCSDUBND``
- old: ``118/TTg``, ``206-CP``, ``111-HĐBT``

>>> parse_symbol("04/2015/NĐCP").text
'04/2015/NĐ-CP'
>>> parse_symbol("1847/QĐ -TTg").text
'1847/QĐ-TTg'
>>> parse_symbol("60/2013/NĐ-CP2").text, parse_symbol("10/2022/QH15").text  # a glued footnote marker
('60/2013/NĐ-CP', '10/2022/QH15')
>>> s = parse_symbol("26-KH/BCD"); (s.text, s.type_code, s.issuer_codes, s.party)
('26-KH/BCĐ', 'KH', ('BCĐ',), True)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

# Code tokens written the way the issuing bodies write them. Keys are the folded form
# (upper case, Đ→D) so typos like "QD", "BCD", "QĐI" land on the canonical spelling.
_CANONICAL_TOKENS = [
    "NĐ", "QĐ", "QĐi", "NQ", "CT", "TT", "TTLT", "NQLT", "KH", "CV", "KL", "TB", "HD", "HĐ", "TTr",
    "CTr", "ĐA", "BC", "QC", "PL", "CĐ", "GM", "TTg", "CP", "TW", "TU", "HU", "ĐU", "UBND", "HĐND",
    "BCĐ", "BDVTU", "BDVHU", "BCSĐ", "VPCP", "VPUBND", "HĐBT", "BNV", "BTC", "BTP", "BCA", "BQP",
    "BNG", "BKHĐT", "BCT", "BGDĐT", "BYT", "BLĐTBXH", "BTNMT", "BGTVT", "BXD", "BTTTT", "BVHTTDL",
    "BNNPTNT", "BKHCN", "UBDT", "NHNN", "TTCP", "KTNN", "TANDTC", "VKSNDTC", "UBTVQH", "CTN",
    "MTTQ", "ĐĐBQH", "SNV", "STC", "STP", "BTGTU", "BTCTU", "UBKTTU", "VPTU", "BDV", "BTG",
]


@lru_cache(maxsize=8192)
def fold_code(token: str) -> str:
    """Upper-case, Đ→D and no marks: the key under which code spellings are compared."""
    t = unicodedata.normalize("NFD", token.upper().replace("Đ", "D"))
    return "".join(c for c in t if not unicodedata.combining(c))


@cache
def _token_table() -> dict[str, str]:
    # Only this curated list is corrected across D/Đ ("QD" → "QĐ", "BCD" → "BCĐ"); longer issuer
    # codes keep the letters they were written with ("BCSDUBND"), only their case is normalised.
    table = {fold_code(t): t for t in _CANONICAL_TOKENS}
    # "QĐI" folds to "QDI": the party's Quy định suffix
    table["QDI"] = "QĐi"
    return table


def canonical_token(token: str) -> str:
    """Canonical spelling of one code token ("QD" → "QĐ", "ttg" → "TTg"); unknown tokens kept."""
    token = token.strip()
    exact = _exact_table().get(token.upper())
    if exact:
        return exact
    known = _token_table().get(fold_code(token))
    if known:
        return known
    # Unknown: keep as written, but a token in all lower case is upper-cased ("ubnd" → "UBND").
    return token.upper() if token.islower() else token


@cache
def _exact_table() -> dict[str, str]:
    """Known tokens by upper case, Đ kept: "HD" (Hướng dẫn) and "HĐ" (Hội đồng) stay apart."""
    table: dict[str, str] = {}
    try:  # the issuer and type code tables know many more spellings
        from loaders import issuers

        table.update({code.upper(): code for code in issuers.all_codes()})
    except (ImportError, AttributeError):
        pass
    table.update({t.upper(): t for t in _token_table().values()})
    table.update({t.upper(): t for t in _CANONICAL_TOKENS})
    table["QĐI"] = "QĐi"
    return table


@cache
def _known_codes() -> frozenset[str]:
    return frozenset(_exact_table().values())


# Glued typos: "NĐCP" is "NĐ-CP", "QĐTTg" is "QĐ-TTg". Split a token into two known tokens.
def _split_glued(token: str) -> list[str]:
    table = _token_table()
    key = fold_code(token)
    if key in table:
        return [token]
    for i in range(1, len(key)):
        head, tail = key[:i], key[i:]
        if head in _TYPE_TOKENS_FOLDED and tail in table and tail not in _TYPE_TOKENS_FOLDED:
            return [token[:i], token[i:]]
    return [token]


# Type codes of số/ký hiệu (Nghị định 30/2020/NĐ-CP, Phụ lục III; Quy định 66-QĐ/TW for the party).
TYPE_CODES = frozenset({
    "NQ", "NĐ", "QĐ", "QĐi", "CT", "TT", "TTLT", "NQLT", "KH", "CV", "KL", "TB", "HD", "TTr", "CTr",
    "ĐA", "BC", "QC", "PL", "CĐ", "GM", "SL", "QĐLT", "HĐ", "BB", "GUQ", "GXN", "PA", "DA",
})

_TYPE_TOKENS_FOLDED = {
    fold_code(t) for t in ("NĐ", "QĐ", "NQ", "CT", "TT", "TTLT", "KH", "CV", "KL", "TB", "HD", "PL")
}

YEAR_RE = re.compile(r"(?:19|20)\d{2}\Z")
_NUMBERED_FOLDED = frozenset(fold_code(c) for c in ("QH", "UBTVQH"))


@dataclass(frozen=True, slots=True)
class Symbol:
    """A parsed số/ký hiệu."""

    number: str  # "33", "30c", "04"
    year: int | None  # the year written inside a normative symbol
    codes: tuple[str, ...]  # canonical code tokens after the number/year, in order
    party: bool  # party shape "23-QĐ/TW"
    text: str  # normalised symbol
    # Worked out once here (symbols are parsed once and cached), read for every mention:
    # the code naming the kind ("CT", "NĐ", "QĐ"), when the symbol has one,
    type_code: str | None = field(init=False, compare=False, repr=False)
    # and the codes naming the issuer(s): "TTg", ("BDVTU", "BCSDUBND"), ("UBND", "NC") …
    issuer_codes: tuple[str, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        codes = self.codes
        if self.party:
            type_code = codes[0] if codes else None
        elif len(codes) >= 2 and codes[0] in TYPE_CODES:
            type_code = codes[0]
        else:
            type_code = None
        object.__setattr__(self, "type_code", type_code)
        object.__setattr__(self, "issuer_codes", codes[1:] if self.party or type_code is not None else codes)


def _tokens(part: str) -> list[str]:
    out: list[str] = []
    for tok in _DASH_SPLIT.split(part.strip()):
        if tok:
            out.extend(_split_glued(tok))
    return out


_DASH_SPLIT = re.compile(r"\s*[-–—‐]\s*")
# A footnote marker a PDF's text glued to the end of a symbol ("60/2013/NĐ-CP2", "33/CT-TTg3"):
# one or two digits after a last code that never carries a number. Codes that do (the National
# Assembly's term: 10/2022/QH15, 34/2007/PL-UBTVQH11) keep theirs.
_TRAILING_DIGITS = re.compile(r"(?<=[A-Za-zĐđ])(\d{1,2})\Z")
_SPACES = re.compile(r"\s+")
_NUM_RE = re.compile(r"\s*(\d{1,5}[a-zđ]?)\s*([/\-–—‐])\s*(.*)\Z", re.S)


@lru_cache(maxsize=65536)
def parse_symbol(raw: str) -> Symbol | None:
    """Parse a symbol as written (spaces, line breaks, typos allowed); None if it is not one.

    >>> parse_symbol("18-\\nNQ/TW").text
    '18-NQ/TW'
    >>> parse_symbol("34/2007/PL-UBTVQH11").year
    2007
    >>> parse_symbol("20/3/2023") is None
    True
    """
    raw = unicodedata.normalize("NFC", raw)
    m = _NUM_RE.match(raw)
    if not m:
        return None
    number, sep, rest = m.group(1), m.group(2), m.group(3)
    rest = _SPACES.sub("", rest)
    glued = _TRAILING_DIGITS.search(rest)
    if glued:
        last = _DASH_SPLIT.split(rest[:glued.start()].rsplit("/", 1)[-1])[-1]
        if last and canonical_token(last) in _known_codes() and fold_code(last) not in _NUMBERED_FOLDED:
            rest = rest[:glued.start()]
    parts = rest.split("/")
    if any(not p for p in parts):
        return None
    year: int | None = None
    party = sep != "/" and len(parts) >= 2
    if sep == "/" and YEAR_RE.match(parts[0]):
        year = int(parts[0])
        parts = parts[1:]
        if not parts:
            return None
    codes: list[str] = []
    for p in parts:
        codes.extend(_tokens(p))
    if not codes or not all((c[0].isalpha() and c[0].isupper()) or c[0] == "Đ" for c in codes):
        return None
    canon = [canonical_token(c) for c in codes]
    if party:
        # "23-QĐ/TW": type code, then issuer code(s) after the slash
        first = _tokens(parts[0])
        type_part = "-".join(canonical_token(c) for c in first)
        issuer_part = "/".join("-".join(canonical_token(c) for c in _tokens(p)) for p in parts[1:])
        text = f"{number}-{type_part}/{issuer_part}"
    elif sep == "/":
        body = "/".join("-".join(canonical_token(c) for c in _tokens(p)) for p in parts)
        text = f"{number}/{year}/{body}" if year else f"{number}/{body}"
    else:  # old shape "206-CP", "111-HĐBT"
        text = f"{number}-{'-'.join(canon)}"
    return Symbol(number=number, year=year, codes=tuple(canon), party=party, text=text)


@lru_cache(maxsize=65536)
def symbol_key(text: str) -> str:
    """Comparison key: folded, QĐi and QĐ of party rules treated alike.

    >>> symbol_key("11-QĐi/TW") == symbol_key("11-QĐ/TW")
    True
    """
    return fold_code(_SPACES.sub("", text)).replace("QDI/", "QD/")
