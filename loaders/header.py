"""The document's own identity: kind, số/ký hiệu, place and date, issuer, unit, signer, recipients.

Read from the header when there is one (Nghị định 30/2020/NĐ-CP, Phụ lục I lays it out: issuer top
left, "Số: …" under it, "Tây Ninh, ngày … tháng … năm …" top right, the kind in capitals, then the
title), and from the body when there is none: "Sở Ngoại vụ xây dựng Kế hoạch …", "Trên đây là Kế
hoạch … của Sở Thông tin và Truyền thông./.", and the signature block at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.model import Identity, Jurisdiction
from loaders.references import DATE, _iso, canonical_type, kinds
from loaders.scan import find_all, rfind
from loaders.symbols import parse_symbol


@dataclass(slots=True)
class Layout:
    """Where the parts of the document are, in cleaned-text offsets."""

    preamble_start: int | None
    preamble_end: int | None
    title_start: int | None
    title_end: int | None


def _upper_types() -> str:
    return "|".join(sorted({k.type.upper() for k in kinds()}, key=lambda f: (-len(f), f)))


def _types_any_case() -> str:
    forms = set()
    for k in kinds():
        forms |= {k.type, k.type.lower(), k.type[:1] + k.type[1:].lower()}
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=lambda f: (-len(f), f)))


_HEADING_CACHE: dict[str, re.Pattern[str]] = {}


def _rx(name: str) -> re.Pattern[str]:
    if name not in _HEADING_CACHE:
        up, anyc = _upper_types(), _types_any_case()
        _HEADING_CACHE.update(
            heading=re.compile(rf"(?m)^[ \t#*]*(?P<type>{up})[ \t*:]*$"),
            number=re.compile(r"(?m)^[ \t*]*Số\s*:?[ \t]*"
                              r"(?P<sym>(?:\d{1,5}[a-zđ]?)?[ \t]*[/\-][^\s,;]*(?:[ \t]?[-/][ \t]?[A-ZĐ][^\s,;]*)*)"),
            place_date=re.compile(
                rf"(?P<place>[A-ZĐÀ-Ỹ][^\n,;:]{{1,40}}?),\s*ngày\s+"
                rf"(?P<when>{DATE}|[.…\s]*tháng\s+[.…\d\s]*năm\s+(?P<yy>(?:19|20)\d{{2}}))"
            ),
            preamble=re.compile(rf"(?m)^[ \t*]*(?:Thực hiện|Căn cứ|Triển khai thực hiện|Thi hành)\s+"
                                rf"(?:{anyc}|các|ý kiến|Luật)"),
            adopts=re.compile(rf"(?:xây dựng|ban hành|triển khai xây dựng|tổ chức xây dựng)\s+(?P<type>{anyc})"),
            closing=re.compile(rf"Trên đây là\s+(?P<type>{anyc})(?P<body>[^;]{{0,400}}?)"
                               rf"\s+của\s+(?P<issuer>[^;]{{2,120}}?)\s*\.?\s*/\s*\."),
            section=re.compile(r"(?m)^[ \t#*]*(?:I|1)\.\s|^[ \t]*QUYẾT ĐỊNH\s*:|^[ \t]*Điều 1\b"),
            recipients=re.compile(r"(?m)^[ \t*]*Nơi nhận\s*:?"),
            year_in=re.compile(r"\bnăm\s+((?:19|20)\d{2})\b"),
        )
    return _HEADING_CACHE[name]


_POSITIONS = {
    "CHỦ TỊCH": "Chủ tịch", "PHÓ CHỦ TỊCH": "Phó Chủ tịch", "GIÁM ĐỐC": "Giám đốc",
    "PHÓ GIÁM ĐỐC": "Phó Giám đốc", "CHÁNH VĂN PHÒNG": "Chánh Văn phòng",
    "PHÓ CHÁNH VĂN PHÒNG": "Phó Chánh Văn phòng", "TRƯỞNG BAN": "Trưởng ban", "PHÓ TRƯỞNG BAN": "Phó Trưởng ban",
    "BÍ THƯ": "Bí thư", "PHÓ BÍ THƯ": "Phó Bí thư", "BỘ TRƯỞNG": "Bộ trưởng", "THỨ TRƯỞNG": "Thứ trưởng",
    "THỦ TƯỚNG": "Thủ tướng", "PHÓ THỦ TƯỚNG": "Phó Thủ tướng", "CỤC TRƯỞNG": "Cục trưởng",
    "PHÓ CỤC TRƯỞNG": "Phó Cục trưởng", "CHÁNH THANH TRA": "Chánh Thanh tra", "TRƯỞNG PHÒNG": "Trưởng phòng",
    "PHÓ TRƯỞNG PHÒNG": "Phó Trưởng phòng", "HIỆU TRƯỞNG": "Hiệu trưởng", "CHI CỤC TRƯỞNG": "Chi cục trưởng",
    "TỔNG GIÁM ĐỐC": "Tổng Giám đốc", "VIỆN TRƯỞNG": "Viện trưởng", "CHÁNH ÁN": "Chánh án",
    "THƯỜNG TRỰC": "Thường trực", "TRƯỞNG ĐOÀN": "Trưởng đoàn", "GIÁM ĐỐC SỞ": "Giám đốc Sở",
}
# No leading look-behind (it would be tried at every position): what precedes is checked in code.
_POSITION_RE = re.compile(
    "(" + "|".join(sorted(map(re.escape, _POSITIONS), key=lambda f: (-len(f), f))) + r")(?![A-ZĐÀ-Ỹa-zà-ỹ])"
)
_UNIT_WORD_END = re.compile(r"(?i)\b(tỉnh|huyện|xã|thị trấn|thành phố|quận|phường|thị xã)$")


def find_layout(text: str, title_spans: list[tuple[int, int]] | None = None) -> Layout:
    """Where the title and the preamble are. With `title_spans` (the titles of the references
    found), "ban hành Quy chế …" inside a cited instrument's title is not taken for the
    document's own "Sở X xây dựng Kế hoạch …"."""
    pre, sec, heading, title_end = _layout_base(text)
    preamble_start = pre.start() if pre else None
    preamble_end = None
    if pre:
        stop = sec.start() if sec else min(len(text), pre.end() + 3000)
        adopt = None
        for cand in _rx("adopts").finditer(text, pre.end(), stop):
            if not any(s <= cand.start() < e for s, e in title_spans or ()):
                adopt = cand
                break
        if adopt:
            preamble_end = adopt.end()
        elif sec:
            preamble_end = sec.start()
    title_start = heading.end() if heading else 0
    return Layout(preamble_start, preamble_end, title_start, title_end)


