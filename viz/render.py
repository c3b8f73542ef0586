"""Render a :class:`viz.views.View` as one self-contained, offline HTML page.

vis-network (vendored in viz/static, MIT) and our page script are inlined; the graph travels as
JSON inside ``<script type="application/json">`` with ``< > &`` and U+2028/9 escaped, so no
document text can close the script element. A Content-Security-Policy forbids every request.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ontology.errors import InvalidParameter
from viz.views import View

#: No fetch, image, font or frame may leave the page; inline scripts and styles only.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'"
)

#: What may not appear raw inside a script element (``&`` first: the others add none).
_JSON_ESCAPES = (
    ("&", "\\u0026"),
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_json(value: Any) -> str:
    """JSON safe to embed in an HTML ``<script>`` element (five ``str.replace`` passes: a
    character-by-character join took seconds on the 3 MB page of a 2,463-node view)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _JSON_ESCAPES:
        text = text.replace(raw, escaped)
    return text


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("viz", "templates"), autoescape=select_autoescape(default=True)
    )


@lru_cache(maxsize=2)
def _static(name: str) -> str:
    text = resources.files("viz").joinpath("static", name).read_text(encoding="utf-8")
    if "</script" in text.lower():  # would end the inline script early
        raise InvalidParameter(f"viz/static/{name} cannot be inlined: it contains </script")
    return text


def vis_options(node_count: int) -> dict[str, Any]:
    """Positions come from Python: no physics; big graphs hide edges while dragging."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 42},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": node_count > 500,
            "hideEdgesOnZoom": node_count > 1500,
        },
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.5}}},
        "nodes": {"font": {"size": 13, "face": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"}},
    }


#: From this many edges a view draws plain lines: canvas arrowheads and dashes made the
#: 2,463-node, 8,041-edge view of 80 documents take 2.7 s per redraw (0.2-0.3 s without) in
#: headless Chromium, so every hover and click lagged.
PLAIN_EDGES_FROM = 1500
PLAIN_NOTE = (
    "连线 edges：大图不画箭头和虚线以保持流畅，职责或关系以颜色和线宽区分"
    " (large view: no arrowheads or dashes; colour and width tell edges apart)"
)


def render_html(view: View, subtitle: str = "") -> str:
    """The complete page as a string."""
    edges = [{"id": f"e{i}", **e} for i, e in enumerate(view.edges)]
    legend, notes = view.legend, view.notes
    if len(edges) >= PLAIN_EDGES_FROM:
        edges = [{**e, "arrows": "", "dashes": False} for e in edges]
        legend = [replace(item, dashed=False) for item in legend]
        notes = [*notes, PLAIN_NOTE]
    data = {"nodes": view.nodes, "edges": edges, "options": vis_options(len(view.nodes))}
    return (
        _env()
        .get_template("view.html")
        .render(
            title=view.title,
            subtitle=subtitle,
            legend=legend,
            notes=notes,
            node_count=len(view.nodes),
            edge_count=len(edges),
            csp=CSP,
            data_json=script_json(data),
            vis_js=_static("vis-network.min.js"),
            view_js=_static("view.js"),
        )
    )


def write_html(view: View, path: Path, subtitle: str = "") -> Path:
    """Write the page as UTF-8 whatever the platform's default encoding."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(view, subtitle), encoding="utf-8", newline="\n")
    return path
