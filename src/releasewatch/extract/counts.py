"""How many people an event covers: numbers next to people nouns, with their qualifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import lexicon
from ..model import Count

_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORD_NUMBER = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(list(_UNITS)[:9]) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"|a hundred|a thousand|a dozen)"
)
_NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORD_NUMBER})(?: (?:hundred|thousand))?"
# Qualifiers as written before a number, and the SCHEMA.md qualifier they mean.
_QUALIFIERS = [
    (r"(?:more than|over|upwards of|in excess of)", "over"),
    (r"at least", "at_least"),
    (r"(?:about|some|nearly|roughly|around|approximately|almost|an estimated|close to)", "about"),
    (r"(?:up to|as many as)", "up_to"),
]
_QUALIFIER = "|".join(f"(?P<q{i}>{p})" for i, (p, _) in enumerate(_QUALIFIERS))
# Words that may stand between a number and its people noun ("10 American citizens").
# Up to three words between a number and its people noun ("18 more political prisoners"), never
# a preposition or a possessive: "three charges in his national security trial" counts no one.
_FILLER = r"(?:(?!(?:in|on|at|for|with|from|by|his|her|their|its|our)\s)[A-Za-z][\w.'-]*\s){0,3}?"


TALLY_REACH = int(lexicon.load("events")["thresholds"]["tally_reach"])
# "at least 1,100 people remain behind bars": the people still held, a stock, not an event size
_STOCK_AFTER = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:remain|remains|are still|still|continue to be|languish)\b", re.I
)


@dataclass(frozen=True)
class CountMention:
    """A count of people in a sentence."""

    start: int
    end: int
    count: Count
    partial: bool  # "nine of those released", "including 40": a part of another count
    tally: bool  # "the total has risen to 156", "there are still about 1,000": not an event size


def number_value(text: str) -> int | None:
    """The integer a number phrase means ("thirty-one" -> 31, "1,400" -> 1400)."""
    t = text.lower().strip()
    mult = 1
    if t in ("a hundred", "a thousand", "a dozen"):
        return {"a hundred": 100, "a thousand": 1000, "a dozen": 12}[t]
    if t.endswith(" hundred"):
        mult, t = 100, t[: -len(" hundred")]
    elif t.endswith(" thousand"):
        mult, t = 1000, t[: -len(" thousand")]
    if re.fullmatch(r"[\d,]+", t):
        return int(t.replace(",", "")) * mult
    parts = re.split(r"[- ]", t)
    total = 0
    for part in parts:
        if part in _TENS:
            total += _TENS[part]
        elif part in _UNITS:
            total += _UNITS[part]
        else:
            return None
    return total * mult


@cache
def _pattern() -> re.Pattern[str]:
    """Qualifier? number filler people-noun."""
    words = lexicon.load("events")["words"]
    human = "|".join(
        w
        for w in words["human"]
        if w
        not in (
            "him",
            "her",
            "them",
            "he",
            "she",
            "they",
            "those",
            "whom",
            "who",
            "everyone",
            "all",
        )
    )
    demonyms = [
        a
        for aliases in lexicon.load("parties").get("adjectives", {}).values()
        for a in aliases
        if a.endswith("s") and not a.endswith("ss")
    ]
    human = "|".join([human, *map(re.escape, demonyms)])
    return re.compile(
        rf"(?:(?:{_QUALIFIER})\s)?(?P<n>(?<![\w.,-]){_NUMBER})"
        r"(?![\d,.-]\d|-year|%| years?\b| percent)"
        rf"\s{_FILLER}(?P<noun>{human})\b",
        re.IGNORECASE,
    )


@cache
def _tally() -> re.Pattern[str]:
    """Words before a count that make it a tally or a stock figure."""
    return re.compile("|".join(lexicon.load("events")["words"]["not_count"]), re.IGNORECASE)


# Words before a four-digit number that make it a year ("in December 2018 by Russian
# authorities", "since 2020"), never a number of people.
_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|from|until|till|by|of|early|late|mid|summer|spring|autumn|fall|winter|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?,?\s*$",
    re.IGNORECASE,
)


# "N others" is a number of people beside someone named or pointed to just before it.
_BESIDE_NAMED = re.compile(r"\b(?:and|with)\s+$", re.IGNORECASE)


def find_counts(sentence: str) -> list[CountMention]:
    """Every count of people in a sentence."""
    found = []
    for m in _pattern().finditer(sentence):
        value = number_value(m.group("n"))
        if value is None or value == 0:
            continue
        if m.group("noun").lower() == "others" and not _BESIDE_NAMED.search(
            sentence[: m.start("n")]
        ):
            continue  # "he and five others" counts the five beside him; "five others said" no one
        if (
            re.fullmatch(r"(?:19|20)\d\d", m.group("n"))
            and m.group(0).split()[-1] != m.group("noun")
        ) or (
            re.fullmatch(r"(?:19|20)\d\d", m.group("n"))
            and (
                sentence[m.end("n") + 1 : m.end("n") + 2].isupper()
                or _YEAR_BEFORE.search(sentence[: m.start("n")])
            )
        ):
            continue  # "Iran's 2023 Nobel Peace Prize laureate": a year, not a number of people
        qualifier = "exact"
        for i, (_, name) in enumerate(_QUALIFIERS):
            if m.group(f"q{i}"):
                qualifier = name
        if qualifier == "over" and re.search(
            r"\b(?:hand|hands|handed|handing|turn|turns|turned|turning|took|taken|take|passed)\s*$",
            sentence[: m.start()],
            re.I,
        ):
            qualifier = "exact"  # "handed over 12 citizens": the verb's particle, not a qualifier
        before = sentence[max(0, m.start() - 60) : m.start()]
        after = sentence[m.end("n") : m.end("n") + 25]
        partial = bool(
            re.search(r"\b(?:including|among them|of whom|among whom)\s*$", before, re.I)
            or re.match(r"\s+of (?:those|them|the|whom)\b", after, re.I)
        )
        clause = re.split(r"[,;:—–]", before)[-1][-TALLY_REACH:]
        tally = bool(_tally().search(clause)) and not re.search(r"\ba total of\s*$", before, re.I)
        tally = tally or bool(_STOCK_AFTER.match(sentence[m.end() : m.end() + 40]))
        found.append(CountMention(m.start(), m.end(), Count(value, qualifier), partial, tally))
    return found


_EACH = re.compile(rf"\beach\b[^.,;]{{0,40}}?\b(?P<n>{_NUMBER})\b", re.IGNORECASE)
# "75 for 75", "1,000-for-1,000", and '"1000 by 1000" format' (a by-format names its kind)
_N_FOR_N = re.compile(
    rf"\b(?P<a>{_NUMBER})(?:[- ]for[- ]|[- ]by[- ](?=\d[\d,]*[\"”]?\s+(?:format|exchange|swap)))"
    rf"(?P<b>{_NUMBER})\b",
    re.IGNORECASE,
)
_IN_RETURN = re.compile(r"\bin (?:exchange|return) for\b", re.IGNORECASE)


def exchange_count(sentence: str, counts: list[CountMention]) -> Count | None:
    """The total of people swapped, when the sentence states both sides or the total."""
    m = _N_FOR_N.search(sentence)
    if m:
        a, b = number_value(m.group("a")), number_value(m.group("b"))
        if a and b:
            return Count(a + b, "exact")
    m = _EACH.search(sentence)
    if m and (n := number_value(m.group("n"))):
        return Count(2 * n, "exact")
    usable = [c for c in counts if not c.partial and not c.tally]
    link = _IN_RETURN.search(sentence)
    if link and usable:
        left = [c for c in usable if c.end <= link.start()]
        right = [c for c in usable if c.start >= link.end()]
        if left and right:
            return Count(left[-1].count.value + right[0].count.value, "exact")
        return None
    total = re.search(rf"\btotal of (?P<n>{_NUMBER})\b", sentence, re.I)
    if total and (n := number_value(total.group("n"))):
        return Count(n, "exact")
    return None  # one number alone is one side's (SCHEMA.md); the frame's own patient may say