_LAST_BASE: tuple[str, tuple] | None = None  # the last text and its `_layout_base`


def _layout_base(text: str) -> tuple[re.Match[str] | None, re.Match[str] | None, re.Match[str] | None, int | None]:
    """What `find_layout` reads regardless of the references' titles: the preamble, the first
    section after it, the heading, and where the title ends. extract_text asks twice for each
    text (before and after reading the references): the last answer is kept, by identity (a
    cache keyed by the text would hash all of it)."""
    global _LAST_BASE
    last = _LAST_BASE
    if last is not None and last[0] is text:
        return last[1]  # type: ignore[return-value]
    base = _layout_base_of(text)
    _LAST_BASE = (text, base)
    return base


def _layout_base_of(text: str) -> tuple[re.Match[str] | None, re.Match[str] | None, re.Match[str] | None, int | None]:
    pre = _rx("preamble").search(text)
    preamble_start = pre.start() if pre else None
    sec = _rx("section").search(text, pre.end()) if pre else None
    heading = _rx("heading").search(text, 0, preamble_start if preamble_start is not None else min(len(text), 3000))
    title_start = heading.end() if heading else 0
    title_end = preamble_start if preamble_start is not None else None
    if heading is not None and title_end is not None:
        # the title ends at the first line in capitals after it ("ỦY BAN NHÂN DÂN TỈNH LONG AN")
        for m in re.finditer(r"(?m)^[ \t]*(\S[^\n]*?)[ \t]*$", text[title_start:title_end]):
            line = m.group(1)
            if m.start() > 0 and line.isupper() and len(line) > 3:
                title_end = title_start + m.start()
                break
    return pre, sec, heading, title_end


