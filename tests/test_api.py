"""The HTTP API over a real ledger built from articles written for the tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import Databases
from fastapi.testclient import TestClient

from releasewatch import ledger
from releasewatch.cli import cli
from releasewatch.model import Article, ArticleRecord, EventMention
from releasewatch.store import open_store
from releasewatch.web import create_app, sample
from releasewatch.web.app import Access
from releasewatch.web.app import create_app as create_app_with_hosts
from releasewatch.web.cache import READ_VERSION, LedgerCache
from releasewatch.web.db import Ledger

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def db(module_databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A ledger of the sample articles, Maryia Probnaya protected (on each backend)."""
    url = module_databases.new("api")
    sample.build(url, tmp_path_factory.mktemp("api") / "news")
    return url


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    """A client of the app with a token configured."""
    with TestClient(create_app(db, token=TOKEN), raise_server_exceptions=False) as c:
        yield c


def _error(response, status: int) -> dict:
    """The error object of a response, checked against the one error shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["code"], str) and body["error"]["message"]
    return body["error"]


def test_event_list_and_one_event(client: TestClient) -> None:
    page = client.get("/api/events").json()
    types = {e["type"] for e in page["items"]}
    assert {"release", "detention"} <= types and page["next_cursor"] is None
    release = next(e for e in page["items"] if e["type"] == "release" and e["n_sources"] == 2)
    event = client.get(f"/api/events/{release['id']}").json()
    assert event["has_conflict"] and event["conflicts"][0]["field"] == "count"
    assert len(event["members"]) == 2
    member = event["members"][0]
    start, end = member["span"]
    assert member["paragraph"][start:end] == member["evidence"]
    assert "Belarus freed 14" in member["evidence"]
    counts = {v["value"]["value"] for v in event["values"]["count"]}
    assert counts == {14, 15}


def test_pagination_reaches_the_end_without_repeats(client: TestClient) -> None:
    everything = [e["id"] for e in client.get("/api/events").json()["items"]]
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/events", params=params).json()
        assert len(page["items"]) <= 2
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything and len(seen) >= 4


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"type": "detention"}, lambda e: e["type"] == "detention"),
        ({"status": "discussed"}, lambda e: e["status"] == "discussed"),
        ({"party": "blr"}, lambda e: "BLR" in e["by"] + e["to"]),
        ({"person": "Ales Testovich"}, lambda e: e["type"] == "release"),
        ({"since": "2025-12"}, lambda e: (e["sort_date"] or "~") >= "2025-12"),
        ({"until": "2025-06-30"}, lambda e: (e["sort_date"] or "~") <= "2025-06-30"),
        ({"has_conflict": "false"}, lambda e: not e["has_conflict"]),
        ({"has_conflict": "true"}, lambda e: e["has_conflict"]),
        ({"q": "baku"}, lambda e: e["type"] == "detention"),
    ],
)
def test_each_filter(client: TestClient, params: dict, check) -> None:
    everything = client.get("/api/events").json()["items"]
    items = client.get("/api/events", params=params).json()["items"]
    assert items, params
    assert all(check(e) for e in items), params
    assert len(items) < len(everything), f"{params} filtered nothing out"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "party"}, "type"),
        ({"since": "2025-13-01"}, "since"),
        ({"until": "yesterday"}, "until"),
        ({"has_conflict": "maybe"}, "has_conflict"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"party": "B'; DROP TABLE articles; --"}, "party"),
    ],
)
def test_bad_parameters_get_a_4xx_with_the_error_shape(
    client: TestClient, params: dict, field: str
) -> None:
    response = client.get("/api/events", params=params)
    assert 400 <= response.status_code < 500
    assert _error(response, response.status_code)["field"] == field


def test_unknown_things_are_404_with_the_error_shape(client: TestClient) -> None:
    for path in ("/api/events/nope", "/api/persons/nobody", "/api/articles/none", "/api/x"):
        _error(client.get(path), 404)


def test_persons_and_one_person(client: TestClient) -> None:
    names = [p["name"] for p in client.get("/api/persons").json()["items"]]
    assert "Ales Testovich" in names and "Farid Sampleov" in names
    person = client.get("/api/persons/Ales Testovich").json()
    assert person["spellings"] == ["Ales Testovich"]
    assert [h["status"] for h in person["history"]] and person["events"]
    page = client.get("/api/persons", params={"limit": 1}).json()
    assert len(page["items"]) == 1 and page["next_cursor"]


def test_protected_person_withheld_without_the_token(client: TestClient) -> None:
    public = client.get("/api/persons").json()["items"]
    withheld = [p for p in public if p["protected"]]
    assert withheld and withheld[0]["name"] == "name withheld" and withheld[0]["spellings"] == []
    assert "Probnaya" not in client.get("/api/persons").text
    release = client.get("/api/events", params={"person": withheld[0]["id"]}).json()["items"]
    event_text = client.get(f"/api/events/{release[0]['id']}").text
    assert "Probnaya" not in event_text and "name withheld" in event_text
    article = next(
        a for a in client.get("/api/articles").json()["items"] if "Washington" in a["title"]
    )
    assert "Probnaya" not in client.get(f"/api/articles/{article['id']}").text
    assert client.get("/api/search", params={"q": "Probnaya"}).json()["items"] == []
    _error(client.get("/api/persons/Maryia Probnaya"), 404)


def test_protected_person_seen_with_the_token(client: TestClient) -> None:
    persons = client.get("/api/persons", headers=AUTH).json()["items"]
    shown = next(p for p in persons if p["protected"])
    assert shown["name"] == "Maryia Probnaya" and shown["spellings"] == ["Maryia Probnaya"]
    assert client.get("/api/search", params={"q": "Probnaya"}, headers=AUTH).json()["items"]
    assert client.get("/api/persons/Maryia Probnaya", headers=AUTH).status_code == 200


def test_articles_and_one_article_with_its_text(client: TestClient) -> None:
    page = client.get("/api/articles", params={"limit": 3}).json()
    assert len(page["items"]) == 3 and page["next_cursor"] == "o3"
    rest = client.get("/api/articles", params={"cursor": page["next_cursor"]}).json()
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    baku = next(
        a for a in page["items"] + rest["items"] if a["title"] == "Azerbaijan jails reporter"
    )
    article = client.get(f"/api/articles/{baku['id']}").json()
    assert "sentenced journalist Farid Sampleov" in article["text"]
    assert article["ledger_events"] and article["mentions"]


def test_search_finds_words_in_titles_and_text(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "potash exporter"}).json()["items"]
    assert [h["title"] for h in hits] == ["Belarus frees 14 prisoners in deal with Washington"]
    start, end = hits[0]["snippet_marks"][0]
    assert hits[0]["snippet"][start:end].lower() in {"potash", "exporter"}
    assert client.get("/api/search", params={"q": 'AND OR "( NEAR'}).status_code == 200
    _error(client.get("/api/search"), 422)


def test_deals_conflicts_timeline_monthly(client: TestClient) -> None:
    assert isinstance(client.get("/api/deals").json(), list)
    assert [e["type"] for e in client.get("/api/conflicts").json()] == ["release"]
    timeline = client.get("/api/timeline", params={"party": "AZE"}).json()
    assert [e["type"] for e in timeline] == ["detention"]
    monthly = client.get("/api/monthly").json()
    december = [m for m in monthly if m["month"] == "2025-12" and m["party"] == "BLR"]
    assert december and december[0]["people_released"] in (14, 15)


def test_writes_are_refused_without_the_token(client: TestClient, db: str) -> None:
    body = {"text": "Belarus freed 2 prisoners on Monday.", "title": "t"}
    _error(client.post("/api/articles", json=body), 401)
    _error(client.post("/api/articles", json=body, headers={"Authorization": "Bearer no"}), 401)
    _error(client.post("/api/persons/merge", json={"a": "x", "b": "y"}), 401)
    _error(client.post("/api/persons/split", json={"name": "x"}), 401)
    _error(client.put("/api/persons/x/protected", json={"protected": False}), 401)
    with TestClient(create_app(db, token=None), raise_server_exceptions=False) as read_only:
        _error(read_only.post("/api/articles", json=body, headers=AUTH), 403)
        _error(read_only.put("/api/persons/x/protected", json={"protected": True}), 403)


def test_writes_with_the_token(tmp_path: Path, db_url: str) -> None:
    sample.build(db_url, tmp_path / "news", protect=None)
    with TestClient(create_app(db_url, token=TOKEN)) as c:
        text = (
            "Georgia frees activist\n\n"
            "Georgia freed 3 political prisoners on Monday, officials said.\n"
        )
        posted = c.post(
            "/api/articles", json={"text": text, "published": "2026-01-05"}, headers=AUTH
        )
        assert posted.status_code == 201 and posted.json()["events"] >= 1
        assert c.post("/api/articles", json={"text": text}, headers=AUTH).status_code == 200
        assert c.get("/api/events", params={"party": "GEO"}).json()["items"]
        assert c.get("/api/search", params={"q": "Georgia"}).json()["items"]
        merged = c.post("/api/persons/merge", json={"a": "Ales Testovich", "b": "Farid Sampleov"},
                        headers=AUTH)  # fmt: skip
        assert merged.status_code == 200
        assert set(merged.json()["result"]["spellings"]) == {"Ales Testovich", "Farid Sampleov"}
        split = c.post("/api/persons/split", json={"name": "Farid Sampleov"}, headers=AUTH)
        assert split.json()["result"]["spellings"] == ["Farid Sampleov"]
        put = c.put("/api/persons/Farid Sampleov/protected", json={"protected": True}, headers=AUTH)
        assert put.status_code == 200
        assert "Sampleov" not in c.get("/api/persons").text
        _error(c.post("/api/articles", json={"text": ""}, headers=AUTH), 422)


@pytest.mark.usefixtures("stub_stages")
def test_article_ingested_by_the_cli_is_searchable(tmp_path: Path, db_url: str) -> None:
    db = db_url
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text(
        "Quarry workers freed\n\nThe quarrymen were freed on Friday, officials said.\n",
        encoding="utf-8",
    )
    with TestClient(create_app(db)) as c:  # the server is up before the CLI writes
        assert c.get("/api/search", params={"q": "quarrymen"}).json()["items"] == []
        result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(folder)])
        assert result.exit_code == 0, result.output
        hits = c.get("/api/search", params={"q": "quarrymen"}).json()["items"]
    assert [h["title"] for h in hits] == ["Quarry workers freed"]


def _release(i: int) -> ArticleRecord:
    """A one-event article written for the test."""
    party, day = ("BLR", "VEN", "IRN")[i], f"203{i}-0{i + 1}-15"
    evidence = f"Officials in {party} said {i + 2} prisoners were freed."
    text = f"Report {i}\n\n{evidence}"
    article = Article(
        id=f"t{i}", source=f"test:{i}", text=text, raw=text, title=f"Report {i}", published=day,
    )  # fmt: skip
    start = text.index(evidence)
    event = EventMention(
        type="release", status="occurred", evidence=evidence, start=start,
        end=start + len(evidence), by=(party,), date=day, political=True,
    )  # fmt: skip
    return ArticleRecord(article=article, events=(event,))


def test_public_responses_follow_a_rebuild_by_another_writer(db_url: str) -> None:
    db = db_url
    with open_store(db) as store:
        store.add(_release(0))
        ledger.rebuild(store)
    with TestClient(create_app(db)) as c:
        first = c.get("/api/events").json()["items"]
        assert len(first) == 1 and c.get("/api/events").json()["items"] == first
        page = c.get(f"/events/{first[0]['id']}").text
        with open_store(db) as store:  # the CLI, say, ingests and rebuilds meanwhile
            store.add(_release(1))
            assert len(c.get("/api/events").json()["items"]) == 1  # not rebuilt yet
            ledger.rebuild(store)
        assert len(c.get("/api/events").json()["items"]) == 2
        assert c.get(f"/events/{first[0]['id']}").text == page
        _error(c.get("/api/events/nope"), 404)
        with open_store(db) as store:
            store.add(_release(2))
            ledger.rebuild(store)
        assert c.get("/api/events/nope").status_code == 404


async def _asgi_get(app: Any, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> bytes:
    """The body `app` answers a GET of `path` with, called as an ASGI app (no server)."""
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"",
             "headers": headers or []}  # fmt: skip
    await app(scope, receive=None, send=send)
    return b"".join(m.get("body", b"") for m in sent)


def test_concurrent_misses_make_a_response_once(db_url: str) -> None:
    db = db_url
    calls: list[str] = []

    async def slow_app(scope: dict, receive: Any, send: Any) -> None:
        calls.append(scope["path"])
        await asyncio.sleep(0.05)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})  # fmt: skip
        await send({"type": "http.response.body", "body": b"[1]"})

    cache = LedgerCache(slow_app, Ledger(db), Access(TOKEN))

    def get(path: str, headers: list[tuple[bytes, bytes]] | None = None) -> bytes:
        return asyncio.run(_asgi_get(cache, path, headers))

    async def main() -> list[bytes]:
        return await asyncio.gather(*(_asgi_get(cache, "/api/events") for _ in range(5)))

    assert asyncio.run(main()) == [b"[1]"] * 5
    assert calls == ["/api/events"]
    get("/api/events", [(b"authorization", b"Bearer wrong")])  # the public copy
    assert calls == ["/api/events"]
    for _ in range(2):  # the token holder's copy: made once, apart from the public one
        get("/api/events", [(b"authorization", f"Bearer {TOKEN}".encode())])
    assert calls == ["/api/events", "/api/events"]
    get("/api/articles")  # articles change without a rebuild: never kept
    get("/api/articles")
    assert calls == ["/api/events", "/api/events", "/api/articles", "/api/articles"]


class _Versions:
    """A ledger whose version the test moves, counting the checks of it."""

    def __init__(self) -> None:
        self.version = "v1"
        self.checks = 0

    def current_version(self) -> str:
        self.checks += 1
        return self.version


def test_an_answer_read_with_its_version_is_kept_without_a_check() -> None:
    ledger_state = _Versions()
    calls: list[str] = []

    async def app(scope: dict, receive: Any, send: Any) -> None:
        """Answers as the hot routes do: the body names the version read, and says it."""
        calls.append(scope["path"])
        read = ledger_state.version
        await asyncio.sleep(0.02)  # the version may move meanwhile; the answer is of `read`
        if scope["path"] != "/api/events/unsaid":
            scope.setdefault("state", {})[READ_VERSION] = read
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})  # fmt: skip
        await send({"type": "http.response.body", "body": read.encode()})

    cache = LedgerCache(app, ledger_state, Access(None), versioned=lambda _s: True)  # type: ignore[arg-type]

    def get(path: str) -> bytes:
        return asyncio.run(_asgi_get(cache, path))

    assert get("/api/events/a") == b"v1" and ledger_state.checks == 0  # a new URL: no check
    assert get("/api/events/a") == b"v1" and calls == ["/api/events/a"]  # kept under v1...
    assert ledger_state.checks == 1  # ...and a hit is still checked
    ledger_state.version = "v2"
    assert get("/api/events/a") == b"v2" and len(calls) == 2  # the ledger moved: made again
    assert get("/api/events/b") == b"v2" and get("/api/events/b") == b"v2"
    assert calls[2:] == ["/api/events/b"]  # kept under the version it was read at
    for _ in range(2):  # an answer that does not say its version is never kept
        assert get("/api/events/unsaid") == b"v2"
    assert calls[3:] == ["/api/events/unsaid"] * 2

    async def straddle() -> list[bytes]:
        """A second request for a URL in the making, after the ledger moved: not the first's
        answer (read before the move) but its own."""
        first = asyncio.ensure_future(_asgi_get(cache, "/api/events/c"))
        await asyncio.sleep(0.005)
        ledger_state.version = "v3"
        second = await _asgi_get(cache, "/api/events/c")
        return [await first, second]

    assert asyncio.run(straddle()) == [b"v2", b"v3"]

    async def together() -> list[bytes]:
        """Requests for a URL in the making at an unmoved ledger share its answer."""
        return await asyncio.gather(*(_asgi_get(cache, "/api/events/d") for _ in range(4)))

    before = len(calls)
    assert asyncio.run(together()) == [b"v3"] * 4 and len(calls) == before + 1


def test_the_hot_routes_say_the_version_they_read(db: str) -> None:
    from releasewatch.web.hot import HotRoutes

    async def refuse(scope: dict, receive: Any, send: Any) -> None:
        raise AssertionError(f"{scope['path']} was passed on")

    lg = Ledger(db)
    event_id = ledger.list_events(lg.store())["items"][0]["id"]
    hot = HotRoutes(refuse, lg, Access(None))
    app = create_app(db)  # what a page's links are made with

    async def said(path: str, query: bytes = b"") -> Any:
        scope = {"type": "http", "method": "GET", "path": path, "query_string": query,
                 "headers": [], "app": app}  # fmt: skip

        async def send(message: dict) -> None:
            pass

        await hot(scope, None, send)  # type: ignore[arg-type]
        return scope["state"][READ_VERSION]

    version = lg.current_version()
    assert version
    asked = [("/api/events", b""), ("/api/events", b"type=talks&since=2099"),
             (f"/api/events/{event_id}", b""), (f"/events/{event_id}", b"")]  # fmt: skip
    for path, query in asked:
        assert asyncio.run(said(path, query)) == version, (path, query)
    lg.close()


def test_cached_responses_still_check_the_host(db: str) -> None:
    app = create_app_with_hosts(db, token=None, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        assert c.get("/api/events").status_code == 200  # now cached
        assert c.get("/api/events").headers["content-security-policy"]
        refused = c.get("/api/events", headers={"Host": "rebind.example"})
    assert refused.status_code == 400


def test_security_headers_and_openapi(client: TestClient) -> None:
    response = client.get("/api/events")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{event_id}", "/api/search", "/api/articles"} <= set(paths)


def _without_hot_routes(db: str) -> Any:
    """The app with its hot-route layer taken out: every request answered by FastAPI."""
    from releasewatch.web.hot import HotRoutes

    app = create_app(db, token=TOKEN)
    app.user_middleware = [m for m in app.user_middleware if m.cls is not HotRoutes]
    return app


def test_the_hot_routes_answer_as_the_fastapi_routes_do(db: str) -> None:
    from releasewatch.web.hot import HotRoutes

    app = create_app(db, token=TOKEN)
    assert any(m.cls is HotRoutes for m in app.user_middleware)
    with TestClient(app) as client:
        ids = [e["id"] for e in client.get("/api/events?political=all&limit=500").json()["items"]]
        cursor = client.get("/api/events?limit=1").json()["next_cursor"]
    assert len(ids) > 2 and cursor
    urls = [
        "/api/events", "/api/events?limit=2", f"/api/events?limit=1&cursor={cursor}",
        "/api/events?type=release&party=blr", "/api/events?since=2020&until=2030-12",
        "/api/events?has_conflict=true", "/api/events?political=all&q=release",
        "/api/events?person=Maryia%20Probnaya", "/api/events?limit=0", "/api/events?type=x",
        "/api/events?since=2025-02-30", "/api/events?cursor=bogus", "/api/events?limit=",
        "/api/events?limit=2&limit=3", "/api/events?unknown=1&limit=2",
        *(f"/api/events/{i}" for i in ids), *(f"/events/{i}" for i in ids),
        "/api/events/no-such-event", "/events/no-such-event", "/events/", "/api/events/",
    ]  # fmt: skip
    hot: dict[tuple[str, bool], Any] = {}
    cold: dict[tuple[str, bool], Any] = {}
    for make, answers in (
        (lambda: create_app(db, token=TOKEN), hot),
        (lambda: _without_hot_routes(db), cold),
    ):
        for headers in ({}, AUTH):
            with TestClient(make(), raise_server_exceptions=False) as client:
                for url in urls:
                    got = client.get(url, headers=headers)
                    answers[(url, bool(headers))] = (got.status_code, dict(got.headers), got.text)
    assert hot == cold
    statuses = {status for status, _, _ in hot.values()}
    assert {200, 404, 422} <= statuses  # the errors were the app's, the answers the same
    public = " ".join(text for (url, holder), (_, _, text) in hot.items() if not holder)
    assert "Probnaya" not in public  # a protected person stays withheld on the hot path
