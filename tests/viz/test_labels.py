"""Agency labels in the views: the name as the documents write it, or the usual abbreviation
of ontology/vocab/agencies.ttl; the full name, function and level in the tooltip; a legend
that says what shape, colour and size mean.

Jinan facts (data/jinan-2025-5.txt and the vocabularies): the document writes
市人力资源社会保障局 (10 characters; agencies.ttl lists 市人社局 among its altLabels),
市工业和信息化局 (8; 市工信局), 市发展改革委 (6, kept as written).
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis.network import network_from_extractions
from loaders import extract_file
from ontology.iris import Iris
from tests.graph.analysis.builders import IRIS, iri, small_extraction
from tests.paths import ROOT
from viz.names import ABBREVIATE_FROM, LABEL_LIMIT, agency_label
from viz.render import render_html
from viz.views import build_view

JINAN = Iris("http://localhost:8000")


@pytest.fixture(scope="module")
def jinan() -> nx.MultiDiGraph:
    return network_from_extractions([extract_file(ROOT / "data" / "jinan-2025-5.txt")], JINAN)


def _agency(view_nodes: list[dict[str, object]], agency_id: str) -> dict[str, object]:
    return next(n for n in view_nodes if n["id"] == str(JINAN.agency(agency_id)))


def test_labels_as_written_or_abbreviated(jinan: nx.MultiDiGraph) -> None:
    view = build_view(jinan, "accountability")
    assert _agency(view.nodes, "jinan-hrss")["label"] == "市人社局"
    assert _agency(view.nodes, "jinan-iit")["label"] == "市工信局"
    assert _agency(view.nodes, "jinan-drc")["label"] == "市发展改革委"
    assert _agency(view.nodes, "jinan-edu")["label"] == "市教育局"
    labels = [str(n["label"]) for n in view.nodes if n["kind"] == "agency"]
    assert not any(label.endswith("…") for label in labels)
    assert "济南市人力资源和社会保障局" not in labels  # canonical names go to the tooltip
    co = build_view(jinan, "coresponsibility")
    assert _agency(co.nodes, "jinan-hrss")["label"] == "市人社局"


def test_tooltip_has_full_name_function_level_and_written_form(jinan: nx.MultiDiGraph) -> None:
    for kind in ("accountability", "coresponsibility"):
        tip = str(_agency(build_view(jinan, kind).nodes, "jinan-hrss")["tip"])
        lines = tip.split("\n")
        assert lines[:4] == [
            "济南市人力资源和社会保障局",
            "职能 function：人力资源社会保障",
            "层级 level：市级 city",
            "文中写作 as written：市人力资源社会保障局",
        ]
    ego = build_view(jinan, "ego", measure="jinan-2025-5/measure/5")
    tip = str(_agency(ego.nodes, "jinan-youth-league")["tip"])
    assert tip.startswith("共青团济南市委员会\n职能 function：共青团\n层级 level：市级 city\n")


def test_unregistered_names_are_kept_as_written(jinan: nx.MultiDiGraph) -> None:
    graph = network_from_extractions([small_extraction()], IRIS)
    a = iri("A")
    assert agency_label(graph, a) == "市甲局"  # no vocabulary entry: the written name
    long_name = "市某某某某某某某某某某某某某某局"  # 16 characters, not in any vocabulary
    for _a, _m, d in graph.out_edges(a, data=True):
        d["written"] = long_name
    assert len(long_name) > LABEL_LIMIT >= ABBREVIATE_FROM
    assert agency_label(graph, a) == long_name[: LABEL_LIMIT - 1] + "…"


def test_legend_explains_shape_colour_size(jinan: nx.MultiDiGraph) -> None:
    for kind, options in (
        ("accountability", {}),
        ("coresponsibility", {}),
        ("groups", {}),
        ("ego", {"measure": "jinan-2025-5/measure/5"}),
    ):
        view = build_view(jinan, kind, **options)
        notes = " ".join(view.notes)
        for word in ("形状 shape", "颜色 colour", "大小 size"):
            assert word in notes, (kind, word)
        html = render_html(view)
        assert '<ul class="notes">' in html and view.notes[0] in html
