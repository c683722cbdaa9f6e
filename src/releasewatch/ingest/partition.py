"""Work units: the inputs of an ingest cut into pieces that can be read apart, in any process.

A unit is either a group of whole files (the files of a folder, a few at a time) or a byte range
of one large file whose format allows it: a WARC (plain, or gzip with one member per record,
as crawlers write them) or an uncompressed JSONL file. `plan` lists the units of some paths in
reading order without reading any archive (a JSONL file is scanned once for line numbers);
`read_unit` streams the documents of one unit, so no reader holds more than one record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import RawDocument
from . import (
    _SUFFIX_KIND,
    DEFAULT_MAX_BYTES,
    _peek,
    _read_jsonl,
    decode_bytes,
    iter_files,
    read_file,
    too_big,
)
from .decoding import BOMS
from .warc import per_record_gzip, read_warc

# A file larger than this is read in byte ranges of about this size (when its format allows).
# Set so that one range of CC-NEWS (about 30 kB a gzip-compressed record) is ~140 records,
# a few seconds of work on one core: long enough that scheduling costs nothing, short enough
# that a 1 GB archive gives hundreds of units to spread over a cluster and a retry redoes little.
RANGE_BYTES = 4 << 20
# Whole files grouped into one unit: at most this many, or this many bytes.
GROUP_FILES = 64
GROUP_BYTES = 4 << 20


@dataclass(frozen=True)
class FileGroup:
    """Whole files, read one after the other."""

    files: tuple[str, ...]
    size: int = 0  # their bytes, for progress

    @property
    def label(self) -> str:
        """The unit as named in messages."""
        more = f" (+{len(self.files) - 1} more)" if len(self.files) > 1 else ""
        return f"{self.files[0]}{more}"


@dataclass(frozen=True)
class ByteRange:
    """The records (WARC) or lines (JSONL) of one file that start in bytes [start, end)."""

    path: str
    kind: str  # "warc" or "jsonl"
    start: int
    end: int
    first_line: int = 1  # JSONL: the number of the line at `start`

    @property
    def size(self) -> int:
        """The range's bytes, for progress."""
        return self.end - self.start

    @property
    def label(self) -> str:
        """The unit as named in messages."""
        return f"{self.path} [bytes {self.start:,}-{self.end:,}]"


WorkUnit = FileGroup | ByteRange


def unit_key(unit: WorkUnit) -> str:
    """A short stable name of a unit (for a cluster's task names)."""
    return hashlib.sha1(repr(unit).encode()).hexdigest()[:12]


def _kind(path: Path) -> str | None:
    """ "warc" or "jsonl" for a file that can be read in byte ranges, else None."""
    name = path.name.lower()
    compressed = name.endswith(".gz")
    kind = _SUFFIX_KIND.get(Path(name[:-3] if compressed else name).suffix)
    try:
        if kind == "warc" or (kind is None and _peek(path).startswith(b"WARC/")):
            from .warc import is_gzip

            return "warc" if not is_gzip(path) or per_record_gzip(path) else None
        if kind == "jsonl" and not compressed:
            with path.open("rb") as fh:
                head = fh.read(4)
            # UTF-16/32 text is decoded by its byte-order mark, which only the first range has
            wide = any(head.startswith(bom) for bom, name in BOMS if name != "utf-8-sig")
            return "jsonl" if not (head.startswith(b"\x1f\x8b") or wide) else None
    except OSError:
        return None  # reading it whole reports why
    return None


def _jsonl_ranges(path: Path, size: int, span: int) -> Iterator[ByteRange]:
    """Ranges of about `span` bytes, each from a line start, with that line's number."""
    start, line = 0, 1
    with path.open("rb") as fh:
        while start < size:
            fh.seek(start)
            block = fh.read(span)
            lines = block.count(b"\n")
            end = start + len(block)
            if end < size and not block.endswith(b"\n"):  # on to the end of the cut line
                tail = fh.readline()
                end += len(tail)
                lines += tail.count(b"\n")
            yield ByteRange(str(path), "jsonl", start, end, line)
            start, line = end, line + lines


def plan(paths: Iterable[str | Path], *, span: int | None = None) -> Iterator[WorkUnit]:
    """The work units of every input under `paths`, in reading order (ranges of about `span`
    bytes, default RANGE_BYTES)."""
    span = span or RANGE_BYTES
    group: list[str] = []
    group_size = 0
    for path in iter_files(list(paths)):
        try:
            size = path.stat().st_size if path.is_file() else 0
        except OSError:
            size = 0
        kind = _kind(path) if size > span else None
        if kind is None:
            group.append(str(path))
            group_size += size
            if len(group) >= GROUP_FILES or group_size >= GROUP_BYTES:
                yield FileGroup(tuple(group), group_size)
                group, group_size = [], 0
            continue
        if group:
            yield FileGroup(tuple(group), group_size)
            group, group_size = [], 0
        if kind == "jsonl":
            yield from _jsonl_ranges(path, size, span)
        else:
            for start in range(0, size, span):
                yield ByteRange(str(path), "warc", start, min(start + span, size))
    if group:
        yield FileGroup(tuple(group), group_size)


def _read_range(unit: ByteRange, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """The documents of one byte range."""
    path = Path(unit.path)
    if unit.kind == "warc":
        yield from read_warc(path, max_bytes, unit.start, unit.end)
        return
    if unit.size > max_bytes:
        raise too_big(unit.label, unit.size, max_bytes, "range is")
    with path.open("rb") as fh:
        fh.seek(unit.start)
        data = fh.read(unit.size)
    if len(data) < unit.size:
        raise InputError(unit.path, f"file shrank while read: {unit.label} is past its end")
    decoded = decode_bytes(data, unit.path)
    yield from _read_jsonl(data, decoded, unit.path, unit.first_line)


def read_unit(
    unit: WorkUnit, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawDocument | InputError]:
    """Every document of a unit, and an error for every input (or part) that cannot be read."""
    if isinstance(unit, ByteRange):
        try:
            yield from _read_range(unit, max_bytes)
        except InputError as exc:
            yield exc
        except OSError as exc:
            yield InputError(unit.path, f"cannot read: {exc.strerror or exc}")
        return
    for name in unit.files:
        try:
            yield from read_file(Path(name), max_bytes=max_bytes)
        except InputError as exc:
            yield exc
        except OSError as exc:
            yield InputError(name, f"cannot read: {exc.strerror or exc}")
