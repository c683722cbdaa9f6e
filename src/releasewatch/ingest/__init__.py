"""Ingest stage: files and folders -> RawDocument, one at a time.

Reads raw text dumps, HTML pages, JSONL records, RSS/Atom feeds and WARC archives, any of
them gzip-compressed. Every unreadable input becomes an `InputError` in the stream (naming
the file, or "file:LINE" for a JSONL record, and the reason) instead of an exception, so one
bad file never stops the rest; an unreadable folder is reported the same way. What was read
but had to be repaired (bytes replaced, an encoding guessed, lone surrogates) rides on the
document as `problems`. Nothing is held beyond the file being read. Decoding is in
`decoding`, feeds in `feeds`, WARC archives in `warc`.
"""

from __future__ import annotations

import email.utils
import gzip
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..model import RawDocument
from .decoding import BOMS, Decoded, decode, replace_surrogates

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
_SNIFF_BYTES = 8192
_HTML_SNIFF = re.compile(r"<!doctype\s+html|<html[\s>]|<(?:head|body|article|div|p)[\s>]", re.I)
_FEED_SNIFF = re.compile(r"<rss[\s>]|<feed[\s>]|<rdf:rdf[\s>]", re.I)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def iter_files(paths: str | Path | Iterable[str | Path]) -> Iterator[Path]:
    """Every file named or found under the given paths: folders walked, sorted, hidden skipped.

    A folder walk leaves out `.json` files (SCHEMA.md records: annotations, exports) and the
    project files that sit beside articles (`.md`, `.toml`, `.csv`, databases). A path that
    does not exist is still yielded, so that reading it reports the problem; so is a folder
    that cannot be listed. Links to folders are followed, each folder read once.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        yield from _walk(path)


def _walk(top: Path) -> list[Path]:
    """The files under a folder, sorted, and the folders under it that cannot be listed."""
    found: list[Path] = []
    seen: set[str] = set()

    def unreadable(exc: OSError) -> None:
        found.append(Path(exc.filename) if exc.filename else top)

    for folder, dirs, files in os.walk(top, onerror=unreadable, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link back to a folder already read
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Path(folder, name)
            for name in files
            if not name.startswith(".") and not _is_record_file(name)
        )
    return sorted(found)


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
    if path.is_dir():
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            raise InputError(source, f"cannot read folder: {exc.strerror or exc}") from exc
        raise InputError(source, "is a folder (name it to have it walked)")
    if not path.exists():
        raise InputError(source, "no such file")
    if not path.is_file():
        raise InputError(source, "not a regular file")
    name = path.name.lower()
    compressed = name.endswith(".gz")
    kind = _SUFFIX_KIND.get(Path(name[:-3] if compressed else name).suffix)
    if kind == "warc" or (kind is None and _peek(path).startswith(b"WARC/")):
        from .warc import read_warc

        yield from read_warc(path, max_bytes)
        return
    data = _read_bytes(path, max_bytes, compressed)
    if kind == "feed" or (kind is None and _FEED_SNIFF.search(_head_text(data))):
        from .feeds import read_feed

        _check_binary(data, source)
        yield from read_feed(data, source)
        return
    decoded = decode_bytes(data, source)
    if kind is None:
        kind = _sniff_kind(decoded.text)
    if kind == "jsonl":
        yield from _read_jsonl(data, decoded, source)
    elif kind == "html":
        yield html_document(decoded.text, source, **_decoding_hints(decoded))
    else:
        yield text_document(decoded.text, source, **_decoding_hints(decoded))


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> Decoded:
    """Refuse binary data, then decode (see `decoding.decode`)."""
    _check_binary(data, source)
    return decode(data, source, declared)


def _decoding_hints(decoded: Decoded, note: str | None = None) -> dict[str, Any]:
    """The document fields that record how its bytes were decoded."""
    note = note if note is not None else decoded.note
    return {
        "encoding": decoded.encoding,
        "encoding_confidence": decoded.confidence,
        "problems": (note,) if note else (),
    }


def _size(n: int) -> str:
    """A byte count as people read it: "52,428,800 bytes (50.0 MB)"."""
    return f"{n:,} bytes ({n / 1024 / 1024:.1f} MB)"


def too_big(source: str, size: int | None, max_bytes: int, what: str = "file is") -> InputError:
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
        raise too_big(source, size, max_bytes)
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
        raise too_big(source, None, max_bytes)
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
        raise too_big(source, None, max_bytes, "decompresses to")
    return data


def _check_binary(data: bytes, source: str) -> None:
    """Refuse images, archives and other binary data (magic numbers, NUL bytes)."""
    if any(data.startswith(bom) for bom, _ in BOMS):
        return  # UTF-16 and UTF-32 text holds NUL bytes
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(source, f"binary file ({what}), not text")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError(source, "binary file (contains NUL bytes), not text")


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


def _clean(source: str, text: str, hints: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Text and string hints with lone surrogates replaced, each replacement a problem."""
    problems = list(hints.pop("problems", ()))
    fields = {"text": text, **{k: v for k, v in hints.items() if isinstance(v, str)}}
    for field, value in fields.items():
        cleaned, offsets = replace_surrogates(value)
        if not offsets:
            continue
        where = ", ".join(f"{o:,}" for o in offsets[:10])
        more = f" and {len(offsets) - 10:,} more" if len(offsets) > 10 else ""
        problems.append(
            f"{source}: {len(offsets):,} lone surrogate(s) in '{field}' replaced with U+FFFD "
            f"(character offset(s) {where}{more})"
        )
        if field == "text":
            text = cleaned
        else:
            hints[field] = cleaned
    hints["problems"] = tuple(problems)
    return text, hints


