"""The ledger store: articles, their event mentions, parties, persons and ingest problems.

SQLite is the default backend (one file, WAL mode so readers never block the ingest). Every
statement is portable SQL with `?` parameters and explicit column lists, and the schema lives in
numbered migration files (`releasewatch/migrations/NNNN_name.sql`), so a PostgreSQL backend can
implement the same `Store` protocol by swapping the connection, the placeholder style and the
few SQLite pragmas in `SQLiteStore._configure`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from .errors import NotFoundError, StoreError
from .model import Article, ArticleRecord, Count, EventMention
from .parse import normalise_content
from .resolve import MentionRef

ENV_VAR = "RELEASEWATCH_DB"
DEFAULT_DB = "releasewatch.sqlite"
BUSY_TIMEOUT_MS = 10_000  # how long a writer waits for another writer's lock; ample for one article
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_IN_CHUNK = 500  # ids per "IN (...)" list: under SQLite's 999-parameter floor


@dataclass(frozen=True)
class Migration:
    """One numbered schema change."""

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


def load_migrations(directory: Path | None = None) -> tuple[Migration, ...]:
    """The migrations in `directory` (default: the bundled ones), ordered by number."""
    folder: Any = (
        directory if directory is not None else resources.files(__package__) / "migrations"
    )
    found: dict[int, Migration] = {}
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise StoreError(f"migrations: two files numbered {version:04d} in {folder}")
        found[version] = Migration(version, match.group(2), entry.read_text(encoding="utf-8"))
    return tuple(found[v] for v in sorted(found))


def body_hash(text: str) -> str | None:
    """Hash of a clean body as compared for dedupe (None for an empty body)."""
    normal = normalise_content(text)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest() if normal else None


def resolve_db_path(db: str | Path | None = None) -> Path:
    """The ledger file: the argument, else $RELEASEWATCH_DB, else ./releasewatch.sqlite."""
    return Path(db or os.environ.get(ENV_VAR) or DEFAULT_DB)


def _now() -> str:
    """The current UTC time as ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _loads(text: str | None) -> tuple[str, ...]:
    """A JSON list column as a tuple."""
    return tuple(json.loads(text)) if text else ()


def _dumps(items: Sequence[str]) -> str:
    """A list for a JSON text column."""
    return json.dumps(list(items), ensure_ascii=False)


def _plain(row: Any) -> dict[str, Any]:
    """A row dataclass as a JSON-ready dict (tuples become lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(row).items()}


@dataclass(frozen=True)
class ArticleRow:
    """An ingested article as listed (no texts), with its problems and event count."""

    id: str
    source: str
    url: str | None
    kind: str
    encoding: str
    title: str | None
    published: str | None
    outlet: str | None
    author: str | None
    dateline: str | None
    cited_sources: tuple[str, ...]
    tags: tuple[str, ...]
    problems: tuple[str, ...]
    ingested_at: str
    events: int

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return _plain(self)


@dataclass(frozen=True)
class EventRow:
    """One stored event mention, with its parties, persons and the article it came from."""

    id: str
    article_id: str
    index: int
    type: str
    status: str
    by: tuple[str, ...]
    to: tuple[str, ...]
    count: Count | None
    persons: tuple[str, ...]
    sector: str | None
    date: str | None
    evidence: str
    start: int
    end: int
    attribution: str | None
    confidence: float
    background: bool
    article_title: str | None
    article_published: str | None
    article_outlet: str | None
    article_source: str
    article_url: str | None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (count as {"value", "qualifier"} or None)."""
        return _plain(self)

    def to_mention(self) -> EventMention:
        """The stored mention as the stage dataclass."""
        return EventMention(
            type=self.type, status=self.status, evidence=self.evidence, start=self.start,
            end=self.end, by=self.by, to=self.to, count=self.count, persons=self.persons,
            sector=self.sector, date=self.date, attribution=self.attribution,
            confidence=self.confidence, background=self.background,
        )  # fmt: skip

    def to_ref(self) -> MentionRef:
        """The stored mention with its article context, as the resolve stage takes it."""
        return MentionRef(
            self.article_id, self.index, self.article_published, self.article_outlet,
            self.article_title, self.to_mention(),
        )  # fmt: skip


