"""The fetcher against a local server (and httpx mock transports for names that are not ours)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import httpx
import pytest
from http_server import Reply, Request, Server

from releasewatch.errors import (
    AddressRefused,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    ResponseTooLarge,
    RobotsRefused,
    TooManyRedirects,
    UnwantedContent,
)
from releasewatch.watch.fetch import (
    FEED_TYPES,
    USER_AGENT,
    Fetcher,
    FetchSettings,
    refused_why,
    retry_after,
)

MB = 1024 * 1024
PAGE = b"<html><head><title>t</title></head><body><p>Belarus freed 14 prisoners.</p></body></html>"


class FakeClock:
    """A monotonic clock that moves only when slept on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def local(**changes: object) -> Fetcher:
    """A fetcher allowed onto 127.0.0.1, with no polite pause and short time-outs."""
    settings = dict(allow_private=True, host_interval=0.0, read_timeout=2.0, backoff_base=30.0)
    settings.update(changes)
    return Fetcher(FetchSettings(**settings))  # type: ignore[arg-type]


def test_page_is_fetched_with_the_project_user_agent(server: Server) -> None:
    server.static("/a.html", PAGE, "text/html; charset=utf-8")
    with local() as fetcher:
        got = fetcher.fetch(server.url("/a.html"))
    assert got.status == 200 and got.content == PAGE and got.media_type == "text/html"
    request = server.requests("/a.html")[0]
    assert request.headers["user-agent"] == USER_AGENT
    assert "releasewatch" in USER_AGENT


def test_conditional_get_gets_304_and_no_body(server: Server) -> None:
    server.static(
        "/feed.xml", b"<rss/>", "application/rss+xml",
        etag='"v1"', last_modified="Sat, 01 Nov 2025 10:00:00 GMT",
    )  # fmt: skip
    with local() as fetcher:
        first = fetcher.fetch(server.url("/feed.xml"), accept=FEED_TYPES)
        again = fetcher.fetch(
            server.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified
        )
    assert first.etag == '"v1"' and first.content == b"<rss/>"
    assert again.not_modified and again.status == 304 and again.content == b""
    sent = server.requests("/feed.xml")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Sat, 01 Nov 2025 10:00:00 GMT"


def test_404_is_a_permanent_error(server: Server) -> None:
    with local() as fetcher, pytest.raises(HTTPStatusError) as caught:
        fetcher.fetch(server.url("/missing"))
    assert caught.value.status == 404 and not caught.value.transient
    assert "404" in str(caught.value) and server.url("/missing") in str(caught.value)


def test_500_is_transient_and_holds_the_host_off(server: Server) -> None:
    server.routes["/boom"] = lambda r: Reply(500, body=b"oops")
    with local(max_wait=5.0) as fetcher:
        with pytest.raises(HTTPStatusError) as caught:
            fetcher.fetch(server.url("/boom"))
        assert caught.value.transient and caught.value.status == 500
        with pytest.raises(NetworkError, match="held off"):  # 30 s backoff > max_wait
            fetcher.fetch(server.url("/boom"))
    assert len(server.requests("/boom")) == 1  # the held-off host was not asked again


def test_429_retry_after_is_honoured(server: Server) -> None:
    server.routes["/busy"] = lambda r: Reply(429, {"Retry-After": "120"}, b"slow down")
    with local(backoff_base=1.0, max_wait=5.0) as fetcher:
        with pytest.raises(HTTPStatusError) as caught:
            fetcher.fetch(server.url("/busy"))
        assert caught.value.retry_after == 120 and caught.value.transient
        assert "Retry-After: 120 s" in caught.value.reason
        with pytest.raises(NetworkError) as held:
            fetcher.fetch(server.url("/busy"))
    assert held.value.retry_after is not None and 100 < held.value.retry_after <= 120
    assert len(server.requests("/busy")) == 1


def test_503_short_retry_after_is_waited_out(server: Server) -> None:
    calls = []

    def flaky(request: Request) -> Reply:
        calls.append(1)
        if len(calls) == 1:
            return Reply(503, {"Retry-After": "1"}, b"")
        return Reply(200, {"Content-Type": "text/html"}, PAGE)

    server.routes["/flaky"] = flaky
    slept: list[float] = []
    fetcher = Fetcher(
        FetchSettings(allow_private=True, host_interval=0.0, backoff_base=0.5, max_wait=5.0),
        sleep=slept.append,
    )
    with fetcher:
        with pytest.raises(HTTPStatusError):
            fetcher.fetch(server.url("/flaky"))
        assert fetcher.fetch(server.url("/flaky")).content == PAGE
    assert slept and 0.5 < slept[0] <= 1.0  # waited for the host as asked, then fetched


def test_retry_after_forms() -> None:
    assert retry_after("30", 0.0, 3600) == 30
    assert retry_after("999999", 0.0, 3600) == 3600
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412420.0, 3600) == 60
    assert retry_after("soon", 0.0, 3600) is None


