"""The ledger store: migrations, idempotent ingest, per-article commits, queries."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from releasewatch import pipeline
from releasewatch.errors import NotFoundError, StoreError
from releasewatch.model import Article, ArticleRecord, Count, EventMention
from releasewatch.pipeline import ingest_paths
from releasewatch.store import (
    Migration,
    PostgresStore,
    SQLiteStore,
    Store,
    load_migrations,
    locate_paragraph,
    open_store,
    resolve_db,
)
from releasewatch.store.schema import COPY_TABLES

BUNDLED = Path(__file__).resolve().parents[1] / "src" / "releasewatch" / "store" / "migrations"
INITIAL = "0001_initial.sqlite.sql"
TEXT = (
    "Minsk freed 31 people on Saturday.\n\n"
    "The talks went on. Belarus released over 100 political prisoners, officials said. "
    "More may follow.\n\nTags: Belarus"
)


def _record(
    aid: str = "a1", text: str = TEXT, published: str | None = "2025-11-26"
) -> ArticleRecord:
    """An article with two events: an exact release dated by its own date and one undated."""
    first = "Minsk freed 31 people on Saturday."
    second = "Belarus released over 100 political prisoners, officials said."
    events = ()
    if first in text:
        s2 = text.index(second)
        events = (
            EventMention(
                type="release", status="occurred", evidence=first, start=0, end=len(first),
                by=("BLR",), to=("UKR", "LTU"), count=Count(31), date="2025-11-22",
                persons=("Ales Bialiatski", "Maria Kalesnikava"), attribution="Reuters",
                confidence=0.8,
            ),
            EventMention(
                type="release", status="discussed", evidence=second, start=s2,
                end=s2 + len(second), by=("BLR",), count=Count(100, "over"), background=True,
            ),
        )  # fmt: skip
    article = Article(
        id=aid, source=f"/news/{aid}.txt", text=text, raw="RAW " + text, title=f"Title {aid}",
        published=published, outlet="UNN", cited_sources=("Reuters",), tags=("Belarus",),
        problems=("no dateline found",),
    )  # fmt: skip
    return ArticleRecord(article=article, events=events)


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted, for before/after comparisons."""
    with sqlite3.connect(db) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }


