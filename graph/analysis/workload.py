"""Workload per agency: how many measures each agency answers for, and in which role.

Counts follow the role the document gives each responsibility (lead, support, shared, sole), so
a researcher can see who carries a policy and who only supports it.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.analysis.network import measure_sort_key, nodes_of_kind


@dataclass(frozen=True)
class AgencyWorkload:
    agency: str  # IRI
    label: str
    total: int  # measures the agency answers for (any role)
    lead: int
    support: int
    shared: int
    sole: int
    measures: tuple[str, ...]  # measure IRIs in document order


def workload(graph: nx.MultiDiGraph) -> list[AgencyWorkload]:
    """One row per agency, busiest first (ties by label, then IRI)."""
    rows = []
    for agency in nodes_of_kind(graph, "agency"):
        roles: dict[str, int] = {"lead": 0, "support": 0, "shared": 0, "sole": 0}
        measures: set[str] = set()
        for _a, m, d in graph.out_edges(agency, data=True):
            if d.get("type") != "responsible_for":
                continue
            measures.add(m)
            roles[str(d["role"])] = roles.get(str(d["role"]), 0) + 1
        ordered = tuple(sorted(measures, key=lambda n: measure_sort_key(graph, n)))
        rows.append(
            AgencyWorkload(
                agency=agency,
                label=str(graph.nodes[agency].get("label", "")),
                total=len(ordered),
                lead=roles["lead"],
                support=roles["support"],
                shared=roles["shared"],
                sole=roles["sole"],
                measures=ordered,
            )
        )
    return sorted(rows, key=lambda r: (-r.total, r.label, r.agency))
