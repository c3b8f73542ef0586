"""Write intents: what a two-store write still owes Neo4j, kept in the RDF store itself.

A load writes the RDF store first and Neo4j second; a process killed in between would leave
a document that REST and SPARQL see and Cypher does not, with nothing to tell. So the RDF
transaction that writes a document also writes its intent — triples about the document
graph in the system graph :func:`system_graph`: the version Neo4j must end up with, the
RDF content hash the write left, the Neo4j rows that finish the job (packed) and, when the
document replaced an older version, that version's N-Triples (packed) to roll back to.
A removal records its intent before Neo4j is touched. graph/reconcile.py clears an intent
once Neo4j has committed, and finishes or rolls back the ones a crash left behind.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox

from ontology.iris import Iris

Operation = Literal["load", "remove"]
_FIELDS = ("operation", "document", "version", "digest", "rows", "previous")


@dataclass(frozen=True)
class Intent:
    """One pending two-store write of a document."""

    doc_id: str
    operation: Operation
    version: str = ""  # the Neo4j version stamp the document must end up with
    digest: str = ""  # the RDF content hash the write left
    rows: str = ""  # packed Neo4j rows (graph/reconcile.py packs them)
    previous: str = ""  # packed N-Triples of the version replaced ("" = none)


def system_graph(iris: Iris) -> str:
    """The named graph of policykg's own bookkeeping (not a document or vocabulary graph)."""
    return f"{iris.base}/id/graph/system/pending"


def _predicate(iris: Iris, name: str) -> str:
    return f"{iris.ontology_ns}pending{name[0].upper()}{name[1:]}"


def pack(text: str) -> str:
    """Compressed, base64 text: keeps a document's rows a small literal."""
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")


def unpack(packed: str) -> str:
    return zlib.decompress(base64.b64decode(packed)).decode("utf-8")


def _literal(text: str) -> str:
    return ox.Literal(text).__str__()


def intent_lines(iris: Iris, intent: Intent) -> list[str]:
    """The intent as N-Triples lines (without the final `` .``) for the system graph."""
    subject = f"<{iris.document_graph(intent.doc_id)}>"
    values = {
        "operation": intent.operation,
        "document": intent.doc_id,
        "version": intent.version,
        "digest": intent.digest,
        "rows": intent.rows,
        "previous": intent.previous,
    }
    return [
        f"{subject} <{_predicate(iris, name)}> {_literal(value)}"
        for name, value in values.items()
        if value
    ]


def intent_nquads(iris: Iris, intents: Iterable[Intent]) -> bytes:
    """N-Quads of intents, to ride in the same ``Store.load`` as their documents."""
    graph = f" <{system_graph(iris)}> .\n"
    return "".join(line + graph for i in intents for line in intent_lines(iris, i)).encode()


def insert_block(iris: Iris, intents: Sequence[Intent]) -> str:
    """A ``GRAPH <system> { … }`` block for an ``INSERT DATA`` (empty when no intents)."""
    lines = [line for i in intents for line in intent_lines(iris, i)]
    if not lines:
        return ""
    return f"GRAPH <{system_graph(iris)}> {{\n" + " .\n".join(lines) + " .\n}"


def clear_operation(iris: Iris, doc_ids: Iterable[str]) -> str:
    """Update operation deleting the intents of ``doc_ids`` (to join another update)."""
    values = " ".join(f"<{iris.document_graph(d)}>" for d in doc_ids)
    graph = system_graph(iris)
    return (
        f"DELETE {{ GRAPH <{graph}> {{ ?g ?p ?o }} }} WHERE {{ VALUES ?g {{ {values} }} "
        f"GRAPH <{graph}> {{ ?g ?p ?o }} }}"
    )


def clear(store: ox.Store, iris: Iris, doc_ids: Sequence[str]) -> None:
    """Delete the intents of ``doc_ids`` (one transaction)."""
    if doc_ids:
        store.update(clear_operation(iris, doc_ids))


def pending(store: ox.Store, iris: Iris) -> list[Intent]:
    """The intents in the store, by document id."""
    graph = ox.NamedNode(system_graph(iris))
    names = {_predicate(iris, name): name for name in _FIELDS}
    found: dict[str, dict[str, str]] = {}
    for quad in store.quads_for_pattern(None, None, None, graph):
        name = names.get(quad.predicate.value)
        subject = quad.subject
        if (
            name is not None
            and isinstance(quad.object, ox.Literal)
            and isinstance(subject, ox.NamedNode)
        ):
            found.setdefault(subject.value, {})[name] = quad.object.value
    intents = []
    for fields in found.values():
        operation = fields.get("operation")
        if operation not in ("load", "remove") or "document" not in fields:
            continue
        intents.append(
            Intent(
                doc_id=fields["document"],
                operation="load" if operation == "load" else "remove",
                version=fields.get("version", ""),
                digest=fields.get("digest", ""),
                rows=fields.get("rows", ""),
                previous=fields.get("previous", ""),
            )
        )
    return sorted(intents, key=lambda i: i.doc_id)


def has_pending(store: ox.Store, iris: Iris) -> bool:
    """Whether any intent waits (cheap: one pattern lookup)."""
    graph = ox.NamedNode(system_graph(iris))
    return any(True for _ in store.quads_for_pattern(None, None, None, graph))
