"""Hostile input to SPARQL: a parameter value is data, never query structure; user queries are
read-only twice over (refused by `check_read_only`, and run on a read-only snapshot with a query
API that cannot update)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability import bad_files as bad
from reliability.table import reliability  # noqa: F401  (the session fixture)

from kg import queries
from kg.cli import main
from kg.errors import QueryError
from kg.store import bind

SECTION = "Hostile input: SPARQL"
INJECTIONS = ['"> } ; DROP ALL #', "' } DROP ALL ; SELECT * { '", '" . } } INSERT DATA { <urn:a> <urn:b> <urn:c> } #',
              "line one\nDROP ALL\n", "\\\" } DROP ALL", "x\r\n} ; CLEAR DEFAULT", "<urn:x> } ; DROP ALL ; {",
              "\\u0022 } DROP ALL #", '"""', "#", "}", "?s ?p ?o"]
UPDATES = ["DROP ALL", "drop all", "CLEAR DEFAULT", "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
           "DELETE WHERE { ?s ?p ?o }", "LOAD <http://example.org/x>", "# SELECT * WHERE {}\nDROP ALL",
           "PREFIX kg: <https://kg.vn-plans.org/ns#> DELETE { ?s ?p ?o } WHERE { ?s kg:symbol ?o }",
           "SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
           "CREATE GRAPH <urn:g>", "ADD DEFAULT TO <urn:g>", "COPY DEFAULT TO <urn:g>", "MOVE DEFAULT TO <urn:g>"]
ECHO = "SELECT ?v WHERE { }"


def echo(value: str) -> list[str]:
    """Bind `value` as a string parameter to a query that returns it, on an empty in-memory store."""
    result = ox.Store().query(bind(ECHO, {"v": queries.term(value, "string")}))
    return [row["v"].value for row in result]


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(), st.sampled_from(INJECTIONS), st.lists(st.sampled_from(
    ['"', "'", "\\", "}", "{", ";", "#", "\n", "\r", "DROP ALL", ">", "<", "u0022", "\t"])).map("".join)))
def test_a_string_parameter_comes_back_as_data(value):
    """Whatever the text, the query keeps its one-variable, one-row shape and returns the text as is."""
    assert echo(value) == [value]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_looking_values_are_refused_where_a_term_of_another_kind_is_expected(value):
    for kind in ("IRI", "xsd:date", "xsd:integer"):
        with pytest.raises(QueryError):
            queries.term(value, kind)
    with pytest.raises(QueryError, match="is not an N-Triples IRI or literal"):
        bind("SELECT ?s WHERE { ?s ?p ?o }", {"p": value})  # raw values must already be terms
    with pytest.raises(QueryError, match="is not an N-Triples IRI or literal"):
        bind("SELECT ?s WHERE { ?s ?p ?o }", {"s": ["<urn:ok>", value]})


def test_a_variable_name_cannot_carry_syntax():
    for name in ("p) } DROP ALL #", "p ?o", "1p", ""):
        with pytest.raises(QueryError):
            bind("SELECT ?s WHERE { ?s ?p ?o }", {name: "<urn:x>"})


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("hostile-sparql")
    for n, text in enumerate(bad.plans(3, seed=31)):
        (folder / f"{n}.txt").write_text(text, encoding="utf-8")
    location = str(folder / "kg-store")
    result = CliRunner().invoke(main, ["ingest", "--store", location, str(folder)])
    assert result.exit_code == 0, result.output
    return location


def quads(location: str) -> int:
    result = CliRunner().invoke(main, ["sparql", "--store", location, "--format", "csv",
                                       "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"])
    assert result.exit_code == 0, result.output
    return int(result.stdout.split()[1])


def test_kg_query_parameters_never_change_the_store(store, reliability):  # noqa: F811
    before = quads(store)
    runner = CliRunner()
    outcomes = set()
    for value in INJECTIONS:
        for name, param in (("unit-profile", "unit"), ("stale-citations", "unit"), ("cited-by", "target"),
                            ("stale-citations", "asOf")):
            result = runner.invoke(main, ["query", name, "--store", store, "--param", f"{param}={value}",
                                          "--format", "csv"])
            assert result.exit_code in (0, 2), result.output
            if result.exit_code == 0:
                assert result.stdout.splitlines()[1:] == [], result.output  # no unit or IRI is named that
            else:
                assert result.output.count("\n") == 1 and " is not an " in result.output, result.output
            outcomes.add(result.exit_code)
    assert outcomes == {0, 2}
    assert quads(store) == before
    reliability.row(SECTION, "injection in --param", f"{len(INJECTIONS)} values such as `\"> }} ; DROP ALL #`, "
                    "quotes, newlines, braces, through `kg query` string, IRI and date parameters",
                    "a string matched nothing (it stayed one literal); an IRI or date was refused, exit 2, one "
                    "line; a property test (300 texts) gets every value back unchanged", "store unchanged")


def test_kg_sparql_and_query_files_refuse_updates(store, tmp_path, reliability):  # noqa: F811
    before = quads(store)
    runner = CliRunner()
    for update in UPDATES:
        result = runner.invoke(main, ["sparql", "--store", store, update])
        assert result.exit_code == 2, (update, result.output)
        assert result.output.startswith(("Error: this is a SPARQL update", "Error: malformed SPARQL")), result.output
        path = tmp_path / "update.rq"
        path.write_text(update, encoding="utf-8")
        result = runner.invoke(main, ["query", str(path), "--store", store])
        assert result.exit_code == 2, (update, result.output)
    assert quads(store) == before
    reliability.row(SECTION, "updates as user queries", f"{len(UPDATES)} updates (DROP, CLEAR, INSERT, DELETE, LOAD, "
                    "CREATE, ADD/COPY/MOVE, lower case, hidden after a comment or a query) through `kg sparql` and "
                    "`kg query FILE.rq`", "exit 2: 'this is a SPARQL update; only SELECT, ASK, CONSTRUCT and "
                    "DESCRIBE queries are run' (or malformed SPARQL)", "store unchanged")


def test_an_update_that_slipped_past_the_check_still_cannot_write(store, monkeypatch, reliability):  # noqa: F811
    """Defence in depth: with `check_read_only` disabled, the query API and the read-only snapshot
    still refuse to run an update."""
    before = quads(store)
    monkeypatch.setattr(queries, "check_read_only", lambda text: "SELECT")
    for update in UPDATES[:6]:
        result = CliRunner().invoke(main, ["sparql", "--store", store, update])
        assert result.exit_code == 2, (update, result.output)
        assert result.output.startswith("Error: malformed SPARQL"), result.output
    assert quads(store) == before
    reliability.row(SECTION, "update past the check", "`kg sparql` DROP ALL / INSERT / DELETE with the read-only "
                    "check switched off", "exit 2: the query API parses it as a query and fails; nothing runs",
                    "store unchanged")
