"""One id, one document: what a load does when a document's id is already taken.

``loaders.ids.document_id`` derives an id from the document alone (发文字号, city, title).
Two different documents can still get the same one — same title and no 发文字号, series
initials that coincide — and would silently replace each other. :class:`IdRegistry` knows
who holds each id (earlier files of this load, then the RDF store) and asks
``loaders.ids.distinct_id`` whether the newcomer is the same document (it replaces the
holder, and the load says so when the holder came from another file) or another one, which
then gets the distinguishing id (re-extracted under it: this is the rare path).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from graph.prepared import Identity, PreparedDocument, prepare
from graph.rdf.store import RdfStore
from graph.rdf.terms import to_python
from loaders.ids import distinct_id
from loaders.model import Extraction
from ontology.iris import Iris

#: How many times a distinguishing id may itself be taken before the load gives up on it.
_MAX_STEPS = 4


@dataclass(frozen=True)
class Holder:
    identity: Identity
    in_store: bool  # known from the RDF store (an earlier load), not from this load


def reidentify(extraction: Extraction, doc_id: str) -> Extraction:
    """The extraction under another document id (measure ids follow)."""
    document = extraction.document.model_copy(update={"id": doc_id})
    measures = tuple(
        m.model_copy(update={"id": f"{doc_id}/measure/{m.ordinal}"}) for m in extraction.measures
    )
    return extraction.model_copy(update={"document": document, "measures": measures})


class IdRegistry:
    """Who holds which document id during one load (or one upload)."""

    def __init__(self, rdf: RdfStore) -> None:
        self._rdf = rdf
        self._iris = rdf.iris
        self._held: dict[str, Holder] = {}

    def _stored(self, doc_id: str) -> Holder | None:
        iris = self._iris
        if self._rdf.content_hash(doc_id) is None:
            return None
        graph = ox.NamedNode(str(iris.document_graph(doc_id)))
        subject = ox.NamedNode(str(iris.document(doc_id)))
        values: dict[str, object] = {}
        for name in ("docNumber", "writtenDate", "sourceName"):
            predicate = ox.NamedNode(f"{iris.ontology_ns}{name}")
            for quad in self._rdf.store.quads_for_pattern(subject, predicate, None, graph):
                values[name] = to_python(quad.object)
        written = values.get("writtenDate")
        number = values.get("docNumber")
        identity = Identity(
            doc_number=str(number) if number else None,
            written_date=written if isinstance(written, date) else None,
            source_name=str(values.get("sourceName", "")),
            text_digest="",  # the store keeps no source text
        )
        return Holder(identity, in_store=True)

    def holder(self, doc_id: str) -> Holder | None:
        held = self._held.get(doc_id)
        return held if held is not None else self._stored(doc_id)

    def resolve(self, mine: Identity, plain_id: str) -> tuple[str, Holder | None]:
        """The id this document gets, and the holder it replaces (None when it is new)."""
        doc_id = plain_id
        for _ in range(_MAX_STEPS):
            held = self.holder(doc_id)
            if held is None:
                return doc_id, None
            theirs = held.identity
            other = distinct_id(
                doc_id,
                mine.doc_number,
                mine.written_date,
                mine.text_digest,
                theirs.doc_number,
                theirs.written_date,
                same_source=mine.source_name == theirs.source_name,
                same_content=bool(theirs.text_digest) and mine.text_digest == theirs.text_digest,
            )
            if other is None:
                return doc_id, held
            doc_id = other
        return doc_id, None

    def claim(self, doc_id: str, identity: Identity) -> None:
        self._held[doc_id] = Holder(identity, in_store=False)


def resolve_prepared(
    registry: IdRegistry, prepared: PreparedDocument, source: str, iris: Iris, with_rows: bool
) -> tuple[PreparedDocument, Holder | None]:
    """The prepared document under the id it should have (re-extracted when that is not the
    plain id), and the holder it replaces."""
    doc_id, replaced = registry.resolve(prepared.identity, prepared.doc_id)
    if doc_id != prepared.doc_id:
        from loaders import extract_file

        extraction = reidentify(extract_file(Path(source)), doc_id)
        prepared = prepare(extraction, iris, with_rows)
    registry.claim(prepared.doc_id, prepared.identity)
    return prepared, replaced


def resolve_extraction(
    registry: IdRegistry, extraction: Extraction, text_digest: str
) -> tuple[Extraction, Holder | None]:
    """:func:`resolve_prepared` for an extraction in hand (uploads)."""
    doc = extraction.document
    mine = Identity(doc.doc_number, doc.written_date, doc.source_name, text_digest)
    doc_id, replaced = registry.resolve(mine, doc.id)
    if doc_id != doc.id:
        extraction = reidentify(extraction, doc_id)
    registry.claim(doc_id, mine)
    return extraction, replaced
