"""`policykg load | stats | verify | remove`: the two stores from the command line.

The RDF store (settings.rdf_store_dir) is always used; Neo4j when ``--neo4j`` is given or
NEO4J_URI is configured (``--no-neo4j`` skips it). Text from documents is printed with
markup disabled, so a file name or title can never inject rich markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli.app import app, console, err_console, handle_errors
from graph import pipeline, verify
from graph.neo4j import store as neo4j_store
from graph.neo4j.connection import Driver, connect
from graph.rdf.store import RdfStore
from graph.settings import Settings, get_settings
from ontology.errors import NotFound
from ontology.iris import Iris

Neo4jFlag = Annotated[
    bool | None,
    typer.Option(
        "--neo4j/--no-neo4j", help="Also use Neo4j (default: when NEO4J_URI is configured)."
    ),
]
EXIT_FAILED = 2
EXIT_DIFFERENT = 1

#: (label, RDF counts key, Neo4j counts key) rows of `policykg stats`.
STAT_ROWS: tuple[tuple[str, str, str], ...] = (
    ("documents", "documents", "Document"),
    ("chapters", "chapters", "Chapter"),
    ("measures", "measures", "Measure"),
    ("agencies", "agencies", "Agency"),
    ("target groups", "target_groups", "TargetGroup"),
    ("programs", "programs", "Program"),
    ("responsibilities", "responsibilities", "RESPONSIBLE_FOR"),
)


def _wants_neo4j(flag: bool | None, settings: Settings) -> bool:
    return flag if flag is not None else settings.neo4j_uri is not None


@contextmanager
def _stores(use_neo4j: bool) -> Iterator[tuple[Settings, Iris, RdfStore, Driver | None]]:
    """Open the RDF store and (optionally) a Neo4j driver; close both afterwards."""
    settings = get_settings()
    iris = Iris(settings.normalised_base())
    driver = connect(settings) if use_neo4j else None
    try:
        with RdfStore.open(settings.rdf_store_dir, iris) as rdf:
            yield settings, iris, rdf, driver
    finally:
        if driver is not None:
            driver.close()


@app.command("load")
@handle_errors
def load(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (*.txt, *.html, *.htm).")],
    neo4j: Neo4jFlag = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per transaction.")] = 1,
    workers: Annotated[int, typer.Option(min=1, help="Extraction processes.")] = 1,
) -> None:
    """Extract documents and load them into the RDF store (and Neo4j)."""
    settings = get_settings()
    files = pipeline.expand_paths(paths)
    if not files:
        err_console.print("no *.txt, *.html or *.htm files found", markup=False)
        raise typer.Exit(EXIT_FAILED)
    with (
        _stores(_wants_neo4j(neo4j, settings)) as (settings, iris, rdf, driver),
        Progress(
            TextColumn("loading"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress,
    ):
        task = progress.add_task("load", total=len(files))

        def on_file(outcome: pipeline.Outcome) -> None:
            progress.advance(task)
            if outcome.status == "failed":
                progress.console.print(
                    f"[red]failed[/red] {escape(outcome.source)}: {escape(outcome.reason or '')}",
                    highlight=False,
                )

        report = pipeline.load_paths(
            files,
            rdf,
            driver,
            iris,
            settings.neo4j_database,
            batch_size=batch_size,
            workers=workers,
            on_file=on_file,
        )
    _print_load_table(report, driver is not None)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def _print_load_table(report: pipeline.LoadReport, with_neo4j: bool) -> None:
    table = Table(title="policykg load")
    for column in ("document", "file", "measures", "status"):
        table.add_column(column)
    for outcome in report.outcomes:
        status: str = outcome.status
        if outcome.stores:
            status += " (" + ", ".join(outcome.stores) + ")"
        elif outcome.status == "failed":
            status = f"failed: {outcome.reason}"
        table.add_row(
            escape(outcome.doc_id or "—"),
            escape(outcome.source),
            str(outcome.measures),
            escape(status),
        )
    console.print(table)
    stores = "RDF store and Neo4j" if with_neo4j else "RDF store"
    console.print(
        f"{report.count('loaded')} loaded, {report.count('unchanged')} unchanged, "
        f"{report.count('failed')} failed ({stores})",
        markup=False,
        highlight=False,
    )


@app.command("stats")
@handle_errors
def stats(neo4j: Neo4jFlag = None) -> None:
    """Counts of documents, measures, agencies, groups, programs, responsibilities per store."""
    settings = get_settings()
    with _stores(_wants_neo4j(neo4j, settings)) as (settings, _, rdf, driver):
        rdf_counts = rdf.counts()
        neo_counts = neo4j_store.counts(driver, settings.neo4j_database) if driver else None
    table = Table(title="policykg stats")
    table.add_column("")
    table.add_column("RDF store", justify="right")
    if neo_counts is not None:
        table.add_column("Neo4j", justify="right")
    for label, rdf_key, neo_key in STAT_ROWS:
        cells = [label, str(rdf_counts.get(rdf_key, 0))]
        if neo_counts is not None:
            cells.append(str(neo_counts.get(neo_key, 0)))
        table.add_row(*cells)
    console.print(table)


@app.command("verify")
@handle_errors
def verify_command(neo4j: Neo4jFlag = None) -> None:
    """SHACL-validate the RDF store and check Neo4j holds exactly the same graph (exit 1 if not)."""
    settings = get_settings()
    problems = 0
    with _stores(_wants_neo4j(neo4j, settings)) as (settings, _, rdf, driver):
        problems += _check_shapes(rdf)
        if driver is not None:
            result = verify.compare_stores(rdf, driver, settings.neo4j_database)
            for line in verify.describe(result):
                console.print(line, markup=False, highlight=False)
            if result.identical:
                console.print(
                    f"Neo4j holds the same {result.rdf_nodes} nodes and {result.rdf_rels} "
                    "relationships as the RDF store",
                    markup=False,
                )
            problems += 0 if result.identical else 1
        else:
            console.print("Neo4j not configured: store comparison skipped", markup=False)
    if problems:
        raise typer.Exit(EXIT_DIFFERENT)


def _check_shapes(rdf: RdfStore) -> int:
    """Print SHACL violations of every document graph; returns 1 if any."""
    from graph.rdf import shacl

    violations = 0
    for doc_id in rdf.document_ids():
        report = shacl.validate(rdf.document_graph(doc_id), rdf.iris)
        if not report.conforms:
            violations += 1
            console.print(f"{doc_id}: does not conform to the SHACL shapes", markup=False)
            for message in report.violations:
                console.print(f"  {message}", markup=False, highlight=False)
    if violations == 0:
        console.print(f"{len(rdf.document_ids())} documents conform to the SHACL shapes")
    return 1 if violations else 0


@app.command("remove")
@handle_errors
def remove(
    document_id: Annotated[str, typer.Argument(help="Document id, e.g. jinan-2025-5.")],
    neo4j: Neo4jFlag = None,
) -> None:
    """Remove a document from both stores (shared nodes used by other documents stay)."""
    settings = get_settings()
    with _stores(_wants_neo4j(neo4j, settings)) as (settings, _, rdf, driver):
        removed = pipeline.remove(document_id, rdf, driver, settings.neo4j_database)
    if not removed:
        raise NotFound(f"document {document_id} is in neither store")
    console.print(f"removed {document_id}", markup=False)
