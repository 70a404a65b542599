"""Hostile uploads to `kg serve`'s draft check: a file name cannot write outside the uploads
folder (or the private temporary folder of the check), and what a document says reaches the page
escaped. The server is tests/test_web_app.py's, started here on a store of its own."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability.table import reliability  # noqa: F401  (the session fixture)
from test_web_app import DRAFT, REPO, Server, example_store, multipart

from kg.cli import main

SECTION = "Hostile input: web uploads"
NAMES = ["../../x.txt", "..\\..\\x.txt", "/tmp/x.txt", "a/../../../x.txt", "....//....//x.txt", "%2e%2e%2fx.txt",
         "..", "../", "x.txt\x00.exe", "~/x.txt", "\u202ex.txt"]
SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web-hostile")
    s = Server(example_store(folder), "--uploads", str(folder / "up" / "loads"))
    s.store = folder / "kg-store"
    s.uploads = folder / "up" / "loads"
    s.root = folder
    yield s
    s.stop()


def files_under(*folders: Path) -> set[Path]:
    out: set[Path] = set()
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if d not in (".git", ".venv", "node_modules", "kg-store", "kg-snapshots")]
            out.update(Path(root, n) for n in names)
    return out


def upload(server, name: str, data: bytes, *, keep: bool) -> tuple[int, str]:
    body, ctype = multipart({"ingest": "1"} if keep else {}, {"draft": (name, data)})
    return server.page("/check", data=body, headers={"Content-Type": ctype}, method="POST")


def test_an_upload_name_cannot_leave_the_uploads_folder(server, reliability):  # noqa: F811
    watched = (server.root, REPO / "tests", Path("/tmp/x.txt").parent)
    before = {p for p in files_under(*watched[:2])} | {p for p in Path("/tmp").glob("x.txt*")}
    data = DRAFT.read_bytes()
    statuses = {}
    start = time.perf_counter()
    try:
        for name in NAMES:
            status, page = upload(server, name, data, keep=True)
            statuses[name] = status
            assert status in (200, 400), (name, status)
            if status == 200:
                assert "60/2013/NĐ-CP" in page  # checked, then kept in the uploads folder
    finally:
        for kept in server.uploads.glob("*"):
            CliRunner().invoke(main, ["forget", "--store", str(server.store), str(kept)])
    seconds = time.perf_counter() - start
    after = {p for p in files_under(*watched[:2])} | {p for p in Path("/tmp").glob("x.txt*")}
    new = after - before
    assert all(p.parent == server.uploads for p in new), sorted(new)
    assert all(len(p.name.split("_", 1)[0]) == 12 for p in new), sorted(new)  # "<hash>_<base name>"
    assert not list(REPO.glob("x.txt*")) and not Path("/tmp/x.txt").exists()
    accepted = sorted(n for n, s in statuses.items() if s == 200)
    assert len(accepted) >= 6, statuses
    reliability.row(SECTION, "path traversal in an upload's name",
                    f"{len(NAMES)} names such as `../../x.txt`, `..\\..\\x.txt`, `/tmp/x.txt`, `a/../../../x.txt`, "
                    "a NUL byte, a right-to-left override, uploaded with 'ingest' ticked (time: per upload)",
                    f"{len(accepted)} checked and kept as `<hash>_<base name>` inside the uploads folder, "
                    f"{len(NAMES) - len(accepted)} refused (400: not a document suffix); nothing written elsewhere",
                    "kept copies forgotten afterwards", seconds / len(NAMES))  # per upload


def test_what_a_draft_says_reaches_the_page_escaped(server, reliability):  # noqa: F811
    text = DRAFT.read_text(encoding="utf-8").replace("\n", f"\n{SCRIPT} ", 1)
    status, page = upload(server, f"{SCRIPT}.txt", text.encode("utf-8"), keep=False)
    assert status == 200
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in page or "&lt;script&gt;alert(&quot;xss&quot;)" in page
    assert not server.uploads.exists() or not list(server.uploads.glob("*script*"))
    reliability.row(SECTION, "markup in a draft", f"a draft whose text and file name hold `{SCRIPT}`",
                    "shown as text (&lt;script&gt;…); no tag reaches the page; the page's CSP allows no inline "
                    "script anyway", "nothing stored")
