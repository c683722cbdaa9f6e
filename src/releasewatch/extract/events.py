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
from datetime import date
from typing import Any

from .. import lexicon
from ..model import Article, Count, EventMention
from ..parse.metadata import find_dateline
from ..parties import PartyMention, find_parties
from . import context, nlp, prefilter
from .counts import CountMention, exchange_count, find_counts, number_value
from .dates import (
    DateMention,
    anchor_relative_dates,
    compatible,
    date_owned,
    find_dates,
    noun_governor,
    parse_published,
    reporting_verbs,
    set_date,
)
from .draft import ArticleContext, Draft
from .frames import Frame, read_frame, triggers_at
from .lexicon import FrameLexicon, frame_lexicon
from .names import (
    PersonSpan,
    affiliations,
    captive_named,
    cut_short,
    full_name,
    name_key,
    persons_in_doc,
    untitled,
    with_listed_names,
)
from .phrases import (
    ORDINAL,
    compound_heads,
    governing_verbs,
    names_someone,
    own_phrase,
    relative_antecedent,
    since_phrase,
    trigger_modifiers,
)
from .roles import PartyRole, party_codes, persons_in, place_parties
from .sanctions import SANCTIONS_TOLD, sanction_frames
from .sanctions import sector as sanction_sector
from .status import negation
from .text import Sentence, split_sentences
from .vetoes import PEOPLE_EVENTS, Vetoes

_DATELINE = re.compile(
    r"^(?:\(\w+\)\s*|[A-ZÀ-Ý][A-Za-zÀ-ÿ .'-]{1,30}(?:,\s[A-Z][\w .'-]{1,25}?)?"
    r"(?:\s\([^)]{1,20}\))?(?:\.\s\w{3}\s\d{1,2}\s\([^)]+\))?\.?(?:\s?[—–]+|\s-+|:)\s?)"
)
_LIMITS = lexicon.load("events")["thresholds"]
ON_TOPIC_WORDS = int(_LIMITS["on_topic_words"])
_EXTEND = frozenset(["extend", "prolong", "renew", "extension", "prolongation", "renewal", "roll"])
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


@dataclass
class Candidate:
    """One frame of a candidate sentence and what became of it (for `explain`)."""

    sentence: Sentence
    frame: Frame | None
    parties: list[PartyRole] = field(default_factory=list)
    kept: bool = False
    reason: str | None = None  # the veto that dropped it, or why it was folded into another
    draft: Draft | None = None


def read_frames(doc: Any) -> list[Frame]:
    """Every frame in a parsed sentence, events of people and sanctions alike, in order."""
    lex = frame_lexicon()
    frames = [read_frame(doc, tok, t, lex) for tok in doc for t in triggers_at(tok, lex)]
    frames.extend(sanction_frames(doc, lex))
    frames.sort(key=lambda f: f.start)
    return frames


