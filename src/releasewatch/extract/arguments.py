"""Arguments of a trigger in the dependency parse: who acts, on whom, where, with whom.

The agent is the subject of an active verb or the by-phrase of a passive; the patient is the
object or the passive subject (through coordination, control and relative clauses); prepositions
carry the destination (to, into), the source (from), the place (in, at), the target of a sanction
(on, against), the partners of talks and swaps (with, between) and their topic (on, about). A
noun trigger ("the release of five Americans") takes its roles from its of/by phrases and from the
verb that governs it ("Belarus carried out the release", "X held talks with Y"). A few repairs
undo parses that news often gets ("A court in Baku sentenced journalist X", "Baku freeing 32
servicemen and Yerevan releasing two").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .lexicon import FrameLexicon, frame_lexicon

Token = Any  # spacy.tokens.Token
Doc = Any  # spacy.tokens.Doc

ROLES = (
    "agent",
    "possessor",
    "patient",
    "destination",
    "source",
    "place",
    "target",
    "partner",
    "topic",
)
# Dependents that are clauses of their own: a phrase stops at them.
CLAUSAL = frozenset(["relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "punct"])
SUBJECTS = frozenset(["nsubj", "nsubjpass", "csubj", "csubjpass"])
_RELATIVE_PRONOUNS = frozenset(["who", "whom", "which", "that", "whose"])


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


def span_of(tok: Token) -> tuple[int, int]:
    """Character offsets of a token's phrase: its subtree without clauses hanging on it."""
    tokens = [t for t in tok.subtree if not in_clause(t, tok) and not t.is_space] or [tok]
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def in_clause(t: Token, top: Token) -> bool:
    """True when `t` sits inside a clause that hangs below `top`."""
    while t.i != top.i:
        if t.dep_ in CLAUSAL:
            return True
        t = t.head
    return False


def make_arg(role: str, tok: Token, via: str) -> Arg:
    start, end = span_of(tok) if via != "relative antecedent" else _narrow_span(tok)
    return Arg(role, tok.i, start, end, via)


def _narrow_span(tok: Token) -> tuple[int, int]:
    """A noun with its modifiers only, no coordinated nouns or clauses (a relative's antecedent)."""
    tokens = [t for t in tok.subtree if not in_clause(t, tok) and not _coordinated(t, tok)]
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _coordinated(t: Token, top: Token) -> bool:
    while t.i != top.i:
        if t.dep_ in ("conj", "cc", "appos", "prep"):
            return True
        t = t.head
    return False


def pobjs(prep: Token) -> list[Token]:
    """The objects of a preposition, conjuncts included ("between Armenia and Azerbaijan")."""
    out = []
    for child in prep.children:
        if child.dep_ in ("pobj", "pcomp"):
            out.append(child)
            out.extend(_conjuncts(child))
        elif child.dep_ == "prep":  # "out of", "back to", "because of"
            out.extend(pobjs(child))
    return out


def _conjuncts(tok: Token) -> list[Token]:
    """Tokens coordinated with `tok` ("Russia and Ukraine": Ukraine for Russia)."""
    return [t for t in tok.conjuncts if t.i > tok.i]


def with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *_conjuncts(tok)]


# ---------------------------------------------------------------------------- triggers


def is_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.tag_ in ("VBN", "VBD"))


