"""`policykg viz KIND -o FILE.html`: write one offline view of the accountability network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from api.cli.app import app, console, handle_errors
from api.cli.plan import ChapterOpt, DocumentOpt, load_network
from ontology.errors import InvalidParameter
from viz.render import write_html
from viz.views import KINDS, build_view


@app.command("viz")
@handle_errors
def viz(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(KINDS)}.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    document: DocumentOpt = None,
    chapter: ChapterOpt = None,
    agency: Annotated[str | None, typer.Option(help="Agency id, IRI or name.")] = None,
    group: Annotated[str | None, typer.Option(help="Target group id, IRI or name.")] = None,
    measure: Annotated[
        str | None, typer.Option(help="Measure id, e.g. jinan-2025-5/measure/3 (ego view).")
    ] = None,
) -> None:
    """Write a self-contained HTML view (works offline; open it in any browser)."""
    if kind not in KINDS:
        raise InvalidParameter(f"KIND: {kind!r} is not one of {', '.join(KINDS)}")
    graph = load_network(document, chapter)
    view = build_view(graph, kind, agency=agency, group=group, measure=measure)
    where = [document or "全部文件 all documents"] + ([f"第{chapter}章"] if chapter else [])
    subtitle = " · ".join(where)
    write_html(view, output, subtitle=subtitle)
    console.print(
        Text(f"wrote {output} ({len(view.nodes)} nodes, {len(view.edges)} edges)"), soft_wrap=True
    )
