"""`kg check DRAFT`: every problem in a draft's references before it is issued."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from kg.commands.options import BadInput, format_option, lang_option, open_store_or_fail, wait_option


@click.command("check")
@click.argument("draft", type=click.Path(dir_okay=False))
@click.option("--as-of", "as_of", help="Judge as of this ISO date (default: the draft's own date, else today).")
@format_option("text", "json")
@click.option("--store", "store_location", envvar="KG_STORE", default=None,
              help="Also use this store's facts and records (default: ./kg-store if it exists; else the registry "
                   "alone).")
@wait_option
@lang_option
def command(draft: str, as_of: str | None, fmt: str, store_location: str | None, lang: str) -> None:
    """Check a draft (.docx, .pdf, .txt …). Exit status 0 clean, 1 findings, 2 unreadable input."""
    from kg.check import check_file, render_text
    from kg.errors import KGError

    if as_of and not (len(as_of) == 10 and as_of[4] == as_of[7] == "-" and as_of.replace("-", "").isdigit()):
        raise BadInput(f"--as-of {as_of!r} is not an ISO date (YYYY-MM-DD)")
    location = store_location or ("kg-store" if Path("kg-store").is_dir() else None)
    if location and not location.startswith(("http://", "https://")) and not os.path.isdir(location):
        raise BadInput(f"{location}: no such store; run `kg ingest` first or leave out --store")
    store = open_store_or_fail(location) if location else None
    try:
        report = check_file(draft, store, as_of, lang)
    except (KGError, OSError) as e:
        raise BadInput(f"{draft}: cannot check ({e})") from e
    finally:
        if store is not None:
            store.close()
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo("\n".join(render_text(report, lang)))
    sys.exit(report.exit_code)
