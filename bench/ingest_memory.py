"""Where an ingest's memory goes, step by step: the resident size of the ingesting process (and of
its worker processes) sampled every second during one ingest into a fresh store, each sample put in
the step (`Summary.phases`: files, canonical, optimize, kept) whose time span holds it.

    python -m bench.ingest_memory CORPUS --jobs 1        # CORPUS: a folder of bench/corpus.py's
    python -m bench.ingest_memory /data/kg-bench/corpus-100000 --jobs 2 --store /data/tmp-store
    python -m bench.ingest_memory OTHER-CORPUS --jobs 2 --into COPY-OF-A-STORE   # into a store that has data

The figures of bench/profiles/ingest-memory.md come from it. Only /proc is read (Linux): the
sampling thread touches no Python object of the ingest (releasing another thread's frames from it
dropped pyoxigraph query results on the wrong thread, which pyoxigraph refuses).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path


def _rss_mib(pid: int | str = "self") -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # a worker that has just exited
        pass
    return 0.0


def _children(pid: int | None = None) -> list[int]:
    """A process's descendants (this one's by default): its worker processes, and theirs (a
    forkserver's workers are its children, not ours)."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii") as f:
                    parents.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    out, todo = [], [pid or os.getpid()]
    while todo:
        kids = parents.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


class Sampler:
    """(seconds since start, own RSS, largest child's RSS) every `every` seconds, in a thread."""

    def __init__(self, every: float = 1.0) -> None:
        self.every, self.samples = every, []  # type: ignore[var-annotated]
        self.start = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            kids = [_rss_mib(pid) for pid in _children()]
            self.samples.append((time.perf_counter() - self.start, _rss_mib(), max(kids, default=0.0)))

    def stop(self) -> list[tuple[float, float, float]]:
        self._stop.set()
        self._thread.join()
        return self.samples


Sample = tuple[float, float, float]


def peak_mib(samples: list[Sample]) -> float:
    """The ingesting process's peak resident size (exact, `getrusage`) plus its largest worker's
    (sampled: the workers are started by a forkserver, so they are not children whose peak
    `RUSAGE_CHILDREN` would report)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + max((s[2] for s in samples), default=0.0)


def by_phase(samples: list[Sample], phases: dict[str, float]) -> list[tuple[str, float, float, float]]:
    """(step, seconds, peak own RSS, peak own + largest child) for each step, in order."""
    out, begin = [], 0.0
    for name, seconds in phases.items():
        end = begin + seconds
        inside = [s for s in samples if begin <= s[0] < end]
        out.append((name, seconds, max((s[1] for s in inside), default=0.0),
                    max((s[1] + s[2] for s in inside), default=0.0)))
        begin = end
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="a generated corpus (its docs/ folder is ingested)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--store", type=Path, help="the fresh store's folder (default: a temporary one; removed after)")
    ap.add_argument("--into", type=Path, help="ingest into this existing store instead (kept, and changed)")
    a = ap.parse_args()

    from kg.ingest import ingest
    from kg.store import open_store

    folder = a.into or a.store or Path(tempfile.mkdtemp(prefix="kg-mem-"))
    try:
        store = open_store(str(folder))
        sampler = Sampler()
        summary = ingest([a.corpus / "docs"], store, jobs=a.jobs)
        samples = sampler.stop()
        store.close()
    finally:
        if a.into is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{summary.added:,} documents with --jobs {a.jobs} in {summary.seconds:.0f} s")
    print("| step | seconds | peak, ingesting process | with its largest worker |")
    print("|---|---:|---:|---:|")
    for name, seconds, own, total in by_phase(samples, summary.phases):
        cells = f"{own:.0f} MiB | {total:.0f} MiB" if own else "– | –"  # shorter than a sampling interval
        print(f"| {name} | {seconds:.0f} | {cells} |")
    print(f"| **whole ingest** | {summary.seconds:.0f} | {max(s[1] for s in samples):.0f} MiB | "
          f"{max(s[1] + s[2] for s in samples):.0f} MiB |")


if __name__ == "__main__":
    main()
