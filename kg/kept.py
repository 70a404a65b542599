"""Results that cost a full pass over the store, kept beside it until the store changes.

An embedded store's reader sees one snapshot, and every writer that closes makes a new one
(`kg.store.EmbeddedStore.generation`): a result computed from a snapshot is valid for every later
reader of that same snapshot. It is kept as JSON in ``STORE/kg-kept/NAME-vFORMAT-GENERATION/``, one
file per part (a caller that needs only some parts reads only those); the folder is written aside
and renamed into place whole, so a reader finds all of it or none. Keeping a newer result deletes
the older ones. A store without a generation (a writer, a SPARQL server) keeps nothing.
Keeping is best effort: a folder that cannot be written (read-only media, no space) only means the
next reader computes the result again.
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


def _folder(store: Any, name: str) -> Path | None:
    generation = getattr(store, "generation", None)
    if not generation:
        return None
    return Path(store.location) / KEPT / f"{name}-v{FORMAT}-{generation}"


def _file(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16] + ".json"  # part keys are any text


def load(store: Any, name: str, key: str) -> Any | None:
    """One kept part, or None (nothing kept for this generation, or the part unreadable)."""
    folder = _folder(store, name)
    if folder is None:
        return None
    try:
        return json.loads((folder / _file(key)).read_bytes())
    except (OSError, ValueError):
        return None


def save(store: Any, name: str, data: dict[str, Any]) -> None:
    """Keep each part of `data` (key → JSON-serialisable) for the store's current generation; drop
    older results."""
    folder = _folder(store, name)
    if folder is None:
        return
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for key, part in data.items():
            (tmp / _file(key)).write_text(json.dumps(part, ensure_ascii=False, separators=(",", ":")), "utf-8")
        if folder.exists():  # kept before but unreadable (the caller computed it again)
            shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
    except OSError as e:  # no space, read-only, or another reader kept the same result first
        log.info("could not keep %s beside the store: %s", name, e)
        shutil.rmtree(tmp, ignore_errors=True)
        return
    for old in folder.parent.glob(f"{name}-v*"):
        if old == folder:
            continue
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:  # an older format's single file
            old.unlink(missing_ok=True)
