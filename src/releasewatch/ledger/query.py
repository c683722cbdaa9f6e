"""Reading the ledger: paged events and persons, one event or person in full, deals, charts."""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ..errors import InputError, NotFoundError
from ..resolve import fold_name
from ..store import EventRow, Store, locate_paragraph
from .build import FIELDS, UNDATED, dumps
from .privacy import Privacy, privacy_for

MAX_LIMIT = 500  # largest page a caller may ask for
_EVENT_COLUMNS = (
    "e.id, e.type, e.status, e.date, e.date_precision, e.sort_date, e.count_value,"
    " e.count_qualifier, e.sector, e.has_conflict, e.n_sources, e.n_mentions,"
    " e.persons_released, e.summary"
)
_EVENT_FILTERS = {
    "type": "e.type = ?",
    "status": "e.status = ?",
    "party": "EXISTS (SELECT 1 FROM ledger_parties p WHERE p.event_id = e.id AND p.code = ?)",
    "person": "EXISTS (SELECT 1 FROM person_events pe WHERE pe.event_id = e.id"
    " AND pe.person_id = ?)",
    # A partial date is in range when any of its days is (as in store.events). The year bound
    # is implied by the first test; it lets SQLite seek the date index instead of scanning.
    "since": (
        "e.sort_date >= substr(?, 1, 4) AND e.sort_date || '-99' >= ? AND e.sort_date <> '~'"
    ),
    "until": "e.sort_date <= ?",
    "has_conflict": "e.has_conflict = ?",
    "q": "e.search_text LIKE ? ESCAPE '\\'",
    "after": "(e.sort_date > ? OR (e.sort_date = ? AND e.id > ?))",
}


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


def _in(ids: Sequence[str]) -> str:
    """Placeholders for an IN list."""
    return ", ".join("?" for _ in ids)


def _event_items(store: Store, rows: list[tuple[Any, ...]], privacy: Privacy) -> list[dict]:
    """Ledger event rows as list items: fields, parties, persons and sources."""
    ids = [r[0] for r in rows]
    parties: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"by": [], "to": []})
    persons: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        for eid, role, code in store.query(
            f"SELECT event_id, role, code FROM ledger_parties WHERE event_id IN ({_in(ids)})"
            " ORDER BY event_id, role, position",
            ids,
        ):
            parties[eid][role].append(code)
        for eid, pid, public, name, protected in store.query(
            "SELECT pe.event_id, p.id, p.public_id, p.name, p.protected FROM person_events pe"
            f" JOIN persons p ON p.id = pe.person_id WHERE pe.event_id IN ({_in(ids)})"
            " ORDER BY pe.event_id, pe.position",
            ids,
        ):
            persons[eid].append(privacy.person(pid, public, name, bool(protected)))
    items = []
    for r in rows:
        summary = json.loads(r[13])
        items.append(
            {
                "id": r[0], "type": r[1], "status": r[2], "date": r[3], "date_precision": r[4],
                "sort_date": None if r[5] == UNDATED else r[5],
                "by": parties[r[0]]["by"], "to": parties[r[0]]["to"],
                "count": {"value": r[6], "qualifier": r[7]} if r[6] is not None else None,
                "sector": r[8], "persons": persons[r[0]], "persons_released": int(r[12]),
                "has_conflict": bool(r[9]), "conflicts": summary["conflicts"],
                "n_sources": int(r[10]), "n_mentions": int(r[11]),
                "sources": summary["sources"], "evidence": summary["evidence"],
            }
        )  # fmt: skip
    return privacy.scrub(items)


def select_events(
    store: Store, given: dict[str, Any], limit: int | None, privacy: Privacy
) -> list[dict[str, Any]]:
    """Ledger events matching every given filter, in (date, id) order."""
    clauses, params = [], []
    for key, value in given.items():
        if value is None:
            continue
        clauses.append(_EVENT_FILTERS[key])
        params.extend(value if isinstance(value, tuple) else (value,))
    sql = f"SELECT {_EVENT_COLUMNS} FROM ledger_events e"
    sql += (" WHERE " + " AND ".join(clauses) if clauses else "") + " ORDER BY e.sort_date, e.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return _event_items(store, store.query(sql, params), privacy)


