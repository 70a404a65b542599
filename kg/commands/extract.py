"""`kg extract FILE...`: what the extractor reads in each file, as JSON lines or a table."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.errors import KGError
from kg.report import render_document_table
from loaders.read import SUPPORTED_SUFFIXES


def iter_files(paths: tuple[str, ...]) -> list[Path]:
    """Files given, and supported files inside folders given (recursive, sorted, symlink loops skipped)."""
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                real = f.resolve()
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and real not in seen:
                    seen.add(real)
                    out.append(f)
        else:
            out.append(p)
    return out


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True,
              help="json: one object per file per line (for scripts); table: for people.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True, help="Language of the table.")
def command(paths: tuple[str, ...], fmt: str, lang: str) -> None:
    """Extract identity, implements and references from FILE(s) or folders.

    Exit status 1 when any file could not be read; the others are still printed.
    """
    from loaders import extract_file

    failed = 0
    for path in iter_files(paths):
        try:
            doc = extract_file(path)
        except KGError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
            continue
        except OSError as exc:
            failed += 1
            click.echo(f"error: {path}: {exc.strerror or exc}", err=True)
            continue
        if fmt == "json":
            sys.stdout.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
        else:
            click.echo(render_document_table(doc, lang=lang))
    if failed:
        sys.exit(1)
