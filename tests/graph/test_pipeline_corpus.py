"""Corpus loads through worker processes, the N-Quads bulk path and the overlapped Neo4j write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from bench.generate import generate
from graph import pipeline, verify
from graph.neo4j import store as neo4j_store
from graph.rdf.store import RdfStore
from ontology.errors import StoreError, StoreUnavailable
from ontology.iris import Iris

IRIS = Iris("http://kg.test")
DOCS = 70  # >= OVERLAP_MIN: one batch takes the overlapped path

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(DOCS, 5, out)
    return out


def test_corpus_loads_in_both_stores_and_they_agree(folder: Path, neo4j: Any) -> None:
    with RdfStore.open(None, IRIS) as rdf:
        report = pipeline.load_paths([folder], rdf, neo4j, IRIS, batch_size=DOCS, workers=2)
        assert report.count("loaded") == DOCS
        assert all(o.stores == ("rdf", "neo4j") for o in report.outcomes)
        assert len(rdf.document_ids()) == DOCS
        assert neo4j_store.counts(neo4j)["Document"] == DOCS
        assert neo4j_store.counts(neo4j)["Measure"] == sum(o.measures for o in report.outcomes)
        assert verify.compare_stores(rdf, neo4j).identical
        again = pipeline.load_paths([folder], rdf, neo4j, IRIS, batch_size=DOCS, workers=2)
        assert again.count("unchanged") == DOCS


def test_rdf_failure_rolls_back_the_overlapped_neo4j_write(
    folder: Path, neo4j: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise StoreError("RDF store write failed for test")

    monkeypatch.setattr(pipeline, "load_payloads", broken)
    with RdfStore.open(None, IRIS) as rdf, pytest.raises(StoreError):
        pipeline.load_paths([folder], rdf, neo4j, IRIS, batch_size=DOCS, workers=2)
    assert neo4j_store.document_ids(neo4j) == []


def test_neo4j_failure_rolls_back_the_rdf_batch(
    folder: Path, neo4j: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: Any) -> Any:
        raise StoreUnavailable("Neo4j became unreachable while writing (test)")

    monkeypatch.setattr(neo4j_store, "write_rows", unreachable)
    with RdfStore.open(None, IRIS) as rdf:
        with pytest.raises(StoreUnavailable) as info:
            pipeline.load_paths([folder], rdf, neo4j, IRIS, batch_size=DOCS, workers=2)
        assert f"Rolled back {DOCS} documents in both stores" in info.value.detail
        assert rdf.document_ids() == []
        # only the ontology and vocabularies stay (every load path adds them first): no
        # document graph and nothing of the shared graph
        with RdfStore.open(None, IRIS) as empty:
            empty.ensure_vocabularies()
            assert len(rdf.store) == len(empty.store)
        shared = ox.NamedNode(str(IRIS.vocabulary_graph("extracted")))
        assert list(rdf.store.quads_for_pattern(None, None, None, shared)) == []
