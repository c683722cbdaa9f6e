"""The commands of the live ledger: `watch` (feeds polled into the ledger, alerts delivered) and
`alerts` (the watchlist). Thin wrappers over `releasewatch.watch`."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from ..model import EVENT_TYPES, STATUSES
from ..store import AlertRow, PendingDelivery, Store
from ..watch import FetchSettings, PollReport, feed_sources, stop_on_signals
from ..watch.alerts import add_rule, describe_rule
from ..watch.feeds import DEFAULT_EVERY, parse_every
from ..watch.overview import watch_overview
from ..watch.service import Callbacks, LiveWatch
from ..watch.webhook import Delivery
from .output import EXIT_PROBLEMS, opened_ledger, terminal, write_json

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what a feed must not put on a terminal
_FORMATS = click.Choice(["table", "json"])


def _clean(text: str) -> str:
    """A line from untrusted text, without control characters."""
    return _CONTROL.sub("", text)


def _stamp(at: float | None = None) -> str:
    """A log line's time: ISO 8601 UTC, to the second."""
    moment = datetime.fromtimestamp(at if at is not None else time.time(), UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _clock(iso: str | None) -> str:
    """An ISO time as the status tables show it."""
    return iso.replace("T", " ").replace("+00:00", "") if iso else "—"


@dataclass
class _Status:
    """What the live status on a terminal shows, updated by the watch's callbacks."""

    started: float = field(default_factory=time.time)
    feeds: dict[str, PollReport] = field(default_factory=dict)
    polled: dict[str, float] = field(default_factory=dict)
    ingested: int = 0
    alerts: int = 0
    delivered: int = 0
    failed_deliveries: int = 0

    def render(self, urls: list[str]) -> Group:
        """The status: one row per feed, then the totals."""
        table = Table(title="releasewatch watch", expand=True)
        for name in ("feed", "last poll", "result", "next poll"):
            table.add_column(name, no_wrap=name != "feed", ratio=3 if name == "feed" else None)
        for url in urls:
            report = self.feeds.get(url)
            result = Text(_clean(report.line().split(": ", 1)[-1]) if report else "waiting")
            if report is not None and not report.ok:
                result.stylize("red")
            table.add_row(
                Text(_clean(url)),
                _stamp(self.polled[url])[11:] if url in self.polled else "—",
                result,
                _stamp(report.next_poll)[11:] if report and report.next_poll else "—",
            )
        totals = Text(
            f"since {_stamp(self.started)}: {self.ingested} article(s) ingested, "
            f"{self.alerts} alert(s), {self.delivered} delivered, "
            f"{self.failed_deliveries} failed delivery run(s) — Ctrl-C stops"
        )
        return Group(table, totals)


@contextmanager
def _display(console: Console, urls: list[str]) -> Iterator[tuple[Any, _Status]]:
    """A printer of log lines and the live status (on a terminal only)."""
    status = _Status()
    if not console.is_terminal:

        def plain(line: str) -> None:
            console.print(Text(_clean(line)), soft_wrap=True)

        yield plain, status
        return
    with Live(status.render(urls), console=console, refresh_per_second=2) as live:

        def show(line: str) -> None:
            live.console.print(Text(_clean(line)), soft_wrap=True)
            live.update(status.render(urls))

        yield show, status


def _callbacks(say: Any, status: _Status) -> Callbacks:
    """The watch's callbacks: a log line each, and the status kept."""

    def report(r: PollReport) -> None:
        status.feeds[r.feed] = r
        status.polled[r.feed] = time.time()
        status.ingested += r.count("ingested")
        say(f"{_stamp()} poll {r.line()}")
        for problem in r.problems:
            say(f"{_stamp()}   problem {problem}")

    def alert(a: AlertRow) -> None:
        status.alerts += 1
        say(f"{_stamp(a.created_at)} {a.line}")

    def delivery(p: PendingDelivery, d: Delivery) -> None:
        if d.ok:
            status.delivered += 1
            say(f"{_stamp()} webhook {p.id}: delivered (HTTP {d.status}) after "
                f"{p.attempts + d.attempts} attempt(s)")  # fmt: skip
        else:
            status.failed_deliveries += 1
            say(f"{_stamp()} webhook {p.id}: not delivered ({d.error}); kept, tried again later")

    def error(message: str) -> None:
        say(f"{_stamp()} error: {message}")

    return Callbacks(report=report, alert=alert, delivery=delivery, error=error)


def _print_status(store: Store, fmt: str, show_protected: bool) -> None:
    """The feeds, rules and recent alerts."""
    data = watch_overview(store, include_protected=show_protected, show_webhooks=True)
    if fmt == "json":
        write_json(data)
        return
    console = terminal()
    feeds = Table(title="Feeds", show_lines=True)
    for name in ("feed", "last poll", "status", "items seen", "next poll", "last error"):
        feeds.add_column(name, no_wrap=name in ("last poll", "next poll"), overflow="fold")
    for f in data["feeds"]:
        feeds.add_row(
            Text(_clean(f["url"])), _clock(f["last_poll"]), str(f["last_status"] or "—"),
            str(f["items_seen"]), _clock(f["next_poll"]), Text(_clean(f["last_error"] or "")),
        )  # fmt: skip
    console.print(feeds if data["feeds"] else "No feed polled yet.")
    _print_alerts(console, data)


def _print_alerts(console: Console, data: dict[str, Any]) -> None:
    """The recent alerts and how many wait for their webhook."""
    table = Table(title="Recent alerts", show_lines=True)
    for name in ("created", "rule", "delivered", "alert"):
        table.add_column(name, no_wrap=name != "alert", ratio=1 if name == "alert" else None)
    for a in data["alerts"]:
        if a["delivered_at"]:
            delivered = _clock(a["delivered_at"]) if a["webhook"] else "log only"
        else:
            delivered = f"waiting ({a['attempts']} attempt(s): {a['last_error'] or 'not yet'})"
        table.add_row(_clock(a["created_at"]), str(a["rule_id"]), Text(_clean(delivered)),
                      Text(_clean(a["line"])))  # fmt: skip
    console.print(table if data["alerts"] else "No alert yet.")
    console.print(f"{data['undelivered']} alert(s) waiting for their webhook.")


@click.command()
@click.argument("feed_urls", nargs=-1, metavar="[FEED_URL]...")
@click.option("--feeds", "feeds_file", type=click.Path(path_type=Path),
              help="A TOML feeds file: [[feed]] tables with url, every and outlet.")  # fmt: skip
@click.option(
    "--every", default="15m", show_default=True,
    help="How often to poll the feeds named on the command line (30s, 5m, 1h; 30 s at least).",
)  # fmt: skip
@click.option(
    "--once",
    is_flag=True,
    help="Poll every feed once, deliver the alerts due, exit (1 if any item failed).",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Let feeds, pages and webhooks on loopback or private addresses through.",
)
@click.option("--status", is_flag=True, help="Show the feeds, rules and recent alerts; exit.")
@click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True,
              help="Format of --status.")  # fmt: skip