def subject_of(verb: Token, lex: FrameLexicon) -> tuple[Token | None, str]:
    """The subject of a verb, found through coordination, control and relative clauses."""
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            if child.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head, "relative antecedent"
            return child, child.dep_
    if verb.dep_ == "conj" and is_verb(verb.head):
        before = verb.doc[verb.i - 1] if verb.i else None
        if (
            before is not None
            and before.dep_ == "conj"
            and before.pos_ in ("PROPN", "NOUN")
            and (before.head.dep_ in ("dobj", "obj") and before.head.head.i == verb.head.i)
        ):
            # "Baku freeing 32 servicemen and Yerevan releasing two": the parser took the second
            # subject for another object of the first verb
            return before, "subject before the verb"
        subj, via = subject_of(verb.head, lex)
        return subj, f"shared {via}"
    if verb.dep_ in ("acomp", "attr", "oprd") and verb.head.i != verb.i:
        return subject_of(verb.head, lex)  # "the EU is ready to adopt": ready -> is -> the EU
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and is_verb(verb.head.head):
        subj, via = subject_of(verb.head.head, lex)  # "X cleared the way by issuing a waiver": X
        return subj, f"subject of '{verb.head.head.text}'"
    if verb.dep_ == "advcl" and verb.tag_ in ("VBN", "VBG") and is_verb(verb.head):
        subj, via = subject_of(verb.head, lex)  # "Sentenced in October, they were ...": they
        return subj, f"subject of '{verb.head.text}'"
    if verb.dep_ == "xcomp":
        head = verb.head
        if head.pos_ == "ADJ":  # "ready to adopt", "willing to release"
            subj, via = subject_of(head, lex)
            return subj, f"subject of '{head.text}'"
        if head.lemma_.lower() in lex.roles["object_control"]:
            for child in head.children:
                if child.dep_ in ("dobj", "obj"):
                    return child, f"object of '{head.text}'"
            for child in head.children:  # "called on Baku to release", "called for X to be freed"
                if (
                    child.dep_ == "prep"
                    and child.lower_ in ("on", "upon", "for")
                    and child.i < verb.i
                ):
                    objs = pobjs(child)
                    if objs:
                        return objs[0], f"object of '{head.text} {child.text}'"
        subj, via = subject_of(head, lex)
        return subj, f"subject of '{head.text}'"
    if verb.dep_ in ("acl", "amod") and verb.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        noun = verb.head
        if ("noun", noun.lemma_.lower()) in lex.by_lemma:
            # "the release of 36 people ... detained in Venezuela": the people, not the release
            for child in noun.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    objs = pobjs(child)
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
            return [t for c in gov.children if c.dep_ in SUBJECTS for t in with_conjuncts(c)]
    return []


def is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    if (
        verb.tag_ == "VBN"
        and verb.dep_ in ("pcomp", "ccomp", "advcl", "acl", "xcomp")
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    ):
        return True  # "with 18 more freed in early July": a participle with its own subject
    if (
        verb.dep_ in ("acl", "amod", "advcl")
        and verb.tag_ == "VBN"
        and not any(c.dep_ == "aux" for c in verb.children)
    ):
        return True  # "prisoners freed by X", "Sentenced in October, they ..."
    if (
        verb.dep_ in ("ccomp", "xcomp", "oprd")
        and verb.tag_ in ("VBN", "VBD")
        and verb.head.lemma_.lower() in frame_lexicon().roles["small_clause_verbs"]
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    ):
        return True  # "the exchange leaves Paul Whelan imprisoned in Russia"
    return verb.dep_ == "conj" and verb.tag_ == "VBN" and is_passive(verb.head)


def prep_roles(tok: Token, lex: FrameLexicon, ttype: str = "") -> list[Arg]:
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
        elif word in roles["target_preps"] and (
            ttype.startswith("sanctions") or (ttype == "exchange" and word == "for")
        ):
            role = "target"
        elif ttype == "talks" and word in roles["topic_preps"]:
            role = "topic"  # "talks on the release", "negotiations about sanctions"
        elif word in roles["partner_preps"]:
            role = "partner"
        else:
            continue
        out.extend(
            make_arg(role, obj, f"{word}-phrase") for obj in pobjs(child) if not is_time(obj)
        )
    return out


def is_time(tok: Token) -> bool:
    """A date or time phrase ("on Thursday", "in December 2018"): when, not who or where."""
    return tok.ent_type_ in ("DATE", "TIME") or tok.lower_ in _TIME_WORDS


_TIME_WORDS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "week",
        "month",
        "year",
        "day",
        "weekend",
        "morning",
        "evening",
        "afternoon",
        "night",
        "time",
        "past",
        "summer",
        "winter",
        "spring",
        "autumn",
        "fall",
    ]
)


