"""What one new article costs end to end on a large stored ledger: store it, update the ledger.

Run: .venv/bin/python benchmarks/live_ledger_bench.py [N] [ADDS] [--db URL]   (default 100000 20)

Stores N generated mentions (benchmarks/merge_bench.py's synthetic happenings, as articles of
one to three reports) in a new ledger (a SQLite file unless --db names a PostgreSQL database),
holding ADDS articles back; rebuilds the ledger once; starts a `LiveLedger` (what `watch` does
at start: the resolver built from every stored mention); then, for each held-back article,
times what a watch does after fetching and extracting it: the commit (`Store.add`) and the
incremental update (`LiveLedger.update`: new reports resolved, only the changed rows written,
in one transaction). Prints the median and worst per article (the target of issue 8 is under
1 s at 100k mentions), then checks that a full rebuild writes the same ledger.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from merge_bench import generate

from releasewatch import ledger
from releasewatch.ledger.live import LiveLedger
from releasewatch.model import Article, ArticleRecord
from releasewatch.resolve import MentionRef
from releasewatch.store import open_store
from releasewatch.store.schema import LEDGER_TABLES

BATCH = 2_000  # articles stored per transaction while filling the ledger


def records(refs: list[MentionRef]) -> list[ArticleRecord]:
    """The generated reports as stored articles."""
    by_article: dict[str, list[MentionRef]] = defaultdict(list)
    for ref in refs:
        by_article[ref.article_id].append(ref)
    out = []
    for aid, group in sorted(by_article.items()):
        group.sort(key=lambda r: r.index)
        text = f"Generated article {aid}."
        art = Article(id=aid, source=f"gen/{aid}", text=text, raw=text, title=group[0].title,
                      published=group[0].published, outlet=group[0].outlet)  # fmt: skip
        out.append(ArticleRecord(art, tuple(r.mention for r in group)))
    return out


def main(n: int, adds: int, db: str | None) -> None:
    """Fill, rebuild, start a live ledger, add the held-back articles; print the figures."""
    refs, _ = generate(n, seed=11)
    arts = records(refs)
    held, base = arts[-adds:], arts[:-adds]
    target = db or str(Path(tempfile.mkdtemp(prefix="rw-live-")) / "ledger.sqlite")
    store = open_store(target)
    started = time.perf_counter()
    for i in range(0, len(base), BATCH):
        with store.transaction():
            for record in base[i : i + BATCH]:
                store.add(record)
    filled = time.perf_counter() - started
    started = time.perf_counter()
    ledger.rebuild(store)
    rebuilt = time.perf_counter() - started
    started = time.perf_counter()
    live = LiveLedger()
    live.update(store)
    loaded = time.perf_counter() - started
    commits, updates = [], []
    for record in held:
        started = time.perf_counter()
        store.add(record)
        middle = time.perf_counter()
        live.update(store, hint=[record.article.id])
        commits.append(middle - started)
        updates.append(time.perf_counter() - middle)
    totals = [a + b for a, b in zip(commits, updates, strict=True)]
    print(f"{n:,} mentions in {len(arts):,} articles ({store.label}), "
          f"{ledger.status(store)['events']:,} happenings")  # type: ignore[index]  # fmt: skip
    print(f"fill {filled:.0f} s, full rebuild {rebuilt:.1f} s, live ledger start {loaded:.1f} s")
    print(f"one article end to end: median {statistics.median(totals) * 1000:.0f} ms, "
          f"worst {max(totals) * 1000:.0f} ms over {adds} articles "
          f"(commit median {statistics.median(commits) * 1000:.0f} ms, "
          f"ledger update median {statistics.median(updates) * 1000:.0f} ms)")  # fmt: skip
    before = {t: list(store.table_rows(t)) for t, _, _ in LEDGER_TABLES}
    ledger.rebuild(store)
    after = {t: list(store.table_rows(t)) for t, _, _ in LEDGER_TABLES}
    print(f"a full rebuild writes the same ledger: {before == after}")
    store.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    db = None
    if "--db" in args:
        at = args.index("--db")
        db = args[at + 1]
        del args[at : at + 2]
    numbers = [int(a) for a in args]
    main(numbers[0] if numbers else 100_000, numbers[1] if len(numbers) > 1 else 20, db)
