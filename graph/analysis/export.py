"""Writers for the coordination tables: CSV (UTF-8 with BOM), XLSX and Markdown.

The only module of ``graph.analysis`` that touches files. Text cells that a spreadsheet would
read as a formula (leading ``= + - @``, tab, CR) are prefixed with ``'``; Markdown cells are
HTML-escaped so a measure title can never inject markup into a rendered report.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from pathlib import Path

import networkx as nx
from openpyxl import Workbook
from openpyxl.styles import Font

from graph.analysis.assignment import assignment_table, duty_lists
from graph.analysis.communities import working_groups
from graph.analysis.coresponsibility import coresponsibility
from graph.analysis.coverage import coverage
from graph.analysis.meetings import meeting_plan
from graph.analysis.tables import (
    Cell,
    Table,
    assignments_table,
    coresponsibility_table,
    coverage_table,
    duties_table,
    links_table,
    meetings_table,
    working_groups_table,
    workload_table,
)
from graph.analysis.workload import workload
from ontology.errors import InvalidParameter

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(table: Table) -> str:
    """The table as CSV text (no BOM; add one when writing a file for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if c is None else _safe_cell(c) for c in row])
    return buffer.getvalue()


def write_csv(table: Table, path: Path) -> Path:
    """UTF-8 with BOM so Excel opens Chinese text correctly."""
    path.write_text(csv_text(table), encoding="utf-8-sig", newline="")
    return path


def write_xlsx(tables: Sequence[Table], path: Path) -> Path:
    """One sheet per table, bold header row, frozen."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(title=table.name[:31])
        sheet.append(list(table.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_safe_cell(c) for c in row])
        sheet.freeze_panes = "A2"
    book.save(path)
    return path


def _md_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    text = html.escape(str(value), quote=True)
    return text.replace("|", "&#124;").replace("\r", " ").replace("\n", " ")


def markdown_text(tables: Sequence[Table], title: str) -> str:
    """GitHub-flavoured Markdown: one section per table."""
    out = [f"# {html.escape(title)}", ""]
    for table in tables:
        out += [f"## {html.escape(table.title)}", ""]
        out.append("| " + " | ".join(_md_cell(h) for h in table.headers) + " |")
        out.append("|" + "---|" * len(table.headers))
        out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
        out.append("")
    return "\n".join(out)


def write_markdown(tables: Sequence[Table], path: Path, title: str) -> Path:
    path.write_text(markdown_text(tables, title), encoding="utf-8", newline="\n")
    return path


def plan_tables(graph: nx.MultiDiGraph) -> list[Table]:
    """Every coordination table of one network, in report order."""
    report = coresponsibility(graph)
    return [
        assignments_table(assignment_table(graph)),
        duties_table(graph, duty_lists(graph)),
        workload_table(graph, workload(graph)),
        coresponsibility_table(report),
        links_table(graph, report),
        working_groups_table(graph, working_groups(graph)),
        meetings_table(graph, meeting_plan(graph)),
        coverage_table(graph, coverage(graph)),
    ]


def export_plan(graph: nx.MultiDiGraph, directory: Path, title: str = "协调分析") -> list[Path]:
    """Write ``{table}.csv`` for each table, ``plan.xlsx`` and ``plan.md`` into ``directory``."""
    if directory.exists() and not directory.is_dir():
        raise InvalidParameter(f"--export: {directory} exists and is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    tables = plan_tables(graph)
    written = [write_csv(t, directory / f"{t.name}.csv") for t in tables]
    written.append(write_xlsx(tables, directory / "plan.xlsx"))
    written.append(write_markdown(tables, directory / "plan.md", title))
    return written
