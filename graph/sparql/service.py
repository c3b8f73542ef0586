"""Sealed, time-bounded SPARQL execution for the public endpoint.

pyoxigraph cannot cancel a running query, so queries run in a small pool of worker processes
(:mod:`graph.sparql.worker`), each holding a read-only store. Each worker first leaves the
host's network (its own network namespace, with no interface up: :func:`seal_network`), so
even a query that fooled the guard cannot reach any address, loopback included. A query that
outlives its budget gets its worker killed (the CPU is freed at once) and replaced; the caller
gets :class:`QueryTimeout` (503). Writes reach the workers without stopping them (a new
checkpoint, reopened in place); :class:`graph.lanes.Lanes` keeps one worker for short queries.
Before anything runs, :func:`graph.sparql.guard.inspect_query` refuses updates and SERVICE;
FROM/FROM NAMED only select among the store's own named graphs (pyoxigraph never fetches).
Results stop at ``row_limit`` rows (or triples) and say so (``SparqlAnswer.truncated``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.lanes import Lanes, Ticket
from graph.sparql.description import service_description
from graph.sparql.guard import QueryForm, inspect_query
from graph.sparql.results import SELECT_MEDIA_TYPES
from graph.sparql.snapshots import Snapshots, snapshot_root
from graph.sparql.worker import seal_network, worker_main
from ontology.errors import (
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ServiceBusy,
    StoreError,
)

__all__ = [
    "GRAPH_MEDIA_TYPES",
    "SparqlAnswer",
    "SparqlService",
    "negotiate",
    "offers_for",
    "seal_network",
    "service_description",
]

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
#: Time budget of a query in the short lane (taken only when every general worker is busy).
SHORT_BUDGET_S = 1.0


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


# --------------------------------------------------------------------------- worker pool
class _Worker:
    """One worker process and the pipe to it; ``pending`` counts unread "ready" replies."""

    def __init__(self, ctx: Any, path: str, generation: int, sealed: bool) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=worker_main, args=(child, path, sealed, os.getpid()), daemon=True
        )
        self.process.start()
        child.close()
        self.path = path
        self.generation = generation
        self._opening = [path]  # paths asked for and not yet answered, oldest first
        self._opened: str | None = None

    @property
    def pending(self) -> int:
        return len(self._opening)

    @property
    def holds(self) -> set[str]:
        """Paths this process has open or may still open (their checkpoints must stay)."""
        return {*self._opening, *([self._opened] if self._opened else [])}

    @property
    def ready(self) -> bool:
        """True when no "ready" reply is outstanding (reads the ones already there)."""
        while self.pending and self.conn.poll(0):
            self._read_ready()
        return not self.pending

    def _read_ready(self) -> None:
        kind, detail = self.conn.recv()
        if kind != "ready":
            raise StoreError(detail)
        self._opened = self._opening.pop(0)

    def wait_ready(self) -> None:
        while self.pending:
            if not self.conn.poll(_STARTUP_TIMEOUT_S):
                raise StoreError("a SPARQL worker process did not start in time")
            self._read_ready()

    def reopen(self, path: str, generation: int) -> None:
        """Ask the worker to open ``path`` (it answers "ready"); the process stays."""
        self.conn.send(("open", path))
        self.path = path
        self.generation = generation
        self._opening.append(path)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class _Idle:
    """Idle workers, newest last (``queue`` keeps the name tests know from queue.Queue)."""

    def __init__(self) -> None:
        self.queue: list[_Worker] = []
        self.cond = threading.Condition()


class SparqlService:
    """A pool of query worker processes over the store at ``store_path``.

    With ``source`` (the live, writable ``pyoxigraph.Store`` of this process, stored at
    ``store_path``) the workers read immutable checkpoints of it (see
    :mod:`graph.sparql.snapshots`) and :meth:`refresh` hands them a new one; without it they
    reopen ``store_path`` itself. Either way a write never stops a worker. Admission goes
    through :class:`graph.lanes.Lanes`: one worker is kept for queries that finish within
    ``short_budget_s``, and one spare process beyond the capacity is kept warm so a worker
    killed at its time limit is replaced at once.
    """

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
        source: object = None,
        short_budget_s: float = SHORT_BUDGET_S,
    ) -> None:
        self.store_path = str(store_path)
        self.sealed = sealed
        self.prefixes = dict(prefixes)
        self.timeout_s = timeout_s
        self.row_limit = row_limit
        self.base_iri = base_iri
        self.size = workers or max(3, min(4, (os.cpu_count() or 2) + 1))
        self.lanes = Lanes(
            self.size, timeout_s=timeout_s, short_budget_s=short_budget_s, what="SPARQL"
        )
        self._ctx = multiprocessing.get_context("spawn")
        self._idle = _Idle()
        self._all: set[_Worker] = set()
        self._generation = 0
        self._closed = False
        live = source if isinstance(source, ox.Store) else None
        self._snapshots = Snapshots(live, snapshot_root(store_path)) if live is not None else None
        self._path = str(self._snapshots.current) if self._snapshots else self.store_path
        for _ in range(self.size + 1):
            self._idle.queue.append(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self._path, self._generation, self.sealed)
        self._all.add(worker)
        return worker

    def refresh(self) -> None:
        """Make the latest writes visible: a new checkpoint, reopened by every worker in place
        (idle ones now, busy ones when they finish). Call after each successful write."""
        if self._closed:
            return
        # The checkpoint (~0.1 s) is taken before the pool's lock: queries go on meanwhile.
        path = str(self._snapshots.take()) if self._snapshots else self.store_path
        with self._idle.cond:
            if self._closed:
                return
            self._generation += 1
            self._path = path
            for worker in list(self._idle.queue):
                self._reopen(worker)
            self._prune()

    def _reopen(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError):  # a dead worker is replaced when next taken
            worker.reopen(self._path, self._generation)

    def _prune(self) -> None:
        """Delete checkpoints no process holds (call with the idle lock held)."""
        if self._snapshots is None:
            return
        for worker in self._idle.queue:  # read the "ready" replies that arrived
            with contextlib.suppress(EOFError, OSError, StoreError):
                worker.ready  # noqa: B018 - the property reads them
        self._snapshots.prune(Path(p) for w in self._all for p in w.holds)

    def close(self) -> None:
        with self._idle.cond:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.queue.clear()
        for worker in workers:
            worker.kill()
        if self._snapshots is not None:
            self._snapshots.close()

    def _take(self) -> _Worker:
        """An idle worker, preferring one that is ready (not starting, not reopening); idle
        workers found dead or unable to open the store are replaced on the way."""
        broken: list[_Worker] = []
        try:
            with self._idle.cond:
                while True:
                    if not self._idle.cond.wait_for(lambda: self._idle.queue, self.timeout_s):
                        raise ServiceBusy(
                            "no SPARQL worker is available; retry later", retry_after_s=1
                        )
                    for i in range(len(self._idle.queue) - 1, -1, -1):
                        try:
                            ready = self._idle.queue[i].ready
                        except (EOFError, OSError, StoreError):
                            broken.append(self._idle.queue.pop(i))
                            continue
                        if ready:
                            return self._idle.queue.pop(i)
                    if self._idle.queue:
                        return self._idle.queue.pop()
                    if broken:  # only broken ones: hand one out, its error is the answer
                        return broken.pop()
        finally:
            for worker in broken:
                self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._idle.cond:
            self._all.discard(worker)
            if not self._closed:
                self._idle.queue.append(self._spawn())
                self._idle.cond.notify()
            self._prune()

    def _release(self, worker: _Worker) -> None:
        if not worker.process.is_alive():
            self._replace(worker)
            return
        with self._idle.cond:
            if self._closed:
                worker.kill()
                return
            if worker.generation != self._generation:
                self._reopen(worker)
            self._prune()
            self._idle.queue.append(worker)
            self._idle.cond.notify()

    def execute(self, text: str, accept: str | None) -> SparqlAnswer:
        """Inspect, run in a worker within the lane's time budget, serialise by ``accept``.

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
        ticket = self.lanes.admit(shape.text)
        try:
            reply = self._run(ticket, request)
        finally:
            self.lanes.release(ticket)
        kind = reply[0]
        if kind == "ok":
            return SparqlAnswer(body=reply[1], media_type=media_type, truncated=reply[2])
        if kind == "syntax":
            raise QuerySyntaxError(_syntax_message(reply[1]))
        raise QueryRefused(f"the query failed: {reply[1]}")

    def _run(self, ticket: Ticket, request: tuple[Any, ...]) -> tuple[Any, ...]:
        worker = self._take()
        try:
            worker.wait_ready()
            worker.conn.send(("query", request))
            finished = worker.conn.poll(ticket.budget_s)
            reply = worker.conn.recv() if finished else None
        except (EOFError, OSError, StoreError) as exc:
            self._replace(worker)
            if isinstance(exc, StoreError):
                raise
            raise StoreError("the query worker stopped unexpectedly; it was restarted") from None
        if reply is None:
            ticket.overran = True
            self._replace(worker)  # killing it frees the CPU at once
            if ticket.lane == "short":
                raise self.lanes.overran_short(ticket)
            raise QueryTimeout(
                f"the query ran longer than {self.timeout_s:g} s and was stopped; "
                "narrow it (LIMIT, more specific patterns)"
            )
        self._release(worker)
        return tuple(reply)


_OX_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def _syntax_message(message: str) -> str:
    """pyoxigraph's "error at L:C: ..." in the same words as the guard's parser errors."""
    first = message.splitlines()[0][:300]
    return _OX_POSITION.sub(lambda m: f"line {m.group(1)}, column {m.group(2)}: ", first)
