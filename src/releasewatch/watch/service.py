"""A live watch over a ledger: poll feeds, commit articles, update the ledger, alert, deliver.

`LiveWatch` wires the parts together on one store: the poll loop (`Watcher`) remembers feeds
and items in the ledger (`LedgerWatchState`); after each committed article the one
`LiveLedger` of the process takes it (only the changed rows are written) and the alert rules
are matched against the happenings it created or changed, in the same transaction; a
delivery thread POSTs the waiting alerts to their webhooks (`LedgerOutbox`), retried with
backoff until a 2xx. Nothing here prints: what happens is handed to the callbacks.

Started again after a crash, the watch first takes the articles stored but not yet in the
ledger (the one in flight), raising their alerts, then delivers what is still waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import StoreError
from ..ledger.live import LedgerUpdate, LiveLedger
from ..model import ArticleRecord
from ..store import AlertRow, LedgerOutbox, LedgerWatchState, PendingDelivery, Store
from .alerts import AlertMaker, scrubber
from .feeds import FeedSource
from .fetch import Fetcher, FetchSettings
from .poll import PollReport, Watcher, default_extract, default_read
from .webhook import BACKOFF, Delivery, WebhookPoster, deliver_due

DELIVER_EVERY = 5.0  # seconds between two looks at the outbox when no alert wakes it (by hand)


@dataclass
class Callbacks:
    """What a watch tells its caller (each optional)."""

    report: Callable[[PollReport], None] | None = None  # one per poll of one feed
    ledger: Callable[[LedgerUpdate], None] | None = None  # one per ledger update
    alert: Callable[[AlertRow], None] | None = None  # one per alert written
    delivery: Callable[[PendingDelivery, Delivery], None] | None = None  # one per delivery run
    error: Callable[[str], None] | None = None  # a delivery run that could not reach the store


@dataclass
class LiveWatch:
    """Feeds watched into a ledger store, with alerts delivered to their webhooks."""

    store: Store
    feeds: Sequence[FeedSource]
    settings: FetchSettings = field(default_factory=FetchSettings)
    stop: threading.Event = field(default_factory=threading.Event)
    callbacks: Callbacks = field(default_factory=Callbacks)
    read: Callable[[Any], Any] = default_read
    extract: Callable[[Any], tuple[Any, ...]] = default_extract
    now: Callable[[], float] = time.time
    deliver_every: float = DELIVER_EVERY
    backoff: float = BACKOFF

    def __post_init__(self) -> None:
        self.live = LiveLedger()
        self.alerts = AlertMaker(self.live, self.now)
        self._wake = threading.Event()
        self._done = threading.Event()

    # -- the ledger --------------------------------------------------------------------------

    def update(self, hint: Sequence[str] = ()) -> LedgerUpdate:
        """Take the stored articles the ledger lacks; raise their alerts."""
        update = self.live.update(self.store, self.alerts, hint=hint)
        if self.callbacks.ledger is not None:
            self.callbacks.ledger(update)
        for alert in self.alerts.raised:
            if self.callbacks.alert is not None:
                self.callbacks.alert(alert)
        if any(a.webhook for a in self.alerts.raised):
            self._wake.set()
        return update

    def _committed(self, record: ArticleRecord) -> None:
        """After each committed article (the poll loop's on_commit)."""
        self.update([record.article.id])

    # -- delivery ----------------------------------------------------------------------------

    def deliver(self, poster: WebhookPoster) -> list[tuple[PendingDelivery, Delivery]]:
        """Deliver every alert whose next try has come."""
        outbox = LedgerOutbox(self.store, scrubber(self.store))
        results = deliver_due(outbox, poster, now=self.now, backoff=self.backoff)
        for pending, delivery in results:
            if self.callbacks.delivery is not None:
                self.callbacks.delivery(pending, delivery)
        return results

    def _deliver_loop(self, poster: WebhookPoster) -> None:
        """The delivery thread: the outbox, whenever woken and every `deliver_every` s."""
        while not self._done.is_set():
            self._wake.clear()
            try:
                self.deliver(poster)
            except StoreError as exc:  # the ledger is busy or gone: try again later
                if self.callbacks.error is not None:
                    self.callbacks.error(str(exc))
            self._wake.wait(self.deliver_every)

    def _poster(self) -> WebhookPoster:
        """A webhook client whose waits between retries end when the watch stops."""

        def pause(seconds: float) -> None:
            self._done.wait(seconds)

        return WebhookPoster(self.settings, sleep=pause)

    # -- running -----------------------------------------------------------------------------

    def run(self, *, once: bool = False) -> list[PollReport]:
        """Watch until `stop` is set (`once`: poll every feed once, deliver, return).

        The reports of a `once` run are returned; a long run hands each to the callback.
        """
        self._done.clear()
        self.update()
        with Fetcher(self.settings) as fetcher, self._poster() as poster:
            watcher = Watcher(
                self.feeds, LedgerWatchState(self.store), fetcher, read=self.read,
                extract=self.extract, now=self.now, stop=self.stop, on_commit=self._committed,
            )  # fmt: skip
            if once:
                reports = watcher.run(once=True, on_report=self.callbacks.report)
                self.deliver(poster)
                return reports
            thread = threading.Thread(
                target=self._deliver_loop, args=(poster,), name="releasewatch-webhooks",
                daemon=True,
            )  # fmt: skip
            thread.start()
            try:
                watcher.run(on_report=self.callbacks.report)
            finally:
                self._done.set()
                self._wake.set()
                thread.join()
        return []
