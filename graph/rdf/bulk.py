"""Corpus loads into the RDF store from ready-made N-Quads (built in worker processes).

``RdfStore.load_documents`` maps extractions in the calling process. For a corpus the
mapping runs beside extraction in the workers (:func:`rdf_payload`), which hand the parent
one compact :class:`RdfPayload` per document: its quads as bytes (document graph, and the
shared graph's descriptions of nodes minted from it), fingerprint and stamp.
:func:`load_payloads` then writes exactly what ``load_documents`` writes — new documents
with one ``bulk_load`` followed by their content-hash stamps in one transaction (a graph
without its stamp counts as absent), changed ones with one atomic replace update that also
collects the shared graph's garbage.

A changed document is replaced by its difference: the update deletes the triples the new
version no longer has and inserts the ones it adds (after an extractor upgrade most triples
of a document stay the same), so a reload costs about what a first load does instead of a
full drop and re-insert (bench/bench_load.py, "reload"). The write intents of a two-store
load (graph/rdf/intents.py) ride in the same transaction as their documents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph.rdf import intents as intent_store
from graph.rdf.intents import Intent
from graph.rdf.layout import GraphWrite, collect_garbage
from graph.rdf.lines import fast_split_lines
from graph.rdf.mapping import SHARED_GRAPH, GroupVocabulary, fingerprint
from graph.rdf.store import BULK_MIN_DOCUMENTS, LoadResult, RdfStore
from loaders.model import Extraction
from ontology.errors import InvalidParameter, StoreError
from ontology.iris import Iris


@dataclass(frozen=True)
class RdfPayload:
    """One document's graph, ready to load: content quads and the content-hash quad."""

    doc_id: str
    graph: str
    digest: str
    nquads: bytes  # content quads of the document graph, one per line, without the stamp
    stamp: bytes  # the ``<g> pkg:contentHash "digest" <g> .`` quad
    triples: int  # triples of the graph, the stamp included (as LoadResult counts)
    shared: bytes = b""  # quads of the shared graph describing nodes minted from the document
    shared_graph: str = ""

    def lines(self) -> list[str]:
        """The graph's N-Triples lines (stamp last), for the replace-update path."""
        suffix = f" <{self.graph}> ."
        text = (self.nquads + self.stamp).decode("utf-8")
        return [line.removesuffix(suffix) for line in text.splitlines()]

    def shared_lines(self) -> list[str]:
        """The shared graph's N-Triples lines of this document."""
        suffix = f" <{self.shared_graph}> ."
        return [line.removesuffix(suffix) for line in self.shared.decode("utf-8").splitlines()]

    def write(self) -> GraphWrite:
        """The replace-update form of this payload."""
        return GraphWrite(self.doc_id, self.graph, self.lines(), self.digest, self.shared_lines())


def rdf_payload(ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None) -> RdfPayload:
    """The payload of one extraction (pure; same lines and digest as ``RdfStore.prepare``)."""
    split = fast_split_lines(ex, iris, groups)
    lines = split.document
    graph = str(iris.document_graph(ex.document.id))
    shared_graph = str(iris.vocabulary_graph(SHARED_GRAPH))
    digest = fingerprint([*lines, *split.shared])
    suffix = f" <{graph}> .\n"
    stamp = f'<{graph}> <{iris.pkg.contentHash}> "{digest}"{suffix}'
    body = suffix.join(lines) + suffix if lines else ""
    shared_suffix = f" <{shared_graph}> .\n"
    shared = "".join(f"{line}{shared_suffix}" for line in split.shared)
    return RdfPayload(
        doc_id=ex.document.id,
        graph=graph,
        digest=digest,
        nquads=body.encode("utf-8"),
        stamp=stamp.encode("utf-8"),
        triples=len(lines) + 1,
        shared=shared.encode("utf-8"),
        shared_graph=shared_graph,
    )


