"""Rows → a table that fits the terminal, CSV, or JSON; and the words of the query commands.

The words are added to `kg.i18n.MESSAGES` here (Vietnamese first, English with ``--lang en``), so
every command reaches them through `kg.i18n.t`.

>>> print(render([{"a": "x", "b": "1"}], [("a", "symbol"), ("b", "date")], "table", "en", width=40))
Number/symbol  Date
-------------  ----
x              1
>>> print(render([{"a": "x"}], [("a", "symbol")], "csv", "vi"))
a
x
"""

from __future__ import annotations

import csv
import io
import json
import shutil

from kg.i18n import MESSAGES, t

WORDS: dict[str, dict[str, str]] = {
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "cited": {"vi": "Văn bản được dẫn", "en": "Cited"},
    "status": {"vi": "Tình trạng", "en": "Status"},
    "replacement": {"vi": "Thay bằng", "en": "Replaced by"},
    "effective": {"vi": "Từ ngày", "en": "From"},
    "certainty": {"vi": "Mức chắc chắn", "en": "Certainty"},
    "certain": {"vi": "chắc chắn", "en": "certain"},
    "bound": {"vi": "theo mốc ngày", "en": "by date bound"},
    "possible": {"vi": "có thể", "en": "possible"},
    "legend_certain": {"vi": "ngày của văn bản dẫn (hoặc ngày --as-of) đã sau khi văn bản được dẫn hết hiệu lực.",
                       "en": "the citing document's date (or the --as-of date) is after the change took effect."},
    "legend_bound": {"vi": "văn bản dẫn không ghi ngày đầy đủ, nhưng ngày sớm nhất có thể của nó (năm ban hành, "
                           "văn bản mới nhất nó dẫn) đã sau khi văn bản được dẫn hết hiệu lực.",
                     "en": "the citing document has no full date, but its earliest possible date (its year, the "
                           "latest document it cites) is already after the change."},
    "legend_possible": {"vi": "không xác định được văn bản dẫn ban hành trước hay sau khi thay đổi có hiệu lực.",
                        "en": "it cannot be told whether the citing document came before or after the change."},
    "replaced_by": {"vi": "bị thay thế", "en": "replaced"},
    "repealed_by": {"vi": "bị bãi bỏ", "en": "repealed"},
    "expired": {"vi": "hết thời hạn", "en": "term ended"},
    "succeeded_by": {"vi": "có văn bản kế tiếp", "en": "succeeded"},
    "amended_by": {"vi": "được sửa đổi", "en": "amended"},
    "successor_unconfirmed": {"vi": "có thể đã có văn bản mới", "en": "successor unconfirmed"},
    "in_force": {"vi": "còn hiệu lực", "en": "in force"},
    "no_status": {"vi": "chưa rõ (không có trong sổ hiệu lực)", "en": "unknown (not in the registry)"},
    "stale_count": {"vi": "trích dẫn văn bản đã hết hiệu lực", "en": "stale citations"},
    "no_stale": {"vi": "Không có trích dẫn nào đã hết hiệu lực.", "en": "No stale citations."},
    "mentions_col": {"vi": "Số lần", "en": "Mentions"},
    "implements_col": {"vi": "Thực hiện", "en": "Implements"},
    "title": {"vi": "Trích yếu", "en": "Title"},
    "kind": {"vi": "Loại", "en": "Kind"},
    "yes": {"vi": "có", "en": "yes"},
    "rows": {"vi": "dòng", "en": "rows"},
    "up": {"vi": "Văn bản mà nó thực hiện", "en": "What it carries out"},
    "down": {"vi": "Văn bản thực hiện nó", "en": "What carries it out"},
    "implemented_by": {"vi": "Được thực hiện bởi", "en": "Carried out by"},
    "cited_by": {"vi": "Được dẫn bởi", "en": "Cited by"},
    "written_as": {"vi": "Cách các văn bản đã viết", "en": "As documents wrote it"},
    "canonical_from": {"vi": "theo", "en": "from"},
    "basis_registry": {"vi": "sổ hiệu lực", "en": "the registry"},
    "basis_source": {"vi": "chính văn bản", "en": "its own text"},
    "basis_mentions": {"vi": "đa số trích dẫn", "en": "most citations"},
    "stats_documents": {"vi": "Văn bản đã nạp", "en": "Documents"},
    "stats_instruments": {"vi": "Văn bản trong đồ thị", "en": "Instruments"},
    "stats_cites": {"vi": "Quan hệ trích dẫn", "en": "Citation edges"},
    "stats_implements": {"vi": "Quan hệ thực hiện", "en": "Implements edges"},
    "stats_mentions": {"vi": "Lần trích dẫn", "en": "Mentions"},
    "stats_units": {"vi": "Đơn vị ban hành", "en": "Issuing units"},
    "stats_facts": {"vi": "Thông tin hiệu lực", "en": "Status facts"},
    "stats_stale": {"vi": "Trích dẫn đã hết hiệu lực", "en": "Stale citations"},
    "line": {"vi": "Dòng", "en": "Line"},
    "severity": {"vi": "Mức", "en": "Severity"},
    "error": {"vi": "lỗi", "en": "error"},
    "warning": {"vi": "cảnh báo", "en": "warning"},
    "info": {"vi": "thông tin", "en": "info"},
    "fix": {"vi": "Sửa", "en": "Fix"},
    "basis": {"vi": "Căn cứ", "en": "Based on"},
    "check_clean": {"vi": "Không phát hiện vấn đề nào trong {n} trích dẫn của dự thảo.",
                    "en": "No problems found in the draft's {n} references."},
    "check_found": {"vi": "{n} vấn đề trong {refs} trích dẫn của dự thảo (ngày dự thảo: {date}).",
                    "en": "{n} problems in the draft's {refs} references (draft dated {date})."},
}
MESSAGES.update({k: v for k, v in WORDS.items() if k not in MESSAGES})


def width() -> int:
    """Terminal width, kept between 60 and 160 columns (``COLUMNS`` wins, as in `shutil`)."""
    return max(60, min(160, shutil.get_terminal_size((100, 24)).columns))


def cut(text: str | None, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: max(0, n - 1)] + "…"


def render(rows: list[dict[str, str]], columns: list[tuple[str, str]], fmt: str, lang: str = "vi",
           width: int | None = None, keep: frozenset[str] = frozenset()) -> str:
    """`columns` are (row key, i18n key of its header). CSV and JSON use the row keys (stable for
    scripts, never translated); a table shrinks its widest columns until it fits `width`, those in
    `keep` (symbols, dates) only once the others are down to 8 characters."""
    keys = [k for k, _ in columns]
    if fmt == "json":
        return json.dumps([{k: row.get(k) for k in keys} for row in rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, keys, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    heads = [t(h, lang) for _, h in columns]
    cells = [[" ".join(str(row.get(k) or "").split()) for k in keys] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(heads)]
    room = (width or globals()["width"]()) - 2 * (len(widths) - 1)
    for protected in (set(keep), set()):
        while sum(widths) > room:
            free = [i for i, k in enumerate(keys) if k not in protected and widths[i] > 8]
            if not free:
                break
            widths[max(free, key=lambda i: widths[i])] -= 1
    lines = ["  ".join(cut(h, w).ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(cut(c, w).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def doc_label(row: dict[str, str], symbol: str = "symbol", path: str = "path") -> str:
    """A document as people name it: its symbol, else its file name."""
    return row.get(symbol) or (row.get(path) or "").rsplit("/", 1)[-1] or row.get("doc", "")
