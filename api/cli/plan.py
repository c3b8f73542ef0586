"""`policykg plan`: workload, working groups and meeting plan of the accountability network.

Reads the RDF store (settings.rdf_store_dir); with ``--export DIR`` also writes every
coordination table as CSV (UTF-8 with BOM), ``plan.xlsx`` and ``plan.md``. Document text is
printed as rich ``Text`` objects, never parsed as markup.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import networkx as nx
import typer
from rich.table import Table
from rich.text import Text

from api.cli.app import app, console, handle_errors
from graph.analysis.by_function import (
    LeadMatrix,
    by_function_table,
    function_network,
    lead_matrix,
    lead_matrix_table,
)
from graph.analysis.communities import working_groups
from graph.analysis.export import export_plan, plan_tables, write_csv, write_markdown, write_xlsx
from graph.analysis.lead_counts import read_duty_rows
from graph.analysis.meetings import meeting_plan
from graph.analysis.network import build_network
from graph.analysis.tables import measure_ref
from graph.analysis.workload import workload
from graph.rdf.store import RdfStore
from graph.settings import get_settings
from ontology.errors import InvalidParameter, NotFound
from ontology.iris import Iris
from viz.heatmap import lead_matrix_svg

DocumentOpt = Annotated[
    str | None, typer.Option("--document", "-d", help="Document id, e.g. jinan-2025-5.")
]


class GroupBy(StrEnum):
    """``--by``: what the coordination tables group by."""

    agency = "agency"
    function = "function"


ChapterOpt = Annotated[
    int | None, typer.Option("--chapter", "-c", min=1, help="Chapter number (needs --document).")
]


def load_network(document: str | None, chapter: int | None) -> nx.MultiDiGraph:
    """The network from the configured RDF store (shared with `policykg viz`)."""
    settings = get_settings()
    with RdfStore.open(settings.rdf_store_dir, Iris(settings.normalised_base())) as store:
        graph = build_network(store, document=document, chapter=chapter)
    if not any(d.get("kind") == "measure" for _n, d in graph.nodes(data=True)):
        raise NotFound(
            "no measures in the RDF store for this selection; load documents first "
            "(policykg load data/jinan-2025-5.txt)"
        )
    return graph


def _refs(graph: nx.MultiDiGraph, measures: tuple[str, ...]) -> Text:
    return Text(" ".join(str(graph.nodes[m]["ordinal"]) for m in measures))


def print_plan(graph: nx.MultiDiGraph) -> None:
    loads = Table(title="机构工作量 Workload (measure numbers)", show_lines=False)
    for col in ("机构 agency", "合计", "牵头", "配合", "共同", "独立", "措施 measures"):
        loads.add_column(col, overflow="fold")
    for r in workload(graph):
        loads.add_row(
            Text(r.label), str(r.total), str(r.lead), str(r.support), str(r.shared), str(r.sole),
            _refs(graph, r.measures),
        )  # fmt: skip
    console.print(loads)

    wg = working_groups(graph)
    groups = Table(title=f"工作专班 Working groups — {wg.algorithm}")
    for col in ("#", "召集 convener", "成员 members", "措施 measures"):
        groups.add_column(col, overflow="fold")
    for g in wg.groups:
        groups.add_row(
            str(g.index), Text(g.convener_label), Text("、".join(g.member_labels)),
            _refs(graph, g.measures),
        )  # fmt: skip
    console.print(groups)
    if wg.unattached:
        names = "、".join(str(graph.nodes[a]["label"]) for a in wg.unattached)
        console.print(Text(f"未结组（无共同措施）unattached: {names}"))

    plan = meeting_plan(graph)
    meetings = Table(
        title=(
            f"协调会 Meeting plan: {len(plan.slots)} slots, lower bound {plan.lower_bound}"
            f" ({'optimal' if plan.optimal else 'not proved optimal'}; {plan.strategy})"
        )
    )
    for col in ("时段 slot", "措施 measure", "参会单位 agencies"):
        meetings.add_column(col, overflow="fold")
    for slot in plan.slots:
        for m in slot.meetings:
            meetings.add_row(
                str(slot.index),
                Text(f"{measure_ref(graph, m.measure)} {m.label}"),
                Text("、".join(m.agency_labels)),
            )
    console.print(meetings)


def load_lead_matrix(document: str | None, graph: nx.MultiDiGraph) -> LeadMatrix:
    """Documents × functions from the store, limited to the measures of ``graph``."""
    settings = get_settings()
    with RdfStore.open(settings.rdf_store_dir, Iris(settings.normalised_base())) as store:
        rows, labels = read_duty_rows(store, document)
    return lead_matrix([r for r in rows if r.measure in graph], labels)


def print_lead_matrix(matrix: LeadMatrix) -> None:
    table = Table(title="牵头矩阵 Lead matrix (documents × functions)")
    for col in ("文件 document", "职能 function", "牵头", "共同", "配合"):
        table.add_column(col, overflow="fold")
    labels = {d.id: d.label for d in matrix.documents}
    for c in matrix.cells:
        table.add_row(
            Text(labels.get(c.document, c.document)), Text(c.label), str(c.lead), str(c.shared),
            str(c.support),
        )  # fmt: skip
    console.print(table)


def export_by_function(graph: nx.MultiDiGraph, matrix: LeadMatrix, directory: Path) -> list[Path]:
    """The coordination tables of the folded network (named ``*_by_function``), the lead
    matrix (``lead_matrix.csv``), ``plan_by_function.xlsx``/``.md`` and ``lead-matrix.svg``."""
    if directory.exists() and not directory.is_dir():
        raise InvalidParameter(f"--export: {directory} exists and is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    tables = [by_function_table(t) for t in plan_tables(graph)] + [lead_matrix_table(matrix)]
    out = [write_csv(t, directory / f"{t.name}.csv") for t in tables]
    out.append(write_xlsx(tables, directory / "plan_by_function.xlsx"))
    out.append(write_markdown(tables, directory / "plan_by_function.md", "按职能协调分析"))
    svg = directory / "lead-matrix.svg"
    svg.write_text(lead_matrix_svg(matrix), encoding="utf-8")
    return [*out, svg]


@app.command("plan")
@handle_errors
def plan(
    document: DocumentOpt = None,
    chapter: ChapterOpt = None,
    export: Annotated[
        Path | None, typer.Option("--export", "-e", help="Write CSV/XLSX/Markdown into DIR.")
    ] = None,
    by: Annotated[
        GroupBy,
        typer.Option(
            "--by",
            help="Group by agency, or by government function across documents (adds the "
            "lead matrix and its heat map, lead-matrix.svg, to the export).",
        ),
    ] = GroupBy.agency,
) -> None:
    """Print agency workload, working groups and a meeting plan; optionally export tables."""
    graph = load_network(document, chapter)
    if by is GroupBy.function:
        matrix = load_lead_matrix(document, graph)
        graph = function_network(graph)
        print_plan(graph)
        print_lead_matrix(matrix)
        if export is not None:
            written = export_by_function(graph, matrix, export)
            console.print(Text(f"wrote {len(written)} files to {export}"), soft_wrap=True)
        return
    print_plan(graph)
    if export is not None:
        written = export_plan(graph, export)
        console.print(Text(f"wrote {len(written)} files to {export}"), soft_wrap=True)
