"""Shared pytest fixtures. Keep each fixture small and say which tests it serves.

Neo4j: ``neo4j_driver`` (session) connects through ``graph.neo4j.connection.connect`` to the
server in the environment (``.ci/test`` starts one with ``policykg neo4j start``). When no
server answers, tests that need it are skipped with the reason, except under CI
(``settings.ci``), where they fail. Tests using the driver are marked ``neo4j`` automatically.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import neo4j as neo4j_lib
import pytest

from graph.neo4j.connection import connect
from graph.neo4j.queries import WIPE
from graph.settings import Settings
from ontology.errors import StoreUnavailable

NEO4J_FIXTURES = frozenset({"neo4j_driver", "neo4j"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a Neo4j fixture, so `-m "not neo4j"` leaves them out."""
    for item in items:
        if NEO4J_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings from the environment, with data_dir in a fresh temp folder (Neo4j URI kept)."""
    data_dir: Path = tmp_path_factory.mktemp("policykg-data")
    return Settings().model_copy(update={"data_dir": data_dir})


@pytest.fixture(scope="session")
def neo4j_driver(settings: Settings) -> Iterator[neo4j_lib.Driver]:
    """A driver for the Neo4j of the environment; skip (fail under CI) when none answers."""
    try:
        driver = connect(settings)
    except StoreUnavailable as exc:
        reason = f"Neo4j unavailable: {exc.detail}"
        if settings.ci:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def neo4j(neo4j_driver: neo4j_lib.Driver, settings: Settings) -> neo4j_lib.Driver:
    """The Neo4j driver on an empty database (every node and relationship deleted first)."""
    # WIPE batches with CALL ... IN TRANSACTIONS, which needs an auto-commit transaction.
    with neo4j_driver.session(database=settings.neo4j_database) as session:
        session.run(WIPE).consume()
    return neo4j_driver
