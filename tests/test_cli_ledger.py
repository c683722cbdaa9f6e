"""The ledger commands: output shapes, person decisions, exports, `serve` wiring."""

from __future__ import annotations

import csv
import gc
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from test_ledger import fill, news

from releasewatch import web
from releasewatch.cli import cli
from releasewatch.cli.ledger import AUTO_WORKERS_MAX
from releasewatch.store import open_store

COMMANDS = ("resolve", "timeline", "happening", "persons", "person", "conflicts", "deals", "export")


def run(db: str | str, *args: str) -> Result:
    """Invoke the CLI against the ledger `db`."""
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def as_json(db: str, *args: str) -> Any:
    """A command's --format json output, parsed."""
    result = run(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def db(db_url: str) -> str:
    """A ledger holding the invented news of test_ledger, resolved (on each backend)."""
    with open_store(db_url) as store:
        fill(store, news())
    return db_url


@pytest.mark.parametrize("command", [*COMMANDS, "serve"])
def test_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert f"releasewatch {command}" in result.output.split("Example:")[1]


def test_resolve_reports_the_ledger(db: str) -> None:
    summary = as_json(db, "resolve")
    assert (summary["events"], summary["articles"], summary["conflicts"]) == (3, 4, 1)
    assert "3 happening(s) from 6 report(s) in 4 article(s)" in run(db, "resolve").output


def test_timeline_in_date_order_with_source_counts(db: str) -> None:
    items = as_json(db, "timeline", "--party", "blr")
    assert [(i["type"], i["date"], i["n_sources"]) for i in items] == [
        ("release", "2031-03-02", 3),
        ("sanctions_eased", "2031-03-02", 2),
        ("release", "2031-03-09", 1),
    ]
    rows = list(csv.DictReader(io.StringIO(run(db, "timeline", "--format", "csv").output)))
    assert [r["n_sources"] for r in rows] == ["3", "2", "1"]
    table = run(db, "timeline", "--since", "2031-03-05").output
    assert "1 happening(s)" in table and "2031-03-09" in table
    assert run(db, "timeline", "--since", "March").exit_code == 2


def test_happening_shows_values_sources_and_paragraphs(db: str) -> None:
    first = as_json(db, "timeline")[0]["id"]
    detail = as_json(db, "happening", first)
    assert {"values", "conflicts", "history", "members", "deal"} <= set(detail)
    text = run(db, "happening", first).output
    assert "count (conflict)" in text and "Baltic Wire" in text and "Daily Ledger" in text
    missing = run(db, "happening", "no-such-id")
    assert missing.exit_code == 2 and "no-such-id" in missing.output


def test_persons_person_and_decisions(db: str) -> None:
    listed = as_json(db, "persons", "--name", "kalesnik")["items"]
    assert len(listed) == 1 and "Maria Kolesnikova" in listed[0]["spellings"]
    person = as_json(db, "person", "Maria Kolesnikova")
    assert person["history"][0]["status"] == "released" and person["events"]
    assert "released" in run(db, "person", "Maryja Kalesnikava").output
    merged = run(db, "persons", "merge", "Ales Bialiatski", "Maria Kolesnikova")
    assert merged.exit_code == 0, merged.output
    assert {"Ales Bialiatski", "Maria Kolesnikova"} <= set(
        as_json(db, "person", "Ales Bialiatski")["spellings"]
    )
    assert run(db, "persons", "split", "Maria Kolesnikova").exit_code == 0
    assert as_json(db, "person", "Maria Kolesnikova")["spellings"] == ["Maria Kolesnikova"]
    protect = run(db, "persons", "protect", "Ales Bialiatski")
    assert protect.exit_code == 0 and "protected" in protect.output
    assert "Bialiatski" not in run(db, "persons").output
    assert "Bialiatski" in run(db, "persons", "--show-protected").output
    assert run(db, "person", "Ales Bialiatski").exit_code == 2


def test_conflicts_and_deals(db: str) -> None:
    (conflict,) = as_json(db, "conflicts")
    assert conflict["conflicts"][0]["field"] == "count"
    assert "Daily Ledger" in run(db, "conflicts").output
    (deal,) = as_json(db, "deals", "--party", "BLR")
    assert [p["type"] for p in deal["got"]] == ["sanctions_eased"]
    assert "sanctions_eased" in run(db, "deals").output


def test_export_records_csv_and_json(db: str, tmp_path: Path) -> None:
    out = tmp_path / "records"
    result = run(db, "export", "--format", "records", "--out", str(out))
    assert result.exit_code == 0 and "4 record(s)" in result.output
    rec = json.loads((out / "wire-march.json").read_text(encoding="utf-8"))
    assert rec["events"][0]["happening"].startswith("release-blr-2031-03")
    rows = list(csv.DictReader(io.StringIO(run(db, "export", "--format", "csv").output)))
    assert len(rows) == 3 and rows[0]["source_articles"]
    target = tmp_path / "ledger.json"
    assert run(db, "export", "--format", "json", "--out", str(target)).exit_code == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 3
    assert run(db, "export", "--format", "records").exit_code == 2


def test_ingest_prints_the_ledger_line(tmp_path: Path, db_url: str) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Belarus frees 20 prisoners\n\nMINSK, March 14, 2031 (Baltic Wire) — Belarus released "
        "20 political prisoners on Friday, the Lithuanian foreign ministry said.\n",
        encoding="utf-8",
    )
    result = run(db_url, "ingest", str(folder))
    assert result.exit_code == 0 and "ledger: 1 happening(s) from 1 report(s)" in result.output


def test_a_server_process_freezes_what_it_started_with(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker's app is made, then its start-up objects are frozen out of the collector (a
    full collection would otherwise rescan them all, every request of the worker waiting)."""
    monkeypatch.setenv(web._SERVE_ENV, json.dumps({"db": db, "token": None, "hosts": None}))
    frozen = gc.get_freeze_count()
    try:
        app = web.app_from_environment()
        assert gc.get_freeze_count() > frozen and gc.get_count()[0] < 100
    finally:
        gc.unfreeze()
    assert app.state.access.token is None


def test_serve_hands_the_ledger_path_and_token_to_the_web_server(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(web, "serve", lambda *args, **kw: calls.append((*args, *kw.values())))
    monkeypatch.setattr(os, "cpu_count", lambda: 3)  # the default, auto: one per CPU
    token = tmp_path / "token"
    token.write_text("s3cret\n", encoding="utf-8")
    assert run(db, "serve", "--port", "8123", "--token-file", str(token)).exit_code == 0
    monkeypatch.setenv("RELEASEWATCH_TOKEN", "from-env")
    assert run(db, "serve").exit_code == 0
    monkeypatch.delenv("RELEASEWATCH_TOKEN")
    assert run(db, "serve", "--host", "127.0.0.2").exit_code == 0
    assert run(db, "serve", "--workers", "1").exit_code == 0
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert run(db, "serve", "--workers", "AUTO").exit_code == 0
    assert run(db, "serve", "--workers", "zero").exit_code == 2  # a usage error, nothing served
    assert calls == [
        (db, "127.0.0.1", 8123, "s3cret", 3),
        (db, "127.0.0.1", 8000, "from-env", 3),
        (db, "127.0.0.2", 8000, None, 3),
        (db, "127.0.0.1", 8000, None, 1),
        (db, "127.0.0.1", 8000, None, AUTO_WORKERS_MAX),  # auto: one per CPU, capped
    ]
