"""REST reads under ``/api``: paginated, filterable lists (JSON or CSV) and detail records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.csv import list_response
from api.deps import IrisDep, StoreDep
from graph import catalog, catalog_entities
from graph.catalog_entities import MeasureFilter
from loaders.model import Role

router = APIRouter(prefix="/api", tags=["rest"])

Limit = Annotated[int, Query(ge=1, le=1000, description="page size (1–1000)")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
Fmt = Annotated[str | None, Query(pattern="^(csv|json)$", description="csv or json")]
Store = StoreDep
IdPath = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._~-]+$")]

_MEASURE_COLUMNS = ("id", "document", "ordinal", "chapter", "title", "lead_agencies", "agencies")


@router.get("/documents", summary="Documents (文件)")
def documents(
    request: Request,
    store: Store,
    iris: IrisDep,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = None,
) -> Response:
    found = catalog.list_documents(store, iris, limit=limit, offset=offset)
    columns = ("id", "title", "doc_number", "issuer", "published_date", "measures")
    return list_response(request, found, columns, "documents")


@router.get("/documents/{doc_id}", summary="One document with its chapters")
def document(doc_id: IdPath, store: Store, iris: IrisDep) -> dict[str, Any]:
    return catalog.get_document(store, iris, doc_id)


@router.get("/measures", summary="Measures (措施), filterable")
def measures(
    request: Request,
    store: Store,
    iris: IrisDep,
    document: Annotated[str | None, Query(max_length=200, description="document id")] = None,
    chapter: Annotated[int | None, Query(ge=1, le=10_000, description="chapter ordinal")] = None,
    agency: Annotated[str | None, Query(max_length=200, description="agency id")] = None,
    role: Annotated[Role | None, Query(description="lead, support, shared or sole")] = None,
    group: Annotated[str | None, Query(max_length=200, description="target group id")] = None,
    program: Annotated[str | None, Query(max_length=200, description="program id")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="substring of title or text")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = None,
) -> Response:
    f = MeasureFilter(
        document=document,
        chapter=chapter,
        agency=agency,
        role=role,
        group=group,
        program=program,
        q=q or None,
    )
    found = catalog_entities.list_measures(store, iris, f, limit=limit, offset=offset)
    return list_response(request, found, _MEASURE_COLUMNS, "measures")


@router.get("/measures/{doc_id}/{ordinal}", summary="One measure with agencies, groups, programs")
def measure(
    doc_id: IdPath, ordinal: Annotated[int, Path(ge=1, le=100_000)], store: Store, iris: IrisDep
) -> dict[str, Any]:
    return catalog_entities.get_measure(store, iris, doc_id, ordinal)


@router.get("/agencies", summary="Agencies (责任单位)")
def agencies(
    request: Request,
    store: Store,
    iris: IrisDep,
    q: Annotated[str | None, Query(max_length=200, description="substring of the name")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = None,
) -> Response:
    found = catalog_entities.list_agencies(store, iris, limit=limit, offset=offset, q=q or None)
    return list_response(request, found, ("id", "name", "measures", "lead"), "agencies")


@router.get("/agencies/{agency_id}", summary="One agency with its duties as lead and support")
def agency(agency_id: IdPath, store: Store, iris: IrisDep) -> dict[str, Any]:
    return catalog_entities.get_agency(store, iris, agency_id)


@router.get("/groups", summary="Target groups (对象)")
def groups(
    request: Request,
    store: Store,
    iris: IrisDep,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = None,
) -> Response:
    found = catalog_entities.list_groups(store, iris, limit=limit, offset=offset)
    return list_response(request, found, ("id", "label", "measures"), "target-groups")


@router.get("/groups/{group_id}", summary="One target group with its measures")
def group(group_id: IdPath, store: Store, iris: IrisDep) -> dict[str, Any]:
    return catalog_entities.get_group(store, iris, group_id)


@router.get("/programs", summary="Programs (项目/行动)")
def programs(
    request: Request,
    store: Store,
    iris: IrisDep,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Fmt = None,
) -> Response:
    found = catalog_entities.list_programs(store, iris, limit=limit, offset=offset)
    return list_response(request, found, ("id", "name", "type", "measures"), "programs")


@router.get("/programs/{program_id}", summary="One program with its measures")
def program(program_id: IdPath, store: Store, iris: IrisDep) -> dict[str, Any]:
    return catalog_entities.get_program(store, iris, program_id)
