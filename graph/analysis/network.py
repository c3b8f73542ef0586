"""The accountability network as a networkx graph: the one input of every coordination analysis.

The graph is an ``nx.MultiDiGraph`` whose nodes are IRIs (``str``) with attributes

* every node: ``kind`` ∈ {document, chapter, measure, agency, group, program}, ``label``;
* document: ``doc_id``;
* chapter: ``ordinal``, ``document`` (document IRI);
* measure: ``ordinal``, ``chapter`` (chapter IRI), ``chapter_ordinal``, ``document`` (document
  IRI), ``title``;
* agency: ``kind_of_agency`` (e.g. ``government_department``), ``registered`` (bool),
  ``function`` (its label, 人力资源社会保障), ``function_iri`` (graph.analysis.by_function
  groups by it) and ``level`` (city ...), None when unknown;
* group: ``group_id``; program: ``program_type``.

Edges (``key`` is the edge type, so the graph never holds the same typed edge twice):

* agency → measure ``type="responsible_for"``, ``role`` ∈ {lead, support, shared, sole},
  ``rank`` (1-based position in the responsibility clause), ``written`` (the name as written);
* measure → group ``type="targets"``; measure → program ``type="uses"``;
* group → group ``type="broader"`` (narrower → broader, as ``skos:broader``);
* measure → chapter and chapter → document ``type="part_of"``.

:func:`build_network` reads it from the RDF store by triple patterns, one scan per predicate;
:func:`network_from_extractions` builds the same graph straight from extraction objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol
from urllib.parse import unquote

import networkx as nx
import pyoxigraph as ox

from graph.rdf.mapping import group_vocabulary
from loaders.model import Extraction
from ontology.errors import InvalidParameter, NotFound
from ontology.iris import Iris

KINDS: tuple[str, ...] = ("document", "chapter", "measure", "agency", "group", "program")


class SelectStore(Protocol):
    """What this module needs of ``graph.rdf.store.RdfStore``."""

    iris: Iris

    @property
    def store(self) -> ox.Store: ...

    def select(self, query: str, **bindings: Any) -> list[dict[str, Any]]: ...


def measure_sort_key(graph: nx.MultiDiGraph, node: str) -> tuple[str, int, str]:
    """Document order: by document IRI, then ordinal (so corpus output is stable)."""
    data = graph.nodes[node]
    return (str(data.get("document", "")), int(data.get("ordinal", 0)), node)


def nodes_of_kind(graph: nx.MultiDiGraph, kind: str) -> list[str]:
    """Nodes of one kind in a deterministic order (measures in document order, others by label)."""
    nodes = [n for n, d in graph.nodes(data=True) if d.get("kind") == kind]
    if kind == "measure":
        return sorted(nodes, key=lambda n: measure_sort_key(graph, n))
    return sorted(nodes, key=lambda n: (str(graph.nodes[n].get("label", "")), n))


def responsibilities(graph: nx.MultiDiGraph, measure: str) -> list[tuple[str, str, int]]:
    """``(agency, role, rank)`` of one measure, in rank order."""
    rows = [
        (src, str(d["role"]), int(d["rank"]))
        for src, _dst, d in graph.in_edges(measure, data=True)
        if d.get("type") == "responsible_for"
    ]
    return sorted(rows, key=lambda r: (r[2], r[0]))


def successors_of_type(graph: nx.MultiDiGraph, node: str, edge_type: str) -> list[str]:
    """Targets of ``node``'s out-edges of one type, sorted by label then IRI."""
    found = {dst for _s, dst, d in graph.out_edges(node, data=True) if d.get("type") == edge_type}
    return sorted(found, key=lambda n: (str(graph.nodes[n].get("label", "")), n))


