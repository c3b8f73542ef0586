"""viz.charts.workload_bars: SVG text that is well-formed XML, keeps names as (escaped) text
in the given order, draws every role segment to scale, and survives a missing CJK font."""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET

import pytest

from graph.analysis.workload import AgencyWorkload
from viz import charts
from viz.charts import workload_bars

SVG = "{http://www.w3.org/2000/svg}"


def row(label: str, lead: int = 0, support: int = 0, shared: int = 0, sole: int = 0):
    total = lead + support + shared + sole
    return AgencyWorkload(f"urn:a:{label}", label, total, lead, support, shared, sole, ())


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def y_of(svg: str, content: str) -> float:
    (found,) = [t for t in ET.fromstring(svg).iter(f"{SVG}text") if t.text == content]
    return float(found.get("y", "nan"))


def bar_widths(svg: str) -> list[tuple[str, float]]:
    """(fill colour, width) of the bar rectangles of the axes, in drawing order."""
    root = ET.fromstring(svg)
    axes = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "axes_1")
    colours = {c for _k, _l, c in charts.ROLES}
    bars = []
    for g in axes.findall(f"{SVG}g"):
        path = g.find(f"{SVG}path")
        if path is None:
            continue
        fill = re.search(r"fill: (#[0-9a-f]{6})", path.get("style", ""))
        if fill and fill.group(1) in colours:
            xs = [float(x) for x in re.findall(r"([-\d.]+) [-\d.]+", path.get("d", ""))]
            bars.append((fill.group(1), max(xs) - min(xs)))
    return bars


def test_labels_totals_and_order() -> None:
    svg = workload_bars(
        [row("市人社局", lead=10, support=3, shared=4, sole=2), row("市财政局", support=5)],
        title="机构工作量",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert ET.fromstring(svg).find(f"{SVG}title").text == "机构工作量"
    found = texts(svg)
    for expected in ("市人社局", "市财政局", "19", "5", "牵头 lead", "配合 support"):
        assert expected in found
    assert y_of(svg, "市人社局") < y_of(svg, "市财政局")  # first row on top


def test_segments_are_drawn_to_scale() -> None:
    svg = workload_bars([row("甲", lead=4, shared=2, sole=1, support=3)])
    bars = bar_widths(svg)
    # lead, shared, sole, support in that order (the legend's order); 4:2:1:3
    assert [c for c, _w in bars] == ["#1f3a5f", "#4f81bd", "#c0504d", "#9bbb59"]
    unit = bars[2][1]
    assert [round(w / unit, 2) for _c, w in bars] == [4.0, 2.0, 1.0, 3.0]


def test_names_are_escaped_text_not_markup() -> None:
    evil = '<script>alert("x")</script> & 局 $x^2$'
    svg = workload_bars([row(evil, lead=1)], title="<b>&</b>")
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&amp;" in svg
    assert evil in texts(svg)  # a $…$ pair is not mathtext
    assert ET.fromstring(svg).find(f"{SVG}title").text == "<b>&</b>"


def test_limit_and_mappings() -> None:
    rows = [dict(label=f"机构{i}", lead=1, support=0, shared=0, sole=0) for i in range(40)]
    found = texts(workload_bars(rows, limit=30))
    assert "机构29" in found and "机构30" not in found
    assert "机构39" in texts(workload_bars(rows, limit=None))


def test_same_rows_same_bytes_and_empty() -> None:
    rows = [row("市教育局", lead=2, support=4)]
    assert workload_bars(rows) == workload_bars(rows)
    ET.fromstring(workload_bars([]))  # well-formed, nothing to draw


def test_cjk_font_is_found_here() -> None:
    # fonts-noto-cjk is installed with chromium (.ci/test)
    assert charts.cjk_family() is not None
    assert "Noto Sans CJK SC" in workload_bars([row("市民政局", lead=1)])


def test_missing_cjk_font_warns_once_and_still_draws(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(charts, "CJK_FAMILIES", ("No Such Font SC",))
    charts.cjk_family.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="viz.charts"):
            svg = workload_bars([row("市民政局", lead=1)])
            workload_bars([row("市残联", sole=1)])
        assert "市民政局" in texts(svg)
        assert "CJK" not in svg and "DejaVu Sans" in svg
        warned = [r for r in caplog.records if "no CJK font" in r.getMessage()]
        assert len(warned) == 1
    finally:
        charts.cjk_family.cache_clear()
