"""Ledger access for the web server: one store shared by the worker threads.

FastAPI runs plain `def` endpoints in a pool of worker threads; the `async` ones hand their
reads to `Ledger.run` (inline on SQLite, a worker thread on PostgreSQL). The store is safe from
any thread: on SQLite each thread gets its own connection (WAL lets them read while an ingest
writes), on PostgreSQL the threads share a connection pool.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from ..store import Store, open_store

T = TypeVar("T")
# Backends whose reads `Ledger.run` places in the event loop's thread. The reads it runs are
# the hot routes' single statements (web/hot.py); a hop to a worker thread costs more CPU
# than they do (with 50 clients and a writer, about 0.3 ms a request: SQLite's 2 ms of
# server CPU per event page fell to 1.2, PostgreSQL's event JSON from 0.74 to 0.51 on
# loopback, benchmarks/load.py). A PostgreSQL server across a network would hold the loop for
# its round trips: that is the trade made here, for the one-machine set-up of the README.
INLINE_DIALECTS = ("sqlite", "postgresql")


class Ledger:
    """The ledger the server reads and writes (created and migrated up front)."""

    def __init__(self, db: str | Path) -> None:
        self.db = str(db)
        self._store = open_store(self.db)
        self.write_lock = threading.Lock()  # one in-process writer at a time (ingest, merge...)
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

    async def run(self, work: Callable[[], T]) -> T:
        """A request's work on the ledger: inline on an embedded database, else in a worker
        thread (see INLINE_DIALECTS)."""
        if self._inline:
            return work()
        return await run_in_threadpool(work)

    def close(self) -> None:
        """Release the store's connections."""
        self._store.close()