@click.option("--show-protected", is_flag=True, help="--status: show protected names.")
@click.pass_context
def watch(
    ctx: click.Context,
    feed_urls: tuple[str, ...],
    feeds_file: Path | None,
    every: str,
    once: bool,
    allow_private: bool,
    status: bool,
    fmt: str,
    show_protected: bool,
) -> None:
    """Watch news feeds: fetch every new item, ingest it, keep the ledger and alerts current.

    RSS, Atom and news sitemaps; one log line per poll (and a live status on a terminal).
    Runs until Ctrl-C or SIGTERM, which stop it cleanly between articles.

    \b
    Example:
      releasewatch alerts add --party BLR --type release --webhook https://hooks.example/rw
      releasewatch watch https://news.example/world/rss.xml --every 5m
      releasewatch watch --feeds feeds.toml
      releasewatch watch --status
    """
    with opened_ledger(ctx) as store:
        if status:
            _print_status(store, fmt, show_protected)
            return
        interval = parse_every(every, "--every") if every else DEFAULT_EVERY
        feeds = list(feed_sources(feed_urls, interval, feeds_file))
        if not feeds:
            raise click.UsageError("give a FEED_URL or --feeds FILE (or --status)")
        settings = FetchSettings(allow_private=allow_private)
        console = terminal()
        with _display(console, [f.url for f in feeds]) as (say, shown):
            live = LiveWatch(store, feeds, settings, callbacks=_callbacks(say, shown))
            with stop_on_signals(live.stop):
                reports = live.run(once=once)
            if live.stop.is_set():
                say(f"{_stamp()} stopped")
    if once and not all(r.ok for r in reports):
        sys.exit(EXIT_PROBLEMS)


