"""Find references in cleaned text: every mention of an instrument, with its span.

Stage two of clean → find → resolve (eyecite's shape). A mention is found from its số/ký hiệu
(one case-sensitive anchored pass over the text), then read outwards: the kind word and "số"
before it, and after it the date ("ngày 26/11/2021", "ngày 26 tháng 11 năm 2021"), the issuer
("của Thủ tướng Chính phủ", "giữa UBND huyện và …"), the term ("(khóa XI)") and the title
("về …"). Named laws without a number ("Luật Tiếp công dân năm 2013") are found by a second pass.
Nothing here merges mentions: `loaders.resolve` does that.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import yaml

from loaders.scan import find_all
from loaders.symbols import Symbol, parse_symbol

# --- kinds -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kind:
    type: str
    code: str | None
    en: str
    examples: tuple[str, ...] = ()
    non_examples: tuple[str, ...] = ()


@cache
def kinds() -> tuple[Kind, ...]:
    raw = yaml.safe_load(resources.files("loaders").joinpath("patterns/types.yaml").read_text("utf-8"))
    return tuple(
        Kind(e["type"], e.get("code"), e["en"], tuple(e.get("examples") or ()), tuple(e.get("non_examples") or ()))
        for e in raw
    )


def _case_forms(phrase: str) -> set[str]:
    words = phrase.split()
    return {
        phrase,
        phrase.lower(),
        phrase.upper(),
        " ".join(w[:1].upper() + w[1:] for w in words),
        phrase[:1].lower() + phrase[1:],
    }


@cache
def _type_lookup() -> dict[str, str]:
    """Every written form of a kind word (whitespace collapsed) → canonical kind."""
    out: dict[str, str] = {}
    for k in kinds():
        for form in _case_forms(k.type):
            out.setdefault(form, k.type)
    return out


def _type_alternation() -> str:
    forms = sorted(_type_lookup(), key=lambda f: (-len(f), f))
    return "|".join(r"\s+".join(re.escape(w) for w in f.split()) for f in forms)


@lru_cache(maxsize=4096)  # the same few kind words, as written, in every document
def canonical_type(written: str) -> str | None:
    return _type_lookup().get(" ".join(written.split()))


# type code in a symbol → kind; party and state documents read "TTr" differently
_CODE_TYPES_STATE = {
    "NQ": "Nghị quyết", "NĐ": "Nghị định", "QĐ": "Quyết định", "CT": "Chỉ thị", "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch", "NQLT": "Nghị quyết liên tịch", "KH": "Kế hoạch", "CV": "Công văn",
    "KL": "Kết luận", "TB": "Thông báo", "HD": "Hướng dẫn", "TTr": "Tờ trình", "CTr": "Chương trình",
    "ĐA": "Đề án", "BC": "Báo cáo", "QC": "Quy chế", "PL": "Pháp lệnh", "CĐ": "Công điện",
    "QĐi": "Quy định", "SL": "Sắc lệnh", "VBHN": "Văn bản hợp nhất", "L": "Lệnh",
}
_CODE_TYPES_PARTY = {**_CODE_TYPES_STATE, "TTr": "Thông tri", "QĐ": "Quyết định"}


def type_for_symbol(sym: Symbol) -> str | None:
    """The kind a symbol's own code names ("87/TB-VPCP" → Thông báo; "1432/BNV-CTTN" → Công văn)."""
    code = sym.type_code
    table = _CODE_TYPES_PARTY if sym.party else _CODE_TYPES_STATE
    if code and code in table:
        return table[code]
    if not sym.party and len(sym.codes) == 1 and sym.codes[0].startswith("QH"):
        return "Luật"  # "10/2022/QH15"; a Quốc hội resolution would carry NQ
    if (not sym.party and not sym.year and code is None) or (code and code not in table and not sym.party):
        # administrative letters carry only the issuer and its unit: "1432/BNV-CTTN", "575/UBND-NC"
        return "Công văn"
    return None


# --- patterns ----------------------------------------------------------------------------------

