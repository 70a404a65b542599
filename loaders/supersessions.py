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

# Case-sensitive forms listed out: a (?i) pattern is ~10× slower over long texts.
_VERBS = [
    (re.compile(r"\b(?:bãi bỏ|Bãi bỏ|BÃI BỎ)\s+(?:(?:một số\s+)?(?:điều|Điều|khoản|Khoản|điểm|chương|Chương|mục|phụ lục)\b)"),
     "repeals_part"),
    (re.compile(r"\b(?:thay thế|Thay thế|THAY THẾ)\b"), "replaces"),
    (re.compile(r"\b(?:bãi bỏ|Bãi bỏ|BÃI BỎ)\b"), "repeals"),
    (re.compile(r"\b(?:hết hiệu lực|chấm dứt hiệu lực|Hết hiệu lực)\b"), "repeals"),
    (re.compile(r"\b(?:sửa đổi|Sửa đổi|SỬA ĐỔI)(?:,\s*|\s+và\s+)?(?:bổ sung)?\b"), "amends"),
]
_EFFECTIVE = re.compile(rf"có hiệu lực(?: thi hành)?(?: kể)? từ ngày\s+(?:{DATE}|(?P<sign>ký))")
_SENTENCE_END = re.compile(r"(?<!\d)\.(?=\s)|;|\n[ \t]*\n")
# the text speaks of itself ("Nghị định này", "Quyết định này", "Chỉ thị này" …)
_SELF = re.compile(r"(?i)\b(?:nghị định|quyết định|chỉ thị|thông tư|nghị quyết|kế hoạch|quy định|luật|văn bản)\s+này\b")


def find_supersessions(text: str, cleaned: Cleaned, mentions: list[RawMention], own_date: str | None) -> list[Supersession]:
    eff_m = _EFFECTIVE.search(text)
    effective = None
    if eff_m:
        effective = own_date if eff_m.group("sign") else _iso(eff_m)
    out: list[Supersession] = []
    seen: set[tuple[str, str | None]] = set()
    starts = [r.start for r in mentions]
    for rx, relation in _VERBS:
        for v in rx.finditer(text):
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
