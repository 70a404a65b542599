"""Shared fixtures: hand-made documents shaped like the gold seeds, an embedded store in tmp_path,
and one real `oxigraph serve` process per session for the SPARQL-over-HTTP backend."""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kg.model import Document, Identity, Jurisdiction, Mention, Reference, Span, Supersession

TAY_NINH = Jurisdiction(province="Tây Ninh", level="province", province_code=72)
DAK_DOA = Jurisdiction(province="Gia Lai", district="Đak Đoa", level="district", written="Đak Đoa")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ref(symbol: str | None, type: str, date: str | None, issuer: str | None, *,
        jurisdiction: Jurisdiction | None = None, at: int = 0, title: str | None = None,
        implements: list[str] | None = None, name: str | None = None, year: int | None = None) -> Reference:
    surface = f"{type} số {symbol}" if symbol else f"{type} {name}"
    number = symbol.split("/")[0].split("-")[0] if symbol else None
    return Reference(
        type=type, number=number, symbol=symbol, year=year or (int(date[:4]) if date else None), date=date,
        issuer=issuer, jurisdiction=jurisdiction, name=name, title=title, implements=implements or [],
        surface=surface, spans=[Span(at, at + len(surface))], named=symbol is None,
        mentions=[Mention(Span(at, at + len(surface)), surface, date=date, issuer=issuer)],
    )


def doc_so_tttt(source: str = "002_so_tttt.txt") -> Document:
    """Gold seed 002: the Sở Thông tin và Truyền thông plan (no symbol of its own)."""
    text = "Kế hoạch thực hiện Chỉ thị 33/CT-TTg, Công văn 1432/BNV-CTTN và Kế hoạch 1243/KH-UBND\n"
    refs = [
        ref("33/CT-TTg", "Chỉ thị", "2021-11-26", "Thủ tướng Chính phủ", at=10),
        ref("1432/BNV-CTTN", "Công văn", "2023-04-03", "Bộ Nội vụ", at=40),
        ref("1243/KH-UBND", "Kế hoạch", "2023-04-26", "UBND tỉnh Tây Ninh", jurisdiction=TAY_NINH, at=70,
            implements=["33/CT-TTg@2021"]),
        ref("23-QĐ/TW", "Quyết định", "2021-07-30", "Bộ Chính trị", at=100),
        ref("11-QĐ/TW", "Quy định", "2019-02-18", "Bộ Chính trị", at=130),
        ref("124-QĐ/TW", "Quy định", "2018-02-02", "Ban Bí thư", at=160),
        ref("1116-QĐ/TU", "Quyết định", "2021-09-29", "Ban Thường vụ Tỉnh ủy", jurisdiction=TAY_NINH, at=190),
        ref(None, "Luật", None, None, name="Thực hiện dân chủ ở cơ sở", at=220),
    ]
    return Document(
        source=source, sha256=sha(text + source), text=text,
        identity=Identity(type="Kế hoạch", year=2023, issuer="Sở Thông tin và Truyền thông",
                          jurisdiction=TAY_NINH, not_before="2023-04-26"),
        implements=["33/CT-TTg@2021", "1432/BNV-CTTN@2023", "1243/KH-UBND@2023"], refs=refs,
    )


def doc_1243(source: str = "1243_kh_ubnd.txt") -> Document:
    """Kế hoạch 1243/KH-UBND of UBND tỉnh Tây Ninh itself, implementing 33/CT-TTg."""
    text = "ỦY BAN NHÂN DÂN TỈNH TÂY NINH Số: 1243/KH-UBND ... Chỉ thị số 33/CT-TTg ...\n"
    return Document(
        source=source, sha256=sha(text + source), text=text,
        identity=Identity(type="Kế hoạch", number="1243", symbol="1243/KH-UBND", date="2023-04-26",
                          year=2023, issuer="Ủy ban nhân dân tỉnh Tây Ninh", jurisdiction=TAY_NINH,
                          title="Thực hiện Chỉ thị số 33/CT-TTg", signer="Nguyễn Mạnh Hùng"),
        implements=["33/CT-TTg@2021"],
        refs=[
            ref("33/CT-TTg", "Chỉ thị", "2021-11-26", "Thủ tướng Chính phủ", at=50),
            ref("23-QĐ/TW", "Quyết định", "2021-07-30", "Ban Chấp hành Trung ương", at=80),
            ref("16/CT-TTg", "Chỉ thị", "2016-05-16", "Thủ tướng Chính phủ", at=110),
        ],
        supersessions=[Supersession(relation="replaces", symbol="16/CT-TTg", year=2016, date="2016-05-16",
                                    effective="2023-04-26", surface="Kế hoạch này thay thế Chỉ thị số 16/CT-TTg",
                                    span=Span(110, 150))],
    )


