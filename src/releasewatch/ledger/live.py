"""The stored ledger kept up to date one article at a time, for a long-running process.

`rebuild` recomputes the whole ledger from every stored mention; a watch adding one article
at a time cannot afford that. A `LiveLedger` holds one `IncrementalResolver` for the life of
the process: `update(store)` takes the mentions of the articles stored since the last update
(the one just committed, and any another process added), lets the resolver recompute what
they change, and writes only the changed event, person and deal rows, in one transaction
(readers see the old ledger or the new one). The rows are made by the same functions as a
rebuild's, so a full rebuild gives the same ledger (tested).

The whole ledger is written instead when the stored ledger is not the one the resolver holds
(another process rebuilt it from other articles, or an earlier write failed), when the user's
protections change, or when a protected person gains or loses a spelling (every search text
may then change); the resolver is rebuilt from every stored mention when the user's merges or
splits change.

Alerts: the articles an update takes are those not yet in the stored ledger, so an article is
taken by exactly one successful update; `react` runs inside that update's transaction (the
alerts it writes commit with the ledger rows, or neither does).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import ArticleRecord
from ..resolve import LedgerEvent, MentionRef, Person
from ..resolve.config import Settings
from ..resolve.incremental import IncrementalResolver, LedgerChange
from ..store import LedgerPatch, Store
from .build import (
    Basis,
    _deal_rows,
    _event_rows,
    _person_rows,
    _Rows,
    _rows,
    _with_bodies,
    dumps,
    is_protected,
    now,
    protected_meta,
    row_privacy,
    to_ref,
)
from .privacy import public_person_id

Key = tuple[str, int]


@dataclass(frozen=True)
class Touched:
    """A happening that an update's articles created or changed, with their reports in it."""

    event: LedgerEvent
    refs: tuple[MentionRef, ...]  # the reports of the update's articles merged into it


@dataclass(frozen=True)
class LedgerUpdate:
    """What one update did."""

    articles: tuple[str, ...]  # the articles it took (new to the stored ledger)
    touched: tuple[Touched, ...]  # the happenings they created or changed
    full: bool  # the whole ledger was written (else only the changed rows)
    events_written: int
    events_removed: int
    summary: dict[str, Any] = field(default_factory=dict)


React = Callable[[Store, LedgerUpdate], None]
"""Called inside an update's transaction, after the ledger rows are written (alerts)."""


