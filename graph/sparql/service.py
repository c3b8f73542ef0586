"""Sealed, time-bounded SPARQL execution for the public endpoint.

pyoxigraph cannot cancel a running query, so queries run in a small pool of worker processes,
each holding the store open read-only. Each worker first leaves the host's network (its own
network namespace, with no interface up: :func:`seal_network`), so even a query that fooled the
guard cannot reach any address, loopback included. A query that outlives ``timeout_s`` gets
its worker killed (the CPU is freed at once) and replaced; the caller gets :class:`QueryTimeout`
(503).
Before anything runs, :func:`graph.sparql.guard.inspect_query` refuses updates and SERVICE;
FROM/FROM NAMED only select among the store's own named graphs (pyoxigraph never fetches).
Results stop at ``row_limit`` rows (or triples) and say so (``SparqlAnswer.truncated``).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import queue
import re
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.sparql.guard import QueryForm, inspect_query
from graph.sparql.results import SELECT_MEDIA_TYPES, write_select
from ontology.errors import QueryRefused, QuerySyntaxError, QueryTimeout, StoreError

#: RDF media types offered for CONSTRUCT and DESCRIBE, preferred first.
GRAPH_MEDIA_TYPES: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
)
_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
}
_STARTUP_TIMEOUT_S = 60.0


def _parse_accept(accept: str | None) -> list[tuple[str, float]]:
    ranges: list[tuple[str, float]] = []
    for part in (accept or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(f[2:])
        media = fields[0].lower()
        ranges.append((_ALIASES.get(media, media), q))
    return ranges


def negotiate(accept: str | None, offers: tuple[str, ...]) -> str | None:
    """The offer ``Accept`` prefers (q-values, wildcards; ties go to the first offer).

    No header means the first offer; a header nothing matches means None (406).
    """
    ranges = _parse_accept(accept)
    if not ranges:
        return offers[0]
    best: tuple[float, str] | None = None
    for offer in offers:
        major = offer.split("/")[0]
        matches = [
            (2 if m == offer else 1 if m == f"{major}/*" else 0, q)
            for m, q in ranges
            if m in (offer, f"{major}/*", "*/*")
        ]
        if not matches:
            continue
        q = max(matches)[1]
        if q > 0 and (best is None or q > best[0]):
            best = (q, offer)
    return best[1] if best else None


@dataclass(frozen=True)
class SparqlAnswer:
    body: bytes
    media_type: str
    truncated: bool


def offers_for(form: QueryForm) -> tuple[str, ...]:
    return SELECT_MEDIA_TYPES if form in ("SELECT", "ASK") else GRAPH_MEDIA_TYPES


# --------------------------------------------------------------------------- worker process
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def seal_network() -> str | None:
    """Move this process into a new, empty network namespace; None on success, else why not.

    A new namespace has only a loopback interface, and it is down: every ``connect`` fails
    (ENETUNREACH), including to 127.0.0.1 of the host. Root can unshare the network alone;
    other users need a user namespace too. Pipes to the parent are unaffected.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return None
    return os.strerror(ctypes.get_errno())


def _run(store: ox.Store, request: tuple[Any, ...]) -> tuple[bytes, bool]:
    text, _form, use_union, media_type, row_limit, prefixes, base_iri = request
    result = store.query(
        text, prefixes=prefixes, base_iri=base_iri, use_default_graph_as_union=use_union
    )
    if isinstance(result, ox.QueryBoolean):
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        return result.serialize(format=fmt) or b"", False
    rows: list[Any] = []
    truncated = False
    for item in result:
        if len(rows) >= row_limit:
            truncated = True
            break
        rows.append(list(item) if isinstance(result, ox.QuerySolutions) else item)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return write_select(names, rows, media_type), truncated
    body = ox.serialize(rows, format=ox.RdfFormat.from_media_type(media_type))
    return body or b"", truncated


