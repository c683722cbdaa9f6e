"""Feeds files and feed documents -> fetch jobs (RSS, Atom, news sitemaps)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from http_server import Server
from watch_fixtures import atom, rss, sitemap

from releasewatch.errors import InputError
from releasewatch.watch.feeds import (
    FeedSource,
    feed_sources,
    load_feeds,
    normalise_url,
    parse_every,
    read_items,
)

PATHS = ["/news/minsk-frees-14.html", "/news/swap-in-abu-dhabi.html"]


def test_rss_items_carry_title_date_and_the_feed_outlet(server: Server) -> None:
    feed = FeedSource(server.url("/rss.xml"), outlet="Example Wire")
    read = read_items(rss(server, PATHS), feed)
    assert read.kind == "rss" and read.problems == ()
    first = read.items[0]
    assert first.url == server.url(PATHS[0])
    assert first.title == "Belarus frees 14 political prisoners"
    assert first.published == "2025-05-01" and first.outlet == "Example Wire"
    assert first.feed == feed.url


def test_atom_relative_links_are_resolved_against_the_fetched_url(server: Server) -> None:
    feed = FeedSource(server.url("/atom.xml"))
    read = read_items(atom(server, PATHS), feed, base=server.url("/feeds/atom.xml"))
    assert read.kind == "atom"
    assert [i.url for i in read.items] == [server.url(p) for p in PATHS]
    assert read.items[1].published == "2025-06-11" and read.items[1].outlet is None


def test_news_sitemap_items_name_their_publication(server: Server) -> None:
    read = read_items(sitemap(server, PATHS), FeedSource(server.url("/sitemap.xml")))
    assert read.kind == "sitemap"
    item = read.items[1]
    assert item.url == server.url(PATHS[1]) and item.title == "Prisoner swap agreed in Abu Dhabi"
    assert item.published == "2025-07-02" and item.outlet == "Sitemap Times"


def test_the_feeds_file_outlet_wins_over_the_sitemap_name(server: Server) -> None:
    feed = FeedSource(server.url("/sitemap.xml"), outlet="Chosen Name")
    assert read_items(sitemap(server, PATHS), feed).items[0].outlet == "Chosen Name"


def test_broken_xml_is_a_clear_error() -> None:
    feed = FeedSource("http://example.org/feed.xml")
    with pytest.raises(InputError, match=r"not a feed.*feedparser"):
        read_items(b"<rss><channel><item><title>cut", feed)
    with pytest.raises(InputError, match="sitemap is not well-formed XML"):
        read_items(b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc", feed)


def test_a_sitemap_index_says_what_to_do() -> None:
    doc = b"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'></sitemapindex>"
    with pytest.raises(InputError, match="sitemap index"):
        read_items(doc, FeedSource("http://example.org/index.xml"))


def test_sitemap_entities_are_not_expanded() -> None:
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        b"<url><loc>http://example.org/&x;</loc></url></urlset>"
    )
    read = read_items(doc, FeedSource("http://example.org/s.xml"))
    assert all("root:" not in i.url for i in read.items)


def test_items_without_usable_links_are_reported_and_the_rest_kept() -> None:
    doc = (
        b"<rss version='2.0'><channel><title>x</title>"
        b"<item><title>No link</title></item>"
        b"<item><title>Mail</title><link>mailto:desk@example.org</link></item>"
        b"<item><title>Good</title><link>https://example.org/a</link></item>"
        b"<item><title>Again</title><link>https://example.org/a#top</link></item>"
        b"</channel></rss>"
    )
    read = read_items(doc, FeedSource("https://example.org/feed"))
    assert [i.url for i in read.items] == ["https://example.org/a"]
    assert any("'No link': has no link" in p for p in read.problems)
    assert any("not an http(s) URL" in p for p in read.problems)


def test_feeds_file(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        'every = "10m"\n\n[[feed]]\nurl = "https://example.org/rss.xml"\n'
        'outlet = "Example"\n\n[[feed]]\nurl = "https://example.net/sitemap.xml"\nevery = "1h"\n',
        encoding="utf-8",
    )
    feeds = load_feeds(path)
    assert feeds == (
        FeedSource("https://example.org/rss.xml", 600.0, "Example"),
        FeedSource("https://example.net/sitemap.xml", 3600.0, None),
    )
    both = feed_sources(["https://example.org/rss.xml#x", "https://example.com/a"], 300.0, path)
    assert [f.url for f in both][-1] == "https://example.com/a" and len(both) == 3


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('[[feed]]\nurl = "ftp://x/y"\n', "not an http(s) URL"),
        ('[[feed]]\nurl = "https://x/y"\nevery = "often"\n', "feed 1: every"),
        ('[[feed]]\nurl = "https://x/y"\nevery = "5s"\n', "polite minimum"),
        ('[[feed]]\nurl = "https://x/y"\ncolour = "red"\n', "unknown key"),
        ('[[feed]]\nurl = "https://x/y"\n[[feed]]\nurl = "https://x/y#a"\n', "listed twice"),
        ("every = 60\n", "no [[feed]]"),
        ("[[feed]\n", "not valid TOML"),
    ],
)
def test_bad_feeds_files_name_the_field(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(error)) as caught:
        load_feeds(path)
    assert str(path) in str(caught.value)


def test_intervals() -> None:
    assert parse_every("30s", "x") == 30 and parse_every("5m", "x") == 300
    assert parse_every("1.5h", "x") == 5400 and parse_every(120, "x") == 120


def test_normalise_url() -> None:
    assert normalise_url("HTTPS://Example.org/a?b=1#frag") == "https://example.org/a?b=1"
