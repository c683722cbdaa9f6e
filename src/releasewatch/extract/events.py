"""Event extraction: an article's candidate sentences -> frames -> drafts -> event mentions.

1. The prefilter decides on the whole article, then keeps the sentences with a trigger word.
2. Only those sentences are parsed (spaCy); each trigger in them becomes a frame (frames.py).
3. Each frame is kept or dropped by named rules (data/frames.toml [vetoes]); a kept frame
   becomes a draft with its parties, persons, count and date.
4. The drafts of one article are merged into one mention per happening (merge.py).

Every candidate and its fate is recorded on the reader, so `releasewatch explain` can show why
a row is in the ledger, or why it is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .. import lexicon
from ..model import Article, Count, EventMention
from ..parties import PartyMention, find_parties
from . import context, nlp, prefilter
from ..parse.metadata import find_dateline
from .counts import CountMention, exchange_count, find_counts, number_value
from .dates import DateMention, compatible, find_dates, parse_published
from .draft import ArticleContext, Draft
from .frames import Frame, read_frames
from .lexicon import FrameLexicon, frame_lexicon
from .names import PersonSpan, affiliations, full_name, persons_in_doc
from .roles import PartyRole, party_codes, persons_in, place_parties
from .sanctions import sector as sanction_sector
from .text import Sentence, split_sentences

_DATELINE = re.compile(
    r"^(?:\(\w+\)\s*|[A-ZÀ-Ý][A-Za-zÀ-ÿ .'-]{1,30}(?:,\s[A-Z][\w .'-]{1,25}?)?"
    r"(?:\s\([^)]{1,20}\))?(?:\.\s\w{3}\s\d{1,2}\s\([^)]+\))?\.?(?:\s?[—–]+|\s-+|:)\s?)"
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
NOUN_DATE_PENALTY = int(_LIMITS["noun_date_penalty"])
ON_TOPIC_WORDS = int(_LIMITS["on_topic_words"])
_DAYS_OF_TALKS = re.compile(
    r"\b(?:two|three|four|several|\d)[- ]days? (?:of )?(?:talks|negotiations)\b|"
    r"\bon \w+day and \w+day\b",
    re.I,
)
_SINCE_OPENING = re.compile(r"^[\"“]?Since (?:early |late |mid-)?\w+(?: \d{4})?,", re.I)
_EXTEND = frozenset(["extend", "prolong", "renew", "extension", "prolongation", "renewal",
                     "roll"])
# Periods too vague to date an event by ("this year" is when it was talked about).
_VAGUE = frozenset(["this year", "this month", "this week", "this summer", "this spring",
                    "this autumn", "this fall", "this winter"])
PEOPLE_EVENTS = frozenset(["release", "detention", "exchange"])


@dataclass
class Candidate:
    """One frame of a candidate sentence and what became of it (for `explain`)."""

    sentence: Sentence
    frame: Frame | None
    parties: list[PartyRole] = field(default_factory=list)
    kept: bool = False
    reason: str | None = None  # the veto that dropped it, or why it was folded into another
    draft: Draft | None = None


def _dateline_end(text: str) -> int:
    """Length of a wire dateline opening a sentence ("VILNIUS, March 15 (AP) —"), else 0."""
    found = find_dateline(text)
    if found is not None and found.start <= 1:
        return found.end
    m = _DATELINE.match(text)
    if not m or len(m.group(0).split()) > 6:
        return 0
    return m.end()


class ArticleReader:
    """Reads one article's candidate sentences into drafts, recording every decision."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.text = article.text
        self.lex: FrameLexicon = frame_lexicon()
        self.published: date | None = parse_published(article.published)
        self.sentences = split_sentences(self.text)
        self.unconfirmed = any(p in self.text for p in self.lex.unconfirmed)
        self.drafts: list[Draft] = []
        self.candidates: list[Candidate] = []
        self.on_topic = len(context.ON_TOPIC.findall(self.text)) >= ON_TOPIC_WORDS
        self.affiliation: dict[str, str] = {}
        self.last_patients: tuple[int, list[str]] = (-9, [])  # (sentence index, names)
        self.full_names: dict[str, str] = {}
        self.default_attribution = article.cited_sources[0] if article.cited_sources else None
        folded = self.text.lower()
        self.political_words = sum(folded.count(w) for w in self.lex.political_context)

    def context(self) -> ArticleContext:
        """What merging needs of the article as a whole."""
        return ArticleContext(
            text=self.text,
            sentences=tuple(self.sentences),
            published=self.published,
            full_names=self.full_names,
            default_attribution=self.default_attribution,
            political=self.political_words >= 2,
        )

    def read(self) -> list[Draft]:
        """Drafts of every event mention in the article, in text order."""
        title = context.fold(self.article.title or "")
        chosen: list[Sentence] = []
        for s in self.sentences:
            if not prefilter.is_candidate(s.text) and not _ANAPHORA.match(s.text):
                continue
            if title and context.fold(s.text) == title:
                self.candidates.append(Candidate(s, None, reason="title-repeat"))
                continue
            chosen.append(s)
        # the dateline is no part of the sentence's grammar: blank it out for the parser, keeping
        # every offset where it is
        docs = nlp.parse([" " * (k := _dateline_end(s.text)) + s.text[k:] for s in chosen])
        spans = [persons_in_doc(doc) for doc in docs]
        for s, ps in zip(chosen, spans, strict=True):
            self.affiliation.update(affiliations(s.text, ps, find_parties(s.text)))
            for p in ps:
                name = full_name(self.text, p.text)
                if len(name.split()) > 1:
                    self.full_names.setdefault(name.split()[-1], name)
        for s, doc, ps in zip(chosen, docs, spans, strict=True):
            self._read_sentence(s, doc, self._with_known_surnames(s.text, ps))
        return self.drafts

    def _with_known_surnames(self, text: str, spans: list[PersonSpan]) -> list[PersonSpan]:
        """Add people the article named in full elsewhere and this sentence names by surname."""
        out = list(spans)
        for surname, full in self.full_names.items():
            if len(surname) < 3:
                continue
            for m in re.finditer(rf"\b{re.escape(surname)}\b", text):
                if not any(p.start <= m.start() < p.end for p in out):
                    out.append(PersonSpan(m.start(), m.end(), full))
        return sorted(out, key=lambda p: p.start)

    # ------------------------------------------------------------------ one sentence

    def _read_sentence(self, s: Sentence, doc: Any, persons: list[PersonSpan]) -> None:
        text = s.text
        skip = _dateline_end(text)
        body = " " * skip + text[skip:]
        persons = [p for p in persons if p.start >= skip]
        parties = [p for p in find_parties(text) if p.start >= skip and not _in_name(p, persons)]
        dates = [d for d in find_dates(body, self.published) if d.text.lower() not in _VAGUE]
        counts = find_counts(body)
        frames = read_frames(doc)
        if not frames:
            self.candidates.append(Candidate(s, None, reason="no-frame"))
            self._no_frame(s, text, persons, parties, dates)
            return
        kept: list[tuple[Frame, Draft, Candidate]] = []
        listing = _ATTACH.search(text)
        if listing:
            self._no_frame(s, text, persons, parties, dates)
        for f in frames:
            placed = place_parties(doc, f, parties, self.lex)
            cand = Candidate(s, f, placed)
            self.candidates.append(cand)
            cand.reason = self._veto(f, doc, text, persons, placed, s.index)
            if listing and f.type == "release" and listing.start() <= f.start < listing.end() + 3:
                cand.reason = "attach-list"
            if cand.reason:
                continue
            d = self._draft(f, doc, s, placed, persons, counts)
            cand.kept, cand.draft = True, d
            kept.append((f, d, cand))
        for f, d, _ in kept:
            mine = [x for x in dates if _date_owned(doc, x, d.tokens)]
            if not mine and d.status == "occurred" and f.form == "verb":
                # "X was freed, his family said on Tuesday": with no date of its own, a deed is
                # dated by the report that tells it
                mine = [x for x in dates if _date_owned(doc, x, _reporting_verbs(doc, d.tokens))]
            self._date(d, text, mine, dates)
        _anchor_relative_dates(doc, [d for _, d, _ in kept])
        self.drafts.extend(self._one_per_kind(kept))
        self._in_exchange(s)

    def _no_frame(self, s: Sentence, text: str, persons: list[PersonSpan],
                  parties: list[PartyMention], dates: list[DateMention]) -> None:
        """Sentences without a trigger frame: lists of people freed, and "The move ..." dates."""
        if _ATTACH.search(text):
            names = [p.text for p in persons if not any(
                q.start <= p.start < q.end for q in parties)]
            if names:
                d = Draft("release", "occurred", False, s, 0, 0, persons=names, attach=True)
                self.drafts.append(d)
        elif _ANAPHORA.match(text):
            # "The move, announced on October 22, ...": the date of the sentence before.
            before = [d for d in self.drafts if d.strong and d.sentence.index == s.index - 1]
            usable = [d for d in dates if d.event_date and d.value]
            if usable and before and not before[-1].date_explicit:
                _set_date(before[-1], usable[0])

    def _topic_near(self, index: int) -> bool:
        """True when the sentence or one beside it names prisoners, detention or sanctions."""
        near = [s.text for s in self.sentences if abs(s.index - index) <= 1]
        return any(context.TALKS_TOPIC.search(t) for t in near)

    def _both_sides(self, doc: Any, f: Frame, placed: list[PartyRole],
                    persons: list[PersonSpan]) -> bool:
        """Meetings and calls are talks between parties: a party (or an official of one) on
        each side ("Coale met Lukashenko"; not "his mother met the prime minister")."""
        sides = [a for a in f.args if a.role in ("partner", "agent")]
        if len(sides) < 2:
            return False

        def has_party(a: Any) -> bool:
            if any(r.party.start >= a.start and r.party.end <= a.end and r.level != "context"
                   for r in placed):
                return True
            names = [p for p in persons if a.start <= p.start and p.end <= a.end]
            return any(self.affiliation.get(p.text.split()[-1]) for p in names) or (
                doc[a.head].lemma_.lower() in self.lex.roles["institutions"]
                or doc[a.head].lower_ in ("we", "they")
            )

        subject = [a for a in sides if a.via in ("nsubj", "shared nsubj")]
        others = [a for a in sides if a not in subject]
        if subject and others:
            return any(has_party(a) for a in subject) and any(has_party(a) for a in others)
        return sum(has_party(a) for a in sides) >= 2

    def _captivity_near(self, index: int, f: Frame, text: str) -> bool:
        """A swap of "1000 for 1000", or prisoners named in the sentence before or after."""
        if f.type == "exchange" and _N_FOR_N.search(text):
            return True
        near = [s.text for s in self.sentences if abs(s.index - index) == 1]
        return f.type == "exchange" and any(context.PRISONER_WORDS.search(t) for t in near)

    def _state(self, doc: Any, f: Frame) -> bool:
        """Custody told as a state: "held for months", "still holds 8", "years of detention"."""
        tok = doc[f.token]
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "for" and any(
                o.ent_type_ == "DATE" or o.lemma_.lower() in _DURATIONS for o in child.children
            ):
                return True  # "detained in the United States for more than 10 years"
            if child.dep_ == "advmod" and child.lower_ in ("still", "currently"):
                return True
        if f.form == "noun" and tok.dep_ == "pobj" and tok.head.lower_ in ("under", "in") and (
            tok.head.head.lemma_.lower() in ("hold", "keep", "remain", "be", "stay", "place", "put")
        ):
            return True  # "held under house arrest", "remains in detention"
        if tok.lemma_.lower() in ("hold", "keep") and tok.tag_ in ("VBZ", "VBP", "VBG"):
            return not any(c.dep_ == "aux" and c.lower_ in ("was", "were") for c in tok.children)
        node = tok
        for _ in range(3):  # "after months of being detained", "years of imprisonment"
            if node.dep_ in ("pcomp", "pobj") and node.head.lower_ == "of" and (
                node.head.head.lemma_.lower() in _DURATIONS
            ):
                return True
            node = node.head
        return False

    def _veto(self, f: Frame, doc: Any, text: str, persons: list[PersonSpan],
              placed: list[PartyRole], s_index: int) -> str | None:
        """The name of the rule that drops a frame, or None when it states an event."""
        lex = self.lex
        kind = f.type
        if f.how == "connective":
            return "connective"
        if f.how.startswith("circumstance") and not f.of("partner"):
            return "circumstance"  # named with who took part, the talks themselves are news
        if f.how == "in exchange for things":
            return "quid-pro-quo"
        if f.patient_class in ("thing", "dead", "sport", "money") and kind in PEOPLE_EVENTS:
            return f"{f.patient_class}-patient"
        if f.patient_class == "migrants" and f.trigger.needs == "captives":
            return "migrants-patient"
        if f.patient_class == "stative":
            return "stative-sanctions"
        if kind == "detention" and f.status.status != "occurred":
            return "not-done"  # "could face arrest", "does not extinguish the conviction"
        needs = f.trigger.needs
        if needs and kind in PEOPLE_EVENTS and f.patient_class is None:
            near = any(f.start - 150 <= p.start <= f.end + 150 for p in persons)
            words = {t.lemma_.lower() for t in doc if t.i != f.token}
            people_words = lex.nouns["people"] | lex.nouns["captives"] | lex.nouns["political"]
            captivity = lex.nouns["captives"] | _CAPTIVITY | lex.nouns["political"]
            if needs == "captives" and not words & captivity and not self._captivity_near(
                s_index, f, text
            ):
                return "no-captivity"
            if not near and not words & people_words and not any(
                t.pos_ == "PRON" and t.lemma_.lower() in lex.nouns["pronouns"] for t in doc
            ):
                return "no-people"
        if needs == "captives" and kind == "release" and f.patient_class not in ("captives",):
            words = {t.lemma_.lower() for t in doc}
            # "Ukraine returned 31 citizens from Belarus": people brought back from a state
            moved = f.patient_class in ("people", "political") and any(
                r.role in ("source", "destination") and r.level in ("head", "nested")
                for r in placed
            )
            if not words & (lex.nouns["captives"] | _CAPTIVITY) and not moved:
                return "no-captivity"
        if kind in ("release", "detention") and _tally(doc, f):
            return "tally"
        if kind == "detention" and doc[f.token].head.lemma_.lower() in lex.roles["state_verbs"]:
            return "state-not-act"  # "spent three years detained", "remains jailed"
        if kind == "detention" and f.form != "verb" and context.NOT_STATE.search(text):
            return "state-not-act"
        if kind == "detention" and context.NOT_STATE.search(text[max(0, f.start - 40) : f.end + 10]):
            return "state-not-act"
        if kind == "release" and context.NEGATED_LIST.search(text):
            return "negated-list"
        if kind == "exchange" and context.GENERIC_SWAPS.search(text[max(0, f.start - 30) : f.end]):
            return "generic-swaps"
        if kind == "talks":
            topics = [text[a.start : a.end] for a in f.of("topic")]
            if f.form == "noun":
                topics += [c.text for c in doc[f.token].children if c.dep_ in ("compound", "amod")
                           and context.OFF_TOPIC.search(c.text)]  # "a climate summit"
            if topics and not any(_on_topic(t) for t in topics):
                return "off-topic-talks"  # "to negotiate food and fuel import deals"
            stated = topics and any(_on_topic(t) for t in topics)  # "discussing a prisoner swap"
            if not stated and (
                not self.on_topic
                or (context.OFF_TOPIC.search(text) and not context.ON_TOPIC.search(text))
            ):
                return "off-topic-talks"
        if kind == "talks" and doc[f.token].lemma_.lower() in lex.roles["meeting_words"] and not (
            self._topic_near(s_index)
        ):
            return "off-topic-talks"  # a visit or meeting with no prisoners or sanctions near
        if needs == "partner" and not self._both_sides(doc, f, placed, persons):
            return "one-party"
        if kind == "talks" and f.voice == "passive" and f.patient_class in (
            "people", "political", "captives"
        ):
            codes = {r.party.code for r in placed if r.role in ("partner", "agent", "patient")}
            if len(codes) <= 1:
                return "one-party"  # "the freed Americans were met by President Biden"
        head = doc[f.token].head
        if kind == "detention" and head.lemma_.lower() in lex.roles["judging_verbs"] and (
            doc[f.token].dep_ in ("oprd", "ccomp", "xcomp", "acomp", "advcl", "conj")
        ):
            return "characterization"  # "citizens the US considered wrongly imprisoned"
        if kind == "detention" and self._state(doc, f):
            return "state-not-act"
        tok = doc[f.token]
        named = tok.head.head if tok.head.dep_ == "appos" else tok.head  # "X, a woman who ..."
        if kind == "detention" and tok.dep_ == "relcl" and named.ent_type_ != "PERSON" and (
            (named.pos_ != "PROPN" or named.ent_type_ == "NORP")
            and not any(p.start <= named.idx < p.end for p in persons)
        ):
            return "background-relative"  # "two women who had been convicted": who they are
        return None

    def _draft(self, f: Frame, doc: Any, s: Sentence, placed: list[PartyRole],
               persons: list[PersonSpan], counts: list[CountMention]) -> Draft:
        """A draft from a kept frame: parties, persons, count, sector, confidence."""
        text = s.text
        receiver = f.trigger.name == "release-return" and doc[f.token].lemma_.lower() in (
            self.lex.roles["receiver_verbs"])
        by, to, how = party_codes(f, placed, self.lex, receiver)
        status = f.status.status
        d = Draft(f.type, status, f.strong, s, f.start, f.end, by=by, to=to)
        d.tokens = [f.token, *f.linked] + ([f.focus] if f.focus is not None else [])
        if f.form == "noun" and (gov := _noun_governor(doc[f.token])) is not None:
            d.tokens.append(gov.i)  # "held talks on Monday": the verb's date is the talks'
        d.by_from_place = how.startswith("place")
        d.agent_subject = bool(f.of("agent")) and f.voice == "active"
        if f.type in ("talks", "exchange"):
            # officials named with their state elsewhere ("US envoy John Coale ... Coale met")
            for name in persons_in(doc, f, persons, ("partner", "agent"), self.lex):
                code = self.affiliation.get(name.split()[-1])
                if code and code not in d.by:
                    d.by.append(code)
        d.nationality = [r.party.code for r in placed if r.role == "patient"
                         and r.level == "nationality"]
        if f.type in PEOPLE_EVENTS:
            d.persons = persons_in(doc, f, persons, ("patient",), self.lex)
            if not d.persons:
                d.persons = self._antecedent(doc, f, s)
            elif f.type != "exchange":
                self.last_patients = (s.index, d.persons)
            if f.type == "exchange":
                d.count = exchange_count(text, counts) or _patient_count(f, counts, text, own=True)
            else:
                d.count = _patient_count(f, counts, text)
                d.count_unknown = d.count is None and bool(
                    context.UNKNOWN_COUNT.search(text[f.start : f.end + 60]))
        if f.type == "detention":
            d.subkind = context.subkind(text, f.start, f.end)
        if f.type.startswith("sanctions"):
            action = doc[f.token].lemma_.lower()
            d.subkind = "extend" if action in _EXTEND else "act"
            d.sector = sanction_sector(doc, f, self.lex)
            d.persons = persons_in(doc, f, persons, ("target",), self.lex)
            d.own_target = d.sector is not None or bool(d.to)
            if _SINCE_OPENING.match(text):
                d.strong, d.history = False, True  # "Since 2020, the EU has imposed ..."
        d.separate = any(doc[i].lower_ in self.lex.separate for i in _modifiers(doc, f))
        d.attribution = f.status.attribution
        d.confidence = (1.0 - 0.25 * f.status.hedged - 0.15 * self.unconfirmed
                        - 0.2 * (not d.strong))
        d.political = self._political(f, d, doc)
        if d.type == "release" and d.status == "agreed":
            # a promised release ("will be freed") is told beside the release itself, or of
            # people not yet freed: it adds detail to a release, it makes none on its own
            d.strong, d.joins_only = False, True
        return d

    def _antecedent(self, doc: Any, f: Frame, s: Sentence) -> list[str]:
        """The person a singular pronoun patient stands for: the one the sentence before named
        as the patient of an event ("Bout ... was arrested. He was convicted ...")."""
        patients = [doc[a.head] for a in f.args if a.role in ("patient", "possessor")]
        if len(patients) != 1:
            return []
        word = patients[0].lower_
        index, names = self.last_patients
        if s.index - index > 2:
            return []
        if word in _SINGULAR and len(names) == 1:
            return list(names)
        if word in _PLURAL and len(names) >= 2:
            return list(names)  # "Kohler and Paris were arrested ... Sentenced, they were"
        return []

    def _political(self, f: Frame, d: Draft, doc: Any) -> bool:
        """Whether the event is of the kind these users follow (issue 7's scope)."""
        if f.type not in ("release", "detention"):
            return True  # swaps, talks about prisoners and sanctions are political by nature
        if f.patient_class in ("captives", "political"):
            return True
        if d.nationality and d.by and not set(d.nationality) & set(d.by):
            return True  # a foreign national held by a state
        words = doc.text.lower()
        if any(w in words for w in self.lex.political_context):
            return True
        return self.political_words >= 2 and bool(d.persons)

    def _sides(self, kept: list[tuple[Frame, Draft, Candidate]]) -> None:
        """Two releases in one sentence by two holders, each of the other's people, are a swap
        ("with Baku freeing 32 Armenian servicemen and Yerevan releasing two Azerbaijanis")."""
        releases = [(f, d, c) for f, d, c in kept if d.type == "release" and d.strong and d.by]
        for i, (f1, d1, c1) in enumerate(releases):
            for f2, d2, c2 in releases[i + 1 :]:
                if set(d1.by) & set(d2.by):
                    continue
                crossed = (set(d1.nationality) & set(d2.by)) or (set(d2.nationality) & set(d1.by))
                if not crossed:
                    continue
                swap = Draft("exchange", d1.status, True, d1.sentence, d1.t_start, d1.t_end)
                swap.by = _union(d1.by, d2.by)
                if d1.count and d2.count:
                    swap.count = Count(d1.count.value + d2.count.value, "exact")
                swap.persons = _union(d1.persons, d2.persons)
                swap.attribution, swap.political = d1.attribution, True
                kept[kept.index((f1, d1, c1))] = (f1, swap, c1)
                kept.remove((f2, d2, c2))
                c1.draft = swap
                c2.kept, c2.reason = False, "the other side of the swap read with it"
                return

    def _one_per_kind(self, kept: list[tuple[Frame, Draft, Candidate]]) -> list[Draft]:
        """One draft per event type (and detention sub-kind) per sentence: the strongest."""
        self._sides(kept)
        best: dict[str, tuple[Frame, Draft, Candidate]] = {}
        for f, d, cand in kept:
            key = f"{d.type}/{d.subkind}" if d.type == "detention" and d.strong else d.type
            prev = best.get(key)
            if prev is not None and d.type in ("release", "detention") and d.strong and (
                prev[1].strong
            ) and _apart(prev[1], d):
                key = f"{key}#{len(best)}"  # two happenings told in one sentence
                prev = None
            if prev is None:
                best[key] = (f, d, cand)
                continue
            winner, loser = (prev, (f, d, cand)) if prev[1].strong or not d.strong else (
                (f, d, cand), prev)
            _absorb(winner[1], loser[1])
            loser[2].kept, loser[2].reason = False, f"read with '{winner[0].trigger.name}'"
            best[key] = winner
        if "detention" in best and any(k.startswith("detention/") for k in best):
            _, weak, cand = best.pop("detention")
            cand.kept, cand.reason = False, "weak beside a stronger detention"
        if "exchange" in best and "release" in best:
            swap, release = best["exchange"][1], best.pop("release")
            if release[1].strong and not swap.strong:
                swap.strong, swap.status = True, release[1].status
            _absorb(swap, release[1], roles=True)
            release[2].kept, release[2].reason = False, "a release inside a swap is that swap"
        return sorted((d for _, d, _ in best.values()), key=lambda d: d.t_start)

    # ------------------------------------------------------------------------- dates

    def _date(self, d: Draft, text: str, mine: list[DateMention],
              all_dates: list[DateMention]) -> None:
        usable = [x for x in mine if x.event_date]
        if usable:
            _set_date(d, min(usable, key=lambda x: abs(x.start - d.t_start)))
        if d.type == "talks" and _DAYS_OF_TALKS.search(text):
            # Talks over several days take the month (SCHEMA.md settled cases).
            any_date = [x.value for x in all_dates if x.event_date and x.value]
            month = (any_date[0] if any_date else d.date or "")[:7]
            if month or self.published:
                d.date = month or self.published.isoformat()[:7]  # type: ignore[union-attr]
                d.date_explicit = True
                d.date_key = (int(d.date[:4]), int(d.date[5:7]), None)
                d.date_text = d.date
        if d.attach and not d.strong:
            d.date, d.date_explicit, d.count, d.default_date = None, False, None, None

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
        swap.by = _union(prev.by, prev.to, this.by, this.to, prev.nationality, this.nationality)
        for p in find_parties(prev.sentence.text) + find_parties(s.text):
            if p.code not in swap.by and p.kind in ("adjective", "name", "capital"):
                swap.by.append(p.code)
        if prev.count and this.count:
            swap.count = Count(prev.count.value + this.count.value, "exact")
        swap.persons = _union(prev.persons, this.persons)
        swap.date, swap.date_key, swap.date_explicit = (
            prev.date or this.date, prev.date_key, prev.date_explicit)
        swap.date_text = prev.date_text
        swap.attribution = prev.attribution
        swap.political = True
        self.drafts[-2:] = [swap]


