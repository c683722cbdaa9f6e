"""Frames: a trigger word with the roles the dependency parse of its sentence gives it.

A frame names who acts (the agent: the subject of an active verb, the by-phrase of a passive),
to whom (the patient: the object, or the passive subject), where people were taken (the
destination: a to/into phrase), where it happened (a place phrase), against whom (the target of
a sanction: an on/against phrase) and with whom (partners of talks and swaps). For a noun
trigger ("the release of five Americans") the roles come from its of/by phrases and from the
verb that governs it ("Belarus carried out the release", "X held talks with Y").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .lexicon import FrameLexicon, Trigger, frame_lexicon
from .status import Status, read_status

Token = Any  # spacy.tokens.Token
Doc = Any  # spacy.tokens.Doc

ROLES = ("agent", "possessor", "patient", "destination", "source", "place", "target", "partner",
         "topic")
# Dependents that are clauses of their own: a phrase stops at them.
CLAUSAL = frozenset(["relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "punct"])
_SUBJECTS = frozenset(["nsubj", "nsubjpass", "csubj", "csubjpass"])
_RELATIVE_PRONOUNS = frozenset(["who", "whom", "which", "that", "whose"])
# Adjuncts that make a participle after a noun an event with its own time, place or agent
# ("Griner, detained in Russia since February"), not a description ("people convicted of X").
_EVENT_ADJUNCTS = frozenset(["by", "since", "after", "during", "to"])
_DATED_PREPS = frozenset(["in", "on", "at", "last"])  # ... when their object is a date


@dataclass(frozen=True)
class Arg:
    """One role of a frame: the head token of a phrase, the phrase's span and how it was found."""

    role: str  # one of ROLES
    head: int  # token index of the phrase head in the sentence
    start: int  # character offsets of the phrase in the sentence
    end: int
    via: str  # the construction that gave the role: "nsubj", "by-phrase", "to-phrase", ...
    verb: int | None = None  # the verb whose phrase it is, when not the trigger's own

    def describe(self, sentence: str) -> str:
        """The phrase and how it was read, for `explain`."""
        return f"{sentence[self.start : self.end]!r} ({self.via})"


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


def span_of(tok: Token) -> tuple[int, int]:
    """Character offsets of a token's phrase: its subtree without clauses hanging on it."""
    tokens = [t for t in tok.subtree if not _in_clause(t, tok) and not t.is_space] or [tok]
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _in_clause(t: Token, top: Token) -> bool:
    """True when `t` sits inside a clause that hangs below `top`."""
    while t.i != top.i:
        if t.dep_ in CLAUSAL:
            return True
        t = t.head
    return False


def _arg(role: str, tok: Token, via: str) -> Arg:
    start, end = span_of(tok) if via != "relative antecedent" else _narrow_span(tok)
    return Arg(role, tok.i, start, end, via)


def _narrow_span(tok: Token) -> tuple[int, int]:
    """A noun with its modifiers only, no coordinated nouns or clauses (a relative's antecedent)."""
    tokens = [t for t in tok.subtree if not _in_clause(t, tok) and not _coordinated(t, tok)]
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _coordinated(t: Token, top: Token) -> bool:
    while t.i != top.i:
        if t.dep_ in ("conj", "cc", "appos", "prep"):
            return True
        t = t.head
    return False


def _pobjs(prep: Token) -> list[Token]:
    """The objects of a preposition, conjuncts included ("between Armenia and Azerbaijan")."""
    out = []
    for child in prep.children:
        if child.dep_ in ("pobj", "pcomp"):
            out.append(child)
            out.extend(_conjuncts(child))
        elif child.dep_ == "prep":  # "out of", "back to", "because of"
            out.extend(_pobjs(child))
    return out


def _conjuncts(tok: Token) -> list[Token]:
    """Tokens coordinated with `tok` ("Russia and Ukraine": Ukraine for Russia)."""
    return [t for t in tok.conjuncts if t.i > tok.i]


def _with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *_conjuncts(tok)]


# ---------------------------------------------------------------------------- triggers


def _is_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.tag_ in ("VBN", "VBD"))


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
    return any(c.lower_ in trigger.particles for c in tok.children if c.dep_ != "dobj" or c.pos_ == "ADJ")


def _has_object(tok: Token, trigger: Trigger) -> bool:
    """True when one of the trigger's object words hangs on the verb, directly or via a prep."""
    if not trigger.objects:
        return True
    for child in tok.children:
        if child.dep_ in _SUBJECTS:
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
    if _is_verb(tok):
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


