"""Full-text search over article titles and bodies (the FTS5 table of migration 0003).

The index is kept in step with the articles table by that migration's triggers.
"""

from __future__ import annotations

import re
from typing import Any

from ..store import SQLiteStore

_SEARCH = (
    "SELECT s.article_id, a.title, a.published, a.outlet, a.url,"
    " snippet(article_search, 2, char(1), char(2), ' … ', 24)"
    " FROM article_search s JOIN articles a ON a.id = s.article_id"
    " WHERE article_search MATCH ? ORDER BY bm25(article_search), s.article_id"
    " LIMIT ? OFFSET ?"
)
_WORD = re.compile(r"\w+", re.UNICODE)
_MARK = re.compile("\x01(.*?)\x02", re.DOTALL)
MAX_TERMS = 16  # more words than anyone types; bounds the MATCH expression


def match_expression(query: str) -> str | None:
    """The user's words as an FTS5 expression of quoted terms (all must occur); None if none."""
    words = _WORD.findall(query)[:MAX_TERMS]
    return " ".join(f'"{w}"' for w in words) or None


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
    store: SQLiteStore, query: str, *, offset: int = 0, limit: int = 20
) -> tuple[list[dict[str, Any]], bool]:
    """Articles matching every word of `query`, best first, and whether more follow."""
    expression = match_expression(query)
    if expression is None:
        return [], False
    rows = store.query(_SEARCH, (expression, limit + 1, offset))
    hits = []
    for article_id, title, published, outlet, url, snippet in rows[:limit]:
        text, marks = split_snippet(snippet or "")
        hits.append(
            {
                "article_id": article_id,
                "title": title,
                "published": published,
                "outlet": outlet,
                "url": url,
                "snippet": text,
                "snippet_marks": marks,
            }
        )
    return hits, len(rows) > limit
