"""Resolve mentions into distinct references (stage three of clean → find → resolve).

- dates and issuers shared across a list ("Quyết định số 217-QĐ/TW, Quyết định số 218-QĐ/TW
  ngày 12/12/2013 của Bộ Chính trị": both are of 12/12/2013, both of Bộ Chính trị);
- short back-references ("Chỉ thị số 33/CT-TTg" after the full form) join the full form;
- one symbol with different years stays apart (Chỉ thị 16/CT-TTg of 2016 and of 2020);
- issuers implied by a national code ("…/CT-TTg" → Thủ tướng Chính phủ) when not written;
- jurisdiction of local instruments from the issuer as written and the citing document's units;
- named laws resolved to their number through the law table, as of the citing document's year.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from kg.model import Jurisdiction, Mention, Reference, Span
from loaders.clean import Cleaned
from loaders.references import RawMention
from loaders.symbols import Symbol, symbol_key

# Issuers that a national code names without doubt. "TW" is left out on purpose: a party
# central document may be of Ban Chấp hành Trung ương, Bộ Chính trị or Ban Bí thư.
_NATIONAL_ISSUERS = {
    "TTg": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "CTN": "Chủ tịch nước",
    "HĐBT": "Hội đồng Bộ trưởng",
}
_LOCAL_CODES = re.compile(r"^(UBND|HĐND|TU|HU|ĐU|TƯ|BCĐ|BDV|BCS|BTG|BTC|UBKT|VP|S[A-ZĐ]|MTTQ|UBMTTQ|BQL|TTr)")


def _issuer_from_codes(sym: Symbol) -> str | None:
    codes = sym.issuer_codes
    if not codes:
        return None
    return _issuer_from_code(codes[0])


@lru_cache(maxsize=4096)  # a few hundred codes recur across every document
def _issuer_from_code(code: str) -> str | None:
    if code in _NATIONAL_ISSUERS:
        return _NATIONAL_ISSUERS[code]
    if re.fullmatch(r"QH\d{1,2}", code):
        return "Quốc hội"
    if re.fullmatch(r"UBTVQH\d{1,2}", code):
        return "Ủy ban Thường vụ Quốc hội"
    try:
        from loaders.issuers import issuer_for_code
    except ImportError:
        return None
    info = issuer_for_code(code)
    if info is not None and info.scope == "national" and code != "TW" and info.level == "ministry":
        return info.name_vi
    return None


def is_local(sym: Symbol | None) -> bool:
    """Instruments of local bodies (UBND, TU, HU, Sở …) are unique only inside their unit."""
    if sym is None:
        return False
    codes = sym.issuer_codes
    if not codes:
        return False
    return _is_local_code(codes[0])


@lru_cache(maxsize=4096)
def _is_local_code(code: str) -> bool:
    try:
        from loaders.issuers import issuer_for_code

        info = issuer_for_code(code)
        if info is not None:
            return info.scope == "local"
    except ImportError:
        pass
    return bool(_LOCAL_CODES.match(code))


_LEVEL_WORDS = [
    (re.compile(r"(?i)\b(?:tỉnh ủy|tỉnh uỷ|tỉnh|thành phố trực thuộc|thành ủy|thành uỷ)\b"), "province"),
    (re.compile(r"(?i)\b(?:huyện ủy|huyện uỷ|huyện|quận|thị xã|thị ủy|thị uỷ|quận ủy)\b"), "district"),
    (re.compile(r"(?i)\b(?:xã|phường|thị trấn|đảng ủy|đảng uỷ)\b"), "commune"),
]
_CODE_LEVEL = {"TU": "province", "BDVTU": "province", "HU": "district", "BDVHU": "district", "ĐU": "commune"}


def _level_of(issuer: str | None, sym: Symbol | None) -> str | None:
    return _level_of_codes(issuer, sym.issuer_codes if sym is not None else ())


def _level_of_codes(issuer: str | None, issuer_codes: tuple[str, ...]) -> str | None:
    if issuer:
        found = [(m.start(), lvl) for rx, lvl in _LEVEL_WORDS for m in [rx.search(issuer)] if m]
        if found:
            # the unit word nearest the end names the issuer's own level ("Ban Dân vận Huyện ủy")
            return max(found)[1]
        if re.search(r"\bSở\b", issuer):
            return "province"
    for c in issuer_codes:
        if c in _CODE_LEVEL:
            return _CODE_LEVEL[c]
    return None


def local_jurisdiction(issuer: str | None, sym: Symbol | None, home: Jurisdiction | None) -> Jurisdiction | None:
    """Unit of a local instrument: named in the issuer, else the citing document's unit of that level."""
    return _local_jurisdiction(issuer, sym.issuer_codes if sym is not None else (), home)


