"""REST reads under ``/api``: paginated, filterable lists (JSON or CSV) and detail records.

Detail records are served as JSON bytes from a small LRU cache of recent answers, valid for
one write generation of the store (``api.deps.notify_write`` bumps it on every upload or
removal, so a cached answer is never served after a write). A miss runs the catalog read:
measure and document details inline on the event loop (one document's graph, well under a
millisecond; a thread hop would cost more than the read), the others in the threadpool (their
cost grows with the entity's measures). Dependencies here are ``async`` so they add no
threadpool hop either.

Lists without filters of their own (:data:`LISTS`) and detail records by one id
(:data:`DETAILS`) are tables, one row an endpoint, registered by one route factory each with
the same parameters, names and OpenAPI as before; measures (filters, two-part id) and agencies
(``q``, the kept table) keep their own routes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.csv import list_response
from api.deps import iris_dep, store_dep, write_generation
from api.memo import agency_table, detail_cache
from graph.catalog import details as catalog
from graph.catalog import entities as catalog_entities
from graph.catalog import lists as catalog_lists
from graph.catalog.lists import MeasureFilter
from loaders.model import Role
from ontology.iris import Iris

router = APIRouter(prefix="/api", tags=["rest"])

Limit = Annotated[int, Query(ge=1, le=1000, description="page size (1–1000)")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
Fmt = Annotated[str | None, Query(pattern="^(csv|json)$", description="csv or json")]
IdPath = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._~-]+$")]


async def _store(request: Request) -> Any:
    return store_dep(request)


async def _iris(request: Request) -> Iris:
    return iris_dep(request)


Store = Annotated[Any, Depends(_store)]
IrisDep = Annotated[Iris, Depends(_iris)]
Record = Callable[[], dict[str, Any]]


def _json(record: dict[str, Any]) -> bytes:
    """The bytes FastAPI's JSONResponse would send for ``record``."""
    text = json.dumps(record, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8")


async def _detail(
    request: Request, key: tuple[str, ...], read: Record, *, inline: bool
) -> Response:
    """A cached detail answer, or ``read()`` (inline or in the threadpool), then cached.
    Errors (NotFound → 404) are not cached."""
    state = request.app.state
    cache = detail_cache(state)
    generation = write_generation(state)
    body: bytes | None = cache.lookup(key, generation)
    if body is None:
        record = read() if inline else await run_in_threadpool(read)
        body = _json(record)
        cache.store(key, generation, body)
    return Response(body, media_type="application/json")


_MEASURE_COLUMNS = ("id", "document", "ordinal", "chapter", "title", "lead_agencies", "agencies")
ListRead = Callable[..., dict[str, Any]]
DetailRead = Callable[[Any, Iris, str], dict[str, Any]]


@dataclass(frozen=True)
class ListEndpoint:
    """A paginated list with no filters of its own: ``read(store, iris, limit=, offset=)``."""

    name: str
    path: str
    summary: str
    read: ListRead
    columns: tuple[str, ...]
    filename: str


@dataclass(frozen=True)
class DetailEndpoint:
    """One record by id: ``/{path}/{param}``, served from the detail cache; ``inline`` reads
    on the event loop (one document's graph), else in the threadpool."""

    name: str
    path: str
    param: str
    summary: str
    read: DetailRead
    inline: bool


LISTS: tuple[ListEndpoint, ...] = (
    ListEndpoint("documents", "/documents", "Documents (文件)", catalog_lists.list_documents, ("id", "title", "doc_number", "issuer", "published_date", "measures"), "documents"),  # noqa: E501
    ListEndpoint("groups", "/groups", "Target groups (对象)", catalog_lists.list_groups, ("id", "label", "measures"), "target-groups"),  # noqa: E501
    ListEndpoint("programs", "/programs", "Programs (项目/行动)", catalog_lists.list_programs, ("id", "name", "type", "measures"), "programs"),  # noqa: E501
)  # fmt: skip

DETAILS: tuple[DetailEndpoint, ...] = (
    DetailEndpoint("document", "/documents", "doc_id", "One document with its chapters", catalog.get_document, True),  # noqa: E501
    DetailEndpoint("agency", "/agencies", "agency_id", "One agency with its duties as lead and support", catalog_entities.get_agency, False),  # noqa: E501
    DetailEndpoint("group", "/groups", "group_id", "One target group with its measures", catalog_entities.get_group, False),  # noqa: E501
    DetailEndpoint("program", "/programs", "program_id", "One program with its measures", catalog_entities.get_program, False),  # noqa: E501
)  # fmt: skip


def _list_route(endpoint: ListEndpoint) -> None:
    def get(
        request: Request, store: Store, iris: IrisDep, limit: Limit = 50, offset: Offset = 0,
        format: Fmt = None,
    ) -> Response:  # fmt: skip
        found = endpoint.read(store, iris, limit=limit, offset=offset)
        return list_response(request, found, endpoint.columns, endpoint.filename)

    router.add_api_route(
        endpoint.path, get, methods=["GET"], name=endpoint.name, summary=endpoint.summary
    )


def _detail_route(endpoint: DetailEndpoint) -> None:
    by_id = Path(alias=endpoint.param, min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._~-]+$")

    async def get(
        request: Request, store: Store, iris: IrisDep, entity_id: str = by_id
    ) -> Response:
        return await _detail(
            request,
            (endpoint.name, entity_id),
            lambda: endpoint.read(store, iris, entity_id),
            inline=endpoint.inline,
        )

    router.add_api_route(
        f"{endpoint.path}/{{{endpoint.param}}}",
        get,
        methods=["GET"],
        name=endpoint.name,
        summary=endpoint.summary,
        response_model=dict[str, Any],
    )


@router.get("/measures", summary="Measures (措施), filterable")
def measures(
    request: Request, store: Store, iris: IrisDep,
    document: Annotated[str | None, Query(max_length=200, description="document id")] = None,
    chapter: Annotated[int | None, Query(ge=1, le=10_000, description="chapter ordinal")] = None,
    agency: Annotated[str | None, Query(max_length=200, description="agency id")] = None,
    role: Annotated[Role | None, Query(description="lead, support, shared or sole")] = None,
    group: Annotated[str | None, Query(max_length=200, description="target group id")] = None,
    program: Annotated[str | None, Query(max_length=200, description="program id")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="substring of title or text")
    ] = None,
    limit: Limit = 50, offset: Offset = 0, format: Fmt = None,
) -> Response:  # fmt: skip
    f = MeasureFilter(
        document=document,
        chapter=chapter,
        agency=agency,
        role=role,
        group=group,
        program=program,
        q=q or None,
    )
    found = catalog_lists.list_measures(store, iris, f, limit=limit, offset=offset)
    return list_response(request, found, _MEASURE_COLUMNS, "measures")


@router.get(
    "/measures/{doc_id}/{ordinal}",
    summary="One measure with agencies, groups, programs",
    response_model=dict[str, Any],
)
async def measure(
    request: Request,
    doc_id: IdPath,
    ordinal: Annotated[int, Path(ge=1, le=100_000)],
    store: Store,
    iris: IrisDep,
) -> Response:
    return await _detail(
        request,
        ("measure", doc_id, str(ordinal)),
        lambda: catalog_entities.get_measure(store, iris, doc_id, ordinal),
        inline=True,
    )


@router.get("/agencies", summary="Agencies (责任单位)")
def agencies(
    request: Request, store: Store, iris: IrisDep,
    q: Annotated[str | None, Query(max_length=200, description="substring of the name")] = None,
    limit: Limit = 50, offset: Offset = 0, format: Fmt = None,
) -> Response:  # fmt: skip
    table = agency_table(request.app.state, store, iris, q or None)
    found = catalog_lists.list_agencies(store, iris, limit=limit, offset=offset, table=table)
    return list_response(request, found, ("id", "name", "measures", "lead"), "agencies")


for _list in LISTS:
    _list_route(_list)
for _one in DETAILS:
    _detail_route(_one)
