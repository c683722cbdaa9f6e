"""Named rules that drop a candidate frame, each with the reason a user reads (`explain`).

A frame is dropped when what it is about is no event these users follow: a thing released
instead of people, a tally, custody told as a state, talks about trade, a meeting with no
second party, a detention only threatened. The names and reasons are data/frames.toml [vetoes].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import context
from .frames import Frame
from .lexicon import FrameLexicon
from .names import PersonSpan
from .roles import PartyRole
from .text import Sentence

PEOPLE_EVENTS = frozenset(["release", "detention", "exchange"])
_N_FOR_N = re.compile(
    r"\b[\w,]+[- ]for[- ][\w,]+\b(?= (?:format|exchange|swap|deal|prisoner))|"
    r"\d[\d,]*[- ]for[- ]\d",
    re.I,
)
_DURATIONS = frozenset(["year", "month", "week", "day", "decade", "hour"])
_CAPTIVITY = frozenset(
    [
        "captivity",
        "prison",
        "jail",
        "detention",
        "custody",
        "exchange",
        "swap",
        "free",
        "release",
        "pardon",
        "colony",
        "camp",
        "cell",
        "behind",
    ]
)


@dataclass
class Vetoes:
    """The article-wide facts the rules consult, and the rules."""

    lex: FrameLexicon
    sentences: list[Sentence]
    on_topic: bool  # the story names prisoners, detention or sanctions often enough for talks
    affiliation: dict[str, str]  # officials' surnames -> their state

    def _topic_near(self, index: int) -> bool:
        """True when the sentence or one beside it names prisoners, detention or sanctions."""
        near = [s.text for s in self.sentences if abs(s.index - index) <= 1]
        return any(context.words("talks_topic").search(t) for t in near)

    def _both_sides(
        self, doc: Any, f: Frame, placed: list[PartyRole], persons: list[PersonSpan]
    ) -> bool:
        """Meetings and calls are talks between parties: a party (or an official of one) on
        each side ("Coale met Lukashenko"; not "his mother met the prime minister")."""
        sides = [a for a in f.args if a.role in ("partner", "agent")]
        if len(sides) < 2:
            return False

        def has_party(a: Any) -> bool:
            if any(
                r.party.start >= a.start and r.party.end <= a.end and r.level != "context"
                for r in placed
            ):
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
        return f.type == "exchange" and any(context.words("prisoner_words").search(t) for t in near)

    def _state(self, doc: Any, f: Frame) -> bool:
        """Custody told as a state: "held for months", "still holds 8", "years of detention"."""
        tok = doc[f.token]
        for child in tok.children:
            if (
                child.dep_ == "prep"
                and child.lower_ == "for"
                and any(
                    o.ent_type_ == "DATE" or o.lemma_.lower() in _DURATIONS for o in child.children
                )
            ):
                return True  # "detained in the United States for more than 10 years"
            if child.dep_ == "advmod" and child.lower_ in ("still", "currently"):
                return True
        if (
            f.form == "noun"
            and tok.dep_ == "pobj"
            and tok.head.lower_ in ("under", "in")
            and (
                tok.head.head.lemma_.lower()
                in ("hold", "keep", "remain", "be", "stay", "place", "put")
            )
        ):
            return True  # "held under house arrest", "remains in detention"
        if tok.lemma_.lower() in ("hold", "keep") and tok.tag_ in ("VBZ", "VBP", "VBG"):
            return not any(c.dep_ == "aux" and c.lower_ in ("was", "were") for c in tok.children)
        node = tok
        for _ in range(3):  # "after months of being detained", "years of imprisonment"
            if (
                node.dep_ in ("pcomp", "pobj")
                and node.head.lower_ == "of"
                and (node.head.head.lemma_.lower() in _DURATIONS)
            ):
                return True
            node = node.head
        return False

    def check(
        self,
        f: Frame,
        doc: Any,
        text: str,
        persons: list[PersonSpan],
        placed: list[PartyRole],
        s_index: int,
    ) -> str | None:
        """The name of the rule that drops a frame, or None when it states an event."""
        lex = self.lex
        kind = f.type
        if f.how == "connective":
            return "connective"
        if f.how.startswith("circumstance") and not f.of("partner"):
            return "circumstance"  # named with who took part, the talks themselves are news
        if f.how == "in exchange for things":
            return "quid-pro-quo"
        tok = doc[f.token]
        if tok.pos_ == "PROPN" and tok.ent_type_ in lex.name_entities:
            return "in-a-name"  # "Amnesty International", "Prison Break", "the Magnitsky Act"
        if f.patient_class in ("thing", "dead", "sport", "money") and kind in PEOPLE_EVENTS:
            return f"{f.patient_class}-patient"
        if f.form == "noun" and kind in PEOPLE_EVENTS:  # "a press release", "a currency swap"
            modifiers = {c.lemma_.lower() for c in tok.children if c.dep_ == "compound"}
            for cls, veto in (("things", "thing"), ("money", "money"), ("sport", "sport")):
                if modifiers & lex.nouns[cls]:
                    return f"{veto}-patient"
        if f.patient_class == "migrants" and f.trigger.needs == "captives":
            return "migrants-patient"
        if f.patient_class == "stative":
            return "stative-sanctions"
        if kind == "detention" and f.status.status != "occurred":
            return "not-done"  # "could face arrest", "does not extinguish the conviction"
        needs = f.trigger.needs
        if needs == "named" and not any(
            a.start <= p.start < a.end for a in f.of("patient") for p in persons
        ):
            return "not-named"
        if needs and kind in PEOPLE_EVENTS and f.patient_class is None:
            near = any(f.start - 150 <= p.start <= f.end + 150 for p in persons)
            words = {t.lemma_.lower() for t in doc if t.i != f.token}
            people_words = lex.nouns["people"] | lex.nouns["captives"] | lex.nouns["political"]
            captivity = lex.nouns["captives"] | _CAPTIVITY | lex.nouns["political"]
            if (
                needs == "captives"
                and not words & captivity
                and not self._captivity_near(s_index, f, text)
            ):
                return "no-captivity"
            patients = [a for a in f.args if a.role == "patient"]
            if patients:  # a patient that is not people ("the release of a new iPhone")
                near = any(a.start <= p.start < a.end for a in patients for p in persons)
                scope = [t for a in patients for t in doc[a.head].subtree]
                words = {t.lemma_.lower() for t in scope}
            else:  # "the release": the people are told around it
                scope = list(doc)
            if (
                not near
                and not words & people_words
                and not any(
                    t.pos_ == "PRON" and t.lemma_.lower() in lex.nouns["pronouns"] for t in scope
                )
                and not (kind == "exchange" and _N_FOR_N.search(text))  # "a 1000-for-1000 swap"
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
        if _open_question(doc, f, lex):
            return "open-question"
        if kind in ("release", "detention") and _tally(doc, f):
            return "tally"
        if kind == "detention" and doc[f.token].head.lemma_.lower() in lex.roles["state_verbs"]:
            return "state-not-act"  # "spent three years detained", "remains jailed"
        if kind == "detention" and f.form != "verb" and context.pattern("not_state").search(text):
            return "state-not-act"
        if kind == "detention" and context.pattern("not_state").search(
            text[max(0, f.start - 40) : f.end + 10]
        ):
            return "state-not-act"
        if kind == "release" and context.pattern("negated_list").search(text):
            return "negated-list"
        if kind == "exchange" and context.pattern("generic_swaps").search(
            text[max(0, f.start - 30) : f.end]
        ):
            return "generic-swaps"
        if kind == "talks":
            topics = [text[a.start : a.end] for a in f.of("topic")]
            held = any(  # "talks on those still held": people in custody are the topic
                t.lemma_.lower() in lex.nouns["custody_verbs"]
                for a in f.of("topic")
                for t in doc[a.head].subtree
            )
            if f.form == "noun":
                topics += [
                    c.text
                    for c in doc[f.token].children
                    if c.dep_ in ("compound", "amod") and context.words("off_topic").search(c.text)
                ]  # "a climate summit"
            if topics and not held and not any(_on_topic(t) for t in topics):
                return "off-topic-talks"  # "to negotiate food and fuel import deals"
            stated = held or (topics and any(_on_topic(t) for t in topics))  # "a prisoner swap"
            if not stated and (
                not self.on_topic
                or (
                    context.words("off_topic").search(text)
                    and not context.words("on_topic").search(text)
                )
            ):
                return "off-topic-talks"
        if (
            kind == "talks"
            and doc[f.token].lemma_.lower() in lex.roles["meeting_words"]
            and not (self._topic_near(s_index))
        ):
            return "off-topic-talks"  # a visit or meeting with no prisoners or sanctions near
        if needs == "partner" and not self._both_sides(doc, f, placed, persons):
            return "one-party"
        if (
            kind == "talks"
            and f.voice == "passive"
            and f.patient_class in ("people", "political", "captives")
        ):
            codes = {r.party.code for r in placed if r.role in ("partner", "agent", "patient")}
            if len(codes) <= 1:
                return "one-party"  # "the freed Americans were met by President Biden"
        head = doc[f.token].head
        if (
            kind == "detention"
            and head.lemma_.lower() in lex.roles["judging_verbs"]
            and (doc[f.token].dep_ in ("oprd", "ccomp", "xcomp", "acomp", "advcl", "conj"))
        ):
            return "characterization"  # "citizens the US considered wrongly imprisoned"
        if kind == "detention" and self._state(doc, f):
            return "state-not-act"
        named = tok.head.head if tok.head.dep_ == "appos" else tok.head  # "X, a woman who ..."
        if (
            kind == "detention"
            and tok.dep_ == "relcl"
            and named.ent_type_ != "PERSON"
            and (
                (named.pos_ != "PROPN" or named.ent_type_ == "NORP")
                and not any(p.start <= named.idx < p.end for p in persons)
            )
        ):
            return "background-relative"  # "two women who had been convicted": who they are
        return None


def _on_topic(topic: str) -> bool:
    """Whether what talks are about is this ledger's (SCHEMA.md: prisoners, sanctions, a deal)."""
    if context.words("talks_topic").search(topic):
        return True
    return bool(context.words("deal").search(topic)) and not context.words("off_topic").search(
        topic
    )


