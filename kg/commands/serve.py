"""`kg serve`: the web app for legal staff and a SPARQL 1.1 endpoint, on 127.0.0.1 by default."""

from __future__ import annotations

import click

from kg.commands.options import BadInput, lang_option, store_option


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 opens it to the network: there is no login).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--max-upload", type=click.FloatRange(0.1, 500), default=10.0, show_default=True,
              help="Largest draft accepted by the check page, in MB.")
@click.option("--sparql-timeout", type=click.FloatRange(0.1, 3600), default=30.0, show_default=True,
              help="Seconds a /sparql query may run before it is stopped (503).")
@click.option("--sparql-max-rows", type=click.IntRange(1), default=100_000, show_default=True,
              help="Most rows (or triples) a /sparql answer may hold (more: 413).")
@click.option("--sparql-workers", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Worker processes running /sparql queries at the same time.")
@click.option("--uploads", type=click.Path(file_okay=False), default="kg-uploads", show_default=True,
              help="Folder where drafts the user chooses to ingest are kept.")
@click.option("--warm", type=click.FloatRange(min=0), default=5.0, show_default=True, metavar="SECONDS",
              help="Every SECONDS, look for a store change and then compute the home page, the stale report and "
                   "the map's graph in the background (at 100k documents the first visitor would otherwise wait "
                   "tens of seconds); 0: only when asked.")
@store_option
@lang_option
def command(host: str, port: int, max_upload: float, sparql_timeout: float, sparql_max_rows: int,
            sparql_workers: int, uploads: str, warm: float, store_location: str, lang: str) -> None:
    """Open the graph in a browser: search, instrument pages, stale report, map, draft check, /sparql."""
    import uvicorn

    from kg.errors import KGError
    from web.app import Settings, check_store, create_app

    try:
        check_store(store_location)
    except KGError as e:
        raise BadInput(str(e)) from e
    settings = Settings(store=store_location, lang=lang, max_upload=int(max_upload * 1024 * 1024),
                        sparql_timeout=sparql_timeout, sparql_max_rows=sparql_max_rows,
                        sparql_workers=sparql_workers, uploads=uploads, warm=warm)
    click.echo(f"http://{host}:{port}/  ({store_location}; Ctrl+C stops)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
