"""Deals: events the reports say were traded for one another.

Signal: two reports in one article whose types are complementary (data/resolve.toml
[deals] complementary: a release and a sanctions easing, two releases, a release and a swap)
and one of whose evidence sentences states the trade ("in exchange for", "in return",
"as part of the deal"; not when the cue follows a call: "press for the release of"). Or: one
sentence stating both a release and a sanctions easing, joined as one act answering the other
("lifted sanctions a day after Belarus freed 52", both done) or as its condition ("easing
sanctions if the detainees are freed", neither done yet). The parties must fit: the easing
goes to the releasing state, the two halves of a swap are released by different states. What
was done is not traded for what is only talked about unless one sentence says so: a
completed swap does not pair with a release someone still presses for. Links between ledger
events are joined into deals (connected components), so several articles stating one trade
give one deal.
"""

from __future__ import annotations

import hashlib
import re
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


_WORD_BEFORE = re.compile(r"(\w+)\W*$")


def _states_trade(evidence: str, s: Settings) -> bool:
    """Whether a sentence holds a trade cue that is not a call ("press for the release of")."""
    text = evidence.lower()
    for cue in s.cues:
        start = text.find(cue)
        while start >= 0:
            before = _WORD_BEFORE.search(text, 0, start)
            if before is None or before.group(1) not in s.call_words:
                return True
            start = text.find(cue, start + 1)
    return False


def _same_sentence(a: MentionRef, b: MentionRef) -> bool:
    """Whether two reports of one article rest on one sentence."""
    ma, mb = a.mention, b.mention
    if a.article_id != b.article_id:
        return False
    if min(ma.start, mb.start) >= 0:
        return ma.start < mb.end and mb.start < ma.end
    return ma.evidence == mb.evidence


def _statuses_fit(a: MentionRef, b: MentionRef) -> bool:
    """Whether two reports can be halves of one trade by their status: a happening that
    occurred is not traded for one only discussed, unless one sentence states both."""
    if {a.mention.status, b.mention.status} == {"occurred", "discussed"}:
        return _same_sentence(a, b)
    return True


def _sentence_link(a: MentionRef, b: MentionRef, s: Settings) -> bool:
    """Whether one sentence states two reports as a trade without a trade cue: a release and
    an easing, one answering the other (both occurred) or conditioned on it (neither has)."""
    if (a.mention.type, b.mention.type) not in s.sentence_pairs or not _same_sentence(a, b):
        return False
    statuses = {a.mention.status, b.mention.status}
    text = a.mention.evidence.lower()
    if statuses == {"occurred"}:
        return s.sequence_cues.search(text) is not None
    if "occurred" not in statuses:
        return s.condition_cues.search(text) is not None
    return False


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
        for i, a in enumerate(refs):
            for b in refs[i + 1 :]:
                if owner[a.key] != owner[b.key] and _fits(a, b) and _sentence_link(a, b, s):
                    links.append((owner[a.key], owner[b.key], (a, b)))
        for cue in refs:
            if not _states_trade(cue.mention.evidence, s):
                continue
            partners = [
                r
                for r in refs
                if owner[r.key] != owner[cue.key]
                and (cue.mention.type, r.mention.type) in s.complementary
                and _fits(cue, r)
                and _statuses_fit(cue, r)
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
        said: dict[tuple[str, str], Source] = {}  # one sentence stating two parts: once
        for k in sorted(stating):
            said.setdefault((k[0], stating[k].mention.evidence), Source.of(stating[k]))
        sources = tuple(said.values())
        status = min((by_id[e].status for e in members), key=lambda st: _RANK[st])
        digest = hashlib.sha1(members[0].encode()).hexdigest()[:10]
        deals.append(Deal(f"deal-{digest}", tuple(parts), status, sources))
    return tuple(sorted(deals, key=lambda d: d.id))
