"""A document comparison (graph.analysis.alignment) as flat tables, the shape the coordination
tables share (graph.analysis.tables.Table), so CSV, XLSX and Markdown come from
graph.analysis.export's writers.
"""

from __future__ import annotations

from pathlib import Path

from graph.analysis.alignment import Alignment, Measure, function_roles, leaders
from graph.analysis.export import write_csv, write_markdown, write_xlsx
from graph.analysis.tables import SEP, Cell, Table
from ontology.errors import InvalidParameter

ROLE_ZH = {"lead": "牵头", "shared": "共同", "support": "配合"}


def _roles(m: Measure) -> str:
    """``财政(牵头)、人力资源社会保障(配合)``: each function once, with its role."""
    found = function_roles(m)
    return SEP.join(
        f"{label}({ROLE_ZH.get(role, role)})"
        for label, role in sorted(found.values(), key=lambda lr: (lr[1] != "lead", lr[0]))
    )


def _side(m: Measure | None) -> tuple[Cell, ...]:
    if m is None:
        return (None, None, None, None)
    return (m.ordinal, m.title, SEP.join(leaders(function_roles(m))), _roles(m))


def side_by_side_table(found: Alignment) -> Table:
    """One row per aligned pair (A's order), then A's measures alone, then B's."""
    rows: list[tuple[Cell, ...]] = [
        (*_side(p.a), p.score, *_side(p.b), p.same_lead, SEP.join(p.only_a), SEP.join(p.only_b))
        for p in found.pairs
    ]
    rows += [(*_side(m), None, *_side(None), None, None, None) for m in found.only_a]
    rows += [(*_side(None), None, *_side(m), None, None, None) for m in found.only_b]
    return Table(
        "compare",
        "措施对照 Measures side by side",
        ("甲序号 A no.", "甲措施 A measure", "甲牵头 A lead", "甲职能 A functions",
         "相似度 score", "乙序号 B no.", "乙措施 B measure", "乙牵头 B lead",
         "乙职能 B functions", "牵头相同 same lead", "仅甲职能 functions only in A",
         "仅乙职能 functions only in B"),
        tuple(rows),
    )  # fmt: skip


def roles_table(found: Alignment) -> Table:
    """One row per aligned pair and function: its role in A and in B."""
    return Table(
        "compare_roles",
        "职能分工对照 Roles by function",
        ("甲序号 A no.", "乙序号 B no.", "职能 function", "甲角色 role in A", "乙角色 role in B",
         "function id"),
        tuple(
            (p.a.ordinal, p.b.ordinal, f.label, f.role_a, f.role_b, f.function)
            for p in found.pairs
            for f in p.functions
        ),
    )  # fmt: skip


def totals_table(found: Alignment) -> Table:
    return Table(
        "compare_functions",
        "职能合计 Totals per function",
        ("职能 function", "甲牵头 A lead", "甲共同 A shared", "甲配合 A support",
         "甲措施 A measures", "乙牵头 B lead", "乙共同 B shared", "乙配合 B support",
         "乙措施 B measures",
         "对照双方 aligned, both", "角色相同 aligned, same role", "function id"),
        tuple(
            (t.label, t.a_lead, t.a_shared, t.a_support, t.a_measures, t.b_lead, t.b_shared,
             t.b_support, t.b_measures, t.aligned_both, t.aligned_same_role, t.function)
            for t in found.functions
        ),
    )  # fmt: skip


def comparison_tables(found: Alignment) -> list[Table]:
    return [side_by_side_table(found), roles_table(found), totals_table(found)]


TABLES = {"compare": side_by_side_table, "roles": roles_table, "functions": totals_table}


def export_comparison(found: Alignment, directory: Path, title: str) -> list[Path]:
    """``compare*.csv`` (UTF-8 with BOM), ``compare.xlsx`` and ``compare.md`` in ``directory``."""
    if directory.exists() and not directory.is_dir():
        raise InvalidParameter(f"--export: {directory} exists and is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    tables = comparison_tables(found)
    written = [write_csv(t, directory / f"{t.name}.csv") for t in tables]
    written.append(write_xlsx(tables, directory / "compare.xlsx"))
    written.append(write_markdown(tables, directory / "compare.md", title))
    return written
