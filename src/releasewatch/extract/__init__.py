"""Extract stage: Article -> event mentions, each with its evidence sentence."""

from __future__ import annotations

from ..model import Article, EventMention


def extract(article: Article) -> tuple[EventMention, ...]:
    """Every event the article reports, in text order."""
    from .events import extract_events

    return extract_events(article)
