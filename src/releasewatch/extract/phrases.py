"""What the words around a trigger tell, read from the parse: its own phrase, its modifiers
and ordinals, the verbs that govern it, a relative pronoun's person, a name as an agent, and
whether an event noun only marks a time."""

from __future__ import annotations

import re
from typing import Any

from .arguments import Arg
from .frames import Frame
from .names import PersonSpan


def relative_antecedent(doc: Any, f: Frame, persons: list[PersonSpan]) -> list[str]:
    """The person a relative pronoun patient stands for: the name its clause hangs on
    ("Cristiana Chamorro, who had been a contender before her arrest in 2021")."""
    for a in f.args:
        head = doc[a.head]
        if a.role not in ("patient", "possessor") or head.tag_ not in ("WP", "WP$"):
            continue
        clause = next((t for t in head.ancestors if t.dep_ in ("relcl", "acl")), None)
        if clause is None:
            continue
        noun = clause.head
        lo, hi = noun.left_edge.idx, noun.idx + len(noun)
        return [p.text for p in persons if p.start < hi and p.end > lo]
    return []


ORDINAL = re.compile(
    r"\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
)


def compound_heads(doc: Any, f: Frame) -> list[int]:
    """Modifiers of the noun a sanctions word is compound to ("a 19th sanctions round")."""
    heads = {f.token} | ({f.focus} if f.focus is not None else set())
    return [
        c.i
        for h in heads
        if doc[h].dep_ == "compound"
        for c in doc[h].head.children
        if c.dep_ in ("amod", "nummod")
    ]


def trigger_modifiers(doc: Any, f: Frame) -> list[int]:
    """Token indexes of the words modifying a frame's trigger and its sanctions noun."""
    heads = {f.token} | ({f.focus} if f.focus is not None else set())
    return [c.i for h in heads for c in doc[h].children if c.dep_ in ("amod", "det", "advmod")]


def names_someone(doc: Any, a: Arg) -> bool:
    """Whether an argument's head is a name ("the Group of Seven", "G7-imposed"), not a
    description ("a federal judge in Manhattan")."""
    return bool(doc[a.head].pos_ == "PROPN")


_STARTS = frozenset(["start", "beginning", "outset", "launch", "onset", "end"])


def since_phrase(tok: Any) -> bool:
    """Whether an event noun only marks a time ("since the talks", "since the start of
    negotiations"): told as history, it adds to an event and makes none."""
    node = tok
    if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.lemma_ in _STARTS:
        node = node.head.head
    return node.dep_ == "pobj" and node.head.lower_ == "since"


def governing_verbs(tok: Any) -> list[int]:
    """The verbs a trigger is the complement of ("decided to extend", "agreed to free"), and
    the noun it is the infinitive of ("the decision of a court on Wednesday to remand her")."""
    out: list[int] = []
    node = tok
    while node.head.i != node.i and len(out) < 2:
        infinitive = node.dep_ == "acl" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in node.children
        )
        if node.dep_ != "xcomp" and not (infinitive and node.head.pos_ == "NOUN"):
            break
        node = node.head
        out.append(node.i)
    return out


def own_phrase(tok: Any) -> str:
    """A trigger's own words: its subtree without its conjuncts ("arrested in 2019", not "and
    sentenced to five years"), and the verb it is the object of ("handed a sentence")."""
    skip: set[int] = set()
    for child in tok.children:
        if child.dep_ in ("conj", "cc"):
            skip.update(t.i for t in child.subtree)
    words = [t.text for t in tok.subtree if t.i not in skip]
    if tok.dep_ in ("dobj", "pobj", "attr") and tok.head.pos_ in ("VERB", "ADP"):
        words.insert(0, tok.head.text)
    return " ".join(words)
