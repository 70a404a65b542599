"""`kg stale|lineage|show|cited-by|cites|query|sparql|stats` on the example corpus: exit codes and
exact output (tables at 100 columns)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from example_graph import SO_NGOAI_VU, load_example

from kg.cli import main

COMMANDS = ["stale", "lineage", "show", "cited-by", "cites", "query", "sparql", "stats"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    from kg.store import EmbeddedStore

    path = tmp_path_factory.mktemp("cmd") / "kg-store"
    store = EmbeddedStore(path)
    load_example(store)
    store.close()
    return str(path)


def kg(store_path: str, *args: str):
    return CliRunner().invoke(main, [*args, "--store", store_path], env={"COLUMNS": "100"})


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0 and "--store" in result.output


def test_stale_table(store_path):
    result = kg(store_path, "stale")
    assert result.exit_code == 0, result.output
    assert result.output == """\
Sở Ngoại vụ — examples/corpus/000_ad4fe33f902addcd.txt (2023; không sớm hơn 2023-03-20)
  Văn bản được dẫn     Tình trạng    Thay bằng       Từ ngày     Mức chắc chắn
  -------------------  ------------  --------------  ----------  -------------
  30c/NQ-CP            hết thời hạn  76/NQ-CP        2020-12-31  theo mốc ngày
  60/2013/NĐ-CP        bị thay thế   149/2018/NĐ-CP  2019-01-01  theo mốc ngày
  34/2007/PL-UBTVQH11  bị bãi bỏ     10/2022/QH15    2023-07-01  có thể

Sở Thông tin và Truyền thông — examples/corpus/002_0fcbf1ed67dcb533.txt (2023; không sớm hơn
    2023-04-26)
  Văn bản được dẫn     Tình trạng    Thay bằng       Từ ngày     Mức chắc chắn
  -------------------  ------------  --------------  ----------  -------------
  34/2007/PL-UBTVQH11  bị bãi bỏ     10/2022/QH15    2023-07-01  có thể

theo mốc ngày: văn bản dẫn không ghi ngày đầy đủ, nhưng ngày sớm nhất có thể của nó (năm ban hành,
    văn bản mới nhất nó dẫn) đã sau khi văn bản được dẫn hết hiệu lực.
có thể: không xác định được văn bản dẫn ban hành trước hay sau khi thay đổi có hiệu lực.
4 trích dẫn văn bản đã hết hiệu lực
"""



def test_stale_report_is_written_in_pieces_not_held_whole(store_path, monkeypatch):
    """The whole report at a million plans is 373 MB of text: written a bounded piece at a time,
    the same text as in one piece, in every format."""
    import click

    from kg import tables

    for fmt in ("table", "csv", "json"):
        whole = kg(store_path, "stale", "--format", fmt).output
        writes: list[str] = []
        real = click.echo

        def echo(message=None, *args, _writes=writes, _real=real, **kwargs):
            _writes.append(str(message or ""))
            return _real(message, *args, **kwargs)

        monkeypatch.setattr(tables, "ECHO_CHARS", 200)
        monkeypatch.setattr(click, "echo", echo)
        result = kg(store_path, "stale", "--format", fmt)
        monkeypatch.undo()
        assert result.exit_code == 0 and result.output == whole, fmt
        if fmt == "table":
            pieces = writes[:-1]  # the last: the count of citations
            assert len(pieces) >= 3 and max(map(len, pieces)) < 200 + 400  # at most one block past the size


def test_stale_in_english_as_of_a_date(store_path):
    result = kg(store_path, "stale", "--lang", "en", "--as-of", "2019-06-01")
    assert result.exit_code == 0, result.output
    assert result.output == """\
Sở Ngoại vụ — examples/corpus/000_ad4fe33f902addcd.txt (2023; not before 2023-03-20)
  Cited          Status    Replaced by     From        Certainty
  -------------  --------  --------------  ----------  ---------
  60/2013/NĐ-CP  replaced  149/2018/NĐ-CP  2019-01-01  certain

