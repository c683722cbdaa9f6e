"""The resolved ledger in the store: rebuild, queries, person decisions, privacy, exports.

Every article here is written for these tests (invented events, real states).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import Databases

from releasewatch import ledger
from releasewatch.errors import InputError, NotFoundError
from releasewatch.ledger.live import LiveLedger
from releasewatch.model import Article, ArticleRecord, Count, EventMention
from releasewatch.pipeline import ingest_paths
from releasewatch.store import (
    EventQuery,
    LedgerEventRow,
    LedgerTables,
    SQLiteStore,
    Store,
    load_migrations,
    open_store,
)
from releasewatch.store.schema import LEDGER_TABLES

Spec = tuple[str, dict[str, Any]]  # evidence sentence, EventMention fields


def record(
    aid: str, published: str | None, outlet: str, title: str, paragraphs: list[str], *events: Spec
) -> ArticleRecord:
    """An article of ours with its events; each evidence is located in the text. Events are
    political (prisoners, sanctions) unless their fields say otherwise."""
    text = "\n\n".join(paragraphs)
    mentions = []
    for evidence, fields in events:
        fields = {"political": True, **fields}
        start = text.index(evidence)
        count = fields.pop("count", None)
        mentions.append(
            EventMention(
                evidence=evidence,
                start=start,
                end=start + len(evidence),
                count=Count(count) if isinstance(count, int) else count,
                **fields,
            )
        )
    article = Article(
        id=aid, source=f"news/{aid}.txt", text=text, raw=text, title=title,
        published=published, outlet=outlet,
    )  # fmt: skip
    return ArticleRecord(article=article, events=tuple(mentions))


def _rel(**fields: Any) -> dict[str, Any]:
    return {"type": "release", "status": "occurred", "by": ("BLR",), **fields}


def news() -> list[ArticleRecord]:
    """Invented reports: one release told three ways, a second release, a recall, a deal."""
    s1 = "Belarus freed 14 political prisoners on Sunday, among them Maryja Kalesnikava."
    s2 = "Washington lifted sanctions on Belarusian potash in exchange for the release."
    s3 = "Minsk released 16 prisoners, including Maria Kolesnikova, the ministry said."
    s4 = "Belarus freed 9 more prisoners on Sunday, among them Ales Bialiatski."
    s5 = "In March, Belarus had freed 14 political prisoners, Maria Kolesnikova among them."
    s6 = "The US eased sanctions on Belarusian potash."
    return [
        record(
            "wire-march", "2031-03-02", "Baltic Wire", "Belarus frees 14, US lifts potash curbs",
            ["Vilnius, 2 March.", s1, s2],
            (s1, _rel(count=14, date="2031-03-02", persons=("Maryja Kalesnikava",))),
            (s2, {"type": "sanctions_eased", "status": "occurred", "by": ("USA",),
                  "to": ("BLR",), "sector": "potash", "date": "2031-03-02"}),
        ),
        record(
            "paper-march", "2031-03-03", "Daily Ledger", "Sixteen freed in Belarus",
            [s3, s6],
            (s3, _rel(count=16, date="2031-03-02", to=("LTU",),
                      persons=("Maria Kolesnikova",))),
            (s6, {"type": "sanctions_eased", "status": "occurred", "by": ("USA",),
                  "to": ("BLR",), "sector": "potash"}),
        ),
        record(
            "site-week-later", "2031-03-10", "Site News", "Nine more freed",
            [s4], (s4, _rel(count=9, date="2031-03-09", persons=("Ales Bialiatski",))),
        ),
        record(
            "mag-july", "2031-07-20", "Monthly Review", "Months after the March release",
            ["A look back.", s5],
            (s5, _rel(count=14, persons=("Maria Kolesnikova",), background=True)),
        ),
    ]  # fmt: skip


def fill(store: Store, records: Iterable[ArticleRecord]) -> dict[str, Any]:
    """Store the records and rebuild the ledger."""
    for rec in records:
        assert store.add(rec)
    return ledger.rebuild(store)


@pytest.fixture
def store(db_url: str) -> Iterable[Store]:
    """A fresh ledger holding the invented news (on each backend)."""
    with open_store(db_url) as opened:
        fill(opened, news())
        yield opened


def event_of(store: Store, mention_id: str) -> str:
    """The ledger event a stored mention was merged into."""
    return store.mention_events()[mention_id]


def dump(store: Store) -> list[tuple[str, list[str], list[str]]]:
    """Every ledger event with its members and persons, for comparing ledgers."""
    return [
        (e["id"], sorted(m["mention_id"] for m in ledger.get_event(store, e["id"])["members"]),
         [p["id"] for p in e["persons"]])
        for e in ledger.timeline(store)
    ]  # fmt: skip


def test_one_release_told_by_three_articles_is_one_event_with_every_source(
    store: Store,
) -> None:
    eid = event_of(store, "wire-march-0")
    assert event_of(store, "paper-march-0") == eid == event_of(store, "mag-july-0")
    event = ledger.get_event(store, eid)
    assert [s["article_id"] for s in event["sources"]] == ["wire-march", "paper-march", "mag-july"]
    assert event["n_sources"] == 3 and event["date"] == "2031-03-02"
    members = {m["mention_id"]: m for m in event["members"]}
    first = members["wire-march-0"]
    assert first["paragraph"][slice(*first["span"])] == first["evidence"]
    assert first["outlet"] == "Baltic Wire" and first["title"].startswith("Belarus frees")
    assert [h["status"] for h in event["history"]] == ["occurred"]
    assert event["deal"] is not None


def test_spelling_variants_are_one_person_listed_once(store: Store) -> None:
    event = ledger.get_event(store, event_of(store, "wire-march-0"))
    assert len(event["persons"]) == 1
    person = ledger.get_person(store, "Maryja Kalesnikava")
    assert person["id"] == event["persons"][0]["id"]
    assert {"Maryja Kalesnikava", "Maria Kolesnikova"} <= set(person["spellings"])
    assert ledger.get_person(store, "maria kolesnikova")["id"] == person["id"]
    assert ledger.get_person(store, "Maria Kalesnikava")["id"] == person["id"]  # unseen spelling
    assert [h["status"] for h in person["history"]] == ["released"]
    assert person["history"][0]["sources"]
    page = ledger.list_persons(store, name="kolesnik")
    assert [p["id"] for p in page["items"]] == [person["id"]]


def test_two_releases_by_one_state_a_week_apart_stay_two_events(store: Store) -> None:
    assert event_of(store, "site-week-later-0") != event_of(store, "wire-march-0")
    releases = ledger.list_events(store, type="release", party="BLR")["items"]
    assert [e["date"] for e in releases] == ["2031-03-02", "2031-03-09"]


def test_a_background_mention_months_later_attaches_to_the_happening(store: Store) -> None:
    event = ledger.get_event(store, event_of(store, "mag-july-0"))
    assert event["date"] == "2031-03-02"
    assert "mag-july" in [s["article_id"] for s in event["sources"]]
    assert not ledger.list_events(store, since="2031-07")["items"]


def test_a_conflict_shows_both_values_with_their_sources(store: Store) -> None:
    conflicts = ledger.list_conflicts(store)
    assert [c["id"] for c in conflicts] == [event_of(store, "wire-march-0")]
    (count,) = [c for c in conflicts[0]["conflicts"] if c["field"] == "count"]
    by_value = {
        v["value"]["value"]: {s["article_id"] for s in v["sources"]} for v in count["values"]
    }
    assert by_value == {14: {"wire-march", "mag-july"}, 16: {"paper-march"}}
    event = ledger.get_event(store, conflicts[0]["id"])
    assert event["has_conflict"] and "count" in [c["field"] for c in event["conflicts"]]
    assert event["count"] == {"value": 14, "qualifier": "exact"}  # the better supported one


def test_a_release_traded_for_sanctions_easing_is_one_deal(store: Store) -> None:
    (deal,) = ledger.list_deals(store, party="BLR")
    assert [p["type"] for p in deal["gave"]] == ["release"]
    assert [(p["type"], p["sector"]) for p in deal["got"]] == [("sanctions_eased", "potash")]
    assert deal["got"][0]["event_id"] == event_of(store, "paper-march-1")
    assert any("in exchange for" in s["evidence"] for s in deal["sources"])
    assert ledger.list_deals(store, party="VEN") == []


def test_pages_walk_every_event_once_in_date_order(store: Store) -> None:
    seen, cursor = [], None
    while True:
        page = ledger.list_events(store, cursor=cursor, limit=1)
        seen += [(e["sort_date"], e["id"]) for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == len(ledger.timeline(store))
    with pytest.raises(InputError, match="cursor"):
        ledger.list_events(store, cursor="not-a-cursor")
    with pytest.raises(InputError, match="limit"):
        ledger.list_events(store, limit=0)


def test_filters_by_person_text_and_conflict(store: Store) -> None:
    by_person = ledger.list_events(store, person="Maria Kolesnikova")["items"]
    assert [e["id"] for e in by_person] == [event_of(store, "wire-march-0")]
    assert [e["id"] for e in ledger.list_events(store, q="bialiatski")["items"]] == [
        event_of(store, "site-week-later-0")
    ]
    assert len(ledger.list_events(store, has_conflict=True)["items"]) == 1
    assert ledger.list_events(store, person="Nobody Atall") == {"items": [], "next_cursor": None}


def test_monthly_counts_people_released_by_the_releasing_state(store: Store) -> None:
    rows = {(r["month"], r["party"]): r for r in ledger.monthly(store)}
    assert rows[("2031-03", "BLR")]["people_released"] == 14 + 9
    assert rows[("2031-03", "BLR")]["events"] == 2
    assert rows[("2031-03", "USA")]["people_released"] == 0


def test_the_ledger_is_the_same_whatever_order_articles_arrive_in(databases: Databases) -> None:
    records = news()
    with open_store(databases.new("a")) as a, open_store(databases.new("b")) as b:
        for rec in records:  # rebuilt after every article, like one ingest per article
            fill(a, [rec])
        for rec in reversed(records):
            fill(b, [rec])
        assert dump(a) == dump(b)
        assert ledger.list_persons(a) == ledger.list_persons(b)
        assert ledger.list_deals(a) == ledger.list_deals(b)


ARTICLES = {
    "minsk-frees.txt": "Belarus frees 20 prisoners\n\nMINSK, March 14, 2031 (Baltic Wire) — "
    "Belarus released 20 political prisoners on Friday, the Lithuanian foreign ministry said.\n",
    "vilnius-welcomes.txt": "Freed Belarusians reach Vilnius\n\nVILNIUS, March 15, 2031 "
    "(Daily Ledger) — Belarus freed 20 political prisoners on Friday and handed them over to "
    "Lithuania, officials said.\n",
    "caracas-arrests.txt": "Venezuela detains journalists\n\nCARACAS, April 2, 2031 (Hemisphere "
    "Post) — Venezuelan police detained three journalists on Tuesday, their union said.\n",
}


def _write(folder: Path) -> list[Path]:
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(folder.iterdir())


def test_ingesting_files_in_two_orders_gives_the_same_ledger(
    tmp_path: Path, databases: Databases
) -> None:
    files = _write(tmp_path / "news")
    with open_store(databases.new("a")) as a, open_store(databases.new("b")) as b:
        for path in files:
            assert ingest_paths([path], a).ledger is not None
        for path in reversed(files):
            ingest_paths([path], b)
        assert dump(a) == dump(b)
        assert ingest_paths(files, a).ledger is None  # nothing new: no rebuild
        multi = [e for e in ledger.timeline(a) if e["n_sources"] > 1]
        assert [e["type"] for e in multi] == ["release"]  # the two release reports merged


def test_a_hand_merge_and_split_survive_later_ingests(store: Store) -> None:
    extra = "Belarus freed Sergei Tikhanovsky and 5 others on Thursday."
    later = "S. Tsikhanouski, freed in June, spoke to reporters."
    fill(store, [
        record("june-a", "2031-06-06", "Wire", "Six freed", [extra],
               (extra, _rel(count=6, date="2031-06-05", persons=("Sergei Tikhanovsky",)))),
    ])  # fmt: skip
    merged = ledger.merge_persons(store, "Sergei Tikhanovsky", "Ales Bialiatski")
    assert {"Sergei Tikhanovsky", "Ales Bialiatski"} <= set(merged["spellings"])
    ledger.split_person(store, "Maria Kolesnikova")
    fill(store, [
        record("june-b", "2031-06-20", "Wire", "Interview", [later],
               (later, _rel(count=1, date="2031-06", persons=("S. Tsikhanouski",)))),
    ])  # fmt: skip
    again = ledger.get_person(store, "Ales Bialiatski")
    assert {"Sergei Tikhanovsky", "Ales Bialiatski"} <= set(again["spellings"])
    assert ledger.get_person(store, "Maria Kolesnikova")["spellings"] == ["Maria Kolesnikova"]
    assert "Maria Kolesnikova" not in ledger.get_person(store, "Maryja Kalesnikava")["spellings"]
    with pytest.raises(InputError, match="already one person"):
        ledger.merge_persons(store, "Ales Bialiatski", "Sergei Tikhanovsky")
    with pytest.raises(NotFoundError):
        ledger.split_person(store, "Nobody Atall")


def test_a_protected_person_is_withheld_unless_asked_for(store: Store, tmp_path: Path) -> None:
    result = ledger.set_protected(store, "Maria Kolesnikova", True)
    names = ("Kolesnikova", "Kalesnikava", "kolesnikova")
    eid = event_of(store, "wire-march-0")
    hidden = {
        "event": ledger.get_event(store, eid),
        "events": ledger.list_events(store),
        "persons": ledger.list_persons(store),
        "conflicts": ledger.list_conflicts(store),
        "json": ledger.export_ledger(store, "json"),
        "csv": ledger.export_ledger(store, "csv"),
    }
    text = json.dumps(hidden, ensure_ascii=False)
    assert not any(n in text for n in names)
    assert hidden["event"]["persons"] == [{"id": result["id"], "name": "name withheld",
                                           "protected": True}]  # fmt: skip
    member = hidden["event"]["members"][0]
    assert member["paragraph"][slice(*member["span"])] == ledger.TEXT_WITHHELD.join(
        member["evidence"].split(ledger.TEXT_WITHHELD)
    )
    with pytest.raises(NotFoundError):
        ledger.get_person(store, "Maria Kolesnikova")
    assert ledger.get_person(store, result["id"])["spellings"] == []
    shown = ledger.get_event(store, eid, include_protected=True)
    assert shown["persons"][0]["name"] in ("Maria Kolesnikova", "Maryja Kalesnikava")
    written = ledger.export_records(store, tmp_path / "records")
    exported = "".join(p.read_text(encoding="utf-8") for p in written)
    assert not any(n in exported for n in names) and "name withheld" in exported
    rec = json.loads((tmp_path / "records" / "paper-march.json").read_text(encoding="utf-8"))
    ev = rec["events"][0]
    assert rec["article"]["text"][ev["start"] : ev["end"]] == ev["evidence"]
    ledger.set_protected(store, result["id"], False)
    assert ledger.get_person(store, "Maria Kolesnikova")["protected"] is False


def test_exported_records_carry_the_happening_ids(store: Store, tmp_path: Path) -> None:
    written = ledger.export_records(store, tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(f"{r.article.id}.json" for r in news())
    recs = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in written}
    assert recs["wire-march"]["events"][0]["happening"] == event_of(store, "wire-march-0")
    assert (
        recs["mag-july"]["events"][0]["happening"] == recs["wire-march"]["events"][0]["happening"]
    )
    assert (
        recs["site-week-later"]["events"][0]["happening"]
        != (recs["wire-march"]["events"][0]["happening"])
    )
    assert recs["wire-march"]["article"]["published"] == "2031-03-02"


def test_ledger_exports_have_one_row_per_event_with_its_sources(store: Store) -> None:
    items = json.loads(ledger.export_ledger(store, "json"))
    rows = list(csv.DictReader(io.StringIO(ledger.export_ledger(store, "csv"))))
    assert (
        [r["id"] for r in rows]
        == [i["id"] for i in items]
        == [e["id"] for e in ledger.timeline(store)]
    )
    first = next(r for r in rows if r["id"] == event_of(store, "wire-march-0"))
    assert first["source_articles"].split(";") == ["wire-march", "paper-march", "mag-july"]
    assert first["conflicts"] == "count" and first["persons_released"] == "14"
    with pytest.raises(InputError, match="csv or json"):
        ledger.export_ledger(store, "xml")


def test_unknown_ids_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no-such"):
        ledger.get_event(store, "no-such")
    with pytest.raises(NotFoundError):
        ledger.get_person(store, "p-nobody")


def test_a_first_version_ledger_is_upgraded_and_resolved(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    # The first schema, plus the column today's add() writes that it lacked (0006); the other
    # (0009's `political`) is there only while the old reports are written, then dropped, so
    # that the file holds what the first version left.
    first = [m for m in load_migrations(dialect="sqlite") if m.version in (1, 6)]
    with SQLiteStore(path, migrations=first) as old, old.transaction():
        old._write("ALTER TABLE event_mentions ADD COLUMN political INTEGER")
        for rec in news():
            old.add(rec)
        old._write("ALTER TABLE event_mentions DROP COLUMN political")
    with SQLiteStore(path) as upgraded:
        assert (2, "ledger") in upgraded.applied_migrations()
        assert ledger.status(upgraded) is None
        summary = ledger.rebuild(upgraded)
        # reports stored before 0009 were never classed: they count as political (shown)
        assert summary["events"] == len(ledger.timeline(upgraded)) == 3
        assert ledger.rebuild(upgraded)["events"] == 3  # rebuilding replaces, never adds


def _pages(store: Store) -> dict[str, Any]:
    """Every event list page a caller and the token holder get, as dicts and as sent (JSON)."""
    pages: dict[str, Any] = {}
    for holder in (False, True):
        for scope in (True, False, None):
            page = ledger.events_page(store, political=scope, limit=2, include_protected=holder)
            pages[f"{holder}-{scope}"] = (page.to_dict(), page.to_json())
    return pages


def _rewrite_as_before(store: Store, version: str, kept: tuple[str, ...], **blank: str) -> None:
    """Rewrite the stored ledger as an older release left it: the event columns of `blank`
    empty, only the meta rows `kept` (and a version named for the release)."""
    meta = {n: str(store.ledger_meta(n)) for n in kept}
    built = {}
    for table, row_type, name in LEDGER_TABLES:
        built[name] = tuple(row_type(*r) for r in store.table_rows(table))
    built["events"] = tuple(replace(e, **blank) for e in built["events"])
    with store.ledger_transaction():
        store.replace_ledger(LedgerTables(**built), {**meta, "version": version})


def _without_items(store: Store) -> None:
    """Rewrite the stored ledger as a release before migration 0012 left it: no list items."""
    _rewrite_as_before(store, "before-0012", ("summary", "fingerprint", "protected"), item="")


def test_stored_list_items_are_what_the_rows_gave_before_they_were_stored(store: Store) -> None:
    ledger.set_protected(store, "Maria Kolesnikova", True)  # one withheld from callers
    stored = _pages(store)
    for _, sent in stored.values():  # the items joined are the page encoded
        assert json.loads(sent) == _
        assert sent == json.dumps(_, ensure_ascii=False, separators=(",", ":"))
    caller = stored["False-None"][1]
    assert "name withheld" in caller and "Kolesnikova" not in caller
    assert "Kolesnikova" in stored["True-None"][1]
    _without_items(store)
    assert not any(r.item for r in store.ledger_events(EventQuery()))
    assert _pages(store) == stored  # built from the rows, as before 0012: the same pages
    ledger.rebuild(store)
    assert all(r.item for r in store.ledger_events(EventQuery())) and _pages(store) == stored


def _events(store: Store) -> dict[str, Any]:
    """Every event in full, as a caller and as the token holder get it."""
    ids = [r.id for r in store.ledger_events(EventQuery())]
    return {
        f"{holder}-{i}": ledger.get_event(store, i, include_protected=holder)
        for holder in (False, True)
        for i in ids
    }


def _body(store: Store, event_id: str) -> str:
    """An event's stored body (a list reads none)."""
    row = store.ledger_event(event_id)
    assert row is not None
    return row.body


