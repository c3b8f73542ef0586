"""Fixtures of the web-service tests: the real Jinan extraction in an on-disk store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli.serve import BUNDLED_DOCUMENT, bootstrap
from graph.rdf.store import RdfStore
from graph.settings import Settings
from ontology.iris import Iris


def make_app(data_dir: Path, **overrides: object) -> tuple[TestClient, RdfStore]:
    settings = Settings(data_dir=data_dir, neo4j_uri=None, **overrides)
    iris = Iris(settings.normalised_base())
    store = RdfStore.open(settings.rdf_store_dir, iris)
    bootstrap(settings, store, None)
    store.store.flush()
    return TestClient(create_app(settings, rdf_store=store)), store


@pytest.fixture(scope="session")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    assert BUNDLED_DOCUMENT.is_file()
    test_client, store = make_app(tmp_path_factory.mktemp("api-data"))
    with test_client:
        yield test_client
    store.close()


BASE = "http://localhost:8000"
