"""The resolved ledger in the store: rebuilt from every stored mention, read as plain dicts.

`rebuild` runs the resolve stage over all stored mentions and the user's person decisions and
writes the result (tables of migration 0002) in one transaction, so a reader sees the old
ledger or the new one, never half of each. Everything else reads those tables and returns
JSON-ready dicts and lists: the CLI and the web API both call these functions.

Protected persons: unless a caller passes include_protected=True, a protected person's name
is replaced by "name withheld" (ids by a neutral public id), spellings are omitted, and the
person's spellings (and surnames) are blanked out of every text returned: evidence, paragraphs,
titles, exported article texts.
"""

from __future__ import annotations

from .build import UNDATED, rebuild, status
from .decide import merge_persons, set_protected, split_person
from .export import export_ledger, export_records
from .privacy import TEXT_WITHHELD, WITHHELD, Privacy, public_person_id
from .privacy import privacy_for as redactor
from .query import (
    MAX_LIMIT,
    EventPage,
    EventView,
    check_partial_date,
    events_page,
    get_event,
    get_person,
    list_conflicts,
    list_deals,
    list_events,
    list_persons,
    monthly,
    read_event,
    timeline,
)

__all__ = [
    "MAX_LIMIT",
    "TEXT_WITHHELD",
    "UNDATED",
    "WITHHELD",
    "EventPage",
    "EventView",
    "Privacy",
    "check_partial_date",
    "events_page",
    "export_ledger",
    "export_records",
    "get_event",
    "get_person",
    "list_conflicts",
    "list_deals",
    "list_events",
    "list_persons",
    "merge_persons",
    "monthly",
    "public_person_id",
    "read_event",
    "rebuild",
    "redactor",
    "set_protected",
    "split_person",
    "status",
    "timeline",
]
