"""Rebuilding the ledger tables from every stored mention and the user's decisions."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

from ..model import Count
from ..resolve import Deal, Ledger, LedgerEvent, MentionRef, Person, Source, resolve
from ..store import (
    UNDATED,
    DealPartRow,
    DealRow,
    EventRow,
    LedgerEventRow,
    LedgerMemberRow,
    LedgerPartyRow,
    LedgerTables,
    LedgerValueRow,
    PersonEventRow,
    PersonHistoryRow,
    PersonRow,
    PersonSpellingRow,
    Store,
    locate_paragraph,
)
from .privacy import Privacy, make_privacy, public_person_id

FIELDS = ("by", "to", "count", "date", "sector")
_REBUILD_TRIES = 3  # optimistic rebuilds before one that holds the ledger lock throughout
_FREED = ("release", "exchange")
# Events whose bodies are made together, their articles' texts read in one go: bounds what a
# rebuild holds of the texts (500 events of the corpus's articles: a few MB).
_BODY_CHUNK = 500
__all__ = [
    "FIELDS", "UNDATED", "dumps", "event_body", "item_json", "list_item", "member_dict", "now",
    "protected_meta", "rebuild", "status", "value_entries",
]  # fmt: skip


def now() -> str:
    """The current UTC time as ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def dumps(value: Any) -> str:
    """Compact JSON for a text column."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def item_json(item: dict[str, Any]) -> str:
    """A list item as the API sends it: compact, keys in the item's order, UTF-8 kept."""
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def list_item(
    r: LedgerEventRow, summary: dict[str, Any], persons: list[dict[str, Any]]
) -> dict[str, Any]:
    """A ledger event as the event list shows it: its row's fields, its summary's parties,
    conflicts, sources and evidence, and its persons (as the token holder sees them)."""
    consensus = summary["consensus"]  # its parties are the rows of ledger_parties, in order
    return {
        "id": r.id, "type": r.type, "status": r.status, "date": r.date,
        "date_precision": r.date_precision,
        "sort_date": None if r.sort_date == UNDATED else r.sort_date,
        "by": consensus["by"] or [], "to": consensus["to"] or [],
        "count": {"value": r.count_value, "qualifier": r.count_qualifier}
        if r.count_value is not None else None,
        "sector": r.sector, "persons": persons,
        "persons_released": r.persons_released,
        "has_conflict": r.has_conflict, "conflicts": summary["conflicts"],
        "political": r.political, "n_sources": r.n_sources, "n_mentions": r.n_mentions,
        "sources": summary["sources"], "evidence": summary["evidence"],
    }  # fmt: skip


def member_dict(row: EventRow, text: str | None) -> dict[str, Any]:
    """One mention merged into an event, as the token holder sees it: its article, evidence in
    its paragraph (`text` is the article's clean body), fields."""
    paragraph, span = (None, None)
    if text is not None:
        paragraph, span = locate_paragraph(text, row.evidence, row.start, row.end)
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
        "background": row.background, "political": row.political,
    }  # fmt: skip


