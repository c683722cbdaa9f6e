"""WARC archives -> one HTML document per successful HTML response record, streamed.

Archives are often far larger than any page, so the size limit applies to each record. A
truncated or corrupt archive is reported with the record and byte where it breaks off, and
every record before that is read.

A large archive can be read in parts (`read_warc(path, max_bytes, start, end)`): a part holds
the records that *start* within its byte range, the last one read to its end past the range.
A part that does not begin at byte 0 finds its first record by looking for a record start
(`find_record_start`): a gzip member that opens with "WARC/" in a WARC.gz (one member per
record, as crawlers write them), or a "WARC/1.x" header whose Content-Length leads to the next
record in a plain WARC. A failure is reported by the part its record starts in, so each is
reported once however the archive is cut.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..model import RawDocument

_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_DRAIN = 1 << 16
_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_START = b"WARC/1."
_SCAN = 1 << 20  # bytes read at a time while looking for a record start
_HEADER_MAX = 1 << 16  # a WARC header block longer than this is not taken for one
_CONTENT_LENGTH = re.compile(rb"\r?\nContent-Length:[ \t]*(\d+)", re.I)


def _drain(record: object) -> int:
    """Read the rest of a record's raw payload; the bytes its header declared but never came."""
    raw = record.raw_stream  # type: ignore[attr-defined]
    while raw.read(_DRAIN):
        pass
    return int(getattr(raw, "limit", 0) or 0)


def _broken(source: str, what: str, number: int, offset: int, why: str, start: int) -> InputError:
    """The error for an archive that breaks off at record `number` (of the part from byte
    `start`), from byte `offset`."""
    where = f"record {number}" if start == 0 else f"record {number} of the part from byte {start:,}"
    before = "before it" if start == 0 else "before it in that part"
    return InputError(
        source,
        f"{what} at {where} (from byte {offset:,}): {why}; "
        f"the {number - 1} record(s) {before} were read",
    )


def _records(fh: object) -> object:
    """warcio's record iterator, made silent: it writes a warning to stderr for a record not
    followed by a blank line, which is counted (err_count) and reported here instead."""
    from warcio.archiveiterator import ArchiveIterator

    class Quiet(ArchiveIterator):
        INC_RECORD = ""  # the warning's format: empty, so nothing is written

    return Quiet(fh)


def is_gzip(path: Path) -> bool:
    """Whether the file starts as a gzip stream."""
    with path.open("rb") as fh:
        return fh.read(2) == _GZIP_MEMBER[:2]


def per_record_gzip(path: Path, probe: int = 4 << 20) -> bool:
    """Whether a WARC.gz holds one gzip member per record (so parts can start at a member):
    its first member ends within `probe` bytes and another member follows it."""
    inflater = zlib.decompressobj(31)
    with path.open("rb") as fh:
        read = 0
        while read < probe and not inflater.eof:
            chunk = fh.read(_DRAIN)
            if not chunk:
                return False
            read += len(chunk)
            try:
                while chunk and not inflater.eof:
                    inflater.decompress(chunk, _DRAIN)
                    chunk = inflater.unconsumed_tail
            except zlib.error:
                return False
        if not inflater.eof:
            return False
        follows = inflater.unused_data + fh.read(3)
    return follows[:3] == _GZIP_MEMBER


def is_record_start(fh: BinaryIO, pos: int, gz: bool) -> bool:
    """Whether a WARC record starts at byte `pos` of the archive (see the module's doc); the
    file's position is left where it was."""
    back = fh.tell()
    try:
        return _starts(fh, pos, gz)
    finally:
        fh.seek(back)


def _starts(fh: BinaryIO, pos: int, gz: bool) -> bool:
    """is_record_start, moving the file's position."""
    fh.seek(pos)
    head = fh.read(_HEADER_MAX)
    if gz:
        if not head.startswith(_GZIP_MEMBER):
            return False
        try:
            return zlib.decompressobj(31).decompress(head, 16).startswith(_WARC_START)
        except zlib.error:
            return False
    if not head.startswith(_WARC_START):
        return False
    if pos > 0:
        fh.seek(max(0, pos - 4))
        if not fh.read(4).endswith((b"\r\n\r\n", b"\n\n")):  # the blank lines closing the
            return False  # record before
    end = head.find(b"\r\n\r\n")
    if end < 0:
        return len(head) < _HEADER_MAX  # headers cut off by the end of the file: a cut record
    length = _CONTENT_LENGTH.search(head, 0, end)
    if length is None:
        return False
    following = pos + end + 4 + int(length.group(1)) + 4
    fh.seek(following)
    after = fh.read(len(_WARC_START))
    return not after or after == _WARC_START  # the end of the file, or the next record


