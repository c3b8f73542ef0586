"""Similar measures of other documents: REST ``/api/measures/{doc_id}/{ordinal}/similar``.

Reads graph.catalog.similar over the RDF store (the links graph/similar_index.py keeps at
every write); JSON, or CSV like the other lists (``?format=csv`` or ``Accept: text/csv``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.csv import list_response
from api.deps import IrisDep, StoreDep
from api.routes.rest import Fmt, IdPath
from graph.analysis.similarity import THRESHOLD, TOP_K
from graph.catalog.similar import MAX_LIMIT, similar_measures

router = APIRouter(prefix="/api", tags=["rest"])

COLUMNS = ("id", "document", "number", "title", "document_title", "score")


@router.get(
    "/measures/{doc_id}/{ordinal}/similar",
    summary="Similar measures of other documents (相似措施)",
    description=(
        f"The measures of other documents that say the same thing, best first: cosine of the "
        f"character 2-3-gram sets of the two texts (responsibility clause left out), at least "
        f"{THRESHOLD}, at most {TOP_K} per measure. `items`: id, document, number, title, "
        f"document_title, score. 404 for an unknown measure."
    ),
)
def similar(
    request: Request,
    doc_id: IdPath,
    ordinal: Annotated[int, Path(ge=1, le=100_000)],
    store: StoreDep,
    iris: IrisDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"1–{MAX_LIMIT}")] = 10,
    format: Fmt = None,
) -> Response:
    items = similar_measures(store, iris, doc_id, ordinal, limit)
    page = {
        "measure": f"{doc_id}/measure/{ordinal}",
        "total": len(items),
        "limit": limit,
        "offset": 0,
        "items": items,
    }
    return list_response(request, page, COLUMNS, f"similar-{doc_id}-{ordinal}")
