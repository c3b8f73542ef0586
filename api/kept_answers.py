"""Corpus-wide answers made once per write by the writer and kept beside the store
(graph/catalog/kept.py: one SQLite file), so the coordination endpoints and views of a large
corpus answer in milliseconds, cold, instead of refusing.

Which: every ``/api/coordination`` analysis (JSON and CSV, by agency and by function) and the
three unfiltered views, for the whole corpus (no ``document``, ``chapter`` or filter), each
made by the same functions the routes use (``coordination.answer_body``,
``viz.render_page``), refusals included (a corpus-wide meeting plan above its limit is kept
as its 422). Only for corpora of at least ``settings.kept_answers_from`` measures: below, a
request computes its answer in well under a second.

Who makes them: ``policykg load`` after its last batch (in process), and ``policykg serve`` at
start-up when they are missing or stale and after each upload or removal (:class:`Refresher`,
in a child process reading a checkpoint of the store, so that the serving process keeps its
core and its GIL for requests). One refresh runs at a time; writes during it schedule one
more. A request for a corpus too large to compute per request while a refresh runs gets a
503 with ``Retry-After`` (the answer is coming), never a stale answer.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import networkx as nx
from fastapi.responses import Response
from starlette.datastructures import State

from api import memo
from api.deps import WRITE_LOCK, write_generation
from graph.catalog import kept
from graph.catalog.kept import Answer, Stored
from graph.settings import Settings
from ontology.errors import PolicyKGError, StoreError
from ontology.iris import Iris

log = logging.getLogger("policykg")

#: How much lower than the server's the refresh child's CPU priority is (``nice``).
NICENESS = 10
#: The views kept (the unfiltered ones; ego views always name an agency or a measure).
VIEW_KINDS: tuple[str, ...] = ("accountability", "coresponsibility", "groups")


def coordination_name(path: str, csv: bool, by: str) -> str:
    """The kept name of one corpus-wide coordination answer."""
    return f"coordination{path}?by={by}&format={'csv' if csv else 'json'}"


def view_name(kind: str) -> str:
    return f"viz/{kind}"


def _answer(response: Response) -> Answer:
    headers = tuple((k, v) for k, v in response.headers.items() if k.lower() != "content-length")
    return Answer(response.status_code, headers, bytes(response.body))


def _refusal(exc: PolicyKGError) -> Answer:
    from api.errors import problem

    return _answer(problem(exc.status, exc.title, exc.detail))


def compute(store: Any) -> dict[str, Answer]:
    """Every kept answer of the corpus in ``store`` (an RdfStore), by name."""
    from api.routes.coordination import ENDPOINTS, answer_body
    from api.routes.viz import render_page
    from graph.analysis.by_function import function_network
    from graph.analysis.network import build_network

    network = build_network(store)
    graphs: dict[str, nx.MultiDiGraph] = {"agency": network, "function": function_network(network)}
    found: dict[str, Answer] = {}
    for by, graph in graphs.items():
        results: dict[Any, Any] = {}  # coresponsibility serves two endpoints
        for endpoint in ENDPOINTS:
            for csv in (False, True):
                name = coordination_name(endpoint.path, csv, by)
                try:
                    if endpoint.analyse not in results:
                        results[endpoint.analyse] = endpoint.analyse(graph)
                    result = results[endpoint.analyse]
                    found[name] = _answer(answer_body(graph, endpoint, result, csv, by))
                except PolicyKGError as exc:
                    found[name] = _refusal(exc)
    for kind in VIEW_KINDS:
        try:
            found[view_name(kind)] = _answer(render_page(network, kind, None, None))
        except PolicyKGError as exc:
            found[view_name(kind)] = _refusal(exc)
    return found


def stale_key(store: Any, settings: Settings) -> str | None:
    """The store's key when the corpus is large enough to keep answers and they are missing
    or stale (the answers to make are of that key), else None."""
    path = kept.location(getattr(store, "path", None))
    if path is None or memo.measure_count(store) < settings.kept_answers_from:
        return None
    key = kept.current_key(store)
    return None if kept.key_of(path) == key else key


def refresh(store: Any, settings: Settings) -> int:
    """Make and keep the answers in this process when they are stale (``policykg load``);
    how many were kept (0: none to make)."""
    key = stale_key(store, settings)
    if key is None:
        return 0
    answers = compute(store)
    kept.write(_location(store), key, answers)
    return len(answers)


def _location(store: Any) -> Path:
    path = kept.location(store.path)
    assert path is not None  # stale_key() is None for an in-memory store
    return path


def accepts_gzip(accept_encoding: str) -> bool:
    """True when an ``Accept-Encoding`` value allows gzip (RFC 9110 §12.5.3: ``gzip`` or
    ``*`` with a q-value above 0)."""
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            q = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def response(state: State, store: Any, name: str, accept_encoding: str) -> Response | None:
    """The kept answer ``name`` as a response when it is current, else None: its gzip
    bytes as kept when the client accepts gzip (a browser: 4 MB instead of 40 MB for the
    corpus's duty lists), else the body, decompressed once per write."""
    answers, generation = memo.answers(state), write_generation(state)
    found: Stored | None = answers.lookup(("kept", name), generation)
    if found is None:
        path = kept.location(getattr(store, "path", None))
        if path is None:
            return None
        key = memo.kept(state, ("store-key",), lambda: kept.current_key(store))
        found = kept.read(path, name, key)
        if found is None:
            return None
        answers.store(("kept", name), generation, found)
    headers = dict(found.headers)
    vary = [v.strip() for v in headers.pop("vary", "").split(",") if v.strip()]
    headers["Vary"] = ", ".join([*vary, "Accept-Encoding"])
    if accepts_gzip(accept_encoding):
        headers["Content-Encoding"] = "gzip"
        return Response(found.gzipped, found.status, headers=headers)
    body = answers.get(("kept-plain", name), generation, found.plain)
    return Response(body, found.status, headers=headers)


def after_write(state: State) -> None:
    """Schedule a refresh of the kept answers, when this app keeps them."""
    refresher: Refresher | None = getattr(state, "refresher", None)
    if refresher is not None:
        refresher.schedule()


def _child_main(
    conn: Connection, checkpoint: str, base: str, target: str, key: str, parent_pid: int
) -> None:
    """The child process of a refresh: the answers of the checkpoint, written to a file of
    its own beside ``target``; it sends back that file's path (or why it could not)."""
    from graph.rdf.store import RdfStore
    from graph.sparql.worker import watch_parent

    watch_parent(parent_pid)
    os.nice(NICENESS)  # requests of the serving process go first on a busy machine
    try:
        store = RdfStore.open_read_only(Path(checkpoint), Iris(base))
        try:
            answers = compute(store)
        finally:
            store.close()
        conn.send(("ok", str(kept.prepare(Path(target), key, answers)), len(answers)))
    except PolicyKGError as exc:
        conn.send(("error", exc.detail, 0))
    finally:
        conn.close()


class Refresher:
    """The serving process's maker of kept answers: one background refresh at a time, in a
    child process over a checkpoint of the store (an in-memory store keeps none)."""

    def __init__(self, store: Any, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._lock = threading.Lock()
        self._pending = False
        self._thread: threading.Thread | None = None
        self.refreshed = 0  # refreshes that kept answers (for tests and the log)

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._pending or self._thread is not None

    def schedule(self) -> None:
        """Refresh soon (after the one running, if any)."""
        with self._lock:
            self._pending = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="kept-answers", daemon=True)
                self._thread.start()

    def wait(self, timeout_s: float) -> bool:
        """Wait until no refresh is scheduled or running; False on timeout."""
        deadline = time.monotonic() + timeout_s
        while self.busy:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def _run(self) -> None:
        finished = False
        try:
            while self._take():
                try:
                    self._refresh_once()
                except PolicyKGError as exc:
                    log.warning("corpus-wide answers not kept: %s", exc.detail)
            finished = True
        finally:
            if not finished:  # a bug: readers fall back to computing or refusing
                with self._lock:
                    self._pending, self._thread = False, None

    def _take(self) -> bool:
        """The next scheduled refresh, or False (and this thread is done)."""
        with self._lock:
            if self._pending:
                self._pending = False
                return True
            self._thread = None
            return False

    def _refresh_once(self) -> None:
        store, started = self.store, time.perf_counter()
        with WRITE_LOCK:  # the key and the checkpoint of one state of the store
            key = stale_key(store, self.settings)  # None for an in-memory store too
            if key is None:
                return
            checkpoint = store.path.parent / f"{store.path.name}.answers-checkpoint"
            kept.checkpoint(store, checkpoint)
        target = _location(store)
        for left in target.parent.glob(f"{target.name}.new-*"):  # by a process killed mid-way
            left.unlink(missing_ok=True)
        try:
            fresh, count = self._in_child(checkpoint, target, key)
        finally:
            shutil.rmtree(checkpoint, ignore_errors=True)
        with WRITE_LOCK:
            if kept.current_key(store) != key:
                fresh.unlink(missing_ok=True)
                return  # written meanwhile: that write scheduled the next refresh
            kept.install(fresh, target)
        self.refreshed += 1
        log.info("kept %d corpus-wide answers in %.1f s", count, time.perf_counter() - started)

    def _in_child(self, checkpoint: Path, target: Path, key: str) -> tuple[Path, int]:
        """Run :func:`_child_main` in a spawned daemon process (gone with this one: nothing
        waits for it at exit); the file it made and how many answers it holds."""
        context = get_context("spawn")
        ours, theirs = context.Pipe(duplex=False)
        args = (theirs, str(checkpoint), self.store.iris.base, str(target), key, os.getpid())
        child = context.Process(target=_child_main, args=args, name="kept-answers", daemon=True)
        child.start()
        theirs.close()
        try:
            status, value, count = ours.recv()
        except EOFError:
            raise StoreError("the process computing the corpus-wide answers died") from None
        finally:
            ours.close()
            child.join(timeout=30)
        if status != "ok":
            raise StoreError(f"the corpus-wide answers were not made: {value}")
        return Path(value), int(count)


__all__ = [
    "VIEW_KINDS",
    "Refresher",
    "after_write",
    "compute",
    "coordination_name",
    "refresh",
    "response",
    "stale_key",
    "view_name",
]
