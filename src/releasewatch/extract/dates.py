"""Date expressions in a sentence, resolved against the publication date.

Absolute expressions ("November 22", "Aug. 1, 2024", "July 2021") are parsed by dateparser
with the publication date as its base (never today's date); weekdays and relative words are
resolved here, because news uses "on Saturday" for the same day as a Saturday dateline,
which dateparser would put a week earlier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from .counts import number_value
from .draft import Draft
from .lexicon import frame_lexicon

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"

# A bare month or year is a date only after one of these words ("in May", not "may").
_AFTER_PREP = (
    "(?:"
    + "|".join(
        rf"(?<=\b[{w[0]}{w[0].upper()}]{w[1:]} )"
        for w in (
            "in",
            "since",
            "from",
            "until",
            "of",
            "during",
            "by",
            "early",
            "late",
            "end of",
            "last",
            "next",
        )
    )
    + ")"
)

_EXPRESSIONS = [
    ("mdy", rf"\b{_MONTH} ?{_DAY},? {_YEAR}\b"),
    ("dmy", rf"\b{_DAY} {_MONTH},? {_YEAR}\b"),
    ("md", rf"(?<![\w-])(?:the end of |late |early |mid-)?{_MONTH} ?{_DAY}\b(?!,? ?{_YEAR})"),
    ("dm", rf"\b{_DAY} (?:of )?{_MONTH}\b(?!,? {_YEAR})"),
    ("my", rf"\b(?:(?:the )?(?:end|beginning|middle) of |late |early |mid-)?{_MONTH},? {_YEAR}\b"),
    ("m", rf"{_AFTER_PREP}{_MONTH}(?!\w|\.\w| ?\d)"),
    ("y", rf"{_AFTER_PREP}{_YEAR}\b"),
    (
        "wd",
        r"\b(?:(?:last|this|late|early|on) )?(?:Monday|Tuesday|Wednesday|Thursday|Friday"
        r"|Saturday|Sunday)(?:'s)?(?: (?:night|morning|evening|afternoon))?"
        r"(?: and (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))?\b",
    ),
    (
        "rel",
        # "Today, ...", "Last month, ...": a sentence may open with any of them
        r"\b(?:(?i:today|yesterday|tonight)|(?i:t)his (?:morning|evening|afternoon)"
        r"|(?i:last|this) weekend"
        r"|(?i:last|this|earlier this|later this) "
        r"(?:week|month|year|summer|spring|autumn|fall|winter)"
        r"|(?:\w+|\d+) (?:days|weeks) ago)\b",
    ),
]
_PATTERN = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _EXPRESSIONS))
# Words before a date that make it something other than when the event happened.
_NOT_EVENT_BEFORE = re.compile(
    r"(?:\buntil|\btill|\bthrough|\bby the end of|\bdeadline|\bsince(?: [\w'’]+){0,3}"
    r"|\bsaid|\bsays|\btold \w+"
    r"|\breported|\bannounced|\bstatement|\bborn|\baged?)\W*(?:on\W+)?$",
    re.IGNORECASE,
)
_IN_PRISON_SINCE = re.compile(r"\b(?:in (?:prison|jail|custody)|behind bars|detained) since\W*$")


@dataclass(frozen=True)
class DateMention:
    """A date expression: where it is, and what it resolves to."""

    start: int
    end: int
    text: str
    value: str | None  # YYYY-MM-DD, YYYY-MM or YYYY; None when it cannot be resolved
    key: tuple[int | None, int | None, int | None]  # (year, month, day) as far as known
    event_date: bool  # False when the frame says it is not when the event happened
    multi_day: bool = False


@cache
def _parse_day(text: str, base: datetime) -> date | None:
    """A day and month with no year, placed by dateparser in the year before `base`."""
    import dateparser  # on first use: its import takes a while, and many texts need it not

    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _month_number(text: str) -> int | None:
    """The month named in `text`, if any."""
    m = re.search(_MONTH, text)
    return _MONTHS.get(m.group(0)[:3].lower()) if m else None


def _weekday(text: str, published: date | None) -> tuple[str | None, tuple, bool]:
    """Resolve "on Saturday" to the last such day on or before publication."""
    names = [w for w in _WEEKDAYS if w in text.lower()]
    multi = len(names) > 1
    if published is None:
        return None, (None, None, None), multi
    target = _WEEKDAYS.index(names[-1])
    back = (published.weekday() - target) % 7
    if text.lower().startswith("last ") and back == 0:
        back = 7
    day = published - timedelta(days=back)
    if multi:
        return f"{day:%Y-%m}", (day.year, day.month, None), True
    return day.isoformat(), (day.year, day.month, day.day), False


def _relative(text: str, published: date | None) -> tuple[str | None, tuple]:
    """Resolve "today", "last week", "this year" and the like."""
    if published is None:
        return None, (None, None, None)
    low = text.lower()
    if low in ("today", "tonight") or (
        low.startswith("this ") and low.endswith(("morning", "evening", "afternoon"))
    ):
        return published.isoformat(), (published.year, published.month, published.day)
    if low == "yesterday":
        d = published - timedelta(days=1)
        return d.isoformat(), (d.year, d.month, d.day)
    if low.endswith("month"):
        d = published.replace(day=1)
        if low.startswith("last"):
            d = (d - timedelta(days=1)).replace(day=1)
        return f"{d:%Y-%m}", (d.year, d.month, None)
    if low.endswith("weekend"):
        d = published - timedelta(days=(published.weekday() - 5) % 7 or 7)
        return f"{d:%Y-%m}", (d.year, d.month, None)
    if low.endswith("week") or low.endswith("ago"):
        d = published - timedelta(days=7 if "last" in low or "ago" in low else 0)
        return f"{d:%Y-%m}", (d.year, d.month, None)
    if low.endswith("year"):
        y = published.year - (1 if low.startswith("last") else 0)
        return str(y), (y, None, None)
    y = published.year - (1 if low.startswith("last") else 0)
    return str(y), (y, None, None)


def _absolute(kind: str, text: str, published: date | None) -> tuple[str | None, tuple]:
    """Resolve a calendar expression; a day and month with no year need the publication date."""
    clean = re.sub(
        r"\b(?:the end of|beginning of|middle of|end of|late|early|mid-|in|since|"
        r"from|until|of|during|by|the)\b",
        " ",
        text,
    ).strip(" ,-")
    month = _month_number(clean)
    year_m = re.search(_YEAR, clean)
    day_m = re.search(rf"(?<![\d])({_DAY})(?![\d])", re.sub(_YEAR, "", clean))
    day = (
        int(re.sub(r"\D", "", day_m.group(1)))
        if day_m and kind in ("mdy", "dmy", "md", "dm")
        else None
    )
    year = int(year_m.group(0)) if year_m else None
    if year is None and published is not None and month is not None:
        base = datetime(published.year, published.month, published.day)
        parsed = _parse_day(clean, base) if day else None
        if parsed is not None:
            return parsed.isoformat(), (parsed.year, parsed.month, parsed.day)
        year = published.year if month <= published.month else published.year - 1
    if year is None:
        return None, (None, month, day)
    if month is None:
        return str(year), (year, None, None)
    if day is None:
        return f"{year:04d}-{month:02d}", (year, month, None)
    try:
        return date(year, month, day).isoformat(), (year, month, day)
    except ValueError:
        return f"{year:04d}-{month:02d}", (year, month, None)


def find_dates(sentence: str, published: date | None) -> list[DateMention]:
    """Every date expression in a sentence, resolved where the publication date allows."""
    found: list[DateMention] = []
    for m in _PATTERN.finditer(sentence):
        kind = m.lastgroup or ""
        text = m.group(0)
        multi = False
        if kind == "wd":
            value, key, multi = _weekday(text, published)
        elif kind == "rel":
            value, key = _relative(text, published)
        else:
            value, key = _absolute(kind, text, published)
        before = sentence[max(0, m.start() - 40) : m.start()]
        event_date = not _NOT_EVENT_BEFORE.search(before) or bool(_IN_PRISON_SINCE.search(before))
        if kind in ("m", "y") and re.search(r"\b(?:since|until|by) $", before):
            event_date = bool(_IN_PRISON_SINCE.search(before))
        found.append(DateMention(m.start(), m.end(), text, value, key, event_date, multi))
    return found


def parse_published(value: str | None) -> date | None:
    """A record's YYYY-MM-DD publication date as a date, or None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def compatible(a: tuple, b: tuple) -> bool:
    """True when two (year, month, day) keys can name the same day."""
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))