def verb_args(
    verb: Token, lex: FrameLexicon, ttype: str, subject_role: str = "agent"
) -> tuple[str, list[Arg]]:
    """(voice, roles) of a verb trigger."""
    passive = is_passive(verb)
    args: list[Arg] = []
    subj, via = subject_of(verb, lex)
    root = verb.doc[verb.i].sent.root
    if (
        verb.dep_ in ("amod", "acl")
        and root.pos_ in ("NOUN", "PROPN")
        and root.i < verb.i
        and (root.i != verb.head.i)
    ):
        # "A court in Baku sentenced journalist X to nine years": with no verb of its own the
        # parser made the sentence a noun phrase; the verb is the main verb after all
        before = [t for t in root.subtree if t.i < verb.i]
        # the root stands for the clause: its dates and phrases are the verb's (verb=root)
        args.append(
            Arg(
                "agent",
                root.i,
                before[0].idx,
                before[-1].idx + len(before[-1].text),
                "subject (repaired)",
                verb=root.i,
            )
        )
        victim = verb.head
        while victim.dep_ == "compound" and victim.head.i != victim.i:
            victim = victim.head  # "journalist Farid Sampleov": the name heads the phrase
        args.append(make_arg("patient", victim, "object (repaired)"))
        args.extend(prep_roles(verb, lex, ttype))
        args.extend(a for a in prep_roles(verb.head, lex, ttype) if a.role != "agent")
        return "active", args
    if (
        verb.dep_ in ("acl", "dep")
        and subj is not None
        and (subj.lemma_.lower() in lex.roles["institutions"])
        and (victim := _first_person_after(verb)) is not None
    ):
        # "A Russian court sentenced on Monday American businessman Paul Whelan to 16 years":
        # the parser took the court's verb for a description of the court
        args.append(make_arg("agent", subj, "subject (repaired)"))
        args.append(make_arg("patient", victim, "object (repaired)"))
        args.extend(prep_roles(verb, lex, ttype))
        return "active", args
    if subj is not None:
        role = "patient" if passive else subject_role
        if (
            ttype == "release"
            and not passive
            and verb.lemma_.lower() in lex.roles["going_verbs"]
            and not any(c.dep_ in ("dobj", "obj") for c in verb.children)
        ):
            role = "patient"  # "they returned to the UK": who went, not who let them go
        if ttype in ("exchange", "talks") and not passive:
            role = "partner"
        args.extend(make_arg(role, t, via) for t in with_conjuncts(subj))
        if role == "patient":
            args.extend(make_arg("patient", m, "member") for m in _members(subj))
    for child in verb.children:
        if child.dep_ in ("dobj", "obj") and not passive and subject_role == "agent":
            if ttype == "talks" and verb.lemma_.lower() not in lex.roles["meeting_verbs"]:
                args.append(make_arg("topic", child, "object"))  # "negotiated the release"
                continue
            role = "partner" if ttype == "talks" else "patient"
            args.extend(make_arg(role, t, "object") for t in with_conjuncts(child))
            args.extend(_destinations(child, lex))
    args.extend(prep_roles(verb, lex, ttype))
    for child in verb.children:
        # "freed 18 prisoners on Saturday, including the journalist X": the parser hangs the
        # list on the verb; its people are the patient's
        if (
            child.lower_ in ("including", "among")
            and child.dep_ == "prep"
            and ttype in ("release", "detention", "exchange")
        ):
            args.extend(make_arg("patient", o, f"{child.lower_}-phrase") for o in pobjs(child))
        # "pardoned X, along with five other prisoners": those people are the patient's too
        if (
            child.lower_ in ("along", "together")
            and child.dep_ in ("prep", "advmod")
            and ttype in ("release", "detention", "exchange")
        ):
            for w in child.children:
                if w.dep_ == "prep" and w.lower_ == "with":
                    args.extend(make_arg("patient", o, "along-with") for o in pobjs(w))
    if passive:
        for child in verb.children:  # "was given a life sentence by German courts"
            if child.dep_ in ("dobj", "obj"):
                args.extend(a for a in prep_roles(child, lex, ttype) if a.role == "agent")
    # "freed and flown to Vilnius", "released them, sending them to Lithuania"
    for child in verb.children:
        if (
            child.dep_ in ("conj", "advcl", "xcomp")
            and child.lemma_.lower() in lex.roles["motion_verbs"]
        ):
            args.extend(_destinations(child, lex, via=f"'{child.text}' to-phrase"))
    if (
        verb.dep_ in ("conj", "advcl", "xcomp", "pcomp")
        and verb.head.lemma_.lower() in lex.roles["motion_verbs"]
        and not any(c.dep_ in SUBJECTS for c in verb.children)
    ):
        # "freed and flown to Vilnius" (the same people); not "X returned to the UK while Y
        # was released inside Iran", whose own subject went nowhere
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
    if node.dep_ not in SUBJECTS or verb.lemma_.lower() not in lex.roles["motion_verbs"]:
        return []
    via = f"'{verb.text}' to-phrase"
    out = _destinations(
        verb, lex, via=via, arrival=verb.lemma_.lower() in lex.roles["arrival_verbs"]
    )
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
    if (
        patient.dep_ not in ("dobj", "obj")
        or verb.lemma_.lower() not in lex.roles["receiver_verbs"]
    ):
        return []
    subj = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
    if subj is not None and subj.pos_ == "PRON" and verb.dep_ == "ccomp":
        subj = next((c for c in verb.head.children if c.dep_ in SUBJECTS), subj)  # "it" = who said
    return [] if subj is None else [make_arg("destination", subj, f"subject of '{verb.text}'")]


