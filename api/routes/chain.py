"""A document's policy chain: REST ``/api/documents/{id}/chain``, a page, and a view.

All three read graph.catalog.chain over the RDF store, kept per write generation like the
other answers (api.memo): loading the document a chain waits for changes the generation.
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from api import memo
from api.deps import IrisDep, StoreDep, write_generation
from api.routes.pages import render
from graph.catalog import lists as catalog_lists
from graph.catalog.chain import chain as catalog_chain
from graph.catalog.compare import adjacent_pairs
from ontology.levels import level_labels
from viz.chain import chain_view
from viz.render import CSP, render_html

router = APIRouter(tags=["chain"])

_ID = r"^[A-Za-z0-9._~-]+$"
IdPath = Annotated[str, Path(min_length=1, max_length=200, pattern=_ID)]
DocumentQ = Annotated[str | None, Query(min_length=1, max_length=200, pattern=_ID)]
VIEW_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}
RELATION_ZH = {"implements": "贯彻落实", "repeals": "废止", "replaces": "替代", "cites": "引用"}


def _index(documents: list[dict[str, Any]]) -> str:
    """Without ``document``: the documents whose chain can be drawn (text escaped)."""
    items = "".join(
        f'<li><a href="/viz/chain?document={quote(str(d["id"]))}">'
        f"{escape(str(d.get('title') or d['id']))}</a></li>"
        for d in documents
    )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<title>政策链 policy chains</title></head><body style="font-family: sans-serif">'
        "<h1>政策链 Policy chains</h1><p><code>/viz/chain?document=…</code></p>"
        f"<ul>{items}</ul></body></html>"
    )


async def _chain(request: Request, store: Any, iris: Any, doc_id: str) -> dict[str, Any]:
    state = request.app.state
    answer: dict[str, Any] = await run_in_threadpool(
        lambda: memo.answers(state).get(
            ("chain", doc_id), write_generation(state), lambda: catalog_chain(store, iris, doc_id)
        )
    )
    return answer


@router.get(
    "/api/documents/{doc_id}/chain",
    summary="Policy chain of a document (政策链)",
    description=(
        "The documents this one implements, level by level up to the top, and those that "
        "implement it, down to the bottom (`up`, `down`: lists of levels, nearest first), "
        "each with issuer, date, jurisdiction and level of government; `links` are the "
        "implements links between them, `cites` every reference the document makes. A "
        "reference to a document not loaded is a node with `loaded: false`."
    ),
)
async def chain_api(
    request: Request, doc_id: IdPath, store: StoreDep, iris: IrisDep
) -> dict[str, Any]:
    return await _chain(request, store, iris, doc_id)


@router.get("/documents/{doc_id}/chain", include_in_schema=False)
async def chain_page(
    request: Request, doc_id: IdPath, store: StoreDep, iris: IrisDep
) -> HTMLResponse:
    found = await _chain(request, store, iris, doc_id)
    rows = [
        *(("上级 up", n) for n in reversed(found["up"])),
        ("本文件 this document", [found["document"]]),
        *(("下级 down", n) for n in found["down"]),
    ]
    context = {
        "chain": found,
        "rows": rows,
        "levels": level_labels(),
        "relations": RELATION_ZH,
        "compare": adjacent_pairs(found),
    }
    return render(request, "chain.html", context)


@router.get(
    "/viz/chain",
    response_class=HTMLResponse,
    summary="The policy chain of a document as an offline view",
)
async def chain_viz(
    request: Request, store: StoreDep, iris: IrisDep, document: DocumentQ = None
) -> HTMLResponse:
    if document is None:
        docs = await run_in_threadpool(
            lambda: catalog_lists.list_documents(store, iris, limit=200, offset=0)
        )
        return HTMLResponse(_index(docs["items"]), headers=VIEW_HEADERS)
    found = await _chain(request, store, iris, document)
    html = render_html(chain_view(found), found["document"]["doc_number"] or document)
    return HTMLResponse(html, headers=VIEW_HEADERS)
