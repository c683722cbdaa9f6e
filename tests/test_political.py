"""Scope that users follow (issue 7): every view lists political events unless asked for all.

A ledger of a political release, an ordinary criminal arrest and a journalist jailed (articles
written for these tests; the arrest and the jailing are both detentions, so only the mark can
tell them apart): the store keeps each report's `political`, a happening is political when any
of its reports is, and the CLI, the API, the pages, the charts and the alerts show the release
and the jailing by default and the arrest too with the switch; exports keep all three, with the
field.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import Databases
from fastapi.testclient import TestClient
from test_ledger import fill, news, record
from test_ledger_live import assert_a_rebuild_changes_nothing

from releasewatch import ledger
from releasewatch.cli import cli
from releasewatch.ledger.live import LiveLedger
from releasewatch.model import ArticleRecord
from releasewatch.store import PostgresStore, SQLiteStore, Store, load_migrations, open_store
from releasewatch.watch.alerts import AlertMaker, add_rule
from releasewatch.web import create_app

RELEASE = "Belarus freed 14 political prisoners on Sunday, among them Ales Testovich."
RELEASE_AGAIN = "Minsk let 14 prisoners go on Sunday, Ales Testovich among them."
ARREST = "Police in Leeds arrested Tom Burrow, 41, on Sunday on suspicion of burglary."
JAILED = "A court in Minsk jailed the journalist Hanna Testova for four years on Monday."


def release(aid: str = "rel", evidence: str = RELEASE, political: bool = True) -> ArticleRecord:
    """A report of a release of political prisoners (its `political` as given)."""
    return record(
        aid, "2031-03-02", "Baltic Wire", "Belarus frees 14", ["Vilnius, 2 March.", evidence],
        (evidence, {"type": "release", "status": "occurred", "by": ("BLR",), "to": ("LTU",),
                    "count": 14, "date": "2031-03-01", "persons": ("Ales Testovich",),
                    "political": political}),
    )  # fmt: skip


def _detention(aid: str, day: int, outlet: str, evidence: str, party: str, person: str,
               political: bool) -> ArticleRecord:  # fmt: skip
    """A report of one person detained by `party` on 2031-03-`day` (published the day after)."""
    day_of = f"2031-03-{day:02d}"
    fields = {"type": "detention", "status": "occurred", "by": (party,), "count": 1,
              "date": day_of, "persons": (person,), "political": political}  # fmt: skip
    return record(
        aid, f"2031-03-{day + 1:02d}", outlet, evidence[:40], [evidence], (evidence, fields)
    )


def arrest(aid: str = "arr") -> ArticleRecord:
    """A report of an ordinary criminal arrest: a detention, but not what these users follow."""
    return _detention(aid, 2, "City Courier", ARREST, "GBR", "Tom Burrow", political=False)


def jailed(aid: str = "jail") -> ArticleRecord:
    """A report of a journalist jailed: a detention that these users follow."""
    return _detention(aid, 3, "Baltic Wire", JAILED, "BLR", "Hanna Testova", political=True)


@pytest.fixture
def db(db_url: str) -> str:
    """A resolved ledger of the release, the arrest and the jailing (on each backend)."""
    with open_store(db_url) as store:
        fill(store, [release(), arrest(), jailed()])
    return db_url


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    """The ledger of the release, the arrest and the jailing, open."""
    with open_store(db) as opened:
        yield opened


def types(items: list[dict[str, Any]]) -> list[str]:
    """The event types of a list, in its order."""
    return [i["type"] for i in items]


def shown(items: list[dict[str, Any]]) -> list[str]:
    """Which of the three happenings a list holds, in its order."""
    names = {("release", "BLR"): "release", ("detention", "GBR"): "arrest",
             ("detention", "BLR"): "jailing"}  # fmt: skip
    return [names[i["type"], i["by"][0]] for i in items]


POLITICAL = ["release", "jailing"]  # what the views list by default
EVERY = ["release", "arrest", "jailing"]  # and with the switch, in date order


# ------------------------------------------------------------------ store and ledger


def test_the_store_keeps_each_reports_political_mark(store: Store) -> None:
    marks = {m.article_id: m.political for m in store.mentions()}
    assert marks == {"rel": True, "arr": False, "jail": True}
    assert [e.political for e in store.article_record("arr").events] == [False]
    assert [m.article_id for m in store.events()] == ["rel", "arr", "jail"]
    assert [m.article_id for m in store.events(political=True)] == ["rel", "jail"]
    assert [m.article_id for m in store.events(political=False)] == ["arr"]
    assert [m.article_id for m in store.events(type="detention", political=True)] == ["jail"]


def test_views_list_the_political_release_only_unless_asked_for_all(store: Store) -> None:
    assert shown(ledger.list_events(store)["items"]) == POLITICAL
    assert shown(ledger.list_events(store, political=None)["items"]) == EVERY
    assert shown(ledger.list_events(store, political=False)["items"]) == ["arrest"]
    assert shown(ledger.list_events(store, type="detention")["items"]) == ["jailing"]
    assert shown(ledger.timeline(store)) == POLITICAL
    every = ledger.timeline(store, political=None)
    assert [(n, i["political"]) for n, i in zip(shown(every), every, strict=True)] == [
        ("release", True), ("arrest", False), ("jailing", True),
    ]  # fmt: skip
    assert ledger.monthly(store) == [
        {"month": "2031-03", "party": "BLR", "events": 2, "people_released": 14}
    ]
    assert {r["party"] for r in ledger.monthly(store, political=None)} == {"BLR", "GBR"}
    assert [r["party"] for r in ledger.monthly(store, party="GBR")] == []
    assert [r["events"] for r in ledger.monthly(store, party="GBR", political=None)] == [1]
    detention = ledger.timeline(store, political=False)[0]["id"]
    event = ledger.get_event(store, detention)  # asked for by id: shown, and marked
    assert event["political"] is False and event["members"][0]["political"] is False


def names(page: dict[str, Any]) -> list[tuple[str, int]]:
    """The persons of a page of persons, with their numbers of happenings."""
    return [(p["name"], p["n_events"]) for p in page["items"]]


def test_persons_are_those_of_political_happenings_unless_all(store: Store) -> None:
    assert names(ledger.list_persons(store)) == [("Ales Testovich", 1), ("Hanna Testova", 1)]
    every = ledger.list_persons(store, political=None)
    assert names(every) == [("Ales Testovich", 1), ("Hanna Testova", 1), ("Tom Burrow", 1)]
    assert names(ledger.list_persons(store, political=False)) == [("Tom Burrow", 1)]
    assert names(ledger.list_persons(store, name="Burrow")) == []
    assert names(ledger.list_persons(store, name="Burrow", political=None)) == [("Tom Burrow", 1)]
    page = ledger.list_persons(store, limit=1)  # the scope holds across pages
    assert names(page) == [("Ales Testovich", 1)]
    rest = ledger.list_persons(store, limit=1, cursor=page["next_cursor"])
    assert names(rest) == [("Hanna Testova", 1)] and rest["next_cursor"] is None
    suspect = ledger.get_person(store, "Tom Burrow")  # asked for by name: shown, and marked
    assert [e["political"] for e in suspect["events"]] == [False]


def test_a_happening_is_political_when_any_of_its_reports_is(db_url: str) -> None:
    with open_store(db_url) as store:
        # the first report of the release was not marked political, the second is
        live = LiveLedger()
        store.add(release("rel-a", RELEASE_AGAIN, political=False))
        live.update(store)
        assert ledger.timeline(store) == []
        assert ledger.timeline(store, political=False)[0]["n_sources"] == 1
        store.add(release("rel-b"))
        assert not live.update(store).full  # the incremental update, not a whole write
        (item,) = ledger.timeline(store, political=None)
        assert (item["n_sources"], item["political"]) == (2, True)
        assert_a_rebuild_changes_nothing(store)  # the full rebuild gives the same rows


def unmarked(rec: ArticleRecord, keep: str | None = None) -> ArticleRecord:
    """The article with its reports not political (but those of type `keep`)."""
    events = tuple(e if e.type == keep else replace(e, political=False) for e in rec.events)
    return replace(rec, events=events)


def test_a_deal_is_listed_when_any_of_its_parts_is_political(databases: Databases) -> None:
    with open_store(databases.new()) as store:
        fill(store, [unmarked(r) for r in news()])
        assert ledger.list_deals(store) == []
        (deal,) = ledger.list_deals(store, political=None)
        assert deal["political"] is False and len(deal["parts"]) == 2
    with open_store(databases.new()) as store:  # one political part is enough
        fill(store, [unmarked(r, keep="sanctions_eased") for r in news()])
        (deal,) = ledger.list_deals(store)
        assert deal["political"] is True
        assert sorted(p["political"] for p in deal["parts"]) == [False, True]


def test_exports_keep_every_event_with_the_field(store: Store, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(ledger.export_ledger(store, "csv"))))
    assert [(r["type"], r["by"], r["political"]) for r in rows] == [
        ("release", "BLR", "True"), ("detention", "GBR", "False"), ("detention", "BLR", "True"),
    ]  # fmt: skip
    items = json.loads(ledger.export_ledger(store, "json"))
    assert shown(items) == EVERY
    assert [i["political"] for i in items] == [True, False, True]
    ledger.export_records(store, tmp_path / "records")
    records = {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in (tmp_path / "records").glob("*.json")
    }
    assert {n: [e["political"] for e in r["events"]] for n, r in records.items()} == {
        "rel.json": [True],
        "arr.json": [False],
        "jail.json": [True],
    }


# ------------------------------------------------------------------ the CLI


def run(db: str, *args: str) -> Result:
    """Invoke the CLI against the ledger `db`."""
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_cli_events_and_timeline_list_the_release_unless_all(db: str) -> None:
    for command in ("events", "timeline"):
        listed = json.loads(run(db, command, "--format", "json").output)
        assert [(i["type"], i["political"]) for i in listed] == [
            ("release", True), ("detention", True),
        ], command  # fmt: skip
        every = json.loads(run(db, command, "--all", "--format", "json").output)
        assert [(i["type"], i["political"]) for i in every] == [
            ("release", True), ("detention", False), ("detention", True),
        ], command  # fmt: skip
        table = run(db, command).output
        assert "BLR → LTU" in table and "GBR" not in table and "not political" not in table
        table = run(db, command, "--all").output
        assert "GBR" in table and table.count("not political") == 1
        flat = run(db, command, "--all", "--format", "csv").output
        rows = list(csv.DictReader(io.StringIO(flat)))
        assert [r["political"] for r in rows] == ["True", "False", "True"]
    detention = json.loads(run(db, "timeline", "--all", "--format", "json").output)[1]["id"]
    assert "no (listed with --all)" in run(db, "happening", detention).output
    assert re.search(r"^political +no *$", run(db, "show", "arr-0").output, re.M)


def test_cli_persons_lists_the_suspect_only_with_all(db: str) -> None:
    listed = json.loads(run(db, "persons", "--format", "json").output)["items"]
    assert [p["name"] for p in listed] == ["Ales Testovich", "Hanna Testova"]
    every = json.loads(run(db, "persons", "--all", "--format", "json").output)["items"]
    assert [p["name"] for p in every] == ["Ales Testovich", "Hanna Testova", "Tom Burrow"]
    assert "Burrow" not in run(db, "persons").output
    assert "Burrow" in run(db, "persons", "--all").output


ARREST_STORY = """Leeds man held over warehouse break-in

