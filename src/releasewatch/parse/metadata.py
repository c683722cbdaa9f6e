"""Article metadata read from text: dateline, outlet, cited sources, byline, publication date.

Every function here works on plain text (a raw dump's lines or trafilatura's body text), so
the text and HTML parsers share one reading of the conventions in SCHEMA.md "Settled cases".
Lexicons: `data/outlets.toml` (known outlets, agencies, rights groups) and `data/chrome.toml`
(date-line filler, byline openers, name particles).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import lexicon
from ..errors import LexiconError
from .dates import DATE_ANY, MONTHS, filler_only, find_date, month_first, parse_published

# ---------------------------------------------------------------- lexicon of outlets


@dataclass(frozen=True)
class Outlet:
    """A known outlet, agency or rights group."""

    name: str
    kind: str  # "agency", "outlet" or "rights"


@dataclass(frozen=True)
class _Outlets:
    """The outlets lexicon compiled for matching."""

    by_alias: dict[str, Outlet]
    pattern: re.Pattern[str]  # every alias, longest first, as whole words
    media_word: re.Pattern[str]
    media_noun: re.Pattern[str]
    rights_noun: re.Pattern[str]
    not_names: frozenset[str]
    organisation: re.Pattern[str]  # a capitalised name headed by an NGO word
    rights_word: re.Pattern[str]
    attributed_heads: frozenset[str]  # heads that make a source when merely attributed to
    not_ngo: re.Pattern[str]


# Lower-case words a scrape glues to a linked name ("the project Nextaon December 13").
_GLUE = r"(?:on|in|at|to|the|and|of|for|from|that|said|reported)"
_NAME_TOKEN = r"[A-Z][\w&’'.-]*"
_NAME = rf"{_NAME_TOKEN}(?:[ /]{_NAME_TOKEN}){{0,4}}"


@cache
def _outlets() -> _Outlets:
    """Compile data/outlets.toml once."""
    data = lexicon.load("outlets")
    by_alias: dict[str, Outlet] = {}
    for entry in data.get("outlet", []):
        try:
            outlet = Outlet(str(entry["name"]), str(entry.get("kind", "outlet")))
        except (KeyError, TypeError) as exc:
            raise LexiconError(f"data/outlets.toml: [[outlet]] entry {entry!r}: {exc}") from exc
        for alias in [outlet.name, *entry.get("aliases", [])]:
            by_alias.setdefault(str(alias), outlet)
    aliases = sorted(by_alias, key=len, reverse=True)
    alternation = "|".join(re.escape(a) for a in aliases)
    pattern = re.compile(rf"(?<![\w.])(?:{alternation})(?:(?![\w])|(?={_GLUE}\s))")
    patterns = data.get("patterns", {})

    def words(key: str) -> str:
        return "|".join(re.escape(w) for w in sorted(patterns.get(key, []), key=len, reverse=True))

    return _Outlets(
        by_alias=by_alias,
        pattern=pattern,
        media_word=re.compile(rf"(?:{words('media_words')})$"),
        media_noun=re.compile(rf"\b(?:{words('media_nouns')})\s+(?P<name>{_NAME})"),
        rights_noun=re.compile(rf"\b(?:{words('rights_nouns')})\s+(?P<name>{_NAME})"),
        not_names=frozenset(patterns.get("not_names", [])),
        organisation=re.compile(
            rf"(?P<name>[A-Z][\w'’-]+(?:\s+(?:of|for|on|and|the|[A-Z][\w'’-]+)){{0,7}}?"
            rf"\s+(?P<head>{words('ngo_heads')})"
            rf"(?:\s+(?:of|for|on|to)(?:\s+the)?(?:\s+[A-Z][\w'’-]+){{1,4}}){{0,2}})\b"
        ),
        attributed_heads=frozenset(patterns.get("ngo_heads_attributed", [])),
        rights_word=re.compile(rf"\b(?:{words('rights_words')})\b"),
        not_ngo=re.compile(rf"\b(?:{words('not_ngo_words')})\b"),
    )


def known_outlet(name: str) -> Outlet | None:
    """The lexicon entry for `name` (any alias, with or without a leading "the")."""
    table = _outlets().by_alias
    name = name.strip()
    if name in table:
        return table[name]
    for variant in (re.sub(r"^(?i:the)\s+", "", name), f"The {name}"):
        if variant in table:
            return table[variant]
    if len(name) >= _CASELESS_MIN:  # "REUTERS" as a masthead; never "Ap" for AP
        return _caseless().get(name.casefold())
    return None


# Names at least this long are also looked up regardless of case (short ones are acronyms
# whose lower-case forms are words: "ap", "ok").
_CASELESS_MIN = 5


@cache
def _caseless() -> dict[str, Outlet]:
    """Known names of at least _CASELESS_MIN characters, case-folded."""
    return {
        alias.casefold(): outlet
        for alias, outlet in _outlets().by_alias.items()
        if len(alias) >= _CASELESS_MIN
    }


def normalise_outlet(name: str) -> str:
    """An outlet's name as commonly written: lexicon name, else as printed, trimmed."""
    name = re.sub(r"\s+", " ", name).strip(" .,;:-–—\"'“”")
    found = known_outlet(name)
    if found:
        return found.name
    return re.sub(r"^the\s+", "The ", name)