def precision(value: str | None) -> int:
    """How precise a date value is: 0 none, 1 year, 2 month, 3 day."""
    return 0 if not value else {4: 1, 7: 2, 10: 3}.get(len(value), 0)


# ------------------------------------------------------------- dates of drafts


def set_date(d: Draft, dm: DateMention) -> None:
    """Give a draft the date a date mention resolves to."""
    d.date_explicit = True
    d.date_text = re.sub(r"^(?:on|last|this) |'s$|’s$", "", dm.text.lower())
    d.date_key = dm.key
    d.date = dm.value
    if dm.multi_day and dm.value:
        d.date = dm.value[:7]


def noun_governor(noun: Any) -> Any:
    """The verb a noun trigger is the object, subject or prepositional object of."""
    node = noun
    for _ in range(5):
        head = node.head
        if head.i == node.i:
            return None
        if head.pos_ in ("VERB", "AUX"):
            return head
        if node.dep_ not in ("pobj", "prep", "compound", "conj"):
            return None
        node = head
    return None


_UNIT_DAYS = {"day": 1, "week": 7, "hour": 0, "night": 1}


def _offset_days(clause: Any) -> int | None:
    """The days an "N days after/before" clause stands from its main clause ("a day after")."""
    for child in clause.children:
        if child.dep_ == "npadvmod" and child.lemma_.lower() in _UNIT_DAYS:
            n = 1
            for c in child.children:
                if c.dep_ == "nummod":
                    n = number_value(c.lower_) or 0
            return n * _UNIT_DAYS[child.lemma_.lower()]
    return None


