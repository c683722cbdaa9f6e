"""Page chrome in raw text dumps: data/chrome.toml compiled, and the kinds of line it names.

A line is classed on its own (navigation, counters, share rows, captions, teasers with their
own time stamps, section and related labels, tag lists, mastheads); the passes in
`parse.text` decide what to do with each kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from .. import lexicon
from ..errors import LexiconError
from .dates import filler_only, find_date, is_update
from .metadata import chrome_words, dated_place, parse_byline, person_name
from .outlets import Outlet, known_outlet, media_like

# A line that closes a sentence, as prose does (headlines seldom end in a full stop).
SENTENCE_END = re.compile(r"[.…][\"”’')\]]?$")
CLOSING = re.compile(r"[.!?…:;\"”’')\]]$")
_WORD = re.compile(r"\w+")
# Words in a line from which it is prose even without a full stop (tuned on the dev dumps:
# headlines there run to 17 words, lead lines without a full stop start at 25).
_PROSE_WORDS = 30
_HEADLINE_MAX_WORDS = 30


@dataclass(frozen=True)
class Chrome:
    """data/chrome.toml compiled."""

    header: re.Pattern[str]
    ui: tuple[re.Pattern[str], ...]
    share_words: frozenset[str]
    stamps: tuple[re.Pattern[str], ...]
    credited_headline: re.Pattern[str]
    sections: frozenset[str]
    related: tuple[str, ...]
    related_lines: tuple[re.Pattern[str], ...]
    tags: re.Pattern[str]
    sources: re.Pattern[str]
    agency_credit: re.Pattern[str]
    captions: tuple[re.Pattern[str], ...]
    appeal_span: int
    appeal_start: tuple[re.Pattern[str], ...]
    appeal_any: tuple[re.Pattern[str], ...]
    nav_words: frozenset[str]
    menu_run: int
    region_words: frozenset[str]
    print_edition: re.Pattern[str]


def _compile(patterns: list[str], key: str) -> tuple[re.Pattern[str], ...]:
    """Compile one list of chrome patterns, naming the key of a bad one."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise LexiconError(f"data/chrome.toml: {key}: bad pattern {pattern!r}: {exc}") from exc
    return tuple(compiled)


