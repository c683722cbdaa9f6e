"""Bytes to text: which encoding, how sure, and what was replaced.

Order of evidence: a byte-order mark; valid UTF-8; UTF-8 with a few bad bytes (more valid
multi-byte sequences than broken ones), decoded with U+FFFD for the bad bytes; a declared
legacy charset that decodes cleanly; a detected legacy encoding, only when the evidence for
it is strong (data/decoding.toml); else UTF-8 with replacement. Every replacement is
reported with its byte offsets and count; the decision and its confidence are returned.
"""

from __future__ import annotations

import codecs
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import lexicon
from ..errors import InputError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# Declared names that WHATWG reads as windows-1252, a superset of their printable range.
_AS_WINDOWS_1252 = frozenset({"latin_1", "iso8859-1", "ascii", "iso8859-15", "cp819"})
_SURROGATE = re.compile("[\ud800-\udfff]")
_HIGH_BYTES = bytes(range(0x80, 0x100))


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, the encoding chosen and how sure that choice is (0-1)."""

    text: str
    encoding: str
    confidence: float = 1.0
    replaced: tuple[tuple[int, int], ...] = ()  # byte ranges replaced by U+FFFD
    note: str | None = None  # the problem to record (replacements, a guessed encoding)


@cache
def _settings() -> dict[str, Any]:
    """The decoding settings of data/decoding.toml."""
    return lexicon.load("decoding")


# Invalid byte ranges, collected by the error handler below for the decode in progress
# (one list per thread, so concurrent ingests do not mix them).
_collected = threading.local()


def _record_and_replace(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: note the bad byte range, put U+FFFD in its place."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _collected.ranges.append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("releasewatch-replace", _record_and_replace)


def _decode_replacing(data: bytes, encoding: str) -> tuple[str, list[tuple[int, int]]]:
    """Decode with U+FFFD for every invalid sequence; (text, byte ranges replaced)."""
    _collected.ranges = []
    try:
        text = data.decode(encoding, "releasewatch-replace")
        return text, _collected.ranges
    finally:
        _collected.ranges = []


def _offsets(ranges: Sequence[tuple[int, int]]) -> str:
    """The first byte offsets of `ranges` as people read them, "12, 40 and 3 more"."""
    shown = int(_settings()["listed_offsets"])
    starts = [f"{start:,}" for start, _ in ranges[:shown]]
    more = len(ranges) - shown
    return ", ".join(starts) + (f" and {more:,} more" if more > 0 else "")


def replaced_note(source: str, encoding: str, ranges: Sequence[tuple[int, int]]) -> str:
    """The problem naming the file, the bad bytes' offsets and their count."""
    count = sum(end - start for start, end in ranges)
    encoding = "UTF-8" if encoding == "utf-8" else encoding
    where = "offset" if len(ranges) == 1 else "offsets"
    return (
        f"{source}: {count:,} byte(s) not valid {encoding} replaced with U+FFFD "
        f"({len(ranges):,} place(s), byte {where} {_offsets(ranges)})"
    )


def replace_surrogates(value: str) -> tuple[str, tuple[int, ...]]:
    """`value` with lone surrogates (from JSON "\\ud800") replaced by U+FFFD; their offsets."""
    found = tuple(m.start() for m in _SURROGATE.finditer(value))
    return (_SURROGATE.sub("\ufffd", value) if found else value), found


def _declared(data: bytes, declared: str | None) -> str | None:
    """The charset the container or the page declares (HTTP header, meta, XML declaration)."""
    if declared is None:
        head = data[:_SNIFF_BYTES]
        match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
        declared = match.group(1).decode("ascii", "replace") if match else None
    if not declared:
        return None
    try:
        return codecs.lookup(declared.strip().lower()).name
    except LookupError:
        return None


def _sample(text: str) -> str:
    """The lines of `text` that hold non-ASCII characters, up to the sample size."""
    limit = int(_settings()["sample_chars"])
    lines: list[str] = []
    size = 0
    for line in text.splitlines():
        if line.isascii():
            continue
        lines.append(line)
        size += len(line)
        if size >= limit:
            break
    return "\n".join(lines)[:limit]


@cache
def _alphabets() -> tuple[tuple[str, frozenset[str] | tuple[tuple[int, int], ...]], ...]:
    """The alphabets (letter sets) and scripts (code point ranges) of data/decoding.toml."""
    settings = _settings()
    found: list[tuple[str, frozenset[str] | tuple[tuple[int, int], ...]]] = [
        (name, frozenset(letters)) for name, letters in settings["alphabets"].items()
    ]
    for name, spans in settings["scripts"].items():
        ranges = tuple((int(lo, 16), int(hi, 16)) for lo, hi in (span.split("-") for span in spans))
        found.append((name, ranges))
    return tuple(found)


