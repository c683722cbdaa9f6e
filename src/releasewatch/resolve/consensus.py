"""Clusters of mentions -> ledger events (consensus values with sources) and person records."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from ..model import Count
from .config import Settings
from .ledger import (
    STATUS_ORDER,
    ArticleSource,
    Field,
    LedgerEvent,
    MentionRef,
    Person,
    PersonStep,
    Source,
    Sourced,
    StatusStep,
)
from .merge import count_range, day_range

T = TypeVar("T", bound=Hashable)
_RANK = {s: i for i, s in enumerate(STATUS_ORDER)}
_LATE = "9999-99-99"


def first_seen(ref: MentionRef) -> tuple[str, str, str]:
    """Sort key of a report's age: earliest published first, then canonical key."""
    return (ref.published or _LATE, ref.article_id, f"{ref.index:06d}")


def event_id(members: Sequence[MentionRef]) -> str:
    """A ledger id named after the event's founding (earliest published) report.

    The id depends on one member only, so it stays put as later reports join; it changes only
    if an earlier-published report of the same happening arrives later, or the founder leaves.
    """
    founder = min(members, key=first_seen)
    m = founder.mention
    when = (m.date or founder.published or "undated")[:7]
    parties = "-".join(sorted(m.by)).lower() or "x"
    digest = hashlib.sha1(f"{founder.article_id}#{founder.index}".encode()).hexdigest()[:8]
    return f"{m.type}-{parties}-{when}-{digest}"


def _tally(
    members: Sequence[MentionRef], get: Callable[[MentionRef], T | None]
) -> list[Sourced[T]]:
    """Distinct values with their sources, most supported first (ties by value text)."""
    seen: dict[T, list[Source]] = defaultdict(list)
    for ref in members:
        value = get(ref)
        if value is not None:
            seen[value].append(Source.of(ref))
    ordered = sorted(
        seen.items(), key=lambda kv: (-len({s.article_id for s in kv[1]}), repr(kv[0]))
    )
    return [Sourced(value, tuple(sources)) for value, sources in ordered]


def _parties(members: Sequence[MentionRef], side: str) -> Field[tuple[str, ...]]:
    """Parties named by at least half of the reports that name any; disjoint sets conflict."""
    values = _tally(members, lambda r: tuple(sorted(getattr(r.mention, side))) or None)
    support: dict[str, int] = defaultdict(int)
    for v in values:
        for party in v.value:
            support[party] += len(v.sources)
    naming = sum(len(v.sources) for v in values)
    consensus = tuple(sorted(p for p, n in support.items() if 2 * n >= naming))
    conflict = any(
        not set(a.value) & set(b.value) for i, a in enumerate(values) for b in values[i + 1 :]
    )
    return Field(consensus, tuple(values), conflict)


def _count(members: Sequence[MentionRef], s: Settings) -> Field[Count]:
    """The most supported figure (exact first); figures that exclude each other conflict."""
    values = _tally(members, lambda r: r.mention.count)
    if not values:
        return Field(None)
    best = sorted(values, key=lambda v: (-len(v.sources), v.value.qualifier != "exact"))[0]
    ranges = [count_range(v.value, s) for v in values]
    conflict = any(
        a is not None and b is not None and max(a[0], b[0]) > min(a[1], b[1])
        for i, a in enumerate(ranges)
        for b in ranges[i + 1 :]
    )
    return Field(best.value, tuple(values), conflict)


def _date(members: Sequence[MentionRef], s: Settings) -> tuple[Field[str], str | None]:
    """The most precise date, most supported among those; far-apart days conflict."""
    values = _tally(members, lambda r: r.mention.date if day_range(r.mention.date) else None)
    if not values:
        return Field(None), None
    precision = {v.value: day_range(v.value)[2] for v in values}  # type: ignore[index]
    order = {"day": 0, "month": 1, "year": 2}
    best = min(values, key=lambda v: (order[precision[v.value]], -len(v.sources), v.value))
    days = sorted(day_range(v.value)[0] for v in values if precision[v.value] == "day")  # type: ignore[index]
    conflict = len(days) > 1 and days[-1] - days[0] > s.slack_days
    return Field(best.value, tuple(values), conflict), precision[best.value]


