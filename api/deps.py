"""FastAPI dependencies: the app's settings, RDF store, IRIs, SPARQL service, Neo4j driver.

``create_app`` puts them on ``app.state``; routes read them only through these functions.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import State

from graph.neo4j.connection import Driver, Neo4jHandle
from graph.settings import Settings
from graph.sparql.service import SparqlService
from ontology.errors import StoreUnavailable
from ontology.iris import Iris

_sparql_lock = threading.Lock()
#: Writes to the two stores are serialised: one at a time, whatever the clients do (uploads,
#: removals, and the kept corpus-wide answers of api/kept_answers.py).
WRITE_LOCK = threading.Lock()
_generation_lock = threading.Lock()


def settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def iris_dep(request: Request) -> Iris:
    iris: Iris = request.app.state.iris
    return iris


def store_dep(request: Request) -> Any:
    """The app's RdfStore (typed Any: graph.rdf.store is the one place that knows it)."""
    return request.app.state.rdf_store


#: What web clients are told when a configured Neo4j does not answer. It never names the URI
#: (an internal host and port); the server log has it and the driver's error.
NEO4J_UNAVAILABLE = (
    "Neo4j is configured but does not answer right now; the service connects as soon as it "
    "does, no restart needed. Operator: start it (`policykg neo4j start` for the local "
    "server) or check NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD; the server log says what failed"
)


def neo4j_driver_dep(request: Request) -> Driver | None:
    """The Neo4j driver; None when Neo4j is not configured, 503 when it does not answer.

    Blocks while connecting (up to the connection timeout): call it from a worker thread.
    """
    handle: Neo4jHandle | None = getattr(request.app.state, "neo4j", None)
    if handle is None:
        return None
    try:
        return handle.driver()
    except StoreUnavailable:
        raise StoreUnavailable(NEO4J_UNAVAILABLE) from None


def sparql_for(state: State) -> SparqlService:
    """The app's worker pool, started on first use (REST-only use never spawns workers)."""
    with _sparql_lock:
        service: SparqlService | None = getattr(state, "sparql", None)
        if service is None:
            settings: Settings = state.settings
            path = getattr(state, "rdf_store_path", None)
            if path is None:
                raise StoreUnavailable("the SPARQL endpoint needs an on-disk RDF store")
            iris: Iris = state.iris
            service = SparqlService(
                path,
                iris.prefixes,
                timeout_s=settings.query_timeout_s,
                row_limit=settings.query_row_limit,
                base_iri=iris.public_id,
                sealed=settings.sparql_sealed,
                source=_live_store(state, path),
            )
            state.sparql = service
        return service


def _live_store(state: State, path: Path) -> object:
    """The app's own writable store when it is the one at ``path``: the workers then read
    checkpoints of it instead of a directory this process writes (see SparqlService)."""
    rdf_store = getattr(state, "rdf_store", None)
    if getattr(rdf_store, "path", None) != path:
        return None
    return getattr(rdf_store, "store", None)


def sparql_dep(request: Request) -> SparqlService:
    return sparql_for(request.app.state)


def notify_write(state: State) -> None:
    """Call after each successful write to the RDF store (and only then: a failed write
    changed nothing) so the query workers see the new data and cached REST answers of older
    generations are no longer served. The workers reopen in place: no query is stopped."""
    with _generation_lock:
        state.write_generation = write_generation(state) + 1
    service: SparqlService | None = getattr(state, "sparql", None)
    if service is not None:
        service.refresh()


def write_generation(state: State) -> int:
    """How many writes ``notify_write`` has seen: answers computed under an older
    generation may be stale."""
    generation: int = getattr(state, "write_generation", 0)
    return generation


StoreDep = Annotated[Any, Depends(store_dep)]
IrisDep = Annotated[Iris, Depends(iris_dep)]