_N_FOR_N = re.compile(r"\b[\w,]+[- ]for[- ][\w,]+\b(?= (?:format|exchange|swap|deal|prisoner))|"
                      r"\d[\d,]*[- ]for[- ]\d", re.I)
_SINGULAR = frozenset(["he", "she", "him", "her", "his"])
_PLURAL = frozenset(["they", "them", "their", "both"])
_DURATIONS = frozenset(["year", "month", "week", "day", "decade", "hour"])
_CAPTIVITY = frozenset(["captivity", "prison", "jail", "detention", "custody", "exchange", "swap",
                        "free", "release", "pardon", "colony", "camp", "cell", "behind"])


def _on_topic(topic: str) -> bool:
    """Whether what talks are about is this ledger's (SCHEMA.md: prisoners, sanctions, a deal)."""
    if context.TALKS_TOPIC.search(topic):
        return True
    return bool(context.DEAL.search(topic)) and not context.OFF_TOPIC.search(topic)


def _tally(doc: Any, f: Frame) -> bool:
    """People freed over a period, counted ("430 freed since July", "freed so far"): a tally."""
    tok = doc[f.token]
    counted = any(a.role == "patient" and any(t.like_num for t in doc[a.head].subtree)
                  for a in f.args)
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "since" and counted and f.type == "release":
            return True  # for a detention "since" is when custody began, not a tally
        if child.lower_ in ("so", "total", "overall", "altogether") and counted:
            return True  # "freed so far", "released in total"
        if child.dep_ == "prep" and any(c.lower_ in ("alone", "total") for c in child.subtree) and (
            counted
        ):
            return True  # "170 people convicted in July alone"
    return False


