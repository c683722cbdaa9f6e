"""The pipeline glue: ingest reports, problems named with their reason, extract-to-folder."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import per_article

from releasewatch import pipeline
from releasewatch.model import Article, RawDocument
from releasewatch.pipeline import IngestProgress, extract_to_dir, file_stem, ingest_paths
from releasewatch.store import SQLiteStore

pytestmark = pytest.mark.usefixtures("stub_stages")

GOOD = "Minsk frees prisoners\n\nBelarus freed 12 political prisoners on Friday, officials said.\n"


def test_one_bad_file_among_good_ones(tmp_path: Path, write_articles: Callable[..., Path]) -> None:
    folder = write_articles(3)
    bad = folder / "picture.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with SQLiteStore(tmp_path / "l.sqlite") as store:
        report = ingest_paths([folder], store)
        stored = store.articles()
        recorded = store.problems()
    assert report.files == 4
    assert report.articles_new == 3 and report.events == 3
    assert not report.ok
    assert [(p.source, "binary" in p.reason) for p in report.problems] == [(str(bad), True)]
    assert len(stored) == 3
    assert [(p.source, p.reason) for p in recorded] == [(str(bad), report.problems[0].reason)]


def test_missing_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    missing = tmp_path / "nowhere.txt"
    with SQLiteStore(tmp_path / "l.sqlite") as store:
        report = ingest_paths([missing, good], store)
    assert report.articles_new == 1
    assert [p.source for p in report.problems] == [str(missing)]


def test_article_that_crashes_parse_or_extract_is_reported_and_the_rest_go_on(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stubs: tuple[Callable[..., Any], Callable[..., Any]],
) -> None:
    stub_parse, stub_extract = stubs

    def fragile_parse(doc: RawDocument) -> Article:
        if "poison-parse" in doc.text:
            raise ValueError("cannot find the body")
        return stub_parse(doc)

    def fragile_extract(article: Article) -> tuple[Any, ...]:
        if "poison-extract" in article.text:
            raise IndexError("offset out of range")
        return stub_extract(article)

    monkeypatch.setattr(pipeline, "parse", fragile_parse)
    monkeypatch.setattr(pipeline, "extract_many", per_article(fragile_extract))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "A\n\nBelarus freed 3 political prisoners, poison-parse here.\n", encoding="utf-8"
    )
    (tmp_path / "in" / "b.txt").write_text(GOOD, encoding="utf-8")
    records = [  # extracted in one batch: the failing one is its own problem, and no other's
        {"text": f"C{n}\n\nBelarus freed {n} political prisoners, {word} here."}
        for n, word in ((4, "calm"), (5, "poison-extract"), (6, "still calm"))
    ]
    (tmp_path / "in" / "c.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records) + "not json\n", encoding="utf-8"
    )
    c = tmp_path / "in" / "c.jsonl"
    with SQLiteStore(tmp_path / "l.sqlite") as store:
        report = ingest_paths([tmp_path / "in"], store)
        stored = sorted(a.source for a in store.articles())
    assert stored == [str(tmp_path / "in" / "b.txt"), f"{c}:1", f"{c}:3"]
    reasons = {p.source: p.reason for p in report.problems}
    assert reasons == {
        str(tmp_path / "in" / "a.txt"): "ValueError: cannot find the body",
        f"{c}:2": "IndexError: offset out of range",
        f"{c}:4": reasons[f"{c}:4"],
    }
    assert "not JSON" in reasons[f"{c}:4"]
    assert report.articles_new == 3 and not report.ok


def test_progress_is_reported_per_work_unit(
    tmp_path: Path, write_articles: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from releasewatch.ingest import partition

    monkeypatch.setattr(partition, "GROUP_FILES", 2)  # 3 files: two units
    monkeypatch.setattr(pipeline, "EXTRACT_BATCH", 1)  # each article stored on its own
    folder = write_articles(3)
    seen: list[IngestProgress] = []
    with SQLiteStore(tmp_path / "l.sqlite") as store:
        ingest_paths([folder], store, on_progress=seen.append)
    ends = [(p.units_done, p.units_total, p.articles, p.on_topic) for p in seen if p.unit]
    assert ends == [(1, 2, 2, 2), (2, 2, 3, 3)]
    assert next(p.unit for p in seen if p.unit) == f"{folder / 'story-00.txt'} (+1 more)"
    assert [p.articles for p in seen] == sorted(p.articles for p in seen)  # within units too
    assert (seen[0].units_done, seen[0].articles) == (0, 0) and len(seen) > 3
    assert seen[-1].rate > 0 and seen[-1].problems == 0


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("a.txt", "a"),
        ("b.html.gz", "b"),
        ("c.txt.gz", "c"),
        ("000_74c749cc70190844.txt", "000_74c749cc70190844"),
        ("feed.jsonl", "feed"),
        ("v1.2-report.htm", "v1.2-report"),
        (".txt", ".txt"),
    ],
)
def test_file_stem(name: str, stem: str) -> None:
    assert file_stem(Path(name)) == stem


def test_extract_to_dir_writes_one_record_per_input(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "one.txt").write_text(GOOD, encoding="utf-8")
    with gzip.open(src / "two.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("Another\n\nNothing happened today.\n")
    records = [{"text": f"Story {i}\n\nBelarus freed {i} people.", "url": f"u{i}"} for i in (1, 2)]
    (src / "many.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    (src / "single.jsonl").write_text(json.dumps({"text": "Solo\n\nA body."}), encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    report = extract_to_dir([src], out)
    assert sorted(p.name for p in out.iterdir()) == [
        "many-1.json",
        "many-2.json",
        "one.json",
        "single.json",
        "two.json",
    ]
    assert [p.source for p in report.problems] == [str(src / "empty.txt")]
    assert not report.ok and report.events == 3
    one = json.loads((out / "one.json").read_text(encoding="utf-8"))
    assert set(one) == {"id", "url", "article", "events"}
    assert one["id"] == "one"
    assert set(one["article"]) >= {"title", "published", "outlet", "author", "dateline"}
    assert one["article"]["text"].startswith("Belarus freed 12")
    assert (
        one["events"][0]["evidence"]
        == "Belarus freed 12 political prisoners on Friday, officials said."
    )
    assert json.loads((out / "many-2.json").read_text(encoding="utf-8"))["url"] == "u2"


def test_extract_keeps_both_records_when_stems_collide(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b" / "story.txt").write_text("Other\n\nOther body.", encoding="utf-8")
    report = extract_to_dir([tmp_path / "a", tmp_path / "b"], tmp_path / "out")
    assert sorted(p.name for p in report.written) == ["story-2.json", "story.json"]


def _page(body: str, title: str = "News") -> RawDocument:
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    return RawDocument(source="page.html", text=html, kind="html", url="https://x.example/1")


def test_on_topic_is_the_extractors_prefilter_on_a_pages_title_and_body_text() -> None:
    from releasewatch.extract import prefilter
    from releasewatch.parse import parse

    story = (
        "Belarus freed 12 political prisoners on Friday, officials said. The prisoners had"
        " been held in detention for years and crossed into Lithuania."
    )
    in_divs = _page(f"<div class='story'>{story}</div>")  # no <p>: the words are in a <div>
    scripted = _page(f"<script>var teaser = '{story}';</script><div>Rain all week.</div>")
    weather = _page("<p>Rain fell all day on Friday; the market hall opened late.</p>")
    assert pipeline.on_topic(in_divs)
    assert "var teaser" not in pipeline.scope_text(scripted)
    assert not pipeline.on_topic(scripted)  # a script is no part of the page's text
    assert not pipeline.on_topic(weather)
    for doc in (in_divs, weather):  # the decision the extractor makes on the parsed text
        assert pipeline.on_topic(doc) == prefilter.article_scope(parse(doc).text).read
