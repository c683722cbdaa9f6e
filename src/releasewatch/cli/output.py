"""What every releasewatch command shares: consoles, the ledger it opens, output helpers."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..store import Store, open_store

EXIT_PROBLEMS = 1  # the command ran but some input failed
EXIT_ERROR = 2  # the command could not run (bad ledger, missing event, bad arguments)
PIPE_WIDTH = 160  # table width when stdout is a pipe or file: fits the events table unfolded
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
QUALIFIER_WORDS = {"over": "over ", "at_least": "at least ", "about": "about ", "up_to": "up to "}


def terminal(stderr: bool = False) -> Console:
    """A rich console on stdout (or stderr); wide when not a terminal, so pipes get whole rows."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else int(os.environ.get("COLUMNS") or PIPE_WIDTH)
    return Console(stderr=stderr, width=width, highlight=False)


def check_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Validate a YYYY, YYYY-MM or YYYY-MM-DD option."""
    if value is not None and not _DATE.match(value):
        raise click.BadParameter(f"{value!r} is not a date like 2025-01-01, 2025-01 or 2025")
    return value


@contextmanager
def opened_ledger(ctx: click.Context) -> Iterator[Store]:
    """The ledger named by --db / $RELEASEWATCH_DB, closed afterwards."""
    store = open_store(ctx.obj.get("db"))
    try:
        yield store
    finally:
        store.close()


def fail(message: str, code: int = EXIT_ERROR) -> None:
    """Print an error on stderr and exit."""
    terminal(stderr=True).print(f"[bold red]error:[/] {escape(message)}")
    sys.exit(code)


def write_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    """Rows as CSV on stdout."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    click.echo(buffer.getvalue(), nl=False)


def write_json(data: Any) -> None:
    """Data as JSON on stdout."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def grid(*pairs: tuple[str, str | None]) -> Table:
    """Name/value pairs as a two-column grid ("—" for an empty value)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for name, value in pairs:
        table.add_row(name, Text(value or "—"))
    return table


def encoding_text(encoding: str, confidence: float | None) -> str:
    """How an article's bytes were read: "windows-1252 (confidence 0.82)"."""
    return encoding if confidence is None else f"{encoding} (confidence {confidence:.2f})"


def ledger_line(summary: dict[str, Any]) -> str:
    """One line saying what the resolved ledger holds."""
    return (
        f"ledger: {summary['events']} happening(s) from {summary['mentions']} report(s) in "
        f"{summary['articles']} article(s), {summary['persons']} person(s), "
        f"{summary['deals']} deal(s), {summary['conflicts']} conflict(s)"
    )
