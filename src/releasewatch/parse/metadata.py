"""Article metadata read from text: dateline, outlet, byline, publication date.

Every function here works on plain text (a raw dump's lines or trafilatura's body text), so
the text and HTML parsers share one reading of the conventions in SCHEMA.md "Settled cases".
Lexicons: `data/outlets.toml` (known outlets, agencies, rights groups, in `outlets`) and
`data/chrome.toml` (date-line filler, byline openers, name particles). Cited sources are
read in `sources`; both are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import lexicon
from .dates import DATE_ANY, MONTHS, filler_only, find_date, month_first, parse_published
from .outlets import (
    NAME,
    Outlet,
    is_outlet_name,
    known_outlet,
    media_like,
    normalise_outlet,
    outlet_in,
    trim_name,
)
from .sources import find_cited_sources

__all__ = [
    "Outlet",
    "find_cited_sources",
    "is_outlet_name",
    "known_outlet",
    "normalise_outlet",
    "outlet_in",
]

# ---------------------------------------------------------------- dateline


@dataclass(frozen=True)
class Dateline:
    """A dateline at the head of an article: the place, and the agency when it names one."""

    place: str | None
    outlet: str | None
    start: int
    end: int
    published: str | None = None  # a full date printed in the dateline ("Geneva, 3 June 2026")


_PLACE_CAPS = r"[A-ZÀ-ÞĀ-Ž][A-ZÀ-ÞĀ-Ž.'’ -]*[A-ZÀ-ÞĀ-Ž.]"
_PLACE_TITLE = r"[A-ZÀ-ÞĀ-Ž][\w.'’-]+(?: [A-ZÀ-ÞĀ-Ž][\w.'’-]+){0,2}"
_REGION = r"[A-Z][\w.'’]+(?: [A-Z][\w.'’]+){0,2}"
_MONTH_DAY = r"[A-Z][a-z]{2,8}\.? \d{1,2}"
_DASH = r"[-–—]"
# The date a dateline may carry: "May 4", "Feb. 9", "3 June 2026", "March 13, 2026".
_DATELINE_DATE = rf"(?P<date>(?:{_MONTH_DAY}|\d{{1,2}} {MONTHS})\.?(?:,?\s*\d{{4}})?)"
_FULL_DATE = rf"(?P<date>(?:{MONTHS} \d{{1,2}},?|\d{{1,2}} {MONTHS}) \d{{4}})"


@dataclass(frozen=True)
class _Form:
    """One printed form of a dateline, and how far into the text it is looked for."""

    pattern: re.Pattern[str]
    paragraphs: int  # paragraph starts it may stand at (0: anywhere in the reach)
    agency: bool = False  # brackets after the place must hold an agency


_DATELINE_FORMS = (
    # "TALLINN, Estonia (AP) —", "MOSCOW (Reuters) -", "BRUSSELS. Feb 26 (Interfax) -",
    # "BRUSSELS, July 29 /Continental Press/.", "ANKARA (AA) -"
    _Form(
        re.compile(
            rf"(?P<place>{_PLACE_CAPS}|{_PLACE_TITLE})(?:,\s*{_REGION})?"
            rf"(?:[.,]\s*{_DATELINE_DATE})?\s*(?:\((?P<agency>[^()\n]{{2,40}})\)|"
            rf"/(?P<slashed>[A-Z][^/\n]{{1,40}})/)\s*(?:{_DASH}+|[.:])?\s*"
        ),
        paragraphs=3,
        agency=True,
    ),
    # "BOGOTÁ, Colombia —", "KYIV —", "TOKYO -", "MOSCOW, Feb. 9 —"; after a standfirst too
    _Form(
        re.compile(
            rf"(?P<place>{_PLACE_CAPS})(?:,\s*{_REGION})?(?:[.,]\s*{_DATELINE_DATE})?"
            rf"\s*{_DASH}+\s*"
        ),
        paragraphs=3,
    ),
    # "Kyiv • UNN" or "Kyiv •" on a line of its own
    _Form(
        re.compile(
            rf"^(?P<place>{_PLACE_TITLE})\s*•(?:\s*(?P<agency>[A-Z][\w.&-]*(?: [A-Z][\w.&-]*)?))?"
            rf"[^\S\n]*$",
            re.MULTILINE,
        ),
        paragraphs=0,
    ),
    # "Geneva, 3 June 2026 —": a place in title case with a full date; a scrape may leave the
    # bracket of an outlet link it dropped ("Mexico City, Mexico, December 20, 2023 ( –")
    _Form(
        re.compile(
            rf"(?P<place>{_PLACE_TITLE})(?:,\s*{_REGION})?,\s*{_FULL_DATE}\s*(?:\(\s*)?{_DASH}+\s*"
        ),
        paragraphs=3,
    ),
    # "New Delhi: Two reporters ...", "Kyiv • Two reporters ...", "Cairo — Two reporters ..."
    _Form(re.compile(rf"(?P<place>{_PLACE_TITLE}):\s+(?=[A-Z0-9\"“‘'])"), paragraphs=1),
    _Form(re.compile(rf"(?P<place>{_PLACE_TITLE})\s+•\s+(?=[A-Z0-9\"“‘'])"), paragraphs=1),
    _Form(
        re.compile(
            rf"(?P<place>{_PLACE_TITLE})(?:,\s*{_REGION})?(?:,\s*{_DATELINE_DATE})?"
            rf"\s+[–—]\s+(?=[A-Z0-9\"“‘'])"
        ),
        paragraphs=1,
    ),
)
_LINE_FORM = _DATELINE_FORMS[2]
# How far a wire dateline is looked for: the first paragraphs, the first characters.
_DATELINE_PARAGRAPHS = 3
_DATELINE_REACH = 400
# "(MENAFN) Moscow ...", "/TASS/ ..." at the very start: an agency with no place.
_AGENCY_ONLY = re.compile(r"^(?:\((?P<a>[A-Z][\w.&-]{1,20})\)|/(?P<b>[A-Z][\w.&-]{1,20})/)\s*")


def _place(raw: str) -> str:
    """A dateline place as commonly written ("VILNIUS" -> "Vilnius")."""
    raw = raw.strip(" .,")
    if raw.upper() == raw:
        return " ".join(w.capitalize() if len(w) > 1 else w for w in raw.split())
    return raw


def _not_a_place(place: str) -> bool:
    """Labels and acronyms that stand where a dateline place would."""
    table = chrome_words()
    return (
        place.casefold() in table["labels"]
        or place.split()[0].casefold() in table["fields"]
        or place.casefold() in table["credits"]
        or len(place.replace(" ", "")) < 3
        or filler_only(place)
        or known_outlet(place) is not None
    )


@cache
def chrome_words() -> dict[str, Any]:
    """Words from data/chrome.toml used by the metadata readers, compiled once."""
    data = lexicon.load("chrome")
    labels = data.get("labels", {})
    names = data.get("names", {})
    return {
        "labels": frozenset(
            w.casefold() for w in [*labels.get("sections", []), *labels.get("related", [])]
        ),
        "fields": frozenset(w.casefold() for w in labels.get("fields", [])),
        "credits": frozenset(w.casefold() for w in labels.get("credits", [])),
        "particles": frozenset(names.get("particles", [])),
        "stop": frozenset(names.get("stop", [])),
        "filler": [re.compile(p) for p in data.get("dates", {}).get("filler", [])],
        "openers": [re.compile(p) for p in data.get("byline", {}).get("openers", [])],
        "desks": [re.compile(p) for p in data.get("byline", {}).get("desks", [])],
        "roles": [re.compile(p) for p in data.get("byline", {}).get("roles", [])],
    }


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of `text` (its first paragraph), or a "Kyiv • UNN" line.

    Wire datelines name the outlet: "VILNIUS (AP) —" gives place Vilnius and outlet
    Associated Press; "BOGOTÁ, Colombia —" gives only the place; "(MENAFN) ..." only the
    outlet.
    """
    head = text.lstrip()
    offset = len(text) - len(head)
    found = _AGENCY_ONLY.match(head)
    if found:
        agency = found.group("a") or found.group("b")
        return Dateline(None, normalise_outlet(agency), offset, offset + found.end())
    breaks = [m.end() for m in re.finditer(r"\n\s*\n", text)]
    starts = [offset, *breaks[: _DATELINE_PARAGRAPHS - 1]]
    for form in _DATELINE_FORMS:
        if form.paragraphs == 0:
            found = form.pattern.search(text, 0, _DATELINE_REACH)
            candidates = [found] if found else []
        else:
            # a wire dateline may follow a lead or standfirst paragraph
            scan = starts[: form.paragraphs]
            candidates = [m for m in (form.pattern.match(text, start) for start in scan) if m]
        for found in candidates:
            dateline = _dateline_from(found, form)
            if dateline:
                return dateline
    return None


