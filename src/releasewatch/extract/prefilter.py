"""The cheap first look: one compiled scan, built from the frame lexicon, over whole articles.

Real news is mostly off-topic. Before any tokenising, an article is read only when its text
names this ledger's topic often enough (scope words: prisoners, detention, sanctions, ...) and
holds at least one trigger word; then only its sentences with a trigger word are parsed. Both
scans are built from data/frames.toml (every inflection of every trigger lemma), so a lemma a
user adds to the lexicon is found here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lexicon
from .lexicon import frame_lexicon, surface_forms

# Sentences that add people to an event without a trigger word of their own.
_ATTACH_WORDS = ("among them", "among those", "list included", "those freed", "those released")


@dataclass(frozen=True)
class Scope:
    """Whether an article is read, and why."""

    read: bool
    scope_hits: int
    triggers: int
    reason: str


def _trie_pattern(words: set[str]) -> str:
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


@lexicon.derived
def trigger_words() -> frozenset[str]:
    """Every surface form of every trigger and sanctions word in the lexicon."""
    lex = frame_lexicon()
    words: set[str] = set()
    for t in lex.triggers:
        for lemma in t.lemmas:
            words |= surface_forms(lemma)
        words |= set(t.forms)
    for lemma in lex.sanction_nouns | lex.sanction_verbs:
        words |= surface_forms(lemma)
    return frozenset(w for w in words if w)


@lexicon.derived
def _trigger_scan() -> re.Pattern[str]:
    body = _trie_pattern(set(trigger_words()))
    attach = "|".join(re.escape(w) for w in _ATTACH_WORDS)
    return re.compile(rf"\b(?:{body})\b|\d-for-\d|\b(?:{attach})\b", re.IGNORECASE)


@lexicon.derived
def _scope_scan() -> re.Pattern[str]:
    """Topic words on word boundaries; "stem*" entries match any ending."""
    parts = [
        re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w)
        for w in frame_lexicon().scope_words
    ]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


@lexicon.derived
def _limits() -> tuple[int, int]:
    scope = lexicon.load("frames")["scope"]
    return int(scope["min_hits"]), int(scope["brief_words"])


def article_scope(text: str) -> Scope:
    """Whether an article's text is worth reading for events at all."""
    if not _trigger_scan().search(text):
        return Scope(False, 0, 0, "no trigger word")
    hits = len(_scope_scan().findall(text))
    least, brief = _limits()
    if hits >= least or (hits and text.count(" ") < brief):
        return Scope(True, hits, 1, "on topic")
    return Scope(False, hits, 1, f"{hits} topic word(s), fewer than {least}")


def is_candidate(sentence: str) -> bool:
    """True when a sentence holds a trigger word (only those are parsed)."""
    return _trigger_scan().search(sentence) is not None


def trigger_spans(sentence: str) -> list[tuple[int, int]]:
    """Where the trigger words of a sentence are (for `explain`)."""
    return [m.span() for m in _trigger_scan().finditer(sentence)]
