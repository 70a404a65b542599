"""Marked golden strings: "Căn cứ <0>Nghị định số 15/2020/NĐ-CP</0> …" → plain text and spans."""

from __future__ import annotations

import re

_TAG = re.compile(r"</?(\d+)>")


def unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    out: list[str] = []
    spans: dict[int, list[int]] = {}
    pos = 0
    length = 0
    for m in _TAG.finditer(marked):
        chunk = marked[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        spans.setdefault(int(m.group(1)), []).append(length)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), [tuple(spans[k]) for k in sorted(spans)]  # type: ignore[misc]
