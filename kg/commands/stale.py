"""`kg stale`: citations of instruments already replaced, repealed or expired on the citing document's date."""

from __future__ import annotations

import click

from kg.commands.options import BadInput, format_option, lang_option, open_store_or_fail, store_option, wait_option

SCRIPT_COLUMNS = [("unitName", "unit"), ("path", "document"), ("docDate", "date"), ("docYear", "year"),
                  ("notBefore", "not_before"), ("oldSymbol", "cited"), ("oldDate", "date"), ("relation", "status"),
                  ("newSymbol", "replacement"), ("newDate", "date"), ("effective", "effective"),
                  ("certainty", "certainty"), ("confidence", "confidence"), ("sources", "basis")]


@click.command("stale")
@click.option("--unit", help="Only documents of units whose name contains this text (e.g. 'Sở Ngoại vụ').")
@click.option("--as-of", "as_of", help="Judge every citation as of this ISO date instead of its document's date.")
@format_option("table", "csv", "json")
@store_option
@wait_option
@lang_option
def command(unit: str | None, as_of: str | None, fmt: str, store_location: str, lang: str) -> None:
    """List citations of instruments that were already replaced, repealed or expired, with certainty."""
    from kg.errors import KGError
    from kg.i18n import t
    from kg.stale import stale_citations, table_parts
    from kg.tables import render_parts, write_parts

    store = open_store_or_fail(store_location)
    try:
        rows = stale_citations(store, unit=unit, as_of=as_of)
    except KGError as e:
        raise BadInput(str(e)) from e
    finally:
        store.close()
    # written as it is made, never held whole: the whole report at a million plans is 373 MB of text
    if fmt != "table":
        write_parts(render_parts(rows, SCRIPT_COLUMNS, fmt, lang))
    elif rows:
        write_parts(table_parts(rows, lang))
        click.echo(f"{len(rows)} {t('stale_count', lang)}")
    else:
        click.echo(t("no_stale", lang))
