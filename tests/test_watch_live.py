"""The live watch on a ledger store (both backends): local feed server, local webhook receiver.

Stories are ours (tests/watch_fixtures.py); extraction is the stand-in of conftest (a release by
BLR of "Ales Example" for every sentence saying "freed"), so these test the wiring: items
remembered in the ledger, the ledger updated incrementally, alerts raised once, delivered once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from conftest import stub_extract
from http_server import Reply, Request, Server
from test_ledger_live import assert_a_rebuild_changes_nothing
from watch_fixtures import page, rss, serve_stories

from releasewatch import ledger
from releasewatch.store import Store, open_store
from releasewatch.watch import FeedSource, FetchSettings
from releasewatch.watch.alerts import add_rule
from releasewatch.watch.overview import watch_overview
from releasewatch.watch.service import Callbacks, LiveWatch

FREED = "/news/minsk-frees-14.html"  # "Belarus freed 14 political prisoners ..."
OTHERS = ["/news/swap-in-abu-dhabi.html", "/news/talks-resume.html"]
SETTINGS = FetchSettings(allow_private=True, host_interval=0.0, read_timeout=3.0)


class Clock:
    """Wall-clock seconds that tests move by hand."""

    def __init__(self) -> None:
        self.now = 1_760_000_000.0

    def __call__(self) -> float:
        return self.now


class Receiver:
    """A webhook answering `failures` 500s first, then 204; keeps each accepted body by key."""

    def __init__(self, server: Server, failures: int = 0, path: str = "/hook") -> None:
        self.failures = failures
        self.posts: list[Request] = []
        self.accepted: dict[str, list[dict[str, object]]] = {}
        server.routes[path] = self

    def __call__(self, request: Request) -> Reply:
        self.posts.append(request)
        if len(self.posts) <= self.failures:
            return Reply(500, body=b"not now")
        self.accepted.setdefault(request.headers["idempotency-key"], []).append(
            json.loads(request.body)
        )
        return Reply(204)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A new empty ledger on each backend."""
    opened = open_store(db_url)
    yield opened
    opened.close()


def watch(store: Store, server: Server, clock: Clock, **kw: object) -> LiveWatch:
    """A watch of the test feed with the stand-in extractor."""
    feeds = [FeedSource(server.url("/feed.xml"), every=60.0)]
    return LiveWatch(store, feeds, SETTINGS, extract=stub_extract, now=clock, backoff=0.01,
                     **kw)  # type: ignore[arg-type]  # fmt: skip


def test_a_watch_ingests_updates_the_ledger_and_alerts_once(store: Store, server: Server) -> None:
    serve_stories(server)
    server.static("/feed.xml", rss(server, [FREED, *OTHERS]), "application/rss+xml", etag='"1"')
    receiver = Receiver(server, failures=1)  # the first POST fails, the retry is taken
    hooked = add_rule(store, party="blr", type="release", webhook=server.url("/hook"))
    logged = add_rule(store, person="Ales Example")  # no webhook: a log line only
    add_rule(store, type="detention")  # matches nothing here
    lines: list[str] = []
    clock = Clock()
    reports = watch(store, server, clock, callbacks=Callbacks(alert=lambda a: lines.append(a.line))
                    ).run(once=True)  # fmt: skip
    assert [r.count("ingested") for r in reports] == [3]
    assert ledger.status(store)["articles"] == 1  # type: ignore[index]  # one with reports
    assert_a_rebuild_changes_nothing(store)
    alerts = store.alerts()
    assert sorted(a.rule_id for a in alerts) == [hooked.id, logged.id]
    assert len(lines) == 2 and all("Belarus freed 14 political prisoners" in ln for ln in lines)
    assert store.undelivered_alerts() == 0
    (key,) = receiver.accepted
    assert key == next(a.id for a in alerts if a.rule_id == hooked.id)
    (body,) = receiver.accepted[key]  # delivered exactly once, after one failure
    assert len(receiver.posts) == 2
    assert body["rule"]["party"] == "BLR" and body["happening"]["type"] == "release"  # type: ignore[index]
    assert body["source"]["url"] == server.url(FREED)  # type: ignore[index]
    assert body["mention"]["evidence"].startswith("Belarus freed 14")  # type: ignore[index]
    assert body["happening"]["id"] == alerts[0].event_id  # type: ignore[index]
    # polled again: nothing new, no alert, no POST
    clock.now += 3600
    again = watch(store, server, clock).run(once=True)
    assert again[0].status == "not-modified"
    assert len(store.alerts()) == 2 and len(receiver.posts) == 2
    overview = watch_overview(store)
    assert overview["feeds"][0]["items_seen"] == 3 and overview["undelivered"] == 0
    assert overview["feeds"][0]["items"] == {"ingested": 3}
    assert all(r["webhook"] in (True, False) for r in overview["rules"])  # URL not shown


