"""`kg extract FILE...`: what the extractor reads in each file, as JSON lines, a table, or the
N-Quads `kg ingest` would load (for any other pipeline or store)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.errors import KGError
from kg.report import render_document_table
from loaders.files import find_files


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "table", "nquads"]), default="table", show_default=True,
              help="json: one object per file per line (for scripts); table: for people; nquads: each file's "
                   "named graph as `kg ingest` loads it, streamed file after file.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True, help="Language of the table.")
def command(paths: tuple[str, ...], fmt: str, lang: str) -> None:
    """Extract identity, implements and references from FILE(s) or folders.

    Exit status 1 when any file could not be read; the others are still printed.
    """
    from loaders import extract_file

    failed = 0
    try:
        files = find_files(paths)
    except KGError as exc:
        raise click.BadParameter(str(exc)) from exc
    if fmt == "nquads":
        from kg.ingest import file_nquads

        extract_one: Callable[[Path], Any] = file_nquads
    else:
        extract_one = extract_file
    for path in files:
        try:
            doc = extract_one(path)
        except KGError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
            continue
        except OSError as exc:
            failed += 1
            click.echo(f"error: {path}: {exc.strerror or exc}", err=True)
            continue
        if fmt == "nquads":
            sys.stdout.write(doc)
            sys.stdout.flush()
        elif fmt == "json":
            sys.stdout.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
        else:
            click.echo(render_document_table(doc, lang=lang))
    if failed:
        sys.exit(1)
