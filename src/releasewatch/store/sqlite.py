"""The SQLite backend: the ledger in one file, the embedded default.

One connection per thread (opened on first use), in WAL mode so readers never block the ingest;
a writer takes the write lock up front (`BEGIN IMMEDIATE`) and waits up to BUSY_TIMEOUT_MS for
another's. Full-text search is FTS5 (migration 0003, sqlite file).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError
from .base import Store
from .core import NO_LEDGER
from .rows import SearchHit
from .schema import Migration, load_migrations

BUSY_TIMEOUT_MS = 10_000  # how long a writer waits for another writer's lock; ample for one article
_SEARCH = (
    "SELECT s.article_id, a.title, a.published, a.outlet, a.url,"
    " snippet(article_search, 2, char(1), char(2), ' … ', 24)"
    " FROM article_search s JOIN articles a ON a.id = s.article_id"
    " WHERE article_search MATCH ? ORDER BY bm25(article_search), s.article_id"
    " LIMIT ? OFFSET ?"
)
# The search index's tokenizer, as its migration declared it (read back from sqlite_master).
_TOKENIZE = re.compile(r"tokenize\s*=\s*'((?:[^']|'')*)'", re.IGNORECASE)
_DEFAULT_TOKENIZE = "unicode61 remove_diacritics 2"  # 0003_search's, for a ledger without it


class SQLiteStore(Store):
    """The ledger in one SQLite file (created and migrated on first use)."""

    dialect = "sqlite"
    _db_errors = (sqlite3.Error,)
    _integrity_errors = (sqlite3.IntegrityError,)

    def __init__(
        self,
        path: str | Path,
        *,
        migrations: Sequence[Migration] | None = None,
        read_only: bool = False,
    ) -> None:
        """Open (creating and migrating) the ledger file at `path`.

        `read_only`, for a command that only reads: a missing file is an error, never a new
        ledger, and the file is opened read-only, so a ledger in a read-only file or folder
        can be read. (A ledger an older releasewatch made is still upgraded, which needs it
        writable.)
        """
        super().__init__()
        self.path = Path(path)
        self.label = str(path)
        self._migrations = (
            tuple(migrations) if migrations is not None else load_migrations(dialect="sqlite")
        )
        self._opened: list[sqlite3.Connection] = []
        self._opened_lock = threading.Lock()
        self._uri: str | None = None  # the read-only URI, when opened read-only
        if read_only:
            if str(path) == ":memory:" or not self.path.is_file():
                raise StoreError(f"{self.label}: {NO_LEDGER}")
            self._uri = self.path.resolve().as_uri() + "?mode=ro"
        else:
            try:
                if str(path) != ":memory:":
                    self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.label}: cannot create the ledger's folder: {exc}") from exc
        try:
            self._connection()
            if read_only:
                self._check_exists()
                if self._pending_migrations():
                    self._upgrade()
            else:
                self._migrate()
        except StoreError:
            self.close()
            raise
        except sqlite3.Error as exc:
            self.close()
            raise StoreError(f"{self.label}: not a usable ledger database: {exc}") from exc

    def _upgrade(self) -> None:
        """Reopen a ledger opened read-only writable, to apply the migrations it lacks."""
        self.close()
        self._uri = None
        try:
            self._connection()
            self._migrate()
        except (StoreError, sqlite3.Error) as exc:
            raise StoreError(
                f"{self.label}: an older releasewatch made this ledger; upgrading it needs"
                f" it writable: {exc}"
            ) from exc

    def _read_only_connection(self, uri: str) -> sqlite3.Connection:
        """A read-only connection, reading the file as it stands when its folder is read-only.

        A reader of a WAL-mode file needs its WAL index (the -shm file), which SQLite cannot
        make in a read-only folder; then the file is opened immutable, as a snapshot (no one
        without write access to the folder can be writing it).
        """
        conn = sqlite3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )  # fmt: skip
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if "readonly" not in str(exc) and "unable to open" not in str(exc):
                raise
        self._uri = uri + "&immutable=1"
        return sqlite3.connect(self._uri, uri=True, isolation_level=None, check_same_thread=False)

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened (and configured) on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "sqlite", None)
        if conn is not None:
            return conn
        if self._uri is not None:
            try:
                conn = self._read_only_connection(self._uri)
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
            except sqlite3.Error as exc:
                raise StoreError(f"{self.label}: not a usable ledger database: {exc}") from exc
            return self._keep(conn)
        try:
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )  # fmt: skip
        except sqlite3.Error as exc:
            raise StoreError(f"{self.label}: cannot open the ledger: {exc}") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
            # WAL lets readers (the web server) run while an ingest writes. Switching needs the
            # file to itself, so it is done only when the file is not in WAL mode yet.
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")  # durable at each checkpoint, WAL-safe
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"{self.label}: not a usable ledger database: {exc}") from exc
        return self._keep(conn)

    def _keep(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        """Make `conn` this thread's connection (closed by `close`)."""
        self._local.sqlite = conn
        with self._opened_lock:
            self._opened.append(conn)
        return conn

    @contextmanager
    def _borrow(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection."""
        yield self._connection()

    def _begin_write(self) -> str:
        """Take the write lock up front: a reader turning writer midway could not wait for it."""
        return "BEGIN IMMEDIATE"

    def _migration_table_exists(self, conn: Any) -> bool:
        """Whether schema_migrations exists."""
        row = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        return row is not None

    def ledger_version(self) -> str | None:
        """What the resolved ledger's reads depend on; re-read only after another commit.

        SQLite's data_version moves whenever another connection commits; until it does, the
        version last read on this thread's connection still holds.
        """
        if getattr(self._local, "conn", None) is not None:  # inside a transaction: read it
            return super().ledger_version()
        seen = self._rows("PRAGMA data_version")[0][0]
        known = getattr(self._local, "version", None)
        if known is None or known[0] != seen:
            known = (seen, super().ledger_version())
            self._local.version = known
        return known[1]

    def search_articles(self, words: Sequence[str], *, offset: int, limit: int) -> list[SearchHit]:
        """Articles whose title or body hold every word, best first (bm25)."""
        if not words:
            return []
        expression = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = self._rows(_SEARCH, (expression, limit, offset))
        return [SearchHit(a, t, p, o, u, s or "") for a, t, p, o, u, s in rows]

    def search_terms(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """The terms FTS5 makes of each text, with the search index's own tokenizer.

        The texts are indexed in a private in-memory FTS5 table declared like the ledger's
        `article_search`, and read back in order through an fts5vocab table: the index's
        folding by construction, nothing written to the ledger.
        """
        if not texts:
            return []
        declared = self._rows("SELECT sql FROM sqlite_master WHERE name = 'article_search'")
        found = _TOKENIZE.search(str(declared[0][0])) if declared else None
        tokenize = found.group(1).replace("''", "'") if found else _DEFAULT_TOKENIZE
        terms: list[list[str]] = [[] for _ in texts]
        scratch = sqlite3.connect(":memory:")
        try:
            # The tokenizer spec is the ledger's own schema text, quoted; never a caller's value.
            quoted = tokenize.replace("'", "''")
            scratch.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize = '{quoted}')")
            scratch.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
            scratch.executemany(
                "INSERT INTO t (rowid, x) VALUES (?, ?)", [(i + 1, t) for i, t in enumerate(texts)]
            )
            for doc, term in scratch.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
                terms[int(doc) - 1].append(str(term))
        except sqlite3.Error as exc:
            raise StoreError(f"{self.label}: cannot read search terms: {exc}") from exc
        finally:
            scratch.close()
        return [tuple(t) for t in terms]

    def close(self) -> None:
        """Close every thread's connection."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a new ledger to WAL mode, waiting while another connection opens it at once.

    The switch needs the file to itself and SQLite does not wait on its busy timeout for it, so
    two processes creating a ledger together would see "database is locked": retry until the
    other has done it (then the mode is already WAL) or the busy timeout is spent.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
