"""Where the server's CPU goes per uncached request (a script, not a test).

Builds the synthetic ledger of benchmarks/load.py, makes the web application in this process
and calls it as an ASGI app, without sockets, with URLs that are all new (the list walks and
every event id of load.py's uncached mode): the event list, an event's JSON and its page. For
each it prints the CPU time per request (time.process_time, every thread), then profiles the
same kind of requests with cProfile and prints the own time by part of the stack (routing and
middleware, pydantic, SQL in the driver, row building, JSON, Jinja, cache bookkeeping...) and
the functions with the most own time. FastAPI's thread hop for `def` handlers is run inline
while profiling, so that cProfile (which sees one thread) sees their work.

    .venv/bin/python benchmarks/web_profile.py [--events 10000] [--requests 1000]
        [--backend sqlite|postgresql] [--pg URL] [--top 15]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib.util
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("load", HERE / "load.py")
assert _spec is not None and _spec.loader is not None
load = importlib.util.module_from_spec(_spec)
sys.modules["load"] = load
_spec.loader.exec_module(load)

# Parts of the stack, by where a function's code lives (first match wins).
PARTS = (
    ("response cache, ledger access (web/cache.py, web/db.py)",
     ("releasewatch/web/cache", "releasewatch/web/db")),
    ("guard, access, headers (web/guard, access, asgi)",
     ("releasewatch/web/guard", "releasewatch/web/access", "releasewatch/web/asgi")),
    ("handlers (web/api.py, web/pages.py)", ("releasewatch/web/",)),
    ("privacy (ledger/privacy.py)", ("releasewatch/ledger/privacy",)),
    ("item building (ledger/query.py)", ("releasewatch/ledger/",)),
    ("store: SQL text, rows (store/)", ("releasewatch/store/",)),
    ("SQL in the driver (sqlite3, psycopg)",
     ("sqlite3", "psycopg", "method 'execute'", "method 'fetchall'", "method 'fetchone'")),
    ("pydantic", ("pydantic",)),
    ("routing, params, middleware (fastapi, starlette)", ("fastapi", "starlette")),
    ("threads, loop (anyio, asyncio, threading)", ("anyio", "asyncio", "threading", "concurrent")),
    ("JSON (json)", ("json/", "_json", "encode_basestring")),
    ("Jinja2 and markupsafe", ("jinja2", "markupsafe", "<template>")),
    ("base64, urllib, re", ("base64", "urllib", "re/", "_sre", "method 'sub'", "method 'match'",
                            "method 'fullmatch'", "method 'search'", "method 'finditer'")),
)  # fmt: skip


def part_of(func: tuple[str, int, str]) -> str:
    """The part of the stack a profiled function belongs to."""
    where = f"{func[0]}:{func[2]}"
    for name, needles in PARTS:
        if any(n in where for n in needles):
            return name
    return "other (builtins, dict/list work)"


def inline_threads() -> None:
    """Run FastAPI's `def` handlers and dependencies in the loop's thread (for cProfile)."""
    import fastapi.dependencies.utils as deps
    import fastapi.routing as routing
    import starlette.concurrency as concurrency

    import releasewatch.web.db as db

    async def run_inline(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    for module in (concurrency, routing, deps, db):
        if hasattr(module, "run_in_threadpool"):
            module.run_in_threadpool = run_inline  # type: ignore[attr-defined]


async def drive(app: Any, kind: str, n: int, ids: list[str]) -> tuple[int, int]:
    """n new requests of one kind; (failures, bytes)."""
    failures, total = 0, 0
    if kind == "list":
        make = load._list_walks(1)  # (once: its set-up is not the server's work)
        walkers = [make(i) for i in range(50)]
        bodies: list[bytes] = [b""] * 50
        for k in range(n):
            i = k % 50
            path = walkers[i](bodies[i])
            status, body = await call_body(app, path)
            bodies[i] = body
            failures += status != 200
            total += len(body)
        return failures, total
    prefix = "/api/events/" if kind == "event" else "/events/"
    for k in range(n):
        status, body = await call_body(app, prefix + ids[k % len(ids)])
        failures += status != 200
        total += len(body)
    return failures, total


async def call_body(app: Any, path: str) -> tuple[int, bytes]:
    """GET `path` from the ASGI app: (status, body)."""
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": raw_path, "raw_path": raw_path.encode(),
        "query_string": query.encode(), "root_path": "",
        "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    status, chunks = 0, []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


def report(profile: cProfile.Profile, n: int, top: int) -> None:
    """Own time per part of the stack and the top functions, per request."""
    stats = pstats.Stats(profile)
    parts: dict[str, float] = defaultdict(float)
    total = 0.0
    rows = []
    for func, (_cc, _nc, tottime, _cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        parts[part_of(func)] += tottime
        total += tottime
        rows.append((tottime, func))
    print(f"    profiled own time {total * 1000 / n:.2f} ms/request (cProfile adds overhead):")
    for name, spent in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"      {spent * 100 / total:5.1f}%  {spent * 1000 / n:6.3f} ms  {name}")
    print(f"    top {top} functions by own time:")
    for spent, (file, line, name) in sorted(rows, reverse=True)[:top]:
        short = "/".join(file.split("/")[-2:])
        print(f"      {spent * 1000 / n:6.3f} ms  {short}:{line} {name}")


def main() -> None:
    """Build, then time and profile each kind of request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg", default=os.environ.get("RELEASEWATCH_TEST_PG"))
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--kinds", default="list,event,page")
    args = parser.parse_args()
    if args.backend == "postgresql" and not args.pg:
        raise SystemExit("PostgreSQL needs --pg URL or $RELEASEWATCH_TEST_PG")
    from releasewatch.store import EventQuery, open_store
    from releasewatch.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp, load._database(args.backend, tmp, args.pg) as db:
        began = time.perf_counter()
        n = load.build(db, args.events)
        print(f"[{args.backend}] ledger: {n} events built in {time.perf_counter() - began:.1f}s")
        with open_store(db) as store:
            ids = [r.id for r in store.ledger_events(EventQuery())]
        loop = asyncio.new_event_loop()
        for kind in args.kinds.split(","):
            app = create_app(db)  # a new app: empty caches
            loop.run_until_complete(drive(app, kind, 50, ids[-50:]))  # warm up (other ids)
            wall, cpu = time.perf_counter(), time.process_time()
            failures, size = loop.run_until_complete(drive(app, kind, args.requests, ids))
            cpu = (time.process_time() - cpu) * 1000 / args.requests
            wall = (time.perf_counter() - wall) * 1000 / args.requests
            print(f"[{args.backend}] {kind}: {cpu:.2f} ms CPU, {wall:.2f} ms wall per request"
                  f" ({args.requests} new URLs, {size // args.requests} bytes each,"
                  f" {failures} failures)")  # fmt: skip
        inline_threads()
        for kind in args.kinds.split(","):
            app = create_app(db)
            profile = cProfile.Profile()
            profile.enable()
            loop.run_until_complete(drive(app, kind, args.requests, ids))
            profile.disable()
            print(f"[{args.backend}] {kind}, profiled:")
            report(profile, args.requests, args.top)
        loop.close()


if __name__ == "__main__":
    main()
