"""Linked Data: every IRI the service mints dereferences, and the ontology at its namespace.

Content negotiation answers **200 with ``Vary: Accept``** (no 303 round trip): browsers get
an HTML page of the resource (all its triples, labelled, escaped), RDF clients Turtle,
N-Triples, RDF/XML or JSON-LD. The IRI served is ``{base_iri}{request path}``, so a deployment
with its own ``base_iri`` serves its own IRIs.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import IrisDep, StoreDep, sparql_for
from api.routes.pages import render
from graph.catalog import details as catalog
from graph.catalog.details import lit
from graph.sparql.service import GRAPH_MEDIA_TYPES, negotiate
from ontology.errors import NotFound

router = APIRouter(tags=["linked data"])

HTML = "text/html"
OFFERS = (HTML, *GRAPH_MEDIA_TYPES)


async def _rdf(request: Request, construct: str, media: str) -> Response:
    service = await run_in_threadpool(sparql_for, request.app.state)
    answer = await run_in_threadpool(service.execute, construct, media)
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


@router.get("/id/{path:path}", summary="Dereference a minted IRI (HTML or RDF by Accept)")
async def resource(path: str, request: Request, store: StoreDep, iris: IrisDep) -> Response:
    iri = f"{iris.base}/id/{path}"
    media = negotiate(request.headers.get("accept"), OFFERS) or HTML
    found = await run_in_threadpool(catalog.describe, store, iris, iri)
    if found is None:
        raise NotFound(f"nothing is known about <{iri}>")
    if media != HTML:
        query = f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"
        return await _rdf(request, query, media)
    kind = iris.kind_of(iri)
    views = (
        {"ego": f"/viz/ego?{urlencode({kind: iri})}", "kind": kind}
        if kind in ("agency", "measure")
        else None
    )
    context = {"resource": found, "iri": iri, "views": views}
    response = render(request, "resource.html", context)
    response.headers["Vary"] = "Accept"
    return response


@router.get("/ontology", summary="The policykg ontology (HTML or RDF by Accept)")
async def ontology(request: Request, store: StoreDep, iris: IrisDep) -> Response:
    media = negotiate(request.headers.get("accept"), OFFERS) or HTML
    if media != HTML:
        graph = iris.ontology_graph
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        return await _rdf(request, query, media)
    terms = await run_in_threadpool(catalog.ontology_terms, store, iris)
    context = {"terms": terms, "namespace": iris.ontology_ns, "ns_literal": lit(iris.ontology_ns)}
    response = render(request, "ontology.html", context)
    response.headers["Vary"] = "Accept"
    return response
