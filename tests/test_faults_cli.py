"""Issue 10, the command line: what it prints and which ledger it opens.

Each test stands for one item of the issue (or of its part-1 merge notes) and failed before its
fix: the decoding decision kept with the article, terminal escapes (10), the README tour (13),
`--db` after the subcommand (14), read-only commands and the ledger file (15), the small
omissions (16).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import REPO_ROOT, Databases
from test_ledger import fill, news

from releasewatch import ledger, pipeline, web
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


# ------------------------------------------------------------------ 14. --db on every subcommand


@pytest.fixture
def news_db(db_url: str) -> str:
    """A ledger of test_ledger's invented news, resolved (on each backend)."""
    with open_store(db_url) as store:
        fill(store, news())
    return db_url


def test_db_is_accepted_after_every_ledger_subcommand(
    news_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELEASEWATCH_DB", str(tmp_path / "elsewhere" / "env.sqlite"))
    invoke = CliRunner().invoke
    mention = json.loads(invoke(cli, ["events", "--db", news_db, "--format", "json"]).output)
    happening = invoke(cli, ["timeline", "--db", news_db, "--format", "json"]).output
    happening_id = json.loads(happening)[0]["id"]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("Freed\n\nBelarus freed 3 prisoners on Monday.\n")
    commands = [
        ["ingest", str(folder)], ["resolve"], ["events"], ["show", mention[0]["id"]],
        ["articles"], ["timeline"], ["happening", happening_id], ["persons"],
        ["person", "Ales Bialiatski"], ["conflicts"], ["deals"], ["export", "--format", "csv"],
        ["persons", "split", "Maryja Kalesnikava"],
        ["persons", "merge", "Maryja Kalesnikava", "Maria Kolesnikova"],
        ["persons", "protect", "Ales Bialiatski"],
        ["persons", "protect", "--undo", "Ales Bialiatski"],
    ]  # fmt: skip
    for args in commands:
        at = 2 if args[0] == "persons" and len(args) > 1 else 1  # after `persons merge` too
        result = invoke(cli, [*args[:at], "--db", news_db, *args[at:]])
        assert result.exit_code == 0, (args, result.output)
    assert invoke(cli, ["persons", "--db", news_db, "--name", "Bialiatski"]).exit_code == 0
    # After the subcommand it wins over the one before it (and over the environment).
    result = invoke(cli, ["--db", str(tmp_path / "nowhere.sqlite"), "articles", "--db", news_db])
    assert result.exit_code == 0 and "Belarus frees 14" in result.output
    calls: list[Any] = []
    monkeypatch.setattr(web, "serve", lambda *args, **kw: calls.append(args))
    assert invoke(cli, ["serve", "--db", news_db]).exit_code == 0
    assert calls[0][0] == news_db
    assert not (tmp_path / "elsewhere").exists()


# ------------------------------------------------------------------ 15. read-only commands

READ_COMMANDS = [
    ["events"], ["show", "x-0"], ["articles"], ["timeline"], ["happening", "x"], ["persons"],
    ["person", "x"], ["conflicts"], ["deals"], ["export", "--format", "csv"],
]  # fmt: skip


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: a[0])
def test_a_read_only_command_on_a_mistyped_ledger_says_so_and_makes_none(
    tmp_path: Path, args: list[str]
) -> None:
    typo = tmp_path / "ledgr" / "releasewatch.sqlite"
    result = run(str(typo), *args)
    assert result.exit_code == 2 and "no such ledger" in result.output, result.output
    assert not typo.parent.exists()


def test_copy_from_a_mistyped_ledger_says_so_and_makes_none(tmp_path: Path) -> None:
    source, target = tmp_path / "typo" / "ledger.sqlite", tmp_path / "new.sqlite"
    result = CliRunner().invoke(cli, ["copy", "--from", str(source), "--to", str(target)])
    assert result.exit_code == 2 and "no such ledger" in result.output, result.output
    assert not source.parent.exists()


def test_a_read_only_command_on_an_empty_database_makes_no_ledger(databases: Databases) -> None:
    url = databases.new("empty")
    if databases.backend == "sqlite":
        Path(url).write_bytes(b"")  # an empty file is an empty SQLite database
    result = run(url, "events")
    assert result.exit_code == 2 and "no such ledger" in result.output, result.output
    assert run(url, "ingest", str(REPO_ROOT / "examples")).exit_code == 0  # a write makes one
    assert run(url, "events").exit_code == 0


def test_an_older_ledger_is_still_upgraded_by_a_read_only_command(tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    for path in BUNDLED.glob("000[1-5]_*.sql"):
        shutil.copy(path, old)
    db = tmp_path / "ledger.sqlite"
    SQLiteStore(db, migrations=load_migrations(old, dialect="sqlite")).close()
    result = run(str(db), "articles", "--format", "json")
    assert result.exit_code == 0, result.output
    with SQLiteStore(db) as store:
        assert len(store.applied_migrations()) == len(load_migrations(dialect="sqlite"))


def _as_unprivileged(argv: list[str]) -> list[str]:
    """The command run without the power to ignore file permissions (root's CAP_DAC_*)."""
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file permissions cannot be tested")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", *argv]