_CLAUSE = re.compile(r"(?:^|(?<=[;.:]))[ \t\n]*(?:[-–+•][ \t]*)?"
                     r"(?P<kw>Thực hiện|Căn cứ|Triển khai thực hiện|Thi hành)\b", re.M)
_CLAUSE_END = re.compile(r"\.(?=\s)|\n[ \t]*(?:Theo đề nghị|Xét đề nghị|Xét|Theo)\b")


def preamble_clauses(text: str, layout: Layout) -> list[tuple[int, int]]:
    """Spans of the preamble's "Thực hiện …" / "Căn cứ …" clauses: what the document carries out."""
    if layout.preamble_start is None:
        return []
    end = layout.preamble_end or min(len(text), layout.preamble_start + 2000)
    out = []
    for m in _CLAUSE.finditer(text, layout.preamble_start, end):
        stop = _CLAUSE_END.search(text, m.end(), end)
        out.append((m.start("kw"), stop.start() if stop else end))
    return out


def own_number_span(text: str, layout: Layout) -> tuple[int, int] | None:
    """Span of the document's own "Số: 859/KH-UBND" line, which is not a reference."""
    top_end = layout.preamble_start if layout.preamble_start is not None else min(len(text), 2500)
    m = _rx("number").search(text, 0, top_end)
    return (m.start(), m.end()) if m else None


def _collapse(s: str) -> str:
    return " ".join(s.split())


_ACRONYMS = {"UBND", "HĐND", "MTTQ", "UBMTTQ", "TW", "BCH", "BTV", "CP", "TTG", "VN"}
_ORG_KINDS = {"sở", "bộ", "ban", "cục", "vụ", "viện", "phòng", "tâm", "đoàn", "đài", "trường"}
_UNIT_WORDS = {"tỉnh", "huyện", "xã", "quận", "phường", "trấn", "phố"}  # "thị trấn", "thành phố"


def _title_case_org(s: str) -> str:
    """"ỦY BAN NHÂN DÂN TỈNH TÂY NINH" → "Ủy ban nhân dân tỉnh Tây Ninh"; "SỞ THÔNG TIN VÀ TRUYỀN
    THÔNG" → "Sở Thông tin và Truyền thông" (header issuers are set in capitals).

    >>> _title_case_org("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
    'Sở Lao động - Thương binh và Xã hội'
    >>> _title_case_org("BAN DÂN VẬN TỈNH ỦY")
    'Ban Dân vận Tỉnh ủy'
    """
    words = s.split()
    out: list[str] = []
    mode = "start"  # start | name (first word of a name segment next) | in_name | place
    for i, raw in enumerate(words):
        w = raw.lower()
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if raw in _ACRONYMS:
            out.append(raw)
            mode = "place" if mode == "place" else "in_name"
            continue
        if mode == "place":
            out.append(w[:1].upper() + w[1:])
            continue
        if w in ("tỉnh", "huyện", "thành", "đảng") and nxt in ("ủy", "uỷ"):  # Tỉnh ủy, Huyện ủy, Đảng ủy
            out.append(w[:1].upper() + w[1:])
            mode = "in_name"
            continue
        cap = mode in ("start", "name")
        if w in ("và", "-"):
            cap = False
            mode = "name" if mode == "in_name" else mode
        elif mode in ("start", "name"):
            mode = "in_name"
        prev = out[-1].lower() if out else ""
        if w in _ORG_KINDS and prev not in ("ủy", "uỷ", "nhân", "chi", "trung"):
            mode = "name"
        if w in ("ban",) and prev in ("ủy", "uỷ"):
            mode = "in_name"
        if (w in _UNIT_WORDS and not (w == "phố" and prev != "thành") and not (w == "trấn" and prev != "thị")
                and nxt not in ("ủy", "uỷ", "hội")):  # "Tỉnh ủy" is a body, "xã hội" a noun
            mode = "place"
        out.append(w[:1].upper() + w[1:] if cap else w)
    return " ".join(out)


