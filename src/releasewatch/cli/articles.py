"""The commands over stored articles and their event mentions: ingest, events, show, articles,
extract."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..extract.explain import lines as explain_lines
from ..model import EVENT_TYPES, STATUSES
from ..pipeline import (
    IngestProgress,
    IngestProgressCallback,
    IngestReport,
    Problem,
    ProgressCallback,
    explain_paths,
    extract_to_dir,
    ingest_paths,
)
from ..store import ArticleRow, EventRow
from .output import (
    EXIT_PROBLEMS,
    QUALIFIER_WORDS,
    InputPath,
    all_option,
    check_date,
    db_option,
    encoding_text,
    grid,
    ledger_line,
    opened_ledger,
    scope,
    terminal,
    write_csv,
    write_json,
)

EVIDENCE_CHARS = 160  # evidence shown in the events table; `show` prints it whole
_FORMATS = click.Choice(["table", "json", "csv"])


def _print_problems(console: Console, problems: Sequence[Problem]) -> None:
    """List the inputs that failed."""
    for p in problems:
        console.print(f"[red]✗[/] {escape(p.source)}: {escape(p.reason)}")


def _bar(label: str, console: Console) -> Progress:
    """A transient rich progress bar: label, bar, done of total, time, description."""
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    return Progress(*columns, console=console, transient=True)


@contextmanager
def _progress_bar(label: str) -> Iterator[ProgressCallback | None]:
    """A rich progress bar over files on a terminal (nothing otherwise)."""
    console = terminal(stderr=True)
    if not console.is_terminal:
        yield None
        return
    with _bar(label, console) as progress:
        task = progress.add_task("", total=None)

        def update(done: int, total: int, path: Path) -> None:
            progress.update(task, completed=done, total=total, description=escape(path.name))

        yield update


@contextmanager
def _ingest_bar() -> Iterator[IngestProgressCallback | None]:
    """A rich progress bar over work units on a terminal, with articles/s, on-topic and
    problem counts, and the cluster's dashboard when one is running (nothing otherwise)."""
    console = terminal(stderr=True)
    if not console.is_terminal:
        yield None
        return
    with _bar("ingesting", console) as progress:
        task = progress.add_task("", total=None)
        shown: list[str] = []

        def update(p: IngestProgress) -> None:
            if p.dashboard and not shown:
                shown.append(p.dashboard)
                console.print(f"Dask dashboard: {escape(p.dashboard)}")
            progress.update(
                task, completed=p.units_done, total=p.units_total,
                description=f"units · {p.articles:,} article(s), {p.rate:,.1f}/s · "
                f"{p.on_topic:,} on-topic · {p.problems:,} problem(s)",
            )  # fmt: skip

        yield update


def _summary(report: IngestReport) -> str:
    """One line saying what an ingest did (and a second on the ledger, when it was rebuilt)."""
    offtopic = (
        f" ({report.articles_offtopic} off-topic, kept as id and URL)"
        if report.articles_offtopic
        else ""
    )
    line = (
        f"{report.files} file(s): {report.articles_new} new article(s){offtopic}, "
        f"{report.articles_known} already known, {report.events} event(s), "
        f"{len(report.problems)} problem(s)"
    )
    return line + (f"\n{ledger_line(report.ledger)}" if report.ledger else "")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=InputPath())
@click.option(
    "--workers",
    type=click.IntRange(1),
    help="Read on a Dask LocalCluster of this many worker processes (one a core).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Read on the running Dask cluster whose scheduler is here (tcp://host:8786); its "
    "workers need releasewatch and the same paths.",
)
@db_option
@click.pass_context
def ingest(
    ctx: click.Context, paths: tuple[Path, ...], workers: int | None, scheduler: str | None
) -> None:
    """Read news files, folders or archives into the ledger.

    Raw text dumps (.txt), HTML pages (.html/.htm), JSONL records, feeds and WARC archives,
    any of them gzip-compressed; folders are walked. Pages off the ledger's topic (too few of
    its words, no trigger) are set aside: only their id and URL are kept. Ingesting an
    article twice changes nothing. Exits 1 if any input failed (each is named with its
    reason).

    \b
    Example:
      releasewatch --db ledger.sqlite ingest examples/ news/2025-12-13.jsonl
      releasewatch ingest archives/*.warc.gz --workers 4
      releasewatch ingest archives/ --scheduler tcp://10.0.0.5:8786
    """
    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    with opened_ledger(ctx) as store, _ingest_bar() as on_progress:
        report = ingest_paths(
            paths, store, on_progress=on_progress, workers=workers, scheduler=scheduler
        )
    console = terminal()
    _print_problems(terminal(stderr=True), report.problems)
    console.print(_summary(report))
    if not report.ok:
        sys.exit(EXIT_PROBLEMS)


