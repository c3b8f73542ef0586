"""The four views of the accountability network, as vis-network node/edge lists with positions.

Views are assembled with pyvis (``pyvis.network.Network`` holds the node and edge options) and
rendered by viz/render.py with our own offline template. Every text from a document goes into
``label`` (drawn on the canvas, never parsed as HTML) or ``tip`` (turned into a tooltip with
``textContent`` in the page), so no document text is ever interpreted as markup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pyvis.network import Network

from graph.analysis.communities import working_groups
from graph.analysis.coresponsibility import coresponsibility_graph
from graph.analysis.coverage import narrower_groups
from graph.analysis.network import nodes_of_kind, responsibilities, successors_of_type
from graph.analysis.tables import measure_ref
from ontology.errors import InvalidParameter, NotFound
from viz import layout
from viz.bounds import KINDS, bounded, check_parameters
from viz.legend import (
    CORESPONSIBILITY_NOTES,
    EGO_NOTES,
    GROUPS_NOTES,
    NETWORK_NOTES,
    LegendItem,
    chapter_legend,
    edge_legend,
    node_legend,
    role_legend,
)
from viz.names import agency_head, agency_label
from viz.style import EDGE_STYLE, NODE_STYLE, chapter_colour, short

__all__ = ["KINDS", "LegendItem", "View", "build_view", "ego_view", "resolve"]

ROLE_ZH = {"lead": "牵头", "support": "配合", "shared": "共同负责", "sole": "独立负责"}


@dataclass
class View:
    kind: str
    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[LegendItem] = field(default_factory=list)
    #: What shape, colour, size and label mean, one line each, below the legend.
    notes: list[str] = field(default_factory=list)


class _NodeIds(list[Any]):
    """pyvis's list of node ids with set membership: ``add_node`` and ``add_edge`` test it
    for every node and edge, a list scan that made a 2,500-node view cost seconds."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


class _Assembler:
    """A pyvis Network plus positions; emits plain dicts for the renderer."""

    def __init__(self) -> None:
        self.net = Network(directed=True)
        self.net.node_ids = _NodeIds()

    def node(self, iri: str, label: str, tip: str, kind: str, **opts: Any) -> None:
        style = NODE_STYLE[kind]
        opts.setdefault("color", style["color"])
        self.net.add_node(iri, label=label, shape=style["shape"], tip=tip, kind=kind, **opts)

    def edge(
        self, src: str, dst: str, style: str, tip: str, arrow: bool = True, **opts: Any
    ) -> None:
        s = EDGE_STYLE[style]
        self.net.add_edge(
            src,
            dst,
            color=s["color"],
            width=opts.pop("width", s["width"]),
            dashes=s["dashes"],
            tip=tip,
            arrows="to" if arrow else "",
            **opts,
        )

    def view(self, kind: str, title: str, pos: dict[str, layout.Position]) -> View:
        pos = layout.rounded(pos)
        nodes = []
        for n in self.net.nodes:
            d = {k: v for k, v in n.items() if k not in ("font", "title")}
            d["x"], d["y"] = pos.get(str(n["id"]), (0.0, 0.0))
            nodes.append(d)
        edges = [{k: v for k, v in e.items() if k != "title"} for e in self.net.edges]
        return View(kind=kind, title=title, nodes=nodes, edges=edges)


def resolve(graph: nx.MultiDiGraph, kind: str, value: str) -> str:
    """A node of ``kind`` named by IRI, by id (IRI suffix, e.g. ``jinan-2025-5/measure/3``),
    or by exact label. Raises NotFound, or InvalidParameter when ambiguous."""
    nodes = nodes_of_kind(graph, kind)
    if value in graph and value in nodes:
        return value
    found = [n for n in nodes if n.endswith("/" + value)]
    if not found:
        found = [n for n in nodes if graph.nodes[n].get("label") == value]
    if not found:
        raise NotFound(f"{kind} {value!r} is not in the selected graph")
    if len(found) > 1:
        raise InvalidParameter(f"{kind}: {value!r} names {len(found)} nodes; give the full id")
    return found[0]