def _last_lines(text: str, end: int, n: int) -> list[str]:
    """`text[:end].split("\n")[-n:]` without splitting everything before them."""
    pos = end
    for _ in range(n):
        j = text.rfind("\n", 0, pos)
        if j < 0:
            return text[:end].split("\n")[-n:]
        pos = j
    return text[pos + 1 : end].split("\n")


def _header_issuer(text: str, number_pos: int | None) -> tuple[str | None, str | None]:
    """Left column of the header above "Số:": the issuing body, and the parent body above it when
    the column names one ("UBND TỈNH TÂY NINH" above "SỞ NGOẠI VỤ")."""
    if number_pos is None:
        return None, None
    lines = _last_lines(text, number_pos, 8)
    left = []
    for ln in lines:
        col = re.split(r"\s{3,}|\t", ln.strip())[0] if ln.strip() else ""
        col = col.strip(" *#-_")
        if not col or "CỘNG HÒA" in col or "CỘNG HOÀ" in col or "Độc lập" in col or "ĐẢNG CỘNG SẢN" in col:
            continue
        if col.isupper() and len(col) > 2:
            left.append(col)
    if not left:
        return None, None
    # parent on the first line(s), the issuing body on the last: "UBND TỈNH TÂY NINH / SỞ NGOẠI VỤ",
    # "UBND HUYỆN THANH TRÌ / UBND XÃ ĐẠI ÁNG"; a name broken over lines is joined: "ỦY BAN NHÂN DÂN / TỈNH LONG AN"
    last, parent = left[-1], left[-2] if len(left) >= 2 else None
    whole = re.match(r"^(SỞ|BAN|PHÒNG|VĂN PHÒNG|CHI CỤC|TRUNG TÂM|CỤC|VỤ)\b"
                     r"|^(UBND|HĐND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN)\s+\S", last)
    if parent and not whole and len(last.split()) <= 4:
        last, parent = " ".join(left[-2:]), None
    return _title_case_org(last), parent


def _place_date(top: str) -> re.Match[str] | None:
    """`_rx("place_date").search(top)`, started where a match can first begin.

    The pattern is tried at every capital letter of the header (all of it, in capitals) and
    reads up to 41 characters on from each. Every match ends its place at a comma followed by
    "ngày" (after spaces), and begins at most 41 characters before that comma: so the search can
    start 41 characters before the first such comma, and there is no match without one.
    """
    i = top.find("ngày")
    while i >= 0:
        j = i
        while j > 0 and top[j - 1].isspace():
            j -= 1
        if j > 0 and top[j - 1] == ",":
            return _rx("place_date").search(top, max(0, j - 1 - 41))
        i = top.find("ngày", i + 1)
    return None


