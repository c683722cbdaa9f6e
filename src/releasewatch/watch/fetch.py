"""Fetching feeds and pages over HTTP(S), politely and defensively, with httpx.

What a fetch guarantees:

- Only http and https. The host must not be (or resolve to) a loopback, private, link-local,
  multicast, reserved or unspecified address unless `allow_private` is set. That is checked
  on the URL before connecting, on every address DNS gives (by the `resolver`), on the very
  address the socket connects to (the default transport connects to the vetted address, so a
  name cannot re-resolve elsewhere in between), and again on every redirect hop.
- Redirects are followed by hand, at most `max_redirects` of them, each re-checked; a loop is
  named as one.
- Time-outs on connecting and on each read, and a deadline on the whole download (a server
  trickling a byte a second cannot hold a fetch forever).
- A size limit enforced while streaming: on the stated Content-Length, on the bytes received
  and on the bytes decompressed (gzip and deflate are decoded here, with a capped output, so
  a gzip bomb stops at the limit).
- Conditional GETs: pass the ETag and Last-Modified of the last fetch; a 304 comes back as
  `not_modified` with no body.
- A polite interval per host, and per-host backoff after errors and after 429 or 503 (their
  Retry-After honoured). A host we must wait for longer than `max_wait` is not slept on: the
  fetch fails as transient, and the caller tries again later.
- robots.txt, read once per host and kept for `robots_ttl` (RFC 9309: a 4xx means no rules, a
  5xx or an unreachable host means keep off for now), with its Crawl-delay honoured.
- A user-agent naming the project.

Every failure is one of the `FetchError` classes of `releasewatch.errors`, naming the URL and
the reason, with `transient` set when a later try may succeed. Tests swap the network out by
passing an httpx transport (`transport=`) and a resolver (`resolver=`).
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import ssl
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .. import __version__
from ..errors import (
    AddressRefused,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    ResponseTooLarge,
    RobotsRefused,
    TooManyRedirects,
    UnwantedContent,
)
from ..ingest import decode_bytes
from ..ingest.decoding import Decoded

USER_AGENT = f"releasewatch/{__version__} (news reader for a ledger of hostage diplomacy)"
ROBOTS_AGENT = "releasewatch"  # the token robots.txt rules name us by
MB = 1024 * 1024

Resolver = Callable[[str, int], Sequence[str]]
"""Host and port -> the IP addresses to connect to (the DNS seam)."""

# Media types read as pages and as feeds. Anything else (an image, a PDF, a zip) is refused on
# its header, before the body is downloaded. A missing Content-Type is let through to sniffing.
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
    "application/rdf+xml", "application/x-rss+xml", "text/html", "text/plain",
)  # fmt: skip


@dataclass(frozen=True)
class FetchSettings:
    """The limits and manners of the fetcher; every default says how it was set."""

    allow_private: bool = False  # let loopback/private hosts through (tests, an intranet)
    # Set by hand: a news server answers within seconds; a slow one is tried again later.
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # the longest wait for the next bytes
    total_timeout: float = 60.0  # the whole download, however the bytes trickle in
    # 10 MB: the largest news pages of bench/article-extraction are under 2 MB of HTML;
    # anything past 10 MB is not an article (the 50 MB test page is refused).
    max_bytes: int = 10 * MB
    max_robots_bytes: int = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
    max_redirects: int = 5  # RFC 9110 warns of loops past five; browsers allow 20
    host_interval: float = 2.0  # seconds between two requests to one host (set by hand)
    max_wait: float = 30.0  # wait at most this long for a host, else fail as transient
    backoff_base: float = 30.0  # first backoff after an error; doubles per failure
    backoff_max: float = 3600.0  # never hold a host off longer than an hour for errors
    max_retry_after: float = 6 * 3600.0  # a Retry-After further out than this is capped
    max_crawl_delay: float = 60.0  # a robots.txt Crawl-delay above this is capped
    respect_robots: bool = True
    robots_ttl: float = 24 * 3600.0  # RFC 9309: cache robots.txt for up to 24 hours
    robots_error_ttl: float = 600.0  # after a 5xx robots.txt, keep off this long
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """One response as the fetcher read it."""

    url: str  # the final URL, after redirects
    requested: str
    status: int
    content: bytes = b""
    media_type: str | None = None  # "text/html", lower case, no parameters
    charset: str | None = None  # as the Content-Type header declares it
    etag: str | None = None
    last_modified: str | None = None
    redirects: tuple[str, ...] = ()  # every URL redirected to, in order
    not_modified: bool = False

    def decoded(self) -> Decoded:
        """The body as text: BOM, then the HTTP charset, then meta/XML declaration, else sniffed."""
        return decode_bytes(self.content, self.url, self.charset)


# ---------------------------------------------------------------------------------------------
# Addresses


def system_resolver(host: str, port: int) -> list[str]:
    """Every address DNS gives for a host (IPv4 and IPv6), in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def refused_why(address: str) -> str | None:
    """Why an IP address is not public ("loopback", "private", ...), or None when it is."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for what, bad in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),
    ):
        if bad:
            return what
    return None


def _literal(host: str) -> str | None:
    """The host as an IP address when it is one ("[::1]" -> "::1"), else None."""
    bare = host.strip("[]")
    try:
        return str(ipaddress.ip_address(bare))
    except ValueError:
        return None


@dataclass
class AddressGuard:
    """Decides which URLs and addresses may be contacted, and resolves names for the socket."""

    allow_private: bool = False
    resolver: Resolver = system_resolver

    def check_url(self, url: str) -> httpx.URL:
        """The URL parsed, if it is http(s) with a host; else AddressRefused."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise AddressRefused(url, f"not a valid URL ({exc})") from None
        if parsed.scheme not in ("http", "https"):
            why = f"scheme {parsed.scheme!r}" if parsed.scheme else "no scheme"
            raise AddressRefused(url, f"only http and https URLs are fetched ({why})")
        if not parsed.host:
            raise AddressRefused(url, "the URL has no host")
        literal = _literal(parsed.host)
        if literal is not None:
            self.check_address(url, parsed.host, literal)
        elif not self.allow_private and parsed.host.rstrip(".").lower() in ("localhost",):
            raise AddressRefused(url, f"host {parsed.host} is loopback")
        return parsed

    def check_address(self, url: str, host: str, address: str) -> None:
        """Refuse a non-public address (unless private ones are allowed)."""
        if self.allow_private:
            return
        why = refused_why(address)
        if why:
            named = host if host.strip("[]") == address else f"{host} ({address})"
            raise AddressRefused(
                url, f"address {named} is {why}; not fetched without allow_private"
            )

    def resolve(self, url: str, host: str, port: int) -> list[str]:
        """The addresses of a host, every one checked; AddressRefused or NetworkError."""
        literal = _literal(host)
        if literal is not None:
            addresses = [literal]
        else:
            try:
                addresses = list(self.resolver(host, port))
            except OSError as exc:
                raise NetworkError(url, f"cannot resolve {host}: {exc}") from None
            if not addresses:
                raise NetworkError(url, f"cannot resolve {host}: no address")
        for address in addresses:  # one bad address refuses all: DNS answers can be mixed
            self.check_address(url, host, address)
        return addresses