def _subject(verb: Token, lex: FrameLexicon) -> tuple[Token | None, str]:
    """The subject of a verb, found through coordination, control and relative clauses."""
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            if child.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head, "relative antecedent"
            return child, child.dep_
    if verb.dep_ == "conj" and _is_verb(verb.head):
        before = verb.doc[verb.i - 1] if verb.i else None
        if before is not None and before.dep_ == "conj" and before.pos_ in ("PROPN", "NOUN") and (
            before.head.dep_ in ("dobj", "obj") and before.head.head.i == verb.head.i
        ):
            # "Baku freeing 32 servicemen and Yerevan releasing two": the parser took the second
            # subject for another object of the first verb
            return before, "subject before the verb"
        subj, via = _subject(verb.head, lex)
        return subj, f"shared {via}"
    if verb.dep_ in ("acomp", "attr", "oprd") and verb.head.i != verb.i:
        return _subject(verb.head, lex)  # "the EU is ready to adopt": ready -> is -> the EU
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and _is_verb(verb.head.head):
        subj, via = _subject(verb.head.head, lex)  # "X cleared the way by issuing a waiver": X
        return subj, f"subject of '{verb.head.head.text}'"
    if verb.dep_ == "advcl" and verb.tag_ in ("VBN", "VBG") and _is_verb(verb.head):
        subj, via = _subject(verb.head, lex)  # "Sentenced in October, they were ...": they
        return subj, f"subject of '{verb.head.text}'"
    if verb.dep_ == "xcomp":
        head = verb.head
        if head.pos_ == "ADJ":  # "ready to adopt", "willing to release"
            subj, via = _subject(head, lex)
            return subj, f"subject of '{head.text}'"
        if head.lemma_.lower() in lex.roles["object_control"]:
            for child in head.children:
                if child.dep_ in ("dobj", "obj"):
                    return child, f"object of '{head.text}'"
            for child in head.children:  # "called on Baku to release", "called for X to be freed"
                if child.dep_ == "prep" and child.lower_ in ("on", "upon", "for") and child.i < verb.i:
                    objs = _pobjs(child)
                    if objs:
                        return objs[0], f"object of '{head.text} {child.text}'"
        subj, via = _subject(head, lex)
        return subj, f"subject of '{head.text}'"
    if verb.dep_ in ("acl", "amod") and verb.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        noun = verb.head
        if (("noun", noun.lemma_.lower()) in lex.by_lemma):
            # "the release of 36 people ... detained in Venezuela": the people, not the release
            for child in noun.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    objs = _pobjs(child)
                    if objs:
                        return objs[0], "modified noun's of-phrase"
        return noun, "modified noun"
    return None, ""


def _first_person_after(verb: Token) -> Token | None:
    """The first person named in a verb's own phrase after it."""
    for tok in verb.subtree:
        if tok.i > verb.i and tok.ent_type_ == "PERSON" and tok.dep_ not in ("compound", "flat"):
            return tok
    return None


def _members(noun: Token) -> list[Token]:
    """People said to be among a group ("X and Y were among seven journalists arrested")."""
    if noun.dep_ == "pobj" and noun.head.lower_ in ("among", "including"):
        gov = noun.head.head
        if gov.lemma_.lower() == "be":
            return [t for c in gov.children if c.dep_ in _SUBJECTS for t in _with_conjuncts(c)]
    return []


def _passive(verb: Token) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    if verb.tag_ == "VBN" and verb.dep_ in ("pcomp", "ccomp", "advcl", "acl", "xcomp") and not any(
        c.dep_ in ("aux", "auxpass") for c in verb.children
    ):
        return True  # "with 18 more freed in early July": a participle with its own subject
    if verb.dep_ in ("acl", "amod", "advcl") and verb.tag_ == "VBN" and not any(
        c.dep_ == "aux" for c in verb.children
    ):
        return True  # "prisoners freed by X", "Sentenced in October, they ..."
    return verb.dep_ == "conj" and verb.tag_ == "VBN" and _passive(verb.head)


