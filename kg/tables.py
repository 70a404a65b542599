"""Rows → a table that fits the terminal, CSV, or JSON; and the words of the query commands.

Column headings and status words come from `kg.i18n` (Vietnamese first, English with ``--lang en``).

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

from kg.i18n import t


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
