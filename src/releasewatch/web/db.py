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
# Backends whose reads a request runs in the event loop's thread: an embedded database's read
# waits on nothing but its file, and a hop to a worker thread costs more CPU than most reads
# (with 50 clients, about 0.5 ms a request of 2 on SQLite: benchmarks/load.py). PostgreSQL's
# reads wait on the server, so they keep to the worker threads.
INLINE_DIALECTS = ("sqlite",)


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
