"""A small ledger of articles written for the tests and the demo (no third-party text)."""

from __future__ import annotations

from pathlib import Path

from .. import ledger, pipeline
from ..store import open_store

XSS_TITLE = (
    "Hostile <script>window.__pwned=1</script> title <img src=x onerror=\"document.title='pwned'\">"
)
XSS_BODY = (
    "Belarus freed 4 political prisoners on Friday <script>window.__pwned=2</script>"
    ' and <img src=x onerror="window.__pwned=3"> officials said.\n\n'
    'The release followed talks. <svg onload="window.__pwned=4"></svg>\n'
)
ARTICLES = {
    "minsk-release.txt": (
        "Belarus frees 14 prisoners in deal with Washington\n\n"
        "Published: 2025-12-13\n\n"
        "Belarus freed 14 political prisoners on Saturday, officials said, among them"
        " Ales Testovich and Maryia Probnaya.\n\n"
        "The United States eased sanctions on the Belarusian potash exporter in return,"
        " the envoy said.\n"
    ),
    "minsk-release-2.txt": (
        "Fourteen freed by Minsk cross into Lithuania\n\n"
        "Published: 2025-12-14\n\n"
        "Belarus freed 15 political prisoners on Saturday, including Ales Testovich,"
        " who crossed into Lithuania.\n"
    ),
    "baku-sentence.txt": (
        "Azerbaijan jails reporter\n\n"
        "Published: 2025-06-20\n\n"
        "A court in Baku sentenced journalist Farid Sampleov to nine years in prison"
        " on Tuesday.\n"
    ),
    "swap-talks.txt": (
        "Moscow and Washington discuss a swap\n\n"
        "Published: 2025-09-04\n\n"
        "Russia and the United States are discussing a possible prisoner exchange,"
        " two officials said on Thursday.\n"
    ),
}


def write_articles(folder: Path, *, hostile: bool = True) -> Path:
    """Write the sample articles (and the hostile one) as text files into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    if hostile:
        (folder / "hostile.txt").write_text(
            f"{XSS_TITLE}\n\nPublished: 2025-11-02\n\n{XSS_BODY}", encoding="utf-8"
        )
    return folder


def build(db: str | Path, folder: Path, *, protect: str | None = "Maryia Probnaya") -> None:
    """Ingest the sample articles into the ledger at `db` (path or URL); mark `protect`."""
    with open_store(db) as store:
        pipeline.ingest_paths([write_articles(folder)], store)
        ledger.rebuild(store)
        if protect:
            ledger.set_protected(store, protect, True)
