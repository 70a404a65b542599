"""`kg forget PATH...`: drop the graphs of files that were removed (or should no longer count)."""

from __future__ import annotations

import click

from kg.commands.options import lang_option, open_store_or_fail, say, store_option, wait_option


@click.command("forget")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@wait_option
@lang_option
def command(paths: tuple[str, ...], store_location: str, lang: str) -> None:
    """Remove the named graphs of FILE(s), or of every file under folders, whether or not they still exist."""
    from kg.ingest import forget

    store = open_store_or_fail(store_location, read_only=False)
    try:
        gone = forget(paths, store)
    finally:
        store.close()
    if not gone:
        click.echo(f"{say('nothing_forgotten', lang)}: {', '.join(paths)}")
        return
    for path in gone:
        click.echo(f"{say('forgotten', lang)}: {path}")
