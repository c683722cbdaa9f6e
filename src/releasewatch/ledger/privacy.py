"""Protected persons: how names, ids and texts are shown to a caller who may not see them.

Names are matched folded: case and accents aside ("Kavalénka" is "KAVALENKA"), as a search
index folds them and as outlets spell one name with and without its diacritics.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..store import Store

WITHHELD = "name withheld"
TEXT_WITHHELD = "[name withheld]"
_SURNAME_MIN = 4  # a protected person's surname alone is blanked from texts from this length
# Letters with no Unicode decomposition that outlets still write without their mark.
_BARE_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                               "ı": "i", "ħ": "h", "Ħ": "H"})  # fmt: skip


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """One character without case or accents (possibly several characters, or none)."""
    decomposed = unicodedata.normalize("NFKD", ch.translate(_BARE_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """`text` without case or accents: "Kavalénka" -> "kavalenka"."""
    return text.casefold() if text.isascii() else "".join(_fold_char(c) for c in text)


def _folded_with_origins(text: str) -> tuple[str, list[int] | None]:
    """`text` folded, and for each folded character the index of the one it came from (None:
    the same index, as for ASCII text)."""
    if text.isascii():
        return text.lower(), None
    out: list[str] = []
    origins: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        origins.extend([i] * len(folded))
    return "".join(out), origins


def name_keys(spelling: str) -> list[str]:
    """What of a protected spelling is withheld: the spelling, and its surname when long enough."""
    keys = [spelling]
    parts = spelling.split()
    if len(parts) > 1 and len(parts[-1]) >= _SURNAME_MIN:
        keys.append(parts[-1])
    return keys


@dataclass
class Privacy:
    """How protected persons are shown to one caller: as stored, or withheld."""

    show: bool
    public: dict[str, str] = field(default_factory=dict)  # protected id -> public id
    pattern: re.Pattern[str] | None = None  # the protected names, folded (name_pattern)
    spellings: tuple[str, ...] = ()  # the protected persons' spellings

    def text(self, value: str | None) -> str | None:
        """A text with protected names blanked out (unchanged when they are shown), however
        it writes their case and accents."""
        if value is None or self.show or self.pattern is None:
            return value
        folded, origins = _folded_with_origins(value)
        pieces: list[str] = []
        last = 0
        for found in self.pattern.finditer(folded):
            start, end = found.span()
            if origins is not None:
                start, end = origins[start], origins[end - 1] + 1
            while end < len(value) and unicodedata.combining(value[end]):
                end += 1  # a decomposed accent belongs to the name it follows
            pieces += [value[last:start], TEXT_WITHHELD]
            last = end
        if not pieces:
            return value
        return "".join(pieces) + value[last:]

    def hides_search(self, store: Store, words: Sequence[str]) -> bool:
        """Whether a full-text search for `words` looks for a protected person's name.

        Its hits would say which articles name the person, so a caller who may not see the
        name gets none. The words and the names are compared as the store's search index
        reads them (its own tokens and folding: FTS5 drops accents, PostgreSQL's 'simple'
        configuration keeps them) and then folded as `text` folds names, since articles
        spell one name with and without accents.
        """
        if self.show or not self.spellings or not words:
            return False
        keys = [key for spelling in self.spellings for key in name_keys(spelling)]
        query, *names = store.search_terms([" ".join(words), *keys])
        asked = {fold(term) for term in query}
        return any(terms and {fold(t) for t in terms} <= asked for terms in names)

    def scrub(self, data: Any) -> Any:
        """Every string in a JSON-ready structure with protected ids and names withheld."""
        if self.show or not self.public:
            return data
        if isinstance(data, str):
            for real, public in self.public.items():
                data = data.replace(real, public)
            return self.text(data)
        if isinstance(data, list):
            return [self.scrub(v) for v in data]
        if isinstance(data, dict):
            return {k: self.scrub(v) for k, v in data.items()}
        return data

    def person(self, pid: str, public_id: str, name: str, protected: bool) -> dict[str, Any]:
        """A person reference as this caller may see it."""
        hidden = protected and not self.show
        return {
            "id": public_id if hidden else pid,
            "name": WITHHELD if hidden else name,
            "protected": protected,
        }


def name_pattern(spellings: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern matching the spellings (and surnames of full spellings), folded, longest first.

    It is matched against folded text (`Privacy.text` folds it).
    """
    words = {fold(key) for spelling in spellings for key in name_keys(spelling)}
    words.discard("")
    if not words:
        return None
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ordered) + r")\b")


def make_privacy(show: bool, public: dict[str, str], spellings: Iterable[str]) -> Privacy:
    """The rules for one caller, from the protected persons' ids and spellings."""
    names = tuple(dict.fromkeys(spellings))
    return Privacy(show, public, name_pattern(names), names)


def privacy_for(store: Store, include_protected: bool) -> Privacy:
    """The privacy rules of one call, from the persons currently marked protected.

    `.text(s)` blanks protected names out of a text, `.scrub(data)` out of a JSON-ready
    structure (ids included); both return their input unchanged when include_protected.
    """
    rows = store.all_spellings(protected_only=True)
    public = {r.person.id: r.person.public_id for r in rows}
    return make_privacy(include_protected, public, (r.spelling for r in rows))


SHOW_ALL = Privacy(True)  # the token holder's: every name as stored (read-only: never changed)


def privacy_from_meta(protected: str, include_protected: bool) -> Privacy:
    """The privacy rules of one call from the protected persons as the ledger's meta row keeps
    them (ledger.build's protected_meta), read in the statement that read the rows they guard.

    The rules of one meta text are made once (its pattern compiled once) and shared: a Privacy
    is never changed after it is made.
    """
    return SHOW_ALL if include_protected else _privacy_of_meta(protected)


@functools.lru_cache(maxsize=16)
def _privacy_of_meta(protected: str) -> Privacy:
    """The public caller's rules of one protected-persons meta text."""
    entries = json.loads(protected)
    return make_privacy(False, {pid: public for pid, public, _ in entries},
                        (spelling for _, _, spelling in entries))  # fmt: skip


def public_person_id(person_id: str) -> str:
    """The id shown for a protected person: derived from, but not revealing, the real one."""
    return "p-withheld-" + hashlib.sha1(person_id.encode()).hexdigest()[:10]
