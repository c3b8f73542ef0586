"""Load documents into both stores — RDF first, then Neo4j — all-or-nothing per document.

If the Neo4j write fails (server unreachable, or gone in the middle of the transaction)
the document is rolled back in BOTH stores: Neo4j's transaction never commits and the RDF
store gets back the previous version of that document's graph. Each store is compared
separately with the new version, so a later ``load`` finishes a half-done job (e.g. RDF
loaded while Neo4j was down) and loading the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import get_context
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, Literal

from neo4j import Driver

from graph.neo4j import store as neo4j_store
from graph.rdf.bulk import RdfPayload, load_payloads, rdf_payload
from graph.rdf.store import DocumentSnapshot, LoadResult, RdfStore
from loaders.model import Extraction
from ontology.errors import LoaderError, PolicyKGError, StoreError, StoreUnavailable
from ontology.iris import Iris

SUFFIXES = (".txt", ".html", ".htm")
#: Batches of at least this many documents write Neo4j and the RDF store concurrently.
OVERLAP_MIN = 64
#: Documents prepared ahead of the loader by the worker processes (bounds memory).
PREFETCH = 256
Status = Literal["loaded", "unchanged", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one file or document."""

    source: str
    status: Status
    doc_id: str | None = None
    measures: int = 0
    reason: str | None = None
    stores: tuple[str, ...] = ()  # the stores actually written


@dataclass
class LoadReport:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(o.status != "failed" for o in self.outcomes)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


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


def _rollback_message(exc: PolicyKGError, doc_ids: list[str]) -> str:
    which = doc_ids[0] if len(doc_ids) == 1 else f"{len(doc_ids)} documents"
    return (
        f"{exc.detail}. Rolled back {which} in both stores: Neo4j committed nothing and the "
        f"RDF store has its previous version again; run `policykg load` again once Neo4j is up"
    )


@dataclass(frozen=True)
class PreparedDocument:
    """What the stores need of one extraction, built where it was extracted (worker side).

    Small to pickle (the parent never sees the Extraction, whose pickle is ~45 kB and
    ~2.4 ms to load): the RDF payload as bytes and, when Neo4j is in use, its rows.
    """

    doc_id: str
    source_name: str
    measures: int
    version: str
    rdf: RdfPayload
    rows: neo4j_store.GraphRows | None


def prepare(extraction: Extraction, iris: Iris, with_rows: bool = True) -> PreparedDocument:
    """Map one extraction for both stores (pure)."""
    version = extraction_version(extraction)
    rows = None
    if with_rows:
        rows = neo4j_store.build_rows([(extraction, version)], iris)
    return PreparedDocument(
        doc_id=extraction.document.id,
        source_name=extraction.document.source_name,
        measures=len(extraction.measures),
        version=version,
        rdf=rdf_payload(extraction, iris),
        rows=rows,
    )


def load_batch(
    batch: Sequence[Extraction],
    rdf: RdfStore,
    driver: Driver | None,
    iris: Iris,
    database: str = "neo4j",
) -> list[Outcome]:
    """Load extractions (distinct ids), all-or-nothing for the batch across both stores.

    Each store is compared with the new content on its own: the RDF store by its content
    hash, Neo4j by the version stamp on the Document node.
    """
    prepared = [prepare(e, iris, driver is not None) for e in batch]
    return load_prepared(prepared, rdf, driver, database)


def load_prepared(
    batch: Sequence[PreparedDocument],
    rdf: RdfStore,
    driver: Driver | None,
    database: str = "neo4j",
) -> list[Outcome]:
    """:func:`load_batch` for prepared documents.

    Batches of at least ``OVERLAP_MIN`` documents write Neo4j in a thread while the RDF
    store loads (driver I/O and pyoxigraph release the GIL); the Neo4j transaction commits
    only after the RDF write succeeded, and an RDF failure rolls it back.
    """
    doc_ids = [p.doc_id for p in batch]
    neo_versions = (
        neo4j_store.document_versions(driver, doc_ids, database) if driver is not None else {}
    )
    neo_todo = [p for p in batch if p.rows is not None and neo_versions.get(p.doc_id) != p.version]
    rows = neo4j_store.GraphRows()
    for p in neo_todo:
        if p.rows is not None:
            rows.extend(p.rows)
    snapshots = [rdf.snapshot_document(doc_id) for doc_id in doc_ids]
    if driver is not None and neo_todo and len(batch) >= OVERLAP_MIN:
        results = _load_overlapped(batch, rdf, driver, rows, database, snapshots)
    else:
        results = load_payloads(rdf, [p.rdf for p in batch])
        try:
            if neo_todo and driver is not None:
                neo4j_store.write_rows(driver, rows, database)
        except (StoreUnavailable, StoreError) as exc:
            _restore(rdf, snapshots, {r.doc_id for r in results if r.changed})
            raise type(exc)(_rollback_message(exc, doc_ids)) from exc
    rdf_ids = {r.doc_id for r in results if r.changed}
    neo_ids = {p.doc_id for p in neo_todo}
    outcomes = []
    for p in batch:
        stores = tuple(
            name for name, ids in (("rdf", rdf_ids), ("neo4j", neo_ids)) if p.doc_id in ids
        )
        outcomes.append(
            Outcome(
                source=p.source_name,
                status="loaded" if stores else "unchanged",
                doc_id=p.doc_id,
                measures=p.measures,
                stores=stores,
            )
        )
    return outcomes


