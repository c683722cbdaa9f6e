"""Fuzz the reading stages: random and broken inputs of every kind, bounded in time and count.

    python benchmarks/fuzz_ingest.py --seconds 600 [--max-inputs N] [--seed S] [--out DIR]

Each input is a file of one kind (text, HTML, JSONL, RSS/Atom, WARC, any of them gzipped),
built from text full of lone surrogates, control characters, escape sequences, line and
paragraph separators, byte-order marks and mixed scripts, then maybe truncated or with bytes
flipped. Each goes through ingest, parse, extract and a SQLite store, as `ingest` does. An
`InputError` is an answer; any other exception is a crash. Prints the count of inputs and
crashes (by kind and by exception) and saves each crashing input under --out. Exit status 1
when anything crashed.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from releasewatch.errors import InputError
from releasewatch.extract import extract
from releasewatch.ingest import read_sources
from releasewatch.model import ArticleRecord, RawDocument
from releasewatch.parse import parse
from releasewatch.record import to_record
from releasewatch.store import SQLiteStore

WORDS = (
    "Belarus released 31 political prisoners on Tuesday after talks with a United States",
    "delegation", "MINSK", "(Reuters)", "—", "Cichanoŭski", "Это свобода", "釈放", "ژورنالیست",
    "Kučera", "26.11.25", "sentenced to five years in prison,", "the court said;",
    "sanctions on Belavia were eased",
)  # fmt: skip
# The characters that broke or may break a reader: lone surrogates, C0 and C1 controls,
# terminal escapes, separators that str.splitlines() honours, BOMs, marks and joiners.
ODD = [
    *(chr(c) for c in range(0xD800, 0xD810)),
    "\udfff",
    *(chr(c) for c in range(0x00, 0x20)),
    "\x7f",
    *(chr(c) for c in range(0x80, 0xA0)),
    "\x1b[31m",
    "\x1b]0;title\x07",
    "\u2028",
    "\u2029",
    "\x85",
    "\ufeff",
    "\u200b",
    "\u202e",
    "\u0301",
    "\ufffd",
    "\U0001f600",
    "&#xD800;",
    "&#0;",
    "&#x1b;",
    "&nbsp;",
    "]]>",
    "<",
    "&",
]


def odd_text(rng: random.Random, words: int = 40) -> str:
    """Prose-like text with odd characters scattered in it."""
    parts: list[str] = []
    for _ in range(rng.randint(1, words)):
        parts.append(rng.choice(WORDS))
        if rng.random() < 0.3:
            parts.append("".join(rng.choice(ODD) for _ in range(rng.randint(1, 3))))
        if rng.random() < 0.1:
            parts.append(rng.choice(["\n", "\n\n", "\r\n", ". "]))
    return " ".join(parts)


def to_bytes(rng: random.Random, text: str) -> bytes:
    """Text as bytes: UTF-8 (surrogates passed through), a legacy code page, or UTF-16."""
    pick = rng.random()
    if pick < 0.7:
        return text.encode("utf-8", "surrogatepass")
    if pick < 0.85:
        return text.encode(rng.choice(["cp1251", "cp1252", "latin-1", "shift_jis"]), "replace")
    return text.encode("utf-16", "surrogatepass")


def make_text(rng: random.Random) -> tuple[str, bytes]:
    """A raw text dump."""
    return ".txt", to_bytes(rng, odd_text(rng, 120))


def make_html(rng: random.Random) -> tuple[str, bytes]:
    """An HTML page, its markup maybe broken."""
    paras = "".join(f"<p>{odd_text(rng)}</p>" for _ in range(rng.randint(0, 6)))
    head = rng.choice(
        ["", '<meta charset="windows-1251">', '<meta property="article:published_time" '
         f'content="{odd_text(rng, 2)}">', f"<title>{odd_text(rng, 5)}</title>"]
    )  # fmt: skip
    page = f"<html><head>{head}</head><body><article><h1>{odd_text(rng, 6)}</h1>{paras}"
    if rng.random() < 0.7:
        page += "</article></body></html>"
    return ".html", to_bytes(rng, page)


def make_jsonl(rng: random.Random) -> tuple[str, bytes]:
    """JSONL records: escaped surrogates and controls, odd fields, broken lines."""
    lines = []
    for _ in range(rng.randint(1, 5)):
        record = {
            rng.choice(["text", "html", "title"]): odd_text(rng),
            "title": odd_text(rng, 5),
            "published": rng.choice(["2025-11-26", odd_text(rng, 2), 12, None]),
            "url": rng.choice([None, "https://example.org/a", odd_text(rng, 1)]),
        }
        line = json.dumps(record, ensure_ascii=rng.random() < 0.7)
        if rng.random() < 0.1:
            line = line[: rng.randint(0, len(line))]
        lines.append(line)
    return ".jsonl", "\n".join(lines).encode("utf-8", "surrogatepass")


def make_feed(rng: random.Random) -> tuple[str, bytes]:
    """An RSS or Atom feed, maybe malformed."""
    items = []
    for n in range(rng.randint(0, 4)):
        body = odd_text(rng)
        if rng.random() < 0.3:
            body = f"<![CDATA[{body}]]>"
        items.append(
            f"<item><title>{odd_text(rng, 4)}</title><link>https://w.example.org/{n}</link>"
            f"<pubDate>{rng.choice(['Wed, 26 Nov 2025 09:30:00 +0000', odd_text(rng, 2)])}"
            f"</pubDate><description>{body}</description>"
            + ("</item>" if rng.random() < 0.8 else "")
        )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>W</title>'
        + "\n".join(items)
        + "</channel></rss>"
    )
    if rng.random() < 0.2:
        feed = feed.replace(
            "<rss", '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]><rss'
        )
        feed = feed.replace("<title>W", "<title>&x;W")
    return rng.choice([".rss", ".atom", ".xml"]), to_bytes(rng, feed)


def make_warc(rng: random.Random) -> tuple[str, bytes]:
    """A WARC archive of a few responses, maybe gzipped per record."""
    out = io.BytesIO()
    compress = rng.random() < 0.5
    writer = WARCWriter(out, gzip=compress)
    for n in range(rng.randint(1, 4)):
        ctype = rng.choice(["text/html", "text/html; charset=koi8-r", "image/png", "text/html;x"])
        status = rng.choice(["200 OK", "404 Not Found"])
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        body = make_html(rng)[1]
        record = writer.create_warc_record(
            f"https://n.example.org/{n}", "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)
    return (".warc.gz" if compress else ".warc"), out.getvalue()


MAKERS: tuple[Callable[[random.Random], tuple[str, bytes]], ...] = (
    make_text,
    make_html,
    make_jsonl,
    make_feed,
    make_warc,
)


def mutate(rng: random.Random, data: bytes) -> bytes:
    """Maybe truncate the data, flip or insert bytes."""
    data = bytearray(data)
    if data and rng.random() < 0.25:
        del data[rng.randint(0, len(data)) :]
    for _ in range(rng.choice([0, 0, 1, 3, 10])):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    if rng.random() < 0.1:
        data[rng.randint(0, len(data)) : 0] = bytes(rng.randrange(256) for _ in range(8))
    return bytes(data)


def one_input(rng: random.Random) -> tuple[str, bytes]:
    """A fuzzed input: its file suffix and bytes."""
    suffix, data = rng.choice(MAKERS)(rng)
    if rng.random() < 0.5:
        data = mutate(rng, data)
    if rng.random() < 0.15 and not suffix.endswith(".gz"):
        suffix, data = suffix + ".gz", gzip.compress(data)
        if rng.random() < 0.3:
            data = data[: rng.randint(0, len(data))]
    return suffix, data


def run_one(path: Path, store: SQLiteStore) -> None:
    """Every stage on one file, as `ingest` runs them; raises on a crash."""
    for item in read_sources([path]):
        if isinstance(item, InputError):
            str(item).encode("utf-8")
            continue
        assert isinstance(item, RawDocument)
        try:
            article = parse(item)
        except InputError:
            continue
        record = ArticleRecord(article=article, events=tuple(extract(article)))
        json.dumps(to_record(record, "fuzz"), ensure_ascii=False).encode("utf-8")
        store.add(record, encoding=item.encoding)


def main(argv: list[str] | None = None) -> int:
    """Fuzz until the time or the count runs out; print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="stop after this long")
    ap.add_argument("--max-inputs", type=int, default=100_000, help="stop after this many")
    ap.add_argument("--seed", type=int, default=10, help="random seed (runs are repeatable)")
    ap.add_argument("--out", type=Path, default=None, help="folder for crashing inputs")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    out = args.out or Path(tempfile.mkdtemp(prefix="fuzz-crashes-"))
    out.mkdir(parents=True, exist_ok=True)
    kinds: Counter[str] = Counter()
    crashes: Counter[str] = Counter()
    crash_kinds: Counter[str] = Counter()
    started = time.monotonic()
    count = 0
    with tempfile.TemporaryDirectory() as work, SQLiteStore(Path(work, "fuzz.sqlite")) as store:
        while count < args.max_inputs and time.monotonic() - started < args.seconds:
            count += 1
            suffix, data = one_input(rng)
            kinds[suffix] += 1
            path = Path(work, f"input{count}{suffix}")
            path.write_bytes(data)
            try:
                run_one(path, store)
            except Exception as exc:  # a crash: what the harness is for
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                key = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
                crashes[key] += 1
                crash_kinds[suffix] += 1
                if crashes[key] <= 3:
                    (out / f"crash{count}{suffix}").write_bytes(data)
            finally:
                path.unlink()
    elapsed = time.monotonic() - started
    print(f"inputs {count} in {elapsed:.0f} s (seed {args.seed}), crashes {sum(crashes.values())}")
    print("by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    for key, n in crashes.most_common():
        print(f"  {n:5d}  {key}")
    if crashes:
        print("crashing kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(crash_kinds.items())))
        print(f"crashing inputs saved in {out}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
