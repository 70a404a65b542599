"""`kg cites REF`: what a document (or an instrument) cites."""

from __future__ import annotations

import click

from kg.commands.options import format_option, lang_option, run_ref_query, store_option, wait_option

COLUMNS = [("kind", "kind"), ("label", "symbol"), ("date", "date"), ("issuer", "issuer"),
           ("mentions", "mentions_col"), ("implementsText", "implements_col")]
SCRIPT_COLUMNS = [("instrument", "document"), ("kind", "kind"), ("symbol", "symbol"), ("name", "symbol"),
                  ("date", "date"), ("issuer", "issuer"), ("title", "title"), ("mentions", "mentions_col"),
                  ("implements", "implements_col")]


@click.command("cites")
@click.argument("ref")
@format_option("table", "csv", "json")
@store_option
@wait_option
@lang_option
def command(ref: str, fmt: str, store_location: str, lang: str) -> None:
    """List what REF cites (a plan's file path or symbol), most mentioned first."""
    from kg.i18n import t
    from kg.tables import render_parts, write_parts

    doc, rows = run_ref_query(store_location, ref, "cites", "doc")
    for row in rows:
        row.update(label=row.get("symbol") or row.get("name", ""),
                   implementsText=t("yes", lang) if row.get("implements") == "true" else "")
    if fmt == "table":
        click.echo(doc.label)
    write_parts(render_parts(rows, COLUMNS if fmt == "table" else SCRIPT_COLUMNS, fmt, lang))
