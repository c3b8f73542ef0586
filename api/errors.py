"""The one error boundary of the HTTP API: every failure becomes RFC 9457 problem details.

PolicyKGError subclasses carry their status; FastAPI's validation errors become 422 naming the
parameter; unknown paths 404. No handler ever returns a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ontology.errors import PolicyKGError

log = logging.getLogger("policykg")

PROBLEM_JSON = "application/problem+json"
#: How much of a client's path or input an answer repeats back.
ECHO_CHARS = 80


def echo(text: str) -> str:
    """At most ECHO_CHARS of ``text``: a 64 KB path is not repeated back whole."""
    return text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    """A JSON problem-details response (``type`` is about:blank: the status says it all)."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


async def _policykg_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PolicyKGError)
    response = problem(exc.status, exc.title, exc.detail)
    if exc.retry_after_s is not None:
        response.headers["Retry-After"] = str(exc.retry_after_s)
    return response


def _param_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "header", "body", "cookie", "form"):
        return f"{parts[0]} parameter '{'.'.join(parts[1:]) or parts[0]}'"
    return "parameter '" + ".".join(parts) + "'"


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"parameter": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": e.get("msg", "")}
        for e in exc.errors()
    ]
    detail = "; ".join(
        f"{_param_name(tuple(e.get('loc', ())))}: {e.get('msg', 'invalid')}" for e in exc.errors()
    )
    return problem(422, "Invalid parameter", detail or "invalid request", errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        detail = f"no resource at {echo(request.url.path)}"
        return problem(404, "Not found", detail)
    title = {405: "Method not allowed", 406: "Not acceptable", 415: "Unsupported media type"}
    response = problem(
        exc.status_code, title.get(exc.status_code, "HTTP error"), str(exc.detail or "")
    )
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _storage_error(request: Request, exc: Exception) -> JSONResponse:
    """pyoxigraph reports damaged files as RuntimeError "Corruption: …" and unreadable ones
    as OSError "IO error: …" while reading: 503 saying what the operator does, the rest 500.
    Either way a problem document (never text/plain, and the connection stays open)."""
    assert isinstance(exc, RuntimeError | OSError)
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if message.startswith(("Corruption", "IO error")):
        log.error(
            "the RDF store cannot be read (%s %s): %s",
            request.method,
            echo(request.url.path),
            message,
        )
        return problem(
            503,
            "Store unavailable",
            "the RDF store cannot be read: its files are damaged or missing. Operator: see "
            "the server log, then restore the data folder from a backup or rebuild it with "
            "`policykg load DIR`",
        )
    log.error(
        "unexpected %s on %s %s: %s",
        type(exc).__name__,
        request.method,
        echo(request.url.path),
        message,
    )
    return problem(500, "Internal error", "the service failed on this request; see the server log")


def install(app: FastAPI) -> None:
    """Register the handlers on ``app`` (called once by ``create_app``)."""
    app.add_exception_handler(PolicyKGError, _policykg_error)
    app.add_exception_handler(RuntimeError, _storage_error)
    app.add_exception_handler(OSError, _storage_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
