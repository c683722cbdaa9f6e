"""Parties, persons and counts of a frame: the party codes each role of the parse names.

A party mention ("Belarus", "the Iranian regime", "Americans", "Minsk") is placed in the frame
by the argument phrase that holds it and by how it hangs in that phrase: at its head ("the Iran
regime" is the agent), as a modifier of people ("five Americans": who was held, not who held
them), or inside a clause of its own ("Americans held in Iran": the holder). Then each event
type reads its `by` and `to` from the roles (SCHEMA.md: the holder, the detaining state, every
party to talks or a swap, who sanctions whom).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..parties import PartyMention
from .arguments import ROLES, Arg
from .frames import Frame
from .lexicon import FrameLexicon

Token = Any
Doc = Any

# Labels inside a noun phrase that keep a word at the phrase's head level ("the Iran regime",
# "the government of Venezuela", "Belavia, the Belarusian airline").
_NP_INTERNAL = frozenset(
    [
        "compound",
        "amod",
        "poss",
        "nmod",
        "appos",
        "conj",
        "det",
        "flat",
        "nummod",
        "quantmod",
        "case",
        "cc",
        "npadvmod",
    ]
)
# Verbs of holding: a party in their in/by phrase inside the patient holds the patient.
_HOLDING = frozenset(
    [
        "hold",
        "detain",
        "jail",
        "imprison",
        "keep",
        "arrest",
        "sentence",
        "convict",
        "capture",
        "kidnap",
        "abduct",
        "seize",
        "incarcerate",
        "take",
    ]
)


_NATIONALS = frozenset(
    ["citizen", "national", "resident", "native", "passport", "holder", "subject"]
)


@dataclass(frozen=True)
class PartyRole:
    """Where one party mention stands in a frame."""

    party: PartyMention
    role: str | None  # the frame role whose phrase holds it, None when outside every role
    level: str  # "head" (the phrase names the party), "nationality", "holder", "nested", "context"
    mediator: bool

    def describe(self) -> str:
        return f"{self.party.text}={self.party.code} {self.role or '-'}/{self.level}"


def _token_of(doc: Doc, p: PartyMention) -> Token | None:
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _subtree(doc: Doc, i: int) -> set[int]:
    return {t.i for t in doc[i].subtree}


def _is_actor(doc: Doc, tok: Token, p: PartyMention, lex: FrameLexicon) -> bool:
    """A party adjective or name that qualifies an institution ("Belarusian authorities")."""
    if p.kind != "adjective":
        # "five U.S. citizens": a country's name on people says whose they are, not who acts
        return not (tok.dep_ == "compound" and tok.head.lemma_.lower() in lex.nouns["people"])
    head = tok.head if tok.dep_ in ("amod", "compound", "nmod") else tok
    institutions = lex.roles["institutions"]
    if head.lemma_.lower() in institutions:
        return True
    return any(c.lemma_.lower() in institutions for c in head.children if c.i > tok.i)


def _level(doc: Doc, tok: Token, arg: Arg, p: PartyMention, lex: FrameLexicon) -> str:
    """How a party token hangs in an argument phrase."""
    path: list[Token] = []
    t = tok
    while t.i != arg.head:
        path.append(t)
        t = t.head
        if t.i == t.head.i and t.i != arg.head:
            break
    context = lex.roles["context_heads"]
    for step in path:
        head = step.head
        if step.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in _NATIONALS:
            return "nationality"  # "citizens of the United Kingdom"
        if (
            step.dep_ == "pobj"
            and head.lower_ in ("in", "of")
            and (head.head.lemma_.lower() in lex.roles["penal_institutions"])
            and head.head.i == arg.head
        ):
            return "head"  # "a court in Baku": the court of Azerbaijan
        if step.dep_ == "pobj" and head.head.lemma_.lower() in context:
            return "context"  # "an ally of Putin", "the war in Ukraine"
        if step.dep_ in ("amod", "compound", "npadvmod", "advmod", "poss") and (
            head.lemma_.lower() in context or head.lower_ in context
        ):
            return "context"  # "the US-backed opposition", "Putin's ally"
        if step.dep_ in ("acl", "relcl"):
            if step.lemma_.lower() in _HOLDING:
                return "holder"  # "Americans held in Iran"
            return "nested"
        if (
            step.dep_ == "pobj"
            and head.lower_ in ("in", "by", "from")
            and (
                head.head.lemma_.lower() in _HOLDING
                or head.head.lemma_.lower() in lex.nouns["captives"]
                or head.head.lemma_.lower()
                in ("custody", "captivity", "prison", "jail", "detention")
            )
        ):
            return "holder"  # "prisoners in Iran", "in Russian custody"
        if step.dep_ == "pobj" and head.lower_ not in ("of",):
            return "nested"
    if tok.i != arg.head and not _is_actor(doc, tok, p, lex):
        return "nationality"
    if tok.i == arg.head and p.kind == "adjective" and not _is_actor(doc, tok, p, lex):
        return "nationality"  # "five Americans"
    return "head"


def _mediator(doc: Doc, tok: Token, lex: FrameLexicon) -> bool:
    """True when the party is named as mediating, brokering or hosting."""
    words = lex.roles["mediator_words"]
    t = tok
    for _ in range(4):
        if t.lemma_.lower() in words and t.i != tok.i:
            return True
        if any(
            c.lemma_.lower() in words
            for c in t.children
            if c.i != tok.i and c.dep_ in ("amod", "compound", "acl", "prep", "npadvmod", "advmod")
        ):
            return True
        if t.head.i == t.i:
            break
        t = t.head
    # "Qatar-brokered", "UAE-mediated": the participle right after the name
    nxt = doc[tok.i + 1 : tok.i + 3]
    return any(n.lemma_.lower().lstrip("-") in words for n in nxt if n.i > tok.i)


def place_parties(
    doc: Doc, frame: Frame, parties: Sequence[PartyMention], lex: FrameLexicon
) -> list[PartyRole]:
    """Each party mention of the sentence with its role in the frame."""
    subtrees = {a.head: _subtree(doc, a.head) for a in frame.args}
    out: list[PartyRole] = []
    for p in parties:
        tok = _token_of(doc, p)
        if tok is None:
            continue
        holders = [a for a in frame.args if tok.i in subtrees[a.head]]
        mediator = _mediator(doc, tok, lex)
        if not holders:
            level = "deep-place" if _deep_place(doc, tok, frame) else "outside"
            if level == "outside" and _penal(tok, lex):
                level = "penal"  # "a Nicaraguan judge", "Iranian prison authorities"
            out.append(PartyRole(p, None, level, mediator))
            continue
        arg = min(holders, key=lambda a: len(subtrees[a.head]))
        out.append(PartyRole(p, arg.role, _level(doc, tok, arg, p, lex), mediator))
    return out


def _penal(tok: Token, lex: FrameLexicon) -> bool:
    """A party qualifying a court, a judge, a prison or the police: the holding state's organs."""
    head = tok.head if tok.dep_ in ("amod", "compound", "nmod", "poss") else None
    if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "of"):
        head = tok.head.head  # "a court in Minsk", "the judiciary of Iran"
    return head is not None and head.lemma_.lower() in lex.roles["penal_institutions"]


