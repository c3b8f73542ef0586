"""The public Cypher endpoint (`/cypher`) and its query page.

Execution and every refusal live in :mod:`graph.neo4j.guard`; this module only parses
requests, finds the Neo4j driver the app holds, and renders the page with example queries.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field

from api.deps import neo4j_driver_dep, settings_dep
from graph.neo4j import lanes
from graph.neo4j.connection import Driver
from graph.neo4j.guard import MAX_QUERY_CHARS
from graph.neo4j.queries import CYPHER_EXAMPLES
from graph.settings import Settings
from ontology.errors import InvalidParameter, PolicyKGError, StoreUnavailable

router = APIRouter(tags=["cypher"])
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))

#: Example queries over the documented property-graph schema (README "Neo4j schema").
EXAMPLES = CYPHER_EXAMPLES
#: Public queries running at once; admission (lanes) lives in graph/neo4j/lanes.py.
MAX_CONCURRENT = lanes.MAX_CONCURRENT


def neo4j_driver(driver: Annotated[Driver | None, Depends(neo4j_driver_dep)]) -> Driver:
    """The app's Neo4j driver, or 503 saying how to start or configure one."""
    if driver is None:
        raise StoreUnavailable(
            "Neo4j is not configured: start a local server with `policykg neo4j start` "
            "and set NEO4J_URI (e.g. bolt://127.0.0.1:7687), NEO4J_USER and NEO4J_PASSWORD"
        )
    return driver


#: Neo4j integers are signed 64-bit; the driver cannot send anything wider.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
#: Deepest nesting of lists and maps in parameters (the driver packs them recursively).
MAX_PARAMETER_DEPTH = 32


class BadCypherParameters(PolicyKGError):
    status = 400
    title = "Invalid Cypher parameters"


def check_parameters(value: Any, where: str = "parameters", depth: int = 0) -> None:
    """Refuse what Neo4j cannot take, before the driver sees it (it fails with a 500 then)."""
    if depth > MAX_PARAMETER_DEPTH:
        raise BadCypherParameters(
            f"{where}: lists and maps nest deeper than {MAX_PARAMETER_DEPTH} levels"
        )
    if isinstance(value, bool) or value is None or isinstance(value, float | str):
        return
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise BadCypherParameters(
                f"{where}: the integer {str(value)[:24]}{'…' if len(str(value)) > 24 else ''} "
                "is outside Neo4j's 64-bit range (-2^63 … 2^63-1); send it as a string"
            )
        return
    if isinstance(value, dict):
        for key, item in value.items():
            check_parameters(item, f"{where}.{str(key)[:40]}", depth + 1)
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            check_parameters(item, f"{where}[{index}]", depth + 1)
        return
    raise BadCypherParameters(f"{where}: not a JSON value")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
#: A ``\\u``/``\\U`` escape: a backslash not itself escaped (an odd run of them) before u/U.
_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\[uU]")


def check_query_text(query: str) -> None:
    """Refuse what makes Neo4j 5.26 misplace a syntax error: a character above U+FFFF (two
    UTF-16 units) or a ``\\u`` escape (decoded before parsing: six characters become one).
    A syntax error at the end of such a text gets an internal "Index out of bounds" (500) or
    no answer at all on that connection: ``RETURN '\\u0041' +`` held a slot until the driver
    gave up after 120 s (found by the fuzz of tests/api/test_fuzz_endpoints.py). Both kinds
    of value work as parameters, which is where values belong anyway."""
    found = _ASTRAL.search(query)
    if found is not None:
        raise BadCypherQuery(
            f"the query text holds U+{ord(found.group()):X} at offset {found.start()}: "
            "characters above U+FFFF are not accepted in Cypher text here; pass the value "
            'as a parameter ($name with "parameters": {"name": …})'
        )
    escape = _ESCAPE.search(query)
    if escape is not None:
        raise BadCypherQuery(
            f"the query text has a \\u escape at offset {escape.end() - 2}: write the "
            'character itself or pass the value as a parameter ($name with "parameters": '
            '{"name": …})'
        )


class BadCypherQuery(PolicyKGError):
    status = 400
    title = "Query refused"


SettingsDep = Annotated[Settings, Depends(settings_dep)]
DriverDep = Annotated[Driver, Depends(neo4j_driver)]


class CypherRequest(BaseModel):
    """Body of ``POST /cypher``."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    parameters: dict[str, Any] = Field(default_factory=dict)


def _execute(
    driver: Driver, settings: Settings, query: str, parameters: dict[str, Any]
) -> dict[str, Any]:
    # Bounded concurrency with a slot kept for short queries (503 + Retry-After when full).
    return lanes.run_admitted(
        driver,
        query,
        parameters,
        database=settings.neo4j_database,
        timeout_s=settings.cypher_timeout_s,
        row_limit=settings.cypher_row_limit,
    )


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
async def post_cypher(request: Request, body: CypherRequest, settings: SettingsDep) -> JSONResponse:
    """Columns and rows as JSON; refused unless the server's plan is read-only."""
    check_query_text(body.query)  # bad input is a 400 whether or not Neo4j is up
    check_parameters(body.parameters)
    driver = await run_in_threadpool(lambda: neo4j_driver(neo4j_driver_dep(request)))
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
        except RecursionError:
            raise BadCypherParameters("parameters: nested too deeply") from None
    if not isinstance(params, dict):
        raise InvalidParameter("parameters: must be a JSON object")
    check_query_text(query)
    check_parameters(params)
    # In a worker thread: finding the driver may mean connecting to Neo4j.
    driver = await run_in_threadpool(lambda: neo4j_driver(neo4j_driver_dep(request)))
    answer = await run_in_threadpool(_execute, driver, settings, query, params)
    return JSONResponse(answer)


@router.get("/cypher/query", response_class=HTMLResponse, summary="Cypher query page")
async def cypher_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(request, settings)
