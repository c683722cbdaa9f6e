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

from ..model import Article, RawDocument
from . import article_id
from . import chrome as kinds
from .dates import DATE_ANY, filler_only, find_date
from .metadata import (
    Byline,
    author_line,
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
    published_updated: bool = False  # the date found is a revision date
    place: str | None = None
    outlet: str | None = None
    appeal: list[str] = field(default_factory=list)
    byline: Byline | None = None
    author: str | None = None
    stamp_author: str | None = None  # a name printed on the date line
    tags: list[str] = field(default_factory=list)
    signoff: str | None = None
    source_outlet: str | None = None  # "Source: Xinhua": the outlet if none other is named
    sources: list[str] = field(default_factory=list)
    masthead: str | None = None
    top_masthead: str | None = None  # a masthead in capitals above the headline
    print_outlet: str | None = None  # "Published in Dawn, January 10th, 2026"
    problems: list[str] = field(default_factory=list)


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
            match = kinds.chrome().header.match(raw_line)
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
    chrome = kinds.chrome()
    kept: list[_Line] = []
    in_related = False  # inside a block of teasers after "Related", "Read also"...
    label_text = ""
    collecting_tags = False
    prose_seen = False
    prose_lines = 0
    appeal_until = -1
    # menus printed one item per line, and lone menu words, above the first prose line
    first_prose = next((i for i, ln in enumerate(lines) if kinds.is_prose(ln.text)), len(lines))
    head = lines[:first_prose]
    menus = kinds.menu_runs([ln.text for ln in head], [ln.blank_before for ln in head])
    menus.update(i for i, ln in enumerate(head) if kinds.nav_words_only(ln.text))
    for index, line in enumerate(lines):
        text = line.text
        if index in menus:
            continue
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
        if not kept and not prose_seen and _masthead(lines, index, found):
            tagline = _tagline(lines, index + 1, first_prose)
            if tagline is not None:
                menus.add(tagline)
            continue
        edition = kinds.print_edition(text)
        if edition and prose_seen:  # "Published in Dawn, January 10th, 2026"
            found.print_outlet = found.print_outlet or edition[0]
            if edition[1] and found.published is None:
                _note_date(found, edition[1], updated=False)
            continue
        stamp = kinds.date_stamp(text)
        if stamp:
            if prose_lines <= _STAMP_AFTER_PROSE and stamp.published:  # not a date in the story
                _note_date(found, stamp.published, updated=stamp.updated)
                found.place = found.place or stamp.place
                found.outlet = found.outlet or stamp.outlet
                found.stamp_author = found.stamp_author or stamp.author
            continue
        stripped = kinds.strip_teaser(text)
        if stripped is not None:
            # "Kyiv • UNN • 26.11.25, 14:56": the page's own dateline with its stamp
            stamp_head = re.split(r"\s*•\s*\d", text, maxsplit=1)[0]
            bullet = dateline_line(stamp_head) if "•" in stamp_head else None
            if bullet:
                found.place = found.place or bullet.place
                found.outlet = found.outlet or bullet.outlet
                continue
            if not stripped:
                continue
            text = stripped
        if collecting_tags and not line.blank_before:
            if kinds.tag_line(text) or kinds.tag_list(text):
                found.tags.extend(kinds.tag_list(text) or [text])
                continue
            collecting_tags = False
        tags = chrome.tags.fullmatch(text)
        if tags:
            items = re.split(r"[,|·•]|\s{2,}", tags.group(1))
            found.tags.extend(t.strip() for t in items if t.strip())
            collecting_tags = True
            continue
        if text.startswith("#"):  # "#Georgia #media freedom #courts"
            found.tags.extend(t.strip() for t in text.split("#") if t.strip())
            continue
        if _credit_line(text, found, dated=prose_lines <= _STAMP_AFTER_PROSE):
            continue
        if in_related:
            # a block of teasers runs on until a blank line (one may follow the label)
            if (not line.blank_before or lines[index - 1].text == label_text) and (
                _teaser_headline(text)
            ):
                continue
            in_related = False
        label = kinds.label(text)
        if label:
            in_related, label_text = label == ("related", ""), text
            continue
        if kinds.is_ui(text) or kinds.is_caption(text):
            continue
        bullet = dateline_line(text)
        if bullet:
            found.place = found.place or bullet.place
            found.outlet = found.outlet or bullet.outlet
            continue
        if kinds.is_nav(text):
            continue
        if line.header_rest and kinds.words(text) <= _HEADER_CHROME_WORDS:
            continue  # the rest of the scraper's header: a language switcher, a time
        prose_seen = prose_seen or kinds.is_prose(text)
        prose_lines += kinds.is_prose(text)
        kept.append(_Line(text, line.blank_before, line.header_rest))
    return kept


# A date line is the page's own above the article or after its standfirst (one prose line,
# as the dev dumps print it); further down it dates something else (a teaser, an update).
_STAMP_AFTER_PROSE = 1


def _note_date(found: _Found, day: str, *, updated: bool) -> None:
    """Record a printed date; a first-publication date replaces a revision date."""
    if found.published is None or (found.published_updated and not updated):
        found.published = day
        found.published_updated = updated


# The rest of the scraper's header line is chrome when this short ("RU EN 中文", "17:05");
# a longer rest is the lead, even without its full stop (dev: leads there run to 20+ words).
_HEADER_CHROME_WORDS = 4


def _masthead(lines: list[_Line], index: int, found: _Found) -> bool:
    """Whether the line at `index` is the site's masthead; records its name.

    A masthead in capitals ("CASPIAN WIRE | Politics"), or a site name heading a
    breadcrumb ("Screen Notes › Reviews › Drama"). It must stand at the top with a headline
    in ordinary case below it, so a headline printed in capitals is not taken for one.
    """
    line = lines[index]
    if line.header_rest:
        return False
    name = kinds.masthead(line.text)
    crumb = None if name else kinds.site_crumb(line.text)
    if name is None and crumb is None:
        return False
    below = lines[index + 1 : index + 1 + _MASTHEAD_REACH]
    if not any(kinds.headline_like(ln.text) and not ln.text.isupper() for ln in below):
        return False
    if crumb:  # read from the form of a row: weaker than a masthead or a wire dateline
        found.masthead = found.masthead or crumb
        return True
    known = known_outlet(name or "")
    found.top_masthead = known.name if known else name
    return True


def _tagline(lines: list[_Line], index: int, end: int) -> int | None:
    """`index` when that line is the site's tagline under its masthead, else None.

    "UKRINFORM" / "Multimedia platform for broadcasting": a headline-like line set right
    under the masthead (no blank line between), with another headline-like line further
    down, after a blank line, before the article's first prose line.
    """
    if index >= end or lines[index].blank_before or not _plain_headline(lines[index].text):
        return None
    later = lines[index + 1 : end]
    if any(ln.blank_before and _plain_headline(ln.text) for ln in later):
        return index
    return None


def _plain_headline(text: str) -> bool:
    """A headline-like line that is not a date line, menu row, masthead or byline."""
    return (
        kinds.headline_like(text)
        and not text.isupper()
        and kinds.date_stamp(text) is None
        and not kinds.is_nav(text)
        and not kinds.is_ui(text)
        and parse_byline(text) is None
    )


# How many lines below a masthead its headline may stand (a menu row and a date between).
_MASTHEAD_REACH = 4


def _without_own_date(item: str) -> str:
    """A teaser without its own date after a separator, a run of spaces or in brackets:
    "... · 21.04.2026", "...   03 Feb 2026", "... (Jan 30, 2026)", "... — 12/02/2026 · 5 views"."""
    dates = [*DATE_ANY.finditer(item), *_SHORT_DATE.finditer(item)]
    for found in sorted(dates, key=lambda m: m.start()):
        head, tail = item[: found.start()], item[found.end() :]
        if re.search(r"(?:\s+[|·•–—-]\s*|\s{2,}|\s*\()$", head) and re.fullmatch(
            r"(?:[^A-Za-z]|views?)*", tail
        ):
            return head.rstrip(" |·•–—-(")
    return item


# A teaser's date with a two-digit year ("21.04.26"); full dates are read by DATE_ANY.
_SHORT_DATE = re.compile(r"(?<![\d.])\d{1,2}[./]\d{1,2}[./]\d{2}(?![\d])")


def _teaser_headline(text: str) -> bool:
    """A line in a related-stories block: a headline, maybe bulleted or with its date."""
    item = kinds.bullet_item(text) or text
    item = _without_own_date(item)
    return kinds.headline_like(item) or kinds.is_nav(text)


def _credit_line(text: str, found: _Found, *, dated: bool) -> bool:
    """A line crediting sources: "Sources: Belta, Ukrinform", "With files from Reuters",
    "Source: Xinhua | 2026-05-04 | Editor: Li Wei", "(With AFP and Reuters)", "AFP/Reuters".

    A lone "Source: X" names where the story came from: the outlet when the page names no
    other. A date in the line is the publication date when `dated` (above the story).
    """
    chrome = kinds.chrome()
    day: str | None = None
    # "2026-05-04 16:42 | Source: Xinhua": a date printed before the label
    label = re.search(r"\s[|·•]\s+(?=(?i:sources?|via)\s*:)", text)
    if label:
        before = [part.strip() for part in re.split(r"\s+[|·•]\s+", text[: label.start()])]
        if not all(find_date(part) or filler_only(part) for part in before):
            return False
        day = next((find_date(part) for part in before if find_date(part)), None)
        text = text[label.end() :]
    credit = chrome.sources.fullmatch(text)
    strict = credit is None  # a bare list of agencies must hold nothing else
    credit = credit or chrome.agency_credit.fullmatch(text)
    if credit is None:
        return False
    names: list[str] = []
    for item in re.split(r"[,;|]|\s+and\s+|\s*&\s*|\s+/\s+", credit.group("names")):
        item = item.strip(" .()[]")
        parts = [item] if is_outlet_name(item) or "/" not in item else item.split("/")
        for part in (p.strip() for p in parts):
            if not part:
                continue
            if find_date(part):
                day = day or find_date(part)
            elif known_outlet(part) if strict else is_outlet_name(part):
                names.append(part)
            elif strict:
                return False
    if strict and (not names or (len(names) < 2 and not credit.group("lead"))):
        return False
    found.sources.extend(names)
    if len(names) == 1 and re.match(r"(?i)\s*source\s*:", text):
        found.source_outlet = found.source_outlet or normalise_outlet(names[0])
    if day and dated:
        _note_date(found, day, updated=False)
    return True


# Longest outlet name read from a header line by its form ("The Daily Star Herald").
_OUTLET_LINE_WORDS = 4


def _read_header(lines: list[_Line], found: _Found) -> tuple[str | None, list[_Line]]:
    """Take the headline, byline, author line, tag line and masthead above the first prose."""
    title: str | None = None
    text_seen = False  # article text met before any headline: then there is none
    body: list[_Line] = []
    in_header = True
    title_at = -1
    for index, line in enumerate(lines):
        text = line.text
        if in_header and kinds.is_prose(text):
            in_header = False
        if not in_header:
            body.append(line)
            continue
        tags = kinds.tag_list(text)
        if tags and not text_seen:
            found.tags.extend(tags)
            continue
        byline = parse_byline(text)
        if byline:
            found.byline = found.byline or byline
            continue
        known = known_outlet(text)
        named = known.name if known else None
        if named is None and kinds.words(text) <= _OUTLET_LINE_WORDS and is_outlet_name(text):
            named = normalise_outlet(text)  # "The Canadian Press" on a line of its own
        if named and not line.header_rest:
            found.masthead = found.masthead or named
            continue
        if title is None and not text_seen and not line.header_rest and kinds.headline_like(text):
            title, title_at = text, index
            continue
        kicker = title is not None and title_at == index - 1 and _kicker(title)
        if kicker and not line.header_rest and kinds.headline_like(text):
            title = text  # "Human rights" above "Egypt frees rights lawyer after two years"
            continue
        if title is not None and found.author is None and found.byline is None:
            name = author_line(text)
            if name:
                found.author = name
                continue
        text_seen = True
        body.append(line)
    return title, body


# A section kicker printed above a headline runs to three words ("Human rights",
# "Conflict in Sudan"); a headline of the dumps seen has five words and more.
_KICKER_WORDS = 3


def _kicker(title: str) -> bool:
    """Whether a headline is short enough to be a section kicker above the real one."""
    return kinds.words(title) <= _KICKER_WORDS


def _read_tail(lines: list[_Line], found: _Found) -> list[_Line]:
    """Take a sign-off, a trailing tag list and the byline name above it."""
    lines = list(lines)
    while len(lines) > 1 and kinds.words(lines[-1].text) <= 8:  # "Author: Daina Petrauskaite"
        byline = parse_byline(lines[-1].text)
        if byline is None or found.byline is not None:
            break
        found.byline = byline
        lines.pop()
    if len(lines) > 1 and (lines[-1].blank_before or not kinds.tag_line(lines[-2].text)):
        last = lines[-1].text.lstrip("=–—- ")  # "==Kyodo", "— AFP"
        known = known_outlet(last)
        if known or re.fullmatch(r"[A-Z][\w-]*\.[A-Za-z]{2,4}", last):
            found.signoff = known.name if known else last
            lines.pop()
    start = len(lines)
    while start > 1 and kinds.tag_line(lines[start - 1].text):
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
        if kinds.headline_like(line.text) and kinds.chrome().credited_headline.search(line.text):
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
            and not kinds.CLOSING.search(paragraphs[-1])
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
        or found.top_masthead
        or (dateline.outlet if dateline else None)
        or found.outlet
        or byline.outlet
        or found.masthead
        or find_outlet(body, dateline=dateline)
        or found.source_outlet
        or found.signoff
        or found.print_outlet
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
        published=doc.published
        or found.published
        or byline.published
        or (dateline.published if dateline else None),
        outlet=outlet,
        author=byline.author or found.author or found.stamp_author,
        dateline=place,
        cited_sources=cited,
        tags=tuple(dict.fromkeys(found.tags)),
        problems=tuple(found.problems),
    )
