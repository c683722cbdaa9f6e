"""The server-rendered pages: content, escaping, JSON twins, privacy, error pages."""

from __future__ import annotations

from collections.abc import Iterator

import jinja2
import pytest
from fastapi.testclient import TestClient

from releasewatch.web import create_app, pages, sample
from releasewatch.web.pages import count, parties, person_name

TOKEN = "page-token"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client of the app over the sample ledger."""
    root = tmp_path_factory.mktemp("pages")
    sample.build(root / "ledger.sqlite", root / "news")
    with TestClient(create_app(root / "ledger.sqlite", token=TOKEN)) as c:
        yield c


def _release_id(client: TestClient) -> str:
    items = client.get("/api/events", params={"type": "release", "has_conflict": "true"}).json()
    return items["items"][0]["id"]


def test_timeline_has_charts_and_json_twin(client: TestClient) -> None:
    html = client.get("/").text
    assert html.count("<svg viewBox") == 2 and "People released per month" in html
    assert 'href="/api/timeline"' in html and 'href="#main"' in html and "<main" in html


def test_event_page_marks_evidence_in_its_paragraph(client: TestClient) -> None:
    event_id = _release_id(client)
    html = client.get(f"/events/{event_id}").text
    assert "<mark>Belarus freed 14 political prisoners on Saturday" in html
    assert "<mark>Belarus freed 15 political prisoners" in html
    assert "Where sources disagree" in html and f'href="/api/events/{event_id}"' in html
    assert "Probnaya" not in html and "name withheld" in html


def test_token_holder_sees_protected_names_after_login(client: TestClient) -> None:
    event_id = _release_id(client)
    assert client.post("/login", data={"token": "wrong"}).status_code == 401
    response = client.post("/login", data={"token": TOKEN}, follow_redirects=False)
    assert response.status_code == 303
    try:
        html = client.get(f"/events/{event_id}").text
        assert "Maryia Probnaya" in html
        assert client.get(f"/events/{event_id}").headers["cache-control"] == "private, no-store"
    finally:
        client.post("/logout")
        client.cookies.clear()
    assert "Probnaya" not in client.get(f"/events/{event_id}").text


def test_person_article_search_deals_pages(client: TestClient) -> None:
    person = client.get("/persons/Ales Testovich").text
    assert "Spellings in the sources" in person and "Status history" in person
    articles = client.get("/api/articles").json()["items"]
    baku = next(a for a in articles if a["title"] == "Azerbaijan jails reporter")
    page = client.get(f"/articles/{baku['id']}").text
    assert "Farid Sampleov to nine years" in page
    found = client.get("/search", params={"q": "potash"}).text
    assert "<mark>potash</mark>" in found.lower()
    assert client.get("/deals").status_code == 200
    assert client.get("/persons").status_code == 200
    assert client.get("/events", params={"type": "release"}).status_code == 200


def test_hostile_article_is_escaped(client: TestClient) -> None:
    articles = client.get("/api/articles").json()["items"]
    hostile = next(a for a in articles if a["title"].startswith("Hostile"))
    html = client.get(f"/articles/{hostile['id']}").text
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    listing = client.get("/articles").text
    assert "<script>window" not in listing and "&lt;img src=x" in listing


def test_bad_parameters_render_an_error_page_not_a_500(client: TestClient) -> None:
    response = client.get("/events", params={"since": "2025-02-30"})
    assert response.status_code == 422 and "since" in response.text
    assert client.get("/events/none").status_code == 404
    assert client.get("/events", params={"format": "json", "limit": "x"}).json()["error"]
    assert client.get("/nowhere").headers["content-security-policy"]


def test_row_helpers_escape_what_they_show() -> None:
    """The helpers every list row and event member calls give escaped markup, as the
    template macros they replaced did."""
    assert parties({"by": ["BLR"], "to": ["USA", "LTU"]}) == "BLR → USA, LTU"
    assert parties({"by": [], "to": None}) == "?"
    assert parties({"by": ["<b>X</b>"]}) == "&lt;b&gt;X&lt;/b&gt;"
    assert parties(["RUS", "USA"]) == "RUS, USA" and parties(None) == ""
    assert count({"value": 12, "qualifier": "at_least"}) == "at least 12"
    assert count({"value": 3, "qualifier": "exact"}) == "3" and count(None) == ""
    assert count({"value": "<i>", "qualifier": None}) == "&lt;i&gt;"
    assert person_name({"name": "<script>x</script>"}) == "&lt;script&gt;x&lt;/script&gt;"
    assert person_name({"name": "", "protected": True}) == "<em>name withheld</em>"
    assert person_name({"name": None}) == "name withheld"
    assert person_name(None) == "<em>name withheld</em>" and person_name("Ales") == "Ales"


def test_a_broken_template_fails_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page template is compiled when the app is made: a broken one is an error then,
    naming it, not a 500 on some reader's first visit."""
    broken = jinja2.DictLoader({"fine.html": "<p>{{ x }}</p>", "person.html": "{% if %}"})
    monkeypatch.setattr(pages._env, "loader", broken)
    with pytest.raises(jinja2.TemplateSyntaxError) as caught:
        pages.compile_templates()
    assert caught.value.name == "person.html"
