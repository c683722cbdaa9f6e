"""A watch run in its own process, for the SIGKILL test: feeds, items, articles, the ledger and
the alerts all in one SQLite ledger, as `releasewatch watch --once` keeps them.

Run: PYTHONPATH=tests python tests/watch_child.py LEDGER FEED_URL
"""

from __future__ import annotations

import sys

from conftest import stub_extract

from releasewatch.store import open_store
from releasewatch.watch import FeedSource, FetchSettings
from releasewatch.watch.service import LiveWatch


def main(ledger: str, feed_url: str) -> int:
    store = open_store(ledger)
    settings = FetchSettings(allow_private=True, host_interval=0.0)
    try:
        watch = LiveWatch(store, [FeedSource(feed_url)], settings, extract=stub_extract)
        reports = watch.run(once=True)
    finally:
        store.close()
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
