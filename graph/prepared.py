"""What a document becomes before the stores see it, built in the worker that extracted it.

:func:`prepare_all` extracts files in worker processes (at most ``PREFETCH`` ahead of the
loader) and maps each extraction for both stores there (:func:`prepare`), so the parent only
receives compact :class:`PreparedDocument` values. graph/pipeline.py writes them.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from multiprocessing import get_context
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from graph.analysis.similarity import Entry, entry
from graph.neo4j import store as neo4j_store
from graph.rdf.bulk import RdfPayload, rdf_payload
from graph.reconcile import pack_rows
from loaders.model import Extraction
from ontology.errors import LoaderError
from ontology.iris import Iris

SUFFIXES = (".txt", ".html", ".htm")
#: Documents prepared ahead of the loader by the worker processes (bounds memory).
PREFETCH = 256


def extraction_version(extraction: Extraction) -> str:
    """Content stamp of an extraction; equal stamps mean nothing to rewrite."""
    return hashlib.sha1(extraction.model_dump_json().encode("utf-8")).hexdigest()


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and folders searched recursively for *.txt, *.html, *.htm (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.exists():
            files.append(path)
        else:
            raise LoaderError(f"{path}: no such file or folder")
    return files


@dataclass(frozen=True)
class Identity:
    """What tells two documents with the same id apart (graph/identity.py)."""

    doc_number: str | None
    written_date: date | None
    source_name: str
    text_digest: str  # sha1 of the source text


@dataclass(frozen=True)
class PreparedDocument:
    """What the stores need of one extraction, built where it was extracted (worker side).

    Small to pickle (the parent never sees the Extraction, whose pickle is ~45 kB and
    ~2.4 ms to load): the RDF payload as bytes and, when Neo4j is in use, its rows (also
    packed for the write intent), and the counts `policykg load` reports.
    """

    doc_id: str
    source_name: str
    measures: int
    version: str
    rdf: RdfPayload
    rows: neo4j_store.GraphRows | None
    packed_rows: str = ""
    responsibilities: int = 0
    diagnostics: int = 0
    no_agencies: int = 0
    doc_number: str | None = None
    written_date: date | None = None
    text_digest: str = ""
    similar: Entry | None = None  # n-grams and MinHash signatures (graph/similar_index.py)

    @property
    def identity(self) -> Identity:
        return Identity(self.doc_number, self.written_date, self.source_name, self.text_digest)


def prepare(extraction: Extraction, iris: Iris, with_rows: bool = True) -> PreparedDocument:
    """Map one extraction for both stores (pure)."""
    version = extraction_version(extraction)
    rows = None
    if with_rows:
        rows = neo4j_store.build_rows([(extraction, version)], iris)
    measures = extraction.measures
    doc = extraction.document
    return PreparedDocument(
        doc_id=doc.id,
        source_name=doc.source_name,
        measures=len(measures),
        version=version,
        rdf=rdf_payload(extraction, iris),
        rows=rows,
        packed_rows=pack_rows(rows) if rows is not None else "",
        responsibilities=sum(len(m.agencies) for m in measures),
        diagnostics=len(extraction.diagnostics),
        no_agencies=sum(1 for m in measures if not m.agencies),
        doc_number=doc.doc_number,
        written_date=doc.written_date,
        text_digest=hashlib.sha1(extraction.source_text.encode("utf-8")).hexdigest(),
        similar=entry(doc.id, [(str(iris.measure(doc.id, m.ordinal)), m.text) for m in measures]),
    )


ExtractResult = tuple[str, Extraction | None, str | None]
PrepareResult = tuple[str, PreparedDocument | None, str | None]


def _extract_one(path: Path) -> ExtractResult:
    """Worker: (path, extraction, None) or (path, None, reason) — never raises a LoaderError."""
    from loaders import extract_file  # imported in the worker process

    try:
        return str(path), extract_file(path), None
    except LoaderError as exc:
        return str(path), None, exc.detail


def extract_all(files: Sequence[Path], workers: int = 1) -> Iterator[ExtractResult]:
    """Extract files in order, in ``workers`` processes when more than one."""
    if workers <= 1 or len(files) < 2 * workers:
        yield from map(_extract_one, files)
        return
    with get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_extract_one, files, chunksize=16)


_worker: dict[str, Any] = {}


def _init_worker(base: str, with_rows: bool) -> None:
    _worker["iris"] = Iris(base)
    _worker["with_rows"] = with_rows


def _prepare_one(path: Path) -> PrepareResult:
    """Worker: extract and map one file for both stores — never raises a LoaderError."""
    source, extraction, reason = _extract_one(path)
    if extraction is None:
        return source, None, reason
    return source, prepare(extraction, _worker["iris"], _worker["with_rows"]), None


def prepare_all(
    files: Sequence[Path], iris: Iris, with_rows: bool, workers: int = 1
) -> Iterator[PrepareResult]:
    """Extract and prepare files in order, in ``workers`` processes when more than one."""
    if workers <= 1 or len(files) < 2 * workers:
        _init_worker(iris.base, with_rows)
        yield from map(_prepare_one, files)
        return
    context = get_context("fork")
    with context.Pool(workers, _init_worker, (iris.base, with_rows)) as pool:
        # at most PREFETCH results ahead of the consumer (Pool.imap would run ahead without
        # bound and hold the whole corpus's quads in memory when the stores are slower)
        pending: deque[AsyncResult[PrepareResult]] = deque()
        todo = iter(files)
        for path in islice(todo, PREFETCH):
            pending.append(pool.apply_async(_prepare_one, (path,)))
        while pending:
            result = pending.popleft().get()
            following = next(todo, None)
            if following is not None:
                pending.append(pool.apply_async(_prepare_one, (following,)))
            yield result
