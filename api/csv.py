"""CSV for every REST list: ``?format=csv`` or ``Accept: text/csv`` (else JSON).

Cells are written as text; a cell that a spreadsheet would read as a formula (= + - @) is
prefixed with a quote so opening an export never runs anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from graph.analysis.export import csv_text
from graph.analysis.tables import Table
from graph.sparql.service import negotiate
from ontology.errors import InvalidParameter


def wants_csv(request: Request) -> bool:
    """True when the client asked for CSV by ``format`` or by ``Accept``."""
    fmt = request.query_params.get("format")
    if fmt is not None:
        if fmt not in ("csv", "json"):
            raise InvalidParameter(f"query parameter 'format' must be csv or json, not {fmt!r}")
        return fmt == "csv"
    accept = request.headers.get("accept")
    if not accept:
        return False
    return negotiate(accept, ("application/json", "text/csv")) == "text/csv"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV through the one CSV writer (graph.analysis.export), formula-safe."""
    table = Table(
        name="rows",
        title="rows",
        headers=tuple(columns),
        rows=tuple(tuple(_cell(row.get(c)) for c in columns) for row in rows),
    )
    return csv_text(table)


def csv_attachment(text: str, filename: str, headers: Mapping[str, str] | None = None) -> Response:
    """CSV text as a download named ``filename``.csv (``Vary: Accept``: JSON at the same URL)."""
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}.csv"',
            "Vary": "Accept",
            **(headers or {}),
        },
    )


def list_response(
    request: Request,
    page: Mapping[str, Any],
    columns: Sequence[str],
    filename: str,
) -> Response:
    """``page`` is ``{"total", "limit", "offset", "items"}``; CSV carries the items only."""
    if wants_csv(request):
        total = {"X-Total-Count": str(page["total"])}
        return csv_attachment(to_csv(page["items"], columns), filename, total)
    return JSONResponse(dict(page), headers={"Vary": "Accept"})
