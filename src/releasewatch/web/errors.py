"""One error shape for every failure: JSON for the API, a page for a browser."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, NotFoundError, ReleasewatchError, StoreError
from .access import Throttled
from .pages import render_error

_log = logging.getLogger("releasewatch.web")
_PARAMETER = re.compile(r"[a-z_]{1,32}")


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


def error_response(
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
        detail: dict[str, Any] = exc.detail if isinstance(exc.detail, dict) else {}
        message = detail.get("message") or (
            exc.detail if isinstance(exc.detail, str) else _code_for(exc.status_code)
        )
        if exc.status_code == 404 and not detail:
            message = f"no such page or resource: {request.url.path}"
        return error_response(
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
        return error_response(
            request, 422, "invalid_parameter", f"{field}: {message}" if field else message, field
        )

    @app.exception_handler(Throttled)
    async def throttled(request: Request, exc: Throttled) -> Response:
        return error_response(
            request, 429, "too_many_attempts", str(exc),
            headers={"Retry-After": str(exc.retry_after)},
        )  # fmt: skip

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return error_response(request, 404, "not_found", str(exc))

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        # The ledger names a bad parameter as the error's source ("cursor", "limit").
        if _PARAMETER.fullmatch(exc.source):
            return error_response(request, 400, "invalid_parameter", str(exc), exc.source)
        return error_response(request, 422, "unreadable_input", str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        _log.error("ledger error on %s: %s", request.url.path, exc)
        return error_response(request, 503, "ledger_unavailable", str(exc))

    @app.exception_handler(ReleasewatchError)
    async def library_error(request: Request, exc: ReleasewatchError) -> Response:
        return error_response(request, 400, "bad_request", str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        _log.exception("unexpected error on %s", request.url.path, exc_info=exc)
        return error_response(request, 500, "internal_error", "internal error (see server log)")
