"""The PostgreSQL backend: the server choice, for a ledger several people and processes share.

psycopg 3 with a connection pool; every connection is in autocommit mode and a transaction is
an explicit BEGIN ... COMMIT, as on SQLite. A snapshot is a REPEATABLE READ READ ONLY
transaction, so a reader sees one committed state throughout (the old ledger or the rebuilt
one, never half). Ledger rebuilds and migrations take a transaction-scoped advisory lock, so
two run one after the other; ingests need no lock: articles go in with ON CONFLICT DO NOTHING
on their unique keys, so two ingests of one article store it once. Ids of the user's decisions
come from an identity column. Full-text search is a tsvector column with a GIN index.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..errors import StoreError
from .base import Store
from .rows import SearchHit
from .schema import Migration, load_migrations
from .urls import redact_url

try:
    import psycopg
    from psycopg_pool import ConnectionPool
except ImportError:  # pragma: no cover - both are pinned dependencies
    psycopg = None  # type: ignore[assignment]

POOL_MAX = 16  # connections per process: the web server's worker threads share them
POOL_TIMEOUT_S = 30.0  # how long an operation waits for a free connection
# Fewer rows than this go in with one pipelined INSERT rather than COPY: a COPY costs the server
# about 0.16 ms however few its rows, an INSERT row 0.01 ms (loopback, PostgreSQL 15; an
# incremental ledger update writes five tables of a few rows each, benchmarks/load.py's writer).
COPY_MIN_ROWS = 16
LEDGER_LOCK = 0x72770001  # the advisory-lock key of ledger writers (any constant unique to us)
# ts_headline's options, matching the SQLite snippet (\x01 and \x02 around each match).
_HEADLINE = 'StartSel="\x01", StopSel="\x02", MaxWords=24, MinWords=12, ShortWord=0'
_SEARCH = (
    "SELECT a.id, a.title, a.published, a.outlet, a.url, ts_headline('simple', a.clean_text, q, ?)"
    " FROM articles a, plainto_tsquery('simple', ?) q WHERE a.search @@ q"
    " ORDER BY ts_rank(a.search, q) DESC, a.id LIMIT ? OFFSET ?"
)
# Each text's tokens as to_tsvector('simple', ...) reads them (the index of migration 0003), in
# order; a blank or punctuation token has no lexeme.
_TERMS = (
    "SELECT t.ord, d.lexemes FROM unnest(?::text[]) WITH ORDINALITY AS t(doc, ord),"
    " LATERAL ts_debug('simple', t.doc) AS d WHERE d.lexemes IS NOT NULL"
)


@functools.lru_cache(maxsize=1024)
def _placeholders(sql: str) -> str:
    """`?` placeholders as psycopg's `%s` (and a literal `%` as `%%`), outside quotes."""
    out: list[str] = []
    quote = ""
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


class PostgresStore(Store):
    """The ledger in a PostgreSQL database (the schema created and migrated on first use)."""

    dialect = "postgresql"

    def __init__(
        self,
        url: str,
        *,
        migrations: Sequence[Migration] | None = None,
        pool_max: int = POOL_MAX,
        read_only: bool = False,
    ) -> None:
        """Connect (and migrate). `read_only`: for a command that only reads, so a database
        holding no ledger is an error, not a new ledger (an older ledger is still upgraded)."""
        super().__init__()
        if psycopg is None:  # pragma: no cover
            raise StoreError("PostgreSQL needs psycopg (pip install 'psycopg[binary]')")
        self.url = url
        self.label = redact_url(url)
        self._db_errors = (psycopg.Error,)
        self._integrity_errors = (psycopg.errors.IntegrityError,)
        self._migrations = (
            tuple(migrations) if migrations is not None else load_migrations(dialect="postgresql")
        )
        try:
            self._pool = ConnectionPool(
                url, min_size=1, max_size=pool_max, kwargs={"autocommit": True},
                timeout=POOL_TIMEOUT_S, open=False, name="releasewatch",
            )  # fmt: skip
            self._pool.open(wait=True, timeout=POOL_TIMEOUT_S)
        except Exception as exc:  # the pool's own errors and psycopg's alike
            raise StoreError(f"{self.label}: cannot connect to the ledger: {exc}") from exc
        try:
            if read_only:
                self._check_exists()
            self._migrate()
        except BaseException:
            self.close()
            raise

    @contextmanager
    def _borrow(self) -> Iterator[Any]:
        """A pooled connection for one operation or transaction."""
        try:
            with self._pool.connection() as conn:
                yield conn
        except psycopg.Error:
            raise
        except Exception as exc:  # PoolTimeout and friends
            if type(exc).__module__.startswith("psycopg_pool"):
                raise StoreError(f"{self.label}: no database connection: {exc}") from exc
            raise

    def _sql(self, sql: str) -> str:
        """The statement with psycopg's placeholders."""
        return _placeholders(sql)

    def _begin_read(self) -> str:
        """A snapshot: one committed state for every statement of the transaction."""
        return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

    def _lock_ledger(self, conn: Any) -> None:
        """Wait for other ledger writers (rebuilds, migrations) until this transaction ends."""
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LEDGER_LOCK,))

    def _migration_table_exists(self, conn: Any) -> bool:
        """Whether schema_migrations exists (in the connection's search path)."""
        row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
        return bool(row[0])

    def _run_migration(self, conn: Any, migration: Migration) -> None:
        """Run a migration file as one script (PostgreSQL takes many statements at once)."""
        conn.execute(migration.sql)

    def _insert_many(
        self, conn: Any, table: str, names: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert many rows: a few with one pipelined INSERT, more with COPY."""
        if not rows:
            return
        if len(rows) < COPY_MIN_ROWS:
            marks = ", ".join("?" * len(names))
            self._execute_many(
                conn, f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
                [[int(v) if isinstance(v, bool) else v for v in row] for row in rows],
            )  # fmt: skip
            return
        with (
            conn.cursor() as cur,
            cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([int(v) if isinstance(v, bool) else v for v in row])

    def _execute_many(self, conn: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement once per row of parameters (psycopg pipelines them)."""
        with conn.cursor() as cur:
            cur.executemany(self._sql(sql), rows)

    def search_articles(self, words: Sequence[str], *, offset: int, limit: int) -> list[SearchHit]:
        """Articles whose title or body hold every word, best first (ts_rank)."""
        if not words:
            return []
        rows = self._rows(_SEARCH, (_HEADLINE, " ".join(words), limit, offset))
        return [SearchHit(a, t, p, o, u, s or "") for a, t, p, o, u, s in rows]

    def search_terms(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """The lexemes the 'simple' configuration makes of each text (lower-cased, accents
        kept), as the search column indexes them."""
        if not texts:
            return []
        terms: list[list[str]] = [[] for _ in texts]
        for ord_, lexemes in self._rows(_TERMS, (list(texts),)):
            terms[int(ord_) - 1].extend(str(x) for x in lexemes)
        return [tuple(t) for t in terms]

    def finish_load(self) -> None:
        """Move the identities (decisions, alert rules) past the ids a copy brought."""
        for table in ("person_overrides", "alert_rules"):
            self._rows(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )

    def close(self) -> None:
        """Close the pool."""
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.close()
