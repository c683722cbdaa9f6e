"""The Watch page and its JSON twin, on both backends: feeds, rules, alerts, escaping, privacy."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from releasewatch import ledger
from releasewatch.model import Article, ArticleRecord, EventMention
from releasewatch.store import AlertRow, FeedState, open_store
from releasewatch.web import create_app

TOKEN = "watch-token"
HOSTILE = "<script>alert(1)</script>"
EVIDENCE = "Belarus freed Ihar Losik on Sunday, his wife said."


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    """The app over a ledger with a polled feed, two rules and an alert naming a protected
    person."""
    with open_store(db_url) as store:
        art = Article(id="a1", source="https://wire.example/1", text=EVIDENCE, raw=EVIDENCE,
                      url="https://wire.example/1", title="Losik freed")  # fmt: skip
        mention = EventMention("release", "occurred", EVIDENCE, 0, len(EVIDENCE), by=("BLR",),
                               persons=("Ihar Losik",))  # fmt: skip
        store.add(ArticleRecord(art, (mention,)))
        ledger.rebuild(store)
        ledger.set_protected(store, "Ihar Losik", True)
        feed = FeedState("https://wire.example/feed.xml", last_poll=1_760_000_000.0,
                         last_status=500, last_error=f"HTTP 500 {HOSTILE}", failures=1,
                         next_poll=1_760_000_600.0, items_seen=7)  # fmt: skip
        store.save_watch_feed(feed)
        rule = store.add_alert_rule(person="Ihar Losik", webhook="https://hooks.example/s3cret")
        store.add_alert_rule(party="BLR")
        body = {"happening": {"id": "release-blr"}, "mention": {"evidence": EVIDENCE}}
        store.queue_alerts([AlertRow(
            "alert-1", rule.id, "release-blr", "a1", "a1-0", 1_760_000_100.0,
            f"alert: rule 1 (person Ihar Losik): {EVIDENCE} {HOSTILE}", json.dumps(body),
            rule.webhook, 2, 1_760_000_200.0, None, "HTTP 503 Service Unavailable",
        )])  # fmt: skip
    with TestClient(create_app(db_url, token=TOKEN)) as c:
        yield c


def test_the_watch_page_shows_feeds_alerts_and_rules_escaped(client: TestClient) -> None:
    html = client.get("/watch").text
    assert "https://wire.example/feed.xml" in html and "<td>7</td>" in html
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "1 alert(s) waiting for their webhook." in html
    assert "waiting (2 attempt(s): HTTP 503 Service Unavailable)" in html
    assert 'href="/api/watch"' in html and 'href="/watch"' in html  # twin and nav


def test_protected_names_and_webhook_urls_need_the_token(client: TestClient) -> None:
    public = client.get("/api/watch")
    assert public.status_code == 200
    data = public.json()
    assert [r["webhook"] for r in data["rules"]] == [True, False]
    text = public.text + client.get("/watch").text
    assert "Losik" not in text and "s3cret" not in text and "name withheld" in text
    assert data["feeds"][0]["items_seen"] == 7 and data["undelivered"] == 1
    holder = client.get("/api/watch", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert holder["rules"][0]["webhook"] == "https://hooks.example/s3cret"
    assert "Ihar Losik" in holder["rules"][0]["person"] and "Losik" in holder["alerts"][0]["line"]


def test_the_alert_count_is_bounded(client: TestClient) -> None:
    assert client.get("/api/watch", params={"limit": 0}).status_code == 422
    assert len(client.get("/api/watch", params={"limit": 1}).json()["alerts"]) == 1