def parser_texts(sentences: list[Sentence]) -> list[str]:
    """What the parser reads of each sentence: a wire dateline is no part of its grammar, so it
    is blanked out, keeping every offset where it is."""
    return [" " * (k := _dateline_end(s.text)) + s.text[k:] for s in sentences]


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
        self.on_topic = len(context.words("on_topic").findall(self.text)) >= ON_TOPIC_WORDS
        self.affiliation: dict[str, str] = {}
        self.last_patients: tuple[int, list[str]] = (-9, [])  # (sentence index, names)
        self.full_names: dict[str, str] = {}
        self.spellings: dict[str, str] = {}
        self.default_attribution = article.cited_sources[0] if article.cited_sources else None
        self.political_words = len(context.political().findall(self.text))
        self.vetoes = Vetoes(self.lex, self.sentences, self.on_topic, self.affiliation)

    def context(self) -> ArticleContext:
        """What merging needs of the article as a whole."""
        return ArticleContext(
            text=self.text,
            sentences=tuple(self.sentences),
            published=self.published,
            full_names=self.full_names,
            spellings=self.spellings,
            default_attribution=self.default_attribution,
            political=self.political_words >= 2,
        )

    def read(self) -> list[Draft]:
        """Drafts of every event mention in the article, in text order."""
        chosen = self.choose()
        return self.read_parsed(chosen, nlp.parse(parser_texts(chosen)))

    def choose(self) -> list[Sentence]:
        """The sentences worth parsing: those with a trigger (or that add to the one before)."""
        title = context.fold(self.article.title or "")
        chosen: list[Sentence] = []
        for s in self.sentences:
            if not prefilter.is_candidate(s.text) and not context.pattern("anaphora").match(s.text):
                continue
            if title and context.fold(s.text) == title:
                self.candidates.append(Candidate(s, None, reason="title-repeat"))
                continue
            chosen.append(s)
        return chosen

    def read_parsed(self, chosen: list[Sentence], docs: list[Any]) -> list[Draft]:
        """Read the chosen sentences from their parses (`parser_texts` order)."""
        spans = [persons_in_doc(doc) for doc in docs]
        for s, ps in zip(chosen, spans, strict=True):
            self.affiliation.update(affiliations(s.text, ps, find_parties(s.text)))
            for p in ps:
                name = full_name(self.text, untitled(p.text))
                if len(name.split()) > 1:
                    self.full_names.setdefault(name.split()[-1], name)
                    self.spellings.setdefault(name_key(name), name)
        for s, doc, ps in zip(chosen, docs, spans, strict=True):
            known = self._with_known_surnames(s.text, ps)
            self._read_sentence(s, doc, with_listed_names(doc, known))
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
        doc.user_data[SANCTIONS_TOLD] = any(d.type.startswith("sanctions") for d in self.drafts)
        frames = read_frames(doc)
        if not frames:
            self.candidates.append(Candidate(s, None, reason="no-frame"))
            self._no_frame(s, text, persons, parties, dates)
            names = captive_named(doc, persons, self.lex.nouns["captives"])
            if names and not context.pattern("attach").search(text):
                # "Footage shows hostages Morad Tahbaz, Siamak Namazi and Emad Sharghi ...":
                # people named as captives join the article's release or swap
                self.drafts.append(
                    Draft("release", "occurred", False, s, 0, 0, persons=names, attach=True)
                )
            return
        kept: list[tuple[Frame, Draft, Candidate]] = []
        listing = context.pattern("attach").search(text)
        if listing:
            self._no_frame(s, text, persons, parties, dates)
        for f in frames:
            placed = place_parties(doc, f, parties, self.lex)
            cand = Candidate(s, f, placed)
            self.candidates.append(cand)
            cand.reason = self.vetoes.check(f, doc, text, persons, placed, s.index)
            if listing and f.type == "release" and listing.start() <= f.start < listing.end() + 3:
                cand.reason = "attach-list"
            if cand.reason:
                if cand.reason == "state-not-act" and f.type in PEOPLE_EVENTS:
                    # "leaves Paul Whelan imprisoned in Russia. He was convicted ...": a
                    # captive told in custody is whom the next pronoun means
                    held = persons_in(doc, f, persons, ("patient",), self.lex)
                    self.last_patients = (s.index, held) if held else self.last_patients
                continue
            d = self._draft(f, doc, s, placed, persons, counts)
            cand.kept, cand.draft = True, d
            kept.append((f, d, cand))
        for f, d, _ in kept:
            mine = [x for x in dates if date_owned(doc, x, d.tokens)]
            if not mine and f.form == "verb":
                # "Today, the Council decided to extend the sanctions": the governing verb's date
                mine = [x for x in dates if date_owned(doc, x, governing_verbs(doc[f.token]))]
            if not mine and d.status in ("occurred", "agreed") and f.form == "verb":
                # "X was freed, his family said on Tuesday": with no date of its own, a deed is
                # dated by the report that tells it
                mine = [x for x in dates if date_owned(doc, x, reporting_verbs(doc, d.tokens))]
            self._date(d, text, mine, dates)
            self._described_custody(d, f, doc, bool(mine))
            self._dated_noun(d, f, doc, mine)
        anchor_relative_dates(doc, [d for _, d, _ in kept])
        self.drafts.extend(self._one_per_kind(kept, doc))
        self._in_exchange(s)

    def _no_frame(
        self,
        s: Sentence,
        text: str,
        persons: list[PersonSpan],
        parties: list[PartyMention],
        dates: list[DateMention],
    ) -> None:
        """Sentences without a trigger frame: lists of people freed, and "The move ..." dates."""
        if context.pattern("attach").search(text):
            names = [
                p.text for p in persons if not any(q.start <= p.start < q.end for q in parties)
            ]
            if names:
                d = Draft("release", "occurred", False, s, 0, 0, persons=names, attach=True)
                self.drafts.append(d)
        elif context.pattern("anaphora").match(text):
            # "The move, announced on October 22, ...": the date of the sentence before.
            before = [d for d in self.drafts if d.strong and d.sentence.index == s.index - 1]
            usable = [d for d in dates if d.event_date and d.value]
            if usable and before and not before[-1].date_explicit:
                set_date(before[-1], usable[0])

    def _draft(
        self,
        f: Frame,
        doc: Any,
        s: Sentence,
        placed: list[PartyRole],
        persons: list[PersonSpan],
        counts: list[CountMention],
    ) -> Draft:
        """A draft from a kept frame: parties, persons, count, sector, confidence."""
        text = s.text
        receiver = (
            f.trigger.name == "release-return"
            and doc[f.token].lemma_.lower() in (self.lex.roles["receiver_verbs"])
        )
        by, to, how = party_codes(f, placed, self.lex, receiver)
        status = f.status.status
        d = Draft(f.type, status, f.strong, s, f.start, f.end, by=by, to=to)
        d.tokens = [f.token, *f.linked] + ([f.focus] if f.focus is not None else [])
        if f.focus is not None and f.type.startswith("sanctions"):
            acts = self.lex.sanction_imposed | self.lex.sanction_eased
            d.tokens += [  # "the cap introduced in 2022": the noun's own act dates it
                c.i
                for c in doc[f.focus].children
                if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in acts
            ]
        nominal = f.form == "noun" or doc[f.token].pos_ in (
            "NOUN",
            "PROPN",
        )  # "announced its extension"
        if nominal and (gov := noun_governor(doc[f.token])) is not None:
            d.tokens.append(gov.i)  # "held talks on Monday": the verb's date is the talks'
        if (
            not by
            and f.type != "talks"
            and f.status.attribution
            and any(doc[a.head].pos_ == "PRON" for a in f.of("agent"))
        ):
            # "the Treasury announced that it would ease sanctions": the pronoun agent is
            # the one who tells it
            d.by = list(dict.fromkeys(p.code for p in find_parties(f.status.attribution)))
        d.by_from_place = how.startswith("place")
        d.other_agent = not any(r.role == "agent" for r in placed) and any(
            names_someone(doc, a)
            for a in f.of("agent")
            if a.via in ("nsubj", "by-phrase", "owner", "hyphen")
        )
        d.agent_subject = bool(f.of("agent")) and f.voice == "active"
        if f.type in ("talks", "exchange"):
            # officials named with their state elsewhere ("US envoy John Coale ... Coale met")
            for name in persons_in(doc, f, persons, ("partner", "agent"), self.lex):
                code = self.affiliation.get(name.split()[-1])
                if code and code not in d.by:
                    d.by.append(code)
        d.nationality = [
            r.party.code for r in placed if r.role == "patient" and r.level == "nationality"
        ]
        if f.type in PEOPLE_EVENTS:
            d.persons = persons_in(doc, f, persons, ("patient",), self.lex)
            if not d.persons:
                d.persons = relative_antecedent(doc, f, persons) or self._antecedent(doc, f, s)
            elif f.type != "exchange":
                self.last_patients = (s.index, d.persons)
            if f.type == "exchange":
                d.count = exchange_count(text, counts) or _patient_count(f, counts, text, own=True)
            else:
                d.count = _with_the_named(_patient_count(f, counts, text), counts, text, d)
                d.count_unknown = d.count is None and bool(
                    context.words("unknown_count").search(text[f.start : f.end + 60])
                )
        if f.type == "detention":
            d.subkind = context.subkind(own_phrase(doc[f.token]))
        if f.type.startswith("sanctions"):
            action = doc[f.token].lemma_.lower()
            d.subkind = "extend" if action in _EXTEND else "act"
            d.sector = sanction_sector(doc, f, self.lex)
            d.persons = persons_in(doc, f, persons, ("target",), self.lex)
            d.own_target = d.sector is not None or bool(d.to)
            if context.pattern("since_opening").match(text):
                d.strong, d.history = False, True  # "Since 2020, the EU has imposed ..."
        apart = self.lex.separate
        if f.type.startswith("sanctions"):
            apart = apart - self.lex.separate_not_sanctions  # "the new sanctions": this act
        d.separate = any(doc[i].lower_ in apart for i in trigger_modifiers(doc, f))
        d.additive = any(c.lower_ in self.lex.additive for c in doc[f.token].children)
        d.ordinal = next(
            (
                doc[i].lower_
                for i in trigger_modifiers(doc, f) + compound_heads(doc, f)
                if ORDINAL.fullmatch(doc[i].lower_)
            ),
            None,
        )
        # negated on the trigger itself: "not certain about the release" denies no release
        d.negated = negation(doc[f.token], self.lex) is not None
        d.attribution = f.status.attribution
        d.confidence = 1.0 - 0.25 * f.status.hedged - 0.15 * self.unconfirmed - 0.2 * (not d.strong)
        d.political = self._political(f, d, doc)
        if f.form == "noun" and since_phrase(doc[f.token]):
            d.strong, d.history = False, True  # "the largest release since the start of talks"
        if f.trigger.joins:
            d.strong, d.joins_only = False, True  # "the prisoners were flying to Washington"
            d.names_the_counted = f.trigger.needs == "named"
            d.journey = f.trigger.subject_role == "patient"  # the freed, moving
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
        head = patients[0]
        word = head.lower_
        index, names = self.last_patients
        if s.index - index > 2:
            return []
        # "the athlete", "the journalist": a definite description of someone named before
        described = (
            f.patient_class in ("people", "political", "captives")
            and head.pos_ == "NOUN"
            and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in head.children)
            and not any(c.like_num or c.dep_ in ("conj", "prep") for c in head.children)
        )
        number = "plural" if head.tag_ in ("NNS", "NNPS") else "singular"
        if (word in _SINGULAR or (described and number == "singular")) and len(names) == 1:
            return list(names)
        if (word in _PLURAL or (described and number == "plural")) and len(names) >= 2:
            return list(names)  # "Kohler and Paris were arrested ... Sentenced, they were"
        return []

    def _political(self, f: Frame, d: Draft, doc: Any) -> bool:
        """Whether the event is of the kind these users follow (issue 7's scope).

        Swaps, talks and sanctions are political by nature; a release or a detention is when its
        patient is (a journalist, an opposition figure, a hostage), when a state holds a foreign
        national, when its sentence names a political context (treason, a regime, a crackdown);
        merging marks the rest of a story that names one twice, or tells of a swap, talks or
        sanctions (merge.finalize). An ordinary arrest is not.
        """
        if f.type not in ("release", "detention"):
            return True
        if f.patient_class == "political":
            return True
        patients = [t for a in f.args if a.role == "patient" for t in doc[a.head].subtree]
        if {t.lemma_.lower() for t in patients} & self.lex.political_captives:
            return True
        if d.nationality and d.by and not set(d.nationality) & set(d.by):
            return True  # a foreign national held by a state
        if d.to and d.by and not set(d.to) & set(d.by):
            return True  # freed from one state to another
        return bool(context.political().search(doc.text))

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

    def _one_per_kind(self, kept: list[tuple[Frame, Draft, Candidate]], doc: Any) -> list[Draft]:
        """One draft per event type (and detention sub-kind) per sentence: the strongest."""
        self._sides(kept)
        best: dict[str, tuple[Frame, Draft, Candidate]] = {}
        for f, d, cand in kept:
            key = f"{d.type}/{d.subkind}" if d.type == "detention" and d.strong else d.type
            prev = best.get(key)
            if (
                prev is not None
                and d.type in ("release", "detention")
                and d.strong
                and (prev[1].strong)
                and _apart(prev[1], d)
            ):
                key = f"{key}#{len(best)}"  # two happenings told in one sentence
                prev = None
            if prev is None:
                best[key] = (f, d, cand)
                continue
            winner, loser = (
                (prev, (f, d, cand)) if prev[1].strong or not d.strong else ((f, d, cand), prev)
            )
            _absorb(winner[1], loser[1])
            loser[2].kept, loser[2].reason = False, f"read with '{winner[0].trigger.name}'"
            best[key] = winner
        self._coordinated_detentions(best, doc)
        if "detention" in best and any(k.startswith("detention/") for k in best):
            _, _, cand = best.pop("detention")
            cand.kept, cand.reason = False, "weak beside a stronger detention"
        if "exchange" in best and "release" in best:
            swap, release = best["exchange"][1], best.pop("release")
            if release[1].strong and not swap.strong:
                swap.strong, swap.status = True, release[1].status
            elif release[1].strong and release[1].status == "occurred":
                swap.status = "occurred"  # "24 prisoners released Thursday ... the exchange deal"
            _absorb(swap, release[1], roles=True)
            release[2].kept, release[2].reason = False, "a release inside a swap is that swap"
        return sorted((d for _, d, _ in best.values()), key=lambda d: d.t_start)

    @staticmethod
    def _coordinated_detentions(best: dict[str, tuple[Frame, Draft, Candidate]], doc: Any) -> None:
        """ "were arrested and charged with espionage in May 2022": coordinated verbs of
        custody the text does not date apart tell one detention (SCHEMA: an arrest and a
        later conviction are two when the text dates them apart)."""
        keys = [k for k in best if k.startswith("detention/") and best[k][1].strong]
        survivor = keys[0] if keys else ""
        for b in keys[1:]:
            (fa, da, _), (fb, db, cb) = best[survivor], best[b]
            first, second = sorted((fa.token, fb.token))
            early, later = (da, db) if fa.token == first else (db, da)
            linked = doc[second].dep_ == "conj" and doc[second].head.i == first
            # "arrested in 2019 and sentenced to five years": the arrest alone is dated
            dated_alone = early.date_explicit and not later.date_explicit
            if linked and not dated_alone and not _apart(da, db):
                _absorb(da, db)
                cb.kept, cb.reason = False, f"read with '{fa.trigger.name}'"
                del best[b]
            else:
                survivor = b

    # ------------------------------------------------------------------------- dates

    def _date(
        self, d: Draft, text: str, mine: list[DateMention], all_dates: list[DateMention]
    ) -> None:
        usable = [x for x in mine if x.event_date]
        if usable:
            set_date(d, min(usable, key=lambda x: abs(x.start - d.t_start)))
        if d.type == "talks" and context.pattern("days_of_talks").search(text):
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

    @staticmethod
    def _described_custody(d: Draft, f: Frame, doc: Any, dated: bool) -> None:
        """A participle that describes its noun ("citizens detained in Iran", "hostages released
        by Armenia") tells who the people are, not an act: with no date of its own it adds to an
        event and makes none (SCHEMA: a state of custody with no start is no detention)."""
        tok = doc[f.token]
        since = any(c.lower_ == "since" for c in tok.children)  # "detained since February"
        participle = tok.dep_ in ("acl", "amod") and tok.tag_ in ("VBN", "VBD")  # VBD: misparsed
        if f.form == "verb" and participle and not (dated or since):
            d.strong, d.joins_only = False, True

    def _over_a_stretch(self, verb: Any) -> bool:
        """Whether a verb is told over a stretch of time ("for months", "over two decades")."""
        units = self.lex.nouns["durations"]
        return any(
            c.dep_ == "prep"
            and c.lower_ in ("for", "over", "during", "throughout")
            and any(o.lemma_.lower() in units for o in c.children if o.dep_ == "pobj")
            for c in verb.children
        )

    def _dated_noun(self, d: Draft, f: Frame, doc: Any, mine: list[DateMention]) -> None:
        """An arrest or a release named with its own date ("before her arrest in 2021", "her
        temporary release in December 2024") states that act, as a verb would; custody named
        with none ("after a lengthy imprisonment") states no act."""
        if (
            f.form == "verb"
            and d.type == "detention"
            and d.strong
            and doc[f.token].lemma_.lower() in self.lex.nouns["custody_verbs"]
            and (
                not (d.date_explicit or d.count or d.persons)
                or (not d.date_explicit and self._over_a_stretch(doc[f.token]))
            )
        ):
            d.strong, d.joins_only = False, True  # "they were imprisoned in section 209"
            return
        if f.form != "noun" or d.type not in ("detention", "release"):
            return
        tok = doc[f.token]
        if d.strong and tok.lemma_.lower() in self.lex.nouns["custody_states"]:
            lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
            if not any(lo <= x.start < hi for x in mine):  # "detention since May 2022" is dated
                d.strong = False  # "after a lengthy imprisonment": custody, no act
            return
        if d.strong:
            return
        if d.status != "occurred" or not d.persons:
            return
        if d.date_explicit and any(x.event_date and x.value for x in mine):
            d.strong = True

    def _in_exchange(self, s: Sentence) -> None:
        """ "75 were returned. In exchange, 75 were handed over.": two releases make one swap."""
        if not context.pattern("in_exchange_start").match(s.text) or len(self.drafts) < 2:
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
            prev.date or this.date,
            prev.date_key,
            prev.date_explicit,
        )
        swap.date_text = prev.date_text
        swap.attribution = prev.attribution
        swap.political = True
        self.drafts[-2:] = [swap]