def _measure_tip(
    graph: nx.MultiDiGraph, m: str, resp: list[tuple[str, str, int]] | None = None
) -> str:
    d = graph.nodes[m]
    resp = responsibilities(graph, m) if resp is None else resp
    label = graph.nodes
    agencies = "、".join(f"{label[a]['label']}（{ROLE_ZH.get(r, r)}）" for a, r, _ in resp)
    chapter = graph.nodes[d["chapter"]]["label"] if d.get("chapter") in graph else ""
    head = f"{measure_ref(graph, m)}  第{d['chapter_ordinal']}章 {chapter}"
    return f"{head}\n{d.get('title', '')}\n责任单位：{agencies}"


def _measure_label(graph: nx.MultiDiGraph, m: str) -> str:
    d = graph.nodes[m]
    return f"{d['ordinal']}. {short(str(d.get('title', '')), 8)}"


def _agency_tip(graph: nx.MultiDiGraph, a: str, measures: set[str]) -> str:
    roles: dict[str, int] = {}
    for _a, m, d in graph.out_edges(a, data=True):
        if d.get("type") == "responsible_for" and m in measures:
            roles[str(d["role"])] = roles.get(str(d["role"]), 0) + 1
    detail = "，".join(f"{ROLE_ZH.get(r, r)} {n}" for r, n in sorted(roles.items()))
    return f"{agency_head(graph, a, measures)}\n措施 {sum(roles.values())} 项（{detail}）"


def _accountability_nodes(
    graph: nx.MultiDiGraph, measures: list[str], asm: _Assembler
) -> tuple[list[str], set[str]]:
    duties = {m: responsibilities(graph, m) for m in measures}
    load: dict[str, int] = {}  # agencies in order of first duty, with their measure counts
    roles: set[str] = set()
    for m, resp in duties.items():
        asm.node(
            m,
            _measure_label(graph, m),
            _measure_tip(graph, m, resp),
            "measure",
            color=chapter_colour(int(graph.nodes[m]["chapter_ordinal"])),
            size=8 + 2 * len(resp),
        )
        for a, _, _ in resp:
            load[a] = load.get(a, 0) + 1
    agencies = list(load)
    selected = set(measures)
    for a in sorted(agencies, key=lambda n: (graph.nodes[n]["label"], n)):
        asm.node(
            a,
            agency_label(graph, a, selected),
            _agency_tip(graph, a, selected),
            "agency",
            size=10 + 5 * math.sqrt(load[a]),
        )
    for m, resp in duties.items():
        for a, role, rank in resp:
            roles.add(role)
            duty = f"{ROLE_ZH.get(role, role)}（第{rank}位）"
            tip = f"{graph.nodes[a]['label']} → {measure_ref(graph, m)}：{duty}"
            asm.edge(a, m, role, tip)
    return agencies, roles


def accountability_view(
    graph: nx.MultiDiGraph, agency: str | None = None, group: str | None = None
) -> View:
    """Agencies and measures; measures coloured by chapter, sized by number of agencies."""
    measures = nodes_of_kind(graph, "measure")
    title = "问责网络 Accountability network"
    if agency is not None:
        a = resolve(graph, "agency", agency)
        mine = {
            m for _a, m, d in graph.out_edges(a, data=True) if d.get("type") == "responsible_for"
        }
        measures = [m for m in measures if m in mine]
        title += f" · {graph.nodes[a]['label']}"
    if group is not None:
        g = resolve(graph, "group", group)
        served = {g} | narrower_groups(graph, g)
        measures = [m for m in measures if set(successors_of_type(graph, m, "targets")) & served]
        title += f" · {graph.nodes[g]['label']}"
    bounded(measures, "measures")
    asm = _Assembler()
    agencies, roles = _accountability_nodes(graph, measures, asm)
    start = layout.ring(measures, layout.ring_radius(len(measures)))
    start.update(layout.barycentric(graph, start, agencies))
    sub = graph.subgraph(measures + agencies)
    view = asm.view("accountability", title, layout.refine(sub, start))
    view.legend = [
        LegendItem("node", NODE_STYLE["agency"]["color"], "机构（大小=措施数）"),
        *chapter_legend(graph, measures),
        *role_legend(roles),
    ]
    view.notes = list(NETWORK_NOTES)
    return view


