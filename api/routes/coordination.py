"""REST for the coordination analyses under ``/api/coordination`` (JSON, or CSV by
``?format=csv`` / ``Accept: text/csv``). Every answer is computed from the networkx graph that
graph.analysis.network reads from the RDF store; filters ``document`` and ``chapter`` select it.

The endpoints are one table (:data:`ENDPOINTS`): a path, a summary and the analysis that turns
the network into a payload and a table; one route factory declares the shared parameters to
OpenAPI. The network and each finished answer are kept per write generation (api.memo), so a
repeated request serialises nothing; the meeting plan refuses selections above
:data:`MEETING_LIMIT` measures (its colouring is super-linear). ``by=function`` runs each
analysis on the network with agencies folded into their government functions. The lead
matrix (documents × functions, JSON, CSV and an SVG heat map) is read by index scans
(graph.analysis.lead_counts), not from the network, so it has no measure limit: the whole
corpus answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import TypeAdapter

from api import kept_answers, memo
from api.csv import csv_attachment, wants_csv
from api.deps import StoreDep, write_generation
from graph.analysis.assignment import assignment_table, duty_lists
from graph.analysis.by_function import (
    LeadMatrix,
    by_function_table,
    function_network,
    lead_matrix,
    lead_matrix_table,
)
from graph.analysis.communities import working_groups
from graph.analysis.coresponsibility import coresponsibility
from graph.analysis.coverage import coverage
from graph.analysis.export import csv_text
from graph.analysis.lead_counts import read_duty_rows
from graph.analysis.meetings import MeetingPlan, meeting_plan
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
from viz.heatmap import lead_matrix_svg

router = APIRouter(prefix="/api/coordination", tags=["coordination"])

DocumentQ = Annotated[
    str | None,
    Query(max_length=200, pattern=r"^[A-Za-z0-9._~-]+$", description="document id"),
]
ChapterQ = Annotated[
    int | None, Query(ge=1, le=10_000, description="chapter ordinal (needs document)")
]
FormatQ = Annotated[str | None, Query(pattern="^(csv|json)$", description="csv or json")]
ByQ = Annotated[
    str,
    Query(
        pattern="^(agency|function)$",
        description="group by agency (default) or by government function across documents",
    ),
]

#: Most measures (with agencies) one meeting plan may cover; above it the answer is a 422
#: that says so. A whole city's documents fit; a 1,000-document corpus (25,000 measures,
#: millions of conflicts) does not.
MEETING_LIMIT = 2_000


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def plain(value: Any) -> Any:
    """A result dataclass as JSON-ready dicts and lists: what ``dataclasses.asdict`` gives,
    by pydantic's serializer (25× faster: a 1,000-document duty list took 20 s by asdict)."""
    kind = type(value)
    adapter = _ADAPTERS.get(kind) or _ADAPTERS.setdefault(kind, TypeAdapter(kind))
    return adapter.dump_python(value, mode="json")


def _items(rows: Iterable[Any]) -> dict[str, Any]:
    return {"items": [plain(r) for r in rows]}


def _plan(graph: nx.MultiDiGraph) -> MeetingPlan:
    return meeting_plan(graph, limit=MEETING_LIMIT)


@dataclass(frozen=True)
class Endpoint:
    """One analysis endpoint: ``analyse`` the network (kept per write, shared by endpoints
    that read the same analysis), then its JSON ``payload`` and its CSV ``table``."""

    name: str  # the route name (OpenAPI operation ids derive from it)
    path: str
    summary: str
    analyse: Callable[[nx.MultiDiGraph], Any]
    payload: Callable[[Any], dict[str, Any]]
    table: Callable[[nx.MultiDiGraph, Any], Table]


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("get_workload", "/workload", "Measures per agency as lead, support, shared, sole", workload, _items, workload_table),  # noqa: E501
    Endpoint("get_coresponsibility", "/coresponsibility", "Agency centralities, bridges, articulation points", coresponsibility, plain, lambda _g, r: coresponsibility_table(r)),  # noqa: E501
    Endpoint("get_links", "/coresponsibility/links", "Agency pairs weighted by shared measures", coresponsibility, lambda r: _items(r.links), links_table),  # noqa: E501
    Endpoint("get_working_groups", "/working-groups", "Louvain working groups with conveners", working_groups, plain, working_groups_table),  # noqa: E501
    Endpoint("get_meetings", "/meetings", "Coordination meetings in the fewest time slots", _plan, lambda p: {"slot_count": len(p.slots), **plain(p)}, meetings_table),  # noqa: E501
    Endpoint("get_coverage", "/coverage", "Measures, agencies and programs serving each target group", coverage, _items, coverage_table),  # noqa: E501
    Endpoint("get_assignments", "/assignments", "任务分工表: one row per measure", assignment_table, _items, lambda _g, r: assignments_table(r)),  # noqa: E501
    Endpoint("get_duties", "/duties", "责任清单: each agency's duties", duty_lists, _items, duties_table),  # noqa: E501
)  # fmt: skip


