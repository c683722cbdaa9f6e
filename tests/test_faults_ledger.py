"""Issue 10, item 17 outside extraction: deals and the monthly chart, read right.

The bundled examples' trades, written as the event mentions a careful reader takes from them
(hand-made, so these tests stand whatever extraction reads), and the examples end to end.
Each failed before its fix.
"""

from __future__ import annotations

import json
import re

from click.testing import CliRunner
from conftest import REPO_ROOT
from fastapi.testclient import TestClient
from test_resolve_helpers import ref

from releasewatch import ledger
from releasewatch.cli import cli
from releasewatch.model import Article, ArticleRecord, Count, EventMention
from releasewatch.resolve import MentionRef, resolve
from releasewatch.store import open_store
from releasewatch.web import charts, create_app

RUS, USA, BLR, VEN = ("RUS",), ("USA",), ("BLR",), ("VEN",)
SWAP = (
    "ABU DHABI (Eastline News) — Russia and the United States exchanged eight prisoners at Abu"
    " Dhabi airport on Monday in a swap brokered by the United Arab Emirates, officials from"
    " both countries said."
)
PRESS = (
    "The US secretary of state thanked the UAE for its mediation and said Washington would"
    " continue to press for the release of other Americans it considers wrongfully detained in"
    " Russia."
)
BELAVIA = (
    "WASHINGTON (Northline Wire) — The United States lifted sanctions on the Belarusian state"
    " airline Belavia on Thursday, a day after Belarus freed 52 political prisoners, the"
    " Treasury Department said."
)
CARACAS = (
    "Washington is considering easing some oil sanctions on Venezuela if the detainees are"
    " freed, two people familiar with the talks told Reuters."
)


def _swap_article() -> list[MentionRef]:
    """The swap example: a completed swap, and a release Washington still presses for."""
    return [
        ref("swap#0", "2025-04-22", "exchange", SWAP, by=("RUS", "USA"), count=8,
            date="2025-04-21"),
        ref("swap#2", "2025-04-22", "release", PRESS, status="discussed", by=RUS),
    ]  # fmt: skip


def _deal_types(mentions: list[MentionRef]) -> list[list[tuple[str, str]]]:
    """Each deal's parts as (type, status of the part's event), sorted."""
    built = resolve(mentions)
    status = {e.id: e.status for e in built.events}
    return sorted(sorted((p.type, status[p.event_id]) for p in d.parts) for d in built.deals)


# ------------------------------------------------------------------ deals


def test_a_completed_swap_is_not_paired_with_a_release_still_pressed_for() -> None:
    assert _deal_types(_swap_article()) == []


def test_what_was_done_is_not_traded_for_what_is_only_discussed_across_sentences() -> None:
    # A trade cue that is no call, in the discussed report's sentence: still no pairing.
    later = "More Americans could be freed in exchange for other Russians, the Kremlin said."
    mentions = [
        _swap_article()[0],
        ref("swap#3", "2025-04-22", "release", later, status="discussed", by=RUS),
    ]
    assert _deal_types(mentions) == []
    # One sentence stating both is a trade whatever their status.
    both = "Russia freed two Americans in exchange for a promise of sanctions relief."
    mentions = [
        ref("x#0", "2025-05-01", "release", both, by=RUS, count=2),
        ref("x#1", "2025-05-01", "sanctions_eased", both, status="discussed", by=USA, to=RUS),
    ]
    assert _deal_types(mentions) == [[("release", "occurred"), ("sanctions_eased", "discussed")]]


def test_sanctions_lifted_a_day_after_a_release_are_a_trade() -> None:
    mentions = [
        ref("belavia#0", "2025-09-11", "sanctions_eased", BELAVIA, by=USA, to=BLR,
            sector="aviation"),
        ref("belavia#1", "2025-09-11", "release", BELAVIA, by=BLR, count=52),
    ]  # fmt: skip
    built = resolve(mentions)
    (deal,) = built.deals
    parts = {p.type: (p.gives, p.gets) for p in deal.parts}
    assert parts == {"release": (BLR, USA), "sanctions_eased": (USA, BLR)}
    assert deal.status == "occurred" and [s.evidence for s in deal.sources] == [BELAVIA]


def test_an_easing_offered_on_condition_of_a_release_is_a_discussed_trade() -> None:
    mentions = [
        ref("caracas#1", "2025-06-18", "release", CARACAS, status="discussed", by=VEN),
        ref("caracas#3", "2025-06-18", "sanctions_eased", CARACAS, status="discussed", by=USA,
            to=VEN),
    ]  # fmt: skip
    assert _deal_types(mentions) == [[("release", "discussed"), ("sanctions_eased", "discussed")]]


