"""Small archives the tests write themselves: WARC (plain or gzip) and JSONL files of news
pages, some about prisoners and sanctions (fictional people), most about anything else."""

from __future__ import annotations

import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

STATES = (("Belarus", "Lithuania"), ("Iran", "France"), ("Russia", "the United States"))
TOPICS = ("rain over the coast", "a football final", "a new bridge", "the price of bread")


def on_topic_page(n: int) -> str:
    """A news page about a release (ours, fictional), distinct for each `n`."""
    state, to = STATES[n % len(STATES)]
    count = 3 + n
    paras = [
        f"{state} freed {count} political prisoners on Tuesday and handed them over to {to}, "
        f"officials said in a statement on report {n}.",
        f"The prisoners had been held for up to {n % 4 + 2} years, rights groups said.",
        "Diplomats described the move as a gesture ahead of further talks on sanctions.",
        f"Local reporters counted {n * 7 + 11} relatives waiting at the border post.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paras)
    title = f"{state} frees {count} political prisoners"
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>"
    )


def off_topic_page(n: int) -> str:
    """A news page about something else entirely, distinct for each `n`."""
    topic = TOPICS[n % len(TOPICS)]
    paras = [
        f"Residents woke to {topic} on morning number {n}, the town council said.",
        f"Shops opened late and {n * 3 + 5} people queued outside the market hall.",
        "A spokesman said the week ahead would be quieter, with sunshine expected.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paras)
    head = f"<head><title>Story {n}</title></head>"
    return f"<html>{head}<body><article>{body}</article></body></html>"


def pages(count: int, every: int = 4) -> list[tuple[str, str]]:
    """`count` (url, html) pairs: every `every`-th on topic, the rest not."""
    return [
        (
            f"https://news.example.org/{n}",
            on_topic_page(n) if n % every == 0 else off_topic_page(n),
        )
        for n in range(count)
    ]


def write_warc(
    path: Path, items: list[tuple[str, str]], *, gzip: bool = True, extras: bool = True
) -> list[int]:
    """Write a WARC of HTML responses (and, with `extras`, a request and an image record that
    are not pages); the byte offset of each response record."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    offsets = []
    for n, (url, html) in enumerate(items):
        if extras and n % 7 == 3:
            headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.org")])
            record = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), http_headers=headers
            )
            writer.write_record(record)
        if extras and n % 11 == 5:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], "HTTP/1.1")
            image = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 300)
            record = writer.create_warc_record(
                url + ".png", "response", payload=image, http_headers=headers
            )
            writer.write_record(record)
        offsets.append(out.tell())
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1"
        )
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(html.encode()), http_headers=headers
        )
        writer.write_record(record)
    path.write_bytes(out.getvalue())
    return offsets


def write_jsonl(path: Path, count: int, *, bad: tuple[int, ...] = ()) -> None:
    """A JSONL file of `count` records (text dumps), with lines numbered in `bad` not JSON."""
    lines = []
    for n in range(count):
        if n + 1 in bad:
            lines.append("{not json")
            continue
        state, to = STATES[n % len(STATES)]
        text = (
            f"{state} frees prisoners, wire {n}\n\n{state} freed {n + 2} political prisoners on "
            f"Monday, officials said.\n\nThey crossed into {to} by bus."
            if n % 3 == 0
            else f"Weather, wire {n}\n\nRain is expected on day {n}. Take an umbrella."
        )
        lines.append(json.dumps({"text": text, "url": f"https://wire.example.org/{n}"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
