"""`kg map`: the cascade map as one self-contained HTML page (offline, escaped, aggregated when big)."""

from __future__ import annotations

import click

from kg.commands.options import BadInput, lang_option, open_store_or_fail, store_option, wait_option
from kg.i18n import t


@click.command("map")
@click.option("--focus", "focus", metavar="REF", help="One instrument's lineage up and down (e.g. 33/CT-TTg).")
@click.option("--depth", type=click.IntRange(1, 20), default=2, show_default=True,
              help="Levels of lineage up and down from --focus.")
@click.option("--unit", metavar="TEXT", help="Only the documents of units whose issuer or place contains TEXT, "
                                             "and what they cite.")
@click.option("--stale-only", is_flag=True, help="Only citations of instruments no longer in force at the time.")
@click.option("--max-nodes", type=click.IntRange(50, 100_000), default=1500, show_default=True,
              help="Beyond this, documents are grouped per unit and rarely cited instruments hidden.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default="kg-map.html", show_default=True,
              help="HTML file to write.")
@store_option
@wait_option
@lang_option
def command(focus: str | None, depth: int, unit: str | None, stale_only: bool, max_nodes: int, out: str,
            store_location: str, lang: str) -> None:
    """Draw the graph as an interactive HTML map that works offline in any browser."""
    from kg.errors import KGError, RefError
    from viz.graph import build_map
    from viz.render import write_html

    store = open_store_or_fail(store_location)
    try:
        m = build_map(store, focus=focus, depth=depth, unit=unit, stale_only=stale_only,
                      max_nodes=max_nodes)
    except RefError as e:
        raise BadInput(str(e)) from e
    except KGError as e:
        raise click.ClickException(str(e)) from e
    finally:
        store.close()
    try:
        size = write_html(m, out, lang=lang, max_nodes=max_nodes)  # labels from what build_map read
    except OSError as e:
        raise BadInput(f"{out}: cannot write the map ({e.strerror or e}); check the folder or use another --out") from e
    click.echo(f"{t('map_written', lang)}: {out} ({m.graph.number_of_nodes()} / {m.total_nodes}, {size} bytes)")