def read_identity(text: str, layout: Layout, dated_refs: list[str]) -> tuple[Identity, list[str]]:
    """The identity fields the text states, with warnings for what it leaves open."""
    from loaders.gazetteer import find_places, resolve

    ident = Identity()
    warnings: list[str] = []
    top_end = layout.preamble_start if layout.preamble_start is not None else min(len(text), 2500)
    top = text[:top_end]

    heading = _rx("heading").search(top)
    if heading:
        ident.type = canonical_type(heading.group("type"))
    num = _rx("number").search(top)
    if num:
        raw = num.group("sym")
        sym = parse_symbol(raw) if re.match(r"\d", raw) else None
        if sym:
            ident.number, ident.symbol = sym.number, sym.text
            if ident.type is None:
                from loaders.references import type_for_symbol

                ident.type = type_for_symbol(sym)
        else:
            warnings.append(f"số/ký hiệu without a number: {_collapse(raw)!r} (a draft?)")
    pd = _place_date(top)
    if pd:
        ident.place = re.split(r"\s{2,}|\t", pd.group("place").strip())[-1].strip(" *#")
        when = pd.group("when")
        ident.date = _iso(pd) if pd.group("d") or pd.group("d2") else None
        if ident.date:
            ident.year = int(ident.date[:4])
        elif pd.group("yy"):
            ident.year = int(pd.group("yy"))
            warnings.append(f"issue date not filled in: {_collapse(when)!r}")

    # issuer: header, closing sentence, or the body's "X xây dựng Kế hoạch"
    closing = None
    for closing in _rx("closing").finditer(text):  # noqa: B007 - the last closing sentence is the one
        pass
    adopt = None
    if layout.preamble_start is not None:
        adopt = _rx("adopts").search(text, layout.preamble_start, layout.preamble_end or len(text))
    body_issuer = _body_issuer(text, adopt.start(), layout.preamble_start or 0) if adopt else None
    closing_issuer = _clean_issuer(closing.group("issuer")) if closing else None
    header_end = num.start() if num else (heading.start() if heading else None)
    header_issuer, parent = _header_issuer(text, header_end)
    ident.issuer = header_issuer or _longest(closing_issuer, body_issuer)
    if ident.type is None:
        for m in (adopt, closing):
            if m is not None:
                ident.type = canonical_type(m.group("type")) or _cap(m.group("type"))
                break

    # title
    if layout.title_end is not None and layout.title_start is not None and layout.title_end > layout.title_start:
        raw_title = text[layout.title_start : layout.title_end]
        raw_title = re.sub(r"(?m)^.*(?:Số\s*:|ngày\s+.*tháng).*$", "", raw_title)
        title = _collapse(raw_title).strip(" #*")
        if title and len(title) < 400:
            ident.title = title

    # jurisdiction: named in the issuer, else the place line, else the units the body names most
    ident.jurisdiction = _jurisdiction(text, ident, find_places, resolve, parent)
    if ident.issuer and ident.jurisdiction and _UNIT_WORD_END.search(ident.issuer):
        ident.issuer = f"{ident.issuer} {ident.jurisdiction.written or ident.jurisdiction.province}"

    _signature(text, ident)
    _recipients(text, ident)
    ident.deadlines = _deadlines(text)
    if ident.date is None and dated_refs:
        ident.not_before = max(dated_refs)
    if ident.year is None:
        ident.year = _year_from_bounds(text, ident)
    return ident, warnings


_DEADLINE_WORDS = ("trước", "chậm nhất", "hạn chót", "không muộn hơn", "hoàn thành trong")


@lru_cache(maxsize=64)
def _deadline_rx(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?:{'|'.join(words)})\s+(?:\*\*)?(?:ngày\s+)?{DATE}")


def _deadlines(text: str) -> list[str]:
    """ISO dates after "trước", "chậm nhất" …: the pattern is tried only where one of the words
    occurs, found with str.find (five alternatives starting with common letters would make `re`
    try almost every position). Same matches as its finditer over the whole text: a match can
    only start at one of the words, and a start inside the previous match is skipped."""
    starts = [i for w in _DEADLINE_WORDS for i in find_all(text, w)]
    if not starts:
        return []
    starts.sort()
    match = _deadline_rx(_DEADLINE_WORDS).match
    found = set()
    pos = 0
    for i in starts:
        if i < pos:
            continue
        m = match(text, i)
        if m is not None:
            pos = m.end()
            if d := _iso(m):
                found.add(d)
    return sorted(found)


def _cap(s: str) -> str:
    s = _collapse(s)
    return s[:1].upper() + s[1:].lower()


def _longest(a: str | None, b: str | None) -> str | None:
    if a and b:
        fa, fb = a.lower(), b.lower()
        if fb in fa:
            return a
        if fa in fb:
            return b
        return b
    return a or b


def _clean_issuer(s: str) -> str | None:
    s = _collapse(s)
    s = re.sub(r"\s*\([^)]*\)", "", s)
    s = re.split(r"\s+(?:năm\s+\d{4}|về|trên địa bàn)\b", s)[0]
    s = s.strip(" ,;.")
    return s if s[:1].isupper() else None


def _body_issuer(text: str, adopt_start: int, floor: int) -> str | None:
    window = text[max(floor, adopt_start - 200) : adopt_start]
    cut = max(window.rfind(c) for c in ",.;:")
    phrase = window[cut + 1 :] if cut >= 0 else window
    return _clean_issuer(phrase)


_COMMUNE = re.compile(r"\b(xã|phường|thị trấn)\s+(.+)$", re.I)
_DISTRICT = re.compile(r"\b(huyện|quận|thị xã|thành phố)\s+(.+)$", re.I)


