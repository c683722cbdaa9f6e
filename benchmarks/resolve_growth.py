"""How the end-of-ingest ledger rebuild grows with the ledger: 10k, 50k and 100k mentions.

Not a test. Stores the generated mentions of benchmarks/merge_bench.py (synthetic happenings,
each told by a handful of articles with noise) in a fresh SQLite ledger, then times the
rebuild that `ingest` runs once at the end (`ledger.rebuild`), split into its parts: reading
the stored mentions, resolving them, building the rows and writing the ledger tables. Times
are CPU seconds of this process (the rebuild runs on one thread, in this process, SQLite
included), so other work on a shared machine does not bend them. For each
step up in size it prints the growth exponent k (time ~ n^k) beside n·log n's, and, with
--profile, the functions whose own time grows fastest between the smallest and largest size.

Run: .venv/bin/python benchmarks/resolve_growth.py [--sizes 10000 50000 100000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import math
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from merge_bench import generate

from releasewatch import ledger
from releasewatch.ledger import build
from releasewatch.model import Article, ArticleRecord
from releasewatch.store import SQLiteStore


def fill(store: SQLiteStore, n: int) -> int:
    """Store n generated mentions as articles of one to three mentions; the article count."""
    refs, _ = generate(n)
    by_article: dict[str, list[Any]] = defaultdict(list)
    for ref in refs:
        by_article[ref.article_id].append(ref)
    batch: list[ArticleRecord] = []
    for article_id, group in by_article.items():
        group.sort(key=lambda r: r.index)
        text = f"Generated article {article_id}."
        events = tuple(
            r.mention.__class__(**{**r.mention.__dict__, "evidence": text, "start": 0,
                                   "end": len(text)})
            for r in group
        )  # fmt: skip
        article = Article(
            id=article_id, source=f"gen/{article_id}.txt", text=text, raw=text,
            published=group[0].published, outlet=group[0].outlet,
        )  # fmt: skip
        batch.append(ArticleRecord(article=article, events=events))
        if len(batch) >= 2_000:
            store.add_batch(batch)
            batch = []
    store.add_batch(batch)
    return len(by_article)


class Timed:
    """CPU time of the rebuild's parts, by wrapping the functions it calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, owner: Any, name: str, label: str) -> None:
        """Time every call of owner.name under `label`."""
        inner = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[label] += time.process_time() - start

        setattr(owner, name, timed)


def run(n: int, profile: bool) -> tuple[dict[str, float], pstats.Stats | None]:
    """Fill a ledger with n mentions and time one rebuild."""
    timed = Timed()
    with (
        tempfile.TemporaryDirectory(prefix="rw-resolve-") as tmp,
        SQLiteStore(Path(tmp) / "ledger.sqlite") as store,
    ):
        fill(store, n)
        timed.wrap(store, "mentions", "read mentions")
        timed.wrap(build, "resolve", "resolve")
        timed.wrap(store, "replace_ledger", "write tables")
        profiler = cProfile.Profile() if profile else None
        start = time.process_time()
        if profiler:
            profiler.enable()
        summary = ledger.rebuild(store)
        if profiler:
            profiler.disable()
        total = time.process_time() - start
    parts = dict(timed.seconds)
    parts["build rows, other"] = total - sum(parts.values())
    parts["total"] = total
    parts["events"] = summary["events"]
    return parts, pstats.Stats(profiler) if profiler else None


def _own_times(stats: pstats.Stats) -> dict[str, float]:
    """Each function's own time (tottime) in a profile."""
    return {
        f"{Path(file).name}:{line}({fn})": tt
        for (file, line, fn), (_, _, tt, _, _) in stats.stats.items()  # type: ignore[attr-defined]
    }


def main() -> None:
    """Time each size, print the parts and the growth."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    results: dict[int, dict[str, float]] = {}
    profiles: dict[int, pstats.Stats | None] = {}
    for n in args.sizes:
        results[n], profiles[n] = run(n, args.profile)
        parts = results[n]
        shown = ", ".join(
            f"{k} {v:.2f} s" for k, v in parts.items() if k not in ("total", "events")
        )
        print(
            f"{n:>7,} mentions -> {int(parts['events']):,} events: rebuild {parts['total']:.2f} s "
            f"({1e6 * parts['total'] / n:.0f} us/mention; {shown})",
            flush=True,
        )
    sizes = sorted(results)
    for small, large in itertools.pairwise(sizes):
        ratio = large / small
        nlogn = math.log(ratio * math.log(large) / math.log(small), ratio)
        growth = {
            k: math.log(max(results[large][k], 1e-9) / max(results[small][k], 1e-9), ratio)
            for k in results[large]
            if k != "events"
        }
        print(
            f"{small:,} -> {large:,}: time ~ n^{growth['total']:.2f} (n log n would be "
            f"n^{nlogn:.2f}); "
            + ", ".join(f"{k} n^{v:.2f}" for k, v in growth.items() if k != "total")
        )
    first, last = profiles[sizes[0]], profiles[sizes[-1]]
    if first is not None and last is not None:
        a, b = _own_times(first), _own_times(last)
        scale = sizes[-1] / sizes[0]
        grown = sorted(
            ((b[f] / max(a.get(f, 0.0), 1e-4), f, a.get(f, 0.0), b[f]) for f in b if b[f] > 0.2),
            reverse=True,
        )
        print(
            f"own time growing faster than the size (x{scale:.0f}), {sizes[0]:,} -> {sizes[-1]:,}:"
        )
        for factor, name, t0, t1 in grown[:12]:
            if factor > scale * 1.3:
                print(f"  x{factor:6.1f}  {t0:7.2f} s -> {t1:7.2f} s  {name}")


if __name__ == "__main__":
    main()
