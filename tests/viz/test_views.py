"""View assembly and the offline page, without a browser."""

from __future__ import annotations

import json
import random
import re

import networkx as nx
import pytest

from graph.analysis.network import network_from_extractions
from ontology.errors import InvalidParameter, NotFound
from tests.graph.analysis.builders import IRIS, iri, small_extraction
from viz.render import render_html, script_json, write_html
from viz.views import build_view


def synthetic_network(measures: int, agencies: int, seed: int) -> nx.MultiDiGraph:
    """A corpus-sized network following graph.analysis.network's contract (1-4 agencies each)."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    doc = str(IRIS.document("synthetic-2025-1"))
    g.add_node(doc, kind="document", label="合成文件", doc_id="synthetic-2025-1")
    for c in range(1, 9):
        g.add_node(f"{doc}/chapter/{c}", kind="chapter", label=f"第{c}章", ordinal=c, document=doc)
    names = [str(IRIS.agency(f"a{i}")) for i in range(agencies)]
    for i, a in enumerate(names):
        g.add_node(a, kind="agency", label=f"市第{i}局", kind_of_agency="x", registered=True)
    for m in range(1, measures + 1):
        ch = 1 + (m - 1) * 8 // measures
        node = str(IRIS.measure("synthetic-2025-1", m))
        g.add_node(
            node, kind="measure", label=f"措施{m}", title=f"措施{m}", ordinal=m,
            chapter=f"{doc}/chapter/{ch}", chapter_ordinal=ch, document=doc,
        )  # fmt: skip
        for rank, a in enumerate(rng.sample(names, rng.randint(1, 4)), start=1):
            role = "lead" if rank == 1 else "support"
            g.add_edge(a, node, key="responsible_for", type="responsible_for", role=role, rank=rank)
    return g


@pytest.fixture
def graph():
    return network_from_extractions([small_extraction()], IRIS)


def data_of(html: str) -> dict:
    block = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S)
    assert block is not None
    return json.loads(block.group(1))


def test_accountability_view_nodes_edges_and_roles(graph):
    view = build_view(graph, "accountability")
    assert len(view.nodes) == 11 and len(view.edges) == 11
    a = next(n for n in view.nodes if n["id"] == iri("A"))
    assert a["label"] == "市甲局" and a["kind"] == "agency"
    lead = next(e for e in view.edges if e["from"] == iri("A") and e["to"] == iri("m1"))
    support = next(e for e in view.edges if e["from"] == iri("B") and e["to"] == iri("m1"))
    assert lead["width"] == 3 and lead["dashes"] is False
    assert support["width"] == 1 and support["dashes"] == [6, 4]
    # m1 and m2 are chapter 1, m4 chapter 2: different colours
    colour = {n["id"]: n["color"] for n in view.nodes}
    assert colour[iri("m1")] == colour[iri("m2")] != colour[iri("m4")]


def test_filters_by_agency_and_group(graph):
    by_agency = build_view(graph, "accountability", agency="agency-d")
    ids = {n["id"] for n in by_agency.nodes}
    assert ids == {iri("m4"), iri("m5"), iri("A"), iri("D"), iri("E")}
    by_group = build_view(graph, "accountability", group="青年")  # youth includes graduates
    assert {n["id"] for n in by_group.nodes if n["kind"] == "measure"} == {iri("m1"), iri("m2")}
    co = build_view(graph, "coresponsibility", agency="市丁局")
    assert {n["id"] for n in co.nodes} == {iri("A"), iri("D"), iri("E")}
    assert len(co.edges) == 2  # A-D and D-E (A-E share nothing)


def test_coresponsibility_edge_width_follows_shared_measures(graph):
    view = build_view(graph, "coresponsibility")
    ab = next(e for e in view.edges if {e["from"], e["to"]} == {iri("A"), iri("B")})
    ad = next(e for e in view.edges if {e["from"], e["to"]} == {iri("A"), iri("D")})
    assert (ab["width"], ad["width"]) == (3, 2)  # 1 + shared measures


def test_unknown_or_missing_filter_is_an_error(graph):
    with pytest.raises(NotFound, match="agency 'nobody'"):
        build_view(graph, "accountability", agency="nobody")
    with pytest.raises(InvalidParameter, match="exactly one"):
        build_view(graph, "ego")
    with pytest.raises(InvalidParameter, match="not one of"):
        build_view(graph, "sankey")


def test_layout_is_deterministic_and_spread(graph):
    first = build_view(graph, "accountability")
    again = build_view(network_from_extractions([small_extraction()], IRIS), "accountability")
    assert [(n["id"], n["x"], n["y"]) for n in first.nodes] == [
        (n["id"], n["x"], n["y"]) for n in again.nodes
    ]
    points = {(n["x"], n["y"]) for n in first.nodes}
    assert len(points) == len(first.nodes)  # no two nodes on the same spot


def test_page_is_self_contained_and_escapes_script_breakers(graph, tmp_path):
    nx.set_node_attributes(
        graph, {iri("m1"): "</script><img src=x onerror=alert(1)>\u2028&"}, "title"
    )
    html = render_html(build_view(graph, "accountability"))
    assert "<script src" not in html and "http://" not in html.split("<script")[0].lower()
    assert not re.search(r"https?://(?!example\.org)[^\s\"']+\.(js|css)", html)
    data_block = html.split('<script id="graph-data" type="application/json">')[1].split(
        "</script>"
    )[0]
    assert "<" not in data_block and "\u2028" not in data_block
    tip = next(n["tip"] for n in data_of(html)["nodes"] if n["id"] == iri("m1"))
    assert "</script><img src=x onerror=alert(1)>\u2028&" in tip
    path = write_html(build_view(graph, "groups"), tmp_path / "g.html")
    assert path.read_bytes().decode("utf-8").count("青年") >= 1


def test_script_json_round_trips():
    value = {"t": "</script>&<b>\u2028\u2029"}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


def test_large_graph_layout_is_fast():
    import time

    graph = synthetic_network(measures=1700, agencies=300, seed=7)
    started = time.perf_counter()
    view = build_view(graph, "accountability")
    assert len(view.nodes) == 2000
    assert time.perf_counter() - started < 3.0
