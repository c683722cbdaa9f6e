"""The cheap first look: one compiled scan, built from the frame lexicon, over whole articles.

Real news is mostly off-topic. Before any tokenising, an article is read only when its text
names this ledger's topic often enough (scope words: prisoners, detention, sanctions, ...) and
holds at least one trigger; then only its sentences with a trigger are parsed. Both decisions
come from one scan of the lower-cased text with one regular expression built from
data/frames.toml (every inflection of every trigger lemma, and the words a trigger needs beside
it), so a lemma a user adds to the lexicon is found here too.

A trigger that needs a word beside its verb ("found guilty", "gave a prison sentence", "is on
trial", "an asset freeze") is a candidate only where that word is there too: "is", "gave" and
"found" alone make no sentence worth parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .. import lexicon
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
    found = scanner.pattern.findall(low)
    triggers = _satisfied(_words(found), scanner.keys)
    if not triggers and not any(w in low for w in _ATTACH_WORDS):
        return Scope(False, 0, 0, "no trigger word")
    hits = sum(1 for w in found if _is_scope(w, scanner))
    least, brief = _limits()
    if hits >= least or (hits and text.count(" ") < brief):
        return Scope(True, hits, len(triggers), "on topic")
    return Scope(False, hits, len(triggers), f"{hits} topic word(s), fewer than {least}")


def is_candidate(sentence: str) -> bool:
    """True when a sentence holds a trigger with the words it needs (only those are parsed)."""
    low = sentence.lower()
    scanner = _scanner()
    if _satisfied(_words(scanner.pattern.findall(low)), scanner.keys):
        return True
    return any(w in low for w in _ATTACH_WORDS) or ("-for-" in low and bool(_N_FOR_N.search(low)))


def trigger_spans(sentence: str) -> list[tuple[int, int]]:
    """Where the words of the sentence's satisfied triggers are (for `explain`)."""
    scanner = _scanner()
    matches = list(scanner.pattern.finditer(sentence.lower()))
    keys = _satisfied(_words([m.group(0) for m in matches]), scanner.keys)
    forms = {w for k in keys for w in k.forms}
    return [m.span() for m in matches if m.group(0).split()[0] in forms]