def _like(q: str | None) -> str | None:
    """A LIKE pattern for a free-text query (wildcards in it taken literally)."""
    if not q or not q.strip():
        return None
    escaped = q.strip().casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_events(
    store: Store,
    *,
    type: str | None = None,
    status: str | None = None,
    party: str | None = None,
    person: str | None = None,
    since: str | None = None,
    until: str | None = None,
    has_conflict: bool | None = None,
    q: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
    include_protected: bool = False,
) -> dict[str, Any]:
    """One page of ledger events in date order: {"items": [...], "next_cursor": str|None}.

    An undated event is placed by its earliest source and comes after dated ones when none
    is dated. `person` is a person id or a spelling; `q` searches evidence, titles, outlets,
    parties and names.
    """
    _check_limit(limit)
    with store.snapshot():
        privacy = privacy_for(store, include_protected)
        person_id: str | None = None
        if person is not None:
            found = _find_persons(store, person, include_protected)
            if not found:
                return {"items": [], "next_cursor": None}
            person_id = found[0][0]
        after = tuple(_decode_cursor(cursor, 2)) if cursor else None
        given = {
            "type": type,
            "status": status,
            "party": party.upper() if party else None,
            "person": person_id,
            "since": (since, since) if since else None,
            "until": until + "~" if until is not None else None,
            "has_conflict": None if has_conflict is None else int(has_conflict),
            "q": _like(q),
            "after": (after[0], after[0], after[1]) if after else None,
        }
        items = select_events(store, given, limit + 1, privacy)
    more = len(items) > limit
    items = items[:limit]
    last = items[-1] if items else None
    next_cursor = None
    if more and last is not None:
        next_cursor = _encode_cursor(last["sort_date"] or UNDATED, last["id"])
    return {"items": items, "next_cursor": next_cursor}


def _member(row: EventRow, text: str | None, privacy: Privacy) -> dict[str, Any]:
    """One mention merged into an event: its article, evidence in its paragraph, fields."""
    paragraph, span = (None, None)
    if text is not None:
        paragraph, span = locate_paragraph(text, row.evidence, row.start, row.end)
    if paragraph is not None and span is not None and not privacy.show:
        head, body, tail = (privacy.text(x) or "" for x in (
            paragraph[: span[0]], paragraph[span[0] : span[1]], paragraph[span[1] :]))  # fmt: skip
        paragraph, span = head + body + tail, (len(head), len(head) + len(body))
    return {
        "mention_id": row.id, "article_id": row.article_id, "index": row.index,
        "title": row.article_title, "outlet": row.article_outlet, "url": row.article_url,
        "published": row.article_published, "source": row.article_source,
        "type": row.type, "status": row.status, "by": list(row.by), "to": list(row.to),
        "count": {"value": row.count.value, "qualifier": row.count.qualifier}
        if row.count else None,
        "persons": list(row.persons), "sector": row.sector, "date": row.date,
        "evidence": row.evidence, "start": row.start, "end": row.end,
        "paragraph": paragraph, "span": list(span) if span else None,
        "attribution": row.attribution, "confidence": row.confidence,
        "background": row.background,
    }  # fmt: skip


def _values(store: Store, event_id: str) -> tuple[dict[str, list[dict]], list[dict]]:
    """Every value of every field with its sources, and the fields in conflict."""
    values: dict[str, list[dict[str, Any]]] = {f: [] for f in FIELDS}
    conflicts: dict[str, list[dict[str, Any]]] = {}
    for name, value, sources, conflict in store.query(
        "SELECT field, value, sources, conflict FROM ledger_values WHERE event_id = ?"
        " ORDER BY field, position",
        (event_id,),
    ):
        entry = {"value": json.loads(value), "sources": json.loads(sources)}
        values[name].append(entry)
        if conflict:
            conflicts.setdefault(name, []).append(entry)
    return values, [{"field": f, "values": v} for f, v in conflicts.items()]


