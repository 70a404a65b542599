"""`kg ingest PATH... [--jobs N | --dask ADDRESS] [--max-size SIZE] [--timeout S] [--max-memory SIZE]
[--wait S] [--defer-upkeep] [--exclusive]`: files and folders into the graph store, each file within a size and a
time limit, the bulk loads within a memory budget."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from kg.commands.options import BadInput, lang_option, open_store_or_fail, say, store_option, wait_option


def summary_line(s, lang: str) -> str:
    return (f"{say('documents', lang)}: {s.added} {say('added', lang)}, {s.replaced} {say('replaced', lang)}, "
            f"{s.unchanged} {say('unchanged', lang)}, {s.failed} {say('failed', lang)}; "
            f"{s.references} {say('references', lang)}; {s.instruments} {say('instruments', lang)} "
            f"({s.seconds:.1f} {say('seconds', lang)})")


@dataclass(frozen=True, slots=True)
class LimitedExtract:
    """The ingest's extractor within a size and a time limit per file (`loaders.read.file_limits`).

    Module-level and picklable, so `--jobs N` workers apply the limits too; a file over a limit
    becomes one "path: cause" line in the summary.
    """

    max_bytes: int
    timeout: float

    def __call__(self, path: str):  # type: ignore[no-untyped-def]
        from kg import ingest
        from loaders.read import file_limits

        with file_limits(path, self.max_bytes, self.timeout):
            return ingest._default_extract(path)


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Worker processes that read and parse files.")
@click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
              help="Read and parse on a Dask cluster (scheduler address, e.g. tcp://10.0.0.5:8786); "
                   "the workers must see the files at the same paths.")
@click.option("--max-size", "max_size", metavar="SIZE", envvar="KG_MAX_SIZE", default="50MB", show_default=True,
              help="Refuse files larger than this (e.g. 20MB, 500KB; a bare number is MB; env KG_MAX_SIZE).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), envvar="KG_TIMEOUT", default=120.0,
              show_default=True, help="Seconds allowed to read and parse one file (env KG_TIMEOUT).")
@click.option("--max-memory", "max_memory", metavar="SIZE", envvar="KG_MAX_MEMORY", default=None,
              help="Make the bulk loads smaller (64 MB down to 8 MB) to keep this process near this much memory, "
                   "e.g. 600MB (env KG_MAX_MEMORY). Smaller loads are slower into a large store, and the store's "
                   "own memory grows with it whatever the loads; the --jobs workers' memory comes on top.")
@click.option("--defer-upkeep", "defer", is_flag=True,
              help="Leave the canonical metadata refresh and the store optimisation to the next ingest: for "
                   "all but the last of several large ingests into one store (each would redo both over "
                   "the whole store). Until then the store is marked and `kg verify` says so.")
@click.option("--exclusive", is_flag=True,
              help="Keep no snapshot for readers while this ingest runs: until it ends, queries and `kg map` are "
                   "told the store is busy. A long ingest into a large store otherwise needs room for up to a "
                   "second copy of the store while it compacts (the snapshot holds the old table files).")
@store_option
@wait_option
@lang_option
def command(paths: tuple[str, ...], jobs: int, dask_address: str | None, max_size: str, timeout: float,
            max_memory: str, defer: bool, exclusive: bool, store_location: str, lang: str) -> None:
    """Ingest FILE(s) and folders (recursive) into the store, one named graph per file.

    Unchanged files are skipped, changed ones replaced. A file that cannot be read or parsed is
    reported and the others go on; exit status 1 when any file failed.
    """
    from tqdm import tqdm

    from kg.errors import KGError
    from kg.ingest import ingest
    from loaders.files import find_real_files
    from loaders.read import BAD_NAME, is_utf8_name, parse_size, printable_name

    try:
        limits = LimitedExtract(max_bytes=parse_size(max_size), timeout=timeout)
    except ValueError as e:
        raise BadInput(f"--max-size: {e}") from e
    try:
        memory = parse_size(max_memory) if max_memory else None
    except ValueError as e:
        raise BadInput(f"--max-memory: {e}") from e
    try:
        found = find_real_files(paths)  # what the ingest reads, each file's real path found once
    except KGError as e:
        raise BadInput(str(e)) from e
    # a name that is not UTF-8 cannot become an IRI or a literal: reported, the others go on
    bad_names = [f"{printable_name(str(f))}: {BAD_NAME}" for f in found.values() if not is_utf8_name(str(f))]
    files = {real: f for real, f in found.items() if is_utf8_name(str(f))}
    store = open_store_or_fail(store_location, read_only=False, exclusive=exclusive)
    bar = tqdm(total=len(files), unit="doc", disable=len(files) < 50 or not sys.stderr.isatty(), file=sys.stderr)
    try:
        if dask_address:
            from kg.distributed import ingest_on_cluster

            summary = ingest_on_cluster(files, store, dask_address, progress=bar.update, upkeep=not defer,
                                        memory=memory)
        else:
            summary = ingest(files, store, jobs=jobs, extract=limits, progress=bar.update, upkeep=not defer,
                             memory=memory)
    except KGError as e:
        raise click.ClickException(str(e)) from e
    finally:
        bar.close()
        store.close()
    summary.failed += len(bad_names)
    summary.errors[:0] = bad_names
    for line in summary.errors:
        click.echo(f"error: {line}", err=True)
    click.echo(summary_line(summary, lang))
    if not summary.ok:
        sys.exit(1)
