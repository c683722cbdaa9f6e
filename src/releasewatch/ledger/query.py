"""Reading the ledger: paged events and persons, one event or person in full, deals, charts."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..errors import InputError, NotFoundError, WithheldError
from ..resolve import fold_name
from ..store import (
    UNDATED,
    EventQuery,
    LedgerEventRow,
    ListedEvent,
    PersonQuery,
    PersonRef,
    Store,
)
from .build import dumps, event_body, item_json, list_item, value_entries
from .privacy import Privacy, privacy_for, privacy_from_meta

MAX_LIMIT = 500  # largest page a caller may ask for
# The views' scope (`political`): True lists the political events only (the default of every
# view), False the others only, None every event. Exports and the records keep every event.
Scope = bool | None
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def check_partial_date(value: str, field: str) -> str:
    """A date filter as given (YYYY, YYYY-MM or YYYY-MM-DD) when it names a real year, month
    or day; InputError naming `field` otherwise ("2025-13", "2025-02-30")."""
    found = _PARTIAL_DATE.fullmatch(value)
    if not found:
        raise InputError(field, f"{value!r} is not a date like 2025-01-01, 2025-01 or 2025")
    year, month, day = (int(g) if g else 1 for g in found.groups())
    try:
        date(year, month, day)
    except ValueError as exc:
        raise InputError(field, f"{value!r} is not a real date: {exc}") from exc
    return value


def _encode_cursor(*keys: str) -> str:
    """An opaque page cursor."""
    return base64.urlsafe_b64encode(dumps(list(keys)).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, size: int) -> list[str]:
    """The keys of a cursor this module gave out; InputError otherwise."""
    try:
        keys = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        keys = None
    if not (isinstance(keys, list) and len(keys) == size and all(isinstance(k, str) for k in keys)):
        raise InputError("cursor", f"{cursor!r} is not a page cursor this ledger gave out")
    return keys


def _check_limit(limit: int) -> int:
    """A page size between 1 and MAX_LIMIT; InputError otherwise."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InputError("limit", f"must be a whole number from 1 to {MAX_LIMIT}, got {limit!r}")
    return limit


def _holder_items(store: Store, rows: Sequence[LedgerEventRow]) -> list[str]:
    """Each row's list item as JSON, as the token holder sees it: the stored one, or one built
    from the row when the ledger was last written before items were stored (0012)."""
    persons: dict[str, list[dict[str, Any]]] = defaultdict(list)
    missing = [r.id for r in rows if not r.item]
    if missing:
        for p in store.event_persons(missing):
            persons[p.event_id].append({"id": p.person_id, "name": p.name,
                                        "protected": p.protected})  # fmt: skip
    return [r.item or item_json(list_item(r, json.loads(r.summary), persons[r.id])) for r in rows]


def shows_all(privacy: Privacy) -> bool:
    """Whether the caller sees the items as stored (the token holder, or nobody protected)."""
    return privacy.show or not privacy.public


def _withheld(items: list[dict[str, Any]], privacy: Privacy) -> list[dict[str, Any]]:
    """List items as this caller may see them (protected persons withheld)."""
    if shows_all(privacy):
        return items
    for item in items:
        item["persons"] = [
            privacy.person(p["id"], privacy.public.get(p["id"], p["id"]), p["name"],
                           p["protected"])
            for p in item["persons"]
        ]  # fmt: skip
    return list(privacy.scrub(items))


def _event_items(
    store: Store, rows: Sequence[LedgerEventRow], privacy: Privacy
) -> list[dict[str, Any]]:
    """Ledger event rows as list items: fields, parties, persons and sources."""
    return _withheld([json.loads(t) for t in _holder_items(store, rows)], privacy)


def select_events(store: Store, query: EventQuery, privacy: Privacy) -> list[dict[str, Any]]:
    """Ledger events matching `query`, in (date, id) order, as list items."""
    return _event_items(store, store.ledger_events(query), privacy)


def _text(q: str | None) -> str | None:
    """A free-text query as the search text holds it (None when blank)."""
    return q.strip().casefold() if q and q.strip() else None


