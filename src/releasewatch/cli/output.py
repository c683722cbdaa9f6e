"""What every releasewatch command shares: consoles, the ledger it opens, output helpers.

Article text is untrusted: an ESC sequence in a title or sentence must never reach the terminal
as one. Tables and text go through `terminal()`, whose console drops control characters from
every rendered piece of text (rich's own styling is not text, so it stays); CSV loses them too,
and JSON escapes them (`\u001b`), so it still says what the article held.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console, ConsoleOptions, RenderableType
from rich.markup import escape
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ..errors import InputError
from ..ledger import check_partial_date
from ..store import Store, open_store

EXIT_PROBLEMS = 1  # the command ran but some input failed
EXIT_ERROR = 2  # the command could not run (bad ledger, missing event, bad arguments)
PIPE_WIDTH = 160  # table width when stdout is a pipe or file: fits the events table unfolded
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
QUALIFIER_WORDS = {"over": "over ", "at_least": "at least ", "about": "about ", "up_to": "up to "}
# Characters a terminal may act on: C0 controls but tab and newline (ESC, CR, BS, BEL...), DEL,
# and the C1 controls (U+009B is a one-character CSI on some terminals).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile("[\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """`text` without the characters a terminal would act on (tab and newline kept)."""
    return CONTROL.sub("", text)


class SafeConsole(Console):
    """A rich console that never writes a control character it was given as text.

    Control characters are dropped from each rendered segment of text; they have no width, so
    tables keep their layout. Segments that are rich's own controls (cursor moves) pass.
    """

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        """The renderable's segments, their text without control characters."""
        for segment in super().render(renderable, options):
            if segment.control is None and CONTROL.search(segment.text):
                yield Segment(strip_controls(segment.text), segment.style)
            else:
                yield segment


def terminal(stderr: bool = False) -> Console:
    """A rich console on stdout (or stderr); wide when not a terminal, so pipes get whole rows."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else int(os.environ.get("COLUMNS") or PIPE_WIDTH)
    return SafeConsole(stderr=stderr, width=width, highlight=False)


def check_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Validate a YYYY, YYYY-MM or YYYY-MM-DD option: a real year, month or day, as the API."""
    if value is None:
        return None
    try:
        return check_partial_date(value, "date")
    except InputError as exc:
        raise click.BadParameter(exc.reason) from exc


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Keep a subcommand's --db for opened_ledger (it wins over the one before the command)."""
    if value is not None:
        ctx.ensure_object(dict)["db"] = value
    return value


def db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--db on a subcommand, as users put it: `releasewatch ingest --db ledger.sqlite ...`."""
    return click.option(
        "--db",
        metavar="PATH|URL",
        expose_value=False,
        callback=_set_db,
        help="The ledger (as `releasewatch --db PATH|URL COMMAND`).",
    )(command)


@contextmanager
def opened_ledger(ctx: click.Context, *, read_only: bool = False) -> Iterator[Store]:
    """The ledger named by --db / $RELEASEWATCH_DB, closed afterwards.

    `read_only` for a command that only reads: a ledger that is not there is an error (none
    is made), and one in a read-only file or folder is read.
    """
    store = open_store(ctx.obj.get("db"), read_only=read_only)
    try:
        yield store
    finally:
        store.close()


class InputPath(click.ParamType):
    """A file or folder to read; a URL is refused, saying how to read one."""

    name = "path"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        """The path; a usage error for a URL (Path would mangle it: https:/example.org)."""
        text = os.fspath(value)
        if _URL.match(text):
            root = ctx.find_root().command if ctx is not None else None
            watch = isinstance(root, click.Group) and "watch" in root.commands
            self.fail(
                f"{text} is a URL, and this command reads files and folders: save the page"
                " (curl -o page.html URL) and give the file"
                + (", or follow a feed with `releasewatch watch`" if watch else ""),
                param,
                ctx,
            )
        return Path(text)


def fail(message: str, code: int = EXIT_ERROR) -> None:
    """Print an error on stderr and exit."""
    terminal(stderr=True).print(f"[bold red]error:[/] {escape(message)}")
    sys.exit(code)


def _escape_c1(json_text: str) -> str:
    """JSON text with DEL and the C1 controls escaped (json.dumps escapes only C0); they can
    stand only inside strings, where the escape means the same character."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def echo_data(text: str, fmt: str) -> None:
    """CSV or JSON text on stdout, safe for a terminal (JSON escaped, CSV stripped)."""
    click.echo(_escape_c1(text) if fmt == "json" else strip_controls(text), nl=False)


def write_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    """Rows as CSV on stdout."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    echo_data(buffer.getvalue(), "csv")


def write_json(data: Any) -> None:
    """Data as JSON on stdout."""
    click.echo(_escape_c1(json.dumps(data, ensure_ascii=False, indent=2)))


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
