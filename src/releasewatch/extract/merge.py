"""One article, one event per happening: merging drafts and filling what context gives."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from .. import lexicon
from ..model import Count, EventMention
from ..parties import find_parties
from .context import article_holder
from .dates import compatible, precision
from .draft import ArticleContext, Draft
from .names import cut_short, name_key, untitled

_LIMITS = lexicon.load("events")["thresholds"]
ABOUT_TOLERANCE = float(_LIMITS["about_tolerance"])
BACKGROUND_DAYS = int(_LIMITS["background_days"])
DOMINANT_STATE = int(_LIMITS["dominant_state"])
SANCTIONS = ("sanctions_imposed", "sanctions_eased")


@dataclass
class Group:
    """The drafts that report one happening in one article."""

    drafts: list[Draft] = field(default_factory=list)

    @property
    def type(self) -> str:
        return self.drafts[0].type

    @property
    def strong(self) -> list[Draft]:
        return [d for d in self.drafts if d.strong] or self.drafts

    @property
    def position(self) -> int:
        return min(d.sentence.start for d in self.drafts)

    def count(self) -> Count | None:
        """The group's count (see `first`)."""
        found = self.first("count")
        return found if isinstance(found, Count) else None

    def first(self, attr: str) -> object:
        """The first value of a draft attribute, strong drafts first, in text order."""
        if attr == "count":
            lead = sorted(self.strong, key=_order)
            if lead and lead[0].count_unknown:
                return None
            # Weak mentions ("nine of those released") never give the size of the event.
            for d in lead:
                if d.count:
                    return d.count
            if self.type == "exchange":
                return self._swap_count()
            if not any(x.strong for x in self.drafts):
                return next((d.count for d in sorted(self.drafts, key=_order) if d.count), None)
            # "Some 222 inmates ... flew to Washington": the freed on their way, counted whole
            journeys = [d for d in sorted(self.drafts, key=_order) if d.journey and d.count]
            return journeys[0].count if journeys else None
        for d in sorted(self.strong, key=_order) + sorted(self.drafts, key=_order):
            value = getattr(d, attr)
            if value:
                return value
        return None

    def _swap_count(self) -> Count | None:
        """A swap's size from mentions that are not a strong swap: a swap mention's own, else
        the sum of both sides' releases, never one side's alone (SCHEMA: exchange counts)."""
        ordered = sorted(self.drafts, key=_order)
        own = next((d.count for d in ordered if d.type == "exchange" and d.count), None)
        if own is not None:
            return own
        sides: dict[tuple[str, ...], Count] = {}
        for d in ordered:
            count = d.count or d.side_count
            if d.type == "release" and count:
                # a side is who hands people over ("Armenia reciprocated by releasing 2
                # Azerbaijani captives": Armenia's side), else whose people they are
                side = tuple(d.by[:1] or d.nationality[:1])
                if side:  # "34 servicemen from both sides were released" is neither side
                    sides.setdefault(side, count)
        if len(sides) != 2:
            return None
        a, b = sides.values()
        return Count(a.value + b.value) if a.qualifier == b.qualifier == "exact" else None

    def union(self, attr: str) -> list[str]:
        out: list[str] = []
        for d in sorted(self.strong, key=_order) + sorted(self.drafts, key=_order):
            for x in getattr(d, attr):
                if x not in out:
                    out.append(x)
        return out


def _fits_in(part: Count | None, whole: Count | None) -> bool:
    """A side of a swap is no bigger than the swap (unknown counts fit)."""
    return part is None or whole is None or part.value <= whole.value


def _order(d: Draft) -> tuple[int, int]:
    return d.sentence.start, d.t_start


def _phase(status: str) -> str:
    """Occurred events never merge with ones only discussed or agreed."""
    return "done" if status == "occurred" else "plan"


