"""What a watch follows: the feeds file, and feed bytes -> the items to fetch.

RSS and Atom are read by feedparser (always handed a stream of bytes, never a string it could
take for a path or URL); news sitemaps (`<urlset>` with `news:` tags) by lxml, with entities
and network access off. Each item becomes a `FeedItem`: the linked page's URL and the title,
date and outlet the feed gives for it, which ride on the fetched page as hints.

The feeds file (TOML)::

    every = "10m"            # default interval (optional; default 15m)

    [[feed]]
    url = "https://example.org/world/rss.xml"
    every = "5m"             # optional
    outlet = "Example News"  # optional: the outlet name given to every article of the feed
"""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..errors import InputError
from ..ingest import hint, iso_date
from ..ingest.feeds import _entry_date, _parser_error, _safe_charrefs

DEFAULT_EVERY = 15 * 60.0  # GDELT updates every 15 minutes; a feed polled as often is fresh
MIN_EVERY = 30.0  # polling a feed more often than this is impolite (set by hand)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_NS = {"s": _SITEMAP_NS, "n": _NEWS_NS}
_ROOT = re.compile(rb"<(?:[\w.-]+:)?(urlset|sitemapindex|rss|feed|rdf:RDF)[\s>/]", re.I)
_FEED_KEYS = {"url", "every", "outlet"}


@dataclass(frozen=True)
class FeedSource:
    """One followed feed: its URL, how often to poll it (seconds), the outlet it speaks for."""

    url: str
    every: float = DEFAULT_EVERY
    outlet: str | None = None


@dataclass(frozen=True)
class FeedItem:
    """A fetch job: one item of a feed, the page it links to and the hints for that page."""

    url: str
    feed: str  # the feed's URL
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    outlet: str | None = None


@dataclass(frozen=True)
class FeedRead:
    """The items of one feed document and what was wrong with it (non-fatal)."""

    kind: str  # "rss", "atom", "sitemap"
    items: tuple[FeedItem, ...]
    problems: tuple[str, ...] = ()


