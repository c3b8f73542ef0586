"""Two documents side by side: ``/api/compare?a=&b=`` (JSON, or CSV by ``?format=csv`` /
``Accept: text/csv``, ``table=`` choosing which table) and the page ``/compare?a=&b=``.

Both read graph.catalog.compare over the RDF store, kept per write generation (api.memo):
two documents' measures are read and aligned once per write. An unknown document is a 404,
the same document twice or a missing parameter a 422.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api import memo
from api.csv import csv_attachment, wants_csv
from api.deps import IrisDep, StoreDep, write_generation
from api.routes.pages import render
from graph.analysis.alignment import MIN_SCORE, Alignment
from graph.analysis.alignment_tables import ROLE_ZH, TABLES
from graph.analysis.export import csv_text
from graph.catalog.chain import Node
from graph.catalog.compare import comparison, record
from ontology.levels import level_labels

router = APIRouter(tags=["compare"])

_ID = r"^[A-Za-z0-9._~-]+$"
DocQ = Annotated[str, Query(min_length=1, max_length=200, pattern=_ID, description="document id")]
TableQ = Annotated[
    str,
    Query(
        pattern="^(compare|roles|functions)$",
        description="CSV only: compare (side by side), roles (per pair and function) or "
        "functions (totals per function)",
    ),
]
FormatQ = Annotated[str | None, Query(pattern="^(csv|json)$", description="csv or json")]

Found = tuple[Node, Node, Alignment]


def _found(request: Request, store: Any, iris: Any, a: str, b: str) -> Found:
    state = request.app.state
    kept: Found = memo.answers(state).get(
        ("compare", a, b), write_generation(state), lambda: comparison(store, iris, a, b)
    )
    return kept


@router.get(
    "/api/compare",
    summary="Compare two documents measure by measure (措施对照)",
    description=(
        "The best one-to-one alignment of the measures of documents `a` and `b` by text "
        f"similarity (cosine of character n-grams, pairs scoring at least {MIN_SCORE}), side "
        "by side; for each pair each function's role in A and in B (lead, shared, support; "
        "sole counts as lead), who leads on each side and the functions on one side only; "
        "the measures only in A and only in B; totals per function. CSV: `table=compare` "
        "(default), `roles` or `functions`."
    ),
)
async def compare_api(
    request: Request,
    store: StoreDep,
    iris: IrisDep,
    a: DocQ,
    b: DocQ,
    table: TableQ = "compare",
    format: FormatQ = None,
) -> Response:
    if wants_csv(request):
        _doc_a, _doc_b, found = await run_in_threadpool(_found, request, store, iris, a, b)
        made = TABLES[table](found)
        return csv_attachment(csv_text(made), f"{made.name}-{a}-{b}")
    state = request.app.state

    def body() -> bytes:
        made = record(*_found(request, store, iris, a, b))
        return bytes(JSONResponse(made).body)

    kept: bytes = await run_in_threadpool(
        lambda: memo.answers(state).get(("compare-json", a, b), write_generation(state), body)
    )
    return Response(kept, media_type="application/json", headers={"Vary": "Accept"})


@router.get("/compare", include_in_schema=False)
async def compare_page(
    request: Request, store: StoreDep, iris: IrisDep, a: DocQ, b: DocQ
) -> HTMLResponse:
    doc_a, doc_b, found = await run_in_threadpool(_found, request, store, iris, a, b)
    context = {
        "a": doc_a,
        "b": doc_b,
        "found": found,
        "levels": level_labels(),
        "roles": ROLE_ZH,
    }
    return render(request, "compare.html", context)
