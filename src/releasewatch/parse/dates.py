"""Publication dates as pages print them: read to YYYY-MM-DD, never against today's date.

Forms read: "22 Jan 2026", "Thu, January 22nd, 2026", "2026-03-10T08:30Z", "2026/05/04",
"27.04.2026" (a dot is always day.month.year), "03/14/2026" (a slash or hyphen is read
day first unless the numbers or a US time zone on the line say month first). Impossible
dates are rejected, never repaired.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Any

from .. import lexicon

MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_FORMS = (
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS},?\s+\d{{4}}\b",
    rf"\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    # year first: "2026-03-10", "2026-03-10T08:30Z", "2026/05/04", "2026.05.04"
    r"(?<![\d.])\d{4}([-/.])\d{1,2}\1\d{1,2}(?![\d])(?!\.\d)",
    # day or month first with a four-digit year: "27.04.2026", "03/14/2026", "14-03-2026"
    r"(?<![\d.])\d{1,2}([./-])\d{1,2}\2\d{4}(?!\d)",
)
DATE_ANY = re.compile("|".join(f"(?:{form})" for form in _DATE_FORMS), re.IGNORECASE)
_YEAR_FIRST = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})$")
# Time zones printed only by North American sites, whose numeric dates put the month first.
_US_ZONE = re.compile(r"\b(?:E[SD]T|C[SD]T|M[SD]T|P[SD]T|AK[SD]T|H[SD]T|ET|PT|CT)\b")


def parse_published(
    value: str, base: date | None = None, *, month_first: bool = False
) -> str | None:
    """A date string as YYYY-MM-DD, or None when it is not a full, possible date.

    Without `base`, the string must state day, month and year. With `base` (the
    publication date or another stated date), missing parts and two-digit years are
    resolved against it, never against today's date. `month_first` reads an ambiguous
    slashed or hyphenated date ("03/10/2026") the US way; a dotted one is always day first.
    """
    value = value.strip()
    year_first = _YEAR_FIRST.match(value)
    if year_first:
        return _valid(int(year_first[1]), int(year_first[3]), int(year_first[4]))
    numeric = _NUMERIC.match(value)
    if numeric:
        return _numeric(numeric, base, month_first=month_first)
    named = _NAMED.match(value)
    if named:  # "26 Feb 2024 17:53", "Sep. 12, 2023 03:00 AM IST": no need for dateparser
        day = int(named["d1"] or named["d2"])
        month = _MONTH_NUMBERS.get((named["m1"] or named["m2"]).lower()[:3])
        if month is not None:
            return _valid(int(named["y1"] or named["y2"]), month, day)
    settings: dict[str, Any] = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"}
    if base is None:
        settings["REQUIRE_PARTS"] = ["day", "month", "year"]
        settings["RELATIVE_BASE"] = datetime(2000, 1, 1)
    else:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
        settings["PREFER_DATES_FROM"] = "past"
    import dateparser  # on first use: its import takes a while, and most stamps need it not

    parsed = dateparser.parse(value, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed else None


_MONTH_NUMBERS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# A full English date with a month name, maybe a weekday before it and a time and zone after
# it: read directly, as dateparser would, but some hundred times faster (it is most stamps).
_NAMED = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH_WORD})\.?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH_WORD})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}}))"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?)?$",
    re.IGNORECASE,
)


def _numeric(found: re.Match[str], base: date | None, *, month_first: bool) -> str | None:
    """An all-number date: dotted day first; slashed or hyphenated day first unless
    a second part above 12 or `month_first` says the month comes first."""
    first, separator, second, year = int(found[1]), found[2], int(found[3]), int(found[4])
    if year < 100:
        if base is None:
            return None
        century = base.year - base.year % 100
        year = min((century - 100 + year, century + year), key=lambda y: abs(y - base.year))
    if separator == ".":
        return _valid(year, second, first)
    if first > 12 or not (second > 12 or month_first):
        return _valid(year, second, first)
    return _valid(year, first, second)


def _valid(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD when the parts make a real date."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def month_first(text: str) -> bool:
    """Whether a line prints its times the North American way (so "03/10/2026" is March)."""
    return bool(_US_ZONE.search(text))


def find_date(text: str) -> str | None:
    """The first full date (day, month and year) written in `text`, as YYYY-MM-DD."""
    for found in DATE_ANY.finditer(text):
        parsed = parse_published(found.group(0), month_first=month_first(text))
        if parsed:
            return parsed
    return None


@cache
def _filler() -> tuple[re.Pattern[str], ...]:
    """The date-line filler patterns of data/chrome.toml, compiled once."""
    return tuple(re.compile(p) for p in lexicon.load("chrome").get("dates", {}).get("filler", []))


@cache
def _update_words() -> re.Pattern[str]:
    """Words that mark a printed date as a revision, not the first publication."""
    words = lexicon.load("chrome").get("dates", {}).get("update_words", [])
    return re.compile(rf"(?i)\b(?:{'|'.join(words) or '(?!)'})\b")


def filler_only(text: str) -> bool:
    """Whether `text` holds nothing but date-line filler (weekdays, times, "Updated")."""
    for pattern in _filler():
        text = pattern.sub(" ", text)
    return not text.strip()


def is_update(text: str) -> bool:
    """Whether a date line gives a revision date ("Updated", "Last modified on")."""
    return bool(_update_words().search(text)) and not re.search(
        r"(?i)\b(?:first\s+)?(?:published|posted)\b", text
    )