def _worker_main(conn: Connection, store_path: str, sealed: bool) -> None:
    """Entry point of a worker process: leave the network, open the store read-only, answer
    requests forever."""
    if sealed:
        refused = seal_network()
        if refused is not None:
            conn.send(
                (
                    "error",
                    f"a SPARQL worker could not leave the network ({refused}); set "
                    "POLICYKG_SPARQL_SEALED=false to run queries without that protection",
                )
            )
            return
    try:
        store = ox.Store.read_only(store_path)
    except OSError as exc:
        conn.send(("error", f"cannot open the RDF store at {store_path}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            body, truncated = _run(store, request)
            conn.send(("ok", body, truncated))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            conn.send(("error", str(exc)))


class _Worker:
    def __init__(self, ctx: Any, store_path: str, generation: int, sealed: bool) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main, args=(child, store_path, sealed), daemon=True
        )
        self.process.start()
        child.close()
        self.generation = generation
        self.ready = False

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(_STARTUP_TIMEOUT_S):
            raise StoreError("a SPARQL worker process did not start in time")
        kind, detail = self.conn.recv()
        if kind != "ready":
            raise StoreError(detail)
        self.ready = True

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class SparqlService:
    """A pool of query worker processes over the on-disk store at ``store_path``."""

    def __init__(
        self,
        store_path: Path,
        prefixes: dict[str, str],
        *,
        timeout_s: float,
        row_limit: int,
        base_iri: str | None = None,
        workers: int | None = None,
        sealed: bool = True,
    ) -> None:
        self.store_path = str(store_path)
        self.sealed = sealed
        self.prefixes = dict(prefixes)
        self.timeout_s = timeout_s
        self.row_limit = row_limit
        self.base_iri = base_iri
        self.size = workers or max(2, min(4, os.cpu_count() or 2))
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._generation = 0
        self._closed = False
        for _ in range(self.size):
            self._idle.put(_Worker(self._ctx, self.store_path, self._generation, self.sealed))

    def refresh(self) -> None:
        """Reopen the store in every worker (call after a write, e.g. a new document)."""
        with self._lock:
            self._generation += 1
        drained: list[_Worker] = []
        with contextlib.suppress(queue.Empty):
            while True:
                drained.append(self._idle.get_nowait())
        for worker in drained:
            self._release(worker)

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(queue.Empty):
            while True:
                self._idle.get_nowait().kill()

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        if not self._closed:
            self._idle.put(_Worker(self._ctx, self.store_path, self._generation, self.sealed))

    def _release(self, worker: _Worker) -> None:
        if worker.generation != self._generation or not worker.process.is_alive():
            self._replace(worker)
        else:
            self._idle.put(worker)

    def execute(self, text: str, accept: str | None) -> SparqlAnswer:
        """Inspect, run in a worker within the time limit, and serialise by ``accept``.

        An ``Accept`` nothing matches gets the form's default format (RFC 9110 allows it).
        """
        shape = inspect_query(text)
        offers = offers_for(shape.form)
        media_type = negotiate(accept, offers) or offers[0]
        request = (
            shape.text,
            shape.form,
            not shape.has_dataset,
            media_type,
            self.row_limit,
            self.prefixes,
            self.base_iri,
        )
        try:
            worker = self._idle.get(timeout=self.timeout_s)
        except queue.Empty:
            raise QueryTimeout(
                f"all {self.size} query workers stayed busy for {self.timeout_s:g} s; retry later"
            ) from None
        try:
            worker.wait_ready()
            worker.conn.send(request)
            finished = worker.conn.poll(self.timeout_s)
            reply = worker.conn.recv() if finished else None
        except (EOFError, OSError, StoreError) as exc:
            self._replace(worker)
            if isinstance(exc, StoreError):
                raise
            raise StoreError("the query worker stopped unexpectedly; it was restarted") from None
        if reply is None:
            self._replace(worker)
            raise QueryTimeout(
                f"the query ran longer than {self.timeout_s:g} s and was stopped; "
                "narrow it (LIMIT, more specific patterns)"
            )
        self._release(worker)
        kind = reply[0]
        if kind == "ok":
            return SparqlAnswer(body=reply[1], media_type=media_type, truncated=reply[2])
        if kind == "syntax":
            raise QuerySyntaxError(_syntax_message(reply[1]))
        raise QueryRefused(f"the query failed: {reply[1]}")


_OX_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def _syntax_message(message: str) -> str:
    """pyoxigraph's "error at L:C: ..." in the same words as the guard's parser errors."""
    first = message.splitlines()[0][:300]
    return _OX_POSITION.sub(lambda m: f"line {m.group(1)}, column {m.group(2)}: ", first)


def service_description(endpoint: str, media_type: str) -> bytes:
    """A SPARQL 1.1 Service Description of the endpoint at ``endpoint`` (RDF in ``media_type``)."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    formats = "http://www.w3.org/ns/formats/"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service = ox.NamedNode(endpoint)

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    triples = [
        ox.Triple(service, rdf_type, n(sd + "Service")),
        ox.Triple(service, n(sd + "endpoint"), service),
        ox.Triple(service, n(sd + "supportedLanguage"), n(sd + "SPARQL11Query")),
        ox.Triple(service, n(sd + "feature"), n(sd + "UnionDefaultGraph")),
    ]
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
    ):
        triples.append(ox.Triple(service, n(sd + "resultFormat"), n(formats + name)))
    fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
    return ox.serialize(triples, format=fmt) or b""
