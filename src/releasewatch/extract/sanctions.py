"""Sanctions frames: a sanctions noun and the action that imposes or eases it, from the parse.

"The EU extended its sanctions on Belarus" (an action verb governing the noun), "the lifting of
sanctions on Belavia" (an action noun), "sanctions relief" (a compound), "new US sanctions
against Iran" (a modifier that states an act) and "Washington sanctioned Ivanishvili" (the verb
itself). The agent is the subject of the action or the owner of the sanctions ("US sanctions",
"the EU's measures"); the target comes from on/against phrases, or the object of the verb.
"""

from __future__ import annotations

import re
from typing import Any

from .. import lexicon
from .arguments import Arg, is_passive, is_time, make_arg, pobjs, subject_of, with_conjuncts
from .frames import Frame
from .lexicon import FrameLexicon, Trigger, frame_lexicon
from .status import read_status

Token = Any
Doc = Any

_TARGET_PREPS = frozenset(["on", "against", "targeting"])
_OWNER_DEPS = frozenset(["poss", "compound", "amod", "nmod"])
_QUANTITIES = frozenset(
    [
        "most",
        "some",
        "all",
        "many",
        "part",
        "rest",
        "remainder",
        "majority",
        "half",
        "none",
        "several",
        "few",
        "one",
        "bulk",
        "set",
        "series",
    ]
)
# Set on a sentence's parse (Doc.user_data) when the article told of sanctions before it.
SANCTIONS_TOLD = "releasewatch.sanctions_told"
_DEFINITE = frozenset(["the", "these", "those"])
IMPOSED = Trigger("sanctions-imposed", "sanctions_imposed", "verb", frozenset())
EASED = Trigger("sanctions-eased", "sanctions_eased", "verb", frozenset())


def _is_sanction_noun(tok: Token, lex: FrameLexicon) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("NOUN", "PROPN") or lemma not in lex.sanction_nouns:
        return False
    needed = lex.sanction_needs_modifier.get(lemma)
    if needed is None:
        return True
    if any(c.lower_ in needed or c.lemma_.lower() in needed for c in tok.children) or (
        tok.dep_ == "compound" and tok.head.lemma_.lower() in needed
    ):
        return True
    if "price" in needed and any(c.ent_type_ == "MONEY" for c in tok.children):
        return True  # "the $60 ceiling": a sum on a cap is its price
    # "lifted restrictions on two Belarusian banks": an act on a target makes them sanctions
    acted = tok.dep_ in ("dobj", "obj", "nsubjpass") and _verb_kind(tok.head, lex) is not None
    aimed = any(c.dep_ == "prep" and c.lower_ in _TARGET_PREPS for c in tok.children)
    if acted and aimed:
        return True
    # "The measures, first imposed in 2014, ...": in a story that has told of sanctions, the
    # measures it points back to are those sanctions, when an act of sanctioning is on them
    if not tok.doc.user_data.get(SANCTIONS_TOLD):
        return False
    definite = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in tok.children)
    described = any(
        c.dep_ in ("acl", "relcl") and _verb_kind(c, lex) is not None for c in tok.children
    )
    return definite and (acted or described)


def _verb_kind(verb: Token, lex: FrameLexicon) -> Trigger | None:
    """Imposed or eased, from an action verb (with its particle when it needs one)."""
    lemma = verb.lemma_.lower()
    particles = lex.sanction_eased_particles.get(lemma)
    if particles is not None:
        if any(c.lower_ in particles for c in verb.children):
            return EASED
        return None
    if lemma in lex.sanction_eased:
        return EASED
    if lemma in lex.sanction_imposed:
        return IMPOSED
    return None


def _noun_kind(noun: Token, lex: FrameLexicon) -> Trigger | None:
    lemma = noun.lemma_.lower()
    if lemma in lex.sanction_eased_nouns:
        return EASED
    if lemma in lex.sanction_imposed_nouns:
        return IMPOSED
    return None