# Repeats are possessive ("{0,15}+"): giving characters back could never let what follows match
# (a code is followed by a non-word character, a number by a separator or a letter, a separator's
# spaces by a digit or a capital), so the matches are the same and failing starts fail faster.
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9]{0,15}+(?!\w)"
_SEP_SLASH = r"[ \t]?/\s{0,4}+"
_DASHES = "-–‐"  # a symbol's parts are joined by "/" or one of these
_SEP_DASH = rf"[ \t]?[{_DASHES}]\s{{0,4}}+"
# What may precede it is checked in code (see _NUM_PRECEDED_BY). Written "\d\d{0,4}", not
# "\d{1,5}": a pattern that opens with a repeat gets no first-character prefilter from `re`, so it
# would be tried at every position of the text (70 MB/s against 115 MB/s, same matches).
_NUM = r"\d\d{0,4}+[a-zđ]?+"
_NUM_PRECEDED_BY = re.compile(r"[\w/.,\-]")
SYMBOL = (
    rf"{_NUM}(?:"
    rf"{_SEP_SLASH}(?:(?:19|20)\d{{2}}{_SEP_SLASH})?{_CODE}(?:(?:{_SEP_DASH}|{_SEP_SLASH}){_CODE})*"  # state
    rf"|{_SEP_DASH}{_CODE}(?:{_SEP_SLASH}{_CODE}(?:{_SEP_DASH}{_CODE})*)?"  # party / old
    r")"
)

_DATE_NUM = r"(?P<d>\d{1,2})\s?[/.\-]\s?(?P<m>\d{1,2})\s?[/.\-]\s?(?P<y>(?:19|20)\d{2})(?!\d)"
_DATE_WORDS = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>(?:19|20)\d{2})(?!\d)"
DATE = rf"(?:{_DATE_NUM}|{_DATE_WORDS})"


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    types = _type_alternation()
    return {
        "symbol": re.compile(SYMBOL),
        # kind word and "số" right before a symbol (searched in a short window ending at it)
        "before": re.compile(rf"(?:(?P<type>{types})\s+)?(?P<so>(?:[Ss]ố|SỐ)(?:\s*:)?\s*)?\Z"),
        # "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15": a law's name between kind and "số"
        "before_named": re.compile(
            r"(?P<type>Bộ luật|Bộ Luật|BỘ LUẬT|Luật|LUẬT|Pháp lệnh|PHÁP LỆNH)[ \t\n]+(?P<name>[^\n;:,.\d]{2,90}?)"
            r"(?:\s+năm\s+\d{4})?\s+(?P<so>(?:[Ss]ố|SỐ)(?:\s*:)?\s*)\Z"
        ),
        "date_after": re.compile(rf"[ \t]*,?\s{{0,4}}\(?\s?(?:ban hành\s+)?(?:ngày|Ngày|NGÀY)\s+{DATE}\s?\)?"),
        "date": re.compile(DATE),
        "year_after": re.compile(r"[ \t]*,?\s{0,3}(?:năm|Năm)\s+(?P<y>(?:19|20)\d{2})(?!\d)"),
        "of": re.compile(r"[ \t]*,?\s{0,4}(?:của|giữa|do|CỦA|GIỮA)\s+"),
        "term": re.compile(r"\s{0,3}\(?\s?(?:khóa|khoá|Khóa|Khoá)\s+(?P<term>[IVXLC]+)\s?\)?"),
        "named": re.compile(r"(?P<type>Bộ luật|Bộ Luật|BỘ LUẬT|Luật|LUẬT|luật|Pháp lệnh|PHÁP LỆNH|Hiến pháp|HIẾN PHÁP)"
                            r"\s{1,4}(?=\S)"),
        "date_before": re.compile(
            rf"(?:[Nn]gày\s+{DATE})\s*,?\s*(?P<issuer>[^\n;:.,]{{2,90}}?)\s+(?:đã\s+)?(?:có|ban hành|gửi|ký)\s+\Z"
        ),
        "type_at": re.compile(rf"(?:{types})(?!\w)"),
        # `_before` as one anchored match over the reversed text (see `_before_fast`)
        "before_rev": re.compile(
            r"[ \t\n\r]*(?:(?::[ \t\n\r]*)?(?P<so>ốs|ốS|ỐS)(?![^\W_])[ \t\n\r]*)?"
            rf"(?:(?P<type>{_reversed_type_alternation()})(?=[ \t\n\r]|\Z))?"
        ),
    }


