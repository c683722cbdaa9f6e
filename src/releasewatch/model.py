"""The data that flows between stages: frozen dataclasses, no behaviour beyond derivation.

ingest  -> RawDocument
parse   -> Article
extract -> EventMention (with its Evidence)
"""

from __future__ import annotations

from dataclasses import dataclass, field

EVENT_TYPES = (
    "talks",
    "release",
    "exchange",
    "detention",
    "sanctions_imposed",
    "sanctions_eased",
)
STATUSES = ("occurred", "agreed", "discussed")
QUALIFIERS = ("exact", "over", "at_least", "about", "up_to")


@dataclass(frozen=True)
class RawDocument:
    """One input document as read from a source, before any parsing.

    `kind` is "text" (a raw scrape dump) or "html". The optional hints come from the
    container (a JSONL record, a feed entry, a WARC header) and win over what the
    parser guesses from the text.
    """

    source: str  # where it came from: a path, "path:LINE" for JSONL, a URL
    text: str  # decoded content (HTML markup for kind "html")
    kind: str = "text"
    encoding: str = "utf-8"
    url: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    outlet: str | None = None
    encoding_confidence: float = 1.0  # how sure the choice of `encoding` is (0-1)
    problems: tuple[str, ...] = ()  # non-fatal: bytes replaced, an encoding guessed


@dataclass(frozen=True)
class Article:
    """A parsed article: metadata and the clean body text that offsets refer to."""

    id: str  # stable identity: hash of the normalised raw content (+ URL when known)
    source: str
    text: str  # clean body; paragraphs separated by "\n\n"
    raw: str
    kind: str = "text"
    url: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD, only when the page states it
    outlet: str | None = None
    author: str | None = None
    dateline: str | None = None
    cited_sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # non-fatal warnings met while reading and parsing
    encoding: str = "utf-8"  # how the raw bytes were decoded (RawDocument.encoding)
    encoding_confidence: float = 1.0  # how sure that decision is (0-1)


@dataclass(frozen=True)
class Count:
    """How many people an event covers, as stated."""

    value: int
    qualifier: str = "exact"  # one of QUALIFIERS


@dataclass(frozen=True)
class EventMention:
    """One event as one article reports it, with the sentence that states it."""

    type: str  # one of EVENT_TYPES
    status: str  # one of STATUSES
    evidence: str  # the sentence (or clause), exactly as in Article.text
    start: int  # character offsets of `evidence` in Article.text
    end: int
    by: tuple[str, ...] = ()  # party codes: ISO alpha-3, "EU", "UN"
    to: tuple[str, ...] = ()
    count: Count | None = None
    persons: tuple[str, ...] = ()
    sector: str | None = None
    date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    attribution: str | None = None  # who the article credits: "Reuters", "sources", ...
    confidence: float = 1.0
    background: bool = False  # recalled as context ("Recall", "earlier"), not the news
    political: bool = False  # the kind of event these users follow (SCHEMA.md scope, issue 7)


@dataclass(frozen=True)
class ArticleRecord:
    """An article with the events read from it: the unit of the SCHEMA.md interchange."""

    article: Article
    events: tuple[EventMention, ...] = field(default_factory=tuple)
