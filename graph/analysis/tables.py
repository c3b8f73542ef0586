"""Analyses as flat tables (header + rows): the shape CSV, XLSX, Markdown and rich tables share.

Measures are shown as ``{document id}#{ordinal}`` so one table can span a corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.analysis.assignment import AssignmentRow, DutyList
from graph.analysis.communities import WorkingGroups
from graph.analysis.coresponsibility import CoresponsibilityReport
from graph.analysis.coverage import GroupCoverage
from graph.analysis.meetings import MeetingPlan
from graph.analysis.workload import AgencyWorkload

Cell = str | int | float | bool | None
SEP = "、"


@dataclass(frozen=True)
class Table:
    name: str  # file stem / sheet name
    title: str  # human title (Chinese first)
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def measure_ref(graph: nx.MultiDiGraph, measure: str) -> str:
    data = graph.nodes[measure]
    doc = (
        graph.nodes[data["document"]].get("doc_id", data["document"])
        if data.get("document") in graph
        else ""
    )
    return f"{doc}#{data.get('ordinal', '')}"


def _refs(graph: nx.MultiDiGraph, measures: tuple[str, ...]) -> str:
    return " ".join(measure_ref(graph, m) for m in measures)


def workload_table(graph: nx.MultiDiGraph, rows: list[AgencyWorkload]) -> Table:
    return Table(
        "workload",
        "机构工作量 Workload",
        ("机构 agency", "合计 total", "牵头 lead", "配合 support", "共同 shared", "独立 sole",
         "措施 measures", "iri"),
        tuple(
            (r.label, r.total, r.lead, r.support, r.shared, r.sole,
             _refs(graph, r.measures), r.agency)
            for r in rows
        ),
    )  # fmt: skip


def coresponsibility_table(report: CoresponsibilityReport) -> Table:
    return Table(
        "coresponsibility",
        "共同责任 Co-responsibility",
        ("机构 agency", "伙伴 partners", "加权度 weighted degree", "度中心性 degree centrality",
         "介数 betweenness", "关节点 articulation point", "iri"),
        tuple(
            (a.label, a.partners, a.weighted_degree, a.degree_centrality, a.betweenness,
             a.articulation_point, a.agency)
            for a in report.agencies
        ),
    )  # fmt: skip


def links_table(graph: nx.MultiDiGraph, report: CoresponsibilityReport) -> Table:
    return Table(
        "links",
        "共同责任关系 Co-responsibility links",
        ("机构甲 agency A", "机构乙 agency B", "共同措施数 weight", "措施 measures"),
        tuple(
            (e.source_label, e.target_label, e.weight, _refs(graph, e.measures))
            for e in report.links
        ),
    )


def working_groups_table(graph: nx.MultiDiGraph, wg: WorkingGroups) -> Table:
    return Table(
        "working_groups",
        "工作专班 Working groups",
        ("专班 group", "召集单位 convener", "成员 members", "措施 measures"),
        tuple(
            (g.index, g.convener_label, SEP.join(g.member_labels), _refs(graph, g.measures))
            for g in wg.groups
        ),
    )


def meetings_table(graph: nx.MultiDiGraph, plan: MeetingPlan) -> Table:
    return Table(
        "meetings",
        "协调会安排 Meeting plan",
        ("时段 slot", "措施 measure", "标题 title", "参会单位 agencies"),
        tuple(
            (s.index, measure_ref(graph, m.measure), m.label, SEP.join(m.agency_labels))
            for s in plan.slots
            for m in s.meetings
        ),
    )


def coverage_table(graph: nx.MultiDiGraph, rows: list[GroupCoverage]) -> Table:
    return Table(
        "coverage",
        "服务对象覆盖 Target-group coverage",
        ("对象 group", "措施数 measures", "机构数 agencies", "措施 measure list",
         "机构 agency list", "项目 programs", "单一机构 single agency", "单一措施 single measure"),
        tuple(
            (r.label, len(r.measures), len(r.agencies), _refs(graph, r.measures),
             SEP.join(r.agency_labels), SEP.join(r.program_labels), r.single_agency,
             r.single_measure)
            for r in rows
        ),
    )  # fmt: skip


def assignments_table(rows: list[AssignmentRow]) -> Table:
    return Table(
        "assignments",
        "任务分工表 Task assignments",
        ("文件 document", "章 chapter", "章标题 chapter title", "序号 no.", "措施 measure",
         "负责单位 responsible", "配合单位 supporting", "服务对象 target groups",
         "项目载体 programs"),
        tuple(
            (r.document_title, r.chapter, r.chapter_title, r.ordinal, r.title,
             SEP.join(r.responsible), SEP.join(r.supporting), SEP.join(r.target_groups),
             SEP.join(r.programs))
            for r in rows
        ),
    )  # fmt: skip


def duties_table(graph: nx.MultiDiGraph, lists: list[DutyList]) -> Table:
    return Table(
        "duties",
        "责任清单 Duty lists",
        ("机构 agency", "措施 measure", "章 chapter", "标题 title", "角色 role", "排序 rank",
         "共同单位 partners"),
        tuple(
            (dl.label, measure_ref(graph, d.measure), d.chapter, d.title, d.role, d.rank,
             SEP.join(d.partners))
            for dl in lists
            for d in dl.duties
        ),
    )  # fmt: skip
