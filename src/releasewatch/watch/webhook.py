"""Webhook delivery: POST a JSON body, retried with backoff, recorded until delivered.

`post_json` makes one delivery with retries; `deliver_due` drains an `Outbox` (the alerts
waiting to be delivered) and marks each one delivered only after a 2xx answer, so a failed
alert stays pending and is tried again, never lost. Every POST of one alert carries the same
`Idempotency-Key` header (the alert's id): when an answer is lost after the receiver took the
body, the receiver sees the repeat and can drop it, so each alert is acted on once.

Webhook URLs pass the same address guard as fetched pages: no private address unless
`allow_private`, only http(s), no redirects followed (a 3xx is a failure).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from ..errors import FetchError
from ..store.rows import PendingDelivery  # the store's outbox gives these
from .fetch import GuardedClient, retry_after

ATTEMPTS = 4  # POSTs per delivery run before the alert waits for the next run (set by hand)
BACKOFF = 2.0  # seconds before the second POST; doubled each time (2, 4, 8 s)
MAX_BACKOFF = 600.0  # an outbox retry waits at most ten minutes (set by hand)


@dataclass(frozen=True)
class Delivery:
    """The outcome of delivering one body."""

    ok: bool
    attempts: int
    status: int | None = None  # the last HTTP status, if any answer came
    error: str | None = None  # why the last attempt failed
    retry_after: float | None = None  # what the receiver asked for (429/503)


def _retryable(status: int) -> bool:
    """Whether another POST may succeed after this status."""
    return status >= 500 or status in (408, 425, 429)


class WebhookPoster(GuardedClient):
    """POSTs JSON bodies to webhooks with the fetcher's guard and time-outs."""

    def _once(self, url: str, body: bytes, key: str) -> Delivery:
        """One POST."""
        try:
            parsed = self.guard.check_url(url)
            if parsed.host:
                self.guard.resolve(url, parsed.host, parsed.port or 0)
            response = self.client.post(
                url,
                content=body,
                headers={"Content-Type": "application/json", "Idempotency-Key": key},
            )
        except FetchError as exc:
            return Delivery(False, 1, error=exc.reason)
        except httpx.TimeoutException as exc:
            return Delivery(False, 1, error=f"timed out ({type(exc).__name__})")
        except httpx.TransportError as exc:
            return Delivery(False, 1, error=f"network error: {exc or type(exc).__name__}")
        status = response.status_code
        if 200 <= status < 300:
            return Delivery(True, 1, status)
        asked = retry_after(
            response.headers.get("retry-after"), self.wall(), self.settings.max_retry_after
        )
        return Delivery(False, 1, status, f"HTTP {status} {response.reason_phrase}".rstrip(), asked)

    def post_json(
        self,
        url: str,
        payload: Any,
        *,
        key: str,
        attempts: int = ATTEMPTS,
        backoff: float = BACKOFF,
    ) -> Delivery:
        """POST `payload` as JSON until a 2xx, a refusal no retry mends, or `attempts` run out."""
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        result = Delivery(False, 0, error="not attempted")
        for attempt in range(1, attempts + 1):
            once = self._once(url, body, key)
            result = Delivery(once.ok, attempt, once.status, once.error, once.retry_after)
            if once.ok:
                return result
            if once.status is not None and not _retryable(once.status):
                return result  # a 4xx: the receiver refuses this body; repeating will not help
            if attempt < attempts:
                wait = backoff * 2 ** (attempt - 1)
                if once.retry_after is not None:
                    wait = max(wait, once.retry_after)
                self.sleep(min(wait, MAX_BACKOFF))
        return result


class Outbox(Protocol):
    """Where alerts wait until delivered (`store.LedgerOutbox` keeps them in the ledger)."""

    def due(self, now: float) -> list[PendingDelivery]:
        """Undelivered alerts whose next try has come, oldest first."""
        ...

    def delivered(self, alert_id: str, at: float, attempts: int) -> None:
        """Mark an alert delivered: it is never sent again."""
        ...

    def failed(self, alert_id: str, error: str, attempts: int, next_try: float) -> None:
        """Record a failed delivery run; the alert stays pending until `next_try`."""
        ...


@dataclass
class MemoryOutbox:
    """An Outbox in memory."""

    pending: dict[str, PendingDelivery] = field(default_factory=dict)
    done: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def add(self, alert: PendingDelivery) -> None:
        """Queue an alert (once per id)."""
        if alert.id not in self.done:
            self.pending.setdefault(alert.id, alert)

    def due(self, now: float) -> list[PendingDelivery]:
        """Pending alerts due now."""
        return [a for a in self.pending.values() if a.next_try <= now]

    def delivered(self, alert_id: str, at: float, attempts: int) -> None:
        """Mark delivered."""
        self.pending.pop(alert_id, None)
        self.done[alert_id] = at

    def failed(self, alert_id: str, error: str, attempts: int, next_try: float) -> None:
        """Keep pending, later."""
        alert = self.pending[alert_id]
        self.pending[alert_id] = PendingDelivery(
            alert.id, alert.url, alert.payload, attempts, next_try
        )
        self.errors[alert_id] = error


def deliver_due(
    outbox: Outbox,
    poster: WebhookPoster,
    *,
    now: Callable[[], float] = time.time,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF,
) -> list[tuple[PendingDelivery, Delivery]]:
    """Deliver every due alert; each is marked delivered only after a 2xx answer."""
    results = []
    for alert in outbox.due(now()):
        outcome = poster.post_json(
            alert.url, alert.payload, key=alert.id, attempts=attempts, backoff=backoff
        )
        total = alert.attempts + outcome.attempts
        if outcome.ok:
            outbox.delivered(alert.id, now(), total)
        else:
            wait = min(MAX_BACKOFF, backoff * 2 ** min(total, 20))
            if outcome.retry_after is not None:
                wait = max(wait, outcome.retry_after)
            outbox.failed(alert.id, outcome.error or "failed", total, now() + wait)
        results.append((alert, outcome))
    return results