def _as_before_0013(store: Store) -> None:
    """Rewrite the stored ledger as a release before migration 0013 left it: no list items,
    no event bodies, no protected-persons meta row."""
    _rewrite_as_before(store, "before-0013", ("summary", "fingerprint"), item="", body="")


def test_stored_event_bodies_are_what_the_tables_gave_before_they_were_stored(
    store: Store,
) -> None:
    ledger.set_protected(store, "Maria Kolesnikova", True)  # one withheld from callers
    stored, pages = _events(store), _pages(store)
    assert all(_body(store, r.id) for r in store.ledger_events(EventQuery()))
    assert store.ledger_meta("protected") not in (None, "[]")
    caller = json.dumps([v for k, v in stored.items() if k.startswith("False-")])
    holder = json.dumps([v for k, v in stored.items() if k.startswith("True-")])
    assert "Kolesnikova" not in caller and "name withheld" in caller
    assert "Kolesnikova" in holder
    _as_before_0013(store)
    assert store.ledger_meta("protected") is None
    assert not any(r.item or _body(store, r.id) for r in store.ledger_events(EventQuery()))
    assert _events(store) == stored and _pages(store) == pages  # read from the tables
    ledger.rebuild(store)
    assert _events(store) == stored and _pages(store) == pages


def _told_again(store: Store) -> tuple[LedgerEventRow, LedgerEventRow]:
    """The wire's March release as the live ledger stores it after the first article, and after
    the others (the paper tells the same release, with a conflict)."""
    records = news()
    live = LiveLedger()
    live.add(store, records[:1])
    first = store.ledger_event(event_of(store, "wire-march-0"))
    live.add(store, records[1:])
    row = store.ledger_event(event_of(store, "wire-march-0"))
    assert first is not None and row is not None and first.id == row.id
    return first, row


def test_an_incremental_update_writes_the_bodies_and_meta_a_rebuild_writes(db_url: str) -> None:
    with open_store(db_url) as store:
        first, row = _told_again(store)
        before, after = json.loads(first.body), json.loads(row.body)
        assert (len(before["members"]), len(after["members"])) == (1, 3)
        assert after["members"][0]["paragraph"]  # the evidence's paragraph of its article
        protected = store.ledger_meta("protected")
        ledger.rebuild(store)
        rebuilt = store.ledger_event(row.id)
        assert rebuilt is not None and rebuilt.body == row.body
        assert store.ledger_meta("protected") == protected == "[]"


def test_an_event_changed_by_a_later_article_has_its_list_item_rewritten(db_url: str) -> None:
    with open_store(db_url) as store:
        first, row = _told_again(store)
        before, after = json.loads(first.item), json.loads(row.item)
        assert (before["n_sources"], after["n_sources"]) == (1, 3)
        assert not before["has_conflict"] and after["has_conflict"]
        ledger.rebuild(store)  # what the incremental update wrote is what a rebuild writes
        rebuilt = store.ledger_event(row.id)
        assert rebuilt is not None and rebuilt.item == row.item
