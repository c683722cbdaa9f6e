"""The poll loop against a local server serving an RSS feed, an Atom feed and a news sitemap."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest
from conftest import stub_extract
from http_server import Reply, Server
from watch_fixtures import STORIES, atom, page, rss, serve_stories, sitemap

from releasewatch.watch import FeedSource, Fetcher, FetchSettings, MemoryState, Watcher
from releasewatch.watch.poll import stop_on_signals
from releasewatch.watch.state import FAILED, INGESTED, KNOWN, RETRY

PATHS = list(STORIES)
MB = 1024 * 1024


class Clock:
    """Wall-clock seconds that tests move by hand."""

    def __init__(self) -> None:
        self.now = 1_760_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def feeds(server: Server) -> list[FeedSource]:
    """The three feeds, two stories each, validators on."""
    serve_stories(server)
    server.static("/rss.xml", rss(server, PATHS[:2]), "application/rss+xml", etag='"r1"')
    server.static(
        "/atom.xml", atom(server, PATHS[2:4]), "application/atom+xml",
        last_modified="Tue, 10 Jun 2025 08:00:00 GMT",
    )  # fmt: skip
    server.static("/sitemap.xml", sitemap(server, PATHS[4:]), "application/xml", etag='"s1"')
    return [
        FeedSource(server.url("/rss.xml"), 300.0, "Example Wire"),
        FeedSource(server.url("/atom.xml"), 300.0),
        FeedSource(server.url("/sitemap.xml"), 300.0),
    ]


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FetchSettings(allow_private=True, host_interval=0.0, read_timeout=2.0)) as f:
        yield f


def watcher(feeds: list[FeedSource], state: MemoryState, fetcher: Fetcher, **kw: object) -> Watcher:
    return Watcher(feeds, state, fetcher, extract=stub_extract, **kw)  # type: ignore[arg-type]


def page_requests(server: Server) -> int:
    return sum(len(server.requests(p)) for p in PATHS)


def test_a_poll_ingests_every_feed_with_the_item_hints(
    server: Server, feeds: list[FeedSource], fetcher: Fetcher
) -> None:
    state = MemoryState()
    reports = watcher(feeds, state, fetcher).run(once=True)
    assert [r.status for r in reports] == ["ok", "ok", "ok"] and all(r.ok for r in reports)
    assert sum(r.count(INGESTED) for r in reports) == 6 and len(state.articles) == 6
    by_url = {rec.article.url: rec.article for rec in state.articles.values()}
    rss_article = by_url[server.url(PATHS[0])]
    assert rss_article.outlet == "Example Wire" and rss_article.published == "2025-05-01"
    assert rss_article.title == "Belarus frees 14 political prisoners"
    assert "Belarus freed 14 political prisoners" in rss_article.text
    assert "Copyright" not in rss_article.text  # read through the HTML path
    sitemap_article = by_url[server.url(PATHS[5])]
    assert sitemap_article.outlet == "Sitemap Times" and sitemap_article.published == "2025-07-02"
    assert state.feed(feeds[0].url).items_seen == 2
    assert reports[0].line().endswith("2 item(s), 2 ingested")


def test_the_second_poll_downloads_nothing(
    server: Server, feeds: list[FeedSource], fetcher: Fetcher
) -> None:
    state = MemoryState()
    watcher(feeds, state, fetcher).run(once=True)
    pages = page_requests(server)
    again = watcher(feeds, state, fetcher).run(once=True)
    assert [r.status for r in again] == ["not-modified"] * 3
    assert sum(r.downloaded for r in again) == 0 and page_requests(server) == pages
    assert server.requests("/rss.xml")[-1].headers["if-none-match"] == '"r1"'
    modified = server.requests("/atom.xml")[-1].headers["if-modified-since"]
    assert modified == "Tue, 10 Jun 2025 08:00:00 GMT"
    assert len(state.articles) == 6


def test_a_changed_feed_fetches_only_its_new_items(
    server: Server, feeds: list[FeedSource], fetcher: Fetcher
) -> None:
    state = MemoryState()
    watcher(feeds, state, fetcher).run(once=True)
    server.static("/rss.xml", rss(server, PATHS[:3]), "application/rss+xml", etag='"r2"')
    report = watcher(feeds[:1], state, fetcher).poll(feeds[0])
    # story 3 is new to this feed, but the Atom feed brought its URL already: not fetched again
    assert [i.outcome for i in report.items] == ["seen", "seen", "seen"]
    assert len(server.requests(PATHS[0])) == 1 and len(server.requests(PATHS[2])) == 1
    assert state.feed(feeds[0].url).etag == '"r2"' and len(state.articles) == 6


def test_the_same_story_under_another_url_is_known_by_content(
    server: Server, fetcher: Fetcher
) -> None:
    title, body = STORIES[PATHS[0]]
    serve_stories(server)
    server.static("/mirror/story.html", page(title, body), "text/html")
    doc = rss(server, PATHS[:1]).replace(
        b"</channel>",
        f"<item><title>{title}</title><link>{server.url('/mirror/story.html')}</link></item>"
        "</channel>".encode(),
    )
    server.static("/rss.xml", doc, "application/rss+xml")
    state = MemoryState()
    report = watcher([FeedSource(server.url("/rss.xml"))], state, fetcher).run(once=True)[0]
    assert [i.outcome for i in report.items] == [INGESTED, KNOWN] and len(state.articles) == 1


def test_hostile_items_are_problems_and_the_watch_goes_on(server: Server, fetcher: Fetcher) -> None:
    serve_stories(server)
    calls: list[int] = []

    def flaky(request: object) -> Reply:
        calls.append(1)
        if len(calls) < 2:
            return Reply(500, body=b"")
        return Reply(200, {"Content-Type": "text/html"}, page("Flaky", "Belarus freed 3 men."))

    def huge(request: object) -> Reply:
        return Reply(200, {"Content-Type": "text/html"}, (b"a" * MB for _ in range(50)))

    server.routes["/flaky.html"] = flaky
    server.routes["/huge.html"] = huge
    server.static("/photo.jpg", b"\xff\xd8\xff" + b"\0" * 64, "image/jpeg")
    server.routes["/loop.html"] = lambda r: Reply(302, {"Location": "/loop.html"})
    items = "".join(
        f"<item><title>{p}</title><link>{server.url(p)}</link></item>"
        for p in ["/gone.html", "/flaky.html", "/huge.html", "/photo.jpg", "/loop.html", PATHS[0]]
    )
    server.static(
        "/rss.xml", f"<rss version='2.0'><channel><title>x</title>{items}</channel></rss>".encode(),
        "application/rss+xml", etag='"h1"',
    )  # fmt: skip
    feed = FeedSource(server.url("/rss.xml"))
    state = MemoryState()
    with Fetcher(FetchSettings(allow_private=True, host_interval=0.0, backoff_base=0.0)) as f:
        first = watcher([feed], state, f).poll(feed)
        outcomes = [i.outcome for i in first.items]
        assert outcomes == [FAILED, RETRY, FAILED, FAILED, FAILED, INGESTED]
        assert not first.ok
        reasons = {p.source.rsplit("/", 1)[1]: p.reason for p in first.problems}
        assert "HTTP 404" in reasons["gone.html"]
        assert "limit of 10,485,760 bytes" in reasons["huge.html"]
        assert "image/jpeg" in reasons["photo.jpg"] and "redirect loop" in reasons["loop.html"]
        # the feed is read again in full (no validators) since an item waits for a retry
        second = watcher([feed], state, f).poll(feed)
    assert "if-none-match" not in server.requests("/rss.xml")[-1].headers
    assert [i.outcome for i in second.items] == ["seen", INGESTED, "seen", "seen", "seen", "seen"]
    assert len(server.requests("/gone.html")) == 1  # a permanent failure is not fetched again
    assert len(state.articles) == 2


def test_transient_failures_are_given_up_after_three_attempts(
    server: Server, fetcher: Fetcher
) -> None:
    server.routes["/down.html"] = lambda r: Reply(502, body=b"")
    doc = f"<rss version='2.0'><channel><item><link>{server.url('/down.html')}</link></item>"
    server.static("/rss.xml", (doc + "</channel></rss>").encode(), "application/rss+xml")
    feed = FeedSource(server.url("/rss.xml"))
    state = MemoryState()
    with Fetcher(FetchSettings(allow_private=True, host_interval=0.0, backoff_base=0.0)) as f:
        outcomes = [watcher([feed], state, f).poll(feed).items[0].outcome for _ in range(4)]
    assert outcomes == [RETRY, RETRY, FAILED, "seen"]
    assert "given up after 3 attempts" in (state.items[next(iter(state.items))].error or "")


def test_a_broken_feed_is_a_problem_and_the_next_feed_is_read(
    server: Server, feeds: list[FeedSource], fetcher: Fetcher
) -> None:
    server.static("/broken.xml", b"<rss><channel><item><title>cut off", "application/rss+xml")
    broken = FeedSource(server.url("/broken.xml"), 300.0)
    clock = Clock()
    state = MemoryState()
    reports = watcher([broken, feeds[0]], state, fetcher, now=clock).run(once=True)
    assert reports[0].status == "error" and "not a feed" in (reports[0].error or "")
    assert reports[1].status == "ok" and reports[1].count(INGESTED) == 2
    remembered = state.feed(broken.url)
    assert remembered.failures == 1 and remembered.next_poll == clock.now + 300
    assert remembered.last_error == reports[0].error
    assert (broken.url, reports[0].error) in state.problems


@pytest.mark.parametrize(
    ("reply", "error", "wait"),
    [
        (Reply(404, body=b""), "HTTP 404", 300.0),
        (Reply(500, body=b""), "HTTP 500", 300.0),
        (Reply(429, {"Retry-After": "900"}, b""), "Retry-After: 900 s", 900.0),
        (Reply(200, {"Content-Type": "application/rss+xml"}, b"<rss/>", delay=1.0), "timed out",
         300.0),
        (Reply(302, {"Location": "/feed.xml"}), "redirect loop", 300.0),
        (Reply(200, {"Content-Type": "image/png"}, b"\x89PNG"), "image/png", 300.0),
    ],
)  # fmt: skip
def test_feed_errors_back_the_feed_off(
    server: Server, reply: Reply, error: str, wait: float
) -> None:
    server.routes["/feed.xml"] = lambda r: reply
    feed = FeedSource(server.url("/feed.xml"), 300.0)
    clock = Clock()
    state = MemoryState()
    settings = FetchSettings(
        allow_private=True, host_interval=0.0, read_timeout=0.3, backoff_base=0
    )
    with Fetcher(settings) as f:
        report = watcher([feed], state, f, now=clock).poll(feed)
        assert report.status == "error" and error in (report.error or "")
        assert report.next_poll == clock.now + wait
        clock.now += wait
        second = watcher([feed], state, f, now=clock).poll(feed)
    if reply.status != 429:  # doubling: 300 s, then 600 s
        assert second.next_poll == clock.now + 2 * wait


def test_a_stop_between_articles_leaves_the_rest_for_the_next_poll(
    server: Server, feeds: list[FeedSource], fetcher: Fetcher
) -> None:
    state = MemoryState()
    stop = threading.Event()
    first = watcher(feeds[:1], state, fetcher, stop=stop, on_commit=lambda r: stop.set())
    report = first.run(once=True)[0]
    assert report.status == "stopped" and [i.outcome for i in report.items] == [INGESTED]
    assert state.feed(feeds[0].url).etag is None  # read in full next time
    again = watcher(feeds[:1], state, fetcher).run(once=True)[0]
    assert [i.outcome for i in again.items] == ["seen", INGESTED] and len(state.articles) == 2


def test_sigterm_and_sigint_set_the_stop_event() -> None:
    stop = threading.Event()
    before = signal.getsignal(signal.SIGTERM)
    with stop_on_signals(stop):
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(2)
        stop.clear()
        os.kill(os.getpid(), signal.SIGINT)
        assert stop.wait(2)
        with pytest.raises(KeyboardInterrupt):  # a second Ctrl-C does not wait
            os.kill(os.getpid(), signal.SIGINT)
            threading.Event().wait(1)
    assert signal.getsignal(signal.SIGTERM) == before


def test_run_polls_due_feeds_until_stopped(
    server: Server, feeds: list[FeedSource], fetcher: Fetcher
) -> None:
    state = MemoryState()
    stop = threading.Event()
    seen: list[str] = []

    def on_report(report: object) -> None:
        seen.append(report.status)  # type: ignore[attr-defined]
        if len(seen) == 3:
            stop.set()

    watcher(feeds, state, fetcher, stop=stop).run(on_report=on_report)
    assert seen == ["ok", "ok", "ok"] and len(state.articles) == 6