def dateline_line(line: str) -> Dateline | None:
    """A line that is only a dateline, maybe with its outlet ("Kyiv • UNN", "Kyiv •")."""
    found = _LINE_FORM.pattern.fullmatch(line.strip())
    return _dateline_from(found, _LINE_FORM) if found else None


def _dateline_from(found: re.Match[str], form: _Form) -> Dateline | None:
    """A Dateline from one pattern match, or None when the place or agency is not one."""
    raw_place = found.group("place").strip()
    place = _place(raw_place)
    if _not_a_place(place):
        return None
    groups = found.groupdict()
    agency = (groups.get("agency") or groups.get("slashed") or "").strip()
    # after an upper-case place any capitalised name in brackets is the agency; after a
    # title-case one ("Kyiv (UAE)") only a name that reads as an outlet
    agency_ok = bool(agency) and (
        _agency_like(agency)
        or (raw_place.isupper() and bool(re.fullmatch(r"[A-Z][\w.&'’ -]{1,40}", agency)))
    )
    printed = groups.get("date")
    if agency and parse_published(agency):  # "GENEVA (3 June 2026) –": a date, no agency
        printed, agency, agency_ok = agency, "", False
    outlet = normalise_outlet(agency) if agency_ok else None
    if agency and outlet is None and form.agency:
        return None  # "(15)" or "(UAE)" after a name is no dateline
    published = parse_published(printed) if printed else None
    return Dateline(place, outlet, found.start(), found.end(), published)


