"""The resolved ledger's tables and the user's person decisions: the shared SQL of every backend.

The derived tables are replaced whole by `replace_ledger`, inside one transaction, so a reader
in a snapshot sees the old ledger or the new one, never half of each.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .core import Core, cell, chunks, marks, now, upsert_sql
from .rows import (
    Counts,
    DealPartDetail,
    DealRow,
    DecisionRow,
    EventPersonRow,
    EventQuery,
    EventRead,
    FlagRow,
    LedgerEventRow,
    LedgerPage,
    LedgerPartyRow,
    LedgerPatch,
    LedgerTables,
    LedgerValueRow,
    ListedEvent,
    MonthRow,
    PersonHistoryRow,
    PersonListRow,
    PersonQuery,
    PersonRef,
    PersonSpellingRow,
    SpellingRef,
    columns,
)
from .schema import COPY_TABLES, LEDGER_META, LEDGER_TABLES, PARTY_ORDER, PARTY_ORDER_COLUMNS

UNDATED = "~"  # sort_date of an event with no date and no dated source: after every date
# Read back without search_text (only the text filter looks at it): a page reads half the bytes.
_EVENT_COLUMNS = ", ".join(
    "'' AS search_text" if c == "search_text" else f"e.{c}" for c in columns(LedgerEventRow)
)
# A list reads an event's summary only to build its item when none is stored (0012), and
# never its body (0013).
_LIST_COLUMNS = _EVENT_COLUMNS.replace(
    "e.summary", "CASE WHEN e.item = '' THEN e.summary ELSE '' END AS summary"
).replace("e.body", "'' AS body")
# One event reads its summary only to build its body when none is stored (0013).
_ONE_COLUMNS = _EVENT_COLUMNS.replace(
    "e.summary", "CASE WHEN e.item = '' OR e.body = '' THEN e.summary ELSE '' END AS summary"
)
# Fixed filter fragments; values always travel as parameters. A partial date is in range when
# any of its days is (as in `events`). The year bound of "since" is implied by the test after
# it; it lets the database seek the date index instead of scanning.
_EVENT_FILTERS = {
    "type": "e.type = ?",
    "status": "e.status = ?",
    "party": "EXISTS (SELECT 1 FROM ledger_parties p WHERE p.event_id = e.id AND p.code = ?)",
    "person_id": "EXISTS (SELECT 1 FROM person_events pe WHERE pe.event_id = e.id"
    " AND pe.person_id = ?)",
    "since": "e.sort_date >= substr(?, 1, 4) AND e.sort_date || '-99' >= ? AND e.sort_date <> '~'",
    "until": "e.sort_date <= ?",
    "has_conflict": "e.has_conflict = ?",
    "political": "e.political = ?",
    "text": "e.search_text LIKE ? ESCAPE '\\'",
    # A row value: an index on (..., sort_date, id) seeks to it (the equivalent OR of the two
    # columns was a filter, read from the first row on: 20 ms for a page 6,000 rows in on
    # PostgreSQL, 0.13 as a row value, benchmarks/load.py's 10,000-event ledger).
    "after": "(e.sort_date, e.id) > (?, ?)",
}
# A party's events are walked in ledger_event_parties (0014), whose rows repeat each event's
# political flag and sort date: the order, the date bounds, the scope and the cursor are read
# there, so the walk seeks and stops after the page. A list page whose filters its rows hold
# all (type and status too, and the item it shows: 0015) reads them alone, without the join.
_PARTY_FROM = f" FROM {PARTY_ORDER} x JOIN ledger_events e ON e.id = x.event_id"
_PARTY_FILTERS = {
    **_EVENT_FILTERS,
    "party_order": "x.code = ?",
    "since": "x.sort_date >= substr(?, 1, 4) AND x.sort_date || '-99' >= ? AND x.sort_date <> '~'",
    "until": "x.sort_date <= ?",
    "political": "x.political = ?",
    "after": "(x.sort_date, x.event_id) > (?, ?)",
}
# The filters the party order's rows answer alone (0015): a page filtered by these only is
# read from the party's rows, without a join.
_PARTY_ONLY = frozenset(("party_order", "type", "status", "since", "until", "political", "after"))
_PARTY_ROW_FILTERS = {**_PARTY_FILTERS, "type": "x.type = ?", "status": "x.status = ?"}
_PERSON_COLUMNS = "p.id, p.public_id, p.name, p.protected"


# Tables whose rows an incremental update rewrites in place (other rows refer to them).
_UPSERTED = ("ledger_events", "persons")


# The protected persons as the last write of the ledger kept them (ledger.build's
# protected_meta), read with the rows they guard.
_PROTECTED = f"(SELECT value FROM {LEDGER_META} WHERE name = 'protected')"
# The ledger's version as `ledger_version` reads it (a ledger built before 'version' was kept
# is known by its summary), read in the statement of the rows it goes with.
_VERSION = (
    f"COALESCE((SELECT value FROM {LEDGER_META} WHERE name = 'version'),"
    f" (SELECT value FROM {LEDGER_META} WHERE name = 'summary'))"
)


def _party_order(tables: LedgerTables) -> list[list[Any]]:
    """The rows of ledger_event_parties (0014, 0015) for the events of `tables`: each event
    under each of its parties, once, with what a list page shows of it."""
    events = {e.id: e for e in tables.events}
    keys = {(p.code, p.event_id) for p in tables.parties if p.event_id in events}
    return [
        [code, int(e.political), e.sort_date, i, e.type, e.status, e.item]
        for code, i in sorted(keys)
        for e in (events[i],)
    ]


def _event_query(query: EventQuery, *, page: bool = False) -> tuple[str, list[Any], str]:
    """The FROM ... LIMIT of a ledger-event query, its parameters, and the columns that give
    an event's (id, sort_date, item) there. With `page` (only those are read), from the party
    order's rows alone when they hold every filter."""
    given: dict[str, tuple[Any, ...] | None] = {
        "type": (query.type,) if query.type is not None else None,
        "status": (query.status,) if query.status is not None else None,
        "party": (query.party,) if query.party is not None else None,
        "person_id": (query.person_id,) if query.person_id is not None else None,
        "since": (query.since, query.since) if query.since is not None else None,
        "until": (query.until + "~",) if query.until is not None else None,
        "has_conflict": None if query.has_conflict is None else (int(query.has_conflict),),
        "political": None if query.political is None else (int(query.political),),
        "text": (like_pattern(query.text),) if query.text else None,
        "after": (query.after[0], query.after[1]) if query.after else None,
    }
    # Walked from the party (0014), its events in list order; a conflict filter keeps the
    # conflict index (0011), which holds far fewer rows than a party (1.3 ms a page walked from
    # the party on benchmarks/load.py's ledger, 0.05 from the index).
    listed = "e.id, e.sort_date, e.item"
    if query.party is not None and query.has_conflict is None:
        given = {"party_order": given.pop("party"), **given}
        filters = _PARTY_FILTERS
        sql, order = _PARTY_FROM, " ORDER BY x.sort_date, x.event_id"
        if page and all(k in _PARTY_ONLY for k, v in given.items() if v is not None):
            listed, filters = "x.event_id, x.sort_date, x.item", _PARTY_ROW_FILTERS
            sql = f" FROM {PARTY_ORDER} x"
    else:
        filters, sql, order = _EVENT_FILTERS, " FROM ledger_events e", " ORDER BY e.sort_date, e.id"
    clauses = [filters[k] for k, v in given.items() if v is not None]
    params: list[Any] = [p for v in given.values() if v is not None for p in v]
    sql += (" WHERE " + " AND ".join(clauses) if clauses else "") + order
    if query.limit is not None:
        sql += " LIMIT ?"
        params.append(int(query.limit))
    return sql, params, listed


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _event_row(r: Sequence[Any]) -> LedgerEventRow:
    """A LedgerEventRow from the columns of _EVENT_COLUMNS."""
    return LedgerEventRow(
        id=r[0], type=r[1], status=r[2], date=r[3], date_precision=r[4], sort_date=r[5],
        count_value=r[6], count_qualifier=r[7], sector=r[8], has_conflict=bool(r[9]),
        n_sources=int(r[10]), n_mentions=int(r[11]), persons_released=int(r[12]),
        search_text=r[13], summary=r[14], political=bool(r[15]), item=r[16], body=r[17],
    )  # fmt: skip


