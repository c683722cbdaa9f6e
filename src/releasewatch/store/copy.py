"""Moving a whole ledger from one store to another (SQLite to PostgreSQL, or back)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import islice

from ..errors import InputError
from .base import Store
from .schema import COPY_TABLES

BATCH = 2_000  # rows handed to the target at a time: bounds memory on a large ledger


@dataclass(frozen=True)
class CopyReport:
    """Rows of each kind before (in the source) and after (in the target) a copy."""

    counts: dict[str, tuple[int, int]]

    @property
    def ok(self) -> bool:
        """True when every count agrees."""
        return all(a == b for a, b in self.counts.values())


def copy_ledger(source: Store, target: Store) -> CopyReport:
    """Copy every table of `source` into the empty `target`, in one transaction, then compare.

    The source is read in one snapshot; the user's person decisions keep their ids and order,
    and the resolved ledger comes across as built (no rebuild needed). InputError when the
    target already holds anything.
    """
    held = asdict(target.counts())
    if any(held.values()):
        kinds = ", ".join(f"{n} {k}" for k, n in held.items() if n)
        raise InputError(
            "--to", f"{target.label} is not empty ({kinds}): copy needs an empty ledger"
        )
    with source.snapshot(), target.transaction():
        for table, _ in COPY_TABLES:
            rows = source.table_rows(table)
            while batch := list(islice(rows, BATCH)):
                target.load_table(table, batch)
        target.finish_load()
        before = asdict(source.counts())
    after = asdict(target.counts())
    return CopyReport({k: (before[k], after[k]) for k in before})