# --------------------------------------------------------------------------- assembling
class _Builder:
    """Collects nodes, label candidates and edges; the smallest label wins (stable for corpora)."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()
        self.labels: dict[str, set[str]] = {}

    def node(self, iri: str, label: str | None, **attrs: Any) -> None:
        if iri in self.graph:
            self.graph.nodes[iri].update(attrs)
        else:
            self.graph.add_node(iri, **attrs)
        if label:
            self.labels.setdefault(iri, set()).add(label)

    def edge(self, src: str, dst: str, edge_type: str, **attrs: Any) -> None:
        self.graph.add_edge(src, dst, key=edge_type, type=edge_type, **attrs)

    def finish(self) -> nx.MultiDiGraph:
        for iri, data in self.graph.nodes(data=True):
            candidates = self.labels.get(iri)
            data["label"] = min(candidates) if candidates else data.get("label", "")
        return self.graph


# --------------------------------------------------------------------------- from extractions
def network_from_extractions(
    extractions: Iterable[Extraction],
    iris: Iris,
    document: str | None = None,
    chapter: int | None = None,
) -> nx.MultiDiGraph:
    """The network of the given extractions (same filters and result as :func:`build_network`).

    Group labels and the broader chain follow graph/rdf/mapping.py: the extraction's own label for a
    named group, the ``target_groups`` vocabulary for the groups above it.
    """
    check_filters(document, chapter)
    vocab = group_vocabulary(iris)
    b = _Builder()
    seen_doc = False
    for ex in extractions:
        doc = ex.document
        if document is not None and doc.id != document:
            continue
        seen_doc = True
        doc_iri = str(iris.document(doc.id))
        b.node(doc_iri, doc.title, kind="document", doc_id=doc.id)
        chapter_titles = {c.ordinal: c.title for c in ex.chapters}
        kept = [m for m in ex.measures if chapter is None or m.chapter == chapter]
        first_program: dict[str, str] = {}
        for m in ex.measures:  # the first mention in the whole document names a program
            for p in m.programs:
                first_program.setdefault(p.id, p.name)
        for m in kept:
            ch_iri = str(iris.chapter(doc.id, m.chapter))
            b.node(
                ch_iri,
                chapter_titles.get(m.chapter),
                kind="chapter",
                ordinal=m.chapter,
                document=doc_iri,
            )
            b.edge(ch_iri, doc_iri, "part_of")
            m_iri = str(iris.measure(doc.id, m.ordinal))
            b.node(
                m_iri,
                m.title,
                kind="measure",
                title=m.title,
                ordinal=m.ordinal,
                chapter=ch_iri,
                chapter_ordinal=m.chapter,
                document=doc_iri,
            )
            b.edge(m_iri, ch_iri, "part_of")
            for a in m.agencies:
                a_iri = str(iris.agency(a.id))
                b.node(
                    a_iri,
                    a.canonical_name,
                    kind="agency",
                    kind_of_agency=a.kind,
                    registered=a.registered,
                    function=a.function.label if a.function is not None else None,
                    function_iri=str(iris.function(a.function.id)) if a.function else None,
                    level=a.level,
                )
                b.edge(a_iri, m_iri, "responsible_for", role=a.role, rank=a.rank, written=a.name)
            for p in m.programs:
                p_iri = str(iris.program(p.id))
                b.node(p_iri, first_program[p.id], kind="program", program_type=p.type)
                b.edge(m_iri, p_iri, "uses")
        refs = {g.id: g for m in kept for g in m.target_groups}
        for m in kept:
            for g in m.target_groups:
                b.edge(
                    str(iris.measure(doc.id, m.ordinal)), str(iris.target_group(g.id)), "targets"
                )
        for gid in [*refs, *vocab.chain(refs)]:
            ref = refs.get(gid)
            label = ref.label if ref is not None else vocab.labels.get(gid, gid)
            b.node(str(iris.target_group(gid)), label, kind="group", group_id=gid)
            parents = (ref.broader if ref is not None else ()) + vocab.broader.get(gid, ())
            for parent in dict.fromkeys(parents):
                p_iri = str(iris.target_group(parent))
                if parent not in refs and parent not in vocab.labels:
                    b.node(p_iri, parent, kind="group", group_id=parent)
                b.edge(str(iris.target_group(gid)), p_iri, "broader")
    if document is not None and not seen_doc:
        raise NotFound(f"document {document!r} is not loaded")
    return b.finish()


# --------------------------------------------------------------------------- from the store
def check_filters(document: str | None, chapter: int | None) -> None:
    """Refuse filters that no store could answer (before anything is read)."""
    if chapter is not None and document is None:
        raise InvalidParameter(
            "chapter: a chapter filter needs a document (chapter numbers are per document)"
        )
    if chapter is not None and chapter < 1:
        raise InvalidParameter(f"chapter: must be 1 or more, got {chapter}")


def _local(value: Any, prefix: str) -> str:
    text = str(value)
    return unquote(text[len(prefix) :]) if text.startswith(prefix) else text


class _Quads:
    """Triple-pattern reads on the pyoxigraph store (one index scan per predicate: a SPARQL
    join over the corpus took 6-60 s at 1,000 documents where this takes a few seconds)."""

    def __init__(self, store: SelectStore, graph: str | None) -> None:
        self.store = store.store
        self.graph = ox.NamedNode(graph) if graph is not None else None
        self.ns = store.iris.ontology_ns

    def pairs(self, predicate: str, own: bool = True) -> Iterator[tuple[str, Any]]:
        """(subject, object) of one predicate, in the document's graph when ``own`` and one
        document is selected, else in every graph."""
        graph = self.graph if own else None
        for q in self.store.quads_for_pattern(None, ox.NamedNode(predicate), None, graph):
            yield str(getattr(q.subject, "value", q.subject)), q.object

    def values(self, subject: str, predicate: str) -> list[Any]:
        """Objects of one subject's predicate in any graph (shared descriptions)."""
        node, pred = ox.NamedNode(subject), ox.NamedNode(predicate)
        return [q.object for q in self.store.quads_for_pattern(node, pred, None, None)]

    def plain_labels(self, subject: str) -> list[str | None]:
        """``rdfs:label`` values without a language tag (vocabularies add @zh/@en ones), or
        ``[None]`` when there is none (the node is added all the same)."""
        labels = self.values(subject, _RDFS_LABEL)
        found = [t.value for t in labels if isinstance(t, ox.Literal) and not t.language]
        return [*found] or [None]


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_TITLE = "http://purl.org/dc/terms/title"
_BROADER = "http://www.w3.org/2004/02/skos/core#broader"


