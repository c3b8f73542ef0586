"""Charts drawn on the server as SVG text (matplotlib, Agg-free SVG canvas), so they scale,
print and need no script or outside request: a page inlines them.

Text stays text (``svg.fonttype = none``): it can be selected, searched and printed, and
matplotlib escapes it as XML. Labels are never read as mathtext (a ``$`` in a name is just a
dollar). The CJK font is found through matplotlib's font manager; without one the chart is
still drawn (Chinese glyphs as boxes) and one warning is logged.
"""

from __future__ import annotations

import io
import logging
import threading
import warnings
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, Protocol
from xml.sax.saxutils import escape

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

log = logging.getLogger(__name__)

#: CJK families tried in order (Debian: fonts-noto-cjk, fonts-wqy-*; macOS; Windows).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK JP",
)
FALLBACK_FAMILY = "DejaVu Sans"
#: (attribute, legend label, colour) of each stacked segment, left to right.
ROLES = (
    ("lead", "牵头 lead", "#1f3a5f"),
    ("shared", "共同 shared", "#4f81bd"),
    ("sole", "独立 sole", "#c0504d"),
    ("support", "配合 support", "#9bbb59"),
)
ROW_INCHES = 0.3
WIDTH_INCHES = 8.0

_lock = threading.Lock()  # rcParams are global: one chart is drawn at a time


class RoleCounts(Protocol):
    """What a bar needs: a label and the counts per role (graph.analysis.workload rows)."""

    label: str
    lead: int
    support: int
    shared: int
    sole: int


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The first installed CJK family of :data:`CJK_FAMILIES`, or None (warned once)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    log.warning(
        "no CJK font found by matplotlib (tried %s): charts draw Chinese labels as boxes; "
        "install fonts-noto-cjk",
        ", ".join(CJK_FAMILIES),
    )
    return None


def _value(row: RoleCounts | Mapping[str, Any], key: str) -> Any:
    return row[key] if isinstance(row, Mapping) else getattr(row, key)


def _plain(text: str) -> str:
    """Text matplotlib draws literally: ``$`` would open mathtext."""
    return text.replace("$", r"\$")


def workload_bars(
    rows: Iterable[RoleCounts | Mapping[str, Any]],
    *,
    title: str | None = None,
    limit: int | None = 30,
    xlabel: str = "措施数 measures",
) -> str:
    """Horizontal stacked bars, one per row in the given order (first at the top): lead,
    shared, sole and support counts, the sum at the bar's end. Only the first ``limit`` rows
    are drawn (None: all); the caller says so next to the chart. Returns SVG text without an
    XML prolog, ready to inline in HTML."""
    items = list(rows)
    if limit is not None:
        items = items[:limit]
    labels = [_plain(str(_value(r, "label"))) for r in items]
    counts = {key: [int(_value(r, key)) for r in items] for key, _l, _c in ROLES}
    family = cjk_family()
    families = [family, FALLBACK_FAMILY] if family else [FALLBACK_FAMILY]
    height = max(1.6, ROW_INCHES * len(items) + 1.2)
    with _lock, warnings.catch_warnings():
        if family is None:  # said once in cjk_family(); not once per glyph
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
        with matplotlib.rc_context(
            {
                "svg.fonttype": "none",
                "svg.hashsalt": "policykg",  # stable ids: the same rows give the same bytes
                "font.family": families,
                "font.size": 9,
                "text.usetex": False,
            }
        ):
            return _draw(labels, counts, title, xlabel, height)


def _draw(
    labels: list[str], counts: dict[str, list[int]], title: str | None, xlabel: str,
    height: float,
) -> str:  # fmt: skip
    fig = Figure(figsize=(WIDTH_INCHES, height))
    FigureCanvasSVG(fig)
    ax = fig.add_subplot()
    positions = list(range(len(labels)))
    left = [0] * len(labels)
    for key, legend, colour in ROLES:
        values = counts[key]
        ax.barh(positions, values, left=left, color=colour, label=legend, height=0.7)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in zip(positions, left, strict=True):
        ax.text(total + 0.15, y, str(total), va="center", fontsize=8)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()  # first row on top
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, max(left, default=0) * 1.08 + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(_plain(title), loc="left")
    if labels:
        ax.legend(loc="lower right", ncols=4, frameon=False, bbox_to_anchor=(1, 1), fontsize=8)
    buffer = io.StringIO()
    bare = {"Date": None, "Creator": None, "Format": None, "Type": None}  # no <metadata>
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata=bare)
    text = buffer.getvalue()
    svg = text[text.index("<svg") :]
    head = svg.index(">") + 1
    name = f"<title>{escape(title)}</title>" if title else ""
    return svg[: head - 1] + ' role="img">' + name + svg[head:]