def test_a_webhook_down_for_a_run_gets_the_alert_later_exactly_once(
    store: Store, server: Server
) -> None:
    serve_stories(server)
    server.static("/feed.xml", rss(server, [FREED]), "application/rss+xml")
    receiver = Receiver(server, failures=4)  # a whole delivery run fails (4 attempts)
    add_rule(store, party="BLR", webhook=server.url("/hook"))
    clock = Clock()
    delivered: list[bool] = []
    callbacks = Callbacks(delivery=lambda _p, d: delivered.append(d.ok))
    watch(store, server, clock, callbacks=callbacks).run(once=True)
    (alert,) = store.alerts()
    assert delivered == [False] and alert.delivered_at is None
    assert alert.attempts == 4 and "HTTP 500" in (alert.last_error or "")
    assert watch_overview(store)["undelivered"] == 1
    watch(store, server, clock, callbacks=callbacks).run(once=True)  # not due yet
    assert delivered == [False] and len(receiver.posts) == 4
    clock.now = alert.next_try
    watch(store, server, clock, callbacks=callbacks).run(once=True)
    assert delivered == [False, True] and list(receiver.accepted) == [alert.id]
    assert len(receiver.accepted[alert.id]) == 1 and store.undelivered_alerts() == 0
    clock.now += 86_400
    watch(store, server, clock).run(once=True)
    assert len(receiver.posts) == 5  # never again


def test_protected_persons_are_never_named_in_a_webhook_body(store: Store, server: Server) -> None:
    serve_stories(server)
    server.static("/feed.xml", rss(server, [FREED]), "application/rss+xml")
    receiver = Receiver(server)
    clock = Clock()
    watch(store, server, clock).run(once=True)  # the person is now in the ledger
    ledger.set_protected(store, "Ales Example", True)
    add_rule(store, person="ales example", webhook=server.url("/hook"))
    story = page("Minsk frees more", "Belarus freed 3 more prisoners on Friday, the group said")
    server.static("/news/more.html", story, "text/html; charset=utf-8")
    server.static("/feed.xml", rss(server, [FREED]).replace(
        b"</channel>", f"<item><title>More</title><link>{server.url('/news/more.html')}</link>"
        "</item></channel>".encode()), "application/rss+xml")  # fmt: skip
    clock.now += 3600
    watch(store, server, clock).run(once=True)
    (key,) = receiver.accepted  # matched through the registry, however the rule spells it
    text = json.dumps(receiver.accepted[key])
    assert "Ales" not in text and "Example" not in text and "name withheld" in text
    (alert,) = store.alerts()
    assert "Example" not in alert.line and "Example" not in alert.payload


def test_an_article_stored_before_a_crash_is_taken_with_its_alerts(
    store: Store, server: Server
) -> None:
    serve_stories(server)
    server.static("/feed.xml", rss(server, [FREED]), "application/rss+xml")
    add_rule(store, party="BLR")
    clock = Clock()
    crashed = watch(store, server, clock)
    crashed.update = lambda hint=(): None  # type: ignore[method-assign,assignment,misc]
    crashed.run(once=True)  # the article is committed, its ledger update never ran
    assert store.alerts() == [] and store.counts().articles == 1
    update = watch(store, server, clock).update()  # what a restarted watch does first
    assert len(update.articles) == 1 and [a.rule_id for a in store.alerts()] == [1]
    assert_a_rebuild_changes_nothing(store)
