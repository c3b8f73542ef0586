"""Write extractions to Neo4j and read them back; every function takes the driver.

Writes are batched (``UNWIND $rows``) and a call runs in ONE explicit transaction, so a
failure — including the server going away mid-write — leaves nothing half-written. No
automatic retry: the caller (graph.pipeline) decides, and rolls back the RDF side too.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    NotificationDisabledClassification,
    Session,
    Transaction,
)
from neo4j.exceptions import (
    AuthError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph.neo4j import queries as q

# Row building is graph/neo4j/rows.py; its names stay importable from here.
from graph.neo4j.rows import GraphRows as GraphRows
from graph.neo4j.rows import Row as Row
from graph.neo4j.rows import add_rows as add_rows
from graph.neo4j.rows import build_rows as build_rows
from graph.rdf.mapping import GroupVocabulary
from loaders.model import Extraction
from ontology.errors import PolicyKGError, StoreError, StoreUnavailable
from ontology.iris import Iris

#: Rows per UNWIND statement; bounds one Bolt message, not the transaction.
CHUNK = 5_000
T = TypeVar("T")
_schema_ready: weakref.WeakSet[Driver] = weakref.WeakSet()

START_HINT = "start one with `policykg neo4j start` or set NEO4J_URI"
#: Our own statements name labels, types and keys a fresh database does not have yet;
#: the server's "label does not exist" warnings about them are expected, not news.
_QUIET = [NotificationDisabledClassification.UNRECOGNIZED]


def session(driver: Driver, database: str, mode: str = WRITE_ACCESS) -> Session:
    """A session for policykg's own statements (expected notifications switched off)."""
    return driver.session(
        database=database, default_access_mode=mode, notifications_disabled_classifications=_QUIET
    )


# --- transactions ------------------------------------------------------------------------
def _translate(exc: Exception, what: str) -> PolicyKGError:
    if isinstance(exc, AuthError):
        return StoreUnavailable(f"Neo4j refused the credentials while {what}: {exc.message}")
    if isinstance(exc, ServiceUnavailable | SessionExpired | OSError):
        return StoreUnavailable(
            f"Neo4j became unreachable while {what} ({exc}); nothing of it was written "
            f"to Neo4j; {START_HINT}"
        )
    return StoreError(f"Neo4j failed while {what} and rolled it back: {exc}")


