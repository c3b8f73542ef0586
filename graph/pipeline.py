"""Load documents into both stores — RDF first, then Neo4j — all-or-nothing per document.

If the Neo4j write fails (server unreachable, or gone in the middle of the transaction)
the document is rolled back in BOTH stores: Neo4j's transaction never commits and the RDF
store gets back the previous version of that document's graph. Each store is compared
separately with the new version, so a later ``load`` finishes a half-done job (e.g. RDF
loaded while Neo4j was down) and loading the same file twice changes nothing.

A process killed between the two writes cannot roll back: the RDF transaction therefore
also records the write's intent (graph/rdf/intents.py), cleared once Neo4j has committed;
graph/reconcile.py settles what a crash left. A document whose id another document already
holds gets a distinguishing id or, when it is the same document, replaces it and says so
(graph/identity.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
from neo4j import Driver

from graph import reconcile, similar_index
from graph.catalog import rollup
from graph.identity import IdRegistry, resolve_prepared
from graph.neo4j import store as neo4j_store
from graph.prepared import SUFFIXES as SUFFIXES
from graph.prepared import ExtractResult as ExtractResult
from graph.prepared import PreparedDocument as PreparedDocument
from graph.prepared import PrepareResult as PrepareResult
from graph.prepared import _extract_one as _extract_one
from graph.prepared import _init_worker as _init_worker
from graph.prepared import _prepare_one as _prepare_one
from graph.prepared import expand_paths as expand_paths
from graph.prepared import extract_all as extract_all
from graph.prepared import extraction_version as extraction_version
from graph.prepared import prepare as prepare
from graph.prepared import prepare_all as prepare_all
from graph.rdf import intents as intent_store
from graph.rdf import summary as summaries
from graph.rdf.bulk import load_payloads
from graph.rdf.intents import Intent
from graph.rdf.store import DocumentSnapshot, LoadResult, RdfStore
from loaders.model import Extraction
from ontology.errors import PolicyKGError, StoreError, StoreUnavailable
from ontology.iris import Iris

#: Batches of at least this many documents write Neo4j and the RDF store concurrently.
OVERLAP_MIN = 64
Status = Literal["loaded", "replaced", "unchanged", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one file or document."""

    source: str
    status: Status
    doc_id: str | None = None
    measures: int = 0
    reason: str | None = None
    stores: tuple[str, ...] = ()  # the stores actually written
    replaced: str | None = None  # the other source file whose document this one replaced
    responsibilities: int = 0
    diagnostics: int = 0
    no_agencies: int = 0  # measures without any agency


@dataclass
class LoadReport:
    outcomes: list[Outcome] = field(default_factory=list)
    reconciled: list[reconcile.Reconciled] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(o.status != "failed" for o in self.outcomes)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


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
    only after the RDF write succeeded, and an RDF failure rolls it back. The documents
    Neo4j must receive carry a write intent in their RDF transaction, cleared after Neo4j
    committed (a crash in between is settled by graph/reconcile.py).
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
    # Snapshots only where Neo4j may fail after the RDF write: they cost a read per document.
    snapshots = [rdf.snapshot_document(p.doc_id) for p in neo_todo] if driver is not None else []
    intents = {
        p.doc_id: Intent(
            p.doc_id,
            "load",
            version=p.version,
            digest=p.rdf.digest,
            rows=p.packed_rows,
            previous=reconcile.pack_snapshot(snapshot),
        )
        for p, snapshot in zip(neo_todo, snapshots, strict=True)
    }
    if driver is not None and neo_todo and len(batch) >= OVERLAP_MIN:
        results = _load_overlapped(batch, rdf, driver, rows, database, snapshots, intents)
    else:
        results = load_payloads(rdf, [p.rdf for p in batch], intents)
        try:
            if neo_todo and driver is not None:
                neo4j_store.write_rows(driver, rows, database)
        except (StoreUnavailable, StoreError) as exc:
            _restore(rdf, snapshots, {r.doc_id for r in results if r.changed})
            raise type(exc)(_rollback_message(exc, doc_ids)) from exc
    rdf_ids = {r.doc_id for r in results if r.changed}
    neo_ids = {p.doc_id for p in neo_todo}
    intent_store.clear(rdf.store, rdf.iris, sorted(rdf_ids & set(intents)))
    # similar measures of the documents written (graph/similar_index.py; derived, repaired
    # from the stores by the next write if this step fails)
    similar_index.after_load(
        rdf,
        driver,
        sorted(rdf_ids),
        sorted(neo_ids - rdf_ids),
        database,
        {p.doc_id: p.similar for p in batch if p.similar is not None},
    )
    summaries.keep(rdf.store, rdf.iris, [p.rdf for p in batch])  # the corpus tables' sums
    rollup.refresh(rdf, rdf.iris)
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
                responsibilities=p.responsibilities,
                diagnostics=p.diagnostics,
                no_agencies=p.no_agencies,
            )
        )
    return outcomes


def _restore(rdf: RdfStore, snapshots: list[DocumentSnapshot], changed: set[str]) -> None:
    """Put back what a failed batch replaced, then clear the batch's intents (a crash in
    between leaves intents whose content hash no longer matches: reconcile clears them)."""
    for snapshot in snapshots:
        if snapshot.doc_id in changed:
            rdf.restore_document(snapshot)
    intent_store.clear(rdf.store, rdf.iris, sorted(changed))


