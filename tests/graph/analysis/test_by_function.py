"""graph.analysis.by_function and its store reader on the chain corpus plus the second city.

By hand from the fixture texts (人社 = 人力资源社会保障; sole counts as lead in the matrix):
national 国发〔2023〕9号 and provincial 岳政发〔2023〕15号 alike: 1 人社+财政 负责 (shared),
2 人社+教育 负责 (shared), 3 人社 alone (sole). City 泉政发〔2024〕3号: 1 人社 lead, 财政
support; 2 人社 lead, 教育 support; 3 人社 sole. County 青政发〔2024〕7号: 1 人社 lead, 财政
support; 2 人社 sole. Second city 石政发〔2024〕8号: 1 财政 lead, 人社 support; 2 教育 lead, 人社
and 财政 support; 3 退役军人 sole.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from graph.analysis.by_function import (
    UNCLASSIFIED,
    MatrixCell,
    MatrixFunction,
    by_function_table,
    duty_rows,
    function_network,
    lead_matrix,
    lead_matrix_table,
)
from graph.analysis.coresponsibility import coresponsibility
from graph.analysis.lead_counts import read_duty_rows
from graph.analysis.network import network_from_extractions
from graph.analysis.tables import workload_table
from graph.analysis.workload import workload
from graph.rdf.store import RdfStore
from loaders import extract_file
from loaders.model import Extraction
from ontology.errors import NotFound
from ontology.iris import Iris
from tests.paths import ROOT
from viz.heatmap import MAX_DOCUMENTS, lead_matrix_svg

IRIS = Iris("http://localhost:8000")
FILES = [
    *sorted((ROOT / "tests" / "fixtures" / "chain").glob("*.txt")),
    ROOT / "tests" / "fixtures" / "compare" / "city-shizhengfa-2024-8.txt",
]
F = "http://localhost:8000/id/function/"
HRSS, FIN, EDU, VET = "人力资源社会保障", "财政", "教育", "退役军人事务"
NATION, PROVINCE, CITY, COUNTY, SHIMEN = (
    "doc-gf-2023-9", "dongyue-yzf-2023-15", "quanhe-2024-3", "quanhe-qzf-2024-7", "shimen-2024-8"
)  # fmt: skip


@pytest.fixture(scope="module")
def extractions() -> list[Extraction]:
    return [extract_file(p) for p in FILES]


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory, extractions: list[Extraction]
) -> Iterator[RdfStore]:
    with RdfStore.open(tmp_path_factory.mktemp("by-function") / "rdf", IRIS) as opened:
        opened.ensure_vocabularies()
        for ex in extractions:
            opened.load_document(ex)
        yield opened


def test_workload_by_function(extractions: list[Extraction]) -> None:
    folded = function_network(network_from_extractions(extractions, IRIS))
    rows = [
        (r.agency, r.label, r.total, r.lead, r.support, r.shared, r.sole) for r in workload(folded)
    ]
    assert rows == [
        # lead: city 1, 2, county 1; sole: national 3, provincial 3, city 3, county 2;
        # shared: national 1, 2, provincial 1, 2; support: second city 1, 2
        (F + "hrss", HRSS, 13, 3, 2, 4, 4),
        (F + "finance", FIN, 6, 1, 3, 2, 0),
        (F + "education", EDU, 4, 1, 1, 2, 0),
        (F + "veterans", VET, 1, 0, 0, 0, 1),
    ]
    folded_agencies = folded.nodes[F + "hrss"]["agencies"]
    assert len(folded_agencies) == 5  # 人社 of five different governments
    header = by_function_table(workload_table(folded, workload(folded))).headers
    assert header[0] == "职能 function" and header[-1] == "iri"


def test_coresponsibility_by_function(extractions: list[Extraction]) -> None:
    report = coresponsibility(function_network(network_from_extractions(extractions, IRIS)))
    links = [(e.source_label, e.target_label, e.weight) for e in report.links]
    # 人社-财政: measure 1 of all five, and 2 of the second city; 人社-教育: 2 of four;
    # each pair from the smaller IRI (education < finance < hrss)
    assert links == [(FIN, HRSS, 6), (EDU, HRSS, 4), (EDU, FIN, 1)]


def test_strongest_role_when_agencies_fold() -> None:
    g = nx.MultiDiGraph()
    g.add_node("m", kind="measure", ordinal=1, document="d", title="t", label="t")
    g.add_node("d", kind="document", doc_id="d", label="d")
    for a, function, role, rank in (
        ("a1", F + "hrss", "support", 1),
        ("a2", F + "hrss", "lead", 3),
        ("a3", None, "support", 2),
        ("a4", None, "shared", 4),
    ):
        g.add_node(a, kind="agency", label=a, function_iri=function,
                   function=HRSS if function else None)  # fmt: skip
        g.add_edge(a, "m", key="responsible_for", type="responsible_for", role=role, rank=rank)
    folded = function_network(g)
    edges = sorted((s, d["role"], d["rank"]) for s, _m, d in folded.in_edges("m", data=True))
    assert edges == [(F + "hrss", "lead", 3), (UNCLASSIFIED, "shared", 4)]
    assert folded.nodes[UNCLASSIFIED]["label"] == "未归类 unclassified"
    assert folded.nodes[F + "hrss"]["agencies"] == ("a1", "a2")


def test_lead_matrix(extractions: list[Extraction]) -> None:
    matrix = lead_matrix(duty_rows(network_from_extractions(extractions, IRIS)))
    cells = [(c.document, c.label, c.lead, c.shared, c.support) for c in matrix.cells]
    assert cells == [
        (NATION, HRSS, 1, 2, 0), (NATION, FIN, 0, 1, 0), (NATION, EDU, 0, 1, 0),
        (PROVINCE, HRSS, 1, 2, 0), (PROVINCE, FIN, 0, 1, 0), (PROVINCE, EDU, 0, 1, 0),
        (CITY, HRSS, 3, 0, 0), (CITY, FIN, 0, 0, 1), (CITY, EDU, 0, 0, 1),
        (COUNTY, HRSS, 2, 0, 0), (COUNTY, FIN, 0, 0, 1),
        (SHIMEN, HRSS, 0, 0, 2), (SHIMEN, FIN, 1, 0, 1), (SHIMEN, EDU, 1, 0, 0),
        (SHIMEN, VET, 1, 0, 0),
    ]  # fmt: skip
    assert matrix.functions == (
        MatrixFunction(F + "hrss", HRSS, 7, 4, 2, 5),
        MatrixFunction(F + "finance", FIN, 1, 2, 3, 5),
        MatrixFunction(F + "education", EDU, 1, 2, 1, 4),
        MatrixFunction(F + "veterans", VET, 1, 0, 0, 1),
    )
    assert [(d.id, d.measures) for d in matrix.documents] == [
        (NATION, 3), (PROVINCE, 3), (CITY, 3), (COUNTY, 2), (SHIMEN, 3)
    ]  # fmt: skip
    assert lead_matrix_table(matrix).rows[-1] == (
        SHIMEN, SHIMEN, VET, 1, 0, 0, 1, F + "veterans"
    )  # fmt: skip


def test_store_reader_gives_the_same_matrix(store: RdfStore, extractions: list[Extraction]) -> None:
    rows, labels = read_duty_rows(store)
    assert labels == {
        NATION: "国发〔2023〕9号", PROVINCE: "岳政发〔2023〕15号", CITY: "泉政发〔2024〕3号",
        COUNTY: "青政发〔2024〕7号", SHIMEN: "石政发〔2024〕8号",
    }  # fmt: skip
    from_network = lead_matrix(duty_rows(network_from_extractions(extractions, IRIS)), labels)
    assert lead_matrix(rows, labels) == from_network
    one, one_labels = read_duty_rows(store, COUNTY)
    assert lead_matrix(one, one_labels).cells == (
        MatrixCell(COUNTY, F + "hrss", HRSS, 2, 0, 0),
        MatrixCell(COUNTY, F + "finance", FIN, 0, 0, 1),
    )
    with pytest.raises(NotFound):
        read_duty_rows(store, "nowhere-2025-1")


def test_heat_map(store: RdfStore) -> None:
    matrix = lead_matrix(*read_duty_rows(store))
    svg = lead_matrix_svg(matrix)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title>牵头矩阵 Lead matrix: 5 of 5 documents × 4 of 4 functions" in svg
    for label in ("石政发〔2024〕8号", HRSS, VET, "牵头 lead", "共同 shared", "配合 support"):
        assert label in svg
    assert lead_matrix_svg(matrix) == svg  # the same matrix draws the same bytes


def test_heat_map_cuts_rows_and_escapes(tmp_path: Path) -> None:
    from graph.analysis.by_function import DutyRow

    rows = [DutyRow(f"d{i:03}", f"m{i}", F + "x", "<b>&职能</b>", "lead") for i in range(70)]
    svg = lead_matrix_svg(lead_matrix(rows))
    assert f"{MAX_DOCUMENTS} of 70 documents" in svg
    assert "<b>" not in svg and "&lt;b&gt;&amp;职能&lt;/b&gt;" in svg