def _agency_like(name: str) -> bool:
    """Whether a name in a dateline's brackets is a news agency."""
    return media_like(name) or bool(re.fullmatch(r"[A-Z][\w.&-]+", name.strip()))


# ---------------------------------------------------------------- outlet

_SELF = (
    # strongest first: the page naming itself
    re.compile(rf"\bwrites\s+(?P<name>{NAME})"),
    re.compile(rf"\b(?:reported|stated|said|informed)\s+by\s+(?P<name>{NAME})\s+with\s+reference"),
    re.compile(rf"\b(?:reports|informs)\s+(?P<name>{NAME})\s*(?:[.,]|$|with reference|citing)"),
    re.compile(rf"\b(?:an?|the)\s+(?P<name>{NAME})\s+correspondent\s+(?:reports|reported)\b"),
    re.compile(rf"(?P<name>{NAME})\s+(?:reports|reported|learned|has learned),?\s+citing\b"),
    re.compile(rf"(?P<name>{NAME})\s+(?:reports|reported)\s+with\s+reference\s+to\b"),
    re.compile(rf"\b(?:told|said to|speaking to|in an interview with)\s+(?P<name>{NAME})"),
)


def find_outlet(text: str, *, dateline: Dateline | None = None) -> str | None:
    """The publisher the text names as itself, or None.

    In order: a wire dateline's agency; "writes UNN", "reported by UNN with reference to";
    "News.Az reports, citing", "a Ukrinform correspondent reports"; "told Al Jazeera".
    An international wire met only as "Reuters reports, citing" or "told Reuters" is a
    cited source, not the outlet.
    """
    if dateline is None:
        dateline = find_dateline(text)
    if dateline and dateline.outlet:
        return dateline.outlet
    for number, pattern in enumerate(_SELF):
        for found in pattern.finditer(text):
            name = trim_name(found.group("name"))
            outlet = known_outlet(name)
            if outlet is None and not media_like(name):
                continue
            if number >= 3 and outlet is not None and outlet.kind == "wire":
                continue  # "Reuters reports, citing sources", "told Reuters": Reuters is cited
            if outlet is not None and outlet.kind == "rights":
                continue
            return normalise_outlet(name)
    return None


# ---------------------------------------------------------------- byline and author


@dataclass(frozen=True)
class Byline:
    """What a byline line says: the people, the outlet's desk, agencies credited, a date."""

    authors: tuple[str, ...] = ()
    outlet: str | None = None
    agencies: tuple[str, ...] = ()
    published: str | None = None

    @property
    def author(self) -> str | None:
        """The people joined with ", " as SCHEMA.md writes them, or None."""
        return ", ".join(self.authors) or None


def person_name(text: str, *, shouted: bool = False) -> str | None:
    """`text` when it reads as a person's name (2-4 capitalised words), else None.

    With `shouted` (a byline, where sites print "By TOMAS VAITKUS"), a name in capitals is
    accepted and given in title case.
    """
    words = chrome_words()
    tokens = text.split()
    if not 2 <= len(tokens) <= 4:
        return None
    if shouted and text.isupper() and all(len(t.strip(".")) > 1 for t in tokens):
        tokens = [_title_word(t) for t in tokens]
    capitals = 0
    for token in tokens:
        if token in words["particles"]:
            continue
        if token in words["stop"] or not _name_token(token):
            return None
        capitals += 1
    return " ".join(tokens) if capitals >= 2 else None


def _title_word(token: str) -> str:
    """A word in capitals written in title case, hyphen and apostrophe parts too."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), token)


def _name_token(token: str) -> bool:
    """One word of a person's name: "Anne-Marie", "O'Neil", "J.", "Орлонская"."""
    core = token.replace("-", "").replace("'", "").replace("’", "").replace(".", "")
    return bool(core) and core.isalpha() and token[0].isupper() and not token.isupper()


# Where a reporter filed from, after the name in a byline: "Samira Haddad in Cairo".
_REPORTING_FROM = re.compile(rf"\s+in\s+{_PLACE_TITLE}$")


