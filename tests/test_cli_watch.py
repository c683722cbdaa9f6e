"""`releasewatch watch` and `releasewatch alerts` against local servers on 127.0.0.1, with the
real parse and extract stages (the stories are ours: tests/watch_fixtures.py)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result
from http_server import Reply, Request, Server
from watch_fixtures import rss, serve_stories

from releasewatch.cli import cli

FREED = "/news/minsk-frees-14.html"
OTHERS = ["/news/swap-in-abu-dhabi.html", "/news/journalist-detained.html"]


def run(db: str, *args: str) -> Result:
    """Invoke the CLI against the ledger `db`."""
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


@pytest.fixture
def hook(server: Server) -> list[Request]:
    """A webhook receiver on the test server (/hook), answering 204."""
    posts: list[Request] = []

    def receive(request: Request) -> Reply:
        posts.append(request)
        return Reply(204)

    server.routes["/hook"] = receive
    return posts


def test_watch_once_ingests_the_feed_and_delivers_the_alert(
    db_url: str, server: Server, hook: list[Request]
) -> None:
    serve_stories(server)
    server.static("/feed.xml", rss(server, [FREED, *OTHERS]), "application/rss+xml")
    added = run(db_url, "alerts", "add", "--party", "BLR", "--type", "release", "--webhook",
                server.url("/hook"))  # fmt: skip
    assert added.exit_code == 0 and "rule 1: BLR release, POSTed to" in added.output
    result = run(db_url, "watch", "--once", "--allow-private", server.url("/feed.xml"))
    assert result.exit_code == 0, result.output
    assert f"poll {server.url('/feed.xml')}: ok, 3 item(s), 3 ingested" in result.output
    assert "alert: rule 1 (BLR release): release occurred by BLR" in result.output
    assert "delivered (HTTP 204) after 1 attempt(s)" in result.output
    (post,) = hook
    body = json.loads(post.body)
    assert body["source"]["url"] == server.url(FREED)
    assert "Belarus freed 14 political prisoners" in body["mention"]["evidence"]
    assert body["happening"]["type"] == "release" and "BLR" in body["happening"]["by"]
    events = json.loads(run(db_url, "timeline", "--format", "json").output)
    assert body["happening"]["id"] in {e["id"] for e in events}  # the happening is in the ledger
    status = run(db_url, "watch", "--status", "--format", "json")
    data = json.loads(status.output)
    assert data["feeds"][0]["items_seen"] == 3 and data["undelivered"] == 0
    assert data["rules"][0]["webhook"] == server.url("/hook")  # the operator sees it
    listed = run(db_url, "alerts", "list")
    assert "BLR" in listed.output and "0 alert(s) waiting" in listed.output
    again = run(db_url, "watch", "--once", "--allow-private", server.url("/feed.xml"))
    assert again.exit_code == 0 and "alert:" not in again.output and len(hook) == 1


def test_watch_once_exits_non_zero_when_an_item_failed(db_url: str, server: Server) -> None:
    serve_stories(server)
    feed = rss(server, [FREED]).replace(
        b"</channel>",
        f"<item><title>Gone</title><link>{server.url('/news/gone.html')}</link></item>"
        "</channel>".encode(),
    )
    server.static("/feed.xml", feed, "application/rss+xml")
    result = run(db_url, "watch", "--once", "--allow-private", server.url("/feed.xml"))
    assert result.exit_code == 1
    assert "1 ingested, 1 failed" in result.output and "HTTP 404" in result.output


def test_private_addresses_are_refused_without_allow_private(db_url: str, server: Server) -> None:
    serve_stories(server)
    server.static("/feed.xml", rss(server, [FREED]), "application/rss+xml")
    result = run(db_url, "watch", "--once", server.url("/feed.xml"))
    assert result.exit_code == 1 and "127.0.0.1" in result.output
    assert server.log == []  # refused before connecting


def test_alert_rules_are_checked_listed_and_removed(db_url: str) -> None:
    assert run(db_url, "alerts", "add", "--text", "potash").exit_code == 0
    person = run(db_url, "alerts", "add", "--person", "Maria Kalesnikava")
    assert person.output.strip() == "rule 2: person Maria Kalesnikava (log only)"
    bad = run(db_url, "alerts", "add", "--party", "Belarus!")
    assert bad.exit_code == 2 and "party" in bad.output
    none = run(db_url, "alerts", "add", "--webhook", "https://hooks.example/x")
    assert none.exit_code == 2 and "at least one of" in none.output
    scheme = run(db_url, "alerts", "add", "--text", "x", "--webhook", "file:///etc/passwd")
    assert scheme.exit_code == 2 and "not an http(s) URL" in scheme.output
    rules = json.loads(run(db_url, "alerts", "list", "--format", "json").output)["rules"]
    assert [(r["id"], r["text"], r["person"]) for r in rules] == [
        (1, "potash", None), (2, None, "Maria Kalesnikava")
    ]  # fmt: skip
    assert run(db_url, "alerts", "remove", "1").output.strip() == "rule 1 removed"
    missing = run(db_url, "alerts", "remove", "1")
    assert missing.exit_code == 2 and "no such rule" in missing.output


def test_watch_needs_a_feed_and_a_polite_interval(db_url: str) -> None:
    assert run(db_url, "watch").exit_code == 2
    fast = run(db_url, "watch", "--every", "5s", "http://news.example/rss")
    assert fast.exit_code == 2 and "polite minimum" in fast.output
    assert run(db_url, "watch", "ftp://news.example/rss").exit_code == 2


@pytest.mark.parametrize("command", ["watch", "alerts"])
def test_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output
    assert f"releasewatch {command}" in result.output
