"""The commands over the resolved ledger: thin wrappers over `ledger`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .. import ledger
from ..errors import InputError, ReleasewatchError, WithheldError
from .output import (
    QUALIFIER_WORDS,
    all_option,
    check_date,
    db_option,
    echo_data,
    grid,
    ledger_line,
    opened_ledger,
    scope,
    scope_text,
    terminal,
    write_csv,
    write_json,
)

TOKEN_ENV = "RELEASEWATCH_TOKEN"
_TIMELINE_CSV = (
    "id", "date", "type", "status", "by", "to", "count", "sector", "persons_released",
    "n_sources", "n_mentions", "has_conflict", "political",
)  # fmt: skip
_SHOW_PROTECTED = click.option(
    "--show-protected",
    is_flag=True,
    help="Show the names of persons marked protected (withheld by default).",
)
_PARTY = click.option("--party", help="Only events with this party (ISO alpha-3, EU, UN).")


def _fmt_option(*choices: str) -> Any:
    """A --format option with these choices (the first is the default)."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True
    )


def _table(title: str, narrow: str, *wide: str) -> Table:
    """A ruled table: the `narrow` columns (space-separated names) unwrapped, then `wide` ones."""
    table = Table(title=title, show_lines=True)
    for name in narrow.split():
        table.add_column(name, no_wrap=True)
    for name in wide:
        table.add_column(name, ratio=1)
    return table


def _count(count: dict[str, Any] | None) -> str:
    """A count as people read it: "over 100"."""
    if not count:
        return ""
    return f"{QUALIFIER_WORDS.get(count['qualifier'], '')}{count['value']}"