def _prep_roles(tok: Token, lex: FrameLexicon, ttype: str = "") -> list[Arg]:
    """Roles carried by prepositions hanging on a token (targets only for sanctions)."""
    roles = lex.roles
    out: list[Arg] = []
    for child in tok.children:
        if child.dep_ not in ("prep", "agent", "dative"):
            continue
        word = child.lower_
        if child.dep_ == "agent" or word in roles["agent_preps"]:
            role = "agent"
        elif word in roles["destination_preps"]:
            role = "destination"
        elif word in roles["source_preps"]:
            role = "source"
        elif word in roles["place_preps"]:
            role = "place"
        elif word in roles["target_preps"] and (ttype.startswith("sanctions") or (
                ttype == "exchange" and word == "for")):
            role = "target"
        elif ttype == "talks" and word in roles["topic_preps"]:
            role = "topic"  # "talks on the release", "negotiations about sanctions"
        elif word in roles["partner_preps"]:
            role = "partner"
        else:
            continue
        out.extend(
            _arg(role, obj, f"{word}-phrase") for obj in _pobjs(child) if not _is_time(obj)
        )
    return out


def _is_time(tok: Token) -> bool:
    """A date or time phrase ("on Thursday", "in December 2018"): when, not who or where."""
    return tok.ent_type_ in ("DATE", "TIME") or tok.lower_ in _TIME_WORDS


_TIME_WORDS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
     "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december", "week", "month", "year", "day", "weekend", "morning", "evening",
     "afternoon", "night", "time", "past", "summer", "winter", "spring", "autumn", "fall"]
)


def _verb_args(verb: Token, lex: FrameLexicon, ttype: str,
               subject_role: str = "agent") -> tuple[str, list[Arg]]:
    """(voice, roles) of a verb trigger."""
    passive = _passive(verb)
    args: list[Arg] = []
    subj, via = _subject(verb, lex)
    root = verb.doc[verb.i].sent.root
    if verb.dep_ in ("amod", "acl") and root.pos_ in ("NOUN", "PROPN") and root.i < verb.i and (
        root.i != verb.head.i
    ):
        # "A court in Baku sentenced journalist X to nine years": with no verb of its own the
        # parser made the sentence a noun phrase; the verb is the main verb after all
        before = [t for t in root.subtree if t.i < verb.i]
        # the root stands for the clause: its dates and phrases are the verb's (verb=root)
        args.append(Arg("agent", root.i, before[0].idx, before[-1].idx + len(before[-1].text),
                        "subject (repaired)", verb=root.i))
        victim = verb.head
        while victim.dep_ == "compound" and victim.head.i != victim.i:
            victim = victim.head  # "journalist Farid Sampleov": the name heads the phrase
        args.append(_arg("patient", victim, "object (repaired)"))
        args.extend(_prep_roles(verb, lex, ttype))
        args.extend(a for a in _prep_roles(verb.head, lex, ttype) if a.role != "agent")
        return "active", args
    if verb.dep_ in ("acl", "dep") and subj is not None and (
        subj.lemma_.lower() in lex.roles["institutions"]
    ) and (victim := _first_person_after(verb)) is not None:
        # "A Russian court sentenced on Monday American businessman Paul Whelan to 16 years":
        # the parser took the court's verb for a description of the court
        args.append(_arg("agent", subj, "subject (repaired)"))
        args.append(_arg("patient", victim, "object (repaired)"))
        args.extend(_prep_roles(verb, lex, ttype))
        return "active", args
    if subj is not None:
        role = "patient" if passive else subject_role
        if ttype == "release" and not passive and verb.lemma_.lower() in lex.roles[
            "going_verbs"
        ] and not any(c.dep_ in ("dobj", "obj") for c in verb.children):
            role = "patient"  # "they returned to the UK": who went, not who let them go
        if ttype in ("exchange", "talks") and not passive:
            role = "partner"
        args.extend(_arg(role, t, via) for t in _with_conjuncts(subj))
        if role == "patient":
            args.extend(_arg("patient", m, "member") for m in _members(subj))
    for child in verb.children:
        if child.dep_ in ("dobj", "obj") and not passive and subject_role == "agent":
            if ttype == "talks" and verb.lemma_.lower() not in lex.roles["meeting_verbs"]:
                args.append(_arg("topic", child, "object"))  # "negotiated the release"
                continue
            role = "partner" if ttype == "talks" else "patient"
            args.extend(_arg(role, t, "object") for t in _with_conjuncts(child))
            args.extend(_destinations(child, lex))
    args.extend(_prep_roles(verb, lex, ttype))
    for child in verb.children:
        # "freed 18 prisoners on Saturday, including the journalist X": the parser hangs the
        # list on the verb; its people are the patient's
        if child.lower_ in ("including", "among") and child.dep_ == "prep" and ttype in (
            "release", "detention", "exchange"
        ):
            args.extend(_arg("patient", o, f"{child.lower_}-phrase") for o in _pobjs(child))
    if passive:
        for child in verb.children:  # "was given a life sentence by German courts"
            if child.dep_ in ("dobj", "obj"):
                args.extend(a for a in _prep_roles(child, lex, ttype) if a.role == "agent")
    # "freed and flown to Vilnius", "released them, sending them to Lithuania"
    for child in verb.children:
        if child.dep_ in ("conj", "advcl", "xcomp") and child.lemma_.lower() in lex.roles[
            "motion_verbs"
        ]:
            args.extend(_destinations(child, lex, via=f"'{child.text}' to-phrase"))
    if verb.dep_ in ("conj", "advcl", "xcomp", "pcomp") and verb.head.lemma_.lower() in lex.roles[
        "motion_verbs"
    ]:
        args.extend(_destinations(verb.head, lex, via=f"'{verb.head.text}' to-phrase"))
    if verb.dep_ in ("advcl", "pcomp", "pobj") and ttype == "release":
        # "arrived in Oman after being released": the arrival tells where they were taken
        gov = verb.head.head if verb.dep_ in ("pcomp", "pobj") else verb.head
        if gov.lemma_.lower() in lex.roles["arrival_verbs"]:
            args.extend(_destinations(gov, lex, via=f"'{gov.text}' in-phrase", arrival=True))
    if ttype == "release":
        for a in [a for a in args if a.role == "patient"]:
            args.extend(_carried_to(verb.doc[a.head], lex))
            args.extend(_received_by(verb.doc[a.head], lex))
            for t in verb.doc[a.head].subtree:  # "including Ales Testovich, who crossed into X"
                if t.dep_ == "relcl" and t.lemma_.lower() in lex.roles["motion_verbs"]:
                    args.extend(_destinations(t, lex, via=f"'{t.text}' to-phrase"))
    return ("passive" if passive else "active"), args


