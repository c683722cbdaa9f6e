"""Ingest stage: files and folders -> RawDocument, one at a time.

Reads raw text dumps, HTML pages, JSONL records, RSS/Atom feeds and WARC archives, any of
them gzip-compressed. Every unreadable input becomes an `InputError` in the stream (naming
the file, or "file:LINE" for a JSONL record, and the reason) instead of an exception, so one
bad file never stops the rest. Nothing is held beyond the file being read.
"""

from __future__ import annotations

import codecs
import email.utils
import gzip
import json
import os
import re
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from charset_normalizer import from_bytes

from .errors import InputError
from .model import RawDocument

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # 50 MB: far above any news page or day's dump

_GZIP_MAGIC = b"\x1f\x8b"
_SUFFIX_KIND = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
}
_BINARY_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF87a": "GIF image",
    b"GIF89a": "GIF image",
    b"%PDF-": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"\x7fELF": "executable",
    b"BZh": "bzip2 archive",
    b"\xfd7zXZ\x00": "xz archive",
    b"7z\xbc\xaf\x27\x1c": "7-Zip archive",
    b"\x28\xb5\x2f\xfd": "zstd archive",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_HTML_SNIFF = re.compile(r"<!doctype\s+html|<html[\s>]|<(?:head|body|article|div|p)[\s>]", re.I)
_FEED_SNIFF = re.compile(r"<rss[\s>]|<feed[\s>]|<rdf:rdf[\s>]", re.I)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_TAG = re.compile(r"<[A-Za-z!/]")


