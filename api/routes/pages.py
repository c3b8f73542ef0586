"""Server-rendered pages: home (browse), measure search, query page. Jinja2, autoescaped."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape

from api import memo
from api.deps import IrisDep, StoreDep, write_generation
from api.memo import agency_table
from api.routes.examples import EXAMPLES
from graph.catalog import corpus
from graph.catalog import lists as catalog_lists
from graph.catalog.lists import MeasureFilter
from ontology.iris import Iris

router = APIRouter(tags=["pages"], include_in_schema=False)

_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
for _name in ("base.html", "home.html"):  # compiled at start-up, not by the first visitor
    _env.get_template(_name)  # (0.17 s on a loaded machine: half of a cold home page)


def href(iris: Iris, iri: str) -> str:
    """A local link for a minted IRI (works whatever host serves it), else the IRI itself."""
    if iris.is_minted(iri):
        return iri[len(iris.base) :] or "/"
    return iri


def origin_note(iris: Iris, request: Request) -> str | None:
    """When the configured base differs from the origin serving the page, what to say once:
    links go through this origin (``href``) but the IRIs themselves are under the base."""
    origin = str(request.base_url).rstrip("/")
    if origin == iris.base:
        return None
    return (
        f"本服务的标识符以 {iris.base} 为基址，本页链接经当前地址 {origin} 打开。"
        f" IRIs are minted under {iris.base}; links on this page open them through {origin}."
    )


#: Stands in for the origin note in a page kept for every origin (the home page): the note
#: names the origin of each request, so it is put in when the kept page is served.
_NOTE_TOKEN = "\x00origin-note\x00"
_NOTE_SLOT = f'<p class="origin-note">{_NOTE_TOKEN}</p>'


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    *,
    note_slot: bool = False,
) -> HTMLResponse:
    iris: Iris = request.app.state.iris
    html = _env.get_template(template).render(
        request=request,
        href=lambda iri: href(iris, iri),
        iris=iris,
        origin_note=_NOTE_TOKEN if note_slot else origin_note(iris, request),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def fill_note_slot(html: str, request: Request) -> str:
    """The kept page with this request's origin note (escaped: the origin is the Host header)."""
    note = origin_note(request.app.state.iris, request)
    filled = "" if note is None else f'<p class="origin-note">{escape(note)}</p>'
    return html.replace(_NOTE_SLOT, filled, 1)


@router.get("/")
async def home(request: Request, store: StoreDep, iris: IrisDep) -> HTMLResponse:
    """The browse page: its lists are corpus-wide aggregates, so the page is made once per
    write (api.memo) and served from memory until the next upload or removal."""

    def load() -> dict[str, Any]:
        state = request.app.state
        # from the per-document summaries: list_documents' page without its corpus join
        docs = corpus.document_page(memo.documents(state, store, iris), limit=100, offset=0)
        shown = [d["id"] for d in docs["items"][:20]]
        kept = corpus.document_summaries(store, iris, shown)  # 20 literals, not 1,000
        return {
            "corpus": memo.corpus_view(state, store, iris),
            "documents": docs,
            "chapters": {  # get_document's chapters, as the writer summarised them
                doc_id: (kept.get(doc_id) or {}).get("chapters", []) for doc_id in shown
            },
            "agencies": catalog_lists.list_agencies(
                store, iris, limit=30, offset=0, table=agency_table(request.app.state, store, iris)
            ),
            "groups": corpus.group_page(
                store, iris, memo.measures_per(state, store, iris, "groups"), limit=50, offset=0
            ),
            "programs": corpus.program_page(
                store, iris, memo.measures_per(state, store, iris, "programs"), limit=50, offset=0
            ),
        }

    def page() -> str:
        return bytes(render(request, "home.html", load(), note_slot=True).body).decode("utf-8")

    answers, generation = memo.answers(request.app.state), write_generation(request.app.state)
    html: str | None = answers.lookup(("home",), generation)  # kept: no threadpool hop
    if html is None:
        html = await run_in_threadpool(lambda: answers.get(("home",), generation, page))
    return HTMLResponse(fill_note_slot(html, request))


@router.get("/browse/measures")
async def browse_measures(
    request: Request,
    store: StoreDep,
    iris: IrisDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    document: Annotated[str | None, Query(max_length=200)] = None,
    chapter: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    agency: Annotated[str | None, Query(max_length=200)] = None,
    group: Annotated[str | None, Query(max_length=200)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    f = MeasureFilter(document=document, chapter=chapter, agency=agency, group=group, q=q or None)
    found = await run_in_threadpool(
        lambda: catalog_lists.list_measures(store, iris, f, limit=100, offset=offset)
    )
    params = {k: v for k, v in request.query_params.items() if k not in ("offset", "format")}
    more = found["total"] > offset + found["limit"]
    context = {
        "page": found,
        "q": q or "",
        "filter": f,
        "next_query": urlencode({**params, "offset": offset + found["limit"]}) if more else "",
        "csv_query": urlencode({**params, "format": "csv", "limit": 1000}),
    }
    return render(request, "measures.html", context)


@router.get("/query")
async def query_page(request: Request) -> HTMLResponse:
    iris: Iris = request.app.state.iris
    return render(
        request, "query.html", {"examples": EXAMPLES, "prefixes": sorted(iris.prefixes.items())}
    )
