"""Alerts: a watchlist of rules, matched against the happenings a new article creates or changes.

A rule holds any of: a person (matched through the person registry, so every spelling of the
person's record counts, and a spelling never seen before counts when the grouping rules would
put it in the record), a party (on either side, in any source's reading), an event type, a
status, words (all of them, anywhere in the happening's reports or titles), and optionally a
webhook. Every given filter must hold.

`AlertMaker` runs inside the ledger update that takes an article (`LiveLedger.update`'s
`react`), so the alerts it writes commit with the ledger rows or not at all, once per (rule,
happening, article). Each alert carries the body its webhook gets: the happening, the matching
report of the new article with its evidence and source URL, and the rule. Protected persons are
never named in a body or a log line: names and ids go through the ledger's privacy rules as
they stand when the alert is written, and again when it is sent (`store.LedgerOutbox`).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ..errors import InputError
from ..ledger.build import _plain
from ..ledger.live import LedgerUpdate, LiveLedger, Touched
from ..ledger.privacy import Privacy, privacy_for
from ..model import EVENT_TYPES, STATUSES
from ..resolve import LedgerEvent, MentionRef
from ..store import AlertRow, AlertRuleRow, Store

EVIDENCE_CHARS = 200  # evidence shown in an alert's log line; the body carries it whole
_PARTY = re.compile(r"^[A-Za-z]{2,3}$")
_WORD = re.compile(r"\w+", re.UNICODE)


# ---------------------------------------------------------------- rules


def _clean(value: str | None) -> str | None:
    """A filter value with white space trimmed (None when empty)."""
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def add_rule(
    store: Store,
    *,
    person: str | None = None,
    party: str | None = None,
    type: str | None = None,
    status: str | None = None,
    text: str | None = None,
    webhook: str | None = None,
) -> AlertRuleRow:
    """Check and store a rule; InputError naming the filter that is wrong."""
    person, party, text, webhook = _clean(person), _clean(party), _clean(text), _clean(webhook)
    if not any((person, party, type, status, text)):
        raise InputError("alert rule", "give at least one of person, party, type, status, text")
    if party is not None:
        if not _PARTY.match(party):
            raise InputError("party", f"{party!r} is not a party code like BLR or EU")
        party = party.upper()
    if type is not None and type not in EVENT_TYPES:
        raise InputError("type", f"{type!r} is not one of {', '.join(EVENT_TYPES)}")
    if status is not None and status not in STATUSES:
        raise InputError("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    if text is not None and not _WORD.search(text):
        raise InputError("text", f"{text!r} holds no word")
    if webhook is not None:
        parts = urlsplit(webhook)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError("webhook", f"{webhook!r} is not an http(s) URL")
    return store.add_alert_rule(
        person=person, party=party, event_type=type, status=status, words=text, webhook=webhook
    )


def describe_rule(rule: AlertRuleRow) -> str:
    """A rule as one short phrase ("person Maria Kalesnikava", "BLR release occurred")."""
    parts = []
    if rule.person:
        parts.append(f"person {rule.person}")
    parts += [v for v in (rule.party, rule.event_type, rule.status) if v]
    if rule.words:
        parts.append(f'words "{rule.words}"')
    return " ".join(parts)


def rule_dict(rule: AlertRuleRow, privacy: Privacy | None = None) -> dict[str, Any]:
    """A rule as JSON-ready data (the person withheld when protected, for `privacy`)."""
    person = privacy.text(rule.person) if privacy is not None else rule.person
    return {
        "id": rule.id, "person": person, "party": rule.party, "type": rule.event_type,
        "status": rule.status, "text": rule.words, "webhook": rule.webhook,
        "created_at": rule.created_at,
    }  # fmt: skip


# ---------------------------------------------------------------- matching


def _parties(event: LedgerEvent) -> set[str]:
    """Every party any source gives the happening, on either side."""
    return {code for f in (event.by, event.to) for v in f.values for code in v.value}


def _words(text: str) -> set[str]:
    """The casefolded words of a text."""
    return {w.casefold() for w in _WORD.findall(text)}


def _event_words(event: LedgerEvent) -> set[str]:
    """The words of a happening: its type, sector, reports and article titles."""
    texts = [event.type.replace("_", " "), event.sector.consensus or ""]
    texts += [r.mention.evidence for r in event.members]
    texts += [s.title or "" for s in event.sources]
    return _words(" ".join(texts))


@dataclass
class _Matcher:
    """Matches rules against one update's happenings (person names looked up once)."""

    live: LiveLedger
    named: dict[str, set[str]] = field(default_factory=dict)

    def pids(self, name: str) -> set[str]:
        """The persons a rule's name names."""
        if name not in self.named:
            assert self.live.resolver is not None
            self.named[name] = self.live.resolver.registry.persons_named(name)
        return self.named[name]

    def match(self, rule: AlertRuleRow, touched: Touched) -> MentionRef | None:
        """The new report to alert on when the rule matches the happening, else None."""
        event = touched.event
        if rule.event_type and event.type != rule.event_type:
            return None
        if rule.status and event.status != rule.status:
            return None
        if rule.party and rule.party not in _parties(event):
            return None
        pids: set[str] = set()
        if rule.person:
            pids = self.pids(rule.person) & set(event.persons)
            if not pids:
                return None
        wanted = _words(rule.words) if rule.words else set()
        if wanted - _event_words(event):
            return None
        assert self.live.resolver is not None
        person_of = self.live.resolver.registry.person_of

        def strength(ref: MentionRef) -> tuple[int, ...]:
            m = ref.mention
            return (
                sum(1 for p in m.persons if person_of.get(p) in pids),
                int(bool(rule.party) and rule.party in (*m.by, *m.to)),
                int(m.type == event.type),
                len(wanted & _words(m.evidence)),
                -ref.index,
            )

        return max(touched.refs, key=strength)


