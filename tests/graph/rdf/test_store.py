"""RdfStore: idempotent per-document graphs, replacement, removal, persistence, queries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.rdf.store import BULK_MIN_DOCUMENTS, LoadResult, RdfStore, Relationship
from ontology.errors import InvalidParameter, QuerySyntaxError, StoreUnavailable
from ontology.iris import Iris
from tests.graph.rdf.test_sample import (
    SAMPLE_DOCUMENT_TRIPLES,
    SAMPLE_GROUPS,
    SAMPLE_SHARED_TRIPLES,
    sample_extraction,
)

IRIS = Iris("http://kg.test")
DOC, OTHER = "jinan-2025-5", "jinan-2025-6"
STORED = SAMPLE_DOCUMENT_TRIPLES + 1  # the document graph + the content-hash triple


def vocabulary_quads() -> int:
    """Quads of the ontology and vocabulary graphs alone (every load path adds them)."""
    with RdfStore.open(None, IRIS) as empty:
        empty.ensure_vocabularies()
        return len(empty.store)


#: ontology + vocabularies, the sample's document graph and its shared-graph triples
TOTAL = vocabulary_quads() + STORED + SAMPLE_SHARED_TRIPLES

TITLE_QUERY = "SELECT ?t WHERE { ?d a pkg:PolicyDocument ; dcterms:title ?t } ORDER BY ?t"


@pytest.fixture
def store() -> RdfStore:
    return RdfStore.open(None, IRIS)


def load(store: RdfStore, doc_id: str = DOC, title: str | None = None) -> LoadResult:
    return store.load_document(sample_extraction(doc_id, title), SAMPLE_GROUPS)


def test_load_counts_exact(store: RdfStore) -> None:
    assert load(store) == LoadResult(DOC, STORED, True)
    assert store.counts() == {
        "documents": 1,
        "chapters": 2,
        "measures": 2,
        "agencies": 2,
        # college-graduates, hard-to-employ and, by the vocabulary's skos:broader,
        # youth and disadvantaged-persons (ontology/vocab/target_groups.ttl)
        "target_groups": 4,
        "programs": 1,
        "responsibilities": 3,
        "triples": TOTAL,
    }
    assert store.document_ids() == [DOC]
    assert store.has_document(DOC) and not store.has_document(OTHER)


def test_reload_identical_changes_nothing(store: RdfStore) -> None:
    load(store)
    digest = store.content_hash(DOC)
    assert load(store) == LoadResult(DOC, STORED, False)
    assert len(store.store) == TOTAL
    assert store.content_hash(DOC) == digest and digest is not None and len(digest) == 64


def test_new_version_replaces_graph(store: RdfStore) -> None:
    load(store)
    assert load(store, title="新标题").changed is True
    assert [r["t"] for r in store.select(TITLE_QUERY)] == ["新标题"]
    assert len(store.store) == TOTAL


def test_remove_only_that_document(store: RdfStore) -> None:
    load(store)
    load(store, OTHER, title="另一文件")
    assert store.counts()["documents"] == 2
    assert store.counts()["agencies"] == 2  # shared agencies are counted once
    assert store.remove_document(DOC) is True
    assert store.remove_document(DOC) is False
    assert store.document_ids() == [OTHER]
    assert len(store.store) == TOTAL
    rows = store.select("SELECT ?l WHERE { ?a skos:prefLabel ?l }", a=IRIS.agency("jinan-hrss"))
    assert rows == [{"l": "济南市人力资源和社会保障局"}]  # still described by the other document


def test_persistence_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "oxigraph"
    first = RdfStore.open(path, IRIS)
    load(first)
    first.close()
    again = RdfStore.open(path, IRIS)
    assert again.document_ids() == [DOC]
    assert again.counts()["triples"] == TOTAL
    assert load(again).changed is False
    again.close()


def test_second_open_of_same_path_is_refused(tmp_path: Path) -> None:
    first = RdfStore.open(tmp_path / "s", IRIS)
    with pytest.raises(StoreUnavailable, match="cannot open the RDF store"):
        RdfStore.open(tmp_path / "s", IRIS)
    first.close()


def test_snapshot_and_restore(store: RdfStore) -> None:
    load(store)
    before = store.snapshot_document(DOC)
    digest = store.content_hash(DOC)
    load(store, title="新标题")
    store.restore_document(before)
    assert [r["t"] for r in store.select(TITLE_QUERY)] == [
        "济南市人民政府关于印发济南市促进就业的若干措施的通知"
    ]
    assert store.content_hash(DOC) == digest
    absent = store.snapshot_document(OTHER)
    assert absent.ntriples is None
    load(store, OTHER)
    store.restore_document(absent)
    assert store.document_ids() == [DOC]


def test_select_returns_python_values_and_binds(store: RdfStore) -> None:
    load(store)
    rows = store.select(
        "SELECT ?m ?n ?written ?reg WHERE { ?m pkg:ordinal ?n ; dcterms:title $title ; "
        "pkg:inDocument ?d . ?d pkg:writtenDate ?written . "
        "?r pkg:agency ?a . ?m pkg:responsibility ?r . ?a pkg:registered ?reg }",
        title="兜底帮扶就业困难人员",
    )
    assert rows == [
        {"m": str(IRIS.measure(DOC, 2)), "n": 2, "written": date(2025, 6, 21), "reg": True}
    ]
    unbound = store.select("SELECT ?x ?y WHERE { ?x a pkg:Program OPTIONAL { ?x pkg:text ?y } }")
    assert unbound == [{"x": str(IRIS.program("quan-jiuye")), "y": None}]


def test_query_errors(store: RdfStore) -> None:
    with pytest.raises(QuerySyntaxError):
        store.select("SELEC ?x")
    with pytest.raises(InvalidParameter, match="SELECT"):
        store.select("ASK { ?s ?p ?o }")


def test_ensure_vocabularies_is_idempotent(store: RdfStore) -> None:
    first = store.ensure_vocabularies()
    assert first["ontology"] is True
    assert store.ensure_vocabularies() == dict.fromkeys(first, False)
    rows = store.select(
        "SELECT ?l WHERE { GRAPH ?g { pkg:Measure rdfs:label ?l FILTER(lang(?l) = 'en') } }"
    )
    assert rows == [{"l": "measure"}]
    assert store.document_ids() == []


def test_neo4j_comparison_helpers(store: RdfStore) -> None:
    load(store)
    store.ensure_vocabularies()  # vocabulary graphs must not leak into the comparison
    nodes = store.node_iris()
    assert {k: len(v) for k, v in nodes.items()} == {
        "Document": 1,
        "Chapter": 2,
        "Measure": 2,
        "Agency": 2,
        "TargetGroup": 4,  # as in test_load_counts_exact
        "Program": 1,
    }
    m1, m2 = str(IRIS.measure(DOC, 1)), str(IRIS.measure(DOC, 2))
    hrss, fgw = str(IRIS.agency("jinan-hrss")), str(IRIS.agency("jinan-fgw"))
    grads, youth = str(IRIS.target_group("college-graduates")), str(IRIS.target_group("youth"))
    assert store.relationships() == {
        Relationship(hrss, "RESPONSIBLE_FOR", m1, "lead", 1),
        Relationship(fgw, "RESPONSIBLE_FOR", m1, "support", 2),
        Relationship(hrss, "RESPONSIBLE_FOR", m2, "sole", 1),
        Relationship(m1, "TARGETS", grads),
        Relationship(m2, "TARGETS", str(IRIS.target_group("hard-to-employ"))),
        Relationship(m1, "USES", str(IRIS.program("quan-jiuye"))),
        Relationship(m1, "PART_OF", str(IRIS.chapter(DOC, 1))),
        Relationship(m2, "PART_OF", str(IRIS.chapter(DOC, 2))),
        Relationship(str(IRIS.chapter(DOC, 1)), "PART_OF", str(IRIS.document(DOC))),
        Relationship(str(IRIS.chapter(DOC, 2)), "PART_OF", str(IRIS.document(DOC))),
        Relationship(grads, "BROADER", youth),
        Relationship(
            str(IRIS.target_group("hard-to-employ")),
            "BROADER",
            str(IRIS.target_group("disadvantaged-persons")),
        ),
    }
    assert store.relationships(OTHER) == set()


def test_batch_load_on_disk_uses_bulk_path_and_stamps_every_graph(tmp_path: Path) -> None:
    store = RdfStore.open(tmp_path / "s", IRIS)
    n = BULK_MIN_DOCUMENTS + 1
    exs = [sample_extraction(f"doc-{i:03d}") for i in range(n)]
    results = store.load_documents(exs, SAMPLE_GROUPS)
    assert [r.changed for r in results] == [True] * n
    assert store.document_ids() == [f"doc-{i:03d}" for i in range(n)]
    # n document graphs; the shared triples (jinan-fgw, quan-jiuye) are stored once
    assert len(store.store) == vocabulary_quads() + n * STORED + SAMPLE_SHARED_TRIPLES
    assert not any(r.changed for r in store.load_documents(exs, SAMPLE_GROUPS))
    store.close()


def test_duplicate_ids_in_one_batch_are_refused(store: RdfStore) -> None:
    with pytest.raises(InvalidParameter, match="appears twice"):
        store.load_documents([sample_extraction(), sample_extraction()], SAMPLE_GROUPS)
    assert store.document_ids() == []
