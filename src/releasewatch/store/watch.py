"""The watch's memory and its alerts (migration 0008): the shared SQL of every backend.

`WatchOps` (part of every `Store`) keeps feeds, feed items, alert rules and the alert outbox.
`LedgerWatchState` and `LedgerOutbox` put the watch's two protocols (`watch.WatchState`,
`watch.Outbox`) on a store: the poll loop and the webhook delivery then remember everything in
the ledger itself, and `commit` stores an article and marks its item in one transaction, so a
crash never leaves an article stored with its item unseen (or an item marked with no article).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import astuple, replace
from typing import Any

from ..errors import NotFoundError, StoreError
from ..model import ArticleRecord
from .articles import ArticleOps
from .core import now, upsert_sql
from .rows import AlertRow, AlertRuleRow, FeedState, ItemState, PendingDelivery, columns

_FEED_COLUMNS = columns(FeedState)
_ITEM_COLUMNS = columns(ItemState)
_RULE_COLUMNS = columns(AlertRuleRow)
_ALERT_COLUMNS = columns(AlertRow)
_KNOWN = "known"  # the outcome of an item whose article was already stored (watch.state.KNOWN)


_FEED_UPSERT = upsert_sql("watch_feeds", _FEED_COLUMNS, "url")
_ITEM_UPSERT = upsert_sql("watch_items", _ITEM_COLUMNS, "url")
_ALERT_INSERT = (
    f"INSERT INTO alerts ({', '.join(_ALERT_COLUMNS)})"
    f" VALUES ({', '.join('?' for _ in _ALERT_COLUMNS)}) ON CONFLICT (id) DO NOTHING"
)


def _feed(r: Sequence[Any]) -> FeedState:
    """A FeedState from the columns of watch_feeds."""
    return FeedState(
        str(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], int(r[7]), float(r[8]), int(r[9])
    )


def _alert(r: Sequence[Any]) -> AlertRow:
    """An AlertRow from the columns of alerts."""
    return AlertRow(
        str(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), float(r[5]), str(r[6]),
        str(r[7]), r[8], int(r[9]), float(r[10]), r[11], r[12],
    )  # fmt: skip


class WatchOps(ArticleOps):
    """Feeds, items, alert rules and alerts."""

    # ------------------------------------------------------------ feeds and items

    def watch_feed(self, url: str) -> FeedState | None:
        """A feed's memory (None for a feed never polled)."""
        rows = self._rows(f"SELECT {', '.join(_FEED_COLUMNS)} FROM watch_feeds WHERE url = ?",
                          (url,))  # fmt: skip
        return _feed(rows[0]) if rows else None

    def watch_feeds(self) -> list[FeedState]:
        """Every feed ever polled, by URL."""
        rows = self._rows(f"SELECT {', '.join(_FEED_COLUMNS)} FROM watch_feeds ORDER BY url")
        return [_feed(r) for r in rows]

    def save_watch_feed(self, state: FeedState) -> None:
        """Remember a feed after a poll."""
        with self._transaction(write=True):
            self._write(_FEED_UPSERT, astuple(state))

    def watch_item(self, url: str) -> ItemState | None:
        """What became of an item, by its normalised URL (None if never seen)."""
        rows = self._rows(f"SELECT {', '.join(_ITEM_COLUMNS)} FROM watch_items WHERE url = ?",
                          (url,))  # fmt: skip
        if not rows:
            return None
        r = rows[0]
        return ItemState(str(r[0]), str(r[1]), str(r[2]), int(r[3]), r[4], r[5], r[6])

    def save_watch_item(self, item: ItemState) -> None:
        """Remember an item."""
        with self._transaction(write=True):
            self._write(_ITEM_UPSERT, astuple(item))

    def watch_item_counts(self) -> dict[tuple[str, str], int]:
        """How many items of each feed had each outcome: {(feed, outcome): n}."""
        rows = self._rows("SELECT feed, outcome, COUNT(*) FROM watch_items GROUP BY feed, outcome")
        return {(str(f), str(o)): int(n) for f, o, n in rows}

    def commit_watched(self, record: ArticleRecord, item: ItemState, *, encoding: str) -> bool:
        """Store an article and mark its item, in one transaction; False (item marked known)
        when the article was already stored."""
        try:
            with self._transaction(write=True):
                added = self.add(record, encoding=encoding)
                if not added:
                    item = replace(item, outcome=_KNOWN, article_id=record.article.id, error=None)
                self._write(_ITEM_UPSERT, astuple(item))
        except self._db_errors as exc:
            raise StoreError(f"{self.label}: cannot store {record.article.source}: {exc}") from exc
        return added

    # ------------------------------------------------------------ alert rules

    def add_alert_rule(
        self,
        *,
        person: str | None = None,
        party: str | None = None,
        event_type: str | None = None,
        status: str | None = None,
        words: str | None = None,
        webhook: str | None = None,
    ) -> AlertRuleRow:
        """Add a rule (values as given: the caller checks them); the stored rule."""
        created = now()
        with self._transaction(write=True):
            rows = self._rows(
                "INSERT INTO alert_rules (person, party, event_type, status, words, webhook,"
                f" created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {', '.join(_RULE_COLUMNS)}",
                (person, party, event_type, status, words, webhook, created),
            )
        return AlertRuleRow(int(rows[0][0]), *rows[0][1:])

    def alert_rules(self) -> list[AlertRuleRow]:
        """Every rule, by id."""
        rows = self._rows(f"SELECT {', '.join(_RULE_COLUMNS)} FROM alert_rules ORDER BY id")
        return [AlertRuleRow(int(r[0]), *r[1:]) for r in rows]

    def remove_alert_rule(self, rule_id: int) -> None:
        """Remove a rule (its alerts stay, and undelivered ones are still delivered)."""
        with self._transaction(write=True):
            if not self._write("DELETE FROM alert_rules WHERE id = ?", (rule_id,)):
                raise NotFoundError(f"alert rule {rule_id}: no such rule in {self.label}")

    # ------------------------------------------------------------ alerts and their outbox

    def queue_alerts(self, alerts: Sequence[AlertRow]) -> list[AlertRow]:
        """Record alerts (each id once); the ones that were new."""
        added = []
        with self._transaction(write=True):
            for alert in alerts:
                if self._write(_ALERT_INSERT, astuple(alert)):
                    added.append(alert)
        return added

    def alerts(self, *, limit: int = 50) -> list[AlertRow]:
        """The most recent alerts, newest first."""
        rows = self._rows(
            f"SELECT {', '.join(_ALERT_COLUMNS)} FROM alerts ORDER BY created_at DESC, id DESC"
            " LIMIT ?",
            (limit,),
        )
        return [_alert(r) for r in rows]

    def undelivered_alerts(self) -> int:
        """How many alerts wait for their webhook."""
        return int(self._rows("SELECT COUNT(*) FROM alerts WHERE delivered_at IS NULL")[0][0])

    def due_alerts(self, at: float) -> list[AlertRow]:
        """Undelivered alerts whose next try has come, oldest first."""
        rows = self._rows(
            f"SELECT {', '.join(_ALERT_COLUMNS)} FROM alerts"
            " WHERE delivered_at IS NULL AND next_try <= ? ORDER BY created_at, id",
            (at,),
        )
        return [_alert(r) for r in rows]

    def alert_delivered(self, alert_id: str, at: float, attempts: int) -> None:
        """Mark an alert delivered: it is never sent again."""
        with self._transaction(write=True):
            self._write(
                "UPDATE alerts SET delivered_at = ?, attempts = ?, last_error = NULL"
                " WHERE id = ? AND delivered_at IS NULL",
                (at, attempts, alert_id),
            )

    def alert_failed(self, alert_id: str, error: str, attempts: int, next_try: float) -> None:
        """Record a failed delivery run; the alert waits until `next_try`."""
        with self._transaction(write=True):
            self._write(
                "UPDATE alerts SET last_error = ?, attempts = ?, next_try = ?"
                " WHERE id = ? AND delivered_at IS NULL",
                (error, attempts, next_try, alert_id),
            )


