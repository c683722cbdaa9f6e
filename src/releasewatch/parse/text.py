"""Parse a raw text dump (a scrape with its page chrome) into an Article.

The dump is read line by line: chrome families from `data/chrome.toml` are dropped (scrape
headers, tickers, counters, share rows, captions, appeals, teasers of other stories,
section labels), the header zone above the first prose line gives the headline, byline and
printed date, the tail gives tags, a byline name and a sign-off, and what is left is the
body: the article's own lines verbatim, one paragraph per line, joined by a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .. import lexicon
from ..errors import LexiconError
from ..model import Article, RawDocument
from . import article_id
from .metadata import (
    Byline,
    author_line,
    date_line,
    dateline_line,
    find_cited_sources,
    find_dateline,
    find_outlet,
    is_outlet_name,
    known_outlet,
    normalise_outlet,
    outlet_in,
    parse_byline,
)

# A line that closes a sentence, as prose does (headlines seldom end in a full stop).
_SENTENCE_END = re.compile(r"[.…][\"”’')\]]?$")
_CLOSING = re.compile(r"[.!?…:;\"”’')\]]$")
_WORD = re.compile(r"\w+")
# Words in a line from which it is prose even without a full stop (tuned on the dev dumps:
# headlines there run to 17 words, lead lines without a full stop start at 25).
_PROSE_WORDS = 30
_HEADLINE_MAX_WORDS = 30


@dataclass
class _Line:
    """One non-blank line of the dump."""

    text: str
    blank_before: bool
    header_rest: bool = False  # the rest of the scraper's " date ..." line


@dataclass
class _Found:
    """Metadata met while removing chrome."""

    published: str | None = None
    place: str | None = None
    outlet: str | None = None
    appeal: list[str] = field(default_factory=list)
    byline: Byline | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    signoff: str | None = None
    sources: list[str] = field(default_factory=list)
    masthead: str | None = None
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Chrome:
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
    captions: tuple[re.Pattern[str], ...]
    appeal_span: int
    appeal_start: tuple[re.Pattern[str], ...]
    appeal_any: tuple[re.Pattern[str], ...]


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
def _chrome() -> _Chrome:
    """Load and compile data/chrome.toml once."""
    data: dict[str, Any] = lexicon.load("chrome")
    labels = data.get("labels", {})
    appeal = data.get("appeal", {})
    teaser = data.get("teaser", {})
    return _Chrome(
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
        sources=_compile([labels.get("sources", r"(?i)sources?\s*:\s*(.+)")], "labels.sources")[0],
        captions=_compile(data.get("caption", {}).get("marks", []), "caption.marks"),
        appeal_span=int(appeal.get("span", 7)),
        appeal_start=_compile(appeal.get("start", []), "appeal.start"),
        appeal_any=_compile(appeal.get("any", []), "appeal.any"),
    )


# ---------------------------------------------------------------- line kinds


def _words(text: str) -> int:
    """Number of words in a line."""
    return len(_WORD.findall(text))


def _is_prose(text: str) -> bool:
    """Whether a line reads as article prose rather than a headline or label."""
    words = _words(text)
    if words >= _PROSE_WORDS:
        return True
    return bool(_SENTENCE_END.search(text)) and words >= 6


def _headline_like(text: str) -> bool:
    """Whether a line could be a headline: short, not closed like a sentence or a label."""
    words = _words(text)
    if not 2 <= words <= _HEADLINE_MAX_WORDS or _is_prose(text):
        return False
    return not re.search(r"[,;:]$", text) and any(ch.isalpha() for ch in text)


def _is_ui(text: str) -> bool:
    """Navigation, counters, tickers, share rows, URLs."""
    chrome = _chrome()
    if any(p.fullmatch(text) for p in chrome.ui):
        return True
    tokens = re.sub(r"(?i)^share(?: on)?\s*:?", "", text).split()
    if len(tokens) >= 2 and all(t in chrome.share_words for t in tokens):
        return True
    # a menu row: three or more short items set apart by runs of spaces
    items = re.split(r"\s{2,}|\t+", text)
    return len(items) >= 3 and all(
        _words(item) <= 2 and not re.search(r"[.!?,;:]$", item) for item in items
    )


def _segments_chrome(text: str) -> tuple[bool, str | None]:
    """Whether a line of " | "-separated parts is all chrome (date, time, ticker), and its date.

    "Friday, 14 March 2025 | USD 41.52 | EUR 45.07" is chrome dated 2025-03-14.
    """
    parts = [part.strip() for part in re.split(r"\s+\|\s+", text)]
    if len(parts) < 2:
        return False, None
    printed: str | None = None
    for part in parts:
        day = date_line(part)
        if day:
            printed = printed or day
        elif not _is_ui(part):
            return False, None
    return True, printed


def _is_caption(text: str) -> bool:
    """A photo caption or credit."""
    return any(p.search(text) for p in _chrome().captions)


def _strip_teaser(text: str) -> str | None:
    """The line without an embedded teaser stamped with its own time; None if none found.

    Returns "" when the whole line is the teaser, else the article text before it.
    """
    for stamp in _chrome().stamps:
        found = stamp.search(text)
        if not found:
            continue
        head = text[: found.start()]
        # article text before a glued teaser ends in a sentence stop after a lower-case word
        ends = list(re.finditer(r"(?<=[a-z0-9\"”’)])[.!?…][\"”’)]?(?=\s*[A-Z\"“‘«])", head))
        for end in reversed(ends):
            before = head[: end.end()]
            if _words(before) >= 4:
                return before.rstrip()
        return ""
    return None


def _label(text: str) -> tuple[str, str] | None:
    """("section" | "related", rest) when the line starts with a section or related label."""
    chrome = _chrome()
    folded = text.casefold().rstrip(" :.")
    if folded in chrome.sections:
        return ("section", "")
    if any(p.fullmatch(text) for p in chrome.related_lines):
        return ("related", "")
    for label in chrome.related:
        if text.casefold().startswith(label.casefold()):
            rest = text[len(label) :]
            if not rest.strip(" :.–—-"):
                return ("related", "")
            if re.match(r"\s*[:.–—-]", rest):
                return ("related", rest.strip(" :.–—-"))
    return None


def _tag_list(text: str) -> list[str] | None:
    """The items of a comma-separated tag line ("News Feed, Evan Gershkovich, ..."), if one."""
    items = [item.strip() for item in text.split(",")]
    if len(items) < 3 or _CLOSING.search(text):
        return None
    longest = 4 if len(items) >= 4 else 2  # three items read as a tag list only when short
    if all(item and item[0].isupper() and _words(item) <= longest for item in items):
        return items
    return None


def _tag_line(text: str) -> bool:
    """A short line that can be one tag or category in a trailing list."""
    return _words(text) <= 5 and not re.search(r"[.!?:;,\"”“]", text) and text[0].isupper()


# ---------------------------------------------------------------- passes


def _split(raw: str, found: _Found) -> list[_Line]:
    """Non-blank lines, ends stripped; the scraper's date header read and removed."""
    lines: list[_Line] = []
    blank = True
    header_seen = False
    for raw_line in raw.splitlines():
        text = raw_line.strip()
        if not text:
            blank = True
            continue
        header_rest = False
        if not header_seen:
            header_seen = True
            match = _chrome().header.match(raw_line)
            if match:
                found.published = match.group(1)
                text = raw_line[match.end() :].strip()
                header_rest = True
                if not text:
                    continue
        lines.append(_Line(text, blank, header_rest))
        blank = False
    return lines


