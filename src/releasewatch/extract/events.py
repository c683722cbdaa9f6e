"""Event extraction: the sentences of an article -> event mentions with evidence.

Rules over lexicons (data/events.toml, data/parties.toml): triggers find candidate
sentences, only those go through spaCy's named-entity recogniser (for persons), and
per-sentence drafts are merged into one mention per happening (extract/merge.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .. import lexicon
from ..model import Article, Count, EventMention
from ..parties import PartyMention, find_parties
from . import context, names, roles
from .counts import exchange_count, find_counts
from .dates import DateMention, find_dates, parse_published
from .lexicon import event_lexicon
from .text import Sentence, split_sentences

_DATELINE = re.compile(
    r"^(?:\(\w+\)\s*|[A-ZÀ-Ý][A-Za-zÀ-ÿ .'-]{1,30}(?:,\s[A-Z][\w .'-]{1,25}?)?"
    r"(?:\s\([^)]{1,20}\))?(?:\.\s\w{3}\s\d{1,2}\s\([^)]+\))?\.?\s?(?:[—–-]+|:)\s?)"
)
_HEDGE = re.compile(
    r"\b(?:reportedly|allegedly|according to (?:sources|reports|unconfirmed)|"
    r"sources (?:said|say|told)|unconfirmed|it has been reported|rumou?r)",
    re.I,
)
_UNCONFIRMED = re.compile(
    r"\b(?:declined to comment|did not respond to a request|could not be "
    r"(?:independently )?(?:verified|confirmed)|has not been confirmed)",
    re.I,
)
_ATTRIBUTION = re.compile(
    r"\baccording to (?:the |a )?"
    r"(?P<a>[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,4}|sources|reports|state media)"
    r"|\bciting (?P<b>[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}|sources)"
    r"|(?P<c>[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}) (?:reports|reported)\b"
    r"|\b(?P<d>sources) (?:said|say|told)"
)
_IN_EXCHANGE_START = re.compile(r"^[\"“‘']?(?:In exchange|In return)\b")
_ANAPHORA = re.compile(r"^(?:The|This) (?:move|decision|measures?|step|announcement)\b")
_ATTACH = re.compile(
    r"\b(?:among them"
    r"|(?:also )?among (?:those|the people|the prisoners|the) (?:released|freed|pardoned)"
    r"|(?:the )?list (?:of those released )?included|those (?:released|freed) included"
    r"|people freed\b[^.]{0,80}\bincluded)\b",
    re.I,
)
_LIMITS = lexicon.load("events")["thresholds"]
OCCURRED_REACH = int(_LIMITS["occurred_reach"])
VERB_CUE_REACH = int(_LIMITS["verb_cue_reach"])
NOUN_CUE_REACH = int(_LIMITS["noun_cue_reach"])
SECTOR_REACH = int(_LIMITS["sector_reach"])
NOUN_DATE_PENALTY = int(_LIMITS["noun_date_penalty"])
ON_TOPIC_WORDS = int(_LIMITS["on_topic_words"])
_RETURN_VERB = re.compile(r"return|brought back|repatriat", re.I)
_CAPTIVE = re.compile(
    r"\b(?:captivity|prisons?|jails?|detention|custody|prisoners?|pows?|captives?|hostages?|"
    r"detainees?|exchange|swap|freed|released|pardoned|servicemen|soldiers|civilians|citizens|"
    r"defenders)\b",
    re.I,
)
_PRESENT_PERFECT = re.compile(r"\b(?:has|have)\s+(?:been\s+)?(?:\w+ly\s+)?$")
_TAKE_PLACE = re.compile(
    r"^[^,.;]{0,40}?\b(?P<m>could|might|may|would|will|is expected to|are expected to)\s+"
    r"(?:take place|be held|happen|occur|go ahead|begin|start)\b"
)
_DAYS_OF_TALKS = re.compile(
    r"\b(?:two|three|four|several|\d)[- ]days? (?:of )?(?:talks|negotiations)\b|"
    r"\bon \w+day and \w+day\b",
    re.I,
)
_TOPIC_AFTER = re.compile(
    r"^[^,.;]{0,30}?\b(?:was|were|is|are) (?:being |also )?(?:discussed|"
    r"considered|proposed|negotiated|on the agenda)\b"
)
_DONE_AFTER = re.compile(
    r"^[^,.;]{0,30}?\b(?:was|were|has been|have been)?\s*(?:carried out|completed|"
    r"concluded|took place|ended|happened)\b"
)


@dataclass
class Draft:
    """One event as one sentence states it, before merging (mutable while reading)."""

    type: str
    status: str
    strong: bool
    sentence: Sentence
    t_start: int  # trigger offsets within the sentence
    t_end: int
    by: list[str] = field(default_factory=list)
    to: list[str] = field(default_factory=list)
    count: Count | None = None
    persons: list[str] = field(default_factory=list)
    sector: str | None = None
    date: str | None = None
    date_key: tuple = (None, None, None)
    date_explicit: bool = False
    date_text: str | None = None
    default_date: str | None = None
    subkind: str | None = None
    separate: bool = False
    attach: bool = False
    count_unknown: bool = False  # "an unspecified number": the count is known to be unknown
    agent_subject: bool = False  # `by` is the subject of an active verb ("Maduro released")
    history: bool = False  # told as history ("Since 2020 ..."): adds to an event, makes none
    attribution: str | None = None
    confidence: float = 1.0
    own_target: bool = False


def _dateline_end(text: str) -> int:
    """Length of a wire dateline at the start of a sentence ("VILNIUS (AP) —")."""
    m = _DATELINE.match(text)
    if not m:
        return 0
    head = m.group(0)
    # A dateline is upper-case or a place followed by a dash or colon, never a clause.
    if len(head.split()) > 6:
        return 0
    return m.end()


def _triggers(text: str) -> list[tuple[str, str, int, int]]:
    """(type, form, start, end) of every trigger in a sentence, sanctions included."""
    if not event_lexicon().any_trigger.search(text):
        return []  # most sentences name no event at all: one cheap look settles it
    return all_triggers(text)


def all_triggers(text: str) -> list[tuple[str, str, int, int]]:
    """Every trigger in a sentence, without the cheap first look (`_triggers` adds it)."""
    lex = event_lexicon()
    found: list[tuple[str, str, int, int]] = []
    for (kind, form), pattern in lex.triggers.items():
        for m in pattern.finditer(text):
            if form != "adj" and lex.not_after.search(text[max(0, m.start() - 25) : m.start()]):
                continue
            start = m.start()
            if form == "noun":
                # The head noun is the trigger; "the possible" before it is a cue, not the trigger.
                lead = context.NOUN_LEAD.match(m.group(0))
                start += lead.end() if lead and lead.end() < len(m.group(0)) else 0
            found.append((kind, form, start, m.end()))
    # A participle used as an adjective ("freed prisoners") is no verb.
    adjs = [(k, a, b) for k, f, a, b in found if f == "adj"]
    found = [
        t
        for t in found
        if t[1] == "adj" or not any(k == t[0] and a <= t[2] < b for k, a, b in adjs)
    ]
    if any(k == "talks" for k, *_ in found) and lex.not_talks.search(text):
        spans = [m.span() for m in lex.not_talks.finditer(text)]
        found = [t for t in found if t[0] != "talks" or not any(a <= t[2] < b for a, b in spans)]
    if not lex.sanction_not_event.search(text):
        for m in lex.sanction_words.finditer(text):
            kind = _sanction_kind(text, m.start(), m.end())
            if kind:
                found.append((kind[0], "verb" if kind[1] else "noun", kind[2], kind[3]))
    found.sort(key=lambda t: t[2])
    return found


def _sanction_kind(text: str, start: int, end: int) -> tuple[str, bool, int, int] | None:
    """Imposed or eased, around a sanctions word: (type, is_verb, action start, action end)."""
    lex = event_lexicon()
    window = lex.sanction_window
    left = text[:start]
    left_start = _word_offset(left, window)
    right_end = end + len(" ".join(text[end:].split(" ")[: window + 1]))
    for kind, pattern in (
        ("sanctions_eased", lex.sanction_eased),
        ("sanctions_imposed", lex.sanction_imposed),
    ):
        hits = [m for m in pattern.finditer(text, left_start, min(len(text), right_end))]
        hits = [m for m in hits if not (start <= m.start() < end)] or (
            [m] if (m := pattern.match(text, start)) and kind == "sanctions_imposed" else []
        )
        if hits:
            best = min(
                hits, key=lambda m: (bool(_MODIFIER.match(m.group(0))), abs(m.start() - start))
            )
            action = best.group(0)
            is_verb = not (_MODIFIER.match(action) or _NOUN_ACTION.match(action))
            return kind, is_verb, min(best.start(), start), max(best.end(), end)
    return None


_EXTEND = re.compile(r"\b(?:extend\w*|prolong\w*|renew\w*|roll(?:ed|s)? over)\b", re.I)
_DISCUSSED_ACTION = re.compile(
    r"\b(?:considering|weighing|preparing|proposed|threaten(?:ed|s)?|could|may|might)\b", re.I
)
_SINCE_OPENING = re.compile(r"^[\"“]?Since (?:early |late |mid-)?\w+(?: \d{4})?,", re.I)
_NOUN_ACTION = re.compile(
    r"(?:relief|waiver|suspension|removal|extension|prolongation|lifting|easing)\b", re.I
)
_MODIFIER = re.compile(
    r"(?:new|fresh|further|additional|secondary|sweeping|tougher|package)\b", re.I
)


def _word_offset(left: str, words: int) -> int:
    """Offset in `left` where its last `words` words begin."""
    stripped = left.rstrip()
    parts = stripped.rsplit(" ", words)
    return len(stripped) - len(" ".join(parts[1:])) if len(parts) > words else 0


def _status(text: str, t_start: int, t_end: int, form: str) -> tuple[str, bool]:
    """(status, strong) of a mention from the cues before (and right after) its trigger."""
    lex = event_lexicon()
    if form == "adj":
        return "occurred", False
    clause_start = max(text.rfind(";", 0, t_start), text.rfind(" – ", 0, t_start), 0)
    rel = list(re.finditer(r"\b(?:who|which|whom)\b", text[clause_start:t_start]))
    if rel and "," not in text[clause_start + rel[-1].end() : t_start]:
        clause_start += rel[-1].start()  # "called on X to free Y, who was detained": not a cue
    reach = NOUN_CUE_REACH if form == "noun" else VERB_CUE_REACH
    window = text[max(clause_start, t_start - reach) : t_end]
    after = text[t_end : t_end + 80]
    cues: list[tuple[int, str]] = []
    trigger_at = len(window) - (t_end - t_start)
    for status, pattern in (
        ("discussed", lex.discussed),
        ("agreed", lex.agreed),
        ("occurred", lex.occurred),
    ):
        for m in pattern.finditer(window):
            if m.end() <= trigger_at and (
                status != "occurred" or trigger_at - m.end() <= OCCURRED_REACH
            ):
                cues.append((m.end(), status))
    if re.search(
        r"\b(?:not|never|no longer)\b(?: \w+){0,2}\s*$", text[max(0, t_start - 30) : t_start]
    ):
        cues.append((10**6, "discussed"))
    if _TOPIC_AFTER.match(after):
        return "discussed", True
    take = _TAKE_PLACE.match(after)
    if take and form == "noun":
        return ("agreed" if take.group("m") in ("will", "would") else "discussed"), True
    if cues:
        status = max(cues)[1]
        if status == "agreed" and re.match(r"(?:If|As|Once|When|Unless)\b", text):
            status = "discussed"
        return status, True
    if form == "noun" and _DONE_AFTER.match(after):
        return "occurred", True
    return "occurred", form == "verb"


def _attribution(text: str) -> str | None:
    """Who the sentence credits for its information, if anyone."""
    m = _ATTRIBUTION.search(text)
    if not m:
        return None
    value = next(v for v in m.groups() if v)
    return value


def _sector(text: str, start: int) -> str | None:
    """The sanctioned industry: in the target phrase ("sanctions on X"), else the first named."""
    target = re.search(r"\b(?:on|against|targeting)\b", text[start:])
    hits = [
        (m.start(), name)
        for name, pattern in event_lexicon().sectors
        for m in pattern.finditer(text)
    ]
    if not hits:
        return None
    if target:
        at = start + target.end()
        after = [(pos - at, name) for pos, name in hits if 0 <= pos - at < SECTOR_REACH]
        if after:
            return min(after)[1]
        return None
    return min(hits)[1]


class ArticleReader:
    """Reads one article's sentences into drafts, then hands them to merging."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.text = article.text
        self.published: date | None = parse_published(article.published)
        self.sentences = split_sentences(self.text)
        self.unconfirmed = bool(_UNCONFIRMED.search(self.text))
        self.drafts: list[Draft] = []
        # Talks count only in stories about prisoners, detentions or sanctions (SCHEMA.md).
        self.on_topic = len(context.ON_TOPIC.findall(self.text)) >= ON_TOPIC_WORDS
        self.affiliation: dict[str, str] = {}
        self.full_names: dict[str, str] = {}
        # Who the article as a whole credits ("Reuters reports this with reference to sources").
        self.default_attribution = article.cited_sources[0] if article.cited_sources else None

    def read(self) -> list[Draft]:
        """Drafts of every event mention in the article, in text order."""
        candidates: list[tuple[Sentence, list]] = []
        title = context.fold(self.article.title or "")
        for s in self.sentences:
            if title and context.fold(s.text) == title:
                continue  # the headline printed again atop the body
            hits = _triggers(s.text)
            if hits or _ATTACH.search(s.text) or _ANAPHORA.match(s.text):
                candidates.append((s, hits))
        # Only sentences that may name the people an event happens to go through NER; talks and
        # sanctions sentences need just the officials named after a title (for their states).
        people = [
            i
            for i, (s, hits) in enumerate(candidates)
            if (not hits or any(h[0] in names.PEOPLE_TYPES for h in hits))
            and names.may_name(s.text)
        ]
        found = iter(names.find_persons([candidates[i][0].text for i in people]))
        wanted = set(people)
        spans = [
            next(found) if i in wanted else names.titled_names(s.text)
            for i, (s, _) in enumerate(candidates)
        ]
        for (s, _), ps in zip(candidates, spans, strict=True):
            parties = find_parties(s.text)
            self.affiliation.update(roles.affiliations(s.text, ps, parties))
            for p in ps:
                name = names.full_name(self.text, p.text)
                if len(name.split()) > 1:
                    self.full_names.setdefault(name.split()[-1], name)
        for (s, hits), ps in zip(candidates, spans, strict=True):
            self._read_sentence(s, hits, self._with_known_surnames(s.text, ps))
        return self.drafts

    def _with_known_surnames(
        self, text: str, spans: list[roles.PersonSpan]
    ) -> list[roles.PersonSpan]:
        """Add people the article named in full elsewhere and this sentence names by surname."""
        out = list(spans)
        for surname, full in self.full_names.items():
            if len(surname) < 3 or surname in self.affiliation:
                continue
            for m in re.finditer(rf"\b{re.escape(surname)}\b", text):
                if not any(p.start <= m.start() < p.end for p in out):
                    out.append(roles.PersonSpan(m.start(), m.end(), full))
        return sorted(out, key=lambda p: p.start)

    def _read_sentence(self, s: Sentence, hits: list, persons: list[roles.PersonSpan]) -> None:
        text = s.text
        skip = _dateline_end(text)
        body = " " * skip + text[skip:]
        parties = [p for p in find_parties(text) if p.start >= skip]
        persons = [p for p in persons if p.start >= skip]
        dates = [d for d in find_dates(body, self.published) if d.text.lower() not in _VAGUE]
        counts = find_counts(body)
        if not hits:
            if _ATTACH.search(text):
                names = roles.event_persons(text, persons, parties, 0, "release")
                if names:
                    d = Draft("release", "occurred", False, s, 0, 0, persons=names, attach=True)
                    self.drafts.append(d)
            elif _ANAPHORA.match(text):
                # "The move, announced on October 22, ...": the date of the sentence before.
                before = [d for d in self.drafts if d.strong and d.sentence.index == s.index - 1]
                usable = [d for d in dates if d.event_date and d.value]
                if usable and before and not before[-1].date_explicit:
                    self._set_date(before[-1], usable[0])
            return
        by_type: dict[str, tuple[str, int, int]] = {}
        strongest: dict[str, tuple[str, bool]] = {}
        for kind, form, a, b in hits:
            if kind in ("release", "detention") and not context.has_human(text, a, b, persons):
                continue
            if (
                kind == "release"
                and form == "verb"
                and _RETURN_VERB.match(text[a:b])
                and not _CAPTIVE.search(text)
            ):
                continue  # "returns from injury", "returned home broke": no captivity
            if kind == "release" and (
                context.NEGATED_LIST.search(text) or context.SPORT.search(text)
            ):
                continue
            if kind in ("release", "detention") and context.TALLY.search(
                context.clause_end(text, a)
            ):
                continue
            if kind == "detention" and context.NOT_STATE.search(text) and form != "verb":
                continue
            if kind == "detention" and form == "verb" and context.reduced_relative(text, a, b):
                form = "adj"  # "38 people convicted of extremism": who they are, not news
            if kind == "detention" and context.unnamed_relative(text, a, persons):
                continue  # "including two women who had been sentenced": background
            if kind == "exchange" and not self._swap_context(text, a, b, persons):
                continue
            if kind == "talks" and (
                not self.on_topic
                or (context.OFF_TOPIC.search(text) and not context.ON_TOPIC.search(text))
            ):
                continue  # talks about trade, or in a story that never touches prisoners
            status, strong = _status(text, a, b, form)
            if kind == "detention" and strong:
                # "detained in 2019 and sentenced in 2022": an arrest and a sentence, two events.
                kind = f"detention/{context.subkind(text, a, b)}"
            prev = strongest.get(kind)
            if prev is None or (strong and not prev[1]):
                by_type[kind] = (form, a, b)
                strongest[kind] = (status, strong)
        if (
            "release" in by_type
            and "exchange" not in by_type
            and context.swap_for_people(text, persons, parties)
        ):
            by_type["exchange"] = by_type.pop("release")  # "freed 10 Americans in exchange for ..."
            strongest["exchange"] = strongest.pop("release")
        if "exchange" in by_type:
            released = strongest.get("release")
            if released and released[1] and not strongest["exchange"][1]:
                # "each handed over 157 prisoners in an exchange": the verb states the swap
                strongest["exchange"] = released
            by_type.pop("release", None)  # a release inside a swap is that swap
        flags_cache: dict[int, dict[int, set[str]]] = {}
        anchors = [(a, b, form == "verb") for form, a, b in by_type.values()]
        if "detention" in by_type and any(k.startswith("detention/") for k in by_type):
            by_type.pop("detention")  # a weak mention beside a strong one adds nothing
        for key, (form, a, b) in by_type.items():
            kind = key.split("/")[0]
            if kind == "detention" and context.NOT_STATE.search(text[max(0, a - 40) : b + 10]):
                continue
            status, strong = strongest[key]
            flags = flags_cache.setdefault(a, roles.classify(text, parties, a))
            d = Draft(kind, status, strong, s, a, b)
            mine = [x for x in dates if _owner(text, x, anchors, skip) in (a, -1)]
            if not strong and any(st for _, st in strongest.values()):
                # a passing noun ("who deals with the release") takes no date opening the sentence
                mine = [x for x in mine if _owner(text, x, anchors, skip) != -1]
            self._fill(d, text, form, parties, flags, mine, counts, persons, dates)
            if kind == "release" and (_ATTACH.search(text) or form == "adj"):
                d.attach = not strong or d.count is None
            if d.attach and not strong:
                d.date, d.date_explicit, d.count, d.default_date = None, False, None, None
            self.drafts.append(d)
        self._in_exchange(s)

    def _swap_context(self, text: str, a: int, b: int, persons: list[roles.PersonSpan]) -> bool:
        """ "Exchange" or "swap" is a prisoner swap only among people, not players or rates."""
        if context.GENERIC_SWAPS.search(text[max(0, a - 30) : b]) or context.SPORT.search(text):
            return False  # "several large swaps last year": a history; a player swap: sport
        if context.PRISONER_WORDS.search(text) or any(d.type == "exchange" for d in self.drafts):
            return True
        return any(a - 150 <= p.start <= b + 150 for p in persons) and not context.SPORT.search(
            text
        )

    def _fill(
        self,
        d: Draft,
        text: str,
        form: str,
        parties: list[PartyMention],
        flags: dict[int, set[str]],
        dates: list[DateMention],
        counts: list,
        persons: list,
        all_dates: list[DateMention],
    ) -> None:
        """Fill a draft's slots from its sentence."""
        lex = event_lexicon()
        a, b = d.t_start, d.t_end
        if d.type == "release":
            d.by, d.to, d.agent_subject = roles.release_roles(
                text, parties, flags, a, b, verb=form == "verb"
            )
        elif d.type == "detention":
            d.by = roles.detention_roles(text, parties, flags, a)
            d.subkind = context.subkind(text, a, b)
        elif d.type in ("sanctions_imposed", "sanctions_eased"):
            action = text[a:b]
            d.subkind = "extend" if _EXTEND.search(action) else "act"
            if d.strong and _DISCUSSED_ACTION.search(action) and d.status == "occurred":
                d.status = "discussed"  # "considering restrictions on": the action is the cue
            if _SINCE_OPENING.match(text):
                d.strong = False  # "Since 2020, the EU has imposed ...": a history, not the news
                d.history = True
            word = lex.sanction_words.search(text, max(0, a - 1))
            d.by, d.to = roles.sanction_roles(
                text, parties, flags, word.start() if word else a, verb=form == "verb"
            )
            d.sector = _sector(text, a)
            d.own_target = d.sector is not None or bool(d.to)
        else:
            d.by = roles.all_parties(parties, flags, keep_mediators=d.type == "talks")
            for surname, code in self.affiliation.items():
                if re.search(rf"\b{re.escape(surname)}\b", text) and code not in d.by:
                    d.by.append(code)
        if d.type == "exchange":
            d.count = exchange_count(text, counts)
        elif d.type in ("release", "detention"):
            d.count = _nearest_count(text, counts, a)
            d.count_unknown = d.count is None and bool(
                context.UNKNOWN_COUNT.search(text[a : b + 60])
            )
        if d.type != "talks":
            d.persons = roles.event_persons(text, persons, parties, a, d.type)
        usable_dates = [x for x in dates if x.event_date]
        if usable_dates:
            self._set_date(d, min(usable_dates, key=lambda x: abs(x.start - a)))
        if d.type == "talks" and _DAYS_OF_TALKS.search(text):
            # Talks over several days take the month (SCHEMA.md settled cases).
            any_date = [x.value for x in all_dates if x.event_date and x.value]
            month = (any_date[0] if any_date else d.date or "")[:7]
            if month or self.published:
                d.date = month or self.published.isoformat()[:7]  # type: ignore[union-attr]
                d.date_explicit = True
                d.date_key = (int(d.date[:4]), int(d.date[5:7]), None)
                d.date_text = d.date
        if (
            d.date is None
            and self.published
            and d.type != "talks"
            and _PRESENT_PERFECT.search(text[max(0, a - 30) : a])
        ):
            d.default_date = self.published.isoformat()
        d.separate = bool(lex.separate.search(text[max(0, a - 16) : b]))
        d.attribution = _attribution(text)
        d.confidence = 1.0 - 0.25 * bool(_HEDGE.search(text)) - 0.15 * self.unconfirmed
        if not d.strong:
            d.confidence -= 0.2

    def _set_date(self, d: Draft, dm: DateMention) -> None:
        """Give a draft the date a date mention resolves to."""
        d.date_explicit = True
        d.date_text = re.sub(r"^(?:on|last|this) |'s$|’s$", "", dm.text.lower())
        d.date_key = dm.key
        d.date = dm.value
        if dm.multi_day and dm.value:
            d.date = dm.value[:7]

    def _in_exchange(self, s: Sentence) -> None:
        """ "75 were returned. In exchange, 75 were handed over.": two releases make one swap."""
        if not _IN_EXCHANGE_START.match(s.text) or len(self.drafts) < 2:
            return
        this, prev = self.drafts[-1], self.drafts[-2]
        if this.sentence is not s or this.type != "release" or prev.type != "release":
            return
        if prev.sentence.index != s.index - 1:
            return
        swap = Draft("exchange", prev.status, True, prev.sentence, prev.t_start, prev.t_end)
        swap.by = _union(prev.by, prev.to, this.by, this.to)
        for p in find_parties(prev.sentence.text) + find_parties(s.text):
            if p.code not in swap.by and p.kind in ("adjective", "name", "capital"):
                swap.by.append(p.code)
        if prev.count and this.count:
            swap.count = Count(prev.count.value + this.count.value, "exact")
        swap.persons = _union(prev.persons, this.persons)
        swap.date, swap.date_key, swap.date_explicit = (
            prev.date or this.date,
            prev.date_key,
            prev.date_explicit,
        )
        swap.date_text = prev.date_text
        swap.attribution = prev.attribution
        self.drafts[-2:] = [swap]


