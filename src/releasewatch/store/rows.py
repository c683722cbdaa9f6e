"""The typed rows the store takes and gives: frozen dataclasses, one per kind of row.

A row class whose fields are a table's columns (the `*Row` classes of the resolved ledger) is
written and read by its field list, so a new column is a migration plus a field.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from ..model import Count, EventMention


def plain(row: Any) -> dict[str, Any]:
    """A row dataclass as a JSON-ready dict (tuples become lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(row).items()}


def columns(row_type: type) -> tuple[str, ...]:
    """The column names of a table-shaped row class, in order."""
    return tuple(f.name for f in fields(row_type))


# ---------------------------------------------------------------- articles and mentions


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
    encoding_confidence: float | None = None  # how sure `encoding` is (0-1); None: not kept

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return plain(self)


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
    political: bool  # the kind of event these users follow (migration 0009)
    article_title: str | None
    article_published: str | None
    article_outlet: str | None
    article_source: str
    article_url: str | None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (count as {"value", "qualifier"} or None)."""
        return plain(self)

    def to_mention(self) -> EventMention:
        """The stored mention as the stage dataclass."""
        return EventMention(
            type=self.type, status=self.status, evidence=self.evidence, start=self.start,
            end=self.end, by=self.by, to=self.to, count=self.count, persons=self.persons,
            sector=self.sector, date=self.date, attribution=self.attribution,
            confidence=self.confidence, background=self.background, political=self.political,
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
class OffTopicRow:
    """An article the on-topic prefilter set aside: its identity and address, no text."""

    id: str
    url: str | None
    source: str


@dataclass(frozen=True)
class ProblemRow:
    """An input that could not be ingested."""

    source: str
    reason: str
    first_seen: str


@dataclass(frozen=True)
class SearchHit:
    """An article matching a search, with a snippet whose matches sit between \\x01 and \\x02."""

    article_id: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    snippet: str


@dataclass(frozen=True)
class Counts:
    """How many rows each kind of record has (compared after a copy)."""

    articles: int
    mentions: int
    problems: int
    decisions: int
    flags: int
    ledger_events: int
    persons: int
    deals: int
    offtopic: int = 0  # articles set aside by the on-topic prefilter (id and URL only)


# ---------------------------------------------------------------- the user's person decisions


@dataclass(frozen=True)
class DecisionRow:
    """A hand merge of two spellings, or a split of one, in the order made."""

    id: int
    action: str  # "merge" or "split"
    a: str
    b: str | None
    created_at: str


@dataclass(frozen=True)
class FlagRow:
    """Whether the person holding a spelling is protected."""

    spelling_key: str
    protected: bool


# ---------------------------------------------------------------- the resolved ledger (tables)


@dataclass(frozen=True)
class LedgerEventRow:
    """A happening merged across articles (table ledger_events)."""

    id: str
    type: str
    status: str
    date: str | None
    date_precision: str | None
    sort_date: str
    count_value: int | None
    count_qualifier: str | None
    sector: str | None
    has_conflict: bool
    n_sources: int
    n_mentions: int
    persons_released: int
    search_text: str  # what the text filter searches; read back as "" (no reader needs it)
    summary: str  # JSON: consensus, history, sources, conflicts, evidence
    political: bool  # any of its mentions is political (migration 0009)
    # JSON: the event as the event list shows it to the token holder (ledger.query's list
    # item), made with the row (migration 0012); "" in a ledger not rebuilt since.
    item: str = ""
    # JSON: the rest of the event in full as the token holder sees it (ledger.build's
    # event_body: consensus, values, conflicts, history, members), made with the row
    # (migration 0013); "" in a ledger not rebuilt since.
    body: str = ""


@dataclass(frozen=True)
class ListedEvent:
    """An event as a page of the event list needs it: its place in list order and its item."""

    id: str
    sort_date: str
    item: str  # the stored list item (JSON, as the token holder sees it); "" before 0012


@dataclass(frozen=True)
class LedgerPage:
    """A page of list rows read in one statement, with the state of the ledger it saw: its
    protected persons (the meta row's JSON; None in a ledger built before the row was kept)
    and its version (None in a database holding no ledger)."""

    events: tuple[ListedEvent, ...]
    protected: str | None
    version: str | None


@dataclass(frozen=True)
class EventRead:
    """One ledger event (None when absent), the deals holding it, and the ledger's protected
    persons and version, read in one statement (both None when the event is absent)."""

    event: LedgerEventRow | None
    deals: tuple[DealRow, ...]
    protected: str | None
    version: str | None


@dataclass(frozen=True)
class LedgerPartyRow:
    """A party of a happening, by role (table ledger_parties)."""

    event_id: str
    role: str
    position: int
    code: str


@dataclass(frozen=True)
class LedgerMemberRow:
    """A mention merged into a happening (table ledger_members)."""

    mention_id: str
    event_id: str
    article_id: str
    position: int


@dataclass(frozen=True)
class LedgerValueRow:
    """One value of one field of a happening, with its sources (table ledger_values)."""

    event_id: str
    field: str
    position: int
    value: str  # JSON
    sources: str  # JSON
    conflict: bool


@dataclass(frozen=True)
class PersonRow:
    """A person grouped across spellings (table persons)."""

    id: str
    public_id: str
    name: str
    sort_key: str
    protected: bool


@dataclass(frozen=True)
class PersonSpellingRow:
    """A spelling of a person (table person_spellings)."""

    person_id: str
    spelling: str
    spelling_key: str


@dataclass(frozen=True)
class PersonHistoryRow:
    """One step of a person's status history (table person_history)."""

    person_id: str
    position: int
    status: str
    date: str | None
    event_id: str
    sources: str  # JSON


@dataclass(frozen=True)
class PersonEventRow:
    """A happening a person took part in (table person_events)."""

    person_id: str
    event_id: str
    position: int


@dataclass(frozen=True)
class DealRow:
    """Happenings traded for one another (table deals)."""

    id: str
    status: str
    summary: str  # JSON: sources


@dataclass(frozen=True)
class DealPartRow:
    """One happening of a deal (table deal_parts)."""

    deal_id: str
    event_id: str
    position: int
    type: str
    gives: str  # JSON list
    gets: str  # JSON list


@dataclass(frozen=True)
class LedgerTables:
    """Every row of the derived ledger tables, as one rebuild computed them."""

    events: tuple[LedgerEventRow, ...] = ()
    parties: tuple[LedgerPartyRow, ...] = ()
    members: tuple[LedgerMemberRow, ...] = ()
    values: tuple[LedgerValueRow, ...] = ()
    persons: tuple[PersonRow, ...] = ()
    spellings: tuple[PersonSpellingRow, ...] = ()
    history: tuple[PersonHistoryRow, ...] = ()
    person_events: tuple[PersonEventRow, ...] = ()
    deals: tuple[DealRow, ...] = ()
    deal_parts: tuple[DealPartRow, ...] = ()


# ---------------------------------------------------------------- ledger reads


@dataclass(frozen=True)
class EventQuery:
    """Filters of a ledger event list; None means no filter. Values are matched as given."""

    type: str | None = None
    status: str | None = None
    party: str | None = None  # a party code on either side
    person_id: str | None = None
    since: str | None = None  # YYYY[-MM[-DD]]: events any of whose days is on or after it
    until: str | None = None  # YYYY[-MM[-DD]]: events any of whose days is on or before it
    has_conflict: bool | None = None
    political: bool | None = None  # political events only (True), the others only (False)
    text: str | None = None  # casefolded words that the event's search text holds as written
    after: tuple[str, str] | None = None  # (sort_date, id) of the last row of the page before
    limit: int | None = None


@dataclass(frozen=True)
class EventPersonRow:
    """A person of a happening, in the happening's order."""

    event_id: str
    person_id: str
    public_id: str
    name: str
    protected: bool


@dataclass(frozen=True)
class PersonRef:
    """A person as found by id or spelling."""

    id: str
    public_id: str
    name: str
    protected: bool


@dataclass(frozen=True)
class SpellingRef:
    """A spelling with the person holding it."""

    person: PersonRef
    spelling: str


@dataclass(frozen=True)
class PersonQuery:
    """A page of persons by (sort_key, public_id)."""

    text: str | None = None  # casefolded words a spelling holds as written
    ids: tuple[str, ...] = ()  # persons matched otherwise (another romanisation)
    unprotected_only: bool = False
    political: bool | None = None  # persons of happenings of this `political` only (None: all)
    after: tuple[str, str] | None = None
    limit: int = 50


@dataclass(frozen=True)
class PersonListRow:
    """A person as listed, with the number of its happenings."""

    person: PersonRef
    sort_key: str
    n_events: int


@dataclass(frozen=True)
class DealPartDetail:
    """A part of a deal with its happening's headline fields."""

    deal_id: str
    event_id: str
    type: str
    gives: str  # JSON list
    gets: str  # JSON list
    status: str
    date: str | None
    sort_date: str
    count_value: int | None
    count_qualifier: str | None
    sector: str | None
    political: bool


@dataclass(frozen=True)
class MonthRow:
    """Happenings and people released in one month by one acting side."""

    month: str
    party: str  # a party code, or several joined with "+" (the two sides of a swap)
    events: int
    people_released: int


@dataclass(frozen=True)
class LedgerPatch:
    """The rows one incremental update changes: written events and persons replace their old
    rows, removed ones go, and the deals are replaced whole when `deals` is set."""

    tables: LedgerTables  # rows of the written events and persons (and every deal if `deals`)
    events_written: tuple[str, ...] = ()
    events_removed: tuple[str, ...] = ()
    persons_written: tuple[str, ...] = ()
    persons_removed: tuple[str, ...] = ()
    deals: bool = False


# ---------------------------------------------------------------- the watch (migration 0008)


@dataclass(frozen=True)
class FeedState:
    """One feed's memory: validators, last poll and error, schedule. Times are epoch seconds."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_poll: float | None = None  # the last poll, whatever came of it
    last_ok: float | None = None  # the last poll that read the feed (or got a 304)
    last_status: int | None = None
    last_error: str | None = None  # None when the last poll went well
    failures: int = 0  # consecutive failed polls
    next_poll: float = 0.0  # when the feed is due again
    items_seen: int = 0  # items ever taken from this feed


@dataclass(frozen=True)
class ItemState:
    """One feed item's memory, by its URL (see watch.feeds.normalise_url)."""

    url: str
    feed: str
    outcome: str  # "ingested", "known", "failed" or "retry" (watch.state)
    attempts: int = 1
    article_id: str | None = None
    error: str | None = None
    seen_at: float | None = None


@dataclass(frozen=True)
class PendingDelivery:
    """An alert waiting to reach its webhook."""

    id: str  # also the Idempotency-Key
    url: str
    payload: dict[str, Any]
    attempts: int = 0  # POSTs made so far, over every run
    next_try: float = 0.0  # epoch seconds


@dataclass(frozen=True)
class AlertRuleRow:
    """A watchlist rule: every given filter must hold (table alert_rules)."""

    id: int
    person: str | None
    party: str | None
    event_type: str | None
    status: str | None
    words: str | None
    webhook: str | None
    created_at: str
    all_events: bool = False  # match every happening, not only political ones (0009)


@dataclass(frozen=True)
class AlertRow:
    """An alert and the state of its delivery (table alerts)."""

    id: str
    rule_id: int
    event_id: str
    article_id: str
    mention_id: str
    created_at: float
    line: str  # the watch log's line for it
    payload: str  # JSON: the body POSTed to the webhook
    webhook: str | None
    attempts: int
    next_try: float
    delivered_at: float | None
    last_error: str | None
