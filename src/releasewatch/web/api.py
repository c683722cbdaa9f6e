"""The JSON API under /api: the ledger.py dicts as the CLI's --format json prints them.

Pydantic models live here only, at the edge: they validate what comes in and document (in
/openapi.json) what goes out. Handlers are plain `def`s, run in the worker-thread pool, each with
its thread's store inside a read transaction; the event list and an event, the most asked for,
are `async def`s whose reads `Ledger.run` places (inline on SQLite, in a worker thread on
PostgreSQL).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from .. import ledger, pipeline
from ..errors import InputError
from ..model import EVENT_TYPES, STATUSES, RawDocument
from ..store import Store
from . import search
from .access import HOLDER_STATE, Access
from .db import Ledger

router = APIRouter(prefix="/api", tags=["api"])

MAX_LIMIT = ledger.MAX_LIMIT  # largest page a client may ask for; bounds one response's work
MAX_TEXT = 2_000_000  # largest article body accepted by POST /api/articles, in characters
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
PARTY_PATTERN = r"^[A-Za-z]{2,3}$"
_DATE = re.compile(DATE_PATTERN)

EventType = Literal["talks", "release", "exchange", "detention", "sanctions_imposed",
                    "sanctions_eased"]  # fmt: skip
Status = Literal["occurred", "agreed", "discussed"]
assert set(get_args(EventType)) == set(EVENT_TYPES) and set(get_args(Status)) == set(STATUSES)


class ErrorDetail(BaseModel):
    """What went wrong."""

    status: int
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """The one error shape of every endpoint."""

    error: ErrorDetail


class Page(BaseModel):
    """One page of a list; pass `next_cursor` back as `cursor` for the next (null: the end)."""

    model_config = ConfigDict(extra="allow")
    items: list[dict[str, Any]]
    next_cursor: str | None


class ArticleIn(BaseModel):
    """An article to ingest: its text (plain, or HTML when kind is "html") and known metadata."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    kind: Literal["text", "html"] = "text"
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    outlet: str | None = Field(default=None, max_length=200)


class IngestResult(BaseModel):
    """What ingesting a posted article did."""

    article_id: str
    created: bool
    events: int


class MergeIn(BaseModel):
    """Two persons (ids or names) that are one."""

    model_config = ConfigDict(extra="forbid")
    a: str = Field(min_length=1, max_length=300)
    b: str = Field(min_length=1, max_length=300)


class SplitIn(BaseModel):
    """A spelling to split off into a person of its own."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300)


class ProtectIn(BaseModel):
    """Whether a person's name is withheld from the public pages and API."""

    model_config = ConfigDict(extra="forbid")
    protected: bool


class Done(BaseModel):
    """A write that went through."""

    ok: bool
    result: Any = None


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 422, 500, 503)
}


def _json_bytes(data: Any) -> bytes:
    """Compact UTF-8 JSON, as JSONResponse renders it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# The dependencies below are `async def`: FastAPI runs a plain `def` dependency in a worker
# thread, and a thread hop costs more CPU (about 0.25 ms, measured by benchmarks/web_profile.py)
# than these lookups and checks. Only the handler, which reads the database, takes a thread.


async def get_ledger(request: Request) -> Ledger:
    """The app's ledger."""
    return request.app.state.ledger


async def is_holder(request: Request) -> bool:
    """Whether the request carries the operator's token (the request guard's verdict; a
    session cookie is looked up in the ledger, in a worker thread, only without one)."""
    access: Access = request.app.state.access
    if access.token is None or HOLDER_STATE in request.scope.get("state", {}):
        return access.is_holder(request)  # reads nothing
    return await run_in_threadpool(access.is_holder, request)


async def reader(request: Request) -> tuple[Ledger, bool]:
    """The app's ledger and whether the request holds the token, for the most asked-for
    handlers: called, not declared as two dependencies (FastAPI's solving of each costs more
    than its lookup)."""
    return request.app.state.ledger, await is_holder(request)


def require_writer(request: Request) -> None:
    """Refuse writes without the token (403 when the server is read-only)."""
    request.app.state.access.require_writer(request)


