"""Mentions -> clusters of mentions that report one happening.

How it stays fast and order-independent:

- Mentions are put in canonical order (article id, index) first; everything after is a
  function of that sorted list, never of arrival order.
- Blocking: a pair is only considered when both share the type and a party, and either their
  time windows overlap (a sweep over windows sorted by start: no all-pairs) or, when one window
  is wide or unknown, they share a figure bucket, a person or a sector (an inverted index).
- Every candidate pair gets a score from its corroborating evidence; pairs are merged strongest
  first (ties by canonical index) when the two clusters stay consistent: no shared article,
  overlapping time windows, compatible figures and sectors.
- Articles with no publication date get one inferred from the happenings their other reports
  merged into, and clustering runs once more with it.
"""

from __future__ import annotations

import calendar
import itertools
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..errors import InputError
from ..model import Count
from .config import Settings
from .ledger import STATUS_ORDER, MentionRef
from .unionfind import find_root

PARTY_SETS = ("exchange", "talks")  # types whose parties are a group, not one actor
TARGETED = ("sanctions_imposed", "sanctions_eased")  # types whose `to` must agree


def day_range(value: str | None) -> tuple[int, int, str] | None:
    """The first and last day (ordinals) a YYYY[-MM[-DD]] date covers, with its precision."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = date(*parts).toordinal()
            return day, day, "day"
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return (
                date(parts[0], parts[1], 1).toordinal(),
                date(parts[0], parts[1], last).toordinal(),
                "month",
            )
        if len(parts) == 1:
            return date(parts[0], 1, 1).toordinal(), date(parts[0], 12, 31).toordinal(), "year"
    except ValueError:
        return None
    return None


def count_range(count: Count | None, s: Settings) -> tuple[float, float] | None:
    """The span of head-counts a stated figure allows ("over 100" -> 101..150)."""
    if count is None:
        return None
    v = float(count.value)
    q = count.qualifier
    if q == "over":
        return v + 1, max(v + 1, v * s.open_factor)
    if q == "at_least":
        return v, v * s.open_factor
    if q == "about":
        return v * (1 - s.about_spread), v * (1 + s.about_spread)
    if q == "up_to":
        return v / s.open_factor, v
    return v, v


def counts_fit(lo: float, hi: float, s: Settings) -> bool:
    """Whether figures spanning max-lows `lo` and min-highs `hi` can be one happening's."""
    return lo <= hi * (1 + s.rel_tolerance) + s.abs_tolerance


@dataclass(slots=True)
class Mention:
    """A mention's features as the merger compares them."""

    i: int
    ref: MentionRef
    type: str
    by: frozenset[str]
    to: frozenset[str]
    crange: tuple[float, float] | None
    exact: int | None
    sector: str | None
    persons: frozenset[str]
    lo: int | None  # time window in day ordinals; None = open on that side
    hi: int | None
    day: bool  # the mention itself dates the happening to the day
    narrow: bool  # the window is bounded and at most narrow_days wide
    anchor: str  # what the window rests on: "date", "published", "inferred" or "none"


def features(
    refs: Sequence[MentionRef],
    person_of: dict[str, str],
    anchors: dict[str, int],
    s: Settings,
) -> list[Mention]:
    """Comparable features of canonically ordered mentions; `anchors` date undated articles."""
    out = []
    for i, ref in enumerate(refs):
        m = ref.mention
        rng = day_range(m.date)
        lo: int | None
        hi: int | None
        day = False
        kind = "date"
        if rng is not None:
            lo, hi, precision = rng
            day = precision == "day"
        else:
            pub = day_range(ref.published)
            kind = "published" if pub and pub[2] == "day" else "inferred"
            anchor = pub[0] if pub and pub[2] == "day" else anchors.get(ref.article_id)
            if anchor is None:
                kind = "none"
                lo = hi = None
            elif m.background:
                lo, hi = None, anchor
            elif m.status == "occurred":
                lo, hi = anchor - s.past_days, anchor
            else:
                lo, hi = anchor - s.past_days, anchor + s.future_days
        narrow = lo is not None and hi is not None and hi - lo <= s.narrow_days
        exact = m.count.value if m.count and m.count.qualifier == "exact" else None
        out.append(
            Mention(
                i=i,
                ref=ref,
                type=m.type,
                by=frozenset(m.by),
                to=frozenset(m.to),
                crange=count_range(m.count, s),
                exact=exact,
                sector=m.sector.strip().lower() if m.sector else None,
                persons=frozenset(person_of[p] for p in m.persons if p in person_of),
                lo=lo,
                hi=hi,
                day=day,
                narrow=narrow,
                anchor=kind,
            )
        )
    return out


