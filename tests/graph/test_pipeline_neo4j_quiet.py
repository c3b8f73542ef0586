"""Issue 10 point 6: a gone Neo4j fails a load fast and quietly; expected notices stay hidden.

Before: reads used ``execute_read``, which retries for 30 s when the server is gone (an
upload waited ~30 s and the CLI printed the driver's retry lines), and every session showed
the server's "label does not exist" warnings about a fresh database.
"""

from __future__ import annotations

import logging
import socket
import time
from typing import Any

import neo4j as neo4j_lib
import pytest
from neo4j import NotificationDisabledClassification

from graph.neo4j import store as neo4j_store
from ontology.errors import StoreUnavailable


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_read_against_a_dead_server_fails_within_seconds(caplog: pytest.LogCaptureFixture) -> None:
    driver = neo4j_lib.GraphDatabase.driver(
        f"bolt://127.0.0.1:{_free_port()}", auth=("neo4j", "x"), connection_timeout=2.0
    )
    try:
        start = time.monotonic()
        with caplog.at_level(logging.WARNING), pytest.raises(StoreUnavailable):
            neo4j_store.document_versions(driver, ["jinan-2025-5"])
        assert time.monotonic() - start < 5.0  # was ~30 s of managed-transaction retries
        retries = [r for r in caplog.records if "retried" in r.getMessage()]
        assert retries == []
    finally:
        driver.close()


class _Recorder:
    """Stands in for a driver; records how sessions are opened, then refuses to go on."""

    def __init__(self) -> None:
        self.kwargs: list[dict[str, Any]] = []

    def session(self, **kwargs: Any) -> Any:
        self.kwargs.append(kwargs)
        raise neo4j_lib.exceptions.ServiceUnavailable("recorded")


def test_own_sessions_switch_off_unrecognized_notifications() -> None:
    recorder = _Recorder()
    for call in (
        lambda: neo4j_store.document_versions(recorder, ["x"]),  # type: ignore[arg-type]
        lambda: neo4j_store.run_write(recorder, "neo4j", "t", lambda tx: 0),  # type: ignore[arg-type]
    ):
        with pytest.raises(StoreUnavailable):
            call()
    assert len(recorder.kwargs) == 2
    for kwargs in recorder.kwargs:
        assert kwargs["database"] == "neo4j"
        disabled = kwargs["notifications_disabled_classifications"]
        assert NotificationDisabledClassification.UNRECOGNIZED in disabled