Holder = Annotated[bool, Depends(is_holder)]
LedgerDep = Annotated[Ledger, Depends(get_ledger)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")]
Cursor = Annotated[str | None, Query(max_length=500, description="next_cursor of the last page")]
DateParam = Annotated[
    str | None, Query(pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")
]
Party = Annotated[str | None, Query(pattern=PARTY_PATTERN, description="party code, e.g. BLR")]
ScopeName = Literal["true", "false", "all"]  # the `political` query values (SCOPES: their meaning)
SCOPES: dict[str, bool | None] = {"true": True, "false": False, "all": None}
SCOPE_NAMES = {v: k for k, v in SCOPES.items()}
POLITICAL_TEXT = (
    "true (the default): political events only (political prisoners, journalists, activists,"
    " opposition figures, hostages, POWs, foreigners held by a state; swaps, talks, sanctions);"
    " false: the others only (an ordinary criminal arrest); all: every event"
)
Political = Annotated[ScopeName, Query(description=POLITICAL_TEXT)]
assert set(get_args(ScopeName)) == set(SCOPES)


def check_date(value: str | None, field: str) -> str | None:
    """A YYYY[-MM[-DD]] value that is a real date, else a 422 naming the field."""
    if value is None:
        return None
    try:
        return ledger.check_partial_date(value, field)
    except InputError as exc:
        raise HTTPException(
            422, {"code": "invalid_parameter", "message": str(exc), "field": field}
        ) from exc


def offset_cursor(cursor: str | None) -> int:
    """The offset in an articles/search cursor ("o<N>"); InputError for anything else."""
    if cursor is None:
        return 0
    if not re.fullmatch(r"o\d{1,9}", cursor):
        raise InputError("cursor", f"{cursor!r} is not a page cursor this server gave out")
    return int(cursor[1:])


class Redactor:
    """Protected names blanked out of article texts for a caller without the token."""

    def __init__(self, store: Store, holder: bool) -> None:
        self._store = store
        self._privacy = ledger.redactor(store, holder)

    def text(self, value: str | None) -> str | None:
        """`value` with protected names withheld."""
        return self._privacy.text(value)

    def hides(self, query: str) -> bool:
        """Whether a search query names a protected person (its hits would say where), as the
        search index folds words and names (accents and case aside)."""
        return self._privacy.hides_search(self._store, search.search_words(query))


class EventListParams(BaseModel):
    """The event list's query parameters: its filters, the page cursor and the page size.

    One model, so FastAPI validates one parameter instead of eleven (about 0.4 ms of CPU less
    per request, measured by benchmarks/web_profile.py); /openapi.json still lists each.
    """

    model_config = ConfigDict(frozen=True)
    type: EventType | None = None
    status: Status | None = None
    party: str | None = Field(None, pattern=PARTY_PATTERN, description="party code, e.g. BLR")
    person: str | None = Field(None, max_length=300)
    since: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")
    until: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")
    has_conflict: bool | None = None
    political: ScopeName = Field("true", description=POLITICAL_TEXT)
    q: str | None = Field(None, max_length=300, description="words in the event")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="items per page")


@dataclass(frozen=True)
class EventList:
    """A request for one page of the event list, validated (`political` as the views take it:
    True, False or None for every event)."""

    filters: dict[str, Any]
    cursor: str | None
    limit: int


async def event_list(params: Annotated[EventListParams, Query()]) -> EventList:
    """The event-list request: its parameters validated, dates checked to be real."""
    filters = {
        "type": params.type,
        "status": params.status,
        "party": params.party.upper() if params.party else None,
        "person": params.person,
        "since": check_date(params.since, "since"),
        "until": check_date(params.until, "until"),
        "has_conflict": params.has_conflict,
        "political": SCOPES[params.political],
        "q": params.q or None,
    }
    return EventList(filters, params.cursor, params.limit)


EventListDep = Annotated[EventList, Depends(event_list)]


def events_page(lg: Ledger, asked: EventList, holder: bool) -> ledger.EventPage:
    """One page of ledger events (shared by the page and its JSON twin; repeats are answered
    by web/cache.py)."""
    return ledger.events_page(
        lg.store(), **asked.filters, cursor=asked.cursor, limit=asked.limit,
        include_protected=holder,
    )  # fmt: skip


def event_detail(lg: Ledger, event_id: str, holder: bool) -> dict[str, Any]:
    """One ledger event in full (shared by the page and its JSON twin)."""
    return event_view(lg, event_id, holder).event


def event_view(lg: Ledger, event_id: str, holder: bool) -> ledger.EventView:
    """`event_detail` and the version of the ledger it was read from (web/hot.py)."""
    return ledger.read_event(lg.store(), event_id, include_protected=holder)


def articles_page(lg: Ledger, cursor: str | None, limit: int, holder: bool) -> dict[str, Any]:
    """One page of stored articles, in ingest order."""
    offset = offset_cursor(cursor)
    with lg.reading() as store:
        rows = store.articles()
        redact = Redactor(store, holder)
    items = [r.to_dict() for r in rows[offset : offset + limit]]
    for item in items:
        item["title"] = redact.text(item["title"])
    more = offset + limit < len(rows)
    return {"items": items, "next_cursor": f"o{offset + limit}" if more else None}


def article_detail(lg: Ledger, article_id: str, holder: bool) -> dict[str, Any]:
    """One article with its clean text and the ids of its event mentions."""
    with lg.reading() as store:
        redact = Redactor(store, holder)
        row = store.article(article_id)  # NotFoundError first
        text = store.article_text(article_id)
        mentions = store.article_mention_ids(article_id)
        events = store.article_events(article_id)
    return {
        **row.to_dict(),
        "title": redact.text(row.title),
        "text": redact.text(text),
        "mentions": mentions,
        "ledger_events": events,
    }


def search_page(lg: Ledger, q: str, cursor: str | None, limit: int, holder: bool) -> dict[str, Any]:
    """One page of articles matching the words of `q` (none for a withheld name)."""
    offset = offset_cursor(cursor)
    with lg.reading() as store:
        redact = Redactor(store, holder)
        if redact.hides(q):
            return {"items": [], "next_cursor": None, "q": q}
        hits, more = search.search_articles(store, q, offset=offset, limit=limit)
    for hit in hits:
        hit["title"] = redact.text(hit["title"])
        if redact.text(hit["snippet"]) != hit["snippet"]:
            hit["snippet"], hit["snippet_marks"] = redact.text(hit["snippet"]), []
    return {"items": hits, "next_cursor": f"o{offset + limit}" if more else None, "q": q}


@router.get("/events", response_model=Page, responses=ERRORS)
async def list_events(request: Request, asked: EventListDep) -> Response:
    """Ledger events, filtered, oldest first, a page at a time."""
    # Pre-serialised bytes (no response-model validation on this hot path; the schema above
    # still documents the shape). Repeats are answered by web/cache.py before reaching here.
    lg, holder = await reader(request)
    body = await lg.run(lambda: events_page(lg, asked, holder).to_json().encode())
    return Response(body, media_type="application/json")


@router.get("/events/{event_id}", responses=ERRORS)
async def get_event(event_id: str, request: Request) -> Response:
    """One event: consensus values with their sources, conflicts, members with evidence."""
    lg, holder = await reader(request)
    body = await lg.run(lambda: _json_bytes(event_detail(lg, event_id, holder)))
    return Response(body, media_type="application/json")


def persons_list(
    lg: Ledger, holder: bool, name: str | None, cursor: str | None, limit: int, political: ScopeName
) -> dict[str, Any]:
    """One page of persons (shared by the page and its twin)."""
    with lg.reading() as store:
        return ledger.list_persons(
            store, name=name, cursor=cursor, limit=limit, political=SCOPES[political],
            include_protected=holder,
        )  # fmt: skip


@router.get("/persons", response_model=Page, responses=ERRORS)
def list_persons(
    lg: LedgerDep,
    holder: Holder,
    name: Annotated[str | None, Query(max_length=300)] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    political: Political = "true",
) -> JSONResponse:
    """Persons named in the ledger, a page at a time (those of a political event by default)."""
    return JSONResponse(persons_list(lg, holder, name, cursor, limit, political))


@router.get("/persons/{person}", responses=ERRORS)
def get_person(person: str, lg: LedgerDep, holder: Holder) -> JSONResponse:
    """One person (by id or name): spellings, status history, events."""
    with lg.reading() as store:
        return JSONResponse(ledger.get_person(store, person, include_protected=holder))


@router.get("/articles", response_model=Page, responses=ERRORS)
def list_articles(
    lg: LedgerDep, holder: Holder, cursor: Cursor = None, limit: Limit = 50
) -> JSONResponse:
    """Stored articles (metadata, no text), in ingest order."""
    return JSONResponse(articles_page(lg, cursor, limit, holder))


@router.get("/articles/{article_id}", responses=ERRORS)
def get_article(article_id: str, lg: LedgerDep, holder: Holder) -> JSONResponse:
    """One article with its clean text (protected names withheld without the token)."""
    return JSONResponse(article_detail(lg, article_id, holder))


def deals_list(lg: Ledger, party: str | None, political: ScopeName) -> list[dict[str, Any]]:
    """The deals (of `party`), political ones by default (shared by the page and its twin)."""
    with lg.reading() as store:
        return ledger.list_deals(
            store, party=party.upper() if party else None, political=SCOPES[political]
        )


@router.get("/deals", responses=ERRORS)
def list_deals(lg: LedgerDep, party: Party = None, political: Political = "true") -> JSONResponse:
    """Deals: events that are parts of one exchange (those with a political part by default)."""
    return JSONResponse(deals_list(lg, party, political))


@router.get("/conflicts", responses=ERRORS)
def list_conflicts(lg: LedgerDep, holder: Holder, political: Political = "true") -> JSONResponse:
    """Events whose sources disagree, with the disagreeing values (political ones by default)."""
    with lg.reading() as store:
        return JSONResponse(
            ledger.list_conflicts(store, political=SCOPES[political], include_protected=holder)
        )


@router.get("/timeline", responses=ERRORS)
def get_timeline(
    lg: LedgerDep,
    party: Party = None,
    since: DateParam = None,
    until: DateParam = None,
    political: Political = "true",
) -> JSONResponse:
    """Events in date order, for a timeline (political ones by default)."""
    with lg.reading() as store:
        return JSONResponse(
            ledger.timeline(
                store,
                party=party.upper() if party else None,
                since=check_date(since, "since"),
                until=check_date(until, "until"),
                political=SCOPES[political],
            )
        )


@router.get("/monthly", responses=ERRORS)
def get_monthly(lg: LedgerDep, party: Party = None, political: Political = "true") -> JSONResponse:
    """Events and people released per month and party (political events by default)."""
    with lg.reading() as store:
        return JSONResponse(
            ledger.monthly(
                store, party=party.upper() if party else None, political=SCOPES[political]
            )
        )


@router.get("/search", response_model=Page, responses=ERRORS)
def search_articles(
    lg: LedgerDep,
    holder: Holder,
    q: Annotated[str, Query(min_length=1, max_length=300, description="words to find")],
    cursor: Cursor = None,
    limit: Limit = 20,
) -> JSONResponse:
    """Articles whose title or text hold every word of `q`, best match first."""
    return JSONResponse(search_page(lg, q, cursor, limit, holder))


def ingest_article(lg: Ledger, body: ArticleIn) -> IngestResult:
    """Parse, extract and store one posted article, then rebuild the ledger."""
    digest = hashlib.sha256(body.text.encode("utf-8")).hexdigest()[:16]
    doc = RawDocument(
        source=body.url or f"api:{digest}",
        text=body.text,
        kind=body.kind,
        url=body.url,
        title=body.title,
        published=body.published,
        outlet=body.outlet,
    )
    record = pipeline.read_article(doc)
    with lg.write_lock:
        store = lg.store()
        created = store.add(record)
        if created:
            ledger.rebuild(store)
    return IngestResult(article_id=record.article.id, created=created, events=len(record.events))


@router.post(
    "/articles",
    response_model=IngestResult,
    status_code=201,
    responses=ERRORS,
    dependencies=[Depends(require_writer)],
)
def post_article(body: ArticleIn, lg: LedgerDep) -> JSONResponse:
    """Ingest one article (needs the token); 201 when new, 200 when already stored."""
    result = ingest_article(lg, body)
    return JSONResponse(result.model_dump(), status_code=201 if result.created else 200)


@router.post(
    "/persons/merge",
    response_model=Done,
    responses=ERRORS,
    dependencies=[Depends(require_writer)],
)
def merge_persons(body: MergeIn, lg: LedgerDep) -> Done:
    """Record that two persons are one (needs the token)."""
    with lg.write_lock:
        result = ledger.merge_persons(lg.store(), body.a, body.b, include_protected=True)
    return Done(ok=True, result=result)


@router.post(
    "/persons/split",
    response_model=Done,
    responses=ERRORS,
    dependencies=[Depends(require_writer)],
)
def split_person(body: SplitIn, lg: LedgerDep) -> Done:
    """Split a spelling off into a person of its own (needs the token)."""
    with lg.write_lock:
        result = ledger.split_person(lg.store(), body.name, include_protected=True)
    return Done(ok=True, result=result)


@router.put(
    "/persons/{person}/protected",
    response_model=Done,
    responses=ERRORS,
    dependencies=[Depends(require_writer)],
)
def protect_person(person: str, body: ProtectIn, lg: LedgerDep) -> Done:
    """Withhold (or show again) a person's name on public pages and API (needs the token)."""
    with lg.write_lock:
        result = ledger.set_protected(lg.store(), person, body.protected)
    return Done(ok=True, result=result)