def _counts_compatible(a: Count | None, b: Count | None, kind: str, b_dated: bool) -> bool:
    if a is None or b is None or a.value == b.value:
        return True
    if "about" in (a.qualifier, b.qualifier) or "over" in (a.qualifier, b.qualifier):
        big, small = max(a.value, b.value), min(a.value, b.value)
        if big - small <= ABOUT_TOLERANCE * big:
            return True
    # A later, smaller figure with no date of its own is a part of a release ("114 to Ukraine").
    return kind == "release" and b.value < a.value and not b_dated


def _dates_compatible(g: Group, d: Draft) -> bool:
    for other in g.drafts:
        if not (other.date_explicit and d.date_explicit):
            continue
        if other.date_key == (None, None, None) and d.date_key == (None, None, None):
            if other.date_text != d.date_text:
                return False  # "on Monday" and "on Tuesday" in an undated story
        elif not compatible(other.date_key, d.date_key):
            return False
    return True


def _same_people(a: list[str], b: list[str]) -> bool:
    """Whether two lists of names share a person ("Brittney Griner" and "Griner" do)."""
    return bool({n.split()[-1].lower() for n in a if n} & {n.split()[-1].lower() for n in b if n})


def _compatible(g: Group, d: Draft) -> bool:
    if g.type != d.type and not (d.type == "release" and not d.strong and g.type == "exchange"):
        return False
    if d.names_the_counted:
        # "Tavakoli ... and Nordin landed in Muscat" names the two freed in a release of two
        # told unnamed; a journey of anyone else (an envoy landing) joins nothing
        count = g.first("count")
        if g.type != "release" or not isinstance(count, Count) or count.value != len(d.persons):
            return False
        named = g.union("persons")
        if named and not _same_people(named, d.persons):
            return False
    strong = [x for x in g.drafts if x.strong]
    if d.strong:
        if d.separate:
            return False
        # "negotiated a trade for Griner" and "Griner was freed in a swap": one swap, told
        # as planned and as done, when the same people are swapped in both
        if (
            strong
            and _phase(strong[0].status) != _phase(d.status)
            and not (g.type == "exchange" and _same_people(g.union("persons"), d.persons))
        ):
            return False
    if d.ordinal and any(x.ordinal and x.ordinal != d.ordinal for x in g.drafts):
        return False  # "the 18th package" and "a 19th sanctions round" are two
    if d.status == "discussed" and any(
        x.status == "discussed" and x.negated != d.negated for x in g.drafts
    ):
        return False  # "he was not released" is no part of "a request for his release"
    if g.type in SANCTIONS and (
        (d.other_agent and g.union("by")) or (d.by and any(x.other_agent for x in g.drafts))
    ):
        return False  # "the cap set by the G7" is not the EU's package that replaces it
    if g.type in ("release", "detention", *SANCTIONS):
        by = g.union("by")
        if by and d.by and not set(by) & set(d.by):
            return False
    if g.type == d.type:
        if not _counts_compatible(g.count(), d.count, g.type, d.date_explicit):
            return False
        if d.type == "exchange" and d.count and (c := g.first("count")) and c != d.count:
            return False
    if not _dates_compatible(g, d):
        return False
    sector = g.first("sector")
    if sector and d.sector and sector != d.sector:
        return False
    sub = g.first("subkind")
    if g.type in ("detention", *SANCTIONS) and sub and d.subkind and sub != d.subkind:
        return False  # an arrest is not a sentence; an extension is not a new package
    group_arrest = d.strong and d.count is not None and d.count.value > 1 and not d.persons
    if g.type == "detention" and group_arrest and g.union("persons") and not g.first("count"):
        return False  # "police detained 40 protesters" is not one named person's arrest
    if d.strong and g.type in ("release", "detention"):
        persons = g.union("persons")
        told_apart = not (d.attach or d.additive)  # "Ashoori was also released": one release
        if persons and d.persons and not _same_people(persons, d.persons) and told_apart:
            return False
    return True


def _affinity(g: Group, d: Draft, principal: Group | None) -> float:
    score = 0.0
    if d.date_explicit and any(x.date_key == d.date_key for x in g.drafts if x.date_explicit):
        score += 3
    if d.count and g.first("count") == d.count:
        score += 2
    if _same_people(d.persons, g.union("persons")):
        score += 2
    if g is principal:
        score += 1.5 if d.attach else 0.5
    score -= 0.001 * abs(d.sentence.index - g.drafts[-1].sentence.index)
    return score


