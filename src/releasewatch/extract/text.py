"""Paragraphs and sentences of a clean article body, with character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import lexicon

_BOUNDARY = re.compile(r"""[.!?…]+["'”’»)\]]*(?=\s+["'“‘«(\[]?[A-Z0-9А-ЯЁ])""")
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, offsets in the body, and the paragraph it sits in."""

    text: str
    start: int
    end: int
    paragraph: int  # index of the paragraph (line block) in the body
    index: int  # index of the sentence in the body


@cache
def _abbreviations() -> frozenset[str]:
    """Abbreviations after which a full stop does not end a sentence (news usage)."""
    return frozenset(lexicon.load("events")["sentences"]["abbreviations"])


def _ends_in_abbreviation(chunk: str) -> bool:
    """True when the full stop closing `chunk` belongs to an abbreviation or an initial."""
    word = re.search(r"([\w.'-]+)\.$", chunk)
    if not word:
        return False
    token = word.group(1).lower()
    if token in _abbreviations():
        return True
    # Single initials ("Vadim N. Krasikov") and dotted acronyms ("U.S.").
    return len(token) == 1 or bool(re.fullmatch(r"(\w\.)+\w", token))


def split_sentences(text: str) -> list[Sentence]:
    """Split a body into sentences; paragraphs (lines) are split first, then sentences."""
    sentences: list[Sentence] = []
    for para_index, line in enumerate(_LINE.finditer(text)):
        base = line.start()
        chunk = line.group(0)
        start = 0
        for m in _BOUNDARY.finditer(chunk):
            end = m.end()
            if _ends_in_abbreviation(chunk[start:end]):
                continue
            _add(sentences, chunk, base, start, end, para_index)
            start = end
        _add(sentences, chunk, base, start, len(chunk), para_index)
    return sentences


def _add(out: list[Sentence], chunk: str, base: int, start: int, end: int, para: int) -> None:
    """Append the trimmed sentence chunk[start:end] if it holds any text."""
    piece = chunk[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if piece:
        s = base + start + lead
        out.append(Sentence(piece, s, s + len(piece), para, len(out)))
