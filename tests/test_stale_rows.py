"""`kg.stale_rows` (three streamed reads joined in Python) against the named query it stands in
for: the same distinct rows on the example corpus and on 400 generated plans with their registry
facts, for every unit, for one unit, and judged as of a date."""

from __future__ import annotations

import pytest
from conftest import generated_store

from kg import queries
from kg.stale_rows import judge, stale_rows


def stale_folders(folder):
    """What the stale report keeps in the store's kg-kept folder (the cascade index is kept there too)."""
    from kg.stale_rows import KEPT_AS

    return sorted(f for f in folder.iterdir() if f.name.startswith(KEPT_AS)) if folder.exists() else []


def as_set(rows: list[dict[str, str]]) -> set[frozenset[tuple[str, str]]]:
    return {frozenset(r.items()) for r in rows}


# a district plan that cites 30c/NQ-CP without its date: minted apart from the dated instrument of
# the registry, matched to it by symbol ("possible" at most)
UNDATED = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN TÂN BIÊN                            Độc lập - Tự do - Hạnh phúc

Số: 12/KH-UBND                      Tân Biên, ngày 05 tháng 3 năm 2022

KẾ HOẠCH
Cải cách hành chính năm 2022

Căn cứ Nghị quyết số 30c/NQ-CP của Chính phủ ban hành Chương trình tổng thể cải cách hành chính nhà nước;
Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ;
Ủy ban nhân dân huyện ban hành Kế hoạch như sau.
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    store = generated_store(tmp_path_factory, 400, 3, registry=True, extra={"kh_12_tan_bien.txt": UNDATED})
    yield store
    store.close()


PARAMS = [{}, {"asOf": "2024-01-01"}, {"asOf": "2019-06-01"}, {"unit": "sở ngoại"}, {"unit": "UBND"},
          {"unit": "Sở Ngoại vụ", "asOf": "2023-05-01"}, {"unit": "không có đơn vị này"}]


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "all")
@pytest.mark.parametrize("corpus", ["example", "generated"])
def test_same_rows_as_the_named_query(corpus, params, request):
    store = request.getfixturevalue(corpus)
    expected = queries.run(store, "stale-citations", params)
    got = stale_rows(store, unit=params.get("unit"), as_of=params.get("asOf"))
    assert as_set(got) == as_set(expected)
    assert len(got) == len(as_set(got))  # distinct, as the query's SELECT DISTINCT
    if not params and corpus == "generated":
        assert len(expected) > 100  # the generated plans do cite superseded instruments


def test_an_undated_reference_is_matched_by_symbol(generated):
    rows = [r for r in stale_rows(generated) if r["matchedBy"] == "symbol"]
    assert [(r["cited"].rsplit("/", 3)[-3:], r["oldSymbol"], r["certainty"]) for r in rows] == [
        (["nq-cp", "undated", "30c"], "30c/NQ-CP", "possible")]
    assert stale_rows(generated, unit="Tân Biên") == rows
    assert stale_rows(generated, unit="Sở Ngoại vụ") and not [
        r for r in stale_rows(generated, unit="Sở Ngoại vụ") if r["matchedBy"] == "symbol"]



def test_a_whole_gather_holds_each_document_and_each_repeated_value_once(generated):
    """What a whole gather holds (1.7 M citations at a million plans): the metadata of the citing
    documents only, each (graph, document) pair one tuple shared by its citations and its metadata,
    a value written in many documents (a date, a unit name) one string."""
    from kg.stale_rows import _documents, _gather

    found = _gather(generated, None)
    citing = {(g, doc) for g, doc, _ in found["docs"]}
    every = _documents(generated, None)
    assert len(every) > len(citing) > 100  # some plans cite nothing superseded
    keep = {key: key for key in list(every)[:50]}
    some = _documents(generated, None, keep=keep)
    assert list(some) == [k for k in every if k in keep] and all(k is keep[k] for k in some)
    assert all(some[k] == every[k] for k in some)
    for field in ("docYear", "unitName"):
        values = [meta[field] for _, _, metas in found["docs"] for meta in metas if field in meta]
        assert len(values) > len(set(values))
        assert len({id(v) for v in values}) == len(set(values))  # one object per distinct value


