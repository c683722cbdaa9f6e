"""The event lexicon (data/events.toml) compiled once into regular expressions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import lexicon

FORMS = ("verb", "noun", "adj")
TRIGGER_TYPES = ("release", "detention", "exchange", "talks")


def _any(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One alternation of several patterns."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", flags)


@dataclass(frozen=True)
class EventLexicon:
    """Compiled patterns of the event lexicon."""

    triggers: dict[tuple[str, str], re.Pattern[str]]  # (type, form) -> pattern
    subkinds: tuple[tuple[str, re.Pattern[str]], ...]
    not_talks: re.Pattern[str]
    sanction_words: re.Pattern[str]
    sanction_eased: re.Pattern[str]
    sanction_imposed: re.Pattern[str]
    sanction_window: int
    sanction_not_event: re.Pattern[str]
    discussed: re.Pattern[str]
    agreed: re.Pattern[str]
    occurred: re.Pattern[str]
    human: re.Pattern[str]
    reporting: re.Pattern[str]
    mediator: re.Pattern[str]
    separate: re.Pattern[str]
    sectors: tuple[tuple[str, re.Pattern[str]], ...]
    not_after: re.Pattern[str]
    any_trigger: re.Pattern[str]
    exchange_for_people: re.Pattern[str]


@cache
def event_lexicon() -> EventLexicon:
    """The compiled event lexicon (bundled data merged with the user's overlay)."""
    data = lexicon.load("events")
    triggers = {}
    for kind in TRIGGER_TYPES:
        for form in FORMS:
            triggers[(kind, form)] = _any(data[kind].get(form, []))
    words = data["words"]
    sanctions = data["sanctions"]
    return EventLexicon(
        triggers=triggers,
        subkinds=tuple((name, re.compile(p, re.I)) for name, p in data["detention"]["subkinds"]),
        not_talks=_any(data["talks"].get("not_talks", [])),
        sanction_words=_any(sanctions["words"]),
        sanction_eased=_any(sanctions["eased"]),
        sanction_imposed=_any(sanctions["imposed"]),
        sanction_window=int(sanctions["window"]),
        sanction_not_event=_any(sanctions["not_event"]),
        discussed=_any(data["status"]["discussed"]),
        agreed=_any(data["status"]["agreed"]),
        occurred=_any(data["status"]["occurred"]),
        human=re.compile(r"\b(?:" + "|".join(words["human"]) + r")\b", re.IGNORECASE),
        reporting=re.compile(r"\b(?:" + words["reporting"] + r")\b"),
        mediator=re.compile(words["mediator"], re.IGNORECASE),
        separate=_any(words["separate"]),
        any_trigger=re.compile(data["prefilter"]["pattern"], re.IGNORECASE),
        not_after=re.compile(
            r"\b(?:" + "|".join(words["not_after"]) + r")"
            r"(?:\s+(?:was|were|is|are|been|being|has been|had been|have been))?\s+$",
            re.IGNORECASE,
        ),
        exchange_for_people=re.compile(
            r"\bin (?:exchange|return) for\b(?:\s+[\w\"“”'-]+){0,5}?\s+(?:"
            + "|".join(w for w in words["human"] if len(w) > 4)
            + r")\b",
            re.IGNORECASE,
        ),
        sectors=tuple(
            (name, re.compile(r"\b(?:" + "|".join(ws) + r")\b", re.IGNORECASE))
            for name, ws in data["sectors"].items()
        ),
    )