# Periods too vague to date an event by ("this year" is when it was talked about).
_VAGUE = frozenset(
    [
        "this year",
        "this month",
        "this week",
        "this summer",
        "this spring",
        "this autumn",
        "this fall",
        "this winter",
    ]
)
_NUMBER_SUBJECT = re.compile(
    r"(?<!\bin )(?<!\bsince )\b(one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3})"
    r"\s+(?:\w+\s+)?$"
)


def _owner(
    text: str, dm: DateMention, anchors: list[tuple[int, int, bool]], skip: int
) -> int | None:
    """The trigger a date belongs to: the nearest one; -1 (all) when the date opens the sentence.

    A date inside a parenthetical ("Kalesnikava, a leader of the protests in 2020, was ...")
    belongs to no trigger outside it.
    """
    if dm.start <= skip + 3:
        return -1
    aside = _parenthetical(text, dm.start)
    usable = [t for t in anchors if aside is None or aside[0] <= t[0] < aside[1]]
    usable = [t for t in usable if not _RELATIVE_BETWEEN.search(text[t[1] : dm.start])]
    if not usable:
        return None
    return min(usable, key=lambda t: _distance(dm, t))[0]


# A relative pronoun between a trigger and a date after it: the date is the clause's own.
_RELATIVE_BETWEEN = re.compile(r"\b(?:who|whom|whose|which)\b")


