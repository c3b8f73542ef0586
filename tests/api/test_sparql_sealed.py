"""The public SPARQL endpoint is sealed: no updates, no SERVICE, FROM never fetches,
long queries stop at the time limit (and free the CPU), results stop at the row limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import make_app
from tests.canary import loopback_canary

SPARQL_QUERY = {"Content-Type": "application/sparql-query"}


@pytest.fixture()
def canary() -> Iterator[tuple[int, list[str]]]:
    with loopback_canary() as found:
        yield found


def test_updates_refused(client: TestClient) -> None:
    update = "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"
    for r in (
        client.get("/sparql", params={"query": update}),
        client.get("/sparql", params={"update": update}),
        client.post(
            "/sparql",
            content=f"update={update}".encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        client.post(
            "/sparql",
            content=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        ),
    ):
        assert r.status_code == 400 and r.json()["title"] == "Query refused", r.text
    ask = client.get("/sparql", params={"query": "ASK { <http://x/a> ?p ?o }"}).json()
    assert ask["boolean"] is False


def test_service_refused_before_any_request(
    client: TestClient, canary: tuple[int, list[str]]
) -> None:
    port, hits = canary
    q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    r = client.post("/sparql", content=q.encode(), headers=SPARQL_QUERY)
    assert r.status_code == 400 and "SERVICE" in r.json()["detail"]
    silent = f"SELECT * WHERE {{ service    SILENT <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}"
    assert client.post("/sparql", content=silent.encode(), headers=SPARQL_QUERY).status_code == 400
    assert hits == []


def test_service_in_comment_or_string_is_not_refused(client: TestClient) -> None:
    q = '# SERVICE <http://example.org/>\nSELECT ("SERVICE <x> {}" AS ?s) WHERE {}'
    r = client.post("/sparql", content=q.encode(), headers=SPARQL_QUERY)
    assert r.status_code == 200
    assert r.json()["results"]["bindings"][0]["s"]["value"] == "SERVICE <x> {}"


def test_from_never_fetches(client: TestClient, canary: tuple[int, list[str]]) -> None:
    port, hits = canary
    for clause in ("FROM", "FROM NAMED"):
        url = f"http://127.0.0.1:{port}/canary"
        q = f"SELECT (COUNT(*) AS ?n) {clause} <{url}> WHERE {{ ?s ?p ?o }}"
        r = client.post("/sparql", content=q.encode(), headers=SPARQL_QUERY)
        assert r.status_code == 200
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "0"
    q = f"SELECT * WHERE {{ GRAPH <http://127.0.0.1:{port}/g> {{ ?s ?p ?o }} }}"
    assert client.post("/sparql", content=q.encode(), headers=SPARQL_QUERY).status_code == 200
    assert hits == []


def test_from_selects_own_document_graph(client: TestClient) -> None:
    q = """SELECT (COUNT(?m) AS ?n) FROM <http://localhost:8000/id/graph/document/jinan-2025-5>
           WHERE { ?m a pkg:Measure }"""
    r = client.post("/sparql", content=q.encode(), headers=SPARQL_QUERY)
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "20"


@pytest.mark.slow
def test_time_limit_answers_503_and_frees_the_worker(tmp_path: Path) -> None:
    test_client, store = make_app(tmp_path, query_timeout_s=1.0)
    with test_client as c:
        warm = c.get("/sparql", params={"query": "ASK {}"})
        assert warm.status_code == 200
        service = c.app.state.sparql  # type: ignore[attr-defined]
        before = {w.process.pid for w in list(service._idle.queue)}
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        started = time.monotonic()
        r = c.post("/sparql", content=q.encode(), headers=SPARQL_QUERY)
        elapsed = time.monotonic() - started
        assert r.status_code == 503 and r.json()["title"] == "Query time limit exceeded"
        assert elapsed < 5
        after = {w.process.pid for w in list(service._idle.queue)}
        killed = before - after
        assert len(killed) == 1  # the busy worker was replaced, not left running
        for pid in killed:
            assert (
                not Path(f"/proc/{pid}").exists()
                or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
            )
        again = c.get("/sparql", params={"query": "SELECT (COUNT(?m) AS ?n) { ?m a pkg:Measure }"})
        assert again.status_code == 200
    store.close()


def test_row_limit_truncates_and_says_so(tmp_path: Path) -> None:
    test_client, store = make_app(tmp_path, query_row_limit=7)
    with test_client as c:
        r = c.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"})
        assert r.status_code == 200
        assert len(r.json()["results"]["bindings"]) == 7
        assert r.headers["X-Result-Truncated"] == "row limit 7 reached"
        small = c.get("/sparql", params={"query": "SELECT ?m WHERE { ?m a pkg:Measure } LIMIT 3"})
        assert "X-Result-Truncated" not in small.headers
    store.close()


def _fooled_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, sealed: bool) -> Any:
    """A worker pool whose guard lets everything through (as a guard bug would)."""
    import pyoxigraph as ox

    from graph.sparql import service as sparql_service
    from graph.sparql.guard import QueryShape

    tmp_path.mkdir()
    ox.Store(str(tmp_path / "store")).flush()
    monkeypatch.setattr(
        sparql_service,
        "inspect_query",
        lambda text: QueryShape(form="SELECT", has_dataset=False, text=text),
    )
    return sparql_service.SparqlService(
        tmp_path / "store", {}, timeout_s=20, row_limit=10, workers=1, sealed=sealed
    )


def test_a_fooled_guard_still_cannot_reach_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, canary: tuple[int, list[str]]
) -> None:
    from ontology.errors import QueryRefused

    port, hits = canary
    q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    unsealed = _fooled_service(tmp_path / "open", monkeypatch, sealed=False)
    try:  # the control: without the seal the engine calls out (and fails on the reply)
        with pytest.raises(QueryRefused):
            unsealed.execute(q, None)
    finally:
        unsealed.close()
    assert hits == ["/sparql"]
    sealed = _fooled_service(tmp_path / "sealed", monkeypatch, sealed=True)
    try:
        with pytest.raises(QueryRefused, match="the query failed"):
            sealed.execute(q, None)
        silent = q.replace("SERVICE", "SERVICE SILENT")
        assert b"bindings" in sealed.execute(silent, None).body
    finally:
        sealed.close()
    assert hits == ["/sparql"]


@pytest.mark.parametrize("form", ["SELECT *", "ASK", "CONSTRUCT { ?s ?p ?o }"])
def test_service_after_a_cr_ended_comment_is_refused_on_every_route(
    client: TestClient, canary: tuple[int, list[str]], form: str
) -> None:
    port, hits = canary
    q = f"{form} WHERE {{ #x\rSERVICE <http://127.0.0.1:{port}/anything> {{ ?s ?p ?o }} }}"
    for r in (
        client.get("/sparql", params={"query": q}),
        client.post("/sparql", data={"query": q}),
        client.post("/sparql", content=q.encode(), headers=SPARQL_QUERY),
    ):
        assert r.status_code == 400, r.text
        assert "SERVICE" in r.json()["detail"]
    assert hits == []
