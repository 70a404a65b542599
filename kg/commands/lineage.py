"""`kg lineage REF`: the implements chain above (--up) and below (--down) an instrument, as a tree."""

from __future__ import annotations

import click

from kg.commands.options import BadInput, lang_option, open_store_or_fail, store_option, wait_option


@click.command("lineage")
@click.argument("ref")
@click.option("--up", "direction", flag_value="up", help="Only what REF carries out.")
@click.option("--down", "direction", flag_value="down", help="Only what carries REF out.")
@click.option("--depth", type=click.IntRange(min=1), help="Stop this many levels from REF.")
@store_option
@wait_option
@lang_option
def command(ref: str, direction: str | None, depth: int | None, store_location: str, lang: str) -> None:
    """Show the cascade of REF (33/CT-TTg, 'CT 33/2021', 'chỉ thị 33', a file path …) as an indented tree."""
    from kg.errors import KGError
    from kg.i18n import t
    from kg.lineage import lineage, render_tree
    from kg.refs import resolve_one

    store = open_store_or_fail(store_location)
    try:
        root = resolve_one(store, ref)
        trees = [(d, lineage(store, root, d, depth)) for d in ([direction] if direction else ["up", "down"])]
    except KGError as e:
        raise BadInput(str(e)) from e
    finally:
        store.close()
    click.echo(root.label)
    for d, tree in trees:
        click.echo(f"{'↑' if d == 'up' else '↓'} {t(d, lang)}:")
        click.echo("\n".join(render_tree(tree)) or f"  {t('none', lang)}")