def _principal(groups: list[Group]) -> Group | None:
    """The article's main release or swap: the first one done, with a count."""
    people = [g for g in groups if g.type in ("release", "exchange")]
    for g in people:
        if any(x.strong and x.status == "occurred" for x in g.drafts) and g.first("count"):
            return g
    return people[0] if people else None


def _absorb_into_swaps(groups: list[Group]) -> list[Group]:
    """A release told as one side of a swap the article reports is that swap, not a new event."""
    swaps = [g for g in groups if g.type == "exchange"]
    if not swaps:
        return groups
    kept: list[Group] = []
    for g in groups:
        count = g.count()
        told_apart = count is None and any(d.agent_subject for d in g.strong)
        if g.type != "release" or any(d.separate for d in g.drafts) or told_apart:
            kept.append(g)
            continue
        status = g.strong[0].status
        home = [
            s
            for s in swaps
            if s.strong[0].status == status  # a demand for a release is no part of a planned swap
            and _fits_in(count, s.count())
            and all(_dates_compatible(s, d) for d in g.drafts)
        ]
        if not home:
            kept.append(g)
            continue
        for d in g.drafts:
            d.was_strong, d.strong = d.strong, False
            # the other side of the swap is the people's own state ("five U.S. citizens ...
            # arrived in Qatar": the United States, not Qatar, which only received them)
            other_side = d.nationality or d.to
            d.by = ([] if d.by_from_place else d.by) + [c for c in other_side if c not in d.by]
            d.to = []
            d.side_count, d.count = d.count, None  # one side's size, never the swap's
        home[0].drafts.extend(g.drafts)
    return kept


def merge_drafts(drafts: list[Draft]) -> list[Group]:
    """Merge the drafts of one article into groups, one per happening."""
    groups: list[Group] = []
    for d in [x for x in drafts if x.strong]:
        fits = [g for g in groups if _compatible(g, d)]
        if fits:
            max(fits, key=lambda g: _affinity(g, d, None)).drafts.append(d)
        else:
            groups.append(Group([d]))
    groups = _absorb_into_swaps(groups)
    principal = _principal(groups)
    numbered = {x.ordinal for g in groups for x in g.drafts if x.ordinal}
    for d in [x for x in drafts if not x.strong]:
        fits = [g for g in groups if _compatible(g, d)]
        if d.ordinal and numbered:  # "a 19th round" joins only the 19th, in a story of the 18th
            fits = [g for g in fits if any(x.ordinal == d.ordinal for x in g.drafts)]
        if d.attach and principal is not None and principal in fits:
            principal.drafts.append(d)
        elif fits:
            max(fits, key=lambda g: _affinity(g, d, principal)).drafts.append(d)
        elif d.type in ("talks", "exchange", *SANCTIONS) and not d.history and not d.joins_only:
            groups.append(Group([d]))
    groups.sort(key=lambda g: g.position)
    return groups


def _status(g: Group) -> str:
    statuses = [d.status for d in g.drafts if d.strong] or ["occurred"]
    if g.type == "exchange" and any(d.type == "release" and d.status == "agreed" for d in g.drafts):
        statuses.append("agreed")  # "as part of the deal, agreed to release five Iranians"
    if "occurred" in statuses:
        return "occurred"
    return "agreed" if "agreed" in statuses else "discussed"


def _date(g: Group) -> str | None:
    dated = [d.date for d in g.strong if d.date] or [d.date for d in g.drafts if d.date]
    if dated:
        return max(dated, key=lambda v: (precision(v), -dated.index(v)))
    defaults = [d.default_date for d in g.drafts if d.default_date]
    return defaults[0] if defaults else None