@cache
def chrome() -> Chrome:
    """Load and compile data/chrome.toml once."""
    data: dict[str, Any] = lexicon.load("chrome")
    labels = data.get("labels", {})
    appeal = data.get("appeal", {})
    teaser = data.get("teaser", {})
    return Chrome(
        header=_compile(
            [data.get("scrape_header", r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s?")], "scrape_header"
        )[0],
        ui=_compile(data.get("ui", {}).get("lines", []), "ui.lines"),
        share_words=frozenset(data.get("ui", {}).get("share_words", [])),
        stamps=_compile(teaser.get("stamps", []), "teaser.stamps"),
        credited_headline=_compile(
            [teaser.get("credited_headline", r"(?!)")], "teaser.credited_headline"
        )[0],
        sections=frozenset(s.casefold() for s in labels.get("sections", [])),
        related=tuple(sorted(labels.get("related", []), key=len, reverse=True)),
        related_lines=_compile(labels.get("related_lines", []), "labels.related_lines"),
        tags=_compile([labels.get("tags", r"(?i)tags\s*:?\s*(.*)")], "labels.tags")[0],
        sources=_compile(
            [labels.get("sources", r"(?i)sources?\s*:\s*(?P<names>.+)")], "labels.sources"
        )[0],
        agency_credit=_compile(
            [labels.get("agency_credit", r"(?P<lead>(?!))?(?P<names>(?!))")],
            "labels.agency_credit",
        )[0],
        captions=_compile(data.get("caption", {}).get("marks", []), "caption.marks"),
        appeal_span=int(appeal.get("span", 7)),
        appeal_start=_compile(appeal.get("start", []), "appeal.start"),
        appeal_any=_compile(appeal.get("any", []), "appeal.any"),
        nav_words=frozenset(w.casefold() for w in data.get("nav", {}).get("words", [])),
        menu_run=int(data.get("nav", {}).get("run", 4)),
        region_words=frozenset(w.casefold() for w in data.get("nav", {}).get("regions", [])),
        print_edition=_compile(
            [labels.get("print_edition", r"(?!)(?P<name>)")], "labels.print_edition"
        )[0],
    )


def words(text: str) -> int:
    """Number of words in a line."""
    return len(_WORD.findall(text))


def is_prose(text: str) -> bool:
    """Whether a line reads as article prose rather than a headline or label."""
    count = words(text)
    if count >= _PROSE_WORDS:
        return True
    return bool(SENTENCE_END.search(text)) and count >= 6


def headline_like(text: str) -> bool:
    """Whether a line could be a headline: short, not closed like a sentence or a label."""
    count = words(text)
    if not 2 <= count <= _HEADLINE_MAX_WORDS or is_prose(text):
        return False
    return not re.search(r"[,;:]$", text) and any(ch.isalpha() for ch in text)


def is_ui(text: str) -> bool:
    """Navigation, counters, tickers, share rows, URLs, fact boxes; or a row of these set
    apart by runs of spaces ("[Editor: Liu Fang]   Share: Weibo | WeChat")."""
    if _ui_item(text):
        return True
    items = [item for item in re.split(r"\s{2,}|\t+", text.strip()) if item]
    if len(items) >= 2 and all(_ui_item(item) for item in items):
        return True
    # a menu row: three or more short items set apart by runs of spaces
    return len(items) >= 3 and (
        all(words(item) <= 2 and not re.search(r"[.!?,;:]$", item) for item in items)
        or all(_nav_item(item) for item in items)
    )


def _ui_item(text: str) -> bool:
    """One piece of chrome: a `ui` line, a share row, a fact box."""
    table = chrome()
    if any(p.fullmatch(text) for p in table.ui):
        return True
    rest = re.sub(r"(?i)^share(?: this(?: \w+)?)?(?: on)?\s*:?", "", text).strip(" |·•")
    tokens = re.split(r"[\s|·•,]+", rest)
    # icon buttons in brackets: "[f]  [X]  [in]  [✉]"
    icons = [t for t in tokens if re.fullmatch(r"\[\S{1,2}\]", t)]
    if len(tokens) >= 2 and all(t in table.share_words or t in icons for t in tokens):
        return True
    return fact_box(text)


def fact_box(text: str) -> bool:
    """A row of short "Label: value" facts ("Release date: 6 March 2026 · Running time:
    2h 11m · Certificate: 12A"): two or more, each label capitalised and short."""
    items = [item.strip() for item in re.split(r"\s+[|·•]\s+", text)]
    return len(items) >= _FACT_ITEMS and all(
        re.fullmatch(r"[A-Z][\w’'-]*(?: [\w’'-]+){0,2}\s*:\s*\S.{0,40}", item) for item in items
    )


# A fact box holds at least this many "Label: value" items (one alone may be a sentence
# opening "Note: ...").
_FACT_ITEMS = 2


@dataclass(frozen=True)
class Stamp:
    """What a line printing the page's date says: the date, and a place printed before it."""

    published: str | None
    place: str | None
    updated: bool = False  # only a revision date is printed ("Updated 10 Feb 2026")
    outlet: str | None = None  # a known outlet printed with the date ("Xinhua | 2026-05-04")
    author: str | None = None  # a name printed with the date ("Yasmine Adel | 19 March 2026")


# Parts of a date line: "|", "·" and "•" set apart by a space on one side at least, and a
# revision stamp after the first date ("10 APR 2026, 15:47  Updated: 10 APR 2026, 16:30",
# "11.02.2026 - Update : 11.02.2026").
_STAMP_PARTS = re.compile(
    r"\s+[|·•]\s*|\s*[|·•]\s+|\s+(?:[-–—]\s+)?(?=(?i:(?:last\s+)?updated?|modified)\b)"
)
# "KYODO NEWS - Feb 20, 2026 - 12:41": an outlet, a dash, then the date.
_OUTLET_DASH = re.compile(r"(?P<name>[^-–—]{2,40}?)\s+[-–—]\s+(?P<rest>.+)")


def date_stamp(text: str) -> Stamp | None:
    """The line as a date line, maybe split in "|" parts with times and tickers, or None.

    "Friday, 14 March 2025 | USD 41.52 | EUR 45.07" is chrome dated 2025-03-14;
    "Cairo — Wednesday 8 Oct 2025 | 2:14 PM | 1,127 views" is dated at Cairo;
    "Kyiv • 27.04.2026, 10:15" is dated at Kyiv; "2:14 PM | 1,127 views" is chrome with no
    date. A first-publication date wins over a revision date on the same line. Beside a
    date, a part may be a section label ("Politics · 27.04.2026 · 👁 3 906"), a desk, or
    the author's name first ("Yasmine Adel | Thursday 19 March 2026").
    """
    parts = [part.strip() for part in _STAMP_PARTS.split(text) if part.strip(" |·•")]
    if parse_byline(parts[0]) if parts else True:
        return None  # "By Tobias Wren | 27 February 2026" is a byline with its date
    if len(parts) >= 2 and re.match(r"[^|·•]+\s+•\s+", text):
        joined = f"{parts[0]} • {parts[1]}"  # "Kyiv • 27.04.2026": a place, then its date
        if dated_place(joined)[0]:
            parts[:2] = [joined]
    dates: list[tuple[str, bool]] = []
    place: str | None = None
    outlet: str | None = None
    author: str | None = None
    labels = 0  # parts that stand only beside a date
    for index, part in enumerate(parts):
        where, day = dated_place(part)
        dashed = _OUTLET_DASH.fullmatch(part)
        named = known_outlet(dashed["name"]) if day is None and dashed else None
        if named and dashed:
            day = dated_place(dashed["rest"])[1]
            outlet = outlet or named.name
        if day:
            dates.append((day, is_update(part)))
            place = place or where
        elif len(parts) >= 2 and outlet is None and (known := known_outlet(part)):
            outlet = known.name
        elif len(parts) >= 2 and (is_ui(part) or filler_only(part)):
            continue
        elif len(parts) >= 2 and index == 0 and not _section_name(part) and person_name(part):
            author, labels = person_name(part), labels + 1
        elif len(parts) >= 2 and (_nav_item(part) or tag_list(part) or _desk(part)):
            labels += 1
        else:
            return None
    if (outlet or labels) and not dates:
        return None
    first = next((day for day, updated in dates if not updated), None)
    if first is None and dates:
        return Stamp(dates[0][0], place, updated=True, outlet=outlet, author=author)
    return Stamp(first, place, outlet=outlet, author=author)


def _desk(part: str) -> bool:
    """A desk named beside a date ("Europe and Central Asia desk")."""
    return words(part) <= _DESK_WORDS and any(p.search(part) for p in chrome_words()["desks"])


# Longest desk name beside a date ("Europe and Central Asia desk" has five words).
_DESK_WORDS = 6


def is_caption(text: str) -> bool:
    """A photo caption or credit."""
    return any(p.search(text) for p in chrome().captions)


def strip_teaser(text: str) -> str | None:
    """The line without an embedded teaser stamped with its own time; None if none found.

    Returns "" when the whole line is the teaser, else the article text before it.
    """
    for stamp in chrome().stamps:
        found = stamp.search(text)
        if not found:
            continue
        head = text[: found.start()]
        # article text before a glued teaser ends in a sentence stop after a lower-case word
        ends = list(re.finditer(r"(?<=[a-z0-9\"”’)])[.!?…][\"”’)]?(?=\s*[A-Z\"“‘«])", head))
        for end in reversed(ends):
            before = head[: end.end()]
            if words(before) >= 4:
                return before.rstrip()
        return ""
    return None


def label(text: str) -> tuple[str, str] | None:
    """("section" | "related", rest) when the line starts with a section or related label."""
    table = chrome()
    folded = text.casefold().rstrip(" :.")
    if folded in table.sections:
        return ("section", "")
    if any(p.fullmatch(text) for p in table.related_lines):
        return ("related", "")
    for label in table.related:
        if text.casefold().startswith(label.casefold()):
            rest = text[len(label) :]
            if not rest.strip(" :.–—-"):
                return ("related", "")
            if re.match(r"\s*[:.–—-]", rest):
                return ("related", rest.strip(" :.–—-"))
    return None


def tag_list(text: str) -> list[str] | None:
    """The items of a comma-separated tag line ("News Feed, Evan Gershkovich, ..."), if one."""
    items = [item.strip() for item in text.split(",")]
    if len(items) < 3 or CLOSING.search(text):
        return None
    longest = 4 if len(items) >= 4 else 2  # three items read as a tag list only when short
    if all(item and item[0].isupper() and words(item) <= longest for item in items):
        return items
    return None


def tag_line(text: str) -> bool:
    """A short line that can be one tag or category in a trailing list."""
    return words(text) <= 5 and not re.search(r"[.!?:;,\"”“]", text) and text[0].isupper()


# Separators between the items of a navigation row, breadcrumb or masthead line.
_ITEM_SEPARATOR = re.compile(r"\s+[|·•/]\s+|\s*[|·•]\s*$|^\s*[|·•]\s*")
_NAV_ITEM_WORDS = 3


def _items(text: str) -> list[str]:
    """The items of a "|", "·" or "•"-separated line, empty ones dropped."""
    return [item.strip() for item in _ITEM_SEPARATOR.split(text) if item.strip()]


def _nav_item(item: str) -> bool:
    """One short item of a navigation row: capitalised, no digits, no sentence marks."""
    return (
        1 <= words(item) <= _NAV_ITEM_WORDS
        and item[0].isupper()
        and not re.search(r"[\d.!?,;:\"“”]", item)
    )


def is_nav(text: str) -> bool:
    """A navigation row, breadcrumb or category label made of short items.

    "World | Europe", "Vatican · World · Church Life · Opinion", "· Releases",
    "Download · Changelog · Migration guide". Two items must both be in title case (a
    headline may be "Opinion | Why sanctions fail"); three or more need only be short.
    """
    if not re.search(r"[|·•]|\s/\s", text):
        return False
    items = _items(text)
    if not items or not all(_nav_item(item) for item in items):
        return False
    if len(items) == 1:  # a lone label set off by a separator: "· Releases"
        return bool(re.match(r"^\s*[|·•]", text))
    if len(items) >= 3:
        return True
    return all(word[0].isupper() for item in items for word in item.split())


def nav_words_only(text: str) -> bool:
    """A line made only of menu words ("Home China World Sports", "Press releases")."""
    tokens = re.split(r"[\s|·•/]+", text.strip(" |·•/"))
    return bool(tokens) and all(t.casefold() in chrome().nav_words for t in tokens)


def menu_item(text: str) -> bool:
    """A short line that can be one item of a menu printed one item per line."""
    if words(text) > _NAV_ITEM_WORDS or re.search(r"[\d!?,;:\"“”]", text):
        return False
    if text.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+", text.split()[-1]):
        return False
    return text[0].isupper() or nav_words_only(text)


def menu_runs(texts: list[str], blank_before: list[bool]) -> set[int]:
    """Indexes of lines in menus printed one item per line: `menu_run` or more short lines
    stacked without a blank line, or two or more lines made only of menu words."""
    found: set[int] = set()
    start = 0
    while start < len(texts):
        end = start
        while (
            end < len(texts) and menu_item(texts[end]) and (end == start or not blank_before[end])
        ):
            end += 1
        run = range(start, end)
        if len(run) >= chrome().menu_run or (
            len(run) >= 2 and all(nav_words_only(texts[i]) for i in run)
        ):
            found.update(run)
        start = max(end, start + 1)
    return found


def masthead(text: str) -> str | None:
    """The site name of a masthead line in capitals, as commonly written, or None.

    "CASPIAN WIRE" -> "Caspian Wire"; "TBILISI TRIBUNE | Politics" -> "Tbilisi Tribune".
    """
    items = _items(text) or [text]
    name = items[0]
    if not (name.isupper() and 1 <= words(name) <= _MASTHEAD_MAX_WORDS):
        return None
    if not _CAPS_NAME.fullmatch(name) or not all(_nav_item(item) for item in items[1:]):
        return None
    return " ".join(
        word.lower() if index and word.lower() in _SMALL_WORDS else word.capitalize()
        for index, word in enumerate(name.split())
    )


# Site names run to four words ("MEHR NEWS AGENCY", "RADIO FREE EUROPE RADIO LIBERTY" is
# written with a slash); five leaves room without taking short shouted headlines.
_MASTHEAD_MAX_WORDS = 5
_CAPS_NAME = re.compile(r"[A-ZÀ-ÞĀ-Ž][A-ZÀ-ÞĀ-Ž&'’/ -]*")
_SMALL_WORDS = frozenset({"of", "the", "and", "on", "in", "for", "de", "la", "el"})


def site_crumb(text: str) -> str | None:
    """The site name heading a breadcrumb or section row at the top of a page, or None.

    "Lisbon Gazette · Portugal · Justice" -> "Lisbon Gazette"; "Screen Notes › Reviews ›
    Drama" -> "Screen Notes". The first item must read as a name (a known or media-like
    outlet, or two to four capitalised words) and not as a section, region or country
    ("Middle East › Iran", "Latin America | Brazil"); the other items must be short labels.
    """
    items = [item.strip() for item in re.split(r"\s+[|·•/›>»]\s+", text.strip())]
    if len(items) < 2 or not all(_nav_item(item) for item in items[1:]):
        return None
    name = items[0]
    known = known_outlet(name)
    if known:
        return known.name
    if not _nav_item(name) and not media_like(name):
        return None
    tokens = name.split()
    if media_like(name) or (
        2 <= len(tokens) <= _NAV_ITEM_WORDS + 1
        and all(t[0].isupper() for t in tokens)
        and not _section_name(name)
    ):
        return name
    return None


def _section_name(name: str) -> bool:
    """Whether a short capitalised name is a menu section, a region or a country
    ("Politics", "Latin America", "New York") rather than a site's or a person's name."""
    tokens = name.split()
    return (
        nav_words_only(name)
        or any(t.casefold() in chrome().region_words for t in tokens)
        or _country(name)
    )


@cache
def _countries() -> frozenset[str]:
    """Names of countries (official and common) and their regions, states and provinces,
    case-folded."""
    names: set[str] = {sub.name.casefold() for sub in pycountry.subdivisions}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(value.casefold())
    return frozenset(names)


def _country(name: str) -> bool:
    """Whether `name` is a country's or a country subdivision's name."""
    return name.casefold() in _countries()


def print_edition(text: str) -> tuple[str, str | None] | None:
    """(outlet, date) of a print-edition note ("Published in Dawn, January 10th, 2026",
    "This article first appeared in The Conversation."), or None."""
    found = chrome().print_edition.fullmatch(text.strip())
    if not found:
        return None
    name = found.group("name").strip(" .")
    if not (known_outlet(name) or 1 <= words(name) <= _MASTHEAD_MAX_WORDS):
        return None
    return (known_outlet(name) or Outlet(name, "outlet")).name, find_date(text)


def bullet_item(text: str) -> str | None:
    """The text of a bulleted or numbered list item ("• Headline", "- Headline",
    "2. Headline"), or None."""
    found = re.match(r"^(?:[•▪►◦*–—-]|\d{1,2}[.)])\s+(.+)$", text)
    return found.group(1) if found else None
