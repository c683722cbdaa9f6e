"""RSS and Atom feeds -> one document per entry, through feedparser.

feedparser is always handed a stream of the file's bytes: given a string or bytes it may
treat the content as a path or URL and read that instead. A feed that is not well-formed is
read by feedparser's lenient parser; its own error is then reported, and so is every item
the lenient reading lost or garbled (counted against the items the raw markup opens).
"""

from __future__ import annotations

import html
import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..model import RawDocument

_TAG = re.compile(r"<[A-Za-z!/]")
_ITEM_OPEN = re.compile(r"<(?:[\w-]+:)?(?:item|entry)(?=[\s>/])", re.I)
_TITLE = re.compile(
    r"<(?:[\w-]+:)?title\b[^>]*>(?P<v>.*?)(?:</(?:[\w-]+:)?title\s*>|<|$)", re.I | re.S
)
_LINK = re.compile(
    r"<(?:[\w-]+:)?link\b(?:[^>]*?\bhref\s*=\s*[\"'](?P<href>[^\"']*)[\"'])?[^>]*>"
    r"(?P<v>[^<]*)",
    re.I,
)
_CDATA = re.compile(r"<!\[CDATA\[|\]\]>")
_CHARREF = re.compile(rb"&#(?:[xX](?P<hex>[0-9a-fA-F]{1,8})|(?P<dec>[0-9]{1,10}));")
_MARKUP = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class _RawItem:
    """An item (or entry) as the raw markup opens it: where, and its title and link."""

    number: int
    line: int
    title: str | None
    link: str | None

    def label(self) -> str:
        """The item as named in a problem: number, line, title or link."""
        named = f" '{self.title}'" if self.title else f" <{self.link}>" if self.link else ""
        return f"item {self.number} (line {self.line}){named}"


def _plain(value: str | None) -> str | None:
    """Markup text as plain words: CDATA markers and tags dropped, entities read."""
    if value is None:
        return None
    text = " ".join(html.unescape(_MARKUP.sub(" ", _CDATA.sub("", value))).split())
    return text or None


def _raw_items(text: str) -> list[_RawItem]:
    """Every item or entry the raw markup opens, with the title and link found in it."""
    opens = list(_ITEM_OPEN.finditer(text))
    items = []
    for number, found in enumerate(opens, start=1):
        end = opens[number].start() if number < len(opens) else len(text)
        chunk = text[found.start() : end]
        title = _TITLE.search(chunk)
        link = _LINK.search(chunk)
        items.append(
            _RawItem(
                number,
                text.count("\n", 0, found.start()) + 1,
                _plain(title.group("v")) if title else None,
                _plain(link.group("href") or link.group("v")) if link else None,
            )
        )
    return items


def _same(a: str | None, b: str | None) -> bool:
    """Whether two fields agree, a missing one agreeing with anything."""
    return a is None or b is None or a == b


def _matches(entry: Any, item: _RawItem) -> bool:
    """Whether a parsed entry is that raw item, read faithfully (title and link agree)."""
    title, link = _plain(entry.get("title")), _plain(entry.get("link"))
    if title is None and link is None:
        return False
    return _same(title, item.title) and _same(link, item.link)


def _parser_error(feed: Any) -> str:
    """feedparser's own error, with its line and column when it gives them."""
    exc = feed.get("bozo_exception")
    line = getattr(exc, "getLineNumber", None)
    if callable(line):  # a SAXParseException: its message, then where
        return f"feedparser: {exc.getMessage()} at line {line()}, column {exc.getColumnNumber()}"
    return f"feedparser: {exc or 'not well-formed'}"


def _safe_charrefs(data: bytes, source: str) -> tuple[bytes, tuple[str, ...]]:
    """Character references to no character (a lone surrogate, NUL, past U+10FFFF) as
    U+FFFD, each counted: feedparser's lenient parser crashes on them."""
    bad: list[int] = []

    def fix(found: re.Match[bytes]) -> bytes:
        code = int(found["hex"], 16) if found["hex"] else int(found["dec"])
        if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            bad.append(found.start())
            return b"&#xFFFD;"
        return found.group(0)

    data = _CHARREF.sub(fix, data)
    if not bad:
        return data, ()
    where = ", ".join(f"{o:,}" for o in bad[:10]) + (" and more" if len(bad) > 10 else "")
    return data, (
        f"{source}: {len(bad)} character reference(s) to no character replaced with U+FFFD "
        f"(byte offset(s) {where})",
    )


def _entry_date(entry: Any) -> str | None:
    """An RSS/Atom entry's publication (else update) date as YYYY-MM-DD."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            return time.strftime("%Y-%m-%d", parsed)
    return None


def read_feed(data: bytes, source: str) -> Iterator[RawDocument | InputError]:
    """One document per RSS/Atom entry, from its content (else summary); losses reported."""
    import feedparser

    from . import hint, html_document, text_document

    data, repaired = _safe_charrefs(data, source)
    try:
        feed = feedparser.parse(io.BytesIO(data))
    except (UnicodeError, ValueError, OverflowError, LookupError, TypeError) as exc:
        # feedparser itself breaks on some malformed input (a mangled encoding declaration)
        raise InputError(
            source, f"feedparser cannot read it ({type(exc).__name__}: {exc})"
        ) from exc
    error = _parser_error(feed) if feed.get("bozo") else None
    entries = list(feed.entries)
    lost: list[_RawItem] = []
    garbled: set[int] = set()
    if error:
        raw = _raw_items(data.decode("utf-8", "replace"))
        faithful = [next((i for i in raw if _matches(e, i)), None) for e in entries]
        garbled = {n for n, item in enumerate(faithful) if item is None}
        read = {item.number for item in faithful if item is not None}
        lost = [item for item in raw if item.number not in read]
    if not entries:
        why = f" ({error})" if error else ""
        raise InputError(source, f"not a feed, or a feed with no entries{why}")
    if lost or garbled:
        yield InputError(
            source,
            f"malformed feed ({error}): {len(lost)} item(s) lost"
            + (f", {len(garbled)} entry(ies) garbled" if garbled else "")
            + (": " + "; ".join(item.label() for item in lost) if lost else ""),
        )
    encoding = feed.get("encoding") or "utf-8"
    note = (f"{source}: malformed feed, read leniently ({error})",) if error else ()
    note = (*repaired, *note)
    for number, entry in enumerate(entries, start=1):
        where = f"{source}#entry{number}"
        if number - 1 in garbled:
            yield InputError(
                where,
                f"entry garbled by the malformed feed ({error}): its title and link match "
                "no item of the feed, so it is not read",
            )
            continue
        contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
        if contents:
            best = max(contents, key=lambda c: len(c.get("value") or ""))
            value, ctype = best.get("value") or "", best.get("type") or ""
        else:
            value = entry.get("summary") or ""
            ctype = (entry.get("summary_detail") or {}).get("type") or ""
        hints = {
            "url": hint(entry.get("link")),
            "title": hint(entry.get("title")),
            "published": _entry_date(entry),
            "encoding": encoding,
            "problems": note,
        }
        try:
            if not value.strip():
                why = f" (the feed is malformed: {error})" if error else ""
                raise InputError(where, f"feed entry has no content or summary{why}")
            if "html" in ctype and _TAG.search(value):
                yield html_document(value, where, **hints)
            else:
                yield text_document(value, where, **hints)
        except InputError as exc:
            yield exc