def store_dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a copy moves, on any backend, for before/after comparisons."""
    with open_store(url) as store:
        return {table: list(store.table_rows(table)) for table, _ in COPY_TABLES}


def test_migrations_apply_once_and_are_recorded(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    expected = [(m.version, m.name) for m in load_migrations(dialect="sqlite")]
    with SQLiteStore(db) as store:
        assert store.applied_migrations() == expected
        assert expected[0] == (1, "initial")
    before = dump(db)
    with SQLiteStore(db) as store:  # re-opening must not re-run (or re-record) anything
        assert store.applied_migrations() == expected
    assert dump(db) == before
    assert {"articles", "event_mentions", "mention_parties", "mention_persons"} <= set(before)
    assert {"ingest_problems", "schema_migrations"} <= set(before)


def test_ledger_uses_wal(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    SQLiteStore(db).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_older_ledger_is_upgraded_in_place(tmp_path: Path) -> None:
    old_dir, new_dir = tmp_path / "v1", tmp_path / "v2"
    old_dir.mkdir()
    shutil.copy(BUNDLED / INITIAL, old_dir)
    # with the columns today's add() writes that the first schema lacked (0006, and the
    # reports' `political` of 0009, without the ledger's that the bundled 0009 adds too)
    shutil.copy(BUNDLED / "0006_article_encoding.sqlite.sql", old_dir)
    (old_dir / "0009_political.sql").write_text(
        "ALTER TABLE event_mentions ADD COLUMN political INTEGER NOT NULL DEFAULT 1;\n"
    )
    shutil.copytree(old_dir, new_dir)
    (new_dir / "0002_article_notes.sql").write_text(
        "-- a later version adds a column\nALTER TABLE articles ADD COLUMN note TEXT;\n"
        "CREATE INDEX articles_published ON articles (published);\n"
    )
    db = tmp_path / "ledger.sqlite"
    with SQLiteStore(db, migrations=load_migrations(old_dir)) as store:
        assert store.add(_record())
    with SQLiteStore(db, migrations=load_migrations(new_dir)) as store:
        assert store.applied_migrations() == [
            (1, "initial"),
            (2, "article_notes"),
            (6, "article_encoding"),
            (9, "political"),
        ]
        assert [a.id for a in store.articles()] == ["a1"]  # data kept, not recreated
        assert len(store.events()) == 2
    with sqlite3.connect(db) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(articles)")]
    assert "note" in columns


def test_ledger_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    new_dir = tmp_path / "v2"
    new_dir.mkdir()
    shutil.copy(BUNDLED / INITIAL, new_dir)
    (new_dir / "0002_future.sql").write_text("CREATE TABLE future (x INTEGER);\n")
    db = tmp_path / "ledger.sqlite"
    SQLiteStore(db, migrations=load_migrations(new_dir)).close()
    with pytest.raises(StoreError, match="0002_future"):
        SQLiteStore(db)


def test_failing_migration_rolls_back_and_names_itself(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(BUNDLED / INITIAL, bad)
    (bad / "0002_broken.sql").write_text(
        "CREATE TABLE half (x INTEGER);\nALTER TABLE no_such_table ADD COLUMN y TEXT;\n"
    )
    db = tmp_path / "ledger.sqlite"
    with pytest.raises(StoreError, match="0002_broken"):
        SQLiteStore(db, migrations=load_migrations(bad))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version FROM schema_migrations").fetchall() == [(1,)]
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half" not in names


def test_statements_keep_trigger_bodies_and_literals_whole() -> None:
    sql = (
        "-- a comment; with a semicolon\n"
        "CREATE TABLE t (x TEXT);\n\n"
        "CREATE TRIGGER t_copy AFTER INSERT ON t BEGIN\n"
        "    INSERT INTO t (x) SELECT 'a;b' WHERE new.x = 'c';\n"
        "    DELETE FROM t WHERE x = 'never';\n"
        "END;\n"
        "INSERT INTO t (x) VALUES ('last; no terminator')\n"
        "-- trailing comment\n"
    )
    statements = Migration(9, "t", sql).statements()
    assert len(statements) == 3
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    assert statements[2] == "INSERT INTO t (x) VALUES ('last; no terminator')"
    conn = sqlite3.connect(":memory:")
    for statement in statements:
        conn.execute(statement)
    conn.execute("INSERT INTO t (x) VALUES ('c')")
    assert sorted(r[0] for r in conn.execute("SELECT x FROM t")) == [
        "a;b",
        "c",
        "last; no terminator",
    ]


def _opened(db_url: str, migrations: Sequence[Migration]) -> Store:
    """The ledger at `db_url` opened (and migrated) with these migrations."""
    if db_url.startswith("postgresql://"):
        return PostgresStore(db_url, migrations=migrations)
    return SQLiteStore(db_url, migrations=migrations)


def test_a_missing_migration_is_applied_though_a_later_one_is(db_url: str) -> None:
    """Branches number their migrations apart (0010 on one, 0011 on another): a ledger made by
    code that lacks one of them but has a later one gets the missing one when a releasewatch
    holding both opens it, and code without it refuses that ledger."""
    dialect = "postgresql" if db_url.startswith("postgresql://") else "sqlite"
    shipped = load_migrations(dialect=dialect)
    assert [m.version for m in shipped] == sorted({m.version for m in shipped})
    last = max(m.version for m in shipped)
    # two branches' steps after the shipped ones, neither needing the other
    skipped = Migration(last + 1, "branch_a", "CREATE TABLE branch_a (x INTEGER);\n")
    later = last + 2
    bundled = [
        *shipped,
        skipped,
        Migration(later, "branch_b", "CREATE TABLE branch_b (x INTEGER);\n"),
    ]
    without = [m for m in bundled if m is not skipped]
    with _opened(db_url, without) as store:
        assert store.add(_record())
        assert (skipped.version, skipped.name) not in store.applied_migrations()
    with _opened(db_url, bundled) as store:
        applied = store.applied_migrations()
        assert (skipped.version, skipped.name) in applied and applied[-1][0] == later
        assert [v for v, _ in applied] == [m.version for m in bundled]
        assert [a.id for a in store.articles()] == ["a1"]  # kept, not recreated
    with pytest.raises(StoreError, match=f"{skipped.version:04d}_{skipped.name}"):
        _opened(db_url, without)  # code without it refuses the ledger


def test_unterminated_statement_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="0009_t"):
        Migration(9, "t", "CREATE TRIGGER x AFTER INSERT ON t BEGIN\n  SELECT 1;\n").statements()


def _found(store: Any, *words: str) -> list[str]:
    """The ids of the articles a search for `words` finds."""
    return [h.article_id for h in store.search_articles(list(words), offset=0, limit=10)]


def test_articles_are_searchable_from_any_writer(db_url: str) -> None:
    with open_store(db_url) as store:
        assert store.add(_record())
        store.add(_record("a2", "Potash exporter fined.\n\nNothing more."))
        assert _found(store, "potash") == ["a2"]
        assert _found(store, "POTASH", "fined") == ["a2"]  # every word, any case
        assert _found(store, "potash", "Minsk") == []
        hit = store.search_articles(["exporter"], offset=0, limit=10)[0]
        assert "\x01exporter\x02" in hit.snippet and hit.title == "Title a2"
    # Another program's writes are indexed too: the index is kept by the database itself.
    if db_url.startswith("postgresql"):
        import psycopg

        conn: Any = psycopg.connect(db_url, autocommit=True)
    else:
        conn = sqlite3.connect(db_url, isolation_level=None)
    with conn:
        conn.execute("UPDATE articles SET title = 'Potash news' WHERE id = 'a1'")
        for table in ("mention_persons", "mention_parties"):
            conn.execute(f"DELETE FROM {table} WHERE mention_id LIKE 'a2-%'")
        conn.execute("DELETE FROM event_mentions WHERE article_id = 'a2'")
        conn.execute("DELETE FROM articles WHERE id = 'a2'")
    with open_store(db_url) as store:
        assert _found(store, "potash") == ["a1"]


def test_opening_a_migrated_ledger_takes_no_write_lock(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    SQLiteStore(db).close()
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an ingest or a rebuild holding the write lock
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(
                "releasewatch.store.sqlite.BUSY_TIMEOUT_MS", 0
            )  # would fail at once if it waited
            with SQLiteStore(db) as reader:
                assert reader.articles() == []
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_new_migration_applied_to_a_ledger_in_use(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    SQLiteStore(db, migrations=load_migrations(dialect="sqlite")[:1]).close()
    with SQLiteStore(db) as store:
        want = [m.version for m in load_migrations(dialect="sqlite")]
        assert [v for v, _ in store.applied_migrations()] == want


def test_add_is_idempotent_by_identity_and_by_body(db_url: str) -> None:
    with open_store(db_url) as store:
        assert store.add(_record("a1")) is True
        assert store.add(_record("a1")) is False
        # the same clean body reached through another URL (another identity) is skipped too
        assert store.add(_record("a2")) is False
        assert store.add(_record("a3", text="A different body entirely.")) is True
        assert [a.id for a in store.articles()] == ["a1", "a3"]


def test_event_rows_carry_parties_persons_and_article(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add(_record())
        rows = store.events()  # ordered by date: the undated one (article of 2025-11-26) last
    assert [r.id for r in rows] == ["a1-0", "a1-1"]
    first = rows[0]
    assert first.id == "a1-0"
    assert first.by == ("BLR",) and first.to == ("UKR", "LTU")
    assert first.persons == ("Ales Bialiatski", "Maria Kalesnikava")
    assert first.count == Count(31, "exact")
    assert first.date == "2025-11-22" and first.attribution == "Reuters"
    assert first.confidence == pytest.approx(0.8)
    assert first.article_title == "Title a1" and first.article_outlet == "UNN"
    assert first.to_dict()["count"] == {"value": 31, "qualifier": "exact"}


def test_event_filters(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add(_record())
        ids = lambda **kw: [e.id for e in store.events(**kw)]  # noqa: E731
        assert ids(status="discussed") == ["a1-1"]
        assert ids(party="UKR") == ["a1-0"]  # a "to" party counts
        assert ids(party="USA") == []
        assert ids(type="detention") == []
        assert ids(since="2025-11-23") == ["a1-1"]  # the undated one falls back to 2025-11-26
        assert ids(until="2025-11-22") == ["a1-0"]
        assert ids(since="2025-11") == ["a1-0", "a1-1"]  # partial dates overlap the month
        assert ids(until="2025") == ["a1-0", "a1-1"]
        assert ids(limit=1) == ["a1-0"]


def test_event_detail_locates_the_evidence_paragraph(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add(_record())
        detail = store.event("a1-1")
        with pytest.raises(NotFoundError, match="nope"):
            store.event("nope")
    assert detail.paragraph == (
        "The talks went on. Belarus released over 100 political prisoners, officials said. "
        "More may follow."
    )
    start, end = detail.span
    assert detail.paragraph[start:end] == detail.event.evidence
    assert detail.article.problems == ("no dateline found",)


def test_locate_paragraph_falls_back_to_search_when_offsets_are_off() -> None:
    paragraph, span = locate_paragraph("One.\n\nTwo three.", "Two three.", -1, -1)
    assert paragraph == "Two three." and span == (0, 10)
    assert locate_paragraph("One.", "Absent.", 0, 7) == (None, None)


def test_problems_recorded_once_and_cleared_when_the_source_succeeds(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add_problem("/news/a1.txt", "empty file")
        store.add_problem("/news/a1.txt", "empty file")
        store.add_problem("/news/b.txt", "binary file")
        assert [(p.source, p.reason) for p in store.problems()] == [
            ("/news/a1.txt", "empty file"),
            ("/news/b.txt", "binary file"),
        ]
        store.add(_record("a1"))  # its source is /news/a1.txt
        assert [p.source for p in store.problems()] == ["/news/b.txt"]


def test_db_path_from_argument_env_or_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RELEASEWATCH_DB", raising=False)
    assert resolve_db(None) == "releasewatch.sqlite"
    monkeypatch.setenv("RELEASEWATCH_DB", str(tmp_path / "env.sqlite"))
    assert resolve_db(None) == str(tmp_path / "env.sqlite")
    assert resolve_db(tmp_path / "arg.sqlite") == str(tmp_path / "arg.sqlite")
    open_store().close()  # created on first use, in a folder made for it
    assert (tmp_path / "env.sqlite").is_file()
    open_store(tmp_path / "deep" / "er" / "x.sqlite").close()
    assert (tmp_path / "deep" / "er" / "x.sqlite").is_file()
    open_store(f"sqlite://{tmp_path}/url.sqlite").close()
    assert (tmp_path / "url.sqlite").is_file()


def test_unopenable_ledger_is_a_store_error(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.sqlite"
    not_a_db.write_bytes(b"this is not a database at all, just some text" * 100)
    with pytest.raises(StoreError, match=r"notes\.sqlite"):
        SQLiteStore(not_a_db)


@pytest.mark.usefixtures("stub_stages")
def test_reingesting_a_folder_leaves_the_ledger_unchanged(
    db_url: str, write_articles: Callable[..., Path]
) -> None:
    folder = write_articles(4)
    (folder / "empty.txt").write_bytes(b"")  # a problem, recorded once
    with open_store(db_url) as store:
        first = ingest_paths([folder], store)
    assert (first.articles_new, first.articles_known, len(first.problems)) == (4, 0, 1)
    before = store_dump(db_url)
    with open_store(db_url) as store:
        second = ingest_paths([folder], store)
    assert (second.articles_new, second.articles_known, second.events) == (0, 4, 0)
    assert store_dump(db_url) == before
    assert len(before["articles"]) == 4 and len(before["event_mentions"]) == 4


def test_crash_mid_ingest_keeps_what_was_committed(
    db_url: str,
    write_articles: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    stubs: tuple[Callable[..., Any], Callable[..., Any]],
) -> None:
    stub_parse, stub_extract = stubs
    calls = {"n": 0}

    def crashing_extract(articles: Sequence[Article]) -> list[tuple[EventMention, ...]]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # not an ordinary failure: the whole run stops here
        return [stub_extract(a) for a in articles]

    monkeypatch.setattr(pipeline, "parse", stub_parse)
    monkeypatch.setattr(pipeline, "extract_many", crashing_extract)
    monkeypatch.setattr(pipeline, "EXTRACT_BATCH", 2)  # articles extracted two at a time
    folder = write_articles(6)
    store = open_store(db_url)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([folder], store)
    store.close()
    with open_store(db_url) as reopened:  # the two batches extracted before the crash
        assert len(reopened.articles()) == 4
        assert len(reopened.events()) == 4
