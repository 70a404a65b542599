"""`kg registry list|add|import`: status facts (replaced, repealed, expired, …) with their sources."""

from __future__ import annotations

import csv
import json
import sys

import click

from kg.commands.options import BadInput, format_option, lang_option, open_store_or_fail, say, store_option, wait_option
from kg.i18n import t
from kg.registry import RELATIONS

FIELDS = ["subjectSymbol", "subjectDate", "subjectName", "relation", "objectSymbol", "objectDate", "objectName",
          "effective", "confidence", "source", "evidence", "origin"]


@click.group("registry")
def command() -> None:
    """Status facts: the shipped registry, your own facts, and supersessions found in ingested texts."""


def _line(row: dict[str, str], lang: str) -> str:
    subject = row.get("subjectSymbol") or row.get("subjectName", "?")
    if row.get("subjectDate"):
        subject += f" ({row['subjectDate']})"
    obj = row.get("objectSymbol") or row.get("objectName", "")
    if obj and row.get("objectDate"):
        obj += f" ({row['objectDate']})"
    words = t(f"relation_{row['relation']}", lang)
    when = f"; {say('effective', lang)} {row['effective']}" if row.get("effective") else ""
    confidence, origin = t(f"confidence_{row['confidence']}", lang), t(f"origin_{row['origin']}", lang)
    return (f"{subject} {words} {obj}".rstrip() + f"{when}; {say('confidence', lang)} {confidence}; "
            f"{say('from', lang)}: {row['source']} [{origin}]")


@command.command("list")
@click.option("--symbol", help="Only facts about this instrument (e.g. 16/CT-TTg).")
@format_option("table", "csv", "json")
@store_option
@wait_option
@lang_option
def list_(symbol: str | None, fmt: str, store_location: str, lang: str) -> None:
    """List status facts, each with its source, confidence and where it is stored."""
    from kg import registry

    store = open_store_or_fail(store_location, read_only=False)
    try:
        registry.load_shipped(store)
        rows = registry.list_facts(store, symbol)
    finally:
        store.close()
    for row in rows:
        row["origin"] = registry.origin(row["g"])
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps({k: row.get(k) for k in FIELDS}, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, FIELDS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            click.echo(_line(row, lang))
        click.echo(f"{len(rows)} {say('facts', lang)}")


@command.command("add")
@click.argument("subject")
@click.argument("relation", type=click.Choice(sorted(RELATIONS)))
@click.argument("object_symbol", required=False, default="")
@click.option("--subject-date", default="", help="ISO date of the subject (symbols repeat across years).")
@click.option("--object-date", default="")
@click.option("--effective", "effective_date", default="", help="ISO date from which the relation holds.")
@click.option("--confidence", type=click.Choice(["high", "medium", "low"]), default="medium", show_default=True)
@click.option("--source", required=True, help="Where the fact was found (a URL, a gazette reference).")
@click.option("--evidence", default="", help="The sentence that says so.")
@click.option("--jurisdiction", "subject_jurisdiction", default="",
              help="Province (or 'District, Province') of a local subject.")
@store_option
@wait_option
@lang_option
def add(subject: str, relation: str, object_symbol: str, store_location: str, lang: str, **columns: str) -> None:
    """Add a fact: SUBJECT (symbol) RELATION [OBJECT symbol]."""
    from kg import registry
    from kg.errors import KGError

    fact = registry.Fact(subject_symbol=subject, relation=relation, object_symbol=object_symbol, **columns)
    store = open_store_or_fail(store_location, read_only=False)
    try:
        registry.add_fact(store, fact)
    except KGError as e:
        raise BadInput(str(e)) from e
    finally:
        store.close()
    click.echo(f"{say('fact_added', lang)}: {subject} {t(f'relation_{relation}', lang)} {object_symbol}".rstrip())


@command.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False))
@store_option
@wait_option
@lang_option
def import_(csv_file: str, store_location: str, lang: str) -> None:
    """Import facts from a CSV with the registry's columns (importing the same file again replaces them)."""
    from kg import registry
    from kg.errors import KGError

    store = open_store_or_fail(store_location, read_only=False)
    try:
        n = registry.import_csv(store, csv_file)
    except KGError as e:
        raise BadInput(str(e)) from e
    finally:
        store.close()
    click.echo(f"{say('imported', lang)}: {n} {say('facts', lang)} ({csv_file})")
