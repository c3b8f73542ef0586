"""The Cypher query page and the endpoint's answer when no Neo4j is configured (no server)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.cypher import EXAMPLES
from graph.rdf.store import RdfStore
from graph.settings import Settings
from ontology.iris import Iris


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path, neo4j_uri=None, cypher_row_limit=123)
    store = RdfStore.open(tmp_path / "oxigraph", Iris(settings.normalised_base()))
    with TestClient(create_app(settings, rdf_store=store, neo4j_driver=None)) as c:
        yield c
    store.close()


def test_without_neo4j_the_endpoint_says_how_to_get_one(client: TestClient) -> None:
    response = client.post("/cypher", json={"query": "RETURN 1"})
    assert response.status_code == 503
    problem = response.json()
    assert problem["title"] == "Store unavailable"
    assert "policykg neo4j start" in problem["detail"]
    assert "NEO4J_URI" in problem["detail"]
    assert client.get("/cypher", params={"query": "RETURN 1"}).status_code == 503


def test_configured_but_unreachable_neo4j_is_not_named(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, neo4j_uri="bolt://127.0.0.1:9")
    store = RdfStore.open(None, Iris(settings.normalised_base()))
    with TestClient(create_app(settings, rdf_store=store, neo4j_driver=None)) as c:
        problem = c.post("/cypher", json={"query": "RETURN 1"}).json()
    assert problem["status"] == 503
    # The internal address is for the server log only (tests/graph/neo4j/test_reconnect.py).
    assert "127.0.0.1:9" not in problem["detail"]
    assert "policykg neo4j start" in problem["detail"]


@pytest.mark.parametrize("path", ["/cypher", "/cypher/query"])
def test_query_page_lists_the_examples_escaped(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "123 rows" in page
    buttons = re.findall(r'<button type="button" class="example" [^>]*>', page)
    assert len(buttons) == len(EXAMPLES)
    queries = [html.unescape(q) for q in re.findall(r'data-query="([^"]*)"', page)]
    assert queries == [e["query"] for e in EXAMPLES]
    # Arrows in the queries are escaped in the attribute, never raw markup.
    assert "-[r:RESPONSIBLE_FOR]->" not in page
    assert "-[r:RESPONSIBLE_FOR]-&gt;" in page


def test_examples_only_use_documented_labels_and_types() -> None:
    labels = {"Agency", "Measure", "TargetGroup", "Program", "Chapter", "Document"}
    types = {"RESPONSIBLE_FOR", "TARGETS", "USES", "PART_OF", "BROADER"}
    for example in EXAMPLES:
        assert set(re.findall(r"\(\w*:(\w+)", example["query"])) <= labels
        assert set(re.findall(r"\[\w*:(\w+)", example["query"])) <= types


def test_query_page_loads_the_vendored_editor_with_the_first_example(client: TestClient) -> None:
    page = client.get("/cypher", headers={"Accept": "text/html"}).text
    assert '<script src="/static/vendor/cypher-editor.js"></script>' in page
    assert '<link rel="stylesheet" href="/static/vendor/cypher-editor.css">' in page
    value = re.search(r'<div id="query" class="cypher-editor" data-value="([^"]*)"', page)
    assert value and html.unescape(value.group(1)) == EXAMPLES[0]["query"]
    assert '<textarea id="query"' not in page
    for path in ("/static/vendor/cypher-editor.js", "/static/cypher.js"):
        assert client.get(path).status_code == 200, path