def _fit(sample: str) -> float:
    """The share of the sample's non-ASCII letters that one alphabet or script holds."""
    letters = Counter(c for c in sample.lower() if ord(c) > 127 and c.isalpha())
    total = sum(letters.values())
    if not total:
        return 1.0
    best = 0
    for _, members in _alphabets():
        if isinstance(members, frozenset):
            held = sum(n for c, n in letters.items() if c in members)
        else:
            held = sum(
                n for c, n in letters.items() if any(lo <= ord(c) <= hi for lo, hi in members)
            )
        best = max(best, held)
    return best / total


@dataclass(frozen=True)
class _Reading:
    """One legacy encoding's reading of the bytes, with its measures."""

    encoding: str
    text: str
    mess: float
    fit: float
    rank: int  # place in the preference order

    def key(self) -> tuple[float, float]:
        """What ranks readings (lower is better), order of preference aside."""
        return (round(self.mess, 2), -round(self.fit, 2))


def _reading(data: bytes, encoding: str, rank: int) -> _Reading | None:
    """The reading of `data` in `encoding`, or None when the bytes do not decode in it."""
    from charset_normalizer.md import mess_ratio

    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    sample = _sample(text)
    mess = mess_ratio(sample, 1.0) if sample else 0.0
    return _Reading(encoding, text, mess, _fit(sample), rank)


def _legacy(data: bytes, declared: str | None) -> tuple[Decoded | None, str | None]:
    """A legacy reading on strong evidence, else (None, why the best one was not trusted)."""
    settings = _settings()
    max_mess = float(settings["max_mess"])
    if declared and declared != "utf-8":
        names = ["cp1252", declared] if declared in _AS_WINDOWS_1252 else [declared]
        for name in names:
            reading = _reading(data, name, 0)
            if reading and reading.mess <= max_mess:
                confidence = round(min(1.0 - reading.mess, float(settings["max_confidence"])), 2)
                return Decoded(reading.text, reading.encoding, confidence), None
    readings = [
        r
        for rank, name in enumerate(settings["candidates"])
        if (r := _reading(data, name, rank)) is not None and r.mess <= max_mess
    ]
    if not readings:
        return None, None
    readings.sort(key=lambda r: (*r.key(), r.rank))
    best = readings[0]
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    evidence = min(1.0, high / int(settings["full_evidence_bytes"]))
    tied = any(r.key() == best.key() and r.text != best.text for r in readings[1:])
    tie = float(settings["tie_factor"]) if tied else 1.0
    confidence = (1.0 - best.mess) * best.fit * evidence * tie
    confidence = round(min(confidence, float(settings["max_confidence"])), 2)
    if confidence < float(settings["min_confidence"]):
        return None, f"{best.encoding} fits with confidence {confidence:.2f}, too weak to trust"
    return Decoded(best.text, best.encoding, confidence), None


def decode(data: bytes, source: str, declared: str | None = None) -> Decoded:
    """Decode bytes: BOM, UTF-8 (bad bytes replaced), a declared or detected legacy encoding."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text, ranges = _decode_replacing(data, encoding)
            name = encoding.replace("-sig", "")
            if not ranges:
                return Decoded(text, name)
            share = 1.0 - sum(e - s for s, e in ranges) / len(data)
            note = replaced_note(source, name, ranges) + " after its byte-order mark"
            return Decoded(text, name, round(share, 2), tuple(ranges), note)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text, ranges = _decode_replacing(data, "utf-8")
    bad_bytes = sum(end - start for start, end in ranges)
    valid_multibyte = len(text) - len(text.encode("ascii", "ignore")) - len(ranges)
    share = round(1.0 - bad_bytes / len(data), 2)
    if valid_multibyte >= len(ranges):  # UTF-8 apart from a few bad bytes
        return Decoded(text, "utf-8", share, tuple(ranges), replaced_note(source, "UTF-8", ranges))
    legacy, weak = _legacy(data, _declared(data, declared))
    if legacy is not None:
        note = (
            f"{source}: not valid UTF-8; decoded as {legacy.encoding} "
            f"(confidence {legacy.confidence:.2f})"
        )
        return Decoded(legacy.text, legacy.encoding, legacy.confidence, note=note)
    if bad_bytes / len(data) > float(_settings()["max_replaced_share"]):
        raise InputError(
            source,
            f"not valid UTF-8 ({bad_bytes:,} of {len(data):,} bytes), "
            "and no known character encoding fits",
        )
    note = replaced_note(source, "UTF-8", ranges)
    if weak:
        note += f"; {weak}"
    return Decoded(text, "utf-8", share, tuple(ranges), note)
