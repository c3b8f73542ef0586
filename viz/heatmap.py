"""The lead matrix (graph.analysis.by_function.LeadMatrix) as a heat map, SVG text.

Three panels side by side share the document rows: how many measures each function leads,
shares and supports in each document (sole counts as lead), the count written in each
non-empty cell. Drawn like viz.charts (matplotlib SVG canvas, no pyplot: text stays escaped
text, the CJK font from viz.charts.cjk_family; without one the picture is still drawn, Chinese
glyphs as boxes, and the caption says so). At most :data:`MAX_DOCUMENTS` rows (the documents
with most measures) and :data:`MAX_FUNCTIONS` columns (the busiest functions) are drawn; the
caption says how many of how many. Counts are written in cells up to :data:`ANNOTATE_CELLS`
per panel.
"""

from __future__ import annotations

import io
import warnings
from xml.sax.saxutils import escape

import matplotlib
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from graph.analysis.by_function import MATRIX_ROLES, LeadMatrix
from viz.charts import FALLBACK_FAMILY, _lock, _plain, cjk_family

MAX_DOCUMENTS = 60
MAX_FUNCTIONS = 30
PANELS = {"lead": ("牵头 lead", "Blues"), "shared": ("共同 shared", "Purples"),
          "support": ("配合 support", "Greens")}  # fmt: skip
CELL_INCHES = 0.28
#: Counts are written in the cells of panels up to this size (each is an SVG text element:
#: 60 × 26 cells of three panels took 10 s to draw and 0.9 MB); larger ones show colour only.
ANNOTATE_CELLS = 400


def _grid(matrix: LeadMatrix) -> tuple[list[str], list[str], dict[str, np.ndarray], str]:
    """Row labels, column labels, one count array per role, and the caption."""
    docs = sorted(matrix.documents, key=lambda d: (-d.measures, d.id))[:MAX_DOCUMENTS]
    docs.sort(key=lambda d: d.id)
    functions = list(matrix.functions[:MAX_FUNCTIONS])
    row = {d.id: i for i, d in enumerate(docs)}
    col = {f.function: j for j, f in enumerate(functions)}
    grids = {role: np.zeros((len(docs), len(functions)), dtype=int) for role in MATRIX_ROLES}
    for c in matrix.cells:
        if c.document in row and c.function in col:
            for role in MATRIX_ROLES:
                grids[role][row[c.document], col[c.function]] = getattr(c, role)
    caption = (
        f"牵头矩阵 Lead matrix: {len(docs)} of {len(matrix.documents)} documents × "
        f"{len(functions)} of {len(matrix.functions)} functions"
    )
    return [d.label for d in docs], [f.label for f in functions], grids, caption


def lead_matrix_svg(matrix: LeadMatrix, title: str | None = None) -> str:
    """The heat map as SVG text without an XML prolog (to serve, write or inline)."""
    rows, cols, grids, caption = _grid(matrix)
    family = cjk_family()
    if family is None:
        caption += " (no CJK font installed: Chinese labels drawn as boxes)"
    families = [family, FALLBACK_FAMILY] if family else [FALLBACK_FAMILY]
    with _lock, warnings.catch_warnings():
        if family is None:
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
        with matplotlib.rc_context(
            {
                "svg.fonttype": "none",
                "svg.hashsalt": "policykg",
                "font.family": families,
                "font.size": 8,
                "text.usetex": False,
            }
        ):
            return _draw(rows, cols, grids, title or caption, caption)


def _draw(
    rows: list[str], cols: list[str], grids: dict[str, np.ndarray], title: str, caption: str
) -> str:
    width = max(6.0, 3 * CELL_INCHES * max(len(cols), 1) + 3.0)
    height = max(2.0, CELL_INCHES * max(len(rows), 1) + 2.2)
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasSVG(fig)
    axes = fig.subplots(1, len(MATRIX_ROLES), sharey=True, squeeze=False)[0]
    for ax, role in zip(axes, MATRIX_ROLES, strict=True):
        name, cmap = PANELS[role]
        grid = grids[role]
        top = max(int(grid.max()) if grid.size else 0, 1)
        ax.imshow(grid if grid.size else np.zeros((1, 1)), cmap=cmap, vmin=0, vmax=top,
                  aspect="auto", interpolation="nearest")  # fmt: skip
        cells = np.ndenumerate(grid) if grid.size <= ANNOTATE_CELLS else iter(())
        for (i, j), value in cells:
            if value:
                shade = "white" if value > top / 2 else "black"
                ax.text(j, i, str(value), ha="center", va="center", fontsize=7, color=shade)
        ax.set_title(name)
        ax.set_xticks(range(len(cols)), [_plain(c) for c in cols], rotation=90)
        ax.tick_params(length=0)
    axes[0].set_yticks(range(len(rows)), [_plain(r) for r in rows])
    fig.suptitle(_plain(title), x=0.01, ha="left")
    buffer = io.StringIO()
    bare = {"Date": None, "Creator": None, "Format": None, "Type": None}
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata=bare)
    text = buffer.getvalue()
    svg = text[text.index("<svg") :]
    head = svg.index(">") + 1
    return f'{svg[: head - 1]} role="img"><title>{escape(caption)}</title>{svg[head:]}'
