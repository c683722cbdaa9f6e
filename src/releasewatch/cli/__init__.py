"""The `releasewatch` command: thin click wrappers over pipeline, ledger and store, printed with
rich. One module per group of commands; what they share is in `output`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from .. import __version__
from ..errors import ReleasewatchError
from ..store import DEFAULT_DB, ENV_VAR
from . import articles, copy, ledger, watch
from .output import fail


class _Group(click.Group):
    """The command group: turns library errors into a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReleasewatchError as exc:
            fail(str(exc))


@click.group(
    name="releasewatch", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--db",
    envvar=ENV_VAR,
    metavar="PATH|URL",
    help="Ledger: a SQLite file (created on first use), sqlite:///path or postgresql://user@host/db."
    f" [env {ENV_VAR}; default {DEFAULT_DB}]",
)
@click.version_option(__version__, prog_name="releasewatch")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """A ledger of hostage diplomacy read from raw news.

    Releases, swaps, detentions, talks and sanctions, each with its evidence sentence and the
    article it came from.

    \b
    Example:
      releasewatch ingest examples/
      releasewatch events --type release --since 2025-01-01
      releasewatch --db postgresql://rw@dbhost/ledger serve
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


for _command in (*articles.COMMANDS, *ledger.COMMANDS, copy.copy, *watch.COMMANDS):
    cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="releasewatch")
