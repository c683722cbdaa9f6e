"""Load test of `releasewatch serve` (a script, not a test): 50 clients while an ingest writes.

Builds a synthetic ledger of at least 10,000 events (articles we generate, stored through the
store and resolved by ledger.rebuild), starts the server in its own process on a free loopback
port, then runs N concurrent clients against the event list and an event page while another
process keeps ingesting articles. Prints requests/s, p50/p99 latency, failures, and how many
failures said "database is locked". Bounded: a fixed number of requests per run and a deadline.

    .venv/bin/python benchmarks/load.py [--events 10000] [--clients 50] [--requests 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from releasewatch import ledger
from releasewatch.model import Article, ArticleRecord, Count, EventMention
from releasewatch.store import SQLiteStore

PARTIES = ("BLR", "RUS", "USA", "IRN", "VEN", "CHN", "AZE", "GEO", "LTU", "DEU", "FRA", "GBR")
TYPES = ("release", "detention", "talks", "exchange")
DEADLINE_S = 120  # a run never takes longer than this, whatever the counts


def synthetic(i: int) -> ArticleRecord:
    """Article number i, with one event distinct from every other article's."""
    day = date(1990, 1, 1) + timedelta(days=i // (len(PARTIES) * len(TYPES)))
    party = PARTIES[i % len(PARTIES)]
    kind = TYPES[(i // len(PARTIES)) % len(TYPES)]
    evidence = f"Officials in {party} reported a {kind} of {i % 40 + 2} people on {day}."
    text = f"Report {i}.\n\n{evidence}\n\nNothing else happened in story {i}."
    start = text.index(evidence)
    article = Article(
        id=f"syn{i:07d}", source=f"synthetic:{i}", text=text, raw=text, title=f"Report {i}",
        published=day.isoformat(), outlet="Synthetic Wire",
    )  # fmt: skip
    event = EventMention(
        type=kind, status="occurred", evidence=evidence, start=start,
        end=start + len(evidence), by=(party,), count=Count(i % 40 + 2), date=day.isoformat(),
    )  # fmt: skip
    return ArticleRecord(article=article, events=(event,))


def build(db: Path, events: int) -> int:
    """A ledger of `events` synthetic articles, resolved; the number of ledger events."""
    with SQLiteStore(db) as store:
        for i in range(events):
            store.add(synthetic(i))
        return int(ledger.rebuild(store)["events"])


def _serve(db: str, port: int) -> None:
    """The server process."""
    from releasewatch.web import serve

    serve(Path(db), "127.0.0.1", port, None)


def _ingest(db: str, first: int, stop_at: float) -> None:
    """The writer process: one article per transaction, and a rebuild now and then."""
    with SQLiteStore(db) as store:
        i = first
        while time.time() < stop_at:
            store.add(synthetic(i))
            i += 1
            if i % 25 == 0:
                ledger.rebuild(store)


async def _client(
    http: httpx.AsyncClient, path: str, count: int, latencies: list[float], failures: list[str]
) -> None:
    """One client: `count` sequential requests to `path`."""
    for _ in range(count):
        began = time.perf_counter()
        try:
            response = await http.get(path)
            if response.status_code != 200:
                failures.append(f"{response.status_code} {response.text[:200]}")
        except httpx.HTTPError as exc:
            failures.append(repr(exc))
        latencies.append(time.perf_counter() - began)


async def run(base: str, path: str, clients: int, requests: int) -> dict[str, Any]:
    """`clients` concurrent clients sharing `requests` requests to `path`."""
    latencies: list[float] = []
    failures: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        began = time.perf_counter()
        per = max(1, requests // clients)
        await asyncio.wait_for(
            asyncio.gather(
                *(_client(http, path, per, latencies, failures) for _ in range(clients))
            ),
            DEADLINE_S,
        )
        elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "failures": len(failures),
        "locked": sum("locked" in f for f in failures),
        "first": failures[0] if failures else "",
    }


def main() -> None:
    """Build, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--no-ingest", action="store_true", help="no concurrent writer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.sqlite"
        began = time.perf_counter()
        n = build(db, args.events)
        print(f"ledger: {n} events built in {time.perf_counter() - began:.1f}s")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        ctx = multiprocessing.get_context("spawn")
        server = ctx.Process(target=_serve, args=(str(db), port), daemon=True)
        server.start()
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(base + "/api/events?limit=1", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        event_id = httpx.get(base + "/api/events?limit=1&type=release").json()["items"][0]["id"]
        writer = ctx.Process(
            target=_ingest, args=(str(db), args.events, time.time() + DEADLINE_S), daemon=True
        )
        if not args.no_ingest:
            writer.start()
        try:
            for label, path in (
                ("event list  GET /api/events?limit=50", "/api/events?limit=50"),
                ("event list  GET /api/events?party=BLR", "/api/events?party=BLR&limit=50"),
                (f"event page  GET /events/{event_id}", f"/events/{event_id}"),
                (f"event JSON  GET /api/events/{event_id}", f"/api/events/{event_id}"),
            ):
                try:
                    r = asyncio.run(run(base, path, args.clients, args.requests))
                except TimeoutError:
                    print(f"{label}: did not finish within {DEADLINE_S}s")
                    continue
                print(
                    f"{label}: {r['requests']} requests, {r['rps']:.0f} req/s,"
                    f" p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms,"
                    f" failures {r['failures']} (database is locked: {r['locked']})"
                    + (f"; first: {r['first']}" if r["first"] else "")
                )
        finally:
            if writer.is_alive():
                writer.terminate()
                writer.join()
            server.terminate()
            server.join()


if __name__ == "__main__":
    main()
