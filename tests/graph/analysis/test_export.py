"""Exports: CSV with BOM and neutralised formulas, XLSX readable back, Markdown escaped."""

from __future__ import annotations

import csv

from openpyxl import load_workbook

from graph.analysis.export import csv_text, export_plan, markdown_text
from graph.analysis.network import network_from_extractions
from graph.analysis.tables import Table
from tests.graph.analysis.builders import IRIS, SMALL, make_extraction


def test_export_plan_writes_every_table(tmp_path):
    spec = [list(r) for r in SMALL]
    spec[0][2] = '=HYPERLINK("http://evil")|<b>x</b>'
    graph = network_from_extractions([make_extraction([tuple(r) for r in spec])], IRIS)
    written = export_plan(graph, tmp_path / "out")
    names = sorted(p.name for p in written)
    assert names == sorted(
        [f"{t}.csv" for t in ("assignments", "duties", "workload", "coresponsibility", "links",
                              "working_groups", "meetings", "coverage")] + ["plan.xlsx", "plan.md"]
    )  # fmt: skip
    raw = (tmp_path / "out" / "assignments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 7  # header + 6 measures
    assert rows[1][4] == '\'=HYPERLINK("http://evil")|<b>x</b>'
    assert rows[1][5:7] == ["市甲局", "市乙局"]
    book = load_workbook(tmp_path / "out" / "plan.xlsx")
    sheet = book["workload"]
    assert [c.value for c in sheet[2]][:6] == ["市甲局", 4, 2, 0, 1, 1]
    assert book["assignments"]["E2"].value.startswith("'=")
    md = (tmp_path / "out" / "plan.md").read_text(encoding="utf-8")
    assert "&lt;b&gt;x&lt;/b&gt;" in md and "<b>" not in md
    assert "&#124;" in md  # a | in a title cannot split the table


def test_csv_text_and_markdown_cells():
    table = Table("t", "T", ("a", "b"), (("+1", None), ("x\ny", True)))
    assert csv_text(table) == 'a,b\r\n\'+1,\r\n"x\ny",True\r\n'
    md = markdown_text([table], "标题")
    assert "| '+1 |  |" not in md and "| +1 |  |" in md  # markdown is text, no formula risk
    assert "| x y | 是 |" in md