@dataclass(frozen=True)
class EventPage:
    """One page of the event list: its items' JSON (as the token holder sees them), the cursor
    of the next page, how the caller sees protected persons, and the version of the ledger
    the page was read from (what a response is kept under: web/cache.py)."""

    items: tuple[str, ...]
    next_cursor: str | None
    privacy: Privacy
    version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The page as a JSON-ready dict: {"items": [...], "next_cursor": str|None}."""
        items = _withheld([json.loads(t) for t in self.items], self.privacy)
        return {"items": items, "next_cursor": self.next_cursor}

    def to_json(self) -> str:
        """The page as compact JSON, the stored items joined when the caller sees them as
        stored (the same text as encoding `to_dict()`)."""
        if not shows_all(self.privacy):
            return item_json(self.to_dict())
        return f'{{"items":[{",".join(self.items)}],"next_cursor":{json.dumps(self.next_cursor)}}}'


def list_events(store: Store, **filters: Any) -> dict[str, Any]:
    """One page of ledger events in date order: {"items": [...], "next_cursor": str|None}
    (the filters, cursor, limit and include_protected of `events_page`)."""
    return events_page(store, **filters).to_dict()


def events_page(
    store: Store,
    *,
    type: str | None = None,
    status: str | None = None,
    party: str | None = None,
    person: str | None = None,
    since: str | None = None,
    until: str | None = None,
    has_conflict: bool | None = None,
    political: Scope = True,
    q: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
    include_protected: bool = False,
) -> EventPage:
    """One page of ledger events in date order.

    An undated event is placed by its earliest source and comes after dated ones when none
    is dated. `person` is a person id or a spelling; `q` searches evidence, titles, outlets,
    parties and names; `political` as `Scope` says (political events only by default).
    """
    _check_limit(limit)
    after = _decode_cursor(cursor, 2) if cursor else None
    query = EventQuery(
        type=type, status=status, party=party.upper() if party else None, since=since or None,
        until=until, has_conflict=has_conflict, political=political, text=_text(q),
        after=(after[0], after[1]) if after else None, limit=limit + 1,
    )  # fmt: skip
    if person is None:  # the usual page: one statement, its rows and the ledger's state
        read = store.ledger_page(query)
        listed, protected = read.events, read.protected
        if all(r.item for r in listed[:limit]) and (include_protected or protected or not listed):
            privacy = privacy_from_meta(protected or "[]", include_protected)
            items = tuple(r.item for r in listed[:limit])
            return _page(listed, limit, items, privacy, read.version)
    with store.snapshot():  # a person's events, or a ledger last built before 0012 or 0013
        version = store.ledger_version()
        privacy = privacy_for(store, include_protected)
        if person is not None:
            found = _find_persons(store, person, include_protected)
            if not found:
                return EventPage((), None, privacy, version)
            query = replace(query, person_id=found[0].id)
        rows = store.ledger_events(query)
        items = tuple(_holder_items(store, rows[:limit]))
    return _page(rows, limit, items, privacy, version)


def _page(
    rows: Sequence[LedgerEventRow] | Sequence[ListedEvent],
    limit: int,
    items: tuple[str, ...],
    privacy: Privacy,
    version: str | None,
) -> EventPage:
    """A page of the first `limit` of `rows` (one more than a page is asked for, to know
    whether another follows)."""
    next_cursor = None
    if len(rows) > limit:
        next_cursor = _encode_cursor(rows[limit - 1].sort_date, rows[limit - 1].id)
    return EventPage(items, next_cursor, privacy, version)


def _withhold_member(member: dict[str, Any], privacy: Privacy) -> dict[str, Any]:
    """A member as a caller who may not see protected names sees it: its paragraph with them
    blanked out, the evidence's span moved to match (the rest is scrubbed with the event)."""
    paragraph, span = member["paragraph"], member["span"]
    if paragraph is None or span is None or privacy.show:
        return member
    head, body, tail = (privacy.text(x) or "" for x in (
        paragraph[: span[0]], paragraph[span[0] : span[1]], paragraph[span[1] :]))  # fmt: skip
    return {**member, "paragraph": head + body + tail,
            "span": [len(head), len(head) + len(body)]}  # fmt: skip


def _body(store: Store, row: LedgerEventRow) -> dict[str, Any]:
    """An event's body as the token holder sees it: stored with its row, or (in a ledger
    built before bodies were stored) read from its tables."""
    if row.body:
        body: dict[str, Any] = json.loads(row.body)
        return body
    mentions = store.member_mentions(row.id)
    texts = store.article_texts([m.article_id for m in mentions])
    return event_body(row, store.ledger_values(row.id), mentions, texts)


def _deals(store: Store, event_id: str | None = None) -> list[dict[str, Any]]:
    """Deals with their parts (each with its event's headline fields) and stating sentences."""
    deals = store.deals(event_id)
    if not deals:
        return []
    parts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in store.deal_parts([d.id for d in deals]):
        parts[p.deal_id].append(
            {
                "event_id": p.event_id, "type": p.type, "gives": json.loads(p.gives),
                "gets": json.loads(p.gets), "status": p.status, "date": p.date,
                "sort_date": None if p.sort_date == UNDATED else p.sort_date,
                "count": {"value": p.count_value, "qualifier": p.count_qualifier}
                if p.count_value is not None else None,
                "sector": p.sector, "political": p.political,
            }
        )  # fmt: skip
    return [
        {"id": d.id, "status": d.status, "parts": parts[d.id],
         "sources": json.loads(d.summary)["sources"]}
        for d in deals
    ]  # fmt: skip