def _carried_to(patient: Token, lex: FrameLexicon) -> list[Arg]:
    """Where the released were taken, told by the verb they are the subject of ("Nine of those
    released were taken to Lithuania, and 114 to Ukraine")."""
    node = patient
    while node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.i != node.head.i:
        node = node.head.head  # "Nine of those"
    verb = node.head
    if node.dep_ not in _SUBJECTS or verb.lemma_.lower() not in lex.roles["motion_verbs"]:
        return []
    via = f"'{verb.text}' to-phrase"
    out = _destinations(verb, lex, via=via,
                        arrival=verb.lemma_.lower() in lex.roles["arrival_verbs"])
    for child in verb.children:
        if child.dep_ == "conj":  # "and 114 to Ukraine": the verb left out
            out.extend(_destinations(child, lex, via=via))
        if child.dep_ == "prep" and child.lower_ == "with":  # "with 100 of them sent to Ukraine"
            for sub in child.children:
                if sub.lemma_.lower() in lex.roles["motion_verbs"]:
                    out.extend(_destinations(sub, lex, via=f"'{sub.text}' to-phrase"))
    return out


def _received_by(patient: Token, lex: FrameLexicon) -> list[Arg]:
    """Who received the released ("Ukraine's centre said it had received 114 prisoners")."""
    verb = patient.head
    if patient.dep_ not in ("dobj", "obj") or verb.lemma_.lower() not in lex.roles[
        "receiver_verbs"
    ]:
        return []
    subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    if subj is not None and subj.pos_ == "PRON" and verb.dep_ == "ccomp":
        subj = next((c for c in verb.head.children if c.dep_ in _SUBJECTS), subj)  # "it" = who said
    return [] if subj is None else [_arg("destination", subj, f"subject of '{verb.text}'")]


def _destinations(tok: Token, lex: FrameLexicon, via: str = "to-phrase",
                  arrival: bool = False) -> list[Arg]:
    """To/into phrases on a word (also in/at phrases on a verb of arriving)."""
    out = []
    preps = lex.roles["destination_preps"] | ({"in", "at"} if arrival else set())
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            out.extend(replace(_arg("destination", obj, via), verb=tok.i) for obj in _pobjs(child))
    return out


