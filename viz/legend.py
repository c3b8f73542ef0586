"""The legend of a view: what each colour, shape and line means, and notes on size and labels."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from viz.style import EDGE_STYLE, NODE_STYLE, chapter_colour, short


@dataclass(frozen=True)
class LegendItem:
    kind: str  # "node" or "edge"
    colour: str
    text: str
    shape: str = "dot"
    dashed: bool = False


#: Legend lines of the views that draw agencies and measures.
NETWORK_NOTES = [
    "形状 shape：圆点 = 机构 agency，方块 = 措施 measure",
    "颜色 colour：措施按所在章着色（见上），机构为深蓝；连线颜色和线型 = 职责 role",
    "大小 size：机构按其负责的措施数，措施按其责任单位数",
    "标签 label：文件中的写法或通用简称；悬停或点击查看全称、职能、层级",
]


def node_legend(kinds: tuple[str, ...]) -> list[LegendItem]:
    return [
        LegendItem("node", NODE_STYLE[k]["color"], NODE_STYLE[k]["label"], NODE_STYLE[k]["shape"])
        for k in kinds
    ]


def edge_legend(kinds: tuple[str, ...]) -> list[LegendItem]:
    return [
        LegendItem(
            "edge",
            EDGE_STYLE[k]["color"],
            EDGE_STYLE[k]["label"],
            dashed=bool(EDGE_STYLE[k]["dashes"]),
        )
        for k in kinds
    ]


def role_legend(roles: set[str]) -> list[LegendItem]:
    return edge_legend(tuple(r for r in ("lead", "support", "shared", "sole") if r in roles))


def chapter_legend(graph: nx.MultiDiGraph, measures: list[str]) -> list[LegendItem]:
    chapters: dict[int, set[str]] = {}
    for m in measures:
        d = graph.nodes[m]
        title = str(graph.nodes[d["chapter"]]["label"]) if d.get("chapter") in graph else ""
        chapters.setdefault(int(d["chapter_ordinal"]), set()).add(title)
    items = []
    for ordinal, titles in sorted(chapters.items()):
        text = f"第{ordinal}章 " + (short(next(iter(titles)), 14) if len(titles) == 1 else "")
        items.append(LegendItem("node", chapter_colour(ordinal), text.strip(), shape="square"))
    return items


CORESPONSIBILITY_NOTES = [
    "形状 shape：圆点 = 机构 agency",
    "颜色 colour：工作专班（见上），灰色 = 无共同措施",
    "大小 size：与其他机构共同负责的措施数（加权度）；线宽 = 两机构共同措施数",
    "标签 label：文件中的写法或通用简称；悬停或点击查看全称、职能、层级",
]


GROUPS_NOTES = [
    "形状 shape：三角 = 服务对象 group，方块 = 措施 measure，星形 = 项目 program",
    "颜色 colour：措施按所在章着色；连线颜色和线型 = 关系",
    "大小 size：服务对象按直接面向它的措施数",
]


EGO_NOTES = [
    "形状 shape：方块 = 本措施，圆点 = 机构，三角 = 服务对象，星形 = 项目",
    "颜色 colour：连线颜色和线型 = 职责或关系",
    "大小 size：机构按其在本视图中负责的措施数",
    "标签 label：文件中的写法或通用简称；悬停或点击查看全称、职能、层级",
]
