"""`kg show REF`: an instrument's card."""

from __future__ import annotations

import json

import click

from kg.commands.options import BadInput, format_option, lang_option, open_store_or_fail, store_option, wait_option


@click.command("show")
@click.argument("ref")
@format_option("text", "json")
@store_option
@wait_option
@lang_option
def command(ref: str, fmt: str, store_location: str, lang: str) -> None:
    """Status (with its source), canonical metadata, what REF implements, who implements and cites it,
    and the different ways documents wrote it."""
    from kg.errors import KGError
    from kg.refs import resolve_one
    from kg.show import card, render_card

    store = open_store_or_fail(store_location)
    try:
        data = card(store, resolve_one(store, ref))
    except KGError as e:
        raise BadInput(str(e)) from e
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        click.echo("\n".join(render_card(data, lang)))
