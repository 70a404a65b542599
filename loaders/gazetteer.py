"""Vietnamese administrative units: resolve names written in documents against the gazetteer.

The gazetteer is the data of the ``vietnam-provinces`` package, version 0.6.0: the three-level
structure in force before 1 July 2025 (63 provinces → districts → wards/communes). Most documents
the project reads date from before 2025, so this is the structure their place names refer to.

Two reforms of 2025 change the picture for newer documents:

- Nghị quyết 202/2025/QH15 (12/6/2025) merged the 63 provinces into 34 from 1 July 2025;
  :func:`province_successor` maps every old province to its successor
  (``ontology/provinces_2025.csv``).
- The district level ended on 1 July 2025 (Luật Tổ chức chính quyền địa phương 72/2025/QH15):
  district People's Councils and Committees stopped work that day, so a district named by a
  document issued after that date is a former unit. It is still resolved here.

>>> resolve("Đak Đoa", "huyện").label
'Đak Đoa, Gia Lai'
>>> [(s, e, j.level) for s, e, j in find_places("UBND thị trấn Đak Đoa, huyện Đak Đoa")]
[(5, 21, 'commune'), (23, 36, 'district')]
"""

from __future__ import annotations

import bisect
import csv
import functools
import importlib.resources
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from kg.model import Jurisdiction

__all__ = ["find_places", "fold", "fold_text", "province_names", "province_successor", "resolve"]

# Unit words (folded) and the levels each can name: "thành phố" names both centrally-run cities
# (province level) and provincial cities (district level).
_KIND_LEVELS: dict[str, tuple[str, ...]] = {
    "tinh": ("province",),
    "thanh pho": ("province", "district"),
    "huyen": ("district",),
    "quan": ("district",),
    "thi xa": ("district",),
    "thi tran": ("commune",),
    "xa": ("commune",),
    "phuong": ("commune",),
}
_ALL_LEVELS = ("province", "district", "commune")

# Unit words as written (lower case, with diacritics) → folded kind. Matching written words, not
# folded ones, keeps names such as "Quan Sơn", "Tĩnh Gia" or "Xà Phìn" from losing a word.
_UNIT_WORDS = {
    "tỉnh": "tinh", "thành phố": "thanh pho", "tp": "thanh pho", "tp.": "thanh pho",
    "huyện": "huyen", "quận": "quan", "thị xã": "thi xa", "tx": "thi xa", "tx.": "thi xa",
    "thị trấn": "thi tran", "xã": "xa", "phường": "phuong",
}
# Party committees named after their unit ("Tỉnh ủy Gia Lai"): recognised by find_places only.
_COMMITTEE_WORDS = {
    "tỉnh ủy": "tinh", "tỉnh uỷ": "tinh", "thành ủy": "thanh pho", "thành uỷ": "thanh pho",
    "huyện ủy": "huyen", "huyện uỷ": "huyen", "thị ủy": "thi xa", "thị uỷ": "thi xa",
}

# Names of one place that folding alone does not unify (folded → folded). The gazetteer calls the
# former Thừa Thiên Huế province "Huế" (a centrally-run city since 1 January 2025).
_ALIASES = {
    "thua thien hue": "hue",
    "hcm": "ho chi minh",
    "tphcm": "ho chi minh",
    "daklak": "dak lak",
    "daknong": "dak nong",
}
_ABBREVIATIONS = {"tp": "thanh pho", "tx": "thi xa"}
_APOSTROPHE = re.compile(r"['’ʼ]\s*")
_SEPARATORS = str.maketrans({"-": " ", "–": " ", ".": " ", ",": " "})


def fold_text(text: str) -> str:
    """Lower-case, strip diacritics (đ → d), drop apostrophes, hyphens/dots/commas → one space.

    >>> fold_text("Phòng, chống  tham nhũng")
    'phong chong tham nhung'
    """
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_APOSTROPHE.sub("", text).translate(_SEPARATORS).split())