_SINGULAR = frozenset(["he", "she", "him", "her", "his"])
_PLURAL = frozenset(["they", "them", "their", "both"])


def _in_name(p: PartyMention, persons: list[PersonSpan]) -> bool:
    """A place name inside a person's name ("Jacques Paris") names no party."""
    return p.kind != "actor" and any(
        ps.start <= p.start and p.end <= ps.end and " " in ps.text for ps in persons
    )


def _apart(a: Draft, b: Draft) -> bool:
    """Two strong drafts of one type in a sentence that tell different happenings: other people
    ("X was freed, while Y was released on furlough") or other dates ("11 freed on Aug. 16,
    with 18 more freed in early July")."""
    if a.type == "release" and a.persons and b.persons and not set(a.persons) & set(b.persons):
        return True  # (two people sentenced in one sentence are mostly one trial)
    return bool(a.date_explicit and b.date_explicit and not compatible(a.date_key, b.date_key))


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


def _patient_count(
    f: Frame, counts: list[CountMention], text: str, own: bool = False
) -> Count | None:
    """The number of people an event covers: a count inside its patient's phrase."""
    usable = [
        c
        for c in counts
        if not c.partial and not c.tally and not context.source_after(text[c.end : c.end + 30])
    ]
    spans = [
        (a.start, a.end) for a in f.args if a.role == "patient" and not (own and " of '" in a.via)
    ]  # "freed 10 Americans in exchange": one side
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


