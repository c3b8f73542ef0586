"""Writes reach the SPARQL workers without stopping them (issue #10 point 3).

A service over a live store reads checkpoints of it; ``refresh`` after a write makes the new
data visible in every worker, in the same processes, and queries running meanwhile all answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.sparql.service import SparqlService
from graph.sparql.snapshots import snapshot_root
from ontology.errors import PolicyKGError

EX = "http://example.org/"
COUNT = "SELECT (COUNT(?s) AS ?n) WHERE { ?s a <http://example.org/Doc> }"
JSON = "application/sparql-results+json"


def _add_docs(store: ox.Store, start: int, n: int) -> None:
    kind = ox.NamedNode(EX + "Doc")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store.extend(
        ox.Quad(ox.NamedNode(f"{EX}doc/{i}"), rdf_type, kind, ox.NamedNode(f"{EX}graph/{i}"))
        for i in range(start, start + n)
    )


def _count(service: SparqlService) -> int:
    import json

    answer = service.execute(COUNT, JSON)
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def _pids(service: SparqlService) -> set[int]:
    return {w.process.pid for w in service._all if w.process.pid is not None}


@pytest.fixture()
def live(tmp_path: Path) -> Iterator[tuple[ox.Store, SparqlService, Path]]:
    path = tmp_path / "rdf"
    store = ox.Store(str(path))
    _add_docs(store, 0, 3)
    service = SparqlService(
        path, {}, timeout_s=20, row_limit=100, workers=2, sealed=False, source=store
    )
    yield store, service, path
    service.close()


def test_refresh_shows_new_data_in_the_same_worker_processes(
    live: tuple[ox.Store, SparqlService, Path],
) -> None:
    store, service, _path = live
    assert _count(service) == 3
    before = _pids(service)
    assert len(before) == 3  # two workers and one warm spare
    _add_docs(store, 3, 4)
    assert _count(service) == 3  # a checkpoint does not change until the next refresh
    service.refresh()
    for _ in range(5):  # whichever worker answers, it has the new checkpoint
        assert _count(service) == 7
    assert _pids(service) == before


def test_old_checkpoints_are_deleted_once_no_worker_reads_them(
    live: tuple[ox.Store, SparqlService, Path],
) -> None:
    store, service, path = live
    root = snapshot_root(path)
    for i in range(10):
        _add_docs(store, 100 + i, 1)
        service.refresh()
    time.sleep(1.0)  # the workers reopen in the background
    assert _count(service) == 13  # a query's end prunes what no process holds any more
    # Each of the 3 processes holds one checkpoint at most, and the current one is kept.
    assert 1 <= len(list(root.iterdir())) <= 4
    service.close()
    assert not root.exists()


def test_queries_during_a_stream_of_writes_all_answer(
    live: tuple[ox.Store, SparqlService, Path],
) -> None:
    store, service, _path = live
    counts: list[int] = []
    failures: list[PolicyKGError] = []
    writes_done = threading.Event()

    def writer() -> None:
        for i in range(40):
            _add_docs(store, 1000 + i, 1)
            service.refresh()
        writes_done.set()

    def reader() -> None:
        while not writes_done.is_set():
            try:
                counts.append(_count(service))
            except PolicyKGError as exc:  # 503 (busy, timeout) or 500 (store) alike
                failures.append(exc)
                return

    threads = [threading.Thread(target=writer)] + [
        threading.Thread(target=reader) for _ in range(2)
    ]
    before = _pids(service)
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failures == []
    assert counts and all(3 <= c <= 43 for c in counts)
    assert _count(service) == 43  # 3 + 40 documents, all visible after the last refresh
    assert _pids(service) == before  # no worker was stopped by a write


def test_path_mode_reopens_in_place(tmp_path: Path) -> None:
    """Without a live store (another process writes), workers reopen the directory itself."""
    path = tmp_path / "rdf"
    store = ox.Store(str(path))
    _add_docs(store, 0, 2)
    store.flush()
    del store
    service = SparqlService(path, {}, timeout_s=20, row_limit=100, workers=1, sealed=False)
    try:
        assert _count(service) == 2
        pids = _pids(service)
        service.refresh()
        assert _count(service) == 2
        assert _pids(service) == pids
        assert not snapshot_root(path).exists()
    finally:
        service.close()
