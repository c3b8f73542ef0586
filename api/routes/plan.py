"""The coordination planner ``/plan``: workload (table and chart), co-responsibility, working
groups, meeting plan, target-group coverage, and the printable 任务分工表 / 责任清单.

No script: a plain GET form whose fields (``document``, ``chapter``) are the page's URL, so a
plan is shared by its link. Every analysis comes from the same per-write memo as
``/api/coordination/*`` (api.memo, same keys), so the page and the API compute each answer
once per write; the finished page is kept too. A selection over the size limits is a readable
notice on the page, not an error page; each table links its CSV (the API) and XLSX (here).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from api import memo
from api.deps import StoreDep, write_generation
from api.routes.coordination import ENDPOINTS, Endpoint
from api.routes.pages import render
from graph.analysis.export import write_xlsx
from graph.analysis.tables import Table, measure_ref
from graph.catalog import details as catalog
from graph.catalog import lists as catalog_lists
from ontology.errors import InvalidParameter, NotFound, PolicyKGError
from viz.charts import workload_bars

router = APIRouter(tags=["pages"], include_in_schema=False)

#: Each table of the page: its name (file stem) and the coordination endpoint it comes from.
TABLES: dict[str, str] = {
    "workload": "/workload",
    "coresponsibility": "/coresponsibility",
    "links": "/coresponsibility/links",
    "working_groups": "/working-groups",
    "meetings": "/meetings",
    "coverage": "/coverage",
    "assignments": "/assignments",
    "duties": "/duties",
}
_BY_PATH: dict[str, Endpoint] = {e.path: e for e in ENDPOINTS}
_DOCUMENT_ID = re.compile(r"^[A-Za-z0-9._~-]{1,200}$")
#: Agencies drawn in the workload chart (the table lists all).
CHART_ROWS = 30
#: Documents offered in the form's list.
DOCUMENT_CHOICES = 2_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

RawQ = Annotated[str | None, Query(max_length=200)]
PrintTable = Literal["assignments", "duties"]
TableName = Literal[
    "workload", "coresponsibility", "links", "working_groups", "meetings", "coverage",
    "assignments", "duties", "plan",
]  # fmt: skip


@dataclass(frozen=True)
class Selection:
    """What the planner shows: a document (None = the whole corpus) and a chapter of it."""

    document: str | None = None
    chapter: int | None = None

    def query(self, **extra: str) -> str:
        """The URL query of this selection (empty fields left out), plus ``extra``."""
        fields = {"document": self.document, "chapter": self.chapter, **extra}
        return urlencode({k: v for k, v in fields.items() if v is not None})


def selection(document: str | None, chapter: str | None) -> Selection:
    """The selection of the form's raw fields: empty means not chosen (the form sends
    ``document=&chapter=``); anything else must be a document id and a chapter number."""
    doc = (document or "").strip() or None
    chap = (chapter or "").strip() or None
    if doc is not None and not _DOCUMENT_ID.match(doc):
        raise InvalidParameter("document: a document id is letters, digits and . _ ~ -")
    if chap is not None and not (chap.isdigit() and 1 <= int(chap) <= 10_000):
        raise InvalidParameter(f"chapter: a chapter number from 1 to 10000, got {chap[:20]!r}")
    if chap is not None and doc is None:
        raise InvalidParameter("chapter: choose a document first (chapters are per document)")
    return Selection(doc, int(chap) if chap is not None else None)


def _analysis(request: Request, store: Any, path: str, sel: Selection) -> tuple[Any, Any, Table]:
    """(network, result, table) of one coordination analysis, from the memo the API uses."""
    state = request.app.state
    endpoint = _BY_PATH[path]
    graph = memo.network(state, store, sel.document, sel.chapter)
    key = ("analysis", endpoint.analyse, sel.document, sel.chapter)
    result = memo.answers(state).get(key, write_generation(state), lambda: endpoint.analyse(graph))
    return graph, result, endpoint.table(graph, result)


@dataclass
class Section:
    """One table of the page: its downloads, the analysis result, or why it is missing."""

    name: str
    csv: str
    xlsx: str
    table: Table | None = None
    result: Any = None
    refused: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _section(request: Request, store: Any, name: str, sel: Selection) -> Section:
    path = TABLES[name]
    found = Section(
        name,
        csv=f"/api/coordination{path}?{sel.query(format='csv')}",
        xlsx=f"/plan/{name}.xlsx?{sel.query()}".rstrip("?"),
    )
    try:
        _graph, found.result, found.table = _analysis(request, store, path, sel)
    except InvalidParameter as exc:  # the meeting plan's size limit: said in its section
        found.refused = exc.detail
    return found


def _documents(request: Request, store: Any) -> list[dict[str, Any]]:
    state, iris = request.app.state, request.app.state.iris
    found = memo.kept(
        state,
        ("plan-documents",),
        lambda: catalog_lists.list_documents(store, iris, limit=DOCUMENT_CHOICES, offset=0),
    )
    return list(found["items"])


def _document(request: Request, store: Any, sel: Selection) -> dict[str, Any] | None:
    """The chosen document's record (title, chapters); NotFound for an unknown one or a
    chapter it does not have."""
    if sel.document is None:
        return None
    state, iris, doc = request.app.state, request.app.state.iris, sel.document
    # kept with the answers (one per document), not among the 16 corpus-wide tables
    key, generation = ("plan-document", doc), write_generation(state)
    record: dict[str, Any] = memo.answers(state).get(
        key, generation, lambda: catalog.get_document(store, iris, doc)
    )
    if sel.chapter is not None and sel.chapter not in {c["ordinal"] for c in record["chapters"]}:
        raise NotFound(f"document {doc!r} has no chapter {sel.chapter}")
    return record


def _meeting_extra(graph: nx.MultiDiGraph, plan: Any, workload: list[Any]) -> dict[str, Any]:
    """Who sets the lower bound (the agencies attending the most meetings) and how each
    meeting's measure is named in the tables."""
    load = plan.busiest_agency_load
    return {
        "busiest": [w.label for w in workload if w.total == load and load],
        "refs": {m.measure: measure_ref(graph, m.measure) for s in plan.slots for m in s.meetings},
    }


