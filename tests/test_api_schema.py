"""Property-based run over the OpenAPI schema (hypothesis): no input gives a 5xx.

Every GET operation in /openapi.json is called with values drawn for each of its declared
parameters: valid ones from the schema (enums, patterns, bounds) mixed with arbitrary text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasewatch.web import create_app, sample


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A read-only client over the sample ledger."""
    root = tmp_path_factory.mktemp("schema")
    sample.build(root / "ledger.sqlite", root / "news")
    app = create_app(root / "ledger.sqlite", token=None)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _value_strategy(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    """Strings for one parameter: from its schema, or anything at all."""
    options = [schema, *schema.get("anyOf", [])]
    valid: list[st.SearchStrategy[str]] = []
    for option in options:
        if "enum" in option:
            valid.append(st.sampled_from([str(v) for v in option["enum"]]))
        elif option.get("type") == "integer":
            low, high = option.get("minimum", -5), option.get("maximum", 10_000)
            valid.append(st.integers(low - 2, high + 2).map(str))
        elif option.get("type") == "boolean":
            valid.append(st.sampled_from(["true", "false", "1", "0"]))
        elif option.get("pattern"):
            valid.append(st.from_regex(option["pattern"], fullmatch=True))
    junk = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
    return st.one_of(*valid, junk) if valid else junk


def _operations(client: TestClient) -> list[tuple[str, list[dict[str, Any]]]]:
    """(path, parameters) of every GET operation of the API."""
    paths = client.get("/openapi.json").json()["paths"]
    return [(p, ops["get"].get("parameters", [])) for p, ops in paths.items() if "get" in ops]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_generated_request_gives_a_server_error(client: TestClient, data: st.DataObject) -> None:
    path, params = data.draw(st.sampled_from(_operations(client)))
    query: dict[str, str] = {}
    url = path
    for param in params:
        value = data.draw(_value_strategy(param.get("schema", {})))
        if param["in"] == "path":
            url = url.replace("{" + param["name"] + "}", quote(value, safe="") or "x")
        elif param.get("required") or data.draw(st.booleans()):
            query[param["name"]] = value
    response = client.get(url, params=query)
    assert response.status_code < 500, f"GET {url} {query}: {response.text}"
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["status"] == response.status_code and error["message"]


def test_the_schema_lists_every_endpoint(client: TestClient) -> None:
    paths = {p for p, _ in _operations(client)}
    assert paths == {
        "/api/events", "/api/events/{event_id}", "/api/persons", "/api/persons/{person}",
        "/api/articles", "/api/articles/{article_id}", "/api/deals", "/api/conflicts",
        "/api/timeline", "/api/monthly", "/api/search", "/api/watch",
    }  # fmt: skip
