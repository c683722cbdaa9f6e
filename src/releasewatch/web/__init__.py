"""The ledger as a local web application and HTTP API (`releasewatch serve`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def create_app(db: str | Path, token: str | None = None) -> FastAPI:
    """The FastAPI application over the ledger at `db`, a path or URL (read-only without token)."""
    from .app import create_app as _create

    return _create(db, token)


def serve(
    db: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None
) -> None:
    """Serve the ledger with uvicorn until interrupted (loopback only unless `host` says so).

    One process: public ledger responses come from memory (web/cache.py), so a second worker
    process did not raise throughput on 2 cores (measured with benchmarks/load.py) and would
    keep a second cache.
    """
    import uvicorn

    from .app import LOOPBACK_HOSTS
    from .app import create_app as _create

    # Bound to loopback, accept only loopback Host headers: a web page elsewhere cannot then
    # reach this server through DNS rebinding.
    hosts = list(LOOPBACK_HOSTS) if host in LOOPBACK else None
    app = _create(db, token, allowed_hosts=hosts)
    # httptools and uvloop (both pinned) are uvicorn's fast parser and loop; no access-log line
    # per request (errors are still logged).
    uvicorn.run(
        app,
        host=host,
        port=port,
        http="httptools",
        loop="uvloop",
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
