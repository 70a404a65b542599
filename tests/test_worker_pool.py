"""The ingest's worker processes: started from a forkserver that has imported the parser, so a
worker is not a copy of the ingesting process (its open store, its batches), and the benchmarks'
memory sampler finds them although they are not its children."""

from __future__ import annotations

import os
import time

from bench.ingest_memory import Sampler, _children
from kg import ingest


def resident_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def hold(mib: int, seconds: float) -> int:
    block = bytearray(mib << 20)
    for i in range(0, len(block), 4096):
        block[i] = 1
    time.sleep(seconds)
    return os.getppid()


def test_workers_do_not_start_as_copies_of_the_ingesting_process() -> None:
    ballast = bytearray(300 << 20)  # the ingesting process's memory (a store, batches in flight)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    with ingest._pool(2) as pool:
        worker = pool.submit(resident_mib).result()
        parent = pool.submit(os.getppid).result()
    assert resident_mib() > 300 and worker < 150, worker  # forked from here, it would show > 300 MiB
    assert parent != os.getpid()  # the forkserver's child, not ours
    del ballast


def test_the_sampler_sees_workers_that_are_not_its_children() -> None:
    sampler = Sampler(every=0.05)
    with ingest._pool(1) as pool:
        pool.submit(hold, 96, 0.6).result()
    largest = max(s[2] for s in sampler.stop())
    assert largest >= 96, largest
    assert os.getpid() not in _children()


def killed_on_boom(path: str):
    """An extractor whose worker process is killed (as the system's out-of-memory killer would) on
    one file."""
    import signal

    if "boom" in path:
        os.kill(os.getpid(), signal.SIGKILL)
    from conftest import extract_fixture

    return extract_fixture(path)


def test_a_killed_worker_is_one_clear_error_and_the_store_keeps_what_it_had(tmp_path, embedded_store) -> None:
    import pytest

    from kg.errors import KGError
    from kg.ingest import stored_files

    first = tmp_path / "first"
    first.mkdir()
    (first / "1243.txt").write_text("kh_1243")
    assert ingest.ingest([first], embedded_store, extract=killed_on_boom, jobs=2).added == 1
    before = stored_files(embedded_store)
    second = tmp_path / "second"
    second.mkdir()
    (second / "boom.txt").write_text("dak_doa")
    with pytest.raises(KGError) as e:
        ingest.ingest([second], embedded_store, extract=killed_on_boom, jobs=2)
    assert "worker process stopped abruptly" in str(e.value) and "\n" not in str(e.value)
    assert stored_files(embedded_store) == before