def parse_byline(line: str) -> Byline | None:
    """Read a byline line ("by A and B news desk August 2, 2024", "By AFP"), or None."""
    words = chrome_words()
    stripped = line.strip()
    opener = next((p.match(stripped) for p in words["openers"] if p.match(stripped)), None)
    if opener is None:
        return None
    rest = stripped[opener.end() :].strip(" ,:")
    published = find_date(rest)
    cut = DATE_ANY.search(rest)
    if cut:
        rest = rest[: cut.start()]
    rest = re.split(r"\s*[|•·]\s*|(?i:\s+(?:published|updated|posted|on)\b)", rest)[0]
    rest = re.sub(r"(?i)\b\d+\s*min(?:ute)?s?\s+read\b.*$", "", rest).strip(" ,")
    authors: list[str] = []
    agencies: list[str] = []
    outlet: str | None = None
    for item in re.split(r"\s*,\s*|\s+and\s+|\s*&\s*", rest):
        item = _REPORTING_FROM.sub("", item).strip()  # "By Jane Doe in Kyiv"
        if not item:
            continue
        desk = next((p.search(item) for p in words["desks"] if p.search(item)), None)
        if desk:
            outlet = normalise_outlet(item[: desk.start()])
            continue
        role = next((p.search(item) for p in words["roles"] if p.search(item)), None)
        if role and (authors or agencies):
            # "Legal Affairs Reporter", "Washington correspondent": the person's job
            if is_outlet_name(item[: role.start()]):
                outlet = outlet or normalise_outlet(item[: role.start()])
            continue
        known = known_outlet(item)
        if known:
            agencies.append(known.name)
            continue
        name = person_name(item, shouted=True)
        if name is None:
            return (
                None
                if not (authors or agencies or outlet)
                else Byline(tuple(authors), outlet, tuple(agencies), published)
            )
        authors.append(name)
    if not (authors or agencies or outlet):
        return None
    return Byline(tuple(authors), outlet, tuple(agencies), published)


def author_line(line: str, *, labels: Sequence[str] = ()) -> str | None:
    """A bare name printed on its own line, maybe followed by a section label.

    "Olga Rozgon" -> "Olga Rozgon"; "Ирэн Орлонская In the world" -> "Ирэн Орлонская".
    The trailing label must be a capitalised phrase continuing in lower case or one of
    `labels`. Two or more names make a shared byline: "Priya Raman and Tom Whitlock" ->
    "Priya Raman, Tom Whitlock".
    """
    names = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", line.strip())
    if len(names) >= 2 and all(person_name(name) for name in names):
        return ", ".join(names)
    tokens = line.split()
    for size in (2, 3, 4):
        if size > len(tokens):
            break
        name = person_name(" ".join(tokens[:size]))
        if name is None:
            continue
        rest = " ".join(tokens[size:])
        if not rest or rest in labels or re.fullmatch(r"[A-Z][a-z]+(?: [a-z]+){0,3}", rest):
            return name
        if _REPORTING_FROM.fullmatch(" " + rest):  # "Samira Haddad in Cairo"
            return name
    return None


def find_author(lines: Sequence[str]) -> Byline | None:
    """The first byline among `lines` ("By ...", "Reviewed, ..."), or None."""
    for line in lines:
        byline = parse_byline(line)
        if byline:
            return byline
    return None


# ---------------------------------------------------------------- dates


def date_line(line: str) -> str | None:
    """The date of a line that prints only a date ("Updated July 18, 2025 at 8:38 PM CDT")."""
    return dated_place(line)[1]


# A place printed before the date on a date line: "Tbilisi, 9 May 2025", "Cairo — Wed 8 Oct".
_PLACE_BEFORE_DATE = re.compile(
    rf"^(?P<place>{_PLACE_CAPS}|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){{0,2}})\s*(?:,|•|{_DASH})\s*"
)


def dated_place(line: str) -> tuple[str | None, str | None]:
    """(place, date) of a line that prints only a date, maybe after a place, else (None, None).

    "Vatican City, 15 January 2026 / 17:32" -> ("Vatican City", "2026-01-15");
    "Updated July 18, 2025 at 8:38 PM CDT" -> (None, "2025-07-18").
    """
    found = DATE_ANY.search(line)
    if not found:
        return None, None
    before, place = line[: found.start()], None
    head = _PLACE_BEFORE_DATE.match(before)
    if head and not filler_only(head.group("place")):
        place = _place(head.group("place"))
        before = before[head.end() :]
        if _not_a_place(place):
            return None, None
    if not filler_only(before + " " + line[found.end() :]):
        return None, None
    published = parse_published(found.group(0), month_first=month_first(line))
    return (place, published) if published else (None, None)
