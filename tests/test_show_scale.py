"""`kg show` on an instrument that many plans cite and carry out: the card counts every citer but
names a few (the full list is `kg cited-by`'s), and its "carried out by" is lineage-down's first
level, read without walking the whole cascade."""

from __future__ import annotations

import pytest
from conftest import generated_store

from kg import queries
from kg.refs import Candidate
from kg.show import CITERS_SHOWN, card, render_card


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = generated_store(tmp_path_factory, 300, 5)
    yield s
    s.close()


def most(store, query: str) -> str:
    return store.select("PREFIX kg: <https://kg.vn-plans.org/ns#>\n" + query)[0]["i"]


def test_a_much_cited_instrument(store):
    iri = most(store, "SELECT ?i (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d kg:cites ?i } "
                      "GROUP BY ?i ORDER BY DESC(?n) LIMIT 1")
    every = queries.run(store, "cited-by", {"target": iri})
    assert len(every) > CITERS_SHOWN
    c = card(store, Candidate(iri=iri))
    assert c["cited_by_count"] == len(every)
    named = {r.get("symbol") or r["path"].rsplit("/", 1)[-1] for r in every}
    assert len(c["cited_by"]) == CITERS_SHOWN and set(c["cited_by"]) <= named
    assert sum(w["count"] for w in c["written_as"]) == len(store.select(
        "PREFIX kg: <https://kg.vn-plans.org/ns#>\nSELECT ?m WHERE { ?m kg:mentionOf ?i }", {"i": f"<{iri}>"}))
    line = next(x for x in render_card(c, "vi") if x.lstrip().startswith("Được dẫn bởi"))
    assert f"({len(every):,})" in line and f"và {len(every) - CITERS_SHOWN:,} văn bản khác" in line
    english = next(x for x in render_card(c, "en") if x.lstrip().startswith("Cited by"))
    assert f"and {len(every) - CITERS_SHOWN:,} more (see kg cited-by)" in english


def test_carried_out_by_is_lineage_down_first_level(store):
    iri = most(store, "SELECT ?i (COUNT(?d) AS ?n) WHERE { ?d kg:implements ?i } GROUP BY ?i ORDER BY DESC(?n) LIMIT 1")
    down = queries.run(store, "lineage-down", {"root": iri})
    assert any(r["depth"] != "1" for r in down)  # a cascade, not only its first level
    expected = sorted({r.get("symbol") or r.get("path", r["node"]).rsplit("/", 1)[-1]
                       for r in down if r["depth"] == "1"})
    c = card(store, Candidate(iri=iri))
    assert c["implemented_by"] == expected and len(expected) > 1
    given = card(store, Candidate(iri=iri), down=down, cited_by=queries.run(store, "cited-by", {"target": iri}))
    assert given["implemented_by"] == expected and given["cited_by_count"] == len(given["cited_by"])


def test_the_wordings_of_a_very_often_mentioned_instrument_are_counted_over_the_first_mentions(store, monkeypatch):
    from kg import show

    iri = most(store, "SELECT ?i (COUNT(?m) AS ?n) WHERE { ?m kg:mentionOf ?i } GROUP BY ?i ORDER BY DESC(?n) LIMIT 1")
    total = len(store.select("PREFIX kg: <https://kg.vn-plans.org/ns#>\nSELECT ?m WHERE { ?m kg:mentionOf ?i }",
                             {"i": f"<{iri}>"}))
    monkeypatch.setattr(show, "SURFACES_COUNTED", 25)
    c = card(store, Candidate(iri=iri))
    assert total > 25 and sum(w["count"] for w in c["written_as"]) == c["written_as_counted"] == 25
    assert c["mentions"] == total
    assert f"(đếm trên 25 lần nhắc đầu tiên trong tổng số {total:,})" in render_card(c, "vi")[-1]
    assert f"(counted over the first 25 of {total:,} mentions)" in render_card(c, "en")[-1]
