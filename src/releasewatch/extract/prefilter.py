"""The cheap first look: one compiled scan, built from the frame lexicon, over whole articles.

Real news is mostly off-topic. Before any tokenising, an article is read only when its text
names this ledger's topic often enough (scope words: prisoners, detention, sanctions, ...) and
holds at least one trigger; then only its sentences with a trigger are parsed. Both decisions
come from one scan of the lower-cased text with one regular expression built from
data/frames.toml (every inflection of every trigger lemma, and the words a trigger needs beside
it), so a lemma a user adds to the lexicon is found here too.

An article that passes and is no brief gets a second look, only around its triggers: one of
them must stand in a hostage-diplomacy context (a political word, a sanctions word, or two
states named; data/scope.toml), which sets aside ordinary crime and court news before it is
parsed. Most articles are rejected by the first scan alone.

A trigger that needs a word beside its verb ("found guilty", "gave a prison sentence", "is on
trial", "an asset freeze") is a candidate only where that word is there too: "is", "gave" and
"found" alone make no sentence worth parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .. import lexicon
from ..parties import alias_codes
from .lexicon import frame_lexicon, surface_forms

# Sentences that add people to an event without a trigger word of their own.
_ATTACH_WORDS = ("among them", "among those", "list included", "those freed", "those released")
_N_FOR_N = re.compile(r"\d-for-\d")


@dataclass(frozen=True)
class Scope:
    """Whether an article is read, and why."""

    read: bool
    scope_hits: int
    triggers: int
    reason: str


@dataclass(frozen=True)
class _Key:
    """What one trigger needs among a text's words: one of its forms, and one of each group."""

    name: str
    forms: frozenset[str]
    needs: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class _Scanner:
    """The compiled scan and what its matches mean."""

    pattern: re.Pattern[str]
    keys: tuple[_Key, ...]
    scope_exact: frozenset[str]
    scope_stems: tuple[str, ...]


def _trie_pattern(words: Iterable[str]) -> str:
    """One regular expression matching any of `words`, factored by common prefixes (fast in re)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def _inflected(words: Iterable[str]) -> frozenset[str]:
    """Every surface form of every word (nouns and verbs alike: "term" -> "terms")."""
    out: set[str] = set()
    for w in words:
        if w:
            out |= surface_forms(w)
    return frozenset(out)


@lexicon.derived
def _keys() -> tuple[_Key, ...]:
    """What each trigger and sanctions word needs to make a text a candidate."""
    lex = frame_lexicon()
    keys: list[_Key] = []
    for t in lex.triggers:
        needs = []
        if t.particles and "" not in t.particles:
            needs.append(_inflected(t.particles))
        if t.objects:
            needs.append(_inflected(t.objects))
        if t.with_words:
            needs.append(_inflected(t.with_words))
        forms = _inflected(t.lemmas) | frozenset(t.forms)
        keys.append(_Key(t.name, forms, tuple(needs)))
    aimed = lex.roles["target_preps"]  # "lifted restrictions on two banks" needs no modifier
    for lemma in sorted(lex.sanction_nouns | lex.sanction_verbs):
        modifiers = lex.sanction_needs_modifier.get(lemma)
        wanted = (_inflected(modifiers) | aimed,) if modifiers else ()
        keys.append(_Key(f"sanctions:{lemma}", frozenset(surface_forms(lemma)), wanted))
    for lemma in sorted(lex.sanction_standalone):  # "the waiver": sanctions news on its own
        keys.append(_Key(f"sanctions:{lemma}", frozenset(surface_forms(lemma)), ()))
    return tuple(keys)


@lexicon.derived
def trigger_words() -> frozenset[str]:
    """Every surface form of every trigger and sanctions word in the lexicon."""
    return frozenset(w for k in _keys() for w in k.forms)


@lexicon.derived
def _scanner() -> _Scanner:
    keys = _keys()
    scope = frame_lexicon().scope_words
    stems = tuple(w[:-1].lower() for w in scope if w.endswith("*"))
    exact = [w.lower() for w in scope if not w.endswith("*")]
    words = {w for k in keys for w in k.forms} | {w for k in keys for g in k.needs for w in g}
    body = _trie_pattern(sorted(words | set(exact)))
    pattern = re.compile(rf"\b(?:{body})\b|\b(?:{_trie_pattern(sorted(stems))})\w*")
    return _Scanner(pattern, keys, frozenset(exact), stems)


@dataclass(frozen=True)
class _Context:
    """The second look: context words, and how near a trigger they (or states) must be."""

    pattern: re.Pattern[str]
    states: re.Pattern[str]  # every party alias, case-sensitive, as one trie
    codes: dict[str, str]  # alias -> party code
    window: int
    min_states: int
    min_triggers: int
    min_share: float


@lexicon.derived
def _context() -> _Context:
    """data/scope.toml [context], with frames.toml's political words (lower-case scan)."""
    data = lexicon.load("scope")["context"]
    scope = lexicon.load("frames")["scope"]
    entries = [*scope["political_context"], *scope["political_captives"], *data["words"]]
    stems = sorted({w[:-1].lower() for w in entries if w.endswith("*")})
    exact = sorted(_inflected(w.lower() for w in entries if not w.endswith("*")))
    pattern = re.compile(rf"\b(?:{_trie_pattern(exact)})\b|\b(?:{_trie_pattern(stems)})\w*")
    codes = alias_codes()
    # The boundaries of parties.find_parties: an alias ending in "-" ("US-led") needs none after.
    states = re.compile(rf"(?<![\w.-])(?:{_trie_pattern(sorted(codes))})(?:(?<=-)|(?!\w|\.\w))")
    return _Context(
        pattern,
        states,
        codes,
        int(data["window"]),
        int(data["min_states"]),
        int(data["min_triggers"]),
        float(data["min_share"]),
    )