def _quad_texts(store: ox.Store, graph: str) -> set[str]:
    """The graph's quads as N-Quads text without the final `` .`` (``str`` of a Quad)."""
    return {str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def _block(graph: str, quads: Sequence[str]) -> str:
    """``GRAPH <g> { … }`` from quad texts of that graph (their graph term cut off)."""
    cut = len(graph) + 3  # " <graph>"
    return f"GRAPH <{graph}> {{\n" + " .\n".join(q[:-cut] for q in quads) + " .\n}"


def _texts(data: bytes) -> list[str]:
    return [line.removesuffix(" .") for line in data.decode("utf-8").splitlines() if line]


def replace_update(
    store: ox.Store, old: Sequence[RdfPayload], iris: Iris, intents: Sequence[Intent] = ()
) -> str:
    """One update (one transaction) turning each stored graph into its payload by the
    difference, adding the shared triples the store lacks and the intents, then collecting
    the shared graph's garbage.

    Quads are compared as text, ``str(Quad)`` against the payload's lines (the same
    N-Quads form); a triple written differently on the two sides is deleted and inserted
    again in the same update, which leaves it in place.
    """
    deletes: list[str] = []
    inserts: list[str] = []
    shared_graph = old[0].shared_graph if old else ""
    shared_have = _quad_texts(store, shared_graph) if shared_graph else set()
    shared_new: dict[str, None] = {}
    for p in old:
        have = _quad_texts(store, p.graph)
        want = _texts(p.nquads + p.stamp)
        wanted = set(want)
        gone = [q for q in have if q not in wanted]
        added = [q for q in want if q not in have]
        if gone:
            deletes.append(_block(p.graph, gone))
        if added:
            inserts.append(_block(p.graph, added))
        for q in _texts(p.shared):
            if q not in shared_have:
                shared_new[q] = None
    if shared_new:
        inserts.append(_block(shared_graph, list(shared_new)))
    system = intent_store.insert_block(iris, intents)
    if system:
        inserts.append(system)
    operations = []
    if deletes:
        operations.append("DELETE DATA {\n" + "\n".join(deletes) + "\n}")
    if inserts:
        operations.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
    operations.append(collect_garbage(iris))
    return " ;\n".join(operations)


def load_payloads(
    rdf: RdfStore, payloads: Sequence[RdfPayload], intents: Mapping[str, Intent] | None = None
) -> list[LoadResult]:
    """Load payloads; unchanged documents are skipped; each document's write is atomic.

    ``intents`` (by document id) are written in the same transaction as their document,
    for the changed documents only.
    """
    seen: set[str] = set()
    for p in payloads:
        if p.doc_id in seen:
            raise InvalidParameter(f"document id {p.doc_id} appears twice in one batch")
        seen.add(p.doc_id)
    rdf.require_vocabularies()
    store = rdf.store
    iris = rdf.iris
    owed = intents or {}
    changed = [p for p in payloads if rdf.content_hash(p.doc_id) != p.digest]
    present = [store.contains_named_graph(ox.NamedNode(p.graph)) for p in changed]
    new = [p for p, here in zip(changed, present, strict=True) if not here]
    old = [p for p, here in zip(changed, present, strict=True) if here]
    new_intents = intent_store.intent_nquads(
        iris, (owed[p.doc_id] for p in new if p.doc_id in owed)
    )
    try:
        if len(new) >= BULK_MIN_DOCUMENTS:
            shared = b"".join(sorted({q for p in new for q in p.shared.splitlines(keepends=True)}))
            store.bulk_load(b"".join(p.nquads for p in new) + shared, ox.RdfFormat.N_QUADS)
            store.load(b"".join(p.stamp for p in new) + new_intents, ox.RdfFormat.N_QUADS)
        elif new:
            data = b"".join(part for p in new for part in (p.nquads, p.shared, p.stamp))
            store.load(data + new_intents, ox.RdfFormat.N_QUADS)
        if old:
            old_intents = [owed[p.doc_id] for p in old if p.doc_id in owed]
            store.update(replace_update(store, old, iris, old_intents))
    except (OSError, SyntaxError, ValueError) as exc:
        names = ", ".join(p.doc_id for p in changed)
        raise StoreError(f"RDF store write failed for {names}: {exc}") from None
    changed_ids = {p.doc_id for p in changed}
    return [LoadResult(p.doc_id, p.triples, p.doc_id in changed_ids) for p in payloads]
