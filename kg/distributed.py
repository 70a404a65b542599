"""Ingest on a Dask cluster: the workers hash, read, parse and build; this process writes the store.

`kg ingest --dask tcp://scheduler:8786 FILES…` connects a `distributed.Client` to a running cluster
(``dask scheduler`` plus ``dask worker`` processes, or any deployment of dask.distributed) and hands
`kg.ingest.ingest` a result stream that comes from the cluster instead of local processes. Chunks of
`CHUNK` files go to the workers as tasks (`kg.ingest.work_many`); at most `WINDOW` chunks per worker
are in flight, and each result is consumed as soon as it completes, so the client's memory stays flat
however big the corpus. Everything else is the plain ingest: unchanged files skipped (the worker
compares the hash), failures isolated, new graphs bulk-loaded in batches with their completion
markers last, canonical metadata recomputed once at the end.

The workers must see the files at the paths given (a shared file system; absolute paths, since
relative ones resolve against each worker's working directory) and have this package installed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import KGError
from kg.ingest import CHUNK, MEMORY, Summary, Task, _Result, chunked, ingest, work_many
from kg.store import Store

log = logging.getLogger(__name__)

WINDOW = 4  # chunks in flight per worker thread
CONNECT_TIMEOUT = "20s"


Results = Callable[[Iterable[Task]], Iterator[_Result]]


def dask_results(client: object, chunk: int = CHUNK, window: int = WINDOW) -> Results:
    """A result stream for `kg.ingest.ingest` that runs the tasks on `client`'s cluster."""
    from distributed import as_completed

    def results(tasks: Iterable[Task]) -> Iterator[_Result]:
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())  # type: ignore[attr-defined]
        limit = max(1, threads) * window
        chunks = chunked(tasks, chunk)
        running = as_completed()
        for c in chunks:
            running.add(client.submit(work_many, c, pure=False))  # type: ignore[attr-defined]
            if running.count() >= limit:
                break
        for future in running:
            yield from future.result()
            future.release()
            nxt = next(chunks, None)
            if nxt is not None:
                running.add(client.submit(work_many, nxt, pure=False))  # type: ignore[attr-defined]

    return results


def ingest_on_cluster(paths: Iterable[str | os.PathLike[str]] | dict[str, Path], store: Store, address: str | object, *,
                      progress: Callable[[int], None] | None = None, upkeep: bool = True,
                      memory: int | None = MEMORY) -> Summary:
    """`kg.ingest.ingest` with reading and parsing on the Dask cluster at `address` (a scheduler
    address such as ``tcp://10.0.0.5:8786``, or a `distributed.Client` already connected)."""
    from distributed import Client

    if isinstance(address, str):
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as e:
            raise KGError(f"cannot reach the Dask scheduler at {address} ({e}); is `dask scheduler` running?") from e
        owned = True
    else:
        client, owned = address, False
    try:
        return ingest(paths, store, progress=progress, results=dask_results(client), upkeep=upkeep, memory=memory)
    finally:
        if owned:
            client.close()