def _destinations(
    tok: Token, lex: FrameLexicon, via: str = "to-phrase", arrival: bool = False
) -> list[Arg]:
    """To/into phrases on a word (also in/at phrases on a verb of arriving)."""
    out: list[Arg] = []
    preps = lex.roles["destination_preps"] | ({"in", "at"} if arrival else set())
    carriers = [tok]  # "crossed back into Pakistan", "put them on a flight to Guatemala"
    for child in tok.children:
        if child.dep_ in ("advmod", "prt") and child.lower_ in lex.roles["destination_adverbs"]:
            carriers.append(child)
        if child.dep_ == "prep" and child.lower_ in lex.roles["vehicle_preps"]:
            carriers.extend(o for o in pobjs(child) if o.lemma_.lower() in lex.roles["vehicles"])
    for carrier in carriers:
        for child in carrier.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                out.extend(
                    replace(make_arg("destination", obj, via), verb=tok.i) for obj in pobjs(child)
                )
    return out


def _governor(noun: Token) -> Token | None:
    """The verb a noun trigger is the subject, object or prepositional object of."""
    node = noun
    measures = frame_lexicon().roles["measure_nouns"]
    for _ in range(4):
        dep, head = node.dep_, node.head
        if head.i == node.i:
            return None
        if dep in ("dobj", "obj", "nsubj", "nsubjpass", "attr", "oprd") and is_verb(head):
            return head
        if dep == "pobj":
            node = head
            continue
        if dep == "prep" and is_verb(head):
            return head
        if dep == "prep" and node.lower_ == "of" and head.lemma_.lower() in measures:
            node = head  # "held several rounds of talks": the rounds stand for the talks
            continue
        if dep in ("conj", "appos", "compound"):
            node = head
            continue
        return None
    return None


