"""`kg verify`: check the store's integrity; each problem comes with the command that repairs it."""

from __future__ import annotations

import sys

import click

from kg.commands.options import BadInput, format_option, lang_option, open_store_or_fail, store_option, wait_option


def t(key: str, lang: str) -> str:
    from kg.i18n import t as words

    return words(f"verify_{key}", lang)


@click.command("verify")
@click.option("--no-shapes", "no_shapes", is_flag=True,
              help="Skip the SHACL shapes (the slowest check on a big store; `kg validate` runs them alone).")
@click.option("--no-index", "no_index", is_flag=True,
              help="Skip the check of the cascade index (it builds the index again to compare: ~40 s at 100k plans).")
@click.option("--rebuild-index", "rebuild_index", is_flag=True,
              help="First build the cascade index (kept for kg lineage, kg cited-by and kg show) whole from the store.")
@format_option("text", "json")
@store_option
@wait_option
@lang_option
def command(no_shapes: bool, no_index: bool, rebuild_index: bool, fmt: str, store_location: str, lang: str) -> None:
    """Check the store: completion markers, one source document per file graph, no dangling mention,
    canonical metadata for every instrument read, the cascade index, SHACL shapes. Exit 0 clean, 1 problems,
    2 unreadable store."""
    import json

    from kg.errors import KGError
    from kg.verify import verify_store

    if rebuild_index:
        _rebuild_index(store_location)
    store = open_store_or_fail(store_location)
    try:
        report = verify_store(store, shapes=not no_shapes, index=not no_index)
    except (KGError, OSError, RuntimeError, SyntaxError, ValueError) as e:
        raise BadInput(f"{store_location}: cannot read the store ({' '.join(str(e).split())[:300]}); "
                       "restore it from a backup or ingest the files again into a new --store") from e
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps({"ok": report.ok, "counts": report.counts,
                               "problems": [{"kind": p.kind, "message": p.message, "repair": p.repair}
                                            for p in report.problems], "notes": report.notes},
                              ensure_ascii=False))
    else:
        for p in report.problems:
            click.echo(p.line())
        for note in report.notes:
            click.echo(f"{t('note', lang)}: {note}")
        c = report.counts
        summary = t("ok", lang) if report.ok else f"{len(report.problems)} {t('problems', lang)}"
        click.echo(f"{summary} ({c['file_graphs']} {t('graphs', lang)}, {c['markers']} "
                   f"{t('markers', lang)}, {c['source_documents']} {t('documents', lang)})")
    sys.exit(0 if report.ok else 1)


def _rebuild_index(store_location: str) -> None:
    import sqlite3

    from kg import cascade_index
    from kg.errors import KGError

    store = open_store_or_fail(store_location, read_only=False)
    try:
        failed = cascade_index.rebuild(store)
    except (KGError, OSError, sqlite3.Error) as e:  # the store's reads
        failed = " ".join(str(e).split())
    finally:
        store.close()
    if failed:
        raise BadInput(f"{store_location}: cannot build the cascade index ({failed[:300]})")