@pytest.mark.parametrize(("effective", "relation", "when", "year", "not_before", "matched", "expected"), [
    ("", "replaced_by", "2020-01-01", "2020", "", "iri", "possible"),  # no effective date: cannot be told
    ("2021-01-01", "replaced_by", "2021-01-01", "2021", "", "iri", "certain"),  # from its first day
    ("2021-01-01", "expired", "2021-01-01", "2021", "", "iri", "no"),  # a term ends after its last day
    ("2021-01-01", "expired", "2021-01-02", "2021", "", "iri", "certain"),
    ("2021-01-01", "replaced_by", "2020-12-31", "2020", "", "iri", "no"),
    ("2021-03-01", "replaced_by", "", "2021", "2021-04-01", "iri", "bound"),  # lower bound after the change
    ("2021-03-01", "replaced_by", "", "2021", "2021-02-01", "iri", "possible"),  # inside the year
    ("2021-03-01", "replaced_by", "", "2020", "", "iri", "no"),  # the whole year before
    ("2021-03-01", "replaced_by", "", "", "", "iri", "possible"),  # no date at all
    ("2021-03-01", "replaced_by", "", "", "", "symbol", "possible"),
    ("2021-03-01", "replaced_by", "2022-01-01", "2022", "", "symbol", "possible"),  # never more than possible
])
def test_judge(effective, relation, when, year, not_before, matched, expected):
    assert judge(effective, relation, when, year, not_before, matched) == expected


def test_kept_rows_answer_every_unit_and_date_until_the_store_changes(tmp_path_factory, monkeypatch):
    import shutil
    from pathlib import Path

    from kg import kept
    from kg import stale_rows as module
    from kg.kept import KEPT
    from kg.store import EmbeddedStore

    writer = generated_store(tmp_path_factory, 120, 5, registry=True, extra={"kh_12_tan_bien.txt": UNDATED})
    expected = {i: as_set(stale_rows(writer, unit=p.get("unit"), as_of=p.get("asOf"))) for i, p in enumerate(PARAMS)}
    assert len(expected[0]) > 20
    location = writer.location
    writer.close()
    kept_dir = Path(location, KEPT)
    shutil.rmtree(kept_dir)  # what the ingest kept for readers (see the next test): readers keep their own

    reader = EmbeddedStore(location, read_only=True)
    assert stale_rows(reader, unit="Sở Ngoại vụ") and not stale_folders(kept_dir)  # one unit, nothing kept: not kept
    assert as_set(stale_rows(reader)) == expected[0]
    [folder] = stale_folders(kept_dir)
    assert reader.generation in folder.name
    units = kept.load(reader, module.KEPT_AS, "common")["units"]
    assert len(units) > 5 and "Sở Ngoại vụ" in units  # one part per unit name
    assert all(kept.load(reader, module.KEPT_AS, "unit:" + name) is not None for name in units)

    def no_store_reads(*args):
        raise AssertionError("read the store although a result was kept")

    monkeypatch.setattr(module, "_gather", no_store_reads)
    read = []
    real_load = kept.load
    monkeypatch.setattr(kept, "load",
                        lambda store, name, key, *rest: (read.append(key), real_load(store, name, key, *rest))[1])
    for i, p in enumerate(PARAMS):  # every unit and date from the kept result, as from the store
        read.clear()
        assert as_set(stale_rows(reader, unit=p.get("unit"), as_of=p.get("asOf"))) == expected[i], p
        if p.get("unit") == "Sở Ngoại vụ":
            assert read == ["common", "unit:Sở Ngoại vụ"]  # only the parts of the names it matches
    reader.close()

    another = EmbeddedStore(location, read_only=True)  # another reader of the same snapshot
    assert as_set(stale_rows(another)) == expected[0]
    another.close()

    monkeypatch.undo()
    next(folder.iterdir()).write_text('{"docs": [', encoding="utf-8")  # a part cut short
    reader = EmbeddedStore(location, read_only=True)
    assert as_set(stale_rows(reader)) == expected[0]  # computed again, and kept anew
    assert as_set(stale_rows(reader)) == expected[0]
    reader.close()

    writer = EmbeddedStore(location)  # a change (a citing document forgotten): the next reader's snapshot is another
    doc = next(iter(stale_rows(writer)))["doc"]
    writer.drop_graph(writer.select("SELECT ?g WHERE { GRAPH ?g { ?src <https://kg.vn-plans.org/ns#describes> ?doc } }",
                                    {"doc": f"<{doc}>"})[0]["g"])
    writer.close()
    reader = EmbeddedStore(location, read_only=True)
    assert as_set(stale_rows(reader)) != expected[0]
    assert [f.name for f in stale_folders(kept_dir)] == [f"{module.KEPT_AS}-v{kept.FORMAT}-{reader.generation}"]
    reader.close()


REPLACING = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH TÂY NINH                             Độc lập - Tự do - Hạnh phúc

Số: 45/QĐ-UBND                      Tây Ninh, ngày 10 tháng 3 năm 2023

