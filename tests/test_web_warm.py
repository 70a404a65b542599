"""`kg serve --warm`: after each store change the pages kept per store version (home figures, the
stale list, the symbol index, the map's graph) are computed in the background, so the first
visitor does not wait for them."""

from __future__ import annotations

import threading
import time

import anyio
from example_graph import load_example

from kg.ingest import ingest
from kg.store import EmbeddedStore
from web.app import Settings, Warmer, create_app

KEYS = {"home", "stale", "symbols", "map-graph"}


def test_warmer_runs_once_per_version_and_survives_a_failure():
    versions, calls = iter([1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3]), []
    current = [0]

    def version():
        current[0] = next(versions, 3)
        return current[0]

    def work():
        calls.append(current[0])
        if current[0] == 2 and calls.count(2) == 1:
            raise OSError("store rewritten under us")

    w = Warmer(work, version, 0.01)
    w.start()
    deadline = time.monotonic() + 10
    while w.done != 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    w.stop()
    assert calls[0] == 1 and calls.count(1) == 1  # version 1 seen twice, warmed once
    assert 2 in calls and calls[-1] == 3 and calls.count(3) == 1  # the failure at 2 did not stop it
    assert not w.thread.is_alive()


def wait_for(cache, keys, version_not=None, seconds=60.0) -> tuple:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        v, items = cache._version, set(cache._items)
        if keys <= items and v is not None and v != version_not:
            return v
        time.sleep(0.05)
    raise AssertionError(f"not warmed: {sorted(cache._items)}")


def test_pages_are_ready_before_anyone_asks_and_again_after_an_ingest(tmp_path):
    store_dir = tmp_path / "kg-store"
    store = EmbeddedStore(store_dir)
    load_example(store)
    store.close()
    app = create_app(Settings(store=str(store_dir), warm=0.1, uploads=str(tmp_path / "up")))
    cache = app.state.cache
    seen: dict[str, object] = {}

    async def serve() -> None:
        async with app.router.lifespan_context(app):
            await anyio.to_thread.run_sync(watch)

    def watch() -> None:
        first = wait_for(cache, KEYS)
        seen["documents"] = cache._items["home"][0]["documents"]
        plan = tmp_path / "plans" / "kh_99.txt"
        plan.parent.mkdir()
        plan.write_text("ỦY BAN NHÂN DÂN\nTỈNH TÂY NINH\nSố: 99/KH-UBND\nTây Ninh, ngày 02 tháng 4 năm 2024\n"
                        "KẾ HOẠCH\nThực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ\n",
                        encoding="utf-8")
        writer = EmbeddedStore(store_dir)
        assert ingest([plan], writer).added == 1
        writer.close()
        wait_for(cache, KEYS, version_not=first)
        seen["after"] = cache._items["home"][0]["documents"]

    t = threading.Thread(target=anyio.run, args=(serve,))
    t.start()
    t.join(timeout=120)
    assert not t.is_alive()
    assert seen["after"] == seen["documents"] + 1
