"""`kg query NAME|FILE.rq`: run a named query (or your own file) with bound parameters."""

from __future__ import annotations

import click

from kg.commands.options import BadInput, format_option, lang_option, open_store_or_fail, store_option, wait_option


def _params(pairs: tuple[str, ...]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise BadInput(f"--param {pair!r}: write KEY=VALUE (e.g. --param root=https://…)")
        out[key.strip()] = value
    return out


@click.command("query")
@click.argument("name")
@click.option("--param", "pairs", multiple=True, metavar="KEY=VALUE", help="A parameter of the query (repeatable).")
@click.option("--list", "list_only", is_flag=True, help="List the named queries and their parameters.")
@format_option("table", "csv", "json")
@store_option
@wait_option
@lang_option
def command(name: str, pairs: tuple[str, ...], list_only: bool, fmt: str, store_location: str, lang: str) -> None:
    """Run NAME from queries/ (`kg query list` names them) or your own FILE.rq (read-only)."""
    from kg import queries
    from kg.errors import KGError
    from kg.tables import render_parts, write_parts

    if name == "list" or list_only:
        for n in queries.names():
            q = queries.load(n)
            params = ", ".join(f"{p.name}{'' if p.required else '?'}" for p in q.params)
            click.echo(f"{n:<24}{q.title}" + (f" [{params}]" if params else ""))
        return
    store = open_store_or_fail(store_location)
    try:
        q = queries.load(name)
        if name not in queries.names():  # the user's own file: read-only, like `kg sparql`
            queries.check_read_only(q.text)
        rows = queries.run(store, q, _params(pairs))
    except KGError as e:
        raise BadInput(str(e)) from e
    finally:
        store.close()
    keys = list(dict.fromkeys(k for row in rows for k in row))
    write_parts(render_parts(rows, [(k, k) for k in keys], fmt, lang))
