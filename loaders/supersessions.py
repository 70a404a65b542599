"""Sentences in which a text replaces, repeals, amends or ends other instruments.

"Nghị định này … thay thế Nghị định số 60/2013/NĐ-CP", "bãi bỏ các Quyết định: số …, số …",
"Chỉ thị số 16/CT-TTg … hết hiệu lực", "sửa đổi, bổ sung một số điều của …". The effective date is
read from the same sentence or from the text's "có hiệu lực (thi hành) từ ngày …" clause.
"""

from __future__ import annotations

import bisect
import re

from kg.model import Span, Supersession
from loaders.clean import Cleaned
from loaders.references import DATE, RawMention, _iso
from loaders.scan import find_all

# One pass for every verb, case forms listed out: a (?i) pattern, or one pass per verb, costs
# several times more over long texts. What precedes a verb is checked in code.
_VERB = re.compile(
    r"(?P<repeal>bãi bỏ|Bãi bỏ|BÃI BỎ)|(?P<replace>thay thế|Thay thế|THAY THẾ)|"
    r"(?P<end>hết hiệu lực|Hết hiệu lực|chấm dứt hiệu lực|Chấm dứt hiệu lực)|"
    r"(?P<amend>sửa đổi|Sửa đổi|SỬA ĐỔI)(?:,\s*|\s+và\s+)?(?:bổ sung)?"
)
_PART = re.compile(r"\s+(?:một số\s+)?(?:điều|Điều|khoản|Khoản|điểm|Điểm|chương|Chương|mục|Mục|phụ lục|Phụ lục)\b")


def _relation(m: re.Match[str], text: str) -> str:
    if m.group("repeal"):
        return "repeals_part" if _PART.match(text, m.end()) else "repeals"
    if m.group("replace"):
        return "replaces"
    if m.group("end"):
        return "repeals"
    return "amends"


_EFFECTIVE = re.compile(rf"có hiệu lực(?: thi hành)?(?: kể)? từ ngày\s+(?:{DATE}|(?P<sign>ký))")
_SENTENCE_END = re.compile(r"(?<!\d)\.(?=\s)|;|\n[ \t]*\n")
# the text speaks of itself ("Nghị định này", "Quyết định này", "Chỉ thị này" …)
_SELF = re.compile(r"(?i)\b(?:nghị định|quyết định|chỉ thị|thông tư|nghị quyết|kế hoạch|quy định|luật|văn bản)\s+này\b")


# _VERB is only tried where one of its alternatives can start: found with str.find (a memchr-like
# scan), this is several times faster than the regex's own scan for a first letter as common as
# "t", "s" or "h", and a text citing none costs a few finds. Each literal is a tail that several
# case forms share ("ãi bỏ" of "bãi bỏ" and "Bãi bỏ"), with how far back the alternatives start:
# seven finds instead of one per case form. A position where no verb starts only fails to match.
# Tails with a character rare in plans are found through it (see `loaders.scan`): the third item.
_VERB_TAILS = (("ãi bỏ", (1,), 4), ("ÃI BỎ", (1,), 4), ("hay thế", (1,), None), ("HAY THẾ", (1,), 6),
               ("hiệu lực", (4, 9), None), ("ửa đổi", (1,), 0), ("ỬA ĐỔI", (1,), 0))


def _verbs(text: str) -> list[re.Match[str]]:
    """`list(_VERB.finditer(text))`, tried only where a verb can start."""
    starts: list[int] = []
    for lit, backs, probe in _VERB_TAILS:
        for i in find_all(text, lit, probe):
            starts.extend(i - b for b in backs if i >= b)
    out: list[re.Match[str]] = []
    pos = 0
    for i in sorted(starts):
        if i < pos:
            continue  # inside the previous match, as finditer would skip it
        m = _VERB.match(text, i)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out


def find_supersessions(text: str, cleaned: Cleaned, mentions: list[RawMention],
                       own_date: str | None) -> list[Supersession]:
    verbs = _verbs(text)
    if not verbs:
        return []
    eff_m = _EFFECTIVE.search(text)
    effective = None
    if eff_m:
        effective = own_date if eff_m.group("sign") else _iso(eff_m)
    out: list[Supersession] = []
    seen: set[tuple[str, str | None]] = set()
    starts = [r.start for r in mentions]
    for v in verbs:
        if v.start() and text[v.start() - 1].isalnum():
            continue
        relation = _relation(v, text)
        lo = max(0, v.start() - 600)
        sent_start = lo
        for m in _SENTENCE_END.finditer(text, lo, v.start()):
            sent_start = m.end()
        end_m = _SENTENCE_END.search(text, v.end())
        sent_end = end_m.start() if end_m else len(text)
        before = text[sent_start : v.start()]
        # only the text's own acts: "… này thay thế …", or a verb that opens the clause
        i = bisect.bisect_left(starts, sent_start)
        if i < len(starts) and starts[i] < v.start() and not _SELF.search(before):
            continue
        j = bisect.bisect_left(starts, v.end())
        while j < len(starts) and starts[j] < sent_end:
            r = mentions[j]
            j += 1
            if r.symbol is None or r.nested_in is not None:
                continue
            key = (r.symbol.text, r.date)
            if key in seen:
                continue
            seen.add(key)
            o_start, o_end = cleaned.to_original(sent_start), cleaned.to_original(sent_end)
            out.append(Supersession(
                relation=relation, symbol=r.symbol.text, name=r.name, year=r.year, date=r.date,
                effective=effective, surface=" ".join(text[sent_start:sent_end].split())[:300],
                span=Span(o_start, o_end),
            ))
    return out
