"""Target-group coverage: which measures, agencies and programs serve each group.

A group is served by the measures that target it or any of its narrower groups (following
``broader`` edges down), so 重点群体 collects what its member groups receive. Groups served by a
single agency or a single measure are flagged: they depend on one desk.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.analysis.network import (
    measure_sort_key,
    nodes_of_kind,
    responsibilities,
    successors_of_type,
)


@dataclass(frozen=True)
class GroupCoverage:
    group: str
    label: str
    narrower: tuple[str, ...]  # all narrower groups in the graph (transitively), by label
    measures: tuple[str, ...]  # document order
    agencies: tuple[str, ...]  # by label
    agency_labels: tuple[str, ...]
    programs: tuple[str, ...]  # by label
    program_labels: tuple[str, ...]
    single_agency: bool
    single_measure: bool


def narrower_groups(graph: nx.MultiDiGraph, group: str) -> set[str]:
    """All groups below ``group`` (following broader edges backwards), excluding itself."""
    found: set[str] = set()
    todo = [group]
    while todo:
        g = todo.pop()
        for child, _g, d in graph.in_edges(g, data=True):
            if d.get("type") == "broader" and child not in found and child != group:
                found.add(child)
                todo.append(child)
    return found


def coverage(graph: nx.MultiDiGraph) -> list[GroupCoverage]:
    """One row per group, by label; groups with no measure at all are left out."""
    label = {n: str(d.get("label", "")) for n, d in graph.nodes(data=True)}
    by_label = lambda n: (label[n], n)  # noqa: E731
    rows = []
    for group in nodes_of_kind(graph, "group"):
        narrower = narrower_groups(graph, group)
        served = {group} | narrower
        measures = {
            m
            for g in served
            for m, _g, d in graph.in_edges(g, data=True)
            if d.get("type") == "targets"
        }
        if not measures:
            continue
        agencies = {a for m in measures for a, _, _ in responsibilities(graph, m)}
        programs = {p for m in measures for p in successors_of_type(graph, m, "uses")}
        a_sorted = sorted(agencies, key=by_label)
        p_sorted = sorted(programs, key=by_label)
        rows.append(
            GroupCoverage(
                group=group,
                label=label[group],
                narrower=tuple(sorted(narrower, key=by_label)),
                measures=tuple(sorted(measures, key=lambda n: measure_sort_key(graph, n))),
                agencies=tuple(a_sorted),
                agency_labels=tuple(label[a] for a in a_sorted),
                programs=tuple(p_sorted),
                program_labels=tuple(label[p] for p in p_sorted),
                single_agency=len(agencies) == 1,
                single_measure=len(measures) == 1,
            )
        )
    return rows
