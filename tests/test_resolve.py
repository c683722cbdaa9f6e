"""Merging reports into ledger events, on articles written for these tests."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_resolve_helpers import ref

from releasewatch.errors import InputError
from releasewatch.model import Count
from releasewatch.resolve import Ledger, MentionRef, resolve

BLR, USA, RUS, UKR = ("BLR",), ("USA",), ("RUS",), ("UKR",)
KOL = ("Maria Kolesnikova",)


def _news() -> list[MentionRef]:
    """A small invented news stream: two releases, an easing, a late recall, a swap."""
    kal, bia = ("Maryja Kalesnikava",), ("Ales Bialiatski",)
    return [
        ref("wire#0", "2031-03-02", "release", "Minsk freed 12 prisoners on Sunday, including "
            "Maryja Kalesnikava.", by=BLR, count=12, date="2031-03-02", persons=kal),
        ref("wire#1", "2031-03-02", "sanctions_eased", "Washington lifted sanctions on potash "
            "in exchange for the release.", by=USA, to=BLR, sector="potash", date="2031-03-02"),
        ref("paper#0", "2031-03-03", "release", "Belarus released a dozen prisoners, among "
            "them Maria Kolesnikova.", by=BLR, to=("LTU",), count=12, persons=KOL),
        ref("paper#1", "2031-03-03", "sanctions_eased", "The US eased potash sanctions.",
            by=USA, to=BLR, sector="potash"),
        ref("site#0", "2031-03-09", "release", "Belarus freed 14 more prisoners on Sunday, "
            "among them Ales Bialiatski.", by=BLR, count=14, date="2031-03-09", persons=bia),
        ref("blog#0", "2031-03-10", "release", "Ales Bialacki walked free on Sunday with 13 "
            "others.", by=BLR, count=14, date="2031-03-09", persons=("Ales Bialacki",)),
        ref("mag#0", "2031-07-20", "release", "In March, Minsk had freed 12 prisoners, Maria "
            "Kolesnikova among them.", by=BLR, count=12, persons=KOL, background=True),
        ref("mag#1", "2031-07-20", "exchange", "Russia and Ukraine swapped 200 prisoners of "
            "war on Saturday.", by=("RUS", "UKR"), count=200, date="2031-07-19"),
    ]  # fmt: skip


def test_reports_of_one_release_become_one_event_with_every_source() -> None:
    ledger = resolve(_news())
    event = ledger.event(ledger.event_of("wire", 0))
    assert {s.article_id for s in event.sources} == {"wire", "paper", "mag"}
    assert event.date.consensus == "2031-03-02" and event.date_precision == "day"
    assert event.count.consensus == Count(12)
    assert event.to.consensus == ("LTU",)
    # Kalesnikava and Kolesnikova are one person, listed once.
    assert len(event.persons) == 1
    spellings = set(ledger.person(event.persons[0]).spellings)
    assert spellings == {"Maryja Kalesnikava", "Maria Kolesnikova"}


def test_two_releases_by_one_state_a_week_apart_stay_two_events() -> None:
    ledger = resolve(_news())
    first, second = ledger.event_of("wire", 0), ledger.event_of("site", 0)
    assert first != second
    assert ledger.event_of("blog", 0) == second
    assert len([e for e in ledger.events if e.type == "release"]) == 2


def test_background_recall_months_later_attaches_to_the_original_event() -> None:
    ledger = resolve(_news())
    assert ledger.event_of("mag", 0) == ledger.event_of("wire", 0)
    # The swap in the same later article is its own event.
    assert ledger.event_of("mag", 1) != ledger.event_of("wire", 0)


def test_undated_report_is_anchored_on_its_publication_date() -> None:
    ledger = resolve(_news())
    assert ledger.event_of("paper", 0) == ledger.event_of("wire", 0)
    assert ledger.event_of("paper", 1) == ledger.event_of("wire", 1)


def test_conflicting_counts_are_all_shown_with_their_sources() -> None:
    rows = [("kyiv#0", "2032-05-10", 114), ("wire#0", "2032-05-09", 104), ("blog#0", None, 114)]
    mentions = [
        ref(key, pub, "release", f"Russia handed {n} civilians to Ukraine on Friday.", by=RUS,
            to=UKR, count=n, date="2032-05-08")
        for key, pub, n in rows
    ]  # fmt: skip
    ledger = resolve(mentions)
    assert len(ledger.events) == 1
    event = ledger.events[0]
    assert event.count.conflict
    assert event.count.consensus == Count(114)
    shown = {v.value.value: {s.article_id for s in v.sources} for v in event.count.values}
    assert shown == {114: {"kyiv", "blog"}, 104: {"wire"}}
    assert event.count.describe() == "114 vs 104"
    (conflict,) = ledger.conflicts()
    assert conflict.field == "count" and conflict.event_id == event.id


def test_qualified_figure_is_no_conflict() -> None:
    mentions = [
        ref(key, "2032-01-05", "release", "Freed.", by=BLR, count=n, qualifier=q,
            date="2032-01-04")
        for key, n, q in (("a#0", 100, "over"), ("b#0", 123, "exact"))
    ]  # fmt: skip
    (event,) = resolve(mentions).events
    assert not event.count.conflict and event.count.consensus == Count(123)


def test_deal_links_release_and_sanctions_easing() -> None:
    ledger = resolve(_news())
    release, easing = ledger.event_of("wire", 0), ledger.event_of("wire", 1)
    (deal,) = ledger.deals
    assert {p.event_id for p in deal.parts} == {release, easing}
    ((found, gave, got),) = ledger.deals_of("BLR")
    assert found == deal
    assert [p.event_id for p in gave] == [release]
    assert [p.event_id for p in got] == [easing]
    assert any("in exchange for" in s.evidence for s in deal.sources)


def test_no_deal_without_a_trade_cue() -> None:
    mentions = [m for m in _news() if m.article_id != "wire"]
    assert resolve(mentions).deals == ()


def test_swap_halves_reported_as_two_releases_are_one_deal() -> None:
    mentions = [
        ref("x#0", "2033-02-01", "release", "Moscow freed two Americans in return for a "
            "Russian.", by=RUS, to=USA, count=2, date="2033-02-01"),
        ref("x#1", "2033-02-01", "release", "Washington freed the Russian.", by=USA, to=RUS,
            count=1, date="2033-02-01"),
    ]  # fmt: skip
    (deal,) = resolve(mentions).deals
    assert {p.gives for p in deal.parts} == {RUS, USA}


def test_status_moves_from_discussed_to_agreed_to_occurred_with_history() -> None:
    rows = [("p1#0", "2034-04-01", "discussed", None), ("p2#0", "2034-04-05", "agreed", None)]
    rows.append(("p3#0", "2034-04-08", "occurred", "2034-04-08"))
    mentions = [
        ref(key, pub, "release", f"40 prisoners: {status}.", status=status, by=BLR, count=40,
            date=when)
        for key, pub, status, when in rows
    ]  # fmt: skip
    (event,) = resolve(mentions).events
    assert event.status == "occurred"
    steps = [(s.status, s.first_reported) for s in event.history]
    assert steps == [(status, pub) for _, pub, status, _ in rows]
    assert [s.article_id for s in event.history[0].sources] == ["p1"]


def test_a_possible_release_long_before_stays_apart() -> None:
    mentions = [
        ref("p1#0", "2034-01-01", "release", "A release of 40 is possible.", status="discussed",
            by=BLR, count=40),
        ref("p3#0", "2034-04-08", "release", "Minsk freed 40 prisoners on Tuesday.", by=BLR,
            count=40, date="2034-04-08"),
    ]  # fmt: skip
    assert len(resolve(mentions).events) == 2


def test_reports_in_one_article_never_merge() -> None:
    mentions = [
        ref(f"one#{i}", "2035-01-10", "detention", "Police detained Ivan Petrov.", by=RUS,
            persons=("Ivan Petrov",), date="2035-01-09")
        for i in range(2)
    ]  # fmt: skip
    assert len(resolve(mentions).events) == 2


def test_different_sanctions_targets_and_sectors_stay_apart() -> None:
    rows = [("a#0", "sanctions_imposed", ("EU",), BLR, None)]
    rows += [("b#0", "sanctions_imposed", ("EU",), RUS, None)]
    rows += [("c#0", "sanctions_eased", USA, BLR, "potash")]
    rows += [("d#0", "sanctions_eased", USA, BLR, "aviation")]
    mentions = [
        ref(key, "2035-02-01", kind, "Sanctions.", by=by, to=to, sector=sector,
            date="2035-02-01")
        for key, kind, by, to, sector in rows
    ]  # fmt: skip
    assert len(resolve(mentions).events) == 4


def test_event_id_stays_when_a_later_report_joins() -> None:
    news = _news()
    before = resolve(news).event_of("wire", 0)
    later = ref("late#0", "2031-03-04", "release", "Twelve were freed on Sunday.", by=BLR,
                count=12, date="2031-03-02")  # fmt: skip
    ledger = resolve([*news, later])
    assert ledger.event_of("late", 0) == before == ledger.event_of("wire", 0)


def test_same_mention_twice_is_an_input_error() -> None:
    news = _news()
    with pytest.raises(InputError, match="wire#0"):
        resolve([*news, news[0]])


def _fingerprint(ledger: Ledger) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
    return [(e.id, tuple(r.key for r in e.members)) for e in ledger.events]


def test_order_does_not_change_the_ledger() -> None:
    news = _news()
    expected = resolve(news)
    for seed in range(5):
        shuffled = news[:]
        random.Random(seed).shuffle(shuffled)
        got = resolve(shuffled)
        assert got == expected
        assert _fingerprint(got) == _fingerprint(expected)


@settings(max_examples=25, deadline=None)
@given(st.permutations(_news()))
def test_any_permutation_gives_the_same_ledger(shuffled: list[MentionRef]) -> None:
    assert _fingerprint(resolve(shuffled)) == _fingerprint(resolve(_news()))
