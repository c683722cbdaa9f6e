"""Load test of `releasewatch serve` (a script, not a test): 50 clients while an ingest writes.

Builds a synthetic ledger of at least 10,000 events (articles we generate, stored through the
store and resolved by ledger.rebuild), starts the server in its own process on a free loopback
port, then runs N concurrent clients against the event list and an event page while another
process keeps ingesting articles. Prints requests/s, p50/p99 latency, failures, and how many
failures said "database is locked". Bounded: a fixed duration per endpoint and a deadline.

    .venv/bin/python benchmarks/load.py [--events 10000] [--clients 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import socket
import statistics
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from releasewatch import ledger
from releasewatch.errors import StoreError
from releasewatch.model import Article, ArticleRecord, Count, EventMention
from releasewatch.store import SQLiteStore

PARTIES = ("BLR", "RUS", "USA", "IRN", "VEN", "CHN", "AZE", "GEO", "LTU", "DEU", "FRA", "GBR")
TYPES = ("release", "detention", "talks", "exchange")
DEADLINE_S = 120  # slack past --seconds before a stuck run is abandoned
HOST = "127.0.0.1"
REBUILD_EVERY = 25  # articles between ledger rebuilds in the writer (an ingest run's batch)


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
    """The server process (its logs go to a file, not the report)."""
    from releasewatch.web import serve

    serve(Path(db), HOST, port, None)


def _ingest(db: str, first: int, stop_at: float, written: Any) -> None:
    """The writer process: one article per transaction, and a rebuild every REBUILD_EVERY."""
    with SQLiteStore(db) as store:
        i = first
        while time.time() < stop_at:
            try:
                store.add(synthetic(i))
                written[0] += 1
                i += 1
                if i % REBUILD_EVERY == 0:
                    ledger.rebuild(store)
                    written[1] += 1
            except StoreError:
                written[2] += 1


class _Connection:
    """One keep-alive HTTP/1.1 connection: a raw asyncio client, cheap enough on CPU that the
    load generator does not take the server's core (httpx spent more CPU than the server)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> _Connection:
        """A connection to host:port."""
        return cls(*await asyncio.open_connection(host, port))

    async def get(self, request: bytes) -> tuple[int, bytes]:
        """Send a prepared GET; the status and body of its response."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body = await self.reader.readexactly(length) if length else b""
        return status, body

    def close(self) -> None:
        """Close the socket."""
        self.writer.close()


async def _client(
    host: str, port: int, path: str, until: float, latencies: list[float], failures: list[str]
) -> None:
    """One client: sequential requests to `path` on one keep-alive connection until `until`."""
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    conn = await _Connection.open(host, port)
    try:
        while time.perf_counter() < until:
            began = time.perf_counter()
            try:
                status, body = await conn.get(request)
                if status != 200:
                    failures.append(f"{status} {body[:200].decode(errors='replace')}")
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                failures.append(repr(exc))
                conn.close()
                conn = await _Connection.open(host, port)
            latencies.append(time.perf_counter() - began)
    finally:
        conn.close()


async def run(host: str, port: int, path: str, clients: int, seconds: float) -> dict[str, Any]:
    """`clients` concurrent clients requesting `path` for `seconds`."""
    latencies: list[float] = []
    failures: list[str] = []
    began = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(
            *(
                _client(host, port, path, began + seconds, latencies, failures)
                for _ in range(clients)
            )
        ),
        seconds + DEADLINE_S,
    )
    elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "max_ms": max(latencies) * 1000,
        "failures": len(failures),
        "locked": sum("locked" in f for f in failures),
        "first": failures[0] if failures else "",
    }


def _get_json(url: str) -> Any:
    """GET a JSON document (the set-up requests, not measured)."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def _wait_until_up(base: str) -> None:
    """Wait (bounded) until the server answers."""
    for _ in range(300):
        try:
            _get_json(base + "/api/events?limit=1")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server at {base} did not come up")


def _run_loop(coroutine: Any) -> Any:
    """Run the clients on uvloop (cheaper per request than the default loop) when present."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def main() -> None:
    """Build, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20, help="per endpoint")
    parser.add_argument("--no-ingest", action="store_true", help="no concurrent writer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.sqlite"
        began = time.perf_counter()
        n = build(db, args.events)
        print(f"ledger: {n} events built in {time.perf_counter() - began:.1f}s")
        with socket.socket() as s:
            s.bind((HOST, 0))
            port = s.getsockname()[1]
        ctx = multiprocessing.get_context("spawn")
        server = ctx.Process(target=_serve, args=(str(db), port), daemon=True)
        server.start()
        base = f"http://{HOST}:{port}"
        _wait_until_up(base)
        event_id = _get_json(base + "/api/events?limit=1&type=release")["items"][0]["id"]
        written = ctx.Array("q", 3)  # articles added, rebuilds done, writer errors
        writer = ctx.Process(
            target=_ingest,
            args=(str(db), args.events, time.time() + 4 * (args.seconds + DEADLINE_S), written),
            daemon=True,
        )
        if not args.no_ingest:
            writer.start()
            time.sleep(1)  # the writer is busy before the first request
        try:
            for label, path in (
                ("event list  GET /api/events?limit=50", "/api/events?limit=50"),
                ("event list  GET /api/events?party=BLR", "/api/events?party=BLR&limit=50"),
                (f"event page  GET /events/{event_id}", f"/events/{event_id}"),
                (f"event JSON  GET /api/events/{event_id}", f"/api/events/{event_id}"),
            ):
                before = list(written)
                try:
                    r = _run_loop(run(HOST, port, path, args.clients, args.seconds))
                except TimeoutError:
                    print(f"{label}: did not finish within {args.seconds + DEADLINE_S}s")
                    continue
                added, rebuilt = written[0] - before[0], written[1] - before[1]
                print(
                    f"{label}: {r['requests']} requests, {r['rps']:.0f} req/s,"
                    f" p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms,"
                    f" max {r['max_ms']:.0f} ms,"
                    f" failures {r['failures']} (database is locked: {r['locked']});"
                    f" meanwhile the writer added {added} articles, rebuilt {rebuilt} times"
                    + (f"; first failure: {r['first']}" if r["first"] else ""),
                    flush=True,
                )
            if not args.no_ingest:
                print(f"writer errors: {written[2]}")
        finally:
            if writer.is_alive():
                writer.terminate()
                writer.join()
            server.terminate()
            server.join()


if __name__ == "__main__":
    main()