def value_entries(
    values: Sequence[LedgerValueRow],
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Every value of every field of one event with its sources, and the fields in conflict
    with theirs (by field name, as the store orders the rows)."""
    by_field: dict[str, list[dict[str, Any]]] = {f: [] for f in FIELDS}
    conflicts: dict[str, list[dict[str, Any]]] = {}
    for value in sorted(values, key=lambda v: (v.field, v.position)):
        entry = {"value": json.loads(value.value), "sources": json.loads(value.sources)}
        by_field[value.field].append(entry)
        if value.conflict:
            conflicts.setdefault(value.field, []).append(entry)
    return by_field, [{"field": f, "values": v} for f, v in conflicts.items()]


def event_body(
    row: LedgerEventRow,
    values: Sequence[LedgerValueRow],
    mentions: Sequence[EventRow],
    texts: Mapping[str, str],
) -> dict[str, Any]:
    """What an event shows beyond its list item, as the token holder sees it: the consensus,
    every value of every field with its sources, the fields in conflict, the status history
    and the members (`mentions` in the event's order, `texts` their articles' clean bodies).

    Made from the event's rows, so the stored body (migration 0013) and one read from the
    tables of a ledger built before it are the same.
    """
    summary = json.loads(row.summary)
    by_field, conflicts = value_entries(values)
    return {
        "consensus": summary["consensus"],
        "values": by_field,
        "conflicts": conflicts,
        "history": summary["history"],
        "members": [member_dict(m, texts.get(m.article_id)) for m in mentions],
    }


def _with_bodies(store: Store, rows: _Rows, known: Mapping[str, EventRow] | None = None) -> None:
    """Give every event row of `rows` its body, from its value and member rows (the member
    mentions from `known`, else read), its articles' texts read a chunk of events at a time."""
    values: dict[str, list[LedgerValueRow]] = defaultdict(list)
    for value in rows.values:
        values[value.event_id].append(value)
    members: dict[str, list[LedgerMemberRow]] = defaultdict(list)
    for member in rows.members:
        members[member.event_id].append(member)
    done: list[LedgerEventRow] = []
    for at in range(0, len(rows.events), _BODY_CHUNK):
        chunk = rows.events[at : at + _BODY_CHUNK]
        ids = [m.mention_id for e in chunk for m in members[e.id]]
        found = known if known is not None else {r.id: r for r in store.mentions(ids)}
        texts = store.article_texts(sorted({found[i].article_id for i in ids if i in found}))
        for event in chunk:
            order = sorted(members[event.id], key=lambda m: m.position)
            mentions = [found[m.mention_id] for m in order if m.mention_id in found]
            body = event_body(event, values[event.id], mentions, texts)
            done.append(replace(event, body=item_json(body)))
    rows.events = done


def _plain(value: object) -> Any:
    """A field value as JSON: a count as {"value", "qualifier"}, a tuple as a list."""
    if isinstance(value, Count):
        return {"value": value.value, "qualifier": value.qualifier}
    if isinstance(value, tuple):
        return list(value)
    return value


def source_dict(src: Source) -> dict[str, Any]:
    """A value's source: the mention and its article."""
    return {
        "mention_id": f"{src.article_id}-{src.index}",
        "article_id": src.article_id,
        "index": src.index,
        "outlet": src.outlet,
        "published": src.published,
        "evidence": src.evidence,
    }


@dataclass(frozen=True)
class Basis:
    """What a ledger is built from: article and mention counts, the user's decisions."""

    articles: int
    mentions: int
    decisions: tuple[tuple[int, str, str, str | None], ...]
    flags: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, store: Store) -> Basis:
        """The basis of the ledger as the store holds it now."""
        articles, mentions = store.basis_counts()
        return cls(
            articles,
            mentions,
            cls.decisions_of(store),
            tuple((f.spelling_key, int(f.protected)) for f in store.flags()),
        )

    @staticmethod
    def decisions_of(store: Store) -> tuple[tuple[int, str, str, str | None], ...]:
        """The user's person decisions as a basis holds them (without counting articles)."""
        return tuple((d.id, d.action, d.a, d.b) for d in store.decisions())

    def fingerprint(self) -> str:
        """A short hash of the basis, kept in the ledger's meta rows."""
        inputs = [[self.articles, self.mentions], [list(d) for d in self.decisions],
                  [list(f) for f in self.flags]]  # fmt: skip
        return hashlib.sha1(dumps(inputs).encode()).hexdigest()[:16]

    def overrides(self) -> list[tuple[str, ...]]:
        """The user's person overrides, in the order made."""
        return [("merge", a, b or "") if action == "merge" else ("split", a)
                for _, action, a, b in self.decisions]  # fmt: skip

    def protected_keys(self) -> set[str]:
        """The spelling keys marked protected."""
        return {key for key, protected in self.flags if protected}


def _fingerprint(store: Store) -> str:
    """What a ledger is built from, as a short hash."""
    return Basis.of(store).fingerprint()


def _decisions(store: Store) -> tuple[list[tuple[str, ...]], set[str]]:
    """The user's person overrides (in the order made) and the protected spelling keys."""
    basis = Basis.of(store)
    return basis.overrides(), basis.protected_keys()


def to_ref(row: EventRow) -> MentionRef:
    """A stored mention with its article context, as the resolve stage takes it."""
    return MentionRef(
        row.article_id, row.index, row.article_published, row.article_outlet,
        row.article_title, row.to_mention(),
    )  # fmt: skip


@dataclass
class _Rows:
    """Every row of the derived tables, ready to insert."""

    events: list[LedgerEventRow] = field(default_factory=list)
    parties: list[LedgerPartyRow] = field(default_factory=list)
    members: list[LedgerMemberRow] = field(default_factory=list)
    values: list[LedgerValueRow] = field(default_factory=list)
    persons: list[PersonRow] = field(default_factory=list)
    spellings: list[PersonSpellingRow] = field(default_factory=list)
    history: list[PersonHistoryRow] = field(default_factory=list)
    person_events: list[PersonEventRow] = field(default_factory=list)
    deals: list[DealRow] = field(default_factory=list)
    deal_parts: list[DealPartRow] = field(default_factory=list)

    def tables(self) -> LedgerTables:
        """The rows as the store takes them."""
        return LedgerTables(**{f.name: tuple(getattr(self, f.name)) for f in fields(self)})