@click.group()
def alerts() -> None:
    """The watchlist: rules matched against every happening a watched article creates or
    changes; each match is a line in the watch log and, with a webhook, a JSON POST.

    \b
    Example:
      releasewatch alerts add --person "Maria Kalesnikava"
      releasewatch alerts add --party BLR --type release --webhook https://hooks.example/rw
      releasewatch alerts add --text potash
      releasewatch alerts list
      releasewatch alerts remove 2
    """


@alerts.command("add")
@click.option("--person", help="A person, under any spelling of the person's record.")
@click.option("--party", help="A party on either side (ISO alpha-3, EU, UN).")
@click.option("--type", "event_type", type=click.Choice(EVENT_TYPES), help="An event type.")
@click.option("--status", type=click.Choice(STATUSES), help="The happening's status.")
@click.option("--text", help="Words the happening's reports or titles must all hold.")
@click.option("--webhook", metavar="URL", help="Where to POST each alert as JSON.")
@click.pass_context
def alerts_add(
    ctx: click.Context,
    person: str | None,
    party: str | None,
    event_type: str | None,
    status: str | None,
    text: str | None,
    webhook: str | None,
) -> None:
    """Add a rule: every filter given must hold.

    \b
    Example:
      releasewatch alerts add --party BLR --type release --status occurred
    """
    with opened_ledger(ctx) as store:
        rule = add_rule(store, person=person, party=party, type=event_type, status=status,
                        text=text, webhook=webhook)  # fmt: skip
    where = f", POSTed to {rule.webhook}" if rule.webhook else " (log only)"
    click.echo(_clean(f"rule {rule.id}: {describe_rule(rule)}{where}"))


@alerts.command("list")
@click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True)
@click.option("--show-protected", is_flag=True, help="Show protected names.")
@click.pass_context
def alerts_list(ctx: click.Context, fmt: str, show_protected: bool) -> None:
    """List the rules and the recent alerts.

    \b
    Example:
      releasewatch alerts list --format json
    """
    with opened_ledger(ctx) as store:
        data = watch_overview(store, include_protected=show_protected, show_webhooks=True)
    if fmt == "json":
        write_json({"rules": data["rules"], "alerts": data["alerts"]})
        return
    console = terminal()
    table = Table(title="Alert rules", show_lines=True)
    for name in ("id", "person", "party", "type", "status", "text", "webhook"):
        table.add_column(name)
    for r in data["rules"]:
        table.add_row(*(Text(_clean(str(r[k] or "—"))) for k in ("id", "person", "party", "type",
                        "status", "text", "webhook")))  # fmt: skip
    console.print(table if data["rules"] else "No alert rule: add one with `alerts add`.")
    _print_alerts(console, data)


@alerts.command("remove")
@click.argument("rule_id", type=int, metavar="ID")
@click.pass_context
def alerts_remove(ctx: click.Context, rule_id: int) -> None:
    """Remove a rule (alerts it raised stay, and waiting ones are still delivered).

    \b
    Example:
      releasewatch alerts remove 2
    """
    with opened_ledger(ctx) as store:
        store.remove_alert_rule(rule_id)
    click.echo(f"rule {rule_id} removed")


COMMANDS = (watch, alerts)
