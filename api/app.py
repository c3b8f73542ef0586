"""``create_app(settings)``: the FastAPI application with every router and one error boundary."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api import errors
from api.body_limit import BodyLimit
from api.head import HeadAsGet
from api.routes import (
    chain,
    compare,
    coordination,
    corpus,
    cypher,
    documents,
    functions,
    linked_data,
    pages,
    plan,
    rest,
    similar,
    sparql,
    viz,
)
from api.security import SecurityHeaders, inline_script_csp
from graph.neo4j.connection import Neo4jHandle
from graph.settings import Settings
from ontology.iris import Iris

STATIC_DIR = Path(__file__).parent / "static"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _script_hashes(html: str) -> list[str]:
    """CSP sources of the inline scripts of ``html`` (Swagger UI's start-up script)."""
    return [
        "sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode()
        for s in _INLINE_SCRIPT.findall(html)
    ]


def create_app(
    settings: Settings,
    *,
    rdf_store: Any = None,
    neo4j_driver: Any = None,
    neo4j: Neo4jHandle | None = None,
) -> FastAPI:
    """Build the app. ``rdf_store`` defaults to the store in ``settings.data_dir`` (opened
    here). Neo4j comes from ``neo4j`` (a handle the caller closes), else ``neo4j_driver``
    (always that driver; the caller closes it), else, when NEO4J_URI is set, a handle of the
    app's own that connects on first need and retries, closed on shutdown. Without any of
    them Cypher answers 503 and uploads write the RDF store only."""
    iris = Iris(settings.normalised_base())
    if rdf_store is None:
        from graph.rdf.store import RdfStore

        rdf_store = RdfStore.open(settings.rdf_store_dir, iris)
    own_neo4j: Neo4jHandle | None = None
    if neo4j is None and neo4j_driver is not None:
        neo4j = Neo4jHandle.of(neo4j_driver, settings)
    elif neo4j is None and settings.neo4j_uri:
        neo4j = own_neo4j = Neo4jHandle(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        service = getattr(app.state, "sparql", None)
        if service is not None:
            service.close()
        if own_neo4j is not None:
            own_neo4j.close()

    app = FastAPI(
        title="policykg",
        description="Knowledge graph of public policy documents: measures, agencies, target "
        "groups, programs. 政策知识图谱。",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.iris = iris
    app.state.rdf_store = rdf_store
    app.state.rdf_store_path = getattr(rdf_store, "path", None) or settings.rdf_store_dir
    app.state.neo4j = neo4j
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI from the vendored copy in api/static (no CDN); its one inline script
        is allowed by hash, nothing else inline."""
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="policykg API",
            swagger_js_url="/static/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
            # no badge fetched from validator.swagger.io (the CSP would block it anyway)
            swagger_ui_parameters={"validatorUrl": None},
        )
        csp = inline_script_csp(_script_hashes(bytes(page.body).decode("utf-8")))
        page.headers["Content-Security-Policy"] = csp
        return page

    routers = (rest, similar, coordination, sparql, cypher, documents, chain, compare, functions,
               viz, pages, corpus, linked_data)  # fmt: skip
    for module in routers:
        app.include_router(module.router)
    app.include_router(plan.router)  # /plan: the coordination planner pages
    # Outermost last: HEAD runs as GET through everything; every answer gets the headers.
    app.add_middleware(BodyLimit, paths=("/sparql", "/cypher"), max_bytes=settings.query_max_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    return app
