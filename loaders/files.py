"""Which files a command reads: the files named, and documents found under the folders named.

Folders are walked recursively and in a stable order; a file reached twice (a symlink, or named
twice) is read once; symlinked folders are not followed, so a symlink loop cannot trap the walk.
A symlink that loops or points nowhere is kept, so that reading it reports "path: cause" instead of
it vanishing silently. Notes that travel with a corpus (README, LICENSE, CHANGELOG) are not
documents and are skipped inside folders; a file named explicitly is always read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from kg.errors import KGError
from loaders.read import SUPPORTED_SUFFIXES

_NOT_DOCUMENTS = {"readme", "license", "licence", "changelog", "contributing", "notice"}


def is_document_name(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES and path.stem.lower() not in _NOT_DOCUMENTS


def find_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named, plus every document under folders named (recursive, sorted).

    Raises KGError for a path that does not exist.
    """
    return list(find_real_files(paths).values())


def find_real_files(paths: Iterable[str | os.PathLike[str]]) -> dict[str, Path]:
    """`find_files` keyed by each file's real path (`os.path.realpath`), in the same order."""
    out: dict[str, Path] = {}  # real path → as given
    for p in map(Path, paths):
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):  # followlinks=False: no symlink loops
                dirs.sort()
                found.extend(Path(root) / f for f in sorted(files) if is_document_name(Path(f)))
        elif p.is_file() or p.is_symlink():
            found = [p]
        else:
            raise KGError("no such file or folder; check the path", path=str(p))
        for f in found:
            if f.is_file() or (f.is_symlink() and not f.is_dir()):  # a looping link is read, and fails
                out.setdefault(os.path.realpath(f), f)  # realpath: never raises on a loop
    return out
