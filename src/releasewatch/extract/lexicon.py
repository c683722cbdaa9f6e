"""The frame lexicon (data/frames.toml) compiled once into sets and tables keyed by lemma."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import lexicon
from ..errors import LexiconError

STATUSES = ("discussed", "agreed", "occurred")


@dataclass(frozen=True)
class Trigger:
    """One named trigger entry: lemmas of one part of speech that can state an event type."""

    name: str
    type: str  # an event type; sanctions triggers are "sanctions_imposed"
    pos: str  # "verb" or "noun"
    lemmas: frozenset[str]
    particles: frozenset[str] = frozenset()  # one must hang on the verb ("" = none needed)
    objects: frozenset[str] = frozenset()  # one must be the verb's (prepositional) object
    with_words: frozenset[str] = frozenset()  # one must stand in the verb's phrase too
    subject_role: str = "agent"  # the role of an active verb's subject ("received a sentence")
    needs: str | None = None  # "people" or "captives": what the patient must be
    forms: tuple[str, ...] = ()  # irregular surface forms, for the prefilter
    joins: bool = False  # adds to an event another mention states, never makes one


@dataclass(frozen=True)
class Governors:
    """Words in a trigger's clause chain that set one status."""

    verbs: frozenset[str]
    nouns: frozenset[str]
    adjectives: frozenset[str]
    modals: frozenset[str]


@dataclass(frozen=True)
class FrameLexicon:
    """Everything the frame reader looks words up in."""

    triggers: tuple[Trigger, ...]
    by_lemma: dict[tuple[str, str], tuple[Trigger, ...]]  # (pos, lemma) -> triggers
    governors: dict[str, Governors]  # status -> its governing words
    agentive: frozenset[str]  # governing verbs whose subject is the agent of a noun trigger
    occurred_preps: frozenset[str]
    done_infinitive: frozenset[str]  # governors whose infinitive was done ("decided to")
    conditional_markers: frozenset[str]
    topic_preps: frozenset[str]
    negation: frozenset[str]
    reporting_verbs: frozenset[str]
    hedges: frozenset[str]
    unconfirmed: tuple[str, ...]
    roles: dict[str, frozenset[str]]
    nouns: dict[str, frozenset[str]]
    sanction_nouns: frozenset[str]
    sanction_verbs: frozenset[str]
    sanction_needs_modifier: dict[str, frozenset[str]]
    sanction_imposed: frozenset[str]
    sanction_eased: frozenset[str]
    sanction_imposed_nouns: frozenset[str]
    sanction_eased_nouns: frozenset[str]
    sanction_permit_nouns: frozenset[str]  # easings that favour a third party ("a waiver")
    sanction_standalone: frozenset[str]  # easing nouns that need no sanctions word ("waiver")
    sanction_imposed_modifiers: frozenset[str]
    sanction_eased_particles: dict[str, frozenset[str]]
    sanction_stative: frozenset[str]
    sanction_reversal: frozenset[str]
    sanction_governors: frozenset[str]  # verbs that state the act of an action noun
    sectors: tuple[tuple[str, tuple[str, ...]], ...]  # sector -> lemmas / company names
    scope_words: tuple[str, ...]
    political_captives: frozenset[str]  # patients political by what they are (a hostage)
    separate: frozenset[str]  # modifiers that mark another happening
    separate_not_sanctions: frozenset[str]  # ... but state the act on a sanctions noun ("new")
    additive: frozenset[str]  # adverbs that add people to a happening told before ("also")
    mutual: frozenset[str]  # modifiers that make a release a swap ("mutual release")
    quid_pro_quo: frozenset[str]  # "in exchange for", "in return for"
    circumstance_heads: frozenset[str]  # "as a result of talks": talks as a circumstance
    vetoes: dict[str, str]  # veto name -> the reason a user reads
    name_entities: frozenset[str]  # entity labels of names a trigger word may stand in
    surface_lemmas: dict[str, str]  # inflected form -> trigger lemma ("freed" -> "free")