certain: the citing document's date (or the --as-of date) is after the change took effect.
1 stale citations
"""


def test_stale_csv_and_json_are_stable_for_scripts(store_path):
    rows = list(csv.DictReader(io.StringIO(kg(store_path, "stale", "--format", "csv", "--unit", "ngoại vụ").output)))
    assert [(r["path"], r["oldSymbol"], r["relation"], r["certainty"]) for r in rows] == [
        (SO_NGOAI_VU, "30c/NQ-CP", "expired", "bound"),
        (SO_NGOAI_VU, "60/2013/NĐ-CP", "replaced_by", "bound"),
        (SO_NGOAI_VU, "34/2007/PL-UBTVQH11", "repealed_by", "possible"),
    ]
    data = json.loads(kg(store_path, "stale", "--format", "json", "--lang", "en").output)
    assert len(data) == 4 and data[0]["newSymbol"] == "76/NQ-CP" and data[0]["relation"] == "expired"
    assert kg(store_path, "stale", "--unit", "nobody").output == "Không có trích dẫn nào đã hết hiệu lực.\n"


def test_stale_bad_date_exits_2(store_path):
    result = kg(store_path, "stale", "--as-of", "01/02/2024")
    assert result.exit_code == 2 and "'01/02/2024' is not an ISO date" in result.output


def test_lineage_tree(store_path):
    result = kg(store_path, "lineage", "CT 33/2021")
    assert result.exit_code == 0, result.output
    assert result.output == """\
Chỉ thị 33/CT-TTg (2021-11-26, Thủ tướng Chính phủ)
↑ Văn bản mà nó thực hiện:
  (không có)
↓ Văn bản thực hiện nó:
  └ 002_0fcbf1ed67dcb533.txt (Sở Thông tin và Truyền thông)
  └ 1243/KH-UBND (2023-04-26, UBND tỉnh Tây Ninh)
  └ 1432/BNV-CTTN (2023-04-03, Bộ Nội vụ)
"""
    up = kg(store_path, "lineage", "examples/corpus/002_0fcbf1ed67dcb533.txt", "--up", "--lang", "en")
    assert up.output.splitlines()[1:] == [
        "↑ What it carries out:",
        "  └ 1243/KH-UBND (2023-04-26, UBND tỉnh Tây Ninh)",
        "  └ 1432/BNV-CTTN (2023-04-03, Bộ Nội vụ)",
        "  └ 33/CT-TTg (2021-11-26, Thủ tướng Chính phủ)",
    ]


def test_ambiguous_ref_lists_candidates_and_exits_2(store_path):
    result = kg(store_path, "show", "124-QĐ/TW")
    assert result.exit_code == 2
    assert result.output == (
        "Error: '124-QĐ/TW' matches 2 instruments: Quy định 124-QĐ/TW (2018-02-02, Ban Bí thư); "
        "124-QĐ/TW (2023-10-04, Bộ Chính trị). Add the year (e.g. '124-QĐ/TW 2018') or give the IRI\n")


def test_show_card(store_path):
    result = kg(store_path, "show", "30c")
    assert result.exit_code == 0, result.output
    assert result.output == """\
Nghị quyết 30c/NQ-CP (2011-11-08, Chính phủ)
  IRI                       https://kg.vn-plans.org/eli/vn/nq-cp/2011/30c
  Tình trạng                hết thời hạn, từ ngày 2020-12-31 [độ tin cậy cao; phapluatquanly.vietnamhoinhap.vn (Bộ Nội vụ tổng kết Chương trình 2011-2020)]
                            có văn bản kế tiếp → 76/NQ-CP, từ ngày 2021-07-15 [độ tin cậy cao; Nghị quyết 76/NQ-CP ngày 15/7/2021 (Chương trình tổng thể CCHC 2021-2030)]
  Ngày                      2011-11-08 (theo sổ hiệu lực)
  Cơ quan ban hành          Chính phủ (theo sổ hiệu lực)
  Trích yếu                 Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2011-2020 (theo sổ hiệu lực)
  Thực hiện                 (không có)
  Được thực hiện bởi        (không có)
  Được dẫn bởi              (1) 000_ad4fe33f902addcd.txt
  Cách các văn bản đã viết  1× Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ
"""  # noqa: E501


def test_show_json_lists_the_ways_it_was_written(store_path):
    data = json.loads(kg(store_path, "show", "23-QĐ/TW", "--format", "json").output)
    assert data["issuer"] == "Bộ Chính trị" and data["status"] == []
    assert data["written_as"] == [
        {"surface": "Quyết định số 23-QĐ/TW ngày 30/7/2021 của Bộ Chính trị", "count": 3},
        {"surface": "Quyết định số 23-QĐ/TW, ngày 30/7/2021 của Ban Chấp hành Trung ương", "count": 2},
    ]


def test_cited_by(store_path):
    result = kg(store_path, "cited-by", "chỉ thị 33", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.output == """\
