"""Issue 10, ingest and parse: nothing garbled, nothing made up, nothing lost without a word.

Each test stands for one item of the issue and failed before its fix: bad bytes and legacy
encodings (1), publication dates (2), lone surrogates (3), unreadable folders (4), truncated
WARC archives (5), malformed feeds (6), feed content read as a path (8).
"""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from releasewatch.errors import InputError
from releasewatch.extract import extract
from releasewatch.ingest import read_sources
from releasewatch.model import RawDocument
from releasewatch.parse import parse
from releasewatch.pipeline import ingest_paths
from releasewatch.store import SQLiteStore


def read(*paths: Path) -> tuple[list[RawDocument], list[InputError]]:
    """Split what read_sources yields into documents and errors."""
    items = list(read_sources(paths))
    return (
        [i for i in items if isinstance(i, RawDocument)],
        [i for i in items if isinstance(i, InputError)],
    )


def only_doc(path: Path) -> RawDocument:
    """The single document read from `path`, with no error beside it."""
    docs, errors = read(path)
    assert errors == [] and len(docs) == 1, errors
    return docs[0]


# ------------------------------------------------------------------ 1. encodings

BELARUS = (
    "Sviatlana Cichanoŭskaja said on Monday that Siarhei Cichanoŭski had been freed.\n"
    "Это свобода, сказала она журналистам в Вильнюсе.\n"
)


def test_a_bad_byte_in_utf8_is_replaced_and_reported_not_a_legacy_guess(tmp_path: Path) -> None:
    raw = BELARUS.encode("utf-8")
    at = raw.index(b"Monday") + 3
    path = tmp_path / "belarus.txt"
    path.write_bytes(raw[:at] + b"\xff" + raw[at:])
    doc = only_doc(path)
    assert doc.encoding == "utf-8"
    assert "Cichanoŭski" in doc.text and "Это свобода" in doc.text
    assert doc.text.count("\ufffd") == 1 and "Mon\ufffdday" in doc.text
    assert 0.9 < doc.encoding_confidence < 1.0
    (problem,) = doc.problems
    assert problem.startswith(str(path))
    assert f"1 byte(s) not valid UTF-8 replaced with U+FFFD (1 place(s), byte offset {at})" in (
        problem
    )
    article = parse(doc)
    assert (article.encoding, article.problems) == ("utf-8", doc.problems)
    assert article.encoding_confidence == doc.encoding_confidence


def test_several_bad_bytes_are_all_counted_with_their_offsets(tmp_path: Path) -> None:
    raw = bytearray(BELARUS.encode("utf-8"))
    offsets = [10, 30, 50]
    for at in offsets:
        assert raw[at] < 0x80  # an ASCII byte, so each one is one bad byte
        raw[at] = 0xFE
    path = tmp_path / "three.txt"
    path.write_bytes(bytes(raw))
    doc = only_doc(path)
    assert doc.encoding == "utf-8" and doc.text.count("\ufffd") == 3
    assert "3 byte(s) not valid UTF-8" in doc.problems[0]
    assert "byte offsets 10, 30, 50" in doc.problems[0]


FRENCH = (
    "Le journaliste a été libéré mercredi après deux années de détention, a déclaré son "
    "avocat à Genève. Il était accusé d'espionnage."
)
GERMAN = (
    "Der Journalist wurde am Mittwoch nach zwei Jahren Haft freigelassen, sagte sein Anwalt "
    "in Zürich. Die Behörden äußerten sich nicht."
)


@pytest.mark.parametrize(
    ("text", "written", "expected"),
    [
        (FRENCH, "latin-1", "cp1252"),
        ("Le journaliste a été libéré après deux années de détention. " * 5, "latin-1", "cp1252"),
        (GERMAN, "latin-1", "cp1252"),
        (
            "The activist, “freed” on Monday – after two years – said: “I’m glad.”",
            "cp1252",
            "cp1252",
        ),
        (
            "Novinář Jiří Kučera byl ve středu propuštěn po dvou letech ve vězení, řekl "
            "jeho právník.",
            "cp1250",
            "cp1250",
        ),
        (
            "Dziennikarz został zwolniony w środę po dwóch latach więzienia, powiedział "
            "jego adwokat.",
            "cp1250",
            "cp1250",
        ),
        ("Белоруссия освободила политических заключённых после переговоров.", "cp1251", "cp1251"),
    ],
)
def test_legacy_text_is_read_in_its_encoding_with_the_confidence_recorded(
    tmp_path: Path, text: str, written: str, expected: str
) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(written))
    doc = only_doc(path)
    assert (doc.text, doc.encoding) == (text, expected)
    assert 0.5 <= doc.encoding_confidence < 1.0
    assert doc.problems == (
        f"{path}: not valid UTF-8; decoded as {expected} "
        f"(confidence {doc.encoding_confidence:.2f})",
    )


