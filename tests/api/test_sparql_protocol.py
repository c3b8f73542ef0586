"""SPARQL 1.1 Protocol at /sparql: methods, formats, service description, protocol errors."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from api.routes.examples import EXAMPLES

COUNT_MEASURES = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure }"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}


def _n(r) -> int:
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_get_urlencoded_post_and_direct_post_agree(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": COUNT_MEASURES})
    by_form = client.post("/sparql", content=f"query={COUNT_MEASURES}".encode(), headers=FORM)
    by_body = client.post("/sparql", content=COUNT_MEASURES.encode(), headers=SPARQL_QUERY)
    for r in (by_get, by_form, by_body):
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/sparql-results+json")
        assert _n(r) == 20


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
)
def test_select_formats(client: TestClient, accept: str) -> None:
    q = "SELECT ?t WHERE { <id/document/jinan-2025-5/measure/1> dcterms:title ?t }"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    if accept.endswith("xml"):
        ns = "{http://www.w3.org/2005/sparql-results#}"
        root = ET.fromstring(r.content)
        assert [e.text for e in root.iter(f"{ns}literal")] == ["坚持经济发展与就业协调联动"]
    elif accept == "text/csv":
        assert list(csv.reader(io.StringIO(r.text))) == [["t"], ["坚持经济发展与就业协调联动"]]
    else:
        assert r.text.splitlines()[0] == "?t"
        assert r.text.splitlines()[1].startswith('"坚持经济发展与就业协调联动"')


def test_ask_json_and_xml(client: TestClient) -> None:
    q = "ASK { ?a rdfs:label ?l FILTER(CONTAINS(STR(?l), '残疾人联合会')) }"
    assert client.get("/sparql", params={"query": q}).json() == {"head": {}, "boolean": True}
    r = client.get(
        "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert b"<boolean>true</boolean>" in r.content


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_construct_formats_parse_to_same_graph(client: TestClient, accept: str, fmt: str) -> None:
    q = "CONSTRUCT { ?m dcterms:title ?t } WHERE { ?m a pkg:Measure ; dcterms:title ?t }"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = Graph().parse(data=r.content, format=fmt)
    assert len(g) == 20


def test_describe(client: TestClient) -> None:
    q = "DESCRIBE <http://localhost:8000/id/agency/jinan-disabled>"
    g = Graph().parse(data=client.get("/sparql", params={"query": q}).content, format="turtle")
    assert len(g) > 0


def test_service_description_on_bare_get(client: TestClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format="turtle")
    q = """PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
           SELECT ?e WHERE { ?s a sd:Service ; sd:endpoint ?e }"""
    assert [str(row.e) for row in g.query(q)] == ["http://testserver/sparql"]
    formats = {str(o) for o in g.objects(None, None) if "ns/formats" in str(o)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    as_jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert json.loads(as_jsonld.text)


def test_protocol_errors(client: TestClient) -> None:
    two = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert two.status_code == 400 and "query" in two.json()["detail"]
    wrong_type = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    no_type = client.post("/sparql", content=b"ASK {}")
    assert no_type.status_code == 415
    not_utf8 = client.post(
        "/sparql", content="ASK { ?s ?p '济' }".encode("gbk"), headers=SPARQL_QUERY
    )
    assert not_utf8.status_code == 400 and "UTF-8" in not_utf8.json()["detail"]
    syntax = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert syntax.status_code == 400 and syntax.json()["title"] == "Query syntax error"
    assert "line 1" in syntax.json()["detail"]
    form_without_query = client.post("/sparql", content=b"foo=bar", headers=FORM)
    assert form_without_query.status_code == 400


def test_examples_of_query_page_run_and_return_rows(client: TestClient) -> None:
    assert len(EXAMPLES) >= 3
    for example in EXAMPLES:
        r = client.post("/sparql", content=example["query"].encode(), headers=SPARQL_QUERY)
        assert r.status_code == 200, (example["id"], r.text)
        assert r.json()["results"]["bindings"], example["id"]
    disabled = next(e for e in EXAMPLES if e["id"] == "disabled-persons")
    rows = client.post("/sparql", content=disabled["query"].encode(), headers=SPARQL_QUERY).json()
    assert [b["ordinal"]["value"] for b in rows["results"]["bindings"]] == ["5", "7", "16"]


def test_query_page_lists_examples(client: TestClient) -> None:
    page = client.get("/query")
    assert page.status_code == 200
    for example in EXAMPLES:
        assert example["zh"] in page.text
    assert "cdn" not in page.text.lower()
