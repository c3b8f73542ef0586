"""Loading and removing documents over HTTP: token, size limit, bad documents, both stores.

Each refusal must leave the RDF store (all quads) and Neo4j (counts, properties) as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.rdf.store import RdfStore
from graph.settings import Settings
from loaders import extract_file
from ontology.iris import Iris
from tests.paths import ROOT

JINAN = ROOT / "data" / "jinan-2025-5.txt"
BASE = "http://localhost:8000"
TOKEN = "s3cret-upload-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def quads(store: RdfStore) -> set[str]:
    return {str(q) for q in store.store.quads_for_pattern(None, None, None, None)}


def make_app(tmp_path: Path, driver: Any = None, **overrides: Any) -> tuple[TestClient, RdfStore]:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "base_iri": BASE,
        "neo4j_uri": None,
        "upload_token": TOKEN,
        "upload_max_bytes": 200_000,
        **overrides,
    }
    settings = Settings(**values)
    store = RdfStore.open(tmp_path / "oxigraph", Iris(BASE))
    return TestClient(create_app(settings, rdf_store=store, neo4j_driver=driver)), store


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[TestClient, RdfStore]]:
    client, store = make_app(tmp_path)
    with client:
        yield client, store
    store.close()


def upload(
    client: TestClient,
    data: bytes,
    headers: dict[str, str] | None = None,
    name: str = "jinan-2025-5.txt",
    media: str = "text/plain",
) -> Any:
    return client.post(
        "/api/documents",
        params={"name": name},
        content=data,
        headers={"Content-Type": media, **(headers if headers is not None else AUTH)},
    )


def test_good_upload_returns_the_summary(app: tuple[TestClient, RdfStore]) -> None:
    client, store = app
    response = upload(client, JINAN.read_bytes())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"] == "jinan-2025-5"
    assert body["iri"] == f"{BASE}/id/document/jinan-2025-5"
    assert body["doc_number"] == "济政发〔2025〕5号"
    assert body["source_name"] == "jinan-2025-5.txt"
    assert (body["chapters"], body["measures"]) == (6, 20)
    # Counted by hand from the twenty 责任单位 clauses of the document.
    assert (body["responsibilities"], body["agencies"]) == (66, 21)
    extraction = extract_file(JINAN)
    groups = {g.id for m in extraction.measures for g in m.target_groups}
    programs = {p.id for m in extraction.measures for p in m.programs}
    assert (body["target_groups"], body["programs"]) == (len(groups), len(programs))
    assert body["programs"] > 0 and body["target_groups"] > 0
    assert response.headers["location"] == "/api/documents/jinan-2025-5"
    assert (body["status"], body["stores"]) == ("loaded", ["rdf"])
    again = upload(client, JINAN.read_bytes()).json()
    assert (again["status"], again["stores"]) == ("unchanged", [])
    assert client.get("/api/documents/jinan-2025-5").status_code == 200
    assert store.document_ids() == ["jinan-2025-5"]
    assert store.counts()["measures"] == 20


def test_upload_is_disabled_without_a_configured_token(tmp_path: Path) -> None:
    client, store = make_app(tmp_path, upload_token=None)
    with client:
        before = quads(store)
        response = upload(client, JINAN.read_bytes())
        assert response.status_code == 403
        assert "POLICYKG_UPLOAD_TOKEN" in response.json()["detail"]
        assert client.delete("/api/documents/jinan-2025-5", headers=AUTH).status_code == 403
        assert quads(store) == before
    store.close()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Bearer {TOKEN}x"},
    ],
)
def test_missing_or_wrong_token_is_401(
    app: tuple[TestClient, RdfStore], headers: dict[str, str]
) -> None:
    client, store = app
    before = quads(store)
    response = upload(client, JINAN.read_bytes(), headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert TOKEN not in response.text
    assert client.delete("/api/documents/jinan-2025-5", headers=headers).status_code == 401
    assert quads(store) == before


def test_oversized_body_is_413_also_without_content_length(tmp_path: Path) -> None:
    client, store = make_app(tmp_path, upload_max_bytes=1000)
    data = JINAN.read_bytes()
    assert len(data) > 1000
    with client:
        before = quads(store)
        declared = upload(client, data)
        assert declared.status_code == 413
        assert "1000 bytes" in declared.json()["detail"]

        def chunks() -> Iterator[bytes]:  # streamed: no Content-Length to trust
            for start in range(0, len(data), 256):
                yield data[start : start + 256]

        streamed = client.post(
            "/api/documents",
            params={"name": "x.txt"},
            content=chunks(),
            headers={"Content-Type": "text/plain", **AUTH},
        )
        assert streamed.status_code == 413
        lying = upload(client, data, headers={**AUTH, "Content-Length": "10"})
        assert lying.status_code in (400, 413)
        assert quads(store) == before
    store.close()


def test_unparsable_document_is_422_and_changes_nothing(app: tuple[TestClient, RdfStore]) -> None:
    client, store = app
    assert upload(client, JINAN.read_bytes()).status_code == 201
    before = quads(store)
    response = upload(client, "这只是一段普通的文字，没有任何措施。\n".encode(), name="note.txt")
    assert response.status_code == 422
    problem = response.json()
    assert problem["title"] == "Document cannot be extracted"
    assert "note.txt" in problem["detail"]
    assert quads(store) == before


def test_unsupported_media_type_is_415(app: tuple[TestClient, RdfStore]) -> None:
    client, store = app
    response = upload(client, b"%PDF-1.4", media="application/pdf")
    assert response.status_code == 415
    assert "text/plain" in response.json()["detail"]
    assert store.document_ids() == []


def test_multipart_upload_and_path_free_names(app: tuple[TestClient, RdfStore]) -> None:
    client, store = app
    response = client.post(
        "/api/documents",
        files={"file": ("../../etc/济南 5号.txt", JINAN.read_bytes(), "text/plain")},
        headers=AUTH,
    )
    assert response.status_code == 201, response.text
    assert response.json()["source_name"] == "济南_5号.txt"
    assert store.document_ids() == ["jinan-2025-5"]


def test_delete_removes_and_unknown_is_404(app: tuple[TestClient, RdfStore]) -> None:
    client, store = app
    assert upload(client, JINAN.read_bytes()).status_code == 201
    response = client.delete("/api/documents/jinan-2025-5", headers=AUTH)
    assert response.status_code == 204
    assert response.content == b""
    assert store.document_ids() == []
    assert store.counts()["measures"] == 0
    missing = client.delete("/api/documents/jinan-2025-5", headers=AUTH)
    assert missing.status_code == 404
    assert "jinan-2025-5" in missing.json()["detail"]


def test_uploaded_document_is_queryable_by_sparql(app: tuple[TestClient, RdfStore]) -> None:
    client, _ = app
    query = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure ; pkg:inDocument ?d }"
    accept = {"Accept": "application/sparql-results+json"}

    def measures() -> int:
        response = client.get("/sparql", params={"query": query}, headers=accept)
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    assert measures() == 0
    assert upload(client, JINAN.read_bytes()).status_code == 201
    assert measures() == 20
    assert client.delete("/api/documents/jinan-2025-5", headers=AUTH).status_code == 204
    assert measures() == 0
