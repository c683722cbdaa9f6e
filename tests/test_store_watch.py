"""The watch's tables (migration 0008) on both backends: feeds, items, the atomic commit, alert
rules and the alert outbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import Databases

from releasewatch.errors import NotFoundError, StoreError
from releasewatch.model import Article, ArticleRecord, EventMention
from releasewatch.store import (
    AlertRow,
    FeedState,
    ItemState,
    LedgerOutbox,
    LedgerWatchState,
    Store,
    open_store,
)
from releasewatch.store.copy import copy_ledger
from releasewatch.watch import MemoryState


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A new empty ledger on each backend."""
    opened = open_store(db_url)
    yield opened
    opened.close()


def record(n: int, text: str | None = None) -> ArticleRecord:
    """A small article of ours with one release."""
    body = text or f"Belarus freed {n + 2} prisoners on Sunday, officials said."
    art = Article(id=f"w-{n}", source=f"https://wire.example/{n}", text=body, raw=body,
                  url=f"https://wire.example/{n}", title=f"Release {n}")  # fmt: skip
    mention = EventMention("release", "occurred", body, 0, len(body), by=("BLR",))
    return ArticleRecord(article=art, events=(mention,))


def alert(n: int, webhook: str | None = "http://hooks.example/x") -> AlertRow:
    """An undelivered alert."""
    return AlertRow(
        f"alert-{n}", 1, f"release-blr-{n}", f"w-{n}", f"w-{n}-0", 1000.0 + n, f"line {n}",
        '{"happening": {"id": "release-blr"}}', webhook, 0, 0.0, None, None,
    )  # fmt: skip


def test_feed_and_item_state_round_trip(store: Store) -> None:
    state = LedgerWatchState(store)
    assert state.feed("https://a.example/feed") == FeedState("https://a.example/feed")
    feed = FeedState("https://a.example/feed", '"e1"', "Mon, 05 May 2025 10:00:00 GMT", 10.5,
                     10.5, 200, None, 0, 310.5, 4)  # fmt: skip
    state.save_feed(feed)
    state.save_feed(feed)  # again: replaced, not doubled
    failed = FeedState(feed.url, None, None, 20.0, 10.5, 503, "HTTP 503", 1, 80.0, 4)
    state.save_feed(failed)
    assert state.feed(feed.url) == failed
    assert store.watch_feeds() == [failed]
    assert state.item("https://a.example/1") is None
    item = ItemState("https://a.example/1", feed.url, "retry", 1, None, "timed out", 11.0)
    state.save_item(item)
    assert state.item(item.url) == item
    state.save_item(ItemState(item.url, feed.url, "failed", 3, None, "HTTP 404", 12.0))
    assert state.item(item.url).outcome == "failed"  # type: ignore[union-attr]
    assert store.watch_item_counts() == {(feed.url, "failed"): 1}


def test_commit_stores_the_article_and_its_item_together(store: Store) -> None:
    state = LedgerWatchState(store)
    item = ItemState("https://wire.example/0", "https://wire.example/feed", "ingested", 1,
                     "w-0", None, 5.0)  # fmt: skip
    assert state.commit(record(0), item, encoding="utf-8")
    assert state.item(item.url) == item and state.is_known("w-0", record(0).article.text)
    # the same body reached through another URL: known, and its item says so
    again = ItemState("https://wire.example/0?utm=x", item.feed, "ingested", 1, "w-0b", None, 6.0)
    copy = record(0)
    moved = ArticleRecord(Article(**{**copy.article.__dict__, "id": "w-0b"}), copy.events)
    assert not state.commit(moved, again, encoding="utf-8")
    assert state.item(again.url) == ItemState(again.url, item.feed, "known", 1, "w-0b", None, 6.0)
    assert [a.id for a in store.articles()] == ["w-0"]