def _plan_context(request: Request, store: Any, sel: Selection) -> dict[str, Any]:
    record = _document(request, store, sel)
    # the corpus-size refusal and an unknown document stop the page here, not per section
    graph = memo.network(request.app.state, store, sel.document, sel.chapter)
    sections = {name: _section(request, store, name, sel) for name in TABLES}
    workload = sections["workload"].result or []
    chart = Markup(workload_bars(workload, limit=CHART_ROWS)) if workload else None
    meetings, groups = sections["meetings"], sections["working_groups"]
    if meetings.result is not None:
        meetings.extra = _meeting_extra(graph, meetings.result, workload)
    labels = [str(graph.nodes[a].get("label", "")) for a in groups.result.unattached]
    groups.extra = {"unattached": labels}
    return {
        "record": record,
        "sections": sections,
        "chart": chart,
        "chart_rows": min(CHART_ROWS, len(workload)),
        "all_xlsx": f"/plan/plan.xlsx?{sel.query()}".rstrip("?"),
        "view": f"/viz/coresponsibility?{sel.query()}".rstrip("?"),
    }


def _form_context(request: Request, store: Any, sel: Selection) -> dict[str, Any]:
    chapters: list[dict[str, Any]] = []
    if sel.document is not None:
        try:
            chapters = _document(request, store, Selection(sel.document))["chapters"]  # type: ignore[index]
        except NotFound:
            chapters = []
    return {
        "sel": sel,
        "documents": _documents(request, store),
        "chapters": chapters,
        "print_assignments": f"/plan/print?{sel.query(table='assignments')}",
        "print_duties": f"/plan/print?{sel.query(table='duties')}",
    }


def _notice_page(
    request: Request, store: Any, sel: Selection, exc: PolicyKGError, status: int
) -> HTMLResponse:
    """The form and what keeps the plan from being shown, as a page (not a JSON problem)."""
    context = {**_form_context(request, store, sel), "notice": exc.detail, "title": exc.title}
    return render(request, "plan.html", context, status=status)


