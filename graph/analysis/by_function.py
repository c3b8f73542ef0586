"""Coordination analyses by government function instead of by agency, across documents.

Agencies of different cities and levels never meet (泉河市人力资源社会保障局 and
济南市人力资源和社会保障局 are two nodes), but they share a function (``pkg:function``,
ontology/vocab/functions.ttl). :func:`function_network` folds every agency into its function,
so each analysis that groups by agency (workload, co-responsibility, working groups, duty
lists …) runs unchanged and groups by function. The lead matrix counts, per document and
function, the measures the function leads, shares and supports.

Roles when agencies fold: a function holds one responsibility per measure, the strongest its
agencies hold (sole > lead > shared > support) at the smallest rank. In the lead matrix sole
counts as lead (graph.analysis.alignment reads roles the same way). Agencies without a
function fold into one node, :data:`UNCLASSIFIED`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import networkx as nx

from graph.analysis.alignment import UNCLASSIFIED as UNCLASSIFIED_LABEL
from graph.analysis.alignment import function_role
from graph.analysis.tables import Table

#: The node (and matrix column) of agencies that no function describes.
UNCLASSIFIED = "unclassified"
STRENGTH = {"sole": 0, "lead": 1, "shared": 2, "support": 3}
MATRIX_ROLES = ("lead", "shared", "support")


def function_network(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The network with each agency folded into its function (node: the function IRI, kind
    ``agency``, ``kind_of_agency="function"``, ``agencies``: the folded agency IRIs)."""
    out = nx.MultiDiGraph()
    for n, d in graph.nodes(data=True):
        if d.get("kind") != "agency":
            out.add_node(n, **d)
    for s, t, k, d in graph.edges(keys=True, data=True):
        if d.get("type") != "responsible_for":
            out.add_edge(s, t, key=k, **d)
    labels: dict[str, str] = {}
    members: dict[str, set[str]] = {}
    held: dict[tuple[str, str], tuple[int, int, str, list[str]]] = {}
    for a, m, d in graph.edges(data=True):
        if d.get("type") != "responsible_for":
            continue
        agency = graph.nodes[a]
        f = str(agency.get("function_iri") or UNCLASSIFIED)
        labels.setdefault(f, str(agency.get("function") or UNCLASSIFIED_LABEL))
        members.setdefault(f, set()).add(a)
        role, rank = str(d["role"]), int(d["rank"])
        written = [str(d.get("written") or agency.get("label", ""))]
        found = held.get((f, m))
        if found is None:
            held[(f, m)] = (STRENGTH.get(role, 9), rank, role, written)
        else:
            strongest = min(found[:3], (STRENGTH.get(role, 9), rank, role))
            held[(f, m)] = (*strongest, found[3] + written)
    for f, agencies in members.items():
        out.add_node(
            f,
            kind="agency",
            label=labels[f],
            kind_of_agency="function",
            registered=True,
            function=labels[f],
            function_iri=None if f == UNCLASSIFIED else f,
            level=None,
            agencies=tuple(sorted(agencies)),
        )
    for (f, m), (_s, rank, role, written) in sorted(held.items()):
        out.add_edge(
            f, m, key="responsible_for", type="responsible_for", role=role, rank=rank,
            written="、".join(written),
        )  # fmt: skip
    return out


def by_function_table(table: Table) -> Table:
    """An agency table of the folded network, named and headed for functions."""
    headers = tuple(
        h.replace("机构", "职能").replace("agency", "function").replace("agencies", "functions")
        for h in table.headers
    )
    return replace(
        table, name=f"{table.name}_by_function", title=f"按职能 {table.title}", headers=headers
    )


# --------------------------------------------------------------------------- lead matrix
@dataclass(frozen=True)
class DutyRow:
    """One responsibility: document id, measure (any key unique in the corpus), function."""

    document: str
    measure: str
    function: str | None  # IRI, None when unclassified
    function_label: str | None
    role: str


@dataclass(frozen=True)
class MatrixCell:
    document: str
    function: str  # IRI or UNCLASSIFIED
    label: str
    lead: int
    shared: int
    support: int


@dataclass(frozen=True)
class MatrixDocument:
    id: str
    label: str  # document number, else title, else id
    measures: int  # measures with at least one responsibility


