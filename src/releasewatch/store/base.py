"""`Store`: the one interface the pipeline, the ledger and the interfaces use, on every backend.

Its operations are named (add an article, list ledger events matching a query, replace the
ledger, ...) and give frozen row dataclasses (`rows.py`); no caller writes SQL or holds a cursor.
The shared SQL lives in `articles.py` and `ledger_ops.py`; each backend (`sqlite.py`,
`postgres.py`) adds its connections, transactions and what its dialect does differently
(full-text search, bulk inserts, locks).
"""

from __future__ import annotations

from collections.abc import Sequence

from .ledger_ops import LedgerOps
from .rows import SearchHit
from .sessions import SessionOps
from .watch import WatchOps


class Store(LedgerOps, WatchOps, SessionOps):
    """A ledger backend. Use `open_store(url)`; every operation is safe from any thread."""

    def search_articles(self, words: Sequence[str], *, offset: int, limit: int) -> list[SearchHit]:
        """Articles whose title or body hold every word, best first, a page at a time."""
        raise NotImplementedError

    def search_terms(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """The terms the full-text index makes of each text, in order (its tokens, folded as
        it folds them): what a search for the text looks up."""
        raise NotImplementedError
