"""What a watch has done, as JSON-ready data: the feeds, the rules and the recent alerts.

Shared by `releasewatch watch --status`, `alerts list` and the web's Watch page and its JSON
twin. Protected persons are withheld unless the caller may see them; webhook URLs (which often
carry a secret) are shown only to such a caller.
"""

from __future__ import annotations

from typing import Any

from ..ledger.privacy import privacy_for
from ..store import Store
from .alerts import alert_dicts, iso, rule_dict

RECENT_ALERTS = 20  # alerts shown by default (set by hand: a screenful)


def _when(at: float | None) -> str | None:
    """Epoch seconds as ISO 8601 (None stays None)."""
    return iso(at) if at else None


def feed_dicts(store: Store) -> list[dict[str, Any]]:
    """Every feed the watch has polled, with what became of its items."""
    counts = store.watch_item_counts()
    feeds = []
    for f in store.watch_feeds():
        items = {o: n for (feed, o), n in sorted(counts.items()) if feed == f.url}
        feeds.append(
            {
                "url": f.url, "last_poll": _when(f.last_poll), "last_ok": _when(f.last_ok),
                "last_status": f.last_status, "last_error": f.last_error,
                "failures": f.failures, "next_poll": _when(f.next_poll),
                "items_seen": f.items_seen, "items": items,
            }
        )  # fmt: skip
    return feeds


def watch_overview(
    store: Store,
    *,
    include_protected: bool = False,
    show_webhooks: bool = False,
    limit: int = RECENT_ALERTS,
) -> dict[str, Any]:
    """Feeds (last poll, last error, items seen), rules and the most recent alerts.

    Webhook URLs are shown when `show_webhooks` (the operator's CLI), else only whether a rule
    has one.
    """
    with store.snapshot():
        privacy = privacy_for(store, include_protected)
        rules = [rule_dict(r, privacy) for r in store.alert_rules()]
        if not show_webhooks:
            for rule in rules:
                rule["webhook"] = bool(rule["webhook"])
        return {
            "feeds": feed_dicts(store),
            "rules": rules,
            "alerts": alert_dicts(store.alerts(limit=limit), privacy),
            "undelivered": store.undelivered_alerts(),
        }
