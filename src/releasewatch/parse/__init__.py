"""Parse stage: RawDocument -> Article (metadata and clean body text)."""

from __future__ import annotations

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
    """Turn one raw document into an article: clean body, metadata, stable identity."""
    if doc.kind == "html":
        from .html import parse_html

        return parse_html(doc)
    from .text import parse_text

    return parse_text(doc)
