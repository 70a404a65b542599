"""Results that cost a full pass over the store, kept beside it until the store changes.

An embedded store's reader sees one snapshot, and every writer that closes makes a new one
(`kg.store.EmbeddedStore.generation`): a result computed from a snapshot is valid for every later
reader of that same snapshot. It is kept as JSON in ``STORE/kg-kept/NAME-vFORMAT-GENERATION/``, one
file per part (a caller that needs only some parts reads only those); the folder is written aside
and renamed into place whole, so a reader finds all of it or none. Keeping a newer result deletes
the older ones. A store without a generation (a writer, a SPARQL server) keeps nothing.
Keeping is best effort: a folder that cannot be written (read-only media, no space) only means the
next reader computes the result again.

Writers keep results too, so that the first reader after a change does not pay for it: a writer
that can carry the result forward (`kg.stale_rows.keep_after_write`: from what was kept for the data
it found, and a read of only what it changed) saves it under a provisional generation, and when it
closes (`EmbeddedStore.after_close`) `promote`s it to the snapshot it has just made.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

KEPT = "kg-kept"
FORMAT = 2  # raise when the shape of a kept result changes: older folders are then ignored, then replaced

log = logging.getLogger(__name__)


def folder(store: Any, name: str, generation: str | None = None) -> Path | None:
    """Where `name` is kept for the reader's generation or the one given (a writer's provisional one);
    None for a store without generations. A result kept as a file of its own format
    (`kg.cascade_index`) is written into the folder of a provisional generation, then `promote`d."""
    generation = generation or getattr(store, "generation", None)
    if not generation:
        return None
    return Path(store.location) / KEPT / f"{name}-v{FORMAT}-{generation}"


def _file(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16] + ".json"  # part keys are any text


def load(store: Any, name: str, key: str, generation: str | None = None) -> Any | None:
    """One kept part, or None (nothing kept for this generation, or the part unreadable). The
    generation is the reader's, or the one given (a writer reading what was kept before it wrote)."""
    where = folder(store, name, generation)
    if where is None:
        return None
    try:
        return json.loads((where / _file(key)).read_bytes())
    except (OSError, ValueError):
        return None


def save(store: Any, name: str, data: dict[str, Any], generation: str | None = None, *,
         drop_older: bool = True, same_as: tuple[str, list[str]] | None = None) -> None:
    """Keep each part of `data` (key → JSON-serialisable) for the reader's generation, or the one
    given; drop older results (unless `drop_older` is false: a writer keeps its result under a
    provisional generation until it has closed, then `promote`s it). `same_as`: (generation, keys)
    of parts that have not changed since that generation's result: linked, not written again."""
    where = folder(store, name, generation)
    if where is None:
        return
    tmp = where.with_name(f".{where.name}.{os.getpid()}")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for key, part in data.items():
            (tmp / _file(key)).write_text(json.dumps(part, ensure_ascii=False, separators=(",", ":")), "utf-8")
        if same_as is not None:
            source = folder(store, name, same_as[0])
            for key in same_as[1]:
                os.link(source / _file(key), tmp / _file(key))  # type: ignore[operator]
        if where.exists():  # kept before but unreadable (the caller computed it again)
            shutil.rmtree(where, ignore_errors=True)
        os.replace(tmp, where)
    except OSError as e:  # no space, read-only, or another reader kept the same result first
        log.info("could not keep %s beside the store: %s", name, e)
        shutil.rmtree(tmp, ignore_errors=True)
        return
    if drop_older:
        _drop_others(where, name)


def promote(store: Any, name: str, provisional: str, generation: str) -> None:
    """Make what a writer kept under `provisional` the result of `generation` (the snapshot it made
    as it closed); drop older results."""
    source, where = folder(store, name, provisional), folder(store, name, generation)
    if source is None or where is None or not source.is_dir():
        return
    try:
        os.replace(source, where)
    except OSError as e:
        log.info("could not keep %s beside the store: %s", name, e)
        shutil.rmtree(source, ignore_errors=True)
        return
    _drop_others(where, name)


def follow(store: Any, before: str, generation: str) -> None:
    """Make every result kept for `before` the result of `generation` too: a writer that wrote nothing
    (`kg registry list` loading a registry already loaded) still makes a snapshot as it closes, with
    the same data. Moved, not copied: a newer generation makes the older one's results stale anyway."""
    root = Path(store.location) / KEPT
    if not root.is_dir():
        return
    suffix = f"-v{FORMAT}-{before}"
    for old in root.glob(f"*{suffix}"):
        new = old.with_name(old.name[: -len(suffix)] + f"-v{FORMAT}-{generation}")
        try:
            if not new.exists():  # else kept by this writer already
                os.replace(old, new)
        except OSError as e:
            log.info("could not keep %s for the new snapshot: %s", old.name, e)


def promote_unless_written(store: Any, name: str, pending: tuple[str, int] | None, generation: str) -> None:
    """At a writer's close: what it kept last under a provisional name (`pending`: that name and the
    writer's count of writes then) becomes the result of `generation`, the snapshot it just made,
    unless it wrote after keeping it (the result would miss that write: dropped, readers compute)."""
    if pending is None or not pending[0]:
        return
    if pending[1] != getattr(store, "writes", None):
        discard(store, name, pending[0])
        return
    promote(store, name, pending[0], generation)


def discard(store: Any, name: str, generation: str) -> None:
    """Drop what was kept for `generation` (a writer's provisional result it no longer stands by)."""
    where = folder(store, name, generation)
    if where is not None:
        shutil.rmtree(where, ignore_errors=True)


def _drop_others(where: Path, name: str) -> None:
    for old in where.parent.glob(f"{name}-v*"):
        if old == where:
            continue
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:  # an older format's single file
            old.unlink(missing_ok=True)