_EVENT_CSV = (
    "id", "type", "status", "by", "to", "count", "qualifier", "persons", "sector", "date",
    "evidence", "attribution", "confidence", "background", "political", "article_id",
    "article_title",
    "article_published", "article_outlet", "article_source", "start", "end",
)  # fmt: skip


def _event_flat(ev: EventRow) -> dict[str, Any]:
    """An event as one CSV row (lists joined with ';')."""
    data = ev.to_dict()
    data["count"] = ev.count.value if ev.count else None
    data["qualifier"] = ev.count.qualifier if ev.count else None
    for key in ("by", "to", "persons"):
        data[key] = ";".join(data[key])
    return {key: data[key] for key in _EVENT_CSV}


def _count_text(ev: EventRow) -> str:
    """A count as people read it: "over 100"."""
    if ev.count is None:
        return ""
    return f"{QUALIFIER_WORDS.get(ev.count.qualifier, '')}{ev.count.value}"


def _event_summary(ev: EventRow) -> str:
    """Type, status, parties, count and sector of an event, on a few short lines."""
    lines = [f"{ev.type} ({ev.status})"]
    parties = ", ".join(ev.by) + (" → " + ", ".join(ev.to) if ev.to else "")
    if parties:
        lines.append(parties)
    if ev.count:
        lines.append(f"count {_count_text(ev)}")
    if ev.sector:
        lines.append(f"sector {ev.sector}")
    if not ev.political:
        lines.append("not political")
    return "\n".join(lines)


def _events_table(rows: Sequence[EventRow]) -> Table:
    """Events as a rich table (evidence shortened; `show` prints every field)."""
    table = Table(title=f"{len(rows)} event(s)", show_lines=True)
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("event", min_width=18)
    table.add_column("evidence", ratio=1, min_width=24)
    for ev in rows:
        evidence = ev.evidence
        if len(evidence) > EVIDENCE_CHARS:
            evidence = evidence[: EVIDENCE_CHARS - 3] + "..."
        date = ev.date or (f"({ev.article_published})" if ev.article_published else "")
        table.add_row(ev.id, date, Text(_event_summary(ev)), Text(evidence))
    return table


@click.command()
@click.option("--type", "type_", type=click.Choice(EVENT_TYPES), help="Only this event type.")
@click.option(
    "--party", help="Only events with this party (ISO alpha-3 code, EU, UN) on either side."
)
@click.option(
    "--since", callback=check_date, help="Only events on or after this date (YYYY[-MM[-DD]])."
)
@click.option("--until", callback=check_date, help="Only events on or before this date.")
@click.option("--status", type=click.Choice(STATUSES), help="Only events with this status.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@all_option
@click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True)
@db_option
@click.pass_context
def events(
    ctx: click.Context,
    type_: str | None,
    party: str | None,
    since: str | None,
    until: str | None,
    status: str | None,
    limit: int | None,
    every: bool,
    fmt: str,
) -> None:
    """List event mentions in the ledger, oldest first: the political ones (prisoners,
    journalists, activists, hostages, swaps, talks, sanctions), or with --all every one.

    An event without its own date is placed (and filtered) by its article's publication date,
    shown in brackets.

    \b
    Example:
      releasewatch events --type release --party BLR --since 2025-01-01 --format csv
    """
    with opened_ledger(ctx, read_only=True) as store:
        rows = store.events(
            type=type_,
            party=party.upper() if party else None,
            since=since,
            until=until,
            status=status,
            political=scope(every),
            limit=limit,
        )
    if fmt == "json":
        write_json([ev.to_dict() for ev in rows])
    elif fmt == "csv":
        write_csv([_event_flat(ev) for ev in rows], _EVENT_CSV)
    else:
        terminal().print(_events_table(rows))


@click.command()
@click.argument("event_id")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@db_option
@click.pass_context
def show(ctx: click.Context, event_id: str, fmt: str) -> None:
    """Show one event: every field, its evidence in its paragraph, and its article.

    \b
    Example:
      releasewatch show 3f9c0a1b2c3d4e5f6a7b-0
    """
    with opened_ledger(ctx, read_only=True) as store:
        detail = store.event(event_id)
    if fmt == "json":
        write_json(detail.to_dict())
        return
    ev, art = detail.event, detail.article
    fields = grid(
        ("event", ev.id),
        ("type", ev.type),
        ("status", ev.status),
        ("by", ", ".join(ev.by)),
        ("to", ", ".join(ev.to)),
        ("count", _count_text(ev)),
        ("persons", ", ".join(ev.persons)),
        ("sector", ev.sector or ""),
        ("date", ev.date or ""),
        ("attribution", ev.attribution or ""),
        ("confidence", f"{ev.confidence:.2f}"),
        ("background", "yes" if ev.background else "no"),
        ("political", "yes" if ev.political else "no"),
        ("offsets", f"{ev.start}-{ev.end} in the article's clean text"),
    )
    console = terminal()
    console.print(fields)
    if detail.paragraph is not None and detail.span is not None:
        start, end = detail.span
        para = Text(detail.paragraph)
        para.stylize("bold reverse", start, end)
        console.print(Panel(para, title="evidence in its paragraph", title_align="left"))
    else:
        console.print(Panel(Text(ev.evidence), title="evidence (not found in the stored text)"))
    article = grid(
        ("article", art.id),
        ("title", art.title),
        ("published", art.published),
        ("outlet", art.outlet),
        ("author", art.author),
        ("dateline", art.dateline),
        ("cited", ", ".join(art.cited_sources)),
        ("source", art.source),
        ("url", art.url),
        ("encoding", encoding_text(art.encoding, art.encoding_confidence)),
    )
    console.print(Panel(article, title="from the article", title_align="left"))


