"""The ledger: frozen records of merged happenings, their values with sources, persons, deals."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar

from ..errors import NotFoundError
from ..model import Count, EventMention

T = TypeVar("T")

STATUS_ORDER = ("discussed", "agreed", "occurred")
PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True)
class MentionRef:
    """One event mention with the article context it came from (what the store hands resolve)."""

    article_id: str
    index: int  # position of the mention among its article's events
    published: str | None
    outlet: str | None
    title: str | None
    mention: EventMention

    @property
    def key(self) -> tuple[str, int]:
        """The mention's identity: (article id, index)."""
        return (self.article_id, self.index)


@dataclass(frozen=True)
class Source:
    """Where a value was read: the article, the mention in it, who published it and when."""

    article_id: str
    index: int
    outlet: str | None
    published: str | None
    evidence: str

    @classmethod
    def of(cls, ref: MentionRef) -> Source:
        """The source behind a mention."""
        return cls(ref.article_id, ref.index, ref.outlet, ref.published, ref.mention.evidence)


@dataclass(frozen=True)
class Sourced(Generic[T]):
    """One value as some sources gave it."""

    value: T
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Field(Generic[T]):
    """A merged field: the consensus and every distinct value with its sources."""

    consensus: T | None
    values: tuple[Sourced[T], ...] = ()
    conflict: bool = False

    def describe(self) -> str:
        """The values side by side, most supported first ("114 vs 104")."""
        return " vs ".join(_show(v.value) for v in self.values)


def _show(value: object) -> str:
    """A value as a person reads it."""
    if isinstance(value, Count):
        prefix = {"over": "over ", "at_least": "at least ", "about": "about ", "up_to": "up to "}
        return f"{prefix.get(value.qualifier, '')}{value.value}"
    if isinstance(value, tuple):
        return "+".join(str(v) for v in value) or "-"
    return str(value)


@dataclass(frozen=True)
class StatusStep:
    """One status the happening reached, first reported when, by which sources."""

    status: str
    first_reported: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ArticleSource:
    """A distinct article behind a ledger event."""

    article_id: str
    outlet: str | None
    published: str | None
    title: str | None


@dataclass(frozen=True)
class Conflict:
    """Sources disagree on one field of one event."""

    event_id: str
    field: str
    values: tuple[Sourced[object], ...]

    def describe(self) -> str:
        """The disputed values side by side."""
        return " vs ".join(_show(v.value) for v in self.values)


@dataclass(frozen=True)
class LedgerEvent:
    """One real-world happening, merged from every report of it."""

    id: str
    type: str
    status: str  # the latest supported status
    history: tuple[StatusStep, ...]  # in STATUS_ORDER
    by: Field[tuple[str, ...]]
    to: Field[tuple[str, ...]]
    count: Field[Count]
    persons: tuple[str, ...]  # person ids, each once
    date: Field[str]
    date_precision: str | None  # "day", "month", "year" or None
    sector: Field[str]
    members: tuple[MentionRef, ...]
    sources: tuple[ArticleSource, ...]
    political: bool = False  # any of its mentions is (the kind of event these users follow)

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        """The fields on which this event's sources disagree."""
        named: tuple[tuple[str, Any], ...] = (
            ("by", self.by), ("to", self.to), ("count", self.count), ("date", self.date),
        )  # fmt: skip
        named += (("sector", self.sector),)
        return tuple(Conflict(self.id, name, tuple(f.values)) for name, f in named if f.conflict)


@dataclass(frozen=True)
class PersonStep:
    """One step of a person's story: detained, sentenced, released or exchanged."""

    status: str
    date: str | None
    event_id: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Person:
    """A person record: every spelling seen, and the person's history built from events."""

    id: str
    name: str  # the most used spelling
    spellings: tuple[str, ...]
    history: tuple[PersonStep, ...] = ()
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class DealPart:
    """One event traded in a deal: who gives it and who receives it."""

    event_id: str
    type: str
    gives: tuple[str, ...]
    gets: tuple[str, ...]


@dataclass(frozen=True)
class Deal:
    """Events the reports say were traded for one another."""

    id: str
    parts: tuple[DealPart, ...]
    status: str  # the least advanced status of its parts
    sources: tuple[Source, ...]  # the mentions that state the trade


PartyDeal = tuple[Deal, tuple[DealPart, ...], tuple[DealPart, ...]]  # deal, gave, got


@dataclass(frozen=True)
class Ledger:
    """The resolved ledger: events, persons, deals and which event each mention went into."""

    events: tuple[LedgerEvent, ...]
    persons: tuple[Person, ...] = ()
    deals: tuple[Deal, ...] = ()
    assignments: tuple[tuple[tuple[str, int], str], ...] = field(default=())

    @cached_property
    def _events(self) -> dict[str, LedgerEvent]:
        return {e.id: e for e in self.events}

    @cached_property
    def _assigned(self) -> dict[tuple[str, int], str]:
        return dict(self.assignments)

    def event(self, event_id: str) -> LedgerEvent:
        """The event with this id."""
        try:
            return self._events[event_id]
        except KeyError:
            raise NotFoundError(f"ledger event {event_id!r}: no such event") from None

    def event_of(self, article_id: str, index: int) -> str:
        """The id of the event the mention (article id, index) was merged into."""
        try:
            return self._assigned[(article_id, index)]
        except KeyError:
            raise NotFoundError(f"mention {article_id}#{index}: not in the ledger") from None

    def person(self, id_or_name: str) -> Person:
        """The person with this id, or whose spellings include this name (case-folded)."""
        wanted = id_or_name.casefold()
        for person in self.persons:
            if person.id == id_or_name or wanted in (s.casefold() for s in person.spellings):
                return person
        raise NotFoundError(f"person {id_or_name!r}: no such person")

    def conflicts(self) -> tuple[Conflict, ...]:
        """Every open conflict, event by event."""
        return tuple(c for e in self.events for c in e.conflicts)

    def deals_of(self, party: str) -> tuple[PartyDeal, ...]:
        """For each deal `party` took part in: (deal, what it gave, what it got)."""
        found = []
        for deal in self.deals:
            gave = tuple(p for p in deal.parts if party in p.gives)
            got = tuple(p for p in deal.parts if party in p.gets and party not in p.gives)
            if gave or got:
                found.append((deal, gave, got))
        return tuple(found)
