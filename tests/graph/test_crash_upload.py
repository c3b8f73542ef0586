"""Issue 10 point 6: SIGKILL of `policykg serve` during the Neo4j write of an upload.

A real server (subprocess, free loopback port, the test Neo4j of the environment) takes an
upload whose Neo4j write this test holds back: an open transaction of ours has created the
same Document node, so the server's CREATE waits on the uniqueness lock. Once the server's
transaction shows as blocked — its RDF write is done — the server is killed. Before the
fix the document stayed in the RDF store only (REST saw it, Cypher never did); now the next
start-up finishes the write and says so.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import neo4j as neo4j_lib
import pytest

from graph.neo4j import store as neo4j_store
from graph.neo4j.connection import neo4j_uri
from graph.settings import Settings
from loaders import extract_file
from ontology.iris import Iris
from tests.paths import ROOT

TOKEN = "crash-test-token"
DOC = ROOT / "tests" / "fixtures" / "docs" / "yantai-articles.txt"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(settings: Settings, data_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYKG_", "NEO4J_"))}
    env.update(
        POLICYKG_DATA_DIR=str(data_dir),
        POLICYKG_PORT=str(port),
        POLICYKG_UPLOAD_TOKEN=TOKEN,
        NEO4J_URI=neo4j_uri(settings),
        NEO4J_USER=settings.neo4j_user,
        NEO4J_PASSWORD=settings.neo4j_password.get_secret_value(),
        POLICYKG_NEO4J_DATABASE=settings.neo4j_database,
    )
    return env


def _start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).with_name("policykg")
    with log.open("ab") as out:
        proc = subprocess.Popen([str(exe), "serve"], env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{env['POLICYKG_PORT']}/api/documents"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"policykg serve exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return proc
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    proc.kill()
    pytest.fail("policykg serve did not answer within 180 s")


def _upload(port: int) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/documents?name={DOC.name}",
        data=DOC.read_bytes(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"},
        method="POST",
    )
    with contextlib.suppress(urllib.error.URLError, OSError):  # killed while it answers
        urllib.request.urlopen(request, timeout=120).close()


def _blocked_document_write(driver: neo4j_lib.Driver, database: str) -> bool:
    with driver.session(database=database) as session:
        for record in session.run("SHOW TRANSACTIONS YIELD currentQuery, status"):
            query, status = record["currentQuery"] or "", record["status"] or ""
            if "CREATE (d:Document)" in query and status.startswith("Blocked"):
                return True
    return False


@pytest.fixture
def server_env(
    neo4j: neo4j_lib.Driver, settings: Settings, tmp_path: Path
) -> Iterator[dict[str, str]]:
    neo4j_store.ensure_schema(neo4j, settings.neo4j_database)
    yield _env(settings, tmp_path / "data", _free_port())


def test_sigkill_during_the_neo4j_write_is_finished_at_start_up(
    neo4j: neo4j_lib.Driver, settings: Settings, server_env: dict[str, str], tmp_path: Path
) -> None:
    database = settings.neo4j_database
    iris = Iris(str(Settings.model_fields["base_iri"].default))  # the server's default base
    doc_id = extract_file(DOC).document.id
    doc_iri = str(iris.document(doc_id))
    log = tmp_path / "serve.log"
    port = int(server_env["POLICYKG_PORT"])
    server = _start(server_env, log)
    blocker = neo4j.session(database=database)
    tx = blocker.begin_transaction()
    try:
        tx.run("CREATE (:Document {iri: $iri, id: 'held-by-test'})", iri=doc_iri).consume()
        upload = threading.Thread(target=_upload, args=(port,), daemon=True)
        upload.start()
        deadline = time.monotonic() + 60
        while not _blocked_document_write(neo4j, database):
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-2000:]
            time.sleep(0.2)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
    finally:
        tx.rollback()
        blocker.close()
        if server.poll() is None:
            server.kill()
    upload.join(timeout=30)
    assert neo4j_store.document_versions(neo4j, [doc_id], database) == {}  # the crash state

    server = _start(server_env, log)
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/documents/{doc_id}", timeout=10
        ) as response:
            assert response.status == 200  # the RDF store kept it
        assert set(neo4j_store.document_versions(neo4j, [doc_id], database)) == {doc_id}
        assert f"interrupted write of document {doc_id}: finished" in log.read_text()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