def _action(noun: Token, lex: FrameLexicon) -> tuple[Token, Trigger, str] | None:
    """(action token, kind, how it was found) for a sanctions noun, if it states an act."""
    node = noun
    while node.dep_ in ("conj", "appos") and node.head.i != node.i:
        node = node.head  # "sanctions and export controls": the first conjunct's action
    if (
        node.dep_ == "pobj"
        and node.head.lower_ == "of"
        and node.head.head.lemma_.lower() in (_QUANTITIES)
    ):
        node = node.head.head  # "ease most of the sanctions": the quantity stands for them
    dep, head = node.dep_, node.head
    if dep in ("dobj", "obj", "nsubjpass", "attr") and head.pos_ in ("VERB", "AUX"):
        kind = _verb_kind(head, lex)
        if kind is not None:
            return head, kind, f"object of '{head.text}'"
    if dep == "pobj":
        prep = head
        owner = _repaired_owner(prep)
        if owner.pos_ in ("NOUN", "PROPN") and (kind := _noun_kind(owner, lex)):
            return owner, kind, f"'{owner.text} {prep.text}'"
        if owner.pos_ in ("VERB", "AUX") and (kind := _verb_kind(owner, lex)):
            return owner, kind, f"'{owner.text} {prep.text}'"
    if dep == "compound":
        if head.pos_ in ("NOUN", "PROPN") and (kind := _noun_kind(head, lex)):
            return head, kind, f"compound '{head.text}'"
        if head.lemma_.lower() == "list":
            return _list_action(head, lex)
    for child in noun.children:
        if (
            (child.dep_ == "relcl" or (child.dep_ == "acl" and child.tag_ == "VBN"))
            and child.pos_ in ("VERB", "AUX")
            and (kind := _verb_kind(child, lex))
        ):
            # "sanctions that X imposed", "the cap introduced in 2022"
            return child, kind, f"'{noun.text} ... {child.text}'"
    for child in noun.children:
        if child.dep_ == "amod" and child.tag_ == "VBN" and (kind := _verb_kind(child, lex)):
            return child, kind, f"'{child.text} {noun.text}'"  # "the G7-imposed cap"
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "nummod") and (
            child.lower_ in lex.sanction_imposed_modifiers
        ):
            return noun, IMPOSED, f"modifier '{child.text}'"
    aimed = any(c.dep_ == "prep" and c.lower_ in _TARGET_PREPS for c in noun.children)
    if aimed and dep in ("dobj", "obj") and head.lemma_.lower() in lex.sanction_governors:
        return noun, IMPOSED, f"object of '{head.text}'"  # "could consider measures against X"
    return None


def _repaired_owner(prep: Token) -> Token:
    """The noun an "of" phrase belongs to; the parser often hangs it on a date before it
    ("its extension by one year, until February 28, 2025, of the restrictive measures")."""
    owner = prep.head
    if prep.lower_ != "of" or owner.ent_type_ not in ("DATE", "TIME"):
        return owner
    for tok in reversed(list(prep.doc[: owner.i])):
        if (
            tok.pos_ in ("NOUN", "PROPN")
            and not tok.ent_type_
            and not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
        ):
            return tok
    return owner


def _list_action(listing: Token, lex: FrameLexicon) -> tuple[Token, Trigger, str] | None:
    """ "added to the sanctions list" (imposed), "removed from the sanctions list" (eased)."""
    if listing.dep_ != "pobj":
        return None
    prep, verb = listing.head, listing.head.head
    if verb.pos_ in ("NOUN", "PROPN") and verb.dep_ in ("dobj", "obj", "nsubjpass"):
        verb = verb.head  # "removed Belavia from the list": the prep hangs on the object
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    lemma = verb.lemma_.lower()
    if prep.lower_ in ("from", "off") or lemma in lex.sanction_eased:
        return verb, EASED, f"'{verb.text} {prep.text}' the list"
    if prep.lower_ in ("to", "on", "onto") or lemma in ("add", "include", "put", "place"):
        return verb, IMPOSED, f"'{verb.text} {prep.text}' the list"
    return None


def _stative(noun: Token, lex: FrameLexicon) -> str | None:
    """The word that makes a sanctions mention a state, not an act ("remain under sanctions")."""
    node = noun
    for _ in range(3):
        head = node.head
        if head.i == node.i:
            return None
        word = head.lemma_.lower()
        if word in lex.sanction_stative and head.pos_ in ("VERB", "AUX", "ADP", "ADJ", "SCONJ"):
            return head.text
        if node.dep_ not in ("pobj", "prep", "conj", "compound"):
            return None
        node = head
    return None


def _targets(tokens: list[Token], lex: FrameLexicon) -> list[Arg]:
    out: list[Arg] = []
    for tok in tokens:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in _TARGET_PREPS:
                out.extend(
                    make_arg("target", obj, f"{child.lower_}-phrase")
                    for obj in pobjs(child)
                    if not is_time(obj)
                )
    return out


def _noun_governor(noun: Token) -> Token | None:
    """The verb an action noun is the object or subject of ("adopted its 18th package")."""
    node = noun
    for _ in range(3):
        if node.dep_ in ("dobj", "obj", "nsubjpass", "nsubj", "attr") and node.head.pos_ in (
            "VERB",
            "AUX",
        ):
            return node.head
        if node.dep_ not in ("conj", "appos", "compound") or node.head.i == node.i:
            return None
        node = node.head
    return None


