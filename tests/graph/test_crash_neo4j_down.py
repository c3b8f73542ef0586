"""Issue 10 point 6: an upload while Neo4j is down answers at once and names nothing internal.

Before: the driver retried for ~30 s and the 503 quoted ``127.0.0.1:PORT`` and the driver's
own text. The service had connected once (the handle holds a driver), then Neo4j went away.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import neo4j as neo4j_lib
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from graph.rdf.store import RdfStore
from graph.settings import Settings
from ontology.iris import Iris
from tests.paths import ROOT

JINAN = ROOT / "data" / "jinan-2025-5.txt"
BASE = "http://localhost:8000"
TOKEN = "t0ken-for-down-neo4j"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_upload_with_neo4j_gone_fails_fast_without_internal_addresses(tmp_path: Path) -> None:
    port = _free_port()
    driver = neo4j_lib.GraphDatabase.driver(
        f"bolt://127.0.0.1:{port}", auth=("neo4j", "x"), connection_timeout=2.0
    )
    settings = Settings(
        data_dir=tmp_path, base_iri=BASE, neo4j_uri=None, upload_token=SecretStr(TOKEN)
    )
    store = RdfStore.open(tmp_path / "oxigraph", Iris(BASE))
    try:
        with TestClient(create_app(settings, rdf_store=store, neo4j_driver=driver)) as client:
            start = time.monotonic()
            response = client.post(
                "/api/documents?name=jinan-2025-5.txt",
                content=JINAN.read_bytes(),
                headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"},
            )
            elapsed = time.monotonic() - start
        assert response.status_code == 503
        assert elapsed < 8.0  # extraction included; was ~30 s of driver retries
        body = response.text
        for internal in ("127.0.0.1", str(port), "ServiceUnavailable", "connect", "bolt"):
            assert internal not in body
        assert "neither store was changed" in response.json()["detail"]
        assert store.document_ids() == []
    finally:
        store.close()
        driver.close()
