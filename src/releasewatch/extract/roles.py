"""Who did what to whom: party roles (by, to) and persons of one event mention."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .. import lexicon
from ..parties import PartyMention, actor_nouns
from .lexicon import event_lexicon

# Titles that make a named person an official, negotiator or spokesperson: never a person
# an event happens to.
_OFFICIAL = re.compile(
    r"(?:\b(?:President|president|Minister|minister|[Ee]nvoy|Secretary|secretary|spokes\w+|"
    r"Representative|Ambassador|ambassador|(?<!in-)[Cc]hief|[Hh]ead|[Aa]dvis[eo]r|Chancellor|"
    r"Premier|Prime|[Oo]fficial|[Cc]ommissioner|[Cc]oordinator|[Dd]irector|Chair\w*|"
    r"[Dd]ictator|[Ll]eader of|Treasury|Senator|[Ss]enator|Governor|King|Emir|Sheikh|"
    r"Pope|Foreign|Defen[cs]e|Deputy|deputy|Speaker|Mayor|mayor|envoy)\b[\w .,'-]{0,40}$)"
)
_SPEAKER_AFTER = re.compile(
    r"^(?:,[^,]{0,60},)?\W{0,3}(?:\w+ ){0,2}(?:said|says|told|added|noted|stated|wrote|"
    r"emphasi[sz]ed|stressed|announced|confirmed|claims|claimed|welcomed|urged|called|condemned|"
    r"praised|thanked|criticised|criticized|denounced|demanded|insisted|warned|described)\b"
)
_TITLE_AFFILIATION = re.compile(
    r"(?:[Ee]nvoy|[Rr]epresentative|[Ss]ecretary|[Mm]inister|"
    r"[Aa]mbassador|[Pp]resident|[Oo]fficial|[Ss]pokes\w+|[Dd]elegation)"
)
_RECEIVE = re.compile(r"\b(?:received|receives|welcomed back|took in|takes in)\b")
_AGENT = re.compile(r"\bby (?:the |a |an )?$")
_FROM = re.compile(
    r"\bfrom (?:the )?(?:territory controlled by (?:the )?|detention in |custody in |"
    r"prisons? in |jails? in |captivity in )?$"
)
_HELD = re.compile(
    r"\b(?:held|imprisoned|jailed|detained|prisoners?|prisons?|jails?)"
    r"(?: (?:hostage|captive|prisoner|incommunicado))? (?:in|by) (?:the )?"
    r"(?:(?:north|south|east|west|central)(?:ern)? |(?:north|south)-?(?:east|west)(?:ern)? )?$"
)
_DEST = re.compile(
    r"\b(?:taken|sent|bused|flown|transferred|handed(?: \w+)? over|deported|returned|brought|"
    r"flight|plane|bus|put|"
    r"transported|moved|released|freed|expelled|went|go|taken back|returning)"
    r"(?: [\w-]+){0,4}? (?:to|into) (?:the )?$"
)
_MODAL = re.compile(r"\b(?:would|will|could|might|may|should|to be)\b")
_IN_AT = re.compile(r"\b(?:in|at|near|inside|outside|from)\s+(?:the )?$")
_NATIONALS_OF = re.compile(
    r"\b(?:citizens|nationals|residents|natives|passport holders) of\b[\w ,']*$"
)
_TARGET = re.compile(r"\b(?:on|against|targeting|over|for)\b")
_SUBJECT_END = re.compile(r"\b(?:to|from|of|in|on|for|with|against)\s+(?:the\s+)?$")
_RELATIVE = re.compile(r",\s+(?:who|whom)\b")
# A party named only as background to someone or something ("an ally of Russian President
# Putin", "the war in Ukraine") takes no part in the event.
_CONTEXT_BEFORE = re.compile(
    r"\b(?:ally|allies|friend|supporter|supporters|backer|critic|critics|opponent|war|invasion|"
    r"occupation|aggression|conflict|relations|orbit|support|backing|border|envoy|citizens|"
    r"operation|embassy|pressure|prize|award)\s+(?:of|in|with|for|against|on|to|between|from)\s+"
    r"(?:the\s+)?(?:\w+\s+){0,2}$"
)
_CONTEXT_AFTER = re.compile(r"^(?:'s|’s)?\s+(?:war|invasion|conflict|elections?|orbit|economy)\b")
# Words before "in X" that make X the place where something happened, not a party to it.
_VENUE_VERB = re.compile(
    r"\b(?:took place|take place|held|carried out|happened|conducted|hosted|concluded|talks|"
    r"negotiations|meeting|met|meet|airport|summit|ceremony|signed|exchanged|swapped|swap|"
    r"exchange|arrived|landed|touched down)\b[^,;]{0,45}$"
)
_NOT_HOLDER_FROM = re.compile(
    r"\b(?:relief|support|help|aid|assistance|pressure|request|envoy|delegation|officials?|prize|"
    r"award|call|calls|demand|funding|mediation)\s+from\s+(?:the\s+)?$"
)
# Names NER takes for people that are companies, outlets or bodies.
_NOT_PERSON_WORDS = re.compile(
    r"\b(?:Pharma|Inc|Ltd|LLC|Corp|Group|Bank|Holdings?|Airlines?|Media|News|Wire|Press|"
    r"Agency|Foundation|Institute|Ministry|Court|Council|Committee|Party|Union|Prize|Award|"
    r"Medal|Nobel)\b"
)
_MEDIATED_BY = re.compile(
    r"\b(?:mediat\w+ (?:of|by)|brokered by|facilitated by|hosted by|thanks to the mediation of)"
    r"\s+(?:the\s+)?$"
)
_URGED = re.compile(
    r"\b(?:urged|urging|urges|called on|calls on|calling on|pressed|pressing|asked|asking|"
    r"appealed to|demanded that|told)\s+(?:the\s+)?$"
)
AGENT_REACH = int(lexicon.load("events")["thresholds"]["agent_reach"])
_NOT_PERSON_AFTER = re.compile(
    r"^\s+(?:court|courts|police|prison|airport|region|city|district|border|crossing|checkpoint|"
    r"camp|colony|facility|penal|detention|street|square|wire|news|agency|monitor|times|post)\b",
    re.I,
)
# A person named inside a modifier of something else ("the organisation of the late opposition
# leader X", "X's wife") is not whom the event happens to.
_OF_SOMEONE = re.compile(
    r"\b(?:organi[sz]ation|foundation|wife|husband|widow|son|daughter|ally|allies|supporters|team|"
    r"lawyer|spokes\w+|party|movement|campaign|office|headquarters|death|murder|killing|"
    r"channel|associates?|colleagues?) of (?:the )?(?:late |former |jailed |exiled )?[\w -]{0,30}$"
)
_CLAUSE_BREAK = re.compile(
    r"\b(?:after|before|while|when|because|since|but|although|as|that|which|who|whom|if|unless)\b"
    r"|[;:—–]"
)
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being|get|gets|got|getting)\s+(?:\w+ly\s+)?$")
RECEIVER_VERBS = re.compile(r"^(?:returned|returning|returns|brought back|repatriated)\b", re.I)


@dataclass(frozen=True)
class PersonSpan:
    """A PERSON entity in a sentence."""

    start: int
    end: int
    text: str


def classify(sentence: str, parties: Sequence[PartyMention], trigger: int) -> dict[int, set[str]]:
    """Flags per party mention (by index): speaker, mediator, venue, nationality, actor."""
    lex = event_lexicon()
    nouns = actor_nouns()
    flags: dict[int, set[str]] = {}
    for i, p in enumerate(parties):
        f: set[str] = set()
        before = sentence[max(0, p.start - 60) : p.start]
        after = sentence[p.end : p.end + 60]
        # A leading attribution: "X confirmed on Aug. 1 that ..." with the event after it.
        rep = lex.reporting.search(sentence, p.end, min(len(sentence), p.end + 70))
        if (
            rep
            and trigger > rep.end()
            and re.match(
                r",?\s+(?:on [\w.]+(?: \d+\w*)?,?\s+|\w+day,?\s+)?(?:that\s+)?(?!it\b|they\b)\w",
                sentence[rep.end() :],
            )
        ):
            f.add("speaker")
        # A trailing attribution: "..., the U.S. and Salvadoran governments said Friday."
        if p.start > trigger and re.match(
            r"^[\w .'-]{0,40}\b(?:said|says|told|reported|announced|confirmed)\b", after
        ):
            f.add("speaker")
        if re.search(r"\baccording to (?:the )?[\w .'-]{0,30}$", before):
            f.add("speaker")
        nxt = next((q.start for q in parties if q.start > p.end), len(sentence))
        med = lex.mediator.search(sentence, p.end, min(nxt, p.end + 30))
        if (
            med
            or _MEDIATED_BY.search(before)
            or (
                re.search(r"\b(?:with the help of|with)\s+(?:the\s+)?$", before)
                and lex.mediator.search(after[:60])
            )
        ):
            f.add("mediator")
        if re.match(
            r"^(?:'s)?\s*(?:\(\w+\)\s*)?(?:acting as|as an? |provided \w* ?mediation|"
            r"participating as)",
            after,
        ) and lex.mediator.search(after[:60]):
            f.add("mediator")
        if (_IN_AT.search(before) and _VENUE_VERB.search(before)) or (
            p.kind == "capital" and re.search(r"\bcapital,?\s*$", before)
        ):
            f.add("venue")
        if _CONTEXT_BEFORE.search(before[-50:]) or _CONTEXT_AFTER.match(
            sentence[p.end : p.end + 20]
        ):
            f.add("context")
        if p.kind == "adjective":
            nxt = re.match(r"^\s*((?:[\w-]+\s){0,2}[\w-]+)", after)
            words = nxt.group(1) if nxt else ""
            if any(re.search(rf"(?:^| ){re.escape(n)}\b", words) for n in nouns):
                f.add("actor")
            else:
                f.add("nationality")
        elif _NATIONALS_OF.search(before):
            f.add("nationality")
        else:
            f.add("actor")
        flags[i] = f
    return flags


def release_roles(
    sentence: str,
    parties: Sequence[PartyMention],
    flags: dict[int, set[str]],
    t_start: int,
    t_end: int,
    verb: bool,
) -> tuple[list[str], list[str], bool]:
    """(by, to, by-is-subject) of a release: the holder and where people were taken."""
    by: list[str] = []
    subject = False
    to: list[str] = []
    trigger_text = sentence[t_start:t_end]
    receiver_subject = bool(RECEIVER_VERBS.match(trigger_text))
    subject_from = subject_start(sentence, t_start)
    if (
        _PASSIVE.search(sentence[max(0, t_start - 25) : t_start])
        or re.search(r"\bto\s+$", sentence[max(0, t_start - 4) : t_start])
        or trigger_text.lower().startswith("to be")
    ):
        verb = False  # "the detainees are freed", "a measure to release": no agent as subject
    recv = _RECEIVE.search(sentence, 0, t_start)
    for i, p in enumerate(parties):
        f = flags[i]
        before = sentence[: p.start]
        if "mediator" in f:
            continue
        if recv and p.end <= recv.start():
            _add(to, p.code)
            continue
        if _URGED.search(before[-30:]) and re.match(
            r"\s+to\s+(?:\w+\s+)?(?:release|free|pardon)\b", sentence[p.end : p.end + 30]
        ):
            _add(by, p.code)  # "urged Baku to release": the one urged holds the prisoners
            continue
        if f & {"speaker", "context"}:
            continue
        if _DEST.search(before[-80:]) and not _MODAL.search(before[-60:]):
            _add(to, p.code)
        elif (
            (
                _AGENT.search(before[-12:])
                and p.start - t_end < AGENT_REACH
                and "," not in sentence[t_end : p.start]
            )
            or _HELD.search(before[-25:])
            or (
                (_FROM.search(before[-45:]) or re.search(r"\bfrom\s+$", before[-8:]))
                and not _NOT_HOLDER_FROM.search(before[-45:])
            )
        ):
            _add(by, p.code)
        elif (
            verb
            and p.start >= subject_from
            and p.end <= t_start
            and "nationality" not in f
            and not _SUBJECT_END.search(before[-20:])
        ):
            if receiver_subject:
                _add(to, p.code)
            elif not re.search(r"[;:]", sentence[p.end : t_start]):
                _add(by, p.code)
                subject = True
        elif (
            "actor" in f
            and p.kind == "adjective"
            and re.match(r"\s*(?:custody|prisons?|jails?)", sentence[p.end :])
        ):
            _add(by, p.code)
    urged = [
        p.code
        for p in parties
        if _URGED.search(sentence[: p.start][-30:])
        and re.match(r"\s+to\s+(?:\w+\s+)?(?:release|free|pardon)\b", sentence[p.end : p.end + 30])
    ]
    if urged:
        by = urged  # "Tokyo called on Moscow to release X": only the one called on holds X
    to = [c for c in to if c not in by]
    return by, to, subject


def subject_start(sentence: str, t_start: int) -> int:
    """Where the clause of the verb at `t_start` begins (after "a day after", "who", ";")."""
    cut = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, t_start):
        cut = m.end()
    return cut


def detention_roles(
    sentence: str, parties: Sequence[PartyMention], flags: dict[int, set[str]], t_start: int
) -> list[str]:
    """The detaining or sentencing state."""
    by: list[str] = []
    for i, p in enumerate(parties):
        f = flags[i]
        if "context" in f:
            continue
        if f & {"speaker", "mediator", "nationality"} and not (
            "actor" in f
            or re.match(r"\s*(?:courts?|police|authorities|border guards)", sentence[p.end :])
        ):
            continue
        before = sentence[: p.start]
        after = sentence[p.end : p.end + 30]
        if (
            _AGENT.search(before[-12:])
            or re.search(
                r"\b(?:court|courts|prison|jail|custody|police) in (?:the )?$", before[-25:]
            )
            or re.match(
                r"^\s*(?:courts?|police|authorities|border guards|security|prosecutors)", after
            )
            or re.search(
                r"\b(?:arrested|detained|jailed|imprisoned|held|sentenced|convicted|tried) in "
                r"(?:the )?$",
                before[-25:],
            )
        ) or (
            p.start >= subject_start(sentence, t_start)
            and p.end <= t_start
            and "actor" in f
            and not _SUBJECT_END.search(before[-20:])
            and not _PASSIVE.search(sentence[max(0, t_start - 25) : t_start])
        ):
            _add(by, p.code)
    return by


def sanction_roles(
    sentence: str,
    parties: Sequence[PartyMention],
    flags: dict[int, set[str]],
    word_start: int,
    verb: bool,
) -> tuple[list[str], list[str]]:
    """(by, to) of a sanctions mention: who imposes or eases, and on whom."""
    by: list[str] = []
    to: list[str] = []
    target = _TARGET.search(sentence, word_start)
    direct = re.match(r"sanction(?:ing|ed|s)?\s+", sentence[word_start:])
    for i, p in enumerate(parties):
        f = flags[i]
        if "speaker" in f or "context" in f:
            continue
        if direct and p.start == word_start + direct.end():
            _add(to, p.code)  # "is sanctioning Russia's oil companies"
            continue
        gap = sentence[p.end : word_start]
        before = sentence[: p.start]
        if p.end <= word_start and re.fullmatch(r"(?:'s?)?\s*(?:[\w-]+\s){0,2}", gap):
            if re.search(r"\b(?:on|against|targeting)\s+(?:the\s+)?$", before[-14:]):
                _add(to, p.code)
            else:
                _add(by, p.code)  # "US sanctions", "the EU's restrictive measures"
        elif re.search(r"\brelief from (?:the )?$|\bby (?:the )?$", before[-20:]):
            _add(by, p.code)
        elif target and p.start >= target.start() and p.start - target.end() < 70:
            _add(to, p.code)
        elif (
            verb
            and p.end <= word_start
            and not _SUBJECT_END.search(before[-20:])
            and "nationality" not in f
            and not re.search(r"[,;:]", sentence[p.end : word_start])
        ):
            _add(by, p.code)  # the subject, in the same clause as the verb
    by = [c for c in by if c not in to] or by
    if not by:
        # "became possible after the lifting of sanctions": the party left is who lifted them.
        by = [
            p.code
            for i, p in enumerate(parties)
            if p.code not in to
            and "actor" in flags[i]
            and not flags[i] & {"speaker", "mediator", "context", "venue"}
        ][:1]
    if not to:
        rest = [
            p.code
            for i, p in enumerate(parties)
            if p.code not in by and not flags[i] & {"speaker", "mediator", "context"}
        ]
        if rest and by:
            to.append(rest[0])
    return by, [c for c in to if c not in by]


def all_parties(
    parties: Sequence[PartyMention], flags: dict[int, set[str]], keep_mediators: bool
) -> list[str]:
    """Every party taking part (talks, exchanges): not speakers, venues or (for swaps) mediators."""
    out: list[str] = []
    for i, p in enumerate(parties):
        f = flags[i]
        if f & {"speaker", "context"}:
            continue
        if "venue" in f and p.kind in ("capital", "name"):
            continue
        if "mediator" in f and not keep_mediators:
            continue
        _add(out, p.code)
    return out


def event_persons(
    sentence: str,
    persons: Sequence[PersonSpan],
    parties: Sequence[PartyMention],
    t_start: int,
    event_type: str,
) -> list[str]:
    """Named people the event happens to: not leaders, officials or speakers."""
    if event_type not in ("release", "detention", "exchange"):
        return []
    chosen: list[PersonSpan] = []
    for ps in persons:
        if any(p.start <= ps.start < p.end or ps.start <= p.start < ps.end for p in parties):
            continue
        before = sentence[max(0, ps.start - 45) : ps.start]
        after = sentence[ps.end : ps.end + 40]
        if (
            _OFFICIAL.search(before)
            or _SPEAKER_AFTER.match(after)
            or _NOT_PERSON_AFTER.match(after)
            or len(ps.text) < 4
            or _NOT_PERSON_WORDS.search(ps.text)
        ):
            continue
        if _OF_SOMEONE.search(before):
            continue
        if re.search(r"\baccording to\s*$", before) or re.match(
            r"^'s\s+(?:wife|husband|lawyer|son|daughter|mother|father)", after
        ):
            continue
        chosen.append(ps)
    # "Marina Zolotova, who was sentenced ...": a detention in a relative clause is hers alone.
    rel = [
        m
        for m in _RELATIVE.finditer(sentence)
        if m.end() <= t_start and "," not in sentence[m.end() : t_start]
    ]
    if event_type == "detention" and rel:
        owner = [p for p in chosen if p.end <= rel[-1].start() and rel[-1].start() - p.end < 30]
        chosen = owner[-1:]
    return [p.text for p in chosen]


def affiliations(
    sentence: str, persons: Sequence[PersonSpan], parties: Sequence[PartyMention]
) -> dict[str, str]:
    """Surname -> party for officials introduced with their state ("US envoy John Coale")."""
    out: dict[str, str] = {}
    for ps in persons:
        if any(p.start <= ps.start < p.end for p in parties):
            continue  # a leader is a party alias already ("Putin")
        before = sentence[max(0, ps.start - 60) : ps.start]
        if not _TITLE_AFFILIATION.search(before):
            continue
        near = [p for p in parties if ps.start - 60 <= p.start < ps.start]
        after = [
            p
            for p in parties
            if ps.end <= p.start < ps.end + 30
            and re.match(r"^\W*(?:the )?$", sentence[ps.end : p.start])
        ]
        pick = near[-1] if near else (after[0] if after else None)
        if pick is not None and ps.text.split():
            out[ps.text.split()[-1]] = pick.code
    return out


def _add(out: list[str], code: str) -> None:
    """Append a code once."""
    if code not in out:
        out.append(code)
