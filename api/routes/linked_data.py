"""Linked Data: every IRI the service mints dereferences, and the ontology at its namespace.

Content negotiation answers **200 with ``Vary: Accept``** (no 303 round trip): browsers get
an HTML page of the resource, RDF clients Turtle, N-Triples, RDF/XML or JSON-LD. Measures,
documents and agencies get a page for people (api/routes/people_pages); every other resource
the table of all its triples, labelled, escaped. ``?format=turtle|ntriples|rdfxml|jsonld``
picks an RDF form where no ``Accept`` header can be sent (a link in a page); without it the
``Accept`` header decides as before. The IRI served is ``{base_iri}{request path}``, so a
deployment with its own ``base_iri`` serves its own IRIs.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote_to_bytes

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import IrisDep, StoreDep, sparql_for
from api.errors import echo
from api.routes import people_pages
from api.routes.pages import render
from graph.catalog import details as catalog
from graph.catalog.details import lit
from graph.sparql.service import GRAPH_MEDIA_TYPES, negotiate
from ontology.errors import InvalidParameter, NotFound, PolicyKGError

router = APIRouter(tags=["linked data"])

HTML = "text/html"
OFFERS = (HTML, *GRAPH_MEDIA_TYPES)
#: ``?format=`` names of the RDF forms (for links; clients send ``Accept``).
FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}

#: Longest ``/id/...`` path served (raw characters); nothing minted comes near it.
MAX_ID_CHARS = 512
#: A raw path segment: unreserved characters and percent escapes (RFC 3986), as minted.
_RAW_SEGMENT = re.compile(r"(?:[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2})+")
#: What a decoded segment may hold: what ``Iris`` mints from ids (letters, digits, -._~).
_DECODED_SEGMENT = re.compile(r"[\w\-.~]+")


class InvalidId(PolicyKGError):
    status = 400
    title = "Invalid identifier"


def minted_iri(base: str, raw_path: str) -> str:
    """The IRI a raw ``id/...`` path names, or InvalidId / NotFound before any query.

    The path is judged as sent (percent escapes kept) so the IRI is spelled as ``Iris``
    mints it: each segment decoded once and re-encoded the one way ``Iris`` encodes.
    """
    shown = echo("/id/" + raw_path)
    if len(raw_path) > MAX_ID_CHARS:
        raise NotFound(f"nothing is known at {shown} (longer than any identifier)")
    segments = raw_path.split("/")
    if any(not s for s in segments):
        raise NotFound(f"nothing is known at {shown} (empty path segment)")
    canonical = []
    for segment in segments:
        if not _RAW_SEGMENT.fullmatch(segment):
            raise InvalidId(
                f"{shown} is not a policykg identifier: a path segment may hold only "
                "letters, digits, '-', '.', '_', '~' and percent escapes"
            )
        try:
            decoded = unquote_to_bytes(segment).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidId(f"{shown}: a percent escape is not UTF-8") from None
        if decoded in (".", "..") or not _DECODED_SEGMENT.fullmatch(decoded):
            raise InvalidId(
                f"{shown} is not a policykg identifier: identifiers hold only letters, "
                "digits, '-', '.', '_' and '~'"
            )
        canonical.append(quote(decoded, safe="-._~"))
    return f"{base}/id/" + "/".join(canonical)


def _raw_id_path(request: Request) -> str:
    """The path after ``/id/`` as the client sent it (percent escapes not yet decoded)."""
    raw = request.scope.get("raw_path")
    text = raw.decode("latin-1") if isinstance(raw, bytes) else request.url.path
    return text.split("?", 1)[0].partition("/id/")[2]


def _media(request: Request) -> str:
    """The form asked for: ``?format=`` when given, else by ``Accept`` (HTML when none)."""
    chosen = request.query_params.get("format")
    if chosen is None:
        return negotiate(request.headers.get("accept"), OFFERS) or HTML
    if chosen not in FORMATS:
        raise InvalidParameter(
            f"format: {echo(chosen[:40])!r} is not one of {', '.join(FORMATS)} "
            "(or leave it out and send an Accept header)"
        )
    return FORMATS[chosen]


async def _rdf(request: Request, construct: str, media: str) -> Response:
    service = await run_in_threadpool(sparql_for, request.app.state)
    answer = await run_in_threadpool(service.execute, construct, media)
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


@router.get("/id/{path:path}", summary="Dereference a minted IRI (HTML or RDF by Accept)")
async def resource(path: str, request: Request, store: StoreDep, iris: IrisDep) -> Response:
    del path  # decoded by the router; the raw form is what gets judged
    iri = minted_iri(iris.base, _raw_id_path(request))
    media = _media(request)
    found = await run_in_threadpool(catalog.describe, store, iris, iri)
    if found is None:
        raise NotFound(f"nothing is known about {echo(iri)}")
    if media != HTML:
        query = f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"
        return await _rdf(request, query, media)
    kind = iris.kind_of(iri)
    if kind in people_pages.PAGE_KINDS:
        response = await people_pages.page(request, store, iris, iri, str(kind), found)
        response.headers["Vary"] = "Accept"
        return response
    context = {"resource": found, "iri": iri, "formats": people_pages.formats(iris, iri)}
    response = render(request, "resource.html", context)
    response.headers["Vary"] = "Accept"
    return response


@router.get("/ontology", summary="The policykg ontology (HTML or RDF by Accept)")
async def ontology(request: Request, store: StoreDep, iris: IrisDep) -> Response:
    media = _media(request)
    if media != HTML:
        graph = iris.ontology_graph
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        return await _rdf(request, query, media)
    terms = await run_in_threadpool(catalog.ontology_terms, store, iris)
    context = {"terms": terms, "namespace": iris.ontology_ns, "ns_literal": lit(iris.ontology_ns)}
    response = render(request, "ontology.html", context)
    response.headers["Vary"] = "Accept"
    return response
