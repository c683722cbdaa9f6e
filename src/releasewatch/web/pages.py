"""Server-rendered pages (Jinja2, autoescaped): timeline, events, persons, articles, search."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from .. import ledger
from . import charts
from .access import COOKIE, SESSION_SECONDS, client_of
from .api import (
    SCOPE_NAMES,
    SCOPES,
    Cursor,
    EventListDep,
    Holder,
    LedgerDep,
    Limit,
    Party,
    Political,
    article_detail,
    articles_page,
    deals_list,
    event_detail,
    events_page,
    persons_list,
    reader,
    search_page,
)

HERE = Path(__file__).resolve().parent
router = APIRouter(include_in_schema=False)


class _Environment(jinja2.Environment):
    """Jinja's environment, looking `x.name` up as a key first when `x` is a dict.

    The pages' data are the API's dicts; Jinja tries an attribute first, and a dict has none
    of those names, so every `event.id` raised and caught an AttributeError (about a fifth of
    an event page's rendering, by py-spy under benchmarks/load.py). A dict's methods are
    still reached when it has no such key (`values.items()`).
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj[attribute]` for a dict holding it, else as Jinja looks it up."""
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


_env = _Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,  # every value is escaped unless a template says otherwise (none does)
    undefined=jinja2.ChainableUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # the templates are package data: no stat of each file on every page
)


def highlight(text: str | None, start: Any, end: Any) -> tuple[str, str, str]:
    """`text` cut into (before, evidence, after) at valid offsets; all of it before otherwise."""
    if not text:
        return "", "", ""
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        return text[:start], text[start:end], text[end:]
    return text, "", ""


def marked(text: str, marks: list[list[int]]) -> list[tuple[str, bool]]:
    """`text` as (piece, is_match) pieces from [start, end] marks."""
    pieces, last = [], 0
    for start, end in marks:
        pieces.append((text[last:start], False))
        pieces.append((text[start:end], True))
        last = end
    pieces.append((text[last:], False))
    return [p for p in pieces if p[0]]


def query_with(request: Request, **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else ""


def show_value(value: Any) -> str:
    """A ledger value as text: party lists joined, counts with their qualifier."""
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value)
    if isinstance(value, dict) and "value" in value:
        return _qualified(value)
    return str(value)


def _qualified(count: Mapping[str, Any]) -> str:
    """A count's value after its qualifier ("at least 12"), none said for an exact one."""
    qualifier = str(count.get("qualifier") or "exact")
    prefix = "" if qualifier == "exact" else qualifier.replace("_", " ") + " "
    return f"{prefix}{count.get('value', '')}"


def parties(p: Any) -> Markup:
    """Who acted and on whom: "BLR → USA" from {"by": [...], "to": [...]}, or a list joined."""
    if isinstance(p, Mapping):
        shown = ", ".join(p.get("by") or []) or "?"
        if p.get("to"):
            shown += " → " + ", ".join(p["to"])
        return escape(shown)
    return escape(", ".join(p)) if p else Markup()


def count(c: Any) -> Markup:
    """A count as read: its qualifier (unless exact) and value, or the bare number."""
    if isinstance(c, Mapping):
        return escape(_qualified(c))
    return Markup() if c is None else escape(c)


_WITHHELD = Markup("<em>name withheld</em>")


def person_name(p: Any) -> Markup:
    """A person's name, or that it is withheld (a protected person with no name shown)."""
    if isinstance(p, Mapping):
        if p.get("protected") and not p.get("name"):
            return _WITHHELD
        return escape(p.get("name") or "name withheld")
    return escape(p) if p else _WITHHELD


# Python, not template macros: these run for every row of a list and every member of an event,
# and a Jinja macro call (a Context, a Macro, a joined buffer) cost about a fifth of an event
# page's rendering (cProfile of /events/<id>, benchmarks/load.py's uncached mode).
_env.globals.update(
    highlight=highlight,
    marked=marked,
    show_value=show_value,
    parties=parties,
    count=count,
    person_name=person_name,
)


def compile_templates() -> None:
    """Compile every page template now (each worker's first pages then wait on no compiling,
    and a broken template fails the start, not a reader's request)."""
    for name in _env.list_templates(extensions=["html"]):
        _env.get_template(name)


def render(
    request: Request,
    template: str,
    json_url: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page: the template with the request, the JSON twin's URL and who is looking."""
    holder = request.app.state.access.is_holder(request)
    html = page_html(request, template, json_url, holder, **context)
    response = HTMLResponse(html, status_code=status, headers=headers)
    if context.get("private") or holder:
        response.headers["cache-control"] = "private, no-store"
    return response


def page_html(request: Request, template: str, json_url: str, holder: bool, **context: Any) -> str:
    """A page's HTML: the template with the request, the JSON twin's URL and whether the
    caller holds the token (`render` makes the response; web/hot.py sends it itself)."""
    return _env.get_template(template).render(
        request=request,
        json_url=json_url,
        holder=holder,
        writable=request.app.state.access.token is not None,
        query_with=lambda **kw: query_with(request, **kw),
        **context,
    )


def render_error(
    request: Request, error: dict[str, Any], headers: dict[str, str] | None = None
) -> HTMLResponse:
    """An error page carrying the same fields as the JSON error shape."""
    return render(
        request, "error.html", "", status=int(error["status"]), headers=headers, error=error
    )


def _api(path: str, request: Request) -> str:
    """The JSON twin of a page: the same path under /api with the same query."""
    query = request.url.query
    return f"/api{path}" + (f"?{query}" if query else "")


@router.get("/", response_class=HTMLResponse)
def timeline_page(
    request: Request,
    lg: LedgerDep,
    holder: Holder,
    party: Party = None,
    political: Political = "true",
) -> HTMLResponse:
    """The timeline: monthly charts and the events, newest month first (political events
    unless the switch asks for all)."""
    code = party.upper() if party else None
    with lg.reading() as store:
        monthly = ledger.monthly(store, party=code, political=SCOPES[political])
        items = ledger.timeline(store, party=code, political=SCOPES[political])
    return render(
        request,
        "timeline.html",
        _api("/timeline", request),
        party=code,
        political=political,
        monthly=monthly,
        charts=[
            charts.stacked(monthly, "events", "Events per month, by party"),
            charts.stacked(monthly, "people_released", "People released per month, by party"),
        ],
        items=items,
        private=holder,
    )


@router.get("/events", response_class=HTMLResponse)
async def events_list_page(request: Request, asked: EventListDep) -> HTMLResponse:
    """The event list with its filter form."""
    lg, holder = await reader(request)
    page = await lg.run(lambda: events_page(lg, asked, holder).to_dict())
    political = SCOPE_NAMES[asked.filters["political"]]
    return render(request, "events.html", _api("/events", request), page=page,
                  filters=asked.filters, political=political)  # fmt: skip


@router.get("/events/{event_id}", response_class=HTMLResponse)
async def event_page(request: Request, event_id: str) -> HTMLResponse:
    """One event: consensus values, sources with highlighted evidence, conflicts, deal."""
    lg, holder = await reader(request)
    event = await lg.run(lambda: event_detail(lg, event_id, holder))
    return render(request, "event.html", f"/api/events/{event_id}", event=event)


@router.get("/persons", response_class=HTMLResponse)
def persons_page(
    request: Request,
    lg: LedgerDep,
    holder: Holder,
    name: Annotated[str | None, Query(max_length=300)] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    political: Political = "true",
) -> HTMLResponse:
    """Persons, by name (those of a political event unless the switch asks for all)."""
    page = persons_list(lg, holder, name, cursor, limit, political)
    return render(request, "persons.html", _api("/persons", request), page=page, name=name,
                  political=political)  # fmt: skip


@router.get("/persons/{person}", response_class=HTMLResponse)
def person_page(request: Request, person: str, lg: LedgerDep, holder: Holder) -> HTMLResponse:
    """One person: spellings (token holder only when protected) and status history."""
    with lg.reading() as store:
        data = ledger.get_person(store, person, include_protected=holder)
    return render(request, "person.html", f"/api/persons/{person}", person=data)


@router.get("/articles", response_class=HTMLResponse)
def articles_list_page(
    request: Request, lg: LedgerDep, holder: Holder, cursor: Cursor = None, limit: Limit = 50
) -> HTMLResponse:
    """Stored articles."""
    page = articles_page(lg, cursor, limit, holder)
    return render(request, "articles.html", _api("/articles", request), page=page)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, lg: LedgerDep, holder: Holder) -> HTMLResponse:
    """One article and its clean text, paragraph by paragraph."""
    article = article_detail(lg, article_id, holder)
    paragraphs = [p for p in str(article["text"]).split("\n\n") if p.strip()]
    return render(
        request,
        "article.html",
        f"/api/articles/{article_id}",
        article=article,
        paragraphs=paragraphs,
    )


@router.get("/deals", response_class=HTMLResponse)
def deals_page(
    request: Request, lg: LedgerDep, party: Party = None, political: Political = "true"
) -> HTMLResponse:
    """Deals and their parts (those with a political part unless the switch asks for all)."""
    deals = deals_list(lg, party, political)
    return render(request, "deals.html", _api("/deals", request), deals=deals,
                  political=political)  # fmt: skip


@router.get("/search", response_class=HTMLResponse)
def search_html(
    request: Request,
    lg: LedgerDep,
    holder: Holder,
    q: Annotated[str | None, Query(max_length=300)] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> HTMLResponse:
    """Search over article titles and text."""
    page = search_page(lg, q, cursor, limit, holder) if q and q.strip() else None
    return render(request, "search.html", _api("/search", request) if q else "", page=page, q=q)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    """The token form."""
    return render(request, "login.html", "", failed=False)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, token: Annotated[str, Form(max_length=500)]) -> Response:
    """Check the token (throttled per client); on success start a session and go to the
    timeline."""
    access = request.app.state.access
    if access.token is None or not access.check_token(client_of(request), token):
        return render(request, "login.html", "", status=401, failed=True)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE, access.start_session(), httponly=True, samesite="strict", path="/",
        max_age=SESSION_SECONDS,
    )  # fmt: skip
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session (in the ledger, so the cookie is void wherever it was copied)."""
    request.app.state.access.end_session(request.cookies.get(COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
