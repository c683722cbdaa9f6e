"""What adding one article costs the resolve stage on a large ledger, incremental vs rebuild.

Run: .venv/bin/python benchmarks/incremental_bench.py [N] [ADDS]   (default: 100000 20)

Generates N mentions (benchmarks/merge_bench.py's synthetic happenings), holds ADDS articles
back, builds an IncrementalResolver on the rest (one batch: what a watch does once at start),
then adds the held-back articles one at a time and prints, per article:

- add: IncrementalResolver.add (persons regrouped, blocking windows, rescored pairs, changed
  components merged again, inferred dates, events/persons/deals rebuilt) - the resolve part
  of a live ingest, the figure the < 1 s target is about;
- ledger: assembling the whole Ledger object afterwards (tuples of every event and person),
  which a writer that stores only the changed rows does not need.

It checks that the final ledger equals `resolve` over every mention, and prints that full
rebuild's time for comparison (the cost of one article today).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from merge_bench import generate

from releasewatch.resolve import resolve
from releasewatch.resolve.incremental import IncrementalResolver


def main(n: int, adds: int) -> None:
    """Build, add `adds` articles one by one, compare with a rebuild; print the figures."""
    refs, _ = generate(n, seed=11)
    articles: dict[str, list] = {}
    for ref in refs:
        articles.setdefault(ref.article_id, []).append(ref)
    order = list(articles.values())
    random.Random(2).shuffle(order)
    held, base = order[-adds:], [r for art in order[:-adds] for r in art]
    started = time.perf_counter()
    inc = IncrementalResolver.of(base)
    built = time.perf_counter() - started
    costs = []
    for article in held:
        started = time.perf_counter()
        inc.add(article)
        costs.append(time.perf_counter() - started)
    started = time.perf_counter()
    ledger = inc.ledger()
    assembled = time.perf_counter() - started
    started = time.perf_counter()
    full = resolve(refs)
    rebuild = time.perf_counter() - started
    print(f"{n:,} mentions, {len(ledger.events):,} events, {len(ledger.persons):,} persons")
    print(f"initial build (one batch of {len(base):,} mentions): {built:.1f} s")
    print(
        f"add one article: median {statistics.median(costs) * 1000:.1f} ms, "
        f"max {max(costs) * 1000:.1f} ms over {adds} articles"
    )
    print(f"assemble the whole Ledger after: {assembled * 1000:.0f} ms")
    print(f"full rebuild (resolve of every mention): {rebuild:.1f} s")
    print(f"incremental ledger equals the rebuild: {ledger == full}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 100_000, args[1] if len(args) > 1 else 20)
