"""Corpus-wide answers kept by the writer (api/kept_answers.py, graph/catalog/kept.py): the
same bytes a request computes, served while the store is as they were made, never after a
write; a 503 with Retry-After while the refresher makes the new ones; `policykg load` makes
them. The corpus: the four chain documents, the second city's document and Jinan.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api import kept_answers, memo
from api.app import create_app
from api.cli import app as cli_app
from api.deps import WRITE_LOCK, notify_write
from api.routes.coordination import ENDPOINTS
from graph.catalog import kept
from graph.rdf.store import RdfStore
from graph.settings import Settings, get_settings
from loaders import extract_file
from tests.api.conftest import make_app
from tests.paths import ROOT

CHAIN = sorted((ROOT / "tests" / "fixtures" / "chain").glob("*.txt"))
SECOND_CITY = ROOT / "tests" / "fixtures" / "compare" / "city-shizhengfa-2024-8.txt"
#: 8 coordination endpoints × JSON and CSV × by agency and by function, and 3 views.
KEPT = 8 * 2 * 2 + 3
URLS = [
    f"/api/coordination{e.path}?by={by}" + ("&format=csv" if csv else "")
    for e in ENDPOINTS
    for by in ("agency", "function")
    for csv in (False, True)
] + ["/viz/accountability", "/viz/coresponsibility", "/viz/groups"]


def answers(client: TestClient) -> dict[str, tuple[int, str, bytes]]:
    found = {}
    for url in URLS:
        got = client.get(url)
        found[url] = (got.status_code, got.headers["content-type"], got.content)
    return found


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[tuple[Settings, RdfStore]]:
    client, store = make_app(tmp_path / "data", kept_answers_from=0)
    for path in [*CHAIN, SECOND_CITY]:
        store.load_document(extract_file(path))
    store.store.flush()
    yield client.app.state.settings, store  # type: ignore[attr-defined]
    store.close()


def test_kept_answers_are_the_computed_ones(
    corpus: tuple[Settings, RdfStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, store = corpus
    computed = answers(TestClient(create_app(settings, rdf_store=store)))
    assert len(URLS) == KEPT and {s for s, _t, _b in computed.values()} == {200}
    assert kept_answers.refresh(store, settings) == KEPT
    assert len(kept.names(answers_at(store))) == KEPT
    assert kept_answers.refresh(store, settings) == 0  # current: nothing to make again
    monkeypatch.setattr(memo, "ANALYSIS_LIMIT", 0)  # a request may no longer compute them
    client = TestClient(create_app(settings, rdf_store=store))
    served = answers(client)  # httpx asks for gzip and decodes it
    assert served == computed
    duties = "/api/coordination/duties?by=agency"
    zipped = client.get(duties, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept, Accept-Encoding"
    assert zipped.content == computed[duties][2]
    plain = client.get(duties, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == computed[duties][2]
    # a selection is still computed per request (the limit is for the whole corpus)
    assert (
        TestClient(create_app(settings, rdf_store=store))
        .get("/api/coordination/workload?document=shimen-2024-8")
        .status_code
        == 200
    )


def test_a_write_retires_them_until_the_refresher_made_new_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, store = make_app(tmp_path / "data", kept_answers_from=0)
    for path in CHAIN:
        store.load_document(extract_file(path))
    store.store.flush()
    settings: Settings = client.app.state.settings  # type: ignore[attr-defined]
    assert kept_answers.refresh(store, settings) == KEPT
    monkeypatch.setattr(memo, "ANALYSIS_LIMIT", 0)
    web = create_app(settings, rdf_store=store)
    web.state.refresher = refresher = kept_answers.Refresher(store, settings)
    with TestClient(web) as served:
        before = served.get("/api/coordination/workload").json()["items"]
        assert "石门市财政局" not in [r["label"] for r in before]  # the second city's agency
        with WRITE_LOCK:  # the refresher waits for the write to finish, as it does in uploads
            store.load_document(extract_file(SECOND_CITY))
            store.store.flush()
            notify_write(web.state)
            refresher.schedule()
            busy = served.get("/api/coordination/workload")
        assert busy.status_code == 503 and busy.headers["retry-after"] == "30"
        assert "being made after the last write" in busy.json()["detail"]
        assert refresher.wait(180)
        assert refresher.refreshed == 1  # in a child process over a checkpoint
        after = served.get("/api/coordination/workload")
        assert after.status_code == 200
        assert "石门市财政局" in [r["label"] for r in after.json()["items"]]
    monkeypatch.setattr(memo, "ANALYSIS_LIMIT", 5_000)
    fresh = TestClient(create_app(settings, rdf_store=store)).get("/api/coordination/workload")
    assert after.content == fresh.content
    assert not (store.path.parent / f"{store.path.name}.answers-checkpoint").exists()


def test_small_corpora_keep_none(corpus: tuple[Settings, RdfStore]) -> None:
    settings, store = corpus
    measures = memo.measure_count(store)
    assert (
        kept_answers.refresh(store, settings.model_copy(update={"kept_answers_from": measures + 1}))
        == 0
    )
    assert kept.names(answers_at(store)) == []


def test_policykg_load_keeps_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("POLICYKG_KEPT_ANSWERS_FROM", "1")
    get_settings.cache_clear()
    folder = tmp_path / "in"
    folder.mkdir()
    for path in CHAIN:
        (folder / path.name).write_bytes(path.read_bytes())
    try:
        result: Any = CliRunner().invoke(cli_app, ["load", str(folder), "--no-neo4j"])
        assert result.exit_code == 0, result.output
        assert f"kept {KEPT} corpus-wide answers for the web service" in result.output
        settings = get_settings()
    finally:
        get_settings.cache_clear()
    path = kept.location(settings.rdf_store_dir)
    assert path is not None and len(kept.names(path)) == KEPT


def test_a_damaged_file_counts_as_none(corpus: tuple[Settings, RdfStore]) -> None:
    settings, store = corpus
    assert kept_answers.refresh(store, settings) == KEPT
    path = answers_at(store)
    path.write_bytes(b"not a database" * 100)
    assert kept.key_of(path) is None and kept.names(path) == []
    answer = TestClient(create_app(settings, rdf_store=store)).get("/api/coordination/workload")
    assert answer.status_code == 200  # computed per request, as without kept answers
    assert kept_answers.refresh(store, settings) == KEPT  # and made again


def answers_at(store: RdfStore) -> Path:
    """Where the kept answers of ``store`` are."""
    path = kept.location(store.path)
    assert path is not None
    return path


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("gzip;q=0", False),
        ("identity", False),
        ("", False),
        ("*", True),
        ("deflate", False),
        ("GZIP", True),
        ("gzip;q=zero", False),
    ],
)
def test_accepts_gzip(header: str, expected: bool) -> None:
    assert kept_answers.accepts_gzip(header) is expected


def test_uploads_and_removals_schedule_a_refresh(tmp_path: Path) -> None:
    token = "kept-answers-test-token"
    client, store = make_app(tmp_path / "data", kept_answers_from=0, upload_token=token)
    settings: Settings = client.app.state.settings  # type: ignore[attr-defined]
    assert kept_answers.refresh(store, settings) == KEPT
    web = create_app(settings, rdf_store=store)
    web.state.refresher = refresher = kept_answers.Refresher(store, settings)
    auth = {"Authorization": f"Bearer {token}"}
    path = answers_at(store)
    with TestClient(web) as served:
        posted = served.post(
            "/api/documents",
            params={"name": SECOND_CITY.name},
            content=SECOND_CITY.read_bytes(),
            headers={"Content-Type": "text/plain", **auth},
        )
        assert posted.status_code == 201, posted.text
        assert refresher.wait(180) and refresher.refreshed == 1
        labels = [r["label"] for r in served.get("/api/coordination/workload").json()["items"]]
        assert "石门市财政局" in labels
        assert (
            served.delete(f"/api/documents/{posted.json()['id']}", headers=auth).status_code == 204
        )
        assert refresher.wait(180) and refresher.refreshed == 2
        labels = [r["label"] for r in served.get("/api/coordination/workload").json()["items"]]
        assert "石门市财政局" not in labels
    assert kept.key_of(path) is not None
    store.close()
