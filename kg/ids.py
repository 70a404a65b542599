"""Identity: the one place where IRIs are minted.

Instruments get ELI-style IRIs under one configurable base (env ``KG_BASE``):

- national issuers (TTg, CP, TW, QH…, ministries) are unique by kind, year and number:
  ``{base}eli/vn/ct-ttg/2021/33``;
- local issuers (UBND, TU, HU, Sở …) only inside their jurisdiction:
  ``{base}eli/vn-tay-ninh/kh-ubnd/2023/1243``, ``{base}eli/vn-gia-lai/dak-doa/kh-ubnd/2023/12``;
- a local reference whose jurisdiction is unknown stays scoped to the citing document:
  ``{base}doc/{sha256-prefix}/ref/kh-ubnd/2021/175``.

A source document whose own symbol and year are known gets the IRI its citers use; otherwise the
instrument it records is ``{base}doc/{sha256}``, the same node as the source document itself.

>>> instrument_iri(symbol="33/CT-TTg", year=2021, base_iri="https://x.org/")
'https://x.org/eli/vn/ct-ttg/2021/33'
>>> instrument_iri(symbol="11-QĐi/TW", date="2019-02-18", base_iri="https://x.org/")
'https://x.org/eli/vn/qd-tw/2019/11'
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from kg.model import Jurisdiction
from loaders.issuers import issuer_for_code, type_for_code

log = logging.getLogger(__name__)

DEFAULT_BASE = "https://kg.vn-plans.org/"

_SYMBOL = re.compile(r"^\s*(?P<number>[0-9]+[a-zA-Z]*)\s*(?P<sep>[/-])\s*(?:(?P<year>\d{4})\s*/\s*)?(?P<code>.+?)\s*$")
_SEP = re.compile(r"[-/]")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


_PINNED: ContextVar[str | None] = ContextVar("kg_ids_base", default=None)


def base() -> str:
    """The IRI base from ``KG_BASE`` (default ``https://kg.vn-plans.org/``), always ending in '/'."""
    pinned = _PINNED.get()
    if pinned is not None:
        return pinned
    value = os.environ.get("KG_BASE") or DEFAULT_BASE
    return value if value.endswith(("/", "#")) else value + "/"


@contextmanager
def pinned_base() -> Iterator[str]:
    """Read ``KG_BASE`` once for a block that mints many IRIs (`kg.build.document_triples` mints
    ~75 a plan; reading the environment for each was ~4 % of a parsing worker's time).

    >>> with pinned_base() as b:
    ...     source_iri("ab") == f"{b}doc/ab"
    True
    """
    value = base()
    token = _PINNED.set(value)
    try:
        yield value
    finally:
        _PINNED.reset(token)


@functools.lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """ASCII-folded, lower-case, hyphenated: ``"Tây Ninh"`` → ``"tay-ninh"``, ``"NĐ-CP"`` → ``"nd-cp"``.

    >>> slug("Đak Đoa"), slug("QĐ/TW")
    ('dak-doa', 'qd-tw')
    """
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return _NON_SLUG.sub("-", text).strip("-")


def _digest(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


@dataclass(frozen=True, slots=True)
class SymbolParts:
    """The parts of a số/ký hiệu that identity depends on."""

    number: str  # normalised: at least two digits, suffix letters kept ("04", "30c")
    year: int | None  # only when the symbol itself carries it (04/2015/NĐ-CP)
    kind_code: str  # "ct-ttg", "qd-tw" (QĐi folded into QĐ), "qh15"
    issuer_code: str | None  # first issuer segment as written: "TTg", "TW", "BNV", "UBND"


@functools.lru_cache(maxsize=1 << 16)
def parse_symbol(symbol: str) -> SymbolParts | None:
    """Split a normalised symbol; None when it has no number/code shape.

    >>> parse_symbol("04/2015/NĐ-CP")
    SymbolParts(number='04', year=2015, kind_code='nd-cp', issuer_code='CP')
    >>> parse_symbol("1432/BNV-CTTN").issuer_code
    'BNV'
    """
    m = _SYMBOL.match(unicodedata.normalize("NFC", symbol))
    if not m:
        return None
    segments = [s for s in _SEP.split(m["code"].replace(" ", "")) if s]
    if not segments:
        return None
    if segments[0].upper() == "QĐI":  # party Quy định: 11-QĐi/TW is the same instrument as 11-QĐ/TW
        segments[0] = "QĐ"
    party = m["sep"] == "-"  # 23-QĐ/TW (party) vs 33/CT-TTg (state)
    typed = len(segments) > 1 and type_for_code(segments[0], party=party) is not None
    issuers = segments[1:] if typed else segments
    digits = re.match(r"\d+", m["number"])
    assert digits is not None  # the pattern guarantees a leading digit run
    number = str(int(digits[0])).zfill(2) + m["number"][digits.end():].lower()
    return SymbolParts(
        number=number,
        year=int(m["year"]) if m["year"] else None,
        kind_code=slug("-".join(segments)),
        issuer_code=issuers[0] if issuers else None,
    )


def issuer_scope(code: str | None) -> str:
    """'national' or 'local' for an issuer code (``loaders.issuers``); unknown codes are local,
    so that an unrecognised code never merges instruments across provinces.

    >>> issuer_scope("TTg"), issuer_scope("QH15"), issuer_scope("UBND"), issuer_scope("BCĐ")
    ('national', 'national', 'local', 'local')
    """
    info = issuer_for_code(code) if code else None
    return info.scope if info is not None else "local"


def _year(year: int | None, date: str | None) -> int | None:
    if year:
        return year
    if date and re.match(r"\d{4}", date):
        return int(date[:4])
    return None


@functools.lru_cache(maxsize=1 << 12)
def jurisdiction_path(j: Jurisdiction | None) -> str | None:
    """Path segments of a jurisdiction: ``vn-gia-lai/dak-doa``; None without a province.

    A commune always takes two segments (``-`` for a missing district, as after the 2025 reform) so
    that a commune and a district of the same name never share a path.
    """
    if j is None or not j.province:
        return None
    parts = [f"vn-{slug(j.province)}"]
    if j.level == "district" and j.district:
        parts.append(slug(j.district))
    elif j.level == "commune" and j.commune:
        parts += [slug(j.district) if j.district else "-", slug(j.commune)]
    return "/".join(parts)


def instrument_iri(
    *,
    symbol: str | None = None,
    year: int | None = None,
    date: str | None = None,
    jurisdiction: Jurisdiction | None = None,
    issuer_code: str | None = None,
    type: str | None = None,
    name: str | None = None,
    surface: str = "",
    scope_sha256: str | None = None,
    base_iri: str | None = None,
) -> str:
    """IRI of an instrument as a reference (or a registry row, or a document's own header) names it.

    `scope_sha256` is the content hash of the citing document, used for local references whose
    jurisdiction is unknown. The year comes from the symbol, then `year`, then `date`.
    """
    b = base_iri if base_iri is not None else base()
    scope = (scope_sha256 or "unknown")[:16]
    parts = parse_symbol(symbol) if symbol else None
    if parts is None:
        if name:
            tail = f"/{_year(year, date)}" if _year(year, date) else ""
            return f"{b}eli/vn/named/{slug(type or 'van-ban') or 'van-ban'}/{slug(name)}{tail}"
        return f"{b}doc/{scope}/ref/anon/{_digest(symbol or surface or type or '', 12)}"
    y = parts.year or _year(year, date)
    ytext = str(y) if y else "undated"
    code = issuer_code or parts.issuer_code
    if issuer_scope(code) == "national":
        if not y:
            # info, not warning: a national corpus has thousands of these, and the IRI says it
            log.info("%s: no year known; minted as undated", symbol)
        return f"{b}eli/vn/{parts.kind_code}/{ytext}/{parts.number}"
    place = jurisdiction_path(jurisdiction)
    if place:
        return f"{b}eli/{place}/{parts.kind_code}/{ytext}/{parts.number}"
    return f"{b}doc/{scope}/ref/{parts.kind_code}/{ytext}/{parts.number}"


def document_iri(*, symbol: str | None, year: int | None, date: str | None,
                 jurisdiction: Jurisdiction | None, sha256: str) -> str:
    """The instrument a source document records: the IRI its citers use when its symbol, its year
    and (for a local issuer) its jurisdiction are known; otherwise its content hash (`source_iri`).

    >>> document_iri(symbol="1243/KH-UBND", year=2023, date=None, jurisdiction=None, sha256="ab")[-7:]
    '/doc/ab'
    """
    parts = parse_symbol(symbol) if symbol else None
    if parts and (parts.year or year or _year(None, date)) and (
        issuer_scope(parts.issuer_code) == "national" or jurisdiction_path(jurisdiction)
    ):
        return instrument_iri(symbol=symbol, year=year, date=date, jurisdiction=jurisdiction, scope_sha256=sha256)
    return source_iri(sha256)


def source_iri(sha256: str) -> str:
    """A source document (file content): ``{base}doc/{sha256}``."""
    return f"{base()}doc/{sha256}"


def graph_iri(path: str, real: str | None = None) -> str:
    """The named graph of one source file, keyed by its real path so a changed file replaces it
    (`real`: that path, when the caller has it: `os.path.realpath` costs a system call a segment)."""
    return f"{file_graphs()}{_digest(real or os.path.realpath(path), 32)}"


def file_graphs() -> str:
    """The prefix shared by every source file's graph."""
    return f"{base()}graph/file/"


def mention_iri(sha256: str, index: int) -> str:
    return f"{base()}doc/{sha256}/mention/{index}"


def kind_iri(type_word: str) -> str:
    """SKOS concept of an instrument kind: ``{base}kind/chi-thi``."""
    return f"{base()}kind/{slug(type_word) or 'van-ban'}"


def place_iri(j: Jurisdiction) -> str | None:
    path = jurisdiction_path(j)
    return f"{base()}place/{path}" if path else None


def issuer_iri(code: str | None, name: str | None = None, jurisdiction: Jurisdiction | None = None) -> str | None:
    """A national issuer by code (``org/ttg``); a local one inside its jurisdiction
    (``org/vn-tay-ninh/ubnd``, ``org/vn-tay-ninh/so-ngoai-vu``); None for a local one without it."""
    key = slug(code or "") or slug(name or "")
    if not key:
        return None
    if code and issuer_scope(code) == "national":
        return f"{base()}org/{key}"
    place = jurisdiction_path(jurisdiction)
    return f"{base()}org/{place}/{key}" if place else None


def fact_iri(*key_parts: str | None) -> str:
    """A status fact, identified by what it states (so re-importing a fact does not duplicate it)."""
    return f"{base()}fact/{_digest(chr(31).join(p or '' for p in key_parts), 24)}"


def registry_graph(name: str = "shipped") -> str:
    """Graphs of status facts: ``shipped`` (ontology/registry.csv), ``user`` (`kg registry add`),
    ``import/{hash}`` (one per imported CSV)."""
    return f"{base()}graph/registry/{name}"


def import_graph(path: str) -> str:
    return registry_graph(f"import/{_digest(os.path.realpath(path), 32)}")


def shared_graph() -> str:
    """Descriptions of instrument kinds, issuers and places, written once for every document."""
    return f"{base()}graph/shared"


def canonical_graph() -> str:
    return f"{base()}graph/canonical"


def state_graph() -> str:
    """The store's own bookkeeping (a canonical refresh left pending by an interrupted run)."""
    return f"{base()}graph/state"