def _distance(dm: DateMention, trigger: tuple[int, int, bool]) -> int:
    """How far a date stands from a trigger; a verb claims its adjuncts before a noun does."""
    a, b, verb = trigger
    return min(abs(dm.start - b), abs(dm.end - a)) + (0 if verb else NOUN_DATE_PENALTY)


_ASIDE_OPEN = re.compile(
    r"^(?:,|\s[—–])\s+(?:a|an|the|who|whom|which|whose|one|headed|aged|former|"
    r"then|now|saying|adding|including|where)\b"
)


def _parenthetical(text: str, pos: int) -> tuple[int, int] | None:
    """The span of the comma or dash aside that holds `pos`, if it is one."""
    starts = [m.start() for m in re.finditer(r",|\s[—–]", text[:pos])]
    if not starts:
        return None
    start = starts[-1]
    if not _ASIDE_OPEN.match(text[start:]):
        return None
    end = re.search(r",|\s[—–]", text[pos:])
    return (start, pos + end.start()) if end else None


def _nearest_count(text: str, counts: list, a: int) -> Count | None:
    """The count of people a release or detention trigger is about: in its clause, nearest."""
    clause_end = min([i for i in (text.find(",", a), text.find(";", a)) if i >= 0] or [len(text)])
    usable = [
        c
        for c in counts
        if not c.partial
        and not c.tally
        and c.start < clause_end
        and not context.SOURCE_AFTER.match(text[c.end : c.end + 30])
    ]
    clause_start = max(text.rfind(",", 0, a), text.rfind(";", 0, a), text.rfind("—", 0, a))
    m = _NUMBER_SUBJECT.search(text[max(0, clause_start) : a]) if clause_start >= 0 else None
    if m and not [c for c in usable if clause_start < c.start < a]:
        from .counts import number_value

        value = number_value(m.group(1))
        if value:
            return Count(value, "exact")
    if not usable:
        return None
    return min(usable, key=lambda c: abs(c.start - a)).count


def _union(*lists: list[str]) -> list[str]:
    """Items of several lists, once each, in order."""
    out: list[str] = []
    for items in lists:
        for x in items:
            if x not in out:
                out.append(x)
    return out


def extract_events(article: Article) -> tuple[EventMention, ...]:
    """Every event the article reports, one mention per happening, in text order."""
    from .merge import finalize, merge_drafts

    if (
        len(context.OTHER_GENRES.findall(article.text))
        >= context.OTHER_GENRE_WORDS + len(event_lexicon().human.findall(article.text)) // 8
    ):
        return ()  # a film review, a band's tour, a football transfer: not this ledger's news
    reader = ArticleReader(article)
    drafts = reader.read()
    if not drafts:
        return ()
    events = merge_drafts(drafts)
    return finalize(events, reader)