def _text(value: Any) -> str | None:
    """A text cell as str, NULL as None."""
    return None if value is None else str(value)


def _deal_part(r: Sequence[Any]) -> DealPartDetail:
    """A DealPartDetail from its columns (those of `deal_parts` below)."""
    return DealPartDetail(
        deal_id=r[0], event_id=r[1], type=r[2], gives=r[3], gets=r[4], status=r[5], date=r[6],
        sort_date=r[7], count_value=r[8], count_qualifier=r[9], sector=r[10],
        political=bool(r[11]),
    )  # fmt: skip


def _person(r: Sequence[Any]) -> PersonRef:
    """A PersonRef from (id, public_id, name, protected)."""
    return PersonRef(str(r[0]), str(r[1]), str(r[2]), bool(r[3]))


class LedgerOps(Core):
    """The resolved ledger: rebuilt whole, read in pages and by id."""

    # ------------------------------------------------------------ the user's decisions

    def decisions(self) -> list[DecisionRow]:
        """The hand merges and splits, in the order made."""
        rows = self._rows("SELECT id, action, a, b, created_at FROM person_overrides ORDER BY id")
        return [DecisionRow(int(r[0]), str(r[1]), str(r[2]), r[3], str(r[4])) for r in rows]

    def flags(self) -> list[FlagRow]:
        """The protection marks, by spelling key."""
        rows = self._rows("SELECT spelling_key, protected FROM person_flags ORDER BY spelling_key")
        return [FlagRow(str(k), bool(p)) for k, p in rows]

    def record_merge(self, a: str, b: str) -> None:
        """Record that the persons holding spellings a and b are one (ids from the database)."""
        with self._transaction(write=True):
            self._write(
                "INSERT INTO person_overrides (action, a, b, created_at) VALUES ('merge', ?, ?, ?)",
                (a, b, now()),
            )

    def record_split(self, spelling: str) -> None:
        """Record that `spelling` is a person of its own, undoing earlier merges of it."""
        with self._transaction(write=True):
            self._write(
                "DELETE FROM person_overrides WHERE action = 'merge' AND (a = ? OR b = ?)",
                (spelling, spelling),
            )
            self._write(
                "INSERT INTO person_overrides (action, a, b, created_at)"
                " VALUES ('split', ?, NULL, ?)",
                (spelling, now()),
            )

    def set_flags(self, spelling_keys: Sequence[str], protected: bool) -> None:
        """Mark (or unmark) the spellings protected, in one transaction."""
        with self._transaction(write=True):
            for key in spelling_keys:
                self._write("DELETE FROM person_flags WHERE spelling_key = ?", (key,))
                self._write(
                    "INSERT INTO person_flags (spelling_key, protected) VALUES (?, ?)",
                    (key, int(protected)),
                )

    # ------------------------------------------------------------ rebuilding

    def counts(self) -> Counts:
        """How many rows each kind of record has."""
        tables = ("articles", "event_mentions", "ingest_problems", "person_overrides",
                  "person_flags", "ledger_events", "persons", "deals",
                  "offtopic_articles")  # fmt: skip
        sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)
        return Counts(*(int(n) for n in self._rows(sql)[0]))

    def basis_counts(self) -> tuple[int, int]:
        """How many articles and event mentions are stored (what a ledger is built from; the
        two tables `counts` would count among its nine, each a scan on PostgreSQL)."""
        row = self._rows(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM event_mentions)"
        )[0]
        return int(row[0]), int(row[1])

    def replace_ledger(self, tables: LedgerTables, meta: dict[str, str]) -> None:
        """Replace every derived ledger table and the ledger's meta rows, in one transaction.

        Call it inside `ledger_transaction` to check, in the same transaction, that what the
        ledger was computed from is still what is stored.
        """
        with self.ledger_transaction():
            conn = self._local.conn
            self._write(f"DELETE FROM {PARTY_ORDER}")
            for table, _, _ in reversed((*LEDGER_TABLES, (LEDGER_META, None, None))):
                self._write(f"DELETE FROM {table}")
            for table, row_type, name in LEDGER_TABLES:
                names = columns(row_type)
                rows = [[getattr(r, c) for c in names] for r in getattr(tables, name)]
                self._insert_many(conn, table, names, rows)
            self._insert_many(conn, PARTY_ORDER, PARTY_ORDER_COLUMNS, _party_order(tables))
            self._insert_many(conn, LEDGER_META, ("name", "value"), sorted(meta.items()))

    def patch_ledger(self, patch: LedgerPatch, meta: dict[str, str]) -> None:
        """Replace the rows of some events and persons (and the deals, if asked) and set the
        meta rows, in one transaction: readers see the ledger before or after, never between.

        Written events and persons keep their rows' keys (an update in place, since unchanged
        deals and events still refer to them); their child rows are replaced.
        """
        events = sorted({*patch.events_written, *patch.events_removed})
        persons = sorted({*patch.persons_written, *patch.persons_removed})
        with self.ledger_transaction():
            conn = self._local.conn
            if patch.deals:
                self._write("DELETE FROM deal_parts")
                self._write("DELETE FROM deals")
            for chunk in chunks(events):
                for table in (PARTY_ORDER, "person_events", "ledger_parties", "ledger_members",
                              "ledger_values"):  # fmt: skip
                    self._write(f"DELETE FROM {table} WHERE event_id IN ({marks(chunk)})", chunk)
            for chunk in chunks(persons):  # (their events' rows are the events' own)
                for table in ("person_spellings", "person_history"):
                    self._write(f"DELETE FROM {table} WHERE person_id IN ({marks(chunk)})", chunk)
            for chunk in chunks(sorted(patch.persons_removed)):
                self._write(f"DELETE FROM person_events WHERE person_id IN ({marks(chunk)})", chunk)
                self._write(f"DELETE FROM persons WHERE id IN ({marks(chunk)})", chunk)
            for chunk in chunks(sorted(set(patch.events_removed) - set(patch.events_written))):
                self._write(f"DELETE FROM ledger_events WHERE id IN ({marks(chunk)})", chunk)
            for table, row_type, name in LEDGER_TABLES:
                names = columns(row_type)
                rows = [[cell(getattr(r, c)) for c in names] for r in getattr(patch.tables, name)]
                if table in _UPSERTED:
                    if rows:
                        self._execute_many(conn, upsert_sql(table, names, "id"), rows)
                else:
                    self._insert_many(conn, table, names, rows)
            self._insert_many(conn, PARTY_ORDER, PARTY_ORDER_COLUMNS, _party_order(patch.tables))
            self._set_meta(meta)

    def _set_meta(self, meta: dict[str, str]) -> None:
        """Set meta rows (in the open transaction)."""
        for name, value in sorted(meta.items()):
            self._write(upsert_sql(LEDGER_META, ("name", "value"), "name"), (name, value))

    def ledger_article_ids(self) -> set[str]:
        """The articles whose mentions are in the resolved ledger."""
        return {str(r[0]) for r in self._rows("SELECT DISTINCT article_id FROM ledger_members")}

    def ledger_meta(self, name: str) -> str | None:
        """One value of the ledger's meta rows (None when never built)."""
        rows = self._rows("SELECT value FROM ledger_meta WHERE name = ?", (name,))
        return str(rows[0][0]) if rows else None

    def ledger_version(self) -> str | None:
        """What the resolved ledger's reads depend on: changes with every rebuild."""
        return _text(self._rows(f"SELECT {_VERSION}")[0][0])

    # ------------------------------------------------------------ ledger events

    def ledger_events(self, query: EventQuery) -> list[LedgerEventRow]:
        """Ledger events matching every filter of `query`, in (sort_date, id) order (their
        summaries read as "" when their list items are stored: the items hold what a list
        shows)."""
        sql, params, _ = _event_query(query)
        return [_event_row(r) for r in self._rows(f"SELECT {_LIST_COLUMNS}" + sql, params)]

    def ledger_page(self, query: EventQuery) -> LedgerPage:
        """The events of `ledger_events(query)` as a list page needs them (id, place, stored
        item), with the ledger's protected persons and version, read in one statement: one
        state of the ledger without a transaction around it. The state is a row of its own
        (id NULL) before the page's, so an empty page says it too."""
        sql, params, listed = _event_query(query, page=True)
        rows = self._rows(
            f"SELECT NULL, '', '', {_PROTECTED}, {_VERSION}"
            f" UNION ALL SELECT * FROM (SELECT {listed}, NULL, NULL{sql}) AS page",
            params,
        )
        head = next(r for r in rows if r[0] is None)
        # In list order whatever order the union gave them in (the database compares the
        # keys bytewise, as Python compares str).
        events = sorted(
            (ListedEvent(str(i), str(d), str(t)) for i, d, t, _p, _v in rows if i is not None),
            key=lambda e: (e.sort_date, e.id),
        )
        return LedgerPage(tuple(events), head[3], _text(head[4]))

    def ledger_event(self, event_id: str) -> LedgerEventRow | None:
        """One ledger event (None when absent)."""
        rows = self._rows(f"SELECT {_ONE_COLUMNS} FROM ledger_events e WHERE e.id = ?",
                          (event_id,))  # fmt: skip
        return _event_row(rows[0]) if rows else None

    def ledger_event_deals(self, event_id: str) -> EventRead:
        """One ledger event, the deals holding it (as `deals(event_id)`) and the ledger's
        protected persons and version, read in one statement: one state of the ledger."""
        rows = self._rows(
            f"SELECT {_ONE_COLUMNS}, d.id, d.status, d.summary, {_PROTECTED}, {_VERSION}"
            " FROM ledger_events e LEFT JOIN deal_parts x ON x.event_id = e.id"
            " LEFT JOIN deals d ON d.id = x.deal_id WHERE e.id = ? ORDER BY d.id",
            (event_id,),
        )
        if not rows:
            return EventRead(None, (), None, None)
        deals = {str(r[-5]): DealRow(str(r[-5]), str(r[-4]), str(r[-3])) for r in rows
                 if r[-5] is not None}  # fmt: skip
        first = rows[0]
        return EventRead(_event_row(first), tuple(deals.values()), first[-2], _text(first[-1]))

    def ledger_parties(self, event_ids: Sequence[str]) -> list[LedgerPartyRow]:
        """The parties of the given events, by event, role and position."""
        found: list[LedgerPartyRow] = []
        for chunk in chunks(event_ids):
            found += [
                LedgerPartyRow(str(e), str(r), int(p), str(c))
                for e, r, p, c in self._rows(
                    "SELECT event_id, role, position, code FROM ledger_parties"
                    f" WHERE event_id IN ({marks(chunk)}) ORDER BY event_id, role, position",
                    chunk,
                )
            ]
        return found

    def event_persons(self, event_ids: Sequence[str]) -> list[EventPersonRow]:
        """The persons of the given events, in each event's order."""
        found: list[EventPersonRow] = []
        for chunk in chunks(event_ids):
            found += [
                EventPersonRow(str(e), str(i), str(pub), str(n), bool(p))
                for e, i, pub, n, p in self._rows(
                    "SELECT pe.event_id, p.id, p.public_id, p.name, p.protected"
                    " FROM person_events pe JOIN persons p ON p.id = pe.person_id"
                    f" WHERE pe.event_id IN ({marks(chunk)}) ORDER BY pe.event_id, pe.position",
                    chunk,
                )
            ]
        return found

    def ledger_values(self, event_id: str) -> list[LedgerValueRow]:
        """Every value of every field of one event, with its sources, by field and position."""
        rows = self._rows(
            "SELECT event_id, field, position, value, sources, conflict FROM ledger_values"
            " WHERE event_id = ? ORDER BY field, position",
            (event_id,),
        )
        return [LedgerValueRow(str(e), str(f), int(p), str(v), str(s), bool(c))
                for e, f, p, v, s, c in rows]  # fmt: skip

    def mention_events(self) -> dict[str, str]:
        """The ledger event of every resolved mention, by mention id."""
        return {str(m): str(e) for m, e in self._rows(
            "SELECT mention_id, event_id FROM ledger_members")}  # fmt: skip

    def article_events(self, article_id: str) -> list[str]:
        """The ids of the ledger events an article's mentions went into, sorted."""
        rows = self._rows(
            "SELECT DISTINCT event_id FROM ledger_members WHERE article_id = ? ORDER BY event_id",
            (article_id,),
        )
        return [str(r[0]) for r in rows]

    def monthly(self, party: str | None = None, political: bool | None = None) -> list[MonthRow]:
        """Events and people released per month and acting side, dated events only; each
        event counted once.

        The acting side is the event's `by` parties: one ("BLR"), or several joined with "+"
        for a swap or joint talks ("RUS+USA": an 8-person swap is 8 people once, not 8 for
        each side). With `party`, that party's events on either side, as one row a month.
        `political`: political events only (True), the others only (False), all (None).
        """
        scope = "" if political is None else f" AND {_EVENT_FILTERS['political']}"
        scoped: tuple[int, ...] = () if political is None else (int(political),)
        if party:
            rows = self._rows(
                "SELECT substr(e.sort_date, 1, 7), COUNT(*), SUM(e.persons_released)"
                " FROM ledger_events e WHERE length(e.sort_date) >= 7 AND EXISTS (SELECT 1"
                f" FROM ledger_parties p WHERE p.event_id = e.id AND p.code = ?){scope}"
                " GROUP BY substr(e.sort_date, 1, 7) ORDER BY 1",
                (party, *scoped),
            )
            return [MonthRow(str(m), party, int(n), int(r or 0)) for m, n, r in rows]
        sides: dict[tuple[str, str], tuple[list[str], int]] = {}
        for month, event_id, released, code in self._rows(
            "SELECT substr(e.sort_date, 1, 7), e.id, e.persons_released, p.code"
            " FROM ledger_events e JOIN ledger_parties p ON p.event_id = e.id AND p.role = 'by'"
            f" WHERE length(e.sort_date) >= 7{scope}",
            scoped,
        ):
            sides.setdefault((str(month), str(event_id)), ([], int(released or 0)))[0].append(
                str(code)
            )
        totals: dict[tuple[str, str], list[int]] = {}
        for (month, _), (codes, released) in sides.items():
            total = totals.setdefault((month, "+".join(sorted(set(codes)))), [0, 0])
            total[0] += 1
            total[1] += released
        return [MonthRow(m, side, n, r) for (m, side), (n, r) in sorted(totals.items())]

    # ------------------------------------------------------------ deals

    def deals(self, event_id: str | None = None) -> list[DealRow]:
        """Every deal (or the one holding `event_id`), by id."""
        where = ""
        params: tuple[str, ...] = ()
        if event_id is not None:
            where = (
                " WHERE EXISTS (SELECT 1 FROM deal_parts x"
                " WHERE x.deal_id = d.id AND x.event_id = ?)"
            )
            params = (event_id,)
        rows = self._rows(
            f"SELECT d.id, d.status, d.summary FROM deals d{where} ORDER BY d.id", params
        )
        return [DealRow(str(i), str(s), str(m)) for i, s, m in rows]

    def deal_parts(self, deal_ids: Sequence[str]) -> list[DealPartDetail]:
        """The parts of the given deals, with their events' headline fields, in order."""
        found: list[DealPartDetail] = []
        for chunk in chunks(deal_ids):
            found += [
                _deal_part(r)
                for r in self._rows(
                    "SELECT dp.deal_id, dp.event_id, dp.type, dp.gives, dp.gets, e.status, e.date,"
                    " e.sort_date, e.count_value, e.count_qualifier, e.sector, e.political"
                    " FROM deal_parts dp"
                    " JOIN ledger_events e ON e.id = dp.event_id"
                    f" WHERE dp.deal_id IN ({marks(chunk)})"
                    " ORDER BY dp.deal_id, dp.position",
                    chunk,
                )
            ]
        return found

    # ------------------------------------------------------------ persons

    def persons_by_id(self, key: str) -> list[PersonRef]:
        """The person whose id or public id is `key`."""
        rows = self._rows(
            f"SELECT {_PERSON_COLUMNS} FROM persons p WHERE p.public_id = ? OR p.id = ?", (key, key)
        )
        return [_person(r) for r in rows]

    def persons_by_spelling(self, spelling_key: str) -> list[PersonRef]:
        """The persons holding a spelling with this key (casefolded), by id."""
        rows = self._rows(
            f"SELECT DISTINCT {_PERSON_COLUMNS} FROM persons p JOIN person_spellings s"
            " ON s.person_id = p.id WHERE s.spelling_key = ? ORDER BY p.id",
            (spelling_key,),
        )
        return [_person(r) for r in rows]

    def all_spellings(self, *, protected_only: bool = False) -> list[SpellingRef]:
        """Every spelling with its person (of protected persons only, if asked), by person."""
        where = " WHERE p.protected = 1" if protected_only else ""
        rows = self._rows(
            f"SELECT {_PERSON_COLUMNS}, s.spelling FROM persons p JOIN person_spellings s"
            f" ON s.person_id = p.id{where} ORDER BY p.id, s.spelling"
        )
        return [SpellingRef(_person(r), str(r[4])) for r in rows]

    def spellings(self, person_ids: Sequence[str]) -> list[PersonSpellingRow]:
        """The spellings of the given persons, by person and spelling."""
        found: list[PersonSpellingRow] = []
        for chunk in chunks(person_ids):
            found += [
                PersonSpellingRow(str(p), str(s), str(k))
                for p, s, k in self._rows(
                    "SELECT person_id, spelling, spelling_key FROM person_spellings"
                    f" WHERE person_id IN ({marks(chunk)}) ORDER BY person_id, spelling",
                    chunk,
                )
            ]
        return found

    def spellings_with_key(self, spelling_key: str) -> list[str]:
        """The stored spellings with this key, sorted."""
        rows = self._rows(
            "SELECT spelling FROM person_spellings WHERE spelling_key = ? ORDER BY spelling",
            (spelling_key,),
        )
        return [str(r[0]) for r in rows]

    def persons_page(self, query: PersonQuery) -> list[PersonListRow]:
        """Persons in (sort_key, public_id) order after `query.after`, at most `query.limit`."""
        clauses: list[str] = []
        params: list[Any] = []
        if query.text is not None:
            ids = sorted(query.ids)
            clauses.append(
                "(p.id IN (SELECT s.person_id FROM person_spellings s"
                " WHERE s.spelling_key LIKE ? ESCAPE '\\')"
                + (f" OR p.id IN ({marks(ids)})" if ids else "")
                + ")"
            )
            params += [like_pattern(query.text), *ids]
        if query.unprotected_only:
            clauses.append("p.protected = 0")
        # With a scope, a person is listed with the happenings of that scope, and only when
        # there is one (the person of an ordinary arrest alone is no political person).
        of_person = "FROM person_events pe WHERE pe.person_id = p.id"
        scoped: list[Any] = []
        if query.political is not None:
            of_person = (
                "FROM person_events pe JOIN ledger_events e ON e.id = pe.event_id"
                f" WHERE pe.person_id = p.id AND {_EVENT_FILTERS['political']}"
            )
            scoped = [int(query.political)]
            clauses.append(f"EXISTS (SELECT 1 {of_person})")
            params += scoped
        if query.after:
            key, public = query.after
            clauses.append("(p.sort_key > ? OR (p.sort_key = ? AND p.public_id > ?))")
            params += [key, key, public]
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._rows(
            f"SELECT {_PERSON_COLUMNS}, p.sort_key, (SELECT COUNT(*) {of_person})"
            f" FROM persons p{where} ORDER BY p.sort_key, p.public_id LIMIT ?",
            [*scoped, *params, query.limit],
        )
        return [PersonListRow(_person(r), str(r[4]), int(r[5])) for r in rows]

    def person_history(self, person_id: str) -> list[PersonHistoryRow]:
        """A person's status history, in order."""
        rows = self._rows(
            "SELECT person_id, position, status, date, event_id, sources FROM person_history"
            " WHERE person_id = ? ORDER BY position",
            (person_id,),
        )
        return [PersonHistoryRow(str(p), int(i), str(s), d, str(e), str(src))
                for p, i, s, d, e, src in rows]  # fmt: skip

    # ------------------------------------------------------------ whole tables (copy)

    def table_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """Every row of one copied table, its columns as COPY_TABLES lists them, in key order."""
        names = dict(COPY_TABLES)[table]
        yield from self._rows(f"SELECT {', '.join(names)} FROM {table} ORDER BY {', '.join(names)}")

    def load_table(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows (columns as COPY_TABLES lists them) in the open write transaction."""
        self._insert_many(self._local.conn, table, dict(COPY_TABLES)[table],
                          [[cell(v) for v in r] for r in rows])  # fmt: skip

    def finish_load(self) -> None:
        """Bring id sequences past the ids a copy loaded (a backend that keeps them)."""
