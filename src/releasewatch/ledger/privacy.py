"""Protected persons: how names, ids and texts are shown to a caller who may not see them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..store import Store

WITHHELD = "name withheld"
TEXT_WITHHELD = "[name withheld]"
_SURNAME_MIN = 4  # a protected person's surname alone is blanked from texts from this length


@dataclass
class Privacy:
    """How protected persons are shown to one caller: as stored, or withheld."""

    show: bool
    public: dict[str, str] = field(default_factory=dict)  # protected id -> public id
    pattern: re.Pattern[str] | None = None

    def text(self, value: str | None) -> str | None:
        """A text with protected names blanked out (unchanged when they are shown)."""
        if value is None or self.show or self.pattern is None:
            return value
        return self.pattern.sub(TEXT_WITHHELD, value)

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
    """A pattern matching the spellings (and surnames of full spellings), longest first."""
    words: set[str] = set()
    for spelling in spellings:
        words.add(spelling)
        parts = spelling.split()
        if len(parts) > 1 and len(parts[-1]) >= _SURNAME_MIN:
            words.add(parts[-1])
    if not words:
        return None
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ordered) + r")\b", re.IGNORECASE)


def privacy_for(store: Store, include_protected: bool) -> Privacy:
    """The privacy rules of one call, from the persons currently marked protected.

    `.text(s)` blanks protected names out of a text, `.scrub(data)` out of a JSON-ready
    structure (ids included); both return their input unchanged when include_protected.
    """
    rows = store.all_spellings(protected_only=True)
    public = {r.person.id: r.person.public_id for r in rows}
    return Privacy(include_protected, public, name_pattern(r.spelling for r in rows))


def public_person_id(person_id: str) -> str:
    """The id shown for a protected person: derived from, but not revealing, the real one."""
    return "p-withheld-" + hashlib.sha1(person_id.encode()).hexdigest()[:10]
