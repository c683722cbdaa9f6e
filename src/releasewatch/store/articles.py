"""Articles, their event mentions and ingest problems: the shared SQL of every backend."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..errors import NotFoundError, StoreError
from ..model import Article, ArticleRecord, Count
from .core import Core, chunks, dumps, loads, marks, now
from .rows import ArticleRow, EventDetail, EventRow, OffTopicRow, ProblemRow
from .schema import ARTICLE_COLUMNS, MENTION_COLUMNS

_ARTICLE_INSERT = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)})"
    f" VALUES ({', '.join('?' for _ in ARTICLE_COLUMNS)}) ON CONFLICT DO NOTHING"
)
_MENTION_INSERT = (
    f"INSERT INTO event_mentions ({', '.join(MENTION_COLUMNS)})"
    f" VALUES ({', '.join('?' for _ in MENTION_COLUMNS)})"
)
_PARTY_INSERT = "INSERT INTO mention_parties (mention_id, role, position, code) VALUES (?, ?, ?, ?)"
_PERSON_INSERT = "INSERT INTO mention_persons (mention_id, position, name) VALUES (?, ?, ?)"
_OFFTOPIC_INSERT = (
    "INSERT INTO offtopic_articles (id, url, source, ingested_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING"
)
_PROBLEM_INSERT = (
    "INSERT INTO ingest_problems (source, reason, first_seen) VALUES (?, ?, ?)"
    " ON CONFLICT (source, reason) DO NOTHING"
)
_ARTICLE_SELECT = (
    "SELECT a.id, a.source, a.url, a.kind, a.encoding, a.title, a.published, a.outlet, a.author,"
    " a.dateline, a.cited_sources, a.tags, a.problems, a.ingested_at,"
    " (SELECT COUNT(*) FROM event_mentions m WHERE m.article_id = a.id), a.encoding_confidence"
    " FROM articles a"
)
_EVENT_SELECT = (
    "SELECT m.id, m.article_id, m.mention_index, m.event_type, m.status, m.count_value,"
    " m.count_qualifier, m.sector, m.event_date, m.evidence, m.start_offset, m.end_offset,"
    " m.attribution, m.confidence, m.background, a.title, a.published, a.outlet, a.source, a.url,"
    " m.political"
    " FROM event_mentions m JOIN articles a ON a.id = m.article_id"
)
_EVENT_ORDER = " ORDER BY COALESCE(m.event_date, a.published, ''), a.id, m.mention_index"
# Fixed filter fragments; values always travel as parameters. A partial date ("2025-12") is
# in range when any of its days is: hence the '-99' suffix on the row's date for the lower bound,
# and the '~' (sorting after digits and '-') that `events` appends to the upper bound.
_EVENT_FILTERS = {
    "type": "m.event_type = ?",
    "status": "m.status = ?",
    "political": "m.political = ?",
    "party": "EXISTS (SELECT 1 FROM mention_parties p WHERE p.mention_id = m.id AND p.code = ?)",
    "since": "COALESCE(m.event_date, a.published) || '-99' >= ?",
    "until": "COALESCE(m.event_date, a.published) <= ?",
}


_SPACE = re.compile(r"\s+")


def body_hash(text: str) -> str | None:
    """The dedupe key of a clean body: SHA-256 of it in NFC, white space collapsed, trimmed.

    The store's own definition (stored in every ledger's body_hash column): changing it would
    let an article already stored in again.
    """
    normal = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest() if normal else None


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


def _article_row(r: Sequence[Any]) -> ArticleRow:
    """An ArticleRow from the columns of _ARTICLE_SELECT."""
    return ArticleRow(
        id=r[0], source=r[1], url=r[2], kind=r[3], encoding=r[4], title=r[5], published=r[6],
        outlet=r[7], author=r[8], dateline=r[9], cited_sources=loads(r[10]), tags=loads(r[11]),
        problems=loads(r[12]), ingested_at=r[13], events=int(r[14]),
        encoding_confidence=None if r[15] is None else float(r[15]),
    )  # fmt: skip


class ArticleOps(Core):
    """Articles, mentions and problems."""

    def is_known(self, article_id: str, clean_text: str | None = None) -> bool:
        """Whether an article with this identity (or this clean body) is stored."""
        sql = "SELECT 1 FROM articles WHERE id = ? OR body_hash = ?"
        content = body_hash(clean_text) if clean_text is not None else None
        return bool(self._rows(sql, (article_id, content)))

    def is_offtopic(self, article_id: str) -> bool:
        """Whether this identity was set aside as off-topic by an earlier ingest."""
        return bool(self._rows("SELECT 1 FROM offtopic_articles WHERE id = ?", (article_id,)))

    def add_offtopic(self, row: OffTopicRow) -> bool:
        """Keep an off-topic article's identity and address (no text); False if already known."""
        if self.is_offtopic(row.id) or self.is_known(row.id):
            return False
        try:
            with self._transaction(write=True):
                added = self._write(_OFFTOPIC_INSERT, (row.id, row.url, row.source, now()))
                if added:
                    self._write("DELETE FROM ingest_problems WHERE source = ?", (row.source,))
        except self._db_errors as exc:
            raise StoreError(f"{self.label}: cannot store {row.source}: {exc}") from exc
        return bool(added)

    def add_batch(self, entries: Sequence[ArticleRecord | OffTopicRow | ProblemRow]) -> list[bool]:
        """Store articles (with their mentions), off-topic identities and problems, in order,
        in one transaction; for each entry, whether it was new.

        The ingest path of `add`, `add_offtopic` and `add_problem`, committed together: a crash
        loses the batch being written and nothing before it. A problem's `first_seen` is set
        here (the one given is ignored).
        """
        added: list[bool] = []
        try:
            with self._transaction(write=True):
                for entry in entries:
                    # each entry whole or not at all: `add` meets a clash (another writer's
                    # article) as "not new", after some of its rows may have gone in
                    self._write("SAVEPOINT batch_entry")
                    if isinstance(entry, ArticleRecord):
                        new = self.add(entry)
                    elif isinstance(entry, OffTopicRow):
                        new = self.add_offtopic(entry)
                    else:
                        self.add_problem(entry.source, entry.reason)
                        new = True
                    if not new:
                        self._write("ROLLBACK TO SAVEPOINT batch_entry")
                    self._write("RELEASE SAVEPOINT batch_entry")
                    added.append(new)
        except self._db_errors as exc:
            raise StoreError(f"{self.label}: cannot store a batch: {exc}") from exc
        return added

    def offtopic(self) -> list[OffTopicRow]:
        """Every article the on-topic prefilter set aside, by source."""
        rows = self._rows("SELECT id, url, source FROM offtopic_articles ORDER BY source, id")
        return [OffTopicRow(*r) for r in rows]

    def add(self, record: ArticleRecord, *, encoding: str | None = None) -> bool:
        """Store an article and its mentions in one transaction; False if already known.

        The article's decoding decision (`Article.encoding`, `encoding_confidence`) is stored
        with it; `encoding` overrides the first (the older callers' way of passing it).

        An article with the same clean body (`body_hash`) is the same article reached another
        way. Two writers adding one article at once: the unique keys let one in, and the other
        gets False.
        """
        art = record.article
        content_hash = body_hash(art.text)
        if self.is_known(art.id, art.text):
            return False
        try:
            with self._transaction(write=True):
                added = self._write(
                    _ARTICLE_INSERT,
                    (
                        art.id, art.source, art.url, art.kind, encoding or art.encoding,
                        art.title, art.published, art.outlet, art.author, art.dateline,
                        dumps(art.cited_sources), dumps(art.tags), art.raw, art.text,
                        content_hash, dumps(art.problems), now(),
                        float(art.encoding_confidence),
                    ),
                )  # fmt: skip
                if not added:
                    return False  # stored meanwhile by a concurrent ingest
                parties: list[tuple[Any, ...]] = []
                persons: list[tuple[Any, ...]] = []
                for index, ev in enumerate(record.events):
                    mention_id = f"{art.id}-{index}"
                    self._write(
                        _MENTION_INSERT,
                        (
                            mention_id, art.id, index, ev.type, ev.status,
                            ev.count.value if ev.count else None,
                            ev.count.qualifier if ev.count else None,
                            ev.sector, ev.date, ev.evidence, ev.start, ev.end,
                            ev.attribution, float(ev.confidence), int(ev.background),
                            int(ev.political),
                        ),
                    )  # fmt: skip
                    parties += [(mention_id, "by", i, c) for i, c in enumerate(ev.by)]
                    parties += [(mention_id, "to", i, c) for i, c in enumerate(ev.to)]
                    persons += [(mention_id, i, n) for i, n in enumerate(ev.persons)]
                conn = self._local.conn
                self._insert_many(conn, "mention_parties", ("mention_id", "role", "position",
                                                            "code"), parties)  # fmt: skip
                self._insert_many(conn, "mention_persons", ("mention_id", "position", "name"),
                                  persons)  # fmt: skip
                self._write("DELETE FROM ingest_problems WHERE source = ?", (art.source,))
        except self._integrity_errors:
            return False  # stored meanwhile by a concurrent ingest
        except self._db_errors as exc:
            raise StoreError(f"{self.label}: cannot store {art.source}: {exc}") from exc
        return True

    def add_problem(self, source: str, reason: str) -> None:
        """Record an input that could not be ingested (once per source and reason)."""
        try:
            with self._transaction(write=True):
                self._write(_PROBLEM_INSERT, (source, reason, now()))
        except self._db_errors as exc:
            raise StoreError(f"{self.label}: cannot record a problem: {exc}") from exc

    def problems(self) -> list[ProblemRow]:
        """Every input that could not be ingested, by source."""
        rows = self._rows(
            "SELECT source, reason, first_seen FROM ingest_problems ORDER BY source, reason"
        )
        return [ProblemRow(*r) for r in rows]

    # ------------------------------------------------------------ articles

    def articles(self) -> list[ArticleRow]:
        """Every stored article with its problems, in ingest order."""
        rows = self._rows(_ARTICLE_SELECT + " ORDER BY a.ingested_at, a.source, a.id")
        return [_article_row(r) for r in rows]

    def article(self, article_id: str) -> ArticleRow:
        """One stored article as listed; NotFoundError if absent."""
        rows = self._rows(_ARTICLE_SELECT + " WHERE a.id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"article {article_id!r}: no such article in {self.label}")
        return _article_row(rows[0])

    def article_text(self, article_id: str) -> str:
        """The clean body of a stored article; NotFoundError if absent."""
        rows = self._rows("SELECT clean_text FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"article {article_id!r}: no such article in {self.label}")
        return str(rows[0][0])

    def article_texts(self, ids: Sequence[str]) -> dict[str, str]:
        """The clean bodies of the given articles, by id (absent ids are left out)."""
        texts: dict[str, str] = {}
        for chunk in chunks(sorted(set(ids))):
            sql = f"SELECT id, clean_text FROM articles WHERE id IN ({marks(chunk)})"
            texts.update((str(a), str(t)) for a, t in self._rows(sql, chunk))
        return texts

    def article_record(self, article_id: str) -> ArticleRecord:
        """A stored article rebuilt with its events, as extraction gave them."""
        rows = self._rows(
            "SELECT id, source, clean_text, raw_text, kind, url, title, published, outlet,"
            " author, dateline, cited_sources, tags, problems, encoding, encoding_confidence"
            " FROM articles WHERE id = ?",
            (article_id,),
        )
        if not rows:
            raise NotFoundError(f"article {article_id!r}: no such article in {self.label}")
        r = rows[0]
        article = Article(
            id=r[0], source=r[1], text=r[2], raw=r[3], kind=r[4], url=r[5], title=r[6],
            published=r[7], outlet=r[8], author=r[9], dateline=r[10],
            cited_sources=loads(r[11]), tags=loads(r[12]), problems=loads(r[13]),
            encoding=r[14], encoding_confidence=1.0 if r[15] is None else float(r[15]),
        )  # fmt: skip
        events = self._event_rows(" WHERE m.article_id = ?", (article_id,))
        events.sort(key=lambda ev: ev.index)
        return ArticleRecord(article=article, events=tuple(ev.to_mention() for ev in events))

    def article_ids(self) -> set[str]:
        """The ids of every stored article."""
        return {str(r[0]) for r in self._rows("SELECT id FROM articles")}

    def article_mentions(self, article_ids: Sequence[str]) -> list[EventRow]:
        """The stored mentions of the given articles, in date order."""
        rows: list[EventRow] = []
        for chunk in chunks(sorted(set(article_ids))):
            rows.extend(self._event_rows(f" WHERE m.article_id IN ({marks(chunk)})", chunk))
        return rows

    def article_mention_ids(self, article_id: str) -> list[str]:
        """The ids of an article's event mentions, in the article's order."""
        rows = self._rows(
            "SELECT id FROM event_mentions WHERE article_id = ? ORDER BY mention_index",
            (article_id,),
        )
        return [str(r[0]) for r in rows]

    # ------------------------------------------------------------ mentions

    def _parties_and_persons(
        self, ids: Sequence[str]
    ) -> tuple[dict[str, dict[str, list[str]]], dict[str, list[str]]]:
        """Parties (by role) and persons of the given mentions, in their stored order."""
        parties: dict[str, dict[str, list[str]]] = {}
        persons: dict[str, list[str]] = {}
        for chunk in chunks(ids):
            for mid, role, code in self._rows(
                "SELECT mention_id, role, code FROM mention_parties"
                f" WHERE mention_id IN ({marks(chunk)}) ORDER BY mention_id, role, position",
                chunk,
            ):
                parties.setdefault(mid, {}).setdefault(role, []).append(code)
            for mid, name in self._rows(
                "SELECT mention_id, name FROM mention_persons"
                f" WHERE mention_id IN ({marks(chunk)}) ORDER BY mention_id, position",
                chunk,
            ):
                persons.setdefault(mid, []).append(name)
        return parties, persons

    def _event_rows(
        self,
        where: str,
        params: Sequence[Any],
        tail: str = "",
        every: bool = False,
        order: str = _EVENT_ORDER,
    ) -> list[EventRow]:
        """Event rows for a WHERE clause, with parties and persons attached."""
        rows = self._rows(_EVENT_SELECT + where + order + tail, params)
        if not rows:
            return []
        if every:  # every mention: one pass over each table, not thousands of IN lists
            parties, persons = self._all_parties_and_persons()
        else:
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
                    confidence=float(r[13]), background=bool(r[14]), political=bool(r[20]),
                    article_title=r[15], article_published=r[16], article_outlet=r[17],
                    article_source=r[18], article_url=r[19],
                )
            )  # fmt: skip
        return result

    def _all_parties_and_persons(
        self,
    ) -> tuple[dict[str, dict[str, list[str]]], dict[str, list[str]]]:
        """Parties and persons of every mention."""
        parties: dict[str, dict[str, list[str]]] = {}
        persons: dict[str, list[str]] = {}
        for mid, role, code in self._rows(
            "SELECT mention_id, role, code FROM mention_parties ORDER BY mention_id, role, position"
        ):
            parties.setdefault(mid, {}).setdefault(role, []).append(code)
        for mid, name in self._rows(
            "SELECT mention_id, name FROM mention_persons ORDER BY mention_id, position"
        ):
            persons.setdefault(mid, []).append(name)
        return parties, persons

    def member_mentions(self, event_id: str) -> list[EventRow]:
        """The stored mentions merged into one ledger event, in the event's order."""
        return self._event_rows(
            " JOIN ledger_members lm ON lm.mention_id = m.id WHERE lm.event_id = ?",
            (event_id,),
            order=" ORDER BY lm.position",
        )

    def mentions(self, ids: Sequence[str] | None = None) -> list[EventRow]:
        """The stored mentions with these ids (every mention when None), in date order."""
        if ids is None:
            return self._event_rows("", (), every=True)
        rows: list[EventRow] = []
        for chunk in chunks(sorted(set(ids))):
            rows.extend(self._event_rows(f" WHERE m.id IN ({marks(chunk)})", chunk))
        return rows

    def events(
        self,
        *,
        type: str | None = None,
        party: str | None = None,
        since: str | None = None,
        until: str | None = None,
        status: str | None = None,
        political: bool | None = None,
        limit: int | None = None,
    ) -> list[EventRow]:
        """Stored event mentions matching every given filter, in date order (`political`:
        political mentions only when True, the others only when False, all when None)."""
        upper = until + "~" if until is not None else None
        given = {
            "type": type, "status": status, "political": None if political is None
            else int(political), "party": party, "since": since, "until": upper,
        }  # fmt: skip
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
            raise NotFoundError(f"event {event_id!r}: no such event in {self.label}")
        ev = rows[0]
        article = self.article(ev.article_id)
        text = self.article_text(ev.article_id)
        paragraph, span = locate_paragraph(text, ev.evidence, ev.start, ev.end)
        return EventDetail(event=ev, article=article, paragraph=paragraph, span=span)
