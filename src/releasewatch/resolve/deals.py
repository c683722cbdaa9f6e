"""Deals: events the reports say were traded for one another.

Signal: two reports in one article whose types are complementary (data/resolve.toml
[deals] complementary: a release and a sanctions easing, two releases, a release and a swap)
and one of whose evidence sentences states the trade ("in exchange for", "in return",
"as part of the deal"). The parties must fit: the easing goes to the releasing state, the
two halves of a swap are released by different states. Links between ledger events are joined
into deals (connected components), so several articles stating one trade give one deal.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

from .config import Settings
from .ledger import STATUS_ORDER, Deal, DealPart, LedgerEvent, MentionRef, Source
from .unionfind import UnionFind

_RANK = {s: i for i, s in enumerate(STATUS_ORDER)}


def _fits(a: MentionRef, b: MentionRef) -> bool:
    """Whether the parties of two reports can be the two sides of one trade."""
    ma, mb = a.mention, b.mention
    if ma.type == "release" and mb.type == "release":
        return not ma.by or not mb.by or set(ma.by) != set(mb.by)
    for x, y in ((ma, mb), (mb, ma)):
        if x.type == "sanctions_eased" and x.to and y.by:
            return bool(set(x.to) & set(y.by))
    if "exchange" in (ma.type, mb.type) and ma.by and mb.by:
        return bool(set(ma.by) & set(mb.by))
    return True


def _closeness(cue: MentionRef, other: MentionRef) -> tuple[int, int, int]:
    """Preference among partners of a cue sentence: named sector, same status, nearness."""
    evidence = cue.mention.evidence.lower()
    sector = other.mention.sector
    named = 0 if sector and sector.lower() in evidence else 1
    settled = abs(_RANK[cue.mention.status] - _RANK[other.mention.status])
    if cue.mention.start >= 0 and other.mention.start >= 0:
        gap = abs(cue.mention.start - other.mention.start)
    else:
        gap = abs(cue.index - other.index)
    return (named, settled, gap)


def _links(
    events: Sequence[LedgerEvent], s: Settings
) -> list[tuple[str, str, tuple[MentionRef, ...]]]:
    """Pairs of event ids stated as traded, with the two reports stating it."""
    owner: dict[tuple[str, int], str] = {}
    per_article: dict[str, list[MentionRef]] = defaultdict(list)
    for event in events:
        for ref in event.members:
            owner[ref.key] = event.id
            per_article[ref.article_id].append(ref)
    links: list[tuple[str, str, tuple[MentionRef, ...]]] = []
    for refs in per_article.values():
        refs.sort(key=lambda r: r.index)
        for cue in refs:
            text = cue.mention.evidence.lower()
            if not any(c in text for c in s.cues):
                continue
            partners = [
                r
                for r in refs
                if owner[r.key] != owner[cue.key]
                and (cue.mention.type, r.mention.type) in s.complementary
                and _fits(cue, r)
            ]
            by_type: dict[str, list[MentionRef]] = defaultdict(list)
            for r in partners:
                by_type[r.mention.type].append(r)
            for options in by_type.values():
                best = min(options, key=lambda r: (*_closeness(cue, r), r.index))
                links.append((owner[cue.key], owner[best.key], (cue, best)))
    return links


def find_deals(events: Sequence[LedgerEvent], s: Settings) -> tuple[Deal, ...]:
    """The deals among ledger events, each with its parts and the sentences stating it."""
    by_id = {e.id: e for e in events}
    links = _links(events, s)
    union = UnionFind(eid for a, b, _ in links for eid in (a, b))
    evidence: dict[str, list[MentionRef]] = defaultdict(list)
    for a, b, refs in links:
        union.union(a, b)
        evidence[a].extend(refs)
    groups: dict[str, list[str]] = defaultdict(list)
    for eid in union.parent:
        groups[union.find(eid)].append(eid)
    deals = []
    for members in groups.values():
        members.sort()
        parts = []
        givers = {eid: set(by_id[eid].by.consensus or ()) for eid in members}
        for eid in members:
            event = by_id[eid]
            to = set(event.to.consensus or ())
            if event.type == "exchange":
                gets = givers[eid]
            elif event.type == "sanctions_eased" and to:
                gets = to
            else:
                others = set().union(*(givers[o] for o in members if o != eid))
                gets = (to | others) - givers[eid]
            parts.append(DealPart(eid, event.type, tuple(sorted(givers[eid])), tuple(sorted(gets))))
        stating = {r.key: r for eid in members for r in evidence.get(eid, ())}
        sources = tuple(Source.of(stating[k]) for k in sorted(stating))
        status = min((by_id[e].status for e in members), key=lambda st: _RANK[st])
        digest = hashlib.sha1(members[0].encode()).hexdigest()[:10]
        deals.append(Deal(f"deal-{digest}", tuple(parts), status, sources))
    return tuple(sorted(deals, key=lambda d: d.id))
