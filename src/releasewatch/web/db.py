"""Ledger access for the web server: one store shared by the worker threads.

FastAPI runs plain `def` endpoints in a pool of worker threads. The store is safe from any
thread: on SQLite each thread gets its own connection (WAL lets them read while an ingest
writes), on PostgreSQL the threads share a connection pool.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..store import Store, open_store

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
    """The ledger the server reads and writes (created and migrated up front)."""

    def __init__(self, db: str | Path) -> None:
        self.db = str(db)
        self._store = open_store(self.db)
        self.write_lock = threading.Lock()  # one in-process writer at a time (ingest, merge...)
        self.cache = ResponseCache()

    def store(self) -> Store:
        """The store."""
        return self._store

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """The store inside one read transaction (a consistent snapshot)."""
        with self._store.snapshot():
            yield self._store

    def current_version(self) -> str | None:
        """What the resolved ledger's responses depend on, now (changes with every rebuild)."""
        return self._store.ledger_version()

    def cached(self, key: tuple[Any, ...], make: Callable[[Store], Any]) -> Any:
        """`make(store)` for the current ledger version, reused while the ledger is unchanged."""
        with self.reading() as store:
            version = store.ledger_version()
            return self.cache.get_or_make((version, *key), lambda: make(store))

    def close(self) -> None:
        """Release the store's connections."""
        self._store.close()