def _words(table: dict[str, Any], key: str, where: str) -> frozenset[str]:
    """A list of words from a table, lower-cased, as a set; names the key when it is wrong."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"data/frames.toml: [{where}] {key} must be a list of strings")
    return frozenset(v.lower() for v in value)


def _trigger(entry: dict[str, Any]) -> Trigger:
    """One [[trigger]] table."""
    name = entry.get("name")
    if not name or entry.get("type") is None or entry.get("pos") not in ("verb", "noun"):
        raise LexiconError(
            f"data/frames.toml: trigger {name or entry!r} needs name, type and pos (verb|noun)"
        )
    where = f"trigger {name}"
    return Trigger(
        name=str(name),
        type=str(entry["type"]),
        pos=str(entry["pos"]),
        lemmas=_words(entry, "lemmas", where),
        particles=_words(entry, "particle", where),
        objects=_words(entry, "object", where),
        with_words=_words(entry, "with", where),
        subject_role=str(entry.get("subject", "agent")),
        needs=entry.get("needs"),
        forms=tuple(str(f).lower() for f in entry.get("forms", [])),
        joins=bool(entry.get("joins", False)),
    )


@lexicon.derived
def frame_lexicon() -> FrameLexicon:
    """The compiled frame lexicon (bundled data merged with the user's overlay)."""
    data = lexicon.load("frames")
    triggers = tuple(_trigger(t) for t in data.get("trigger", []))
    by_lemma: dict[tuple[str, str], list[Trigger]] = {}
    for t in triggers:
        for lemma in t.lemmas:
            by_lemma.setdefault((t.pos, lemma), []).append(t)
    gov = data["governors"]
    governors = {
        status: Governors(
            verbs=_words(gov[status], "verbs", f"governors.{status}"),
            nouns=_words(gov[status], "nouns", f"governors.{status}"),
            adjectives=_words(gov[status], "adjectives", f"governors.{status}"),
            modals=_words(gov[status], "modals", f"governors.{status}"),
        )
        for status in STATUSES
    }
    sanctions = data["sanctions"]
    return FrameLexicon(
        triggers=triggers,
        by_lemma={k: tuple(v) for k, v in by_lemma.items()},
        governors=governors,
        agentive=_words(gov, "agentive", "governors"),
        occurred_preps=_words(gov["occurred"], "prepositions", "governors.occurred"),
        done_infinitive=_words(gov["occurred"], "infinitive_verbs", "governors.occurred"),
        conditional_markers=_words(gov["conditional"], "markers", "governors.conditional"),
        topic_preps=_words(gov["conditional"], "topic_prepositions", "governors.conditional"),
        negation=_words(gov["negation"], "words", "governors.negation"),
        reporting_verbs=_words(data["reporting"], "verbs", "reporting"),
        hedges=_words(data["reporting"], "hedges", "reporting"),
        unconfirmed=tuple(data["reporting"].get("unconfirmed", [])),
        roles={k: _words(data["roles"], k, "roles") for k in data["roles"]},
        nouns={k: _words(data["nouns"], k, "nouns") for k in data["nouns"]},
        sanction_nouns=_words(sanctions, "nouns", "sanctions"),
        sanction_verbs=_words(sanctions, "verbs", "sanctions"),
        sanction_needs_modifier={
            k: frozenset(v) for k, v in sanctions.get("needs_modifier", {}).items()
        },
        sanction_imposed=_words(sanctions, "imposed", "sanctions"),
        sanction_eased=_words(sanctions, "eased", "sanctions"),
        sanction_imposed_nouns=_words(sanctions, "imposed_nouns", "sanctions"),
        sanction_eased_nouns=_words(sanctions, "eased_nouns", "sanctions"),
        sanction_permit_nouns=_words(sanctions, "permit_nouns", "sanctions"),
        sanction_standalone=_words(sanctions, "standalone_eased", "sanctions"),
        sanction_imposed_modifiers=_words(sanctions, "imposed_modifiers", "sanctions"),
        sanction_eased_particles={
            k: frozenset(v) for k, v in sanctions.get("eased_particles", {}).items()
        },
        sanction_stative=_words(sanctions, "stative_governors", "sanctions"),
        sanction_reversal=_words(sanctions, "reversal_verbs", "sanctions"),
        sanction_governors=_words(sanctions, "action_governors", "sanctions"),
        sectors=tuple(
            (name, tuple(w.lower() for w in words)) for name, words in data["sectors"].items()
        ),
        scope_words=tuple(data["scope"]["words"]),
        political_captives=_words(data["scope"], "political_captives", "scope"),
        separate=_words(data["separate"], "words", "separate"),
        separate_not_sanctions=_words(data["separate"], "sanctions_acts", "separate"),
        additive=_words(data.get("additive", {"words": []}), "words", "additive"),
        mutual=_words(data["idioms"], "mutual", "idioms"),
        quid_pro_quo=_words(data["idioms"], "quid_pro_quo", "idioms"),
        circumstance_heads=_words(data["idioms"], "circumstance_heads", "idioms"),
        vetoes={str(k): str(v) for k, v in data.get("vetoes", {}).items()},
        name_entities=frozenset(str(v) for v in data.get("entities", {}).get("names", [])),
        surface_lemmas={
            form: lemma
            for t in triggers
            for lemma in sorted(t.lemmas)
            for form in surface_forms(lemma)
        },
    )


def surface_forms(lemma: str) -> set[str]:
    """The regular English inflections of a lemma ("free" -> frees, freed, freeing)."""
    forms = {lemma}
    if " " in lemma or not lemma.isalpha():
        return forms
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    else:
        suffix_s = "es" if lemma.endswith(("s", "x", "z", "ch", "sh")) else "s"
        forms |= {lemma + suffix_s, lemma + "ed", lemma + "ing"}
        if re.fullmatch(r"[^aeiou]*[aeiou][bdfgklmnprstvz]", lemma):
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # swap -> swapped
    return forms
