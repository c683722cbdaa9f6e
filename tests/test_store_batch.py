"""The store's back-fill operations, on every backend: a batch of articles, off-topic
identities and problems in one transaction, and off-topic identities that a re-ingest skips."""

from __future__ import annotations

from releasewatch.model import Article, ArticleRecord, EventMention
from releasewatch.store import OffTopicRow, ProblemRow, open_store


def record(n: int, body: str | None = None) -> ArticleRecord:
    """A stored-to-be article with one release mention."""
    text = body or f"Belarus freed {n} prisoners on Monday."
    article = Article(id=f"art{n}", source=f"news/{n}.txt", text=text, raw=text, title=f"T{n}")
    mention = EventMention("release", "occurred", text, 0, len(text), by=("BLR",))
    return ArticleRecord(article=article, events=(mention,))


def test_a_batch_is_stored_in_order_and_says_what_was_new(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add_problem("news/2.txt", "cannot read: earlier failure")
        added = store.add_batch(
            [
                record(1),
                OffTopicRow("raw9", "https://example.org/weather", "feed.jsonl:9"),
                record(2),
                record(3, body="Belarus freed 1 prisoners on Monday."),  # record 1's body
                ProblemRow("feed.jsonl:10", "not JSON", ""),
                OffTopicRow("raw9", "https://example.org/weather", "feed.jsonl:9"),
            ]
        )
        assert added == [True, True, True, False, True, False]
        assert [a.id for a in store.articles()] == ["art1", "art2"]
        assert len(store.events()) == 2
        assert store.offtopic() == [
            OffTopicRow("raw9", "https://example.org/weather", "feed.jsonl:9")
        ]
        # the article that now read cleared its old problem; the new one is kept
        assert [(p.source, p.reason) for p in store.problems()] == [("feed.jsonl:10", "not JSON")]
        assert store.is_offtopic("raw9") and not store.is_offtopic("art1")
        assert store.counts().offtopic == 1 and store.counts().articles == 2


def test_an_article_that_cannot_be_stored_leaves_no_part_of_itself(db_url: str) -> None:
    with open_store(db_url) as store:
        broken = record(5)
        object.__setattr__(broken.events[0], "type", None)  # NOT NULL: its mention fails
        added = store.add_batch([record(4), OffTopicRow("raw1", None, "a.txt"), broken, record(6)])
        assert added == [True, True, False, True]
        assert [a.id for a in store.articles()] == ["art4", "art6"]  # no art5 without mentions
        assert len(store.events()) == 2 and len(store.offtopic()) == 1


def test_an_offtopic_identity_is_known_to_a_second_ingest(db_url: str) -> None:
    with open_store(db_url) as store:
        assert store.add_offtopic(OffTopicRow("raw2", "https://example.org/x", "b.txt"))
        assert not store.add_offtopic(OffTopicRow("raw2", "https://example.org/x", "b.txt"))
        store.add(record(7))
        assert not store.add_offtopic(OffTopicRow("art7", None, "news/7.txt"))  # stored in full
