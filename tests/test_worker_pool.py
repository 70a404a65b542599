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