def _deep_place(doc: Doc, tok: Token, frame: Frame) -> bool:
    """A place phrase deeper under the trigger ("arrested during a stopover in Cape Verde")."""
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("in", "at"):
        return False
    t = tok
    for _ in range(6):
        if t.i == frame.token:
            return True
        if t.head.i == t.i or t.dep_ in ("relcl", "ccomp", "conj", "parataxis"):
            return False
        t = t.head
    return False


def _add(out: list[str], code: str) -> None:
    if code not in out:
        out.append(code)


def party_codes(
    frame: Frame, placed: Sequence[PartyRole], lex: FrameLexicon, receiver: bool
) -> tuple[list[str], list[str], str]:
    """(by, to, how) of a frame: SCHEMA.md's parties for its event type."""
    by: list[str] = []
    to: list[str] = []
    kind = frame.type
    usable = [r for r in placed if r.level != "context"]
    heads = {role: [r for r in usable if r.role == role and r.level == "head"] for role in ROLES}
    heads["agent"] += heads["possessor"]  # "Russia's release of ...", "Belarus' arrest of ..."
    nested = [r for r in usable if r.level == "holder"]
    if kind == "release":
        agents = [r for r in heads["agent"] if not r.mediator]
        if receiver and frame.voice == "active":
            for r in agents:
                _add(to, r.party.code)
            agents = []
        for r in (
            agents
            + heads["source"]
            + nested
            + [r for r in usable if r.role == "source" and r.level != "nationality"]
        ):
            _add(by, r.party.code)
        for r in heads["destination"]:
            _add(to, r.party.code)
        how = "agent" if agents else "source/holder" if by else ""
        if not by:
            for r in heads["place"]:
                _add(by, r.party.code)
            how = "place" if by else ""
        if not by:
            for r in usable:
                if r.level == "penal" and r.party.code not in to:
                    _add(by, r.party.code)
            how = "penal institution" if by else ""
        # no state frees people to itself: named as both, it is the one receiving them
        # ("France is committed to making their return to France")
        return [c for c in by if c not in to], to, how
    if kind == "detention":
        for r in [r for r in heads["agent"] if not r.mediator] + nested:
            _add(by, r.party.code)
        how = "agent" if by else ""
        if not by:
            for r in heads["place"] + [
                r for r in usable if r.role == "place" and r.level == "nested"
            ]:
                _add(by, r.party.code)
            how = "place" if by else ""
        if not by:
            for r in usable:
                if r.role is None and r.level == "deep-place":
                    _add(by, r.party.code)
            how = "place in an adjunct" if by else ""
        if not by:
            for r in usable:
                if r.level == "penal":
                    _add(by, r.party.code)
            how = "penal institution" if by else ""
        return by, [], how
    if kind in ("exchange", "talks"):
        keep_mediators = kind == "talks"
        for r in usable:
            if r.mediator and not keep_mediators:
                continue
            if r.role in ("partner", "agent") and r.level in ("head", "nationality", "nested"):
                _add(by, r.party.code)
            elif (
                kind == "exchange"
                and r.role == "patient"
                and (
                    r.level == "nationality" or (r.level == "head" and r.party.kind == "adjective")
                )
            ):
                _add(by, r.party.code)  # "an exchange of Armenian and Azerbaijani detainees"
            elif kind == "exchange" and r.role == "source" and r.level == "head":
                _add(by, r.party.code)  # "16 were released from Russian custody"
        if kind == "talks" and len(by) < 2:
            for r in usable:
                if r.role == "target" and r.level == "head":
                    _add(by, r.party.code)
        if not by:
            for r in heads["place"]:
                _add(by, r.party.code)
        return by, [], "partners"
    # sanctions
    for r in [r for r in usable if r.role == "agent" and r.level in ("head", "nationality")]:
        _add(by, r.party.code)
    for r in [r for r in usable if r.role == "target"]:
        _add(to, r.party.code)
    return by, [c for c in to if c not in by], "agent/target"


