"""`policykg load | stats | verify | remove`: the two stores from the command line.

The RDF store (settings.rdf_store_dir) is always used; Neo4j when ``--neo4j`` is given or
NEO4J_URI is configured (``--no-neo4j`` skips it). ``stats`` and ``verify`` (without
``--repair``) open the store read-only, so they run beside a serving ``policykg serve``.
Text from documents is printed with markup disabled, so a file name or title can never
inject rich markup.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli import load_report
from api.cli.app import app, console, err_console, handle_errors
from graph import pipeline, validated, verify
from graph.neo4j import store as neo4j_store
from graph.neo4j.connection import Driver, connect
from graph.rdf.store import RdfStore
from graph.settings import Settings, get_settings
from ontology.errors import NotFound, StoreUnavailable
from ontology.iris import Iris

Neo4jFlag = Annotated[
    bool | None,
    typer.Option(
        "--neo4j/--no-neo4j", help="Also use Neo4j (default: when NEO4J_URI is configured)."
    ),
]
EXIT_FAILED = 2
EXIT_DIFFERENT = 1
#: Documents per transaction on the fast path (folders, or many files).
FAST_BATCH = 300

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
def _quiet_driver() -> Iterator[None]:
    """The driver's own log (connection failures, retries) stays out of the terminal: the
    command says in one line what failed."""
    logger = logging.getLogger("neo4j")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def _stores(
    use_neo4j: bool, read_only: bool = False
) -> Iterator[tuple[Settings, Iris, RdfStore, Driver | None]]:
    """Open the RDF store and (optionally) a Neo4j driver; close both afterwards."""
    settings = get_settings()
    iris = Iris(settings.normalised_base())
    with _quiet_driver():
        driver = connect(settings) if use_neo4j else None
        try:
            if read_only and (settings.rdf_store_dir / "CURRENT").is_file():
                opened = RdfStore.open_read_only(settings.rdf_store_dir, iris)
            else:
                opened = RdfStore.open(settings.rdf_store_dir, iris)
            with opened as rdf:
                yield settings, iris, rdf, driver
        finally:
            if driver is not None:
                driver.close()


def _fast_path(paths: list[Path], files: list[Path]) -> bool:
    return any(p.is_dir() for p in paths) or len(files) > FAST_BATCH // 10


def _keep_answers(settings: Settings, rdf: RdfStore) -> None:
    """Make the corpus-wide answers `policykg serve` sends (api/kept_answers.py) when the
    corpus is large enough to keep them, and say so."""
    import time

    from api import kept_answers

    started = time.perf_counter()
    with console.status("making the corpus-wide coordination answers and views"):
        count = kept_answers.refresh(rdf, settings)
    if count:
        console.print(
            f"kept {count} corpus-wide answers for the web service "
            f"({time.perf_counter() - started:.1f} s)",
            markup=False,
        )


@app.command("load")
@handle_errors
def load(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (*.txt, *.html, *.htm).")],
    neo4j: Neo4jFlag = None,
    batch_size: Annotated[
        int | None, typer.Option(min=1, help="Documents per transaction (folders: 300).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Extraction processes (folders: CPU count).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Every document.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List the ids it would write; write nothing.")
    ] = False,
    answers: Annotated[
        bool,
        typer.Option(
            help="Make the corpus-wide coordination answers and views the web service sends "
            "(large corpora; else `policykg serve` makes them in the background at start)."
        ),
    ] = True,
) -> None:
    """Extract documents and load them into the RDF store (and Neo4j)."""
    settings = get_settings()
    files = pipeline.expand_paths(paths)
    if not files:
        err_console.print("no *.txt, *.html or *.htm files found", markup=False)
        raise typer.Exit(EXIT_FAILED)
    fast = _fast_path(paths, files)
    batch = batch_size or (FAST_BATCH if fast else 1)
    procs = workers or ((os.cpu_count() or 1) if fast else 1)
    use_neo4j = _wants_neo4j(neo4j, settings) and not dry_run
    with (
        _stores(use_neo4j) as (settings, iris, rdf, driver),
        Progress(
            TextColumn("checking" if dry_run else "loading"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
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
            elif dry_run:
                replaced = f" (same id as {outcome.replaced})" if outcome.replaced else ""
                verb = {"loaded": "would write", "replaced": "would replace"}.get(
                    outcome.status, outcome.status
                )
                progress.console.print(
                    f"{verb} {outcome.doc_id}  {outcome.source}{replaced}",
                    markup=False,
                    highlight=False,
                )

        try:
            report = pipeline.load_paths(
                files,
                rdf,
                driver,
                iris,
                settings.neo4j_database,
                batch_size=batch,
                workers=procs,
                on_file=on_file,
                dry_run=dry_run,
            )
        except StoreUnavailable as exc:
            progress.stop()
            first = exc.detail.split(" (", 1)[0]
            err_console.print(
                f"error: {first}; the batch being written was rolled back in both stores, "
                "earlier batches stay loaded; run the same `policykg load` again once Neo4j "
                "answers",
                markup=False,
                highlight=False,
            )
            raise typer.Exit(EXIT_FAILED) from None
        if answers and not dry_run:
            progress.stop()
            _keep_answers(settings, rdf)
    for result in report.reconciled:
        console.print(f"interrupted write settled: {result.line()}", markup=False)
    if not dry_run:
        load_report.print_documents(console, report, verbose)
    if verbose:
        load_report.print_table(console, report)
    stores = "RDF store and Neo4j" if driver is not None else "RDF store"
    for line in load_report.summary(report, stores, dry_run):
        console.print(line, markup=False, highlight=False)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


@app.command("stats")
@handle_errors
def stats(neo4j: Neo4jFlag = None) -> None:
    """Counts of documents, measures, agencies, groups, programs, responsibilities per store."""
    settings = get_settings()
    with _stores(_wants_neo4j(neo4j, settings), read_only=True) as (settings, _, rdf, driver):
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
def verify_command(
    neo4j: Neo4jFlag = None,
    full: Annotated[
        bool, typer.Option("--full", help="SHACL-validate every document, not only changed ones.")
    ] = False,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Finish or roll back interrupted writes; remove from Neo4j what RDF lacks.",
        ),
    ] = False,
) -> None:
    """SHACL-validate the RDF store and check Neo4j holds exactly the same graph (exit 1 if not)."""
    settings = get_settings()
    problems = 0
    use_neo4j = _wants_neo4j(neo4j, settings)
    with _stores(use_neo4j, read_only=not repair) as (settings, _, rdf, driver):
        if repair and driver is not None:
            for line in verify.repair(rdf, driver, settings.neo4j_database):
                console.print(f"repaired {line}", markup=False, highlight=False)
        problems += _check_shapes(rdf, full)
        if driver is not None:
            problems += _compare(rdf, driver, settings.neo4j_database)
        else:
            console.print("Neo4j not configured: store comparison skipped", markup=False)
    if problems:
        raise typer.Exit(EXIT_DIFFERENT)


def _compare(rdf: RdfStore, driver: Driver, database: str) -> int:
    """Print what differs between the stores, by document, then node by node; 1 if any."""
    documents = verify.compare_documents(rdf, driver, database)
    for line in documents.lines():
        console.print(line, markup=False, highlight=False)
    result = verify.compare_stores(rdf, driver, database)
    citations = [
        *verify.citation_lines(rdf, driver, database),
        *verify.similar_lines(rdf, driver, database),
    ]
    for line in [*verify.describe(result), *citations]:
        console.print(line, markup=False, highlight=False)
    if result.identical and not documents.lines() and not citations:
        console.print(
            f"Neo4j holds the same {result.rdf_nodes} nodes and {result.rdf_rels} "
            "relationships as the RDF store",
            markup=False,
        )
        return 0
    console.print("the stores differ: `policykg verify --repair` settles what it can", markup=False)
    return 1


def _check_shapes(rdf: RdfStore, full: bool) -> int:
    """Print SHACL violations of the documents validated; returns 1 if any."""
    summary = validated.validate(rdf, full)
    for doc_id, messages in sorted(summary.violations.items()):
        console.print(f"{doc_id}: does not conform to the SHACL shapes", markup=False)
        for message in messages:
            console.print(f"  {message}", markup=False, highlight=False)
    total = len(summary.validated) + summary.skipped
    scope = f"{len(summary.validated)} validated" + (
        f", {summary.skipped} unchanged since they conformed (--full validates all)"
        if summary.skipped
        else ""
    )
    if summary.conforms:
        console.print(f"{total} documents conform to the SHACL shapes ({scope})", markup=False)
        return 0
    return 1


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
        if removed:
            _keep_answers(settings, rdf)
    if not removed:
        raise NotFound(f"document {document_id} is in neither store")
    console.print(f"removed {document_id}", markup=False)
