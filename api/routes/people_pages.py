"""The HTML a browser gets for a measure, a document or an agency IRI: a page for people.

Machines keep what ``/id/...`` always answered (Turtle, N-Triples, RDF/XML, JSON-LD by
``Accept``); a browser asking for HTML gets, instead of a predicate/value table, the measure's
text with its responsibility clause and mentions highlighted, its agencies in the document's
order, the document's chapters and busiest agencies, an agency's duties by document. The raw
triples stay on each page, folded. Other IRIs keep the generic page (api/routes/linked_data).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import unquote, urlencode

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from api import memo
from api.highlight import Mark, clause_ranges, segments
from api.routes.pages import href, render
from graph.analysis.workload import workload
from graph.catalog import entities, page_facts
from graph.catalog import lists as catalog_lists
from graph.catalog.details import Row, get_document
from graph.catalog.lists import MeasureFilter
from graph.catalog.similar import similar_measures
from graph.rdf.mapping import ROLE_LABELS_ZH
from ontology.iris import Iris
from viz.charts import workload_bars

#: The kinds of IRI that get a page of their own.
PAGE_KINDS = ("measure", "document", "agency")
#: Bars of a workload chart: agencies of a document, documents of an agency (the tables
#: below the charts list them all).
CHART_ROWS = 30
#: Similar measures listed in the "elsewhere" section.
ELSEWHERE = 8

_MEASURE_PATH = re.compile(r"/id/document/([^/]+)/measure/([0-9]+)$")
_DOCUMENT_PATH = re.compile(r"/id/document/([^/]+)$")
_AGENCY_PATH = re.compile(r"/id/agency/([^/]+)$")


def _local(pattern: re.Pattern[str], iris: Iris, iri: str) -> tuple[str, ...]:
    found = pattern.fullmatch(iri[len(iris.base) :])
    assert found is not None, iri  # kind_of said so
    return tuple(unquote(g) for g in found.groups())


def formats(iris: Iris, iri: str) -> list[tuple[str, str]]:
    """(name, link) of the RDF forms of ``iri`` a browser can open without an Accept header."""
    base = href(iris, iri)
    return [
        (name, f"{base}?{urlencode({'format': key})}")
        for name, key in (("Turtle", "turtle"), ("JSON-LD", "jsonld"), ("N-Triples", "ntriples"))
    ]


# --------------------------------------------------------------------------- measure
def measure_context(store: Any, iris: Iris, iri: str) -> dict[str, Any]:
    doc_id, ordinal_text = _local(_MEASURE_PATH, iris, iri)
    ordinal = int(ordinal_text)
    record = entities.get_measure(store, iris, doc_id, ordinal)
    facts = page_facts.measure_facts(store, iris, doc_id, ordinal)
    text = str(record.get("text") or "")
    agencies = []
    marks: list[Mark] = []
    for a in record["agencies"]:
        extra = facts["agencies"].get(a["rank"], {})
        link = href(iris, str(iris.agency(a["id"])))
        row = {
            **a,
            "href": link,
            "role_zh": ROLE_LABELS_ZH.get(a["role"], a["role"]),
            "function_label": extra.get("function_label"),
            "level_label": extra.get("level_label"),
            "level": extra.get("level"),
        }
        agencies.append(row)
        if extra.get("span") is not None:
            start, end = extra["span"]
            tip = f"{a['name'] or a['id']}（{row['role_zh']}）"
            marks.append(Mark(start, end, "agency", link, tip))
    clauses = clause_ranges(text, [(m.start, m.end) for m in marks])  # the agency marks
    marks += [Mark(s, e, "clause") for s, e in clauses]
    groups = {str(iris.target_group(g["id"])): g for g in record["target_groups"]}
    programs = {str(iris.program(p["id"])): p for p in record["programs"]}
    for mention in facts["mentions"]:
        about = mention["about"]
        known = groups.get(about) or programs.get(about) or {}
        label = known.get("label") or known.get("name") or mention["written"] or about
        kind = "对象 target group" if mention["kind"] == "group" else "项目 program"
        start, end = mention["span"]
        marks.append(Mark(start, end, mention["kind"], href(iris, about), f"{kind}：{label}"))
    return {
        "measure": record,
        "facts": facts,
        "agencies": agencies,
        "segments": segments(text, marks),
        "clauses": len(clauses),
        "groups": [{**g, "href": href(iris, x)} for x, g in groups.items()],
        "programs": [{**p, "href": href(iris, x)} for x, p in programs.items()],
        "document_href": href(iris, str(iris.document(doc_id))),
        "chapter_href": href(iris, str(iris.chapter(doc_id, record["chapter"])))
        if record.get("chapter") is not None
        else None,
        "ego": f"/viz/ego?{urlencode({'measure': iri})}",
        "elsewhere": _elsewhere(store, iris, doc_id, ordinal),
    }


def _elsewhere(store: Any, iris: Iris, doc_id: str, ordinal: int) -> list[Row]:
    """Measures of other documents that read like this one, best first (graph.catalog.similar
    keeps the links per write)."""
    found = similar_measures(store, iris, doc_id, ordinal, ELSEWHERE)
    return [{**r, "href": href(iris, r["iri"])} for r in found]


# --------------------------------------------------------------------------- document
def document_context(state: Any, store: Any, iris: Iris, iri: str) -> dict[str, Any]:
    (doc_id,) = _local(_DOCUMENT_PATH, iris, iri)
    record = get_document(store, iris, doc_id)
    listed = catalog_lists.list_measures(
        store, iris, MeasureFilter(document=doc_id), limit=10_000, offset=0
    )["items"]
    by_chapter: dict[int | None, list[Row]] = {}
    for m in listed:
        by_chapter.setdefault(m.get("chapter"), []).append({**m, "href": href(iris, m["iri"])})
    chapters = [
        {**c, "href": href(iris, str(iris.chapter(doc_id, c["ordinal"]))),
         "items": by_chapter.pop(c["ordinal"], [])}
        for c in record["chapters"]
    ]  # fmt: skip
    if by_chapter:  # measures whose chapter has no title: listed after the chapters
        rest = [m for ms in by_chapter.values() for m in ms]
        chapters.append({"ordinal": None, "title": "", "href": None, "items": rest})
    graph = memo.network(state, store, doc_id, None)
    load = workload(graph)
    rows = [
        {
            "label": r.label,
            "href": href(iris, r.agency),
            "total": r.total,
            "lead": r.lead,
            "support": r.support,
            "shared": r.shared,
            "sole": r.sole,
        }
        for r in load
    ]
    return {
        "document": record,
        "chapters": chapters,
        "workload": rows,
        "chart": _chart(rows[:CHART_ROWS], "各单位承担措施数 Measures per agency"),
        "chart_rows": min(len(rows), CHART_ROWS),
        "views": {
            "accountability": f"/viz/accountability?{urlencode({'document': doc_id})}",
            "coresponsibility": f"/viz/coresponsibility?{urlencode({'document': doc_id})}",
            "groups": f"/viz/groups?{urlencode({'document': doc_id})}",
        },
    }


def _chart(rows: list[Row], title: str) -> str | None:
    """The stacked workload bars (SVG) of viz/charts, or None when there is nothing to draw."""
    return workload_bars(rows, title=title, limit=None) if rows else None


# --------------------------------------------------------------------------- agency
def agency_context(store: Any, iris: Iris, iri: str) -> dict[str, Any]:
    (agency_id,) = _local(_AGENCY_PATH, iris, iri)
    record = entities.get_agency(store, iris, agency_id)
    duties = sorted(
        record["lead"] + record["support"],
        key=lambda d: (d["document"], d["ordinal"], d["rank"], d["role"]),
    )
    documents = list(dict.fromkeys(d["document"] for d in duties))
    doc_iris = [str(iris.document(d)) for d in documents]
    extra = [str(iris.function(record["function"]))] if record.get("function") else []
    extra += [str(iris.level(record["level"]))] if record.get("level") else []
    names = page_facts.labels(store, iris, doc_iris + extra)
    by_document = []
    chart_rows = []
    for doc_id, doc_iri in zip(documents, doc_iris, strict=True):
        mine = [
            {
                **d,
                "href": href(iris, str(iris.measure(d["document"], d["ordinal"]))),
                "role_zh": ROLE_LABELS_ZH.get(d["role"], d["role"]),
            }
            for d in duties
            if d["document"] == doc_id
        ]
        roles = Counter(d["role"] for d in mine)
        title = names.get(doc_iri, doc_id)
        by_document.append(
            {
                "id": doc_id,
                "title": title,
                "href": href(iris, doc_iri),
                "duties": mine,
                "roles": roles,
                "view": "/viz/accountability?" + urlencode({"agency": iri, "document": doc_id}),
            }
        )
        chart_rows.append(
            {"label": doc_id, "total": len({d["ordinal"] for d in mine}),
             **{r: roles.get(r, 0) for r in ROLE_LABELS_ZH}}
        )  # fmt: skip
    found = page_facts.coresponsible(store, iris, agency_id)
    partners = [{**p, "href": href(iris, p["iri"])} for p in found]
    ego = {"agency": iri} | ({"document": documents[0]} if len(documents) == 1 else {})
    return {
        "agency": record,
        "function_label": names.get(extra[0]) if record.get("function") else None,
        "level_label": names.get(extra[-1]) if record.get("level") else None,
        "documents": by_document,
        "measures": len({(d["document"], d["ordinal"]) for d in duties}),
        "role_totals": Counter(d["role"] for d in duties),
        "partners": partners,
        "chart": _chart(chart_rows[:CHART_ROWS], "各文件中的职责 Duties per document"),
        "chart_rows": min(len(chart_rows), CHART_ROWS),
        "ego": f"/viz/ego?{urlencode(ego)}",
        "roles_zh": ROLE_LABELS_ZH,
    }


# --------------------------------------------------------------------------- dispatch
async def page(
    request: Request, store: Any, iris: Iris, iri: str, kind: str, found: Row
) -> HTMLResponse:
    """The page of a measure, document or agency IRI (``kind`` from ``Iris.kind_of``)."""
    if kind == "measure":
        context = await run_in_threadpool(measure_context, store, iris, iri)
        template = "measure_page.html"
    elif kind == "document":
        state = request.app.state
        context = await run_in_threadpool(document_context, state, store, iris, iri)
        template = "document_page.html"
    else:
        context = await run_in_threadpool(agency_context, store, iris, iri)
        template = "agency_page.html"
    context |= {"resource": found, "iri": iri, "formats": formats(iris, iri)}
    return render(request, template, context)
