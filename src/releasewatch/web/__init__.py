"""The ledger as a local web application and HTTP API (`releasewatch serve`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def create_app(db: str | Path, token: str | None = None) -> FastAPI:
    """The FastAPI application over the ledger at `db`, a path or URL (read-only without token)."""
    from .app import create_app as _create

    return _create(db, token)


_SERVE_ENV = "RELEASEWATCH_SERVE"  # how `serve` hands its settings to worker processes


def serve(
    db: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    *,
    workers: int = 1,
) -> None:
    """Serve the ledger with uvicorn until interrupted (loopback only unless `host` says so).

    `workers` > 1 starts that many server processes on the port (each with its own response
    cache and connections; on Linux each with its own listening socket, so that connections
    spread evenly: web/workers.py); their settings travel in the environment, never on a
    command line.
    """
    import json
    import os

    import uvicorn

    from .app import LOOPBACK_HOSTS
    from .app import create_app as _create

    # Bound to loopback, accept only loopback Host headers: a web page elsewhere cannot then
    # reach this server through DNS rebinding.
    hosts = list(LOOPBACK_HOSTS) if host in LOOPBACK else None
    # httptools and uvloop (both pinned) are uvicorn's fast parser and loop; no access-log line
    # per request (errors are still logged).
    options: dict[str, Any] = {
        "host": host, "port": port, "http": "httptools", "loop": "uvloop", "access_log": False,
        "server_header": False, "proxy_headers": False,
    }  # fmt: skip
    if workers > 1:
        from . import workers as processes

        os.environ[_SERVE_ENV] = json.dumps({"db": str(db), "token": token, "hosts": hosts})
        factory = "releasewatch.web:app_from_environment"
        if processes.available():  # a listening socket each: connections spread evenly
            processes.run(factory, options, workers)
            return
        uvicorn.run(factory, factory=True, workers=workers, **options)
        return
    uvicorn.run(settled(_create(db, token, allowed_hosts=hosts)), **options)


def settled(app: FastAPI) -> FastAPI:
    """The app of a server process, its start-up objects frozen out of the collector.

    Modules, compiled templates, the store and its pool are made once and live as long as the
    process; a full collection scanned all of them, a pause of 60-75 ms with every request of
    the worker waiting (gc callbacks over 8,000 uncached event pages and JSON, PostgreSQL,
    10,000 events: one full collection of 74 ms). Frozen, a collection scans only what serving
    made since.
    """
    import gc

    gc.collect()
    gc.freeze()
    return app


def app_from_environment() -> FastAPI:
    """The application of one worker process, from the settings `serve` left in the environment."""
    import json
    import os

    from .app import create_app as _create

    settings = json.loads(os.environ[_SERVE_ENV])
    return settled(_create(settings["db"], settings["token"], allowed_hosts=settings["hosts"]))
