"""The views as pages under ``/viz``: each a self-contained HTML file (no CDN, no requests).

Parameters are checked before the network is read; the network and every finished page are
kept per write generation (api.memo); a view draws at most ``viz.bounds.VIEW_LIMIT`` nodes.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api import memo
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
) -> HTMLResponse:
    check_parameters(kind, agency, measure)
    check_filters(document, chapter)
    state = request.app.state
    # one measure's ego view needs only its document's network (its id names the document)
    found = _MEASURE_ID.search(measure) if kind == "ego" and measure and not document else None
    selection = found[1] if found else document

    def page() -> str:
        graph = memo.network(state, store, selection, chapter)
        built = build_view(graph, kind, agency=agency, group=group, measure=measure)
        where = [document or "全部文件 all documents"] + ([f"第{chapter}章"] if chapter else [])
        return render_html(built, " · ".join(where))

    key = ("viz", kind, document, chapter, agency, group, measure)
    html = memo.answers(state).get(key, write_generation(state), page)
    return HTMLResponse(html, headers=HEADERS)