def _value(value: Any) -> str:
    """A field value (list, count, text) as text."""
    if isinstance(value, dict):
        return _count(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _headline(item: dict[str, Any]) -> str:
    """Type, status, parties, count, sector and persons of a ledger event, on short lines."""
    lines = [f"{item['type']} ({item['status']})"]
    parties = ", ".join(item["by"]) + (" → " + ", ".join(item["to"]) if item["to"] else "")
    if parties:
        lines.append(parties)
    if item["count"]:
        lines.append(f"count {_count(item['count'])}")
    if item["sector"]:
        lines.append(f"sector {item['sector']}")
    if item["persons"]:
        lines.append("persons " + ", ".join(p["name"] for p in item["persons"]))
    if scope_text(item):
        lines.append(scope_text(item))
    return "\n".join(lines)


def _when(item: dict[str, Any]) -> str:
    """An event's date, or its earliest source's date in brackets."""
    if item["date"]:
        return str(item["date"])
    return f"({item['sort_date']})" if item.get("sort_date") else ""


def _events_table(items: Sequence[dict[str, Any]], title: str) -> Table:
    """Ledger events as a table: what happened, its sources ("articles (reports)") and outlets."""
    table = Table(title=title, show_lines=True)
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("happening", ratio=1, min_width=20)
    table.add_column("sources", justify="right", no_wrap=True)
    for item in items:
        outlets = ", ".join(dict.fromkeys(s["outlet"] or s["article_id"] for s in item["sources"]))
        text = Text(_headline(item))
        if item["conflicts"]:
            text.append("\nsources disagree on " + ", ".join(item["conflicts"]), "bold")
        text.append("\nfrom " + outlets, "dim")
        table.add_row(item["id"], _when(item), text, f"{item['n_sources']} ({item['n_mentions']})")
    return table


def _flat(item: dict[str, Any]) -> dict[str, Any]:
    """A timeline row for CSV."""
    row = {k: item.get(k) for k in _TIMELINE_CSV}
    row["date"] = item["date"] or item.get("sort_date")
    row["by"], row["to"] = ";".join(item["by"]), ";".join(item["to"])
    row["count"] = _count(item["count"])
    return row


@click.command()
@_fmt_option("text", "json")
@db_option
@click.pass_context
def resolve(ctx: click.Context, fmt: str) -> None:
    """Rebuild the ledger of happenings from every stored report (ingest does it too).

    Reports of one happening from many articles are merged into one ledger event; persons
    are grouped across spellings; trades become deals. Your merges, splits and protected
    marks are applied again.

    \b
    Example:
      releasewatch resolve
    """
    with opened_ledger(ctx) as store:
        summary = ledger.rebuild(store)
    if fmt == "json":
        write_json(summary)
    else:
        terminal().print(ledger_line(summary))


@click.command()
@_PARTY
@click.option(
    "--since", callback=check_date, help="Only events on or after this date (YYYY[-MM[-DD]])."
)
@click.option("--until", callback=check_date, help="Only events on or before this date.")
@all_option
@_fmt_option("table", "json", "csv")
@db_option
@click.pass_context
def timeline(
    ctx: click.Context,
    party: str | None,
    since: str | None,
    until: str | None,
    every: bool,
    fmt: str,
) -> None:
    """List the ledger's happenings in date order, each with its number of sources.

    Political happenings only (prisoners, journalists, activists, hostages, swaps, talks,
    sanctions); --all adds the others (an ordinary criminal arrest), marked "not political".
    The sources column reads "articles (reports)". An undated happening is placed by its
    earliest source's date, in brackets.

    \b
    Example:
      releasewatch timeline --party BLR --since 2025-01
    """
    with opened_ledger(ctx, read_only=True) as store:
        items = ledger.timeline(store, party=party, since=since, until=until,
                                political=scope(every))  # fmt: skip
    if fmt == "json":
        write_json(items)
    elif fmt == "csv":
        write_csv([_flat(i) for i in items], _TIMELINE_CSV)
    else:
        terminal().print(_events_table(items, f"{len(items)} happening(s)"))


def _sources_text(sources: Sequence[dict[str, Any]]) -> Text:
    """Sources of a value: outlet (date) and the evidence sentence."""
    text = Text()
    for i, src in enumerate(sources):
        if i:
            text.append("\n")
        text.append(f"{src['outlet'] or src['article_id']} ({src['published'] or '?'}): ", "bold")
        text.append(src["evidence"])
    return text


@click.command()
@click.argument("event_id")
@_fmt_option("text", "json")
@_SHOW_PROTECTED
@db_option
@click.pass_context
def happening(ctx: click.Context, event_id: str, fmt: str, show_protected: bool) -> None:
    """Show one ledger happening: every value with its sources, its history and its reports.

    \b
    Example:
      releasewatch happening release-blr-2025-12-a4d5624f
    """
    with opened_ledger(ctx, read_only=True) as store:
        item = ledger.get_event(store, event_id, include_protected=show_protected)
    if fmt == "json":
        write_json(item)
        return
    console = terminal()
    console.print(
        grid(
            ("happening", item["id"]),
            ("type", item["type"]),
            ("status", item["status"]),
            ("history", " → ".join(h["status"] for h in item["history"])),
            ("date", _when(item)),
            ("persons", ", ".join(p["name"] for p in item["persons"])),
            ("sources", f"{item['n_sources']} article(s), {item['n_mentions']} report(s)"),
            ("political", "yes" if item["political"] else "no (listed with --all)"),
            ("deal", item["deal"]["id"] if item["deal"] else ""),
        )
    )
    table = Table(title="values and their sources", show_lines=True)
    table.add_column("field", no_wrap=True)
    table.add_column("value", no_wrap=True)
    table.add_column("sources", ratio=1)
    disputed = {c["field"] for c in item["conflicts"]}
    for name, values in item["values"].items():
        for entry in values:
            mark = " (conflict)" if name in disputed else ""
            table.add_row(name + mark, _value(entry["value"]), _sources_text(entry["sources"]))
    console.print(table)
    for m in item["members"]:
        para = Text(m["paragraph"] or m["evidence"])
        if m["span"]:
            para.stylize("bold reverse", *m["span"])
        title = f"{m['outlet'] or m['article_id']} · {m['published'] or '?'} · {m['title'] or ''}"
        console.print(Panel(para, title=title, title_align="left"))


def _persons_table(items: Sequence[dict[str, Any]]) -> Table:
    """Persons with their spellings and number of happenings."""
    table = Table(title=f"{len(items)} person(s)")
    table.add_column("id", no_wrap=True)
    table.add_column("name")
    table.add_column("spellings", ratio=1)
    table.add_column("happenings", justify="right")
    for p in items:
        table.add_row(p["id"], p["name"], Text(", ".join(p["spellings"])), str(p["n_events"]))
    return table


@click.group(invoke_without_command=True)
@click.option("--name", help="Only persons with a spelling containing this (any romanisation).")
@click.option("--limit", type=click.IntRange(1, ledger.MAX_LIMIT), default=ledger.MAX_LIMIT)
@all_option
@_fmt_option("table", "json")
@db_option
@_SHOW_PROTECTED
@click.pass_context
def persons(
    ctx: click.Context, name: str | None, limit: int, every: bool, fmt: str, show_protected: bool
) -> None:
    """List persons (every spelling grouped into one record), or merge, split or protect them.

    Persons of political happenings, with the number of those; --all lists every person
    (the suspect of an ordinary arrest too) with all their happenings.

    \b
    Example:
      releasewatch persons --name Kolesnikova
      releasewatch persons merge "Maria Kalesnikava" "M. Kolesnikova"
    """
    if ctx.invoked_subcommand is not None:
        return
    with opened_ledger(ctx, read_only=True) as store:
        page = ledger.list_persons(store, name=name, limit=limit, political=scope(every),
                                   include_protected=show_protected)  # fmt: skip
    if fmt == "json":
        write_json(page)
        return
    terminal().print(_persons_table(page["items"]))
    if page["next_cursor"]:
        terminal().print(f"(first {limit} shown; narrow with --name)")


def _print_person(item: dict[str, Any]) -> None:
    """A person: spellings, history with sources, happenings."""
    console = terminal()
    console.print(
        grid(
            ("person", item["id"]),
            ("name", item["name"]),
            ("protected", "yes" if item["protected"] else "no"),
            ("spellings", ", ".join(item["spellings"])),
        )
    )
    if item["history"]:
        table = _table("status history", "status date happening", "sources")
        for step in item["history"]:
            table.add_row(
                step["status"], step["date"] or "", step["event_id"], _sources_text(step["sources"])
            )
        console.print(table)
    if item["events"]:
        console.print(_events_table(item["events"], f"{len(item['events'])} happening(s)"))


@persons.command("merge")
@click.argument("a")
@click.argument("b")
@db_option
@click.pass_context
def persons_merge(ctx: click.Context, a: str, b: str) -> None:
    """Make two person records (ids or names) one; later ingests keep them together.

    \b
    Example:
      releasewatch persons merge "Siarhei Tsikhanouski" "Sergei Tikhanovsky"
    """
    with opened_ledger(ctx) as store:
        item = ledger.merge_persons(store, a, b, include_protected=True)
    _print_person(item)


@persons.command("split")
@click.argument("name")
@db_option
@click.pass_context
def persons_split(ctx: click.Context, name: str) -> None:
    """Take one spelling out of its person record into its own; later ingests keep it apart.

    \b
    Example:
      releasewatch persons split "Viktor Babariko"
    """
    with opened_ledger(ctx) as store:
        item = ledger.split_person(store, name, include_protected=True)
    _print_person(item)


@persons.command("protect")
@click.argument("id_or_name")
@click.option("--undo", is_flag=True, help="Remove the protected mark instead.")
@db_option
@click.pass_context
def persons_protect(ctx: click.Context, id_or_name: str, undo: bool) -> None:
    """Mark a person protected: the name is withheld in every listing, page and export.

    \b
    Example:
      releasewatch persons protect "Maria Kolesnikova"
    """
    with opened_ledger(ctx) as store:
        result = ledger.set_protected(store, id_or_name, not undo)
    state = "protected" if result["protected"] else "no longer protected"
    terminal().print(f"{result['id']}: {state}")


@click.command()
@click.argument("id_or_name")
@_fmt_option("text", "json")
@_SHOW_PROTECTED
@db_option
@click.pass_context
def person(ctx: click.Context, id_or_name: str, fmt: str, show_protected: bool) -> None:
    """Show a person: spellings, status history with sources, and happenings.

    \b
    Example:
      releasewatch person "Maria Kolesnikova"
    """
    with opened_ledger(ctx, read_only=True) as store:
        try:
            item = ledger.get_person(store, id_or_name, include_protected=show_protected)
        except WithheldError as exc:
            raise ReleasewatchError(
                f"person {id_or_name!r} is {exc.hint}: add --show-protected to see the record"
            ) from exc
    if fmt == "json":
        write_json(item)
    else:
        _print_person(item)


@click.command()
@all_option
@_fmt_option("table", "json")
@_SHOW_PROTECTED
@db_option
@click.pass_context
def conflicts(ctx: click.Context, every: bool, fmt: str, show_protected: bool) -> None:
    """List happenings whose sources disagree, with every value and who gave it (political
    happenings only, unless --all).

    \b
    Example:
      releasewatch conflicts --format json
    """
    with opened_ledger(ctx, read_only=True) as store:
        items = ledger.list_conflicts(
            store, political=scope(every), include_protected=show_protected
        )
    if fmt == "json":
        write_json(items)
        return
    table = _table(
        f"{len(items)} happening(s) with conflicting sources", "id field value", "sources"
    )
    for item in items:
        for conflict in item["conflicts"]:
            for entry in conflict["values"]:
                table.add_row(
                    item["id"],
                    conflict["field"],
                    _value(entry["value"]),
                    _sources_text(entry["sources"]),
                )
    terminal().print(table)


@click.command()
@_PARTY
@all_option
@_fmt_option("table", "json")
@db_option
@click.pass_context
def deals(ctx: click.Context, party: str | None, every: bool, fmt: str) -> None:
    """List deals: happenings the reports say were traded for one another.

    With --party, what that party gave and what it got in each. A deal with no political
    part (no prisoner, swap, talks or sanctions in it) is listed only with --all.

    \b
    Example:
      releasewatch deals --party BLR
    """
    with opened_ledger(ctx, read_only=True) as store:
        items = ledger.list_deals(store, party=party, political=scope(every))
    if fmt == "json":
        write_json(items)
        return
    table = _table(f"{len(items)} deal(s)", "deal status", "parts", "stated in")
    for deal in items:
        parts = "\n".join(
            f"{p['type']} {_count(p['count'])} {p['sector'] or ''}: "
            f"{', '.join(p['gives']) or '?'} → {', '.join(p['gets']) or '?'}"
            f" ({p['date'] or p['sort_date'] or 'undated'}, {p['event_id']})"
            for p in deal["parts"]
        )
        table.add_row(deal["id"], deal["status"], Text(parts), _sources_text(deal["sources"]))
    terminal().print(table)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["records", "csv", "json", "parquet"]),
    required=True,
    help="records: one SCHEMA.md file per article; csv/json: one row per happening; parquet: "
    "events, mentions, articles and persons tables.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Folder for records and parquet; file for csv/json (default: standard output).",
)
@_SHOW_PROTECTED
@db_option
@click.pass_context
def export(ctx: click.Context, fmt: str, out: Path | None, show_protected: bool) -> None:
    """Export the ledger: SCHEMA.md records (with happening ids), its happenings as CSV/JSON,
    or its tables as Parquet files (for pandas, DuckDB, Spark).

    \b
    Example:
      releasewatch export --format records --out records/
      releasewatch export --format csv --out ledger.csv
      releasewatch export --format parquet --out ledger-parquet/
    """
    with opened_ledger(ctx, read_only=True) as store:
        if fmt == "parquet":
            if out is None:
                raise InputError("--out", "parquet needs a folder to be written to")
            from ..ledger.parquet import export_parquet

            tables = export_parquet(store, out, include_protected=show_protected)
            rows = ", ".join(f"{name} {n:,}" for name, (_, n) in tables.items())
            terminal().print(f"{len(tables)} Parquet file(s) written to {out} ({rows} rows)")
            return
        if fmt == "records":
            if out is None:
                raise InputError("--out", "records need a folder to be written to")
            written = ledger.export_records(store, out, include_protected=show_protected)
            terminal().print(f"{len(written)} record(s) written to {out}")
            return
        text = ledger.export_ledger(store, fmt, include_protected=show_protected)
    if out is None:
        echo_data(text, fmt)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(str(out), f"cannot write: {exc}") from exc
    terminal().print(f"ledger written to {out}")