def _released(event: LedgerEvent) -> int:
    """People freed by an occurred release or swap: its figure, else the persons named."""
    if event.type not in _FREED or event.status != "occurred":
        return 0
    if event.count.consensus is not None:
        return event.count.consensus.value
    return len(event.persons)


def _event_rows(
    event: LedgerEvent,
    rows: _Rows,
    urls: Mapping[str, str | None],
    names: Mapping[str, str],
    privacy: Privacy,
) -> None:
    """The rows of one ledger event: itself, parties, members, values."""
    founder = min(event.members, key=lambda r: (r.published or UNDATED, r.article_id, r.index))
    sources = [
        {
            "article_id": s.article_id,
            "title": s.title,
            "outlet": s.outlet,
            "published": s.published,
            "url": urls.get(s.article_id),
        }
        for s in event.sources
    ]
    dated = [s.published for s in event.sources if s.published]
    sort_date = event.date.consensus or (min(dated) if dated else UNDATED)
    conflicts = [c.field for c in event.conflicts]
    summary = {
        "consensus": {f: _plain(getattr(event, f).consensus) for f in FIELDS},
        "history": [
            {
                "status": step.status,
                "first_reported": step.first_reported,
                "sources": [source_dict(s) for s in step.sources],
            }
            for step in event.history
        ],
        "sources": sources,
        "conflicts": conflicts,
        "evidence": founder.mention.evidence,
    }
    count = event.count.consensus
    search = [event.id, event.type, event.status, event.sector.consensus or ""]
    search += [*(event.by.consensus or ()), *(event.to.consensus or ())]
    search += [r.mention.evidence for r in event.members]
    search += [s.title or "" for s in event.sources] + [s.outlet or "" for s in event.sources]
    search += [names[p] for p in event.persons if p not in privacy.public]
    row = LedgerEventRow(
        event.id, event.type, event.status, event.date.consensus, event.date_precision,
        sort_date, count.value if count else None, count.qualifier if count else None,
        event.sector.consensus, bool(conflicts), len(event.sources),
        len(event.members), _released(event),
        (privacy.text(" ".join(search)) or "").casefold(), dumps(summary), event.political,
    )  # fmt: skip
    persons = [{"id": p, "name": names[p], "protected": p in privacy.public} for p in event.persons]
    # The summary as a reader decodes it (its keys sorted), so the item is what it would build.
    item = list_item(row, json.loads(row.summary), persons)
    rows.events.append(replace(row, item=item_json(item)))
    for role in ("by", "to"):
        for pos, code in enumerate(getattr(event, role).consensus or ()):
            rows.parties.append(LedgerPartyRow(event.id, role, pos, code))
    for pos, ref in enumerate(event.members):
        mention_id = f"{ref.article_id}-{ref.index}"
        rows.members.append(LedgerMemberRow(mention_id, event.id, ref.article_id, pos))
    for name in FIELDS:
        values = getattr(event, name)
        for pos, sourced in enumerate(values.values):
            rows.values.append(
                LedgerValueRow(
                    event.id, name, pos, dumps(_plain(sourced.value)),
                    dumps([source_dict(s) for s in sourced.sources]), bool(values.conflict),
                )
            )  # fmt: skip
    for pos, pid in enumerate(event.persons):
        rows.person_events.append(PersonEventRow(pid, event.id, pos))


def _person_rows(person: Person, protected: bool, rows: _Rows) -> None:
    """The rows of one person record: itself, spellings and status history."""
    public = public_person_id(person.id) if protected else person.id
    sort_key = "~" if protected else person.name.casefold()
    rows.persons.append(PersonRow(person.id, public, person.name, sort_key, protected))
    for spelling in person.spellings:
        rows.spellings.append(PersonSpellingRow(person.id, spelling, spelling.casefold()))
    for pos, step in enumerate(person.history):
        rows.history.append(
            PersonHistoryRow(person.id, pos, step.status, step.date, step.event_id,
                             dumps([source_dict(s) for s in step.sources]))
        )  # fmt: skip


