"""The command line: each command, machine formats, help examples, exit codes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from releasewatch.cli import cli

COMMANDS = ("ingest", "events", "show", "articles", "extract", "explain")


def run(db: Path | str, *args: str) -> Result:
    """Invoke the CLI against the ledger `db`."""
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


@pytest.fixture
def ledger(db_url: str, write_articles: Callable[..., Path], stub_stages: None) -> str:
    """A ledger holding three stand-in articles (one release event each), on each backend."""
    db = db_url
    result = run(db, "ingest", str(write_articles(3)))
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"releasewatch {command}" in result.output or command == "ingest"
    assert "releasewatch" in result.output.split("Example:")[1]


def test_ingest_summary_and_idempotence(ledger: str, write_articles: Callable[..., Path]) -> None:
    again = run(ledger, "ingest", str(write_articles(3)))
    assert again.exit_code == 0
    assert "0 new article(s), 3 already known, 0 event(s), 0 problem(s)" in again.output


@pytest.mark.usefixtures("stub_stages")
def test_ingest_exits_non_zero_naming_the_bad_file(
    db_url: str, write_articles: Callable[..., Path]
) -> None:
    folder = write_articles(2)
    (folder / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    result = run(db_url, "ingest", str(folder))
    assert result.exit_code == 1
    assert f"{folder / 'broken.jsonl'}:1" in result.output and "not JSON" in result.output
    assert "2 new article(s)" in result.output
    listed = run(db_url, "articles")
    assert "could not be ingested" in listed.output and "broken.jsonl" in listed.output


def test_events_json_shape(ledger: str) -> None:
    result = run(ledger, "events", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert len(rows) == 3
    assert {"id", "type", "status", "by", "to", "count", "persons", "evidence", "date"} <= set(
        rows[0]
    )
    assert {"article_id", "article_title", "start", "end", "attribution", "confidence"} <= set(
        rows[0]
    )
    assert rows[0]["by"] == ["BLR"] and rows[0]["type"] == "release"


def test_events_csv_shape(ledger: str) -> None:
    result = run(ledger, "events", "--format", "csv", "--party", "ltu", "--limit", "2")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 2
    assert rows[0]["by"] == "BLR" and rows[0]["to"] == "LTU"
    assert rows[0]["persons"] == "Ales Example"
    assert list(rows[0])[:4] == ["id", "type", "status", "by"]


def test_events_filters_and_table(ledger: str) -> None:
    assert json.loads(run(ledger, "events", "--type", "detention", "--format", "json").output) == []
    assert json.loads(run(ledger, "events", "--party", "USA", "--format", "json").output) == []
    table = run(ledger, "events", "--status", "occurred")
    assert table.exit_code == 0 and "3 event(s)" in table.output and "release" in table.output


def test_events_rejects_a_malformed_date(ledger: str) -> None:
    result = run(ledger, "events", "--since", "26.11.25")
    assert result.exit_code == 2
    assert "not a date" in result.output


def test_show_event(ledger: str) -> None:
    event = json.loads(run(ledger, "events", "--format", "json").output)[0]
    result = run(ledger, "show", event["id"])
    assert result.exit_code == 0
    assert event["evidence"] in result.output
    assert "evidence in its paragraph" in result.output
    assert event["article_title"] in result.output
    detail = json.loads(run(ledger, "show", event["id"], "--format", "json").output)
    para = detail["paragraph"]
    start, end = detail["span"]
    assert para[start:end] == event["evidence"]
    assert detail["article"]["id"] == event["article_id"]


def test_show_unknown_event_is_a_clear_error(ledger: str) -> None:
    result = run(ledger, "show", "no-such-id")
    assert result.exit_code == 2
    assert "no-such-id" in result.output and "Traceback" not in result.output


def test_articles_formats(ledger: str) -> None:
    data = json.loads(run(ledger, "articles", "--format", "json").output)
    assert len(data["articles"]) == 3 and data["failed"] == []
    assert {"id", "title", "source", "problems", "events"} <= set(data["articles"][0])
    rows = list(csv.DictReader(io.StringIO(run(ledger, "articles", "--format", "csv").output)))
    assert [r["events"] for r in rows] == ["1", "1", "1"]
    table = run(ledger, "articles")
    assert table.exit_code == 0 and "3 article(s)" in table.output


def test_db_from_environment(
    tmp_path: Path, write_articles: Callable[..., Path], stub_stages: None
) -> None:
    db = tmp_path / "env.sqlite"
    result = CliRunner().invoke(
        cli, ["ingest", str(write_articles(1))], env={"RELEASEWATCH_DB": str(db)}
    )
    assert result.exit_code == 0, result.output
    assert db.is_file()


def test_broken_ledger_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite"
    db.write_bytes(b"definitely not sqlite " * 200)
    result = run(db, "events")
    assert result.exit_code == 2
    assert "notes.sqlite" in result.output and "Traceback" not in result.output


@pytest.mark.usefixtures("stub_stages")
def test_extract_writes_records(tmp_path: Path, write_articles: Callable[..., Path]) -> None:
    folder = write_articles(2)
    out = tmp_path / "records"
    result = CliRunner().invoke(cli, ["extract", "--out", str(out), str(folder)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["story-00.json", "story-01.json"]
    record = json.loads((out / "story-00.json").read_text(encoding="utf-8"))
    assert record["id"] == "story-00" and record["events"][0]["type"] == "release"
    missing = CliRunner().invoke(cli, ["extract", "--out", str(out), str(tmp_path / "none.txt")])
    assert missing.exit_code == 1 and "none.txt" in missing.output


def test_ingest_bundled_examples_end_to_end(db_url: str, repo_root: Path) -> None:
    """The README demo with the real stages: every bundled example is read and yields events."""
    examples = repo_root / "examples"
    result = run(db_url, "ingest", str(examples))
    assert result.exit_code == 0, result.output
    data = json.loads(run(db_url, "articles", "--format", "json").output)
    assert len(data["articles"]) == 8  # seven files, one of them a JSONL of two
    events = json.loads(run(db_url, "events", "--format", "json").output)
    assert {e["type"] for e in events} >= {"release", "exchange", "detention", "talks"}
    again = run(db_url, "ingest", str(examples))
    assert "0 new article(s), 8 already known" in again.output


def test_broken_database_url_is_a_clear_error() -> None:
    result = run("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2", "events")
    assert result.exit_code == 2 and "cannot connect" in result.output
    assert "secret" not in result.output and "Traceback" not in result.output


def test_extract_seed_reads_as_schema_says(tmp_path: Path, dev_corpus: Path) -> None:
    """The seed article (read from ../shared, never copied) gives SCHEMA.md's reading."""
    seed = dev_corpus / "seed-unn-us-belarus-talks.txt"
    if not seed.is_file():
        pytest.skip(f"seed not present: {seed}")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["extract", "--out", str(out), str(seed)])
    assert result.exit_code == 0, result.output
    got = json.loads((out / "seed-unn-us-belarus-talks.json").read_text(encoding="utf-8"))
    gold = json.loads(seed.with_suffix(".json").read_text(encoding="utf-8"))
    for key in ("title", "published", "outlet", "author", "dateline"):
        assert got["article"][key] == gold["article"][key], key
    assert all("proposed to Putin" not in e["evidence"] for e in got["events"])
    key = lambda e: (e["type"], e["status"], tuple(e["by"]), tuple(e["to"]))  # noqa: E731
    assert sorted(map(key, got["events"])) == sorted(map(key, gold["events"]))


def test_every_command_is_found_in_the_module_named_for_it() -> None:
    import importlib

    from releasewatch.cli import MODULES

    defined = {}
    for module in set(MODULES.values()):
        found = importlib.import_module(f"releasewatch.cli.{module}")
        for command in getattr(found, "COMMANDS", ()) or (found.copy,):
            defined[command.name] = module
    assert defined == MODULES


def test_extract_imports_no_database_driver_web_server_or_feed_client(tmp_path: Path) -> None:
    import subprocess
    import sys

    article = tmp_path / "a.txt"
    article.write_text("The weather was mild on the coast all week.\n", encoding="utf-8")
    code = (
        "import sys; from releasewatch.cli import main\n"
        "try: main(['extract', '--out', sys.argv[1], sys.argv[2]])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in ('psycopg', 'httpx', 'fastapi', 'feedparser', 'spacy',"
        " 'dateparser') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "out"), str(article)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.strip().splitlines()[-1] == "[]"  # an off-topic article needs none of them
    assert (tmp_path / "out" / "a.json").is_file()
