"""Plain value objects that flow from loaders/ into kg/. No RDF here.

A `Document` is what the parser makes of one source file: its own identity, the instruments
its preamble says it carries out, every instrument it refers to (each with every mention and
its span in the original text), and the supersessions it declares.

>>> r = Reference(type="Chỉ thị", number="33", symbol="33/CT-TTg", year=2021)
>>> r.key
'33/CT-TTg@2021'
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any


def nfc(text: str | None) -> str | None:
    return unicodedata.normalize("NFC", text) if text is not None else None


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range [start, end) in the *original* decoded text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """An administrative unit, resolved against the gazetteer where possible.

    `level` is the level of the most specific unit: "province", "district" or "commune".
    Names are the gazetteer's short names ("Tây Ninh", "Đăk Đoa"); `written` keeps the
    spelling the document used for the most specific unit ("Đak Đoa").
    """

    province: str | None = None
    district: str | None = None
    commune: str | None = None
    level: str | None = None
    province_code: int | None = None
    district_code: int | None = None
    commune_code: int | None = None
    written: str | None = None

    @property
    def label(self) -> str:
        """Display form: most specific unit as written, then the province ("Đak Đoa, Gia Lai")."""
        parts: list[str] = []
        local = self.written or self.commune or self.district
        if self.level in ("district", "commune") and local:
            parts.append(local)
        if self.province and self.province not in parts:
            parts.append(self.province)
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Mention:
    """One place where a document refers to an instrument, with what it wrote there."""

    span: Span
    surface: str
    date: str | None = None  # ISO date as written at this mention
    issuer: str | None = None  # issuer as written at this mention
    in_footnote: bool = False


@dataclass(slots=True)
class Reference:
    """One distinct instrument referred to by a document.

    `symbol` is the normalised số/ký hiệu ("04/2015/NĐ-CP", "11-QĐi/TW"); `number` its number
    part. A named reference without a number ("Luật Tiếp công dân năm 2013") has `name` and,
    when the project knows the law, `symbol` resolved from the law table (`resolved_by`).
    `implements` holds keys of other references that this one's title says it carries out.
    """

    type: str | None = None
    number: str | None = None
    symbol: str | None = None
    year: int | None = None
    date: str | None = None
    issuer: str | None = None
    issuer_code: str | None = None
    jurisdiction: Jurisdiction | None = None
    name: str | None = None
    title: str | None = None
    implements: list[str] = field(default_factory=list)
    surface: str = ""
    spans: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    named: bool = False
    resolved_by: str | None = None  # e.g. "law-table" when a named law was resolved to a symbol

    @property
    def key(self) -> str:
        """Identity of the instrument inside one document: symbol (or name) and year."""
        base = self.symbol or f"{self.type or ''}|{self.name or self.surface}"
        year = self.year or (int(self.date[:4]) if self.date else None)
        return f"{base}@{year}" if year else base

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "number": self.number,
            "symbol": self.symbol,
            "year": self.year,
            "date": self.date,
            "issuer": self.issuer,
            "jurisdiction": self.jurisdiction.label if self.jurisdiction else None,
            "name": self.name,
            "title": self.title,
            "implements": list(self.implements),
            "surface": self.surface,
            "spans": [[s.start, s.end] for s in self.spans],
            "mentions": [
                {"span": [m.span.start, m.span.end], "surface": m.surface, "date": m.date,
                 "issuer": m.issuer, "in_footnote": m.in_footnote}
                for m in self.mentions
            ],
            "named": self.named,
        }


@dataclass(slots=True)
class Supersession:
    """A sentence in which the document replaces, repeals, amends or ends another instrument."""

    relation: str  # replaces | repeals | repeals_part | amends | ends
    symbol: str | None = None
    name: str | None = None
    year: int | None = None
    date: str | None = None
    effective: str | None = None
    surface: str = ""
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = [self.span.start, self.span.end] if self.span else None
        return d


@dataclass(slots=True)
class Identity:
    """The document's own identity, as far as its text says."""

    type: str | None = None
    number: str | None = None
    symbol: str | None = None
    date: str | None = None
    year: int | None = None
    issuer: str | None = None
    jurisdiction: Jurisdiction | None = None
    place: str | None = None
    title: str | None = None
    signer: str | None = None
    signer_position: str | None = None
    recipients: list[str] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)
    not_before: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "number": self.number,
            "symbol": self.symbol,
            "date": self.date,
            "year": self.year,
            "issuer": self.issuer,
            "jurisdiction": self.jurisdiction.label if self.jurisdiction else None,
            "place": self.place,
            "title": self.title,
            "signer": self.signer,
            "signer_position": self.signer_position,
            "recipients": list(self.recipients),
            "deadlines": list(self.deadlines),
            "not_before": self.not_before,
        }


@dataclass(slots=True)
class Document:
    """Everything extracted from one source file."""

    source: str
    sha256: str
    text: str  # the decoded original text (spans point into it)
    identity: Identity
    implements: list[str] = field(default_factory=list)  # reference keys
    refs: list[Reference] = field(default_factory=list)
    supersessions: list[Supersession] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    format: str = "txt"
    encoding: str | None = None

    def ref_by_key(self, key: str) -> Reference | None:
        for r in self.refs:
            if r.key == key:
                return r
        return None

    def _key_to_symbol(self, key: str) -> str:
        r = self.ref_by_key(key)
        return (r.symbol or r.name or r.surface) if r else key

    def to_json(self) -> dict[str, Any]:
        refs = []
        for r in self.refs:
            d = r.to_json()
            d["implements"] = [self._key_to_symbol(k) for k in r.implements]
            refs.append(d)
        return {
            "source": self.source,
            "sha256": self.sha256,
            "format": self.format,
            "encoding": self.encoding,
            "self": self.identity.to_json(),
            "implements": [self._key_to_symbol(k) for k in self.implements],
            "refs": refs,
            "supersessions": [s.to_json() for s in self.supersessions],
            "warnings": list(self.warnings),
        }
