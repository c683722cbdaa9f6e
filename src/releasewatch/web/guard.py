"""The request guard: ASGI middleware that answers before the application reads anything.

In order: the Host header (against DNS rebinding, when the server is bound to loopback), the
token a request presents (checked once, throttled per client), writes without the token
(refused before their body is read), and the body size (capped for everyone). Every refusal
is in the one error shape (JSON for the API, a page for a browser).
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import HTTPException
from starlette.requests import Request

from ..errors import StoreError
from .access import HOLDER_STATE, Access, Throttled, client_of
from .api import MAX_TEXT
from .asgi import ASGIApp, Message, Receive, Scope, Send
from .errors import error_response

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
BODY_MAX = 64 * 1024  # any request's body: a merge, split, protect or login form is under 1 kB
# A posted article: MAX_TEXT characters, each up to 6 bytes in JSON ("\uXXXX"), and metadata.
ARTICLE_BODY_MAX = 6 * MAX_TEXT + BODY_MAX
BODY_LIMITS = {("POST", "/api/articles"): ARTICLE_BODY_MAX}


def body_limit(method: str, path: str) -> int:
    """The largest body a request to this method and path may send, in bytes."""
    return BODY_LIMITS.get((method, path.rstrip("/") or "/"), BODY_MAX)


def _host_name(host: str) -> str:
    """A Host header without its port ("[::1]:8000" -> "[::1]", "localhost:80" -> "localhost")."""
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _too_large(limit: int) -> HTTPException:
    """The refusal of a body over `limit` bytes (in the error shape, like any HTTPException)."""
    return HTTPException(413, {"code": "body_too_large", "message": _too_large_text(limit)})


def _too_large_text(limit: int) -> str:
    """What a refused body is told."""
    return f"the request body is over the {limit:,} bytes this server takes here"


class RequestGuard:
    """Host check, throttled token check, write refusal and body cap, before the app runs."""

    def __init__(
        self, app: ASGIApp, access: Access, allowed_hosts: Sequence[str] | None = None
    ) -> None:
        self.app = app
        self.access = access
        self.hosts = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse what must be refused; pass the rest on with its body capped."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            await error_response(request, *refusal)(scope, receive, send)
            return
        limit = body_limit(scope["method"], scope["path"])
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:  # refused unread
            refused = error_response(request, 413, "body_too_large", _too_large_text(limit))
            await refused(scope, receive, send)
            return
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:  # raised inside the app: answered in the error shape
                    raise _too_large(limit)
            return message

        await self.app(scope, capped, send)

    def _refusal(
        self, request: Request
    ) -> tuple[int, str, str, str | None, dict[str, str] | None] | None:
        """Why the request is refused before the app sees it (status, code, message, field,
        headers), or None; leaves whether it holds the token on the request."""
        if self.hosts is not None:
            host = _host_name(request.headers.get("host", "")).lower()
            if host not in self.hosts:
                return (400, "invalid_host", f"this server does not answer to Host {host!r}",
                        "host", None)  # fmt: skip
        access = self.access
        bearer = access.bearer(request)
        holder = False
        if access.token is not None:
            if bearer is not None:
                try:
                    holder = access.check_token(client_of(request), bearer)
                except Throttled as exc:
                    return (429, "too_many_attempts", str(exc), None,
                            {"Retry-After": str(exc.retry_after)})  # fmt: skip
            else:
                try:
                    holder = access.is_holder(request)  # a session cookie, if any
                except StoreError as exc:  # the sessions live in the ledger
                    return (503, "ledger_unavailable", str(exc), None, None)
        request.scope.setdefault("state", {})[HOLDER_STATE] = holder
        if request.method in SAFE_METHODS or not request.url.path.startswith("/api/"):
            return None
        if access.token is None:
            return (403, "read_only", "this server is read-only: no token configured", None,
                    None)  # fmt: skip
        if bearer is None or not holder:
            return (401, "unauthorized", "writes need 'Authorization: Bearer <token>'", None,
                    {"WWW-Authenticate": "Bearer"})  # fmt: skip
        return None