@functools.lru_cache(maxsize=1 << 16)  # find_places folds the same few names over and over
def fold(name: str) -> str:
    """Fold a place name to a comparison key.

    Lower-cases, strips diacritics (đ → d), treats hyphens and dots as spaces, drops apostrophes
    ("K' Dang" = "K'Dang") and collapses spaces, so that spellings of one place compare equal:
    "Đak/Đăk/Đắk", "Hoà/Hòa", "Uỷ/Ủy", "Thừa Thiên - Huế", "Bà Rịa - Vũng Tàu"/"Bà Rịa Vũng Tàu".
    A leading "TP"/"Tp."/"TX" becomes "thanh pho"/"thi xa".

    Args:
        name: A name as written, with or without its unit word.

    Returns:
        The folded key.

    >>> fold("Đắk Lắk") == fold("Đak Lak") == fold("ĐĂK LĂK")
    True
    >>> fold("TP. Hồ Chí Minh")
    'thanh pho ho chi minh'
    """
    words = fold_text(name).split()
    if words and words[0] in _ABBREVIATIONS:
        words[0] = _ABBREVIATIONS[words[0]]
    return " ".join(words)


def _split_written(name: str) -> tuple[str | None, str]:
    """Split a written name into the folded kind of its leading unit word (if any) and the rest."""
    words = name.split()
    for n in (2, 1):
        if len(words) > n:
            kind = _UNIT_WORDS.get(" ".join(words[:n]).lower())
            if kind:
                return kind, " ".join(words[n:])
    return None, " ".join(words)


@dataclass(frozen=True, slots=True, eq=False)
class _Unit:
    level: str
    kind: str  # folded unit word of the gazetteer's own name: "huyen", "thanh pho", ...
    name: str  # short name without the unit word: "Đăk Đoa"
    code: int
    province: _Unit | None = None
    district: _Unit | None = None


def _make_unit(entry: dict, level: str, province: _Unit | None, district: _Unit | None) -> _Unit:
    # Every gazetteer name starts with its unit word ("Huyện Đăk Đoa", "Thành Phố Đồng Hới").
    kind, name = _split_written(unicodedata.normalize("NFC", entry["name"]))
    return _Unit(level, kind or "", name, int(entry["code"]), province, district)


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    provinces: tuple[_Unit, ...]
    by_key: dict[str, tuple[_Unit, ...]]
    prefixes: frozenset[str]  # every leading run of words of a key: lets scanning stop early


@functools.cache
def _gazetteer() -> _Gazetteer:
    """Load the package's nested divisions once (63 provinces, ~700 districts, ~10,000 communes)."""
    resource = importlib.resources.files("vietnam_provinces") / "data" / "nested-divisions.json"
    data = json.loads(resource.read_text(encoding="utf-8"))
    if not data or "districts" not in data[0]:
        raise RuntimeError(
            "the installed vietnam-provinces data has no district level (a post-2025 release); "
            "the project pins vietnam-provinces==0.6.0: run `make install` or "
            "`.venv/bin/pip install vietnam-provinces==0.6.0`"
        )
    index: dict[str, list[_Unit]] = defaultdict(list)
    provinces = []
    for p in data:
        province = _make_unit(p, "province", None, None)
        provinces.append(province)
        index[fold(province.name)].append(province)
        for d in p["districts"]:
            district = _make_unit(d, "district", province, None)
            index[fold(district.name)].append(district)
            for w in d["wards"]:
                commune = _make_unit(w, "commune", province, district)
                index[fold(commune.name)].append(commune)
    prefixes = set()
    for key in [*index, *_ALIASES]:
        words = key.split()
        prefixes.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    return _Gazetteer(tuple(provinces), {k: tuple(v) for k, v in index.items()}, frozenset(prefixes))


def province_names() -> list[str]:
    """Short names of the 63 provinces of the gazetteer, in its order ("Hà Nội", "Hà Giang", …)."""
    return [p.name for p in _gazetteer().provinces]


@functools.lru_cache(maxsize=65536)
def _lookup(
    key: str,
    kind: str | None,
    province: _Unit | None = None,
    district_key: str | None = None,
) -> tuple[_Unit | None, int]:
    """The unit a folded name denotes under the hints, and how many units were left.

    When several units remain, the one whose own unit word is the one written wins ("thành phố
    Tây Ninh" is the city, not "Tỉnh Tây Ninh"); otherwise there is no answer.
    """
    levels = _KIND_LEVELS[kind] if kind else _ALL_LEVELS
    units = [u for u in _gazetteer().by_key.get(_ALIASES.get(key, key), ()) if u.level in levels]
    if province is not None:
        units = [u for u in units if (u.province or u) is province]
    if district_key is not None:
        units = [u for u in units if u.district is not None and fold(u.district.name) == district_key]
    if len(units) > 1 and kind:
        units = [u for u in units if u.kind == kind] or units
    return (units[0] if len(units) == 1 else None), len(units)