class LiveLedger:
    """The stored ledger, updated incrementally by one long-running process."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings
        self.resolver: IncrementalResolver | None = None
        self._basis: Basis | None = None  # what the resolver holds, counted as the store counts
        self._articles: set[str] = (
            set()
        )  # every article the resolver holds (with or without reports)
        self._urls: dict[str, str | None] = {}
        self._names: dict[str, str] = {}  # person id -> name, as last written
        self._protected: set[str] = set()
        self._protected_spellings: frozenset[str] = frozenset()
        self._conflicts: dict[str, int] = {}  # event id -> its open conflicts
        self._stale = True  # the stored ledger may differ from the resolver's

    # -- loading -----------------------------------------------------------------------------

    def _load(self, store: Store, basis: Basis) -> None:
        """Hold every article already in the stored ledger, with the user's current overrides.

        Stored articles with reports that are not in the stored ledger yet are left out: the
        next update takes them as new (their alerts were never raised).
        """
        mentions = store.mentions()
        stored = store.article_ids()
        with_reports = {m.article_id for m in mentions}
        held = (store.ledger_article_ids() & with_reports) | (stored - with_reports)
        refs = [to_ref(m) for m in mentions if m.article_id in held]
        self.resolver = IncrementalResolver.of(refs, basis.overrides(), self.settings)
        self._articles = held
        self._urls = {m.article_id: m.article_url for m in mentions if m.article_id in held}
        self._basis = Basis(len(held), len(refs), basis.decisions, basis.flags)
        self._stale = store.ledger_meta("fingerprint") != self._basis.fingerprint()
        self._remember_all(basis.protected_keys())

    def _remember_all(self, flags: set[str]) -> None:
        """Names, protections and conflicts of the whole held ledger."""
        assert self.resolver is not None
        persons = self.resolver.persons.values()
        self._names = {p.id: p.name for p in persons}
        self._protected = {p.id for p in persons if is_protected(p, flags)}
        self._protected_spellings = self._spellings_of(self._protected)
        self._conflicts = {e.id: len(e.conflicts) for e in self.resolver.events.values()}

    def _spellings_of(self, pids: Iterable[str]) -> frozenset[str]:
        """Every spelling of the given persons."""
        assert self.resolver is not None
        persons = self.resolver.persons
        return frozenset(s for pid in pids if pid in persons for s in persons[pid].spellings)

    # -- updating ----------------------------------------------------------------------------

    def add(
        self, store: Store, records: Iterable[ArticleRecord], react: React | None = None
    ) -> LedgerUpdate:
        """Store articles, each in its own transaction, then update the ledger with them.

        What a watch does after fetching and extracting (a crash loses at most the article in
        flight; the next update takes what was stored). An article already known is skipped
        as an ingest skips it; the update also takes stored articles another process added.
        """
        hint = [r.article.id for r in records if store.add(r)]
        return self.update(store, react, hint=hint)

    def update(
        self, store: Store, react: React | None = None, *, hint: Sequence[str] = ()
    ) -> LedgerUpdate:
        """Bring the stored ledger up to date with the stored articles; what changed.

        `hint`: ids of articles just stored (saves listing every article to find them).
        """
        if (
            self.resolver is None
            or self._basis is None
            or (self._basis.decisions != Basis.decisions_of(store))
        ):  # (re)load in a snapshot, outside the write lock; caught up below
            with store.snapshot():
                self._load(store, Basis.of(store))
        try:
            with store.ledger_transaction():
                basis = Basis.of(store)
                assert self._basis is not None
                if basis.decisions != self._basis.decisions:  # changed since: reload inside
                    self._load(store, basis)
                result = self._take(store, basis, hint)
                if react is not None:
                    react(store, result)
        except BaseException:
            # The resolver may now hold articles the stored ledger does not: the next update
            # reloads (and finds those articles new again).
            self.resolver = None
            raise
        return result

    def _new_articles(self, store: Store, basis: Basis, hint: Sequence[str]) -> set[str]:
        """The stored articles the resolver does not hold."""
        fresh = set(hint) - self._articles
        if basis.articles == len(self._articles) + len(fresh):
            return fresh  # the hint names them all (articles are never deleted)
        return store.article_ids() - self._articles

    def _take(self, store: Store, basis: Basis, hint: Sequence[str]) -> LedgerUpdate:
        """Take the new articles and write what changed (inside the ledger transaction)."""
        resolver, held = self.resolver, self._basis
        assert resolver is not None and held is not None
        new = self._new_articles(store, basis, hint)
        rows = store.article_mentions(sorted(new)) if new else []
        refs = [to_ref(m) for m in rows]
        stale = self._stale or store.ledger_meta("fingerprint") != held.fingerprint()
        change = resolver.add(refs)
        self._articles |= new
        self._urls.update((m.article_id, m.article_url) for m in rows)
        self._basis = Basis(len(self._articles), held.mentions + len(refs), basis.decisions,
                            basis.flags)  # fmt: skip
        flags = basis.protected_keys()
        full = stale or basis.flags != held.flags
        if not full:
            self._protected -= change.persons_removed
            for pid in change.persons_changed:
                if is_protected(resolver.persons[pid], flags):
                    self._protected.add(pid)
                else:
                    self._protected.discard(pid)
            spellings = self._spellings_of(self._protected)
            full = spellings != self._protected_spellings
        if full:
            written, removed = self._write_all(store, flags)
        elif not new:
            written = removed = 0  # nothing to write: the stored ledger is the held one
        else:
            written, removed = self._write_change(store, change)
        self._stale = False
        touched = self._touched(refs)
        return LedgerUpdate(tuple(sorted(new)), touched, full, written, removed, self.summary())

    def _touched(self, refs: Sequence[MentionRef]) -> tuple[Touched, ...]:
        """The happenings the new reports are in, each with those reports."""
        assert self.resolver is not None
        by_event: dict[str, list[MentionRef]] = defaultdict(list)
        events: dict[str, LedgerEvent] = {}
        for ref in refs:
            event = self.resolver.event_of[ref.key]
            by_event[event.id].append(ref)
            events[event.id] = event
        return tuple(Touched(events[i], tuple(by_event[i])) for i in sorted(by_event))

    # -- writing -----------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """What the held ledger holds (as `rebuild` summarises it)."""
        assert self.resolver is not None and self._basis is not None
        return {
            "mentions": self._basis.mentions,
            "articles": len(self._urls),
            "events": len(self.resolver.events),
            "persons": len(self.resolver.persons),
            "deals": len(self.resolver.deals),
            "conflicts": sum(self._conflicts.values()),
        }

    def _meta(self) -> dict[str, str]:
        """The ledger's meta rows after a write."""
        assert self._basis is not None
        summary = {**self.summary(), "built_at": now()}
        assert self.resolver is not None
        persons = self.resolver.persons
        protected = protected_meta(
            (pid, public_person_id(pid), spelling) for pid in self._protected if pid in persons
            for spelling in persons[pid].spellings
        )  # fmt: skip
        return {"summary": dumps(summary), "fingerprint": self._basis.fingerprint(),
                "version": uuid.uuid4().hex, "protected": protected}  # fmt: skip

    def _write_all(self, store: Store, flags: set[str]) -> tuple[int, int]:
        """Write the whole held ledger; (events written, 0)."""
        assert self.resolver is not None
        ledger = self.resolver.ledger()
        self._remember_all(flags)
        store.replace_ledger(_rows(store, ledger, flags, self._urls).tables(), self._meta())
        return len(ledger.events), 0

    def _write_change(self, store: Store, change: LedgerChange) -> tuple[int, int]:
        """Write the rows one resolver change touched; (events written, events removed)."""
        resolver = self.resolver
        assert resolver is not None
        persons = resolver.persons
        renamed = {
            pid for pid in change.persons_changed if self._names.get(pid) != persons[pid].name
        }
        wanted = set(change.events_added)
        clusters = {c for pid in renamed for c in resolver.pid_events.get(pid, ())}
        wanted |= {resolver.events[c].id for c in clusters}  # their search texts name them
        events = [e for e in resolver.events.values() if e.id in wanted]
        for pid in change.persons_removed:
            self._names.pop(pid, None)
        self._names.update((pid, persons[pid].name) for pid in change.persons_changed)
        for event_id in change.events_removed:
            self._conflicts.pop(event_id, None)
        self._conflicts.update((e.id, len(e.conflicts)) for e in events)
        rows = _Builder(self._names, self._protected, persons, self._urls)
        for pid in sorted(change.persons_changed):
            rows.person(persons[pid])
        for event in events:
            rows.event(event)
        if change.deals_changed:
            _deal_rows(resolver.deals, rows.rows)
        _with_bodies(store, rows.rows)
        patch = LedgerPatch(
            rows.rows.tables(),
            events_written=tuple(sorted(wanted)),
            events_removed=tuple(sorted(change.events_removed)),
            persons_written=tuple(sorted(change.persons_changed)),
            persons_removed=tuple(sorted(change.persons_removed)),
            deals=change.deals_changed,
        )
        store.patch_ledger(patch, self._meta())
        return len(events), len(change.events_removed - wanted)


class _Builder:
    """The rows of some events and persons, made as a rebuild makes them."""

    def __init__(
        self,
        names: dict[str, str],
        protected: set[str],
        persons: dict[str, Person],
        urls: dict[str, str | None],
    ) -> None:
        self.rows = _Rows()
        self.names = names
        self.protected = protected
        self.urls = urls
        self.privacy = row_privacy(persons[p] for p in sorted(protected) if p in persons)

    def person(self, person: Person) -> None:
        """The rows of one person."""
        _person_rows(person, person.id in self.protected, self.rows)

    def event(self, event: LedgerEvent) -> None:
        """The rows of one event."""
        _event_rows(event, self.rows, self.urls, self.names, self.privacy)
