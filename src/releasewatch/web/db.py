"""Ledger access for the web server: one store (one SQLite connection) per worker thread.

FastAPI runs plain `def` endpoints in a pool of worker threads; each thread keeps its own
`SQLiteStore`, so no connection is shared between threads and none is opened per request.
WAL mode lets these readers run while an ingest writes; the store's busy timeout makes a second
writer wait for the lock instead of failing with "database is locked".
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..store import SQLiteStore


class Ledger:
    """The ledger file and the per-thread stores opened on it."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self._local = threading.local()
        self.write_lock = threading.Lock()  # one in-process writer at a time (ingest, merge...)
        SQLiteStore(self.db_path).close()  # create and migrate once, up front

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
