"""Meeting plans: never double-book, meet the lower bound when possible, prove optimality."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.analysis.meetings import conflict_graph, meeting_plan
from tests.viz.test_views import synthetic_network


def ring_network(n: int) -> nx.MultiDiGraph:
    """Measure i is shared by agencies i and i+1 (mod n): the conflict graph is a cycle."""
    g = nx.MultiDiGraph()
    doc = "http://e/id/document/d"
    g.add_node(doc, kind="document", label="d", doc_id="d")
    for i in range(n):
        g.add_node(f"http://e/a{i}", kind="agency", label=f"局{i}")
    for i in range(n):
        m = f"{doc}/measure/{i + 1}"
        g.add_node(m, kind="measure", label=f"m{i + 1}", title=f"m{i + 1}", ordinal=i + 1,
                   chapter=f"{doc}/chapter/1", chapter_ordinal=1, document=doc)  # fmt: skip
        for rank, a in enumerate((i, (i + 1) % n), start=1):
            g.add_edge(f"http://e/a{a}", m, key="responsible_for", type="responsible_for",
                       role="shared", rank=rank)  # fmt: skip
    return g


def assert_valid(graph, plan):
    placed = [m.measure for s in plan.slots for m in s.meetings]
    assert sorted(placed) == sorted(conflict_graph(graph).nodes)
    for slot in plan.slots:
        agencies = [a for m in slot.meetings for a in m.agencies]
        assert len(agencies) == len(set(agencies))
    assert len(plan.slots) >= plan.lower_bound


def test_odd_cycle_needs_three_slots_and_is_proved_optimal():
    graph = ring_network(5)
    plan = meeting_plan(graph)
    assert_valid(graph, plan)
    assert (plan.busiest_agency_load, plan.max_clique, plan.lower_bound) == (2, 2, 2)
    assert len(plan.slots) == 3 and plan.optimal  # chromatic number of C5 is 3


def test_even_cycle_meets_lower_bound():
    plan = meeting_plan(ring_network(6))
    assert len(plan.slots) == 2 and plan.lower_bound == 2 and plan.optimal


@pytest.mark.parametrize("seed", range(6))
def test_random_corpora_never_double_book(seed):
    rng = random.Random(seed)
    graph = synthetic_network(measures=rng.randint(10, 80), agencies=rng.randint(5, 30), seed=seed)
    plan = meeting_plan(graph)
    assert_valid(graph, plan)
    assert plan.slots and plan.strategy


def test_empty_network_has_no_slots():
    plan = meeting_plan(nx.MultiDiGraph())
    assert (plan.slots, plan.lower_bound, plan.optimal) == ((), 0, True)


def test_large_plans_leave_out_the_independent_set_strategy():
    graph = synthetic_network(measures=300, agencies=40, seed=3)
    plan = meeting_plan(graph)
    assert_valid(graph, plan)
    assert plan.strategy != "independent_set"


def test_a_limit_refuses_larger_plans_before_colouring():
    from ontology.errors import InvalidParameter

    with pytest.raises(InvalidParameter, match=r"6 measures with agencies.*at most 5"):
        meeting_plan(ring_network(6), limit=5)
    assert len(meeting_plan(ring_network(6), limit=6).slots) == 2
