"""Deterministic node positions computed in Python, so views open instantly without physics.

Small graphs (``SPRING_LIMIT`` nodes) get a seeded spring layout started from a structured
layout; larger ones keep the structured layout, which is linear in the graph size: ordered
nodes on a ring (measures in document order, so chapters form arcs) and the other nodes at the
barycentre of their neighbours, pulled towards the centre.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx

SEED = 42
SPRING_LIMIT = 400
Position = tuple[float, float]


def ring(nodes: Sequence[str], radius: float) -> dict[str, Position]:
    """Nodes evenly on a circle, first node at the top, clockwise."""
    n = max(len(nodes), 1)
    return {
        node: (radius * math.sin(2 * math.pi * i / n), -radius * math.cos(2 * math.pi * i / n))
        for i, node in enumerate(nodes)
    }


def ring_radius(count: int, spacing: float = 40.0) -> float:
    return max(250.0, count * spacing / (2 * math.pi))


def barycentric(
    graph: nx.Graph, fixed: dict[str, Position], others: Sequence[str], pull: float = 0.6
) -> dict[str, Position]:
    """Each of ``others`` at the mean of its fixed neighbours times ``pull``, plus a small
    deterministic offset (by order) so nodes with the same neighbours do not overlap."""
    pos: dict[str, Position] = {}
    for i, node in enumerate(others):
        nbrs = [fixed[v] for v in nx.all_neighbors(graph, node) if v in fixed]
        if nbrs:
            x = sum(p[0] for p in nbrs) / len(nbrs) * pull
            y = sum(p[1] for p in nbrs) / len(nbrs) * pull
        else:
            x = y = 0.0
        angle = i * 2.399963  # golden angle
        offset = 18.0 * math.sqrt(i % 50 + 1)
        pos[node] = (x + offset * math.cos(angle), y + offset * math.sin(angle))
    return pos


def columns(
    layers: Sequence[Sequence[str]], dx: float = 420.0, dy: float = 46.0
) -> dict[str, Position]:
    """Layers side by side (left to right), each centred vertically."""
    pos: dict[str, Position] = {}
    for col, nodes in enumerate(layers):
        top = -(len(nodes) - 1) * dy / 2
        for row, node in enumerate(nodes):
            pos[node] = (col * dx, top + row * dy)
    return pos


def refine(graph: nx.Graph, start: dict[str, Position]) -> dict[str, Position]:
    """Seeded spring layout from ``start`` for small graphs, scaled to the start's extent."""
    if len(graph) > SPRING_LIMIT or len(graph) < 3:
        return start
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted((str(u), str(v)) for u, v in graph.to_undirected().edges()))
    extent = max((max(abs(x), abs(y)) for x, y in start.values()), default=1.0) or 1.0
    k = 2.4 / math.sqrt(len(simple))
    spring = nx.spring_layout(
        simple, pos={n: (x / extent, y / extent) for n, (x, y) in start.items()},
        k=k, iterations=120, seed=SEED,
    )  # fmt: skip
    scale = max(extent, 75.0 * math.sqrt(len(simple)))
    return {n: (float(p[0]) * scale, float(p[1]) * scale) for n, p in spring.items()}


def rounded(pos: dict[str, Position]) -> dict[str, Position]:
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}