def coresponsibility_view(graph: nx.MultiDiGraph, agency: str | None = None) -> View:
    """Agencies linked by shared measures; colour = working group, width = shared measures."""
    co = coresponsibility_graph(graph)
    title = "共同责任网络 Co-responsibility network"
    keep = list(co.nodes)
    if agency is not None:
        a = resolve(graph, "agency", agency)
        keep = [a, *sorted(co[a], key=lambda n: (graph.nodes[n]["label"], n))]
        title += f" · {graph.nodes[a]['label']}"
    bounded(keep, "agencies")
    groups = working_groups(graph)
    index = {m: g.index for g in groups.groups for m in g.members}
    order = sorted(keep, key=lambda n: (index.get(n, 10**6), graph.nodes[n]["label"], n))
    asm = _Assembler()
    for n in order:
        wdeg = int(co.degree(n, weight="weight"))
        colour = chapter_colour(index[n]) if n in index else "#7f7f7f"
        group_text = f"工作专班 {index[n]}" if n in index else "无共同措施"
        asm.node(
            n,
            agency_label(graph, n),
            f"{agency_head(graph, n)}\n{group_text}\n合作单位 {co.degree(n)} 个，加权 {wdeg}",
            "agency",
            color=colour,
            size=10 + 3 * math.sqrt(wdeg),
        )
    kept = set(order)
    for u, v, d in sorted(co.edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1]))):
        if u in kept and v in kept:
            s, t = sorted((u, v))
            refs = " ".join(measure_ref(graph, m) for m in d["measures"])
            pair = f"{graph.nodes[s]['label']} — {graph.nodes[t]['label']}"
            tip = f"{pair}：共同措施 {d['weight']} 项\n{refs}"
            asm.edge(s, t, "co", tip, arrow=False, width=min(1 + d["weight"], 12))
    start = layout.ring(order, layout.ring_radius(len(order), 60.0))
    view = asm.view("coresponsibility", title, layout.refine(co.subgraph(order), start))
    view.legend = [
        *[
            LegendItem(
                "node", chapter_colour(g.index), f"工作专班 {g.index}（召集：{g.convener_label}）"
            )
            for g in groups.groups
            if set(g.members) & kept
        ],
        LegendItem("edge", EDGE_STYLE["co"]["color"], "线宽=共同措施数"),
    ]
    view.notes = list(CORESPONSIBILITY_NOTES)
    return view