_OTHERS = re.compile(r"\s+others?\b", re.IGNORECASE)


def _with_the_named(
    count: Count | None, counts: list[CountMention], text: str, d: Draft
) -> Count | None:
    """A count of "N others" beside people named or pointed to ("Alaa Abd el-Fattah, along
    with five other prisoners", "he and five others") is N and those people."""
    if count is None:
        return None
    found = next((c for c in counts if c.count == count), None)
    if found is None or not _OTHERS.match(text, _number_end(text, found)):
        return count
    names = [n for n in d.persons if not cut_short(n, d.persons)]
    return Count(count.value + max(len(names), 1), count.qualifier)


def _number_end(text: str, c: CountMention) -> int:
    """Where the number of a count mention ends ("five" of "five other prisoners")."""
    m = re.match(r"[\w,.-]+", text[c.start :])
    return c.start + (m.end() if m else 0)


def _union(*lists: list[str]) -> list[str]:
    """Items of several lists, once each, in order."""
    out: list[str] = []
    for items in lists:
        for x in items:
            if x not in out:
                out.append(x)
    return out


def _reader(article: Article) -> tuple[ArticleReader | None, str]:
    """A reader for an article worth reading, or None and why it is not."""
    scope = prefilter.article_scope(article.text)
    if not scope.read:
        return None, scope.reason
    if context.other_genre(article.text):
        return None, "other-genre"  # a film review, a band's tour, a football transfer
    return ArticleReader(article), "read"