# `serve --workers auto`: one server process per CPU (a request's work is CPU-bound Python,
# benchmarks/load.py), at most this many: set so that the processes' PostgreSQL pools (16
# connections each, store.postgres.POOL_MAX) stay under PostgreSQL's default max_connections
# of 100.
AUTO_WORKERS_MAX = 4


def server_workers(value: str) -> int:
    """The number of server processes `--workers` asks for ('auto' or 1 to 64)."""
    if value.strip().lower() == "auto":
        return max(1, min(os.cpu_count() or 1, AUTO_WORKERS_MAX))
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 64:
        raise click.BadParameter(f"{value!r} is neither auto nor a number from 1 to 64",
                                 param_hint="'--workers'")  # fmt: skip
    return number


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=f"File holding the token that writes and sign-ins must present [or env {TOKEN_ENV}]."
    " Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))' > token.txt",
)
@click.option(
    "--workers",
    default="auto",
    show_default=True,
    help="Server processes (each with its own response cache and database connections):"
    f" a number from 1 to 64, or auto (one per CPU, at most {AUTO_WORKERS_MAX}).",
)
@db_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, token_file: Path | None, workers: str) -> None:
    """Serve the ledger as web pages and an HTTP API (read-only without a token).

    With a token, API writes carry it as a Bearer header and a browser signs in at /login.
    Make a token (long and random: failed guesses are only slowed down) with
    python3 -c 'import secrets; print(secrets.token_urlsafe(32))' > ~/.releasewatch-token

    \b
    Example:
      releasewatch serve --port 8000 --token-file ~/.releasewatch-token
    """
    from ..store import describe, resolve_db
    from ..web import serve as run_server

    token = os.environ.get(TOKEN_ENV) or None
    if token_file is not None:
        token = token_file.read_text(encoding="utf-8").strip() or None
        if token is None:
            raise InputError(str(token_file), "the token file is empty")
    processes = server_workers(workers)
    db = resolve_db(ctx.obj.get("db"))
    terminal(stderr=True).print(
        f"serving {describe(db)} on http://{host}:{port}/ ({processes} process(es))"
    )
    run_server(db, host, port, token, workers=processes)


COMMANDS = (resolve, timeline, happening, persons, person, conflicts, deals, export, serve)
