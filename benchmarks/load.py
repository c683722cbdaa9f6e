"""Load test of `releasewatch serve` (a script, not a test): 50 clients while a watch writes.

Builds a synthetic ledger of at least 10,000 events (articles we generate, stored through the
store and resolved by ledger.rebuild), starts the server in its own process on a free loopback
port, then runs N concurrent clients against the event list and an event page while another
process keeps adding articles the way a long-running writer (`watch`) does: one `LiveLedger`,
its resolver built before the timed part, each article stored in its own transaction and the
stored ledger updated incrementally. Prints requests/s, p50/p99 latency, failures, how many
failures said "database is locked", the server's CPU time per request (all its processes,
from /proc: less sensitive than requests/s to other work on a shared machine), the load
generator's own CPU time per request (it shares the cores), on PostgreSQL the database
server's CPU time per request (its processes on this machine, the writer's statements
included), the share of a core the writer used, the load average, and the share of the cores
the host took (steal: on a shared virtual machine every figure drops when it is high).
Bounded: a fixed duration per endpoint and a deadline.

Two modes: `cached` asks for the same URL over and over (nearly every answer is a cache hit);
`uncached` makes every URL new (varied filters, each client walking its filter's pages by their
cursors, every event id in turn), so each answer is computed. Two backends: SQLite (a temporary
file) and PostgreSQL (a fresh schema on the server of --pg or $RELEASEWATCH_TEST_PG, dropped at
the end; skipped, saying so, when neither is given).

    .venv/bin/python benchmarks/load.py [--events 10000] [--clients 50] [--seconds 20]
        [--mode cached|uncached|both] [--backend sqlite|postgresql|both] [--workers N]
        [--write-pause S] [--endpoints "event list,event page,event JSON"]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from releasewatch import ledger
from releasewatch.errors import StoreError
from releasewatch.ledger.live import LiveLedger
from releasewatch.model import Article, ArticleRecord, Count, EventMention
from releasewatch.store import open_store

PARTIES = ("BLR", "RUS", "USA", "IRN", "VEN", "CHN", "AZE", "GEO", "LTU", "DEU", "FRA", "GBR")
TYPES = ("release", "detention", "talks", "exchange")
DEADLINE_S = 120  # slack past --seconds before a stuck run is abandoned
HOST = "127.0.0.1"


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
        political=True,  # the kind the default views list, so every request reads them all
    )  # fmt: skip
    return ArticleRecord(article=article, events=(event,))


def build(db: str, events: int) -> int:
    """A ledger of `events` synthetic articles, resolved; the number of ledger events."""
    with open_store(db) as store:
        for i in range(events):
            store.add(synthetic(i))
        return int(ledger.rebuild(store)["events"])


def _serve(db: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    """`releasewatch serve` in a process of its own (its log goes to a file, not the report)."""
    command = [sys.executable, "-c", "from releasewatch.cli import main; main()", "--db", db,
               "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=out)


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _processes() -> Iterator[tuple[int, str, list[str]]]:
    """(pid, name, the fields after the name) of every process in /proc (none elsewhere)."""
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, rest = entry.read_text().rsplit(")", 1)
        except (OSError, ValueError):
            continue
        yield int(entry.parent.name), head.split("(", 1)[-1], rest.split()


def server_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by process `pid` and its descendants (Linux
    /proc; 0 elsewhere): the server and its worker processes."""
    children: dict[int, list[int]] = {}
    used: dict[int, float] = {}
    for proc, _name, fields in _processes():
        children.setdefault(int(fields[1]), []).append(proc)
        used[proc] = (int(fields[11]) + int(fields[12])) / _TICK
    total, todo = 0.0, [pid]
    while todo:
        proc = todo.pop()
        total += used.get(proc, 0.0)
        todo += children.get(proc, [])
    return total


def named_cpu_s(name: str) -> float:
    """CPU seconds used so far by the processes called `name` on this machine and their
    reaped children (Linux /proc; 0 elsewhere): a local PostgreSQL server's processes."""
    ticks = sum(
        sum(int(t) for t in fields[11:15]) for _, found, fields in _processes() if found == name
    )
    return ticks / _TICK


