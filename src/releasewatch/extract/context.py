"""The context around a frame that the parse does not give: topic words, genres, set phrases.

Every list and pattern lives in data/frames.toml [context]; this module only compiles them.
"""

from __future__ import annotations

import re
from collections import Counter

from .. import lexicon
from ..parties import find_parties
from .text import Sentence

OTHER_GENRE_WORDS = int(lexicon.load("events")["thresholds"]["other_genre_words"])


def word_pattern(words: list[str]) -> re.Pattern[str]:
    """Words on word boundaries, case-insensitive; a trailing "*" makes an entry a stem."""
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


@lexicon.derived
def words(name: str) -> re.Pattern[str]:
    """The compiled word list `name` of [context]."""
    return word_pattern(lexicon.load("frames")["context"][name])


@lexicon.derived
def political() -> re.Pattern[str]:
    """The words of political stories ([scope] political_context), on word boundaries."""
    return word_pattern(lexicon.load("frames")["scope"]["political_context"])


@lexicon.derived
def pattern(name: str) -> re.Pattern[str]:
    """The compiled pattern `name` of [context.patterns]."""
    return re.compile(lexicon.load("frames")["context"]["patterns"][name])


@lexicon.derived
def _source_count() -> re.Pattern[str]:
    return re.compile(r"\s*" + words("source_count").pattern, re.IGNORECASE)


def source_after(text: str) -> bool:
    """True when a number is followed by "familiar with", "said": a count of sources."""
    return _source_count().match(text) is not None


@lexicon.derived
def _subkinds() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Detention sub-kinds in order (data/events.toml [detention] subkinds)."""
    return tuple(
        (name, re.compile(p, re.I)) for name, p in lexicon.load("events")["detention"]["subkinds"]
    )


@lexicon.derived
def human_words() -> re.Pattern[str]:
    """Nouns for people (data/events.toml [words] human)."""
    found = lexicon.load("events")["words"]["human"]
    return re.compile(r"\b(?:" + "|".join(found) + r")\b", re.IGNORECASE)


def subkind(phrase: str) -> str:
    """Arrest, court (charge, trial, sentence) or re-arrest: what kind of detention the phrase
    of a trigger (its own words, without its conjuncts) tells."""
    for name, found in _subkinds():
        if found.search(phrase):
            return name
    return "arrest"


def other_genre(text: str) -> bool:
    """A film review, a band's tour, a football transfer: dense with words of another genre."""
    return (
        len(words("other_genres").findall(text))
        >= OTHER_GENRE_WORDS + len(human_words().findall(text)) // 8
    )


def fold(text: str) -> str:
    """Lower-case words only, for comparing a sentence with the title."""
    return " ".join(re.findall(r"\w+", text.lower()))


def clause_end(text: str, pos: int) -> str:
    """`text` up to the end of the clause holding `pos`."""
    ends = [i for i in (text.find(",", pos), text.find(";", pos)) if i >= 0]
    return text[: min(ends) if ends else len(text)]


_PRISON_TALK = re.compile(
    r"prison|detain|jail|custody|arrest|court|sentenc|releas|freed|pardon|captiv", re.I
)


def article_holder(sentences: tuple[Sentence, ...] | list[Sentence]) -> str | None:
    """The state most often named as an actor where prisons, arrests and releases are spoken of."""
    tally: Counter[str] = Counter()
    first: dict[str, int] = {}
    for s in sentences:
        weight = 2 if _PRISON_TALK.search(s.text) else 1
        for p in find_parties(s.text):
            if p.code in ("EU", "UN"):
                continue
            tally[p.code] += weight
            first.setdefault(p.code, s.start + p.start)
    if not tally:
        return None
    return max(tally, key=lambda c: (tally[c], -first[c]))