def read_article(article: Article) -> tuple[ArticleReader | None, str]:
    """The reader of an article after reading it, or None and why it was not read."""
    reader, why = _reader(article)
    if reader is not None:
        reader.read()
    return reader, why


def _events(reader: ArticleReader | None) -> tuple[EventMention, ...]:
    from .merge import finalize, merge_drafts

    if reader is None or not reader.drafts:
        return ()
    return finalize(merge_drafts(reader.drafts), reader.context())


def extract_events(article: Article) -> tuple[EventMention, ...]:
    """Every event the article reports, one mention per happening, in text order."""
    return _events(read_article(article)[0])


def extract_many(articles: list[Article]) -> list[tuple[EventMention, ...]]:
    """The events of several articles, their candidate sentences parsed in one batch.

    The same events as `extract_events` on each; the parser runs faster on one large batch
    than on many small ones (benchmarks/throughput.py).
    """
    readers = [_reader(a)[0] for a in articles]
    chosen = [r.choose() if r is not None else [] for r in readers]
    docs = nlp.parse([text for c in chosen for text in parser_texts(c)])
    at = 0
    for r, c in zip(readers, chosen, strict=True):
        if r is not None:
            r.read_parsed(c, docs[at : at + len(c)])
        at += len(c)
    return [_events(r) for r in readers]
