"""Finish or roll back the two-store writes a crash left half done (graph/rdf/intents.py).

Run at start-up (``policykg serve``), before each write of the web service and of
``policykg load --neo4j``, and by ``policykg verify --repair``. For each pending intent:

- load, RDF store still holds what the intent wrote: when Neo4j already has the version the
  intent names it only clears the intent; else it writes the packed rows to Neo4j
  (**finished**). If Neo4j refuses the rows it puts the previous version back in the RDF
  store, or removes a document that had none (**rolled back**).
- load, RDF store holds something else (a later write won): the intent is stale; cleared.
- remove: removes the document from Neo4j, then from the RDF store with the intent.

Neo4j unreachable: the intents stay (they are tried again next time) and the error says so.
"""

from __future__ import annotations

import json
import logging
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from neo4j import Driver

from graph.neo4j import store as neo4j_store
from graph.rdf import intents as intent_store
from graph.rdf.intents import Intent
from graph.rdf.layout import collect_garbage
from graph.rdf.store import DocumentSnapshot, RdfStore
from ontology.errors import StoreError

log = logging.getLogger("policykg")
Action = Literal["finished", "rolled back", "cleared"]

_LISTS = ("documents", "chapters", "measures", "responsibilities", "targets", "uses")
_KEYED = ("agencies", "group_stubs", "groups", "programs")


@dataclass(frozen=True)
class Reconciled:
    doc_id: str
    action: Action
    why: str

    def line(self) -> str:
        return f"{self.doc_id}: {self.action} ({self.why})"


# --- packing the Neo4j rows into an intent ---------------------------------------------
def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return {"$date": value.isoformat(), "$time": isinstance(value, datetime)}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$date" in value and len(value) == 2:
            text = value["$date"]
            return datetime.fromisoformat(text) if value["$time"] else date.fromisoformat(text)
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def pack_rows(rows: neo4j_store.GraphRows) -> str:
    """A document's Neo4j rows as a compact literal (JSON, dates tagged)."""
    data: dict[str, Any] = {name: _encode(getattr(rows, name)) for name in _LISTS}
    data.update({name: _encode(list(getattr(rows, name).values())) for name in _KEYED})
    data["broader"] = _encode(list(rows.broader.values()))
    return intent_store.pack(json.dumps(data, ensure_ascii=False))


def unpack_rows(packed: str) -> neo4j_store.GraphRows:
    data = _decode(json.loads(intent_store.unpack(packed)))
    rows = neo4j_store.GraphRows()
    for name in _LISTS:
        setattr(rows, name, list(data[name]))
    for name in _KEYED:
        setattr(rows, name, {row["iri"]: row for row in data[name]})
    rows.broader = {(row["narrower"], row["broader"]): row for row in data["broader"]}
    return rows


def pack_snapshot(snapshot: DocumentSnapshot) -> str:
    """The version a write replaces ("" when the document was new)."""
    if snapshot.ntriples is None:
        return ""
    return intent_store.pack(json.dumps({"ntriples": snapshot.ntriples, "shared": snapshot.shared}))


# --- reconciling ------------------------------------------------------------------------
def remove_rdf(rdf: RdfStore, doc_id: str) -> None:
    """Drop the document graph, collect shared garbage and clear its intent, atomically."""
    graph = rdf.iris.document_graph(doc_id)
    rdf.store.update(
        f"DROP SILENT GRAPH <{graph}> ;\n{collect_garbage(rdf.iris)} ;\n"
        f"{intent_store.clear_operation(rdf.iris, [doc_id])}"
    )


def _roll_back(rdf: RdfStore, intent: Intent) -> str:
    if not intent.previous:
        remove_rdf(rdf, intent.doc_id)
        return "removed from the RDF store: it had no earlier version"
    previous = json.loads(intent_store.unpack(intent.previous))
    rdf.restore_document(DocumentSnapshot(intent.doc_id, previous["ntriples"], previous["shared"]))
    intent_store.clear(rdf.store, rdf.iris, [intent.doc_id])
    return "the RDF store has its previous version again"


def _one(rdf: RdfStore, driver: Driver, intent: Intent, database: str) -> Reconciled:
    doc_id = intent.doc_id
    if intent.operation == "remove":
        neo4j_store.remove_document(driver, doc_id, database)
        remove_rdf(rdf, doc_id)
        return Reconciled(doc_id, "finished", "removal: removed from Neo4j and the RDF store")
    if rdf.content_hash(doc_id) != intent.digest:
        intent_store.clear(rdf.store, rdf.iris, [doc_id])
        return Reconciled(doc_id, "cleared", "stale: the RDF store holds a later write")
    versions = neo4j_store.document_versions(driver, [doc_id], database)
    if versions.get(doc_id) == intent.version:
        intent_store.clear(rdf.store, rdf.iris, [doc_id])
        return Reconciled(doc_id, "cleared", "Neo4j had committed it")
    try:
        rows = unpack_rows(intent.rows)
    except (ValueError, KeyError, TypeError, zlib.error) as exc:
        return Reconciled(
            doc_id, "rolled back", f"unreadable rows ({exc}); {_roll_back(rdf, intent)}"
        )
    try:
        neo4j_store.write_rows(driver, rows, database)
    except StoreError as exc:  # Neo4j refused the rows; StoreUnavailable propagates
        return Reconciled(
            doc_id, "rolled back", f"Neo4j refused it ({exc.detail}); {_roll_back(rdf, intent)}"
        )
    intent_store.clear(rdf.store, rdf.iris, [doc_id])
    return Reconciled(doc_id, "finished", "written to Neo4j, as the RDF store has it")


def reconcile(rdf: RdfStore, driver: Driver | None, database: str = "neo4j") -> list[Reconciled]:
    """Settle every pending intent (see the module docstring); logs each one.

    Without a driver nothing is done: the intents wait for a run that has Neo4j.
    ``StoreUnavailable`` from Neo4j propagates, leaving the rest pending.
    """
    if driver is None or not intent_store.has_pending(rdf.store, rdf.iris):
        return []
    done = []
    for intent in intent_store.pending(rdf.store, rdf.iris):
        result = _one(rdf, driver, intent, database)
        log.warning("interrupted write of document %s", result.line())
        done.append(result)
    return done


def pending_ids(rdf: RdfStore) -> list[str]:
    """Documents whose two-store write is not settled."""
    return [i.doc_id for i in intent_store.pending(rdf.store, rdf.iris)]