def _evidence(g: Group) -> Draft:
    """The sentence that states the happening: its first strong mention that names a party,
    a number, a person, a date or a sector (news leads with the fact; later sentences add
    detail, which the merged fields carry anyway)."""

    def informative(d: Draft) -> tuple:
        filled = (
            bool(d.count)
            + bool(d.persons)
            + bool(d.date)
            + bool(d.by)
            + bool(d.to)
            + bool(d.sector)
        )
        return (d.strong or d.was_strong, not d.attach, min(filled, 1), -d.sentence.start)

    return max(g.drafts, key=informative)


def _persons(g: Group, reader: ArticleContext) -> list[str]:
    text = reader.text.rstrip()
    truncated = not re.search(r"[.!?\"”’)]$", text)
    out: list[str] = []
    surnames: set[str] = set()
    names = [untitled(n) for n in g.union("persons")]
    for name in names:
        parts = name.split()
        if cut_short(name, names):
            continue  # "Alaa Abd" beside "Alaa Abd el-Fattah": the same name cut short
        if len(parts) == 1:
            if parts[0] not in reader.full_names:
                continue  # a lone word NER took for a name ("Hrodna"), or a truncated name
            name = reader.full_names[parts[0]]
        if truncated and text.endswith(name.split()[-1]):
            continue
        name = reader.spellings.get(name_key(name), name)
        key = name_key(name.split()[-1])
        if key in surnames:
            continue
        surnames.add(key)
        out.append(name)
    return out


_ONE_PERSON = re.compile(
    r"\b(?:she|he|her|him|the (?:journalist|activist|reporter|blogger|editor|dissident|lawyer|"
    r"teacher|student|businessman|businesswoman|priest|politician|opposition leader|detainee|"
    r"prisoner|hostage|woman|man))\b",
    re.I,
)


def _protagonist(groups: list[Group], reader: ArticleContext) -> str | None:
    """The one person most of an article's events are about, if there is one."""
    named = Counter(
        reader.full_names.get(p.split()[-1], p)
        for g in groups
        if g.type in ("release", "detention", "exchange")
        for p in g.union("persons")
    )
    if len(named) != 1:
        return None
    return next(iter(named))


def _latest_day(value: str | None) -> date | None:
    """The last day a YYYY, YYYY-MM or YYYY-MM-DD date can mean."""
    if not value:
        return None
    try:
        if len(value) == 4:
            return date(int(value), 12, 31)
        if len(value) == 7:
            first_of_next = date(int(value[:4]), int(value[5:7]), 28) + timedelta(days=4)
            return first_of_next.replace(day=1) - timedelta(days=1)
        return date.fromisoformat(value)
    except ValueError:
        return None


def _top_parties(reader: ArticleContext, n: int) -> list[str]:
    return [c for c, _ in _party_tally(reader).most_common(n)]


def _party_tally(reader: ArticleContext) -> Counter[str]:
    return Counter(p.code for p in find_parties(reader.text) if p.code not in ("EU", "UN"))


def _story_of_one_state(reader: ArticleContext) -> str | None:
    """The state a story is about when it names it at least DOMINANT_STATE times as often as
    any other (a journalist jailed at home, a story with a foreign ministry's passing remark)."""
    top = _party_tally(reader).most_common(2)
    if not top or (len(top) == 2 and top[0][1] < DOMINANT_STATE * top[1][1]):
        return None
    return top[0][0]


def _holder_from_context(
    g: Group,
    groups: list[Group],
    done: list[tuple[str, list[str], list[str]]],
    holder: str | None,
    sentence_parties: set[str],
    reader: ArticleContext,
) -> list[str]:
    """Who holds the people of a release or detention whose sentence names no holder.

    In order: the holder of the release or detention told just before; the state the article's
    releases and detentions most often name as holder; the other side of its swap; the other
    side of its talks; the state most named where prisons are spoken of. Never the people's
    own state ("five Americans": not the United States).
    """
    own = set(g.union("nationality"))
    prev = [b for t, b, _ in reversed(done) if t in ("release", "detention") and b]
    tally: Counter[str] = Counter(
        c
        for other in groups
        if other is not g and other.type in ("release", "detention")
        for d in other.strong
        if not d.by_from_place
        for c in d.by
    )
    swaps = [c for other in groups if other.type == "exchange" for c in other.union("by")]
    talks = [b for t, b, _ in reversed(done) if t == "talks"]
    options = [
        *(prev[0][:1] if prev else []),
        *(c for c, _ in tally.most_common()),
        *([c for c in swaps if c not in own] if own else []),
        *(c for c in (talks[0] if talks else []) if c not in sentence_parties),
        *([holder] if holder else []),
    ]
    for code in options:
        if code not in own:
            return [code]
    if holder and holder in own and _story_of_one_state(reader) == holder:
        return [holder]  # a story of one state: its journalist jailed by its own court
    return []


