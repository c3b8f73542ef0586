"""Linked Data: minted IRIs dereference to HTML or RDF; the ontology at its namespace;
a non-default base IRI mints and serves its own IRIs; pages escape document text."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from tests.api.conftest import make_app

MEASURE = "http://localhost:8000/id/document/jinan-2025-5/measure/1"


def test_html_for_browsers(client: TestClient) -> None:
    r = client.get("/id/document/jinan-2025-5/measure/1", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["vary"] == "Accept"
    assert "坚持经济发展与就业协调联动" in r.text
    assert (
        'href="/id/agency/jinan-drc"' in r.text
        or "/id/document/jinan-2025-5/measure/1/responsibility/1" in r.text
    )


def test_rdf_by_accept(client: TestClient) -> None:
    for accept, fmt in (
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ):
        r = client.get("/id/document/jinan-2025-5/measure/1", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        g = Graph().parse(data=r.content, format=fmt)
        titles = list(g.objects(URIRef(MEASURE), URIRef("http://purl.org/dc/terms/title")))
        assert [str(t) for t in titles] == ["坚持经济发展与就业协调联动"]


def test_unknown_iri_404(client: TestClient) -> None:
    r = client.get("/id/agency/does-not-exist", headers={"Accept": "text/turtle"})
    assert r.status_code == 404 and r.json()["status"] == 404


def test_ontology_served_at_namespace(client: TestClient) -> None:
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format="turtle")
    owl_class = URIRef("http://www.w3.org/2002/07/owl#Class")
    assert (URIRef("http://localhost:8000/ontology#Measure"), None, owl_class) in g
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert "pkg:Measure" in html.text


def test_non_default_base_mints_and_serves_own_iris(tmp_path: Path) -> None:
    test_client, store = make_app(tmp_path, base_iri="https://policy.example.org/kg")
    with test_client as c:
        m = c.get("/api/measures/jinan-2025-5/1").json()
        assert m["iri"] == "https://policy.example.org/kg/id/document/jinan-2025-5/measure/1"
        r = c.get("/id/document/jinan-2025-5/measure/1", headers={"Accept": "text/turtle"})
        assert r.status_code == 200
        assert "<https://policy.example.org/kg/id/document/jinan-2025-5/measure/1>" in r.text
        assert "localhost:8000" not in r.text
        ask = c.get("/sparql", params={"query": "ASK { ?m a pkg:Measure }"}).json()
        assert ask["boolean"] is True
    store.close()


def test_pages_render_and_escape(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200
    for label in ("济政发〔2025〕5号", "济南市人力资源和社会保障局", "残疾人", "/query", "/docs"):
        assert label in home.text
    hostile = client.get("/browse/measures", params={"q": "<script>alert(1)</script>"})
    assert hostile.status_code == 200
    assert "<script>alert(1)</script>" not in hostile.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile.text
    found = client.get("/browse/measures", params={"q": "残疾"})
    assert "帮扶城乡困难人员就业" in found.text


def test_docs_offline(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "policykg"


def test_head_dereferences_like_get(client: TestClient) -> None:
    """RFC 9110: HEAD where GET works (was 405), same status and headers, no body."""
    for path, accept in (
        ("/id/document/jinan-2025-5/measure/1", "text/turtle"),
        ("/id/document/jinan-2025-5/measure/1", "text/html"),
        ("/ontology", "application/n-triples"),
        ("/id/agency/does-not-exist", "text/turtle"),
    ):
        got = client.get(path, headers={"Accept": accept})
        head = client.head(path, headers={"Accept": accept})
        assert head.status_code == got.status_code and head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers.get("vary") == got.headers.get("vary")
