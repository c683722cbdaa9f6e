"""The most asked-for reads answered without FastAPI's per-request machinery.

The event list (`/api/events`), an event (`/api/events/{id}`) and its page (`/events/{id}`)
are most of a ledger server's traffic. Their FastAPI routes stay their definition: the schema
in /openapi.json, the validation rules (the same pydantic model validates here) and every error
answer. This layer, innermost in front of the app, answers their valid GETs itself: it parses
the query, validates it with the route's model, calls the same library function and sends the
same bytes and headers. FastAPI's routing, dependency solving and response classes cost about
0.2 ms of CPU per request, as much as the ledger read itself (benchmarks/web_profile.py).
Anything else, and any request it does not answer whole (a repeated or blank parameter, a
value the model refuses, an id that is not there, a store error), goes on to FastAPI
untouched, which then answers it as it always has. An answer it makes says which version of
the ledger it was read from (read in the same statement as its rows), so the response cache
in front keeps it without a statement of its own (web/cache.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import HTTPException
from pydantic import ValidationError
from starlette.requests import Request

from ..errors import ReleasewatchError
from . import api, pages
from .access import HOLDER_STATE, Access
from .asgi import ASGIApp, Receive, Scope, Send
from .cache import READ_VERSION
from .db import Ledger

_JSON = [(b"content-type", b"application/json")]
_HTML = [(b"content-type", b"text/html; charset=utf-8")]
_FIELDS = frozenset(api.EventListParams.model_fields)
T = TypeVar("T")
_Answer = tuple[list[tuple[bytes, bytes]], bytes, str | None]  # headers, body, ledger version


def answers(scope: Scope) -> bool:
    """Whether a request is one the hot routes may answer (and then say the version of)."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    path: str = scope["path"]
    return path == "/api/events" or path.startswith(("/api/events/", "/events/"))


class HotRoutes:
    """ASGI middleware answering valid GETs of the event list, an event and its page."""

    def __init__(self, app: ASGIApp, ledger: Ledger, access: Access) -> None:
        self.app = app
        self.ledger = ledger
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a hot GET, or pass the request on."""
        if answers(scope):
            path: str = scope["path"]
            answer: _Answer | None = None
            if path == "/api/events":
                answer = await self._list(scope)
            elif path.startswith("/api/events/"):
                answer = await self._event(scope, path[len("/api/events/") :], page=False)
            else:
                answer = await self._event(scope, path[len("/events/") :], page=True)
            if answer is not None:
                headers, body, version = answer
                scope.setdefault("state", {})[READ_VERSION] = version
                headers = [*headers, (b"content-length", str(len(body)).encode())]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def _holder(self, scope: Scope) -> bool | None:
        """Whether the request holds the token, when the guard has said so without a lookup
        (None: the app's dependency must look a session up)."""
        if self.access.token is None:
            return False
        state = scope.get("state", {})
        return bool(state[HOLDER_STATE]) if HOLDER_STATE in state else None

    async def _list(self, scope: Scope) -> _Answer | None:
        """A page of the event list, or None to let the app answer."""
        holder = self._holder(scope)
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        given = {k: v for k, v in pairs if k in _FIELDS}
        if holder is None or len(given) != sum(k in _FIELDS for k, _ in pairs):
            return None  # a repeated parameter: FastAPI's reading of it decides
        if any(v == "" for v in given.values()):
            return None
        try:
            asked = await api.event_list(api.EventListParams.model_validate(given))
        except (ValidationError, ReleasewatchError, HTTPException):
            return None
        page = await self._read(lambda: api.events_page(self.ledger, asked, holder))
        if page is None:
            return None
        return _JSON, page.to_json().encode(), page.version

    async def _event(self, scope: Scope, event_id: str, *, page: bool) -> _Answer | None:
        """An event's JSON or page, or None to let the app answer."""
        holder = self._holder(scope)
        if holder is None or not event_id or "/" in event_id:
            return None
        view = await self._read(lambda: api.event_view(self.ledger, event_id, holder))
        if view is None:
            return None
        if not page:
            return _JSON, api._json_bytes(view.event), view.version
        html = pages.page_html(
            Request(scope), "event.html", f"/api/events/{event_id}", holder, event=view.event
        )
        headers = _HTML
        if holder:
            headers = [*_HTML, (b"cache-control", b"private, no-store")]
        return headers, html.encode(), view.version

    async def _read(self, work: Callable[[], T]) -> T | None:
        """What `work` reads from the ledger, or None when it is refused (no such event, a
        store error): the app then answers with its error shape."""
        try:
            return await self.ledger.run(work)
        except ReleasewatchError:
            return None


def install(app: Any, ledger: Ledger, access: Access) -> None:
    """Put the hot routes innermost, in front of the app's routers."""
    app.add_middleware(HotRoutes, ledger=ledger, access=access)