def _restore(rdf: RdfStore, snapshots: list[DocumentSnapshot], changed: set[str]) -> None:
    for snapshot in snapshots:
        if snapshot.doc_id in changed:
            rdf.restore_document(snapshot)


def _load_overlapped(
    batch: Sequence[PreparedDocument],
    rdf: RdfStore,
    driver: Driver,
    rows: neo4j_store.GraphRows,
    database: str,
    snapshots: list[DocumentSnapshot],
) -> list[LoadResult]:
    """RDF in this thread, Neo4j in another; Neo4j commits only if the RDF write succeeded."""
    rdf_done = threading.Event()
    rdf_ok = False

    def gate() -> None:
        rdf_done.wait()
        if not rdf_ok:
            raise StoreError("the RDF store write failed, so Neo4j was rolled back")

    doc_ids = [p.doc_id for p in batch]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="neo4j-write") as pool:
        future = pool.submit(neo4j_store.write_rows, driver, rows, database, gate)
        try:
            results = load_payloads(rdf, [p.rdf for p in batch])
            rdf_ok = True
        finally:
            rdf_done.set()
            if not rdf_ok:
                wait([future])  # the Neo4j transaction rolls back before the error surfaces
        try:
            future.result()
        except (StoreUnavailable, StoreError) as exc:
            _restore(rdf, snapshots, {r.doc_id for r in results if r.changed})
            raise type(exc)(_rollback_message(exc, doc_ids)) from exc
    return results


def load_extraction(
    extraction: Extraction,
    rdf: RdfStore,
    driver: Driver | None,
    iris: Iris,
    database: str = "neo4j",
) -> Outcome:
    """Load one extraction into both stores (one transaction each, rolled back together)."""
    return load_batch([extraction], rdf, driver, iris, database)[0]


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


def load_paths(
    paths: Iterable[Path],
    rdf: RdfStore,
    driver: Driver | None,
    iris: Iris,
    database: str = "neo4j",
    batch_size: int = 1,
    workers: int = 1,
    on_file: Callable[[Outcome], None] | None = None,
) -> LoadReport:
    """Extract and load files and folders; a file that fails to extract loads nothing.

    Extraction failures are reported per file and do not stop the others. A store failure
    rolls back the current batch in both stores and is raised (the next batches would
    fail the same way); earlier batches stay loaded.
    """
    files = expand_paths(paths)
    report = LoadReport()
    pending: list[PreparedDocument] = []
    ids: set[str] = set()

    def emit(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if on_file is not None:
            on_file(outcome)

    def flush() -> None:
        if pending:
            for outcome in load_prepared(pending, rdf, driver, database):
                emit(outcome)
            pending.clear()
            ids.clear()

    for source, prepared, reason in prepare_all(files, iris, driver is not None, workers):
        if prepared is None:
            emit(Outcome(source=source, status="failed", reason=reason))
            continue
        if prepared.doc_id in ids:
            flush()  # a batch holds each document once; the later file replaces it
        pending.append(prepared)
        ids.add(prepared.doc_id)
        if len(pending) >= batch_size:
            flush()
    flush()
    return report


def remove(doc_id: str, rdf: RdfStore, driver: Driver | None, database: str = "neo4j") -> bool:
    """Remove a document from both stores; False when neither had it.

    Neo4j first: if it is unreachable the RDF store keeps the document and the error says
    so, so the two stores never disagree about what is loaded.
    """
    in_neo4j = neo4j_store.remove_document(driver, doc_id, database) if driver else False
    in_rdf = rdf.remove_document(doc_id)
    return in_rdf or in_neo4j
