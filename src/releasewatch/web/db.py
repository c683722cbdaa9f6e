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
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from ..store import Store, open_store

T = TypeVar("T")
# Backends whose reads a request runs in the event loop's thread: an embedded database's read
# waits on nothing but its file, and a hop to a worker thread costs more CPU than most reads
# (with 50 clients, about 0.5 ms a request of 2 on SQLite: benchmarks/load.py). PostgreSQL's
# reads wait on the server, so they keep to the worker threads.
INLINE_DIALECTS = ("sqlite",)

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
        self._inline = self._store.dialect in INLINE_DIALECTS

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

    async def run(self, work: Callable[[], T]) -> T:
        """A request's work on the ledger: inline on an embedded database, else in a worker
        thread (see INLINE_DIALECTS)."""
        if self._inline:
            return work()
        return await run_in_threadpool(work)

    def close(self) -> None:
        """Release the store's connections."""
        self._store.close()
