"""A watch run in its own process, for the SIGKILL test: articles in the ledger, watch state in a
SQLite file of the test's own (until the store holds the watch tables).

Run: PYTHONPATH=tests python tests/watch_child.py LEDGER STATE FEED_URL
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from conftest import stub_extract

from releasewatch.model import ArticleRecord
from releasewatch.store import SQLiteStore
from releasewatch.watch import FeedSource, Fetcher, FetchSettings, Watcher
from releasewatch.watch.state import FeedState, ItemState

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
    " last_poll REAL, last_ok REAL, last_status INTEGER, last_error TEXT, failures INTEGER,"
    " next_poll REAL, items_seen INTEGER)",
    "CREATE TABLE IF NOT EXISTS items (url TEXT PRIMARY KEY, feed TEXT, outcome TEXT,"
    " attempts INTEGER, article_id TEXT, error TEXT, seen_at REAL)",
)


class SQLiteWatchState:
    """A WatchState on a SQLite file (test only), committing articles into the ledger store."""

    def __init__(self, store: SQLiteStore, path: str) -> None:
        self.store = store
        self.db = sqlite3.connect(path, isolation_level=None)
        for statement in _SCHEMA:
            self.db.execute(statement)

    def feed(self, url: str) -> FeedState:
        row = self.db.execute(
            "SELECT url, etag, last_modified, last_poll, last_ok, last_status, last_error,"
            " failures, next_poll, items_seen FROM feeds WHERE url = ?",
            (url,),
        ).fetchone()
        return FeedState(*row) if row else FeedState(url)

    def save_feed(self, s: FeedState) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO feeds (url, etag, last_modified, last_poll, last_ok,"
            " last_status, last_error, failures, next_poll, items_seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (s.url, s.etag, s.last_modified, s.last_poll, s.last_ok, s.last_status,
             s.last_error, s.failures, s.next_poll, s.items_seen),
        )  # fmt: skip

    def item(self, url: str) -> ItemState | None:
        row = self.db.execute(
            "SELECT url, feed, outcome, attempts, article_id, error, seen_at FROM items"
            " WHERE url = ?",
            (url,),
        ).fetchone()
        return ItemState(*row) if row else None

    def save_item(self, i: ItemState) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO items (url, feed, outcome, attempts, article_id, error,"
            " seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (i.url, i.feed, i.outcome, i.attempts, i.article_id, i.error, i.seen_at),
        )

    def is_known(self, article_id: str, clean_text: str) -> bool:
        return self.store.is_known(article_id, clean_text)

    def commit(self, record: ArticleRecord, item: ItemState, *, encoding: str) -> bool:
        # Two files, so not one transaction: a kill between the two leaves the item unseen,
        # and the next run finds its article known by content (the store makes it atomic).
        added = self.store.add(record, encoding=encoding)
        if not added:
            item = ItemState(item.url, item.feed, "known", item.attempts, record.article.id)
        self.save_item(item)
        return added

    def add_problem(self, source: str, reason: str) -> None:
        self.store.add_problem(source, reason)


def main(ledger: str, state_path: str, feed_url: str) -> int:
    store = SQLiteStore(Path(ledger))
    state = SQLiteWatchState(store, state_path)
    settings = FetchSettings(allow_private=True, host_interval=0.0)
    with Fetcher(settings) as fetcher:
        watcher = Watcher([FeedSource(feed_url)], state, fetcher, extract=stub_extract)
        reports = watcher.run(once=True)
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
