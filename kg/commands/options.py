"""Options shared by commands (`--store`, `--lang`, `--format`) and their user-facing words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])



def say(key: str, lang: str) -> str:
    """A store command's word (kg/i18n.py, key ``cmd_{key}``)."""
    from kg.i18n import t

    return t(f"cmd_{key}", lang)


def store_option(f: F) -> F:
    return click.option(
        "--store", "store_location", envvar="KG_STORE", default="kg-store", show_default=True,
        help="Folder of the embedded Oxigraph store, or http(s)://… of a SPARQL 1.1 server (env KG_STORE).",
    )(f)


def _remember_wait(ctx: click.Context, _param: click.Parameter, value: float | None) -> None:
    if value is not None:
        ctx.meta[_WAIT] = value


_WAIT = "kg.wait"


def wait_option(f: F) -> F:
    """``--wait SECONDS`` for a command that opens the store (`open_store_or_fail` reads it)."""
    return click.option("--wait", type=click.FloatRange(min=0), default=None, metavar="SECONDS", expose_value=False,
                        callback=_remember_wait,
                        help="If another kg process is writing to the store and readers cannot read it meanwhile "
                             "(`kg ingest --exclusive`) or this command writes, wait up to this long instead of "
                             "stopping.")(f)


def lang_option(f: F) -> F:
    return click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
                        help="Language of messages and reports.")(f)


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    def decorate(f: F) -> F:
        return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default or choices[0],
                            show_default=True, help="Output format.")(f)
    return decorate


def open_store_or_fail(location: str, *, read_only: bool = True, wait: float | None = None,
                       exclusive: bool = False) -> Any:
    """Open the store, turning a store error into a click error (exit status 1 → we use 2).

    Commands that only read get a read-only store (a snapshot, readable while an ingest runs, see
    `kg.store.EmbeddedStore`); commands that write pass ``read_only=False`` and take the store's
    lock, waiting up to `wait` seconds for another writer (`exclusive`: see `kg.store.EmbeddedStore`);
    `wait` defaults to the command's ``--wait`` (`wait_option`), else 0.
    """
    from kg.errors import StoreError
    from kg.store import open_store

    if wait is None:
        ctx = click.get_current_context(silent=True)
        wait = ctx.meta.get(_WAIT, 0.0) if ctx is not None else 0.0

    try:
        return open_store(location, read_only=read_only, wait=wait, exclusive=exclusive)
    except StoreError as e:
        raise BadInput(str(e)) from e


class BadInput(click.ClickException):
    """Bad input or a store that cannot be opened: exit status 2 (pySHACL's contract)."""

    exit_code = 2


def run_ref_query(store_location: str, ref: str, query: str, param: str) -> tuple[Any, list[dict[str, str]]]:
    """Resolve a forgiving REF in the store and run a named query with it bound to `param`.

    Returns the resolved instrument (or document) and the rows; a REF that matches nothing or more
    than one thing, or a query error, becomes bad input (exit 2).
    """
    from kg import queries
    from kg.errors import KGError
    from kg.refs import resolve_one

    store = open_store_or_fail(store_location)
    try:
        target = resolve_one(store, ref)
        return target, queries.run(store, query, {param: target.iri})
    except KGError as e:
        raise BadInput(str(e)) from e
    finally:
        store.close()