# ---------------------------------------------------------------- alerts


def alert_id(rule_id: int, event_id: str, article_id: str) -> str:
    """An alert's id (and its webhook Idempotency-Key): one per rule, happening and article."""
    digest = hashlib.sha1(f"{rule_id}\x00{event_id}\x00{article_id}".encode()).hexdigest()
    return f"alert-{digest[:16]}"


def iso(at: float) -> str:
    """Epoch seconds as ISO 8601 UTC, to the second."""
    return datetime.fromtimestamp(at, UTC).replace(microsecond=0).isoformat()


def payload(
    alert: str,
    at: float,
    rule: AlertRuleRow,
    event: LedgerEvent,
    ref: MentionRef,
    url: str | None,
    names: Callable[[str], str],
    privacy: Privacy,
) -> dict[str, Any]:
    """The webhook body of one alert, protected persons withheld."""
    m = ref.mention
    body = {
        "alert": {"id": alert, "created_at": iso(at)},
        "rule": {k: v for k, v in rule_dict(rule).items() if k not in ("webhook", "created_at")},
        "happening": {
            "id": event.id,
            "type": event.type,
            "status": event.status,
            "date": event.date.consensus,
            "date_precision": event.date_precision,
            "by": list(event.by.consensus or ()),
            "to": list(event.to.consensus or ()),
            "count": _plain(event.count.consensus),
            "sector": event.sector.consensus,
            "persons": [
                privacy.person(pid, privacy.public.get(pid, pid), names(pid), pid in privacy.public)
                for pid in event.persons
            ],
            "sources": len(event.sources),
            "reports": len(event.members),
            "conflicts": [c.field for c in event.conflicts],
        },
        "mention": {
            "id": f"{ref.article_id}-{ref.index}",
            "article_id": ref.article_id,
            "index": ref.index,
            "type": m.type,
            "status": m.status,
            "evidence": m.evidence,
            "by": list(m.by),
            "to": list(m.to),
            "count": _plain(m.count),
            "persons": list(m.persons),
            "date": m.date,
            "sector": m.sector,
        },
        "source": {
            "url": url,
            "title": ref.title,
            "outlet": ref.outlet,
            "published": ref.published,
        },
    }
    return privacy.scrub(body)


def log_line(rule: AlertRuleRow, event: LedgerEvent, ref: MentionRef, url: str | None) -> str:
    """The watch log's line for an alert (before protected names are withheld)."""
    evidence = ref.mention.evidence
    if len(evidence) > EVIDENCE_CHARS:
        evidence = evidence[: EVIDENCE_CHARS - 1] + "…"
    parties = "+".join(event.by.consensus or ()) or "?"
    when = event.date.consensus or ref.published or "undated"
    return (
        f"alert: rule {rule.id} ({describe_rule(rule)}): {event.type} {event.status} by "
        f"{parties}, {when} [{event.id}]: {evidence} <{url or ref.article_id}>"
    )


@dataclass
class AlertMaker:
    """The `react` of a live ledger update: writes the alerts of the rules it matches.

    `raised` holds the alerts written by the last update (read them once it has returned).
    """

    live: LiveLedger
    now: Callable[[], float] = time.time
    raised: list[AlertRow] = field(default_factory=list)

    def __call__(self, store: Store, update: LedgerUpdate) -> None:
        """Match every rule against the update's happenings; queue the alerts."""
        self.raised = []
        if not update.touched:
            return
        rules = store.alert_rules()
        if not rules:
            return
        assert self.live.resolver is not None
        persons = self.live.resolver.persons
        privacy = privacy_for(store, include_protected=False)
        urls = {a: store.article(a).url for a in update.articles}
        matcher = _Matcher(self.live)
        at = self.now()
        alerts = []
        for touched in update.touched:
            for rule in rules:
                ref = matcher.match(rule, touched)
                if ref is None:
                    continue
                event, url = touched.event, urls.get(ref.article_id)
                key = alert_id(rule.id, event.id, ref.article_id)
                body = payload(key, at, rule, event, ref, url,
                               lambda pid: persons[pid].name, privacy)  # fmt: skip
                line = privacy.text(log_line(rule, event, ref, url)) or ""
                alerts.append(
                    AlertRow(
                        key, rule.id, event.id, ref.article_id, f"{ref.article_id}-{ref.index}",
                        at, line, json.dumps(body, ensure_ascii=False, sort_keys=True),
                        rule.webhook, 0, at, None if rule.webhook else at, None,
                    )
                )  # fmt: skip
        self.raised = store.queue_alerts(alerts)


def scrubber(store: Store) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Withholds protected persons from a body as the ledger stands when it is sent."""

    def scrub(body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = privacy_for(store, include_protected=False).scrub(body)
        return result

    return scrub


def alert_dicts(alerts: Sequence[AlertRow], privacy: Privacy) -> list[dict[str, Any]]:
    """Alerts as JSON-ready data for listings (the body's happening, not its webhook)."""
    items = []
    for a in alerts:
        body = json.loads(a.payload)
        items.append(
            privacy.scrub(
                {
                    "id": a.id, "rule_id": a.rule_id, "event_id": a.event_id,
                    "article_id": a.article_id, "created_at": iso(a.created_at),
                    "line": a.line, "webhook": bool(a.webhook), "attempts": a.attempts,
                    "delivered_at": iso(a.delivered_at) if a.delivered_at else None,
                    "next_try": None if a.delivered_at else iso(a.next_try),
                    "last_error": a.last_error, "happening": body.get("happening"),
                    "source": body.get("source"),
                }
            )
        )  # fmt: skip
    return items
