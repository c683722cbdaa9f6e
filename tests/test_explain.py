"""`explain`: every candidate sentence with its frame, status, parties and fate."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from releasewatch.cli import cli
from releasewatch.extract import extract
from releasewatch.extract.explain import explain, lines
from releasewatch.model import Article

STORY = (
    "Belarus freed 14 political prisoners on Thursday and handed them over to Lithuania.\n\n"
    "Police also released the footage of the handover, the ministry said.\n\n"
    "Washington is considering easing sanctions on Belarusian potash."
)


def _article(text: str = STORY) -> Article:
    return Article(id="story", source="story.txt", text=text, raw=text, published="2025-03-15")


def test_explanation_names_the_frame_the_status_and_the_rule_that_dropped_a_candidate() -> None:
    ex = explain(_article())
    assert ex.read
    frames = [f for s in ex.sentences for f in s.frames]
    freed = next(f for f in frames if f.trigger == "freed")
    assert freed.kept and freed.by == ("BLR",) and freed.to == ("LTU",)
    assert "Belarus" in freed.roles["agent"] and "prisoners" in freed.roles["patient"]
    footage = next(f for f in frames if f.trigger == "released")
    assert not footage.kept and footage.reason == "thing-patient"
    assert footage.reason_text and "thing" in footage.reason_text
    easing = next(f for f in frames if f.type == "sanctions_eased")
    assert easing.status == "discussed" and "considering" in easing.status_cause
    # the events are exactly what extract gives
    assert ex.events == extract(_article())


def test_an_article_off_the_topic_is_explained_as_not_read() -> None:
    ex = explain(_article("The band played its new album on Friday to rave reviews."))
    assert not ex.read
    assert any("not read" in line for line in lines(ex))


def test_the_command_prints_the_explanation(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(f"Belarus frees 14\n\n{STORY}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["explain", str(path)])
    assert result.exit_code == 0, result.output
    assert "trigger 'freed' (release-verb)" in result.output
    assert "dropped: thing-patient" in result.output
    assert "release (occurred) by ['BLR'] to ['LTU']" in result.output


def test_the_command_reports_an_unreadable_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["explain", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