def groups_view(graph: nx.MultiDiGraph, group: str | None = None) -> View:
    """Target groups – measures – programs, in three columns (broader groups first)."""
    groups = nodes_of_kind(graph, "group")
    title = "服务对象 Target groups"
    if group is not None:
        g = resolve(graph, "group", group)
        groups = [n for n in groups if n in ({g} | narrower_groups(graph, g))]
        title += f" · {graph.nodes[g]['label']}"
    gset = set(groups)
    measures = [
        m
        for m in nodes_of_kind(graph, "measure")
        if set(successors_of_type(graph, m, "targets")) & gset
    ]
    bounded(measures, "measures")
    programs = sorted(
        {p for m in measures for p in successors_of_type(graph, m, "uses")},
        key=lambda n: (graph.nodes[n]["label"], n),
    )
    depth = {g: len(narrower_groups(graph, g)) for g in groups}
    groups.sort(key=lambda n: (-min(depth[n], 1), graph.nodes[n]["label"], n))
    asm = _Assembler()
    for g in groups:
        served = [m for m in measures if g in successors_of_type(graph, m, "targets")]
        asm.node(
            g,
            short(str(graph.nodes[g]["label"]), 10),
            f"{graph.nodes[g]['label']}\n直接面向的措施 {len(served)} 项",
            "group",
            size=12 + 2 * len(served),
        )
    for m in measures:
        asm.node(
            m,
            _measure_label(graph, m),
            _measure_tip(graph, m),
            "measure",
            color=chapter_colour(int(graph.nodes[m]["chapter_ordinal"])),
            size=10,
        )
    for p in programs:
        asm.node(
            p,
            short(str(graph.nodes[p]["label"]), 10),
            f"{graph.nodes[p]['label']}\n类型：{graph.nodes[p].get('program_type', '')}",
            "program",
            size=12,
        )
    for m in measures:
        for g in successors_of_type(graph, m, "targets"):
            if g in gset:
                asm.edge(m, g, "targets", f"{measure_ref(graph, m)} 面向 {graph.nodes[g]['label']}")
        for p in successors_of_type(graph, m, "uses"):
            asm.edge(m, p, "uses", f"{measure_ref(graph, m)} 依托 {graph.nodes[p]['label']}")
    for g in groups:
        for b in successors_of_type(graph, g, "broader"):
            if b in gset:
                asm.edge(
                    g, b, "broader", f"{graph.nodes[g]['label']} 属于 {graph.nodes[b]['label']}"
                )
    view = asm.view("groups", title, layout.columns([groups, measures, programs]))
    view.legend = [
        *node_legend(("group", "measure", "program")),
        *edge_legend(("targets", "uses", "broader")),
    ]
    view.notes = list(GROUPS_NOTES)
    return view


def ego_view(graph: nx.MultiDiGraph, agency: str | None = None, measure: str | None = None) -> View:
    """One agency with its measures and partners, or one measure with everything around it."""
    check_parameters("ego", agency, measure)
    if agency is not None:
        view = accountability_view(graph, agency=agency)
        view.kind = "ego"
        return view
    m = resolve(graph, "measure", str(measure))
    asm = _Assembler()
    agencies, roles = _accountability_nodes(graph, [m], asm)
    around = successors_of_type(graph, m, "targets") + successors_of_type(graph, m, "uses")
    for n in around:
        kind = graph.nodes[n]["kind"]
        asm.node(
            n, short(str(graph.nodes[n]["label"]), 10), str(graph.nodes[n]["label"]), kind, size=14
        )
        asm.edge(
            m,
            n,
            "targets" if kind == "group" else "uses",
            f"{measure_ref(graph, m)} → {graph.nodes[n]['label']}",
        )
    pos = {m: (0.0, 0.0), **layout.ring(agencies + around, 260.0)}
    view = asm.view("ego", f"措施 {measure_ref(graph, m)}", pos)
    view.legend = [
        *node_legend(("agency", "group", "program")),
        *role_legend(roles),
    ]
    view.notes = list(EGO_NOTES)
    return view


def build_view(
    graph: nx.MultiDiGraph,
    kind: str,
    agency: str | None = None,
    group: str | None = None,
    measure: str | None = None,
) -> View:
    """Dispatch on the view kind (accountability, coresponsibility, groups, ego)."""
    check_parameters(kind, agency, measure)  # an unknown kind is refused here
    if kind == "accountability":
        return accountability_view(graph, agency=agency, group=group)
    if kind == "coresponsibility":
        return coresponsibility_view(graph, agency=agency)
    if kind == "groups":
        return groups_view(graph, group=group)
    if kind == "ego":
        return ego_view(graph, agency=agency, measure=measure)
    raise AssertionError(kind)