def _agents(action: Token, noun: Token, lex: FrameLexicon) -> list[Arg]:
    out: list[Arg] = []
    if action.pos_ in ("NOUN", "PROPN") and (gov := _noun_governor(action)) is not None:
        action_verb = gov  # "the EU adopted its 18th package": who adopts it imposes it
        if is_passive(action_verb):
            for child in action_verb.children:
                if child.dep_ == "agent":
                    out.extend(make_arg("agent", o, "by-phrase") for o in pobjs(child))
        elif action.dep_ != "nsubj":
            subj, via = subject_of(action_verb, lex)
            if subj is not None:
                out.extend(
                    make_arg("agent", t, f"subject of '{gov.text}'") for t in with_conjuncts(subj)
                )
    if action.pos_ in ("VERB", "AUX"):
        if is_passive(action):
            for child in action.children:
                if child.dep_ == "agent":
                    out.extend(make_arg("agent", o, "by-phrase") for o in pobjs(child))

        else:
            subj, via = subject_of(action, lex)
            if subj is not None:
                out.extend(make_arg("agent", t, via) for t in with_conjuncts(subj))
    # "the G7-imposed cap", "EU-imposed sanctions": who is joined to the participle by a
    # hyphen imposed it
    participles = [action] + [c for c in noun.children if c.dep_ == "amod" and c.tag_ == "VBN"]
    for verb in participles:
        if verb.i > 1 and verb.doc[verb.i - 1].tag_ == "HYPH":
            named = verb.doc[verb.i - 2]
            if named.head.i == verb.i and named.pos_ in ("PROPN", "NOUN"):
                out.append(make_arg("agent", named, "hyphen"))
    for owner in {action.i: action, noun.i: noun}.values():
        # the owner of sanctions imposes them ("the EU's sanctions"); the owner of an easing
        # is who it favours ("the Czech Republic's exemption", "Belarus' sanctions relief")
        lemma = owner.lemma_.lower()
        role = "target" if lemma in lex.sanction_eased_nouns else "agent"
        # a permit favours whom it lets deal with the sanctioned ("Iraq's waiver" to pay Iran,
        # "the Czech Republic's exemption from the embargo" on Russian oil): no party to it
        permit = lemma in lex.sanction_permit_nouns
        for child in owner.children:
            if child.dep_ in _OWNER_DEPS and child.i < owner.i and not permit:
                out.append(make_arg(role, child, "owner"))
            if child.dep_ in ("prep", "agent") and (
                child.lower_ == "by" or (child.lower_ == "from" and owner.pos_ in ("NOUN", "PROPN"))
            ):  # "relief from X"
                out.extend(make_arg("agent", o, "by-phrase") for o in pobjs(child))
    return out


def _frame(
    doc: Doc,
    action: Token,
    noun: Token,
    kind: Trigger,
    via: str,
    lex: FrameLexicon,
    stative: str | None,
) -> Frame:
    args = _agents(action, noun, lex) + _targets([noun, action], lex)
    if action.pos_ in ("VERB", "AUX") and action.i != noun.i:
        for child in action.children:
            # "removed Belavia from the list", "sanctioned Ivanishvili"
            if (
                child.dep_ in ("dobj", "obj")
                and child.i != noun.i
                and not _is_sanction_noun(child, lex)
            ):
                args.extend(make_arg("target", t, "object") for t in with_conjuncts(child))
    form = "verb" if action.pos_ in ("VERB", "AUX") else "noun"
    status = read_status(action, lex, form=form)
    gov = _noun_governor(action) if form == "noun" else None
    if gov is not None and gov.lemma_.lower() in (
        lex.sanction_governors | lex.sanction_imposed | lex.sanction_eased
    ):
        # "the EU adopted its 18th package", "issued a waiver": the verb states the act
        form, status = "verb", read_status(gov, lex, form="verb")
        if kind is EASED and gov.lemma_.lower() in lex.sanction_reversal:
            kind = IMPOSED  # "ends the Czech Republic's exemption from the embargo"
    start = min(action.idx, noun.idx)
    end = max(action.idx + len(action.text), noun.idx + len(noun.text))
    flags = f"stative '{stative}'" if stative else via
    return Frame(
        trigger=Trigger(kind.name, kind.type, form, frozenset([action.lemma_.lower()])),
        type=kind.type,
        token=action.i,
        start=start,
        end=end,
        form=form,
        voice="nominal" if form == "noun" else ("passive" if is_passive(action) else "active"),
        args=tuple(args),
        status=status,
        patient_class="stative" if stative else None,
        how=flags,
        focus=noun.i,
    )


