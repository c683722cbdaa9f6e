"""Watching news feeds: fetch what they link to, ingest it one article at a time.

`fetch` is the defensive HTTP client (address guard, size and time limits, manners),
`feeds` reads feeds files and feed documents into fetch jobs, `state` is the storage protocol
the loop runs on, `poll` is the loop, `webhook` delivers alerts, `alerts` matches the
watchlist's rules, `service` runs it all on a ledger store (`LiveWatch`), `overview` says
what a watch has done.
"""

from __future__ import annotations

from .feeds import FeedItem, FeedRead, FeedSource, feed_sources, load_feeds, read_items
from .fetch import USER_AGENT, AddressGuard, Fetched, Fetcher, FetchSettings
from .poll import PollReport, Watcher, stop_on_signals
from .state import FeedState, ItemState, MemoryState, WatchState
from .webhook import Delivery, MemoryOutbox, Outbox, PendingDelivery, WebhookPoster, deliver_due

__all__ = [
    "USER_AGENT",
    "AddressGuard",
    "Delivery",
    "FeedItem",
    "FeedRead",
    "FeedSource",
    "FeedState",
    "FetchSettings",
    "Fetched",
    "Fetcher",
    "ItemState",
    "MemoryOutbox",
    "MemoryState",
    "Outbox",
    "PendingDelivery",
    "PollReport",
    "WatchState",
    "Watcher",
    "WebhookPoster",
    "deliver_due",
    "feed_sources",
    "load_feeds",
    "read_items",
    "stop_on_signals",
]
