"""Colours, shapes and edge styles shared by every view (and listed in each legend)."""

from __future__ import annotations

from typing import Any

#: Measure colours by chapter ordinal (cycled), colour-blind friendly (Okabe-Ito + Tableau).
CHAPTER_COLOURS: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#F0E442", "#8C564B", "#17BECF", "#BCBD22", "#7F7F7F", "#9467BD",
)  # fmt: skip

NODE_STYLE: dict[str, dict[str, Any]] = {
    "agency": {"shape": "dot", "color": "#2c3e50", "label": "机构 agency"},
    "measure": {"shape": "square", "color": "#0072B2", "label": "措施 measure"},
    "group": {"shape": "triangle", "color": "#e67e22", "label": "对象 target group"},
    "program": {"shape": "star", "color": "#8e44ad", "label": "项目 program"},
}

EDGE_STYLE: dict[str, dict[str, Any]] = {
    "lead": {"color": "#c0392b", "width": 3, "dashes": False, "label": "牵头 lead"},
    "support": {"color": "#7f8c8d", "width": 1, "dashes": [6, 4], "label": "配合 support"},
    "shared": {"color": "#2980b9", "width": 2, "dashes": False, "label": "共同负责 shared"},
    "sole": {"color": "#27ae60", "width": 3, "dashes": False, "label": "独立负责 sole"},
    "targets": {"color": "#e67e22", "width": 1, "dashes": False, "label": "面向 targets"},
    "uses": {"color": "#8e44ad", "width": 1, "dashes": [2, 3], "label": "依托 uses"},
    "broader": {"color": "#95a5a6", "width": 1, "dashes": [1, 4], "label": "属于 broader"},
    "co": {"color": "#34495e", "width": 1, "dashes": False, "label": "共同措施 shared measures"},
}


def chapter_colour(ordinal: int) -> str:
    return CHAPTER_COLOURS[(max(ordinal, 1) - 1) % len(CHAPTER_COLOURS)]


def short(text: str, limit: int = 10) -> str:
    """Canvas labels stay short; the full text is in the tooltip."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
