"""ingest: every input kind, and bad input reported without losing the good documents."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from releasewatch.errors import InputError
from releasewatch.ingest import iter_files, read_sources
from releasewatch.model import RawDocument

TEXT = (
    "MINSK, Nov 26 — Belarus released 31 political prisoners on Tuesday after talks with a "
    "United States delegation, the presidential press service said.\n\n"
    "The release follows an exchange in September."
)
HTML = (
    "<!DOCTYPE html><html><head><title>Prisoners freed</title></head><body><article>"
    "<h1>Prisoners freed</h1><p>Belarus released 31 political prisoners on Tuesday.</p>"
    "<p>The release follows talks with a United States delegation.</p></article></body></html>"
)
RUSSIAN = "Белоруссия освободила политических заключённых после переговоров с делегацией США."
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>https://wire.example.org/</link>
<item><title>Prisoners freed</title><link>https://wire.example.org/a1</link>
<pubDate>Wed, 26 Nov 2025 09:30:00 +0000</pubDate>
<description>&lt;p&gt;Belarus released 31 political prisoners on Tuesday.&lt;/p&gt;</description>
</item>
<item><title>Talks resume</title><link>https://wire.example.org/a2</link>
<pubDate>Thu, 27 Nov 2025 10:00:00 +0000</pubDate>
<description>Talks between the two governments resumed on Thursday.</description>
</item></channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title><id>urn:x</id>
<updated>2025-11-26T00:00:00Z</updated>
<entry><title>Swap agreed</title><id>urn:e1</id><link href="https://atom.example.org/e1"/>
<published>2025-11-25T08:00:00Z</published><updated>2025-11-25T08:00:00Z</updated>
<content type="html">&lt;p&gt;The two states agreed to exchange eight detainees.&lt;/p&gt;</content>
</entry></feed>"""


def read(*paths: Path, **kwargs: int) -> tuple[list[RawDocument], list[InputError]]:
    """Split what read_sources yields into documents and errors."""
    items = list(read_sources(paths, **kwargs))
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(docs) + len(errors) == len(items)
    return docs, errors


def only_doc(path: Path) -> RawDocument:
    """The single document read from `path` (fails on any error)."""
    docs, errors = read(path)
    assert errors == [] and len(docs) == 1
    return docs[0]


def only_error(path: Path, **kwargs: int) -> InputError:
    """The single error read from `path` (fails if a document comes out)."""
    docs, errors = read(path, **kwargs)
    assert docs == [] and len(errors) == 1
    return errors[0]


def test_text_dump(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_text(TEXT.replace("\n", "\r\n"), encoding="utf-8")
    doc = only_doc(path)
    assert (doc.kind, doc.text, doc.encoding, doc.source) == ("text", TEXT, "utf-8", str(path))


def test_html_page_and_sniffed_kinds(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "page.download").write_text(HTML, encoding="utf-8")
    (tmp_path / "notes.dump").write_text(TEXT, encoding="utf-8")
    docs, errors = read(tmp_path)
    assert errors == []
    kinds = {Path(d.source).name: d.kind for d in docs}
    assert kinds == {"page.html": "html", "page.download": "html", "notes.dump": "text"}
    assert all(d.text == HTML for d in docs if d.kind == "html")


@pytest.mark.parametrize(("name", "kind"), [("page.html.gz", "html"), ("dump.txt.gz", "text")])
def test_gzip_compressed(tmp_path: Path, name: str, kind: str) -> None:
    content = HTML if kind == "html" else TEXT
    path = tmp_path / name
    path.write_bytes(gzip.compress(content.encode("utf-8")))
    doc = only_doc(path)
    assert (doc.kind, doc.text) == (kind, content)


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "text": TEXT,
                "url": "https://a.example/1",
                "title": "T1",
                "published": "2025-11-26T09:00:00Z",
                "outlet": "Example",
            }
        ),
        "{not json",
        json.dumps({"html": HTML, "url": "https://a.example/2"}),
        "",
        json.dumps({"title": "no body"}),
        json.dumps({"text": "Talks resumed in Geneva."}),
    ]
    path = tmp_path / "records.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode("utf-8")))
    docs, errors = read(path)
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:3", f"{path}:6"]
    first = docs[0]
    assert (first.kind, first.url, first.title, first.published, first.outlet) == (
        "text",
        "https://a.example/1",
        "T1",
        "2025-11-26",
        "Example",
    )
    assert (docs[1].kind, docs[1].url) == ("html", "https://a.example/2")
    assert [e.source for e in errors] == [f"{path}:2", f"{path}:5"]
    assert "not JSON" in errors[0].reason
    assert "'text'" in errors[1].reason
    assert str(errors[0]).startswith(f"{path}:2: ")


