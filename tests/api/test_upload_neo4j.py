"""Uploads against the REAL Neo4j: both stores gain, lose, or keep a document together."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j.exceptions import ServiceUnavailable

from api.app import create_app
from graph.rdf.store import RdfStore
from graph.settings import Settings
from ontology.iris import Iris
from tests.api.test_cypher_endpoint import graph_fingerprint
from tests.api.test_upload import AUTH, BASE, JINAN, TOKEN, quads, upload
from tests.graph.neo4j.test_server import free_port

pytestmark = pytest.mark.neo4j
MEASURES_CYPHER = "MATCH (m:Measure {document: $doc}) RETURN count(m) AS n"
MEASURES_SPARQL = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure }"


def make(tmp_path: Path, driver: Any, **overrides: Any) -> tuple[TestClient, RdfStore]:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "base_iri": BASE,
        "neo4j_uri": "bolt://127.0.0.1:7687",  # only marks Neo4j as configured here
        "upload_token": TOKEN,
        "upload_max_bytes": 200_000,
        "cypher_timeout_s": 5.0,
        **overrides,
    }
    store = RdfStore.open(tmp_path / "oxigraph", Iris(BASE))
    app = create_app(Settings(**values), rdf_store=store, neo4j_driver=driver)
    return TestClient(app), store


@pytest.fixture
def app(neo4j: Any, tmp_path: Path) -> Iterator[tuple[TestClient, RdfStore]]:
    client, store = make(tmp_path, neo4j)
    with client:
        yield client, store
    store.close()


def counts(client: TestClient) -> tuple[int, int]:
    """Measures of the Jinan document as SPARQL and Cypher see them, through the service."""
    sparql = client.get(
        "/sparql",
        params={"query": MEASURES_SPARQL},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert sparql.status_code == 200, sparql.text
    cypher = client.post(
        "/cypher", json={"query": MEASURES_CYPHER, "parameters": {"doc": "jinan-2025-5"}}
    )
    assert cypher.status_code == 200, cypher.text
    return int(sparql.json()["results"]["bindings"][0]["n"]["value"]), cypher.json()["rows"][0][0]


def test_upload_is_queryable_by_sparql_and_cypher_and_delete_removes_both(
    app: tuple[TestClient, RdfStore],
) -> None:
    client, _ = app
    assert counts(client) == (0, 0)
    response = upload(client, JINAN.read_bytes())
    assert response.status_code == 201
    assert response.json()["stores"] == ["rdf", "neo4j"]
    assert counts(client) == (20, 20)
    agencies = client.post(
        "/cypher",
        json={
            "query": "MATCH (a:Agency)-[r:RESPONSIBLE_FOR]->(:Measure {document: $doc, "
            "ordinal: 5}) RETURN a.name ORDER BY r.rank LIMIT 1",
            "parameters": {"doc": "jinan-2025-5"},
        },
    )
    assert agencies.json()["rows"] == [["济南市人力资源和社会保障局"]]
    assert client.delete("/api/documents/jinan-2025-5", headers=AUTH).status_code == 204
    assert counts(client) == (0, 0)
    assert client.delete("/api/documents/jinan-2025-5", headers=AUTH).status_code == 404


def test_refused_uploads_change_neither_store(app: tuple[TestClient, RdfStore], neo4j: Any) -> None:
    client, store = app
    assert upload(client, JINAN.read_bytes()).status_code == 201
    rdf_before, neo_before = quads(store), graph_fingerprint(neo4j)
    changed = JINAN.read_bytes().replace("促进高质量".encode(), "促进更高质量".encode())
    assert upload(client, changed, headers={}).status_code == 401
    assert upload(client, changed, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert upload(client, changed * 40).status_code == 413
    assert upload(client, "没有措施的文字。".encode(), name="bad.txt").status_code == 422
    assert client.delete("/api/documents/jinan-2025-5", headers={}).status_code == 401
    assert quads(store) == rdf_before
    assert graph_fingerprint(neo4j) == neo_before


class _FailingTx:
    """A real transaction that loses the server after ``ok`` statements (mid-document)."""

    def __init__(self, tx: Any, ok: int) -> None:
        self._tx, self._left = tx, ok

    def run(self, *args: Any, **kwargs: Any) -> Any:
        if self._left <= 0:
            raise ServiceUnavailable("connection lost (injected by the test)")
        self._left -= 1
        return self._tx.run(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tx, name)


class _FailingSession:
    def __init__(self, session: Any, ok: int) -> None:
        self._session, self._ok = session, ok

    def begin_transaction(self, *args: Any, **kwargs: Any) -> _FailingTx:
        return _FailingTx(self._session.begin_transaction(*args, **kwargs), self._ok)

    def __enter__(self) -> _FailingSession:
        self._session.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._session.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class _FailingDriver:
    """Wraps the real driver: every write transaction fails after a few statements."""

    def __init__(self, driver: Any, ok: int) -> None:
        self._driver, self._ok = driver, ok

    def session(self, *args: Any, **kwargs: Any) -> _FailingSession:
        return _FailingSession(self._driver.session(*args, **kwargs), self._ok)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


def test_neo4j_failing_mid_write_leaves_both_stores_as_before(neo4j: Any, tmp_path: Path) -> None:
    good, store = make(tmp_path, neo4j)
    with good:
        assert upload(good, JINAN.read_bytes()).status_code == 201
    rdf_before, neo_before = quads(store), graph_fingerprint(neo4j)
    store.close()
    changed = JINAN.read_bytes().replace("促进高质量".encode(), "促进更高质量".encode())
    failing, store = make(tmp_path, _FailingDriver(neo4j, ok=3))
    with failing:
        response = upload(failing, changed)
        assert response.status_code == 503, response.text
        assert "Rolled back" in response.json()["detail"]
        assert quads(store) == rdf_before
        assert graph_fingerprint(neo4j) == neo_before
    store.close()


def test_configured_but_absent_neo4j_refuses_writes(tmp_path: Path) -> None:
    # No driver given: the app connects itself, to a port where nothing listens.
    client, store = make(tmp_path, None, neo4j_uri=f"bolt://127.0.0.1:{free_port()}")
    with client:
        response = upload(client, JINAN.read_bytes())
        assert response.status_code == 503
        assert "policykg neo4j start" in response.json()["detail"]
        assert store.document_ids() == []
    store.close()
