"""Loading and removing documents over HTTP: ``POST /api/documents``, ``DELETE .../{id}``.

Both need the bearer token from settings (compared in constant time, never logged); with no
token configured they are disabled. The body is capped while it streams in, the document is
extracted before either store is touched, and :mod:`graph.pipeline` writes both stores so that
a Neo4j failure leaves them as they were.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.types import Message

from api import kept_answers
from api.deps import WRITE_LOCK, iris_dep, neo4j_driver_dep, notify_write, store_dep
from api.errors import problem
from api.routes.cypher import SettingsDep
from graph import pipeline, reconcile
from graph.identity import IdRegistry, resolve_extraction
from graph.settings import Settings
from loaders.model import Extraction
from ontology.errors import (
    Forbidden,
    InvalidParameter,
    NotFound,
    PayloadTooLarge,
    StoreError,
    StoreUnavailable,
    Unauthorized,
)
from ontology.iris import Iris

router = APIRouter(tags=["documents"])

#: Media types accepted as a raw body, and the extension a nameless upload gets.
RAW_TYPES: dict[str, str] = {
    "text/plain": ".txt",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
}
_NAME_OK = re.compile(r"[^\w.\-\u4e00-\u9fff]+")
log = logging.getLogger("policykg")
#: What a client is told when a write fails in a store; the log has the store's own words
#: (which name internal hosts and ports and quote the driver).
WRITE_UNAVAILABLE = (
    "the document was not written: Neo4j did not answer. Rolled back in both stores, so "
    "neither store was changed. Try again once it is back; the server log says what failed"
)
WRITE_FAILED = (
    "the document was not written: a store refused the write. Rolled back in both stores; "
    "the server log says what failed"
)


# --- access ---------------------------------------------------------------------------------
def _authorize(request: Request, settings: Settings) -> None:
    """Forbidden when uploads are disabled; Unauthorized unless the bearer token matches."""
    expected = settings.upload_token.get_secret_value() if settings.upload_token else ""
    if not expected:
        raise Forbidden(
            "loading and removing documents over HTTP is disabled: no upload token is "
            "configured (set POLICYKG_UPLOAD_TOKEN on the server)"
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized("this needs the upload token: send 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8")):
        raise Unauthorized("the bearer token is not the upload token")


def _unauthorized(exc: Unauthorized) -> JSONResponse:
    response = problem(exc.status, exc.title, exc.detail)
    response.headers["WWW-Authenticate"] = 'Bearer realm="policykg"'
    return response


# --- body -----------------------------------------------------------------------------------
async def read_limited(request: Request, limit: int) -> bytes:
    """The whole body, or PayloadTooLarge as soon as it passes ``limit`` bytes."""
    too_large = PayloadTooLarge(f"the request body is larger than the limit of {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def _form_file(request: Request, body: bytes) -> tuple[bytes, str, str | None]:
    """The single file of a multipart body already read (and bounded) into memory."""

    async def replay() -> Message:
        nonlocal body
        chunk, body = body, b""
        return {"type": "http.request", "body": chunk, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=1, max_fields=8)
    try:
        files = [v for v in form.values() if isinstance(v, UploadFile)]
        if len(files) != 1:
            raise InvalidParameter("form field 'file': send exactly one file")
        upload = files[0]
        data = await upload.read()
        media = (upload.content_type or "").split(";")[0].strip().lower() or None
        return data, upload.filename or "upload", media
    finally:
        await form.close()


def _source_name(name: str | None, media_type: str) -> str:
    """A plain file name (no folders, no odd characters) for ``source_name``."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _NAME_OK.sub("_", base).strip("._")[:120]
    return base or f"upload{RAW_TYPES.get(media_type, '.txt')}"


async def _upload_payload(request: Request, limit: int, name: str | None) -> tuple[bytes, str, str]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "multipart/form-data" and media not in RAW_TYPES:
        raise HTTPException(
            415,
            f"Content-Type {media or '(none)'} is not accepted: send text/plain or text/html "
            "with ?name=FILE, or multipart/form-data with one file",
        )
    body = await read_limited(request, limit)
    if media == "multipart/form-data":
        data, filename, file_media = await _form_file(request, body)
        return data, _source_name(name or filename, file_media or ""), file_media or ""
    return body, _source_name(name, media), media


# --- stores ---------------------------------------------------------------------------------
def _summary(extraction: Extraction, iris: Iris) -> dict[str, Any]:
    measures = extraction.measures
    doc = extraction.document
    return {
        "id": doc.id,
        "iri": str(iris.document(doc.id)),
        "title": doc.title,
        "doc_number": doc.doc_number,
        "source_name": doc.source_name,
        "chapters": len(extraction.chapters),
        "measures": len(measures),
        "agencies": len({a.id for m in measures for a in m.agencies}),
        "target_groups": len({g.id for m in measures for g in m.target_groups}),
        "programs": len({p.id for m in measures for p in m.programs}),
        "responsibilities": sum(len(m.agencies) for m in measures),
    }