def test_one_sentence_links_only_what_fits() -> None:
    # The easing goes to another state than the releasing one: no trade.
    other = "The US lifted sanctions on Venezuela a day after Belarus freed 52 prisoners."
    assert _deal_types([
        ref("o#0", "2025-09-11", "sanctions_eased", other, by=USA, to=VEN),
        ref("o#1", "2025-09-11", "release", other, by=BLR, count=52),
    ]) == []  # fmt: skip
    # Two sentences: "after" ties nothing.
    assert _deal_types([
        ref("t#0", "2025-09-11", "sanctions_eased", "The US lifted sanctions on Belarus.",
            by=USA, to=BLR),
        ref("t#1", "2025-09-11", "release", "Belarus freed 52 prisoners after talks.",
            by=BLR, count=52),
    ]) == []  # fmt: skip
    # Done, and only talked about: no answer of one act to the other.
    mixed = "The US is considering easing sanctions after Belarus freed 52 prisoners."
    assert _deal_types([
        ref("m#0", "2025-09-11", "sanctions_eased", mixed, status="discussed", by=USA, to=BLR),
        ref("m#1", "2025-09-11", "release", mixed, by=BLR, count=52),
    ]) == []  # fmt: skip


def test_the_bundled_examples_give_their_trades(tmp_path) -> None:
    db = str(tmp_path / "examples.sqlite")
    result = CliRunner().invoke(cli, ["--db", db, "ingest", str(REPO_ROOT / "examples")])
    assert result.exit_code == 0, result.output
    deals = json.loads(CliRunner().invoke(cli, ["--db", db, "deals", "--format", "json"]).output)
    kinds = sorted(sorted((p["type"], tuple(p["gives"])) for p in d["parts"]) for d in deals)
    assert [("release", BLR), ("sanctions_eased", USA)] in kinds  # Belavia for 52 prisoners
    assert not any(t == "exchange" for k in kinds for t, _ in k)  # the swap trades nothing more


# ------------------------------------------------------------------ the monthly chart


def _record(aid: str, evidence: str, **event: object) -> ArticleRecord:
    """A one-event article written for the test."""
    text = f"{evidence}\n\nNothing else happened."
    article = Article(id=aid, source=f"test:{aid}", text=text, raw=text, title=aid,
                      published="2025-04-22")  # fmt: skip
    mention = EventMention(evidence=evidence, start=0, end=len(evidence), **event)  # type: ignore[arg-type]
    return ArticleRecord(article=article, events=(mention,))


def _people_per_month(chart: charts.Chart) -> dict[str, int]:
    """The people a stacked chart shows per month (its segments' values added up)."""
    totals: dict[str, int] = {}
    for bar in chart.bars:
        month, value = re.fullmatch(r"(\S+) .*: (\d+)", bar.label).groups()  # type: ignore[union-attr]
        totals[month] = totals.get(month, 0) + int(value)
    return totals


def test_a_swap_counts_its_people_once_in_the_monthly_chart(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add(_record("swap", SWAP, type="exchange", status="occurred", by=("RUS", "USA"),
                          count=Count(8), date="2025-04-21"))  # fmt: skip
        store.add(_record("minsk", "Belarus freed 14 political prisoners on Thursday.",
                          type="release", status="occurred", by=BLR, count=Count(14),
                          date="2025-04-17"))  # fmt: skip
        ledger.rebuild(store)
        rows = ledger.monthly(store)
        assert sum(r["people_released"] for r in rows if r["month"] == "2025-04") == 22
        assert sum(r["events"] for r in rows if r["month"] == "2025-04") == 2
        assert {(r["party"], r["people_released"]) for r in rows} == {("RUS+USA", 8), ("BLR", 14)}
        assert ledger.monthly(store, party="RUS") == [
            {"month": "2025-04", "party": "RUS", "events": 1, "people_released": 8}
        ]
        chart = charts.stacked(rows, "people_released", "People released per month, by party")
        assert _people_per_month(chart) == {"2025-04": 22}
    with TestClient(create_app(db_url)) as c:
        assert c.get("/api/monthly").json() == rows
        page = c.get("/").text
        assert "2025-04 RUS+USA: 8" in page and "2025-04 RUS: 8" not in page
