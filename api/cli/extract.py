"""`policykg extract` commands (registered on the shared app)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from api.cli.app import app, handle_errors
from graph.rdf.mapping import extraction_to_turtle
from graph.settings import get_settings
from loaders import extract_file
from loaders.diagnostics import report
from ontology.iris import Iris


class ExtractFormat(StrEnum):
    json = "json"
    turtle = "turtle"


@app.command("extract")
@handle_errors
def extract(
    path: Annotated[Path, typer.Argument(help="Policy document: plain text or a saved web page.")],
    output_format: Annotated[
        ExtractFormat,
        typer.Option("--format", "-f", help="json (the extraction model) or turtle (RDF)."),
    ] = ExtractFormat.json,
    show_report: Annotated[
        bool,
        typer.Option(
            "--report",
            help="Instead of the extraction, a readable report of what the loader was unsure "
            "of: clauses not read, names that are not units, numbering gaps and jumps, "
            "framework items skipped, lead rules applied.",
        ),
    ] = False,
) -> None:
    """Extract one document and print what was found (nothing is stored)."""
    extraction = extract_file(path)
    if show_report:
        typer.echo(report(extraction))
        return
    if output_format is ExtractFormat.turtle:
        iris = Iris(get_settings().normalised_base())
        typer.echo(extraction_to_turtle(extraction, iris))
        return
    typer.echo(json.dumps(extraction.to_json_dict(), ensure_ascii=False, indent=2))