def _writable_driver(request: Request) -> Any | None:
    """The Neo4j driver, None when Neo4j is not configured; refuse when configured but absent.

    Writing only the RDF store while a configured Neo4j is missing would let them disagree.
    """
    try:
        return neo4j_driver_dep(request)
    except StoreUnavailable as exc:
        raise StoreUnavailable(
            "documents cannot be loaded or removed now: both stores are written together. "
            f"{exc.detail}"
        ) from None


class _WriteErrors:
    """Store errors of a write become messages without internal addresses or driver text
    (the log keeps the store's own words)."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> None:
        if isinstance(exc, StoreUnavailable):
            log.warning("%s: %s", self.what, exc.detail)
            raise StoreUnavailable(WRITE_UNAVAILABLE) from None
        if isinstance(exc, StoreError):
            log.warning("%s: %s", self.what, exc.detail)
            raise StoreError(WRITE_FAILED) from None


def _settle(request: Request, rdf: Any, driver: Any, settings: Settings) -> None:
    """Finish or roll back what an interrupted write left (graph/reconcile.py) first."""
    if reconcile.reconcile(rdf, driver, settings.neo4j_database):
        notify_write(request.app.state)
        kept_answers.after_write(request.app.state)


def _load(
    request: Request, settings: Settings, extraction: Extraction
) -> tuple[pipeline.Outcome, Extraction, str | None]:
    """Load one extraction: (outcome, the extraction under its final id, the other source
    file whose document had that id, if any)."""
    driver = _writable_driver(request)
    rdf = store_dep(request)
    with WRITE_LOCK, _WriteErrors(f"upload of {extraction.document.source_name}"):
        _settle(request, rdf, driver, settings)
        digest = hashlib.sha1(extraction.source_text.encode("utf-8")).hexdigest()
        extraction, holder = resolve_extraction(IdRegistry(rdf), extraction, digest)
        outcome = pipeline.load_extraction(
            extraction, rdf, driver, iris_dep(request), settings.neo4j_database
        )
        if outcome.stores:  # only after a write that changed something (a failed one raised)
            notify_write(request.app.state)
            kept_answers.after_write(request.app.state)
    other = holder.identity.source_name if holder is not None else None
    if other == extraction.document.source_name:
        other = None
    return outcome, extraction, other


def _remove(request: Request, settings: Settings, doc_id: str) -> bool:
    driver = _writable_driver(request)
    rdf = store_dep(request)
    with WRITE_LOCK, _WriteErrors(f"removal of {doc_id}"):
        _settle(request, rdf, driver, settings)
        removed = pipeline.remove(doc_id, rdf, driver, settings.neo4j_database)
        if removed:
            notify_write(request.app.state)
            kept_answers.after_write(request.app.state)
        return removed


def _extract(data: bytes, source_name: str, media_type: str) -> Extraction:
    from loaders import extract_bytes

    return extract_bytes(data, source_name, media_type or None)


# --- routes ---------------------------------------------------------------------------------
@router.post("/api/documents", status_code=201, summary="Load a document (token required)")
async def upload_document(
    request: Request,
    settings: SettingsDep,
    name: Annotated[str | None, Query(max_length=200, description="file name")] = None,
) -> Response:
    """Extract a text/HTML document and load it into both stores; 201 with its summary."""
    try:
        _authorize(request, settings)
    except Unauthorized as exc:
        return _unauthorized(exc)
    data, source_name, media = await _upload_payload(request, settings.upload_max_bytes, name)
    extraction = await run_in_threadpool(_extract, data, source_name, media)
    outcome, extraction, replaced = await run_in_threadpool(_load, request, settings, extraction)
    summary = _summary(extraction, iris_dep(request))
    summary["status"] = outcome.status  # "unchanged" when the same version was uploaded
    summary["stores"] = list(outcome.stores)
    if replaced is not None and outcome.stores:
        summary["replaced"] = replaced  # the other file whose document had this id
    return JSONResponse(
        summary,
        status_code=201,
        headers={"Location": f"/api/documents/{extraction.document.id}"},
    )


@router.delete("/api/documents/{doc_id}", status_code=204, summary="Remove a document (token)")
async def delete_document(request: Request, doc_id: str, settings: SettingsDep) -> Response:
    """Remove a document from both stores; 404 when neither has it."""
    try:
        _authorize(request, settings)
    except Unauthorized as exc:
        return _unauthorized(exc)
    if not await run_in_threadpool(_remove, request, settings, doc_id):
        raise NotFound(f"no document with id {doc_id!r}")
    return Response(status_code=204)
