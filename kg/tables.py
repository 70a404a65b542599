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
from collections.abc import Callable, Iterable, Iterator

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
    return "".join(render_parts(rows, columns, fmt, lang, width, keep))


def render_parts(rows: list[dict[str, str]], columns: list[tuple[str, str]], fmt: str, lang: str = "vi",
                 width: int | None = None, keep: frozenset[str] = frozenset(), every: int = 1000) -> Iterator[str]:
    """`render`'s text in pieces of `every` rows, made as they are written (`write_parts`): a report
    of a million rows is never held whole as text."""
    keys = [k for k, _ in columns]
    if fmt == "json":  # as json.dumps(list, indent=1) writes it, object by object
        if not rows:
            yield "[]"
            return
        encode = json.JSONEncoder(ensure_ascii=False, indent=1).encode  # one encoder: json.dumps makes one a call
        for start in range(0, len(rows), every):
            objects = (encode({k: row.get(k) for k in keys}).replace("\n", "\n ") for row in rows[start:start + every])
            yield ("[\n " if start == 0 else ",\n ") + ",\n ".join(objects)
        yield "\n]"
        return
    if fmt == "csv":
        for start in range(0, max(len(rows), 1), every):
            out = io.StringIO()
            writer = csv.DictWriter(out, keys, extrasaction="ignore", lineterminator="\n")
            if start == 0:
                writer.writeheader()
            writer.writerows(rows[start:start + every])
            text = out.getvalue()
            yield text if start + every < len(rows) else text.rstrip("\n")
        return
    header, line = table_layout(rows, columns, lang, width, keep)
    yield "\n".join(header)
    for start in range(0, len(rows), every):
        yield "\n" + "\n".join(line(row) for row in rows[start:start + every])


ECHO_CHARS = 1 << 20  # what `write_parts` gathers before each echo


def write_parts(parts: Iterable[str]) -> None:
    """Echo `parts` about `ECHO_CHARS` characters at a time (one echo per small part costs ~130 µs),
    then a newline, as one `click.echo` of their whole text would."""
    import click

    size = ECHO_CHARS
    pending: list[str] = []
    held = 0
    for part in parts:
        pending.append(part)
        held += len(part)
        if held >= size:
            click.echo("".join(pending), nl=False)
            pending, held = [], 0
    click.echo("".join(pending))


def table_layout(rows: Iterable[dict[str, str]], columns: list[tuple[str, str]], lang: str = "vi",
                 width: int | None = None, keep: frozenset[str] = frozenset()
                 ) -> tuple[list[str], Callable[[dict[str, str]], str]]:
    """A table's two header lines and the function that writes one row's line, the columns sized
    for all `rows` (as `render` sizes them) in one pass that keeps nothing: a report of a million
    rows is written line by line instead of held whole, several times over, as text."""
    keys = [k for k, _ in columns]
    heads = [t(h, lang) for _, h in columns]
    widths = [len(h) for h in heads]
    for row in rows:
        for i, k in enumerate(keys):
            n = len(" ".join(str(row.get(k) or "").split()))  # the cell as `cut` writes it
            if n > widths[i]:
                widths[i] = n
    room = (width or globals()["width"]()) - 2 * (len(widths) - 1)
    for protected in (set(keep), set()):
        while sum(widths) > room:
            free = [i for i, k in enumerate(keys) if k not in protected and widths[i] > 8]
            if not free:
                break
            widths[max(free, key=lambda i: widths[i])] -= 1
    header = ["  ".join(cut(h, w).ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip(),
              "  ".join("-" * w for w in widths)]
    sized = list(zip(keys, widths, strict=True))

    def line(row: dict[str, str]) -> str:
        return "  ".join(cut(str(row.get(k) or ""), w).ljust(w) for k, w in sized).rstrip()  # cut normalises

    return header, line


def doc_label(row: dict[str, str], symbol: str = "symbol", path: str = "path") -> str:
    """A document as people name it: its symbol, else its file name."""
    return row.get(symbol) or (row.get(path) or "").rsplit("/", 1)[-1] or row.get("doc", "")
