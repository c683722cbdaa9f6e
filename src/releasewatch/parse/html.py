"""HTML pages -> Article: main text and metadata through trafilatura, plus lead recovery.

trafilatura finds the article body and the page's metadata. Two things are added on top:
a precision-first extraction with a fall back to the default one when it keeps too little,
and recovery of a lead paragraph (standfirst, summary) that stands outside the article
element and so is dropped by trafilatura.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import trafilatura
from lxml import etree
from rapidfuzz import fuzz
from trafilatura.utils import load_html

from .. import lexicon
from ..errors import InputError
from ..model import Article, RawDocument
from . import article_id

_SETTINGS = lexicon.load("html")  # tuned settings, with how each was set: data/html.toml
PRECISION_MIN_SHARE = float(_SETTINGS["precision_min_share"])
LEAD_MIN_WORDS = int(_SETTINGS["lead_min_words"])
LEAD_PRESENT_SCORE = int(_SETTINGS["lead_present_score"])
LEAD_COMPARE_CHARS = int(_SETTINGS["lead_compare_chars"])
LEAD_CLASS_WORDS = tuple(_SETTINGS["lead_class_words"])

_EXTRACT_OPTIONS: dict[str, Any] = {
    "include_comments": False,  # reader comments are not the article (+0.007 F1 on the bench)
    "include_tables": True,  # tables in news bodies are content (dropping them: -0.003 F1)
    "include_images": False,
    "deduplicate": False,  # dedup removed repeated real sentences (-0.016 F1)
}
# A publication date only from metadata (meta tags, JSON-LD, <time>, date-classed elements,
# the URL), never from a year in the body: htmldate's opportunistic text search, which turned
# "held since 2024" into 2024-01-01, is off (issue 10). On the 181-page article-extraction
# bench it dates 179 pages instead of 181; the two lost print "publiziert am 25. September
# 2018", a German date line that the English readers do not cover.
_DATE_OPTIONS: dict[str, Any] = {"extensive_search": False, "original_date": True}
_CLASS_WORD = re.compile(r"[a-z]+")
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$")
_TRUNCATED = re.compile(r"(\.\.\.|…)\s*$")
# fmt: off
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "center", "dd", "div", "dl", "dt",
    "figure", "figcaption", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "ul",
})
# fmt: on
_SKIP_ANCESTORS = frozenset(
    {"figure", "figcaption", "nav", "footer", "aside", "form", "script", "style"}
)
_PAGE_TAG = re.compile(r"<(?:html|body)[\s>]", re.I)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_html(doc: RawDocument) -> Article:
    """Parse an HTML page: body text (paragraphs split by a blank line), metadata, identity."""
    html = as_page(doc.text)
    meta = trafilatura.bare_extraction(
        html,
        url=doc.url,
        with_metadata=True,
        favor_precision=True,
        date_extraction_params=_DATE_OPTIONS,
        **_EXTRACT_OPTIONS,
    )
    precise = _paragraphs(getattr(meta, "text", None) or "")
    default = _paragraphs(trafilatura.extract(html, url=doc.url, **_EXTRACT_OPTIONS) or "")
    paragraphs = precise
    if _length(precise) < PRECISION_MIN_SHARE * _length(default):
        paragraphs = default
    problems: list[str] = []
    if not paragraphs:
        paragraphs = _paragraphs(trafilatura.baseline(html)[1] or "")
        if paragraphs:
            problems.append("no article body found; kept the page's whole text")
    description = getattr(meta, "description", None) if meta is not None else None
    title = doc.title or _meta(meta, "title")
    if paragraphs and title and _norm(paragraphs[0]) == _norm(title):
        paragraphs = paragraphs[1:]  # the headline printed atop the body is not body text
    body = "\n\n".join(paragraphs)
    lead = recover_lead(html, paragraphs, description, title)
    if lead:
        paragraphs.insert(0, lead)
    if not paragraphs:
        raise InputError(doc.source, "HTML holds no article text")
    text = "\n\n".join(paragraphs)
    url = doc.url or _meta(meta, "url")
    published = doc.published or _meta(meta, "date")
    if published and not _DATE.match(published):
        published = None
    found = _text_metadata(
        text, body, title, doc.outlet or _meta(meta, "sitename"), _meta(meta, "author")
    )
    published = published or found["published"]  # a date the dateline states
    return Article(
        id=article_id(text, url),
        source=doc.source,
        text=text,
        raw=doc.text,
        kind="html",
        url=url,
        title=title,
        published=published,
        outlet=found["outlet"],
        author=found["author"],
        dateline=found["dateline"],
        cited_sources=found["cited"],
        problems=tuple(problems),
    )


def as_page(html: str) -> str:
    """The markup as a whole page: a fragment (a feed entry's content) gets <html><body>."""
    if _PAGE_TAG.search(html[:4096]):
        return html
    return f"<html><body>{html}</body></html>"


def _meta(meta: Any, name: str) -> str | None:
    """A trafilatura metadata field as a trimmed string, or None."""
    value = getattr(meta, name, None) if meta is not None else None
    return value.strip() or None if isinstance(value, str) else None


def _paragraphs(text: str) -> list[str]:
    """trafilatura's line-per-block text as a list of paragraphs, white space collapsed."""
    return [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line]


def _length(paragraphs: list[str]) -> int:
    """Characters in a list of paragraphs."""
    return sum(len(p) for p in paragraphs)


def _text_metadata(
    text: str, body: str, title: str | None, outlet: str | None, author: str | None
) -> dict[str, Any]:
    """Dateline (its place and any full date it prints), outlet, author and cited sources.

    Used only when that module is there. The dateline is looked for at the head of the
    article body (`body`, without a recovered lead before it). An agency byline ("Reuters"
    as author) is a cited source and leaves the author empty, as SCHEMA.md asks.
    """
    found: dict[str, Any] = {
        "outlet": outlet,
        "author": author,
        "dateline": None,
        "cited": (),
        "published": None,
    }
    try:
        from . import metadata
    except ImportError:
        return found
    dateline = metadata.find_dateline(body)
    found["dateline"] = dateline.place if dateline else None
    found["published"] = dateline.published if dateline else None
    if found["outlet"] is None:
        found["outlet"] = metadata.find_outlet(text, dateline=dateline)
    cited = list(metadata.find_cited_sources(text, title=title, outlet=found["outlet"]))
    agency = metadata.known_outlet(author) if author else None
    if agency is not None:
        found["author"] = None
        if agency.name not in cited:
            cited.append(agency.name)
    found["cited"] = tuple(cited)
    return found


# Lead recovery ------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Text as compared for presence: lower case, words only."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _is_sentence(text: str) -> bool:
    """True when a candidate reads as a complete sentence rather than a label or teaser."""
    return (
        len(text.split()) >= LEAD_MIN_WORDS
        and bool(_SENTENCE_END.search(text))
        and not _TRUNCATED.search(text)
    )


def _in_body(candidate: str, paragraphs: list[str]) -> bool:
    """True when the candidate is already in the body (exactly or nearly)."""
    cand = _norm(candidate)
    head = _norm(" ".join(paragraphs))
    if not cand or cand in head:
        return True
    return fuzz.partial_ratio(cand, head[:LEAD_COMPARE_CHARS]) >= LEAD_PRESENT_SCORE


def _skipped(el: etree._Element) -> bool:
    """True inside captions, navigation, asides and forms, where no lead lives."""
    return (
        any(isinstance(a.tag, str) and a.tag in _SKIP_ANCESTORS for a in el.iterancestors())
        or el.tag in _SKIP_ANCESTORS
    )


def _run_from(parent: etree._Element, start: str, siblings: Iterable[Any]) -> str:
    """Inline text from `start` on through `siblings` until a block element or a <br>."""
    parts = [start]
    for child in siblings:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag in _BLOCK_TAGS:
            break
        parts.append(child.text_content())
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _text_run(node: Any) -> str:
    """The paragraph-like inline run that an lxml text node starts or sits in."""
    parent = node.getparent()
    if node.is_tail:
        container = parent.getparent()
        if container is None:
            return " ".join(str(node).split())
        return _run_from(container, str(node), parent.itersiblings())
    return _run_from(parent, str(node), iter(parent))


def _by_description(tree: etree._Element, description: str) -> str | None:
    """The visible page text that the meta description quotes (fully, if it was truncated)."""
    words = _TRUNCATED.sub("", description).split()
    probe = " ".join(words[:6])
    if len(words) < LEAD_MIN_WORDS or not probe:
        return None
    for node in tree.xpath("//body//text()[contains(., $p)]", p=probe):
        parent = node.getparent()
        if parent is None or _skipped(parent):
            continue
        run = _text_run(node)
        if _norm(run).startswith(_norm(probe)):
            return run
    return None


def _class_words(el: etree._Element) -> set[str]:
    """The words of an element's class and id attributes."""
    return set(_CLASS_WORD.findall(f"{el.get('class', '')} {el.get('id', '')}".lower()))


def _by_structure(tree: etree._Element, paragraphs: list[str]) -> str | None:
    """A standfirst block (lead/summary class, or <h2>) between the headline and the body."""
    probe = " ".join(paragraphs[0].split()[:6]) if paragraphs else ""
    anchors = tree.xpath("//body//text()[contains(., $p)]", p=probe) if probe else []
    if not anchors:
        return None
    order = {el: i for i, el in enumerate(tree.iter())}
    anchor = anchors[0].getparent()
    body_at = order.get(anchor, 0)
    around = set(anchor.iterancestors())
    headlines = [order[h] for h in tree.iter("h1") if order[h] < body_at]
    start = headlines[-1] if headlines else 0
    wanted = set(LEAD_CLASS_WORDS)
    found = None
    for el in tree.iter():
        at = order.get(el, -1)
        if at <= start or not isinstance(el.tag, str) or _skipped(el):
            continue
        if at >= body_at:
            break
        if el in around:
            continue
        if el.tag == "h2" or _class_words(el) & wanted:
            text = " ".join(el.text_content().split())
            if _is_sentence(text):
                found = text  # the last one before the body is the nearest
    return found


def recover_lead(
    html: str, paragraphs: list[str], description: str | None, title: str | None = None
) -> str | None:
    """A lead paragraph that trafilatura dropped, to put before the body; None if none is."""
    tree = load_html(html)
    if tree is None:
        return None
    candidates: list[str] = []
    if description:
        description = " ".join(description.split())
        seen = _by_description(tree, description)
        if seen:
            candidates.append(seen)
    structural = _by_structure(tree, paragraphs)
    if structural:
        candidates.append(structural)
    for candidate in candidates:
        if not _is_sentence(candidate) or _in_body(candidate, paragraphs):
            continue
        if title and _norm(candidate) == _norm(title):
            continue
        return candidate
    return None