def _in_context(text: str, low: str, spots: list[int]) -> int:
    """How many of the triggers (at `spots` in the text) stand in a hostage-diplomacy context:
    a context word, or `min_states` states, within `window` characters."""
    ctx = _context()
    spans: list[list[int]] = []
    for p in sorted(spots):  # the windows around the triggers, merged
        if spans and p - ctx.window <= spans[-1][1]:
            spans[-1][1] = p + ctx.window
        else:
            spans.append([max(0, p - ctx.window), p + ctx.window])
    count = 0
    for a, b in spans:
        near = [p for p in spots if a <= p < b]
        words = [m.start() for m in ctx.pattern.finditer(low, a, b)]
        states: list[tuple[int, str]] | None = None  # found only where no word is near
        for p in near:
            if not any(abs(w - p) <= ctx.window for w in words):
                if states is None:
                    found = ctx.states.finditer(text, a, b)
                    states = [(m.start(), ctx.codes[m.group(0)]) for m in found]
                codes = {c for at, c in states if abs(at - p) <= ctx.window}
                if len(codes) < ctx.min_states:
                    continue
            count += 1
    return count


def _spots(matches: list[re.Match[str]], triggers: list[_Key]) -> list[int]:
    """Where the words of the satisfied triggers are among the scan's matches (every form,
    a helper verb of "was on trial" too: the thresholds of data/scope.toml count them so)."""
    forms = {w for k in triggers for w in k.forms}
    return [m.start() for m in matches if m.group(0).split()[0] in forms]


def _words(found: list[str]) -> set[str]:
    """The words of the matches; a phrase ("release of") gives its own words too."""
    words = set(found)
    for m in found:
        if " " in m:
            words.update(m.split())
    return words


def _satisfied(words: set[str], keys: Iterable[_Key]) -> list[_Key]:
    """The triggers whose form and needed words are all among `words`."""
    return [
        k
        for k in keys
        if not k.forms.isdisjoint(words) and all(not g.isdisjoint(words) for g in k.needs)
    ]


def _is_scope(word: str, scanner: _Scanner) -> bool:
    return word in scanner.scope_exact or word.startswith(scanner.scope_stems)


@lexicon.derived
def _limits() -> tuple[int, int]:
    scope = lexicon.load("frames")["scope"]
    return int(scope["min_hits"]), int(scope["brief_words"])


def article_scope(text: str) -> Scope:
    """Whether an article's text is worth reading for events at all (one scan of the text)."""
    scanner = _scanner()
    low = text.lower()
    matches = list(scanner.pattern.finditer(low))
    found = [m.group(0) for m in matches]
    triggers = _satisfied(_words(found), scanner.keys)
    attached = [i for w in _ATTACH_WORDS if (i := low.find(w)) >= 0]
    if not triggers and not attached:
        return Scope(False, 0, 0, "no trigger word")
    hits = sum(1 for w in found if _is_scope(w, scanner))
    least, brief = _limits()
    n = len(triggers)
    is_brief = text.count(" ") < brief
    if hits < least and not (hits and is_brief):
        return Scope(False, hits, n, f"{hits} topic word(s), fewer than {least}")
    if is_brief:
        return Scope(True, hits, n, "on topic")
    spots = _spots(matches, triggers) + attached
    ctx = _context()
    near = _in_context(text, low, spots)
    if near < ctx.min_triggers or near < ctx.min_share * len(spots):
        return Scope(False, hits, n, f"{near} of {len(spots)} trigger words in a hostage-diplomacy"
                     f" context, fewer than {ctx.min_triggers} or {ctx.min_share:.0%} (within "
                     f"{ctx.window} characters of a political or sanctions word or of "
                     f"{ctx.min_states} states)")  # fmt: skip
    return Scope(True, hits, n, "on topic")


@lexicon.derived
def _captive_names() -> re.Pattern[str]:
    """A captive noun before a capitalised word ("hostages Morad Tahbaz", "prisoners, Ana")."""
    nouns = _inflected(frame_lexicon().nouns["captives"])
    return re.compile(rf"(?i:\b(?:{_trie_pattern(sorted(nouns))})\b)[,:]?\s+[A-Z]")


def is_candidate(sentence: str) -> bool:
    """True when a sentence holds a trigger with the words it needs (only those are parsed),
    or names people as captives without one ("shows hostages Morad Tahbaz, ...")."""
    low = sentence.lower()
    scanner = _scanner()
    if _satisfied(_words(scanner.pattern.findall(low)), scanner.keys):
        return True
    return (
        any(w in low for w in _ATTACH_WORDS)
        or ("-for-" in low and bool(_N_FOR_N.search(low)))
        or bool(_captive_names().search(sentence))
    )


def trigger_spans(sentence: str) -> list[tuple[int, int]]:
    """Where the words of the sentence's satisfied triggers are (for `explain`)."""
    scanner = _scanner()
    matches = list(scanner.pattern.finditer(sentence.lower()))
    keys = _satisfied(_words([m.group(0) for m in matches]), scanner.keys)
    forms = {w for k in keys for w in k.forms}
    return [m.span() for m in matches if m.group(0).split()[0] in forms]