def parse_every(value: Any, where: str) -> float:
    """A polling interval ("30s", "5m", "1h", or seconds) as seconds; InputError if bad."""
    if isinstance(value, bool):
        raise InputError(where, f"interval must be a duration like '5m', not {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]
    else:
        raise InputError(
            where, f"interval must be a duration like '30s', '5m' or '1h', got {value!r}"
        )
    if seconds < MIN_EVERY:
        raise InputError(
            where, f"interval {value!r} is under the polite minimum of {MIN_EVERY:.0f} s"
        )
    return seconds


def normalise_url(url: str) -> str:
    """A URL as items are compared by: fragment dropped, scheme and host lower-cased."""
    parts = urlsplit(url.strip())
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def _check_feed_url(url: Any, where: str) -> str:
    """A feed URL from the user: a string with an http(s) scheme and a host."""
    if not isinstance(url, str) or not url.strip():
        raise InputError(where, "url must be a non-empty string")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(where, f"url {url!r} is not an http(s) URL")
    return url.strip()


def load_feeds(path: str | Path) -> tuple[FeedSource, ...]:
    """The feeds a TOML feeds file lists; InputError naming the file and field when wrong."""
    source = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(source, f"not valid TOML ({exc})") from None
    unknown = set(data) - {"every", "feed"}
    if unknown:
        raise InputError(source, f"unknown key(s) {', '.join(sorted(unknown))}")
    default = parse_every(data["every"], f"{source}: every") if "every" in data else DEFAULT_EVERY
    entries = data.get("feed", [])
    if not isinstance(entries, list) or not entries:
        raise InputError(source, "no [[feed]] tables")
    feeds: list[FeedSource] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{source}: feed {number}"
        if not isinstance(entry, dict):
            raise InputError(where, "must be a table")
        unknown = set(entry) - _FEED_KEYS
        if unknown:
            raise InputError(where, f"unknown key(s) {', '.join(sorted(unknown))}")
        url = _check_feed_url(entry.get("url"), f"{where}: url")
        if normalise_url(url) in seen:
            raise InputError(where, f"feed {url} is listed twice")
        seen.add(normalise_url(url))
        every = parse_every(entry["every"], f"{where}: every") if "every" in entry else default
        outlet = entry.get("outlet")
        if outlet is not None and (not isinstance(outlet, str) or not outlet.strip()):
            raise InputError(f"{where}: outlet", "must be a non-empty string")
        feeds.append(FeedSource(url, every, outlet.strip() if outlet else None))
    return tuple(feeds)


def feed_sources(
    urls: Iterable[str], every: float = DEFAULT_EVERY, file: str | Path | None = None
) -> tuple[FeedSource, ...]:
    """Feeds named on the command line (and those of a feeds file), each once."""
    found = list(load_feeds(file)) if file is not None else []
    seen = {normalise_url(f.url) for f in found}
    for url in urls:
        checked = _check_feed_url(url, url)
        if normalise_url(checked) not in seen:
            seen.add(normalise_url(checked))
            found.append(FeedSource(checked, every))
    return tuple(found)


def _item(
    link: Any, feed: FeedSource, base: str, title: Any, published: str | None, outlet: Any
) -> FeedItem | str:
    """A fetch job, or why the entry gives none."""
    link = hint(link)
    if link is None:
        return "has no link"
    url = urljoin(base, link)
    if urlsplit(url).scheme not in ("http", "https"):
        return f"links to {link!r}, not an http(s) URL"
    return FeedItem(
        url=url,
        feed=feed.url,
        title=" ".join(t.split()) if (t := hint(title)) else None,
        published=published,
        outlet=feed.outlet or hint(outlet),
    )


def read_items(data: bytes, feed: FeedSource, base: str | None = None) -> FeedRead:
    """The items of a feed document (RSS, Atom or news sitemap); InputError if none can be read.

    `base` is the URL the document was fetched from (after redirects): relative links are
    resolved against it.
    """
    base = base or feed.url
    head = data[:4096]
    root = _ROOT.search(head)
    if root and root.group(1).lower() in (b"urlset", b"sitemapindex"):
        return _read_sitemap(data, feed, base)
    return _read_syndication(data, feed, base)


def _read_syndication(data: bytes, feed: FeedSource, base: str) -> FeedRead:
    """RSS or Atom items through feedparser."""
    import feedparser

    data, repaired = _safe_charrefs(data, feed.url)
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except (UnicodeError, ValueError, OverflowError, LookupError, TypeError) as exc:
        raise InputError(
            feed.url, f"feedparser cannot read it ({type(exc).__name__}: {exc})"
        ) from None
    error = _parser_error(parsed) if parsed.get("bozo") else None
    if not parsed.entries:
        if parsed.get("version") and not error:
            return FeedRead(parsed.get("version", "rss"), (), tuple(repaired))
        why = f" ({error})" if error else ""
        raise InputError(feed.url, f"not a feed, or a feed with no entries{why}")
    problems = list(repaired)
    if error:
        problems.append(f"{feed.url}: malformed feed, read leniently ({error})")
    kind = "atom" if str(parsed.get("version", "")).startswith("atom") else "rss"
    outlet = None  # a feed's title ("World news") names no outlet: the feeds file does
    items: list[FeedItem] = []
    for number, entry in enumerate(parsed.entries, start=1):
        got = _item(entry.get("link"), feed, base, entry.get("title"), _entry_date(entry), outlet)
        if isinstance(got, str):
            label = f" '{entry.get('title')}'" if entry.get("title") else ""
            problems.append(f"{feed.url}#entry{number}{label}: {got}")
        else:
            items.append(got)
    if error and not items:
        raise InputError(feed.url, f"not a feed, or a feed with no readable items ({error})")
    return FeedRead(kind, tuple(_unique(items)), tuple(problems))


def _unique(items: list[FeedItem]) -> list[FeedItem]:
    """Items in feed order, each URL once."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = normalise_url(item.url)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _text(element: Any, path: str) -> str | None:
    """The stripped text of the first element at `path` (s: sitemap, n: news), or None."""
    found = element.find(path, _NS)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _read_sitemap(data: bytes, feed: FeedSource, base: str) -> FeedRead:
    """News-sitemap items through lxml (entities, DTDs and the network off)."""
    from lxml import etree

    def parser(recover: bool) -> Any:
        return etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
            recover=recover,
        )  # fmt: skip

    problems: list[str] = []
    malformed = None
    try:
        root = etree.fromstring(data, parser(False))
    except etree.XMLSyntaxError as exc:
        malformed = f"sitemap is not well-formed XML ({exc})"
        root = None
        with contextlib.suppress(etree.XMLSyntaxError):
            root = etree.fromstring(data, parser(True))
        if root is None:
            raise InputError(feed.url, malformed) from None
        problems.append(f"{feed.url}: {malformed}; read leniently")
    name = etree.QName(root).localname
    if name == "sitemapindex":
        raise InputError(
            feed.url,
            "a sitemap index, not a news sitemap: list the sitemaps it names as feeds",
        )
    if name != "urlset":
        raise InputError(feed.url, f"not a sitemap (root element <{name}>)")
    ns = _NS
    items: list[FeedItem] = []
    for number, url in enumerate(root.iterfind("s:url", ns), start=1):
        news = url.find("n:news", ns)
        title = _text(news, "n:title") if news is not None else None
        when = _text(news, "n:publication_date") if news is not None else None
        when = when or _text(url, "s:lastmod")
        outlet = _text(news, "n:publication/n:name") if news is not None else None
        got = _item(_text(url, "s:loc"), feed, base, title, iso_date(when), outlet)
        if isinstance(got, str):
            problems.append(f"{feed.url}#url{number}: {got}")
        else:
            items.append(got)
    if malformed and not items:
        raise InputError(feed.url, f"{malformed}: no item could be read")
    return FeedRead("sitemap", tuple(_unique(items)), tuple(problems))
