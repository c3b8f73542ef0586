"""Finished corpus-wide answers, kept by a writer: the coordination analyses and the views of
the whole corpus, exactly as the service sends them.

At 1,000 documents the corpus network alone takes ~35 s to read (790,000 quads) and the
analyses 1-8 s each, so no request can compute them in under a second; but they change only
when the store is written. A writer (``policykg load`` after its last batch, ``policykg
serve`` after each upload or removal and at start-up, see api/kept_answers.py) computes every
one once and keeps it here, beside the RDF store: one SQLite file (``<store>.answers.sqlite``)
with one row per answer (status, headers, gzip-compressed body) and the store key
(graph.catalog.rollup.store_key) they were all made under, written whole and renamed over
the old file. A
reader uses an answer only while the store's key is still that key, so a kept answer is never
stale: after a write it is missing until the writer has made the new ones.

Not in the RDF store itself: the 35 answers of a 1,000-document corpus are ~300 MB of text
(~32 MB compressed), which the public SPARQL endpoint (the union of every graph) would serve
to anyone asking for ``?s ?p ?o``.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.catalog import rollup
from ontology.errors import StoreError

#: Bump when the table's meaning changes: answers of another version count as missing.
VERSION = 2
#: gzip level of the kept bodies (JSON and CSV compress ~9×; level 1 is the fast one). gzip,
#: not bare zlib, so that a client sending ``Accept-Encoding: gzip`` gets the bytes as kept.
LEVEL = 1
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS made (version INTEGER NOT NULL, key TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS answers (name TEXT PRIMARY KEY, status INTEGER NOT NULL, "
    "headers TEXT NOT NULL, body BLOB NOT NULL);"
)


@dataclass(frozen=True)
class Answer:
    """One finished HTTP answer: its status, headers (content type first) and body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class Stored:
    """A kept answer as stored: its body gzip-compressed."""

    status: int
    headers: tuple[tuple[str, str], ...]
    gzipped: bytes

    def plain(self) -> bytes:
        return gzip.decompress(self.gzipped)


def current_key(store: Any) -> str:
    """The key of the RdfStore ``store`` as it is now (graph.catalog.rollup.store_key)."""
    return rollup.store_key(store.store, store.iris)


def checkpoint(store: Any, target: Path) -> None:
    """An immutable copy of the RdfStore ``store`` at ``target`` (hard links, see
    graph/sparql/snapshots.py), for a process that computes the answers beside the writer."""
    shutil.rmtree(target, ignore_errors=True)
    try:
        store.store.backup(str(target))
    except OSError as exc:
        raise StoreError(f"cannot checkpoint the RDF store: {exc}") from None


def location(store_path: Path | None) -> Path | None:
    """The kept answers of the RDF store at ``store_path`` (None: an in-memory store)."""
    return None if store_path is None else store_path.parent / f"{store_path.name}.answers.sqlite"


def _connect(path: Path) -> sqlite3.Connection | None:
    """A read-only connection, or None when nothing was kept yet."""
    if not path.is_file():
        return None
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)


def write(path: Path, key: str, answers: Mapping[str, Answer]) -> None:
    """Replace every kept answer by ``answers``, made under the store key ``key`` (writers
    only): a new file renamed over the old one, so a reader sees the old answers or the new
    ones, never a mix, and a damaged file is simply replaced."""
    install(prepare(path, key, answers), path)


def install(fresh: Path, path: Path) -> None:
    """Put the file :func:`prepare` made in place of the kept answers (one rename)."""
    os.replace(fresh, path)


def prepare(path: Path, key: str, answers: Mapping[str, Answer]) -> Path:
    """The answers of ``path``-to-be in a new file beside it (this process's own), for
    :func:`install` once the writer knows they are still current."""
    rows = [
        (name, a.status, json.dumps(a.headers), gzip.compress(a.body, LEVEL, mtime=0))
        for name, a in answers.items()
    ]
    fresh = path.with_name(f"{path.name}.new-{os.getpid()}")
    fresh.unlink(missing_ok=True)
    connection = sqlite3.connect(fresh)
    try:
        connection.executescript(_SCHEMA)
        with connection:
            connection.execute("INSERT INTO made VALUES (?, ?)", (VERSION, key))
            connection.executemany("INSERT INTO answers VALUES (?, ?, ?, ?)", rows)
    finally:
        connection.close()
    return fresh


def key_of(path: Path) -> str | None:
    """The store key the kept answers were made under, or None when none are kept (or
    they are of another version, or the file is not readable as ours)."""
    connection = _connect(path)
    if connection is None:
        return None
    try:
        row = connection.execute("SELECT key FROM made WHERE version = ?", (VERSION,)).fetchone()
    except sqlite3.DatabaseError:  # no table yet, or not our file: as if none were kept
        return None
    finally:
        connection.close()
    return None if row is None else str(row[0])


def read(path: Path, name: str, key: str) -> Stored | None:
    """The kept answer ``name`` when the answers were made under ``key`` (the store's key
    now), else None. One statement: the key and the row come from one write."""
    connection = _connect(path)
    if connection is None:
        return None
    try:
        row = connection.execute(
            "SELECT a.status, a.headers, a.body FROM answers a, made m "
            "WHERE a.name = ? AND m.version = ? AND m.key = ?",
            (name, VERSION, key),
        ).fetchone()
        if row is None:
            return None
        headers = tuple((str(k), str(v)) for k, v in json.loads(row[1]))
        if not bytes(row[2]).startswith(b"\x1f\x8b"):
            return None
        return Stored(int(row[0]), headers, bytes(row[2]))
    except (sqlite3.DatabaseError, ValueError):
        return None
    finally:
        connection.close()


def names(path: Path) -> list[str]:
    """Every kept answer's name, sorted (for tests and the log)."""
    if key_of(path) is None:
        return []
    connection = _connect(path)
    assert connection is not None
    try:
        return [r[0] for r in connection.execute("SELECT name FROM answers ORDER BY name")]
    finally:
        connection.close()


__all__ = [
    "VERSION", "Answer", "Stored", "checkpoint", "current_key", "install", "key_of", "location",
    "names", "prepare", "read", "write",
]  # fmt: skip
