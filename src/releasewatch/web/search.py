"""Full-text search over article titles and bodies (each backend's own index, migration 0003)."""

from __future__ import annotations

import re
from typing import Any

from ..store import Store

_WORD = re.compile(r"\w+", re.UNICODE)
_MARK = re.compile("\x01(.*?)\x02", re.DOTALL)
MAX_TERMS = 16  # more words than anyone types; bounds the search expression


def search_words(query: str) -> list[str]:
    """The words of a query that a search looks for (all must occur)."""
    return _WORD.findall(query)[:MAX_TERMS]


def split_snippet(marked: str) -> tuple[str, list[list[int]]]:
    """A snippet with \\x01..\\x02 markers as plain text and the [start, end] of each match."""
    text, marks, pos = [], [], 0
    last = 0
    for m in _MARK.finditer(marked):
        text.append(marked[last : m.start()])
        pos += m.start() - last
        text.append(m.group(1))
        marks.append([pos, pos + len(m.group(1))])
        pos += len(m.group(1))
        last = m.end()
    text.append(marked[last:])
    return "".join(text), marks


def search_articles(
    store: Store, query: str, *, offset: int = 0, limit: int = 20
) -> tuple[list[dict[str, Any]], bool]:
    """Articles matching every word of `query`, best first, and whether more follow."""
    words = search_words(query)
    if not words:
        return [], False
    rows = store.search_articles(words, offset=offset, limit=limit + 1)
    hits = []
    for row in rows[:limit]:
        text, marks = split_snippet(row.snippet)
        hits.append(
            {
                "article_id": row.article_id,
                "title": row.title,
                "published": row.published,
                "outlet": row.outlet,
                "url": row.url,
                "snippet": text,
                "snippet_marks": marks,
            }
        )
    return hits, len(rows) > limit
