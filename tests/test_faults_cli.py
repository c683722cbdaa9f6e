"""Issue 10, the command line: what it prints and which ledger it opens.

Each test stands for one item of the issue (or of its part-1 merge notes) and failed before its
fix: the decoding decision kept with the article, terminal escapes (10), the README tour (13),
`--db` after the subcommand (14), read-only commands and the ledger file (15), the small
omissions (16).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from releasewatch import ledger, pipeline
from releasewatch.cli import cli
from releasewatch.model import Article, ArticleRecord, EventMention
from releasewatch.store import SQLiteStore, load_migrations, open_store

BUNDLED = Path(__file__).resolve().parents[1] / "src" / "releasewatch" / "store" / "migrations"
FRENCH = (
    "Un journaliste libéré\n\n"
    "Published: 2025-10-02\n\n"
    "Belarus freed the journalist Andreï Lavrinovitch on Wednesday, the Lithuanian foreign"
    " ministry said.\n\n"
    "La Biélorussie a libéré mercredi le journaliste Andreï Lavrinovitch après deux années de"
    " détention, a déclaré le ministère lituanien des affaires étrangères. Sa libération a été"
    " saluée à Vilnius, où il est arrivé en soirée. Le journaliste a été accueilli à la"
    " frontière.\n"
)


def run(db: str, *args: str) -> Result:
    """The CLI on the ledger `db` (given before the subcommand)."""
    return CliRunner().invoke(cli, ["--db", db, *args])


# ------------------------------------------------------------------ the decoding decision


def test_the_decoding_decision_is_kept_with_the_article(tmp_path: Path, db_url: str) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "legacy.txt").write_bytes(FRENCH.encode("latin-1"))
    assert run(db_url, "ingest", str(news)).exit_code == 0
    listed = json.loads(run(db_url, "articles", "--format", "json").output)["articles"]
    assert [a["encoding"] for a in listed] == ["cp1252"]
    confidence = listed[0]["encoding_confidence"]
    assert 0.5 <= confidence < 1.0
    csv_out = run(db_url, "articles", "--format", "csv").output
    assert "encoding_confidence" in csv_out.splitlines()[0] and str(confidence) in csv_out
    out = tmp_path / "records"
    assert run(db_url, "export", "--format", "records", "--out", str(out)).exit_code == 0
    record = json.loads((out / "legacy.json").read_text(encoding="utf-8"))
    assert record["article"]["encoding"] == "cp1252"
    assert record["article"]["encoding_confidence"] == confidence
    events = json.loads(run(db_url, "events", "--format", "json").output)
    shown = run(db_url, "show", events[0]["id"]).output
    assert f"cp1252 (confidence {confidence:.2f})" in shown


def test_articles_stored_before_the_confidence_was_kept_say_null(tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    for path in BUNDLED.glob("000[1-5]_*.sql"):
        shutil.copy(path, old)
    db = tmp_path / "ledger.sqlite"
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(FRENCH, encoding="utf-8")

    old_store = SQLiteStore(db, migrations=load_migrations(old, dialect="sqlite"))
    with old_store as store, store.transaction():  # as stored before 0006: no such column
        store._write(
            "INSERT INTO articles (id, source, kind, encoding, cited_sources, tags,"
            " raw_text, clean_text, problems, ingested_at) VALUES"
            " ('old1', 'old.txt', 'text', 'utf-8', '[]', '[]', 'x', 'x', '[]', 'now')"
        )
    with SQLiteStore(db) as store:  # upgraded in place by 0006
        assert store.article("old1").encoding_confidence is None
        pipeline.ingest_paths([news], store)
        new = [a for a in store.articles() if a.id != "old1"]
        assert [a.encoding_confidence for a in new] == [1.0]


# ------------------------------------------------------------------ 10. terminal escapes

ESC = "\x1b]0;owned\x07\x1b[2J\x9b31m\r\x08"  # set the title, clear the screen, C1 CSI, CR, BS
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what a terminal acts on (not \t, \n)


def _hostile_ledger(url: str) -> tuple[str, str]:
    """A ledger of one article whose every text field carries terminal escapes; (mention id,
    ledger event id)."""
    evidence = f"Belarus freed 14 political prisoners{ESC} on Monday, officials said."
    text = f"Intro{ESC} paragraph.\n\n{evidence}"
    start = text.index(evidence)
    article = Article(
        id="esc", source=f"news/esc{ESC}.txt", text=text, raw=text, title=f"Title{ESC}",
        published="2025-10-06", outlet=f"Wire{ESC}", author=f"A. Writer{ESC}",
        problems=(f"odd{ESC}",),
    )  # fmt: skip
    event = EventMention(
        type="release", status="occurred", evidence=evidence, start=start,
        end=start + len(evidence), by=("BLR",), persons=(f"Ales Esc{ESC}",), date="2025-10-06",
        attribution=f"officials{ESC}",
    )  # fmt: skip
    with open_store(url) as store:
        store.add(ArticleRecord(article=article, events=(event,)))
        ledger.rebuild(store)
        happening = store.mention_events()["esc-0"]
    return "esc-0", happening


def test_terminal_output_never_carries_control_characters(db_url: str, tmp_path: Path) -> None:
    mention, happening = _hostile_ledger(db_url)
    person = json.loads(run(db_url, "persons", "--format", "json").output)["items"][0]["id"]
    commands = [
        ("articles",), ("articles", "--format", "csv"), ("events",),
        ("events", "--format", "csv"), ("show", mention), ("timeline",),
        ("timeline", "--format", "csv"), ("happening", happening), ("persons",),
        ("person", person), ("deals",), ("conflicts",), ("export", "--format", "csv"),
        ("show", f"nope{ESC}"),
    ]  # fmt: skip
    for args in commands:
        result = run(db_url, *args)
        output = result.output + (result.stderr if result.stderr_bytes else "")
        assert not CONTROL.search(output), (args, repr(output[:300]))
    assert "Belarus freed 14 political prisoners" in run(db_url, "show", mention).output
    # JSON escapes them instead: the data says what the article held, the terminal is safe.
    for args in (("events", "--format", "json"), ("show", mention, "--format", "json"),
                 ("export", "--format", "json"), ("articles", "--format", "json")):  # fmt: skip
        output = run(db_url, *args).output
        assert not CONTROL.search(output), args
        assert ESC in json.dumps(json.loads(output), ensure_ascii=False) or "\\u001b" in output
    events = json.loads(run(db_url, "events", "--format", "json").output)
    assert events[0]["evidence"].count("\x1b") == 2 and "\x9b" in events[0]["evidence"]
    # An input named with an escape is named without it.
    bad = tmp_path / f"empty{ESC[:8]}.txt"
    bad.write_text("", encoding="utf-8")
    failed = CliRunner().invoke(cli, ["--db", db_url, "ingest", str(bad)])
    assert failed.exit_code == 1 and "empty" in failed.output
    assert not CONTROL.search(failed.output)
