"""The views as pages under ``/viz``: each a self-contained HTML file (no CDN, no requests).

Parameters are checked before the network is read; the network and every finished page are
kept per write generation (api.memo); a view draws at most ``viz.bounds.VIEW_LIMIT`` nodes.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api import kept_answers, memo
from api.deps import StoreDep, write_generation
from api.routes.coordination import ChapterQ, DocumentQ
from graph.analysis.network import check_filters
from viz.bounds import check_parameters
from viz.render import CSP, render_html
from viz.views import build_view

router = APIRouter(prefix="/viz", tags=["viz"])

ViewKind = Literal["accountability", "coresponsibility", "groups", "ego"]
NameQ = Annotated[str | None, Query(max_length=300, description="id, IRI or exact name")]
_MEASURE_ID = re.compile(r"(?:^|/)([A-Za-z0-9._~-]+)/measure/[0-9]+$")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}

_INDEX = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>policykg views</title></head><body style="font-family: sans-serif">
<h1>视图 Views</h1><ul>
<li><a href="/viz/accountability">问责网络 accountability network</a></li>
<li><a href="/viz/coresponsibility">共同责任网络 co-responsibility network</a></li>
<li><a href="/viz/groups">服务对象 target groups</a></li>
<li>个体视图 ego view: <code>/viz/ego?agency=…</code> or <code>/viz/ego?measure=…</code></li>
</ul><p>Filters: <code>document</code>, <code>chapter</code>, <code>agency</code>,
<code>group</code>.</p></body></html>"""


@router.get("", response_class=HTMLResponse, summary="List of views")
def index() -> HTMLResponse:
    return HTMLResponse(_INDEX, headers=HEADERS)


@router.get("/{kind}", response_class=HTMLResponse, summary="One view as an offline HTML page")
def view(
    request: Request,
    kind: ViewKind,
    store: StoreDep,
    document: DocumentQ = None,
    chapter: ChapterQ = None,
    agency: NameQ = None,
    group: NameQ = None,
    measure: NameQ = None,
) -> Response:
    check_parameters(kind, agency, measure)
    check_filters(document, chapter)
    state = request.app.state
    # one measure's ego view needs only its document's network (its id names the document)
    found = _MEASURE_ID.search(measure) if kind == "ego" and measure and not document else None
    selection = found[1] if found else document

    if document is None and chapter is None and agency is group is measure is None:
        kept = kept_answers.response(
            state, store, kept_answers.view_name(kind), request.headers.get("accept-encoding", "")
        )
        if kept is not None:
            return kept

    def page() -> str:
        graph = memo.network(state, store, selection, chapter)
        return _page_html(graph, kind, document, chapter, agency, group, measure)

    key = ("viz", kind, document, chapter, agency, group, measure)
    html = memo.answers(state).get(key, write_generation(state), page)
    return HTMLResponse(html, headers=HEADERS)


def _page_html(
    graph: nx.MultiDiGraph, kind: str, document: str | None, chapter: int | None,
    agency: str | None = None, group: str | None = None, measure: str | None = None,
) -> str:  # fmt: skip
    built = build_view(graph, kind, agency=agency, group=group, measure=measure)
    where = [document or "全部文件 all documents"] + ([f"第{chapter}章"] if chapter else [])
    return render_html(built, " · ".join(where))


def render_page(
    graph: nx.MultiDiGraph, kind: str, document: str | None, chapter: int | None
) -> HTMLResponse:
    """The view page of ``graph`` as the route sends it (api.kept_answers keeps the corpus's)."""
    return HTMLResponse(_page_html(graph, kind, document, chapter), headers=HEADERS)