def _province_hint(name: str) -> _Unit | None:
    _, rest = _split_written(name)
    return _lookup(fold(rest), "tinh")[0]


@functools.lru_cache(maxsize=1 << 14)  # frozen values: one instance per unit and spelling
def _jurisdiction(unit: _Unit, written: str) -> Jurisdiction:
    province = unit.province or unit
    district = unit.district or (unit if unit.level == "district" else None)
    commune = unit if unit.level == "commune" else None
    return Jurisdiction(
        province=province.name,
        district=district.name if district else None,
        commune=commune.name if commune else None,
        level=unit.level,
        province_code=province.code,
        district_code=district.code if district else None,
        commune_code=commune.code if commune else None,
        written=written,
    )


def resolve(
    name: str,
    kind: str | None = None,
    *,
    province: str | None = None,
    district: str | None = None,
) -> Jurisdiction | None:
    """Resolve an administrative unit's name to the gazetteer.

    Args:
        name: The name as written ("Đak Đoa"); a leading unit word ("huyện Đak Đoa") is read
            as the kind when ``kind`` is not given.
        kind: The unit word as written: "tỉnh", "thành phố", "huyện", "quận", "thị xã",
            "thị trấn", "xã", "phường"; None for any level.
        province: Name of the province the unit lies in, if known.
        district: Name of the district the unit lies in, if known.

    Returns:
        The unit, or None when the name is unknown or names several units that the hints do not
        tell apart (many communes share a name): this function never guesses.

    >>> resolve("Tây Ninh", "tỉnh").level
    'province'
    >>> resolve("Tân Bình", "xã") is None  # dozens of communes
    True
    """
    written_kind, written = _split_written(unicodedata.normalize("NFC", name))
    if kind is None:
        kind = written_kind
    else:
        kind = _UNIT_WORDS.get(kind.strip().lower()) or fold(kind)
        if kind not in _KIND_LEVELS:
            return None
    province_unit = None
    if province is not None:
        province_unit = _province_hint(province)
        if province_unit is None:
            return None
    district_key = None
    if district is not None:
        district_key = fold(_split_written(unicodedata.normalize("NFC", district))[1])
    unit, _ = _lookup(fold(written), kind, province_unit, district_key)
    return _jurisdiction(unit, written) if unit else None


# --- scanning text -----------------------------------------------------------------------------

_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_LETTER = r"[^\W\d_]"
# A capitalised word ("Đoa", "KBang", "H'leo", "GIA") or a one/two-digit number ("Quận 1").
_WORD = rf"(?:[{_UPPER}]{_LETTER}*(?:['’]{_LETTER}*)?|\d{{1,2}}(?!\d))"
_SEP = r"(?:[ \t\u00a0]*[-–][ \t\u00a0]*|[ \t\u00a0]+)"
_MAX_WORDS = 4


def _case_forms(phrase: str) -> set[str]:
    return {phrase, phrase[0].upper() + phrase[1:], phrase.title(), phrase.upper()}


@functools.cache
def _scanner() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """The place pattern, the word pattern and the unit word forms (compiled on first use).

    Unit words are listed in their lower, sentence, title and upper forms rather than matched
    with a case-insensitive group, which keeps Python's ``re`` on its fast literal-prefix path.
    """
    forms: dict[str, str] = {}
    for word, kind in {**_UNIT_WORDS, **_COMMITTEE_WORDS}.items():
        for form in _case_forms(word):
            forms[form] = kind
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
    place = re.compile(
        rf"(?P<unit>{alternation})(?:[ \t\u00a0]+|(?<=\.))"
        rf"(?P<name>{_WORD}(?:{_SEP}{_WORD}){{0,{_MAX_WORDS - 1}}})"
    )
    return place, re.compile(_WORD), forms


def find_places(text: str) -> list[tuple[int, int, Jurisdiction]]:
    """Find "<unit word> <Proper Name>" phrases in a text and resolve them.

    The unit word is matched in any case ("tỉnh Tây Ninh", "TỈNH GIA LAI", "UBND huyện Đak
    Đoa", "Tỉnh ủy Gia Lai", "TP. Hồ Chí Minh"); the name is the 1–4 capitalised words after
    it, on the same line, stopping at a lower-case word or punctuation. The longest prefix of the
    name that resolves wins. A name that is ambiguous on its own is resolved inside the province
    and district last resolved in the text, if that makes it unique; otherwise it is skipped, as
    are unknown names. Runs in linear time.

    Args:
        text: Any text.

    Returns:
        ``(start, end, jurisdiction)`` for every resolved place, in text order; the span covers
        the unit word and the name.
    """
    if len(text) <= 200:  # an issuer's name: the same few recur in every document
        return list(_find_places_short(text))
    return _find_places(text)