def _governor(noun: Token) -> Token | None:
    """The verb a noun trigger is the subject, object or prepositional object of."""
    node = noun
    for _ in range(3):
        dep, head = node.dep_, node.head
        if head.i == node.i:
            return None
        if dep in ("dobj", "obj", "nsubj", "nsubjpass", "attr", "oprd") and _is_verb(head):
            return head
        if dep == "pobj":
            node = head
            continue
        if dep == "prep" and _is_verb(head):
            return head
        if dep in ("conj", "appos", "compound"):
            node = head
            continue
        return None
    return None


def _noun_args(noun: Token, lex: FrameLexicon, ttype: str) -> list[Arg]:
    """Roles of a noun trigger, from its own phrases and the verb that governs it."""
    args: list[Arg] = []
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            role = "partner" if ttype == "talks" else "patient"
            args.extend(_arg(role, t, "of-phrase") for t in _pobjs(child))
        elif child.dep_ == "poss":
            # "Griner's release" (a person: the patient), "Russia's release of" (a party: the
            # agent); roles.py tells them apart by the party lexicon and the persons found.
            role = "partner" if ttype in ("talks", "exchange") else "possessor"
            args.extend(_arg(role, t, "possessive") for t in _with_conjuncts(child))
        elif child.dep_ in ("compound", "amod", "nmod") and child.i < noun.i:
            if child.lemma_.lower() in lex.nouns["captives"] | lex.nouns["people"]:
                args.append(_arg("patient", child, "modifier"))  # "prisoner swap"
            else:
                role = "partner" if ttype in ("talks", "exchange") else "agent"
                args.append(_arg(role, child, "modifier"))
    args.extend(_prep_roles(noun, lex, ttype))
    if ttype == "exchange":
        # "in exchange for a jailed ally": the people given in return
        args = [Arg("patient", a.head, a.start, a.end, a.via) if a.role == "target"
                and a.via == "for-phrase" else a for a in args]
    if _in_exchange(noun, lex):
        # "freed X in exchange for Y": X, freed by the governing verb's agent, are one side
        gov = noun.head.head
        if _is_verb(gov):
            voice, gov_args = _verb_args(gov, lex, "release")
            args.extend(Arg("partner" if a.role == "agent" else a.role, a.head, a.start, a.end,
                            f"{a.via} of '{gov.text}'")
                        for a in gov_args if a.role in ("agent", "patient"))
    for child in noun.children:
        # "a prisoner swap that included Griner and Bout", "a deal that saw the release of X"
        if child.dep_ in ("relcl", "acl") and child.lemma_.lower() in lex.roles["inclusion_verbs"]:
            for obj in child.children:
                if obj.dep_ in ("dobj", "obj"):
                    args.extend(_arg("patient", t, f"object of '{child.text}'")
                                for t in _with_conjuncts(obj))
    gov = _governor(noun)
    if gov is not None and gov.lemma_.lower() == "be" and noun.dep_ == "pobj":
        # "X have been on trial", "X is under arrest": the copula's subject is the patient
        args.extend(_arg("patient", t, f"subject of '{gov.text}'") for c in gov.children
                    if c.dep_ in _SUBJECTS for t in _with_conjuncts(c))
    elif gov is not None:
        lemma = gov.lemma_.lower()
        subj, via = _subject(gov, lex)
        if subj is not None and not _passive(gov):
            if ttype in ("talks", "exchange"):
                args.extend(_arg("partner", t, f"subject of '{gov.text}'") for t in _with_conjuncts(subj))
            elif lemma in lex.agentive and noun.dep_ in ("dobj", "obj", "pobj"):
                args.extend(_arg("agent", t, f"subject of '{gov.text}'") for t in _with_conjuncts(subj))
            elif noun.dep_ in ("nsubj",) and lemma not in lex.reporting_verbs:
                pass
        args.extend(a for a in _prep_roles(gov, lex, ttype) if a.head != noun.i and a.role != "agent"
                    or (a.role == "agent" and _passive(gov) and noun.dep_ == "nsubjpass"))
        if ttype in ("talks", "exchange"):
            for child in gov.children:
                if child.dep_ in ("dobj", "obj") and child.i != noun.i and lemma in ("meet", "visit"):
                    args.append(_arg("partner", child, f"object of '{gov.text}'"))
    return args


_QUANTITIES = frozenset(["group", "number", "hundreds", "dozens", "thousands", "scores", "batch",
                         "some", "all", "most", "rest", "many", "several", "few", "majority",
                         "part", "half", "dozen", "score", "one", "none", "each", "both"])