def steal_s() -> float:
    """CPU seconds of this machine's cores taken by the host so far (the "steal" of
    /proc/stat; 0 elsewhere): when it is high, every figure of a run is lower."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return 0.0
    return int(fields[8]) / _TICK if len(fields) > 8 else 0.0


def _ingest(db: str, first: int, stop_at: float, written: Any, ready: Any, pause: float) -> None:
    """The writer process, a long-running writer as `watch` is one: its `LiveLedger` built
    once (before the timed part: `ready` is set after), then each article stored in its own
    transaction and the ledger updated incrementally (`LiveLedger.add`), `pause` s apart."""
    with open_store(db) as store:
        live = LiveLedger()
        began = time.perf_counter()
        live.update(store)  # builds the resolver from every stored mention
        written[3] = round((time.perf_counter() - began) * 1000)
        ready.set()
        i = first
        while time.time() < stop_at:
            try:
                update = live.add(store, [synthetic(i)])
                written[0] += len(update.articles)
                written[1] += 1
                i += 1
            except StoreError:
                written[2] += 1
            if pause:
                time.sleep(pause)


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


Paths = Callable[[bytes], str]  # the next path to ask for, given the last response's body


async def _client(
    host: str, port: int, paths: Paths, until: float, latencies: list[float], failures: list[str]
) -> None:
    """One client: sequential requests on one keep-alive connection until `until`."""
    conn = await _Connection.open(host, port)
    body = b""
    try:
        while time.perf_counter() < until:
            request = f"GET {paths(body)} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
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


async def run(
    host: str, port: int, make_paths: Callable[[int], Paths], clients: int, seconds: float
) -> dict[str, Any]:
    """`clients` concurrent clients, client i asking for the paths of make_paths(i)."""
    latencies: list[float] = []
    failures: list[str] = []
    began, client_cpu = time.perf_counter(), time.process_time()
    await asyncio.wait_for(
        asyncio.gather(
            *(
                _client(host, port, make_paths(i), began + seconds, latencies, failures)
                for i in range(clients)
            )
        ),
        seconds + DEADLINE_S,
    )
    elapsed = time.perf_counter() - began
    client_cpu = time.process_time() - client_cpu
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
        "client_cpu_ms": client_cpu * 1000 / max(len(latencies), 1),
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


def _same(path: str) -> Callable[[int], Paths]:
    """Every client asks for `path` every time (the cached mode)."""
    return lambda _i: lambda _body: path


_CURSOR = b'"next_cursor":"'


def _list_walks(seed: int) -> Callable[[int], Paths]:
    """Client i walks the pages of one filter after another; no two requests share a URL."""
    combos = list(
        itertools.product(
            (None, *TYPES),
            (None, *PARTIES),
            (None, "1990", "1991-06", "1992-03-15"),
            (None, "true"),
            (20, 50),
        )
    )
    random.Random(seed).shuffle(combos)
    per_client = itertools.count()

    def make(i: int) -> Paths:
        own = iter(combos[i::50] + combos[(i + 1) % 50 :: 50])
        state: dict[str, Any] = {"base": "", "serial": 1000 * next(per_client)}

        def next_path(body: bytes) -> str:
            at = body.rfind(_CURSOR)
            if state["base"] and at >= 0:
                cursor = body[at + len(_CURSOR) : body.index(b'"', at + len(_CURSOR))].decode()
                return f"{state['base']}&cursor={cursor}"
            combo = next(own, None)
            kind, party, since, conflict, limit = combo or (None, None, None, None, 10)
            query = {"type": kind, "party": party, "since": since, "has_conflict": conflict}
            query = {k: v for k, v in query.items() if v is not None}
            query["limit"] = str(limit)
            if combo is None:  # this client's combinations are used up: keep URLs new
                state["serial"] += 1
                query["limit"] = str(10 + state["serial"] % 40)
                query["since"] = str(1990 + state["serial"] // 40 % 20)
            state["base"] = "/api/events?" + urlencode(query)
            return str(state["base"])

        return next_path

    return make


def _each_event(prefix: str, ids: list[str], seed: int) -> Callable[[int], Paths]:
    """Every request asks for the next event of a shuffled list shared by the clients."""
    order = ids[:]
    random.Random(seed).shuffle(order)
    shared = itertools.cycle(order)
    return lambda _i: lambda _body: prefix + next(shared)


def _event_ids(base: str) -> list[str]:
    """Every ledger event id (set-up, not measured)."""
    ids, cursor = [], None
    while True:
        page = _get_json(base + "/api/events?limit=500" + (f"&cursor={cursor}" if cursor else ""))
        ids += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return ids


@contextmanager
def _database(backend: str, tmp: str, pg: str | None) -> Iterator[str]:
    """A new empty ledger: a SQLite file, or a PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        yield str(Path(tmp) / "load.sqlite")
        return
    import psycopg

    assert pg is not None
    schema = f"load_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{pg}{'&' if '?' in pg else '?'}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def bench(backend: str, args: argparse.Namespace, pg: str | None) -> None:
    """Build, serve, load and report on one backend."""
    with tempfile.TemporaryDirectory() as tmp, _database(backend, tmp, pg) as db:
        began = time.perf_counter()
        n = build(db, args.events)
        print(f"[{backend}] ledger: {n} events built in {time.perf_counter() - began:.1f}s")
        with socket.socket() as s:
            s.bind((HOST, 0))
            port = s.getsockname()[1]
        ctx = multiprocessing.get_context("spawn")
        server = _serve(db, port, args.workers, Path(tmp) / "server.log")
        base = f"http://{HOST}:{port}"
        _wait_until_up(base)
        ids = _event_ids(base)
        event_id = ids[0]
        written = ctx.Array("q", 4)  # articles added, updates done, writer errors, load ms
        ready = ctx.Event()
        writer = ctx.Process(
            target=_ingest,
            args=(db, args.events, time.time() + 8 * (args.seconds + DEADLINE_S), written, ready,
                  args.write_pause),
            daemon=True,
        )  # fmt: skip
        if not args.no_ingest:
            writer.start()
            if not ready.wait(DEADLINE_S * 5):
                raise SystemExit("the writer did not build its resolver in time")
            print(
                f"[{backend}] writer: a LiveLedger (as `watch` keeps), its resolver pre-built"
                f" before the timed part in {written[3] / 1000:.1f}s; then one article per"
                f" transaction, the ledger updated incrementally after each"
                + (f", {args.write_pause:g}s apart" if args.write_pause else ", flat out"),
                flush=True,
            )
        runs: list[tuple[str, str, Callable[[int], Paths]]] = []
        if args.mode in ("cached", "both"):
            runs += [
                ("cached", "event list  GET /api/events?limit=50", _same("/api/events?limit=50")),
                ("cached", "event list  GET /api/events?party=BLR",
                 _same("/api/events?party=BLR&limit=50")),
                ("cached", f"event page  GET /events/{event_id}", _same(f"/events/{event_id}")),
                ("cached", f"event JSON  GET /api/events/{event_id}",
                 _same(f"/api/events/{event_id}")),
            ]  # fmt: skip
        if args.mode in ("uncached", "both"):
            runs += [
                ("uncached", "event list  GET /api/events?<filters>&cursor=", _list_walks(1)),
                ("uncached", "event page  GET /events/<every id>", _each_event("/events/", ids, 2)),
                ("uncached", "event JSON  GET /api/events/<every id>",
                 _each_event("/api/events/", ids, 3)),
            ]  # fmt: skip
        try:
            for mode, label, paths in runs:
                if not any(label.startswith(e) for e in args.endpoints):
                    continue
                before = list(written)
                cpu = server_cpu_s(server.pid)
                writer_cpu = server_cpu_s(writer.pid) if writer.pid else 0.0
                database_cpu, stolen = named_cpu_s("postgres"), steal_s()
                try:
                    r = _run_loop(run(HOST, port, paths, args.clients, args.seconds))
                except TimeoutError:
                    print(f"[{backend}] {mode} {label}: did not finish in time")
                    continue
                added, updates = written[0] - before[0], written[1] - before[1]
                cpu_ms = (server_cpu_s(server.pid) - cpu) * 1000 / max(r["requests"], 1)
                writer_cpu = (server_cpu_s(writer.pid) if writer.pid else 0.0) - writer_cpu
                database_cpu = named_cpu_s("postgres") - database_cpu
                stolen = (steal_s() - stolen) / (os.cpu_count() or 1) / args.seconds
                database = ""
                if backend == "postgresql" and database_cpu:
                    database = (
                        f" PostgreSQL server CPU {database_cpu * 1000 / max(r['requests'], 1):.2f}"
                        " ms/request (its processes on this machine, the writer's work too),"
                    )
                print(
                    f"[{backend}, {args.workers} worker(s)] {mode:8} {label}: {r['requests']}"
                    f" requests, {r['rps']:.0f} req/s, p50 {r['p50_ms']:.1f} ms,"
                    f" p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.0f} ms,"
                    f" server CPU {cpu_ms:.2f} ms/request,{database}"
                    f" load generator CPU {r['client_cpu_ms']:.2f} ms/request,"
                    f" failures {r['failures']} (database is locked: {r['locked']});"
                    f" meanwhile the writer added {added} articles in {updates} incremental"
                    f" updates ({writer_cpu / args.seconds:.0%} of a core);"
                    f" load average {os.getloadavg()[0]:.1f};"
                    f" taken by the host (steal) {stolen:.0%} of the cores"
                    + (f"; first failure: {r['first']}" if r["first"] else ""),
                    flush=True,
                )
            if not args.no_ingest:
                print(f"[{backend}] writer errors: {written[2]}")
        finally:
            if writer.is_alive():
                writer.terminate()
                writer.join()
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    """Each backend asked for: build, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20, help="per endpoint")
    parser.add_argument("--no-ingest", action="store_true", help="no concurrent writer")
    parser.add_argument("--write-pause", type=float, default=0.0,
                        help="seconds between the writer's articles (default 0)")  # fmt: skip
    parser.add_argument("--mode", choices=("cached", "uncached", "both"), default="both")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--endpoints", default="event list,event page,event JSON",
                        help="which to load, comma-separated (default all three)")  # fmt: skip
    parser.add_argument("--pg", default=os.environ.get("RELEASEWATCH_TEST_PG"),
                        help="a PostgreSQL server URL [env RELEASEWATCH_TEST_PG]")  # fmt: skip
    args = parser.parse_args()
    args.endpoints = tuple(e.strip() for e in args.endpoints.split(",") if e.strip())
    for backend in ("sqlite", "postgresql"):
        if args.backend not in (backend, "both"):
            continue
        if backend == "postgresql" and not args.pg:
            print("[postgresql] skipped: no server (--pg URL or $RELEASEWATCH_TEST_PG)")
            continue
        bench(backend, args, args.pg)


if __name__ == "__main__":
    main()
