"""The poll loop: feeds -> new items -> fetched pages -> articles committed one at a time.

Storage-agnostic: everything remembered goes through a `WatchState`. For each due feed the
loop sends a conditional GET, reads the items, and for every item not seen before fetches the
page, reads it through the HTML path with the item's title, date and outlet as hints, skips it
when the article is already stored (same identity or same body), and otherwise extracts its
events and commits it on its own. A crash loses at most the article in flight; an item whose
fetch failed transiently is tried again next poll (up to `max_attempts`), one that can never be
read is recorded as a problem once. Every failure becomes a `Problem`; nothing stops the loop
but the stop event, which is checked between articles and between feeds.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from types import FrameType
from typing import Any

from ..errors import FetchError, InputError, StoreError
from ..model import ArticleRecord, RawDocument
from ..pipeline import Problem
from .feeds import FeedItem, FeedSource, normalise_url, read_items
from .fetch import FEED_TYPES, PAGE_TYPES, Fetched, Fetcher
from .state import FAILED, FINAL, INGESTED, KNOWN, RETRY, FeedState, ItemState, WatchState

MAX_ATTEMPTS = 3  # transient failures of one item before it is given up (set by hand)
MAX_FEED_BACKOFF = 6 * 3600.0  # a failing feed is polled at least every six hours

Reader = Callable[[RawDocument], Any]
"""parse: RawDocument -> Article (releasewatch.parse.parse)."""


@dataclass(frozen=True)
class ItemReport:
    """What became of one item in this poll."""

    url: str
    outcome: str  # INGESTED, KNOWN, FAILED, RETRY, or "seen" (skipped: seen before)
    article_id: str | None = None
    events: int = 0
    error: str | None = None


@dataclass(frozen=True)
class PollReport:
    """One poll of one feed."""

    feed: str
    status: str  # "ok", "not-modified", "error", "stopped"
    items: tuple[ItemReport, ...] = ()
    problems: tuple[Problem, ...] = ()
    error: str | None = None
    next_poll: float = 0.0
    downloaded: int = 0  # bytes of the feed document received (0 on a 304)

    def count(self, outcome: str) -> int:
        """How many items had this outcome."""
        return sum(1 for i in self.items if i.outcome == outcome)

    @property
    def ok(self) -> bool:
        """True when the feed was read and no item failed for good."""
        return self.status in ("ok", "not-modified") and not self.count(FAILED)

    def line(self) -> str:
        """The one log line of this poll."""
        if self.error:
            return f"{self.feed}: {self.status}: {self.error}"
        parts = [f"{len(self.items)} item(s)"]
        for outcome in (INGESTED, KNOWN, RETRY, FAILED):
            if self.count(outcome):
                parts.append(f"{self.count(outcome)} {outcome}")
        return f"{self.feed}: {self.status}, " + ", ".join(parts)


def default_read(doc: RawDocument) -> Any:
    """The HTML/text path: RawDocument -> Article."""
    from ..parse import parse

    return parse(doc)


def default_extract(article: Any) -> tuple[Any, ...]:
    """The extract stage: Article -> its event mentions."""
    from ..extract import extract

    return tuple(extract(article))


def page_document(fetched: Fetched, item: FeedItem) -> RawDocument:
    """The fetched page as a raw document, with the feed item's hints."""
    from ..ingest import html_document, text_document

    decoded = fetched.decoded()
    hints = {
        "url": fetched.url,
        "title": item.title,
        "published": item.published,
        "outlet": item.outlet,
        "encoding": decoded.encoding,
        "encoding_confidence": decoded.confidence,
        "problems": (decoded.note,) if decoded.note else (),
    }
    if fetched.media_type == "text/plain":
        return text_document(decoded.text, fetched.url, **hints)
    return html_document(decoded.text, fetched.url, **hints)


