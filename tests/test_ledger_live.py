"""The stored ledger updated one article at a time equals a full rebuild, on both backends.

Articles are generated from small pools (so reports merge, conflict, rename persons and make
deals), each stored and then taken by `LiveLedger.update`; the derived tables are then
compared row for row with what `ledger.rebuild` writes for the same stored articles.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from releasewatch import ledger
from releasewatch.ledger.live import LiveLedger
from releasewatch.model import Article, ArticleRecord, Count, EventMention
from releasewatch.store import EventQuery, Store, open_store
from releasewatch.store.schema import LEDGER_TABLES, PARTY_ORDER

TYPES = ("release", "exchange", "detention", "talks", "sanctions_eased")
PARTIES = ("BLR", "RUS", "USA", "LTU")
NAMES = (
    "Maria Kalesnikava", "Maryja Kalesnikava", "Maria Kolesnikova", "Kolesnikova",
    "Ales Bialiatski", "Bialiatski", "Ales Byalyatski", "Viktar Babaryka", "Babaryka",
    "Ihar Losik",
)  # fmt: skip
SENTENCES = (
    "Belarus freed the prisoners on Sunday.",
    "They were freed in exchange for the easing of sanctions.",
    "The men were released as part of the deal, officials said.",
    "Officials discussed a possible release of the detainees.",
    "Police detained a reporter in Minsk.",
)
DAYS = tuple(f"2025-05-{d:02d}" for d in range(1, 9))


def article(rng: random.Random, n: int) -> ArticleRecord:
    """One generated article of ours with one to three reports, some of them not political
    (drawn apart from `rng`, so that the articles are those the seeds always gave)."""
    sentences = rng.sample(SENTENCES, rng.randint(1, 3))
    text = "\n\n".join(f"{s} Report {n}." for s in sentences)
    events = []
    for i, sentence in enumerate(sentences):
        start = text.index(sentence)
        events.append(
            EventMention(
                type=rng.choice(TYPES),
                status=rng.choice(("occurred", "agreed", "discussed")),
                evidence=sentence,
                start=start,
                end=start + len(sentence),
                by=tuple(rng.sample(PARTIES, rng.randint(0, 2))),
                to=tuple(rng.sample(PARTIES, rng.randint(0, 1))),
                count=rng.choice((None, Count(14), Count(16, "over"), Count(5))),
                persons=tuple(rng.sample(NAMES, rng.randint(0, 2))),
                sector=rng.choice((None, "potash")),
                date=rng.choice((None, *DAYS, "2025-05")),
                political=random.Random(n * 10 + i).random() < 0.6,
            )
        )
    published = rng.choice((None, *DAYS))
    art = Article(
        id=f"live-{n:03d}", source=f"https://news.example/{n}", text=text, raw=text,
        url=f"https://news.example/{n}", title=f"Report {n} on prisoners",
        published=published, outlet=f"Outlet {n % 3}",
    )  # fmt: skip
    return ArticleRecord(article=art, events=tuple(events))


def tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every derived ledger table (the party order the store derives, 0014, and
    the protected persons' meta row, 0013, included)."""
    rows = {table: list(store.table_rows(table)) for table, _, _ in LEDGER_TABLES}
    rows[PARTY_ORDER] = list(store.table_rows(PARTY_ORDER))
    rows["protected"] = [(store.ledger_meta("protected"),)]
    return rows


