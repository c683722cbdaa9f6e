"""Drafts: one event as one sentence states it, before the mentions of an article are merged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model import Count
from .text import Sentence


@dataclass
class Draft:
    """One event as one sentence states it, before merging (mutable while reading)."""

    type: str
    status: str
    strong: bool
    sentence: Sentence
    t_start: int  # trigger offsets within the sentence
    t_end: int
    by: list[str] = field(default_factory=list)
    to: list[str] = field(default_factory=list)
    count: Count | None = None
    side_count: Count | None = None  # a release folded into a swap: the size of its side
    persons: list[str] = field(default_factory=list)
    sector: str | None = None
    date: str | None = None
    date_key: tuple = (None, None, None)
    date_explicit: bool = False
    date_text: str | None = None
    default_date: str | None = None
    subkind: str | None = None
    separate: bool = False
    other_agent: bool = False  # acted by a named body that is no state ("set by the G7")
    additive: bool = False  # "was also released": more people of a happening told before
    ordinal: str | None = None  # "the 19th package", "a second round": which of a series
    negated: bool = False  # told as not done ("was not released", "would not free")
    attach: bool = False
    count_unknown: bool = False  # "an unspecified number": the count is known to be unknown
    agent_subject: bool = False  # `by` is the subject of an active verb ("Maduro released")
    history: bool = False  # told as history ("Since 2020 ..."): adds to an event, makes none
    attribution: str | None = None
    confidence: float = 1.0
    own_target: bool = False
    political: bool = False
    nationality: list[str] = field(default_factory=list)  # of the patients ("five Americans")
    tokens: list[int] = field(default_factory=list)  # the words of the event in the parse
    was_strong: bool = False  # stated an event before it was folded into a swap as one side
    joins_only: bool = False  # adds to an event another mention states, never makes one
    names_the_counted: bool = False  # names the people of a release of as many, told unnamed
    journey: bool = False  # the freed on their way ("222 inmates flew to Washington")
    by_from_place: bool = False  # `by` is only where it happened ("released in Minsk")


@dataclass(frozen=True)
class ArticleContext:
    """What the whole article tells the merging of its drafts."""

    text: str
    sentences: tuple[Sentence, ...]
    published: date | None
    full_names: dict[str, str]  # surname -> the full name the article gives
    spellings: dict[str, str]  # a name folded (names.name_key) -> its first spelling in the text
    political: bool  # the story names a political context twice (a regime, hostages, treason)
    default_attribution: str | None
