"""Write extractions to Neo4j and read them back; every function takes the driver.

Writes are batched (``UNWIND $rows``) and a call runs in ONE explicit transaction, so a
failure — including the server going away mid-write — leaves nothing half-written. No
automatic retry: the caller (graph.pipeline) decides, and rolls back the RDF side too.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction, Transaction
from neo4j.exceptions import (
    AuthError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph import cypher_queries as q
from graph.rdf import EMPTY_GROUPS, GroupVocabulary, group_vocabulary
from loaders.model import Extraction
from ontology.errors import PolicyKGError, StoreError, StoreUnavailable
from ontology.iris import Iris

#: Rows per UNWIND statement; bounds one Bolt message, not the transaction.
CHUNK = 5_000
T = TypeVar("T")
Row = dict[str, Any]
_schema_ready: weakref.WeakSet[Driver] = weakref.WeakSet()

START_HINT = "start one with `policykg neo4j start` or set NEO4J_URI"


@dataclass
class GraphRows:
    """The parameter rows of a batch of documents, shared nodes de-duplicated by IRI."""

    documents: list[Row] = field(default_factory=list)
    chapters: list[Row] = field(default_factory=list)
    measures: list[Row] = field(default_factory=list)
    agencies: dict[str, Row] = field(default_factory=dict)
    group_stubs: dict[str, Row] = field(default_factory=dict)
    groups: dict[str, Row] = field(default_factory=dict)
    programs: dict[str, Row] = field(default_factory=dict)
    broader: dict[tuple[str, str], Row] = field(default_factory=dict)
    responsibilities: list[Row] = field(default_factory=list)
    targets: list[Row] = field(default_factory=list)
    uses: list[Row] = field(default_factory=list)

    def statements(self) -> list[tuple[str, list[Row]]]:
        """(query, rows) in dependency order: nodes before the relationships using them."""
        return [
            (q.MERGE_DOCUMENTS, self.documents),
            (q.MERGE_CHAPTERS, self.chapters),
            (q.MERGE_MEASURES, self.measures),
            (q.MERGE_AGENCIES, list(self.agencies.values())),
            (q.MERGE_GROUP_STUBS, list(self.group_stubs.values())),
            (q.MERGE_GROUPS, list(self.groups.values())),
            (q.MERGE_PROGRAMS, list(self.programs.values())),
            (q.MERGE_BROADER, list(self.broader.values())),
            (q.CREATE_RESPONSIBILITIES, self.responsibilities),
            (q.CREATE_TARGETS, self.targets),
            (q.CREATE_USES, self.uses),
        ]

    def row_count(self) -> int:
        return sum(len(rows) for _, rows in self.statements())

    def extend(self, other: GraphRows) -> None:
        """Append another document's rows exactly as ``add_rows`` would have (parent side of
        worker-built rows): lists concatenate, agencies/groups/broader latest wins, programs
        and group stubs first wins."""
        self.documents += other.documents
        self.chapters += other.chapters
        self.measures += other.measures
        self.responsibilities += other.responsibilities
        self.targets += other.targets
        self.uses += other.uses
        self.agencies.update(other.agencies)
        self.groups.update(other.groups)
        self.broader.update(other.broader)
        for mine, theirs in (
            (self.programs, other.programs),
            (self.group_stubs, other.group_stubs),
        ):
            for key, row in theirs.items():
                mine.setdefault(key, row)


def add_rows(
    rows: GraphRows,
    extraction: Extraction,
    iris: Iris,
    version: str,
    vocab: GroupVocabulary = EMPTY_GROUPS,
) -> None:
    """Append one document's nodes and relationships (pure; no I/O)."""
    meta = extraction.document
    doc_id = meta.id
    doc_iri = str(iris.document(doc_id))
    rows.documents.append(
        {
            "iri": doc_iri,
            "id": doc_id,
            "name": meta.title,
            "title": meta.title,
            "doc_number": meta.doc_number,
            "issuer": meta.issuer,
            "publisher": meta.publisher,
            "index_number": meta.index_number,
            "written_date": meta.written_date,
            "published_date": meta.published_date,
            "effective_date": meta.effective_date,
            "addressees": list(meta.addressees),
            "contact_unit": meta.contact_unit,
            "contact_phone": meta.contact_phone,
            "measures_title": meta.measures_title,
            "jurisdiction": meta.jurisdiction,
            "source_name": meta.source_name,
            "version": version,
        }
    )
    for chapter in extraction.chapters:
        iri = str(iris.chapter(doc_id, chapter.ordinal))
        rows.chapters.append(
            {
                "iri": iri,
                "document_iri": doc_iri,
                "props": {
                    "iri": iri,
                    "id": f"{doc_id}/chapter/{chapter.ordinal}",
                    "name": chapter.title,
                    "title": chapter.title,
                    "ordinal": chapter.ordinal,
                    "document": doc_id,
                },
            }
        )
    for measure in extraction.measures:
        m_iri = str(iris.measure(doc_id, measure.ordinal))
        rows.measures.append(
            {
                "iri": m_iri,
                "chapter_iri": str(iris.chapter(doc_id, measure.chapter)),
                "props": {
                    "iri": m_iri,
                    "id": measure.id,
                    "name": measure.title,
                    "title": measure.title,
                    "text": measure.text,
                    "ordinal": measure.ordinal,
                    "chapter": measure.chapter,
                    "document": doc_id,
                },
            }
        )
        for agency in measure.agencies:
            a_iri = str(iris.agency(agency.id))
            rows.agencies[a_iri] = {
                "iri": a_iri,
                "id": agency.id,
                "name": agency.canonical_name,
                "canonical_name": agency.canonical_name,
                "kind": agency.kind,
                "jurisdiction": agency.jurisdiction,
                "registered": agency.registered,
            }
            rows.responsibilities.append(
                {
                    "agency": a_iri,
                    "measure": m_iri,
                    "role": agency.role,
                    "rank": agency.rank,
                    "as_written": agency.name,
                }
            )
        for group in measure.target_groups:
            rows.targets.append({"measure": m_iri, "group": str(iris.target_group(group.id))})
        for program in measure.programs:
            p_iri = str(iris.program(program.id))
            rows.programs.setdefault(
                p_iri,
                {
                    "iri": p_iri,
                    "id": program.id,
                    "name": program.name,
                    "type": program.type,
                },
            )
            rows.uses.append({"measure": m_iri, "program": p_iri})
    _add_groups(rows, extraction, iris, vocab)


