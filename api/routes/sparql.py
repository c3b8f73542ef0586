"""``/sparql``: the SPARQL 1.1 Protocol (query only) over the sealed service.

GET ``?query=``, POST ``application/x-www-form-urlencoded`` and POST
``application/sparql-query`` are accepted; GET without a query returns the service
description. Protocol errors are 4xx problem documents (see api/errors.py).
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import sparql_for
from graph.sparql.service import GRAPH_MEDIA_TYPES, negotiate, service_description
from ontology.errors import PayloadTooLarge, PolicyKGError, QueryRefused

router = APIRouter(tags=["sparql"])


class BadSparqlRequest(PolicyKGError):
    status = 400
    title = "Bad SPARQL request"


class UnsupportedMediaType(PolicyKGError):
    status = 415
    title = "Unsupported media type"


def _one(params: dict[str, list[str]]) -> str | None:
    if params.get("update"):
        raise QueryRefused("the 'update' parameter is refused: this endpoint is read-only")
    for name in ("default-graph-uri", "named-graph-uri"):
        if params.get(name):
            raise QueryRefused(
                f"the '{name}' parameter is not supported; use FROM / FROM NAMED in the query "
                "(they select among this store's own graphs)"
            )
    queries = params.get("query", [])
    if len(queries) > 1:
        raise BadSparqlRequest("exactly one 'query' parameter is allowed, got several")
    return queries[0] if queries else None


def _utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadSparqlRequest(f"{what} is not valid UTF-8 (byte {exc.start})") from None


async def _answer(request: Request, query: str | None) -> Response:
    accept = request.headers.get("accept")
    if query is None:
        endpoint = str(request.url.replace(query=""))
        media = negotiate(accept, GRAPH_MEDIA_TYPES) or GRAPH_MEDIA_TYPES[0]
        return Response(
            service_description(endpoint, media), media_type=media, headers={"Vary": "Accept"}
        )
    service = await run_in_threadpool(sparql_for, request.app.state)
    answer = await run_in_threadpool(service.execute, query, accept)
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["X-Result-Truncated"] = f"row limit {service.row_limit} reached"
    media = answer.media_type
    if media.startswith("text/") or media.endswith("json"):
        media += "; charset=utf-8"
    return Response(answer.body, media_type=media, headers=headers)


@router.get("/sparql", summary="SPARQL 1.1 query (GET)", response_class=Response)
async def sparql_get(request: Request) -> Response:
    raw = request.scope.get("query_string", b"")
    try:
        params = parse_qs(_utf8(raw, "the query string"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise BadSparqlRequest("the query string is not valid UTF-8") from None
    query = _one(params)
    return await _answer(request, query)


@router.post(
    "/sparql", summary="SPARQL 1.1 query (POST form or sparql-query)", response_class=Response
)
async def sparql_post(request: Request) -> Response:
    # api.body_limit has bounded the body already (settings.query_max_bytes); this is the
    # same limit for an app mounted without that layer.
    limit = request.app.state.settings.query_max_bytes
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    body = await request.body()
    if len(body) > limit:
        raise PayloadTooLarge(f"the request body is larger than the limit of {limit} bytes")
    if media == "application/sparql-query":
        if request.query_params.getlist("query"):
            raise BadSparqlRequest("the query is in the body; no 'query' URL parameter")
        return await _answer(request, _utf8(body, "the request body"))
    if media == "application/x-www-form-urlencoded":
        text = _utf8(body, "the request body")
        try:
            params = parse_qs(text, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise BadSparqlRequest("the form data is not valid UTF-8") from None
        query = _one(params)
        if query is None:
            raise BadSparqlRequest("the form has no 'query' parameter")
        return await _answer(request, query)
    if media == "application/sparql-update":
        raise QueryRefused("SPARQL Update is refused: this endpoint is read-only")
    raise UnsupportedMediaType(
        f"POST /sparql needs Content-Type application/sparql-query or "
        f"application/x-www-form-urlencoded, not {media or 'none'!r}"
    )