class _GuardedBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, connecting only to addresses the guard resolved and passed."""

    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve, check every address, then connect to the first that answers."""
        try:
            addresses = self.guard.resolve(f"//{host}:{port}", host, port)
        except AddressRefused as exc:
            raise httpcore.ConnectError(f"refused: {exc.reason}") from exc
        except NetworkError as exc:
            raise httpcore.ConnectError(exc.reason) from exc
        last: Exception | None = None
        for address in addresses:
            try:
                return self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:  # pragma: no cover - never asked for
        """Unix sockets are not fetched from."""
        raise httpcore.ConnectError("unix sockets are not fetched from")

    def sleep(self, seconds: float) -> None:
        """Sleep (httpcore's retry pause)."""
        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool on the guarded backend (no proxies)."""

    def __init__(self, guard: AddressGuard) -> None:
        super().__init__(trust_env=False)
        # httpx 0.28 has no network_backend argument; its pool is rebuilt on the guarded
        # backend with httpx's own TLS context (certifi), everything else as httpx sets it.
        import certifi

        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl.create_default_context(cafile=certifi.where()),
            max_connections=10,
            max_keepalive_connections=5,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(guard),
        )


def make_client(
    settings: FetchSettings,
    guard: AddressGuard,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An httpx client with the fetcher's time-outs and user-agent, redirects left to us."""
    return httpx.Client(
        transport=transport or GuardedTransport(guard),
        timeout=httpx.Timeout(
            settings.read_timeout, connect=settings.connect_timeout, pool=settings.connect_timeout
        ),
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        follow_redirects=False,
        trust_env=False,
    )