def _reversed_type_alternation() -> str:
    """Every written form of a kind word, reversed, most words first: the reversed-text twin of
    `_before`'s "longest run of words that is a kind word"."""
    forms = sorted(_type_lookup(), key=lambda f: (-len(f.split()), -len(f), f))
    return "|".join(r"[ \t\n\r]+".join(re.escape(w) for w in f[::-1].split()) for f in forms)


# --- mentions ----------------------------------------------------------------------------------


@dataclass(slots=True)
class RawMention:
    """One mention as found, before merging. Offsets are in the cleaned text."""

    start: int
    end: int  # end of the whole reading (symbol, date, issuer, term)
    head_end: int  # end of the symbol (or name)
    type: str | None
    symbol: Symbol | None
    name: str | None = None
    date: str | None = None
    year: int | None = None
    issuer: str | None = None
    term: str | None = None
    title: str | None = None
    title_start: int | None = None
    title_end: int | None = None
    typed: bool = False  # a kind word stood before it
    has_so: bool = False
    nested_in: int | None = None  # index of the mention whose title contains this one
    implements: list[int] = field(default_factory=list)
    sibling_of_next: bool = False  # directly followed by another reference in a list

    @property
    def surface_range(self) -> tuple[int, int]:
        return self.start, self.end


def _iso(m: re.Match[str]) -> str | None:
    d, mo, y, d2, m2, y2 = m.group("d", "m", "y", "d2", "m2", "y2")
    return _iso_parts(d or d2, mo or m2, y or y2)


@lru_cache(maxsize=8192)  # documents repeat the same few dates; the strings are the key
def _iso_parts(d: str | None, mo: str | None, y: str | None) -> str | None:
    try:
        di, mi, yi = int(d), int(mo), int(y)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not (1 <= mi <= 12 and 1 <= di <= 31):
        return None
    try:
        return datetime.date(yi, mi, di).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """ISO date from "26/11/2021" or "26 tháng 11 năm 2021".

    >>> parse_date("ngày 26 tháng 11 năm 2021")
    '2021-11-26'
    """
    m = _rx()["date"].search(text)
    return _iso(m) if m else None


