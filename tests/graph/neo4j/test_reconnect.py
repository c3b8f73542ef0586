"""The service picks Neo4j up whenever it answers, and never shows web clients its address.

Researchers start the service and Neo4j in either order: a Neo4j that is down at first (or
goes away) must not need a service restart, and a burst of requests against a dead server
must not turn into a burst of connection attempts. The 503 body must not name NEO4J_URI
(an internal host and port); the server log does.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import NEO4J_UNAVAILABLE
from graph.neo4j.connection import Neo4jHandle, connect
from graph.rdf.store import RdfStore
from graph.settings import Settings
from ontology.errors import SetupError, StoreUnavailable
from ontology.iris import Iris
from tests.paths import ROOT

BASE = "http://localhost:8000"
TOKEN = "reconnect-token"
JINAN = ROOT / "data" / "jinan-2025-5.txt"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeDriver:
    def __init__(self) -> None:
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


class FlakyConnect:
    """``connect`` that fails its first ``failures`` calls, then answers ``then(settings)``."""

    def __init__(self, failures: int, then: Any, error: type[Exception] = StoreUnavailable):
        self.failures, self.then, self.error = failures, then, error
        self.calls = 0

    def __call__(self, settings: Settings) -> Any:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error("Neo4j is not reachable at bolt://db.internal:7999 (refused)")
        return self.then(settings)


@pytest.fixture
def unreachable(tmp_path: Path) -> Iterator[tuple[TestClient, RdfStore, str]]:
    """An app whose settings name a Bolt port where nothing listens (its own handle)."""
    address = f"127.0.0.1:{free_port()}"
    settings = Settings(
        data_dir=tmp_path, base_iri=BASE, neo4j_uri=f"bolt://{address}", upload_token=TOKEN
    )
    store = RdfStore.open(tmp_path / "oxigraph", Iris(BASE))
    with TestClient(create_app(settings, rdf_store=store)) as client:
        yield client, store, address
    store.close()


# --- in-process, no server ------------------------------------------------------------------


def test_unreachable_neo4j_is_503_without_its_address(
    unreachable: tuple[TestClient, RdfStore, str], caplog: pytest.LogCaptureFixture
) -> None:
    client, _, address = unreachable
    with caplog.at_level(logging.WARNING, logger="policykg"):
        posted = client.post("/cypher", json={"query": "RETURN 1"})
    got = client.get("/cypher", params={"query": "RETURN 1"})
    for response in (posted, got):
        assert response.status_code == 503
        assert response.json() == {
            "type": "about:blank",
            "title": "Store unavailable",
            "status": 503,
            "detail": NEO4J_UNAVAILABLE,
        }
        assert address not in response.text
    assert "policykg neo4j start" in NEO4J_UNAVAILABLE
    assert "no restart needed" in NEO4J_UNAVAILABLE
    # The operator finds the address and the reason in the server log.
    warnings = [r.getMessage() for r in caplog.records if r.name == "policykg"]
    assert len(warnings) == 1
    assert f"Neo4j is not reachable at bolt://{address}" in warnings[0]


def test_unreachable_neo4j_refuses_uploads_without_its_address(
    unreachable: tuple[TestClient, RdfStore, str],
) -> None:
    client, store, address = unreachable
    response = client.post(
        "/api/documents",
        params={"name": "jinan-2025-5.txt"},
        content=JINAN.read_bytes(),
        headers={"Content-Type": "text/plain", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 503
    assert response.json()["detail"] == (
        "documents cannot be loaded or removed now: both stores are written together. "
        + NEO4J_UNAVAILABLE
    )
    assert address not in response.text
    assert store.document_ids() == []


# --- the handle, with an injected connect and clock ------------------------------------------


def test_handle_retries_only_after_the_back_off_then_keeps_the_driver(tmp_path: Path) -> None:
    clock, driver = Clock(), FakeDriver()
    flaky = FlakyConnect(failures=1, then=lambda _s: driver)
    handle = Neo4jHandle(
        Settings(data_dir=tmp_path), retry_after_s=3.0, connect_fn=flaky, clock=clock
    )
    with pytest.raises(StoreUnavailable, match=r"not reachable at bolt://db\.internal:7999"):
        handle.driver()
    assert handle.last_failure is not None
    clock.now += 2.9  # inside the back-off: the remembered failure, no new attempt
    with pytest.raises(StoreUnavailable, match=r"not reachable at bolt://db\.internal:7999"):
        handle.driver()
    assert flaky.calls == 1
    clock.now += 0.1
    assert handle.driver() is driver
    assert flaky.calls == 2
    assert handle.last_failure is None
    clock.now += 3600  # connected: kept, never reconnected by us (the driver does that)
    assert handle.driver() is driver
    assert flaky.calls == 2


def test_a_burst_against_a_dead_server_makes_one_attempt(tmp_path: Path) -> None:
    calls = 0

    def slow_failing_connect(_settings: Settings) -> Any:
        nonlocal calls
        calls += 1
        time.sleep(0.2)
        raise StoreUnavailable("Neo4j is not reachable at bolt://db.internal:7999")

    handle = Neo4jHandle(Settings(data_dir=tmp_path), connect_fn=slow_failing_connect)
    failed: list[str] = []

    def request() -> None:
        try:
            handle.driver()
        except StoreUnavailable as exc:
            failed.append(exc.detail)

    threads = [threading.Thread(target=request) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == 1
    assert failed == ["Neo4j is not reachable at bolt://db.internal:7999"] * 16


def test_a_setup_error_is_remembered_as_unavailable(tmp_path: Path) -> None:
    clock = Clock()
    flaky = FlakyConnect(failures=5, then=lambda _s: FakeDriver(), error=SetupError)
    handle = Neo4jHandle(Settings(data_dir=tmp_path), connect_fn=flaky, clock=clock)
    for _ in range(3):
        with pytest.raises(StoreUnavailable):
            handle.driver()
    assert flaky.calls == 1


def test_close_closes_only_the_driver_the_handle_opened(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    opened = FakeDriver()
    own = Neo4jHandle(settings, connect_fn=lambda _s: opened)
    assert own.driver() is opened
    own.close()
    own.close()
    assert opened.closed == 1
    with pytest.raises(StoreUnavailable, match="closed"):
        own.driver()
    given = FakeDriver()
    wrapped = Neo4jHandle.of(given, settings)  # type: ignore[arg-type]
    assert wrapped.driver() is given
    wrapped.close()
    assert given.closed == 0


# --- against the real server ----------------------------------------------------------------


def test_app_answers_cypher_once_neo4j_answers_without_restart(
    neo4j_driver: Any, settings: Settings, tmp_path: Path
) -> None:
    """The handle's first attempt fails (as if Neo4j were still starting); after the
    back-off the same app answers with the real server."""
    clock = Clock()
    flaky = FlakyConnect(failures=1, then=connect)
    handle = Neo4jHandle(settings, retry_after_s=3.0, connect_fn=flaky, clock=clock)
    store = RdfStore.open(tmp_path / "oxigraph", Iris(BASE))
    app = create_app(settings.model_copy(update={"base_iri": BASE}), rdf_store=store, neo4j=handle)
    try:
        with TestClient(app) as client:
            query = {"query": "RETURN 1 AS one"}
            first = client.post("/cypher", json=query)
            assert first.status_code == 503
            assert first.json()["detail"] == NEO4J_UNAVAILABLE
            assert "db.internal" not in first.text
            clock.now += 1.0
            assert client.post("/cypher", json=query).status_code == 503
            assert flaky.calls == 1
            clock.now += 2.0
            answer = client.post("/cypher", json=query)
            assert answer.status_code == 200, answer.text
            assert (answer.json()["columns"], answer.json()["rows"]) == (["one"], [[1]])
            again = client.get("/cypher", params={"query": "RETURN 2 AS two"})
            assert again.json()["rows"] == [[2]]
            assert flaky.calls == 2
    finally:
        handle.close()
        store.close()
