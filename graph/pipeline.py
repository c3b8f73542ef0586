"""Load documents into both stores — RDF first, then Neo4j — all-or-nothing per document.

If the Neo4j write fails (server unreachable, or gone in the middle of the transaction)
the document is rolled back in BOTH stores: Neo4j's transaction never commits and the RDF
store gets back the previous version of that document's graph. Each store is compared
separately with the new version, so a later ``load`` finishes a half-done job (e.g. RDF
loaded while Neo4j was down) and loading the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Literal

from neo4j import Driver

from graph import neo4j_store
from graph.rdf_store import RdfStore
from loaders.model import Extraction
from ontology.errors import LoaderError, PolicyKGError, StoreError, StoreUnavailable
from ontology.iris import Iris

SUFFIXES = (".txt", ".html", ".htm")
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
    stamped = [(e, extraction_version(e)) for e in batch]
    doc_ids = [e.document.id for e, _ in stamped]
    neo_versions = (
        neo4j_store.document_versions(driver, doc_ids, database) if driver is not None else {}
    )
    neo_todo = (
        [(e, v) for e, v in stamped if neo_versions.get(e.document.id) != v]
        if driver is not None
        else []
    )
    snapshots = [rdf.snapshot_document(doc_id) for doc_id in doc_ids]
    results = rdf.load_documents(batch)
    rdf_ids = {r.doc_id for r in results if r.changed}
    try:
        if neo_todo and driver is not None:
            neo4j_store.write_documents(driver, neo_todo, iris, database)
    except (StoreUnavailable, StoreError) as exc:
        for snapshot in snapshots:
            if snapshot.doc_id in rdf_ids:
                rdf.restore_document(snapshot)
        raise type(exc)(_rollback_message(exc, doc_ids)) from exc
    neo_ids = {e.document.id for e, _ in neo_todo}
    outcomes = []
    for extraction, _ in stamped:
        doc_id = extraction.document.id
        stores = tuple(
            name for name, ids in (("rdf", rdf_ids), ("neo4j", neo_ids)) if doc_id in ids
        )
        outcomes.append(
            Outcome(
                source=extraction.document.source_name,
                status="loaded" if stores else "unchanged",
                doc_id=doc_id,
                measures=len(extraction.measures),
                stores=stores,
            )
        )
    return outcomes


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
    pending: list[Extraction] = []

    def emit(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if on_file is not None:
            on_file(outcome)

    def flush() -> None:
        if pending:
            for outcome in load_batch(pending, rdf, driver, iris, database):
                emit(outcome)
            pending.clear()

    for source, extraction, reason in extract_all(files, workers):
        if extraction is None:
            emit(Outcome(source=source, status="failed", reason=reason))
            continue
        if extraction.document.id in {p.document.id for p in pending}:
            flush()  # a batch holds each document once; the later file replaces it
        pending.append(extraction)
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
