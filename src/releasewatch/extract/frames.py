"""Frames: a trigger word with the roles the dependency parse of its sentence gives it.

A frame names who acts (the agent: the subject of an active verb, the by-phrase of a passive),
to whom (the patient: the object, or the passive subject), where people were taken (the
destination: a to/into phrase), where it happened (a place phrase), against whom (the target of
a sanction: an on/against phrase) and with whom (partners of talks and swaps). For a noun
trigger ("the release of five Americans") the roles come from its of/by phrases and from the
verb that governs it ("Belarus carried out the release", "X held talks with Y").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .arguments import (
    ROLES,
    SUBJECTS,
    Arg,
    in_exchange,
    included,
    is_time,
    is_verb,
    make_arg,
    noun_args,
    pobjs,
    verb_args,
)
from .lexicon import FrameLexicon, Trigger
from .status import Status, read_status

Token = Any  # spacy.tokens.Token
Doc = Any  # spacy.tokens.Doc

# Adjuncts that make a participle after a noun an event with its own time, place or agent
# ("Griner, detained in Russia since February"), not a description ("people convicted of X").
_EVENT_ADJUNCTS = frozenset(["by", "since", "after", "during", "to"])
_DATED_PREPS = frozenset(["in", "on", "at", "last"])  # ... when their object is a date


@dataclass(frozen=True)
class Frame:
    """One trigger in one sentence, with the roles and status its parse gives it."""

    trigger: Trigger
    type: str  # the event type (sanctions resolved to imposed or eased)
    token: int  # index of the trigger word
    start: int  # character offsets of the trigger words in the sentence
    end: int
    form: str  # "verb", "noun" or "adj" (a participle describing a noun)
    voice: str  # "active", "passive" or "nominal"
    args: tuple[Arg, ...]
    status: Status
    patient_class: str | None  # what the patient is: captives, political, people, thing, ...
    how: str = ""  # how a sanctions frame was found ("object of 'lifted'", "stative 'remain'")
    linked: tuple[int, ...] = ()  # verbs that carried the released ("arrived in Oman after ...")
    focus: int | None = None  # the sanctions noun of a sanctions frame

    def of(self, role: str) -> list[Arg]:
        """The arguments in one role, in sentence order."""
        return [a for a in self.args if a.role == role]

    @property
    def strong(self) -> bool:
        """Whether the frame states an event on its own (else it only adds detail)."""
        if self.form == "adj":
            return False
        return self.form == "verb" or self.status.cued

    def describe(self, sentence: str) -> dict[str, str]:
        """Role -> phrases, for `explain`."""
        out: dict[str, str] = {}
        for role in ROLES:
            args = self.of(role)
            if args:
                out[role] = "; ".join(a.describe(sentence) for a in args)
        return out


# ----------------------------------------------------------------------------- phrases


def _lemma(tok: Token, lex: FrameLexicon) -> str:
    """A token's lemma, with participles the tagger took for adjectives undone ("freed")."""
    lemma = tok.lemma_.lower()
    return lex.surface_lemmas.get(tok.lower_, lemma) if tok.pos_ == "ADJ" else lemma


def _has_particle(tok: Token, trigger: Trigger) -> bool:
    if not trigger.particles:
        return True
    if "" in trigger.particles and not any(
        c.lower_ in trigger.particles for c in tok.children if c.dep_ in ("prt", "advmod")
    ):
        return True
    if any(
        c.lower_ in trigger.particles for c in tok.children if c.dep_ != "dobj" or c.pos_ == "ADJ"
    ):
        return True
    # "handed over 32 servicemen": the parser may hang the particle on the number after it
    after = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return after is not None and after.tag_ == "RP" and after.lower_ in trigger.particles


