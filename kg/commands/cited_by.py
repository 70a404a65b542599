"""`kg cited-by REF`: the documents that cite an instrument."""

from __future__ import annotations

import click

from kg.commands.options import format_option, lang_option, run_ref_query, store_option, wait_option

COLUMNS = [("unitName", "unit"), ("document", "document"), ("when", "date"), ("mentions", "mentions_col"),
           ("implementsText", "implements_col")]
SCRIPT_COLUMNS = [("doc", "document"), ("path", "document"), ("symbol", "symbol"), ("unitName", "unit"),
                  ("date", "date"), ("year", "year"), ("mentions", "mentions_col"), ("implements", "implements_col")]


@click.command("cited-by")
@click.argument("ref")
@format_option("table", "csv", "json")
@store_option
@wait_option
@lang_option
def command(ref: str, fmt: str, store_location: str, lang: str) -> None:
    """List the documents citing REF, with how often they mention it and whether they carry it out."""
    from kg.i18n import t
    from kg.tables import doc_label, render_parts, write_parts

    target, rows = run_ref_query(store_location, ref, "cited-by", "target")
    for row in rows:
        row.update(document=doc_label(row), when=row.get("date") or row.get("year", ""),
                   implementsText=t("yes", lang) if row.get("implements") == "true" else "")
    if fmt == "table":
        click.echo(target.label)
    write_parts(render_parts(rows, COLUMNS if fmt == "table" else SCRIPT_COLUMNS, fmt, lang))