# Words at which an issuer ends (lower-cased; matched at word starts).
_ISSUER_STOPS = (
    "về", "v/v", "ban hành", "triển khai", "thực hiện", "phê duyệt", "quy định", "hướng dẫn", "tiếp tục",
    "năm", "theo", "nhằm", "để", "đối với", "trên địa bàn", "tại", "có hiệu lực", "đã", "gửi", "ngày", "số",
    "và các", "cùng", "khóa", "khoá", "việc", "tổ chức", "sửa đổi", "bổ sung", "quán triệt", "thông qua",
    "như sau", "kèm theo", "là", "thì", "được", "của", "liên quan", "gắn với", "trong", "cho", "với",
    "đến", "từ", "nay", "này", "(", "và nghị", "và quyết", "và chỉ", "và kế", "và công", "và kết",
    "và thông", "và hướng", "và luật", "và quy", "và chương", "và đề", "và pháp", "và các văn",
)
@cache
def _stop_rx() -> re.Pattern[str]:
    # "năm" ends an issuer only before a year ("của Sở Ngoại vụ năm 2023", not "Hội nghị lần thứ năm")
    alts = "|".join(re.escape(w) if w != "năm" else r"năm(?=\s*\d)"
                    for w in sorted(_ISSUER_STOPS, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?:{alts})(?!\w)")


@cache
def _heads() -> tuple[frozenset[str], frozenset[str]]:
    """First words of the kind words (as written) and of the stop phrases (lower case)."""
    return (frozenset(f.split()[0] for f in _type_lookup()),
            frozenset(w.split()[0] for w in _ISSUER_STOPS))


# Words that open a new body: after a comma they start another issuer, not the same one's name.
_ORG_HEAD = re.compile(
    r"(?:Bộ|Ban|Sở|Ủy|Uỷ|UBND|HĐND|Thủ|Chính|Văn|Tỉnh|Huyện|Thành|Đảng|Hội|Quốc|Chủ|Cục|Tổng|Viện|Tòa|Kiểm|"
    r"Thanh|Ngân|Mặt|Trung|Liên|Đoàn|Công|Phòng|Chi|Các|Và)$"
)
_ISSUER_LOWER_OK = {
    "nhân", "dân", "thường", "vụ", "chấp", "hành", "chính", "trị", "bí", "thư", "vận", "cán", "sự",
    "đảng", "chỉ", "đạo", "tỉnh", "huyện", "xã", "thị", "trấn", "thành", "phố", "phường", "quận",
    "trung", "ương", "và", "phủ", "hội", "đồng", "ban", "tướng", "ủy", "uỷ", "quốc", "trưởng", "phó",
    "chủ", "tịch", "văn", "phòng", "khối", "cơ", "quan", "doanh", "nghiệp", "mặt", "trận", "tổ",
    "xây", "dựng", "đảng,", "sở", "ngành", "cấp", "nội", "ngoại", "giao", "thông", "tin", "truyền",
    # "Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng"
    "nghị", "lần", "thứ", "nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "một",
}
_WORD = re.compile(r"[^\s,;:.()“”\"]+")
_GAP_WORD = re.compile(r"([\s,;:.()“”\"]*)([^\s,;:.()“”\"]+)")  # (gap before a _WORD, the word)
_GAP_STOP = re.compile(r"[;:.()“”\"]")


_ISSUER_TOOLS: list = []  # (type_at, stop_at, type_heads, stop_heads), bound once


def _issuer_tools() -> list:
    type_heads, stop_heads = _heads()
    _ISSUER_TOOLS[:] = [_rx()["type_at"].match, _stop_rx().match, type_heads, stop_heads]
    return _ISSUER_TOOLS


def read_issuer(text: str, pos: int, limit: int = 160) -> tuple[str | None, int]:
    """Read an issuer phrase starting at `pos`; return it and where it ends.

    >>> read_issuer("Thủ tướng Chính phủ về tiếp tục tăng cường", 0)
    ('Thủ tướng Chính phủ', 19)
    >>> read_issuer("UBND tỉnh Tây Ninh Triển khai thực hiện Chỉ thị", 0)[0]
    'UBND tỉnh Tây Ninh'
    """
    window = text[pos : pos + limit]
    low = window.lower()
    if len(low) != len(window):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in window)
    type_at, stop_at, type_heads, stop_heads = _ISSUER_TOOLS or _issuer_tools()
    words: list[tuple[int, int]] = []
    lower_run = 0
    steering = None  # "Ban Chỉ đạo …" names run on to "về"
    most = 14  # words an issuer can have (22 for a steering committee's)
    # Each word with the gap before it, read lazily: most issuers end after a few words, so
    # tokenizing the whole window up front (findall) costs more than it saves.
    for m in _GAP_WORD.finditer(window):
        gap, word = m.groups()
        e = m.end()
        s = e - len(word)
        w0 = word[0]
        if words:
            if gap != " ":
                if _GAP_STOP.search(gap) or gap.count("\n") > 2:
                    break
                if "," in gap and (not w0.isupper() or _ORG_HEAD.match(word) or type_at(window, s)
                                   or len(words) < 2):
                    break
            if steering is None:
                # A word of letters and digits only can start a kind word or a stop phrase only if
                # it is the first word of one: skip the two regex matches for every other word.
                plain = word.isalnum()
                if (not plain or low[s:e] in stop_heads) and stop_at(low, s):
                    break
                if (not plain or word in type_heads) and type_at(window, s):
                    break
            elif low.startswith("về", s) and (len(low) == s + 2 or not low[s + 2].isalnum()):
                break
        elif not (w0.isupper() or w0.isdigit()):
            return None, pos
        if w0.islower():
            lower_run += 1
            if lower_run >= 2 and steering is None and word not in _ISSUER_LOWER_OK:
                words.pop()
                break
        else:
            lower_run = 0
        words.append((s, e))
        n = len(words)
        if n == 3 and low[words[0][0] : e].replace("\n", " ").startswith("ban chỉ đạo"):
            steering, most = True, 22
        if n >= most:
            break
    if not words:
        return None, pos
    # trailing lowercase connective ("và") is not part of the issuer
    while words and window[words[-1][0] : words[-1][1]] in ("và", "các"):
        words.pop()
    if not words:
        return None, pos
    issuer = " ".join(window[words[0][0] : words[-1][1]].split())
    return issuer, pos + words[-1][1]