def is_protected(person: Person, flags: set[str]) -> bool:
    """Whether a person is protected: any of its spellings is marked."""
    return any(s.casefold() in flags for s in person.spellings)


def row_privacy(protected: Iterable[Person]) -> Privacy:
    """How the derived rows withhold protected persons (ids and names in search texts)."""
    persons = list(protected)
    return make_privacy(
        False,
        {p.id: public_person_id(p.id) for p in persons},
        (s for p in persons for s in p.spellings),
    )


def protected_meta(entries: Iterable[tuple[str, str, str]]) -> str:
    """The protected persons as the ledger's meta row keeps them: (id, public id, spelling) of
    each spelling, in order, as `Store.all_spellings(protected_only=True)` reads them from the
    person rows (read with the rows they guard: ledger.privacy.privacy_from_meta)."""
    return dumps(sorted(set(entries)))


def _protected_of(rows: _Rows) -> str:
    """The protected-persons meta row of a whole ledger's rows."""
    protected = {p.id: p.public_id for p in rows.persons if p.protected}
    return protected_meta(
        (s.person_id, protected[s.person_id], s.spelling) for s in rows.spellings
        if s.person_id in protected
    )  # fmt: skip


def _deal_rows(deals: Iterable[Deal], rows: _Rows) -> None:
    """The rows of the deals."""
    for deal in deals:
        summary = {"sources": [source_dict(s) for s in deal.sources]}
        rows.deals.append(DealRow(deal.id, deal.status, dumps(summary)))
        for pos, part in enumerate(deal.parts):
            rows.deal_parts.append(
                DealPartRow(deal.id, part.event_id, pos, part.type, dumps(list(part.gives)),
                            dumps(list(part.gets)))
            )  # fmt: skip


def _rows(
    store: Store,
    ledger: Ledger,
    flags: set[str],
    urls: Mapping[str, str | None],
    known: Mapping[str, EventRow] | None = None,
) -> _Rows:
    """The derived tables of a resolved ledger (`known`: its stored mentions by id, when at
    hand; else the bodies read the members' mentions)."""
    rows = _Rows()
    protected = {p.id for p in ledger.persons if is_protected(p, flags)}
    privacy = row_privacy(p for p in ledger.persons if p.id in protected)
    names = {p.id: p.name for p in ledger.persons}
    for person in ledger.persons:
        _person_rows(person, person.id in protected, rows)
    for event in ledger.events:
        _event_rows(event, rows, urls, names, privacy)
    _deal_rows(ledger.deals, rows)
    _with_bodies(store, rows, known)
    return rows


def rebuild(store: Store) -> dict[str, Any]:
    """Recompute the whole ledger from every stored mention and the user's decisions.

    Deterministic: the result depends on the stored articles and decisions, not on the order
    they arrived in. Written in one transaction (readers see the old ledger or the new one); if
    an ingest adds articles while the ledger is being computed, it is computed again (the last
    try computes it inside the transaction that writes it).
    """
    for attempt in range(_REBUILD_TRIES):
        last = attempt == _REBUILD_TRIES - 1
        if not last:
            with store.snapshot():
                seen, built = _fingerprint(store), _compute(store)
        with store.ledger_transaction():
            if last:
                seen, built = _fingerprint(store), _compute(store)
            elif _fingerprint(store) != seen:
                continue
            rows, summary = built
            summary["built_at"] = now()
            meta = {"summary": dumps(summary), "fingerprint": seen, "version": uuid.uuid4().hex,
                    "protected": _protected_of(rows)}  # fmt: skip
            store.replace_ledger(rows.tables(), meta)
            return summary
    raise AssertionError("unreachable: the last rebuild attempt always writes")


def _compute(store: Store) -> tuple[_Rows, dict[str, Any]]:
    """The derived rows and a summary, from the store as it is now."""
    mentions = store.mentions()
    overrides, flags = _decisions(store)
    ledger = resolve([to_ref(m) for m in mentions], overrides)
    urls = {m.article_id: m.article_url for m in mentions}
    rows = _rows(store, ledger, flags, urls, {m.id: m for m in mentions})
    summary = {
        "mentions": len(mentions),
        "articles": len(urls),
        "events": len(ledger.events),
        "persons": len(ledger.persons),
        "deals": len(ledger.deals),
        "conflicts": len(ledger.conflicts()),
    }
    return rows, summary


def status(store: Store) -> dict[str, Any] | None:
    """The summary of the last rebuild (None if the ledger was never built)."""
    summary = store.ledger_meta("summary")
    return json.loads(summary) if summary else None