def _add_groups(
    rows: GraphRows, extraction: Extraction, iris: Iris, vocab: GroupVocabulary
) -> None:
    """Targeted groups and their broader chain, exactly as graph.rdf describes them."""
    refs = {g.id: g for m in extraction.measures for g in m.target_groups}
    for gid in [*refs, *vocab.chain(refs)]:
        ref = refs.get(gid)
        g_iri = str(iris.target_group(gid))
        label = ref.label if ref is not None else vocab.labels.get(gid, gid)
        rows.groups[g_iri] = {"iri": g_iri, "id": gid, "name": label}
        parents = (ref.broader if ref is not None else ()) + vocab.broader.get(gid, ())
        for parent in dict.fromkeys(parents):
            b_iri = str(iris.target_group(parent))
            if parent not in refs and parent not in vocab.labels:
                rows.group_stubs.setdefault(b_iri, {"iri": b_iri, "id": parent})
            rows.broader[(g_iri, b_iri)] = {"narrower": g_iri, "broader": b_iri}


def build_rows(
    batch: Iterable[tuple[Extraction, str]], iris: Iris, vocab: GroupVocabulary | None = None
) -> GraphRows:
    """Rows of (extraction, version) pairs; a later duplicate document id wins.

    ``vocab`` defaults to the target-group vocabulary graph.rdf uses, so both stores
    describe the same broader chain.
    """
    latest = {extraction.document.id: (extraction, version) for extraction, version in batch}
    rows = GraphRows()
    vocab = group_vocabulary(iris) if vocab is None else vocab
    for extraction, version in latest.values():
        add_rows(rows, extraction, iris, version, vocab)
    return rows


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
        with driver.session(database=database) as session:
            tx = session.begin_transaction()
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
    """A read query's records as dicts (errors translated; no retry)."""
    try:
        with driver.session(database=database) as session:
            return list(session.execute_read(_read_all, query, params))
    except (Neo4jError, DriverError, OSError) as exc:
        raise _translate(exc, what) from exc


def _read_all(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> list[Row]:
    return [record.data() for record in tx.run(query, params)]


def ensure_schema(driver: Driver, database: str) -> None:
    """Create the iri constraints and indexes once per driver (``IF NOT EXISTS``)."""
    if driver in _schema_ready:
        return
    try:
        with driver.session(database=database) as session:
            for statement in (*q.CONSTRAINTS, *q.INDEXES, q.AWAIT_INDEXES):
                session.run(statement).consume()
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
