"""REST for the coordination analyses under ``/api/coordination`` (JSON, or CSV by
``?format=csv`` / ``Accept: text/csv``). Every answer is computed from the networkx graph that
graph.analysis.network reads from the RDF store; filters ``document`` and ``chapter`` select it."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from api.csv import wants_csv
from api.deps import StoreDep
from graph.analysis.assignment import assignment_table, duty_lists
from graph.analysis.communities import working_groups
from graph.analysis.coresponsibility import coresponsibility
from graph.analysis.coverage import coverage
from graph.analysis.export import csv_text
from graph.analysis.meetings import meeting_plan
from graph.analysis.network import build_network
from graph.analysis.tables import (
    Table,
    assignments_table,
    coresponsibility_table,
    coverage_table,
    duties_table,
    links_table,
    meetings_table,
    working_groups_table,
    workload_table,
)
from graph.analysis.workload import workload

router = APIRouter(prefix="/api/coordination", tags=["coordination"])

DocumentQ = Annotated[
    str | None,
    Query(max_length=200, pattern=r"^[A-Za-z0-9._~-]+$", description="document id"),
]
ChapterQ = Annotated[
    int | None, Query(ge=1, le=10_000, description="chapter ordinal (needs document)")
]
FormatQ = Annotated[str | None, Query(pattern="^(csv|json)$", description="csv or json")]


def _network(store: Any, document: str | None, chapter: int | None) -> nx.MultiDiGraph:
    return build_network(store, document=document, chapter=chapter)


def _answer(request: Request, payload: dict[str, Any], table: Table) -> Response:
    if wants_csv(request):
        return Response(
            csv_text(table),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{table.name}.csv"',
                "Vary": "Accept",
            },
        )
    return JSONResponse(payload, headers={"Vary": "Accept"})


@router.get("/workload", summary="Measures per agency as lead, support, shared, sole")
def get_workload(
    request: Request, store: StoreDep, document: DocumentQ = None, chapter: ChapterQ = None,
    format: FormatQ = None,
) -> Response:  # fmt: skip
    graph = _network(store, document, chapter)
    rows = workload(graph)
    return _answer(request, {"items": [asdict(r) for r in rows]}, workload_table(graph, rows))


@router.get("/coresponsibility", summary="Agency centralities, bridges, articulation points")
def get_coresponsibility(
    request: Request, store: StoreDep, document: DocumentQ = None, chapter: ChapterQ = None,
    format: FormatQ = None,
) -> Response:  # fmt: skip
    graph = _network(store, document, chapter)
    report = coresponsibility(graph)
    return _answer(request, asdict(report), coresponsibility_table(report))


@router.get("/coresponsibility/links", summary="Agency pairs weighted by shared measures")
def get_links(
    request: Request, store: StoreDep, document: DocumentQ = None, chapter: ChapterQ = None,
    format: FormatQ = None,
) -> Response:  # fmt: skip
    graph = _network(store, document, chapter)
    report = coresponsibility(graph)
    payload = {"items": [asdict(link) for link in report.links]}
    return _answer(request, payload, links_table(graph, report))


@router.get("/working-groups", summary="Louvain working groups with conveners")
def get_working_groups(
    request: Request, store: StoreDep, document: DocumentQ = None, chapter: ChapterQ = None,
    format: FormatQ = None,
) -> Response:  # fmt: skip
    graph = _network(store, document, chapter)
    groups = working_groups(graph)
    return _answer(request, asdict(groups), working_groups_table(graph, groups))


@router.get("/meetings", summary="Coordination meetings in the fewest time slots")
def get_meetings(
    request: Request, store: StoreDep, document: DocumentQ = None, chapter: ChapterQ = None,
    format: FormatQ = None,
) -> Response:  # fmt: skip
    graph = _network(store, document, chapter)
    plan = meeting_plan(graph)
    payload = {"slot_count": len(plan.slots), **asdict(plan)}
    return _answer(request, payload, meetings_table(graph, plan))


@router.get("/coverage", summary="Measures, agencies and programs serving each target group")
def get_coverage(
    request: Request, store: StoreDep, document: DocumentQ = None, chapter: ChapterQ = None,
    format: FormatQ = None,
) -> Response:  # fmt: skip
    graph = _network(store, document, chapter)
    rows = coverage(graph)
    return _answer(request, {"items": [asdict(r) for r in rows]}, coverage_table(graph, rows))


@router.get("/assignments", summary="任务分工表: one row per measure")
def get_assignments(
    request: Request, store: StoreDep, document: DocumentQ = None, chapter: ChapterQ = None,
    format: FormatQ = None,
) -> Response:  # fmt: skip
    graph = _network(store, document, chapter)
    rows = assignment_table(graph)
    return _answer(request, {"items": [asdict(r) for r in rows]}, assignments_table(rows))


@router.get("/duties", summary="责任清单: each agency's duties")
def get_duties(
    request: Request, store: StoreDep, document: DocumentQ = None, chapter: ChapterQ = None,
    format: FormatQ = None,
) -> Response:  # fmt: skip
    graph = _network(store, document, chapter)
    lists = duty_lists(graph)
    return _answer(request, {"items": [asdict(d) for d in lists]}, duties_table(graph, lists))