def _has_object(tok: Token, trigger: Trigger) -> bool:
    """True when one of the trigger's object words hangs on the verb, directly or via a prep."""
    if not trigger.objects:
        return True
    for child in tok.children:
        if child.dep_ in SUBJECTS:
            continue  # "the released prisoners were taken": the prisoners are not taken prisoner
        if child.lower_ in trigger.objects or child.lemma_.lower() in trigger.objects:
            return True
        if child.dep_ in ("prep", "dobj", "oprd", "attr", "npadvmod", "xcomp", "acomp", "advmod"):
            for grand in child.subtree:
                if grand.pos_ in ("VERB", "AUX") or grand.lemma_.lower() not in trigger.objects:
                    continue  # "received 114 prisoners released by Belarus": no pardon received
                if grand.head.i in (child.i, tok.i) or grand.head.head.i == child.i:
                    return True
    return False


def triggers_at(tok: Token, lex: FrameLexicon) -> list[Trigger]:
    """The trigger entries a token matches (lemma, part of speech, particles, objects)."""
    if is_verb(tok):
        pos = "verb"
    elif tok.pos_ in ("NOUN", "PROPN"):
        pos = "noun"
    else:
        return []
    found = lex.by_lemma.get((pos, _lemma(tok, lex)), ()) or lex.by_lemma.get(
        (pos, lex.surface_lemmas.get(tok.lower_, "")), ()
    )  # the lemmatizer's miss ("rearrested" -> "rearreste")
    return [
        t
        for t in found
        if _has_particle(tok, t)
        and _has_object(tok, t)
        and (not t.with_words or any(w.lemma_.lower() in t.with_words for w in tok.subtree))
    ]


# ------------------------------------------------------------------------------ reading


_QUANTITIES = frozenset(
    [
        "group",
        "number",
        "hundreds",
        "dozens",
        "thousands",
        "scores",
        "batch",
        "some",
        "all",
        "most",
        "rest",
        "many",
        "several",
        "few",
        "majority",
        "part",
        "half",
        "dozen",
        "score",
        "one",
        "none",
        "each",
        "both",
    ]
)


def _head_words(head: Token) -> set[str]:
    """Lemmas that say what a phrase's head is: the head, its modifiers and conjuncts, and the
    people a quantity counts ("hundreds of prisoners", "a group of activists")."""
    words = {head.lemma_.lower()}
    for child in head.children:
        if child.dep_ in ("compound", "amod", "nmod", "conj", "appos"):
            words |= {t.lemma_.lower() for t in child.subtree if t.dep_ not in ("prep", "pobj")}
        if (
            child.dep_ == "prep"
            and child.lower_ == "of"
            and (head.lemma_.lower() in _QUANTITIES or head.pos_ == "NUM")
        ):
            for obj in pobjs(child):
                words |= _head_words(obj)
    return words


def _patient_class(doc: Doc, args: list[Arg], lex: FrameLexicon) -> str | None:
    """What the patient is: captives, political, people, thing, dead, sport or money."""
    nouns = lex.nouns
    for a in args:
        if a.role != "patient":
            continue
        head = doc[a.head]
        words = _head_words(head)
        lemma = head.lemma_.lower()
        if ("noun", lemma) in lex.by_lemma:
            return "event"  # "in exchange for the release of ...": an event, not people
        if head.ent_type_ == "PERSON" or (lemma in nouns["pronouns"] and head.pos_ == "PRON"):
            return "political" if words & nouns["political"] else "people"
        if head.ent_type_ in ("MONEY", "PERCENT") or any(
            t.ent_type_ == "MONEY" for t in head.subtree if t.i <= head.i
        ):
            return "thing"  # "release $6 billion in frozen funds"
        if lemma in nouns["dead"]:
            return "dead"
        if lemma in nouns["migrants"] and not words & nouns["captives"]:
            return "migrants"
        if words & nouns["captives"]:
            return "captives"
        if words & nouns["political"]:
            return "political"
        if lemma in nouns["people"] or head.ent_type_ == "NORP" or words & nouns["people"]:
            return "people"
        if head.like_num or any(t.like_num for t in head.children):
            return "people" if head.pos_ == "NUM" else None
        if lemma in nouns["sport"]:
            return "sport"
        if lemma in nouns["money"]:
            return "money"
        if lemma in nouns["things"]:
            return "thing"
        if head.ent_type_ in ("PRODUCT", "WORK_OF_ART", "MONEY", "PERCENT"):
            return "thing"
        if head.pos_ == "PROPN" and head.text[:1].isupper():  # a name NER missed, not "iPhone"
            return "people" if head.ent_type_ in ("", "PERSON", "NORP") else None
    return None


