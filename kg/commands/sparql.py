"""`kg sparql 'SELECT …'`: run your own read-only SPARQL (updates are refused)."""

from __future__ import annotations

import click

from kg.commands.options import BadInput, format_option, lang_option, open_store_or_fail, store_option, wait_option


@click.command("sparql")
@click.argument("text")
@format_option("table", "csv", "json")
@store_option
@wait_option
@lang_option
def command(text: str, fmt: str, store_location: str, lang: str) -> None:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query over all graphs ('-' reads it from stdin)."""
    from kg import queries
    from kg.errors import KGError
    from kg.tables import render_parts, write_parts

    if text == "-":
        text = click.get_text_stream("stdin").read()
    try:
        queries.check_read_only(text)
    except KGError as e:
        raise BadInput(str(e)) from e
    store = open_store_or_fail(store_location)
    try:
        form, result = queries.run_user(store, text)
    except KGError as e:
        raise BadInput(str(e)) from e
    finally:
        store.close()
    if form == "SELECT":
        keys = list(dict.fromkeys(k for row in result for k in row))  # type: ignore[union-attr]
        write_parts(render_parts(result, [(k, k) for k in keys], fmt, lang))  # type: ignore[arg-type]
    elif form == "ASK":
        click.echo("true" if result else "false")
    else:
        click.echo(str(result), nl=False)