def _drop_chrome(lines: list[_Line], found: _Found) -> list[_Line]:
    """Remove chrome lines, recording the metadata some of them carry."""
    chrome = _chrome()
    kept: list[_Line] = []
    skip_headline = False
    collecting_tags = False
    prose_seen = False
    appeal_until = -1
    for index, line in enumerate(lines):
        text = line.text
        if index <= appeal_until:
            found.appeal.append(text)
            continue
        if any(p.search(text) for p in chrome.appeal_start):
            window = lines[index : index + chrome.appeal_span]
            last = max(
                (
                    i
                    for i, ln in enumerate(window)
                    if any(p.search(ln.text) for p in chrome.appeal_any)
                ),
                default=0,
            )
            appeal_until = index + last
            found.appeal.append(text)
            continue
        stripped = _strip_teaser(text)
        if stripped is not None:
            # "Kyiv • UNN • 26.11.25, 14:56": the page's own dateline with its stamp
            head = re.split(r"\s*•\s*\d", text, maxsplit=1)[0]
            bullet = dateline_line(head) if "•" in head else None
            if bullet:
                found.place = found.place or bullet.place
                found.outlet = found.outlet or bullet.outlet
                continue
            if not stripped:
                continue
            text = stripped
        if collecting_tags:
            if _tag_line(text) or _tag_list(text):
                found.tags.extend(_tag_list(text) or [text])
                continue
            collecting_tags = False
        tags = chrome.tags.fullmatch(text)
        if tags:
            found.tags.extend(t.strip() for t in re.split(r"[,|]", tags.group(1)) if t.strip())
            collecting_tags = True
            continue
        if text.startswith("#"):  # "#Georgia #media freedom #courts"
            found.tags.extend(t.strip() for t in text.split("#") if t.strip())
            continue
        sources = chrome.sources.fullmatch(text)
        if sources:
            found.sources.extend(
                item.strip()
                for item in re.split(r"[,;|]", sources.group(1))
                if is_outlet_name(item.strip())
            )
            continue
        if skip_headline:
            skip_headline = False
            if _headline_like(text):
                continue
        label = _label(text)
        if label:
            skip_headline = label == ("related", "")
            continue
        if _is_ui(text) or _is_caption(text):
            continue
        is_chrome, printed = _segments_chrome(text)
        printed = printed or date_line(text)
        if is_chrome and not printed:
            continue
        if printed:
            if not prose_seen:  # a date printed above the article, not one inside it
                found.published = found.published or printed
            continue
        bullet = dateline_line(text)
        if bullet:
            found.place = found.place or bullet.place
            found.outlet = found.outlet or bullet.outlet
            continue
        prose_seen = prose_seen or _is_prose(text)
        kept.append(_Line(text, line.blank_before, line.header_rest))
    return kept


