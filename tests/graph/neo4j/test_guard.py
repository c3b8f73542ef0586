"""Unit tests of the read-only Cypher guard that need no server: plan walking and values."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from neo4j.graph import Graph, Node, Path

from graph.neo4j.guard import (
    ALLOWED_PROCEDURES,
    _check_text,
    check_plan,
    check_summary,
    to_json_value,
)
from ontology.errors import QueryRefused


def op(name: str, *children: dict[str, Any], details: str | None = None) -> dict[str, Any]:
    args = {"Details": details} if details is not None else {}
    return {"operatorType": f"{name}@neo4j", "args": args, "children": list(children)}


def summary(plan: dict[str, Any] | None, query_type: str = "r", database: str = "neo4j") -> Any:
    return SimpleNamespace(plan=plan, query_type=query_type, database=database)


def test_read_plan_passes() -> None:
    plan = op("ProduceResults", op("Projection", op("Expand(All)", op("NodeByLabelScan"))))
    check_plan(plan)
    check_summary(summary(plan), "neo4j")


@pytest.mark.parametrize(
    "operator",
    [
        "Create",
        "Merge",
        "Delete",
        "DetachDelete",
        "SetProperty",
        "SetLabels",
        "RemoveLabels",
        "Foreach",
        "LoadCSV",
        "TransactionApply",
        "CreateIndex",
        "CreateUser",
        "ShowUsers",
        "ShowSettings",
        "TerminateTransactions",
        "DropConstraint",
    ],
)
def test_writing_or_command_operator_deep_in_plan_is_refused(operator: str) -> None:
    plan = op("ProduceResults", op("Apply", op("Argument"), op("Filter", op(operator))))
    with pytest.raises(QueryRefused, match=operator):
        check_plan(plan)


def test_load_csv_reason_is_named() -> None:
    with pytest.raises(QueryRefused, match="LOAD CSV reads files and URLs"):
        check_plan(op("ProduceResults", op("LoadCSV")))


def test_allowlisted_procedure_passes_and_others_are_refused() -> None:
    assert "db.labels" in ALLOWED_PROCEDURES
    check_plan(
        op("ProduceResults", op("ProcedureCall", details="db.labels() :: (label :: STRING)"))
    )
    for details in (
        'dbms.listConfig("") :: (name :: STRING)',
        "db.createLabel($newLabel)",
        "apoc.load.json($url)",
        "db.labelsX()",
    ):
        with pytest.raises(QueryRefused, match="is not allowed"):
            check_plan(op("ProduceResults", op("ProcedureCall", details=details)))
    with pytest.raises(QueryRefused, match=r"\(unknown\)"):
        check_plan(op("ProduceResults", op("ProcedureCall")))


@pytest.mark.parametrize(
    ("query_type", "word"),
    [("w", "writes"), ("rw", "reads and writes"), ("s", "changes the schema")],
)
def test_non_read_query_type_is_refused(query_type: str, word: str) -> None:
    with pytest.raises(QueryRefused, match=word):
        check_summary(summary(op("ProduceResults"), query_type), "neo4j")


def test_other_database_is_refused() -> None:
    with pytest.raises(QueryRefused, match="'system'"):
        check_summary(summary(op("ProduceResults"), database="system"), "neo4j")


def test_missing_plan_is_refused() -> None:
    with pytest.raises(QueryRefused, match="no query plan"):
        check_summary(summary(None), "neo4j")


@pytest.mark.parametrize(
    "text",
    [
        "EXPLAIN MATCH (n) RETURN n",
        "  profile MATCH (n) RETURN n",
        "// c\n/* x */ PROFILE CREATE ()",
        "",
        "   ",
    ],
)
def test_own_explain_profile_or_empty_text_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused):
        _check_text(text)


def test_text_mentioning_profile_later_is_fine() -> None:
    _check_text("MATCH (n {name: 'PROFILE'}) RETURN n")


def test_nodes_relationships_and_paths_become_plain_objects() -> None:
    graph = Graph()
    a = Node(graph, "4:a:1", 1, ["Agency"], {"iri": "http://x/id/agency/a", "name": "甲"})
    m = Node(graph, "4:a:2", 2, ["Measure"], {"iri": "http://x/id/m/1", "ordinal": 1})
    rel = graph.relationship_type("RESPONSIBLE_FOR")(graph, "5:a:7", 7, {"role": "lead", "rank": 1})
    rel._start_node, rel._end_node = a, m  # what the driver's hydration does
    assert to_json_value(a) == {
        "kind": "node",
        "element_id": "4:a:1",
        "labels": ["Agency"],
        "iri": "http://x/id/agency/a",
        "properties": {"iri": "http://x/id/agency/a", "name": "甲"},
    }
    assert to_json_value(rel) == {
        "kind": "relationship",
        "element_id": "5:a:7",
        "type": "RESPONSIBLE_FOR",
        "start": "http://x/id/agency/a",
        "end": "http://x/id/m/1",
        "start_element_id": "4:a:1",
        "end_element_id": "4:a:2",
        "properties": {"role": "lead", "rank": 1},
    }
    path = to_json_value(Path(a, rel))
    assert [item["kind"] for item in path] == ["node", "relationship", "node"]
    assert [path[0]["iri"], path[2]["iri"]] == ["http://x/id/agency/a", "http://x/id/m/1"]


def test_scalars_lists_maps_and_special_values() -> None:
    assert to_json_value([1, "二", None, True, {"k": [1.5]}]) == [1, "二", None, True, {"k": [1.5]}]
    assert to_json_value(float("nan")) == "nan"
    assert to_json_value(b"\x00\xff") == "AP8="
    from neo4j.time import Date

    assert to_json_value(Date(2025, 6, 21)) == "2025-06-21"


def test_operator_on_another_database_is_refused() -> None:
    plan = {"operatorType": "AdministrationCommand@system", "args": {}, "children": []}
    with pytest.raises(QueryRefused, match="'system'"):
        check_plan(plan, "neo4j")
