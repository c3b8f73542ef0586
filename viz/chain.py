"""The policy-chain view: a document, what it implements above it, what implements it below.

Input is graph.catalog.chain's answer; nodes are placed by hand in rows (the top of the chain
at the top, the document in the middle), coloured by level of government, and handed to
viz.render like the other views. Document text goes into ``label`` and ``tip`` only.
"""

from __future__ import annotations

from typing import Any

from pyvis.network import Network

from viz.style import short
from viz.views import LegendItem, View

#: Colour per level of government; documents not loaded are grey and dashed.
LEVEL_STYLE: dict[str, tuple[str, str]] = {
    "national": ("#c0392b", "国家 national"),
    "provincial": ("#e67e22", "省级 provincial"),
    "city": ("#0072B2", "市级 city"),
    "county": ("#009E73", "县级 county"),
    "district": ("#56B4E9", "区级 district"),
}
UNKNOWN = ("#7f8c8d", "层级不明 level unknown")
NOT_LOADED = ("#bdc3c7", "未载入 not loaded")
ROW_HEIGHT, COLUMN_WIDTH = 160.0, 260.0


def _tip(n: dict[str, Any]) -> str:
    parts = [n["title"] or "", n["doc_number"] or ""]
    if n["loaded"]:
        parts += [n["issuer"] or "", n["date"] or "", n["jurisdiction"] or ""]
    else:
        parts.append("未载入 not loaded")
    return "\n".join(p for p in parts if p)


def chain_view(chain: dict[str, Any]) -> View:
    """The chain as a vis-network view (rows: top of the chain first)."""
    rows = [*reversed(chain["up"]), [chain["document"]], *chain["down"]]
    middle = len(chain["up"])
    net = Network(directed=True)
    pos: dict[str, tuple[float, float]] = {}
    used: set[tuple[str, str]] = set()
    for r, row in enumerate(rows):
        for c, n in enumerate(row):
            colour, _ = LEVEL_STYLE.get(n["level"] or "", UNKNOWN) if n["loaded"] else NOT_LOADED
            used.add((colour, "loaded" if n["loaded"] else "stub"))
            label = short(n["title"] or n["doc_number"] or n["iri"], 14)
            net.add_node(
                n["iri"],
                label=label,
                tip=_tip(n),
                shape="box",
                color=colour,
                borderWidth=3 if r == middle else 1,
                shapeProperties={"borderDashes": [] if n["loaded"] else [4, 4]},
                font={"color": "#ffffff" if n["loaded"] else "#2c3e50"},
                kind="document",
            )
            pos[n["iri"]] = ((c - (len(row) - 1) / 2) * COLUMN_WIDTH, (r - middle) * ROW_HEIGHT)
    for link in chain["links"]:
        if link["from"] in pos and link["to"] in pos:
            net.add_edge(
                link["from"], link["to"], color="#34495e", width=2, arrows="to", tip="贯彻落实"
            )
    nodes = []
    for n in net.nodes:
        d = {k: v for k, v in n.items() if k != "title"}
        d["x"], d["y"] = (round(v, 1) for v in pos[str(n["id"])])
        nodes.append(d)
    edges = [{k: v for k, v in e.items() if k != "title"} for e in net.edges]
    legend = [
        LegendItem("node", colour, text, shape="square")
        for colour, text in (*LEVEL_STYLE.values(), UNKNOWN, NOT_LOADED)
        if any(colour == u for u, _ in used)
    ]
    legend.append(LegendItem("edge", "#34495e", "贯彻落实 implements"))
    title = f"政策链 policy chain · {short(chain['document']['title'] or '', 30)}"
    return View(kind="chain", title=title, nodes=nodes, edges=edges, legend=legend)


__all__ = ["chain_view"]