def test_a_server_slower_than_the_read_timeout_times_out(server: Server) -> None:
    server.routes["/slow"] = lambda r: Reply(200, {"Content-Type": "text/html"}, PAGE, delay=1.5)
    with local(read_timeout=0.3) as fetcher, pytest.raises(FetchTimeout) as caught:
        fetcher.fetch(server.url("/slow"))
    assert caught.value.transient


def test_a_trickling_server_hits_the_download_deadline(server: Server) -> None:
    def trickle(request: Request) -> Reply:
        return Reply(200, {"Content-Type": "text/html"}, (b"x" * 10 for _ in range(15)),
                     chunk_delay=0.1)  # fmt: skip

    server.routes["/trickle"] = trickle
    with local(total_timeout=0.8, read_timeout=1.0) as fetcher, pytest.raises(FetchTimeout) as e:
        fetcher.fetch(server.url("/trickle"))
    assert "download took over" in e.value.reason


def test_redirect_loop_is_named(server: Server) -> None:
    server.routes["/a"] = lambda r: Reply(302, {"Location": "/b"})
    server.routes["/b"] = lambda r: Reply(301, {"Location": server.url("/a")})
    with local() as fetcher, pytest.raises(TooManyRedirects, match="redirect loop") as caught:
        fetcher.fetch(server.url("/a"))
    assert "/a -> " in caught.value.reason
    assert len(server.requests("/a")) == len(server.requests("/b")) == 1


def test_endless_redirects_stop_at_the_cap(server: Server) -> None:
    for n in range(20):
        server.routes[f"/r{n}"] = lambda r, n=n: Reply(307, {"Location": f"/r{n + 1}"})
    with local(max_redirects=5) as fetcher, pytest.raises(TooManyRedirects, match="more than 5"):
        fetcher.fetch(server.url("/r0"))
    assert len([r for r in server.log if r.path[:2] == "/r" and r.path[2:].isdigit()]) == 6


def test_redirects_are_followed(server: Server) -> None:
    server.routes["/old"] = lambda r: Reply(301, {"Location": "/new"})
    server.static("/new", PAGE, "text/html")
    with local() as fetcher:
        got = fetcher.fetch(server.url("/old"))
    assert got.url == server.url("/new") and got.redirects == (server.url("/new"),)
    assert got.requested == server.url("/old")


def _fifty_mb() -> Iterator[bytes]:
    chunk = b"<p>" + b"a" * (MB - 3)
    for _ in range(50):
        yield chunk


def test_a_50_mb_page_is_refused_while_streaming(server: Server) -> None:
    server.routes["/huge"] = lambda r: Reply(200, {"Content-Type": "text/html"}, _fifty_mb())
    with local() as fetcher, pytest.raises(ResponseTooLarge) as caught:
        fetcher.fetch(server.url("/huge"))
    assert "limit of 10,485,760 bytes" in caught.value.reason
    assert "stopped reading" in caught.value.reason


def test_a_stated_50_mb_page_is_refused_before_reading(server: Server) -> None:
    server.routes["/huge"] = lambda r: Reply(
        200, {"Content-Type": "text/html", "Content-Length": str(50 * MB)}, _fifty_mb()
    )
    with local() as fetcher, pytest.raises(ResponseTooLarge) as caught:
        fetcher.fetch(server.url("/huge"))
    assert "52,428,800 bytes" in caught.value.reason


def test_a_gzip_bomb_stops_at_the_limit(server: Server) -> None:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * MB
    bomb = b"".join(squeeze.compress(zeros) for _ in range(200)) + squeeze.flush()
    assert len(bomb) < MB  # 200 MB of zeros in a few hundred KB
    server.routes["/bomb"] = lambda r: Reply(
        200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb
    )
    with local() as fetcher, pytest.raises(ResponseTooLarge, match="decompresses to over"):
        fetcher.fetch(server.url("/bomb"))


def test_gzip_pages_are_decoded(server: Server) -> None:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    body = squeeze.compress(PAGE) + squeeze.flush()
    server.routes["/gz"] = lambda r: Reply(
        200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, body
    )
    with local() as fetcher:
        assert fetcher.fetch(server.url("/gz")).content == PAGE


