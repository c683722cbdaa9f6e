"""The article-level decision (extract.prefilter.article_scope): its second look, around the
triggers, sets aside crime and court news before any parse and says why; briefs, articles in a
hostage-diplomacy context and a user's overlay (a context word, a trigger) are read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from releasewatch import lexicon
from releasewatch.extract import prefilter

# Words that name no trigger, topic, party or political word: they make a story long.
FILLER = " ".join(
    ["The weather of the coast stayed mild and the harbour looked busy, full of small boats."] * 16
)
CRIME = (
    "Police arrested two men on Monday after a burglary at a jewellery shop on the high street. "
    "Officers said the suspects were detained near the station. One of them was sentenced last "
    "year for theft and released in the spring. A third man was arrested on Tuesday; he was "
    "charged with handling stolen goods and will be held in custody until his trial."
)
DIPLOMACY = (
    "Iran released two French nationals on Monday in a prisoner swap with France. Tehran freed "
    "the pair after talks in Muscat, and Paris released an Iranian engineer held since 2022. "
    "The two French citizens had been detained in Iran for three years; rights groups called "
    "them hostages. A third Frenchman was arrested in Iran last month, his family said."
)


def test_a_long_crime_story_is_set_aside_and_says_why() -> None:
    scope = prefilter.article_scope(f"{CRIME}\n\n{FILLER}")
    assert scope.triggers and scope.scope_hits >= 2  # the first look would read it
    assert not scope.read
    assert "hostage-diplomacy context" in scope.reason and "0 of" in scope.reason


def test_a_story_of_states_holding_each_others_people_is_read() -> None:
    scope = prefilter.article_scope(f"{DIPLOMACY}\n\n{FILLER}")
    assert scope.read and scope.reason == "on topic"


def test_a_passing_mention_among_many_triggers_is_not_enough() -> None:
    # One sentence of a swap in a story of ordinary arrests: too few of its triggers in context.
    swap = "A day earlier the Taliban swapped two Western hostages for three commanders."
    story = f"{CRIME}\n\n{CRIME}\n\n{swap}\n\n{FILLER}"
    assert not prefilter.article_scope(story).read
    assert prefilter.article_scope(f"{DIPLOMACY}\n\n{swap}\n\n{FILLER}").read


def test_a_brief_is_read_on_the_first_look_alone() -> None:
    assert prefilter.article_scope(CRIME).read  # under [scope] brief_words: cheap to read


@pytest.fixture
def overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user's lexicon folder, forgotten after the test."""
    monkeypatch.setenv(lexicon.ENV_VAR, str(tmp_path))
    lexicon.reload()
    yield tmp_path
    monkeypatch.delenv(lexicon.ENV_VAR)
    lexicon.reload()


def test_an_overlay_context_word_takes_effect(overlay: Path) -> None:
    story = f"{CRIME}\n\n{FILLER}"
    assert not prefilter.article_scope(story).read
    (overlay / "scope.toml").write_text(
        '[context]\nwords = ["suspect*", "officer*", "police"]\n', encoding="utf-8"
    )
    lexicon.reload()  # a user who follows police work reads it
    assert prefilter.article_scope(story).read


def test_an_overlay_trigger_counts_in_the_second_look(overlay: Path) -> None:
    story = (
        "Belarus unjailed 12 political prisoners on Monday and Lithuania welcomed them. Minsk "
        "unjailed them after talks with Washington, the prisoners said. Belarus has unjailed 300 "
        f"since 2024, Lithuania said.\n\n{FILLER}"
    )
    assert not prefilter.article_scope(story).read  # no bundled trigger knows "unjail"
    (overlay / "frames.toml").write_text(
        '[[trigger]]\nname = "release-unjail"\ntype = "release"\npos = "verb"\n'
        'lemmas = ["unjail"]\nneeds = "people"\n',
        encoding="utf-8",
    )
    lexicon.reload()
    scope = prefilter.article_scope(story)
    assert scope.read, scope.reason
