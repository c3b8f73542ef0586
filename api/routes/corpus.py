"""The corpus view as REST (JSON, CSV where tabular) and the filtered document list page.

Everything here is a sum over the per-document summaries the writer keeps
(graph/rdf/summary.py, graph/catalog/corpus.py), computed once per write (api.memo).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api import memo
from api.csv import list_response
from api.deps import IrisDep, StoreDep
from api.routes.pages import render
from graph.catalog import corpus
from graph.catalog.chain import LEVEL_ORDER
from graph.catalog.details import page

router = APIRouter(tags=["corpus"])

Limit = Annotated[int, Query(ge=1, le=1000, description="page size (1–1000)")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
Fmt = Annotated[str | None, Query(pattern="^(csv|json)$", description="csv or json")]
LEVELS = "^(" + "|".join([*LEVEL_ORDER, "unknown"]) + ")$"
Level = Annotated[
    str | None,
    Query(pattern=LEVELS, description="national, provincial, city, county, district or unknown"),
]
Issuer = Annotated[str | None, Query(max_length=200, description="issuer as written")]

#: The tables of the corpus view: key in the view, CSV columns.
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "levels": ("documents_by_level", ("level", "documents", "measures")),
    "issuers": ("documents_by_issuer", ("issuer", "level", "documents", "measures")),
    "functions": ("functions", ("id", "label", "measures", "agencies")),
    "chains": ("chains", ("top", "title", "doc_number", "documents", "not_loaded", "members")),
}
_DOCUMENT_COLUMNS = ("id", "title", "doc_number", "issuer", "level", "published_date", "measures")


async def _view(request: Request, store: Any, iris: Any) -> dict[str, Any]:
    return await run_in_threadpool(lambda: memo.corpus_view(request.app.state, store, iris))


@router.get("/api/corpus", summary="Documents by level and issuer, functions, largest chains")
async def corpus_summary(request: Request, store: StoreDep, iris: IrisDep) -> JSONResponse:
    return JSONResponse(await _view(request, store, iris))


def _table_route(name: str, key: str, columns: tuple[str, ...]) -> None:
    async def get(request: Request, store: StoreDep, iris: IrisDep, format: Fmt = None) -> Response:
        items = (await _view(request, store, iris))[key]
        return list_response(request, page(len(items), max(len(items), 1), 0, items), columns, name)

    router.add_api_route(
        f"/api/corpus/{name}",
        get,
        methods=["GET"],
        name=f"corpus_{name}",
        summary=f"The corpus view's {key.replace('_', ' ')}",
    )


for _name, (_key, _columns) in TABLES.items():
    _table_route(_name, _key, _columns)


async def _documents(
    request: Request, store: Any, iris: Any, level: str | None, issuer: str | None, limit: int,
    offset: int,
) -> dict[str, Any]:  # fmt: skip
    docs = await run_in_threadpool(lambda: memo.documents(request.app.state, store, iris))
    return corpus.document_page(docs, limit=limit, offset=offset, level=level, issuer=issuer)


@router.get("/api/corpus/documents", summary="Documents of a level and/or an issuer")
async def corpus_documents(
    request: Request, store: StoreDep, iris: IrisDep, level: Level = None, issuer: Issuer = None,
    limit: Limit = 50, offset: Offset = 0, format: Fmt = None,
) -> Response:  # fmt: skip
    found = await _documents(request, store, iris, level, issuer, limit, offset)
    return list_response(request, found, _DOCUMENT_COLUMNS, "documents")


@router.get("/corpus/documents", include_in_schema=False)
async def corpus_documents_page(
    request: Request, store: StoreDep, iris: IrisDep, level: Level = None, issuer: Issuer = None,
    offset: Offset = 0,
) -> HTMLResponse:  # fmt: skip
    found = await _documents(request, store, iris, level, issuer, 100, offset)
    params = {k: v for k, v in (("level", level), ("issuer", issuer)) if v is not None}
    more = found["total"] > offset + found["limit"]
    context = {
        "page": found,
        "level": level,
        "issuer": issuer,
        "next_query": urlencode({**params, "offset": offset + found["limit"]}) if more else "",
        "csv_query": urlencode({**params, "format": "csv", "limit": 1000}),
    }
    return render(request, "corpus_documents.html", context)