def build_network(
    store: SelectStore, document: str | None = None, chapter: int | None = None
) -> nx.MultiDiGraph:
    """Read the network of one document (or the whole corpus) from the RDF store."""
    check_filters(document, chapter)
    iris = store.iris
    graph = None
    if document is not None:
        doc_iri = iris.document(document)
        pre = iris.sparql_prefixes()
        if not store.select(pre + f"SELECT ?t WHERE {{ <{doc_iri}> a ?t }} LIMIT 1"):
            raise NotFound(f"document {document!r} is not loaded")
        graph = str(iris.document_graph(document))
    quads = _Quads(store, graph)
    ns = iris.ontology_ns
    measure_class = ns + "Measure"
    measures = {m for m, t in quads.pairs(_RDF_TYPE) if t.value == measure_class}
    ordinal = {s: int(o.value) for s, o in quads.pairs(ns + "ordinal")}
    titles: dict[str, set[str | None]] = {}
    for s, o in quads.pairs(_TITLE):
        titles.setdefault(s, set()).add(o.value)
    in_chapter = {m: o.value for m, o in quads.pairs(ns + "inChapter") if m in measures}
    in_document = {m: o.value for m, o in quads.pairs(ns + "inDocument") if m in measures}
    kept = sorted(
        m
        for m in measures
        if m in ordinal and m in in_document and in_chapter.get(m) in ordinal
        and (chapter is None or ordinal[in_chapter[m]] == int(chapter))
    )  # fmt: skip
    b = _Builder()
    doc_prefix = str(iris.document(""))
    for m in kept:
        d, c = in_document[m], in_chapter[m]
        for label in titles.get(d) or {None}:
            b.node(d, label, kind="document", doc_id=_local(d, doc_prefix))
        for label in titles.get(c) or {None}:
            b.node(c, label, kind="chapter", ordinal=ordinal[c], document=d)
        b.edge(c, d, "part_of")
        title = min(str(t) for t in titles.get(m) or {""})
        b.node(
            m,
            title,
            kind="measure",
            title=title,
            ordinal=ordinal[m],
            chapter=c,
            chapter_ordinal=ordinal[c],
            document=d,
        )
        b.edge(m, c, "part_of")
    selected = set(kept)
    _add_agencies(quads, b, selected, iris)
    _add_groups_and_programs(quads, b, selected, iris)
    return b.finish()


