"""The page of the analyses by government function: the lead matrix heat map
(``/api/coordination/lead-matrix.svg``) with its column totals and downloads."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from api.deps import StoreDep
from api.routes.coordination import DocumentQ, kept_lead_matrix
from api.routes.pages import render

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/functions/lead-matrix")
async def lead_matrix_page(
    request: Request, store: StoreDep, document: DocumentQ = None
) -> HTMLResponse:
    found = await run_in_threadpool(kept_lead_matrix, request, store, document)
    query = f"?document={document}" if document else ""
    return render(request, "lead_matrix.html", {"matrix": found, "query": query})