def finalize(groups: list[Group], reader: ArticleContext) -> tuple[EventMention, ...]:
    """Turn groups into event mentions, filling parties the article's context supplies."""
    holder = article_holder(reader.sentences)
    protagonist = _protagonist(groups, reader)
    published = reader.published
    out: list[EventMention] = []
    done: list[tuple[str, list[str], list[str]]] = []  # (type, by, to) of events so far
    for g in groups:
        ev = _evidence(g)
        by, to = g.union("by"), g.union("to")
        sentence_parties = {p.code for p in find_parties(ev.sentence.text)}
        if g.type in ("release", "detention") and not by:
            by = _holder_from_context(g, groups, done, holder, sentence_parties, reader)
            to = [c for c in to if c not in by]
        elif g.type in SANCTIONS:
            same = [(b, t) for k, b, t in reversed(done) if k == g.type and b]
            other = [(b, t) for k, b, t in reversed(done) if k in SANCTIONS and b]
            context = same[0] if same else other[0] if other else None
            others = any(x.other_agent for x in g.drafts)  # "set by the G7": by no state
            if not by and context and not others:
                by = list(context[0])
            if not to:
                to = (
                    list(context[1])
                    if context
                    else ([holder] if holder and holder not in by else [])
                    # "renewed a sanctions waiver that allows Iraq to pay Iran": with no target
                    # told, the state the story is most about, other than the one acting
                    or [c for c in _top_parties(reader, 3) if c not in by][:1]
                )
            if not by and not others:
                continue
        elif g.type in ("talks", "exchange") and len(by) < 2:
            prev = [b for t, b, _ in reversed(done) if t in ("talks", "exchange") and len(b) > 1]
            extra = prev[0] if prev else _top_parties(reader, 2)
            by = by + [c for c in extra if c not in by][: 2 - len(by)] if len(by) < 2 else by
        date_value = _date(g)
        latest = _latest_day(date_value)
        background = bool(
            published and latest and latest < published - timedelta(days=BACKGROUND_DAYS)
        )
        s = ev.sentence
        done.append((g.type, by, to))
        out.append(
            EventMention(
                type=g.type,
                status=_status(g),
                evidence=s.text,
                start=s.start,
                end=s.end,
                by=tuple(by),
                to=tuple(to) if g.type in ("release", *SANCTIONS) else (),
                count=g.count() if g.type != "talks" else None,
                persons=tuple(
                    _persons(g, reader)
                    or (
                        [protagonist]
                        if protagonist
                        and g.type in ("release", "detention")
                        and g.first("count") is None
                        and _ONE_PERSON.search(s.text)
                        else []
                    )
                ),
                sector=g.first("sector") if g.type in SANCTIONS else None,  # type: ignore[arg-type]
                date=date_value,
                attribution=ev.attribution or g.first("attribution") or reader.default_attribution,  # type: ignore[arg-type]
                confidence=round(max(0.05, max(d.confidence for d in g.drafts)), 2),
                background=background,
                political=any(d.political for d in g.drafts) or reader.political,
            )
        )
    if any(e.type not in ("release", "detention") for e in out):
        # a story of a swap, talks or sanctions: its releases and arrests are part of them
        out = [e if e.political else dataclasses.replace(e, political=True) for e in out]
    return tuple(out)
