"""A watch killed with SIGKILL mid-poll, then restarted, ingests every item exactly once, puts
every article in the ledger and raises every alert exactly once (all of it kept in the ledger)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from http_server import Reply, Request, Server
from watch_fixtures import page

from releasewatch.store import open_store
from releasewatch.watch.alerts import add_rule

CHILD = Path(__file__).with_name("watch_child.py")
ITEMS = 12


def stored(ledger: Path) -> list[str]:
    """The URLs of the stored articles (with repeats, if any)."""
    if not ledger.exists():
        return []
    with sqlite3.connect(ledger) as db:
        try:
            return [r[0] for r in db.execute("SELECT url FROM articles")]
        except sqlite3.OperationalError:  # not migrated yet
            return []


def test_a_watch_killed_mid_poll_ingests_every_item_once(server: Server, tmp_path: Path) -> None:
    paths = [f"/story/{n}.html" for n in range(ITEMS)]
    for n, path in enumerate(paths):
        body = page(
            f"Release number {n}", f"Belarus freed {n + 2} prisoners on day {n}. Talks go on"
        )

        def slow(request: Request, body: bytes = body) -> Reply:
            return Reply(200, {"Content-Type": "text/html"}, body, delay=0.15)

        server.routes[path] = slow
    items = "".join(f"<item><title>Release number {n}</title><link>{server.url(p)}</link>"
                    "</item>" for n, p in enumerate(paths))  # fmt: skip
    feed = f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode()
    server.static("/feed.xml", feed, "application/rss+xml", etag='"k1"')
    ledger = tmp_path / "ledger.sqlite"
    with open_store(ledger) as store:
        rule = add_rule(store, party="BLR", type="release")
    args = [sys.executable, str(CHILD), str(ledger), server.url("/feed.xml")]
    env = {**os.environ, "PYTHONPATH": str(CHILD.parent)}
    kills = 0
    for target in (2, 5, 9):  # kill once a few more articles are in (in flight or resolving)
        child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while len(stored(ledger)) < target and child.poll() is None:
            assert time.monotonic() < deadline, "the watch made no progress"
            time.sleep(0.02)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait(30)
        assert child.returncode in (-signal.SIGKILL, 0), child.stderr.read() if child.stderr else ""
        assert len(stored(ledger)) == len(set(stored(ledger)))
    assert kills >= 2
    final = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    urls = stored(ledger)
    assert sorted(urls) == sorted(server.url(p) for p in paths)  # every item, each once
    with open_store(ledger) as store:
        outcomes = {i.url: i.outcome for i in map(store.watch_item, map(server.url, paths)) if i}
        in_ledger = store.ledger_article_ids()
        alerts = store.alerts(limit=100)
        stored_ids = store.article_ids()
    assert len(outcomes) == ITEMS and set(outcomes.values()) <= {"ingested", "known"}
    assert in_ledger == stored_ids and len(stored_ids) == ITEMS  # every article resolved
    assert sorted(a.article_id for a in alerts) == sorted(stored_ids)  # one alert each
    assert {a.rule_id for a in alerts} == {rule.id}
