"""Forgiving references: what a person types (``33/CT-TTg``, ``CT 33/2021``, ``chỉ thị 33``, ``30c``,
a file path, an IRI) → the instruments of the graph it can mean.

`resolve` returns every candidate; `resolve_one` returns the only one or raises `RefError` whose
`candidates` list them (an ambiguous reference is never guessed: there are two Quy định 124-QĐ/TW).

>>> parse_ref("CT 33/2021")
Wanted(symbol=None, number='33', year=2021, kind='Chỉ thị', code='CT')
>>> parse_ref("04/2015/NĐCP").symbol
'04/2015/NĐ-CP'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.errors import RefError
from kg.store import Store
from loaders.references import canonical_type
from loaders.symbols import fold_code, parse_symbol, symbol_key

# Kind codes people type instead of the kind's name ("CT 33", "NĐ 60/2013").
CODE_KINDS = {
    "NQ": "Nghị quyết", "NĐ": "Nghị định", "QĐ": "Quyết định", "CT": "Chỉ thị", "TT": "Thông tư",
    "KH": "Kế hoạch", "CV": "Công văn", "KL": "Kết luận", "TB": "Thông báo", "HD": "Hướng dẫn",
    "PL": "Pháp lệnh", "QĐi": "Quy định", "CTr": "Chương trình", "L": "Luật",
}
_NUMBER = re.compile(r"^(\d{1,5})([a-zđ]?)$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


@dataclass(frozen=True, slots=True)
class Wanted:
    """What a typed reference asks for; any part may be missing."""

    symbol: str | None = None  # normalised, when a whole symbol was typed
    number: str | None = None
    year: int | None = None
    kind: str | None = None  # "Chỉ thị"
    code: str | None = None  # "CT"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One instrument a reference may mean, with what the graph knows to tell candidates apart."""

    iri: str
    symbol: str = ""
    date: str = ""
    year: str = ""
    kind: str = ""
    issuer: str = ""
    title: str = ""
    path: str = ""

    @property
    def label(self) -> str:
        """``Chỉ thị 33/CT-TTg (2021-11-26, Thủ tướng Chính phủ)``, or the file of a plan without a symbol."""
        head = " ".join(x for x in (self.kind, self.symbol) if x) or self.path or self.iri
        extra = ", ".join(x for x in (self.date or self.year, self.issuer) if x)
        return f"{head} ({extra})" if extra else head


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _number(text: str) -> str:
    """Numbers compare without leading zeros: "04" and "4" are the same number."""
    m = _NUMBER.match(text)
    return f"{int(m.group(1))}{m.group(2).lower()}" if m else text.lower()