@functools.lru_cache(maxsize=8192)
def _find_places_short(text: str) -> tuple[tuple[int, int, Jurisdiction], ...]:
    return tuple(_find_places(text))


# First words of the unit words, lower case: every match starts where one of them occurs in the
# lower-cased text. (Found with str.find, they spare the pattern a scan for first letters as
# common as "t" and "h".)
_UNIT_HEADS = ("tỉnh", "thành", "tp", "huyện", "quận", "thị", "tx", "xã", "phường")
# For the heads with a letter rare in plans, where it is: they are found through it (see
# `loaders.scan.find_all`: "ã" occurs a few times in a plan, "xã" costs a scan of several letters).
_HEAD_PROBES = {"tỉnh": 1, "tx": 1, "xã": 1, "phường": 3}


def _searcher(text: str) -> Callable[[int], re.Match[str] | None]:
    """`lambda pos: place.search(text, pos)`, trying the pattern only where a unit word can start."""
    place = _scanner()[0]
    low = text.lower()
    if len(low) != len(text):  # offsets would not line up: search as usual
        return lambda pos: place.search(text, pos)
    from loaders.scan import find_all

    starts: list[int] = []
    for head in _UNIT_HEADS:
        starts += find_all(low, head, _HEAD_PROBES.get(head))
    starts.sort()

    def search(pos: int) -> re.Match[str] | None:
        for k in range(bisect.bisect_left(starts, pos), len(starts)):
            m = place.match(text, starts[k])
            if m is not None:
                return m
        return None

    return search


def _find_places(text: str) -> list[tuple[int, int, Jurisdiction]]:
    place, word, forms = _scanner()
    prefixes = _gazetteer().prefixes
    found: list[tuple[int, int, Jurisdiction]] = []
    context: _Unit | None = None  # the last unit resolved: its province and district are hints
    pos = 0
    search = _searcher(text) if len(text) > 200 else (lambda pos: place.search(text, pos))
    while (m := search(pos)) is not None:
        pos = m.end("unit")
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            continue
        kind = forms[m.group("unit")]
        name_start = m.start("name")
        candidates = []  # (end, written, key), growing one word at a time while a name could follow
        for w in word.finditer(m.group("name")):
            written = text[name_start : name_start + w.end()]
            key = fold(written)
            if key not in prefixes:
                break
            candidates.append((name_start + w.end(), written, key))
        for end, written, key in reversed(candidates):
            unit, count = _lookup(key, kind)
            if unit is None and count > 1 and context is not None:
                province = context.province or context
                unit = _lookup(key, kind, province)[0]
                district = context.district or (context if context.level == "district" else None)
                if unit is None and district is not None:
                    unit = _lookup(key, kind, province, fold(district.name))[0]
            if unit is not None:
                found.append((m.start(), end, _jurisdiction(unit, written)))
                context = unit
                pos = end
                break
    return found


# --- the provinces of 1 July 2025 --------------------------------------------------------------


@functools.cache
def _successors() -> dict[str, tuple[str, str, str]]:
    resource = importlib.resources.files("ontology") / "provinces_2025.csv"
    with resource.open(encoding="utf-8", newline="") as f:
        return {
            fold(row["old_province"]): (row["new_province"], row["effective_date"], row["source"])
            for row in csv.DictReader(f)
        }


def province_successor(province: str) -> tuple[str, str, str] | None:
    """The province that an old (pre-July 2025) province became under Nghị quyết 202/2025/QH15.

    Args:
        province: An old province's name, with or without "tỉnh"/"thành phố" ("Long An",
            "tỉnh Thừa Thiên Huế").

    Returns:
        ``(new province, effective ISO date, source)``, or None for an unknown name. A province
        that was not merged maps to itself. (Districts have no successor: the district level
        itself ended on 1 July 2025 under Luật Tổ chức chính quyền địa phương 72/2025/QH15.)

    >>> province_successor("tỉnh Long An")
    ('Tây Ninh', '2025-07-01', 'Nghị quyết 202/2025/QH15')
    """
    key = fold(_split_written(unicodedata.normalize("NFC", province))[1])
    return _successors().get(_ALIASES.get(key, key))
