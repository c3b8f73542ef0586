"""What one request to a public page may cost (issue 10, point 5): parameters refused before the
network is read, analyses and pages made once per write generation and kept, and selections
too large for a meeting plan or a view refused with a 422 that says so."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import api.memo
from api.app import create_app
from api.deps import notify_write
from api.memo import GenerationMemo
from api.routes import coordination
from graph.analysis import network as analysis_network
from graph.catalog import corpus as catalog_corpus
from graph.rdf.store import RdfStore
from graph.settings import Settings
from tests.graph.analysis.builders import DOC, IRIS, SMALL, make_extraction
from viz import bounds

PAGES = ("/viz/accountability", "/viz/coresponsibility", "/viz/groups")


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, int | None]]:
    """Every network the app builds, as (document, chapter)."""
    calls: list[tuple[str | None, int | None]] = []

    def counting(store: Any, document: str | None = None, chapter: int | None = None) -> Any:
        calls.append((document, chapter))
        return analysis_network.build_network(store, document=document, chapter=chapter)

    monkeypatch.setattr(api.memo, "build_network", counting)
    return calls


@pytest.fixture
def app_store(tmp_path: Path) -> Iterator[tuple[TestClient, RdfStore]]:
    store = RdfStore.open(None, IRIS)
    store.ensure_vocabularies()
    store.load_document(make_extraction([tuple(r) for r in SMALL]))
    settings = Settings(data_dir=tmp_path, base_iri=IRIS.base, neo4j_uri=None)
    with TestClient(create_app(settings, rdf_store=store)) as client:
        yield client, store
    store.close()


@pytest.fixture
def client(app_store: tuple[TestClient, RdfStore]) -> TestClient:
    return app_store[0]


def test_ego_parameters_are_refused_before_the_network_is_read(
    client: TestClient, built: list[tuple[str | None, int | None]]
) -> None:
    assert client.get("/viz/ego").status_code == 422
    both = client.get("/viz/ego", params={"agency": "agency-a", "measure": f"{DOC}/measure/1"})
    assert both.status_code == 422 and "exactly one of agency or measure" in both.text
    assert client.get("/viz/sankey").status_code == 422
    assert client.get("/viz/ego", params={"chapter": 1}).status_code == 422
    assert built == []
    assert client.get("/viz/ego", params={"agency": "nobody"}).status_code == 404
    assert built == [(None, None)]


def test_one_network_per_selection_and_write(
    app_store: tuple[TestClient, RdfStore], built: list[tuple[str | None, int | None]]
) -> None:
    client, store = app_store
    for path in ("/api/coordination/workload", "/api/coordination/coverage", *PAGES):
        assert client.get(path).status_code == 200
        assert client.get(path).status_code == 200
    assert client.get("/viz/ego", params={"agency": "agency-a"}).status_code == 200
    assert client.get("/api/coordination/duties", params={"format": "csv"}).status_code == 200
    assert built == [(None, None)]
    assert client.get("/api/coordination/workload", params={"document": DOC}).status_code == 200
    assert built == [(None, None), (DOC, None)]
    items = client.get("/api/coordination/workload").json()["items"]
    assert len(items) == 5  # agencies A to E
    store.remove_document(DOC)
    notify_write(client.app.state)  # type: ignore[attr-defined]
    assert client.get("/api/coordination/workload").json()["items"] == []
    assert built == [(None, None), (DOC, None), (None, None)]


def test_kept_answers_are_the_same_bytes(client: TestClient) -> None:
    for params in ({}, {"format": "csv"}):
        first = client.get("/api/coordination/assignments", params=params)
        again = client.get("/api/coordination/assignments", params=params)
        assert first.status_code == again.status_code == 200
        assert first.content == again.content
        assert first.headers["content-type"] == again.headers["content-type"]
    csv = client.get("/api/coordination/assignments", params={"format": "csv"})
    assert csv.headers["content-disposition"] == 'attachment; filename="assignments.csv"'
    assert csv.headers["vary"] == "Accept"
    json_answer = client.get("/api/coordination/assignments")
    assert json_answer.headers["content-type"] == "application/json"
    assert len(json_answer.json()["items"]) == 6


def test_meeting_plan_input_is_bounded(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coordination, "MEETING_LIMIT", 5)
    refused = client.get("/api/coordination/meetings")
    assert refused.status_code == 422
    assert "6 measures with agencies" in refused.text and "at most 5" in refused.text
    chapter = client.get("/api/coordination/meetings", params={"document": DOC, "chapter": 2})
    assert chapter.status_code == 200  # m4, m5, m6: A and D, D and E, A
    assert chapter.json()["slot_count"] == 2


def test_views_are_bounded(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounds, "VIEW_LIMIT", 5)
    refused = client.get("/viz/accountability")
    assert refused.status_code == 422 and "6 measures" in refused.text
    assert "at most 5" in refused.text
    assert client.get("/viz/accountability", params={"agency": "agency-a"}).status_code == 200
    assert client.get("/viz/coresponsibility").status_code == 200  # 5 agencies
    monkeypatch.setattr(bounds, "VIEW_LIMIT", 4)
    assert client.get("/viz/coresponsibility").status_code == 200  # kept until a write
    notify_write(client.app.state)  # type: ignore[attr-defined]
    assert client.get("/viz/coresponsibility").status_code == 422


def test_home_page_is_made_once_per_write(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = catalog_corpus.document_page  # the home's document list (from the summaries)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(catalog_corpus, "document_page", counting)
    first = client.get("/")
    assert first.status_code == 200 and client.get("/").text == first.text
    assert len(calls) == 1
    notify_write(client.app.state)  # type: ignore[attr-defined]
    assert client.get("/").status_code == 200
    assert len(calls) == 2


def test_concurrent_misses_compute_once() -> None:
    memo = GenerationMemo(entries=4)
    calls: list[int] = []
    start = threading.Barrier(8)
    results: list[str] = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "value"

    def ask() -> None:
        start.wait()
        results.append(memo.get("key", 0, slow))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["value"] * 8 and len(calls) == 1


def test_failed_computations_are_not_kept() -> None:
    memo = GenerationMemo(entries=4)

    def fail() -> str:
        raise KeyError("x")

    with pytest.raises(KeyError):
        memo.get("key", 0, fail)
    assert memo.get("key", 0, lambda: "ok") == "ok"


def test_corpus_wide_analyses_are_bounded(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, built: list[tuple[str | None, int | None]]
) -> None:
    monkeypatch.setattr(api.memo, "ANALYSIS_LIMIT", 5)
    for path in ("/api/coordination/workload", "/viz/accountability"):
        refused = client.get(path)
        assert refused.status_code == 422
        assert "the whole corpus has 6 measures" in refused.text and "5 at once" in refused.text
    assert built == []  # refused before the network is read
    one = client.get("/api/coordination/workload", params={"document": DOC})
    assert one.status_code == 200 and len(one.json()["items"]) == 5
    assert client.get("/viz/accountability", params={"document": DOC}).status_code == 200
    ego = client.get("/viz/ego", params={"measure": f"{DOC}/measure/2"})  # names its document
    assert ego.status_code == 200 and "共同推进见习" in ego.text
    assert built == [(DOC, None)]
    assert client.get("/viz/ego", params={"agency": "agency-a"}).status_code == 422
