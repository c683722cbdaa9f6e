"""The user's person decisions: merge, split, protect. Each is stored, then the ledger rebuilt."""

from __future__ import annotations

from typing import Any

from ..errors import InputError, NotFoundError
from ..store import Store
from .build import rebuild
from .privacy import public_person_id
from .query import get_person, one_person


def merge_persons(
    store: Store, a: str, b: str, *, include_protected: bool = False
) -> dict[str, Any]:
    """Make the persons a and b (ids or names) one record, now and in every later rebuild."""
    first = one_person(store, a, include_protected=True)
    second = one_person(store, b, include_protected=True)
    if first.id == second.id:
        raise InputError("merge", f"{a!r} and {b!r} are already one person ({first.public_id})")
    store.record_merge(first.name, second.name)
    rebuild(store)
    return get_person(store, first.name, include_protected=include_protected)


def split_person(store: Store, name: str, *, include_protected: bool = False) -> dict[str, Any]:
    """Take the spelling `name` out of its person record into one of its own, for good."""
    spellings = store.spellings_with_key(name.strip().casefold())
    if not spellings:
        raise NotFoundError(f"spelling {name!r}: no person is spelled so in the ledger")
    store.record_split(spellings[0])  # a split undoes earlier hand merges of that spelling
    rebuild(store)
    return get_person(store, spellings[0], include_protected=include_protected)


def set_protected(store: Store, id_or_name: str, protected: bool) -> dict[str, Any]:
    """Mark a person protected (or not); the mark follows every spelling through rebuilds."""
    person = one_person(store, id_or_name, include_protected=True)
    store.set_flags([s.spelling_key for s in store.spellings([person.id])], protected)
    summary = rebuild(store)
    public = public_person_id(person.id) if protected else person.id
    return {"id": public, "protected": protected, "ledger": summary}
