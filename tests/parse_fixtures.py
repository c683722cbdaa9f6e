"""Helpers shared by the text-dump parsing tests: read a fixture dump, split its body."""

from __future__ import annotations

from pathlib import Path

from releasewatch.model import Article, RawDocument
from releasewatch.parse.text import parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "text"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def read(name: str, **hints: str) -> Article:
    """Parse one fixture dump."""
    path = FIXTURES / name
    return parse_text(RawDocument(source=str(path), text=path.read_text(encoding="utf-8"), **hints))


def paragraphs(article: Article) -> list[str]:
    """The body's paragraphs as the extractor splits them."""
    return article.text.split("\n\n")
