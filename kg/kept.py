"""Results that cost a full pass over the store, kept beside it until the store changes.

An embedded store's reader sees one snapshot, and every writer that closes makes a new one
(`kg.store.EmbeddedStore.generation`): a result computed from a snapshot is valid for every later
reader of that same snapshot. It is kept as JSON in ``STORE/kg-kept/NAME-vFORMAT-GENERATION.json``;
keeping a newer one deletes the older ones. A store without a generation (a writer, a SPARQL
server) keeps nothing. Keeping is best effort: a folder that cannot be written (read-only media, no
space) only means the next reader computes the result again.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

KEPT = "kg-kept"
FORMAT = 1  # raise when the shape of a kept result changes: older files are then ignored, then replaced

log = logging.getLogger(__name__)


def _path(store: Any, name: str) -> Path | None:
    generation = getattr(store, "generation", None)
    if not generation:
        return None
    return Path(store.location) / KEPT / f"{name}-v{FORMAT}-{generation}.json"


def load(store: Any, name: str) -> Any | None:
    """The result kept for the store's current generation, or None."""
    path = _path(store, name)
    if path is None:
        return None
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):  # none yet, or cut short by a full disk: computed again
        return None


def save(store: Any, name: str, data: Any) -> None:
    """Keep `data` (JSON-serialisable) for the store's current generation; drop older results."""
    path = _path(store, name)
    if path is None:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        log.info("could not keep %s beside the store: %s", name, e)
        tmp.unlink(missing_ok=True)
        return
    for old in path.parent.glob(f"{name}-v*.json"):
        if old != path:
            old.unlink(missing_ok=True)