# ---------------------------------------------------------------------------------------------
# Manners: per-host interval and backoff, Retry-After, robots.txt


def retry_after(value: str | None, now: float, cap: float) -> float | None:
    """Seconds a Retry-After header asks us to wait (delta-seconds or HTTP-date), capped."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return min(max(0.0, when - now), cap)


@dataclass
class _Host:
    """What the fetcher knows of one host: when it may be asked next, and its failures."""

    next_at: float = 0.0
    failures: int = 0
    interval: float = 0.0  # the polite interval (robots.txt Crawl-delay may raise it)
    waiting_for: str | None = None  # why the host is held off (for the error message)


@dataclass
class HostManners:
    """Per-host polite interval and backoff (monotonic clock, injectable for tests)."""

    settings: FetchSettings
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    hosts: dict[str, _Host] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _host(self, host: str) -> _Host:
        return self.hosts.setdefault(host, _Host(interval=self.settings.host_interval))

    def wait_turn(self, url: str, host: str) -> None:
        """Sleep until the host may be asked again; NetworkError if that is past max_wait."""
        with self.lock:
            entry = self._host(host)
            delay = entry.next_at - self.clock()
            if delay > self.settings.max_wait:
                raise NetworkError(
                    url,
                    f"host {host} is held off for {delay:.0f} s more"
                    + (f" ({entry.waiting_for})" if entry.waiting_for else ""),
                    retry_after=delay,
                )
            entry.next_at = max(entry.next_at, self.clock()) + entry.interval
        if delay > 0:
            self.sleep(delay)

    def crawl_delay(self, host: str, seconds: float) -> None:
        """Raise the host's interval to a robots.txt Crawl-delay (capped)."""
        with self.lock:
            entry = self._host(host)
            entry.interval = max(entry.interval, min(seconds, self.settings.max_crawl_delay))

    def succeeded(self, host: str) -> None:
        """A good answer: the failure count starts again."""
        with self.lock:
            entry = self._host(host)
            entry.failures = 0
            entry.waiting_for = None

    def failed(self, host: str, why: str, asked: float | None = None) -> float:
        """An error (or a 429/503): hold the host off, exponentially or as asked; the delay."""
        with self.lock:
            entry = self._host(host)
            entry.failures += 1
            backoff = self.settings.backoff_base * 2 ** (entry.failures - 1)
            delay = min(backoff, self.settings.backoff_max)
            if asked is not None:
                delay = max(delay, asked)
            entry.next_at = max(entry.next_at, self.clock() + delay)
            entry.waiting_for = why
            return delay


@dataclass
class _Robots:
    parser: urllib.robotparser.RobotFileParser | None  # None: keep off the whole host
    until: float
    why: str | None = None


def _robots_parser(text: str) -> urllib.robotparser.RobotFileParser:
    """A robots.txt parser fed the given rules."""
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    return parser


# ---------------------------------------------------------------------------------------------
# Bodies


def _media_type(value: str | None) -> tuple[str | None, str | None]:
    """The media type (lower case) and charset of a Content-Type header."""
    if not value:
        return None, None
    main, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return main.strip().lower() or None, charset


