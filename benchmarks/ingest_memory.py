"""Wall time and peak memory of ingesting 10,000 articles into a fresh SQLite ledger.

Not a test. Writes the dev corpus (../shared/corpus/dev/*.txt, or --corpus DIR) repeated to
--articles files in a temporary folder, each copy with its own closing paragraph so that every
copy is a distinct article (distinct identity and clean body), then runs the same
`ingest_paths` the CLI runs and prints wall time and peak resident memory (getrusage).

Run: .venv/bin/python benchmarks/ingest_memory.py [--articles 10000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from releasewatch.pipeline import ingest_paths
from releasewatch.store import SQLiteStore

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "dev"


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def write_copies(corpus: Path, folder: Path, count: int) -> None:
    """`count` article files: the corpus repeated, each copy with a closing paragraph of its own."""
    files = sorted(corpus.glob("*.txt"))
    if not files:
        raise SystemExit(f"no .txt files in {corpus} (pass --corpus DIR)")
    base = [f.read_text(encoding="utf-8").rstrip() for f in files]
    for i in range(count):
        note = f"Editors filed this archive copy as number {i + 1} of the load test."
        (folder / f"{i:05d}.txt").write_text(f"{base[i % len(base)]}\n\n{note}\n", "utf-8")


def main() -> None:
    """Write the copies, ingest them, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rw-ingest-") as tmp:
        folder = Path(tmp) / "news"
        folder.mkdir()
        write_copies(args.corpus, folder, args.articles)
        db = Path(tmp) / "ledger.sqlite"
        before = peak_rss_mb()
        start = time.perf_counter()
        with SQLiteStore(db) as store:
            report = ingest_paths([folder], store)
        wall = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(tmp).glob("ledger.sqlite*")) / 1024 / 1024
    print(
        f"ingested {report.files} files: {report.articles_new} new, {report.articles_known} known,"
        f" {report.events} events, {len(report.problems)} problems"
    )
    print(f"wall time: {wall:.1f} s ({report.files / wall:.1f} articles/s); ledger {size:.1f} MB")
    print(f"peak RSS: {peak_rss_mb():.0f} MB (before ingest: {before:.0f} MB; limit 1024 MB)")


if __name__ == "__main__":
    main()