@dataclass(frozen=True)
class EventView:
    """One ledger event in full as one caller sees it (`get_event`'s dict), and the version
    of the ledger it was read from (what a response is kept under: web/cache.py)."""

    event: dict[str, Any]
    version: str | None


def get_event(store: Store, event_id: str, *, include_protected: bool = False) -> dict[str, Any]:
    """One ledger event with every value and its sources, conflicts, history and members."""
    return read_event(store, event_id, include_protected=include_protected).event


def read_event(store: Store, event_id: str, *, include_protected: bool = False) -> EventView:
    """`get_event` with the version of the ledger it read."""
    read = store.ledger_event_deals(event_id)
    row, protected = read.event, read.protected
    if row is None:
        raise NotFoundError(f"ledger event {event_id!r}: no such event")
    if row.item and row.body and not read.deals and (include_protected or protected):
        # The usual event: its row, stored item and body, who is protected and the version,
        # in the one statement that read them.
        privacy = privacy_from_meta(protected or "[]", include_protected)
        item = _withheld([json.loads(row.item)], privacy)[0]
        return EventView(_detail(item, json.loads(row.body), None, privacy), read.version)
    with store.snapshot():  # an event of a deal, or a ledger last built before 0012 or 0013
        version = store.ledger_version()
        privacy = privacy_for(store, include_protected)
        row = store.ledger_event(event_id)
        if row is None:
            raise NotFoundError(f"ledger event {event_id!r}: no such event")
        item = _event_items(store, [row], privacy)[0]
        body = _body(store, row)
        parts = _deals(store, event_id)
    return EventView(_detail(item, body, parts[0] if parts else None, privacy), version)


def _detail(
    item: dict[str, Any], body: dict[str, Any], deal: dict[str, Any] | None, privacy: Privacy
) -> dict[str, Any]:
    """An event in full, as this caller may see it: its list item, body and deal."""
    body["members"] = [_withhold_member(m, privacy) for m in body["members"]]
    item.update(body, deal=deal)
    return privacy.scrub(item)


def timeline(
    store: Store,
    *,
    party: str | None = None,
    since: str | None = None,
    until: str | None = None,
    political: Scope = True,
) -> list[dict[str, Any]]:
    """Every ledger event in date order (with its source counts), optionally filtered
    (political events only unless `political` says otherwise)."""
    with store.snapshot():
        privacy = privacy_for(store, False)
        query = EventQuery(party=party.upper() if party else None, since=since or None,
                           until=until, political=political)  # fmt: skip
        return select_events(store, query, privacy)


def monthly(
    store: Store, *, party: str | None = None, political: Scope = True
) -> list[dict[str, Any]]:
    """Events and people released per month and party (the releasing/acting side), for a chart.

    Without `party`, one row per month and acting side, each event counted once: a swap's
    side is both parties ("RUS+USA"), so a stacked month adds up to its events and people.
    With `party`, that party's events on either side. Events with no date (and no dated
    source) are left out, and so are the non-political ones unless `political` says otherwise.
    """
    code = party.upper() if party else None
    return [
        {"month": m.month, "party": m.party, "events": m.events,
         "people_released": m.people_released}
        for m in store.monthly(code, political)
    ]  # fmt: skip


def list_conflicts(
    store: Store, *, political: Scope = True, include_protected: bool = False
) -> list[dict[str, Any]]:
    """Every event whose sources disagree, with each disputed value and its sources
    (political events only unless `political` says otherwise)."""
    with store.snapshot():
        privacy = privacy_for(store, include_protected)
        query = EventQuery(has_conflict=True, political=political)
        items = select_events(store, query, privacy)
        for item in items:
            item["conflicts"] = value_entries(store.ledger_values(item["id"]))[1]
    return privacy.scrub(items)


def in_scope(political: bool, scope: Scope) -> bool:
    """Whether an event (or deal) political or not belongs in a view of this scope."""
    return scope is None or political == scope


