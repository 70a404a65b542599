"""`kg.cascade.lineage_rows` (a breadth-first walk, one query per level) against the named queries
`lineage-up` and `lineage-down`: the same edges, depths and labels, on the example corpus and on
generated cascades (a central directive carried out by provinces, departments, districts …)."""

from __future__ import annotations

import pytest
from conftest import generated_store
from example_graph import BASE

from kg import queries
from kg.cascade import lineage_rows
from kg.store import EmbeddedStore


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    store = generated_store(tmp_path_factory, 500, 11)
    yield store
    store.close()


def sparql(store, name: str, params: dict[str, str]) -> list[dict[str, str]]:
    """The named query's own SPARQL (`queries.run` answers these names through `lineage_rows`)."""
    q = queries.load(name)
    return store.select(queries.body(q.text), queries.bindings(q, params))


def symbols(store, node: str) -> set[str]:
    return {r["s"] for r in store.select("PREFIX kg: <https://kg.vn-plans.org/ns#>\n"
                                          "SELECT DISTINCT ?s WHERE { ?n kg:symbol ?s }", {"n": f"<{node}>"})}


def same(store, got: list[dict[str, str]], expected: list[dict[str, str]]) -> None:
    """Equal rows, except that a node written with several symbols may be labelled by any of them
    (the query's SAMPLE picks one)."""
    def key(r):
        return frozenset((k, v) for k, v in r.items() if k != "symbol")
    assert sorted(map(sorted, map(key, got))) == sorted(map(sorted, map(key, expected)))
    for r in got:
        if "symbol" in r:
            assert r["symbol"] in symbols(store, r["node"])
        else:
            assert not symbols(store, r["node"])


def roots(store, n: int = 6) -> list[str]:
    """The instruments carried out by the most plans (central directives, province plans) and
    plans at the bottom of a cascade."""
    top = store.select("PREFIX kg: <https://kg.vn-plans.org/ns#>\nSELECT ?i (COUNT(?d) AS ?n) "
                       "WHERE { ?d kg:implements ?i } GROUP BY ?i ORDER BY DESC(?n) ?i LIMIT 4")
    bottom = store.select("PREFIX kg: <https://kg.vn-plans.org/ns#>\nSELECT DISTINCT ?i WHERE { ?i kg:implements ?x "
                          "FILTER NOT EXISTS { ?y kg:implements ?i } } ORDER BY ?i LIMIT 3")
    return [r["i"] for r in top + bottom][:n + 1]


@pytest.mark.parametrize("direction", ["up", "down"])
def test_generated_cascade(generated, direction):
    deep = 0
    for root in roots(generated):
        expected = sparql(generated, f"lineage-{direction}", {"root": root})
        got = lineage_rows(generated, root, direction)
        same(generated, got, expected)
        deep = max([deep, *(int(r["depth"]) for r in got)])
    assert deep >= 2  # more than one level was walked


@pytest.mark.parametrize("direction", ["up", "down"])
@pytest.mark.parametrize("root", ["eli/vn/ct-ttg/2021/33", "eli/vn/nq-cp/2011/30c", "eli/vn-tay-ninh/kh-ubnd/2024/859",
                                  "doc/51432701ca4340e77f4ec53ba62bda074390be55ceeedf7e959b22fa70103143",
                                  "eli/vn/nowhere/1999/1"])
def test_example_corpus(example, root, direction):
    expected = sparql(example, f"lineage-{direction}", {"root": BASE + root})
    same(example, lineage_rows(example, BASE + root, direction), expected)


def test_a_cycle_and_depths_beyond_seven(tmp_path):
    """A chain of ten plans each carrying out the one before, and a plan carrying out its own
    implementer: depths stop at 7 ("7 or more"), and the cycle ends the walk."""
    store = EmbeddedStore(tmp_path / "kg-store")
    chain = "\n".join(f"<urn:p{i + 1}> <https://kg.vn-plans.org/ns#implements> <urn:p{i}> ." for i in range(10))
    loop = "<urn:p0> <https://kg.vn-plans.org/ns#implements> <urn:p3> ."
    store.update(f"INSERT DATA {{ GRAPH <urn:g> {{ {chain}\n{loop} }} }}")
    for direction, root in (("down", "urn:p0"), ("up", "urn:p10"), ("down", "urn:p5")):
        expected = sparql(store, f"lineage-{direction}", {"root": root})
        got = lineage_rows(store, root, direction)
        assert sorted(map(sorted, (r.items() for r in got))) == sorted(map(sorted, (r.items() for r in expected)))
        assert got
    store.close()


@pytest.mark.parametrize("direction", ["up", "down"])
def test_a_walk_stopped_at_a_depth_has_the_full_walk_rows_that_deep(generated, direction):
    for root in roots(generated):
        full = lineage_rows(generated, root, direction)
        for limit in (1, 2):
            cut = lineage_rows(generated, root, direction, max_depth=limit)
            assert {r["node"] for r in cut} == {r["node"] for r in full if int(r["depth"]) <= limit}
            assert all(r in full for r in cut)
