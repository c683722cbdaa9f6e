"""WARC archives -> one HTML document per successful HTML response record, streamed.

Archives are often far larger than any page, so the size limit applies to each record. A
truncated or corrupt archive is reported with the record and byte where it breaks off, and
every record before that is read.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import RawDocument

_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_DRAIN = 1 << 16


def _drain(record: object) -> int:
    """Read the rest of a record's raw payload; the bytes its header declared but never came."""
    raw = record.raw_stream  # type: ignore[attr-defined]
    while raw.read(_DRAIN):
        pass
    return int(getattr(raw, "limit", 0) or 0)


def _broken(source: str, what: str, number: int, offset: int, why: str) -> InputError:
    """The error for an archive that breaks off at record `number`, from byte `offset`."""
    return InputError(
        source,
        f"{what} at record {number} (from byte {offset:,}): {why}; "
        f"the {number - 1} record(s) before it were read",
    )


def _records(fh: object) -> object:
    """warcio's record iterator, made silent: it writes a warning to stderr for a record not
    followed by a blank line, which is counted (err_count) and reported here instead."""
    from warcio.archiveiterator import ArchiveIterator

    class Quiet(ArchiveIterator):
        INC_RECORD = ""  # the warning's format: empty, so nothing is written

    return Quiet(fh)


def read_warc(path: Path, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """One HTML document per successful HTML response record of a WARC archive."""
    from warcio.exceptions import ArchiveLoadFailed

    from . import decode_bytes, html_document, too_big
    from .decoding import Decoded

    source = str(path)
    size = path.stat().st_size
    if size == 0:
        raise InputError(source, "empty file")
    found = number = 0
    within = False  # in a record's body (else between records)
    with path.open("rb") as fh:
        records: Any = _records(fh)
        offset = records.offset
        try:
            for number, record in enumerate(records, start=1):
                offset, within = records.offset, True
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
        except InputError:
            raise
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError, AttributeError) as exc:
            # warcio meets a record cut inside its headers as AttributeError or ValueError
            at, start = (number, offset) if within else (number + 1, records.offset)
            why = "its headers are cut off" if isinstance(exc, AttributeError) else str(exc)
            raise _broken(source, "WARC archive is corrupt or truncated", at, start, why) from exc
        end = records.offset
        fh.seek(end)
        rest = fh.read(_DRAIN)
    if records.err_count:
        yield InputError(
            source,
            f"{records.err_count} record(s) not followed by the blank line WARC requires "
            "(a wrong Content-Length?): their pages may be cut short or run on",
        )
    if end < size and not (len(rest) == size - end and not rest.strip()):
        raise _broken(
            source,
            "WARC archive is truncated",
            number + 1,
            end,
            f"the last {size - end:,} byte(s) are the start of a record cut off",
        )
    if not found:
        raise InputError(source, "WARC archive holds no HTML response record")