Chỉ thị 33/CT-TTg (2021-11-26, Thủ tướng Chính phủ)
Unit                              Document                  Date        Mentions  Implements
--------------------------------  ------------------------  ----------  --------  ----------
Sở Ngoại vụ                       000_ad4fe33f902addcd.txt  2023        1
Văn phòng UBND tỉnh               001_b7d91b333b96f748.txt              1
Sở Thông tin và Truyền thông      002_0fcbf1ed67dcb533.txt  2023        9         yes
UBND tỉnh Tây Ninh                859/KH-UBND               2024-03-25  1
Ủy ban nhân dân thị trấn Đak Đoa  004_1819411f62125bdf.txt  2023        1
"""


def test_cites(store_path):
    result = kg(store_path, "cites", "859/KH-UBND", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 26  # 11-QĐi/TW once, as this plan wrote it
    assert rows[0]["symbol"] == "10/2022/QH15" and rows[0]["mentions"] == "10"
    assert [r["symbol"] for r in rows if r["implements"] == "true"] == ["04-CTr/BDVTU-BCSDUBND"]


def test_stats(store_path):
    result = kg(store_path, "stats", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.output == """\
Documents               5
Instruments           104
Citation edges        110
Implements edges       15
Mentions              139
Issuing units           5
Status facts           35
Stale citations         4
"""


def test_query_named_with_params(store_path):
    result = kg(store_path, "query", "cited-by", "--param", "target=https://kg.vn-plans.org/eli/vn/nq-cp/2011/30c",
                "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(r["path"], r["mentions"]) for r in json.loads(result.output)] == [(SO_NGOAI_VU, "1")]
    missing = kg(store_path, "query", "lineage-up")
    assert missing.exit_code == 2 and "needs --param root=" in missing.output
    bad = kg(store_path, "query", "lineage-up", "--param", "root")
    assert bad.exit_code == 2 and "write KEY=VALUE" in bad.output
    listing = kg(store_path, "query", "list")
    assert "stale-citations         Stale citations [asOf?, unit?]" in listing.output


def test_query_user_file_is_read_only(store_path, tmp_path):
    mine = tmp_path / "mine.rq"
    mine.write_text("# title: Mine\n# params:\n#   s: string, required; a symbol\n"
                    "PREFIX kg: <https://kg.vn-plans.org/ns#>\nSELECT DISTINCT ?i WHERE { ?i kg:symbol ?s }\n")
    result = kg(store_path, "query", str(mine), "--param", "s=30c/NQ-CP", "--format", "csv")
    assert result.output == "i\nhttps://kg.vn-plans.org/eli/vn/nq-cp/2011/30c\n"
    evil = tmp_path / "evil.sparql"
    evil.write_text("DELETE WHERE { ?s ?p ?o }")
    refused = kg(store_path, "query", str(evil))
    assert refused.exit_code == 2
    assert refused.output == ("Error: this is a SPARQL update; only SELECT, ASK, CONSTRUCT and DESCRIBE "
                              "queries are run\n")


def test_sparql(store_path):
    result = kg(store_path, "sparql", "PREFIX kg: <https://kg.vn-plans.org/ns#> "
                "SELECT ?s WHERE { ?i kg:symbol ?s FILTER(STRSTARTS(?s, '30c')) } LIMIT 1", "--format", "csv")
    assert result.output == "s\n30c/NQ-CP\n"
    assert kg(store_path, "sparql", "ASK { ?s <https://kg.vn-plans.org/ns#mentionOf> ?i }").output == "true\n"
    construct = kg(store_path, "sparql", "CONSTRUCT { ?i a <urn:x> } WHERE { ?i <https://kg.vn-plans.org/ns#symbol> "
                   "'30c/NQ-CP' }")
    assert construct.output == "<https://kg.vn-plans.org/eli/vn/nq-cp/2011/30c> a <urn:x> .\n" or \
        construct.output == "<https://kg.vn-plans.org/eli/vn/nq-cp/2011/30c> " \
                            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:x> .\n"
    for update in ("DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"):
        refused = kg(store_path, "sparql", update)
        assert refused.exit_code == 2 and "SPARQL update" in refused.output
    malformed = kg(store_path, "sparql", "SELECT ?s WHERE { ?s }")
    assert malformed.exit_code == 2
    assert malformed.output.startswith("Error: malformed SPARQL: error at 1:23:") and malformed.output.count("\n") == 1
    assert kg(store_path, "stats", "--format", "json").output.startswith('{"documents": 5,')  # nothing was dropped


@pytest.mark.server
def test_commands_print_the_same_over_a_sparql_server(store_path, http_store, oxigraph_server):
    load_example(http_store)
    for args in (["stale"], ["lineage", "33/CT-TTg"], ["show", "30c"], ["cited-by", "chỉ thị 33"],
                 ["cites", "859/KH-UBND"], ["stats"], ["show", "124-QĐ/TW"]):
        assert kg(oxigraph_server, *args).output == kg(store_path, *args).output, args