def test_rss_and_atom_feeds(tmp_path: Path) -> None:
    (tmp_path / "wire.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "sniffed.feed").write_text(ATOM, encoding="utf-8")
    docs, errors = read(tmp_path / "wire.rss", tmp_path / "sniffed.feed")
    assert errors == []
    assert [(d.kind, d.url, d.title, d.published) for d in docs] == [
        ("html", "https://wire.example.org/a1", "Prisoners freed", "2025-11-26"),
        ("text", "https://wire.example.org/a2", "Talks resume", "2025-11-27"),
        ("html", "https://atom.example.org/e1", "Swap agreed", "2025-11-25"),
    ]
    assert "31 political prisoners" in docs[0].text
    assert docs[1].text == "Talks between the two governments resumed on Thursday."


def _warc_bytes(compress: bool) -> bytes:
    """A small WARC archive: an HTML response, an image response, a 404 page and a request."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)

    def response(uri: str, status: str, ctype: str, body: bytes) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)

    response("https://news.example.org/a", "200 OK", "text/html; charset=utf-8", HTML.encode())
    response("https://news.example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n")
    response("https://news.example.org/gone", "404 Not Found", "text/html", b"<p>Not found</p>")
    request = writer.create_warc_record(
        "https://news.example.org/a", "request", payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")
    )
    writer.write_record(request)
    return out.getvalue()


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_archive(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_warc_bytes(compress=name.endswith(".gz")))
    doc = only_doc(path)
    assert (doc.kind, doc.url, doc.text) == ("html", "https://news.example.org/a", HTML)
    assert doc.source == f"{path}#https://news.example.org/a"


def test_folder_walk_sorted_and_hidden_skipped(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.txt", "a/c.txt", ".hidden.txt", ".git/x.txt", "a/.cache/y.txt"]:
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(TEXT, encoding="utf-8")
    expected = [tmp_path / "a/c.txt", tmp_path / "a/z.txt", tmp_path / "b.txt"]
    assert list(iter_files([tmp_path])) == expected
    docs, errors = read(tmp_path)
    assert errors == [] and [d.source for d in docs] == [str(p) for p in expected]


def test_cp1251_text_is_decoded_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    path.write_bytes(((RUSSIAN + "\n") * 3).encode("cp1251"))
    doc = only_doc(path)
    assert doc.text == (RUSSIAN + "\n") * 3
    assert doc.encoding == "cp1251"


def test_declared_charset_of_html_page(tmp_path: Path) -> None:
    html = f'<html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body></html>'
    path = tmp_path / "ru.html"
    path.write_bytes(html.encode("cp1251"))
    doc = only_doc(path)
    assert (doc.text, doc.encoding) == (html, "cp1251")


def test_bad_inputs_are_named_and_the_good_ones_still_come(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (tmp_path / "nul.dat").write_bytes(b"some text\x00\x00\x01 more")
    (tmp_path / "garbage.txt").write_bytes(bytes(range(128, 256)) * 4)
    (tmp_path / "nothing.html").write_text(
        "<html><head><script>var x = 1;</script></head><body><div></div></body></html>"
    )
    (tmp_path / "truncated.html.gz").write_bytes(gzip.compress(HTML.encode())[:30])
    (tmp_path / "fake.txt.gz").write_text("this is not gzip", encoding="utf-8")
    (tmp_path / "zgood.html").write_text(HTML, encoding="utf-8")
    docs, errors = read(tmp_path, tmp_path / "missing.txt")
    assert [Path(d.source).name for d in docs] == ["good.txt", "zgood.html"]
    reasons = {Path(e.source).name: e.reason for e in errors}
    assert set(reasons) == {
        "blank.txt",
        "empty.txt",
        "fake.txt.gz",
        "garbage.txt",
        "image.txt",
        "missing.txt",
        "nothing.html",
        "nul.dat",
        "truncated.html.gz",
    }
    assert reasons["empty.txt"] == "empty file"
    assert "white space" in reasons["blank.txt"]
    assert reasons["image.txt"] == "binary file (PNG image), not text"
    assert "NUL bytes" in reasons["nul.dat"]
    assert "no known character encoding" in reasons["garbage.txt"]
    assert "no readable text" in reasons["nothing.html"]
    assert reasons["truncated.html.gz"].startswith("corrupt gzip")
    assert reasons["fake.txt.gz"].startswith("corrupt gzip")
    assert reasons["missing.txt"] == "no such file"
    assert all(str(e).startswith(e.source) for e in errors)


def test_broken_html_with_text_still_comes_through(tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><p>Belarus freed 31 prisoners <b>on Tuesday", "utf-8")
    doc = only_doc(path)
    assert doc.kind == "html" and "31 prisoners" in doc.text


def test_oversized_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # sparse: takes no disk space
        fh.truncate(50 * 1024 * 1024 + 1)
    (tmp_path / "small.txt").write_text(TEXT, encoding="utf-8")
    real_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object) -> object:
        assert self != big, "the oversized file was opened"
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    docs, errors = read(tmp_path)
    assert [Path(d.source).name for d in docs] == ["small.txt"]
    assert len(errors) == 1 and errors[0].source == str(big)
    assert "52,428,801 bytes" in errors[0].reason
    assert "limit of 52,428,800 bytes (50.0 MB)" in errors[0].reason


def test_gzip_expanding_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 5000))
    error = only_error(path, max_bytes=1000)
    assert error.reason.startswith("decompresses to over")
    assert "limit of 1,000 bytes" in error.reason


def test_folder_walk_leaves_out_article_records(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Belarus freed 12 prisoners on Monday, officials said.")
    (tmp_path / "a.json").write_text('{"id": "a", "article": {}, "events": []}')
    names = [p.name for p in iter_files(tmp_path)]
    assert names == ["a.txt"]
