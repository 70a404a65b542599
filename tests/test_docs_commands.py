"""docs/commands.md shows every query command with its real output on the example corpus: each
``$ kg …`` block is run again here and must print exactly what the page shows
(regenerate with ``KG_UPDATE_GOLDEN=1``)."""

from __future__ import annotations

import os
import re
import shlex

import pytest
from click.testing import CliRunner
from example_graph import REPO, load_example

from kg.cli import main

PAGE = REPO / "docs" / "commands.md"
COMMANDS = ["stats", "stale", "lineage", "show", "cited-by", "cites", "query", "sparql", "check"]
BLOCK = re.compile(r"```console\n\$ kg (?P<args>.*?)\n(?P<out>.*?)```\n", re.S)
INTRO = """\
# Query commands on the example corpus

Real output of each command after `kg ingest examples/corpus/*.txt` (the store is `./kg-store`, or
`--store` / `KG_STORE`), at a terminal 100 columns wide. `tests/test_docs_commands.py` runs every block
again and fails when the output changes.
"""
RUNS = [
    ("stats", "How much the graph holds."),
    ("stale", "Citations of instruments already replaced, repealed or expired on the citing document's date. "
              "The Sở Ngoại vụ plan of 2023 (no exact date: its earliest possible date is 2023-03-20) still "
              "cites Nghị quyết 30c/NQ-CP, whose term ended in 2020, and Nghị định 60/2013/NĐ-CP, replaced "
              "from 2019; Pháp lệnh 34/2007/PL-UBTVQH11 was repealed from 2023-07-01, inside the year of the "
              "two plans citing it, so those are only possible."),
    ("stale --lang en --as-of 2024-01-01", "As of a date instead of each document's own: all certain."),
    ('stale --unit "sở ngoại vụ" --format csv', "CSV and JSON keep stable English column names for scripts."),
    ('lineage "CT 33/2021"', "REF is typed the way people write it."),
    ("lineage examples/corpus/002_0fcbf1ed67dcb533.txt --up", "A plan without a symbol is named by its file."),
    ("show 30c", "An instrument's card: status with its source, canonical metadata and where it came from."),
    ("show 23-QĐ/TW --lang en", "The different ways documents wrote it (two say Ban Chấp hành Trung ương)."),
    ("show 124-QĐ/TW", "An ambiguous REF lists the candidates instead of guessing (exit status 2)."),
    ('cited-by "chỉ thị 33"', ""),
    ("cites 859/KH-UBND --lang en", ""),
    ("query list", "The named queries in `queries/*.rq` and their parameters (`?` = optional)."),
    ("query citation-disagreements --format csv", ""),
    ("query cited-by --param target=https://kg.vn-plans.org/eli/vn/nq-cp/2011/30c --format json", ""),
    ("sparql 'PREFIX kg: <https://kg.vn-plans.org/ns#> SELECT ?symbol (COUNT(?m) AS ?n) "
     "WHERE { ?m kg:mentionOf/kg:symbol ?symbol } GROUP BY ?symbol ORDER BY DESC(?n) ?symbol LIMIT 3'", ""),
    ("sparql 'DROP ALL'", "Only SELECT, ASK, CONSTRUCT and DESCRIBE run (exit status 2)."),
    ("check tests/data/drafts/draft_2025.txt", "A 2025 draft: every problem with its line, the text as written, "
                                               "the fix and the source of the status (exit status 1)."),
    ("check tests/data/drafts/draft_2025_fixed.txt --lang en", "The same draft fixed (exit status 0)."),
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    from kg.store import EmbeddedStore

    path = tmp_path_factory.mktemp("docs") / "kg-store"
    store = EmbeddedStore(path)
    load_example(store)
    store.close()
    return str(path)


def run(store_path: str, args: str) -> str:
    here = os.getcwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(main, shlex.split(args), env={"COLUMNS": "100", "KG_STORE": store_path})
    finally:
        os.chdir(here)
    return result.output


def test_page_shows_real_output(store_path):
    if os.environ.get("KG_UPDATE_GOLDEN"):
        parts, seen = [INTRO], set()
        for args, note in RUNS:
            name = args.split()[0]
            if name not in seen:
                parts.append(f"\n## kg {name}\n")
                seen.add(name)
            parts.append((f"\n{note}\n" if note else "") + f"\n```console\n$ kg {args}\n{run(store_path, args)}```\n")
        PAGE.write_text("".join(parts), encoding="utf-8")
    blocks = BLOCK.findall(PAGE.read_text(encoding="utf-8"))
    assert len(blocks) == len(RUNS) == 18
    for args, out in blocks:
        assert run(store_path, args) == out, args


def test_every_query_command_is_on_the_page():
    text = PAGE.read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"$ kg {name}" in text and f"## kg {name}" in text, name