def text_document(text: str, source: str, **hints: Any) -> RawDocument:
    """A raw-text document (line endings normalised); refuses text that is only white space."""
    text, hints = _clean(source, text, hints)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(source, "no text (only white space)")
    return RawDocument(source=source, text=text, kind="text", **hints)


def html_document(html: str, source: str, **hints: Any) -> RawDocument:
    """An HTML document; broken markup is kept, but a page with no text at all is refused."""
    from trafilatura import html2txt

    from ..parse.html import as_page

    html, hints = _clean(source, html, hints)
    if not html.strip():
        raise InputError(source, "no text (only white space)")
    # Words between the body's tags settle it at a tenth of the cost of converting the page
    # (3 ms against 25 ms for a 170 kB page): that check is for the pages left in doubt.
    body = _HTML_BODY.search(html)
    if (
        not _WORD.search(_NOT_TEXT.sub(" ", html[body.end() :] if body else html))
        and not (html2txt(as_page(html)) or "").strip()
    ):
        raise InputError(source, "HTML holds no readable text (broken or empty markup)")
    return RawDocument(source=source, text=html, kind="html", **hints)


_HTML_BODY = re.compile(r"<body\b[^>]*>", re.I)
_NOT_TEXT = re.compile(
    r"<(script|style|noscript|template|svg|head)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>|&\w+;|&#\w+;",
    re.S | re.I,
)
_WORD = re.compile(r"\w\w")


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


def hint(value: Any) -> str | None:
    """A container hint as a trimmed string, or None."""
    return value.strip() or None if isinstance(value, str) else None


def _line_notes(data: bytes, decoded: Decoded, source: str, first: int = 1) -> dict[int, str]:
    """For JSONL: the decoding problem of each line that had bytes replaced, by line number
    (`first` is the number of the data's first line)."""
    by_line: dict[int, list[tuple[int, int]]] = {}
    for start, end in decoded.replaced:
        by_line.setdefault(data.count(b"\n", 0, start) + first, []).append((start, end))
    from .decoding import replaced_note

    return {
        line: replaced_note(f"{source}:{line}", decoded.encoding, ranges)
        for line, ranges in by_line.items()
    }


def _read_jsonl(
    data: bytes, decoded: Decoded, source: str, first: int = 1
) -> Iterator[RawDocument | InputError]:
    """One document per JSONL line; a bad line becomes an error naming "file:LINE" (`first` is
    the number of the data's first line: a byte range of a file starts further on).

    Lines are split at "\n" alone: JSON strings may hold U+2028 and other line separators.
    """
    notes = _line_notes(data, decoded, source, first) if decoded.replaced else {}
    for number, line in enumerate(decoded.text.split("\n"), start=first):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield InputError(where, f"not JSON ({exc})")
            continue
        except RecursionError:
            yield InputError(where, "not JSON (nested too deeply)")
            continue
        if not isinstance(record, dict):
            yield InputError(where, "not a JSON object")
            continue
        note = notes.get(number) if decoded.replaced else decoded.note
        hints = {
            "url": hint(record.get("url")),
            "title": hint(record.get("title")),
            "published": iso_date(record.get("published")),
            "outlet": hint(record.get("outlet")),
            **_decoding_hints(decoded, note or ""),
        }
        try:
            if isinstance(record.get("text"), str):
                yield text_document(record["text"], where, **hints)
            elif isinstance(record.get("html"), str):
                yield html_document(record["html"], where, **hints)
            else:
                yield InputError(where, "record has no 'text' (or 'html') string field")
        except InputError as exc:
            yield exc
