"""Codes inside số/ký hiệu: who issued an instrument ("TTg", "UBND", "TU") and what kind it is ("NQ").

A symbol such as ``33/CT-TTg`` or ``04-CTr/BDVTU-BCSDUBND`` is built from a type code ("CT",
"CTr") and one or more issuer codes ("TTg", "BDVTU", "BCSĐUBND"). The codes live in
``loaders/data/issuer_codes.csv`` and ``loaders/data/type_codes.csv``; state codes follow Nghị định
30/2020/NĐ-CP (Phụ lục III), party codes the Văn phòng Trung ương's guidance on party documents.

Codes are matched case-insensitively and with or without the Đ/D distinction, since documents
typed without Vietnamese input often write "BCD" for "BCĐ". An exact spelling wins over a folded
one where both exist ("DA" Dự án, "ĐA" Đề án).

>>> issuer_for_code("qh15").term
'XV'
>>> type_for_code("TTr", party=True), type_for_code("TTr", party=False)
('Thông tri', 'Tờ trình')
>>> canonical_code("BCD")
'BCĐ'
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace

__all__ = ["IssuerInfo", "all_codes", "canonical_code", "issuer_for_code", "type_for_code"]

LEVELS = ("party-central", "state-central", "ministry", "province", "district", "commune", "local-unknown")
SCOPES = ("national", "local")
CONTEXTS = ("party", "state", "any")

# Bodies whose code carries the number of their term (khóa): QH15 is the 15th National Assembly.
_TERMED = re.compile(r"^(QH|UBTVQH)(\d{1,2})$")
_ROMAN = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


@dataclass(frozen=True, slots=True)
class IssuerInfo:
    """One issuer code and the body it stands for.

    ``level`` is one of :data:`LEVELS`; ``scope`` is "national" (the code alone identifies the
    body) or "local" (it names a kind of body, unique only inside a jurisdiction). ``term`` is the
    khóa for codes that carry one ("XV" for QH15), else None.
    """

    code: str
    name_vi: str
    name_en: str
    level: str
    scope: str
    term: str | None = None


def _exact(code: str) -> str:
    return unicodedata.normalize("NFC", code).strip().upper()


def _folded(code: str) -> str:
    return _exact(code).replace("Đ", "D")


@functools.cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with (importlib.resources.files("loaders") / "data" / name).open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def _index(rows: tuple[dict[str, str], ...]) -> tuple[dict[str, list[dict[str, str]]], ...]:
    """Rows by exact (upper-case) code and by Đ-folded code."""
    exact: dict[str, list[dict[str, str]]] = defaultdict(list)
    folded: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        exact[_exact(row["code"])].append(row)
        folded[_folded(row["code"])].append(row)
    return dict(exact), dict(folded)


@functools.cache
def _issuers() -> tuple[dict[str, list[dict[str, str]]], ...]:
    return _index(_rows("issuer_codes.csv"))


@functools.cache
def _types() -> tuple[dict[str, list[dict[str, str]]], ...]:
    return _index(_rows("type_codes.csv"))


def _find(tables: tuple[dict[str, list[dict[str, str]]], ...], code: str) -> list[dict[str, str]]:
    exact, folded = tables
    return exact.get(_exact(code)) or folded.get(_folded(code)) or []


def _roman(n: int) -> str:
    out = ""
    for value, numeral in _ROMAN:
        while n >= value:
            out, n = out + numeral, n - value
    return out


@functools.cache
def issuer_for_code(code: str) -> IssuerInfo | None:
    """The body an issuer code stands for.

    Args:
        code: One issuer code as written ("TTg", "ttg", "BCD", "QH15", "UBTVQH11").

    Returns:
        The issuer, with its canonical code, or None for an unknown code.

    >>> issuer_for_code("UBND").scope
    'local'
    """
    termed = _TERMED.match(_exact(code))
    if termed and int(termed.group(2)) > 0:
        base = issuer_for_code(termed.group(1))
        if base is None:
            return None
        number = int(termed.group(2))
        return replace(base, code=f"{base.code}{number}", term=_roman(number))
    rows = _find(_issuers(), code)
    if not rows:
        return None
    row = rows[0]
    return IssuerInfo(row["code"], row["name_vi"], row["name_en"], row["level"], row["scope"])


def type_for_code(code: str, *, party: bool) -> str | None:
    """The instrument type a type code stands for, in Vietnamese.

    Some codes mean different things in party and state documents: "TTr" is a Thông tri in a
    party symbol (``01-TTr/TU``) and a Tờ trình in a state one (``15/TTr-UBND``).

    Args:
        code: One type code as written ("NQ", "nd", "QĐi").
        party: Whether the symbol is in the party form (``NN-XX/ISSUER``).

    Returns:
        The type ("Nghị quyết"), or None for an unknown code.

    >>> type_for_code("ND", party=False)
    'Nghị định'
    """
    rows = _find(_types(), code)
    wanted = "party" if party else "state"
    for row in rows:
        if row["context"] in (wanted, "any"):
            return row["type_vi"]
    return None


def canonical_code(code: str) -> str:
    """The canonical spelling of one code token (issuer or type).

    Restores case and Đ: "ND" → "NĐ", "QD" → "QĐ", "BCD" → "BCĐ", "QĐI" → "QĐi", "ttg" → "TTg",
    "qh15" → "QH15". An unknown code comes back upper-cased.

    Args:
        code: One code token, without separators.

    Returns:
        The canonical spelling.

    >>> canonical_code("BCSDUBND")
    'BCSĐUBND'
    """
    for key, table in ((_exact(code), 0), (_folded(code), 1)):  # exact spellings first
        for tables in (_types(), _issuers()):
            rows = tables[table].get(key)
            if rows:
                return rows[0]["code"]
    issuer = issuer_for_code(code)
    return issuer.code if issuer else _exact(code)


def all_codes() -> list[str]:
    """Every canonical code of both tables (issuers, then types), once each, for building scanners."""
    return list(dict.fromkeys(row["code"] for row in _rows("issuer_codes.csv") + _rows("type_codes.csv")))