def parse_ref(text: str) -> Wanted:
    """Read a typed reference. A whole symbol wins; otherwise kind (word or code), number, year."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    words = [w for w in text.split() if w.lower() not in ("số", "số:", "so")]
    if len(words) > 1 and _YEAR.match(words[-1].removeprefix("năm")):  # "124-QĐ/TW 2018"
        head = parse_ref(" ".join(words[:-1]).removesuffix(" năm"))
        if head.symbol:
            return Wanted(symbol=head.symbol, number=head.number, year=int(words[-1]))
    for i in range(len(words)):  # a symbol, maybe after the kind's name: "Chỉ thị 33/CT-TTg"
        sym = parse_symbol(" ".join(words[i:]))
        if sym is not None and (i == 0 or canonical_type(" ".join(words[:i]))):
            return Wanted(symbol=sym.text, number=sym.number, year=sym.year)
    kind = code = None
    rest = words
    for n in (3, 2, 1):
        if len(words) >= n and canonical_type(" ".join(words[:n]).capitalize()):
            kind, rest = canonical_type(" ".join(words[:n]).capitalize()), words[n:]
            break
    if kind is None and words:
        folded = {fold_code(c): c for c in CODE_KINDS}
        c = folded.get(fold_code(words[0]))
        if c is not None:
            code, kind, rest = c, CODE_KINDS[c], words[1:]
    number = year = None
    for token in " ".join(rest).replace("/", " ").split():
        if number is None and _NUMBER.match(token):
            number = token
        elif _YEAR.match(token):
            year = int(token)
    return Wanted(number=number, year=year, kind=kind, code=code)


# Every symbol starting with the number (or with it after one leading zero: "4/2015/NĐ-CP" is stored
# as 04/2015/NĐ-CP), in one pass over the symbols (a scan: every graph citing an instrument repeats
# its symbol, 1.7M triples at 100k documents, ~1 s), so only for a bare number ("30c", "chỉ thị 33").
_SYMBOLS = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT DISTINCT ?i ?symbol WHERE {
  ?i kg:symbol ?symbol . FILTER(STRSTARTS(LCASE(?symbol), ?prefix) || STRSTARTS(LCASE(?symbol), ?prefix0))
}
"""
# A whole symbol ("30c/NQ-CP") is looked up as stored (an index lookup, ~1 ms at any size), in the
# spellings `_matches` treats alike (number with or without a leading zero, in either case; QĐ/QĐi).
_EXACT = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT DISTINCT ?i ?symbol WHERE { ?i kg:symbol ?symbol }
"""
# Looked up one value at a time for the few candidates: every graph citing an instrument repeats its
# symbol, year and kind, so one pattern with all of them would multiply the rows.
_DETAILS = {
    "year": "SELECT ?i (SAMPLE(?v) AS ?year) WHERE { ?i kg:year ?v } GROUP BY ?i",
    "kind": "SELECT ?i (SAMPLE(?v) AS ?kind) WHERE { ?i kg:kind ?k . ?k skos:prefLabel ?v } GROUP BY ?i",
    "path": "SELECT ?i (SAMPLE(?v) AS ?path) WHERE { ?s kg:describes ?i ; kg:sourcePath ?v } GROUP BY ?i",
    "canonical": "SELECT ?i ?date ?issuer ?title WHERE { ?i a kg:Instrument OPTIONAL { ?i kg:canonicalDate ?date } "
                 "OPTIONAL { ?i kg:canonicalIssuerName ?issuer } OPTIONAL { ?i kg:canonicalTitle ?title } }",
}
_PREFIXES = "PREFIX kg: <https://kg.vn-plans.org/ns#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
_BY_PATH = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT ?i ?path ?symbol ?date ?year ?issuer WHERE {
  ?src kg:describes ?i ; kg:sourcePath ?path .
  FILTER(?path = ?wanted || STRENDS(?path, CONCAT("/", ?wanted)))
  OPTIONAL { ?i kg:symbol ?symbol } OPTIONAL { ?i kg:date ?date } OPTIONAL { ?i kg:year ?year }
  OPTIONAL { ?i kg:issuerName ?issuer }
}
"""
_BY_IRI = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT ?symbol ?date ?issuer WHERE {
  ?i a kg:Instrument . OPTIONAL { ?i kg:symbol ?symbol } OPTIONAL { ?i kg:canonicalDate ?date }
  OPTIONAL { ?i kg:canonicalIssuerName ?issuer }
} LIMIT 1
"""


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ") + '"'


def _matches(c: Candidate, w: Wanted) -> bool:
    sym = parse_symbol(c.symbol) if c.symbol else None
    if w.symbol:
        want = parse_symbol(w.symbol)
        if not sym or not want or _number(sym.number) != _number(want.number) or \
                symbol_key(sym.text[len(sym.number):]) != symbol_key(want.text[len(want.number):]):
            return False
    elif w.number is None or sym is None or _number(sym.number) != _number(w.number):
        return False
    if w.year:
        years = {c.year, c.date[:4], str(sym.year) if sym and sym.year else ""} - {""}
        if str(w.year) not in years:
            return False
    if w.kind and not w.symbol and _fold(c.kind) != _fold(w.kind):
        code = next((k for k, v in CODE_KINDS.items() if v == w.kind), None)
        if not (code and sym and sym.codes and fold_code(sym.codes[0]) == fold_code(code)):
            return False
    return True


def _spellings(wanted: Wanted) -> list[str]:
    """The ways a whole symbol may be stored that `_matches` takes for it (looked up exactly)."""
    symbol, number = wanted.symbol or "", wanted.number or ""
    if not number or not symbol.startswith(number):
        return [symbol]
    rest = symbol[len(number):]
    bare = number.lstrip("0") or "0"
    numbers = {n for b in (bare, "0" + bare, "00" + bare, number) for n in (b, b.lower(), b.upper())}
    rests = {rest, rest.replace("QĐi/", "QĐ/"), rest.replace("QĐ/", "QĐi/")}
    return sorted(n + r for n in numbers for r in rests)


_ALL_SYMBOLS = "PREFIX kg: <https://kg.vn-plans.org/ns#>\nSELECT DISTINCT ?i ?symbol WHERE { ?i kg:symbol ?symbol }"


def symbol_index(store: Store) -> dict[str, list[dict[str, str]]]:
    """Every (instrument, symbol) of the graph by the symbol's number as `_number` writes it: what
    `resolve` scans the symbols for, read once (a long-running caller, the web app, keeps it until the
    store changes and passes it to `resolve`)."""
    index: dict[str, list[dict[str, str]]] = {}
    for i, symbol in store.select_values(_ALL_SYMBOLS):
        sym = parse_symbol(symbol) if symbol else None
        if sym is not None and i:
            index.setdefault(_number(sym.number), []).append({"i": i, "symbol": symbol})
    return index


def resolve(store: Store, text: str, index: dict[str, list[dict[str, str]]] | None = None) -> list[Candidate]:
    """Every instrument `text` can mean, most specific first; undated copies of a dated instrument
    (a reference minted before its year was known) are left out when the dated one is there.
    `index`: `symbol_index(store)`, when the caller keeps one (no scan of the symbols then)."""
    text = text.strip()
    if not text:
        return []
    if re.match(r"^https?://\S+$", text):
        rows = store.select(_BY_IRI, {"i": f"<{text}>"})
        return [Candidate(iri=text, **rows[0])] if rows else []
    if "." in text.rsplit("/", 1)[-1] or text.count("/") > 2:  # a file name: the plan read from it
        rows = store.select(_BY_PATH, {"wanted": _lit(text)})
        if rows:  # one candidate per instrument, however many claims its graphs make
            by_iri = {r["i"]: Candidate(iri=r["i"], **{k: v for k, v in r.items() if k != "i"}) for r in rows[::-1]}
            return sorted(by_iri.values(), key=lambda c: c.iri)
    wanted = parse_ref(text)
    if not (wanted.symbol or wanted.number):
        return []
    prefix = _number(wanted.number or "")
    rows = store.select(_EXACT, {"symbol": [_lit(v) for v in _spellings(wanted)]}) if wanted.symbol else []
    if not rows and index is not None:  # the rows the scan below would give
        starts = (prefix, "0" + prefix if prefix[:1].isdigit() else prefix)
        rows = [r for r in index.get(prefix, []) if r["symbol"].lower().startswith(starts)]
    elif not rows:
        rows = store.select(_SYMBOLS, {"prefix": _lit(prefix),
                                       "prefix0": _lit("0" + prefix if prefix[:1].isdigit() else prefix)})
    symbols: dict[str, str] = {}
    for r in rows:
        sym = parse_symbol(r["symbol"])
        if sym is not None and _number(sym.number) == prefix:
            symbols.setdefault(r["i"], r["symbol"])
    details: dict[str, dict[str, str]] = {i: {"symbol": s} for i, s in symbols.items()}
    if details:
        iris = [f"<{i}>" for i in sorted(details)]
        for query in _DETAILS.values():
            for r in store.select(_PREFIXES + query, {"i": iris}):
                details[r["i"]].update({k: v for k, v in r.items() if k != "i"})
    found = {i: Candidate(iri=i, **d) for i, d in details.items()}
    out = [c for c in found.values() if _matches(c, wanted)]
    dated = {symbol_key(c.symbol) for c in out if c.date or c.year}
    out = [c for c in out if c.date or c.year or symbol_key(c.symbol) not in dated]
    return sorted(out, key=lambda c: (c.symbol, c.date or c.year, c.iri))


def resolve_one(store: Store, text: str) -> Candidate:
    """The one instrument `text` means; RefError (with the candidates) when none or several."""
    found = resolve(store, text)
    if len(found) == 1:
        return found[0]
    if not found:
        raise RefError(f"no instrument in the graph matches {text!r}; try the symbol as written "
                       "(33/CT-TTg), the kind and number (chỉ thị 33) or a file path")
    listing = "; ".join(c.label for c in found[:12]) + (" …" if len(found) > 12 else "")
    raise RefError(f"{text!r} matches {len(found)} instruments: {listing}. Add the year (e.g. "
                   f"'{found[0].symbol or text} {found[0].year or found[0].date[:4]}') or give the IRI",
                   candidates=[c.iri for c in found])