def assert_a_rebuild_changes_nothing(store: Store) -> None:
    """The stored (incrementally written) ledger is row for row what a rebuild writes."""
    incremental, counts = tables(store), summary_counts(store)
    fingerprint = store.ledger_meta("fingerprint")
    ledger.rebuild(store)
    assert tables(store) == incremental
    assert summary_counts(store) == counts
    assert store.ledger_meta("fingerprint") == fingerprint


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A new empty ledger on each backend."""
    opened = open_store(db_url)
    yield opened
    opened.close()


def summary_counts(store: Store) -> dict[str, Any]:
    """The ledger summary without its build time."""
    summary = dict(ledger.status(store) or {})
    summary.pop("built_at", None)
    return summary


def test_article_by_article_updates_equal_a_rebuild(store: Store) -> None:
    rng = random.Random(8)
    live = LiveLedger()
    for n in range(40):
        record = article(rng, n)
        assert store.add(record)
        update = live.update(store, hint=[record.article.id])
        assert update.articles == (record.article.id,)
        assert {r.key for t in update.touched for r in t.refs} == {
            (record.article.id, i) for i in range(len(record.events))
        }
        if n in (5, 23):  # compare midway too
            assert_a_rebuild_changes_nothing(store)
    assert not update.full  # the last updates wrote only what changed
    assert_a_rebuild_changes_nothing(store)


def test_add_stores_articles_and_updates_the_ledger_with_them(store: Store) -> None:
    rng = random.Random(21)
    records = [article(rng, n) for n in range(30)]
    live = LiveLedger()
    first = live.add(store, records[:10])
    assert first.articles == tuple(r.article.id for r in records[:10])
    assert ledger.status(store)["articles"] == len({r.article.id for r in records[:10]})
    store.add(records[10])  # another process's article, stored without a ledger update
    again = live.add(store, [records[3], records[11]])  # one known, one new
    assert again.articles == ("live-010", "live-011")
    for record in records[12:]:
        update = live.add(store, [record])
        assert update.articles == (record.article.id,)
    assert not update.full  # one article at a time writes only what changed
    assert live.add(store, records[:5]).articles == ()  # all known: nothing taken
    assert_a_rebuild_changes_nothing(store)


def test_decisions_and_protections_made_meanwhile_are_applied(store: Store) -> None:
    rng = random.Random(3)
    live = LiveLedger()
    for n in range(12):
        store.add(article(rng, n))
        live.update(store)
    persons = ledger.list_persons(store, include_protected=True, limit=50)["items"]
    assert len(persons) >= 3
    # another process records a merge and a protection (and rebuilds)
    ledger.merge_persons(store, persons[0]["name"], persons[1]["name"])
    ledger.set_protected(store, persons[0]["name"], True)
    store.add(article(rng, 99))
    assert live.update(store).articles == ("live-099",)
    assert_a_rebuild_changes_nothing(store)
    # a protection recorded without a rebuild is applied by the next update, in full
    store.set_flags([persons[2]["name"].casefold()], True)
    store.add(article(rng, 100))
    assert live.update(store).full
    assert_a_rebuild_changes_nothing(store)


def test_articles_another_process_added_are_caught_up(store: Store) -> None:
    rng = random.Random(5)
    for n in range(6):
        store.add(article(rng, n))
    ledger.rebuild(store)  # a one-shot ingest, before the watch starts
    store.add(article(rng, 6))  # stored, but the ingest died before its rebuild
    live = LiveLedger()
    first = live.update(store)
    assert first.articles == ("live-006",) and not first.full
    store.add(article(rng, 7))
    store.add(article(rng, 8))  # a second writer's article, no hint for it
    second = live.update(store, hint=["live-007"])
    assert second.articles == ("live-007", "live-008")
    assert live.update(store).articles == ()  # nothing new: nothing written
    assert_a_rebuild_changes_nothing(store)


def test_readers_see_the_ledger_before_or_after_an_update(db_url: str) -> None:
    rng = random.Random(11)
    writer = open_store(db_url)
    reader = open_store(db_url)
    live = LiveLedger()
    seen: list[tuple[int, int, int]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                with reader.snapshot():
                    status = ledger.status(reader)
                    if status is None:
                        continue
                    events = reader.ledger_events(EventQuery())
                    members = reader.mention_events()
                seen.append((status["mentions"], len(members), sum(e.n_mentions for e in events)))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for n in range(25):
            writer.add(article(rng, n))
            live.update(writer)
    finally:
        done.set()
        thread.join(30)
        writer.close()
        reader.close()
    assert not errors
    assert seen and all(a == b == c for a, b, c in seen)  # never half an update


@pytest.mark.parametrize("seed", [1, 2])
def test_an_update_that_fails_is_redone_whole(store: Store, seed: int) -> None:
    rng = random.Random(seed)
    live = LiveLedger()
    for n in range(5):
        store.add(article(rng, n))
        live.update(store)
    store.add(article(rng, 5))

    def boom(_store: Store, _update: object) -> None:
        raise RuntimeError("alert writer failed")

    with pytest.raises(RuntimeError):
        live.update(store, boom)  # the ledger rows roll back with it
    assert live.update(store).articles == ("live-005",)  # taken again: its alerts not lost
    assert_a_rebuild_changes_nothing(store)


def _walk(store: Store, **filters: Any) -> list[str]:
    """The ids of every page of the event list, three at a time, by their cursors."""
    ids: list[str] = []
    cursor = None
    while True:
        page = ledger.events_page(store, **filters, cursor=cursor, limit=3).to_dict()
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids


def test_a_party_filter_walks_the_events_of_the_party_in_list_order(store: Store) -> None:
    rng = random.Random(3)
    live = LiveLedger()
    for n in range(30):  # written article by article: the party order is patched each time
        record = article(rng, n)
        store.add(record)
        live.update(store, hint=[record.article.id])
    everything = ledger.events_page(store, political=None, limit=500).to_dict()["items"]
    assert len(everything) > 20
    parties = {e["id"]: {*e["by"], *e["to"]} for e in everything}
    kinds = sorted({e["type"] for e in everything})
    # the party order's own filters (read from its rows alone), and others (read with a join)
    others: list[dict[str, Any]] = [
        {}, {"since": "2025-05-03", "until": "2025-05-06"}, {"type": kinds[0]},
        {"type": kinds[-1], "status": "occurred"}, {"status": "occurred", "since": "2025-05-04"},
        {"q": "detained"}, {"q": "released", "type": kinds[0]}, {"has_conflict": False},
    ]  # fmt: skip
    for party in PARTIES:
        for scope in (True, False, None):
            for other in others:
                every = _walk(store, political=scope, **other)
                wanted = [i for i in every if party in parties[i]]
                asked = {"party": party, "political": scope, **other}
                assert _walk(store, **asked) == wanted, asked
    assert any(_walk(store, party=p) for p in PARTIES)
    assert any(_walk(store, party=p, type=kinds[0], status="occurred") for p in PARTIES)