def _commune_under(issuer: str, parent: str | None, resolve) -> Jurisdiction | None:
    """"UBND xã Vĩnh Phong" under "UBND HUYỆN BẢO LÂM" in the header: each name is in several
    provinces, the commune of that district in one."""
    commune = _COMMUNE.search(issuer)
    district = _DISTRICT.search(parent or "")
    if not (commune and district):
        return None
    return resolve(commune.group(2), commune.group(1).lower(), district=district.group(2))


def _jurisdiction(text: str, ident: Identity, find_places, resolve, parent: str | None = None) -> Jurisdiction | None:
    if ident.issuer:
        places = find_places(ident.issuer)
        if places:
            return places[-1][2]
        under = _commune_under(ident.issuer, parent, resolve)
        if under:
            return under
    issuer_level = None
    if ident.issuer:
        low = ident.issuer.lower()
        if re.search(r"\b(xã|phường|thị trấn)\b", low):
            issuer_level = "commune"
        elif re.search(r"\b(huyện|quận|thị xã)\b", low):
            issuer_level = "district"
    if ident.place and issuer_level is None:
        j = resolve(ident.place, "tỉnh") or resolve(ident.place, "thành phố")
        if j:
            return j
    places = [p for _, _, p in find_places(text)]
    if not places:
        if ident.place:
            return resolve(ident.place, None)
        return None
    if issuer_level:
        same = [p for p in places if p.level == issuer_level]
        if same:
            return max(same, key=lambda p: sum(q == p for q in same))
    provinces = [p.province for p in places if p.province]
    if not provinces:
        return None
    best = max(set(provinces), key=provinces.count)
    for p in places:
        if p.province == best and p.level == "province":
            return p
    return resolve(best, "tỉnh")


_NAME = re.compile(r"^[*_ \t]*((?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+)(?:[ \t]+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4})[*_ \t]*$")


def _signature(text: str, ident: Identity) -> None:
    tail = text[-2500:]
    pos_match = None
    for cand in _POSITION_RE.finditer(tail):
        if cand.start() == 0 or not tail[cand.start() - 1].isupper():
            pos_match = cand
    if pos_match is not None:
        ident.signer_position = _POSITIONS[pos_match.group(1)]
        lines = tail[pos_match.end() :].split("\n")
    else:  # no position line: the name may still close the text
        lines = [ln for ln in tail.split("\n") if ln.strip()][-3:]
    for line in reversed(lines):
        m = _NAME.match(line.strip())
        if m and not re.search(r"\b(Nơi|Lưu|Sở|Ban|Phòng|Văn phòng|Ủy|Thường|Như|Các)\b", m.group(1)):
            ident.signer = m.group(1)
            break


_COLUMN_GAP = re.compile(r"\s{2,}|\t")


def _recipients(text: str, ident: Identity) -> None:
    at = max(text.rfind("Nơi nhận"), rfind(text, "NƠI NHẬN", 1))  # "Ơ" is rare: see loaders.scan
    if at < 0:
        return
    m = _rx("recipients").match(text, text.rfind("\n", 0, at) + 1)
    if m is None:
        return
    out = []
    for line in text[m.end() : m.end() + 3000].split("\n"):
        line = line.strip()
        if not line:
            continue
        gap = _COLUMN_GAP.search(line)  # the first column: what re.split(…)[0] gives
        col = (line[: gap.start()] if gap else line).strip()
        if col.startswith(("-", "–", "+", "•")):
            item = col.lstrip("-–+• ").rstrip(" ;.,")
            if item:
                out.append(item)
    ident.recipients = out


def _year_from_bounds(text: str, ident: Identity) -> int | None:
    lo = int(ident.not_before[:4]) if ident.not_before else None
    hi = min((int(d[:4]) for d in ident.deadlines if not lo or int(d[:4]) >= lo), default=None)
    if lo and hi and lo == hi:
        return lo
    years = [int(y) for y in _rx("year_in").findall(ident.title or "")]
    for y in years:
        if (lo is None or y >= lo) and (hi is None or y <= hi):
            return y
    return None
