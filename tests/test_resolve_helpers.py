"""Builders for resolve tests: mentions of articles written for the tests (no dev text)."""

from __future__ import annotations

from releasewatch.model import Count, EventMention
from releasewatch.resolve import MentionRef


def ref(
    key: str,
    published: str | None,
    type_: str,
    evidence: str,
    *,
    status: str = "occurred",
    by: tuple[str, ...] = (),
    to: tuple[str, ...] = (),
    count: int | None = None,
    qualifier: str = "exact",
    persons: tuple[str, ...] = (),
    sector: str | None = None,
    date: str | None = None,
    background: bool = False,
    outlet: str | None = None,
) -> MentionRef:
    """Mention `key` ("article#index") of a test article."""
    article, index = key.split("#")
    mention = EventMention(
        type=type_,
        status=status,
        evidence=evidence,
        start=-1,
        end=-1,
        by=by,
        to=to,
        count=Count(count, qualifier) if count is not None else None,
        persons=persons,
        sector=sector,
        date=date,
        background=background,
    )
    return MentionRef(article, int(index), published, outlet or article, None, mention)
