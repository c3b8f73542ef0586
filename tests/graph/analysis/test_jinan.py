"""The analyses on 济政发〔2025〕5号 (data/jinan-2025-5.txt); numbers checked by hand against the
responsibility clauses (责任单位) of its 20 measures."""

from __future__ import annotations

import pytest

from graph.analysis.assignment import assignment_table
from graph.analysis.coresponsibility import coresponsibility
from graph.analysis.meetings import meeting_plan
from graph.analysis.network import build_network, network_from_extractions
from graph.analysis.workload import workload
from graph.rdf.store import RdfStore
from loaders import extract_file
from ontology.iris import Iris
from tests.paths import ROOT

DATA = ROOT / "data" / "jinan-2025-5.txt"
IRIS = Iris("http://localhost:8000")
HRSS = "济南市人力资源和社会保障局"


@pytest.fixture(scope="module")
def extraction():
    return extract_file(DATA)


@pytest.fixture(scope="module")
def store(extraction):
    rdf = RdfStore.open(None, IRIS)
    rdf.ensure_vocabularies()
    rdf.load_document(extraction)
    yield rdf
    rdf.close()


@pytest.fixture(scope="module")
def graph(store):
    return build_network(store, document="jinan-2025-5")


def signature(g):
    nodes = sorted((n, tuple(sorted(d.items()))) for n, d in g.nodes(data=True))
    edges = sorted(
        (u, v, k, tuple(sorted(d.items()))) for u, v, k, d in g.edges(keys=True, data=True)
    )
    return nodes, edges


def test_store_and_extraction_give_the_same_graph(store, extraction, graph):
    assert signature(graph) == signature(network_from_extractions([extraction], IRIS))
    assert signature(build_network(store)) == signature(graph)  # one document = the corpus
    chapter = build_network(store, document="jinan-2025-5", chapter=2)
    assert signature(chapter) == signature(
        network_from_extractions([extraction], IRIS, document="jinan-2025-5", chapter=2)
    )


def test_hrss_answers_for_19_of_20_measures(graph):
    rows = {r.label: r for r in workload(graph)}
    hrss = rows[HRSS]
    assert hrss.total == 19
    assert [graph.nodes[m]["ordinal"] for m in hrss.measures] == [
        1,
        *range(3, 21),
    ]  # all but (二), which names 发展改革委 and 工业和信息化局 only
    # (十四)(十七)(十九) name 人社局 alone
    assert hrss.sole == 3
    assert (rows["济南市发展和改革委员会"].total, rows["济南市教育局"].total) == (6, 6)
    assert rows["济南市财政局"].total == 5  # (四)(五)(七)(十二)(十三)
    assert len(rows) == 21


def test_jinan_chapter_filter(store):
    chapter = build_network(store, document="jinan-2025-5", chapter=2)
    ordinals = sorted(d["ordinal"] for _n, d in chapter.nodes(data=True) if d["kind"] == "measure")
    assert ordinals == [5, 6, 7, 8]


def test_jinan_meeting_plan_is_optimal(graph):
    plan = meeting_plan(graph)
    # 人社局 attends 19 meetings; (二) can share a slot with a measure without 发改委/工信局
    assert (plan.lower_bound, len(plan.slots), plan.optimal) == (19, 19, True)


def test_jinan_coresponsibility_and_assignments(graph):
    report = coresponsibility(graph)
    top = {frozenset((k.source_label, k.target_label)): k.weight for k in report.links}
    # 发改委 and 人社局 share (一)(三)(五)(六)(十三)
    assert top[frozenset((HRSS, "济南市发展和改革委员会"))] == 5
    assert report.agencies[0].label == HRSS
    rows = assignment_table(graph)
    assert len(rows) == 20
    assert rows[4].title == "促进高校毕业生等青年群体就业"
    assert len(rows[4].responsible) + len(rows[4].supporting) == 10