def _in_name(p: PartyMention, persons: list[PersonSpan]) -> bool:
    """A place name inside a person's name ("Jacques Paris") names no party."""
    return p.kind != "actor" and any(
        ps.start <= p.start and p.end <= ps.end and " " in ps.text for ps in persons
    )


def _modifiers(doc: Any, f: Frame) -> list[int]:
    """Token indexes of the words modifying a frame's trigger and its sanctions noun."""
    heads = {f.token} | ({f.focus} if f.focus is not None else set())
    return [c.i for h in heads for c in doc[h].children if c.dep_ in ("amod", "det", "advmod")]


def _apart(a: Draft, b: Draft) -> bool:
    """Two strong drafts of one type in a sentence that tell different happenings: other people
    ("X was freed, while Y was released on furlough") or other dates ("11 freed on Aug. 16,
    with 18 more freed in early July")."""
    if a.type == "release" and a.persons and b.persons and not set(a.persons) & set(b.persons):
        return True  # (two people sentenced in one sentence are mostly one trial)
    if a.date_explicit and b.date_explicit and not compatible(a.date_key, b.date_key):
        return True
    return False


def _absorb(into: Draft, other: Draft, roles: bool = True) -> None:
    """Fold what a second trigger of one event in a sentence adds into the first's draft."""
    if roles:
        into.by = _union(into.by, [c for c in other.by if c not in into.to])
        into.to = _union(into.to, [c for c in other.to if c not in into.by])
    into.persons = _union(into.persons, other.persons)
    into.tokens = into.tokens + other.tokens
    into.nationality = _union(into.nationality, other.nationality)
    if into.count is None and into.type != "exchange":
        into.count = other.count
    into.sector = into.sector or other.sector
    into.political = into.political or other.political
    if not into.date_explicit and other.date_explicit:
        into.date, into.date_key, into.date_text = other.date, other.date_key, other.date_text
        into.date_explicit = True