QUYẾT ĐỊNH
Ban hành Quy chế phối hợp

Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;
Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 12/QĐ-UBND ngày 05/01/2020
của Ủy ban nhân dân tỉnh Tây Ninh.
"""


def test_writers_keep_the_report_so_no_reader_gathers_it(tmp_path, monkeypatch):
    """After each kind of write (a first bulk load, new plans, a plan edited, a plan forgotten, a text
    stating a replacement) the next reader answers every unit and date from what the writer kept,
    exactly as the named query does on the same snapshot."""
    import shutil

    from bench.corpus import write_corpus
    from kg import kept, registry
    from kg import stale_rows as module
    from kg.ingest import forget, ingest
    from kg.kept import KEPT
    from kg.store import EmbeddedStore

    root = tmp_path / "corpus"
    write_corpus(160, root, seed=5)
    docs = sorted((root / "docs").rglob("*.txt"))
    later = tmp_path / "later"
    later.mkdir()
    for path in docs[120:]:  # kept back for a second ingest
        shutil.move(path, later / path.name)
    (later / "kh_12_tan_bien.txt").write_text(UNDATED, encoding="utf-8")
    location = str(tmp_path / "kg-store")
    gathered = []
    real_gather = module._gather

    def counted(store, unit, graphs=None):
        gathered.append((unit, graphs is None))
        return real_gather(store, unit, graphs)

    monkeypatch.setattr(module, "_gather", counted)

    def write(action) -> None:
        writer = EmbeddedStore(location)
        action(writer)
        writer.close()

    def read_back(*, from_kept: bool) -> None:
        reader = EmbeddedStore(location, read_only=True)
        gathered.clear()
        for params in PARAMS:
            expected = queries.run(reader, "stale-citations", params)
            assert as_set(stale_rows(reader, unit=params.get("unit"), as_of=params.get("asOf"))) == as_set(expected)
        assert (gathered == []) is from_kept, gathered
        folders = [f.name for f in stale_folders(Path(location, KEPT))]
        assert folders == [f"{module.KEPT_AS}-v{kept.FORMAT}-{reader.generation}"]
        reader.close()

    from pathlib import Path

    write(lambda s: registry.import_csv(s, root / "registry.csv"))
    write(lambda s: ingest([root / "docs"], s, jobs=1))  # into a store without plans: the whole report kept
    read_back(from_kept=True)
    write(lambda s: ingest([later], s, jobs=1))  # new plans: only what they cite read, other units' parts linked
    read_back(from_kept=True)
    edited = docs[3]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThực hiện Nghị quyết số 30c/NQ-CP của Chính phủ.\n",
                      encoding="utf-8")
    write(lambda s: ingest([edited], s, jobs=1))  # a plan replaced
    read_back(from_kept=True)
    write(lambda s: forget([docs[5], later / "kh_12_tan_bien.txt"], s))  # plans forgotten
    read_back(from_kept=True)
    (later / "qd_45.txt").write_text(REPLACING, encoding="utf-8")
    write(lambda s: ingest([later / "qd_45.txt"], s, jobs=1))  # a new status fact: the writer reads it all
    read_back(from_kept=True)
    write(lambda s: ingest([later], s, jobs=1))  # nothing new: the same result, for the new snapshot
    read_back(from_kept=True)
    write(lambda s: registry.add_fact(s, registry.Fact(  # a fact added by hand
        subject_symbol="04/2015/NĐ-CP", subject_date="2015-01-09", relation="replaced_by",
        object_symbol="59/2023/NĐ-CP", effective_date="2023-08-14", confidence="high", source="test")))
    read_back(from_kept=True)
    extra = later / "extra.txt"
    extra.write_text(UNDATED.replace("12/KH-UBND", "13/KH-UBND"), encoding="utf-8")

    def ingest_and_forget(s) -> None:  # two writes by one writer: the second carries the first's result
        ingest([extra], s, jobs=1)
        forget([extra, docs[7]], s)

    write(ingest_and_forget)
    read_back(from_kept=True)

    def ingest_then_raw_write(s) -> None:  # a write after the result was kept: not kept for the readers
        ingest([extra], s, jobs=1)
        s.drop_graph(s.select("SELECT ?g WHERE { GRAPH ?g { ?src <https://kg.vn-plans.org/ns#sourcePath> ?p } } "
                              "LIMIT 1")[0]["g"])

    write(ingest_then_raw_write)
    read_back(from_kept=False)
    write(lambda s: ingest([docs[9]], s, jobs=1))  # kept again from what that reader kept
    read_back(from_kept=True)
    shutil.rmtree(Path(location, KEPT))  # nothing kept: the writer keeps nothing, the next reader gathers
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    write(lambda s: ingest([edited], s, jobs=1))
    assert not stale_folders(Path(location, KEPT))
    read_back(from_kept=False)