def read_frame(doc: Doc, tok: Token, trigger: Trigger, lex: FrameLexicon) -> Frame:
    """The frame of one trigger token."""
    ttype = trigger.type
    if ttype == "release" and any(c.lower_ in lex.mutual for c in tok.children):
        ttype = "exchange"  # "the mutual release of detainees": each side frees the other's
    how = _idiom(tok, trigger, lex)
    if trigger.pos == "verb" and is_verb(tok):
        voice, args = verb_args(tok, lex, ttype, trigger.subject_role)
        form = "verb"
        if tok.dep_ == "amod" or (
            tok.dep_ == "acl"
            and tok.tag_ == "VBN"
            and not any(_event_adjunct(c) for c in tok.children)
        ):
            form = "adj"  # "freed prisoners", "people convicted of extremism"
        if any(a.via.endswith("(repaired)") for a in args):
            form = "verb"
    else:
        voice, args, form = "nominal", noun_args(tok, lex, ttype), "noun"
    args += included(doc, args, lex)
    status = read_status(tok, lex, form=form, ttype=ttype)
    start, end = tok.idx, tok.idx + len(tok.text)
    for child in tok.children:
        if child.dep_ == "prt" or child.lower_ in trigger.particles - {""}:
            end = max(end, child.idx + len(child.text))
    return Frame(
        trigger=trigger,
        type=ttype,
        token=tok.i,
        start=start,
        end=end,
        form=form,
        voice=voice,
        args=tuple(sorted(_dedupe(args), key=lambda a: (ROLES.index(a.role), a.start))),
        status=status,
        patient_class=_patient_class(doc, args, lex),
        how=how,
        linked=tuple(sorted({a.verb for a in args if a.verb is not None and a.verb != tok.i})),
    )


def _idiom(tok: Token, trigger: Trigger, lex: FrameLexicon) -> str:
    """The construction a trigger stands in, when it changes what the trigger means."""
    if trigger.pos == "noun" and in_exchange(tok, lex):
        given = [
            o for c in tok.children if c.dep_ == "prep" and c.lower_ == "for" for o in pobjs(c)
        ]
        given += [
            o
            for c in tok.head.head.children
            if c.dep_ == "prep" and c.lower_ == "for" and c.i > tok.i
            for o in pobjs(c)
        ]
        if not given:
            return "connective"
        kind = _patient_class(tok.doc, [make_arg("patient", given[0], "for-phrase")], lex)
        return "in exchange for people" if kind in _PEOPLE_CLASSES else "in exchange for things"
    if trigger.type == "talks" and trigger.pos == "noun":
        node = tok
        for _ in range(3):
            if node.dep_ not in ("pobj", "prep", "compound"):
                break
            node = node.head
            if node.lemma_.lower() in lex.circumstance_heads:
                return f"circumstance '{node.text}'"
    return ""


_PEOPLE_CLASSES = frozenset(["people", "captives", "political"])


def _event_adjunct(child: Token) -> bool:
    """An agent, a start of custody or a date on a participle: it tells a happening."""
    if child.dep_ == "agent" or child.lower_ in _EVENT_ADJUNCTS:
        return True
    if child.dep_ == "npadvmod" and child.ent_type_ == "DATE":
        return True
    return child.lower_ in _DATED_PREPS and any(is_time(o) for o in pobjs(child))


def _dedupe(args: list[Arg]) -> list[Arg]:
    seen: set[tuple[str, int]] = set()
    out = []
    for a in args:
        if (a.role, a.head) not in seen and not (a.role == "place" and ("patient", a.head) in seen):
            seen.add((a.role, a.head))
            out.append(a)
    return out
