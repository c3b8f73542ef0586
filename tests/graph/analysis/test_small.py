"""Coordination analyses on the hand-checked six-measure document (tests/analysis_fixtures.py)."""

from __future__ import annotations

import pytest

from graph.analysis.assignment import assignment_table, duty_lists
from graph.analysis.communities import working_groups
from graph.analysis.coresponsibility import coresponsibility
from graph.analysis.coverage import coverage
from graph.analysis.meetings import meeting_plan
from graph.analysis.network import network_from_extractions
from graph.analysis.workload import workload
from ontology.errors import InvalidParameter, NotFound
from tests.graph.analysis.builders import IRIS, iri, small_extraction


@pytest.fixture
def graph():
    return network_from_extractions([small_extraction()], IRIS)


def test_network_shape(graph):
    kinds = {}
    for _n, d in graph.nodes(data=True):
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    assert kinds == {
        "document": 1, "chapter": 2, "measure": 6, "agency": 5, "group": 4, "program": 2
    }  # fmt: skip
    m1 = graph.nodes[iri("m1")]
    assert (m1["ordinal"], m1["chapter_ordinal"], m1["title"]) == (1, 1, "促进青年就业")
    edge = graph.get_edge_data(iri("B"), iri("m1"))["responsible_for"]
    assert (edge["role"], edge["rank"]) == ("support", 2)
    assert graph.has_edge(iri("g-grads"), iri("g-youth"), key="broader")


def test_filters():
    ex = small_extraction()
    chapter2 = network_from_extractions([ex], IRIS, document=ex.document.id, chapter=2)
    measures = sorted(d["ordinal"] for _n, d in chapter2.nodes(data=True) if d["kind"] == "measure")
    assert measures == [4, 5, 6]
    with pytest.raises(InvalidParameter, match="needs a document"):
        network_from_extractions([ex], IRIS, chapter=2)
    with pytest.raises(NotFound, match="'other-2025-1'"):
        network_from_extractions([ex], IRIS, document="other-2025-1")


def test_workload_counts_each_role(graph):
    rows = {r.label: (r.total, r.lead, r.support, r.shared, r.sole) for r in workload(graph)}
    assert rows == {
        "市甲局": (4, 2, 0, 1, 1),
        "市乙局": (2, 0, 1, 1, 0),
        "市丙局": (2, 0, 0, 1, 1),
        "市丁局": (2, 1, 1, 0, 0),
        "市戊局": (1, 0, 1, 0, 0),
    }
    first = workload(graph)[0]
    assert first.label == "市甲局"
    assert first.measures == (iri("m1"), iri("m2"), iri("m4"), iri("m6"))


def test_coresponsibility_weights_centrality_and_cuts(graph):
    report = coresponsibility(graph)
    weights = {frozenset((k.source_label, k.target_label)): k.weight for k in report.links}
    pairs = [("市甲局", "市乙局", 2), ("市丙局", "市甲局", 1), ("市丙局", "市乙局", 1),
             ("市丁局", "市甲局", 1), ("市丁局", "市戊局", 1)]  # fmt: skip
    assert weights == {frozenset((a, b)): w for a, b, w in pairs}
    ab = report.links[0]
    assert ab.weight == 2 and ab.measures == (iri("m1"), iri("m2"))
    by = {a.label: a for a in report.agencies}
    # A is on the only paths B-D, B-E, C-D, C-E: 4 of 6 pairs; D on A-E, B-E, C-E: 3 of 6
    assert (by["市甲局"].betweenness, by["市丁局"].betweenness) == (0.666667, 0.5)
    assert by["市甲局"].partners == 3 and by["市甲局"].weighted_degree == 4
    assert by["市甲局"].degree_centrality == 0.75
    assert set(report.articulation_points) == {iri("A"), iri("D")}
    assert set(report.bridges) == {
        tuple(sorted((iri("A"), iri("D")))),
        tuple(sorted((iri("D"), iri("E")))),
    }


def test_working_groups_and_conveners(graph):
    result = working_groups(graph)
    groups = [(set(g.member_labels), g.convener_label, g.measures) for g in result.groups]
    assert groups == [
        ({"市甲局", "市乙局", "市丙局"}, "市甲局", (iri("m1"), iri("m2"))),
        ({"市丁局", "市戊局"}, "市丁局", (iri("m5"),)),
    ]
    assert result.unattached == ()
    assert "seed=42" in result.algorithm
    assert working_groups(graph) == result  # deterministic


def test_meeting_plan_meets_lower_bound(graph):
    plan = meeting_plan(graph)
    assert plan.busiest_agency_load == 4  # 市甲局 attends m1, m2, m4, m6
    assert (plan.lower_bound, plan.max_clique, len(plan.slots), plan.optimal) == (4, 4, 4, True)
    placed = [m.measure for s in plan.slots for m in s.meetings]
    assert sorted(placed) == sorted(iri(f"m{i}") for i in range(1, 7))
    for slot in plan.slots:
        agencies = [a for m in slot.meetings for a in m.agencies]
        assert len(agencies) == len(set(agencies)), f"slot {slot.index} double-books"


def test_coverage_includes_narrower_groups_and_flags(graph):
    rows = {r.label: r for r in coverage(graph)}
    youth = rows["青年"]
    assert youth.measures == (iri("m1"), iri("m2"))  # m1 targets graduates, narrower than youth
    assert youth.agency_labels == ("市丙局", "市乙局", "市甲局")
    assert youth.program_labels == ("青年见习计划",)
    assert youth.narrower == (iri("g-grads"),)
    assert (youth.single_agency, youth.single_measure) == (False, False)
    assert (rows["妇女"].single_agency, rows["妇女"].single_measure) == (True, True)
    assert (rows["高校毕业生"].single_agency, rows["高校毕业生"].single_measure) == (False, True)
    assert set(rows) == {"青年", "高校毕业生", "妇女", "大龄人员"}


def test_assignment_table_and_duty_lists(graph):
    rows = assignment_table(graph)
    assert [r.ordinal for r in rows] == [1, 2, 3, 4, 5, 6]
    assert (rows[0].responsible, rows[0].supporting) == (("市甲局",), ("市乙局",))
    assert rows[1].responsible == ("市甲局", "市乙局", "市丙局") and rows[1].supporting == ()
    assert rows[0].chapter_title == "第一章 就业优先"
    assert (rows[0].target_groups, rows[0].programs) == (("高校毕业生",), ("青年见习计划",))
    duties = {d.label: d for d in duty_lists(graph)}
    d = duties["市丁局"].duties
    assert [(x.ordinal, x.role, x.rank, x.partners) for x in d] == [
        (4, "support", 2, ("市甲局",)),
        (5, "lead", 1, ("市戊局",)),
    ]
