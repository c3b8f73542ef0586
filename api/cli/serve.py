"""`policykg serve`: the web service (REST, SPARQL, Linked Data, pages) under uvicorn.

On an empty data directory it first loads the bundled Jinan document, so the README's first
command ends with a working service. Neo4j is used when NEO4J_URI is set, never required.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli.app import app, console, err_console, handle_errors
from graph.settings import Settings, get_settings
from ontology.errors import PolicyKGError
from ontology.iris import Iris

if TYPE_CHECKING:
    from graph.neo4j.connection import Driver, Neo4jHandle

#: The bundled first document (repo data/, next to the packages).
BUNDLED_DOCUMENT = Path(__file__).resolve().parents[2] / "data" / "jinan-2025-5.txt"


def bootstrap(settings: Settings, rdf_store: Any, driver: Any) -> str | None:
    """Load the bundled document when the store has no document yet; its id, or None."""
    from graph import pipeline
    from loaders import extract_file

    rdf_store.ensure_vocabularies()
    if rdf_store.document_ids():
        from graph.catalog import rollup

        rollup.refresh(rdf_store, rdf_store.iris)  # stale when the vocabularies were rewritten
        return None
    extraction = extract_file(BUNDLED_DOCUMENT)
    outcome = pipeline.load_extraction(
        extraction, rdf_store, driver, Iris(settings.normalised_base()), settings.neo4j_database
    )
    if outcome.status == "failed":
        raise PolicyKGError(f"{BUNDLED_DOCUMENT}: {outcome.reason}")
    return extraction.document.id


def _neo4j(settings: Settings) -> tuple[Neo4jHandle | None, Driver | None]:
    """The service's Neo4j handle (None without NEO4J_URI) and a driver now, if it answers.

    A Neo4j that does not answer yet is no reason to stop: the handle connects when it does.
    """
    if not settings.neo4j_uri:
        return None, None
    from graph.neo4j.connection import Neo4jHandle

    handle = Neo4jHandle(settings)
    try:
        return handle, handle.driver()
    except PolicyKGError:  # the handle logged why, with the URI
        err_console.print(
            "[yellow]Neo4j not reachable yet:[/yellow] the service connects when it answers",
            highlight=False,
        )
        return handle, None


def _settle(settings: Settings, store: Any, driver: Any) -> None:
    """Finish or roll back the writes an earlier run left half done (graph/reconcile.py
    logs each); without Neo4j they wait for the first write that has it."""
    from graph import reconcile

    try:
        reconcile.reconcile(store, driver, settings.neo4j_database)
    except PolicyKGError as exc:
        err_console.print(f"interrupted writes not settled yet: {exc.detail}", markup=False)


@contextmanager
def _log_to_stderr() -> Iterator[None]:
    """While serving, show the service's own log (Neo4j lost and found, with its URI)."""
    logger = logging.getLogger("policykg")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s policykg %(levelname)s: %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@app.command()
@handle_errors
def serve(
    host: Annotated[str | None, typer.Option(help="interface (default: settings.host)")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port (default: settings.port)")] = None,
) -> None:
    """Serve the graph: home page, REST /api, SPARQL /sparql, Linked Data /id, /query."""
    from graph.rdf.store import RdfStore

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    iris = Iris(settings.normalised_base())
    store = RdfStore.open(settings.rdf_store_dir, iris)
    with _log_to_stderr():
        _serve(settings, store, host, port)


def _serve(settings: Settings, store: Any, host: str, port: int) -> None:
    """Connect Neo4j if it answers, load the bundled document if needed, run uvicorn."""
    import uvicorn

    from api.app import create_app
    from api.kept_answers import Refresher

    handle, driver = _neo4j(settings)
    try:
        _settle(settings, store, driver)
        loaded = bootstrap(settings, store, driver)
        if loaded:
            where = " (RDF store only: Neo4j did not answer)" if handle and not driver else ""
            console.print(f"loaded the bundled document {loaded} into {settings.data_dir}{where}")
        store.store.flush()
        web = create_app(settings, rdf_store=store, neo4j=handle)
        web.state.refresher = refresher = Refresher(store, settings)
        refresher.schedule()  # makes the kept corpus-wide answers if they are missing or stale
        shown = f"[{host}]" if ":" in host else host
        console.print(
            f"policykg serving at http://{shown}:{port}/  (SPARQL http://{shown}:{port}/sparql,"
            f" Neo4j {'off' if handle is None else 'on' if driver else 'when it answers'})",
            highlight=False,
        )
        uvicorn.run(web, host=host, port=port, log_level="warning")
    finally:
        if handle is not None:
            handle.close()
        store.close()