@pytest.mark.parametrize("locked", ["file", "folder", "both"])
def test_a_ledger_in_a_read_only_file_or_folder_can_be_read(tmp_path: Path, locked: str) -> None:
    folder = tmp_path / "ledger"
    folder.mkdir()
    db = folder / "releasewatch.sqlite"
    with open_store(str(db)) as store:
        fill(store, news())
    cli_bin = [sys.executable, "-c", "from releasewatch.cli import main; main()"]
    if locked in ("file", "both"):
        db.chmod(0o444)
    if locked in ("folder", "both"):
        folder.chmod(0o555)
    try:
        for args in (["events", "--format", "json"], ["timeline"], ["articles"]):
            done = subprocess.run(
                _as_unprivileged([*cli_bin, "--db", str(db), *args]),
                capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert done.returncode == 0, (args, done.stderr)
        assert len(json.loads(subprocess.run(
            _as_unprivileged([*cli_bin, "--db", str(db), "events", "--format", "json"]),
            capture_output=True, text=True, timeout=120).stdout)) == 6  # fmt: skip
        refused = subprocess.run(
            _as_unprivileged([*cli_bin, "--db", str(db), "resolve"]),
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert "readonly" in refused.stderr or "read-only" in refused.stderr
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)


# ------------------------------------------------------------------ 16. small omissions


def test_serve_says_how_to_make_a_token() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert "secrets.token_urlsafe(32)" in result.output and "--token-file" in result.output


def test_a_protected_person_points_the_operator_to_show_protected(news_db: str) -> None:
    assert run(news_db, "persons", "protect", "Ales Bialiatski").exit_code == 0
    result = run(news_db, "person", "Ales Bialiatski")
    assert result.exit_code == 2 and "--show-protected" in result.output
    assert "protected" in result.output
    shown = run(news_db, "person", "Ales Bialiatski", "--show-protected")
    assert shown.exit_code == 0 and "Ales Bialiatski" in shown.output
    nobody = run(news_db, "person", "Nobody Atall")
    assert nobody.exit_code == 2 and "--show-protected" not in nobody.output


def test_gitignore_keeps_the_ledgers_wal_files_out(repo_root: Path) -> None:
    patterns = (repo_root / ".gitignore").read_text(encoding="utf-8").split()
    for name in ("releasewatch.sqlite", "releasewatch.sqlite-wal", "releasewatch.sqlite-shm"):
        assert any(fnmatch.fnmatch(name, p) for p in patterns), name


@pytest.mark.parametrize("value", ["2025-13", "2025-02-30", "2025-00", "2025-1"])
def test_events_refuses_a_date_that_is_not_one(news_db: str, value: str) -> None:
    for option in ("--since", "--until"):
        result = run(news_db, "events", option, value)
        assert result.exit_code == 2 and value in result.output, result.output
        assert run(news_db, "timeline", option, value).exit_code == 2


def test_events_takes_real_partial_dates(news_db: str) -> None:
    for value in ("2031", "2031-03", "2031-03-02", "2028-02-29"):
        assert run(news_db, "events", "--since", value).exit_code == 0


def test_ingest_of_a_url_says_how_to_read_one(news_db: str) -> None:
    url = "https://example.org/news/2025/story.html"
    for command in ("ingest", "extract"):
        args = [command, url] if command == "ingest" else [command, "--out", "x", url]
        result = run(news_db, *args)
        assert result.exit_code == 2 and url in result.output, result.output
        assert "is a URL" in result.output and "https:/example.org" not in result.output


# ------------------------------------------------------------------ 13. the README tour

_BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def _tour() -> list[tuple[str, int]]:
    """Each command of the README's console blocks, with the exit status the README shows."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    steps: list[tuple[str, int]] = []
    for block in _BLOCK.findall(readme):
        lines = block.splitlines()
        commands = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        for n, i in enumerate(commands):
            shown = lines[i + 1 : commands[n + 1] if n + 1 < len(commands) else len(lines)]
            status = next((int(m.group(1)) for line in shown
                           if (m := re.fullmatch(r"\(exit status (\d+)\)", line))), 0)  # fmt: skip
            steps.append((lines[i][2:], status))
    return steps


def _tour_feed(folder: Path) -> subprocess.Popen[bytes]:
    """The tour's local news site (scripts/tour_feed.py) on 127.0.0.1:8765, as tour.sh runs it."""
    server = subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "scripts" / "tour_feed.py"), "8765",
         str(folder / "examples"), str(folder / "hooks.jsonl")]
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", 8765), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return server


def test_every_command_of_the_readme_tour_runs_as_shown_on_the_examples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = _tour()
    work = tmp_path / "tour"  # ../shared from here is the shared corpus, as in tour.sh
    shutil.copytree(REPO_ROOT / "examples", work / "examples")
    shared = REPO_ROOT.parent / "shared"
    if shared.is_dir():
        (tmp_path / "shared").symlink_to(shared)
    else:
        steps = [(c, s) for c, s in steps if "../shared" not in c]
    monkeypatch.chdir(work)
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    tmp_path = work
    monkeypatch.setenv("RELEASEWATCH_DB", str(tmp_path / "releasewatch.sqlite"))
    monkeypatch.setenv("COLUMNS", "100")
    # the watch steps read a feed the tour serves on 127.0.0.1 (scripts/tour_feed.py)
    feed = _tour_feed(tmp_path) if any("127.0.0.1:8765" in c for c, _ in steps) else None
    try:
        for command, status in steps:
            if command.startswith("releasewatch ") and "|" not in command:
                result = CliRunner().invoke(cli, shlex.split(command)[1:])
                output, code = result.output, result.exit_code
            else:  # a shell command the tour shows (making bad inputs)
                done = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
                output, code = done.stdout + done.stderr, done.returncode
            assert code == status, (command, output)
            assert "no such person" not in output and "Traceback" not in output, (command, output)
    finally:
        if feed is not None:
            feed.terminate()
            feed.wait(timeout=10)
    # The resolved ledger's commands are in the tour too (they ran on people not in it).
    shown = " ".join(c for c, _ in steps)
    for command in ("persons merge", "persons split", "persons protect", "happening", "deals"):
        assert f"releasewatch {command}" in shown, command