def test_wrong_content_type_is_refused(server: Server) -> None:
    server.static("/photo", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
    with local() as fetcher, pytest.raises(UnwantedContent, match="image/png"):
        fetcher.fetch(server.url("/photo"))


RUSSIAN = "Белорусские власти освободили четырнадцать политических заключённых."


@pytest.mark.parametrize("declared", ["header", "meta"])
def test_a_windows_1251_page_is_read_correctly(server: Server, declared: str) -> None:
    meta = '<meta charset="windows-1251">' if declared == "meta" else ""
    page = f"<html><head>{meta}<title>Новости</title></head><body><p>{RUSSIAN}</p></body></html>"
    ctype = "text/html; charset=windows-1251" if declared == "header" else "text/html"
    server.static("/ru.html", page.encode("cp1251"), ctype)
    with local() as fetcher:
        got = fetcher.fetch(server.url("/ru.html"))
    decoded = got.decoded()
    assert RUSSIAN in decoded.text and decoded.encoding == "cp1251"


# -- addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "private"),  # Python counts 240.0.0.0/4 (reserved) among private
        ("::ffff:127.0.0.1", "loopback"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "not globally routable"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_classes(address: str, why: str | None) -> None:
    assert refused_why(address) == why


@pytest.mark.parametrize(
    "path_host", ["127.0.0.1", "localhost", "[::1]", "10.0.0.7", "169.254.169.254"]
)
def test_private_addresses_are_refused_without_allow_private(
    server: Server, path_host: str
) -> None:
    with Fetcher(FetchSettings(host_interval=0.0)) as fetcher, pytest.raises(AddressRefused):
        fetcher.fetch(f"http://{path_host}:{server.port}/a.html")
    assert server.log == []  # nothing was sent


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file:///etc/passwd", "gopher://x/"])
def test_only_http_and_https(url: str) -> None:
    with Fetcher() as fetcher, pytest.raises(AddressRefused, match="only http and https"):
        fetcher.fetch(url)


def test_a_name_resolving_to_loopback_is_refused(server: Server) -> None:
    server.static("/a.html", PAGE, "text/html")
    fetcher = Fetcher(FetchSettings(host_interval=0.0), resolver=lambda h, p: ["127.0.0.1"])
    with (
        fetcher,
        pytest.raises(AddressRefused, match=r"news\.example \(127\.0\.0\.1\) is loopback"),
    ):
        fetcher.fetch(f"http://news.example:{server.port}/a.html")
    assert server.log == []


def test_a_name_the_resolver_maps_connects_to_the_vetted_address(server: Server) -> None:
    """With allow_private, the guarded transport connects to the address the resolver gave."""
    server.static("/a.html", PAGE, "text/html")
    fetcher = Fetcher(
        FetchSettings(allow_private=True, host_interval=0.0), resolver=lambda h, p: ["127.0.0.1"]
    )
    with fetcher:
        got = fetcher.fetch(f"http://news.example:{server.port}/a.html")
    assert got.content == PAGE
    assert server.requests("/a.html")[0].headers["host"] == f"news.example:{server.port}"


def test_dns_rebinding_is_caught_at_the_socket(server: Server) -> None:
    """The name checks out public first, then resolves to loopback when the socket connects."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"], ["127.0.0.1"]])
    fetcher = Fetcher(FetchSettings(host_interval=0.0), resolver=lambda h, p: next(answers))
    with fetcher, pytest.raises(AddressRefused, match="loopback"):
        fetcher.fetch(f"http://rebind.example:{server.port}/a.html")
    assert server.log == []


def test_a_public_name_that_redirects_to_loopback_is_refused(server: Server) -> None:
    """A public host (an httpx mock: no real DNS, no network) redirects to 127.0.0.1."""
    server.static("/secret", b"<p>internal</p>", "text/html")
    seen: list[str] = []

    def public_site(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(302, headers={"Location": server.url("/secret")})

    fetcher = Fetcher(
        FetchSettings(host_interval=0.0),
        transport=httpx.MockTransport(public_site),
        resolver=lambda host, port: ["93.184.216.34"],
    )
    with fetcher, pytest.raises(AddressRefused, match=r"127\.0\.0\.1 is loopback"):
        fetcher.fetch("https://news.example/story")
    assert seen == ["https://news.example/robots.txt", "https://news.example/story"]
    assert server.log == []  # the redirect target was never contacted


# -- robots.txt -----------------------------------------------------------------------------


def test_robots_txt_is_respected(server: Server) -> None:
    rules = b"User-agent: *\nDisallow: /\n\nUser-agent: releasewatch\nDisallow: /private/\n"
    server.static("/robots.txt", rules, "text/plain")
    server.static("/public.html", PAGE, "text/html")
    server.static("/private/a.html", PAGE, "text/html")
    with local() as fetcher:
        assert fetcher.fetch(server.url("/public.html")).content == PAGE
        with pytest.raises(RobotsRefused, match="disallows"):
            fetcher.fetch(server.url("/private/a.html"))
        fetcher.fetch(server.url("/public.html"))
    assert len(server.requests("/robots.txt")) == 1  # read once, kept
    assert server.requests("/private/a.html") == []


def test_robots_txt_5xx_keeps_off_for_now(server: Server) -> None:
    server.routes["/robots.txt"] = lambda r: Reply(503, body=b"")
    server.static("/a.html", PAGE, "text/html")
    with local(backoff_base=0.0) as fetcher, pytest.raises(NetworkError, match=r"robots\.txt"):
        fetcher.fetch(server.url("/a.html"))
    assert server.requests("/a.html") == []


def test_robots_crawl_delay_spaces_requests(server: Server) -> None:
    server.static("/robots.txt", b"User-agent: *\nCrawl-delay: 5\n", "text/plain")
    server.static("/a.html", PAGE, "text/html")
    clock = FakeClock()
    fetcher = Fetcher(
        FetchSettings(allow_private=True, host_interval=0.0, max_wait=10.0),
        sleep=clock.sleep,
        clock=clock,
    )
    with fetcher:
        fetcher.fetch(server.url("/a.html"))
        fetcher.fetch(server.url("/a.html"))
    assert clock.slept == [5.0]  # robots.txt, then the page at once, then 5 s for the next
