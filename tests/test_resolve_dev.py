"""Merging the dev corpus's gold mentions (read from ../shared, never copied)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from releasewatch.record import event_from_dict
from releasewatch.resolve import Ledger, MentionRef, resolve
from releasewatch.resolve.evaluate import bcubed


def _load(dev: Path) -> tuple[list[MentionRef], dict[tuple[str, int], str]]:
    refs, gold = [], {}
    for path in sorted(dev.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        article = record["article"]
        for i, event in enumerate(record["events"]):
            refs.append(
                MentionRef(
                    record["id"],
                    i,
                    article.get("published"),
                    article.get("outlet"),
                    article.get("title"),
                    event_from_dict(event),
                )
            )
            gold[(record["id"], i)] = event.get("happening") or f"{record['id']}#{i}"
    return refs, gold


@pytest.fixture
def dev_ledger(dev_corpus: Path) -> tuple[Ledger, dict[tuple[str, int], str]]:
    refs, gold = _load(dev_corpus)
    if not refs:
        pytest.skip(f"../shared/corpus/dev holds no records: {dev_corpus}")
    return resolve(refs), gold


def test_gold_mentions_merge_like_the_gold_happenings(
    dev_ledger: tuple[Ledger, dict[tuple[str, int], str]],
) -> None:
    ledger, gold = dev_ledger
    assert bcubed(dict(ledger.assignments), gold) >= 0.95


def test_december_belarus_release_is_one_event_with_each_person_once(
    dev_ledger: tuple[Ledger, dict[tuple[str, int], str]],
) -> None:
    ledger, gold = dev_ledger
    keys = [k for k, h in gold.items() if h == "blr-release-2025-12-13"]
    assert len({ledger.event_of(*k) for k in keys}) == 1
    event = ledger.event(ledger.event_of(*keys[0]))
    assert len(event.sources) == len({k[0] for k in keys}) == 4
    names = [set(ledger.person(p).spellings) for p in event.persons]
    assert len(event.persons) == len(set(event.persons))
    assert sum(1 for s in names if {"Maria Kalesnikava", "Maria Kolesnikova"} <= s) == 1
    assert sum(1 for s in names if {"Ales Bialiatski", "Ales Bialacki"} <= s) == 1
    earlier = [k for k, h in gold.items() if h == "blr-release-ukrainians-2025-11-22"]
    assert {ledger.event_of(*k) for k in earlier}.isdisjoint({event.id})


def test_pow_exchanges_of_different_dates_stay_apart(
    dev_ledger: tuple[Ledger, dict[tuple[str, int], str]],
) -> None:
    ledger, gold = dev_ledger
    swaps = [k for k in gold if k[0].startswith("pow-exchange-")]
    by_event: dict[str, set[str]] = {}
    for key in swaps:
        by_event.setdefault(ledger.event_of(*key), set()).add(gold[key])
    assert all(len(labels) == 1 for labels in by_event.values())
