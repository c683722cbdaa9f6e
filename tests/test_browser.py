"""The pages in real headless Chromium (Debian's, driven by Playwright) over a live server."""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_server import free_port

from releasewatch.web import create_app, sample

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium absent (apt-get install chromium)"
)


def _serve(db: Path) -> Iterator[str]:
    """A uvicorn server on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(create_app(db, token=None), host="127.0.0.1", port=port,
                            log_level="warning")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The live server over the sample ledger."""
    root = tmp_path_factory.mktemp("browser")
    sample.build(root / "ledger.sqlite", root / "news")
    yield from _serve(root / "ledger.sqlite")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, with a fresh empty profile."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with tempfile.TemporaryDirectory() as profile, sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        yield context
        context.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A new tab that records console errors and dialogs."""
    tab = browser.new_page()
    tab.events = []  # type: ignore[attr-defined]
    tab.on("console", lambda m: tab.events.append(("console", m.type, m.text)))
    tab.on("dialog", lambda d: (tab.events.append(("dialog", d.message)), d.dismiss()))
    yield tab
    tab.close()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_timeline_renders_charts(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/")
    assert page.locator("figure.chart svg rect").count() >= 2
    assert page.locator("h1").inner_text().startswith("Timeline")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    _shot(page, "timeline")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    _shot(page, "timeline-phone")


def test_event_page_shows_sources_and_evidence(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/events?type=release&has_conflict=true")
    page.locator("tbody a").first.click()
    marks = page.locator("blockquote.evidence mark").all_inner_texts()
    assert any(m.startswith("Belarus freed 14 political prisoners") for m in marks)
    assert len(marks) == 2
    assert page.locator(".conflicts section").count() == 1
    assert "Probnaya" not in page.content()
    _shot(page, "event")


def test_person_page(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/persons")
    page.get_by_role("link", name="Ales Testovich").click()
    assert page.locator("h1").inner_text() == "Ales Testovich"
    assert "Status history" in page.content()
    _shot(page, "person")


def test_hostile_article_runs_no_script(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/articles")
    page.locator("a", has_text="Hostile").click()
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    assert page.title() != "pwned" and "Hostile" in page.title()
    assert "<script>window.__pwned=1</script>" in page.locator("h1").inner_text()
    assert page.locator("main img, main script, main svg").count() == 0
    assert not [e for e in page.events if e[0] == "dialog"]
    page.goto(base_url + "/search?q=hostile")
    assert page.evaluate("window.__pwned") is None
    _shot(page, "hostile-article")


def test_dev_corpus_belarus_december_release(dev_corpus: Path, tmp_path: Path, page) -> None:  # type: ignore[no-untyped-def]
    from releasewatch import ledger, pipeline
    from releasewatch.store import SQLiteStore

    with SQLiteStore(tmp_path / "dev.sqlite") as store:
        pipeline.ingest_paths(sorted(dev_corpus.glob("*.txt")), store)
        ledger.rebuild(store)
    for url in _serve(tmp_path / "dev.sqlite"):
        page.goto(url + "/")
        _shot(page, "dev-timeline")
        page.goto(url + "/events?type=release&party=BLR&since=2025-12-01&until=2025-12-31")
        page.locator("tbody a").first.click()
        assert page.locator("blockquote.evidence mark").count() >= 2
        _shot(page, "dev-belarus-december-release")
        page.goto(url + "/persons")
        page.locator("main li a").first.click()
        assert page.locator("h1").inner_text()
        _shot(page, "dev-person")
