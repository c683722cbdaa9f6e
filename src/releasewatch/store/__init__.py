"""The ledger store: all of releasewatch's SQL, behind one interface (`Store`), on SQLite (the
embedded default, one file) or PostgreSQL (the server choice), chosen by URL.

    open_store("ledger.sqlite")                 # or sqlite:///abs/path/ledger.sqlite
    open_store("postgresql://user@host/dbname")

The schema lives in numbered migrations (`store/migrations/`), one sequence for both backends.
The store imports no pipeline stage: it takes and gives the model's records and its own rows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .articles import body_hash, locate_paragraph
from .base import Store
from .ledger_ops import UNDATED
from .rows import (
    AlertRow,
    AlertRuleRow,
    ArticleRow,
    Counts,
    DealPartDetail,
    DealPartRow,
    DealRow,
    DecisionRow,
    EventDetail,
    EventPersonRow,
    EventQuery,
    EventRead,
    EventRow,
    FeedState,
    FlagRow,
    ItemState,
    LedgerEventRow,
    LedgerMemberRow,
    LedgerPage,
    LedgerPartyRow,
    LedgerPatch,
    LedgerTables,
    LedgerValueRow,
    ListedEvent,
    MonthRow,
    OffTopicRow,
    PendingDelivery,
    PersonEventRow,
    PersonHistoryRow,
    PersonListRow,
    PersonQuery,
    PersonRef,
    PersonRow,
    PersonSpellingRow,
    ProblemRow,
    SearchHit,
    SpellingRef,
)
from .schema import Migration, load_migrations
from .sqlite import SQLiteStore
from .urls import redact_url
from .watch import LedgerOutbox, LedgerWatchState

if TYPE_CHECKING:
    from .postgres import PostgresStore

ENV_VAR = "RELEASEWATCH_DB"
DEFAULT_DB = "releasewatch.sqlite"
_POSTGRES = ("postgresql://", "postgres://")
_SQLITE = "sqlite://"


def resolve_db(db: str | Path | None = None) -> str:
    """The ledger's URL or path: the argument, else $RELEASEWATCH_DB, else ./releasewatch.sqlite."""
    return str(db or os.environ.get(ENV_VAR) or DEFAULT_DB)


def is_postgres(db: str) -> bool:
    """Whether a ledger URL names a PostgreSQL database."""
    return db.startswith(_POSTGRES)


def describe(db: str | Path | None = None) -> str:
    """The ledger as named in messages (a URL without its password)."""
    return redact_url(resolve_db(db))


def open_store(db: str | Path | None = None, *, read_only: bool = False) -> Store:
    """The ledger at `db` (a path, sqlite:///path or postgresql://...), else $RELEASEWATCH_DB,
    else the default file; created and migrated on first use.

    `read_only`, for a command that only reads: no ledger there is an error (StoreError) and
    none is created; a SQLite file is opened read-only (so a read-only file or folder works).
    """
    target = resolve_db(db)
    if is_postgres(target):
        from .postgres import PostgresStore

        return PostgresStore(target, read_only=read_only)
    if target.startswith(_SQLITE):
        target = target[len(_SQLITE) :]
    return SQLiteStore(target, read_only=read_only)


def __getattr__(name: str) -> Any:
    """PostgresStore, imported on first use (psycopg takes a while to import)."""
    if name == "PostgresStore":
        from .postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_DB",
    "ENV_VAR",
    "UNDATED",
    "AlertRow",
    "AlertRuleRow",
    "ArticleRow",
    "Counts",
    "DealPartDetail",
    "DealPartRow",
    "DealRow",
    "DecisionRow",
    "EventDetail",
    "EventPersonRow",
    "EventQuery",
    "EventRead",
    "EventRow",
    "FeedState",
    "FlagRow",
    "ItemState",
    "LedgerEventRow",
    "LedgerMemberRow",
    "LedgerOutbox",
    "LedgerPage",
    "LedgerPartyRow",
    "LedgerPatch",
    "LedgerTables",
    "LedgerValueRow",
    "LedgerWatchState",
    "ListedEvent",
    "Migration",
    "MonthRow",
    "OffTopicRow",
    "PendingDelivery",
    "PersonEventRow",
    "PersonHistoryRow",
    "PersonListRow",
    "PersonQuery",
    "PersonRef",
    "PersonRow",
    "PersonSpellingRow",
    "PostgresStore",
    "ProblemRow",
    "SQLiteStore",
    "SearchHit",
    "SpellingRef",
    "Store",
    "body_hash",
    "describe",
    "is_postgres",
    "load_migrations",
    "locate_paragraph",
    "open_store",
    "resolve_db",
]
