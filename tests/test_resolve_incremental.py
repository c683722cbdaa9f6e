"""The incremental ledger equals a full rebuild, whatever the order the articles arrive in."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasewatch.errors import InputError
from releasewatch.model import Count, EventMention
from releasewatch.resolve import MentionRef, Settings, group_persons, load_settings, resolve
from releasewatch.resolve.incremental import IncrementalResolver
from releasewatch.resolve.merge import _inferred_anchors, candidates, canonical, cluster, features
from releasewatch.resolve.persons import default_folder, group_names
from releasewatch.resolve.registry import PersonRegistry

TYPES = ("release", "exchange", "detention", "talks", "sanctions_imposed", "sanctions_eased")
PARTIES = ("BLR", "RUS", "USA", "LTU")
NAMES = (
    "Maria Kalesnikava", "Maryja Kalesnikava", "Maria Kolesnikova", "Kolesnikova",
    "M. Kolesnikova", "Ales Bialiatski", "Bialiatski", "Ales Byalyatski", "Viktar Babaryka",
    "Viktor Babariko", "Babaryka", "Ihar Losik", "Losik",
)  # fmt: skip
DAYS = tuple(f"2025-05-{d:02d}" for d in range(1, 12))
EVIDENCE = (
    "Belarus freed the prisoners.",
    "They were freed in exchange for the easing of sanctions.",
    "The men were released as part of the deal.",
    "Officials discussed a possible release.",
)

COUNTS = st.builds(
    Count,
    st.sampled_from((1, 2, 5, 14, 15, 16, 100, 104, 114)),
    st.sampled_from(("exact", "over", "about", "at_least", "up_to")),
)


@st.composite
def mention(draw: st.DrawFn) -> EventMention:
    """A mention from small pools, so that reports collide, merge and conflict often."""
    dates = st.one_of(st.sampled_from(DAYS), st.sampled_from(("2025-05", "2025-06", "2025")))
    return EventMention(
        type=draw(st.sampled_from(TYPES)),
        status=draw(st.sampled_from(("occurred", "agreed", "discussed"))),
        evidence=draw(st.sampled_from(EVIDENCE)),
        start=-1,
        end=-1,
        by=tuple(draw(st.lists(st.sampled_from(PARTIES), max_size=2, unique=True))),
        to=tuple(draw(st.lists(st.sampled_from(PARTIES), max_size=1, unique=True))),
        count=draw(st.one_of(st.none(), COUNTS)),
        persons=tuple(draw(st.lists(st.sampled_from(NAMES), max_size=2, unique=True))),
        sector=draw(st.one_of(st.none(), st.sampled_from(("potash", "oil")))),
        date=draw(st.one_of(st.none(), dates)),
        background=draw(st.booleans()),
    )


@st.composite
def corpora(draw: st.DrawFn) -> list[list[MentionRef]]:
    """Articles (lists of refs), in a random arrival order."""
    n_articles = draw(st.integers(1, 12))
    articles = []
    for a in range(n_articles):
        # undated articles often: their dates are inferred from the happenings they join
        published = draw(st.one_of(st.none(), st.sampled_from(DAYS))) if a % 2 else None
        mentions = draw(st.lists(mention(), min_size=1, max_size=3))
        articles.append(
            [
                MentionRef(f"art{a:03d}", i, published, f"Outlet {a % 3}", None, m)
                for i, m in enumerate(mentions)
            ]
        )
    return draw(st.permutations(articles))


OVERRIDES = st.sampled_from(
    [(), (("split", "Kolesnikova"),), (("merge", "Ihar Losik", "Viktar Babaryka"),)]
)


# Windows of two or three neighbours, so that blocking's windows are cut short and shift as
# reports arrive (with the default 32 they never fill in examples this small).
WINDOWS = st.sampled_from(
    [load_settings(), replace(load_settings(), max_neighbours=2),
     replace(load_settings(), max_neighbours=3)]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.integers(1, 3), OVERRIDES, WINDOWS)
def test_incremental_equals_rebuild_on_random_orders(
    articles: list[list[MentionRef]],
    batch: int,
    overrides: tuple[tuple[str, ...], ...],
    tuned: Settings,
) -> None:
    inc = IncrementalResolver(overrides, tuned)
    for start in range(0, len(articles), batch):
        inc.add([r for art in articles[start : start + batch] for r in art])
    everything = [r for art in articles for r in art]
    assert inc.ledger() == resolve(everything, overrides, tuned)
    check_intermediates(inc, everything, overrides, tuned)


def check_intermediates(
    inc: IncrementalResolver,
    refs: list[MentionRef],
    overrides: tuple[tuple[str, ...], ...],
    tuned: Settings,
) -> None:
    """The kept intermediates equal merge's: inferred dates and both passes' candidate pairs."""
    ordered = canonical(refs)
    person_of = group_persons(ordered, overrides)
    first = features(ordered, person_of, {}, tuned)
    roots, state = cluster(first, tuned)
    anchors = _inferred_anchors(first, roots, state, tuned)
    assert inc.anchors == anchors
    second = features(ordered, person_of, anchors, tuned)
    for layer, ms in ((inc.first, first), (inc.second, second)):
        want = {(ordered[i].key, ordered[j].key) for i, j in candidates(ms, tuned)}
        got = {
            tuple(sorted((layer.key_of[p >> 32], layer.key_of[p & 0xFFFFFFFF]))) for p in layer.refs
        }
        assert got == want


def test_the_change_names_what_moved() -> None:
    def ref(article: str, published: str, persons: tuple[str, ...] = ()) -> MentionRef:
        m = EventMention(
            "release", "occurred", "Belarus freed 14 prisoners.", -1, -1, by=("BLR",),
            count=Count(14), persons=persons, date="2025-05-03",
        )  # fmt: skip
        return MentionRef(article, 0, published, "Wire", None, m)

    inc = IncrementalResolver()
    first = inc.add([ref("a1", "2025-05-03", ("Maria Kalesnikava",))])
    assert len(first.events_added) == 1 and first.events_removed == set()
    assert len(first.persons_changed) == 1
    (event_id,) = first.events_added
    second = inc.add([ref("a2", "2025-05-04", ("Maryja Kalesnikava",))])
    assert second.events_added == {event_id}  # the same happening, one more source
    assert len(inc.ledger().events) == 1 and len(inc.ledger().events[0].sources) == 2
    assert len(inc.ledger().persons) == 1
    earlier = inc.add([ref("a0", "2025-05-03")])  # an earlier founder renames the event
    assert len(earlier.events_added) == 1 and earlier.events_removed == {event_id}


def test_a_mention_given_twice_is_refused() -> None:
    m = EventMention("release", "occurred", "x", -1, -1, by=("BLR",))
    inc = IncrementalResolver()
    inc.add([MentionRef("a", 0, None, None, None, m)])
    with pytest.raises(InputError, match="given twice"):
        inc.add([MentionRef("a", 0, None, None, None, m)])
    bad = EventMention("release", "rumoured", "x", -1, -1)
    with pytest.raises(InputError, match="unknown status"):
        inc.add([MentionRef("b", 0, None, None, None, bad)])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(NAMES), min_size=1, max_size=len(NAMES), unique=True),
    st.lists(st.sampled_from(("2025-01-01", "2025-02-01", "~")), min_size=len(NAMES),
             max_size=len(NAMES)),
    st.integers(1, 4),
)  # fmt: skip
def test_the_registry_equals_group_names(names: list[str], dates: list[str], batch: int) -> None:
    seen = {n: (dates[i], f"art{i}", "000000") for i, n in enumerate(names)}
    registry = PersonRegistry(default_folder())
    firsts: dict[str, tuple[str, ...]] = defaultdict(lambda: ("~",))
    for start in range(0, len(names), batch):
        chunk = {n: seen[n] for n in names[start : start + batch]}
        registry.update(chunk)
        firsts.update(chunk)
        assert registry.person_of == group_names(dict(firsts))
