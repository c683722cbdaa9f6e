"""What a watch remembers between polls, as a protocol any storage can implement.

The poll loop needs: each feed's validators (ETag, Last-Modified), when it was last polled,
its last error and its schedule; each item seen (by URL) with its outcome; whether an article
is already stored (by identity or content); and a way to commit one article together with its
item. `MemoryState` keeps all of it in memory (tests, one-off runs); `store.LedgerWatchState`
implements the same protocol on the ledger's tables (migration 0008), committing the article
and the item in one transaction, so a crash never leaves an article stored with its item unseen.
`FeedState` and `ItemState` are the store's rows of those tables.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Protocol

from ..model import ArticleRecord
from ..parse import normalise_content
from ..store.rows import FeedState, ItemState  # the rows the ledger store keeps them in

# Outcomes of an item. An item whose outcome is in FINAL is never fetched again.
INGESTED = "ingested"  # its article was stored
KNOWN = "known"  # its article was already stored (same identity or body)
FAILED = "failed"  # it can never be read (404, too large, refused, unparseable)
RETRY = "retry"  # a transient failure: fetched again on the next poll
FINAL = (INGESTED, KNOWN, FAILED)
__all__ = ["FAILED", "FINAL", "INGESTED", "KNOWN", "RETRY", "FeedState", "ItemState",
           "MemoryState", "WatchState"]  # fmt: skip


class WatchState(Protocol):
    """The storage a watch runs on (the ledger store implements it)."""

    def feed(self, url: str) -> FeedState:
        """The feed's memory (a fresh FeedState(url) for a feed never polled)."""
        ...

    def save_feed(self, state: FeedState) -> None:
        """Remember a feed's state after a poll."""
        ...

    def item(self, url: str) -> ItemState | None:
        """What became of an item, by its normalised URL; None if never seen."""
        ...

    def save_item(self, item: ItemState) -> None:
        """Remember an item that did not give a new article (known, failed, retry)."""
        ...

    def is_known(self, article_id: str, clean_text: str) -> bool:
        """Whether an article with this identity or this clean body is stored."""
        ...

    def commit(self, record: ArticleRecord, item: ItemState, *, encoding: str) -> bool:
        """Store the article and its item, atomically; False (item saved as KNOWN) if known."""
        ...

    def add_problem(self, source: str, reason: str) -> None:
        """Record an input that could not be ingested."""
        ...


@dataclass
class MemoryState:
    """A WatchState in memory: articles kept as records, keyed by id and body."""

    feeds: dict[str, FeedState] = field(default_factory=dict)
    items: dict[str, ItemState] = field(default_factory=dict)
    articles: dict[str, ArticleRecord] = field(default_factory=dict)
    bodies: set[str] = field(default_factory=set)
    problems: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def feed(self, url: str) -> FeedState:
        """The feed's memory."""
        return self.feeds.get(url) or FeedState(url)

    def save_feed(self, state: FeedState) -> None:
        """Remember a feed."""
        self.feeds[state.url] = state

    def item(self, url: str) -> ItemState | None:
        """An item's memory."""
        return self.items.get(url)

    def save_item(self, item: ItemState) -> None:
        """Remember an item."""
        self.items[item.url] = item

    def is_known(self, article_id: str, clean_text: str) -> bool:
        """Whether the article is held."""
        return article_id in self.articles or normalise_content(clean_text) in self.bodies

    def commit(self, record: ArticleRecord, item: ItemState, *, encoding: str) -> bool:
        """Hold the article and its item together."""
        art = record.article
        with self.lock:
            if self.is_known(art.id, art.text):
                self.items[item.url] = ItemState(
                    item.url, item.feed, KNOWN, item.attempts, art.id, None, item.seen_at
                )
                return False
            self.articles[art.id] = record
            self.bodies.add(normalise_content(art.text))
            self.items[item.url] = item
            return True

    def add_problem(self, source: str, reason: str) -> None:
        """Record a problem."""
        self.problems.append((source, reason))
