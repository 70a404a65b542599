"""The benchmark corpus (`bench/corpus.py`) has the shape of real cascades, as the extractor reads it.

What went wrong before this test existed: the year grew by one every round of the cascade, so a
million-plan corpus was dated up to 2681; the extractor (rightly) reads no date from "năm 2350",
so nine plans in ten had no identity of their own and their children's references merged across
centuries. Numbers drawn at random also gave two plans of one issuer and year the same symbol.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from datetime import date

import pytest

from bench.corpus import FIRST_YEAR, LAST_YEAR, MERGER, documents, merged_provinces
from kg.ingest import ingest
from loaders import extract_text

KG = "https://kg.vn-plans.org/ns#"


def _first_merged_round(count: int) -> list[tuple[str, str]]:
    """`count` documents from the first province plan dated on or after the 2025 merger."""
    stream = documents(10**7)
    for path, text in stream:
        m = re.search(r"ngày (\d\d) tháng (\d\d) năm (\d{4})", text)
        if "-tinh-" in path and m and date(*map(int, reversed(m.groups()))) >= MERGER:
            return [(path, text), *itertools.islice(stream, count - 1)]
    raise AssertionError("no merged round")


@pytest.fixture(scope="module")
def first_round() -> list[tuple[str, object]]:
    return [(path, extract_text(text, path)) for path, text in documents(600, seed=7)]


@pytest.fixture(scope="module")
def merged_round() -> list[tuple[str, object]]:
    return [(path, extract_text(text, path)) for path, text in _first_merged_round(300)]


def test_every_plan_is_dated_in_range_and_cites_nothing_later(first_round, merged_round) -> None:
    for path, doc in first_round + merged_round:
        own = doc.identity.date
        assert own is not None, path
        assert FIRST_YEAR <= int(own[:4]) <= LAST_YEAR + 1, (path, own)
        later = [r.symbol for r in doc.refs if r.date and r.date > own]
        assert not later, (path, own, later)


def test_no_two_plans_of_one_issuer_share_a_number_in_a_year(first_round, merged_round) -> None:
    keys = Counter((doc.identity.jurisdiction.label if doc.identity.jurisdiction else None, doc.identity.issuer,
                    doc.identity.symbol, doc.identity.year) for _, doc in first_round + merged_round)
    assert keys.most_common(1)[0][1] == 1


def test_the_cascade_reaches_communes_before_the_merger_and_skips_districts_after(first_round,
                                                                                  merged_round) -> None:
    levels = Counter(doc.identity.jurisdiction.level for _, doc in first_round if doc.identity.jurisdiction)
    assert levels["province"] and levels["district"] and levels["commune"] > levels["district"]
    assert all(doc.identity.date < MERGER.isoformat() for _, doc in first_round)
    merged = [doc for _, doc in merged_round]
    assert all(doc.identity.date >= MERGER.isoformat() for doc in merged)
    assert not any(doc.identity.jurisdiction and doc.identity.jurisdiction.level == "district" for doc in merged)
    assert len(merged_provinces()) == 34
    names = {name for _, name, _ in merged_provinces()}
    provinces = {doc.identity.jurisdiction.province for path, doc in merged_round if "-tinh-" in path}
    assert len(provinces) > 5 and provinces <= names  # Hà Giang, Bắc Kạn … issue nothing after the merger


def test_every_plan_below_a_province_carries_out_a_plan_of_the_corpus(tmp_path) -> None:
    """Ingested, the department, district and commune plans implement the instrument another
    document of the corpus describes (the edge the lineage queries follow)."""
    from kg.store import EmbeddedStore

    folder = tmp_path / "docs"
    for path, text in itertools.chain(documents(250, seed=7), _first_merged_round(120)):
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    store = EmbeddedStore(tmp_path / "kg-store")
    assert ingest([folder], store, jobs=1).ok
    rows = store.select(f"""SELECT ?path ?parent (BOUND(?described) AS ?found) WHERE {{
        GRAPH ?g {{ ?doc <{KG}sourcePath> ?path ; <{KG}describes> ?me . ?me <{KG}implements> ?parent }}
        OPTIONAL {{ GRAPH ?h {{ ?other <{KG}describes> ?parent }} BIND(?other AS ?described) }} }}""")
    below = [r for r in rows if "-tinh-" not in r["path"]]
    assert len(below) > 300
    missing = [(r["path"], r["parent"]) for r in below if r["found"] != "true"]
    assert not missing, missing[:5]
    store.close()


def test_kept_corpora_and_stores_of_another_generator_version_are_not_reused(tmp_path) -> None:
    import json

    from bench import queries
    from bench.corpus import STAMP, write_corpus, written_by_this_generator

    corpus = tmp_path / "corpus-30"
    write_corpus(30, corpus)
    assert written_by_this_generator(corpus)
    (corpus / STAMP).write_text("older\n", encoding="utf-8")
    assert not written_by_this_generator(corpus)
    # a store bench.million built from another generator version is hours of work: refused, kept
    million = tmp_path / "store-30"
    million.mkdir()
    (million / ".bench-ready").write_text(json.dumps({"docs": 30, "generator": "older", "chunks": []}))
    with pytest.raises(SystemExit, match="another version"):
        queries.prepare(30, tmp_path)
    assert (million / ".bench-ready").exists()


def test_a_kept_corpus_is_reused_whole_and_written_again_when_cut_short(tmp_path):
    from bench.corpus import STAMP, kept_corpus, write_corpus

    out = tmp_path / "corpus-12"
    written = write_corpus(12, out, seed=1)
    marker = out / "docs" / "left-by-hand.txt"  # a reused corpus is not rewritten: this stays
    marker.write_text("x", encoding="utf-8")
    assert kept_corpus(12, out) == (written[0] + 1, written[1] + 1)
    (out / STAMP).unlink()  # as an interrupted write leaves it
    assert kept_corpus(12, out) == written and not marker.exists()


# bench.corpus.GENERATOR_VERSION -> a digest of what that version writes (seed 1): the first 2,000
# documents and their registry, and the first 100 documents dated after the 2025 merger (checked
# equal to what commit c58623c wrote, whose source hash the version is)
PINNED_OUTPUT = {"b61961f28b37": "16dca873d11fe67b"}


def test_the_generators_output_is_pinned_to_its_version() -> None:
    """Kept corpora and stores are reused while GENERATOR_VERSION is unchanged, so the same version
    must mean the same documents."""
    from bench.corpus import GENERATOR_VERSION, registry_rows

    h = hashlib.sha256()
    for path, text in [*documents(2000), *_first_merged_round(100)]:
        h.update(f"{path}\0{text}\0".encode())
    for row in registry_rows(2000):
        h.update(repr(sorted(row.items())).encode())
    digest = h.hexdigest()[:16]
    assert PINNED_OUTPUT.get(GENERATOR_VERSION) == digest, (
        f"bench/corpus.py writes other documents than version {GENERATOR_VERSION} did (digest {digest}): "
        "give GENERATOR_VERSION a new value and pin the new digest here")