def score(a: Mention, b: Mention, s: Settings) -> float | None:
    """How strongly two mentions are one happening; None when they cannot be."""
    if a.type != b.type or (s.same_article_apart and a.ref.article_id == b.ref.article_id):
        return None
    if a.by and b.by:
        shared = len(a.by & b.by)
        need = min(2, len(a.by), len(b.by)) if a.type in PARTY_SETS else 1
        if shared < need:
            return None
    if a.type in TARGETED and a.to and b.to and not a.to & b.to:
        return None
    if a.sector and b.sector and a.sector != b.sector:
        return None
    corroboration = 0.0
    if a.crange and b.crange:
        if not counts_fit(max(a.crange[0], b.crange[0]), min(a.crange[1], b.crange[1]), s):
            return None
        if a.exact is not None and a.exact == b.exact and a.exact >= s.telling_count:
            corroboration += s.count_equal
        else:
            corroboration += s.count_close
    if a.persons and b.persons:
        if a.persons & b.persons:
            corroboration += s.person_overlap
        else:
            named = len(a.persons | b.persons)
            biggest = max(a.crange[1] if a.crange else 0, b.crange[1] if b.crange else 0)
            if biggest < named:  # both lists name the whole group, and differ
                return None
    lows = [x for x in (a.lo, b.lo) if x is not None]
    highs = [x for x in (a.hi, b.hi) if x is not None]
    if lows and highs and max(lows) - min(highs) > s.slack_days:
        return None
    if a.narrow and b.narrow and _dates_tell(a, b):
        corroboration += s.same_day if a.day and b.day else s.narrow_overlap
    if a.sector and a.sector == b.sector:
        corroboration += s.sector_equal
    if corroboration < s.min_corroboration:
        return None
    return corroboration + (s.party_equal if a.by == b.by and a.to == b.to else 0.0)


def _dates_tell(a: Mention, b: Mention) -> bool:
    """Whether overlapping windows say something: one is a stated date, or both publications."""
    return "date" in (a.anchor, b.anchor) or a.anchor == b.anchor == "published"


def _blocks(m: Mention) -> list[tuple[str, str]]:
    """The (type, party) blocks a mention is compared within."""
    parties = m.by or m.to or frozenset({"-"})
    return [(m.type, p) for p in parties]


def _count_buckets(crange: tuple[float, float], s: Settings, widen: bool) -> range:
    """Log-scale figure buckets a span covers (widened by the tolerances for lookups)."""
    lo, hi = crange
    if widen:
        lo, hi = lo - s.abs_tolerance, hi * (1 + s.rel_tolerance) + s.abs_tolerance
    base = math.log(1 + s.rel_tolerance)
    first = int(math.log(max(lo, 1.0)) / base)
    last = int(math.log(max(hi, 1.0)) / base)
    return range(first, min(last, first + 40) + 1)


def _keys(m: Mention, s: Settings, widen: bool) -> list[tuple[str, object]]:
    """The inverted-index keys (figure buckets, persons, sector) of a mention."""
    keys: list[tuple[str, object]] = [("p", p) for p in m.persons]
    if m.crange:
        keys.extend(("c", b) for b in _count_buckets(m.crange, s, widen))
    if m.sector:
        keys.append(("s", m.sector))
    return keys