class LedgerWatchState:
    """The poll loop's memory (`watch.WatchState`) in the ledger's tables."""

    def __init__(self, store: WatchOps) -> None:
        self.store = store

    def feed(self, url: str) -> FeedState:
        """The feed's memory (fresh for a feed never polled)."""
        return self.store.watch_feed(url) or FeedState(url)

    def save_feed(self, state: FeedState) -> None:
        """Remember a feed."""
        self.store.save_watch_feed(state)

    def item(self, url: str) -> ItemState | None:
        """An item's memory."""
        return self.store.watch_item(url)

    def save_item(self, item: ItemState) -> None:
        """Remember an item that gave no new article."""
        self.store.save_watch_item(item)

    def is_known(self, article_id: str, clean_text: str) -> bool:
        """Whether the article is stored (same identity or clean body)."""
        return self.store.is_known(article_id, clean_text)

    def commit(self, record: ArticleRecord, item: ItemState, *, encoding: str) -> bool:
        """Store the article and its item in one transaction."""
        return self.store.commit_watched(record, item, encoding=encoding)

    def add_problem(self, source: str, reason: str) -> None:
        """Record a problem."""
        self.store.add_problem(source, reason)


class LedgerOutbox:
    """Alerts waiting for their webhooks (`watch.Outbox`) in the ledger's alerts table.

    `scrub` is applied to every body as it leaves (protected persons withheld as of now, even
    for an alert written before the person was protected).
    """

    def __init__(
        self, store: WatchOps, scrub: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    ) -> None:
        self.store = store
        self.scrub = scrub

    def due(self, now: float) -> list[PendingDelivery]:
        """Undelivered alerts with a webhook whose next try has come."""
        due = []
        for alert in self.store.due_alerts(now):
            if alert.webhook is None:
                continue
            payload = json.loads(alert.payload)
            if self.scrub is not None:
                payload = self.scrub(payload)
            due.append(
                PendingDelivery(alert.id, alert.webhook, payload, alert.attempts, alert.next_try)
            )
        return due

    def delivered(self, alert_id: str, at: float, attempts: int) -> None:
        """Mark delivered."""
        self.store.alert_delivered(alert_id, at, attempts)

    def failed(self, alert_id: str, error: str, attempts: int, next_try: float) -> None:
        """Keep pending until `next_try`."""
        self.store.alert_failed(alert_id, error, attempts, next_try)
