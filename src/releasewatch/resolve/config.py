"""The resolve stage's tuned constants, read from data/resolve.toml and data/translit.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import lexicon
from ..errors import LexiconError


@dataclass(frozen=True)
class Settings:
    """Every threshold and window of the resolve stage (see data/resolve.toml for each)."""

    slack_days: int
    narrow_days: int
    max_neighbours: int
    past_days: int
    future_days: int
    rel_tolerance: float
    abs_tolerance: float
    open_factor: float
    about_spread: float
    same_day: float
    narrow_overlap: float
    count_equal: float
    count_close: float
    telling_count: int
    person_overlap: float
    sector_equal: float
    party_equal: float
    min_corroboration: float
    same_article_apart: bool
    surname_min: float
    given_min: float
    sentenced: tuple[str, ...]
    cues: tuple[str, ...]
    call_words: frozenset[str]
    sequence_cues: re.Pattern[str]
    condition_cues: re.Pattern[str]
    sentence_pairs: frozenset[tuple[str, str]]
    complementary: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class Translit:
    """Romanisation folding rules (data/translit.toml)."""

    letters: dict[str, str]
    rules: tuple[tuple[re.Pattern[str], str], ...]
    given_names: tuple[tuple[str, ...], ...]


def _get(data: dict[str, Any], file: str, section: str, key: str, kind: type) -> Any:
    """One value of a lexicon table, checked for presence and type."""
    try:
        value = data[section][key]
    except (KeyError, TypeError):
        raise LexiconError(f"data/{file}.toml: missing [{section}] {key}") from None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind):
        raise LexiconError(f"data/{file}.toml: [{section}] {key} must be {kind.__name__}")
    return value


def load_settings() -> Settings:
    """The settings from data/resolve.toml (with the user's overlay)."""
    data = lexicon.load("resolve")

    def num(section: str, key: str) -> float:
        return _get(data, "resolve", section, key, float)

    def words(key: str) -> re.Pattern[str]:
        """Any of a [deals] list of words and phrases, as whole words."""
        items = sorted((str(w).lower() for w in _get(data, "resolve", "deals", key, list)),
                       key=len, reverse=True)  # fmt: skip
        return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in items) + r")\b")

    return Settings(
        slack_days=int(num("time", "slack_days")),
        narrow_days=int(num("time", "narrow_days")),
        max_neighbours=int(num("time", "max_neighbours")),
        past_days=int(num("time", "past_days")),
        future_days=int(num("time", "future_days")),
        rel_tolerance=num("count", "rel_tolerance"),
        abs_tolerance=num("count", "abs_tolerance"),
        open_factor=num("count", "open_factor"),
        about_spread=num("count", "about_spread"),
        same_day=num("score", "same_day"),
        narrow_overlap=num("score", "narrow_overlap"),
        count_equal=num("score", "count_equal"),
        count_close=num("score", "count_close"),
        telling_count=int(num("score", "telling_count")),
        person_overlap=num("score", "person_overlap"),
        sector_equal=num("score", "sector_equal"),
        party_equal=num("score", "party_equal"),
        min_corroboration=num("score", "min_corroboration"),
        same_article_apart=_get(data, "resolve", "score", "same_article_apart", bool),
        surname_min=num("persons", "surname_min"),
        given_min=num("persons", "given_min"),
        sentenced=tuple(_get(data, "resolve", "person_status", "sentenced", list)),
        cues=tuple(str(c).lower() for c in _get(data, "resolve", "deals", "cues", list)),
        call_words=frozenset(
            str(w).lower() for w in _get(data, "resolve", "deals", "call_words", list)
        ),
        sequence_cues=words("sequence_cues"),
        condition_cues=words("condition_cues"),
        sentence_pairs=_pairs(data, "sentence_pairs"),
        complementary=_pairs(data, "complementary"),
    )


def _pairs(data: dict[str, Any], key: str) -> frozenset[tuple[str, str]]:
    """A [deals] list of event-type pairs, both ways round."""
    pairs: set[tuple[str, str]] = set()
    for pair in _get(data, "resolve", "deals", key, list):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise LexiconError(f"data/resolve.toml: [deals] {key} holds pairs of types")
        pairs.add((str(pair[0]), str(pair[1])))
        pairs.add((str(pair[1]), str(pair[0])))
    return frozenset(pairs)


def load_translit() -> Translit:
    """The folding rules from data/translit.toml (with the user's overlay)."""
    data = lexicon.load("translit")
    letters = data.get("letters", {})
    if not isinstance(letters, dict) or not all(isinstance(v, str) for v in letters.values()):
        raise LexiconError("data/translit.toml: [letters] must map letters to strings")
    rules = []
    for i, rule in enumerate(data.get("rules", [])):
        if not (isinstance(rule, list) and len(rule) == 2):
            raise LexiconError(f"data/translit.toml: rules[{i}] must be [pattern, replacement]")
        try:
            rules.append((re.compile(str(rule[0])), str(rule[1])))
        except re.error as exc:
            raise LexiconError(f"data/translit.toml: rules[{i}]: {exc}") from exc
    groups = tuple(tuple(str(n) for n in g) for g in data.get("given_names", []))
    return Translit({str(k): str(v) for k, v in letters.items()}, tuple(rules), groups)