def test_a_stray_byte_in_ascii_is_not_taken_for_a_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "stray.txt"
    path.write_bytes(b"The activist was freed on Monday in Vienna\xff, his lawyer said.")
    doc = only_doc(path)
    assert doc.encoding == "utf-8"
    assert doc.text == "The activist was freed on Monday in Vienna\ufffd, his lawyer said."
    assert "byte offset 42" in doc.problems[0] and "too weak to trust" in doc.problems[0]


def test_a_declared_latin1_page_is_read_as_windows_1252(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="iso-8859-1"></head><body><p>Der Anwalt in Zürich '
        "sagte, die Behörden äußerten sich nicht – “kein Kommentar”.</p></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("cp1252"))
    doc = only_doc(path)
    assert (doc.text, doc.encoding) == (html, "cp1252")


def test_jsonl_bad_bytes_are_reported_on_their_own_line(tmp_path: Path) -> None:
    lines = [
        {"text": "Belarus freed 12 prisoners on Monday, said Cichanoŭskaja."},
        {"text": "Belarus freed 14 prisoners on Friday, said Cichanoŭskaja."},
    ]
    raw = "\n".join(json.dumps(r, ensure_ascii=False) for r in lines).encode("utf-8")
    at = raw.rindex(b"Friday")
    path = tmp_path / "records.jsonl"
    path.write_bytes(raw[:at] + b"\xff" + raw[at:])
    first, second = read(path)[0]
    assert first.problems == ()
    assert second.problems[0].startswith(f"{path}:2: 1 byte(s) not valid UTF-8")
    assert f"byte offset {at}" in second.problems[0]


# ------------------------------------------------------------------ 2. publication dates

UNDATED = (
    "<html><head><title>Belarus frees journalist</title></head><body><article>"
    "<h1>Belarus frees journalist</h1>"
    "<p>Belarus released the journalist Ihar Losik on Tuesday, his wife said. He had been "
    "held since 2024 on charges his supporters call political.</p>"
    "<p>Rights groups had campaigned for his release for many months, and welcomed the "
    "decision.</p></article></body></html>"
)


def test_a_year_in_the_body_is_no_publication_date() -> None:
    article = parse(RawDocument(source="undated.html", text=UNDATED, kind="html"))
    assert article.published is None
    release = [e for e in extract(article) if e.type == "release"]
    assert release and all(e.date is None for e in release)  # "Tuesday" has no base


def test_a_date_in_the_metadata_is_still_the_publication_date() -> None:
    html = UNDATED.replace(
        "<title>",
        '<meta property="article:published_time" content="2025-11-26T09:00:00Z"><title>',
    )
    article = parse(RawDocument(source="dated.html", text=html, kind="html"))
    assert article.published == "2025-11-26"
    done = [e for e in extract(article) if e.type == "release" and e.status == "occurred"]
    assert [e.date for e in done] == ["2025-11-25"]  # "on Tuesday", from the stated date


def test_a_full_date_in_the_dateline_is_the_publication_date() -> None:
    html = UNDATED.replace("<p>Belarus released", "<p>VILNIUS, 3 June 2026 — Belarus released")
    article = parse(RawDocument(source="dateline.html", text=html, kind="html"))
    assert (article.dateline, article.published) == ("Vilnius", "2026-06-03")


# ------------------------------------------------------------------ 3. lone surrogates


def test_jsonl_lone_surrogates_are_replaced_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(
        '{"title": "Freed \\ud800", "text": "Belarus freed 12 \\udc00prisoners on Monday."}\n',
        encoding="utf-8",
    )
    doc = only_doc(path)
    assert doc.title == "Freed \ufffd"
    assert doc.text == "Belarus freed 12 \ufffdprisoners on Monday."
    assert doc.problems == (
        f"{path}:1: 1 lone surrogate(s) in 'text' replaced with U+FFFD (character offset(s) 17)",
        f"{path}:1: 1 lone surrogate(s) in 'title' replaced with U+FFFD (character offset(s) 6)",
    )
    with SQLiteStore(tmp_path / "l.sqlite") as store:
        report = ingest_paths([path], store)
        assert (report.articles_new, report.problems) == (1, ())
        (row,) = store.articles()
        assert len(row.problems) == 2


def test_jsonl_lines_split_only_at_newlines(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    record = {"text": "Belarus freed 12 prisoners\u2028on Monday.\x1cSaid officials."}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert only_doc(path).text == record["text"]


# ------------------------------------------------------------------ 4. unreadable folders

TEXT = "Belarus released 31 political prisoners on Tuesday, the press service said."


def test_an_unreadable_subfolder_is_reported_and_the_rest_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for rel in ["a.txt", "locked/b.txt", "open/c.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(TEXT, encoding="utf-8")
    locked = tmp_path / "locked"
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:  # root reads any folder: refuse this one
        if Path(os.fsdecode(path)) == locked:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    docs, errors = read(tmp_path)
    assert [Path(d.source).name for d in docs] == ["a.txt", "c.txt"]
    assert [(e.source, e.reason) for e in errors] == [
        (str(locked), "cannot read folder: Permission denied")
    ]
    with SQLiteStore(tmp_path / "l.sqlite") as store:
        report = ingest_paths([tmp_path], store)
    assert [p.source for p in report.problems] == [str(locked)]


def test_linked_folders_are_followed_once(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "walked").mkdir()
    (tmp_path / "walked" / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real", target_is_directory=True)
    docs, errors = read(tmp_path / "walked")
    assert errors == [] and [d.source for d in docs] == [str(tmp_path / "walked/link/a.txt")]


# ------------------------------------------------------------------ 5. truncated WARC


def _page(n: int) -> bytes:
    """A news page of a few hundred bytes."""
    para = f"<p>Belarus released {n} political prisoners on Tuesday, officials said.</p>"
    return f"<html><body><article><h1>Story {n}</h1>{para * 8}</article></body></html>".encode()


def _warc(compress: bool, pages: int = 4) -> tuple[bytes, list[int]]:
    """An archive of `pages` HTML responses, and the byte offset of each record."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    offsets = []
    for n in range(1, pages + 1):
        offsets.append(out.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
        record = writer.create_warc_record(
            f"https://news.example.org/{n}", "response", payload=io.BytesIO(_page(n)),
            http_headers=headers,
        )  # fmt: skip
        writer.write_record(record)
    return out.getvalue(), offsets


@pytest.mark.parametrize(
    ("name", "into", "why"),
    [
        ("cut.warc.gz", 60, "the last 60 byte(s) are the start of a record cut off"),
        ("cut.warc", 40, "its headers are cut off"),
        ("cut.warc", 500, "only "),
    ],
)
def test_a_truncated_warc_says_where_and_keeps_what_came_before(
    tmp_path: Path, name: str, into: int, why: str
) -> None:
    data, offsets = _warc(compress=name.endswith(".gz"))
    path = tmp_path / name
    path.write_bytes(data[: offsets[2] + into])
    docs, errors = read(path)
    assert [d.url for d in docs] == ["https://news.example.org/1", "https://news.example.org/2"]
    (error,) = errors
    assert error.source == str(path)
    assert f"truncated at record 3 (from byte {offsets[2]:,}): {why}" in error.reason
    assert error.reason.endswith("the 2 record(s) before it were read")
    assert "no readable text" not in error.reason


def test_a_whole_warc_reports_nothing(tmp_path: Path) -> None:
    data, _ = _warc(compress=True)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(data)
    docs, errors = read(path)
    assert len(docs) == 4 and errors == []


# ------------------------------------------------------------------ 6 and 8. feeds

HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Wire</title>\n'
ITEM1 = (
    "<item><title>Prisoners freed</title><link>https://w.example.org/1</link><description>"
    "Belarus released 31 political prisoners on Tuesday&nbsp;after talks.</description></item>\n"
)
ITEM3 = (
    "<item><title>Swap agreed</title><link>https://w.example.org/3</link>"
    "<description>The two states agreed a swap.</description></item>\n"
)
TAIL = "</channel></rss>"
ITEM2 = "<item><title>Talks resume</title><link>https://w.example.org/2</link><description>"


def read_feed_with(tmp_path: Path, item2: str) -> tuple[list[RawDocument], dict[str, str]]:
    """Read a three-item feed whose second item is `item2`: documents, reasons by source."""
    path = tmp_path / "wire.rss"
    path.write_text(HEAD + ITEM1 + item2 + ITEM3 + TAIL, encoding="utf-8")
    docs, errors = read(path)
    assert [d.url for d in docs] == ["https://w.example.org/1"]
    return docs, {Path(e.source).name: e.reason for e in errors}


def test_a_malformed_feed_reports_the_parser_error_and_every_lost_item(tmp_path: Path) -> None:
    unclosed_cdata = ITEM2 + "<![CDATA[Talks resumed on Thursday.</description></item>\n"
    docs, reasons = read_feed_with(tmp_path, unclosed_cdata)
    assert "feedparser: undefined entity at line 3" in docs[0].problems[0]
    assert "feedparser: undefined entity at line 3" in reasons["wire.rss"]
    assert "1 item(s) lost" in reasons["wire.rss"]
    assert "item 3 (line 5) 'Swap agreed'" in reasons["wire.rss"]
    assert "no content" in reasons["wire.rss#entry2"]
    assert "undefined entity" in reasons["wire.rss#entry2"]


def test_a_feed_entry_garbled_by_an_unclosed_tag_is_not_read(tmp_path: Path) -> None:
    _, reasons = read_feed_with(tmp_path, ITEM2 + "Talks resumed on Thursday.\n")
    assert "2 item(s) lost, 1 entry(ies) garbled" in reasons["wire.rss"]
    assert "item 2 (line 4) 'Talks resume'; item 3 (line 5) 'Swap agreed'" in reasons["wire.rss"]
    assert reasons["wire.rss#entry2"].startswith("entry garbled by the malformed feed")


def test_a_feed_with_nothing_lost_carries_the_parser_error_on_its_entries(
    tmp_path: Path,
) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(HEAD + ITEM1 + ITEM3 + TAIL, encoding="utf-8")
    docs, errors = read(path)
    assert errors == [] and len(docs) == 2
    assert all("malformed feed, read leniently" in d.problems[0] for d in docs)


def test_feed_content_that_is_a_path_is_not_opened(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere.rss"
    secret.write_text(HEAD + ITEM3.replace("&nbsp;", " ") + TAIL, encoding="utf-8")
    path = tmp_path / "pointer.rss"
    path.write_bytes(str(secret).encode())
    docs, errors = read(path)
    assert docs == []
    assert len(errors) == 1 and errors[0].reason.startswith("not a feed")


def test_feed_gzip_and_url_content_are_not_fetched(tmp_path: Path) -> None:
    path = tmp_path / "pointer.xml.gz"
    path.write_bytes(gzip.compress(b"file:///etc/hostname"))
    docs, errors = read(path)
    assert docs == [] and errors[0].reason.startswith("not a feed")


# ------------------------------------------------------------------ found by the fuzz harness


def test_a_feed_with_a_reference_to_a_lone_surrogate_is_read(tmp_path: Path) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(HEAD + ITEM3.replace("a swap", "a swap&#xD800;<") + TAIL, encoding="utf-8")
    docs, _ = read(path)
    assert docs and "\ud800" not in docs[0].text
    assert "1 character reference(s) to no character replaced" in docs[0].problems[0]


def test_a_feed_whose_encoding_declaration_is_mangled_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "wire.atom"
    path.write_bytes(b'<?xml version="1.0" encoding="ut\xe9-8"?><rss><channel></channel></rss>')
    docs, errors = read(path)
    assert docs == [] and len(errors) == 1 and errors[0].source == str(path)


def test_a_warc_record_with_a_wrong_length_is_reported_not_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, offsets = _warc(compress=False, pages=2)
    start = data.index(b"Content-Length: ", offsets[1]) + len(b"Content-Length: ")
    end = data.index(b"\r\n", start)
    length = int(data[start:end])
    path = tmp_path / "bad-length.warc"
    path.write_bytes(data[:start] + str(length - 5).encode() + data[end:])
    docs, errors = read(path)
    assert len(docs) == 2
    assert [e.reason.split(":")[0] for e in errors] == [
        "1 record(s) not followed by the blank line WARC requires (a wrong Content-Length?)"
    ]
    assert capsys.readouterr().err == ""
