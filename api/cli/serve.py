"""`policykg serve`: the web service (REST, SPARQL, Linked Data, pages) under uvicorn.

On an empty data directory it first loads the bundled Jinan document, so the README's first
command ends with a working service. Neo4j is used when NEO4J_URI is set, never required.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.app import app, console, err_console, handle_errors
from graph.settings import Settings, get_settings
from ontology.errors import PolicyKGError
from ontology.iris import Iris

#: The bundled first document (repo data/, next to the packages).
BUNDLED_DOCUMENT = Path(__file__).resolve().parents[2] / "data" / "jinan-2025-5.txt"


def bootstrap(settings: Settings, rdf_store: Any, driver: Any) -> str | None:
    """Load the bundled document when the store has no document yet; its id, or None."""
    from graph import pipeline
    from loaders import extract_file

    rdf_store.ensure_vocabularies()
    if rdf_store.document_ids():
        return None
    extraction = extract_file(BUNDLED_DOCUMENT)
    outcome = pipeline.load_extraction(
        extraction, rdf_store, driver, Iris(settings.normalised_base()), settings.neo4j_database
    )
    if outcome.status == "failed":
        raise PolicyKGError(f"{BUNDLED_DOCUMENT}: {outcome.reason}")
    return extraction.document.id


def _neo4j(settings: Settings) -> Any:
    if not settings.neo4j_uri:
        return None
    from graph.neo4j_connection import connect

    try:
        return connect(settings)
    except PolicyKGError as exc:
        err_console.print(f"[yellow]Neo4j not used:[/yellow] {exc.detail}", highlight=False)
        return None


@app.command()
@handle_errors
def serve(
    host: Annotated[str | None, typer.Option(help="interface (default: settings.host)")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port (default: settings.port)")] = None,
) -> None:
    """Serve the graph: home page, REST /api, SPARQL /sparql, Linked Data /id, /query."""
    import uvicorn

    from api.app import create_app
    from graph.rdf_store import RdfStore

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    iris = Iris(settings.normalised_base())
    store = RdfStore.open(settings.rdf_store_dir, iris)
    driver = _neo4j(settings)
    try:
        loaded = bootstrap(settings, store, driver)
        if loaded:
            console.print(f"loaded the bundled document {loaded} into {settings.data_dir}")
        store.store.flush()
        web = create_app(settings, rdf_store=store, neo4j_driver=driver)
        shown = f"[{host}]" if ":" in host else host
        console.print(
            f"policykg serving at http://{shown}:{port}/  (SPARQL http://{shown}:{port}/sparql,"
            f" Neo4j {'on' if driver else 'off'})",
            highlight=False,
        )
        uvicorn.run(web, host=host, port=port, log_level="warning")
    finally:
        if driver is not None:
            driver.close()
        store.close()