def noun_args(noun: Token, lex: FrameLexicon, ttype: str) -> list[Arg]:
    """Roles of a noun trigger, from its own phrases and the verb that governs it."""
    args: list[Arg] = []
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            role = "partner" if ttype == "talks" else "patient"
            args.extend(make_arg(role, t, "of-phrase") for t in pobjs(child))
        elif child.dep_ == "poss":
            # "Griner's release" (a person: the patient), "Russia's release of" (a party: the
            # agent); roles.py tells them apart by the party lexicon and the persons found.
            role = "partner" if ttype in ("talks", "exchange") else "possessor"
            args.extend(make_arg(role, t, "possessive") for t in with_conjuncts(child))
        elif child.dep_ in ("compound", "amod", "nmod") and child.i < noun.i:
            if child.lemma_.lower() in lex.nouns["captives"] | lex.nouns["people"]:
                args.append(make_arg("patient", child, "modifier"))  # "prisoner swap"
            else:
                role = "partner" if ttype in ("talks", "exchange") else "agent"
                args.append(make_arg(role, child, "modifier"))
    args.extend(prep_roles(noun, lex, ttype))
    if ttype == "exchange":
        # "in exchange for a jailed ally": the people given in return
        args = [
            Arg("patient", a.head, a.start, a.end, a.via)
            if a.role == "target" and a.via == "for-phrase"
            else a
            for a in args
        ]
    if in_exchange(noun, lex):
        # "freed X in exchange for Y": X, freed by the governing verb's agent, are one side
        gov = noun.head.head
        if is_verb(gov):
            _, gov_args = verb_args(gov, lex, "release")
            args.extend(
                Arg(
                    "partner" if a.role == "agent" else a.role,
                    a.head,
                    a.start,
                    a.end,
                    f"{a.via} of '{gov.text}'",
                )
                for a in gov_args
                if a.role in ("agent", "patient")
            )
    for child in noun.children:
        # "a prisoner swap that included Griner and Bout", "a deal that saw the release of X"
        if child.dep_ in ("relcl", "acl") and child.lemma_.lower() in lex.roles["inclusion_verbs"]:
            for obj in child.children:
                if obj.dep_ in ("dobj", "obj"):
                    args.extend(
                        make_arg("patient", t, f"object of '{child.text}'")
                        for t in with_conjuncts(obj)
                    )
    gov = _governor(noun)
    if gov is not None and gov.lemma_.lower() == "be" and noun.dep_ == "pobj":
        # "X have been on trial", "X is under arrest": the copula's subject is the patient
        args.extend(
            make_arg("patient", t, f"subject of '{gov.text}'")
            for c in gov.children
            if c.dep_ in SUBJECTS
            for t in with_conjuncts(c)
        )
    elif gov is not None:
        lemma = gov.lemma_.lower()
        subj, _ = subject_of(gov, lex)
        between = [a for a in args if a.via == "between-phrase"]
        hosted = lemma in lex.roles["hosting_verbs"] and bool(between)
        if subj is not None and not is_passive(gov):
            if ttype in ("talks", "exchange") and not hosted:  # a host of talks between two
                args.extend(
                    make_arg("partner", t, f"subject of '{gov.text}'") for t in with_conjuncts(subj)
                )
            elif lemma in lex.agentive and noun.dep_ in ("dobj", "obj", "pobj"):
                args.extend(
                    make_arg("agent", t, f"subject of '{gov.text}'") for t in with_conjuncts(subj)
                )
        args.extend(
            a
            for a in prep_roles(gov, lex, ttype)
            if (a.head != noun.i and a.role != "agent")
            or (a.role == "agent" and is_passive(gov) and noun.dep_ == "nsubjpass")
        )
        if ttype in ("talks", "exchange"):
            for child in gov.children:
                if (
                    child.dep_ in ("dobj", "obj")
                    and child.i != noun.i
                    and lemma in ("meet", "visit")
                ):
                    args.append(make_arg("partner", child, f"object of '{gov.text}'"))
    return args


def included(doc: Doc, args: list[Arg], lex: FrameLexicon) -> list[Arg]:
    """People a patient's relative clause lists ("the prisoners, who included X"), and the named
    person a patient is an apposition of ("Oleg Semyonov, a businessman convicted in ...")."""
    out: list[Arg] = []
    for a in [a for a in args if a.role == "patient"]:
        head = doc[a.head]
        for child in head.children:
            if child.dep_ == "relcl" and child.lemma_.lower() in lex.roles["inclusion_verbs"]:
                for obj in child.children:
                    if obj.dep_ in ("dobj", "obj"):
                        out.extend(
                            make_arg("patient", t, f"object of '{child.text}'")
                            for t in with_conjuncts(obj)
                        )
        if head.dep_ == "appos" and head.head.ent_type_ == "PERSON":
            out.append(make_arg("patient", head.head, "apposition"))
    return out


def in_exchange(tok: Token, lex: FrameLexicon) -> bool:
    """True for the bare noun of "in exchange (for)", "in return (for)"."""
    return (
        tok.lemma_.lower() in lex.quid_pro_quo
        and tok.dep_ == "pobj"
        and tok.head.lower_ == "in"
        and not any(c.dep_ in ("det", "poss", "amod", "compound") for c in tok.children)
    )