_TITLE_LEADS = re.compile(
    r"\s{0,4}(?:[-–:]\s*)?(?=[“\"]|(?:về|Về|V/v|v/v|ban hành|Ban hành|quy định|Quy định|phê duyệt|Phê duyệt|"
    r"hướng dẫn|Hướng dẫn|triển khai|Triển khai|thực hiện|Thực hiện|tiếp tục|Tiếp tục|sửa đổi|Sửa đổi|"
    r"tổ chức|Tổ chức|tăng cường|Tăng cường|đẩy mạnh|Đẩy mạnh|nâng cao|Nâng cao)\b)"
)
_TITLE_END = re.compile(r";|\.(?=\s*(?:$|[A-ZĐ\-–•+*/]|\d+\.))|\.\s*/\s*\.|:\s*\n"
                        r"|\n[ \t]*\n[ \t]*(?:[-–•+*]|\d+\.|[IVX]+\.)\s")
_LIST_GAP = re.compile(r"[\s,]*(?:và|hoặc)?[\s,]*")
_TRAILING_CONJ = re.compile(r"\s*(?:,|và|hoặc)\s*$")
_TRAILING_CONJ_ENDS = (",", "và", "hoặc")
_SIBLING_BEFORE = re.compile(r"(?:[,;(]|\bvà|\bhoặc|\bcùng)\s*\Z")


_NUMBER_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzđ")  # the letter `_NUM` allows after the digits
# what can stand right before a symbol's first separator: a digit, that letter, a space or tab
_BEFORE_SEPARATOR = frozenset("0123456789 \t") | _NUMBER_LETTERS


def _symbol_matches(text: str) -> Iterator[re.Match[str]]:
    """`_rx()["symbol"].finditer(text)`, the pattern tried only where a symbol can start.

    Every symbol has a separator ("/" or a dash) right after its number (up to five digits, a
    letter, a space or tab): found with one-character `str.find` scans (memory speed), each is
    walked back over to where `finditer` would start a match, and the pattern is matched there.
    The pattern opens with a digit, so `finditer` tried it at every digit of the text: dates,
    counts and money as well as symbols.
    """
    seps: list[int] = []
    for ch in "/" + _DASHES:  # the separators `_SEP_SLASH` and `_SEP_DASH` open with
        seps += find_all(text, ch)
    seps.sort()
    match = _rx()["symbol"].match
    before, letters = _BEFORE_SEPARATOR, _NUMBER_LETTERS
    last = 0  # end of the previous match: finditer never starts one inside it
    for j in seps:
        if j <= last:
            continue
        e = j  # where the number (with its letter) ends
        c = text[e - 1]
        if c not in before and not c.isdecimal():  # most dashes: after a line break or a word
            continue
        if c == " " or c == "\t":
            e -= 1
            if e == 0:
                continue
            c = text[e - 1]
        if c in letters:
            e -= 1
            if e == 0:
                continue
            c = text[e - 1]
        # the number's digits: `\d\d{0,4}+` takes at most five, so a match starts at most five
        # back (an earlier start in the same run of digits would take five and miss the separator)
        if not c.isdecimal():
            continue
        p, lo = e - 1, max(last, e - 5)
        while p > lo and text[p - 1].isdecimal():
            p -= 1
        if p < lo:
            continue
        m = match(text, p)
        if m is not None:
            yield m
            last = m.end()


def find_mentions(text: str, exclude: tuple[tuple[int, int], ...] = ()) -> list[RawMention]:
    """All numbered mentions, then named laws, in text order, titles and nesting marked.

    `exclude` holds spans not to read (the document's own "Số: …" line).
    """
    mentions: list[RawMention] = []
    rtext = text[::-1]  # for reading backwards with one anchored match (`_before_fast`)
    preceded = _NUM_PRECEDED_BY.match
    for m in _symbol_matches(text):
        ms = m.start()
        if ms and preceded(text, ms - 1):
            continue
        if exclude and _inside(ms, exclude):
            continue
        sym = parse_symbol(m.group())
        if sym is None:
            continue
        before = _before_fast(text, rtext, ms)
        typ = None
        typed = has_so = False
        start = m.start()
        if before is not None:
            type_text, type_start, so_start = before
            if type_text:
                typ = canonical_type(type_text)
                typed = True
                start = type_start
            has_so = so_start is not None
            if has_so and not typed:
                start = so_start  # type: ignore[assignment]
        if typ == "Văn bản":  # the generic word: the code says what it is ("văn bản số 87/TB-VPCP")
            typ = type_for_symbol(sym)
        if not (typed or has_so) and not _strong(sym):
            continue
        if not (typed or has_so) and sym.type_code is None and not sym.party and not sym.year:
            continue
        rm = RawMention(start=start, end=m.end(), head_end=m.end(), type=typ or type_for_symbol(sym),
                        symbol=sym, typed=typed, has_so=has_so)
        _read_tail(text, rm)
        mentions.append(rm)
    mentions.extend(_named_laws(text, mentions))
    mentions.sort(key=lambda r: r.start)
    _mark_titles(text, mentions)
    return mentions