def iter_files(paths: str | Path | Iterable[str | Path]) -> Iterator[Path]:
    """Every file named or found under the given paths: folders walked, sorted, hidden skipped.

    A folder walk leaves out `.json` files (SCHEMA.md records: annotations, exports) and the
    project files that sit beside articles (`.md`, `.toml`, `.csv`, databases). A path that
    does not exist is still yielded, so that reading it reports the problem.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        found: list[Path] = []
        for folder, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found.extend(
                Path(folder, name)
                for name in files
                if not name.startswith(".") and not _is_record_file(name)
            )
        yield from sorted(found)


# Files a folder walk leaves out: article records (annotations, exports) and the project files
# that sit beside articles (read-mes, configuration, tables, databases).
_NOT_ARTICLES = (
    ".json",
    ".md",
    ".rst",
    ".toml",
    ".yaml",
    ".yml",
    ".py",
    ".csv",
    ".tsv",
    ".sqlite",
    ".sqlite-wal",
    ".sqlite-shm",
    ".db",
    ".lock",
)


def _is_record_file(name: str) -> bool:
    """True for files in a folder that are not articles (records, read-mes, databases)."""
    return name.lower().removesuffix(".gz").endswith(_NOT_ARTICLES)


def read_sources(
    paths: str | Path | Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawDocument | InputError]:
    """Read every input under `paths`; yield a document per article and an error per bad input."""
    for path in iter_files(paths):
        try:
            yield from read_file(path, max_bytes=max_bytes)
        except InputError as exc:
            yield exc
        except OSError as exc:
            yield InputError(str(path), f"cannot read: {exc.strerror or exc}")


def read_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawDocument | InputError]:
    """Documents of one file, per-record problems yielded; InputError if it is unreadable."""
    source = str(path)
    if not path.exists():
        raise InputError(source, "no such file")
    if not path.is_file():
        raise InputError(source, "not a regular file")
    name = path.name.lower()
    compressed = name.endswith(".gz")
    kind = _SUFFIX_KIND.get(Path(name[:-3] if compressed else name).suffix)
    if kind == "warc" or (kind is None and _peek(path).startswith(b"WARC/")):
        yield from _read_warc(path, max_bytes)
        return
    data = _read_bytes(path, max_bytes, compressed)
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        _check_binary(data, source)
    if kind == "feed" or (kind is None and _FEED_SNIFF.search(_head_text(data))):
        yield from _read_feed(data, source)
        return
    text, encoding = decode(data, source)
    if kind is None:
        kind = _sniff_kind(text)
    if kind == "jsonl":
        yield from _read_jsonl(text, source, encoding)
    elif kind == "html":
        yield html_document(text, source, encoding)
    else:
        yield text_document(text, source, encoding)


def _size(n: int) -> str:
    """A byte count as people read it: "52,428,800 bytes (50.0 MB)"."""
    return f"{n:,} bytes ({n / 1024 / 1024:.1f} MB)"


def _too_big(source: str, size: int | None, max_bytes: int, what: str = "file is") -> InputError:
    """The error for an input over the size limit."""
    stated = _size(size) if size is not None else f"over {_size(max_bytes)}"
    return InputError(source, f"{what} {stated}, over the limit of {_size(max_bytes)}")


def _peek(path: Path) -> bytes:
    """The first bytes of a file, decompressed when it is gzip (raw bytes if that fails)."""
    with path.open("rb") as fh:
        head = fh.read(64)
        if not head.startswith(_GZIP_MAGIC):
            return head
        fh.seek(0)
        try:
            with gzip.GzipFile(fileobj=fh) as gz:
                return gz.read(64)
        except (OSError, EOFError, zlib.error):
            return head


def _read_bytes(path: Path, max_bytes: int, compressed: bool) -> bytes:
    """The file's (decompressed) bytes, refusing empty, oversized and corrupt input."""
    source = str(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise _too_big(source, size, max_bytes)
    if size == 0:
        raise InputError(source, "empty file")
    with path.open("rb") as fh:
        magic = fh.read(2)
        fh.seek(0)
        if magic == _GZIP_MAGIC:
            data = _gunzip(fh, source, max_bytes)
            if not data:
                raise InputError(source, "empty file (nothing inside the gzip stream)")
            return data
        if compressed:
            raise InputError(source, "corrupt gzip: not a gzip stream (bad magic bytes)")
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:  # grew while we read it
        raise _too_big(source, None, max_bytes)
    if not data:
        raise InputError(source, "empty file")
    return data


def _gunzip(fh: BinaryIO, source: str, max_bytes: int) -> bytes:
    """Decompress a gzip stream, at most `max_bytes` of it."""
    try:
        with gzip.GzipFile(fileobj=fh) as gz:
            data = gz.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(source, f"corrupt gzip: {exc}") from exc
    if len(data) > max_bytes:
        raise _too_big(source, None, max_bytes, "decompresses to")
    return data


def _check_binary(data: bytes, source: str) -> None:
    """Refuse images, archives and other binary data (magic numbers, NUL bytes)."""
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(source, f"binary file ({what}), not text")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError(source, "binary file (contains NUL bytes), not text")


def _usable_codec(name: str | None) -> str | None:
    """The Python codec for a declared charset name, or None when unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def decode(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text: BOM, UTF-8, the declared charset, else detected; (text, encoding)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise InputError(source, f"invalid {encoding} after its byte-order mark") from exc
    _check_binary(data, source)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared is None:
        match = _META_CHARSET.search(data[:_SNIFF_BYTES])
        declared = match.group(1).decode("ascii", "replace") if match else None
    codec = _usable_codec(declared)
    if codec and codec != "utf-8":
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "not valid UTF-8, and no known character encoding fits")
    return str(best), best.encoding


def _head_text(data: bytes) -> str:
    """The start of the data as loose text, for sniffing only."""
    return data[:2048].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")


def _sniff_kind(text: str) -> str:
    """Guess the kind of a file with an unknown extension from its first characters."""
    head = text[:2048].lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        first = head.split("\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except ValueError:
            pass
    if _HTML_SNIFF.search(head):
        return "html"
    return "text"


def text_document(text: str, source: str, encoding: str = "utf-8", **hints: Any) -> RawDocument:
    """A raw-text document (line endings normalised); refuses text that is only white space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(source, "no text (only white space)")
    return RawDocument(source=source, text=text, kind="text", encoding=encoding, **hints)


def html_document(html: str, source: str, encoding: str = "utf-8", **hints: Any) -> RawDocument:
    """An HTML document; broken markup is kept, but a page with no text at all is refused."""
    from trafilatura import html2txt

    from .parse.html import as_page

    if not html.strip():
        raise InputError(source, "no text (only white space)")
    if not (html2txt(as_page(html)) or "").strip():
        raise InputError(source, "HTML holds no readable text (broken or empty markup)")
    return RawDocument(source=source, text=html, kind="html", encoding=encoding, **hints)


def iso_date(value: Any) -> str | None:
    """A publication date hint as YYYY-MM-DD (ISO 8601 or RFC 2822 input), else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    match = _ISO_DATE.match(value)
    if match:
        return "-".join(match.groups())
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _hint(value: Any) -> str | None:
    """A container hint as a trimmed string, or None."""
    return value.strip() or None if isinstance(value, str) else None


def _read_jsonl(text: str, source: str, encoding: str) -> Iterator[RawDocument | InputError]:
    """One document per JSONL line; a bad line becomes an error naming "file:LINE"."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield InputError(where, f"not JSON ({exc})")
            continue
        if not isinstance(record, dict):
            yield InputError(where, "not a JSON object")
            continue
        hints = {
            "url": _hint(record.get("url")),
            "title": _hint(record.get("title")),
            "published": iso_date(record.get("published")),
            "outlet": _hint(record.get("outlet")),
        }
        try:
            if isinstance(record.get("text"), str):
                yield text_document(record["text"], where, encoding, **hints)
            elif isinstance(record.get("html"), str):
                yield html_document(record["html"], where, encoding, **hints)
            else:
                yield InputError(where, "record has no 'text' (or 'html') string field")
        except InputError as exc:
            yield exc


def _entry_date(entry: Any) -> str | None:
    """An RSS/Atom entry's publication (else update) date as YYYY-MM-DD."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            return time.strftime("%Y-%m-%d", parsed)
    return None


def _read_feed(data: bytes, source: str) -> Iterator[RawDocument | InputError]:
    """One document per RSS/Atom entry, from its content (else summary)."""
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        why = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        raise InputError(source, f"not a feed, or a feed with no entries{why}")
    encoding = feed.get("encoding") or "utf-8"
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{source}#entry{number}"
        contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
        if contents:
            best = max(contents, key=lambda c: len(c.get("value") or ""))
            value, ctype = best.get("value") or "", best.get("type") or ""
        else:
            value = entry.get("summary") or ""
            ctype = (entry.get("summary_detail") or {}).get("type") or ""
        hints = {
            "url": _hint(entry.get("link")),
            "title": _hint(entry.get("title")),
            "published": _entry_date(entry),
        }
        try:
            if not value.strip():
                raise InputError(where, "feed entry has no content or summary")
            if "html" in ctype and _TAG.search(value):
                yield html_document(value, where, encoding, **hints)
            else:
                yield text_document(value, where, encoding, **hints)
        except InputError as exc:
            yield exc


def _read_warc(path: Path, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """One HTML document per successful HTML response record of a WARC archive, streamed.

    Archives are often far larger than any page, so the size limit applies to each record.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = str(path)
    if path.stat().st_size == 0:
        raise InputError(source, "empty file")
    found = 0
    with path.open("rb") as fh:
        try:
            for number, record in enumerate(ArchiveIterator(fh), start=1):
                if record.rec_type not in ("response", "resource"):
                    continue
                http = record.http_headers
                if http is not None and not (http.get_statuscode() or "").startswith("2"):
                    continue
                ctype = (http or record.rec_headers).get_header("Content-Type") or ""
                if "html" not in ctype.lower():
                    continue
                found += 1
                uri = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{source}#{uri or f'record{number}'}"
                body = record.content_stream().read(max_bytes + 1)
                try:
                    if len(body) > max_bytes:
                        raise _too_big(where, None, max_bytes, "record is")
                    charset = _HTTP_CHARSET.search(ctype)
                    html, encoding = decode(body, where, charset.group(1) if charset else None)
                    yield html_document(html, where, encoding, url=uri)
                except InputError as exc:
                    yield exc
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError) as exc:
            raise InputError(source, f"corrupt WARC archive: {exc}") from exc
    if not found:
        raise InputError(source, "WARC archive holds no HTML response record")
