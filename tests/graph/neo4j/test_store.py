"""Neo4j writer/reader: rows built from the hand-made sample, then against a real server."""

from __future__ import annotations

from typing import Any

import pytest

from graph.neo4j import store as neo4j_store
from graph.neo4j.store import build_rows
from ontology.iris import Iris
from tests.graph.rdf.test_sample import SAMPLE_GROUPS, sample_extraction

IRIS = Iris("http://kg.test")
DOC_IRI = "http://kg.test/id/document/jinan-2025-5"
M1 = f"{DOC_IRI}/measure/1"
HRSS = "http://kg.test/id/agency/jinan-hrss"
FGW = "http://kg.test/id/agency/jinan-fgw"
GRAD = "http://kg.test/id/group/college-graduates"
YOUTH = "http://kg.test/id/group/youth"
HARD = "http://kg.test/id/group/hard-to-employ"
PROGRAM = "http://kg.test/id/program/quan-jiuye"


def write(driver: Any, *extractions: Any, version: str = "v1") -> int:
    return neo4j_store.write_documents(
        driver, [(e, version) for e in extractions], IRIS, vocab=SAMPLE_GROUPS
    )


# --- pure: rows --------------------------------------------------------------------------
def test_rows_of_the_sample_by_hand() -> None:
    rows = build_rows([(sample_extraction(), "v1")], IRIS, SAMPLE_GROUPS)
    # 1 doc + 2 chapters + 2 measures + 2 agencies + 3 groups (youth via the chain)
    # + 1 program + 1 BROADER + 3 RESPONSIBLE_FOR + 2 TARGETS + 1 USES = 18
    assert rows.row_count() == 18
    assert sorted(rows.agencies) == [FGW, HRSS]
    assert rows.agencies[HRSS]["name"] == "济南市人力资源和社会保障局"
    assert sorted(rows.groups) == [GRAD, HARD, YOUTH]
    assert rows.groups[YOUTH]["name"] == "青年"
    assert list(rows.broader.values()) == [{"narrower": GRAD, "broader": YOUTH}]
    assert rows.group_stubs == {}
    assert [(r["agency"], r["measure"], r["role"], r["rank"]) for r in rows.responsibilities] == [
        (HRSS, M1, "lead", 1),
        (FGW, M1, "support", 2),
        (HRSS, f"{DOC_IRI}/measure/2", "sole", 1),
    ]
    doc = rows.documents[0]
    assert (doc["iri"], doc["id"], doc["version"]) == (DOC_IRI, "jinan-2025-5", "v1")
    assert rows.measures[0]["chapter_iri"] == f"{DOC_IRI}/chapter/1"
    assert rows.measures[1]["props"]["chapter"] == 2


def test_shared_nodes_are_deduplicated_across_documents() -> None:
    batch = [(sample_extraction(), "v1"), (sample_extraction("jinan-2025-6"), "v1")]
    rows = build_rows(batch, IRIS, SAMPLE_GROUPS)
    assert len(rows.documents) == 2
    assert len(rows.measures) == 4
    assert len(rows.agencies) == 2
    assert len(rows.groups) == 3
    assert len(rows.programs) == 1
    assert len(rows.responsibilities) == 6


def test_unknown_broader_group_becomes_a_stub_named_by_its_id() -> None:
    rows = build_rows([(sample_extraction(), "v1")], IRIS, vocab=type(SAMPLE_GROUPS)({}, {}))
    assert rows.group_stubs == {YOUTH: {"iri": YOUTH, "id": "youth"}}
    assert YOUTH not in rows.groups


# --- real server -------------------------------------------------------------------------
def nodes(driver: Any) -> set[tuple[str, str]]:
    return neo4j_store.node_keys(driver)


@pytest.mark.neo4j
def test_write_then_read_back(neo4j: Any) -> None:
    assert write(neo4j, sample_extraction()) == 18
    assert neo4j_store.counts(neo4j) == {
        "Document": 1,
        "Chapter": 2,
        "Measure": 2,
        "Agency": 2,
        "TargetGroup": 3,
        "Program": 1,
        "RESPONSIBLE_FOR": 3,
    }
    agencies = neo4j_store.agencies_of_measure(neo4j, M1)
    assert [(a["id"], a["role"], a["rank"]) for a in agencies] == [
        ("jinan-hrss", "lead", 1),
        ("jinan-fgw", "support", 2),
    ]
    assert neo4j_store.document_versions(neo4j, ["jinan-2025-5", "nope"]) == {"jinan-2025-5": "v1"}
    rels = neo4j_store.relationship_keys(neo4j)
    assert ("BROADER", GRAD, YOUTH, None, None) in rels
    assert ("PART_OF", f"{DOC_IRI}/chapter/1", DOC_IRI, None, None) in rels
    assert len(rels) == 3 + 2 + 1 + 2 + 2 + 1  # resp, targets, uses, m→c, c→d, broader


@pytest.mark.neo4j
def test_writing_twice_changes_nothing(neo4j: Any) -> None:
    write(neo4j, sample_extraction())
    before = (nodes(neo4j), neo4j_store.relationship_keys(neo4j))
    write(neo4j, sample_extraction())
    assert (nodes(neo4j), neo4j_store.relationship_keys(neo4j)) == before


@pytest.mark.neo4j
def test_remove_keeps_shared_nodes_used_by_others(neo4j: Any) -> None:
    write(neo4j, sample_extraction(), sample_extraction("jinan-2025-6"))
    assert neo4j_store.remove_document(neo4j, "jinan-2025-5") is True
    counts = neo4j_store.counts(neo4j)
    assert (counts["Document"], counts["Measure"], counts["Agency"]) == (1, 2, 2)
    assert counts["TargetGroup"] == 3 and counts["Program"] == 1
    assert neo4j_store.remove_document(neo4j, "jinan-2025-6") is True
    assert nodes(neo4j) == set()
    assert neo4j_store.remove_document(neo4j, "jinan-2025-6") is False


@pytest.mark.neo4j
def test_new_version_replaces_old_and_drops_its_orphans(neo4j: Any) -> None:
    write(neo4j, sample_extraction())
    smaller = sample_extraction()
    smaller = smaller.model_copy(update={"measures": smaller.measures[1:]})
    write(neo4j, smaller, version="v2")
    keys = nodes(neo4j)
    # measure 1 was the only user of the program, the FGW and the graduates→youth chain
    assert ("Measure", M1) not in keys
    assert ("Program", PROGRAM) not in keys
    assert ("Agency", FGW) not in keys
    assert ("TargetGroup", GRAD) not in keys and ("TargetGroup", YOUTH) not in keys
    assert ("TargetGroup", HARD) in keys and ("Agency", HRSS) in keys
    assert neo4j_store.document_versions(neo4j, ["jinan-2025-5"]) == {"jinan-2025-5": "v2"}
