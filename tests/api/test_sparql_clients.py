"""Standard clients (SPARQLWrapper, rdflib SPARQLStore) against a real uvicorn server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.api.conftest import make_app
from tests.live_server import serving


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    test_client, store = make_app(Path(tmp_path_factory.mktemp("clients")))
    with serving(test_client.app) as base:
        yield f"{base}/sparql"
    store.close()


def test_sparqlwrapper_get_and_post(endpoint: str) -> None:
    for method in ("GET", "POST"):
        sw = SPARQLWrapper(endpoint)
        sw.setMethod(method)
        sw.setReturnFormat(JSON)
        sw.setQuery("SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure }")
        result = sw.queryAndConvert()
        assert result["results"]["bindings"][0]["n"]["value"] == "20"  # type: ignore[index]


def test_rdflib_sparqlstore(endpoint: str) -> None:
    g = Graph(store=SPARQLStore(endpoint, returnFormat="xml"))
    rows = list(
        g.query(
            "SELECT ?t WHERE { <http://localhost:8000/id/document/jinan-2025-5/measure/1> "
            "<http://purl.org/dc/terms/title> ?t }"
        )
    )
    assert [str(r[0]) for r in rows] == ["坚持经济发展与就业协调联动"]