def _head_words(head: Token) -> set[str]:
    """Lemmas that say what a phrase's head is: the head, its modifiers and conjuncts, and the
    people a quantity counts ("hundreds of prisoners", "a group of activists")."""
    words = {head.lemma_.lower()}
    for child in head.children:
        if child.dep_ in ("compound", "amod", "nmod", "conj", "appos"):
            words |= {t.lemma_.lower() for t in child.subtree if t.dep_ not in ("prep", "pobj")}
        if child.dep_ == "prep" and child.lower_ == "of" and (
            head.lemma_.lower() in _QUANTITIES or head.pos_ == "NUM"
        ):
            for obj in _pobjs(child):
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
        if head.pos_ == "PROPN":
            return "people" if head.ent_type_ in ("", "PERSON", "NORP") else None
    return None


def read_frame(doc: Doc, tok: Token, trigger: Trigger, lex: FrameLexicon) -> Frame:
    """The frame of one trigger token."""
    ttype = trigger.type
    if ttype == "release" and any(c.lower_ in lex.mutual for c in tok.children):
        ttype = "exchange"  # "the mutual release of detainees": each side frees the other's
    how = _idiom(tok, trigger, lex)
    if trigger.pos == "verb" and _is_verb(tok):
        voice, args = _verb_args(tok, lex, ttype, trigger.subject_role)
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
        voice, args, form = "nominal", _noun_args(tok, lex, ttype), "noun"
    args += _included(doc, args, lex)
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


def _included(doc: Doc, args: list[Arg], lex: FrameLexicon) -> list[Arg]:
    """People a patient's relative clause lists ("the prisoners, who included X"), and the named
    person a patient is an apposition of ("Oleg Semyonov, a businessman convicted in ...")."""
    out: list[Arg] = []
    for a in [a for a in args if a.role == "patient"]:
        head = doc[a.head]
        for child in head.children:
            if child.dep_ == "relcl" and child.lemma_.lower() in lex.roles["inclusion_verbs"]:
                for obj in child.children:
                    if obj.dep_ in ("dobj", "obj"):
                        out.extend(_arg("patient", t, f"object of '{child.text}'")
                                   for t in _with_conjuncts(obj))
        if head.dep_ == "appos" and head.head.ent_type_ == "PERSON":
            out.append(_arg("patient", head.head, "apposition"))
    return out


def _idiom(tok: Token, trigger: Trigger, lex: FrameLexicon) -> str:
    """The construction a trigger stands in, when it changes what the trigger means."""
    if trigger.pos == "noun" and _in_exchange(tok, lex):
        given = [o for c in tok.children if c.dep_ == "prep" and c.lower_ == "for"
                 for o in _pobjs(c)]
        given += [o for c in tok.head.head.children if c.dep_ == "prep" and c.lower_ == "for"
                  and c.i > tok.i for o in _pobjs(c)]
        if not given:
            return "connective"
        kind = _patient_class(tok.doc, [_arg("patient", given[0], "for-phrase")], lex)
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


def _in_exchange(tok: Token, lex: FrameLexicon) -> bool:
    """True for the bare noun of "in exchange (for)", "in return (for)"."""
    return (
        tok.lemma_.lower() in lex.quid_pro_quo
        and tok.dep_ == "pobj"
        and tok.head.lower_ == "in"
        and not any(c.dep_ in ("det", "poss", "amod", "compound") for c in tok.children)
    )


def _event_adjunct(child: Token) -> bool:
    """An agent, a start of custody or a date on a participle: it tells a happening."""
    if child.dep_ == "agent" or child.lower_ in _EVENT_ADJUNCTS:
        return True
    if child.dep_ == "npadvmod" and child.ent_type_ == "DATE":
        return True
    return child.lower_ in _DATED_PREPS and any(_is_time(o) for o in _pobjs(child))


def _dedupe(args: list[Arg]) -> list[Arg]:
    seen: set[tuple[str, int]] = set()
    out = []
    for a in args:
        if (a.role, a.head) not in seen and not (a.role == "place" and (
                "patient", a.head) in seen):
            seen.add((a.role, a.head))
            out.append(a)
    return out


def read_frames(doc: Doc) -> list[Frame]:
    """Every frame in a parsed sentence, events of people and sanctions alike, in order."""
    from .sanctions import sanction_frames

    lex = frame_lexicon()
    frames = [read_frame(doc, tok, t, lex) for tok in doc for t in triggers_at(tok, lex)]
    frames.extend(sanction_frames(doc, lex))
    frames.sort(key=lambda f: f.start)
    return frames
