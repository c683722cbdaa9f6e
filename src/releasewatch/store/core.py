"""What every backend shares: connections held per thread, transactions, the migration runner.

SQL here and in the other shared modules is written once, with `?` parameters; a backend
rewrites the placeholders for its driver (`Core._sql`). A backend supplies a connection
(`_borrow`), the statements that open a read or a write transaction, its driver's error
types, and a bulk insert.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any, Self

from ..errors import StoreError
from .schema import Migration

IN_CHUNK = 500  # ids per "IN (...)" list: under SQLite's 999-parameter floor
NO_LEDGER = (
    "no such ledger (a command that only reads makes none: ingest articles first, or check"
    " --db and $RELEASEWATCH_DB)"
)


def now() -> str:
    """The current UTC time as ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def loads(text: str | None) -> tuple[str, ...]:
    """A JSON list column as a tuple."""
    return tuple(json.loads(text)) if text else ()


def dumps(items: Sequence[str]) -> str:
    """A list for a JSON text column."""
    return json.dumps(list(items), ensure_ascii=False)


def marks(values: Sequence[Any]) -> str:
    """Placeholders for an IN list."""
    return ", ".join("?" for _ in values)


def chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    """`values` in slices small enough for one IN list."""
    for i in range(0, len(values), IN_CHUNK):
        yield list(values[i : i + IN_CHUNK])


def upsert_sql(table: str, names: Sequence[str], key: str) -> str:
    """An INSERT of every column that updates the row with the same `key` instead (SQLite
    and PostgreSQL both take ON CONFLICT ... DO UPDATE)."""
    sets = ", ".join(f"{c} = excluded.{c}" for c in names if c != key)
    return (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks(names)})"
        f" ON CONFLICT ({key}) DO UPDATE SET {sets}"
    )


def cell(value: Any) -> Any:
    """A Python value as a column takes it (booleans are stored as 0/1 on every backend)."""
    return int(value) if isinstance(value, bool) else value


