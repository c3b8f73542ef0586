"""Working groups: communities of agencies that share most of their measures.

Algorithm: Louvain modularity maximisation (``networkx.community.louvain_communities``) on the
co-responsibility graph with ``weight="weight"`` (shared measures), ``resolution=1.0`` (the
classic modularity; higher values give more, smaller groups) and ``seed=42``; the graph is built
in a fixed node and edge order, so the same corpus always gives the same groups. Agencies that
share no measure with anyone are not a working group; they are listed as ``unattached``.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.analysis.coresponsibility import coresponsibility_graph
from graph.analysis.network import nodes_of_kind, responsibilities

SEED = 42
RESOLUTION = 1.0
#: Roles that make an agency answerable for running a measure (a convener candidate).
LEADING_ROLES = frozenset({"lead", "shared", "sole"})


@dataclass(frozen=True)
class WorkingGroup:
    index: int  # 1-based, largest group first
    members: tuple[str, ...]  # agency IRIs by label
    member_labels: tuple[str, ...]
    convener: str  # agency IRI
    convener_label: str
    measures: tuple[str, ...]  # measures with at least two members, in document order


@dataclass(frozen=True)
class WorkingGroups:
    groups: tuple[WorkingGroup, ...]
    unattached: tuple[str, ...]  # agencies sharing no measure with another agency
    algorithm: str


def working_groups(
    graph: nx.MultiDiGraph, resolution: float = RESOLUTION, seed: int = SEED
) -> WorkingGroups:
    """Partition agencies into working groups, each with its joint measures and a convener."""
    co = coresponsibility_graph(graph)
    label = {n: str(graph.nodes[n].get("label", "")) for n in co.nodes}
    if co.number_of_edges() == 0:
        communities: list[set[str]] = []
    else:
        connected = co.subgraph([n for n in co.nodes if co.degree(n) > 0])
        communities = [
            set(c)
            for c in nx.community.louvain_communities(
                connected, weight="weight", resolution=resolution, seed=seed
            )
        ]
    attached = set().union(*communities) if communities else set()
    measures = nodes_of_kind(graph, "measure")
    resp = {m: responsibilities(graph, m) for m in measures}
    ordered = sorted(
        (sorted(c, key=lambda n: (label[n], n)) for c in communities if len(c) > 1),
        key=lambda c: (-len(c), label[c[0]], c[0]),
    )
    groups = []
    for i, members in enumerate(ordered, start=1):
        member_set = set(members)
        joint = tuple(m for m in measures if len({a for a, _, _ in resp[m]} & member_set) >= 2)
        convener = _convener(members, joint, resp, label)
        groups.append(
            WorkingGroup(
                index=i,
                members=tuple(members),
                member_labels=tuple(label[n] for n in members),
                convener=convener,
                convener_label=label[convener],
                measures=joint,
            )
        )
    singles = [n for n in co.nodes if n not in attached or co.degree(n) == 0]
    singles += [n for c in communities if len(c) == 1 for n in c if n not in singles]
    return WorkingGroups(
        groups=tuple(groups),
        unattached=tuple(sorted(set(singles), key=lambda n: (label[n], n))),
        algorithm=f"louvain_communities(weight='weight', resolution={resolution}, seed={seed})",
    )


def _convener(
    members: list[str],
    joint: tuple[str, ...],
    resp: dict[str, list[tuple[str, str, int]]],
    label: dict[str, str],
) -> str:
    """Most lead/shared/sole duties in the group's measures; then most duties; then best rank."""

    def score(agency: str) -> tuple[int, int, int, str, str]:
        leading = total = rank_sum = 0
        for m in joint:
            for a, role, rank in resp[m]:
                if a == agency:
                    total += 1
                    rank_sum += rank
                    leading += role in LEADING_ROLES
        return (-leading, -total, rank_sum, label[agency], agency)

    return min(members, key=score)