def _add_agencies(quads: _Quads, b: _Builder, measures: set[str], iris: Iris) -> None:
    ns = iris.ontology_ns
    duty = {r: m for m, r in ((m, o.value) for m, o in quads.pairs(ns + "responsibility"))
            if m in measures}  # fmt: skip
    agency = {r: o.value for r, o in quads.pairs(ns + "agency") if r in duty}
    role = {r: o.value for r, o in quads.pairs(ns + "role") if r in duty}
    rank = {r: int(o.value) for r, o in quads.pairs(ns + "rank") if r in duty}
    written = {r: str(o.value) for r, o in quads.pairs(ns + "asWritten") if r in duty}
    kind_prefix = str(iris.agency_kind(""))
    for a in sorted(set(agency.values())):
        kinds = quads.values(a, ns + "agencyKind")
        registered = [t.value in ("true", "1") for t in quads.values(a, ns + "registered")]
        functions = [quads.plain_labels(f.value)[0] for f in quads.values(a, ns + "function")]
        levels = [_local(t.value, ns) for t in quads.values(a, ns + "level")]
        attrs = {
            "kind": "agency",
            "kind_of_agency": _local(kinds[0].value if kinds else "", kind_prefix),
            "registered": any(registered),
            "function": min((f for f in functions if f), default=None),  # the view's tooltip
            "function_iri": min((f.value for f in quads.values(a, ns + "function")), default=None),
            "level": min(levels, default=None),
        }
        for label in quads.plain_labels(a):
            b.node(a, label, **attrs)
    for r in sorted(agency):
        if r in role and r in rank:
            b.edge(
                agency[r], duty[r], "responsible_for", role=_local(role[r], ns), rank=rank[r],
                written=written.get(r),
            )  # fmt: skip


def _add_groups_and_programs(quads: _Quads, b: _Builder, measures: set[str], iris: Iris) -> None:
    ns = iris.ontology_ns
    group_prefix = str(iris.target_group(""))
    targets = sorted({(m, o.value) for m, o in quads.pairs(ns + "targets") if m in measures})
    todo = sorted({g for _m, g in targets})
    seen = set(todo)
    for g in todo:
        b.node(g, None, kind="group", group_id=_local(g, group_prefix))
    for m, g in targets:
        b.edge(m, g, "targets")
    while todo:  # the skos:broader chains above the targeted groups
        x = todo.pop()
        for label in quads.plain_labels(x):
            b.node(x, label, kind="group", group_id=_local(x, group_prefix))
        for y in sorted({t.value for t in quads.values(x, _BROADER)}):
            b.node(y, None, kind="group", group_id=_local(y, group_prefix))
            b.edge(x, y, "broader")
            if y not in seen:
                seen.add(y)
                todo.append(y)
    type_prefix = str(iris.program_type(""))
    uses = sorted({(m, o.value) for m, o in quads.pairs(ns + "uses") if m in measures})
    for p in sorted({p for _m, p in uses}):
        types = quads.values(p, ns + "programType")
        program_type = _local(types[0].value if types else "", type_prefix)
        for label in quads.plain_labels(p):
            b.node(p, label, kind="program", program_type=program_type)
    for m, p in uses:
        b.edge(m, p, "uses")