def _load_overlapped(
    batch: Sequence[PreparedDocument],
    rdf: RdfStore,
    driver: Driver,
    rows: neo4j_store.GraphRows,
    database: str,
    snapshots: list[DocumentSnapshot],
    intents: dict[str, Intent],
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
            results = load_payloads(rdf, [p.rdf for p in batch], intents)
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


def load_paths(
    paths: Iterable[Path],
    rdf: RdfStore,
    driver: Driver | None,
    iris: Iris,
    database: str = "neo4j",
    batch_size: int = 1,
    workers: int = 1,
    on_file: Callable[[Outcome], None] | None = None,
    dry_run: bool = False,
) -> LoadReport:
    """Extract and load files and folders; a file that fails to extract loads nothing.

    Extraction failures are reported per file and do not stop the others. A store failure
    rolls back the current batch in both stores and is raised (the next batches would
    fail the same way); earlier batches stay loaded. Intents an earlier crash left are
    settled first. ``dry_run`` writes nothing: each outcome says what would happen.
    """
    files = expand_paths(paths)
    report = LoadReport()
    if not dry_run:
        report.reconciled = reconcile.reconcile(rdf, driver, database)
        if report.reconciled:
            similar_index.forget(rdf)  # rebuilt (and the stores' lists repaired) on first use
    pending: list[PreparedDocument] = []
    replaced: dict[str, str] = {}  # doc id -> the other source file it replaces
    registry = IdRegistry(rdf)

    def emit(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if on_file is not None:
            on_file(outcome)

    def flush() -> None:
        if not pending:
            return
        outcomes = (
            _would_load(pending, rdf) if dry_run else load_prepared(pending, rdf, driver, database)
        )
        for outcome in outcomes:
            other = replaced.get(outcome.doc_id or "")
            if other is not None and outcome.status == "loaded":
                outcome = replace(outcome, status="replaced", replaced=other)
            emit(outcome)
        pending.clear()
        replaced.clear()

    with_rows = driver is not None
    for source, prepared, reason in prepare_all(files, iris, with_rows, workers):
        if prepared is None:
            emit(Outcome(source=source, status="failed", reason=reason))
            continue
        prepared, holder = resolve_prepared(registry, prepared, source, iris, with_rows)
        if any(p.doc_id == prepared.doc_id for p in pending):
            flush()  # a batch holds each document once; the later file replaces it
        if holder is not None and holder.identity.source_name != prepared.source_name:
            replaced[prepared.doc_id] = holder.identity.source_name
        pending.append(prepared)
        if len(pending) >= batch_size:
            flush()
    flush()
    return report


def _would_load(batch: Sequence[PreparedDocument], rdf: RdfStore) -> list[Outcome]:
    """What :func:`load_prepared` would do to the RDF store, writing nothing."""
    return [
        Outcome(
            source=p.source_name,
            status="unchanged" if rdf.content_hash(p.doc_id) == p.rdf.digest else "loaded",
            doc_id=p.doc_id,
            measures=p.measures,
            responsibilities=p.responsibilities,
            diagnostics=p.diagnostics,
            no_agencies=p.no_agencies,
        )
        for p in batch
    ]


def remove(doc_id: str, rdf: RdfStore, driver: Driver | None, database: str = "neo4j") -> bool:
    """Remove a document from both stores; False when neither had it. The similar-measure
    lists that named its measures are refilled (graph/similar_index.py)."""
    removed = _remove_document(doc_id, rdf, driver, database)
    if removed:
        similar_index.after_remove(rdf, driver, doc_id, database)
    return removed


def _remove_document(doc_id: str, rdf: RdfStore, driver: Driver | None, database: str) -> bool:
    """The stores' part of :func:`remove`.

    Neo4j first: if it is unreachable the RDF store keeps the document and the error says
    so, so the two stores never disagree about what is loaded. With Neo4j the removal's
    intent is recorded first, so a crash after the Neo4j removal is finished at start-up.
    """
    if driver is None:
        removed = rdf.remove_document(doc_id)
        summaries.clear(rdf.store, rdf.iris, [str(_graph(rdf, doc_id).value)])
        rollup.refresh(rdf, rdf.iris)
        return removed
    in_rdf = rdf.has_document(doc_id) or rdf.store.contains_named_graph(_graph(rdf, doc_id))
    if in_rdf:
        rdf.store.update(
            "INSERT DATA { "
            + intent_store.insert_block(rdf.iris, [Intent(doc_id, "remove")])
            + " }"
        )
    try:
        in_neo4j = neo4j_store.remove_document(driver, doc_id, database)
    except PolicyKGError:
        if in_rdf:
            intent_store.clear(rdf.store, rdf.iris, [doc_id])
        raise
    if in_rdf:
        reconcile.remove_rdf(rdf, doc_id)
        summaries.clear(rdf.store, rdf.iris, [str(_graph(rdf, doc_id).value)])
        rollup.refresh(rdf, rdf.iris)
    return in_rdf or in_neo4j


def _graph(rdf: RdfStore, doc_id: str) -> ox.NamedNode:
    return ox.NamedNode(str(rdf.iris.document_graph(doc_id)))
