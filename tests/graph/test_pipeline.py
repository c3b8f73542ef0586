"""The two-store pipeline against the shared test server: idempotence, versions, removal,
and the done-when check on the Jinan document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph import pipeline, verify
from graph.neo4j import store as neo4j_store
from graph.rdf.store import RdfStore
from ontology.iris import Iris
from tests.graph.rdf.test_sample import sample_extraction
from tests.paths import ROOT

IRIS = Iris("http://kg.test")
JINAN = ROOT / "data" / "jinan-2025-5.txt"

pytestmark = pytest.mark.neo4j


def quads(rdf: RdfStore) -> set[str]:
    return {str(q) for q in rdf.store.quads_for_pattern(None, None, None, None)}


def graph_state(rdf: RdfStore, driver: Any) -> tuple[Any, ...]:
    return (
        quads(rdf),
        neo4j_store.node_keys(driver),
        neo4j_store.relationship_keys(driver),
    )


@pytest.fixture
def rdf() -> Any:
    with RdfStore.open(None, IRIS) as store:
        yield store


def test_load_twice_changes_nothing(rdf: RdfStore, neo4j: Any) -> None:
    first = pipeline.load_extraction(sample_extraction(), rdf, neo4j, IRIS)
    assert (first.status, first.stores) == ("loaded", ("rdf", "neo4j"))
    before = graph_state(rdf, neo4j)
    again = pipeline.load_extraction(sample_extraction(), rdf, neo4j, IRIS)
    assert (again.status, again.stores) == ("unchanged", ())
    assert graph_state(rdf, neo4j) == before
    assert verify.compare_stores(rdf, neo4j).identical


def test_neo4j_catches_up_when_only_rdf_has_the_version(rdf: RdfStore, neo4j: Any) -> None:
    only_rdf = pipeline.load_extraction(sample_extraction(), rdf, None, IRIS)
    assert only_rdf.stores == ("rdf",)
    catch_up = pipeline.load_extraction(sample_extraction(), rdf, neo4j, IRIS)
    assert catch_up.stores == ("neo4j",)
    assert verify.compare_stores(rdf, neo4j).identical


def test_new_version_replaces_and_remove_removes_only_its_own(rdf: RdfStore, neo4j: Any) -> None:
    pipeline.load_batch([sample_extraction(), sample_extraction("jinan-2025-6")], rdf, neo4j, IRIS)
    renamed = sample_extraction(title="新标题")
    assert pipeline.load_extraction(renamed, rdf, neo4j, IRIS).status == "loaded"
    doc = str(IRIS.document("jinan-2025-5"))
    titles = rdf.select(f"SELECT ?t WHERE {{ <{doc}> dcterms:title ?t }}")
    assert titles == [{"t": "新标题"}]
    assert verify.compare_stores(rdf, neo4j).identical
    assert pipeline.remove("jinan-2025-5", rdf, neo4j) is True
    assert rdf.document_ids() == ["jinan-2025-6"]
    assert neo4j_store.document_ids(neo4j) == ["jinan-2025-6"]
    assert neo4j_store.counts(neo4j)["Agency"] == 2  # still used by jinan-2025-6
    assert verify.compare_stores(rdf, neo4j).identical
    assert pipeline.remove("jinan-2025-5", rdf, neo4j) is False


def test_jinan_in_both_stores_and_measure_5_agencies_agree(rdf: RdfStore, neo4j: Any) -> None:
    report = pipeline.load_paths([JINAN], rdf, neo4j, IRIS)
    assert [(o.doc_id, o.status, o.measures) for o in report.outcomes] == [
        ("jinan-2025-5", "loaded", 20)
    ]
    result = verify.compare_stores(rdf, neo4j)
    assert result.identical, verify.describe(result)
    measure = IRIS.measure("jinan-2025-5", 5)
    cypher = [(a["iri"], a["rank"]) for a in neo4j_store.agencies_of_measure(neo4j, str(measure))]
    sparql = [
        (row["a"], row["rank"])
        for row in rdf.select(
            f"SELECT DISTINCT ?a ?rank WHERE {{ VALUES ?m {{ <{measure}> }} "
            "?m pkg:responsibility ?r . ?r pkg:agency ?a ; pkg:rank ?rank } ORDER BY ?rank"
        )
    ]
    assert len(cypher) == 10
    assert cypher == sparql
    assert [rank for _, rank in cypher] == list(range(1, 11))
    names = [a["name"] for a in neo4j_store.agencies_of_measure(neo4j, str(measure))]
    assert names[0] == "济南市人力资源和社会保障局"
    assert names[-1] == "济南市工商业联合会"


def test_failed_extraction_loads_nothing_and_others_continue(
    rdf: RdfStore, neo4j: Any, tmp_path: Path
) -> None:
    (tmp_path / "a-bad.txt").write_text("没有任何措施的文本\n", encoding="utf-8")
    (tmp_path / "b-good.txt").write_text(JINAN.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    report = pipeline.load_paths([tmp_path], rdf, neo4j, IRIS)
    assert [(Path(o.source).name, o.status) for o in report.outcomes] == [
        ("a-bad.txt", "failed"),
        ("b-good.txt", "loaded"),
    ]
    assert report.outcomes[0].reason and "a-bad.txt" in report.outcomes[0].reason
    assert not report.ok
    assert rdf.document_ids() == ["jinan-2025-5"]
    assert neo4j_store.document_ids(neo4j) == ["jinan-2025-5"]
