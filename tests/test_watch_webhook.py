"""Webhook delivery against a local receiver that fails first, then succeeds."""

from __future__ import annotations

import json

import pytest
from http_server import Reply, Request, Server

from releasewatch.watch import FetchSettings, MemoryOutbox, PendingDelivery, WebhookPoster
from releasewatch.watch.webhook import deliver_due

ALERT = {"rule": {"person": "Maria Kalesnikava"}, "happening": {"id": "release-blr-2025-06"}}


class Receiver:
    """A webhook that answers `failures` 500s, then 200s; keeps each accepted body once."""

    def __init__(self, server: Server, failures: int, status: int = 500) -> None:
        self.failures = failures
        self.status = status
        self.posts: list[Request] = []
        self.accepted: dict[str, dict[str, object]] = {}
        server.routes["/hook"] = self

    def __call__(self, request: Request) -> Reply:
        self.posts.append(request)
        if len(self.posts) <= self.failures:
            return Reply(self.status, body=b"not now")
        key = request.headers["idempotency-key"]
        self.accepted.setdefault(key, json.loads(request.body))
        return Reply(204)


def poster(slept: list[float] | None = None, **changes: object) -> WebhookPoster:
    settings = FetchSettings(**{"allow_private": True, **changes})  # type: ignore[arg-type]
    return WebhookPoster(settings, sleep=(slept.append if slept is not None else lambda s: None))


def test_a_webhook_that_fails_then_succeeds_gets_the_alert_once(server: Server) -> None:
    receiver = Receiver(server, failures=2)
    slept: list[float] = []
    with poster(slept) as hook:
        result = hook.post_json(server.url("/hook"), ALERT, key="alert-1", backoff=1.0)
    assert result.ok and result.attempts == 3 and result.status == 204
    assert slept == [1.0, 2.0]  # backoff doubles
    assert len(receiver.posts) == 3 and receiver.accepted == {"alert-1": ALERT}
    assert all(p.headers["content-type"] == "application/json" for p in receiver.posts)


def test_the_outbox_keeps_a_failed_alert_until_delivered_exactly_once(server: Server) -> None:
    receiver = Receiver(server, failures=3)
    outbox = MemoryOutbox()
    outbox.add(PendingDelivery("alert-7", server.url("/hook"), ALERT))
    now = [1000.0]
    with poster() as hook:
        first = deliver_due(outbox, hook, now=lambda: now[0], attempts=2, backoff=1.0)
        assert [d.ok for _, d in first] == [False]
        assert "alert-7" in outbox.pending and "HTTP 500" in outbox.errors["alert-7"]
        assert deliver_due(outbox, hook, now=lambda: now[0]) == []  # not due yet
        now[0] = outbox.pending["alert-7"].next_try
        second = deliver_due(outbox, hook, now=lambda: now[0], attempts=2, backoff=1.0)
        assert [d.ok for _, d in second] == [True]
        now[0] += 3600
        assert deliver_due(outbox, hook, now=lambda: now[0]) == []  # delivered: never again
    assert outbox.pending == {} and "alert-7" in outbox.done
    assert len(receiver.posts) == 4 and list(receiver.accepted) == ["alert-7"]
    assert {p.headers["idempotency-key"] for p in receiver.posts} == {"alert-7"}


def test_a_refusing_webhook_is_not_hammered(server: Server) -> None:
    receiver = Receiver(server, failures=10, status=400)
    with poster() as hook:
        result = hook.post_json(server.url("/hook"), ALERT, key="a")
    assert not result.ok and result.status == 400 and len(receiver.posts) == 1


def test_429_retry_after_is_waited(server: Server) -> None:
    calls: list[int] = []

    def busy(request: Request) -> Reply:
        calls.append(1)
        return Reply(429, {"Retry-After": "7"}) if len(calls) == 1 else Reply(200)

    server.routes["/hook"] = busy
    slept: list[float] = []
    with poster(slept) as hook:
        assert hook.post_json(server.url("/hook"), ALERT, key="a", backoff=1.0).ok
    assert slept == [7.0]


def test_an_unreachable_webhook_fails_softly() -> None:
    with poster() as hook:  # nothing listens on port 9 of loopback
        result = hook.post_json("http://127.0.0.1:9/hook", ALERT, key="a", attempts=2)
    assert not result.ok and result.attempts == 2 and "network error" in (result.error or "")


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}/hook", "http://10.0.0.8/hook"])
def test_private_webhooks_are_refused_without_allow_private(server: Server, url: str) -> None:
    receiver = Receiver(server, failures=0)
    with WebhookPoster(FetchSettings(), sleep=lambda s: None) as hook:
        result = hook.post_json(url.format(port=server.port), ALERT, key="a", attempts=3)
    assert not result.ok and "not fetched without allow_private" in (result.error or "")
    assert receiver.posts == []
