"""Meeting plan: one coordination meeting per measure, in as few time slots as possible.

Two meetings conflict when an agency attends both; a plan is a proper colouring of this conflict
graph (colour = slot). We run several greedy strategies plus DSatur and keep the one with the
fewest slots; when the conflict graph is small (``EXACT_LIMIT`` measures) and the best plan is
above the lower bound, a bounded exact search tries to close the gap. The lower bound is the
larger of the most meetings any single agency must attend and (when cheap) the maximum clique.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.analysis.network import nodes_of_kind, responsibilities
from ontology.errors import InvalidParameter

STRATEGIES: tuple[str, ...] = (
    "saturation_largest_first",  # DSatur
    "largest_first",
    "smallest_last",
    "independent_set",
    "connected_sequential_bfs",
    "connected_sequential_dfs",
)
EXACT_LIMIT = 60  # measures; exact search and max clique only below this size
#: networkx's independent-set strategy recomputes degrees over views at every step (6 of 8.6
#: seconds for 470 measures); above this many measures it is left out of the race.
INDEPENDENT_SET_LIMIT = 200
SEARCH_BUDGET = 200_000  # backtracking steps per target slot count


@dataclass(frozen=True)
class Meeting:
    measure: str
    label: str
    agencies: tuple[str, ...]  # in rank order
    agency_labels: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    index: int  # 1-based
    meetings: tuple[Meeting, ...]  # in document order


@dataclass(frozen=True)
class MeetingPlan:
    slots: tuple[Slot, ...]
    lower_bound: int  # no plan can use fewer slots
    busiest_agency_load: int  # most meetings any one agency attends
    max_clique: int | None  # size of the largest set of pairwise conflicting meetings
    strategy: str  # how the kept plan was found
    optimal: bool  # slots == lower bound (or proved by exhaustive search)


def conflict_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Measures (with at least one agency) linked when they share an agency."""
    conflicts = nx.Graph()
    by_agency: dict[str, list[str]] = {}
    for m in nodes_of_kind(graph, "measure"):
        agencies = [a for a, _role, _rank in responsibilities(graph, m)]
        if not agencies:
            continue
        conflicts.add_node(m)
        for a in agencies:
            by_agency.setdefault(a, []).append(m)
    for measures in by_agency.values():
        for i, m in enumerate(measures):
            for n in measures[i + 1 :]:
                conflicts.add_edge(m, n)
    return conflicts


def meeting_plan(graph: nx.MultiDiGraph, limit: int | None = None) -> MeetingPlan:
    """The best plan found and how close it is to the lower bound. With ``limit``, a graph
    of more measures with agencies is refused (InvalidParameter) before any colouring."""
    if limit is not None:
        count = sum(1 for m in nodes_of_kind(graph, "measure") if responsibilities(graph, m))
        if count > limit:
            raise InvalidParameter(
                f"meeting plan: the selection has {count} measures with agencies; a plan "
                f"covers at most {limit} (choose a document, or a document and chapter)"
            )
    conflicts = conflict_graph(graph)
    busiest = max(
        (
            sum(1 for _a, m, d in graph.out_edges(a, data=True) if m in conflicts
                and d.get("type") == "responsible_for")
            for a in nodes_of_kind(graph, "agency")
        ),
        default=0,
    )  # fmt: skip
    clique = None
    if len(conflicts) <= EXACT_LIMIT and len(conflicts):
        clique = len(nx.max_weight_clique(conflicts, weight=None)[0])
    lower = max(busiest, clique or 0)
    best: dict[str, int] = {}
    best_name = ""
    for name in STRATEGIES:
        if name == "independent_set" and len(conflicts) > INDEPENDENT_SET_LIMIT:
            continue
        colouring = nx.greedy_color(conflicts, strategy=name) if len(conflicts) else {}
        if not best_name or _count(colouring) < _count(best):
            best, best_name = colouring, name
    proved = False
    if len(conflicts) <= EXACT_LIMIT and _count(best) > lower:
        for k in range(lower, _count(best)):
            found, complete = _exact(conflicts, k)
            if found is not None:
                best, best_name = found, f"exact search ({k} slots)"
                proved = True
                break
            if not complete:
                break
        else:
            proved = True  # every smaller k was refuted exhaustively
    return MeetingPlan(
        slots=_slots(graph, conflicts, best),
        lower_bound=lower,
        busiest_agency_load=busiest,
        max_clique=clique,
        strategy=best_name,
        optimal=_count(best) == lower or proved,
    )


def _count(colouring: dict[str, int]) -> int:
    return len(set(colouring.values()))


def _slots(
    graph: nx.MultiDiGraph, conflicts: nx.Graph, colouring: dict[str, int]
) -> tuple[Slot, ...]:
    """Number slots by the first measure (document order) they hold."""
    order = [m for m in nodes_of_kind(graph, "measure") if m in conflicts]
    renumber: dict[int, int] = {}
    for m in order:
        renumber.setdefault(colouring[m], len(renumber) + 1)
    slots: dict[int, list[Meeting]] = {}
    for m in order:
        resp = responsibilities(graph, m)
        slots.setdefault(renumber[colouring[m]], []).append(
            Meeting(
                measure=m,
                label=str(graph.nodes[m].get("label", "")),
                agencies=tuple(a for a, _, _ in resp),
                agency_labels=tuple(str(graph.nodes[a].get("label", "")) for a, _, _ in resp),
            )
        )
    return tuple(Slot(i, tuple(slots[i])) for i in sorted(slots))


def _exact(conflicts: nx.Graph, k: int) -> tuple[dict[str, int] | None, bool]:
    """Backtracking k-colouring (DSatur order). Returns (colouring or None, search completed)."""
    nodes = list(conflicts.nodes)
    colour: dict[str, int] = {}
    steps = 0

    def pick() -> str:
        def sat(n: str) -> tuple[int, int, int]:
            used = {colour[v] for v in conflicts[n] if v in colour}
            return (len(used), conflicts.degree(n), -nodes.index(n))

        return max((n for n in nodes if n not in colour), key=sat)

    def solve() -> bool | None:
        nonlocal steps
        if len(colour) == len(nodes):
            return True
        steps += 1
        if steps > SEARCH_BUDGET:
            return None
        n = pick()
        used = {colour[v] for v in conflicts[n] if v in colour}
        # symmetry: never open more than one new colour at a time
        for c in range(min(k, max(colour.values(), default=-1) + 2)):
            if c in used:
                continue
            colour[n] = c
            result = solve()
            if result is None or result:
                return result
            del colour[n]
        return False

    result = solve()
    if result:
        return dict(colour), True
    return None, result is not None
