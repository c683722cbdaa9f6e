"""Status and attribution of a trigger, read from the clause chain above it in the parse.

The chain runs from the trigger up through the words that govern it: its own auxiliaries and
modifiers ("will release", "the possible release"), the verb or noun it is the object or topic
of ("urged X to free", "talks on the release"), and a preposition placing it in time ("after
the swap"). The nearest word that says something about status decides it. Further up, a
reporting verb ("Reuters reported", "sources said") or "according to X" gives the attribution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .lexicon import STATUSES, FrameLexicon

Token = Any  # spacy.tokens.Token

# Dependency labels across which a governor's status reaches its dependent (SCHEMA.md: a
# demand, an offer, a plan or a refusal governs what it is about).
_GOVERNED = frozenset(
    [
        "dobj",
        "nsubjpass",
        "nsubj",
        "csubj",
        "attr",
        "oprd",
        "xcomp",
        "ccomp",
        "acomp",
        "pcomp",
        "npadvmod",
        "compound",
        "dative",
        "appos",
        "acl",
        "advcl",
        "amod",
        "nmod",
        "obj",
    ]
)
# Labels that end the chain: a relative clause or an aside has its own status.
_STOP = frozenset(["relcl", "parataxis", "ROOT", "meta", "dep", "punct", "cc"])
# Labels of the reporting verb's clause: beyond them the words report, they do not govern.
_REPORTED = frozenset(["ccomp", "parataxis", "advcl", "conj"])
MAX_STEPS = 8  # the longest useful chain seen in news: trigger, 3 governors, 2 prepositions


@dataclass(frozen=True)
class Status:
    """What the clause chain says about a trigger."""

    status: str  # occurred | agreed | discussed
    cause: str  # the word and rule that decided it, for `explain`
    cued: bool  # False when nothing in the chain spoke and the default was taken
    negated: bool
    attribution: str | None
    hedged: bool


def _modal(tok: Token, lex: FrameLexicon) -> tuple[str, str] | None:
    """(status, cause) from a modal auxiliary or a "to" infinitive on a verb."""
    for child in tok.children:
        if child.dep_ in ("aux", "auxpass"):
            word = child.lower_
            for status in ("discussed", "agreed"):
                if word in lex.governors[status].modals:
                    return status, f"modal '{child.text}'"
            if word in ("going",) and any(c.lower_ == "to" for c in child.children):
                return "agreed", "'going to'"
    return None


def negation(tok: Token, lex: FrameLexicon) -> Token | None:
    """The negation word on a token, if any ("not", "never", "no release")."""
    for child in tok.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
            return child
        if child.dep_ == "advmod" and child.lower_ in ("never", "not"):
            return child
    return None


_PRIORITY = {"discussed": 0, "agreed": 1, "occurred": 2}


def _own_cue(tok: Token, lex: FrameLexicon, *, as_governor: bool) -> tuple[str, str] | None:
    """(status, cause) that a token's own words give: negation, markers, modals, its lemma.

    Of several cues on one word the most tentative wins ("would consider": discussed).
    """
    neg = negation(tok, lex)
    reporting = as_governor and tok.lemma_.lower() in lex.reporting_verbs
    if neg is not None and not reporting:  # "the release had not been announced": it happened
        return "discussed", f"negated by '{neg.text}'"
    for child in tok.children:
        if child.dep_ == "mark" and child.lower_ in lex.conditional_markers:
            return "discussed", f"conditional '{child.text}'"
    cues: list[tuple[str, str]] = []
    modal = _modal(tok, lex)
    if modal:
        cues.append(modal)
    for child in tok.children:
        if child.dep_ in ("amod", "advmod", "compound") and child.i < tok.i:
            for status in STATUSES:
                if child.lower_ in lex.governors[status].adjectives:
                    cues.append((status, f"modifier '{child.text}'"))
    if as_governor:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX"):
            kind = "verbs"
        elif tok.pos_ in ("NOUN", "PROPN"):
            kind = "nouns"
        else:
            kind = "adjectives"
        for status in STATUSES:
            words = getattr(lex.governors[status], kind)
            if lemma in words or (kind == "adjectives" and tok.lower_ in words):
                cues.append((status, f"governed by '{tok.text}'"))
        for child in tok.children:  # "make his release a precondition", "keep it a priority"
            if child.dep_ in ("oprd", "attr") and child.pos_ in ("NOUN", "ADJ"):
                for status in STATUSES:
                    g = lex.governors[status]
                    if child.lemma_.lower() in g.nouns or child.lower_ in g.adjectives:
                        cues.append((status, f"governed by '{tok.text} ... {child.text}'"))
    return min(cues, key=lambda c: _PRIORITY[c[0]]) if cues else None


def _is_governor(tok: Token, lex: FrameLexicon) -> bool:
    """True when a word's lemma is one of the status governors."""
    lemma = tok.lemma_.lower()
    return any(
        lemma in g.verbs or lemma in g.nouns or lemma in g.adjectives
        for g in lex.governors.values()
    )


def _infinitive(tok: Token) -> bool:
    """True for a bare "to" infinitive ("to release"), which states an aim, not a deed."""
    return tok.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _according_to(tok: Token) -> str | None:
    """X in an "according to X" phrase on a token."""
    for child in tok.children:
        if child.lower_ == "according":
            for to in child.children:
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        return _phrase(obj)
    return None


def _phrase(tok: Token) -> str:
    """The text of a noun phrase without its clauses ("sources familiar with ..." -> sources)."""
    keep = [t for t in tok.subtree if not _inside_clause(t, tok)]
    text = " ".join(t.text for t in keep)
    return text.replace(" 's", "'s").replace(" ,", ",").strip(" ,")


