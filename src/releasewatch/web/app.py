"""The web application: API and pages over one ledger, with one error shape throughout."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from . import api, hot, pages, watch
from .access import Access
from .asgi import SecurityHeaders
from .cache import LedgerCache
from .db import Ledger
from .errors import install_error_handlers
from .guard import RequestGuard

HERE = Path(__file__).resolve().parent
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


def create_app(
    db: str | Path, token: str | None = None, *, allowed_hosts: list[str] | None = None
) -> FastAPI:
    """The application over the ledger at `db` (a path or URL); writes need `token`
    (read-only if None).

    `allowed_hosts` limits the Host header (against DNS rebinding when bound to loopback).
    Sign-in sessions are kept in the ledger, so every server process on it shares them.
    """
    ledger = Ledger(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        ledger.close()

    app = FastAPI(
        lifespan=lifespan,
        title="releasewatch",
        summary="The hostage-diplomacy ledger: events, persons, articles, deals, search.",
        version="1",
        docs_url=None,  # the interactive docs load scripts from a CDN: offline and CSP-blocked
        redoc_url=None,
    )
    app.state.ledger = ledger
    app.state.access = Access(token, ledger.store())
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(watch.router)
    app.include_router(pages.router)
    pages.compile_templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Added first, so innermost: the guard (Host, tokens, body sizes) and the security headers
    # apply to cache hits.
    hot.install(app, app.state.ledger, app.state.access)
    app.add_middleware(
        LedgerCache, ledger=app.state.ledger, access=app.state.access, versioned=hot.answers
    )
    app.add_middleware(RequestGuard, access=app.state.access, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    return app
