"""`policykg compare DOC_A DOC_B`: two documents' measures side by side, roles by function.

Reads the RDF store (settings.rdf_store_dir) through graph.catalog.compare; with ``--export
DIR`` also writes the tables as CSV (UTF-8 with BOM), ``compare.xlsx`` and ``compare.md``.
Document text is printed as rich ``Text`` objects, never parsed as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from api.cli.app import app, console, handle_errors
from graph.analysis.alignment_tables import comparison_tables, export_comparison
from graph.catalog.compare import comparison
from graph.rdf.store import RdfStore
from graph.settings import get_settings
from ontology.iris import Iris


@app.command("compare")
@handle_errors
def compare(
    doc_a: Annotated[str, typer.Argument(help="Document id of A, e.g. the provincial one.")],
    doc_b: Annotated[str, typer.Argument(help="Document id of B, e.g. the city one.")],
    export: Annotated[
        Path | None, typer.Option("--export", "-e", help="Write CSV/XLSX/Markdown into DIR.")
    ] = None,
) -> None:
    """Align two documents' measures one to one and compare who answers for them by function."""
    settings = get_settings()
    with RdfStore.open(settings.rdf_store_dir, Iris(settings.normalised_base())) as store:
        a, b, found = comparison(store, store.iris, doc_a, doc_b)
    console.print(Text(f"甲 A: {a['title']} {a['doc_number'] or ''} ({doc_a})"))
    console.print(Text(f"乙 B: {b['title']} {b['doc_number'] or ''} ({doc_b})"))
    console.print(
        Text(
            f"{len(found.pairs)} aligned (score ≥ {found.min_score}), "
            f"{len(found.only_a)} only in A, {len(found.only_b)} only in B"
        )
    )
    for made in comparison_tables(found):
        shown = Table(title=made.title)
        for header in made.headers:
            shown.add_column(header, overflow="fold")
        for row in made.rows:
            shown.add_row(*(Text("" if c is None else str(c)) for c in row))
        console.print(shown)
    if export is not None:
        title = f"措施对照 {a['title']} · {b['title']}"
        written = export_comparison(found, export, title)
        console.print(Text(f"wrote {len(written)} files to {export}"), soft_wrap=True)
