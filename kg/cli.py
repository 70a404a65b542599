"""The `kg` command: a click group; each subcommand lives in kg/commands/<name>.py."""

from __future__ import annotations

import importlib

import click

from kg import __version__

# name -> module in kg.commands that defines a click command called `command`
COMMANDS = {
    "extract": "extract",
    "ingest": "ingest",
    "forget": "forget",
    "export": "export",
    "validate": "validate",
    "registry": "registry",
    "stale": "stale",
    "lineage": "lineage",
    "show": "show",
    "cited-by": "cited_by",
    "cites": "cites",
    "query": "query",
    "sparql": "sparql",
    "stats": "stats",
    "check": "check",
    "map": "map",
    "verify": "verify",
    "serve": "serve",
}


class LazyGroup(click.Group):
    """Imports a subcommand's module only when it is used, so `kg --help` stays fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        return importlib.import_module(f"kg.commands.{module}").command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Knowledge graph of Vietnamese plans: extract, ingest, query, check and map."""
