"""The web application: API and pages over one ledger file, with one error shape throughout."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..errors import InputError, NotFoundError, ReleasewatchError, StoreError
from .db import Ledger

HERE = Path(__file__).resolve().parent
COOKIE = "rw_session"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
        " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
_log = logging.getLogger("releasewatch.web")
_PARAMETER = re.compile(r"[a-z_]{1,32}")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._headers = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self._headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Access:
    """Who may see protected names and write: the holder of the operator's token."""

    def __init__(self, token: str | None) -> None:
        self.token = token or None
        self.session = (
            hmac.new(self.token.encode(), b"releasewatch-session", hashlib.sha256).hexdigest()
            if self.token
            else None
        )

    def token_matches(self, candidate: str | None) -> bool:
        """Whether `candidate` is the operator's token (constant-time)."""
        return bool(self.token and candidate) and hmac.compare_digest(
            str(candidate).encode(), str(self.token).encode()
        )

    def bearer(self, request: Request) -> str | None:
        """The Bearer token of the request's Authorization header, if any."""
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return value.strip() if scheme.lower() == "bearer" else None

    def is_holder(self, request: Request) -> bool:
        """Whether the request carries the token (Bearer header or login cookie)."""
        if self.token is None:
            return False
        if self.token_matches(self.bearer(request)):
            return True
        cookie = request.cookies.get(COOKIE)
        return bool(cookie) and hmac.compare_digest(cookie.encode(), str(self.session).encode())

    def require_writer(self, request: Request) -> None:
        """Refuse a write unless it carries the token as a Bearer header."""
        if self.token is None:
            raise HTTPException(
                403,
                {"code": "read_only", "message": "this server is read-only: no token configured"},
            )
        if not self.token_matches(self.bearer(request)):
            raise HTTPException(
                401,
                {"code": "unauthorized", "message": "writes need 'Authorization: Bearer <token>'"},
                headers={"WWW-Authenticate": "Bearer"},
            )


def wants_json(request: Request) -> bool:
    """Whether an error on this request should be JSON (API paths, ?format=json)."""
    return (
        request.url.path.startswith("/api")
        or request.url.path == "/openapi.json"
        or (request.query_params.get("format") == "json")
    )


def error_body(
    status: int, code: str, message: str, field: str | None = None
) -> dict[str, dict[str, Any]]:
    """The one error shape: {"error": {"status", "code", "message", "field"?}}."""
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if field:
        body["field"] = field
    return {"error": body}


def _error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error as JSON for the API, as a page for a browser."""
    body = error_body(status, code, message, field)
    if wants_json(request):
        return JSONResponse(body, status_code=status, headers=headers)
    from .pages import render_error  # pages import this module

    return render_error(request, body["error"], headers=headers)


def _code_for(status: int) -> str:
    """A snake_case code from an HTTP status ("Not Found" -> "not_found")."""
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def install_error_handlers(app: FastAPI) -> None:
    """Map every error (HTTP, validation, library, unexpected) to the one error shape."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, dict) else {}
        message = detail.get("message") or (
            exc.detail if isinstance(exc.detail, str) else _code_for(exc.status_code)
        )
        if exc.status_code == 404 and not detail:
            message = f"no such page or resource: {request.url.path}"
        return _error_response(
            request,
            exc.status_code,
            detail.get("code") or _code_for(exc.status_code),
            str(message),
            detail.get("field"),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path")]
        field = ".".join(loc) or None
        message = str(first.get("msg", "invalid request"))
        return _error_response(
            request, 422, "invalid_parameter", f"{field}: {message}" if field else message, field
        )

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error_response(request, 404, "not_found", str(exc))

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        # The ledger names a bad parameter as the error's source ("cursor", "limit").
        if _PARAMETER.fullmatch(exc.source):
            return _error_response(request, 400, "invalid_parameter", str(exc), exc.source)
        return _error_response(request, 422, "unreadable_input", str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        _log.error("ledger error on %s: %s", request.url.path, exc)
        return _error_response(request, 503, "ledger_unavailable", str(exc))

    @app.exception_handler(ReleasewatchError)
    async def library_error(request: Request, exc: ReleasewatchError) -> Response:
        return _error_response(request, 400, "bad_request", str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        _log.exception("unexpected error on %s", request.url.path, exc_info=exc)
        return _error_response(request, 500, "internal_error", "internal error (see server log)")


def create_app(
    db_path: Path, token: str | None = None, *, allowed_hosts: list[str] | None = None
) -> FastAPI:
    """The application over the ledger at `db_path`; writes need `token` (read-only if None).

    `allowed_hosts` limits the Host header (against DNS rebinding when bound to loopback).
    """
    from . import api, pages

    app = FastAPI(
        title="releasewatch",
        summary="The hostage-diplomacy ledger: events, persons, articles, deals, search.",
        version="1",
        docs_url=None,  # the interactive docs load scripts from a CDN: offline and CSP-blocked
        redoc_url=None,
    )
    app.state.ledger = Ledger(db_path)
    app.state.access = Access(token)
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    from .cache import LedgerCache  # it imports this module

    # Added first, so innermost: the Host check and the security headers apply to cache hits.
    app.add_middleware(LedgerCache, ledger=app.state.ledger, access=app.state.access)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    return app