def _same(a: str | None, b: str | None) -> bool:
    """Whether two outlet names are one outlet."""
    return a is not None and b is not None and normalise_outlet(a) == normalise_outlet(b)


def _media_like(name: str) -> bool:
    """Whether an unknown capitalised name reads as a news outlet by its form."""
    table = _outlets()
    name = name.strip()
    if not name or name in table.not_names:
        return False
    if known_outlet(name):
        return True
    if re.fullmatch(r"[A-Z][\w-]*\.(?:[A-Za-z]{2,4})", name):  # News.Az, TUT.BY
        return True
    if re.fullmatch(r"[A-Z]{2,6}", name):  # agency acronyms: UNN, MENAFN
        return True
    return bool(table.media_word.search(name))


def _trim_name(name: str) -> str:
    """A captured name cut where it stops being a name (trailing glue, punctuation)."""
    name = re.sub(rf"(?:\s+{_GLUE})+$", "", name.strip())
    return name.strip(" .,;:")


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
    # "Geneva, 3 June 2026 —": a place in title case with a full date
    _Form(
        re.compile(rf"(?P<place>{_PLACE_TITLE})(?:,\s*{_REGION})?,\s*{_FULL_DATE}\s*{_DASH}+\s*"),
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
    return _media_like(name) or bool(re.fullmatch(r"[A-Z][\w.&-]+", name.strip()))


# ---------------------------------------------------------------- outlet

_SELF = (
    # strongest first: the page naming itself
    re.compile(rf"\bwrites\s+(?P<name>{_NAME})"),
    re.compile(rf"\b(?:reported|stated|said|informed)\s+by\s+(?P<name>{_NAME})\s+with\s+reference"),
    re.compile(rf"\b(?:reports|informs)\s+(?P<name>{_NAME})\s*(?:[.,]|$|with reference|citing)"),
    re.compile(rf"\b(?:an?|the)\s+(?P<name>{_NAME})\s+correspondent\s+(?:reports|reported)\b"),
    re.compile(rf"(?P<name>{_NAME})\s+(?:reports|reported|learned|has learned),?\s+citing\b"),
    re.compile(rf"(?P<name>{_NAME})\s+(?:reports|reported)\s+with\s+reference\s+to\b"),
    re.compile(rf"\b(?:told|said to|speaking to|in an interview with)\s+(?P<name>{_NAME})"),
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
            name = _trim_name(found.group("name"))
            outlet = known_outlet(name)
            if outlet is None and not _media_like(name):
                continue
            if number >= 3 and outlet is not None and outlet.kind == "wire":
                continue  # "Reuters reports, citing sources", "told Reuters": Reuters is cited
            if outlet is not None and outlet.kind == "rights":
                continue
            return normalise_outlet(name)
    return None


def is_outlet_name(name: str) -> bool:
    """Whether `name` is a known outlet or agency, or reads as one by its form."""
    known = known_outlet(name)
    if known is not None:
        return known.kind != "rights"
    return _media_like(name)


def outlet_in(text: str) -> str | None:
    """The first known outlet named anywhere in `text` (for mastheads, appeals, sign-offs)."""
    for found in _outlets().pattern.finditer(text):
        outlet = known_outlet(found.group(0))
        if outlet and outlet.kind != "rights":
            return outlet.name
    return None


# ---------------------------------------------------------------- cited sources

_ATTRIBUTION_BEFORE = re.compile(
    r"(?:according\s+to|citing|cited\s+by|quoting|quoted\s+by|reported\s+by|"
    r"with\s+reference\s*to|in\s+an\s+interview\s+(?:with|to)|told|speaking\s+to|"
    r"said\s+to|confirmed\s+to|(?:a|the)\s+reports?\s+(?:by|from|in|of)|via|"
    r"data\s+(?:from|of)|sources?\s+(?:at|in|from))\s+"
    r"(?:the\s+)?(?:[\w’'-]+(?:\.\w+)*[^\S\n]+){0,3}(?:the\s+)?$",
    re.IGNORECASE,
)
_ATTRIBUTION_AFTER = re.compile(
    rf"^(?:(?:,|\s+and|\s+or)\s+(?:the\s+)?{_NAME})*,?\s+"
    r"(?:has\s+|had\s+|have\s+)?(?:also\s+)?"
    r"(?:reported|reports|report\b|wrote|writes|quoted|cited|learned|learnt|revealed|"
    r"published|obtained|informs|said|says|stated|noted|claimed|found|documented|counted|"
    r"recorded|estimated|confirmed)"
)
_CREDIT_AFTER_SENTENCE = re.compile(
    rf"[.!?\"”’)]\s*[-–—]\s*(?P<name>(?:The\s)?{_NAME})\s*$", re.MULTILINE
)
_CREDIT_AFTER_HEADLINE = re.compile(rf"\s[-–—]\s(?P<name>(?:The\s)?{_NAME})\s*$")
_AGENCY_BYLINE = re.compile(rf"^\s*By\s+(?P<name>{_NAME}(?:\s+and\s+{_NAME})*)\s*$", re.MULTILINE)


def find_cited_sources(
    text: str, *, title: str | None = None, outlet: str | None = None
) -> tuple[str, ...]:
    """Outlets, agencies and rights groups the text attributes information to.

    Counted: a headline's "- Reuters" suffix, a closing "- Reuters" credit, "By AFP",
    "according to / citing / with reference to / told X", "X and Y reported", and any
    rights group named. Not counted: the outlet itself, outlets named as an employer
    ("Wall Street Journal reporter"), photo credits (callers drop captions first).
    """
    found: list[str] = []
    table = _outlets()
    if title:
        credit = _CREDIT_AFTER_HEADLINE.search(title)
        if credit and _media_like(_trim_name(credit.group("name"))):
            found.append(_trim_name(credit.group("name")))
    for credit in _CREDIT_AFTER_SENTENCE.finditer(text):
        name = _trim_name(credit.group("name"))
        if _media_like(name):
            found.append(name)
    for byline in _AGENCY_BYLINE.finditer(text):
        for name in re.split(r"\s+and\s+", byline.group("name")):
            if known_outlet(name):
                found.append(name)
    for match in table.pattern.finditer(text):
        outlet_entry = known_outlet(match.group(0))
        if outlet_entry is None:
            continue
        before = text[max(0, match.start() - 90) : match.start()]
        after = text[match.end() : match.end() + 120]
        if (
            outlet_entry.kind == "rights"
            or _ATTRIBUTION_BEFORE.search(before)
            or _ATTRIBUTION_AFTER.match(after)
        ):
            found.append(match.group(0))
    for match in table.rights_noun.finditer(text):
        name = _trim_name(match.group("name"))
        if name and name not in table.not_names and not table.pattern.match(name):
            found.append(name)
    for match in table.media_noun.finditer(text):
        name = _trim_name(match.group("name"))
        before = text[max(0, match.start() - 90) : match.start()]
        after = text[match.end() : match.end() + 120]
        attributed = _ATTRIBUTION_BEFORE.search(before) or _ATTRIBUTION_AFTER.match(after)
        if name and attributed and name not in table.not_names and not table.pattern.match(name):
            found.append(name)
    found.extend(_organisations(text))
    return _unique(found, exclude=outlet)


_CALENDAR = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Last|Earlier|Yesterday|Today"
)


def _organisations(text: str) -> list[str]:
    """Rights groups and NGOs not in the lexicon, read from the form of their name.

    A name headed by an NGO word ("Initiative", "Association", "Centre"...) is a source
    when it names rights ("the Egyptian Initiative for Personal Rights welcomed") or when
    information is attributed to it ("according to the Georgian Young Lawyers'
    Association"). Courts, councils and ministries are not ("the European Court of Human
    Rights").
    """
    table = _outlets()
    found: list[str] = []
    for match in table.organisation.finditer(text):
        tokens = match.group("name").split()
        while tokens and (tokens[0] in table.not_names or _CALENDAR.fullmatch(tokens[0])):
            tokens.pop(0)  # "On Saturday Georgian Young Lawyers' Association"
        name = " ".join(tokens)
        if len(tokens) < 2 or table.not_ngo.search(name) or table.pattern.fullmatch(name):
            continue
        before = text[max(0, match.start() - 90) : match.start()]
        after = text[match.end() : match.end() + 120]
        attributed = _ATTRIBUTION_BEFORE.search(before) or _ATTRIBUTION_AFTER.match(after)
        if table.rights_word.search(name) or (
            attributed and match.group("head") in table.attributed_heads
        ):
            found.append(name)
    return found


def _unique(names: Iterable[str], *, exclude: str | None) -> tuple[str, ...]:
    """Normalised names, first mention first, without duplicates or the excluded outlet."""
    seen: list[str] = []
    for name in names:
        norm = normalise_outlet(name)
        if not norm or norm in seen or _same(norm, exclude):
            continue
        seen.append(norm)
    return tuple(seen)


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
    `labels`.
    """
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
