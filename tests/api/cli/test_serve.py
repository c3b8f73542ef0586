"""`policykg serve` on an empty data directory loads the bundled document and prints the address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.rdf.store import RdfStore
from graph.settings import get_settings
from ontology.iris import Iris


def serve_without_neo4j(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings for `policykg serve` on ``tmp_path``, with no Neo4j configured."""
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("POLICYKG_NEO4J_URI", raising=False)
    get_settings.cache_clear()


def test_serve_bootstraps_empty_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serve_without_neo4j(tmp_path, monkeypatch)
    seen: dict[str, Any] = {}

    def fake_run(web: Any, host: str, port: int, log_level: str) -> None:
        seen.update(host=host, port=port, paths=set(web.openapi()["paths"]))

    monkeypatch.setattr("uvicorn.run", fake_run)
    try:
        result = CliRunner().invoke(app, ["serve", "--port", "8765"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8765/" in result.output
    assert "jinan-2025-5" in result.output
    assert seen["port"] == 8765 and {"/sparql", "/api/measures"} <= seen["paths"]
    with RdfStore.open(tmp_path / "oxigraph", Iris("http://localhost:8000")) as store:
        assert store.document_ids() == ["jinan-2025-5"]


def test_serve_makes_the_kept_answers_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph.catalog import kept

    monkeypatch.setenv("POLICYKG_KEPT_ANSWERS_FROM", "1")  # Jinan's measures are enough
    serve_without_neo4j(tmp_path, monkeypatch)
    seen: dict[str, Any] = {}

    def fake_run(web: Any, host: str, port: int, log_level: str) -> None:
        refresher = web.state.refresher
        seen.update(waited=refresher.wait(180), refreshed=refresher.refreshed)

    monkeypatch.setattr("uvicorn.run", fake_run)
    try:
        result = CliRunner().invoke(app, ["serve", "--port", "8766"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert seen == {"waited": True, "refreshed": 1}
    path = kept.location(tmp_path / "oxigraph")
    assert path is not None and len(kept.names(path)) == 8 * 2 * 2 + 3