@dataclass(frozen=True)
class EventDetail:
    """An event with its evidence located in its paragraph, and its article."""

    event: EventRow
    article: ArticleRow
    paragraph: str | None  # the clean-text paragraph holding the evidence
    span: tuple[int, int] | None  # offsets of the evidence inside `paragraph`

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "event": self.event.to_dict(),
            "article": self.article.to_dict(),
            "paragraph": self.paragraph,
            "span": list(self.span) if self.span else None,
        }


@dataclass(frozen=True)
class ProblemRow:
    """An input that could not be ingested."""

    source: str
    reason: str
    first_seen: str


def locate_paragraph(
    text: str, evidence: str, start: int, end: int
) -> tuple[str | None, tuple[int, int] | None]:
    """The paragraph of `text` holding the evidence, and the evidence's span inside it."""
    if not (0 <= start < end <= len(text) and text[start:end] == evidence):
        start = text.find(evidence) if evidence else -1
        if start < 0:
            return None, None
        end = start + len(evidence)
    head = text.rfind("\n\n", 0, start)
    para_start = 0 if head < 0 else head + 2
    tail = text.find("\n\n", end)
    para_end = len(text) if tail < 0 else tail
    return text[para_start:para_end], (start - para_start, end - para_start)


class Store(Protocol):
    """What the pipeline and the interfaces need from a ledger backend."""

    def is_known(self, article_id: str, clean_text: str) -> bool:
        """Whether an article with this identity or this clean body is stored."""
        ...

    def add(self, record: ArticleRecord, *, encoding: str = "utf-8") -> bool:
        """Store an article and its mentions in one transaction; False if already known."""
        ...

    def add_problem(self, source: str, reason: str) -> None:
        """Record an input that could not be ingested."""
        ...

    def events(
        self,
        *,
        type: str | None = None,
        party: str | None = None,
        since: str | None = None,
        until: str | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[EventRow]:
        """Stored event mentions matching every given filter, in date order."""
        ...

    def event(self, event_id: str) -> EventDetail:
        """One event with its paragraph and article; NotFoundError if absent."""
        ...

    def articles(self) -> list[ArticleRow]:
        """Every stored article with its problems, in ingest order."""
        ...

    def problems(self) -> list[ProblemRow]:
        """Every input that could not be ingested."""
        ...

    def mentions(self, ids: Sequence[str] | None = None) -> list[EventRow]:
        """The stored mentions with these ids (every mention when None), in date order."""
        ...

    def article_texts(self, ids: Sequence[str]) -> dict[str, str]:
        """The clean bodies of the given articles, by id."""
        ...

    def article_record(self, article_id: str) -> ArticleRecord:
        """A stored article rebuilt with its events, as extraction gave them."""
        ...

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of one read statement (portable SQL, `?` parameters)."""
        ...

    def snapshot(self) -> contextlib.AbstractContextManager[None]:
        """A read transaction: every query inside sees one state of the ledger."""
        ...

    def transaction(self) -> contextlib.AbstractContextManager[Any]:
        """A write transaction yielding a cursor; committed on success, else rolled back."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


_ARTICLE_INSERT = (
    "INSERT INTO articles (id, source, url, kind, encoding, title, published, outlet, author,"
    " dateline, cited_sources, tags, raw_text, clean_text, body_hash, problems, ingested_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_MENTION_INSERT = (
    "INSERT INTO event_mentions (id, article_id, mention_index, event_type, status, count_value,"
    " count_qualifier, sector, event_date, evidence, start_offset, end_offset, attribution,"
    " confidence, background) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_PARTY_INSERT = "INSERT INTO mention_parties (mention_id, role, position, code) VALUES (?, ?, ?, ?)"
_PERSON_INSERT = "INSERT INTO mention_persons (mention_id, position, name) VALUES (?, ?, ?)"
_PROBLEM_INSERT = (
    "INSERT INTO ingest_problems (source, reason, first_seen) VALUES (?, ?, ?)"
    " ON CONFLICT (source, reason) DO NOTHING"
)
_ARTICLE_COLUMNS = (
    "a.id, a.source, a.url, a.kind, a.encoding, a.title, a.published, a.outlet, a.author,"
    " a.dateline, a.cited_sources, a.tags, a.problems, a.ingested_at,"
    " (SELECT COUNT(*) FROM event_mentions m WHERE m.article_id = a.id)"
)
_EVENT_SELECT = (
    "SELECT m.id, m.article_id, m.mention_index, m.event_type, m.status, m.count_value,"
    " m.count_qualifier, m.sector, m.event_date, m.evidence, m.start_offset, m.end_offset,"
    " m.attribution, m.confidence, m.background, a.title, a.published, a.outlet, a.source, a.url"
    " FROM event_mentions m JOIN articles a ON a.id = m.article_id"
)
_EVENT_ORDER = " ORDER BY COALESCE(m.event_date, a.published, ''), a.id, m.mention_index"
# Fixed filter fragments; values always travel as parameters. A partial date ("2025-12") is
# in range when any of its days is: hence the '-99' suffix on the row's date for the lower bound,
# and the '~' (sorting after digits and '-') that `events` appends to the upper bound.
_EVENT_FILTERS = {
    "type": "m.event_type = ?",
    "status": "m.status = ?",
    "party": "EXISTS (SELECT 1 FROM mention_parties p WHERE p.mention_id = m.id AND p.code = ?)",
    "since": "COALESCE(m.event_date, a.published) || '-99' >= ?",
    "until": "COALESCE(m.event_date, a.published) <= ?",
}


class SQLiteStore:
    """The ledger in one SQLite file (created and migrated on first use)."""

    def __init__(self, path: str | Path, *, migrations: Sequence[Migration] | None = None) -> None:
        self.path = Path(path)
        self._migrations = tuple(migrations) if migrations is not None else load_migrations()
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
            self._configure()
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the ledger: {exc}") from exc

    def _configure(self) -> None:
        """SQLite-only settings: WAL journal, busy timeout, enforced foreign keys.

        synchronous=NORMAL is the usual WAL setting: a crashed process loses no committed
        article; only a power cut may lose the last few commits (the file stays consistent).
        """
        self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._conn.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction: committed on success, rolled back on any exception."""
        cur = self._conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """A write transaction for other modules' tables; database errors become StoreError."""
        try:
            with self._transaction() as cur:
                yield cur
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: write failed: {exc}") from exc

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: queries inside see one committed state (nested: a no-op)."""
        if self._conn.in_transaction:
            yield
            return
        self._conn.execute("BEGIN")
        try:
            yield
        finally:
            self._conn.execute("COMMIT")

    def _migrate(self) -> None:
        """Apply, in order and each in its own transaction, the migrations not yet recorded.

        Reads first: when every migration is applied (the usual case) no write lock is taken,
        so opening a store never queues behind an ingest or a long ledger rebuild.
        """
        known = {m.version: m.name for m in self._migrations}
        applied = self.applied_migrations()
        for version, name in applied:
            if known.get(version) != name:
                raise StoreError(
                    f"{self.path}: ledger has migration {version:04d}_{name}, which this"
                    " releasewatch does not know (written by a newer version?)"
                )
        if {v for v, _ in applied} >= set(known):
            return
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
            " name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for migration in self._migrations:
            with self._transaction() as cur:
                cur.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
                )
                if cur.fetchone():
                    continue
                try:
                    for statement in migration.statements():
                        cur.execute(statement)
                except sqlite3.Error as exc:
                    raise StoreError(
                        f"{self.path}: migration {migration.version:04d}_{migration.name}"
                        f" failed: {exc}"
                    ) from exc
                cur.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, _now()),
                )

    def applied_migrations(self) -> list[tuple[int, str]]:
        """(version, name) of every migration recorded in the ledger, in order."""
        exists = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if exists is None:  # a new ledger file
            return []
        rows = self._conn.execute("SELECT version, name FROM schema_migrations ORDER BY version")
        return [(int(v), str(n)) for v, n in rows]

    def is_known(self, article_id: str, clean_text: str) -> bool:
        """Whether an article with this identity or this clean body is stored."""
        digest = body_hash(clean_text)
        row = self._conn.execute(
            "SELECT 1 FROM articles WHERE id = ? OR body_hash = ?", (article_id, digest)
        ).fetchone()
        return row is not None

    def add(self, record: ArticleRecord, *, encoding: str = "utf-8") -> bool:
        """Store an article and its mentions in one transaction; False if already known."""
        art = record.article
        if self.is_known(art.id, art.text):
            return False
        try:
            with self._transaction() as cur:
                cur.execute(
                    _ARTICLE_INSERT,
                    (
                        art.id, art.source, art.url, art.kind, encoding, art.title,
                        art.published, art.outlet, art.author, art.dateline,
                        _dumps(art.cited_sources), _dumps(art.tags), art.raw, art.text,
                        body_hash(art.text), _dumps(art.problems), _now(),
                    ),
                )  # fmt: skip
                for index, ev in enumerate(record.events):
                    mention_id = f"{art.id}-{index}"
                    cur.execute(
                        _MENTION_INSERT,
                        (
                            mention_id, art.id, index, ev.type, ev.status,
                            ev.count.value if ev.count else None,
                            ev.count.qualifier if ev.count else None,
                            ev.sector, ev.date, ev.evidence, ev.start, ev.end,
                            ev.attribution, float(ev.confidence), int(ev.background),
                        ),
                    )  # fmt: skip
                    parties = [("by", i, c) for i, c in enumerate(ev.by)]
                    parties += [("to", i, c) for i, c in enumerate(ev.to)]
                    cur.executemany(_PARTY_INSERT, [(mention_id, *p) for p in parties])
                    cur.executemany(
                        _PERSON_INSERT, [(mention_id, i, n) for i, n in enumerate(ev.persons)]
                    )
                cur.execute("DELETE FROM ingest_problems WHERE source = ?", (art.source,))
        except sqlite3.IntegrityError:
            return False  # stored meanwhile by a concurrent ingest
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot store {art.source}: {exc}") from exc
        return True

    def add_problem(self, source: str, reason: str) -> None:
        """Record an input that could not be ingested (once per source and reason)."""
        try:
            with self._transaction() as cur:
                cur.execute(_PROBLEM_INSERT, (source, reason, _now()))
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot record a problem: {exc}") from exc

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read query, wrapping database errors."""
        try:
            return self._conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: query failed: {exc}") from exc

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of one read statement (portable SQL, `?` parameters)."""
        return self._query(sql, params)

    def mentions(self, ids: Sequence[str] | None = None) -> list[EventRow]:
        """The stored mentions with these ids (every mention when None), in date order."""
        if ids is None:
            return self._event_rows("", ())
        rows: list[EventRow] = []
        unique = sorted(set(ids))
        for i in range(0, len(unique), _IN_CHUNK):
            chunk = unique[i : i + _IN_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows.extend(self._event_rows(f" WHERE m.id IN ({marks})", chunk))
        return rows

    def article_texts(self, ids: Sequence[str]) -> dict[str, str]:
        """The clean bodies of the given articles, by id (absent ids are left out)."""
        texts: dict[str, str] = {}
        unique = sorted(set(ids))
        for i in range(0, len(unique), _IN_CHUNK):
            chunk = unique[i : i + _IN_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            sql = f"SELECT id, clean_text FROM articles WHERE id IN ({marks})"
            texts.update((str(a), str(t)) for a, t in self._query(sql, chunk))
        return texts

    def article_record(self, article_id: str) -> ArticleRecord:
        """A stored article rebuilt with its events, as extraction gave them."""
        rows = self._query(
            "SELECT id, source, clean_text, raw_text, kind, url, title, published, outlet,"
            " author, dateline, cited_sources, tags, problems FROM articles WHERE id = ?",
            (article_id,),
        )
        if not rows:
            raise NotFoundError(f"article {article_id!r}: no such article in {self.path}")
        r = rows[0]
        article = Article(
            id=r[0], source=r[1], text=r[2], raw=r[3], kind=r[4], url=r[5], title=r[6],
            published=r[7], outlet=r[8], author=r[9], dateline=r[10],
            cited_sources=_loads(r[11]), tags=_loads(r[12]), problems=_loads(r[13]),
        )  # fmt: skip
        events = self._event_rows(" WHERE m.article_id = ?", (article_id,))
        events.sort(key=lambda ev: ev.index)
        return ArticleRecord(article=article, events=tuple(ev.to_mention() for ev in events))

    def _parties_and_persons(
        self, ids: Sequence[str]
    ) -> tuple[dict[str, dict[str, list[str]]], dict[str, list[str]]]:
        """Parties (by role) and persons of the given mentions, in their stored order."""
        parties: dict[str, dict[str, list[str]]] = {}
        persons: dict[str, list[str]] = {}
        for i in range(0, len(ids), _IN_CHUNK):
            chunk = list(ids[i : i + _IN_CHUNK])
            marks = ", ".join("?" for _ in chunk)
            for mid, role, code in self._query(
                "SELECT mention_id, role, code FROM mention_parties"
                f" WHERE mention_id IN ({marks}) ORDER BY mention_id, role, position",
                chunk,
            ):
                parties.setdefault(mid, {}).setdefault(role, []).append(code)
            for mid, name in self._query(
                "SELECT mention_id, name FROM mention_persons"
                f" WHERE mention_id IN ({marks}) ORDER BY mention_id, position",
                chunk,
            ):
                persons.setdefault(mid, []).append(name)
        return parties, persons

    def _event_rows(self, where: str, params: Sequence[Any], tail: str = "") -> list[EventRow]:
        """Event rows for a WHERE clause, with parties and persons attached."""
        rows = self._query(_EVENT_SELECT + where + _EVENT_ORDER + tail, params)
        parties, persons = self._parties_and_persons([r[0] for r in rows])
        result = []
        for r in rows:
            roles = parties.get(r[0], {})
            result.append(
                EventRow(
                    id=r[0], article_id=r[1], index=int(r[2]), type=r[3], status=r[4],
                    by=tuple(roles.get("by", ())), to=tuple(roles.get("to", ())),
                    count=Count(int(r[5]), r[6] or "exact") if r[5] is not None else None,
                    persons=tuple(persons.get(r[0], ())), sector=r[7], date=r[8],
                    evidence=r[9], start=int(r[10]), end=int(r[11]), attribution=r[12],
                    confidence=float(r[13]), background=bool(r[14]), article_title=r[15],
                    article_published=r[16], article_outlet=r[17], article_source=r[18],
                    article_url=r[19],
                )
            )  # fmt: skip
        return result

    def events(
        self,
        *,
        type: str | None = None,
        party: str | None = None,
        since: str | None = None,
        until: str | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[EventRow]:
        """Stored event mentions matching every given filter, in date order."""
        upper = until + "~" if until is not None else None
        given = {"type": type, "status": status, "party": party, "since": since, "until": upper}
        clauses = [_EVENT_FILTERS[k] for k, v in given.items() if v is not None]
        params: list[Any] = [v for v in given.values() if v is not None]
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        tail = ""
        if limit is not None:
            tail = " LIMIT ?"
            params.append(int(limit))
        return self._event_rows(where, params, tail)

    def event(self, event_id: str) -> EventDetail:
        """One event with its evidence paragraph and its article; NotFoundError if absent."""
        rows = self._event_rows(" WHERE m.id = ?", (event_id,))
        if not rows:
            raise NotFoundError(f"event {event_id!r}: no such event in {self.path}")
        ev = rows[0]
        article = self._article_rows(" WHERE a.id = ?", (ev.article_id,))[0]
        text = self._query("SELECT clean_text FROM articles WHERE id = ?", (ev.article_id,))[0][0]
        paragraph, span = locate_paragraph(text, ev.evidence, ev.start, ev.end)
        return EventDetail(event=ev, article=article, paragraph=paragraph, span=span)

    def _article_rows(self, where: str = "", params: Sequence[Any] = ()) -> list[ArticleRow]:
        """Article rows (no texts) for a WHERE clause, with their problems."""
        rows = self._query(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a{where}"
            " ORDER BY a.ingested_at, a.source, a.id",
            params,
        )
        return [
            ArticleRow(
                id=r[0], source=r[1], url=r[2], kind=r[3], encoding=r[4], title=r[5],
                published=r[6], outlet=r[7], author=r[8], dateline=r[9],
                cited_sources=_loads(r[10]), tags=_loads(r[11]), problems=_loads(r[12]),
                ingested_at=r[13], events=int(r[14]),
            )
            for r in rows
        ]  # fmt: skip

    def articles(self) -> list[ArticleRow]:
        """Every stored article with its problems, in ingest order."""
        return self._article_rows()

    def article_text(self, article_id: str) -> str:
        """The clean body of a stored article; NotFoundError if absent."""
        rows = self._query("SELECT clean_text FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"article {article_id!r}: no such article in {self.path}")
        return str(rows[0][0])

    def problems(self) -> list[ProblemRow]:
        """Every input that could not be ingested, by source."""
        rows = self._query(
            "SELECT source, reason, first_seen FROM ingest_problems ORDER BY source, reason"
        )
        return [ProblemRow(*r) for r in rows]

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(db: str | Path | None = None) -> SQLiteStore:
    """The ledger at `db`, else $RELEASEWATCH_DB, else the default; created on first use."""
    return SQLiteStore(resolve_db_path(db))
