"""Uploads and removals do not stall SPARQL (issue #10 point 3), over HTTP.

Before: every write killed and restarted every query worker (about 2 s each), so SPARQL
requests during a stream of uploads got 503. Now the workers reopen a new checkpoint in place;
a failed upload changes nothing, not even the workers' generation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.deps import write_generation
from ontology.errors import StoreError
from tests.api.test_upload import AUTH, JINAN, make_app

MEASURES = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure }"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    test_client, store = make_app(tmp_path)
    with test_client:
        yield test_client
    store.close()


def _measures(client: TestClient) -> tuple[int, int]:
    r = client.get("/sparql", params={"query": MEASURES}, headers=JSON)
    if r.status_code != 200:
        return r.status_code, -1
    return 200, int(r.json()["results"]["bindings"][0]["n"]["value"])


def _upload(client: TestClient, data: bytes) -> int:
    r = client.post(
        "/api/documents?name=jinan-2025-5.txt",
        content=data,
        headers={**AUTH, "Content-Type": "text/plain"},
    )
    return r.status_code


def _worker_pids(client: TestClient) -> set[int]:
    service = client.app.state.sparql  # type: ignore[attr-defined]
    return {w.process.pid for w in service._all}


def test_a_failed_upload_invalidates_nothing(client: TestClient) -> None:
    assert _measures(client) == (200, 0)
    pids, generation = _worker_pids(client), write_generation(client.app.state)  # type: ignore[attr-defined]
    assert _upload(client, "没有任何措施的文本。".encode()) == 422
    assert write_generation(client.app.state) == generation  # type: ignore[attr-defined]
    assert client.app.state.sparql._generation == 0  # type: ignore[attr-defined]
    assert _worker_pids(client) == pids


def test_a_write_that_failed_and_rolled_back_invalidates_nothing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure inside the two-store write (Neo4j failing mid-way: the pipeline restores the
    RDF graphs and raises) leaves the REST cache generation and the workers as they were."""
    from api.routes import documents

    def failing_load(*_args: object, **_kwargs: object) -> None:
        raise StoreError("the Neo4j write failed, so the RDF store was rolled back")

    assert _measures(client) == (200, 0)
    pids, generation = _worker_pids(client), write_generation(client.app.state)  # type: ignore[attr-defined]
    monkeypatch.setattr(documents.pipeline, "load_extraction", failing_load)
    assert _upload(client, JINAN.read_bytes()) == 500
    assert write_generation(client.app.state) == generation  # type: ignore[attr-defined]
    assert client.app.state.sparql._generation == 0  # type: ignore[attr-defined]
    assert _worker_pids(client) == pids


def test_sparql_answers_during_uploads_and_removals(client: TestClient) -> None:
    assert _measures(client) == (200, 0)
    pids = _worker_pids(client)
    data = JINAN.read_bytes()
    write_status: list[int] = []
    answers: list[tuple[int, int]] = []
    done = threading.Event()

    def writer() -> None:
        for _ in range(4):
            write_status.append(_upload(client, data))
            write_status.append(
                client.delete("/api/documents/jinan-2025-5", headers=AUTH).status_code
            )
        write_status.append(_upload(client, data))
        done.set()

    def reader() -> None:
        while not done.is_set():
            answers.append(_measures(client))

    threads = [threading.Thread(target=writer)] + [
        threading.Thread(target=reader) for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert write_status == [201, 204] * 4 + [201]
    assert answers and {status for status, _ in answers} == {200}
    assert {n for _, n in answers} <= {0, 20}  # a document is all there or not at all
    assert _measures(client) == (200, 20)  # the last upload is visible
    assert _worker_pids(client) == pids  # no worker was restarted by the 9 writes
