"""The user's person decisions: merge, split, protect. Each is stored, then the ledger rebuilt."""

from __future__ import annotations

from typing import Any

from ..errors import InputError, NotFoundError
from ..store import Store
from .build import now, rebuild
from .privacy import public_person_id
from .query import get_person, one_person


def _record(store: Store, action: str, a: str, b: str | None = None) -> None:
    """Store one person decision (ids are assigned portably: max + 1)."""
    with store.transaction() as cur:
        if action == "split":  # a split undoes earlier hand merges of that spelling
            cur.execute(
                "DELETE FROM person_overrides WHERE action = 'merge' AND (a = ? OR b = ?)", (a, a)
            )
        cur.execute(
            "INSERT INTO person_overrides (id, action, a, b, created_at) SELECT"
            " COALESCE(MAX(id), 0) + 1, ?, ?, ?, ? FROM person_overrides",
            (action, a, b, now()),
        )


def merge_persons(
    store: Store, a: str, b: str, *, include_protected: bool = False
) -> dict[str, Any]:
    """Make the persons a and b (ids or names) one record, now and in every later rebuild."""
    first = one_person(store, a, include_protected=True)
    second = one_person(store, b, include_protected=True)
    if first[0] == second[0]:
        raise InputError("merge", f"{a!r} and {b!r} are already one person ({first[1]})")
    _record(store, "merge", first[2], second[2])
    rebuild(store)
    return get_person(store, first[2], include_protected=include_protected)


def split_person(store: Store, name: str, *, include_protected: bool = False) -> dict[str, Any]:
    """Take the spelling `name` out of its person record into one of its own, for good."""
    key = name.strip().casefold()
    rows = store.query(
        "SELECT spelling FROM person_spellings WHERE spelling_key = ? ORDER BY spelling", (key,)
    )
    if not rows:
        raise NotFoundError(f"spelling {name!r}: no person is spelled so in the ledger")
    _record(store, "split", str(rows[0][0]))
    rebuild(store)
    return get_person(store, str(rows[0][0]), include_protected=include_protected)


def set_protected(store: Store, id_or_name: str, protected: bool) -> dict[str, Any]:
    """Mark a person protected (or not); the mark follows every spelling through rebuilds."""
    row = one_person(store, id_or_name, include_protected=True)
    keys = [r[0] for r in store.query(
        "SELECT spelling_key FROM person_spellings WHERE person_id = ?", (row[0],))]  # fmt: skip
    with store.transaction() as cur:
        for key in keys:
            cur.execute("DELETE FROM person_flags WHERE spelling_key = ?", (key,))
            cur.execute(
                "INSERT INTO person_flags (spelling_key, protected) VALUES (?, ?)",
                (key, int(protected)),
            )
    summary = rebuild(store)
    public = public_person_id(row[0]) if protected else row[0]
    return {"id": public, "protected": protected, "ledger": summary}
