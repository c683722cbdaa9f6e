"""Ledger access for the web server: one store (one SQLite connection) per worker thread.

FastAPI runs plain `def` endpoints in a pool of worker threads; each thread keeps its own
`SQLiteStore`, so no connection is shared between threads and none is opened per request.
WAL mode lets these readers run while an ingest writes; the store's busy timeout makes a second
writer wait for the lock instead of failing with "database is locked".
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..store import SQLiteStore

# What a response of the resolved ledger depends on: the last rebuild (its fingerprint and
# summary, which carries built_at) and the user's decisions (merges, splits, protection flags),
# read in one statement. Articles ingested since the last rebuild are not in the ledger yet.
_VERSION = (
    "SELECT (SELECT group_concat(name || '=' || value, '|') FROM ledger_meta),"
    " (SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM person_overrides),"
    " (SELECT COALESCE(group_concat(spelling_key || '=' || protected, '|'), '')"
    " FROM person_flags)"
)
CACHE_SIZE = 2048  # results kept; one is a page of events or one event, a few tens of kB


class ResponseCache:
    """Ledger query results by (ledger version, caller, query): an LRU shared by threads."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """The cached value for `key`, made (outside the lock) when missing."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


class Ledger:
    """The ledger file and the per-thread stores opened on it."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self._local = threading.local()
        self.write_lock = threading.Lock()  # one in-process writer at a time (ingest, merge...)
        SQLiteStore(self.db_path).close()  # create and migrate once, up front
        self.cache = ResponseCache()

    def store(self) -> SQLiteStore:
        """This thread's store, opened on first use."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = SQLiteStore(self.db_path)
            self._local.store = store
        return store

    @contextmanager
    def reading(self) -> Iterator[SQLiteStore]:
        """This thread's store inside one read transaction (a consistent snapshot)."""
        store = self.store()
        with store.snapshot():
            yield store

    def version(self, store: SQLiteStore) -> tuple[Any, ...]:
        """What the resolved ledger's responses depend on, as one comparable value."""
        return tuple(store.query(_VERSION)[0])

    def current_version(self) -> tuple[Any, ...]:
        """The ledger version now, re-read only when another connection has committed since.

        SQLite's data_version moves whenever another connection commits; until it does, the
        version last read on this thread's connection still holds.
        """
        store = self.store()
        seen = store.query("PRAGMA data_version")[0][0]
        known = getattr(self._local, "version", None)
        if known is None or known[0] != seen:
            with store.snapshot():
                known = (seen, self.version(store))
            self._local.version = known
        return known[1]

    def cached(self, key: tuple[Any, ...], make: Callable[[SQLiteStore], Any]) -> Any:
        """`make(store)` for the current ledger version, reused while the ledger is unchanged."""
        with self.reading() as store:
            return self.cache.get_or_make((self.version(store), *key), lambda: make(store))