def sanction_frames(doc: Doc, lex: FrameLexicon) -> list[Frame]:
    """Every sanctions frame in a parsed sentence."""
    frames: list[Frame] = []
    taken: set[int] = set()
    for tok in doc:
        if (
            tok.pos_ == "NOUN"
            and tok.lemma_.lower() in lex.sanction_standalone
            and not any(_is_sanction_noun(t, lex) for t in tok.subtree)
        ):
            # "by issuing a waiver for banks to transfer $6 billion": a waiver is an easing
            taken.add(tok.i)
            frame = _frame(doc, tok, tok, EASED, f"'{tok.text}'", lex, None)
            # "a waiver for banks to transfer frozen Iranian money": whom it is for, and what
            # it lets them do, tell the sanctions it eases
            holders = [tok, tok.head] if tok.dep_ in ("dobj", "obj") else [tok]
            aims = [
                make_arg("target", obj, f"{c.lower_}-phrase")
                for h in holders  # "issued a waiver for banks", "a waiver for banks"
                for c in h.children
                if c.dep_ == "prep" and c.lower_ == "for"
                for obj in pobjs(c)
            ] + [
                make_arg("target", subj, "for-clause")  # "a waiver for banks to transfer ..."
                for h in holders
                for c in h.children
                if c.dep_ in ("advcl", "acl", "relcl")
                and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)
                for subj in c.children
                if subj.dep_ in ("nsubj", "nsubjpass")
            ]
            frames.append(_replace_args(frame, frame.args + tuple(aims)))
            continue
        if tok.pos_ in ("VERB",) and tok.lemma_.lower() in lex.sanction_verbs:
            if (
                tok.i in taken
                or tok.dep_ in ("amod", "compound")
                or not any(c.dep_ in ("dobj", "obj", "nsubjpass") for c in tok.children)
            ):
                continue  # "her designated replacement": no one sanctioned
            taken.add(tok.i)
            frame = _frame(doc, tok, tok, IMPOSED, f"verb '{tok.text}'", lex, None)
            targets = [
                make_arg("target", t, "object")
                for c in tok.children
                if c.dep_ in ("dobj", "obj") or (c.dep_ == "nsubjpass")
                for t in with_conjuncts(c)
            ]
            frames.append(_replace_args(frame, frame.args + tuple(targets)))
            continue
        if not _is_sanction_noun(tok, lex):
            continue
        if tok.dep_ == "conj" and _is_sanction_noun(tok.head, lex):
            continue  # "sanctions and restrictions": one mention
        found = _action(tok, lex)
        stative = _stative(tok, lex)
        if found is None:
            if stative:
                frames.append(_frame(doc, tok, tok, IMPOSED, "", lex, stative))
            continue
        action, kind, via = found
        if action.i in taken:
            continue
        taken.add(action.i)
        frames.append(_frame(doc, action, tok, kind, via, lex, stative))
    return frames


def _replace_args(frame: Frame, args: tuple[Arg, ...]) -> Frame:
    from dataclasses import replace

    return replace(frame, args=args)


def sector(doc: Doc, frame: Frame, lex: FrameLexicon) -> str | None:
    """The industry a sanction aims at: named in its target phrase, else in its own modifiers,
    its object, or else the one industry its sentence names."""
    places: list[list[Token]] = [
        [t for t in doc[a.head].subtree] for a in frame.args if a.role == "target"
    ]
    focus = doc[frame.focus] if frame.focus is not None else doc[frame.token]
    places.append([c for c in focus.children if c.dep_ in ("compound", "amod", "nmod")])
    places.append([c for c in doc[frame.token].children if c.dep_ in ("dobj", "obj")])
    for tokens in places:
        words = " ".join(t.lemma_.lower() for t in tokens)
        plain = " ".join(t.lower_ for t in tokens)
        hits = []
        for name, sector_words in lex.sectors:
            for w in sector_words:
                for text in (f" {words} ", f" {plain} "):
                    at = text.find(f" {w} ")
                    if at >= 0:
                        hits.append((at, name))
        if hits:
            return min(hits)[1]
    # The sentence names one industry and no other ("the $60 ceiling set by the G7 in 2022 on
    # Russian crude"): the sanction's.
    text = doc.text.lower()
    named = {name for name, pattern in _sector_patterns() if pattern.search(text)}
    return named.pop() if len(named) == 1 else None


@lexicon.derived
def _sector_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each sector's words as one whole-word pattern (a plural "s" allowed)."""
    return tuple(
        (name, re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})s?\b"))
        for name, words in frame_lexicon().sectors
    )