class _Decoder:
    """Content-Encoding decoder with a capped output (gzip, deflate, identity)."""

    def __init__(self, url: str, encoding: str) -> None:
        self.url = url
        names = [e.strip().lower() for e in encoding.split(",") if e.strip()]
        names = [n for n in names if n != "identity"]
        if len(names) > 1:
            raise UnwantedContent(url, f"stacked content encodings ({encoding}) are not read")
        self.name = names[0] if names else "identity"
        if self.name in ("gzip", "x-gzip"):
            self.z: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.name == "deflate":
            self.z = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib-wrapped (or gzip)
            self.raw_tried = False
        elif self.name == "identity":
            self.z = None
        else:
            raise UnwantedContent(url, f"content encoding {encoding!r} is not read")

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode a chunk, returning at most room + 1 bytes (one more means over the limit)."""
        if self.z is None:
            return data
        out = bytearray()
        pending = data
        while pending and len(out) <= room:
            try:
                out += self.z.decompress(pending, room + 1 - len(out))
            except zlib.error as exc:
                if self.name == "deflate" and not self.raw_tried and not out:
                    self.raw_tried = True  # some servers send raw deflate
                    self.z = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise UnwantedContent(self.url, f"corrupt {self.name} body: {exc}") from None
            if self.z.eof and self.z.unused_data:  # a second gzip member
                pending = self.z.unused_data
                self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                pending = self.z.unconsumed_tail
        return bytes(out)


def _size(n: int) -> str:
    """A byte count for messages."""
    return f"{n:,} bytes ({n / MB:.1f} MB)"


# ---------------------------------------------------------------------------------------------
# The fetcher


class GuardedClient:
    """An httpx client behind the address guard, with the settings' time-outs (a base)."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.guard = AddressGuard(self.settings.allow_private, resolver or system_resolver)
        self.client = make_client(self.settings, self.guard, transport)
        self.clock = clock
        self.wall = wall
        self.sleep = sleep

    def close(self) -> None:
        """Close the connections."""
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Fetcher(GuardedClient):
    """GETs feeds and pages with every guarantee of the module docstring."""

    def __init__(self, settings: FetchSettings | None = None, **seams: Any) -> None:
        super().__init__(settings, **seams)
        self.manners = HostManners(self.settings, self.clock, self.sleep)
        self._robots: dict[str, _Robots] = {}

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: Sequence[str] | None = PAGE_TYPES,
        max_bytes: int | None = None,
    ) -> Fetched:
        """GET a URL (following checked redirects) and read its body within every limit."""
        if self.settings.respect_robots:
            self._check_robots(url)
        return self._get(url, etag, last_modified, accept, max_bytes or self.settings.max_bytes)

    # -- robots.txt --------------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        """RobotsRefused (or a transient error) unless robots.txt lets us fetch the URL."""
        parsed = self.guard.check_url(url)
        origin = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"
        entry = self._robots.get(origin)
        if entry is None or entry.until <= self.clock():
            entry = self._read_robots(origin, parsed.host)
            self._robots[origin] = entry
        if entry.parser is None:
            raise NetworkError(url, f"robots.txt of {origin} could not be read ({entry.why})")
        if not entry.parser.can_fetch(ROBOTS_AGENT, url):
            raise RobotsRefused(url, f"robots.txt of {origin} disallows it for {ROBOTS_AGENT}")

    def _read_robots(self, origin: str, host: str) -> _Robots:
        """Fetch and read an origin's robots.txt (RFC 9309 on errors)."""
        robots_url = origin + "/robots.txt"
        now = self.clock()
        try:
            got = self._get(robots_url, None, None, None, self.settings.max_robots_bytes)
        except ResponseTooLarge:  # RFC 9309: read what fits; we keep it simple and allow
            return _Robots(_robots_parser(""), now + self.settings.robots_ttl)
        except HTTPStatusError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return _Robots(_robots_parser(""), now + self.settings.robots_ttl)  # no rules
            return _Robots(None, now + self.settings.robots_error_ttl, exc.reason)
        except (FetchTimeout, NetworkError) as exc:
            return _Robots(None, now + self.settings.robots_error_ttl, exc.reason)
        except FetchError as exc:  # refused address, redirect loop, encoding: no usable rules
            return _Robots(_robots_parser(""), now + self.settings.robots_ttl, exc.reason)
        text = got.content.decode("utf-8", "replace")
        parser = _robots_parser(text)
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay:
            self.manners.crawl_delay(host, float(delay))
        return _Robots(parser, now + self.settings.robots_ttl)

    # -- one GET with its redirects ----------------------------------------------------------

    def _get(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        accept: Sequence[str] | None,
        max_bytes: int,
    ) -> Fetched:
        """The response for `url` after its redirects, every hop checked."""
        deadline = self.clock() + self.settings.total_timeout
        seen = [url]
        current = url
        while True:
            parsed = self.guard.check_url(current)
            if parsed.host and _literal(parsed.host) is None:
                self.guard.resolve(current, parsed.host, parsed.port or 0)
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            host = parsed.host
            self.manners.wait_turn(current, host)
            result = self._send(current, host, headers, accept, max_bytes, deadline)
            if isinstance(result, Fetched):
                return Fetched(
                    url=current, requested=url, status=result.status, content=result.content,
                    media_type=result.media_type, charset=result.charset, etag=result.etag,
                    last_modified=result.last_modified, redirects=tuple(seen[1:]),
                    not_modified=result.not_modified,
                )  # fmt: skip
            target = urljoin(current, result)
            if target in seen:
                chain = " -> ".join([*seen[seen.index(target) :], target])
                raise TooManyRedirects(url, f"redirect loop: {chain}")
            if len(seen) > self.settings.max_redirects:
                raise TooManyRedirects(
                    url, f"more than {self.settings.max_redirects} redirects (last to {target})"
                )
            if urlsplit(target).scheme not in ("http", "https"):
                raise AddressRefused(url, f"redirected to a non-http(s) URL: {target}")
            seen.append(target)
            current = target
            if self.settings.respect_robots and urlsplit(target).netloc != urlsplit(url).netloc:
                self._check_robots(target)
            etag = last_modified = None  # validators belong to the URL that gave them

    def _send(
        self,
        url: str,
        host: str,
        headers: dict[str, str],
        accept: Sequence[str] | None,
        max_bytes: int,
        deadline: float,
    ) -> Fetched | str:
        """One request: the response read, or the Location of a redirect."""
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        raise HTTPStatusError(url, f"HTTP {status} with no Location", status=status)
                    self.manners.succeeded(host)
                    return location
                if status == 304:
                    self.manners.succeeded(host)
                    return Fetched(
                        url=url, requested=url, status=304, not_modified=True,
                        etag=response.headers.get("etag"),
                        last_modified=response.headers.get("last-modified"),
                    )  # fmt: skip
                if status >= 400:
                    self._status_error(url, host, response)
                if not 200 <= status < 300:
                    raise HTTPStatusError(url, f"unexpected HTTP {status}", status=status)
                media, charset = _media_type(response.headers.get("content-type"))
                if accept is not None and media is not None and media not in accept:
                    raise UnwantedContent(
                        url, f"content type {media} is not read (expected {', '.join(accept)})"
                    )
                content = self._body(url, response, max_bytes, deadline)
                self.manners.succeeded(host)
                return Fetched(
                    url=url, requested=url, status=status, content=content, media_type=media,
                    charset=charset, etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                )  # fmt: skip
        except httpx.TimeoutException as exc:
            self.manners.failed(host, "timed out")
            raise FetchTimeout(url, f"timed out ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            text = str(exc) or type(exc).__name__
            if text.startswith("refused: "):  # the guarded backend refused the address
                raise AddressRefused(url, text.removeprefix("refused: ")) from None
            self.manners.failed(host, "network error")
            raise NetworkError(url, f"network error: {text}") from None

    def _status_error(self, url: str, host: str, response: httpx.Response) -> None:
        """Raise the error for a 4xx/5xx answer, holding the host off when it asks."""
        status = response.status_code
        asked = None
        if status in (429, 503):
            asked = retry_after(
                response.headers.get("retry-after"), self.wall(), self.settings.max_retry_after
            )
        reason = f"HTTP {status} {response.reason_phrase}".rstrip()
        if status >= 500 or status == 429:
            delay = self.manners.failed(host, reason, asked)
            if asked is not None:
                reason += f" (Retry-After: {asked:.0f} s)"
            elif status == 429 or status == 503:
                reason += f" (backing off {delay:.0f} s)"
        raise HTTPStatusError(url, reason, status=status, retry_after=asked)

    def _body(self, url: str, response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
        """The body, decompressed, within the size limit and the deadline."""
        stated = response.headers.get("content-length")
        encoding = response.headers.get("content-encoding", "identity")
        decoder = _Decoder(url, encoding)
        if stated and stated.strip().isdigit() and int(stated) > max_bytes:
            raise ResponseTooLarge(
                url, f"response is {_size(int(stated))}, over the limit of {_size(max_bytes)}"
            )
        body = bytearray()
        received = 0
        for chunk in response.iter_raw(64 * 1024):
            received += len(chunk)
            if received > max_bytes:
                raise ResponseTooLarge(
                    url, f"response is over the limit of {_size(max_bytes)} (stopped reading)"
                )
            body += decoder.feed(chunk, max_bytes - len(body))
            if len(body) > max_bytes:
                raise ResponseTooLarge(
                    url, f"response decompresses to over the limit of {_size(max_bytes)}"
                )
            if self.clock() > deadline:
                raise FetchTimeout(
                    url,
                    f"download took over {self.settings.total_timeout:.0f} s "
                    f"({_size(received)} received)",
                )
        return bytes(body)