def _refusal_status(sel: Selection, exc: PolicyKGError) -> int:
    """The corpus-size refusal answers a valid request (200, the page says why and what to
    choose); an unknown document or chapter keeps its 404."""
    return 200 if isinstance(exc, InvalidParameter) and sel.document is None else exc.status


@router.get("/plan")
def plan_page(
    request: Request, store: StoreDep, document: RawQ = None, chapter: RawQ = None
) -> HTMLResponse:
    """The planner for a document, a chapter of it or the whole corpus (kept per write)."""
    try:
        sel = selection(document, chapter)
    except InvalidParameter as exc:  # the form's fields themselves
        return _notice_page(request, store, Selection(), exc, exc.status)
    state = request.app.state

    def page() -> str:
        context = {**_form_context(request, store, sel), **_plan_context(request, store, sel)}
        return bytes(render(request, "plan.html", context).body).decode("utf-8")

    try:
        html = memo.answers(state).get(("plan-page", sel), write_generation(state), page)
    except PolicyKGError as exc:
        return _notice_page(request, store, sel, exc, _refusal_status(sel, exc))
    return HTMLResponse(html)


def numeral(n: int) -> str:
    """A number as documents write their chapters and measures: 5 → 五, 12 → 十二, 20 → 二十
    (past 99 in digits)."""
    digits = "零一二三四五六七八九"
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = (digits[tens] if tens > 1 else "") + ("十" if tens else "")
    return head + (digits[ones] if ones else "")


@router.get("/plan/print")
def plan_print(
    request: Request,
    store: StoreDep,
    document: RawQ = None,
    chapter: RawQ = None,
    table: PrintTable = "assignments",
) -> HTMLResponse:
    """The 任务分工表 or 责任清单 alone, one table, made for paper (no navigation)."""
    refused: dict[str, Any] = {"table": table, "record": None, "back": "/plan"}
    try:
        sel = selection(document, chapter)
    except InvalidParameter as exc:
        return render(request, "plan_print.html", {**refused, "notice": exc.detail}, exc.status)
    try:
        record = _document(request, store, sel)
        graph, result, _table = _analysis(request, store, TABLES[table], sel)
    except PolicyKGError as exc:
        status = _refusal_status(sel, exc)
        return render(request, "plan_print.html", {**refused, "notice": exc.detail}, status)
    context: dict[str, Any] = {
        "table": table,
        "record": record,
        "rows": result,
        "documents": _document_titles(graph),
        "cn": numeral,
        "back": f"/plan?{sel.query()}".rstrip("?"),
        "sel": sel,
    }
    return render(request, "plan_print.html", context)


def _document_titles(graph: nx.MultiDiGraph) -> dict[str, str]:
    return {
        n: str(d.get("label", "")) for n, d in graph.nodes(data=True) if d.get("kind") == "document"
    }


def _xlsx(tables: list[Table]) -> bytes:
    """The workbook of graph.analysis.export.write_xlsx, in memory (nothing is written)."""
    buffer = io.BytesIO()
    write_xlsx(tables, buffer)  # type: ignore[arg-type]  # openpyxl saves to a file object
    return buffer.getvalue()


@router.get("/plan/{name}.xlsx")
def plan_xlsx(
    request: Request, store: StoreDep, name: TableName, document: RawQ = None, chapter: RawQ = None
) -> Response:
    """One table (or ``plan``: every table, a sheet each) as an XLSX download, kept per write."""
    sel = selection(document, chapter)
    state = request.app.state

    def workbook() -> bytes:
        names = list(TABLES) if name == "plan" else [name]
        tables = []
        for n in names:
            try:
                tables.append(_analysis(request, store, TABLES[n], sel)[2])
            except InvalidParameter:
                if name != "plan":
                    raise
        return _xlsx(tables)

    body = memo.answers(state).get(("plan-xlsx", name, sel), write_generation(state), workbook)
    stem = name if sel.document is None else f"{sel.document}-{name}"
    return Response(
        body,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'},
    )
