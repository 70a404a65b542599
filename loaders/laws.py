"""Vietnamese laws, codes, ordinances and constitutions by name: "Luật Tiếp công dân" → 42/2013/QH13.

Plans often cite a law by name only ("Luật Tiếp công dân năm 2013", "Bộ luật Lao động"). The table
``loaders/data/laws.csv`` gives the symbol of each version the project could source; a law that was
re-enacted has one row per version ("Luật Tố cáo" 2011 and 2018). Constitutions have no số/ký hiệu:
their ``symbol`` is empty.

Names match after folding case, diacritics, spaces and punctuation, so "phòng, chống tham nhũng"
finds "Phòng, chống tham nhũng" and "thực hiện DÂN CHỦ ở cơ sở" finds "Thực hiện dân chủ ở cơ sở".
A name with several versions is resolved only with a year or a date to judge by: never guessed.

>>> lookup_law("Luật", "Tố cáo", as_of_year=2023).symbol
'25/2018/QH14'
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
from collections import defaultdict
from dataclasses import dataclass

from loaders.gazetteer import fold_text

__all__ = ["LawInfo", "law_names", "lookup_law"]

# "Hiến pháp năm 2013" names no more than the type: the full name is then implied.
_IMPLIED_NAMES = {"hien phap": "nuoc cong hoa xa hoi chu nghia viet nam"}


@dataclass(frozen=True, slots=True)
class LawInfo:
    """One version of a law as the table records it; ``symbol`` is None for a constitution."""

    type: str
    name: str
    year: int
    symbol: str | None
    source: str


@functools.cache
def _laws() -> tuple[LawInfo, ...]:
    with (importlib.resources.files("loaders") / "data" / "laws.csv").open(encoding="utf-8", newline="") as f:
        return tuple(
            LawInfo(row["type"], row["name"], int(row["year"]), row["symbol"] or None, row["source"])
            for row in csv.DictReader(f)
        )


@functools.lru_cache(maxsize=4096)  # plans cite the same few laws: fold each spelling once
def _key(type_: str, name: str) -> tuple[str, str]:
    folded_type = fold_text(type_)
    return folded_type, fold_text(name) or _IMPLIED_NAMES.get(folded_type, "")


@functools.cache
def _index() -> dict[tuple[str, str], tuple[LawInfo, ...]]:
    index: dict[tuple[str, str], list[LawInfo]] = defaultdict(list)
    for law in _laws():
        index[_key(law.type, law.name)].append(law)
    return {k: tuple(sorted(v, key=lambda law: law.year)) for k, v in index.items()}


def lookup_law(
    type_: str, name: str, *, year: int | None = None, as_of_year: int | None = None
) -> LawInfo | None:
    """Find the version of a law that a citation by name means.

    Args:
        type_: "Luật", "Bộ luật", "Pháp lệnh" or "Hiến pháp", as written.
        name: The name after the type word ("Tiếp công dân"; "Lao động" for Bộ luật Lao động).
        year: The year the citation gives ("Luật Tố cáo năm 2011"): that version.
        as_of_year: Without ``year``, the year of the citing document: the latest version passed
            in or before it.

    Returns:
        The version, or None when the law is unknown, no version fits, or the choice would be a
        guess (several versions and no year; two versions passed in the same year).

    >>> lookup_law("Luật", "Tố cáo") is None  # 2011 or 2018?
    True
    >>> lookup_law("Bộ luật", "lao động", year=2012).symbol
    '10/2012/QH13'
    """
    versions = _index().get(_key(type_, name), ())
    if year is not None:
        versions = tuple(v for v in versions if v.year == year)
    elif as_of_year is not None:
        versions = tuple(v for v in versions if v.year <= as_of_year)
        versions = tuple(v for v in versions if v.year == versions[-1].year) if versions else ()
    return versions[0] if len(versions) == 1 else None


def law_names() -> list[tuple[str, str]]:
    """Every (type, name) in the table, once each, in table order: the names a scanner looks for."""
    return list(dict.fromkeys((law.type, law.name) for law in _laws()))