@dataclass
class Watcher:
    """Polls feeds into a WatchState, one committed article at a time."""

    feeds: Sequence[FeedSource]
    state: WatchState
    fetcher: Fetcher
    read: Reader = default_read
    extract: Callable[[Any], tuple[Any, ...]] = default_extract
    now: Callable[[], float] = time.time
    stop: threading.Event = field(default_factory=threading.Event)
    max_attempts: int = MAX_ATTEMPTS
    on_commit: Callable[[ArticleRecord], None] | None = None  # e.g. the incremental ledger

    # -- one feed ---------------------------------------------------------------------------

    def poll(self, feed: FeedSource) -> PollReport:
        """Poll one feed now and take every new item; never raises but StoreError."""
        state = self.state.feed(feed.url)
        started = self.now()
        try:
            got = self.fetcher.fetch(
                feed.url, etag=state.etag, last_modified=state.last_modified, accept=FEED_TYPES
            )
        except FetchError as exc:
            return self._feed_failed(feed, state, started, exc.reason, exc.status, exc.retry_after)
        if got.not_modified:
            self._feed_ok(feed, state, started, got, 0)
            return PollReport(feed.url, "not-modified", next_poll=started + feed.every)
        try:
            read = read_items(got.content, feed, got.url)
        except InputError as exc:
            # the validators of a broken document are dropped, so it is read again next time
            return self._feed_failed(feed, replace(state, etag=None, last_modified=None),
                                     started, exc.reason, got.status, None)  # fmt: skip
        problems = [Problem(feed.url, p) for p in read.problems]
        for problem in problems:
            self.state.add_problem(problem.source, problem.reason)
        reports: list[ItemReport] = []
        stopped = False
        for item in read.items:
            if self.stop.is_set():
                stopped = True
                break
            report = self._take(item)
            if report.outcome == FAILED:
                problems.append(Problem(item.url, report.error or "failed"))
            reports.append(report)
        new = sum(1 for r in reports if r.outcome in FINAL)
        # Items left for later (a stop, a transient failure) must be read again next poll:
        # the feed's validators are then dropped, so the next GET is unconditional.
        unfinished = stopped or any(r.outcome == RETRY for r in reports)
        self._feed_ok(feed, state, started, got, new, keep_validators=not unfinished)
        return PollReport(
            feed.url, "stopped" if stopped else "ok", tuple(reports), tuple(problems),
            next_poll=started + feed.every, downloaded=len(got.content),
        )  # fmt: skip

    def _feed_ok(
        self,
        feed: FeedSource,
        state: FeedState,
        when: float,
        got: Fetched,
        new: int,
        *,
        keep_validators: bool = True,
    ) -> None:
        """Remember a good poll: validators, schedule, items seen."""
        if got.not_modified:
            etag, modified = got.etag or state.etag, got.last_modified or state.last_modified
        elif keep_validators:
            etag, modified = got.etag, got.last_modified
        else:
            etag = modified = None
        self.state.save_feed(
            replace(
                state,
                etag=etag,
                last_modified=modified,
                last_poll=when,
                last_ok=when,
                last_status=got.status,
                last_error=None,
                failures=0,
                next_poll=when + feed.every,
                items_seen=state.items_seen + new,
            )
        )

    def _feed_failed(
        self,
        feed: FeedSource,
        state: FeedState,
        when: float,
        error: str,
        status: int | None,
        asked: float | None,
    ) -> PollReport:
        """Remember a failed poll and back the feed off: doubling, or as the server asked."""
        failures = state.failures + 1
        delay = min(feed.every * 2 ** (failures - 1), max(MAX_FEED_BACKOFF, feed.every))
        if asked is not None:
            delay = max(delay, asked)
        next_poll = when + delay
        self.state.save_feed(
            replace(
                state, last_poll=when, last_status=status, last_error=error,
                failures=failures, next_poll=next_poll,
            )
        )  # fmt: skip
        self.state.add_problem(feed.url, error)
        return PollReport(
            feed.url, "error", problems=(Problem(feed.url, error),), error=error,
            next_poll=next_poll,
        )  # fmt: skip

    # -- one item ---------------------------------------------------------------------------

    def _take(self, item: FeedItem) -> ItemReport:
        """Fetch, read and commit one item unless it was seen; never raises but StoreError."""
        key = normalise_url(item.url)
        before = self.state.item(key)
        if before is not None and before.outcome in FINAL:
            return ItemReport(item.url, "seen", before.article_id)
        attempts = (before.attempts if before else 0) + 1
        try:
            fetched = self.fetcher.fetch(item.url, accept=PAGE_TYPES)
        except FetchError as exc:
            return self._item_failed(item, key, attempts, exc.reason, exc.transient)
        try:
            doc = page_document(fetched, item)
            article = self.read(doc)
            if self.state.is_known(article.id, article.text):
                self.state.save_item(
                    ItemState(key, item.feed, KNOWN, attempts, article.id, None, self.now())
                )
                return ItemReport(item.url, KNOWN, article.id)
            record = ArticleRecord(article=article, events=tuple(self.extract(article)))
        except StoreError:
            raise
        except Exception as exc:  # one unreadable page must not stop the watch
            reason = exc.reason if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
            return self._item_failed(item, key, attempts, reason, False)
        done = ItemState(key, item.feed, INGESTED, attempts, article.id, None, self.now())
        if not self.state.commit(record, done, encoding=doc.encoding):
            return ItemReport(item.url, KNOWN, article.id)
        if self.on_commit is not None:
            self.on_commit(record)
        return ItemReport(item.url, INGESTED, article.id, len(record.events))

    def _item_failed(
        self, item: FeedItem, key: str, attempts: int, reason: str, transient: bool
    ) -> ItemReport:
        """Remember a failed item: again next poll if transient, else given up and reported."""
        if transient and attempts < self.max_attempts:
            self.state.save_item(
                ItemState(key, item.feed, RETRY, attempts, None, reason, self.now())
            )
            return ItemReport(item.url, RETRY, error=reason)
        if transient:
            reason = f"{reason} (given up after {attempts} attempts)"
        self.state.save_item(ItemState(key, item.feed, FAILED, attempts, None, reason, self.now()))
        self.state.add_problem(item.url, reason)
        return ItemReport(item.url, FAILED, error=reason)

    # -- the loop ---------------------------------------------------------------------------

    def due(self) -> list[FeedSource]:
        """The feeds whose next poll has come, most overdue first."""
        now = self.now()
        due = [(self.state.feed(f.url).next_poll, i, f) for i, f in enumerate(self.feeds)]
        return [f for when, _, f in sorted(due) if when <= now]

    def run(
        self, *, once: bool = False, on_report: Callable[[PollReport], None] | None = None
    ) -> list[PollReport]:
        """Poll until the stop event is set (`once`: every feed once, now); the reports.

        Only the reports of a `once` run are kept and returned; a long run hands each to
        `on_report` and keeps none.
        """
        kept: list[PollReport] = []
        if once:
            for feed in self.feeds:
                if self.stop.is_set():
                    break
                report = self.poll(feed)
                kept.append(report)
                if on_report:
                    on_report(report)
            return kept
        while not self.stop.is_set():
            for feed in self.due():
                if self.stop.is_set():
                    break
                report = self.poll(feed)
                if on_report:
                    on_report(report)
            if self.stop.is_set():
                break
            upcoming = [self.state.feed(f.url).next_poll for f in self.feeds]
            wait = max(0.0, min(upcoming, default=self.now() + 60) - self.now())
            self.stop.wait(min(wait, 60.0))
        return kept


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[threading.Event]:
    """Set `stop` on SIGINT or SIGTERM (a second SIGINT interrupts at once); main thread only."""
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGINT and stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, handler)
    try:
        yield stop
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
