"""The corpus fast paths write exactly what the reference mapping and loaders write."""

from __future__ import annotations

import pytest

from bench.generate import generate
from graph import pipeline
from graph.neo4j import store as neo4j_store
from graph.rdf.bulk import load_payloads, rdf_payload
from graph.rdf.lines import fast_extraction_lines, fast_split_lines
from graph.rdf.mapping import extraction_lines, extraction_triples, split_lines
from graph.rdf.store import RdfStore
from loaders import extract_file
from loaders.model import Extraction
from ontology.errors import InvalidParameter
from ontology.iris import Iris
from tests.paths import ROOT

IRIS = Iris("http://kg.test")
JINAN = ROOT / "data" / "jinan-2025-5.txt"
CORPUS_DOCS = 70  # more than BULK_MIN_DOCUMENTS and OVERLAP_MIN (64): the bulk paths run


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Extraction]:
    folder = tmp_path_factory.mktemp("corpus")
    generate(CORPUS_DOCS, 3, folder)
    return [extract_file(path) for path in sorted(folder.glob("*.txt"))]


def quads(rdf: RdfStore) -> set[str]:
    return {str(q) for q in rdf.store.quads_for_pattern(None, None, None, None)}


def test_fast_lines_equal_the_mapping_on_jinan() -> None:
    ex = extract_file(JINAN)
    lines = fast_extraction_lines(ex, IRIS)
    assert lines == extraction_lines(ex, IRIS)
    assert len(lines) == len(set(lines)) == len(extraction_triples(ex, IRIS))
    split = fast_split_lines(ex, IRIS)
    assert split == split_lines(ex, IRIS)
    # Jinan names only registered agencies: the shared graph holds its 23 programs × 3 triples
    assert len(split.shared) == 23 * 3
    assert set(split.document).isdisjoint(split.shared)
    assert set(split.document) | set(split.shared) < set(lines)


def test_fast_lines_equal_the_mapping_on_generated_documents(corpus: list[Extraction]) -> None:
    assert len(corpus) == CORPUS_DOCS
    for ex in corpus:
        assert fast_extraction_lines(ex, IRIS) == extraction_lines(ex, IRIS), ex.document.id
        assert fast_split_lines(ex, IRIS) == split_lines(ex, IRIS), ex.document.id


def test_payload_load_equals_load_documents(corpus: list[Extraction]) -> None:
    with RdfStore.open(None, IRIS) as reference, RdfStore.open(None, IRIS) as fast:
        expected = reference.load_documents(corpus)
        got = load_payloads(fast, [rdf_payload(ex, IRIS) for ex in corpus])
        assert got == expected
        assert all(r.changed for r in got)
        assert quads(fast) == quads(reference)
        assert fast.document_ids() == reference.document_ids()
        # the stamps make a second load a no-op, in both directions
        assert not any(r.changed for r in fast.load_documents(corpus))
        again = load_payloads(reference, [rdf_payload(ex, IRIS) for ex in corpus])
        assert not any(r.changed for r in again)


def test_payload_replaces_a_changed_document_atomically() -> None:
    ex = extract_file(JINAN)
    changed = ex.model_copy(update={"measures": ex.measures[:3]})
    with RdfStore.open(None, IRIS) as reference, RdfStore.open(None, IRIS) as fast:
        reference.load_document(ex)
        load_payloads(fast, [rdf_payload(ex, IRIS)])
        reference.load_document(changed)
        [result] = load_payloads(fast, [rdf_payload(changed, IRIS)])
        assert result.changed
        assert quads(fast) == quads(reference)  # same quads in the same graphs, garbage too
        assert fast.content_hash(ex.document.id) == reference.content_hash(ex.document.id)


def test_payload_batch_refuses_a_repeated_id() -> None:
    payload = rdf_payload(extract_file(JINAN), IRIS)
    with RdfStore.open(None, IRIS) as rdf, pytest.raises(InvalidParameter) as info:
        load_payloads(rdf, [payload, payload])
    assert "jinan-2025-5" in info.value.detail


def test_worker_rows_merged_equal_batch_rows(corpus: list[Extraction]) -> None:
    batch = [(ex, pipeline.extraction_version(ex)) for ex in corpus]
    merged = neo4j_store.GraphRows()
    for pair in batch:
        merged.extend(neo4j_store.build_rows([pair], IRIS))
    expected = neo4j_store.build_rows(batch, IRIS)
    assert merged.statements() == expected.statements()
    assert merged.row_count() == expected.row_count() > 0