def _patient_count(f: Frame, counts: list[CountMention], text: str, own: bool = False
                   ) -> Count | None:
    """The number of people an event covers: a count inside its patient's phrase."""
    usable = [c for c in counts if not c.partial and not c.tally
              and not context.SOURCE_AFTER.match(text[c.end : c.end + 30])]
    spans = [(a.start, a.end) for a in f.args if a.role == "patient"
             and not (own and " of '" in a.via)]  # "freed 10 Americans in exchange": one side
    inside = [c for c in usable if any(a <= c.start < b for a, b in spans)]
    if inside:
        return inside[0].count
    if own:
        return None
    if spans:
        # "14 were freed": a number standing as the patient itself
        for a, b in spans:
            m = re.fullmatch(r"(?:the )?(\w+)", text[a:b], re.I)
            if m and (value := number_value(m.group(1))):
                return Count(value, "exact")
        return None
    clause_end = len(context.clause_end(text, f.start))
    near = [c for c in usable if c.start < clause_end]
    return min(near, key=lambda c: abs(c.start - f.start)).count if near else None


def _set_date(d: Draft, dm: DateMention) -> None:
    """Give a draft the date a date mention resolves to."""
    d.date_explicit = True
    d.date_text = re.sub(r"^(?:on|last|this) |'s$|’s$", "", dm.text.lower())
    d.date_key = dm.key
    d.date = dm.value
    if dm.multi_day and dm.value:
        d.date = dm.value[:7]


