"""Corpus loads into the RDF store from ready-made N-Quads (built in worker processes).

``RdfStore.load_documents`` maps extractions in the calling process. For a corpus the
mapping runs beside extraction in the workers (:func:`rdf_payload`), which hand the parent
one compact :class:`RdfPayload` per document: its quads as bytes, fingerprint and stamp.
:func:`load_payloads` then writes exactly what ``load_documents`` writes — new documents
with one ``bulk_load`` followed by their content-hash stamps in one transaction (a graph
without its stamp counts as absent), changed ones with one atomic replace update.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph.rdf import GroupVocabulary, fingerprint
from graph.rdf_lines import fast_extraction_lines
from graph.rdf_store import (
    BULK_MIN_DOCUMENTS,
    LoadResult,
    RdfStore,
    _Prepared,
    _replace_update,
)
from loaders.model import Extraction
from ontology.errors import InvalidParameter, StoreError
from ontology.iris import Iris


@dataclass(frozen=True)
class RdfPayload:
    """One document's graph, ready to load: content quads and the content-hash quad."""

    doc_id: str
    graph: str
    digest: str
    nquads: bytes  # content quads, one per line, without the stamp
    stamp: bytes  # the ``<g> pkg:contentHash "digest" <g> .`` quad
    triples: int  # triples of the graph, the stamp included (as LoadResult counts)

    def lines(self) -> list[str]:
        """The graph's N-Triples lines (stamp last), for the replace-update path."""
        suffix = f" <{self.graph}> ."
        text = (self.nquads + self.stamp).decode("utf-8")
        return [line.removesuffix(suffix) for line in text.splitlines()]


def rdf_payload(ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None) -> RdfPayload:
    """The payload of one extraction (pure; same lines and digest as ``RdfStore.prepare``)."""
    lines = fast_extraction_lines(ex, iris, groups)
    graph = str(iris.document_graph(ex.document.id))
    digest = fingerprint(lines)
    suffix = f" <{graph}> .\n"
    stamp = f'<{graph}> <{iris.pkg.contentHash}> "{digest}"{suffix}'
    body = suffix.join(lines) + suffix if lines else ""
    return RdfPayload(
        doc_id=ex.document.id,
        graph=graph,
        digest=digest,
        nquads=body.encode("utf-8"),
        stamp=stamp.encode("utf-8"),
        triples=len(lines) + 1,
    )


def load_payloads(rdf: RdfStore, payloads: Sequence[RdfPayload]) -> list[LoadResult]:
    """Load payloads; unchanged documents are skipped; each document's write is atomic."""
    seen: set[str] = set()
    for p in payloads:
        if p.doc_id in seen:
            raise InvalidParameter(f"document id {p.doc_id} appears twice in one batch")
        seen.add(p.doc_id)
    store = rdf.store
    changed = [p for p in payloads if rdf.content_hash(p.doc_id) != p.digest]
    present = [store.contains_named_graph(ox.NamedNode(p.graph)) for p in changed]
    new = [p for p, here in zip(changed, present, strict=True) if not here]
    old = [p for p, here in zip(changed, present, strict=True) if here]
    try:
        if len(new) >= BULK_MIN_DOCUMENTS:
            store.bulk_load(b"".join(p.nquads for p in new), ox.RdfFormat.N_QUADS)
            store.load(b"".join(p.stamp for p in new), ox.RdfFormat.N_QUADS)
        elif new:
            data = b"".join(part for p in new for part in (p.nquads, p.stamp))
            store.load(data, ox.RdfFormat.N_QUADS)
        if old:
            store.update(
                _replace_update([_Prepared(p.doc_id, p.graph, p.lines(), p.digest) for p in old])
            )
    except (OSError, SyntaxError, ValueError) as exc:
        names = ", ".join(p.doc_id for p in changed)
        raise StoreError(f"RDF store write failed for {names}: {exc}") from None
    changed_ids = {p.doc_id for p in changed}
    return [LoadResult(p.doc_id, p.triples, p.doc_id in changed_ids) for p in payloads]
