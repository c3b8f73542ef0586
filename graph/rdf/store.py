"""The embedded RDF store: one pyoxigraph store, one named graph per document.

Shared nodes are described once (graph/rdf/layout.py): registered agencies, target groups,
agency kinds and program types in their vocabulary graphs (every load path first makes sure
they are there), unregistered agencies and programs in the shared ``extracted`` graph.

Writes are atomic per call: new documents are added with ``Store.load`` of N-Quads (one
transaction, Rust-side parsing — the fast path; their shared quads ride along, re-adding an
existing quad is a no-op) and changed ones are replaced with a single SPARQL update
``DROP SILENT GRAPH <g> ; INSERT DATA { … } ; DELETE {shared garbage} WHERE { … }``;
pyoxigraph runs the whole update request in one storage transaction (``Store::update_opt`` →
``storage.transaction(evaluate_update)``), so readers see the old graph or the new one, never
half of it. Each graph carries ``<g> pkg:contentHash "sha256"`` (over its lines and its shared
lines); reloading identical content is detected from it and writes nothing.

Counts and the Neo4j comparison (:meth:`RdfStore.counts`, :meth:`RdfStore.node_iris`,
:meth:`RdfStore.relationships`) are graph/rdf/inventory.py, in the Neo4j schema's terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

from graph.rdf import inventory
from graph.rdf.inventory import COUNT_CLASSES as COUNT_CLASSES  # re-exported
from graph.rdf.inventory import NODE_CLASSES as NODE_CLASSES  # re-exported
from graph.rdf.inventory import Relationship as Relationship  # re-exported
from graph.rdf.layout import (
    GraphWrite,
    closure_query,
    collect_garbage,
    replace_graph_update,
    shared_graph,
    shared_triples_about,
    write_update,
)
from graph.rdf.mapping import (
    GroupVocabulary,
    fingerprint,
    nt_lines,
    split_lines,
    stored_vocabulary,
)
from graph.rdf.terms import to_python as to_python  # re-exported
from graph.rdf.terms import to_term
from loaders.model import Extraction
from ontology.errors import (
    InvalidParameter,
    NotFound,
    QuerySyntaxError,
    StoreError,
    StoreUnavailable,
)
from ontology.files import ontology_graph, vocabulary_files
from ontology.iris import Iris

#: Batches of at least this many new documents use bulk_load (content first, stamps last).
BULK_MIN_DOCUMENTS = 64


@dataclass(frozen=True)
class LoadResult:
    doc_id: str
    triples: int  # triples of the document's graph, the content-hash triple included
    changed: bool


@dataclass(frozen=True)
class DocumentSnapshot:
    """A document graph as it was (N-Triples), or ``ntriples=None`` when it was absent, and
    the shared-graph triples about the nodes it used (N-Triples)."""

    doc_id: str
    ntriples: str | None
    shared: str = ""


#: A document graph's replacement: lines incl. the content-hash triple, and its shared lines.
_Prepared = GraphWrite


def _lines(ntriples: str) -> list[str]:
    stripped = (line.strip().removesuffix(" .") for line in ntriples.splitlines())
    return [line for line in stripped if line]


def open_failure(path: Path | None, exc: Exception, *, read_only: bool) -> StoreUnavailable:
    """One line that names the store and what to do (pyoxigraph raises OSError when the
    folder is locked or unreadable, RuntimeError "Corruption: …" when its files are damaged)."""
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    if isinstance(exc, RuntimeError) or "Corruption" in reason:
        return StoreUnavailable(
            f"cannot open the RDF store at {path}: it is damaged ({reason}). Restore the "
            "folder from a backup, or move it away and rebuild it with `policykg load DIR` "
            "(`policykg serve` alone reloads only the bundled document)"
        )
    if "lock" in reason.lower() and not read_only:
        return StoreUnavailable(
            f"cannot open the RDF store at {path}: another process uses it (a running "
            "`policykg serve`?); stop it first, or use a command that only reads"
        )
    return StoreUnavailable(f"cannot open the RDF store at {path} ({reason})")


class RdfStore:
    """pyoxigraph store holding the ontology, vocabularies and one graph per document."""

    def __init__(self, store: ox.Store, iris: Iris, path: Path | None) -> None:
        self._store: ox.Store | None = store
        self.iris = iris
        self.path = path
        self._doc_graph_prefix = str(iris.document_graph(""))
        self._hash = ox.NamedNode(str(iris.pkg.contentHash))
        self._shared = ox.NamedNode(shared_graph(iris))
        self._vocabularies_checked = False
        self.read_only = False  # True from open_read_only: nothing to flush, no writes
        # Declared in the text: pyoxigraph's ``prefixes=`` argument costs ~50 µs a query.
        self._prologue = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in iris.prefixes.items()) + "\n"

    @classmethod
    def open(cls, path: Path | None, iris: Iris) -> RdfStore:
        """Open (creating if missing) a persistent store at ``path``; None = in memory."""
        try:
            if path is None:
                return cls(ox.Store(), iris, None)
            path.mkdir(parents=True, exist_ok=True)
            return cls(ox.Store(str(path)), iris, path)
        except (OSError, RuntimeError) as exc:
            raise open_failure(path, exc, read_only=False) from None

    @classmethod
    def open_read_only(cls, path: Path, iris: Iris) -> RdfStore:
        """Open an existing store for reading, also while another process (``policykg
        serve``) has it open for writing: RocksDB's read-only mode takes no LOCK and reads
        the data as of this call (later writes of the other process are not seen). Meant
        for short reads (``stats``, ``verify``); never write through it."""
        if not (path / "CURRENT").is_file():
            raise StoreUnavailable(f"{path}: there is no RDF store here (run `policykg load`)")
        try:
            opened = cls(ox.Store.read_only(str(path)), iris, path)
        except (OSError, RuntimeError) as exc:
            raise open_failure(path, exc, read_only=True) from None
        opened.read_only = True
        return opened

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            raise StoreError("the RDF store is closed")
        return self._store

    def close(self) -> None:
        if self._store is not None and self.path is not None and not self.read_only:
            self._store.flush()
        self._store = None

    def __enter__(self) -> RdfStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------ writing

    def _stored_hash(self, graph: str) -> str | None:
        g = ox.NamedNode(graph)
        for quad in self.store.quads_for_pattern(g, self._hash, None, g):
            return str(to_python(quad.object))
        return None

    def _prepare(
        self, graph: str, lines: list[str], doc_id: str = "", shared: list[str] | None = None
    ) -> _Prepared:
        digest = fingerprint([*lines, *(shared or ())])
        stamp = f'<{graph}> <{self._hash.value}> "{digest}"'
        return _Prepared(doc_id, graph, [*lines, stamp], digest, list(shared or ()))

    def prepare(self, ex: Extraction, groups: GroupVocabulary | None = None) -> _Prepared:
        """Map one extraction to its canonical lines and fingerprint (no store access)."""
        split = split_lines(ex, self.iris, groups)
        graph = str(self.iris.document_graph(ex.document.id))
        return self._prepare(graph, split.document, ex.document.id, split.shared)

    def require_vocabularies(self) -> None:
        """Make sure the vocabulary graphs are loaded (once per opened store): documents
        rely on them for the description of registered agencies and target groups."""
        if not self._vocabularies_checked:
            self.ensure_vocabularies()
            self._vocabularies_checked = True

    def _write(self, items: Sequence[_Prepared]) -> None:
        """Add new graphs with one N-Quads load, replace existing ones with one update."""
        self.require_vocabularies()
        exists = [self.store.contains_named_graph(ox.NamedNode(p.graph)) for p in items]
        new = [p for p, present in zip(items, exists, strict=True) if not present]
        old = [p for p, present in zip(items, exists, strict=True) if present]
        shared = f" <{self._shared.value}> .\n"
        try:
            if len(new) >= BULK_MIN_DOCUMENTS:
                # Transactions cost ~2x bulk_load; bulk-load the content, then stamp all
                # graphs in one transaction: a graph without its stamp counts as absent.
                data = "".join(f"{ln} <{p.graph}> .\n" for p in new for ln in p.lines[:-1])
                data += "".join(
                    f"{ln}{shared}" for ln in sorted({s for p in new for s in p.shared})
                )
                self.store.bulk_load(data.encode("utf-8"), ox.RdfFormat.N_QUADS)
                stamps = "".join(f"{p.lines[-1]} <{p.graph}> .\n" for p in new)
                self.store.load(stamps.encode("utf-8"), ox.RdfFormat.N_QUADS)
            elif new:
                data = "".join(f"{ln} <{p.graph}> .\n" for p in new for ln in p.lines)
                data += "".join(f"{ln}{shared}" for p in new for ln in p.shared)
                self.store.load(data.encode("utf-8"), ox.RdfFormat.N_QUADS)
            if old:
                self.store.update(write_update(old, self.iris))
        except (OSError, SyntaxError, ValueError) as exc:
            names = ", ".join(p.doc_id or p.graph for p in items)
            raise StoreError(f"RDF store write failed for {names}: {exc}") from None

    def load_documents(
        self, extractions: Iterable[Extraction], groups: GroupVocabulary | None = None
    ) -> list[LoadResult]:
        """Load many documents; unchanged ones are skipped. Each document's write is atomic."""
        prepared: dict[str, _Prepared] = {}
        for ex in extractions:
            if ex.document.id in prepared:
                raise InvalidParameter(
                    f"document id {ex.document.id} appears twice in one batch "
                    f"(second from {ex.document.source_name})"
                )
            prepared[ex.document.id] = self.prepare(ex, groups)
        changed = [p for p in prepared.values() if self._stored_hash(p.graph) != p.digest]
        self._write(changed)
        changed_ids = {p.doc_id for p in changed}
        return [
            LoadResult(p.doc_id, len(p.lines), p.doc_id in changed_ids) for p in prepared.values()
        ]

    def load_document(self, ex: Extraction, groups: GroupVocabulary | None = None) -> LoadResult:
        """Load or replace one document's graph; identical content changes nothing."""
        return self.load_documents([ex], groups)[0]

    def remove_document(self, doc_id: str) -> bool:
        """Drop the document's graph and, in the same transaction, the shared descriptions
        no other document uses. False if absent."""
        graph = ox.NamedNode(str(self.iris.document_graph(doc_id)))
        if not self.store.contains_named_graph(graph):
            return False
        self.store.update(f"DROP GRAPH <{graph.value}> ;\n{collect_garbage(self.iris)}")
        return True

    def ensure_vocabularies(self) -> dict[str, bool]:
        """Ontology and vocab/*.ttl into their named graphs; True where a graph was (re)written."""
        sources: list[tuple[str, str, Graph | None]] = [
            ("ontology", str(self.iris.ontology_graph), ontology_graph(self.iris))
        ]
        for name in vocabulary_files():
            graph = stored_vocabulary(name, self.iris)
            sources.append((name, str(self.iris.vocabulary_graph(name)), graph))
        result: dict[str, bool] = {}
        for name, graph_iri, graph in sources:
            if graph is None:
                continue
            if any(isinstance(term, BNode) for triple in graph for term in triple):
                graph = to_canonical_graph(graph)
            prepared = self._prepare(graph_iri, nt_lines(graph), name)
            result[name] = self._stored_hash(graph_iri) != prepared.digest
            if result[name]:
                self.store.update(replace_graph_update(graph_iri, prepared.lines))
        return result

    # ------------------------------------------------------------ snapshots

    def snapshot_document(self, doc_id: str) -> DocumentSnapshot:
        """The document's graph as it is now, and the shared triples about the nodes it
        uses, to undo a later load."""
        graph = ox.NamedNode(str(self.iris.document_graph(doc_id)))
        if not self.store.contains_named_graph(graph):
            return DocumentSnapshot(doc_id, None)
        data = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        shared = shared_triples_about(self.store, graph, self._shared)
        return DocumentSnapshot(doc_id, (data or b"").decode("utf-8"), shared)

    def restore_document(self, snapshot: DocumentSnapshot) -> None:
        """Put the graph and its shared triples back as snapshotted (removing the graph if it
        was absent), then collect shared garbage, atomically."""
        if snapshot.ntriples is None:
            self.remove_document(snapshot.doc_id)
            return
        graph = str(self.iris.document_graph(snapshot.doc_id))
        item = _Prepared(
            snapshot.doc_id, graph, _lines(snapshot.ntriples), "", _lines(snapshot.shared)
        )
        self.store.update(write_update([item], self.iris))

    # ------------------------------------------------------------ reading

    def document_ids(self) -> list[str]:
        """Ids of the documents loaded completely (their graph carries its content hash)."""
        prefix = self._doc_graph_prefix
        return sorted(
            unquote(q.subject.value[len(prefix) :])
            for q in self.store.quads_for_pattern(None, self._hash, None, None)
            if isinstance(q.subject, ox.NamedNode)
            and q.subject.value.startswith(prefix)
            and q.graph_name == q.subject
        )

    def has_document(self, doc_id: str) -> bool:
        return self.content_hash(doc_id) is not None

    def content_hash(self, doc_id: str) -> str | None:
        """The stored fingerprint of a document (None when absent)."""
        return self._stored_hash(str(self.iris.document_graph(doc_id)))

    def query(self, query: str, **bindings: Any) -> ox.QuerySolutions | ox.QueryBoolean | Any:
        """Run SPARQL over the union of all graphs with ``iris.prefixes`` predeclared.

        ``bindings`` (str → literal, URIRef → IRI, int, bool, date) are joined in with a
        trailing ``VALUES`` clause, so values are never spliced into the query text.
        """
        if bindings:
            names = " ".join(f"?{name}" for name in bindings)
            terms = " ".join(str(to_term(v)) for v in bindings.values())
            query = f"{query}\nVALUES ({names}) {{ ({terms}) }}"
        try:
            return self.store.query(self._prologue + query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            where = re.sub(r"^error at (\d+):", lambda m: f"error at {int(m[1]) - 1}:", str(exc))
            raise QuerySyntaxError(f"SPARQL: {where}") from None

    def select(self, query: str, **bindings: Any) -> list[dict[str, Any]]:
        """Rows of a SELECT as dicts of Python values (unbound variables are None)."""
        result = self.query(query, **bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise InvalidParameter("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: to_python(row[n]) for n in names} for row in result]

    def counts(self) -> dict[str, int]:
        """Distinct instances per kind used by documents, and all quads in the store."""
        return {**inventory.counts(self), "triples": len(self.store)}

    def document_graph(self, doc_id: str) -> Graph:
        """One document's graph plus the descriptions of the shared nodes it uses, in the
        mapping's form (plain literals), as rdflib — for SHACL, which needs both."""
        graph_iri = ox.NamedNode(str(self.iris.document_graph(doc_id)))
        if not self.store.contains_named_graph(graph_iri):
            raise NotFound(f"document {doc_id} is not in the RDF store")
        triples = self.query(closure_query(self.iris, doc_id))
        if not isinstance(triples, ox.QueryTriples):
            raise StoreError("the closure query did not return triples")
        data = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
        graph = Graph()
        for prefix, namespace in self.iris.prefixes.items():
            graph.bind(prefix, namespace, override=True)
        return graph.parse(data=data, format="nt")

    def node_iris(self, doc_id: str | None = None) -> dict[str, set[str]]:
        """IRIs of the nodes Neo4j should hold, by Neo4j label."""
        return inventory.node_iris(self, doc_id)

    def relationships(self, doc_id: str | None = None) -> set[Relationship]:
        """Relationships Neo4j should hold, as ``(src, type, dst, role, rank)``."""
        return inventory.relationships(self, doc_id)


__all__ = ["DocumentSnapshot", "LoadResult", "RdfStore", "Relationship"]