def _noun_governor(noun: Any) -> Any:
    """The verb a noun trigger is the object, subject or prepositional object of."""
    node = noun
    for _ in range(5):
        head = node.head
        if head.i == node.i:
            return None
        if head.pos_ in ("VERB", "AUX"):
            return head
        if node.dep_ not in ("pobj", "prep", "compound", "conj"):
            return None
        node = head
    return None


_UNIT_DAYS = {"day": 1, "week": 7, "hour": 0, "night": 1}


def _offset_days(clause: Any) -> int | None:
    """The days an "N days after/before" clause stands from its main clause ("a day after")."""
    for child in clause.children:
        if child.dep_ == "npadvmod" and child.lemma_.lower() in _UNIT_DAYS:
            n = 1
            for c in child.children:
                if c.dep_ == "nummod":
                    n = number_value(c.lower_) or 0
            return n * _UNIT_DAYS[child.lemma_.lower()]
    return None


def _anchor_relative_dates(doc: Any, drafts: list[Draft]) -> None:
    """Date an event told relative to another of the sentence: "lifted sanctions on Thursday, a
    day after Belarus freed 52" puts the release on Wednesday; "two days before" the other way."""
    by_token = {i: d for d in drafts for i in d.tokens}
    for d in drafts:
        clause = doc[d.tokens[0]]
        if clause.dep_ != "advcl" or clause.head.i not in by_token:
            continue
        mark = next((c.lower_ for c in clause.children if c.dep_ == "mark"), None)
        days = _offset_days(clause)
        main = by_token[clause.head.i]
        if mark not in ("after", "before") or days is None or main is d:
            continue
        sign = -1 if mark == "after" else 1  # the clause's event before (after) the main one
        for known, unknown, step in ((main, d, sign), (d, main, -sign)):
            if unknown.date is None and known.date and len(known.date) == 10:
                day = date.fromisoformat(known.date) + timedelta(days=step * days)
                unknown.date, unknown.date_explicit = day.isoformat(), True
                unknown.date_key = (day.year, day.month, day.day)
                unknown.date_text = f"{days} day(s) {mark} {known.date_text}"


