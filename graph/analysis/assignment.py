"""The task-assignment table (任务分工表) and per-agency duty lists (责任清单).

Columns follow how Chinese governments publish them: the responsible units (牵头/负责单位: roles
lead, shared and sole, in the order the document names them) and the supporting units (配合单位:
role support).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.analysis.network import nodes_of_kind, responsibilities, successors_of_type

RESPONSIBLE_ROLES = frozenset({"lead", "shared", "sole"})


@dataclass(frozen=True)
class AssignmentRow:
    measure: str
    document: str  # document IRI
    document_title: str
    chapter: int
    chapter_title: str
    ordinal: int
    title: str
    responsible: tuple[str, ...]  # labels, rank order (lead/shared/sole)
    supporting: tuple[str, ...]  # labels, rank order (support)
    target_groups: tuple[str, ...]  # labels
    programs: tuple[str, ...]  # labels


@dataclass(frozen=True)
class Duty:
    measure: str
    document: str
    chapter: int
    ordinal: int
    title: str
    role: str
    rank: int
    partners: tuple[str, ...]  # labels of the other agencies of the measure, rank order


@dataclass(frozen=True)
class DutyList:
    agency: str
    label: str
    duties: tuple[Duty, ...]  # document order


def assignment_table(graph: nx.MultiDiGraph) -> list[AssignmentRow]:
    """One row per measure in document order."""
    label = {n: str(d.get("label", "")) for n, d in graph.nodes(data=True)}
    rows = []
    for m in nodes_of_kind(graph, "measure"):
        data = graph.nodes[m]
        resp = responsibilities(graph, m)
        rows.append(
            AssignmentRow(
                measure=m,
                document=str(data["document"]),
                document_title=label.get(str(data["document"]), ""),
                chapter=int(data["chapter_ordinal"]),
                chapter_title=label.get(str(data["chapter"]), ""),
                ordinal=int(data["ordinal"]),
                title=str(data.get("title", "")),
                responsible=tuple(label[a] for a, r, _ in resp if r in RESPONSIBLE_ROLES),
                supporting=tuple(label[a] for a, r, _ in resp if r not in RESPONSIBLE_ROLES),
                target_groups=tuple(label[g] for g in successors_of_type(graph, m, "targets")),
                programs=tuple(label[p] for p in successors_of_type(graph, m, "uses")),
            )
        )
    return rows


def duty_lists(graph: nx.MultiDiGraph) -> list[DutyList]:
    """One duty list per agency (agencies by label), duties in document order."""
    label = {n: str(d.get("label", "")) for n, d in graph.nodes(data=True)}
    duties: dict[str, list[Duty]] = {}
    for m in nodes_of_kind(graph, "measure"):
        data = graph.nodes[m]
        resp = responsibilities(graph, m)
        for agency, role, rank in resp:
            duties.setdefault(agency, []).append(
                Duty(
                    measure=m,
                    document=str(data["document"]),
                    chapter=int(data["chapter_ordinal"]),
                    ordinal=int(data["ordinal"]),
                    title=str(data.get("title", "")),
                    role=role,
                    rank=rank,
                    partners=tuple(label[a] for a, _, _ in resp if a != agency),
                )
            )
    return [
        DutyList(agency=a, label=label[a], duties=tuple(duties.get(a, ())))
        for a in nodes_of_kind(graph, "agency")
    ]