def anchor_relative_dates(doc: Any, drafts: list[Draft]) -> None:
    """Date an event told relative to another of the sentence: "lifted sanctions on Thursday, a
    day after Belarus freed 52" puts the release on Wednesday; "two days before" the other way."""
    by_token = {i: d for d in drafts for i in d.tokens}
    for d in drafts:
        clause = doc[d.tokens[0]]
        if clause.dep_ != "advcl" or clause.head.i not in by_token:
            continue
        mark = next((c.lower_ for c in clause.children if c.dep_ == "mark"), None)
        days = _offset_days(clause)
        main = by_token[clause.head.i]
        if mark not in ("after", "before") or days is None or main is d:
            continue
        sign = -1 if mark == "after" else 1  # the clause's event before (after) the main one
        for known, unknown, step in ((main, d, sign), (d, main, -sign)):
            if unknown.date is None and known.date and len(known.date) == 10:
                day = date.fromisoformat(known.date) + timedelta(days=step * days)
                unknown.date, unknown.date_explicit = day.isoformat(), True
                unknown.date_key = (day.year, day.month, day.day)
                unknown.date_text = f"{days} day(s) {mark} {known.date_text}"


def reporting_verbs(doc: Any, tokens: list[int]) -> list[int]:
    """The reporting verbs ("said", "reported") whose clause holds an event's words."""
    lex = frame_lexicon()
    out = []
    for i in tokens:
        node = doc[i]
        for _ in range(2):
            if node.head.i == node.i or node.dep_ not in ("ccomp", "parataxis"):
                break
            node = node.head
            if node.lemma_.lower() in lex.reporting_verbs:
                out.append(node.i)
                break
            told = [  # "It became known on September 11 that ...": the report is the complement
                c.i
                for c in node.children
                if c.dep_ in ("acomp", "oprd") and c.lemma_.lower() in lex.reporting_verbs
            ]
            if told:
                out.extend([node.i, *told])
                break
    return out


def date_owned(doc: Any, dm: DateMention, tokens: list[int]) -> bool:
    """Whether a date belongs to an event: the date hangs, in the parse, on one of the event's
    words before any other verb ("arrested in 2019 and sentenced in 2021": each its own;
    "Kalesnikava, a leader of the protests in 2020, was freed": not the release's)."""
    span = doc.char_span(dm.start, dm.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    node = span.root
    prep = node.head if node.dep_ == "pobj" else None
    if (
        prep is not None
        and prep.lower_ == "on"
        and prep.head.dep_ in ("nsubj", "nsubjpass")
        and (prep.head.head.i in tokens)
    ):
        return True  # "The European Union on 18 July adopted ...": the parser hung it on the EU
    for _ in range(8):
        if node.i in tokens:
            return True
        if node.pos_ in ("VERB", "AUX") and node.dep_ not in ("aux", "auxpass", "prep"):
            return False  # another verb's date: the report's, an aside's, another event's
        if node.dep_ == "pobj" and node.head.lower_ == "before" and node.i != span.root.i:
            return False  # "imprisoned in Evin before a transfer in June": the later act's date
        if node.head.i == node.i:
            return False
        node = node.head
    return False