_WS = " \t\n\r"


def _inside(pos: int, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _before_fast(text: str, rtext: str, pos: int) -> tuple[str | None, int, int | None] | None:
    """`_before(text, max(0, pos - 120), pos)` as one anchored match over the reversed text.

    Reading backwards from `pos` is reading forwards in `rtext` from `len(text) - pos`, so the kind
    word and "số" are matched in C instead of walked over in Python. Where the window's lower edge
    (60 characters back) decides the answer, the walk itself answers.
    """
    if pos == 0:
        return None
    n = len(text)
    lo = max(0, pos - 60)
    m = _rx()["before_rev"].match(rtext, n - pos, n - lo)
    if lo and m.end() == n - lo:  # the match reached the window's edge: look past it as `_before` does
        return _before(text, max(0, pos - 120), pos)
    so_end = m.end("so")
    so_start = n - so_end if so_end >= 0 else None
    t_end = m.end("type")
    if t_end >= 0:
        first = n - t_end
        return text[first : n - m.start("type")], first, so_start
    if so_start is not None:
        return _named_or_so(text, max(0, pos - 120), pos, so_start)
    return None


def _before(text: str, window_start: int, pos: int) -> tuple[str | None, int, int | None] | None:
    """The kind word and/or "số" that end right at `pos`: (kind as written, its start, start of "số").

    Read backwards with string operations: a regex searched over the window would be tried at
    every position of it, for every symbol in the text.
    """
    if pos == 0:
        return None
    lo = max(window_start, pos - 60)
    j = pos
    while j > lo and text[j - 1] in _WS:
        j -= 1
    so_start = None
    k = j
    if k > lo and text[k - 1] == ":":
        k -= 1
        while k > lo and text[k - 1] in _WS:
            k -= 1
    if k - 2 >= lo and text[k - 2 : k] in ("số", "Số", "SỐ") and (k - 2 == 0 or not text[k - 3].isalnum()):
        so_start = k - 2
        j = so_start
        while j > lo and text[j - 1] in _WS:
            j -= 1
    # the last (up to) four words before j, with their starts, read backwards
    words: list[tuple[int, int]] = []
    p = j
    while len(words) < 4 and p > lo:
        e = p
        while p > lo and text[p - 1] not in _WS:
            p -= 1
        if p == e:
            break
        words.append((p, e))
        while p > lo and text[p - 1] in _WS:
            p -= 1
    lookup = _type_lookup()
    for n in range(len(words), 0, -1):
        first = words[n - 1][0]
        cand = " ".join(text[a:b] for a, b in reversed(words[:n]))
        if cand in lookup and (first == 0 or not text[first - 1].isalnum()):
            return cand, first, so_start
    if so_start is not None:
        return _named_or_so(text, window_start, pos, so_start)
    return None


def _named_or_so(text: str, window_start: int, pos: int, so_start: int) -> tuple[str | None, int, int]:
    """No kind word right before "số": a named law's or ordinance's kind a little further back
    ("Luật Đất đai số …"), else nothing but the "số" itself."""
    window = text[window_start:so_start]
    if "uật" in window or "UẬT" in window or "háp lệnh" in window or "HÁP LỆNH" in window:
        named = _rx()["before_named"].search(text, window_start, pos)
        if named is not None:
            return named.group("type"), named.start("type"), so_start
    return None, so_start, so_start


def _strong(sym: Symbol) -> bool:
    """A symbol that stands on its own without "số" or a kind word before it."""
    if sym.party and len(sym.codes) >= 2:
        return True
    if sym.year:
        return True
    return bool(sym.type_code and sym.type_code in _CODE_TYPES_STATE and len(sym.codes) >= 2)


def _read_tail(text: str, rm: RawMention) -> None:
    rx = _rx()
    pos = rm.head_end
    d = rx["date_after"].match(text, pos)
    if d:
        rm.date = _iso(d)
        pos = d.end()
    elif rm.symbol is not None and rm.symbol.year is None:
        y = rx["year_after"].match(text, pos)
        if y and rm.type in ("Luật", "Bộ luật", "Pháp lệnh"):
            rm.year = int(y.group("y"))
            pos = y.end()
    o = rx["of"].match(text, pos)
    if o:
        issuer, end = read_issuer(text, o.end())
        if issuer:
            rm.issuer = issuer
            pos = end
            # "của Bộ Chính trị của Bộ Chính trị": a repeated issuer is read once
            o2 = rx["of"].match(text, pos)
            if o2:
                again, end2 = read_issuer(text, o2.end())
                if again == issuer:
                    pos = end2
    t = rx["term"].match(text, pos)
    if t:
        rm.term = t.group("term")
        pos = t.end()
    if rm.date is None:
        lo = max(0, rm.start - 140)
        back = (rx["date_before"].search(text, lo, rm.start)
                if _ends_with_sender_verb(text, lo, rm.start) and text.find("gày", lo, rm.start) >= 0 else None)
        if back and back.end() == rm.start:
            rm.date = _iso(back)
            if rm.issuer is None:
                rm.issuer = read_issuer(back.group("issuer"), 0)[0]
    if rm.date:
        rm.year = int(rm.date[:4])
    elif rm.symbol is not None and rm.symbol.year:
        rm.year = rm.symbol.year
    rm.end = pos


_SENDER_VERBS = ("có", "ban hành", "gửi", "ký")


def _ends_with_sender_verb(text: str, lo: int, end: int) -> bool:
    """Whether text[lo:end] ends with "có", "ban hành", "gửi" or "ký" and whitespace: what a
    `date_before` match, anchored at `end`, ends with (so it is searched for only then)."""
    j = end
    while j > lo and text[j - 1].isspace():
        j -= 1
    return j < end and text.endswith(_SENDER_VERBS, lo, j)


_NOT_A_LAW_BEFORE = re.compile(r"(?:pháp|Pháp|kỷ|Kỷ|quy|Quy|điều|Điều|dự|Dự|luật)\s+\Z")


# Where a kind word of `_rx()["named"]` can start: a tail its case forms share, and how far back
# each form starts ("uật" of "Luật", "luật", "Bộ luật" …). Six str.find scans cost less than the
# pattern's own scan, which stops at every "l", "L", "B", "P" and "H" of the text.
# The capitalised tails are found through a character rare in plans (see `loaders.scan`).
_NAMED_TAILS = (("uật", (1, 4), None), ("UẬT", (1, 4), 1), ("háp lệnh", (1,), None), ("HÁP LỆNH", (1,), 1),
                ("iến pháp", (1,), None), ("IẾN PHÁP", (1,), 6))


def _named_matches(text: str) -> list[re.Match[str]]:
    """`list(_rx()["named"].finditer(text))`, the pattern tried only where a kind word can start."""
    starts: list[int] = []
    for tail, backs, probe in _NAMED_TAILS:
        for i in find_all(text, tail, probe):
            starts.extend(i - b for b in backs if i >= b)
    match = _rx()["named"].match
    out: list[re.Match[str]] = []
    pos = 0
    for i in sorted(starts):
        if i < pos:
            continue  # inside the previous match, as finditer would skip it
        m = match(text, i)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out


def _named_laws(text: str, numbered: list[RawMention]) -> list[RawMention]:
    """Laws, codes and ordinances cited by name: "Luật Tiếp công dân năm 2013"."""
    from loaders import laws_index

    rx = _rx()
    # covered by a numbered mention: some mention starting at or before a position ends after it
    covered = sorted((r.start, r.end) for r in numbered)
    cover_starts = [s for s, _ in covered]
    cover_reach: list[int] = []  # the furthest end among the mentions starting up to each one
    for _, e in covered:
        cover_reach.append(max(e, cover_reach[-1]) if cover_reach else e)
    numbered_starts = {r.start for r in numbered}
    out: list[RawMention] = []
    skip_to = -1
    for m in _named_matches(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            continue
        if m.group("type") == "luật" and _NOT_A_LAW_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "pháp luật", "kỷ luật", "quy luật", "điều luật", "dự luật"
        i = bisect.bisect_right(cover_starts, m.start())
        if i and cover_reach[i - 1] > m.start():
            continue
        if m.start() < skip_to:  # inside the name of an amending law read just before
            continue
        typ = canonical_type(m.group("type")) or "Luật"
        hit = laws_index.match_name(text, m.end(), typ)
        if hit is None:
            continue
        if laws_index.fold(hit[0]).startswith("sua doi"):
            skip_to = hit[1]
        name, name_end = hit
        rm = RawMention(start=m.start(), end=name_end, head_end=name_end, type=typ, symbol=None, name=name,
                        typed=True)
        y = rx["year_after"].match(text, name_end)
        d = rx["date_after"].match(text, name_end)
        if y:
            rm.year = int(y.group("y"))
            rm.end = y.end()
        elif d and _iso(d):
            rm.date = _iso(d)
            rm.year = int(rm.date[:4])
            rm.end = d.end()
        # "Luật … số 10/2022/QH15" is read by the numbered pass; skip if one starts right here
        if m.start() in numbered_starts:
            continue
        out.append(rm)
    return out


def _mark_titles(text: str, mentions: list[RawMention]) -> None:
    """Give each mention its title span and mark mentions nested in another's title."""
    n = len(mentions)
    for i, rm in enumerate(mentions):
        if i + 1 < n:
            nxt = mentions[i + 1]
            if nxt.start - rm.end < 30 and _LIST_GAP.fullmatch(text[rm.end : nxt.start]):
                rm.sibling_of_next = True
        lead = _TITLE_LEADS.match(text, rm.end)
        if not lead:
            continue
        if "\n" in lead.group() and text[lead.end() : lead.end() + 1].isupper():
            continue  # a capitalised word on the next line opens a new paragraph, not a title
        start = lead.end()
        end_m = _TITLE_END.search(text, start, min(len(text), start + 600))
        end = end_m.start() if end_m else min(len(text), start + 400)
        # a sibling in a list ends the title: ", Quyết định số …", "; Chỉ thị số …", "và Luật …"
        for j in range(i + 1, n):
            other = mentions[j]
            if other.start >= end:
                break
            if other.start <= start:
                continue
            if _SIBLING_BEFORE.search(text, max(start, other.start - 8), other.start):
                end = other.start
                break
        title = " ".join(text[start:end].split()).strip(" ,;“”\"")
        # `_TRAILING_CONJ` can only match at the end, so only a title ending in what it ends with
        # is handed to it (tried at every position of a 400-character title, it costs ~5 µs)
        if title.endswith(_TRAILING_CONJ_ENDS) or title[-1:].isspace():
            title = _TRAILING_CONJ.sub("", title)
        if title:
            rm.title = title
            rm.title_start, rm.title_end = start, end
    # nesting: a mention inside the title of one of the seven before it (the nearest)
    titled = [(j, rm.title_start, rm.title_end) for j, rm in enumerate(mentions) if rm.title_start is not None]
    for j, t_start, t_end in titled:  # nearer titles later: they win
        for i in range(j + 1, min(n, j + 8)):
            if t_start <= mentions[i].start < t_end:  # type: ignore[operator]
                mentions[i].nested_in = j
    # a title that says the instrument carries out another: "Triển khai thực hiện Chỉ thị số 33/CT-TTg"
    for i, rm in enumerate(mentions):
        if rm.title_start is None:
            continue
        for j in range(i + 1, min(n, i + 4)):
            inner = mentions[j]
            if inner.nested_in != i:
                continue
            lead = " ".join(text[rm.title_start : inner.start].split()).lower()
            if _IMPLEMENTS_LEAD.fullmatch(lead):
                rm.implements.append(j)
            break


_IMPLEMENTS_LEAD = re.compile(
    r"(?:về\s+)?(?:việc\s+)?(?:ban hành\s+(?:kế hoạch|chương trình(?: hành động)?|hướng dẫn|đề án)\s+)?"
    r"(?:tiếp tục\s+)?(?:tổ chức\s+)?"
    r"(?:triển khai(?:,?\s+thực hiện)?|thực hiện|quán triệt(?:,? triển khai)?(?: thực hiện)?)\s*[“\"]?"
)
