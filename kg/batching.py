"""How large the ingest's next bulk load may be, for the ingesting process to stay under a memory
budget (`kg ingest --max-memory`).

Large loads are cheap: each adds table files that overlap the whole store, which RocksDB then
compacts into it, so the fewer the loads the less of the store is rewritten per document
(bench/profiles/batch-size.md). But Oxigraph sorts a whole load in memory before writing it, and
the ingest holds the batch being loaded beside the one being gathered: 10k generated plans into a
fresh store peaked at 531 MiB with 64 MB batches and at 338 MiB with 32 MB ones, ~6 bytes of
resident memory for each byte of N-Quads (bench/profiles/ingest-memory.md). The rest of the
process grows with the store (RocksDB's own memory, ~40 MiB per 100k plans), so a batch size that
fits at 100k plans does not at a million.

With a budget (`kg ingest --max-memory`), the loads are as large as it allows: a thread reads the
process's resident size every `EVERY` seconds, and each time a batch is handed to the writer the
limit moves by (budget − the peak seen since the last hand-over) / `BYTES_PER_BYTE`, within
[`smallest`, `largest`]. It is a soft limit, and not the default: into a million-plan store most of
the process's memory is the store's own, so 100k plans with an 800 MB budget peaked at 852 MiB
(loads down to 21 MB) against 920 MiB without, and took 585 s against 509 s
(bench/profiles/memory-budget.md).
"""

from __future__ import annotations

import logging
import os
import threading

log = logging.getLogger(__name__)

EVERY = 0.1  # seconds between two readings of the resident size
BYTES_PER_BYTE = 6  # resident bytes a byte of batch costs at the peak (measured: see the module docstring)
SMALLEST = 8 << 20  # loads smaller than this cost more in compaction than they save in memory


def resident_bytes() -> int | None:
    """This process's resident size (Linux: /proc/self/statm), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class BatchSizer:
    """The byte limit of the batch being gathered (`limit`), moved at each hand-over (`handed_over`)
    to keep the peak resident size under `budget`; without a budget, or where the resident size
    cannot be read, the limit stays at `largest`. Use as a context manager: the reading thread
    stops on exit."""

    def __init__(self, budget: int | None, largest: int, smallest: int | None = None) -> None:
        self.budget, self.largest = budget, largest
        self.smallest = min(SMALLEST if smallest is None else smallest, largest)
        self.limit = largest
        self.lowest = largest  # the smallest limit used (reported in the ingest's log)
        self.peak = 0  # the largest reading since the last hand-over
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._warned = False
        if budget is not None and resident_bytes() is not None:
            self._thread = threading.Thread(target=self._watch, name="kg-memory", daemon=True)
            self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(EVERY):
            rss = resident_bytes()
            if rss is not None and rss > self.peak:
                self.peak = rss

    def handed_over(self) -> int:
        """A batch was just taken by the writer: the limit for the next one."""
        if self._thread is None:  # no budget, or no resident size to read
            return self.limit
        peak, self.peak = self.peak, 0
        if peak:
            step = int((self.budget - peak) / BYTES_PER_BYTE)  # type: ignore[operator]  # set with the thread
            self.limit = max(self.smallest, min(self.largest, self.limit + step))
            self.lowest = min(self.lowest, self.limit)
            log.debug("peak %d MiB since the last hand-over: next load up to %.1f MB", peak >> 20, self.limit / 1e6)
            if self.limit == self.smallest and peak > self.budget and not self._warned:
                self._warned = True
                log.warning("memory budget %d MiB: the process holds %d MiB with the smallest loads (%d MiB)",
                            self.budget >> 20, peak >> 20, self.smallest >> 20)
        return self.limit

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> BatchSizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
