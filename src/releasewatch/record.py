"""The SCHEMA.md article record: the project's interchange format (to and from JSON)."""

from __future__ import annotations

from typing import Any

from .model import Article, ArticleRecord, Count, EventMention


def event_to_dict(event: EventMention, happening: str | None = None) -> dict[str, Any]:
    """One event in record form; offsets, attribution and confidence ride along as extra keys."""
    data: dict[str, Any] = {
        "type": event.type,
        "status": event.status,
        "by": list(event.by),
        "to": list(event.to),
        "count": (
            {"value": event.count.value, "qualifier": event.count.qualifier}
            if event.count
            else None
        ),
        "persons": list(event.persons),
        "sector": event.sector,
        "date": event.date,
        "evidence": event.evidence,
        "start": event.start,
        "end": event.end,
        "attribution": event.attribution,
        "confidence": event.confidence,
        "background": event.background,
        "political": event.political,
    }
    if happening is not None:
        data["happening"] = happening
    return data


def article_to_dict(article: Article, *, with_text: bool = True) -> dict[str, Any]:
    """The `article` part of a record; the decoding decision rides along as extra keys."""
    data: dict[str, Any] = {
        "title": article.title,
        "published": article.published,
        "outlet": article.outlet,
        "author": article.author,
        "dateline": article.dateline,
        "cited_sources": list(article.cited_sources),
        "tags": list(article.tags),
        "encoding": article.encoding,
        "encoding_confidence": article.encoding_confidence,
    }
    if with_text:
        data["text"] = article.text
    return data


def to_record(
    record: ArticleRecord, stem: str, happenings: list[str | None] | None = None
) -> dict[str, Any]:
    """A whole SCHEMA.md record; `happenings[i]` is the ledger id of event i, if merged."""
    events = record.events
    labels = happenings if happenings is not None else [None] * len(events)
    return {
        "id": stem,
        "url": record.article.url,
        "article": article_to_dict(record.article),
        "events": [event_to_dict(e, h) for e, h in zip(events, labels, strict=True)],
    }


def event_from_dict(data: dict[str, Any]) -> EventMention:
    """An event mention from its record form (gold files have no offsets: they become -1)."""
    count = data.get("count")
    return EventMention(
        type=str(data["type"]),
        status=str(data.get("status") or "occurred"),
        evidence=str(data.get("evidence") or ""),
        start=int(data.get("start", -1)),
        end=int(data.get("end", -1)),
        by=tuple(data.get("by") or ()),
        to=tuple(data.get("to") or ()),
        count=(
            Count(int(count["value"]), str(count.get("qualifier") or "exact"))
            if isinstance(count, dict) and count.get("value") is not None
            else None
        ),
        persons=tuple(data.get("persons") or ()),
        sector=data.get("sector"),
        date=data.get("date"),
        attribution=data.get("attribution"),
        confidence=float(data.get("confidence", 1.0)),
        background=bool(data.get("background", False)),
        political=bool(data.get("political", False)),
    )
