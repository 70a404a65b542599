"""`kg.tables.render_parts`: the pieces a long report is written in join to exactly what one
`json.dumps(..., indent=1)` or one `csv.DictWriter` pass writes, wherever the pieces are cut."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.tables import render, render_parts

COLUMNS = [("a", "symbol"), ("b", "date"), ("c", "status")]
KEYS = [k for k, _ in COLUMNS]

values = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["", "\n", '"', ",", "Đ", "\r\n", " a "]))
rows = st.lists(st.fixed_dictionaries({"a": values, "b": values}, optional={"c": values, "z": values}), max_size=12)


def whole(data: list[dict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{k: row.get(k) for k in KEYS} for row in data], ensure_ascii=False, indent=1)
    out = io.StringIO()
    writer = csv.DictWriter(out, KEYS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(data)
    return out.getvalue().rstrip("\n")


@settings(max_examples=300, deadline=None)
@given(rows, st.integers(1, 5), st.sampled_from(["json", "csv"]))
def test_pieces_join_to_the_whole_text(data, every, fmt):
    assert "".join(render_parts(data, COLUMNS, fmt, every=every)) == whole(data, fmt)
    assert render(data, COLUMNS, fmt) == whole(data, fmt)


@settings(max_examples=200, deadline=None)
@given(rows, st.integers(1, 5))
def test_a_table_cut_anywhere_is_the_same_table(data, every):
    one = "".join(render_parts(data, COLUMNS, "table", "en", width=60, every=len(data) + 1))
    assert "".join(render_parts(data, COLUMNS, "table", "en", width=60, every=every)) == one
    lines = one.split("\n")
    assert len(lines) == 2 + len(data)
