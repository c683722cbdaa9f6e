"""What must hold on both backends together: identical exports, copies, concurrent writers,
and rebuilds that readers see whole or not at all."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import NO_PG, Databases
from test_ledger import fill, news

from releasewatch import ledger, pipeline
from releasewatch.cli import cli
from releasewatch.errors import InputError
from releasewatch.model import Article, ArticleRecord, EventMention
from releasewatch.pipeline import ingest_paths
from releasewatch.store import EventQuery, open_store
from releasewatch.store.copy import copy_ledger


def _export(db: str) -> str:
    """`releasewatch export --format json` of a ledger."""
    result = CliRunner().invoke(cli, ["--db", db, "export", "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def both(tmp_path: Path, pg_server: str | None) -> tuple[Databases, Databases]:
    """New ledgers on SQLite and on PostgreSQL (skipped without a server)."""
    if pg_server is None:
        pytest.skip(NO_PG)
    sqlite, postgres = (
        Databases("sqlite", tmp_path, None),
        Databases("postgresql", tmp_path, pg_server),
    )
    yield sqlite, postgres
    postgres.drop()


def test_the_dev_corpus_exports_identically_from_both_backends(
    dev_corpus: Path, both: tuple[Databases, Databases], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest ../shared/corpus/dev into SQLite and into PostgreSQL: the same JSON export."""
    read: dict[str, Any] = {}  # parse and extract run once per article, for both ingests
    parse, extract_many = pipeline.parse, pipeline.extract_many

    def extract_once(articles: Sequence[Article]) -> list[tuple[EventMention, ...]]:
        new = [a for a in articles if ("x", a.id) not in read]
        read.update({("x", a.id): events for a, events in zip(new, extract_many(new), strict=True)})
        return [read["x", a.id] for a in articles]

    monkeypatch.setattr(pipeline, "parse", lambda doc: read.setdefault(doc.source, parse(doc)))
    monkeypatch.setattr(pipeline, "extract_many", extract_once)
    urls = [dbs.new("dev") for dbs in both]
    for url in urls:
        with open_store(url) as store:
            report = ingest_paths([dev_corpus], store)
        # the 23 articles less the 3 negatives the prefilter sets aside (album, currency, film)
        assert report.articles_new == 20 and report.ledger is not None
    sqlite, postgres = (_export(url) for url in urls)
    assert len(json.loads(sqlite)) > 10
    assert sqlite == postgres


@pytest.mark.parametrize("direction", ["sqlite-to-postgresql", "postgresql-to-sqlite"])
def test_copy_moves_everything_including_the_persons_decisions(
    both: tuple[Databases, Databases], direction: str, tmp_path: Path
) -> None:
    source_dbs, target_dbs = both if direction.startswith("sqlite") else both[::-1]
    source, target = source_dbs.new("from"), target_dbs.new("to")
    with open_store(source) as store:
        fill(store, news())
        ledger.merge_persons(store, "Ales Bialiatski", "Maria Kolesnikova")
        ledger.split_person(store, "Maryja Kalesnikava")
        ledger.set_protected(store, "Ales Bialiatski", True)
        store.add_problem("news/broken.txt", "not UTF-8")
    result = CliRunner().invoke(cli, ["copy", "--from", source, "--to", target])
    assert result.exit_code == 0, result.output
    assert "differs" not in result.output
    assert _export(target) == _export(source)
    with open_store(source) as a, open_store(target) as b:
        assert a.decisions() == b.decisions() and a.flags() == b.flags()
        assert a.counts() == b.counts()
        # the copy is a working ledger: a later decision gets a fresh id, and rebuilds agree
        ledger.split_person(a, "Maria Kolesnikova", include_protected=True)
        ledger.split_person(b, "Maria Kolesnikova", include_protected=True)
        assert [d.id for d in a.decisions()] == [d.id for d in b.decisions()]
        assert ledger.list_persons(a, include_protected=True) == ledger.list_persons(
            b, include_protected=True
        )
    again = CliRunner().invoke(cli, ["copy", "--from", source, "--to", target])
    assert again.exit_code == 2 and "empty ledger" in again.output


def test_copy_refuses_a_target_that_holds_anything(databases: Databases) -> None:
    source, target = databases.new("from"), databases.new("to")
    with open_store(source) as a, open_store(target) as b:
        fill(a, news()[:1])
        b.add_problem("x", "y")
        with pytest.raises(InputError, match="1 problems"):
            copy_ledger(a, b)


def _article(i: int) -> ArticleRecord:
    """A short article of ours with one release."""
    evidence = f"Belarus freed {i + 2} political prisoners on day {i}."
    text = f"Report {i}.\n\n{evidence}"
    article = Article(
        id=f"c{i:04d}", source=f"concurrent/{i}.txt", text=text, raw=text, title=f"Report {i}",
        published=f"2031-01-{i % 28 + 1:02d}", outlet="Wire",
    )  # fmt: skip
    start = text.index(evidence)
    event = EventMention(
        type="release", status="occurred", evidence=evidence, start=start,
        end=start + len(evidence), by=("BLR",), date=f"2031-01-{i % 28 + 1:02d}",
    )  # fmt: skip
    return ArticleRecord(article=article, events=(event,))


def _threads(*targets: Callable[[], None]) -> list[BaseException]:
    """Run the targets at once; the exceptions they raised."""
    errors: list[BaseException] = []

    def guarded(target: Callable[[], None]) -> None:
        try:
            target()
        except BaseException as exc:  # reported to the test
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung (deadlock?)"
    return errors


def test_two_ingests_at_once_store_each_article_once(db_url: str) -> None:
    records = [_article(i) for i in range(30)]
    added: list[int] = []

    def ingest(order: list[ArticleRecord]) -> None:
        with open_store(db_url) as store:
            n = sum(store.add(r) for r in order)
            ledger.rebuild(store)
            added.append(n)

    errors = _threads(lambda: ingest(records), lambda: ingest(records[::-1]))
    assert errors == []
    assert sum(added) == 30  # every article stored by exactly one of the two
    with open_store(db_url) as store:
        assert store.counts().articles == 30 and store.counts().mentions == 30
        assert ledger.rebuild(store)["mentions"] == 30


def test_readers_see_the_old_ledger_or_the_new_never_half(db_url: str) -> None:
    with open_store(db_url) as store:
        for i in range(10):
            store.add(_article(i))
        ledger.rebuild(store)
    seen: set[tuple[int, int, int]] = set()
    done = threading.Event()

    def read() -> None:
        with open_store(db_url) as store:
            while not done.is_set():
                with store.snapshot():
                    counts = store.counts()
                    events = store.ledger_events(EventQuery())
                    members = len(store.mention_events())
                seen.add((counts.ledger_events, len(events), members))

    def write() -> None:
        try:
            with open_store(db_url) as store:
                for i in range(10, 40):
                    store.add(_article(i))
                    ledger.rebuild(store)
        finally:
            done.set()

    assert _threads(read, write) == []
    # Each snapshot saw one whole ledger: as many events in the table as listed, and one member
    # per stored mention of that ledger (the releases are all distinct happenings here).
    assert seen and all(a == b for a, b, _ in seen)
    assert all(m >= 10 for _, _, m in seen)


def test_the_ledger_version_moves_with_every_rebuild(db_url: str) -> None:
    with open_store(db_url) as store, open_store(db_url) as other:
        assert store.ledger_version() is None
        store.add(_article(0))
        ledger.rebuild(store)
        first = other.ledger_version()
        assert first is not None and other.ledger_version() == first
        ledger.rebuild(store)
        assert other.ledger_version() not in (None, first)