def _read_header(lines: list[_Line], found: _Found) -> tuple[str | None, list[_Line]]:
    """Take the headline, byline, author line, tag line and masthead above the first prose."""
    title: str | None = None
    text_seen = False  # article text met before any headline: then there is none
    body: list[_Line] = []
    in_header = True
    for line in lines:
        text = line.text
        if in_header and _is_prose(text):
            in_header = False
        if not in_header:
            body.append(line)
            continue
        tags = _tag_list(text)
        if tags and not text_seen:
            found.tags.extend(tags)
            continue
        byline = parse_byline(text)
        if byline:
            found.byline = found.byline or byline
            continue
        known = known_outlet(text)
        if known and not line.header_rest:
            found.masthead = found.masthead or known.name
            continue
        if title is None and not text_seen and not line.header_rest and _headline_like(text):
            title = text
            continue
        if title is not None and found.author is None and found.byline is None:
            name = author_line(text)
            if name:
                found.author = name
                continue
        text_seen = True
        body.append(line)
    return title, body


def _read_tail(lines: list[_Line], found: _Found) -> list[_Line]:
    """Take a sign-off, a trailing tag list and the byline name above it."""
    lines = list(lines)
    while len(lines) > 1 and _words(lines[-1].text) <= 8:  # "Author: Daina Petrauskaite"
        byline = parse_byline(lines[-1].text)
        if byline is None or found.byline is not None:
            break
        found.byline = byline
        lines.pop()
    if len(lines) > 1 and (lines[-1].blank_before or not _tag_line(lines[-2].text)):
        last = lines[-1].text
        known = known_outlet(last)
        if known or re.fullmatch(r"[A-Z][\w-]*\.[A-Za-z]{2,4}", last):
            found.signoff = known.name if known else last
            lines.pop()
    start = len(lines)
    while start > 1 and _tag_line(lines[start - 1].text):
        start -= 1
        if lines[start].blank_before:
            break
    block = lines[start:]
    if len(block) >= 2:
        found.tags.extend(ln.text for ln in block)
        lines = lines[:start]
    if len(lines) > 1 and lines[-1].blank_before:
        name = author_line(lines[-1].text)
        if name and found.author is None and (found.byline is None or not found.byline.authors):
            found.author = name
            lines.pop()
    return lines


def _drop_repeats(lines: list[_Line], title: str | None) -> list[_Line]:
    """Drop the headline repeated in the body and headlines of other stories credited "- X"."""
    folded_title = " ".join(title.split()).casefold() if title else None
    kept = []
    for line in lines:
        folded = " ".join(line.text.split()).casefold()
        if folded_title and folded == folded_title:
            continue
        if _headline_like(line.text) and _chrome().credited_headline.search(line.text):
            continue
        kept.append(line)
    return kept


def _paragraphs(lines: list[_Line]) -> str:
    """The body: one paragraph per line, a line that runs on into the next joined with "\\n"."""
    paragraphs: list[str] = []
    for line in lines:
        text = line.text
        runs_on = (
            paragraphs
            and not _CLOSING.search(paragraphs[-1])
            and re.match(r"(?:[–—-]\s+)?[a-z]", text)
        )
        if runs_on:
            paragraphs[-1] += "\n" + text
        else:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------- the stage


def parse_text(doc: RawDocument) -> Article:
    """Parse a raw text dump: clean body without page chrome, and the article's metadata."""
    found = _Found()
    lines = _drop_chrome(_split(doc.text, found), found)
    title, body_lines = _read_header(lines, found)
    body_lines = _drop_repeats(_read_tail(body_lines, found), title)
    body = _paragraphs(body_lines)
    if not body:
        found.problems.append("no article text left after removing page chrome")
    title = doc.title or title

    dateline = find_dateline(body)
    byline = found.byline or Byline()
    outlet = (
        doc.outlet
        or (dateline.outlet if dateline else None)
        or found.outlet
        or byline.outlet
        or found.masthead
        or find_outlet(body, dateline=dateline)
        or found.signoff
        or outlet_in("\n".join(found.appeal))
    )
    if outlet:
        outlet = normalise_outlet(outlet)
    place = found.place or (dateline.place if dateline else None)
    cited = find_cited_sources(body, title=title, outlet=outlet)
    credited = [normalise_outlet(name) for name in [*byline.agencies, *found.sources]]
    cited = tuple(dict.fromkeys([*cited, *(name for name in credited if name != outlet)]))
    return Article(
        id=article_id(doc.text, doc.url),
        source=doc.source,
        text=body,
        raw=doc.text,
        kind=doc.kind,
        url=doc.url,
        title=" ".join(title.split()) if title else None,
        published=doc.published or found.published or byline.published,
        outlet=outlet,
        author=byline.author or found.author,
        dateline=place,
        cited_sources=cited,
        tags=tuple(dict.fromkeys(found.tags)),
        problems=tuple(found.problems),
    )