def _reporting_verbs(doc: Any, tokens: list[int]) -> list[int]:
    """The reporting verbs ("said", "reported") whose clause holds an event's words."""
    lex = frame_lexicon()
    out = []
    for i in tokens:
        node = doc[i]
        for _ in range(2):
            if node.head.i == node.i or node.dep_ not in ("ccomp", "parataxis"):
                break
            node = node.head
            if node.lemma_.lower() in lex.reporting_verbs:
                out.append(node.i)
                break
    return out


def _date_owned(doc: Any, dm: DateMention, tokens: list[int]) -> bool:
    """Whether a date belongs to an event: the date hangs, in the parse, on one of the event's
    words before any other verb ("arrested in 2019 and sentenced in 2021": each its own;
    "Kalesnikava, a leader of the protests in 2020, was freed": not the release's)."""
    span = doc.char_span(dm.start, dm.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    node = span.root
    prep = node.head if node.dep_ == "pobj" else None
    if prep is not None and prep.lower_ == "on" and prep.head.dep_ in ("nsubj", "nsubjpass") and (
        prep.head.head.i in tokens
    ):
        return True  # "The European Union on 18 July adopted ...": the parser hung it on the EU
    for _ in range(8):
        if node.i in tokens:
            return True
        if node.pos_ in ("VERB", "AUX") and node.dep_ not in ("aux", "auxpass", "prep"):
            return False  # another verb's date: the report's, an aside's, another event's
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _union(*lists: list[str]) -> list[str]:
    """Items of several lists, once each, in order."""
    out: list[str] = []
    for items in lists:
        for x in items:
            if x not in out:
                out.append(x)
    return out


def read_article(article: Article) -> tuple[ArticleReader | None, str]:
    """The reader of an article after reading it, or None and why it was not read."""
    scope = prefilter.article_scope(article.text)
    if not scope.read:
        return None, scope.reason
    if (
        len(context.OTHER_GENRES.findall(article.text))
        >= context.OTHER_GENRE_WORDS + len(context.human_words().findall(article.text)) // 8
    ):
        return None, "other-genre"  # a film review, a band's tour, a football transfer
    reader = ArticleReader(article)
    reader.read()
    return reader, "read"


def extract_events(article: Article) -> tuple[EventMention, ...]:
    """Every event the article reports, one mention per happening, in text order."""
    from .merge import finalize, merge_drafts

    reader, _ = read_article(article)
    if reader is None or not reader.drafts:
        return ()
    return finalize(merge_drafts(reader.drafts), reader.context())