def _sector(members: Sequence[MentionRef]) -> Field[str]:
    """The most supported sector; two sectors conflict."""
    values = _tally(members, lambda r: (r.mention.sector or "").strip().lower() or None)
    if not values:
        return Field(None)
    return Field(values[0].value, tuple(values), len(values) > 1)


def _history(members: Sequence[MentionRef]) -> tuple[str, tuple[StatusStep, ...]]:
    """The latest supported status and the steps to it, each with its sources."""
    by_status: dict[str, list[MentionRef]] = defaultdict(list)
    for ref in members:
        by_status[ref.mention.status].append(ref)
    steps = []
    for status in STATUS_ORDER:
        refs = by_status.get(status)
        if refs:
            dates = [r.published for r in refs if r.published]
            steps.append(
                StatusStep(status, min(dates) if dates else None, tuple(Source.of(r) for r in refs))
            )
    return steps[-1].status, tuple(steps)


def build_event(
    members: Sequence[MentionRef], person_of: dict[str, str], s: Settings
) -> LedgerEvent:
    """One ledger event from the mentions merged into it."""
    status, history = _history(members)
    date, precision = _date(members, s)
    support: dict[str, int] = defaultdict(int)
    for ref in members:
        for pid in {person_of[p] for p in ref.mention.persons if p in person_of}:
            support[pid] += 1
    articles: dict[str, ArticleSource] = {}
    for ref in members:
        articles.setdefault(
            ref.article_id, ArticleSource(ref.article_id, ref.outlet, ref.published, ref.title)
        )
    return LedgerEvent(
        id=event_id(members),
        type=members[0].mention.type,
        status=status,
        history=history,
        by=_parties(members, "by"),
        to=_parties(members, "to"),
        count=_count(members, s),
        persons=tuple(sorted(support, key=lambda p: (-support[p], p))),
        date=date,
        date_precision=precision,
        sector=_sector(members),
        members=tuple(members),
        sources=tuple(
            sorted(articles.values(), key=lambda a: (a.published or _LATE, a.article_id))
        ),
        political=any(ref.mention.political for ref in members),
    )


_STEP = {"release": "released", "exchange": "exchanged", "detention": "detained"}


def build_persons(
    events: Sequence[LedgerEvent], person_of: dict[str, str], s: Settings
) -> tuple[Person, ...]:
    """Person records: spellings, the events naming them, and their occurred history."""
    spellings: dict[str, set[str]] = defaultdict(set)
    uses: dict[str, int] = defaultdict(int)
    for name, pid in person_of.items():
        spellings[pid].add(name)
    steps: dict[str, list[PersonStep]] = defaultdict(list)
    seen_in: dict[str, list[str]] = defaultdict(list)
    sentenced = re.compile("|".join(re.escape(w) for w in s.sentenced) or "$^", re.IGNORECASE)
    for event in events:
        for pid in event.persons:
            seen_in[pid].append(event.id)
            refs = [
                r for r in event.members if any(person_of.get(p) == pid for p in r.mention.persons)
            ]
            for r in refs:
                for p in r.mention.persons:
                    if person_of.get(p) == pid:
                        uses[p] += 1
            if event.status != "occurred" or event.type not in _STEP:
                continue
            status = _STEP[event.type]
            if status == "detained" and any(sentenced.search(r.mention.evidence) for r in refs):
                status = "sentenced"
            when = event.date.consensus or min((r.published or _LATE for r in refs), default=None)
            when = None if when == _LATE else when
            steps[pid].append(PersonStep(status, when, event.id, tuple(Source.of(r) for r in refs)))
    order = {"detained": 0, "sentenced": 1, "released": 2, "exchanged": 2}
    people = []
    for pid in sorted(spellings):
        names = sorted(spellings[pid])
        history = sorted(
            steps[pid], key=lambda st: (st.date or _LATE, order[st.status], st.event_id)
        )
        people.append(
            Person(
                id=pid,
                name=max(names, key=lambda n: (uses[n], -names.index(n))),
                spellings=tuple(names),
                history=tuple(history),
                events=tuple(seen_in[pid]),
            )
        )
    return tuple(people)
