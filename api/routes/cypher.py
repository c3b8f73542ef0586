"""The public Cypher endpoint (`/cypher`) and its query page.

Execution and every refusal live in :mod:`graph.cypher_guard`; this module only parses
requests, finds the Neo4j driver the app holds, and renders the page with example queries.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import neo4j
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field

from api.deps import neo4j_driver_dep, settings_dep
from graph.cypher_guard import MAX_QUERY_CHARS, run_read_query
from graph.settings import Settings
from ontology.errors import InvalidParameter, StoreUnavailable

router = APIRouter(tags=["cypher"])
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))

#: Example queries over the documented property-graph schema (README "Neo4j schema").
EXAMPLES: tuple[dict[str, Any], ...] = (
    {
        "title": "Agencies of measure 5, in rank order / 措施5的责任单位（按排序）",
        "query": (
            "MATCH (a:Agency)-[r:RESPONSIBLE_FOR]->(m:Measure {document: $document, "
            "ordinal: $ordinal})\n"
            "RETURN r.rank AS rank, a.name AS agency, r.role AS role, r.as_written AS as_written\n"
            "ORDER BY rank"
        ),
        "parameters": {"document": "jinan-2025-5", "ordinal": 5},
    },
    {
        "title": "Measures an agency is named first for / 某单位排第一（牵头）的措施",
        "query": (
            "MATCH (a:Agency)-[r:RESPONSIBLE_FOR]->(m:Measure)\n"
            "WHERE (a.name CONTAINS $agency OR a.id = $agency)\n"
            "  AND (r.rank = 1 OR r.role IN ['lead', 'sole'])\n"
            "RETURN m.document AS document, m.ordinal AS measure, m.title AS title,\n"
            "       r.role AS role\n"
            "ORDER BY document, measure"
        ),
        "parameters": {"agency": "人力资源和社会保障局"},
    },
    {
        "title": "Agencies sharing the most measures / 共同负责措施最多的单位对",
        "query": (
            "MATCH (a:Agency)-[:RESPONSIBLE_FOR]->(m:Measure)<-[:RESPONSIBLE_FOR]-(b:Agency)\n"
            "WHERE a.iri < b.iri\n"
            "RETURN a.name AS agency_a, b.name AS agency_b, count(DISTINCT m) AS shared\n"
            "ORDER BY shared DESC, agency_a, agency_b\n"
            "LIMIT 10"
        ),
        "parameters": {},
    },
    {
        "title": "Measures for a target group, first-named agency / 面向某群体的措施及第一责任单位",
        "query": (
            "MATCH (m:Measure)-[:TARGETS]->(g:TargetGroup)\n"
            "WHERE g.name CONTAINS $group\n"
            "OPTIONAL MATCH (a:Agency)-[r:RESPONSIBLE_FOR {rank: 1}]->(m)\n"
            "RETURN m.document AS document, m.ordinal AS measure, g.name AS group, "
            "a.name AS first_agency\n"
            "ORDER BY document, measure"
        ),
        "parameters": {"group": "残疾人"},
    },
    {
        "title": "Paths agency → measure → target group / 路径示例",
        "query": (
            "MATCH p = (:Agency)-[:RESPONSIBLE_FOR]->(:Measure)-[:TARGETS]->(:TargetGroup)\n"
            "RETURN p\nLIMIT 5"
        ),
        "parameters": {},
    },
    {
        "title": "The graph schema / 图模式",
        "query": "CALL db.schema.visualization()",
        "parameters": {},
    },
)


def neo4j_driver(
    request: Request, driver: Annotated[Any, Depends(neo4j_driver_dep)]
) -> neo4j.Driver:
    """The app's Neo4j driver, or 503 saying how to start or configure one."""
    if driver is None:
        settings: Settings = settings_dep(request)
        if settings.neo4j_uri:
            raise StoreUnavailable(
                f"Neo4j at {settings.neo4j_uri} was not reachable when the service started: "
                "start it (`policykg neo4j start` for the local server) and restart the service"
            )
        raise StoreUnavailable(
            "Neo4j is not configured: start a local server with `policykg neo4j start` "
            "and set NEO4J_URI (e.g. bolt://127.0.0.1:7687), NEO4J_USER and NEO4J_PASSWORD"
        )
    return driver


SettingsDep = Annotated[Settings, Depends(settings_dep)]
DriverDep = Annotated[neo4j.Driver, Depends(neo4j_driver)]


class CypherRequest(BaseModel):
    """Body of ``POST /cypher``."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    parameters: dict[str, Any] = Field(default_factory=dict)


def _execute(
    driver: neo4j.Driver, settings: Settings, query: str, parameters: dict[str, Any]
) -> dict[str, Any]:
    result = run_read_query(
        driver,
        query,
        parameters,
        database=settings.neo4j_database,
        timeout_s=settings.cypher_timeout_s,
        row_limit=settings.cypher_row_limit,
    )
    return result.to_json_dict()


def _page(request: Request, settings: Settings) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "cypher.html",
        {
            "examples": EXAMPLES,
            "examples_json": json.dumps(list(EXAMPLES), ensure_ascii=True),
            "row_limit": settings.cypher_row_limit,
            "timeout_s": settings.cypher_timeout_s,
        },
    )


@router.post("/cypher", summary="Run a read-only Cypher query")
async def post_cypher(
    body: CypherRequest,
    settings: SettingsDep,
    driver: DriverDep,
) -> JSONResponse:
    """Columns and rows as JSON; refused unless the server's plan is read-only."""
    answer = await run_in_threadpool(_execute, driver, settings, body.query, body.parameters)
    return JSONResponse(answer)


@router.get("/cypher", summary="Cypher query page, or run ?query= as JSON", response_model=None)
async def get_cypher(
    request: Request,
    settings: SettingsDep,
    query: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)] = None,
    parameters: Annotated[str | None, Query(description="JSON object of parameters")] = None,
) -> Response:
    """Without ``query`` (or for a browser) the page; with ``query`` the JSON answer."""
    if query is None:
        return _page(request, settings)
    params: Any = {}
    if parameters:
        try:
            params = json.loads(parameters)
        except json.JSONDecodeError as exc:
            raise InvalidParameter(f"parameters: not valid JSON ({exc.msg})") from None
    if not isinstance(params, dict):
        raise InvalidParameter("parameters: must be a JSON object")
    driver = neo4j_driver(request, neo4j_driver_dep(request))
    answer = await run_in_threadpool(_execute, driver, settings, query, params)
    return JSONResponse(answer)


@router.get("/cypher/query", response_class=HTMLResponse, summary="Cypher query page")
async def cypher_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(request, settings)
