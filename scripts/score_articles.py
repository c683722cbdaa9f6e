"""Parse every dev .txt dump and write article-only records for tools/score.py.

Usage: python scripts/score_articles.py CORPUS_DIR OUT_DIR
then:  python3 ../shared/tools/score.py --gold CORPUS_DIR --pred OUT_DIR --errors
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from releasewatch.model import RawDocument
from releasewatch.parse import parse
from releasewatch.record import article_to_dict


def main(argv: list[str]) -> int:
    """Write <stem>.json with the parsed article (and no events) for every <stem>.txt."""
    corpus, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(corpus.glob("*.txt")):
        article = parse(RawDocument(source=str(path), text=path.read_text(encoding="utf-8")))
        record = {
            "id": path.stem,
            "url": article.url,
            "article": article_to_dict(article),
            "events": [],
        }
        (out / f"{path.stem}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
