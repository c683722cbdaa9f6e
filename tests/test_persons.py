"""The person registry: spellings across romanisations, overrides, person histories."""

from __future__ import annotations

import pytest
from test_resolve_helpers import ref

from releasewatch.errors import InputError
from releasewatch.resolve import MentionRef, resolve
from releasewatch.resolve.persons import default_folder, fold_name, group_names

BLR = ("BLR",)
SAME = [
    ("Maria Kalesnikava", "Maria Kolesnikova"),
    ("Maryja Kalesnikava", "Maria Kolesnikova"),
    ("Ales Bialiatski", "Ales Byalyatski"),
    ("Ales Bialiatski", "Ales Bialacki"),
    ("Ales Bialiatski", "Ales Belyatsky"),
    ("Viktar Babaryka", "Viktor Babariko"),
    ("Siarhei Tsikhanouski", "Sergei Tikhanovsky"),
    ("Pavel Severinets", "Paval Sieviaryniec"),
    ("Uladzimir Labkovich", "Vladimir Labkovich"),
    ("Vadim N. Krasikov", "Vadim Krasikov"),
    ("Dzmitry Dashkevich", "Dmitry Dashkevich"),
]
DIFFERENT = [
    ("Maria Kolesnikova", "Igor Kolesnikov"),
    ("Ales Bialiatski", "Viktar Babaryka"),
    ("Maria Kalesnikava", "Marina Zolotova"),
    ("Siarhei Tsikhanouski", "Sviatlana Tsikhanouskaya"),
    ("Pavel Severinets", "Pavel Sevastyanov"),
]


def _group(names: list[str], overrides: list[tuple[str, ...]] | None = None) -> dict[str, str]:
    seen = {n: (f"{i:03d}",) for i, n in enumerate(names)}
    return group_names(seen, overrides or [])


@pytest.mark.parametrize(("a", "b"), SAME)
def test_spellings_of_one_person_share_a_record(a: str, b: str) -> None:
    ids = _group([a, b])
    assert ids[a] == ids[b]


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_people_keep_their_own_records(a: str, b: str) -> None:
    ids = _group([a, b])
    assert ids[a] != ids[b]


def test_fold_name_is_romanisation_neutral() -> None:
    assert fold_name("Maryja Kalesnikava") == fold_name("Maria Kolesnikova")
    assert fold_name("Ales Bialacki") == fold_name("Ales Bialiatski")
    assert fold_name("Ales Bialiatski") != fold_name("Viktar Babaryka")


def test_surname_alone_joins_the_only_matching_person() -> None:
    ids = _group(["Ales Bialiatski", "Bialacki", "Viktar Babaryka"])
    assert ids["Bialacki"] == ids["Ales Bialiatski"]
    ambiguous = _group(["Ivan Petrov", "Olga Petrova", "Petrov"])
    assert ambiguous["Petrov"] not in (ambiguous["Ivan Petrov"], ambiguous["Olga Petrova"])


def test_id_is_named_after_the_earliest_spelling() -> None:
    ids = group_names({"Maria Kolesnikova": ("2031-02-01",), "Maria Kalesnikava": ("2030",)})
    assert ids["Maria Kolesnikova"].startswith("p-kalesnikava-")


def _stream() -> list[MentionRef]:
    return [
        ref("a#0", "2031-01-10", "detention", "Police detained Ihar Losik on Monday.", by=BLR,
            persons=("Ihar Losik",), date="2031-01-08"),
        ref("b#0", "2031-06-01", "detention", "A court sentenced Igor Losik to 15 years in "
            "prison.", by=BLR, persons=("Igor Losik",), date="2031-05-30"),
        ref("c#0", "2032-09-12", "release", "Ihar Losik and 51 others were freed.", by=BLR,
            count=52, persons=("Ihar Losik",), date="2032-09-11"),
        ref("d#0", "2032-09-12", "release", "Ales Pushkin was freed as well.", by=("GEO",),
            persons=("Ales Pushkin",), date="2032-09-11"),
    ]  # fmt: skip


def test_person_history_runs_from_detention_to_sentence_to_release() -> None:
    ledger = resolve(_stream())
    person = ledger.person("Igor Losik")
    assert set(person.spellings) == {"Ihar Losik", "Igor Losik"}
    assert [(s.status, s.date) for s in person.history] == [
        ("detained", "2031-01-08"),
        ("sentenced", "2031-05-30"),
        ("released", "2032-09-11"),
    ]
    assert [s.article_id for s in person.history[1].sources] == ["b"]


def test_manual_split_and_merge_are_respected_on_every_run() -> None:
    auto = resolve(_stream())
    assert auto.person("Ihar Losik").id == auto.person("Igor Losik").id
    assert auto.person("Ales Pushkin").id != auto.person("Ihar Losik").id
    overrides = [("split", "Igor Losik"), ("merge", "Ales Pushkin", "ihar losik")]
    for run in (_stream(), list(reversed(_stream()))):
        ledger = resolve(run, overrides=overrides)
        assert ledger.person("Igor Losik").spellings == ("Igor Losik",)
        assert set(ledger.person("Ihar Losik").spellings) == {"Ihar Losik", "Ales Pushkin"}


def test_merge_by_person_id() -> None:
    auto = resolve(_stream())
    pushkin, losik = auto.person("Ales Pushkin").id, auto.person("Ihar Losik").id
    merged = resolve(_stream(), overrides=[("merge", pushkin, losik)])
    assert merged.person("Ales Pushkin").id == merged.person("Igor Losik").id


@pytest.mark.parametrize("bad", [("merge", "a"), ("join", "a", "b"), ("split", "")])
def test_malformed_override_is_an_input_error(bad: tuple[str, ...]) -> None:
    with pytest.raises(InputError, match="overrides"):
        resolve(_stream(), overrides=[bad])


def test_folder_reads_the_translit_rules() -> None:
    folder = default_folder()
    assert folder.word("Tsikhanouski") == folder.word("Cihanouski")
    assert folder.word("Żukowski")  # diacritics folded, not dropped with the letter