LEEDS, March 3 (City Courier) - Police in Leeds arrested a 41-year-old man on Sunday on suspicion \
of burglary after a break-in at a warehouse on Kirkstall Road, West Yorkshire Police said.

Officers recovered power tools worth about 3,000 pounds. The man remains in custody.
"""
JAILED_STORY = """Belarus jails journalist for four years

VILNIUS, March 4 (Baltic Wire) - A court in Minsk sentenced the journalist Hanna Testova to four \
years in prison on Monday on charges of "discrediting Belarus", her employer said, the latest in \
a crackdown on independent media.
"""


def test_ingested_news_the_arrest_is_kept_but_listed_only_with_all(
    db_url: str, tmp_path: Path
) -> None:
    # the whole way: the extractor marks the stories, the store keeps it, the views follow it
    (tmp_path / "arrest.txt").write_text(ARREST_STORY, encoding="utf-8")
    (tmp_path / "jailed.txt").write_text(JAILED_STORY, encoding="utf-8")
    run(db_url, "ingest", str(tmp_path / "arrest.txt"), str(tmp_path / "jailed.txt"))
    listed = json.loads(run(db_url, "timeline", "--format", "json").output)
    assert [(i["type"], i["by"], i["political"]) for i in listed] == [("detention", ["BLR"], True)]
    every = json.loads(run(db_url, "timeline", "--all", "--format", "json").output)
    assert sorted((i["type"], i["political"]) for i in every) == [
        ("detention", False), ("detention", True),
    ]  # fmt: skip


def test_cli_conflicts_and_deals_take_the_switch(db_url: str) -> None:
    with open_store(db_url) as store:
        fill(store, [unmarked(r) for r in news()])
    assert json.loads(run(db_url, "conflicts", "--format", "json").output) == []
    assert len(json.loads(run(db_url, "conflicts", "--all", "--format", "json").output)) == 1
    assert json.loads(run(db_url, "deals", "--format", "json").output) == []
    assert len(json.loads(run(db_url, "deals", "--all", "--format", "json").output)) == 1


# ------------------------------------------------------------------ the API and the pages


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    """A read-only client of the app over the ledger of the three happenings."""
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


def test_api_lists_political_events_unless_asked_for_all(client: TestClient) -> None:
    for path, items in (("/api/events", lambda r: r.json()["items"]),
                        ("/api/timeline", lambda r: r.json())):  # fmt: skip
        assert shown(items(client.get(path))) == POLITICAL, path
        assert shown(items(client.get(path, params={"political": "true"}))) == POLITICAL
        every = items(client.get(path, params={"political": "all"}))
        assert shown(every) == EVERY, path
        assert [i["political"] for i in every] == [True, False, True]
        assert shown(items(client.get(path, params={"political": "false"}))) == ["arrest"]
    detentions = client.get("/api/events", params={"type": "detention"}).json()["items"]
    assert shown(detentions) == ["jailing"]
    assert [r["party"] for r in client.get("/api/monthly").json()] == ["BLR"]
    monthly = client.get("/api/monthly", params={"political": "all"}).json()
    assert sorted(r["party"] for r in monthly) == ["BLR", "GBR"]
    wrong = client.get("/api/events", params={"political": "maybe"})
    assert wrong.status_code == 422 and "political" in wrong.text


def test_the_switch_is_documented_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/events", "/api/timeline", "/api/monthly", "/api/deals", "/api/conflicts"):
        (param,) = [p for p in paths[path]["get"]["parameters"] if p["name"] == "political"]
        assert param["in"] == "query" and not param.get("required"), path
        assert param["schema"]["enum"] == ["true", "false", "all"], path
        assert param["schema"]["default"] == "true", path
        assert "ordinary criminal arrest" in param["description"], path


def test_pages_show_the_release_with_a_switch_to_all(client: TestClient) -> None:
    for page, twin in (("/", "/api/timeline"), ("/events", "/api/events")):
        html = client.get(page).text
        assert "Belarus freed 14" in html and "jailed the journalist" in html, page
        assert "burglary" not in html, page
        assert '<strong aria-current="page">Political events</strong>' in html
        assert f'href="{page}?political=all">All events</a>' in html
        assert f'href="{page}?political=false">Not political only</a>' in html
        assert f'href="{twin}"' in html
        html = client.get(page, params={"political": "all"}).text
        assert "Belarus freed 14" in html and "burglary" in html, page
        assert "jailed the journalist" in html, page
        assert '<strong aria-current="page">All events</strong>' in html
        assert f'href="{page}">Political events</a>' in html
        assert html.count('class="badge other">not political') == 1, page
        assert f'href="{twin}?political=all"' in html  # the JSON twin of what is shown
        assert 'name="political" value="all"' in html  # the filter form keeps the switch
    detention = client.get("/api/timeline", params={"political": "false"}).json()[0]["id"]
    assert "<dt>Political</dt><dd>no" in client.get(f"/events/{detention}").text


def test_the_persons_page_and_its_twin_follow_the_switch(client: TestClient) -> None:
    listed = client.get("/api/persons").json()["items"]
    assert [p["name"] for p in listed] == ["Ales Testovich", "Hanna Testova"]
    every = client.get("/api/persons", params={"political": "all"}).json()["items"]
    assert [p["name"] for p in every] == ["Ales Testovich", "Hanna Testova", "Tom Burrow"]
    html = client.get("/persons").text
    assert "Ales Testovich" in html and "Burrow" not in html
    assert 'href="/persons?political=all">All events</a>' in html
    html = client.get("/persons", params={"political": "all", "name": "Burrow"}).text
    assert "Tom Burrow" in html and "Testovich" not in html
    assert 'name="political" value="all"' in html  # the name search keeps the switch
    assert 'href="/api/persons?political=all&amp;name=Burrow"' in html


def test_the_monthly_charts_follow_the_switch(client: TestClient) -> None:
    def chart_rows(html: str) -> list[str]:
        table = html.split("The chart's numbers")[1].split("</table>")[0]
        return [cell.split("</td>")[0] for cell in table.split("<tr><td>")[1:]]

    assert chart_rows(client.get("/").text) == ["2031-03"]
    default = client.get("/").text
    assert "2031-03 BLR: 2" in default and "GBR" not in default.split("<h2>Events</h2>")[0]
    every = client.get("/", params={"political": "all"}).text
    assert chart_rows(every) == ["2031-03", "2031-03"]
    assert "2031-03 GBR: 1" in every
    assert 'href="?political=all&amp;party=GBR"' in every  # a legend link keeps the switch


# ------------------------------------------------------------------ alerts


def test_an_alert_rule_does_not_fire_on_the_ordinary_arrest(db_url: str) -> None:
    with open_store(db_url) as store:
        detentions = add_rule(store, type="detention")
        britain = add_rule(store, party="GBR")
        releases = add_rule(store, type="release")
        every = add_rule(store, party="GBR", all_events=True)
        live = LiveLedger()
        maker = AlertMaker(live, now=lambda: 1_900_000_000.0)
        fired: dict[str, set[int]] = {}
        for rec in (arrest(), release(), jailed()):
            assert store.add(rec)
            live.update(store, maker, hint=[rec.article.id])
            fired[rec.article.id] = {a.rule_id for a in maker.raised}
        # the detention rule fires on the jailed journalist, never on the burglary suspect
        assert fired == {"arr": {every.id}, "rel": {releases.id}, "jail": {detentions.id}}
        assert britain.id not in fired["arr"]
        (alert,) = [a for a in store.alerts() if a.rule_id == every.id]
        body = json.loads(alert.payload)
        assert body["happening"]["political"] is False and body["rule"]["all_events"] is True
        assert "(any event, political or not)" in alert.line


def test_alerts_add_all_makes_a_rule_for_every_event(db: str) -> None:
    run(db, "alerts", "add", "--party", "GBR")
    assert "(any event" in run(db, "alerts", "add", "--party", "GBR", "--all").output
    rules = json.loads(run(db, "alerts", "list", "--format", "json").output)["rules"]
    assert [r["all_events"] for r in rules] == [False, True]
    assert "political" in run(db, "alerts", "list").output


_OLD_ROWS = (  # as releasewatch wrote them before 0009: a report of a release, and a rule
    "INSERT INTO articles (id, source, kind, encoding, cited_sources, tags, raw_text, clean_text,"
    " problems, ingested_at, published) VALUES ('old', 'news/old.txt', 'text', 'utf-8', '[]',"
    " '[]', 'Belarus freed 3 prisoners.', 'Belarus freed 3 prisoners.', '[]', '2031-01-01',"
    " '2031-01-01')",
    "INSERT INTO event_mentions (id, article_id, mention_index, event_type, status, evidence,"
    " start_offset, end_offset, confidence, background) VALUES ('old-0', 'old', 0, 'release',"
    " 'occurred', 'Belarus freed 3 prisoners.', 0, 26, 1.0, 0)",
    "INSERT INTO alert_rules (id, party, created_at) VALUES (1, 'BLR', '2031-01-01')",
)


def test_rules_and_reports_stored_before_the_field_keep_todays_defaults(
    databases: Databases,
) -> None:
    url = databases.new()
    before = [m for m in load_migrations(dialect=databases.backend) if m.version < 9]
    if databases.backend == "sqlite":
        SQLiteStore(url, migrations=before).close()
        with sqlite3.connect(url) as conn:
            for sql in _OLD_ROWS:
                conn.execute(sql)
    else:
        import psycopg

        PostgresStore(url, migrations=before).close()
        with psycopg.connect(url, autocommit=True) as conn:
            for sql in _OLD_ROWS:
                conn.execute(sql)
    with open_store(url) as store:
        assert (9, "political") in store.applied_migrations()
        assert [r.all_events for r in store.alert_rules()] == [False]
        assert [m.political for m in store.mentions()] == [True]  # never classed: still shown
        ledger.rebuild(store)
        assert [(i["type"], i["political"]) for i in ledger.timeline(store)] == [("release", True)]