def _chunks(rows: list[Row]) -> Iterator[list[Row]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def run_write(driver: Driver, database: str, what: str, work: Callable[[Transaction], T]) -> T:
    """Run ``work`` in one explicit transaction: commit on success, roll back on any error."""
    try:
        with session(driver, database) as open_session:
            tx = open_session.begin_transaction()
            try:
                result = work(tx)
                tx.commit()
                return result
            finally:
                if not tx.closed():
                    tx.close()
    except (Neo4jError, DriverError, OSError) as exc:
        raise _translate(exc, what) from exc


def run_read(driver: Driver, database: str, what: str, query: str, **params: Any) -> list[Row]:
    """A read query's records as dicts (errors translated).

    An explicit transaction, not ``execute_read``: the managed form retries for 30 s when
    the server is gone, which kept an upload waiting and printed the driver's retry lines.
    """
    try:
        with session(driver, database, READ_ACCESS) as open_session:
            tx = open_session.begin_transaction()
            try:
                return [record.data() for record in tx.run(query, params)]
            finally:
                if not tx.closed():
                    tx.close()
    except (Neo4jError, DriverError, OSError) as exc:
        raise _translate(exc, what) from exc


def ensure_schema(driver: Driver, database: str) -> None:
    """Create the iri constraints and indexes once per driver (``IF NOT EXISTS``)."""
    if driver in _schema_ready:
        return
    try:
        with session(driver, database) as open_session:
            for statement in (*q.CONSTRAINTS, *q.INDEXES, *q.CITED_SCHEMA, q.AWAIT_INDEXES):
                open_session.run(statement).consume()
    except (Neo4jError, DriverError, OSError) as exc:
        raise _translate(exc, "creating the Neo4j schema") from exc
    _schema_ready.add(driver)


def _delete_in_tx(tx: Transaction, doc_ids: list[str]) -> int:
    """Delete documents and the shared nodes only they used; returns documents deleted."""
    params = {"doc_ids": doc_ids}
    agencies = [r["iri"] for r in tx.run(q.AGENCIES_OF_DOCUMENTS, params)]
    programs = [r["iri"] for r in tx.run(q.PROGRAMS_OF_DOCUMENTS, params)]
    groups = [r["iri"] for r in tx.run(q.GROUPS_OF_DOCUMENTS, params)]
    tx.run(q.DELETE_MEASURES, params).consume()
    tx.run(q.DELETE_CHAPTERS, params).consume()
    tx.run(q.DELETE_ORPHAN_CITED, params).consume()  # before the documents: it reads them
    record = tx.run(q.DELETE_DOCUMENT_NODES, params).single()
    deleted = int(record["deleted"]) if record else 0
    for query, candidates in (
        (q.DELETE_ORPHAN_AGENCIES, agencies),
        (q.DELETE_ORPHAN_PROGRAMS, programs),
        (q.DELETE_ORPHAN_GROUPS, groups),
    ):
        if candidates:
            tx.run(query, {"iris": candidates}).consume()
    return deleted


def _write_in_tx(tx: Transaction, rows: GraphRows) -> int:
    for query, statement_rows in rows.statements():
        for chunk in _chunks(statement_rows):
            tx.run(query, {"rows": chunk}).consume()
    return rows.row_count()


def write_documents(
    driver: Driver,
    batch: Sequence[tuple[Extraction, str]],
    iris: Iris,
    database: str = "neo4j",
    vocab: GroupVocabulary | None = None,
) -> int:
    """Replace the documents of ``batch`` (extraction, version) in ONE transaction.

    Previous versions and their orphaned shared nodes are deleted first, in the same
    transaction. Returns the number of rows written.
    """
    if not batch:
        return 0
    return write_rows(driver, build_rows(batch, iris, vocab), database)


def write_rows(
    driver: Driver,
    rows: GraphRows,
    database: str = "neo4j",
    before_commit: Callable[[], None] | None = None,
) -> int:
    """Replace the documents of ``rows`` in ONE transaction (see :func:`write_documents`).

    ``before_commit`` runs after the last statement and before the commit; if it raises,
    the transaction is rolled back and the exception propagates — graph.pipeline uses it
    to commit only once the RDF side of the same batch has been written.
    """
    if not rows.documents:
        return 0
    ensure_schema(driver, database)
    doc_ids = [row["id"] for row in rows.documents]
    what = _describe(doc_ids, "writing")

    def work(tx: Transaction) -> int:
        _delete_in_tx(tx, doc_ids)
        written = _write_in_tx(tx, rows)
        if before_commit is not None:
            before_commit()
        return written

    return run_write(driver, database, what, work)


def write_document(
    driver: Driver, extraction: Extraction, version: str, iris: Iris, database: str = "neo4j"
) -> int:
    """Replace one document (one transaction); returns rows written."""
    return write_documents(driver, [(extraction, version)], iris, database)


def remove_document(driver: Driver, doc_id: str, database: str = "neo4j") -> bool:
    """Delete a document, its chapters and measures, and shared nodes no one else uses."""
    ensure_schema(driver, database)
    deleted = run_write(
        driver, database, _describe([doc_id], "removing"), lambda tx: _delete_in_tx(tx, [doc_id])
    )
    return deleted > 0


def _describe(doc_ids: list[str], verb: str) -> str:
    if len(doc_ids) == 1:
        return f"{verb} document {doc_ids[0]}"
    return f"{verb} {len(doc_ids)} documents ({doc_ids[0]} … {doc_ids[-1]})"


# --- reads -------------------------------------------------------------------------------
def document_versions(
    driver: Driver, doc_ids: list[str], database: str = "neo4j"
) -> dict[str, str]:
    """Version stamps of those of ``doc_ids`` Neo4j holds."""
    records = run_read(
        driver, database, "reading document versions", q.DOCUMENT_VERSIONS, doc_ids=doc_ids
    )
    return {r["id"]: r["version"] for r in records}


def document_ids(driver: Driver, database: str = "neo4j") -> list[str]:
    return [r["id"] for r in run_read(driver, database, "listing documents", q.DOCUMENT_IDS)]


def counts(driver: Driver, database: str = "neo4j") -> dict[str, int]:
    """Node counts per label and the number of RESPONSIBLE_FOR relationships."""
    result: dict[str, int] = {}
    for label, query in q.COUNT_LABEL.items():
        result[label] = int(run_read(driver, database, "counting nodes", query)[0]["n"])
    rel = run_read(driver, database, "counting responsibilities", q.COUNT_RESPONSIBILITIES)
    result["RESPONSIBLE_FOR"] = int(rel[0]["n"])
    return result


NodeKey = tuple[str, str]  # (label, iri)
RelKey = tuple[str, str, str, str | None, int | None]  # (type, start, end, role, rank)


def node_keys(driver: Driver, database: str = "neo4j") -> set[NodeKey]:
    """Every node as (label, iri) — a node with several labels yields several keys."""
    records = run_read(driver, database, "reading all nodes", q.ALL_NODES)
    return {(label, r["iri"]) for r in records for label in r["labels"]}


def relationship_keys(driver: Driver, database: str = "neo4j") -> set[RelKey]:
    records = run_read(driver, database, "reading all relationships", q.ALL_RELATIONSHIPS)
    return {(r["type"], r["start"], r["end"], r["role"], r["rank"]) for r in records}


def agencies_of_measure(driver: Driver, measure_iri: str, database: str = "neo4j") -> list[Row]:
    """Agencies responsible for a measure, ordered by rank (iri, id, name, role, rank)."""
    return run_read(
        driver, database, "reading agencies", q.AGENCIES_OF_MEASURE, measure_iri=measure_iri
    )