class Core:
    """Connections, transactions and migrations over one database; subclassed per backend."""

    dialect = ""
    label = ""  # names the ledger in error messages (a path, or a URL without its password)
    _db_errors: tuple[type[BaseException], ...] = ()
    _integrity_errors: tuple[type[BaseException], ...] = ()
    _migrations: tuple[Migration, ...] = ()

    def __init__(self) -> None:
        self._local = threading.local()

    # ------------------------------------------------------------ backend hooks

    def _borrow(self) -> AbstractContextManager[Any]:
        """A connection for one operation or transaction (autocommit mode)."""
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        """The statement with this driver's placeholders."""
        return sql

    def _begin_write(self) -> str:
        """The statement opening a write transaction."""
        return "BEGIN"

    def _begin_read(self) -> str:
        """The statement opening a read transaction that sees one committed state."""
        return "BEGIN"

    def _insert_many(
        self, conn: Any, table: str, names: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert many rows into one table."""
        if rows:
            marks_ = ", ".join("?" for _ in names)
            conn.executemany(
                self._sql(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks_})"),
                [tuple(cell(v) for v in row) for row in rows],
            )

    def _execute_many(self, conn: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement once per row of parameters."""
        conn.executemany(self._sql(sql), rows)

    def _lock_ledger(self, conn: Any) -> None:
        """Make other ledger writers wait until this transaction ends (beyond the write lock)."""

    def _migration_table_exists(self, conn: Any) -> bool:
        """Whether schema_migrations exists."""
        raise NotImplementedError

    def _run_migration(self, conn: Any, migration: Migration) -> None:
        """Run one migration's statements inside the open transaction."""
        for statement in migration.statements():
            conn.execute(statement)

    # ------------------------------------------------------------ connections and transactions

    @contextmanager
    def _conn(self) -> Iterator[Any]:
        """The connection of the open transaction on this thread, else a borrowed one."""
        held = getattr(self._local, "conn", None)
        if held is not None:
            yield held
            return
        with self._borrow() as conn:
            yield conn

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read statement; database errors become StoreError."""
        try:
            with self._conn() as conn:
                return list(conn.execute(self._sql(sql), tuple(params)).fetchall())
        except self._db_errors as exc:
            raise StoreError(f"{self.label}: query failed: {exc}") from exc

    def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write statement in the open transaction; the number of rows it changed."""
        conn = self._local.conn
        return int(conn.execute(self._sql(sql), tuple(params)).rowcount)

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Any]:
        """One transaction on this thread's connection: committed on success, else rolled back.

        Nested in another transaction it joins it (a write needs the outer one to write).
        """
        held = getattr(self._local, "conn", None)
        if held is not None:
            if write and not self._local.write:
                raise StoreError(f"{self.label}: a write inside a read-only snapshot")
            yield held
            return
        with self._borrow() as conn:
            conn.execute(self._begin_write() if write else self._begin_read())
            self._local.conn, self._local.write = conn, write
            try:
                yield conn
            except BaseException:
                self._local.conn = None
                conn.execute("ROLLBACK")
                raise
            self._local.conn = None
            conn.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction: every operation inside commits together, or none does."""
        try:
            with self._transaction(write=True):
                yield
        except self._db_errors as exc:
            raise StoreError(f"{self.label}: write failed: {exc}") from exc

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: every read inside sees one committed state of the ledger."""
        try:
            with self._transaction(write=False):
                yield
        except self._db_errors as exc:
            raise StoreError(f"{self.label}: read failed: {exc}") from exc

    @contextmanager
    def ledger_transaction(self) -> Iterator[None]:
        """A write transaction that other ledger rebuilds wait for (one rebuild at a time)."""
        with self.transaction():
            self._lock_ledger(self._local.conn)
            yield

    # ------------------------------------------------------------ migrations

    def applied_migrations(self) -> list[tuple[int, str]]:
        """(version, name) of every migration recorded in the ledger, in order."""
        try:
            with self._conn() as conn:
                if not self._migration_table_exists(conn):  # a new ledger
                    return []
                rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version")
                return [(int(v), str(n)) for v, n in rows.fetchall()]
        except self._db_errors as exc:
            raise StoreError(f"{self.label}: cannot read the schema version: {exc}") from exc

    def _pending_migrations(self) -> list[Migration]:
        """The migrations not yet applied to the ledger (StoreError for one this version does
        not know, written by a newer releasewatch)."""
        known = {m.version: m.name for m in self._migrations}
        applied = self.applied_migrations()
        for version, name in applied:
            if known.get(version) != name:
                raise StoreError(
                    f"{self.label}: ledger has migration {version:04d}_{name}, which this"
                    " releasewatch does not know (written by a newer version?)"
                )
        done = {v for v, _ in applied}
        return [m for m in self._migrations if m.version not in done]

    def _check_exists(self) -> None:
        """StoreError unless the database holds a ledger (a reading command makes none)."""
        if not self.applied_migrations():
            raise StoreError(f"{self.label}: {NO_LEDGER}")

    def _migrate(self) -> None:
        """Apply, in order and each in its own transaction, the migrations not yet recorded.

        Reads first: when every migration is applied (the usual case) no write lock is taken,
        so opening a store never queues behind an ingest or a long ledger rebuild.
        """
        if not self._pending_migrations():
            return
        for migration in self._migrations:
            try:
                with self._transaction(write=True) as conn:
                    self._lock_ledger(conn)  # two processes migrating at once: one waits
                    conn.execute(
                        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY"
                        " KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                    )
                    done = conn.execute(
                        self._sql("SELECT 1 FROM schema_migrations WHERE version = ?"),
                        (migration.version,),
                    ).fetchone()
                    if done:
                        continue
                    self._run_migration(conn, migration)
                    conn.execute(
                        self._sql(
                            "INSERT INTO schema_migrations (version, name, applied_at)"
                            " VALUES (?, ?, ?)"
                        ),
                        (migration.version, migration.name, now()),
                    )
            except self._db_errors as exc:
                raise StoreError(
                    f"{self.label}: migration {migration.version:04d}_{migration.name}"
                    f" failed: {exc}"
                ) from exc

    def close(self) -> None:
        """Release the connections."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
