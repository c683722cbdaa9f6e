"""The Watch page and its JSON twin: the feeds a watch follows and the alerts it raised.

Watch state changes without a ledger rebuild (every poll), so these responses are never taken
from the ledger response cache. Protected persons are withheld, and webhook URLs (which often
carry a secret) shown only as yes/no, unless the caller holds the operator's token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from ..watch.overview import RECENT_ALERTS, watch_overview
from .api import ERRORS, Holder, LedgerDep
from .db import Ledger
from .pages import render

router = APIRouter()
Recent = Annotated[int, Query(ge=1, le=200, description="recent alerts to list")]


def overview(lg: Ledger, holder: bool, limit: int) -> dict[str, Any]:
    """The watch overview for one caller (shared by the page and its JSON twin)."""
    return watch_overview(lg.store(), include_protected=holder, show_webhooks=holder, limit=limit)


@router.get("/api/watch", tags=["api"], responses=ERRORS)
def get_watch(lg: LedgerDep, holder: Holder, limit: Recent = RECENT_ALERTS) -> JSONResponse:
    """Feeds (last poll, last error, items seen), alert rules and the recent alerts."""
    return JSONResponse(overview(lg, holder, limit))


@router.get("/watch", response_class=HTMLResponse, include_in_schema=False)
def watch_page(
    request: Request, lg: LedgerDep, holder: Holder, limit: Recent = RECENT_ALERTS
) -> HTMLResponse:
    """The Watch page."""
    query = request.url.query
    return render(request, "watch.html", "/api/watch" + (f"?{query}" if query else ""),
                  data=overview(lg, holder, limit), private=holder)  # fmt: skip
