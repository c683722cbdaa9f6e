"""Extract stage: Article -> event mentions, each with its evidence sentence."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article, EventMention


def extract(article: Article) -> tuple[EventMention, ...]:
    """Every event the article reports, in text order."""
    from .events import extract_events

    return extract_events(article)


def extract_many(articles: Sequence[Article]) -> list[tuple[EventMention, ...]]:
    """The events of each article, as `extract` gives them, parsed together (faster)."""
    from .events import extract_many as many

    return many(list(articles))