_ARTICLE_CSV = (
    "id", "source", "url", "kind", "encoding", "encoding_confidence", "title", "published",
    "outlet", "author", "dateline", "cited_sources", "tags", "events", "problems", "ingested_at",
)  # fmt: skip


def _article_flat(row: ArticleRow) -> dict[str, Any]:
    """An article as one CSV row (lists joined with ';')."""
    data = row.to_dict()
    for key in ("cited_sources", "tags", "problems"):
        data[key] = ";".join(data[key])
    return {key: data[key] for key in _ARTICLE_CSV}


@click.command()
@click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True)
@db_option
@click.pass_context
def articles(ctx: click.Context, fmt: str) -> None:
    """List the ingested articles with their problems, and the inputs that failed.

    \b
    Example:
      releasewatch articles --format json
    """
    with opened_ledger(ctx, read_only=True) as store:
        rows = store.articles()
        failed = store.problems()
    if fmt == "json":
        write_json(
            {
                "articles": [r.to_dict() for r in rows],
                "failed": [{"source": p.source, "reason": p.reason} for p in failed],
            }
        )
        return
    if fmt == "csv":
        write_csv([_article_flat(r) for r in rows], _ARTICLE_CSV)
        return
    table = Table(title=f"{len(rows)} article(s)")
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("outlet", max_width=16)
    table.add_column("title / source", ratio=2, overflow="fold")
    table.add_column("events", no_wrap=True, justify="right")
    table.add_column("problems", ratio=1)
    for r in rows:
        heading = Text(r.title or "(no title)")
        heading.append("\n" + r.source, style="dim")
        table.add_row(
            r.id,
            r.published or "",
            r.outlet or "",
            heading,
            str(r.events),
            Text("; ".join(r.problems)),
        )
    console = terminal()
    console.print(table)
    if failed:
        console.print(f"{len(failed)} input(s) could not be ingested:")
        _print_problems(console, [Problem(p.source, p.reason) for p in failed])


@click.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the <stem>.json records (created if missing).",
)
@click.argument("files", nargs=-1, required=True, type=InputPath())
def extract(out_dir: Path, files: tuple[Path, ...]) -> None:
    """Read articles into SCHEMA.md records, one <stem>.json per input; no database.

    A JSONL file with several records gives <stem>-LINE.json per record. Exits 1 if any
    input failed.

    \b
    Example:
      releasewatch extract --out records/ examples/*.txt page.html.gz
    """
    with _progress_bar("extracting") as on_progress:
        report = extract_to_dir(files, out_dir, on_progress=on_progress)
    _print_problems(terminal(stderr=True), report.problems)
    terminal().print(
        f"{report.files} file(s): {len(report.written)} record(s) written to {out_dir}, "
        f"{report.events} event(s), {len(report.problems)} problem(s)"
    )
    if not report.ok:
        sys.exit(EXIT_PROBLEMS)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def explain(files: tuple[Path, ...]) -> None:
    """Show why each row is there: every candidate sentence of the articles, the trigger and
    the frame read from its parse (agent, patient, destination, place, target, partners), the
    status and its cause, the parties, and whether it was kept, or the rule that dropped it.

    No database is used. Exits 1 if any input failed.

    \b
    Example:
      releasewatch explain examples/2025-03-14-belarus-frees-prisoners.txt
    """
    out = terminal()
    failed = False
    for item in explain_paths(files):
        if isinstance(item, Problem):
            failed = True
            _print_problems(terminal(stderr=True), [item])
            continue
        for line in explain_lines(item):
            out.print(_printable(line), markup=False, highlight=False, soft_wrap=True)
        out.print()
    if failed:
        sys.exit(EXIT_PROBLEMS)


def _printable(text: str) -> str:
    """Article text for the terminal: control characters (escape sequences) dropped."""
    return "".join(c for c in text if c >= " " or c == "\t")


COMMANDS = (ingest, events, show, articles, extract, explain)
