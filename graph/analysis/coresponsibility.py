"""Co-responsibility: agencies linked when they answer for the same measure.

The weight of a link is the number of measures the two agencies share. Centralities are computed
on the unweighted graph (who is connected to whom), so they are easy to check by hand; bridges and
articulation points show agencies or links whose absence would split the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from graph.analysis.network import nodes_of_kind, responsibilities


@dataclass(frozen=True)
class CoLink:
    source: str  # agency IRI (the smaller IRI of the pair)
    target: str
    source_label: str
    target_label: str
    weight: int  # number of shared measures
    measures: tuple[str, ...]  # the shared measures in document order


@dataclass(frozen=True)
class AgencyCentrality:
    agency: str
    label: str
    partners: int  # number of agencies it shares a measure with
    weighted_degree: int  # sum of link weights
    degree_centrality: float
    betweenness: float  # normalised, unweighted
    articulation_point: bool


@dataclass(frozen=True)
class CoresponsibilityReport:
    agencies: tuple[AgencyCentrality, ...]  # by betweenness, then partners, then label
    links: tuple[CoLink, ...]  # by weight desc, then labels
    bridges: tuple[tuple[str, str], ...]  # links whose removal disconnects agencies
    articulation_points: tuple[str, ...]  # agencies whose removal disconnects others


def coresponsibility_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Undirected agency graph; edge attributes ``weight`` and ``measures`` (document order)."""
    co = nx.Graph()
    for agency in nodes_of_kind(graph, "agency"):
        co.add_node(agency, label=graph.nodes[agency].get("label", ""))
    for measure in nodes_of_kind(graph, "measure"):
        agencies = sorted({a for a, _role, _rank in responsibilities(graph, measure)})
        for a, b in combinations(agencies, 2):
            if co.has_edge(a, b):
                co[a][b]["measures"].append(measure)
                co[a][b]["weight"] += 1
            else:
                co.add_edge(a, b, weight=1, measures=[measure])
    return co  # each edge's measures came in document order: nodes_of_kind sorts them


def coresponsibility(graph: nx.MultiDiGraph) -> CoresponsibilityReport:
    """Links, centralities, bridges and articulation points of the co-responsibility graph."""
    co = coresponsibility_graph(graph)
    label = {n: str(d.get("label", "")) for n, d in co.nodes(data=True)}
    betweenness = nx.betweenness_centrality(co, normalized=True) if len(co) else {}
    degree_c = nx.degree_centrality(co) if len(co) > 1 else dict.fromkeys(co, 0.0)
    cut = set(nx.articulation_points(co))
    agencies = [
        AgencyCentrality(
            agency=n,
            label=label[n],
            partners=co.degree(n),
            weighted_degree=int(co.degree(n, weight="weight")),
            degree_centrality=round(float(degree_c[n]), 6),
            betweenness=round(float(betweenness[n]), 6),
            articulation_point=n in cut,
        )
        for n in co.nodes
    ]
    agencies.sort(key=lambda r: (-r.betweenness, -r.partners, r.label, r.agency))
    links = []
    for a, b, d in co.edges(data=True):
        s, t = sorted((a, b))
        links.append(CoLink(s, t, label[s], label[t], int(d["weight"]), tuple(d["measures"])))
    links.sort(key=lambda e: (-e.weight, e.source_label, e.target_label, e.source, e.target))
    bridges = sorted(tuple(sorted(e)) for e in nx.bridges(co))
    return CoresponsibilityReport(
        agencies=tuple(agencies),
        links=tuple(links),
        bridges=tuple((a, b) for a, b in bridges),
        articulation_points=tuple(sorted(cut, key=lambda n: (label[n], n))),
    )