def find_record_start(fh: BinaryIO, start: int, gz: bool) -> int | None:
    """The first byte at or after `start` where a record starts; None when none does."""
    mark = _GZIP_MEMBER if gz else _WARC_START
    pos = start
    while True:
        fh.seek(pos)
        chunk = fh.read(_SCAN + len(mark) - 1)  # overlap: a mark across two reads is seen once
        at = chunk.find(mark)
        while 0 <= at < _SCAN:
            if is_record_start(fh, pos + at, gz):
                return pos + at
            at = chunk.find(mark, at + 1)
        if len(chunk) < _SCAN + len(mark) - 1:
            return None
        pos += _SCAN


def read_warc(
    path: Path, max_bytes: int, start: int = 0, end: int | None = None
) -> Iterator[RawDocument | InputError]:
    """One HTML document per successful HTML response record of a WARC archive (or of its
    records that start in bytes [start, end))."""
    from warcio.exceptions import ArchiveLoadFailed

    from . import decode_bytes, html_document, too_big
    from .decoding import Decoded

    source = str(path)
    size = path.stat().st_size
    if size == 0:
        raise InputError(source, "empty file")
    whole = start == 0 and end is None
    found = number = 0
    within = False  # in a record's body (else between records)
    broke = False  # stopped at a record the next part reads
    with path.open("rb") as fh:
        gz = fh.read(2) == _GZIP_MEMBER[:2]
        first = start if start == 0 else find_record_start(fh, start, gz)
        if first is None or (end is not None and first >= end):
            return  # no record starts in this part: the one before reads across it
        fh.seek(first)

        def ours(offset: int) -> bool:
            """Whether a failure at `offset` is this part's to report (see the module's doc)."""
            return end is None or offset < end or not is_record_start(fh, offset, gz)

        records: Any = _records(fh)
        offset = records.offset
        try:
            for number, record in enumerate(records, start=1):
                offset, within = records.offset, True
                if end is not None and offset >= end and is_record_start(fh, offset, gz):
                    number -= 1  # the next part's first record: it reads it
                    broke = True
                    break
                http = record.http_headers
                ctype = (http or record.rec_headers).get_header("Content-Type") or ""
                wanted = (
                    record.rec_type in ("response", "resource")
                    and (http is None or (http.get_statuscode() or "").startswith("2"))
                    and "html" in ctype.lower()
                )
                body = record.content_stream().read(max_bytes + 1) if wanted else b""
                missing = _drain(record)
                within = False
                if missing:
                    declared = record.length
                    raise _broken(
                        source,
                        "WARC archive is truncated",
                        number,
                        offset,
                        f"only {declared - missing:,} of its {declared:,} bytes are there",
                        start,
                    )
                if not wanted:
                    continue
                found += 1
                uri = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{source}#{uri or f'record{number}'}"
                try:
                    if len(body) > max_bytes:
                        raise too_big(where, None, max_bytes, "record is")
                    charset = _HTTP_CHARSET.search(ctype)
                    decoded: Decoded = decode_bytes(
                        body, where, charset.group(1) if charset else None
                    )
                    yield html_document(
                        decoded.text,
                        where,
                        url=uri,
                        encoding=decoded.encoding,
                        encoding_confidence=decoded.confidence,
                        problems=(decoded.note,) if decoded.note else (),
                    )
                except InputError as exc:
                    yield exc
            else:
                number += 1  # the loop ended by itself: the next record would be this one
        except InputError:
            raise
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError, AttributeError) as exc:
            # warcio meets a record cut inside its headers as AttributeError or ValueError
            at, at_byte = (number, offset) if within else (number + 1, records.offset)
            if not ours(at_byte):
                return  # the record starts in the next part, which reports it
            why = "its headers are cut off" if isinstance(exc, AttributeError) else str(exc)
            raise _broken(
                source, "WARC archive is corrupt or truncated", at, at_byte, why, start
            ) from exc
        stop = records.offset
        fh.seek(stop)
        rest = fh.read(_DRAIN)
        mine = ours(stop)
    if records.err_count:
        yield InputError(
            source,
            f"{records.err_count} record(s) not followed by the blank line WARC requires "
            "(a wrong Content-Length?): their pages may be cut short or run on",
        )
    if not broke and mine and stop < size and not (len(rest) == size - stop and not rest.strip()):
        raise _broken(
            source,
            "WARC archive is truncated",
            number,
            stop,
            f"the last {size - stop:,} byte(s) are the start of a record cut off",
            start,
        )
    if not found and whole:
        raise InputError(source, "WARC archive holds no HTML response record")
