"""`kg stats`: how much the graph holds."""

from __future__ import annotations

import json

import click

from kg.commands.options import format_option, lang_option, open_store_or_fail, store_option, wait_option

KEYS = ["documents", "instruments", "cites", "implements", "mentions", "units", "facts", "stale"]


@click.command("stats")
@format_option("text", "json")
@store_option
@wait_option
@lang_option
def command(fmt: str, store_location: str, lang: str) -> None:
    """Documents, instruments, citation and implements edges, mentions, units, status facts, stale citations."""
    from kg.i18n import t
    from kg.stale import stats

    store = open_store_or_fail(store_location)
    try:
        counts = stats(store)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(counts))
        return
    w = max(len(t(f"stats_{k}", lang)) for k in KEYS) + 2
    for k in KEYS:
        click.echo(f"{t(f'stats_{k}', lang):<{w}}{counts[k]:>7}")
