"""Parse stage: RawDocument -> Article (metadata and clean body text)."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata

from ..model import Article, RawDocument

_SPACE = re.compile(r"\s+")


def normalise_content(text: str) -> str:
    """Content as compared for identity: NFC, white space collapsed, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def article_id(content: str, url: str | None = None) -> str:
    """Stable identity of an article: hash of its normalised content, plus its URL when known."""
    digest = hashlib.sha256(normalise_content(content).encode("utf-8"))
    if url:
        digest.update(b"\x00" + url.strip().encode("utf-8"))
    return digest.hexdigest()[:20]


def parse(doc: RawDocument) -> Article:
    """Turn one raw document into an article: clean body, metadata, stable identity.

    The reading's decisions ride along: the encoding, its confidence, and the problems met
    while reading (bytes replaced, an encoding guessed) before those met while parsing.
    """
    if doc.kind == "html":
        from .html import parse_html

        article = parse_html(doc)
    else:
        from .text import parse_text

        article = parse_text(doc)
    return dataclasses.replace(
        article,
        encoding=doc.encoding,
        encoding_confidence=doc.encoding_confidence,
        problems=(*doc.problems, *article.problems),
    )
