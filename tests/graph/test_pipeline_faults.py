"""Faults: Neo4j unreachable, and a real server stopped in the middle of a write.

The mid-write test runs its own Neo4j instance (own data folder and port, started with
graph.neo4j.server) and stops it while the transaction is half sent: both stores must be
exactly as before, the error must say so, and a later load must finish the job.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j as neo4j_driver_module
import pytest

from graph import pipeline, verify
from graph.neo4j import server as neo4j_server
from graph.neo4j import store as neo4j_store
from graph.neo4j.connection import connect
from graph.rdf.store import RdfStore
from graph.settings import Settings, get_settings
from ontology.errors import StoreError, StoreUnavailable
from ontology.iris import Iris
from tests.graph.rdf.test_sample import sample_extraction

IRIS = Iris("http://kg.test")


def quads(rdf: RdfStore) -> set[str]:
    return {str(q) for q in rdf.store.quads_for_pattern(None, None, None, None)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def new_version() -> Any:
    ex = sample_extraction(title="济南市人民政府关于印发修订后措施的通知")
    return ex.model_copy(update={"measures": ex.measures[:1]})


def test_unreachable_neo4j_leaves_both_stores_unchanged() -> None:
    driver = neo4j_driver_module.GraphDatabase.driver(
        f"bolt://127.0.0.1:{free_port()}", auth=("neo4j", "x"), connection_timeout=2.0
    )
    try:
        with RdfStore.open(None, IRIS) as rdf:
            pipeline.load_extraction(sample_extraction(), rdf, None, IRIS)
            before = quads(rdf)
            with pytest.raises(StoreUnavailable) as info:
                pipeline.load_extraction(new_version(), rdf, driver, IRIS)
            assert "unreachable" in info.value.detail
            assert quads(rdf) == before
    finally:
        driver.close()


class _StoppingTx:
    """Wraps a real transaction; before statement number ``at`` it stops the real server."""

    def __init__(self, tx: Any, at: int, stop: Any) -> None:
        self._tx, self._at, self._stop, self._count = tx, at, stop, 0

    def run(self, query: str, parameters: Any = None) -> Any:
        self._count += 1
        if self._count == self._at:
            self._stop()
        return self._tx.run(query, parameters)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tx, name)


class _StoppingSession:
    def __init__(self, session: Any, at: int, stop: Any) -> None:
        self._session, self._at, self._stop = session, at, stop

    def begin_transaction(self) -> _StoppingTx:
        return _StoppingTx(self._session.begin_transaction(), self._at, self._stop)

    def __enter__(self) -> _StoppingSession:
        self._session.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._session.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class StopServerMidWrite:
    """A wrapper around the real driver whose write transactions stop the server midway."""

    def __init__(self, driver: Any, at: int, stop: Any) -> None:
        self._driver, self._at, self._stop = driver, at, stop

    def session(self, **kwargs: Any) -> Any:
        return _StoppingSession(self._driver.session(**kwargs), self._at, self._stop)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)

    def __hash__(self) -> int:
        return hash(self._driver)


@pytest.fixture(scope="module")
def private_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A Neo4j instance of this module only (reuses the jar cache of the shared one)."""
    shared = get_settings()
    data_dir = tmp_path_factory.mktemp("neo4j-private")
    settings = shared.model_copy(
        update={"data_dir": data_dir, "neo4j_bolt_port": free_port(), "neo4j_uri": None}
    )
    cache = shared.neo4j_home / "dist"
    if cache.is_dir():
        settings.neo4j_home.mkdir(parents=True)
        (settings.neo4j_home / "dist").symlink_to(cache.resolve())
    try:
        neo4j_server.start(settings)
    except Exception as exc:
        if shared.ci:
            raise
        pytest.skip(f"cannot start a private Neo4j: {exc}")
    try:
        yield settings
    finally:
        neo4j_server.stop(settings)


@pytest.mark.neo4j
@pytest.mark.slow
def test_server_stopped_mid_write_rolls_back_both_stores(
    private_server: Settings, tmp_path: Path
) -> None:
    settings = private_server
    driver = connect(settings)
    with RdfStore.open(tmp_path / "rdf", IRIS) as rdf:
        try:
            pipeline.load_extraction(sample_extraction(), rdf, driver, IRIS)
            rdf_before = quads(rdf)
            nodes_before = neo4j_store.node_keys(driver)
            rels_before = neo4j_store.relationship_keys(driver)

            # statement 1-6 delete the old version; 8 is MERGE_CHAPTERS of the new one
            failing = StopServerMidWrite(driver, 8, lambda: neo4j_server.stop(settings))
            with pytest.raises((StoreUnavailable, StoreError)) as info:
                pipeline.load_extraction(new_version(), rdf, failing, IRIS)  # type: ignore[arg-type]
            detail = info.value.detail
            assert "Rolled back jinan-2025-5 in both stores" in detail
            assert quads(rdf) == rdf_before
        finally:
            driver.close()

        neo4j_server.start(settings)
        driver = connect(settings)
        try:
            assert neo4j_store.node_keys(driver) == nodes_before
            assert neo4j_store.relationship_keys(driver) == rels_before

            done = pipeline.load_extraction(new_version(), rdf, driver, IRIS)
            assert done.stores == ("rdf", "neo4j")
            assert verify.compare_stores(rdf, driver).identical
            assert neo4j_store.counts(driver)["Measure"] == 1
        finally:
            driver.close()