def list_deals(
    store: Store, *, party: str | None = None, political: Scope = True
) -> list[dict[str, Any]]:
    """Every deal; with `party`, those it took part in, with what it gave and what it got.

    A deal is political when any of its parts is: by default only those are listed.
    """
    with store.snapshot():
        privacy = privacy_for(store, False)
        deals = _deals(store)
    for deal in deals:
        deal["political"] = any(p["political"] for p in deal["parts"])
    deals = [d for d in deals if in_scope(d["political"], political)]
    if party:
        code = party.upper()
        chosen = []
        for deal in deals:
            gave = [p for p in deal["parts"] if code in p["gives"]]
            got = [p for p in deal["parts"] if code in p["gets"] and code not in p["gives"]]
            if gave or got:
                chosen.append({**deal, "party": code, "gave": gave, "got": got})
        deals = chosen
    return privacy.scrub(deals)


# ---------------------------------------------------------------- persons


def _find_persons(store: Store, key: str, include_protected: bool) -> list[PersonRef]:
    """Persons named by id, public id or spelling (or another romanisation of one)."""
    found = store.persons_by_id(key)
    if not found:
        found = store.persons_by_spelling(key.strip().casefold())
    if not found:  # another romanisation of a known spelling
        folded = fold_name(key)
        found = list(
            dict.fromkeys(
                s.person for s in store.all_spellings() if fold_name(s.spelling) == folded
            )
        )
    if not include_protected:  # a protected person is found only by its public id
        found = [p for p in found if not p.protected or p.public_id == key]
    return found


def _person_item(person: PersonRef, spellings: list[str], privacy: Privacy) -> dict[str, Any]:
    """A person as listed: id, name, protected, spellings (omitted when withheld)."""
    item = privacy.person(person.id, person.public_id, person.name, person.protected)
    hidden = person.protected and not privacy.show
    item["spellings"] = [] if hidden else spellings
    return item


def _spellings(store: Store, ids: Sequence[str]) -> dict[str, list[str]]:
    """The spellings of the given persons."""
    found: dict[str, list[str]] = defaultdict(list)
    if ids:
        for row in store.spellings(ids):
            found[row.person_id].append(row.spelling)
    return found


def list_persons(
    store: Store,
    *,
    name: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
    political: Scope = True,
    include_protected: bool = False,
) -> dict[str, Any]:
    """One page of persons by name: {"items": [...], "next_cursor": str|None}.

    `name` matches any spelling (case-insensitive substring, or the same name in another
    romanisation); protected persons are listed (withheld) but never matched by name unless
    include_protected. `political` (a `Scope`) lists the persons of the happenings that scope
    lists, each with the number of them: by default those of a political happening.
    """
    _check_limit(limit)
    with store.snapshot():
        privacy = privacy_for(store, include_protected)
        after = _decode_cursor(cursor, 2) if cursor else None
        query = PersonQuery(
            political=political, limit=limit + 1, after=(after[0], after[1]) if after else None
        )
        text = _text(name)
        if name and text is not None:
            folded = {p.id for p in _find_persons(store, name, include_protected)}
            query = replace(
                query, text=text, ids=tuple(sorted(folded)), unprotected_only=not include_protected
            )
        rows = store.persons_page(query)
        spellings = _spellings(store, [r.person.id for r in rows[:limit]])
    items = []
    for r in rows[:limit]:
        item = _person_item(r.person, spellings[r.person.id], privacy)
        item["n_events"] = r.n_events
        items.append(item)
    next_cursor = None
    if len(rows) > limit:
        next_cursor = _encode_cursor(rows[limit - 1].sort_key, rows[limit - 1].person.public_id)
    return {"items": privacy.scrub(items), "next_cursor": next_cursor}


def one_person(store: Store, id_or_name: str, include_protected: bool) -> PersonRef:
    """The one person an id or name denotes; NotFoundError when none."""
    found = _find_persons(store, id_or_name, include_protected)
    if not found:
        message = f"person {id_or_name!r}: no such person in the ledger"
        if not include_protected and _find_persons(store, id_or_name, True):
            raise WithheldError(message, "a protected person, withheld unless asked for")
        raise NotFoundError(message)
    return found[0]


def get_person(store: Store, id_or_name: str, *, include_protected: bool = False) -> dict[str, Any]:
    """A person: spellings, status history (each step with its sources) and events."""
    with store.snapshot():
        privacy = privacy_for(store, include_protected)
        person = one_person(store, id_or_name, include_protected)
        item = _person_item(person, _spellings(store, [person.id])[person.id], privacy)
        item["history"] = [
            {"status": h.status, "date": h.date, "event_id": h.event_id,
             "sources": json.loads(h.sources)}
            for h in store.person_history(person.id)
        ]  # fmt: skip
        rows = store.ledger_events(EventQuery(person_id=person.id))
        item["events"] = _event_items(store, rows, privacy)
    return privacy.scrub(item)
