"""The `releasewatch` command: thin click wrappers over pipeline, ledger and store, printed with
rich. One module per group of commands; what they share is in `output`.

A command's module is imported only when that command runs (`releasewatch extract` imports
neither the web server, the feed watcher nor their HTTP clients).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import click

from .. import __version__
from ..errors import ReleasewatchError
from ..store import DEFAULT_DB, ENV_VAR

# Each command -> the module of this package that defines it (listed there in COMMANDS).
MODULES = {
    **dict.fromkeys(("ingest", "events", "show", "articles", "extract", "explain"), "articles"),
    **dict.fromkeys(
        ("resolve", "timeline", "happening", "persons", "person", "conflicts", "deals",
         "export", "serve"), "ledger"),
    "copy": "copy",
    **dict.fromkeys(("watch", "alerts"), "watch"),
}  # fmt: skip


class _Group(click.Group):
    """The command group: commands imported when asked for; library errors turned into a
    message and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = MODULES.get(cmd_name)
        if module is None:
            return None
        found = importlib.import_module(f"{__name__}.{module}")
        return next(c for c in _commands(found) if c.name == cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReleasewatchError as exc:
            from .output import fail

            fail(str(exc))


def _commands(module: Any) -> tuple[click.Command, ...]:
    """The commands a module of this package defines."""
    return tuple(getattr(module, "COMMANDS", ())) or (module.copy,)


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


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="releasewatch")