@lru_cache(maxsize=16384)  # the same few issuers, codes and home units recur in every document
def _local_jurisdiction(issuer: str | None, issuer_codes: tuple[str, ...],
                        home: Jurisdiction | None) -> Jurisdiction | None:
    from loaders.gazetteer import find_places

    if issuer:
        places = find_places(issuer)
        if places:
            return places[-1][2]
    level = _level_of_codes(issuer, issuer_codes)
    if home is None or level is None:
        return None
    if level == "province" and home.province:
        return Jurisdiction(province=home.province, level="province", province_code=home.province_code,
                            written=home.province)
    if level == "district" and home.district:
        written = home.written if home.level == "district" else None
        return Jurisdiction(province=home.province, district=home.district, level="district",
                            province_code=home.province_code, district_code=home.district_code,
                            written=written or home.district)
    if level == "commune" and home.commune:
        return home
    return None


def share_across_lists(mentions: list[RawMention]) -> None:
    """A list item without its own date or issuer takes those of the item that closes the list."""
    for i in range(len(mentions) - 2, -1, -1):
        rm, nxt = mentions[i], mentions[i + 1]
        if not rm.sibling_of_next or rm.title or rm.symbol is None or nxt.symbol is None:
            continue
        if rm.nested_in != nxt.nested_in:
            continue
        if rm.issuer is None and nxt.issuer:
            rm.issuer = nxt.issuer
        if rm.date is None and nxt.date and rm.symbol.year in (None, int(nxt.date[:4])):
            rm.date = nxt.date
            rm.year = int(nxt.date[:4])


def resolve_mentions(
    mentions: list[RawMention],
    cleaned: Cleaned,
    original: str,
    *,
    home: Jurisdiction | None,
    as_of_year: int | None,
) -> tuple[list[Reference], dict[int, str]]:
    """Merge mentions into references; return them and each mention's reference key."""
    share_across_lists(mentions)
    refs: list[Reference] = []
    by_sym: dict[str, list[Reference]] = {}
    key_of_mention: dict[int, str] = {}

    to_original = cleaned.offsets
    # Most texts map onto the original one to one up to some offset (a first piece (0, 0, n, n):
    # all of a text without footnotes, the body of one with): offsets below it are as they are,
    # and for a one-piece map every offset from it on is n. What OffsetMap.__call__ gives.
    pieces = to_original.pieces
    body = pieces[0][2] if (pieces and pieces[0][0] == 0 and pieces[0][1] == 0
                            and pieces[0][2] == pieces[0][3]) else 0
    single = len(pieces) == 1
    footnote_start = cleaned.footnote_start
    for idx, rm in enumerate(mentions):
        sym = rm.symbol
        sym_text = sym.text if sym else None
        year = rm.year
        resolved_by = None
        if sym is None and rm.name:
            law = _lookup_law(rm.type or "Luật", rm.name, rm.year, as_of_year)
            if law is not None:
                sym_text, year, resolved_by = law
        issuer_codes = sym.issuer_codes if sym else ()
        issuer = rm.issuer or (_issuer_from_code(issuer_codes[0]) if issuer_codes else None)
        if sym is None and sym_text and issuer is None:
            issuer = "Quốc hội" if "/QH" in sym_text else None
        start_o, end_o, full_end_o = rm.start, rm.head_end, rm.end  # offsets are >= 0
        if full_end_o >= body:  # end >= head_end >= start: past the one-to-one part
            if single:
                start_o, end_o, full_end_o = min(start_o, body), min(end_o, body), body
            else:
                start_o, end_o = to_original(start_o), to_original(end_o)
                full_end_o = to_original(full_end_o)
        mention = Mention(
            Span(start_o, end_o),
            " ".join(original[start_o:full_end_o].split()),
            rm.date,
            rm.issuer,
            rm.start >= footnote_start,
        )
        ref = _find_ref(by_sym, refs, sym_text, rm, year)
        if ref is None:
            ref = Reference(
                type=rm.type,
                number=sym.number if sym else (sym_text.split("/")[0] if sym_text else None),
                symbol=sym_text,
                year=year,
                date=rm.date,
                issuer=issuer,
                issuer_code=issuer_codes[0] if issuer_codes else None,
                name=rm.name,
                title=rm.title,
                surface=mention.surface,
                named=sym is None,
                resolved_by=resolved_by,
            )
            refs.append(ref)
            if sym_text:
                by_sym.setdefault(symbol_key(sym_text), []).append(ref)
        else:
            _fill(ref, rm, year, issuer)
        ref.mentions.append(mention)
        ref.spans.append(mention.span)
        key_of_mention[idx] = id(ref)  # replaced by keys below, once years are final

    first_symbol: dict[str, Symbol] = {}  # what `_sym_of` finds, for every symbol at once
    for rm in mentions:
        if rm.symbol is not None:
            first_symbol.setdefault(rm.symbol.text, rm.symbol)
    for ref in refs:
        ms = ref.mentions
        if len(ms) == 1:  # what _most_common gives for one reading
            ref.date = ms[0].date or ref.date
        else:
            ref.date = _most_common([m.date for m in ms]) or ref.date
        if ref.date and not ref.year:
            ref.year = int(ref.date[:4])
        if ref.jurisdiction is None and ref.symbol:
            sym = first_symbol.get(ref.symbol)
            if is_local(sym):
                ref.jurisdiction = local_jurisdiction(ref.issuer, sym, home)
    ids = {id(r): r.key for r in refs}
    keys = {i: ids[v] for i, v in key_of_mention.items()}  # type: ignore[index]
    by_key = {k: r for r in refs for k in (ids[id(r)],)}
    for idx, rm in enumerate(mentions):
        if not rm.implements:
            continue
        ref = by_key[keys[idx]]
        for j in rm.implements:
            k = keys.get(j)
            if k and k != ref.key and k not in ref.implements:
                ref.implements.append(k)
    return refs, keys