def _tally(doc: Any, f: Frame) -> bool:
    """People freed over a period, counted ("430 freed since July", "freed so far"): a tally."""
    tok = doc[f.token]
    counted = any(
        a.role == "patient" and any(t.like_num for t in doc[a.head].subtree) for a in f.args
    )
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "since" and counted and f.type == "release":
            return True  # for a detention "since" is when custody began, not a tally
        if (
            child.lower_ in ("so", "total", "overall", "altogether")
            and child.dep_ not in ("nsubj", "nsubjpass", "dobj", "obj")
            and counted
        ):
            return True  # "freed so far", "released in total" (not "freed a total of 34")
        if (
            child.dep_ == "prep"
            and any(c.lower_ in ("alone", "total") for c in child.subtree)
            and (counted)
        ):
            return True  # "170 people convicted in July alone"
    return False


# Words that ask for what is not known ("who was released", "what the agenda is"); "whether"
# asks if something may be, which is a possibility raised (SCHEMA: discussed), not a question.
_WH = frozenset(["who", "whom", "which", "what"])


def _open_question(doc: Any, f: Frame, lex: FrameLexicon) -> bool:
    """ "It was not immediately clear who was released", "asked what the agenda of the next
    negotiations is": a question asked under a word of asking or knowing, nothing told."""
    clause = doc[f.token]
    while clause.dep_ not in ("ccomp", "csubj") and clause.head.i != clause.i:
        if clause.dep_ in ("relcl", "acl", "advcl", "xcomp", "conj"):
            return False  # a clause of its own before any question
        clause = clause.head
    if clause.dep_ not in ("ccomp", "csubj"):
        return False
    asked = any(c.lower_ in _WH for c in clause.children) or any(
        doc[a.head].lower_ in _WH for a in f.of("patient")
    )
    head = clause.head
    words = lex.roles["question_heads"]
    return asked and (
        head.lemma_.lower() in words
        or any(c.dep_ == "acomp" and c.lemma_.lower() in words for c in head.children)
    )