def doc_dak_doa(source: str = "004_dak_doa.txt") -> Document:
    """Gold seed 004: UBND thị trấn Đak Đoa implementing 12/KH-UBND of the district."""
    text = "Thực hiện Kế hoạch số 12/KH-UBND ngày 17/01/2023 của UBND huyện Đak Đoa; 175/KH-UBND\n"
    return Document(
        source=source, sha256=sha(text + source), text=text,
        identity=Identity(type="Kế hoạch", year=2023, issuer="UBND thị trấn Đak Đoa",
                          jurisdiction=Jurisdiction(province="Gia Lai", district="Đak Đoa", commune="Đak Đoa",
                                                    level="commune"), signer="Nguyễn Trọng Thành"),
        implements=["12/KH-UBND@2023"],
        refs=[
            ref("12/KH-UBND", "Kế hoạch", "2023-01-17", "Ủy ban nhân dân huyện Đak Đoa", jurisdiction=DAK_DOA),
            ref("175/KH-UBND", "Kế hoạch", "2021-12-24", "Chủ tịch UBND tỉnh", at=60),
            ref("23-QĐ/TW", "Quyết định", "2021-07-30", "Bộ Chính trị", at=70),
        ],
    )


@pytest.fixture
def docs() -> list[Document]:
    return [doc_so_tttt(), doc_1243(), doc_dak_doa()]


@pytest.fixture
def embedded_store(tmp_path):
    from kg.store import EmbeddedStore

    store = EmbeddedStore(tmp_path / "kg-store")
    yield store
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph_binary() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real `oxigraph serve` on a free port for the whole session; yields its base URL."""
    binary = _oxigraph_binary()
    if binary is None:
        pytest.fail("the `oxigraph` server CLI is missing: run `make install` (extra `server`)")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"oxigraph serve did not start: {err}")
            time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def http_store(oxigraph_server):
    """The session server, emptied for each test."""
    from kg.store import HttpStore

    store = HttpStore(oxigraph_server)
    store.update("DROP SILENT ALL")
    yield store
    store.update("DROP SILENT ALL")


@pytest.fixture(params=["embedded", "http"])
def store(request):
    """Every store test runs against both backends."""
    if request.param == "http":
        request.node.add_marker(pytest.mark.server)
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example corpus's graph (`tests/example_graph.py`) in an embedded store, one per module."""
    from example_graph import load_example

    from kg.store import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("example") / "kg-store")
    load_example(store)
    yield store
    store.close()


def generated_store(tmp_path_factory, docs: int, seed: int, *, registry: bool = False,
                    extra: dict[str, str] | None = None):
    """`docs` generated plans (`bench/corpus.py`), and `extra` files of our own beside them, ingested
    into a fresh embedded store (first the corpus's registry facts, with `registry`)."""
    from bench.corpus import write_corpus
    from kg import registry as reg
    from kg.ingest import ingest
    from kg.store import EmbeddedStore

    root = tmp_path_factory.mktemp("generated")
    write_corpus(docs, root, seed=seed)
    for name, text in (extra or {}).items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    store = EmbeddedStore(root / "kg-store")
    if registry:
        reg.import_csv(store, root / "registry.csv")
    assert ingest([root / "docs"], store, jobs=1).ok
    return store


@pytest.fixture(autouse=True)
def _fixed_base(monkeypatch):
    monkeypatch.delenv("KG_BASE", raising=False)
    for name in ("KG_STORE", "KG_UPDATE_URL", "KG_GSP_URL"):
        monkeypatch.delenv(name, raising=False)


def synthetic(n: int, source: str) -> Document:
    """A plausible district plan number `n`: 25 references, half national, half local."""
    j = Jurisdiction(province="Tây Ninh", district=f"Huyện {n % 9}", level="district")
    refs = [ref(f"{k + 1}/CT-TTg", "Chỉ thị", f"20{10 + k % 14}-05-0{1 + k % 9}", "Thủ tướng Chính phủ",
                at=40 * k) for k in range(12)]
    refs += [ref(f"{n % 500 + k}/KH-UBND", "Kế hoạch", "2023-03-20", "UBND tỉnh", jurisdiction=TAY_NINH,
                 at=600 + 40 * k) for k in range(13)]
    return Document(
        source=source, sha256=sha(f"{source}{n}"), text="x" * 1200,
        identity=Identity(type="Kế hoạch", number=str(n), symbol=f"{n}/KH-UBND", date="2024-01-15", year=2024,
                          issuer="UBND huyện", jurisdiction=j),
        implements=[refs[0].key, refs[12].key], refs=refs,
    )


FACTORIES = {"so_tttt": doc_so_tttt, "kh_1243": doc_1243, "dak_doa": doc_dak_doa}


def extract_fixture(path: str) -> Document:
    """Stands in for `loaders.extract_file`: the file names its hand-made document.

    `so_tttt` / `kh_1243` / `dak_doa` → that document; `synthetic N` → `synthetic(N)`;
    `CORRUPT …` → ParseError, as the real parser raises on a bad file.
    """
    from kg.errors import ParseError

    data = Path(path).read_bytes()
    word = data.decode("utf-8").split()
    if not word or word[0] == "CORRUPT":
        raise ParseError("no document header found; is this a plan?", path=path)
    doc = synthetic(int(word[1]), path) if word[0] == "synthetic" else FACTORIES[word[0]](path)
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


CHROMIUM = Path("/usr/bin/chromium")  # Debian's chromium, installed by `make install`


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright (for the map and web app browser tests)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()