def answer_body(
    graph: nx.MultiDiGraph, endpoint: Endpoint, result: Any, csv: bool, by: str = "agency"
) -> Response:
    """The finished response of one analysis result (JSON, or the CSV attachment)."""
    if csv:
        table = endpoint.table(graph, result)
        table = by_function_table(table) if by == "function" else table
        return csv_attachment(csv_text(table), table.name)
    return JSONResponse(endpoint.payload(result), headers={"Vary": "Accept"})


def respond(
    request: Request, store: Any, endpoint: Endpoint, document: str | None, chapter: int | None,
    by: str = "agency",
) -> Response:  # fmt: skip
    """The endpoint's answer for one selection, computed once per write and kept (the whole
    corpus's: kept by the writer, api.kept_answers); ``by`` function: on the network with
    agencies folded into functions (graph.analysis.by_function)."""
    state, csv = request.app.state, wants_csv(request)
    if document is None and chapter is None:
        name = kept_answers.coordination_name(endpoint.path, csv, by)
        found = kept_answers.response(
            state, store, name, request.headers.get("accept-encoding", "")
        )
        if found is not None:
            return found
    answers, generation = memo.answers(state), write_generation(state)

    def body() -> Response:
        graph = network = memo.network(state, store, document, chapter)
        if by == "function":
            folded = ("function-network", document, chapter)
            graph = answers.get(folded, generation, lambda: function_network(network))
        key = ("analysis", endpoint.analyse, document, chapter, by)
        result = answers.get(key, generation, lambda: endpoint.analyse(graph))
        return answer_body(graph, endpoint, result, csv, by)

    kept: Response = answers.get(
        ("answer", endpoint.path, document, chapter, csv, by), generation, body
    )
    return Response(kept.body, status_code=kept.status_code, headers=dict(kept.headers))


def _route(endpoint: Endpoint) -> None:
    def get(
        request: Request, store: StoreDep, document: DocumentQ = None, chapter: ChapterQ = None,
        format: FormatQ = None, by: ByQ = "agency",
    ) -> Response:  # fmt: skip
        return respond(request, store, endpoint, document, chapter, by)

    router.add_api_route(
        endpoint.path, get, methods=["GET"], name=endpoint.name, summary=endpoint.summary
    )


for _endpoint in ENDPOINTS:
    _route(_endpoint)


# --------------------------------------------------------------------------- lead matrix
#: The SVG is an image: nothing in it may load or run anything, even opened on its own.
SVG_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
}


def kept_lead_matrix(request: Request, store: Any, document: str | None) -> LeadMatrix:
    state = request.app.state
    found: LeadMatrix = memo.answers(state).get(
        ("lead-matrix", document),
        write_generation(state),
        lambda: lead_matrix(*read_duty_rows(store, document)),
    )
    return found


@router.get(
    "/lead-matrix",
    name="get_lead_matrix",
    summary="Documents × functions: measures each function leads, shares, supports",
    description=(
        "Per document and government function, how many measures the function leads (sole "
        "counts as lead), shares and supports; a measure counts once per function, in the "
        "strongest role its agencies hold. The whole corpus by default (read by index scans, "
        "no measure limit), or one `document`. CSV: one row per non-empty cell. The heat map: "
        "`/api/coordination/lead-matrix.svg`."
    ),
)
def get_lead_matrix(
    request: Request, store: StoreDep, document: DocumentQ = None, format: FormatQ = None
) -> Response:
    found = kept_lead_matrix(request, store, document)
    if wants_csv(request):
        table = lead_matrix_table(found)
        return csv_attachment(csv_text(table), table.name)
    return JSONResponse(plain(found), headers={"Vary": "Accept"})


@router.get(
    "/lead-matrix.svg",
    name="get_lead_matrix_svg",
    summary="The lead matrix as an SVG heat map",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
def get_lead_matrix_svg(request: Request, store: StoreDep, document: DocumentQ = None) -> Response:
    state = request.app.state
    svg: bytes = memo.answers(state).get(
        ("lead-matrix-svg", document),
        write_generation(state),
        lambda: lead_matrix_svg(kept_lead_matrix(request, store, document)).encode("utf-8"),
    )
    return Response(svg, media_type="image/svg+xml", headers=SVG_HEADERS)