# Prepositions that keep a person among the people of a phrase ("123 prisoners, including X").
_MEMBER_PREPS = frozenset(["of", "including", "among", "like", "as", "such"])


def _person_level(doc: Doc, tok: Token, arg: Arg, lex: FrameLexicon) -> bool:
    """True when a person's token names one of the phrase's people, not someone beside them
    ("a jailed ally of President Maduro", "the lawyer of X", "X's wife")."""
    context = lex.roles["context_heads"]
    t = tok
    while t.i != arg.head:
        head = t.head
        if t.dep_ in ("relcl", "acl", "advcl"):
            return False
        if t.dep_ == "pobj" and (
            head.lower_ not in _MEMBER_PREPS or (head.head.lemma_.lower() in context)
        ):
            return False
        if t.dep_ == "poss" and head.lemma_.lower() in context:
            return False
        if t.head.i == t.i:
            return False
        t = head
    return True


def persons_in(
    doc: Doc, frame: Frame, persons: Sequence[Any], roles: tuple[str, ...], lex: FrameLexicon
) -> list[str]:
    """Names of the people in the given roles' phrases (the people an event happens to)."""
    args = [
        a for a in frame.args if a.role in roles or (a.role == "possessor" and "patient" in roles)
    ]
    out = []
    for ps in persons:
        span = doc.char_span(ps.start, ps.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        tok = span.root
        inside = [a for a in args if a.start <= ps.start and ps.end <= a.end]
        named = any(_person_level(doc, tok, a, lex) or not _in_subtree(doc, tok, a) for a in inside)
        if named and ps.text not in out:
            out.append(ps.text)
    return out


def _in_subtree(doc: Doc, tok: Token, arg: Arg) -> bool:
    return tok.i in {t.i for t in doc[arg.head].subtree}