def candidates(ms: list[Mention], s: Settings) -> set[tuple[int, int]]:
    """Candidate pairs (i < j) found by blocking; never all pairs."""
    blocks: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in ms:
        for block in _blocks(m):
            blocks[block].append(m)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        narrow = sorted((m for m in members if m.narrow), key=lambda m: (m.lo, m.i))
        for x, a in enumerate(narrow):
            assert a.hi is not None
            for b in narrow[x + 1 : x + 1 + s.max_neighbours]:
                assert b.lo is not None
                if b.lo > a.hi + s.slack_days:
                    break
                pairs.add((a.i, b.i) if a.i < b.i else (b.i, a.i))
        wide = [m for m in members if not m.narrow]
        if not wide:
            continue
        index: dict[tuple[str, object], list[Mention]] = defaultdict(list)
        for m in members:
            for key in set(_keys(m, s, widen=False)):
                index[key].append(m)
        positions = {key: [m.i for m in bucket] for key, bucket in index.items()}
        half = max(1, s.max_neighbours // 2)
        for w in wide:
            for key in set(_keys(w, s, widen=True)):
                bucket = index.get(key, [])
                at = bisect_left(positions.get(key, []), w.i)  # buckets are in canonical order
                for m in bucket[max(0, at - half) : at + half + 1]:
                    if m.i != w.i:
                        pairs.add((w.i, m.i) if w.i < m.i else (m.i, w.i))
    return pairs


class _Clusters:
    """Union-find whose roots carry the cluster's constraints."""

    def __init__(self, ms: list[Mention]) -> None:
        self.parent = list(range(len(ms)))
        self.articles = [{m.ref.article_id} for m in ms]
        self.lo = [m.lo for m in ms]
        self.hi = [m.hi for m in ms]
        self.crange = [m.crange for m in ms]
        self.sectors = [{m.sector} if m.sector else set() for m in ms]

    def find(self, x: int) -> int:
        """The cluster root of mention x."""
        return find_root(self.parent, x)

    def try_union(self, a: int, b: int, s: Settings) -> bool:
        """Merge the clusters of a and b if they stay consistent."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if s.same_article_apart and not self.articles[ra].isdisjoint(self.articles[rb]):
            return False
        los = [x for x in (self.lo[ra], self.lo[rb]) if x is not None]
        his = [x for x in (self.hi[ra], self.hi[rb]) if x is not None]
        lo, hi = (max(los) if los else None), (min(his) if his else None)
        if lo is not None and hi is not None and lo - hi > s.slack_days:
            return False
        ca, cb = self.crange[ra], self.crange[rb]
        crange = ca or cb
        if ca and cb:
            crange = (max(ca[0], cb[0]), min(ca[1], cb[1]))
            if not counts_fit(crange[0], crange[1], s):
                return False
        if len(self.sectors[ra] | self.sectors[rb]) > 1:
            return False
        if len(self.articles[ra]) < len(self.articles[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.articles[ra] |= self.articles[rb]
        self.sectors[ra] |= self.sectors[rb]
        self.lo[ra], self.hi[ra], self.crange[ra] = lo, hi, crange
        return True


def cluster(ms: list[Mention], s: Settings) -> tuple[list[int], _Clusters]:
    """The cluster root of every mention, merging the strongest consistent pairs first."""
    edges = []
    for i, j in candidates(ms, s):
        value = score(ms[i], ms[j], s)
        if value is not None:
            edges.append((-value, i, j))
    edges.sort()
    state = _Clusters(ms)
    for _, i, j in edges:
        state.try_union(i, j, s)
    return [state.find(m.i) for m in ms], state


def _inferred_anchors(
    ms: list[Mention], roots: list[int], state: _Clusters, s: Settings
) -> dict[str, int]:
    """Dates for undated articles: the latest happening they report that others date."""
    sizes: dict[int, set[str]] = defaultdict(set)
    for m, root in zip(ms, roots, strict=True):
        sizes[root].add(m.ref.article_id)
    anchors: dict[str, int] = {}
    for m, root in zip(ms, roots, strict=True):
        pub = day_range(m.ref.published)
        if (pub and pub[2] == "day") or m.ref.mention.background or len(sizes[root]) < 2:
            continue
        lo, hi = state.lo[root], state.hi[root]
        if lo is None or hi is None or hi - lo > s.narrow_days:
            continue
        anchors[m.ref.article_id] = max(anchors.get(m.ref.article_id, hi), hi)
    return anchors


def canonical(refs: Sequence[MentionRef]) -> list[MentionRef]:
    """Mentions in canonical order; raises InputError on a repeated (article, index)."""
    ordered = sorted(refs, key=lambda r: r.key)
    for a, b in itertools.pairwise(ordered):
        if a.key == b.key:
            raise InputError(f"{a.article_id}#{a.index}", "the same mention was given twice")
    for r in ordered:
        if r.mention.status not in STATUS_ORDER:
            raise InputError(f"{r.article_id}#{r.index}", f"unknown status {r.mention.status!r}")
    return ordered


def merge(
    refs: Sequence[MentionRef], person_of: dict[str, str], s: Settings
) -> list[list[MentionRef]]:
    """Clusters of mentions that report one happening, each in canonical order."""
    ordered = canonical(refs)
    ms = features(ordered, person_of, {}, s)
    roots, state = cluster(ms, s)
    anchors = _inferred_anchors(ms, roots, state, s)
    if anchors:
        ms = features(ordered, person_of, anchors, s)
        roots, state = cluster(ms, s)
    groups: dict[int, list[MentionRef]] = defaultdict(list)
    for m, root in zip(ms, roots, strict=True):
        groups[root].append(m.ref)
    return sorted(groups.values(), key=lambda g: g[0].key)