def _sym_of(mentions: list[RawMention], ref: Reference) -> Symbol | None:
    for rm in mentions:
        if rm.symbol is not None and rm.symbol.text == ref.symbol:
            return rm.symbol
    return None


def _find_ref(
    by_sym: dict[str, list[Reference]], refs: list[Reference], sym_text: str | None, rm: RawMention, year: int | None
) -> Reference | None:
    if sym_text:
        same = by_sym.get(symbol_key(sym_text), [])
        if not same:
            return None
        if year:
            for r in same:
                if r.year == year:
                    return r
            undated = [r for r in same if r.year is None]
            return undated[-1] if undated else None
        # a short back-reference: the one instrument of that symbol, or the latest mentioned
        return same[-1]
    for r in refs:
        if (r.symbol is None and r.type == rm.type and r.name and rm.name and _fold(r.name) == _fold(rm.name)
                and (r.year in (None, year) or year is None)):
            return r
    return None


def _fill(ref: Reference, rm: RawMention, year: int | None, issuer: str | None) -> None:
    if year and not ref.year:
        ref.year = year
    if rm.date and not ref.date:
        ref.date = rm.date
    if not ref.issuer and issuer:
        ref.issuer = issuer
    elif rm.issuer and not any(m.issuer for m in ref.mentions):
        ref.issuer = rm.issuer  # a written issuer wins over one implied by the code
    elif rm.issuer and ref.issuer and rm.issuer.startswith(ref.issuer + " "):
        ref.issuer = rm.issuer  # named in full later: "UBND thành phố" → "UBND thành phố Hà Nội"
    if rm.title and not ref.title:
        ref.title = rm.title
    if rm.typed and ref.type != rm.type and rm.type and ref.type in (None, "Công văn"):
        ref.type = rm.type
    if rm.name and not ref.name:
        ref.name = rm.name


def _most_common(values: list[str | None]) -> str | None:
    vals = [v for v in values if v]
    if not vals:
        return None
    if len(vals) == 1 or vals.count(vals[0]) == len(vals):  # one reading: the usual case
        return vals[0]
    counts = Counter(vals)
    best = max(counts.values())
    return next(v for v in vals if counts[v] == best)


def _fold(s: str) -> str:
    from loaders.laws_index import fold

    return fold(s)


def _lookup_law(kind: str, name: str, year: int | None, as_of_year: int | None) -> tuple[str, int, str] | None:
    try:
        from loaders.laws import lookup_law
    except ImportError:
        return None
    info = lookup_law(kind, name, year=year, as_of_year=as_of_year)
    if info is None:
        return None
    return info.symbol, int(info.year), "law-table"
