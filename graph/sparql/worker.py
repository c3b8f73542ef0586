"""The SPARQL query worker process: sealed, read-only, reopened in place, gone with its parent.

A worker leaves the host's network first (:func:`seal_network`), then opens a read-only store
and answers requests over a pipe. Requests are ``("open", path)`` (reopen the store at
``path``: new data becomes visible without a new process) and ``("query", ...)``. A watchdog
thread ends the worker as soon as the process that started it is gone (SIGKILL included), so
no worker outlives the server; pyoxigraph releases the GIL while it evaluates, so the watchdog
runs even during a runaway query.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from graph.sparql.results import write_select

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
#: How often a worker checks that its parent still lives (seconds).
PARENT_POLL_S = 0.25
#: Attempts to open a store that a concurrent compaction changed under us.
_OPEN_ATTEMPTS = 5


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


def watch_parent(parent_pid: int, poll_s: float = PARENT_POLL_S) -> threading.Thread:
    """Exit this process at once when ``parent_pid`` is no longer its parent.

    Polling ``getppid`` rather than ``PR_SET_PDEATHSIG``: the latter fires when the *thread*
    that started the worker ends, and the server starts workers from pool threads that come
    and go.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(poll_s)
        os._exit(0)

    thread = threading.Thread(target=watch, name="parent-watchdog", daemon=True)
    thread.start()
    return thread


def open_read_only(path: str) -> ox.Store:
    """Open ``path`` read-only, retrying briefly when files vanished while it was read.

    Snapshots (see :mod:`graph.sparql.snapshots`) never change, so retries only matter when
    the worker reads a store that another process writes (path mode).
    """
    for attempt in range(_OPEN_ATTEMPTS):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError):
            if attempt == _OPEN_ATTEMPTS - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


def run_query(store: ox.Store, request: tuple[Any, ...]) -> tuple[bytes, bool]:
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


def _open(conn: Connection, path: str) -> ox.Store | None:
    try:
        store = open_read_only(path)
    except (OSError, RuntimeError) as exc:
        conn.send(("error", f"cannot open the RDF store at {path}: {exc}"))
        return None
    conn.send(("ready", None))
    return store


def worker_main(conn: Connection, store_path: str, sealed: bool, parent_pid: int) -> None:
    """Entry point of a worker process: watch the parent, leave the network, open the store
    read-only, answer requests until the pipe closes."""
    watch_parent(parent_pid)
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
    store = _open(conn, store_path)
    if store is None:
        return
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message[0] == "open":
            reopened = _open(conn, message[1])
            if reopened is None:
                return
            store = reopened
            continue
        try:
            body, truncated = run_query(store, message[1])
            conn.send(("ok", body, truncated))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            conn.send(("error", str(exc)))
