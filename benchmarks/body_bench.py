"""Run parse_html over the article-extraction bench pages and write one record per page.

    python benchmarks/body_bench.py --out /tmp/body-pred [--bench DIR] [--limit N]

Reads `html/*.html.gz` through the ingest stage, parses each page, writes `<id>.json`
({"id", "url", "article": {...}, "events": []}) into --out, then prints the command that
scores the folder beside trafilatura's own output.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from releasewatch.errors import InputError
from releasewatch.ingest import read_sources
from releasewatch.parse.html import parse_html

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
BENCH = SHARED / "bench" / "article-extraction"


def page_id(source: str) -> str:
    """The bench id of a page: its file name without `.html.gz`."""
    return Path(source).name.removesuffix(".gz").removesuffix(".html")


def run(bench: Path, out: Path, limit: int | None = None) -> tuple[int, int]:
    """Parse every bench page into `out`; return (pages written, pages failed)."""
    out.mkdir(parents=True, exist_ok=True)
    pages = sorted((bench / "html").glob("*.html.gz"))[:limit]
    written = failed = 0
    for item in read_sources(pages):
        if isinstance(item, InputError):
            print(f"skipped {item}", file=sys.stderr)
            failed += 1
            continue
        try:
            article = parse_html(item)
        except InputError as exc:
            print(f"failed {exc}", file=sys.stderr)
            failed += 1
            continue
        pid = page_id(item.source)
        fields = {k: v for k, v in asdict(article).items() if k != "raw"}
        record = {"id": pid, "url": article.url, "article": fields, "events": []}
        (out / f"{pid}.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
        written += 1
    return written, failed


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: write the records, then print how to score them."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="folder for the article records")
    ap.add_argument("--bench", type=Path, default=BENCH, help="article-extraction bench folder")
    ap.add_argument("--limit", type=int, default=None, help="parse only the first N pages")
    args = ap.parse_args(argv)
    if not (args.bench / "html").is_dir():
        print(f"no bench pages under {args.bench}/html", file=sys.stderr)
        return 2
    written, failed = run(args.bench, args.out, args.limit)
    print(f"{written} records written to {args.out}, {failed} failed")
    scorer = SHARED / "tools" / "score_body.py"
    print(f"score: {sys.executable} {scorer} --pred {args.out} --trafilatura")
    return 0


if __name__ == "__main__":
    sys.exit(main())