@dataclass(frozen=True)
class MatrixFunction:
    function: str
    label: str
    lead: int
    shared: int
    support: int
    documents: int  # documents where it answers for any measure


@dataclass(frozen=True)
class LeadMatrix:
    """Documents × functions; only non-empty cells are listed."""

    documents: tuple[MatrixDocument, ...]  # by id
    functions: tuple[MatrixFunction, ...]  # most measures first, then label
    cells: tuple[MatrixCell, ...]  # documents' order, then functions' order


def lead_matrix(rows: Iterable[DutyRow], labels: Mapping[str, str] | None = None) -> LeadMatrix:
    """Per document and function, how many measures it leads, shares and supports (a measure
    counts once per function, in its strongest role; sole counts as lead)."""
    labels = labels or {}
    strongest: dict[tuple[str, str, str], str] = {}
    function_labels: dict[str, str] = {}
    measures: dict[str, set[str]] = {}
    for r in rows:
        f = r.function or UNCLASSIFIED
        function_labels.setdefault(f, r.function_label or UNCLASSIFIED_LABEL)
        measures.setdefault(r.document, set()).add(r.measure)
        role = function_role(r.role)
        key = (r.document, f, r.measure)
        if key not in strongest or MATRIX_ROLES.index(role) < MATRIX_ROLES.index(strongest[key]):
            strongest[key] = role
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for (doc, f, _m), role in strongest.items():
        c = counts.setdefault((doc, f), dict.fromkeys(MATRIX_ROLES, 0))
        c[role] += 1
    totals: dict[str, dict[str, int]] = {}
    for (_doc, f), c in counts.items():
        t = totals.setdefault(f, {**dict.fromkeys(MATRIX_ROLES, 0), "documents": 0})
        for role in MATRIX_ROLES:
            t[role] += c[role]
        t["documents"] += 1
    functions = sorted(
        (MatrixFunction(f, function_labels[f], t["lead"], t["shared"], t["support"],
                        t["documents"]) for f, t in totals.items()),
        key=lambda x: (-(x.lead + x.shared + x.support), x.label, x.function),
    )  # fmt: skip
    documents = tuple(
        MatrixDocument(d, labels.get(d) or d, len(ms)) for d, ms in sorted(measures.items())
    )
    order = {x.function: i for i, x in enumerate(functions)}
    cells = tuple(
        MatrixCell(doc, f, function_labels[f], c["lead"], c["shared"], c["support"])
        for (doc, f), c in sorted(counts.items(), key=lambda kv: (kv[0][0], order[kv[0][1]]))
    )
    return LeadMatrix(documents, tuple(functions), cells)


def duty_rows(graph: nx.MultiDiGraph) -> list[DutyRow]:
    """The responsibilities of a network as lead-matrix input (agencies, not yet folded)."""
    out: list[DutyRow] = []
    for a, m, d in graph.edges(data=True):
        if d.get("type") != "responsible_for":
            continue
        measure, agency = graph.nodes[m], graph.nodes[a]
        doc = graph.nodes[measure["document"]].get("doc_id", measure["document"])
        function = agency.get("function_iri")
        out.append(DutyRow(str(doc), m, function, agency.get("function"), str(d["role"])))
    return out


def document_labels(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Document id → title, for the matrix rows of a network (the store reader gives numbers)."""
    return {
        str(d["doc_id"]): str(d.get("label") or d["doc_id"])
        for _n, d in graph.nodes(data=True)
        if d.get("kind") == "document"
    }


def lead_matrix_table(matrix: LeadMatrix) -> Table:
    """One row per non-empty cell (document, function): lead, shared, support, total."""
    docs = {d.id: d.label for d in matrix.documents}
    return Table(
        "lead_matrix",
        "牵头矩阵 Lead matrix (documents × functions)",
        ("文件 document", "文号 label", "职能 function", "牵头 lead", "共同 shared",
         "配合 support", "合计 total", "function iri"),
        tuple(
            (c.document, docs.get(c.document, c.document), c.label, c.lead, c.shared, c.support,
             c.lead + c.shared + c.support, c.function)
            for c in matrix.cells
        ),
    )  # fmt: skip
