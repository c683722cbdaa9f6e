"""Whole responses of the resolved ledger, kept in memory until the ledger changes.

The resolved ledger changes only when it is rebuilt (or a person decision is recorded), so a
GET of a ledger page or of its JSON twin gives the same bytes until then, for each kind of
caller (the token holder sees protected names, everyone else does not). `LedgerCache` sits in
front of the FastAPI app: a hit is answered from memory after one cheap check of the ledger
version (no routing, no parameter validation, no thread hop, no serialisation); a miss goes
through the app as usual (so bad parameters still get their 4xx, and the OpenAPI schema is
unchanged) and a plain 200 is kept. Concurrent misses for one URL wait for the first instead of
all computing it.

A URL that nothing is kept for needs no version check: it is a miss whatever the version. When
the app says which version of the ledger its answer was read from (`READ_VERSION` in the
request's state: the hot routes of web/hot.py read it in the statement of their rows), such a
miss goes straight to the app and its answer is kept under that version; one statement a
request instead of two, on the URLs a busy server sees most (every filter and cursor of the
event list, every event). Other paths read the version first and keep their answer under it.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from ..errors import StoreError
from .access import Access
from .asgi import ASGIApp, Message, Receive, Scope, Send
from .db import Ledger

# URL paths whose GET responses depend only on the resolved ledger (tables rebuilt by
# ledger.rebuild and the person decisions): lists and pages of events, persons, deals and the
# timeline. Articles and search read the articles table, which an ingest changes without a
# rebuild, so they are not here.
CACHED_PATHS = ("/", "/events", "/persons", "/deals")
CACHED_PREFIXES = (
    "/events/", "/persons/", "/api/events", "/api/persons", "/api/timeline", "/api/monthly",
    "/api/deals", "/api/conflicts",
)  # fmt: skip
MAX_BYTES = 64 * 1024 * 1024  # bodies kept per process; an event page or list is 10-30 kB
MAX_BODY = 2 * 1024 * 1024  # a larger response (a whole timeline, say) is not worth pinning
_KEPT_HEADERS = (b"content-type", b"content-length", b"cache-control")
# Where an app that read the ledger's version with its answer leaves it: scope["state"][...].
READ_VERSION = "releasewatch.ledger_version"
_Entry = tuple[int, list[tuple[bytes, bytes]], bytes]
_Key = tuple[bool, str, bytes]  # (token holder?, path, query string)
_Made = tuple[Any, _Entry]  # (the version it was read at, the entry)
_UNSAID = object()  # no version was read before the app ran, nor said by it


def cacheable(scope: Scope) -> bool:
    """Whether a request may be answered from (and stored in) the cache."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    path = scope["path"]
    return path in CACHED_PATHS or path.startswith(CACHED_PREFIXES)


class _Store:
    """The kept responses of one ledger version: an LRU bounded by body bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.version: Any = None
        self.items: OrderedDict[_Key, _Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, version: Any, key: _Key) -> _Entry | None:
        """The entry for `key` at `version` (all entries are dropped when the version moves)."""
        with self.lock:
            if version != self.version:
                self.version, self.items, self.size = version, OrderedDict(), 0
                return None
            entry = self.items.get(key)
            if entry is not None:
                self.items.move_to_end(key)
            return entry

    def holds(self, key: _Key) -> bool:
        """Whether anything is kept for `key` (at the last version seen)."""
        return key in self.items

    def put(self, version: Any, key: _Key, entry: _Entry, *, adopt: bool = False) -> None:
        """Keep `entry` if it was made at the current version; with `adopt`, an entry made at
        another version (read with the answer, so one the ledger had) replaces every entry of
        the current one (a later hit's check drops them if the ledger has moved on since)."""
        with self.lock:
            if version != self.version:
                if not adopt:
                    return
                self.version, self.items, self.size = version, OrderedDict(), 0
            if key in self.items:
                return
            self.items[key] = entry
            self.size += len(entry[2])
            while self.size > self.max_bytes and self.items:
                self.size -= len(self.items.popitem(last=False)[1][2])


class LedgerCache:
    """ASGI middleware answering ledger GETs from memory while the ledger is unchanged.

    `versioned(scope)`: whether the app reports the version its answer to this request was
    read from (READ_VERSION); such a request for a URL nothing is kept for skips the check.
    """

    def __init__(
        self,
        app: ASGIApp,
        ledger: Ledger,
        access: Access,
        max_bytes: int = MAX_BYTES,
        versioned: Callable[[Scope], bool] = lambda _scope: False,
    ) -> None:
        self.app = app
        self.ledger = ledger
        self.access = access
        self.kept = _Store(max_bytes)
        self.versioned = versioned
        self._pending: dict[_Key, asyncio.Future[_Made | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer from the cache, or run the app and keep a 200."""
        if not cacheable(scope):
            await self.app(scope, receive, send)
            return
        holder = self.access.token is not None and self.access.is_holder(Request(scope))
        key = (holder, scope["path"], scope["query_string"])
        if self.versioned(scope) and not self.kept.holds(key) and key not in self._pending:
            await self._make(scope, receive, send, _UNSAID, key)  # a miss whatever the version
            return
        try:
            version = self.ledger.current_version()
        except StoreError:  # the app answers with the error shape (503)
            await self.app(scope, receive, send)
            return
        entry = self.kept.get(version, key)
        pending = self._pending.get(key) if entry is None else None
        if pending is not None:  # another request is making this response: wait for it
            made = await asyncio.shield(pending)
            if made is not None and made[0] == version:  # made at the version seen here
                entry = made[1]
        if entry is not None:
            await _replay(entry, send)
            return
        await self._make(scope, receive, send, version, key)

    async def _make(
        self, scope: Scope, receive: Receive, send: Send, version: Any, key: _Key
    ) -> None:
        """Run the app for a miss, pass its response on, and keep it when it is a whole 200
        (under `version`, read before, or else under the version the app read it at)."""
        future: asyncio.Future[_Made | None] = asyncio.get_running_loop().create_future()
        self._pending.setdefault(key, future)
        status, headers, chunks, whole = 0, [], [], True

        async def capture(message: Message) -> None:
            nonlocal status, headers, whole
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(k, v) for k, v in message.get("headers", []) if k in _KEPT_HEADERS]
                # Only a plain 200 (no cookie or other header we would not replay) is kept.
                whole = status == 200 and all(k in _KEPT_HEADERS for k, _ in message["headers"])
            elif message["type"] == "http.response.body" and whole:
                chunks.append(message.get("body", b""))
                whole = sum(len(c) for c in chunks) <= MAX_BODY
            await send(message)

        made: _Made | None = None
        read = version is _UNSAID
        try:
            await self.app(scope, receive, capture)
            if read:  # the version the app read its answer at; none said: not kept
                version = scope.get("state", {}).get(READ_VERSION, _UNSAID)
            if whole and status == 200 and version is not _UNSAID:
                made = (version, (status, headers, b"".join(chunks)))
                self.kept.put(version, key, made[1], adopt=read)
        finally:
            if self._pending.get(key) is future:
                del self._pending[key]
            future.set_result(made)


async def _replay(entry: _Entry, send: Send) -> None:
    """Send a kept response."""
    status, headers, body = entry
    await send({"type": "http.response.start", "status": status, "headers": list(headers)})
    await send({"type": "http.response.body", "body": body})