def _deals(store: Store, where: str = "", params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Deals with their parts (each with its event's headline fields) and stating sentences."""
    deals = store.query(
        f"SELECT d.id, d.status, d.summary FROM deals d{where} ORDER BY d.id", params
    )
    if not deals:
        return []
    ids = [d[0] for d in deals]
    parts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for deal_id, eid, type_, gives, gets, status, date, sort_date, cv, cq, sector in store.query(
        "SELECT dp.deal_id, dp.event_id, dp.type, dp.gives, dp.gets, e.status, e.date,"
        " e.sort_date, e.count_value, e.count_qualifier, e.sector FROM deal_parts dp"
        f" JOIN ledger_events e ON e.id = dp.event_id WHERE dp.deal_id IN ({_in(ids)})"
        " ORDER BY dp.deal_id, dp.position",
        ids,
    ):
        parts[deal_id].append(
            {
                "event_id": eid, "type": type_, "gives": json.loads(gives),
                "gets": json.loads(gets), "status": status, "date": date,
                "sort_date": None if sort_date == UNDATED else sort_date,
                "count": {"value": cv, "qualifier": cq} if cv is not None else None,
                "sector": sector,
            }
        )  # fmt: skip
    return [
        {"id": d[0], "status": d[1], "parts": parts[d[0]], "sources": json.loads(d[2])["sources"]}
        for d in deals
    ]


def get_event(store: Store, event_id: str, *, include_protected: bool = False) -> dict[str, Any]:
    """One ledger event with every value and its sources, conflicts, history and members."""
    with store.snapshot():
        privacy = privacy_for(store, include_protected)
        rows = store.query(
            f"SELECT {_EVENT_COLUMNS} FROM ledger_events e WHERE e.id = ?", (event_id,)
        )
        if not rows:
            raise NotFoundError(f"ledger event {event_id!r}: no such event")
        item = _event_items(store, rows, privacy)[0]
        summary = json.loads(rows[0][13])
        values, conflicts = _values(store, event_id)
        member_ids = [
            r[0]
            for r in store.query(
                "SELECT mention_id FROM ledger_members WHERE event_id = ? ORDER BY position",
                (event_id,),
            )
        ]
        mentions = {m.id: m for m in store.mentions(member_ids)}
        texts = store.article_texts([m.article_id for m in mentions.values()])
        members = [
            _member(mentions[mid], texts.get(mentions[mid].article_id), privacy)
            for mid in member_ids
            if mid in mentions
        ]
        deals = _deals(
            store,
            " WHERE EXISTS (SELECT 1 FROM deal_parts x WHERE x.deal_id = d.id AND x.event_id = ?)",
            (event_id,),
        )
    item.update(
        consensus=summary["consensus"],
        values=values,
        conflicts=conflicts,
        history=summary["history"],
        members=members,
        deal=deals[0] if deals else None,
    )
    return privacy.scrub(item)


def timeline(
    store: Store, *, party: str | None = None, since: str | None = None, until: str | None = None
) -> list[dict[str, Any]]:
    """Every ledger event in date order (with its source counts), optionally filtered."""
    with store.snapshot():
        privacy = privacy_for(store, False)
        given = {
            "party": party.upper() if party else None,
            "since": (since, since) if since else None,
            "until": until + "~" if until is not None else None,
        }
        return select_events(store, given, None, privacy)


def monthly(store: Store, *, party: str | None = None) -> list[dict[str, Any]]:
    """Events and people released per month and party (the releasing/acting side), for a chart.

    Without `party`, one row per month and acting party; with it, that party's events on
    either side. Events with no date (and no dated source) are left out.
    """
    code = party.upper() if party else None
    sql = (
        "SELECT substr(e.sort_date, 1, 7), p.code, COUNT(*), SUM(e.persons_released)"
        " FROM ledger_events e JOIN ledger_parties p ON p.event_id = e.id"
        " WHERE length(e.sort_date) >= 7"
    )
    if code:
        sql += " AND p.code = ? GROUP BY substr(e.sort_date, 1, 7), p.code"
        params: tuple[Any, ...] = (code,)
    else:
        sql += " AND p.role = 'by' GROUP BY substr(e.sort_date, 1, 7), p.code"
        params = ()
    rows = store.query(sql + " ORDER BY 1, 2", params)
    return [
        {"month": m, "party": c, "events": int(n), "people_released": int(r or 0)}
        for m, c, n, r in rows
    ]


def list_conflicts(store: Store, *, include_protected: bool = False) -> list[dict[str, Any]]:
    """Every event whose sources disagree, with each disputed value and its sources."""
    with store.snapshot():
        privacy = privacy_for(store, include_protected)
        items = select_events(store, {"has_conflict": 1}, None, privacy)
        for item in items:
            item["conflicts"] = _values(store, item["id"])[1]
    return privacy.scrub(items)


def list_deals(store: Store, *, party: str | None = None) -> list[dict[str, Any]]:
    """Every deal; with `party`, those it took part in, with what it gave and what it got."""
    with store.snapshot():
        privacy = privacy_for(store, False)
        deals = _deals(store)
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


def _find_persons(store: Store, key: str, include_protected: bool) -> list[tuple[Any, ...]]:
    """Persons (id, public_id, name, protected) named by id, public id or spelling."""
    columns = "p.id, p.public_id, p.name, p.protected"
    rows = store.query(
        f"SELECT {columns} FROM persons p WHERE p.public_id = ? OR p.id = ?", (key, key)
    )
    if not rows:
        rows = store.query(
            f"SELECT DISTINCT {columns} FROM persons p JOIN person_spellings s"
            " ON s.person_id = p.id WHERE s.spelling_key = ? ORDER BY p.id",
            (key.strip().casefold(),),
        )
    if not rows:  # another romanisation of a known spelling
        folded = fold_name(key)
        rows = [
            r[:4]
            for r in store.query(
                f"SELECT {columns}, s.spelling FROM persons p JOIN person_spellings s"
                " ON s.person_id = p.id ORDER BY p.id, s.spelling"
            )
            if fold_name(r[4]) == folded
        ]
        rows = list(dict.fromkeys(rows))
    if not include_protected:  # a protected person is found only by its public id
        rows = [r for r in rows if not r[3] or r[1] == key]
    return rows


def _person_item(row: tuple[Any, ...], spellings: list[str], privacy: Privacy) -> dict:
    """A person as listed: id, name, protected, spellings (omitted when withheld)."""
    item = privacy.person(row[0], row[1], row[2], bool(row[3]))
    hidden = bool(row[3]) and not privacy.show
    item["spellings"] = [] if hidden else spellings
    return item


def _spellings(store: Store, ids: Sequence[str]) -> dict[str, list[str]]:
    """The spellings of the given persons."""
    found: dict[str, list[str]] = defaultdict(list)
    if ids:
        for pid, spelling in store.query(
            f"SELECT person_id, spelling FROM person_spellings WHERE person_id IN ({_in(ids)})"
            " ORDER BY person_id, spelling",
            ids,
        ):
            found[pid].append(spelling)
    return found


def list_persons(
    store: Store,
    *,
    name: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
    include_protected: bool = False,
) -> dict[str, Any]:
    """One page of persons by name: {"items": [...], "next_cursor": str|None}.

    `name` matches any spelling (case-insensitive substring, or the same name in another
    romanisation); protected persons are listed (withheld) but never matched by name unless
    include_protected.
    """
    _check_limit(limit)
    with store.snapshot():
        privacy = privacy_for(store, include_protected)
        clauses: list[str] = []
        params: list[Any] = []
        if name:
            like = _like(name)
            folded = {r[0] for r in _find_persons(store, name, include_protected)}
            clauses.append(
                "(p.id IN (SELECT s.person_id FROM person_spellings s"
                " WHERE s.spelling_key LIKE ? ESCAPE '\\')"
                + (f" OR p.id IN ({_in(sorted(folded))})" if folded else "")
                + ")"
            )
            params += [like, *sorted(folded)]
            if not include_protected:
                clauses.append("p.protected = 0")
        if cursor:
            key, public = _decode_cursor(cursor, 2)
            clauses.append("(p.sort_key > ? OR (p.sort_key = ? AND p.public_id > ?))")
            params += [key, key, public]
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = store.query(
            "SELECT p.id, p.public_id, p.name, p.protected, p.sort_key,"
            " (SELECT COUNT(*) FROM person_events pe WHERE pe.person_id = p.id)"
            f" FROM persons p{where} ORDER BY p.sort_key, p.public_id LIMIT ?",
            [*params, limit + 1],
        )
        spellings = _spellings(store, [r[0] for r in rows[:limit]])
    items = []
    for r in rows[:limit]:
        item = _person_item(r, spellings[r[0]], privacy)
        item["n_events"] = int(r[5])
        items.append(item)
    next_cursor = (
        _encode_cursor(rows[limit - 1][4], rows[limit - 1][1]) if len(rows) > limit else None
    )
    return {"items": privacy.scrub(items), "next_cursor": next_cursor}


def one_person(store: Store, id_or_name: str, include_protected: bool) -> tuple[Any, ...]:
    """The one person an id or name denotes; NotFoundError when none."""
    rows = _find_persons(store, id_or_name, include_protected)
    if not rows:
        raise NotFoundError(f"person {id_or_name!r}: no such person in the ledger")
    return rows[0]


def get_person(store: Store, id_or_name: str, *, include_protected: bool = False) -> dict[str, Any]:
    """A person: spellings, status history (each step with its sources) and events."""
    with store.snapshot():
        privacy = privacy_for(store, include_protected)
        row = one_person(store, id_or_name, include_protected)
        item = _person_item(row, _spellings(store, [row[0]])[row[0]], privacy)
        item["history"] = [
            {"status": s, "date": d, "event_id": e, "sources": json.loads(src)}
            for s, d, e, src in store.query(
                "SELECT status, date, event_id, sources FROM person_history"
                " WHERE person_id = ? ORDER BY position",
                (row[0],),
            )
        ]
        event_rows = store.query(
            f"SELECT {_EVENT_COLUMNS} FROM ledger_events e JOIN person_events pe"
            " ON pe.event_id = e.id WHERE pe.person_id = ? ORDER BY e.sort_date, e.id",
            (row[0],),
        )
        item["events"] = _event_items(store, event_rows, privacy)
    return privacy.scrub(item)
