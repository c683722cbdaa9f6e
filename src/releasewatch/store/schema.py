"""The schema: numbered migrations (one sequence, a file per dialect where the SQL differs) and
the tables a copy moves, with their columns.

Migration files are `NNNN_name.sql` (the same SQL on every dialect) or, for a step whose SQL
differs, `NNNN_name.sqlite.sql` and `NNNN_name.postgresql.sql`: one number, one name, one row
in schema_migrations whichever file ran.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import StoreError
from .rows import (
    AlertRow,
    AlertRuleRow,
    DealPartRow,
    DealRow,
    FeedState,
    ItemState,
    LedgerEventRow,
    LedgerMemberRow,
    LedgerPartyRow,
    LedgerTables,
    LedgerValueRow,
    PersonEventRow,
    PersonHistoryRow,
    PersonRow,
    PersonSpellingRow,
    columns,
)

DIALECTS = ("sqlite", "postgresql")
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)(?:\.(sqlite|postgresql))?\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered schema change, as one dialect runs it."""

    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The migration's statements, comment lines dropped.

        Split where `sqlite3.complete_statement` sees a statement end, so a ";" inside a
        string literal or a CREATE TRIGGER body does not cut a statement short. The last
        statement may omit its ";".
        """
        found: list[str] = []
        pending: list[str] = []
        for line in self.sql.splitlines():
            if not pending and (not line.strip() or line.lstrip().startswith("--")):
                continue
            pending.append(line)
            if sqlite3.complete_statement("\n".join(pending)):
                found.append("\n".join(pending).strip())
                pending = []
        rest = "\n".join(ln for ln in pending if not ln.lstrip().startswith("--")).strip()
        if rest:
            if not sqlite3.complete_statement(rest + "\n;"):
                raise StoreError(
                    f"migration {self.version:04d}_{self.name}: unterminated statement: "
                    f"{rest[:80]!r}"
                )
            found.append(rest)
        return found


def load_migrations(
    directory: Path | None = None, dialect: str = "sqlite"
) -> tuple[Migration, ...]:
    """The migrations in `directory` (default: the bundled ones) for `dialect`, by number.

    A step with a file for this dialect uses it, else its shared file; a step with files for
    other dialects only is an error naming it.
    """
    if dialect not in DIALECTS:
        raise StoreError(f"unknown database dialect {dialect!r} (expected one of {DIALECTS})")
    folder: Any = (
        directory if directory is not None else resources.files(__package__) / "migrations"
    )
    names: dict[int, str] = {}
    files: dict[tuple[int, str | None], Any] = {}
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if not match:
            continue
        version, name, only = int(match.group(1)), match.group(2), match.group(3)
        if names.setdefault(version, name) != name:
            raise StoreError(
                f"migrations: {version:04d} is named both {names[version]!r} and {name!r}"
                f" in {folder}"
            )
        if (version, only) in files:
            raise StoreError(f"migrations: two files numbered {version:04d} in {folder}")
        files[(version, only)] = entry
    found = []
    for version in sorted(names):
        entry = files.get((version, dialect)) or files.get((version, None))
        if entry is None:
            raise StoreError(
                f"migration {version:04d}_{names[version]}: no file for {dialect} in {folder}"
            )
        found.append(Migration(version, names[version], entry.read_text(encoding="utf-8")))
    return tuple(found)


# ---------------------------------------------------------------- tables and columns

ARTICLE_COLUMNS = (
    "id", "source", "url", "kind", "encoding", "title", "published", "outlet", "author",
    "dateline", "cited_sources", "tags", "raw_text", "clean_text", "body_hash", "problems",
    "ingested_at", "encoding_confidence",
)  # fmt: skip
MENTION_COLUMNS = (
    "id", "article_id", "mention_index", "event_type", "status", "count_value",
    "count_qualifier", "sector", "event_date", "evidence", "start_offset", "end_offset",
    "attribution", "confidence", "background", "political",
)  # fmt: skip

# The derived ledger tables (rebuilt whole by every resolve) and the row class of each,
# parents first; the LedgerTables field holding each table's rows.
LEDGER_TABLES: tuple[tuple[str, type, str], ...] = (
    ("ledger_events", LedgerEventRow, "events"),
    ("ledger_parties", LedgerPartyRow, "parties"),
    ("ledger_members", LedgerMemberRow, "members"),
    ("ledger_values", LedgerValueRow, "values"),
    ("persons", PersonRow, "persons"),
    ("person_spellings", PersonSpellingRow, "spellings"),
    ("person_history", PersonHistoryRow, "history"),
    ("person_events", PersonEventRow, "person_events"),
    ("deals", DealRow, "deals"),
    ("deal_parts", DealPartRow, "deal_parts"),
)
assert {f for _, _, f in LEDGER_TABLES} == set(columns(LedgerTables))
LEDGER_META = "ledger_meta"
# Each ledger event under each of its parties in list order (0014), with its type, status and
# list item (0015): derived by the store from ledger_events and ledger_parties whenever it
# writes them, and copied with them.
PARTY_ORDER = "ledger_event_parties"
PARTY_ORDER_COLUMNS = ("code", "political", "sort_date", "event_id", "type", "status", "item")

# Every table a copy moves, parents before children, with its columns (the search index is
# each backend's own and follows the articles).
COPY_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("articles", ARTICLE_COLUMNS),
    ("event_mentions", MENTION_COLUMNS),
    ("mention_parties", ("mention_id", "role", "position", "code")),
    ("mention_persons", ("mention_id", "position", "name")),
    ("ingest_problems", ("source", "reason", "first_seen")),
    ("offtopic_articles", ("id", "url", "source", "ingested_at")),
    ("person_overrides", ("id", "action", "a", "b", "created_at")),
    ("person_flags", ("spelling_key", "protected")),
    *((table, columns(row)) for table, row, _ in LEDGER_TABLES),
    (PARTY_ORDER, PARTY_ORDER_COLUMNS),
    (LEDGER_META, ("name", "value")),
    ("watch_feeds", columns(FeedState)),
    ("watch_items", columns(ItemState)),
    ("alert_rules", columns(AlertRuleRow)),
    ("alerts", columns(AlertRow)),
)