def _inside_clause(t: Token, top: Token) -> bool:
    """True when `t` sits in a clause or prepositional phrase hanging under `top`."""
    while t.i != top.i:
        if t.dep_ in ("relcl", "acl", "prep", "advcl", "punct", "appos", "cc", "conj"):
            return True
        t = t.head
    return False


def _attribution_of(verb: Token, lex: FrameLexicon) -> str | None:
    """Who a reporting verb credits: its subject, when that is a source, not a pronoun."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ != "PRON":
            return _phrase(child)
        if child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return _phrase(obj)
    return None


def _carried_out(
    noun: Token, cue: tuple[str, str] | None, lex: FrameLexicon
) -> tuple[str, str] | None:
    """An agreement that a verb says was carried out ("completed their exchange deal",
    "implemented the agreement") is done."""
    if cue is None or cue[0] != "agreed" or noun.pos_ != "NOUN":
        return cue
    verb = noun.head
    done = (
        verb.lemma_.lower() in lex.governors["occurred"].verbs
        and _own_cue(verb, lex, as_governor=False) is None
    )  # "will complete the deal" keeps its modal
    if noun.dep_ in ("dobj", "obj", "nsubjpass") and done:
        return "occurred", f"governed by '{verb.text} ... {noun.text}'"
    return cue


def _means(prep: Token) -> bool:
    """Whether a "by" phrase is a means clause ("by issuing a waiver")."""
    return any(c.dep_ == "pcomp" and c.tag_ == "VBG" for c in prep.children)


def read_status(trigger: Token, lex: FrameLexicon, *, form: str, ttype: str = "") -> Status:
    """Status, its cause and the attribution of the trigger at `trigger` in its sentence."""
    hedged = any(t.lower_ in lex.hedges for t in trigger.sent)
    cue = _own_cue(trigger, lex, as_governor=False)
    if cue is None and form == "noun":
        for child in trigger.children:  # "the swap that took place", "an exchange agreed on"
            if child.dep_ in ("relcl", "acl") and child.pos_ in ("VERB", "AUX"):
                cue = _own_cue(child, lex, as_governor=True)
                if cue is not None:
                    break
    attribution = _according_to(trigger)
    unrealized = f"infinitive 'to {trigger.text}'" if _infinitive(trigger) else None
    node, steps, sealed = trigger, 0, False  # sealed: above an adverbial clause, no cue reaches
    while steps < MAX_STEPS and (cue is None or attribution is None):
        dep, head = node.dep_, node.head
        if head.i == node.i or dep in _STOP:
            break
        steps += 1
        if sealed:
            pass
        elif dep == "conj":
            # A coordinate shares its head's auxiliaries and negation, not its meaning.
            cue = cue or _own_cue(head, lex, as_governor=False)
        elif dep in ("prep", "agent"):
            word = node.lower_
            if cue is None and word == "by" and _means(node):
                # "cleared the way for their release by issuing a waiver": a means is done as
                # the verb it serves is, whatever the nouns between say
                verb = next((t for t in node.ancestors if t.pos_ in ("VERB", "AUX")), None)
                cue = (_own_cue(verb, lex, as_governor=True) if verb is not None else None) or (
                    "occurred",
                    f"means 'by {next(c for c in node.children if c.dep_ == 'pcomp').text}'",
                )
                node = head
                continue
            if cue is None and (
                word in lex.occurred_preps
                or (ttype == "talks" and word in ("at", "in") and node.i < trigger.i)
            ):
                cue = ("occurred", f"after '{node.text}'")  # "at a meeting", "in talks"
            elif cue is None and (word in lex.topic_preps or head.pos_ in ("VERB", "AUX")):
                cue = _own_cue(head, lex, as_governor=True)
        elif dep == "pobj":
            pass  # on to the preposition
        elif dep not in _GOVERNED:
            break
        if head.lemma_.lower() in lex.reporting_verbs and dep in _REPORTED:
            attribution = attribution or _attribution_of(head, lex)
        elif cue is None and not sealed and dep in _GOVERNED:
            if dep == "acl" and node.i == trigger.i and form != "noun" and unrealized is None:
                break  # "prisoners freed by Venezuela": the noun's own clause is another matter
            if dep == "advcl":
                if _infinitive(node):
                    cue = ("discussed", f"purpose 'to {node.text}'")
                sealed = True  # an adverbial clause keeps its own status; attribution lies above
            elif _infinitive(head) or (unrealized and node.i == trigger.i):
                # "to secure his release": an aim; only a tentative governor speaks here, and
                # what governs the infinitive ("agreed to", "refused to") decides the rest.
                found = _own_cue(head, lex, as_governor=True)
                if found is not None and (
                    found[0] != "occurred" or head.lemma_.lower() in lex.done_infinitive
                ):
                    cue = found
                elif head.lemma_.lower() in lex.done_infinitive:
                    cue = ("occurred", f"done: '{head.text} to'")
                unrealized = unrealized or f"infinitive 'to {head.text}'"
            elif dep in ("nsubj", "nsubjpass", "csubj") and (
                not _is_governor(head, lex) or head.lemma_.lower() in lex.roles["content_verbs"]
            ):
                # "the talks would address new problems", "the swap did not include Whelan":
                # about the trigger's content, not whether it happened
                sealed = True
            else:
                cue = _carried_out(head, _own_cue(head, lex, as_governor=True), lex)
        attribution = attribution or _according_to(head)
        node = head
    negated = cue is not None and cue[1].startswith("negated")
    if cue is None and unrealized:
        return Status("discussed", unrealized, True, negated, attribution, hedged)
    if cue is None:
        return Status("occurred", "default", False, negated, attribution, hedged)
    return Status(cue[0], cue[1], True, negated, attribution, hedged)