def test_a_failed_commit_leaves_neither_article_nor_item(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = LedgerWatchState(store)
    item = ItemState("https://wire.example/1", "https://wire.example/feed", "ingested", 1)
    original = store._write  # a seam: the item's statement fails after the article's went in

    def failing(sql: str, params: object = ()) -> int:
        if sql.startswith("INSERT INTO watch_items"):
            raise store._db_errors[0]("disk full")
        return original(sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_write", failing)
    with pytest.raises(StoreError, match="disk full"):
        state.commit(record(1), item, encoding="utf-8")
    monkeypatch.undo()
    assert store.articles() == [] and state.item(item.url) is None


def test_memory_and_ledger_state_agree_on_a_known_body(store: Store) -> None:
    memory, ledger = MemoryState(), LedgerWatchState(store)
    item = ItemState("https://wire.example/2", "https://wire.example/feed", "ingested")
    for state in (memory, ledger):
        assert state.commit(record(2), item, encoding="utf-8")
        assert not state.commit(record(2), item, encoding="utf-8")
        assert state.item(item.url).outcome == "known"  # type: ignore[union-attr]


def test_alert_rules_are_added_listed_and_removed(store: Store) -> None:
    first = store.add_alert_rule(person="Maria Kalesnikava", webhook="http://h.example/a")
    second = store.add_alert_rule(party="BLR", event_type="release", status="occurred")
    third = store.add_alert_rule(words="potash")
    assert [r.id for r in store.alert_rules()] == [first.id, second.id, third.id]
    assert first.id < second.id < third.id
    assert store.alert_rules()[1] == second and second.party == "BLR"
    store.remove_alert_rule(second.id)
    assert [r.id for r in store.alert_rules()] == [first.id, third.id]
    with pytest.raises(NotFoundError, match=f"alert rule {second.id}"):
        store.remove_alert_rule(second.id)
    assert store.add_alert_rule(words="swap").id > third.id  # ids are never reused


def test_the_outbox_keeps_alerts_until_delivered(store: Store) -> None:
    assert [a.id for a in store.queue_alerts([alert(1), alert(2), alert(3, webhook=None)])] == [
        "alert-1", "alert-2", "alert-3"
    ]  # fmt: skip
    assert store.queue_alerts([alert(1)]) == []  # once per id
    outbox = LedgerOutbox(store, scrub=lambda body: {**body, "scrubbed": True})
    due = outbox.due(now=2000.0)
    assert [d.id for d in due] == ["alert-1", "alert-2"]  # no webhook: nothing to deliver
    assert due[0].payload == {"happening": {"id": "release-blr"}, "scrubbed": True}
    outbox.failed("alert-1", "HTTP 500", 4, next_try=3000.0)
    outbox.delivered("alert-2", 2001.0, 1)
    assert [d.id for d in outbox.due(now=2500.0)] == []
    retried = outbox.due(now=3000.0)
    assert [(d.id, d.attempts) for d in retried] == [("alert-1", 4)]
    outbox.delivered("alert-1", 3001.0, 5)
    outbox.failed("alert-1", "late failure", 6, next_try=4000.0)  # after delivery: ignored
    assert outbox.due(now=10_000.0) == []
    rows = {a.id: a for a in store.alerts()}
    assert rows["alert-1"].delivered_at == 3001.0 and rows["alert-1"].attempts == 5
    assert rows["alert-1"].last_error is None
    assert [a.id for a in store.alerts(limit=2)] == ["alert-3", "alert-2"]  # newest first
    assert store.undelivered_alerts() == 1  # the one without a webhook, as queued here


def test_copy_moves_the_watch_tables(databases: Databases) -> None:
    source, target = open_store(databases.new("src")), open_store(databases.new("dst"))
    try:
        LedgerWatchState(source).save_feed(FeedState("https://a.example/feed", items_seen=3))
        rule = source.add_alert_rule(party="BLR")
        source.queue_alerts([alert(1)])
        copy_ledger(source, target)
        assert target.watch_feeds() == source.watch_feeds()
        assert target.alert_rules() == [rule] and target.alerts() == source.alerts()
        assert target.add_alert_rule(words="x").id == rule.id + 1  # identity moved past
    finally:
        source.close()
        target.close()
