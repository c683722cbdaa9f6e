"""The resolve stage: event mentions from many articles -> one ledger of happenings.

`resolve(mentions)` groups the spellings of persons into person records, merges the mentions
that report one happening into ledger events (consensus values with every value's sources,
conflicts, status history), and links events traded for one another into deals. The result
depends only on the set of mentions and the overrides, never on their order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .config import Settings, load_settings
from .consensus import build_event, build_persons, first_seen
from .deals import find_deals
from .ledger import (
    ArticleSource,
    Conflict,
    Deal,
    DealPart,
    Field,
    Ledger,
    LedgerEvent,
    MentionRef,
    Person,
    PersonStep,
    Source,
    Sourced,
    StatusStep,
)
from .merge import merge
from .persons import NameFolder, Override, check_overrides, default_folder, fold_name, group_names

__all__ = [
    "ArticleSource",
    "Conflict",
    "Deal",
    "DealPart",
    "Field",
    "Ledger",
    "LedgerEvent",
    "MentionRef",
    "NameFolder",
    "Override",
    "Person",
    "PersonStep",
    "Settings",
    "Source",
    "Sourced",
    "StatusStep",
    "fold_name",
    "group_persons",
    "load_settings",
    "resolve",
]


def group_persons(
    mentions: Iterable[MentionRef], overrides: Sequence[Override] = ()
) -> dict[str, str]:
    """Person id for every person spelling in the mentions, honouring the user's overrides."""
    seen: dict[str, tuple[str, ...]] = {}
    for ref in mentions:
        for name in ref.mention.persons:
            key = first_seen(ref)
            if name not in seen or key < seen[name]:
                seen[name] = key
    return group_names(seen, overrides, default_folder())


def resolve(
    mentions: Iterable[MentionRef],
    overrides: Sequence[Override] = (),
    settings: Settings | None = None,
) -> Ledger:
    """The ledger of the given mentions.

    `overrides` are the user's person decisions, applied on every run: ("merge", a, b) makes
    the records holding spelling (or person id) a and b one person; ("split", name) takes the
    spelling `name` out of automatic matching into a record of its own.
    """
    check_overrides(overrides)
    settings = settings or load_settings()
    refs = list(mentions)
    person_of = group_persons(refs, overrides)
    clusters = merge(refs, person_of, settings)
    events = [build_event(members, person_of, settings) for members in clusters]
    events.sort(key=lambda e: (e.date.consensus or e.sources[0].published or "9999", e.id))
    assignments = tuple(sorted((ref.key, e.id) for e in events for ref in e.members))
    return Ledger(
        events=tuple(events),
        persons=build_persons(events, person_of, settings),
        deals=find_deals(events, settings),
        assignments=assignments,
    )
