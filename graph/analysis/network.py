"""The accountability network as a networkx graph: the one input of every coordination analysis.

The graph is an ``nx.MultiDiGraph`` whose nodes are IRIs (``str``) with attributes

* every node: ``kind`` ∈ {document, chapter, measure, agency, group, program}, ``label``;
* document: ``doc_id``;
* chapter: ``ordinal``, ``document`` (document IRI);
* measure: ``ordinal``, ``chapter`` (chapter IRI), ``chapter_ordinal``, ``document`` (document
  IRI), ``title``;
* agency: ``kind_of_agency`` (e.g. ``government_department``), ``registered`` (bool);
* group: ``group_id``; program: ``program_type``.

Edges (``key`` is the edge type, so the graph never holds the same typed edge twice):

* agency → measure ``type="responsible_for"``, ``role`` ∈ {lead, support, shared, sole},
  ``rank`` (1-based position in the responsibility clause);
* measure → group ``type="targets"``; measure → program ``type="uses"``;
* group → group ``type="broader"`` (narrower → broader, as ``skos:broader``);
* measure → chapter and chapter → document ``type="part_of"``.

:func:`build_network` reads it from the RDF store with a few SPARQL SELECTs;
:func:`network_from_extractions` builds the same graph straight from extraction objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol
from urllib.parse import unquote

import networkx as nx

from graph.rdf.mapping import group_vocabulary
from loaders.model import Extraction
from ontology.errors import InvalidParameter, NotFound
from ontology.iris import Iris

KINDS: tuple[str, ...] = ("document", "chapter", "measure", "agency", "group", "program")


class SelectStore(Protocol):
    """What this module needs of ``graph.rdf.store.RdfStore``."""

    iris: Iris

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
                )
                b.edge(a_iri, m_iri, "responsible_for", role=a.role, rank=a.rank)
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


def _measure_filter(iris: Iris, document: str | None, chapter: int | None) -> str:
    """SPARQL restricting ``?m`` (IRIs come from :class:`Iris`, which percent-encodes ids)."""
    parts = []
    if document is not None:
        parts.append(f"?m pkg:inDocument <{iris.document(document)}> .")
    if chapter is not None:
        parts.append(f"?m pkg:inChapter/pkg:ordinal {int(chapter)} .")
    return "\n".join(parts)


#: Instance labels are plain literals in document graphs; vocabularies add @zh/@en ones.
_PLAIN = 'FILTER(lang(?l) = "")'


def build_network(
    store: SelectStore, document: str | None = None, chapter: int | None = None
) -> nx.MultiDiGraph:
    """Read the network of one document (or the whole corpus) from the RDF store."""
    check_filters(document, chapter)
    iris = store.iris
    pre = iris.sparql_prefixes()
    flt = _measure_filter(iris, document, chapter)
    if document is not None:
        doc_iri = iris.document(document)
        if not store.select(pre + f"SELECT ?t WHERE {{ <{doc_iri}> a ?t }} LIMIT 1"):
            raise NotFound(f"document {document!r} is not loaded")
    b = _Builder()
    doc_prefix = str(iris.document(""))
    rows = store.select(
        pre
        + f"""SELECT ?m ?mo ?mt ?c ?co ?ct ?d ?dt WHERE {{
  ?m a pkg:Measure ; pkg:ordinal ?mo ; pkg:inChapter ?c ; pkg:inDocument ?d .
  {flt}
  OPTIONAL {{ ?m dcterms:title ?mt }}
  ?c pkg:ordinal ?co . OPTIONAL {{ ?c dcterms:title ?ct }}
  OPTIONAL {{ ?d dcterms:title ?dt }}
}}"""
    )
    for r in rows:
        d, c, m = str(r["d"]), str(r["c"]), str(r["m"])
        b.node(d, r.get("dt"), kind="document", doc_id=_local(d, doc_prefix))
        b.node(c, r.get("ct"), kind="chapter", ordinal=int(r["co"]), document=d)
        b.edge(c, d, "part_of")
        title = str(r.get("mt") or "")
        b.node(
            m,
            title,
            kind="measure",
            title=title,
            ordinal=int(r["mo"]),
            chapter=c,
            chapter_ordinal=int(r["co"]),
            document=d,
        )
        b.edge(m, c, "part_of")
    _add_agencies(store, b, pre, flt, iris)
    _add_groups_and_programs(store, b, pre, flt, iris)
    return b.finish()


def _add_agencies(store: SelectStore, b: _Builder, pre: str, flt: str, iris: Iris) -> None:
    rows = store.select(
        pre
        + f"""SELECT ?m ?a ?l ?role ?rank ?kind ?reg WHERE {{
  ?m a pkg:Measure ; pkg:responsibility ?r .
  {flt}
  ?r pkg:agency ?a ; pkg:role ?role ; pkg:rank ?rank .
  OPTIONAL {{ ?a rdfs:label ?l {_PLAIN} }} OPTIONAL {{ ?a pkg:agencyKind ?kind }}
  OPTIONAL {{ ?a pkg:registered ?reg }}
}}"""
    )
    kind_prefix = str(iris.agency_kind(""))
    for r in rows:
        a, m = str(r["a"]), str(r["m"])
        b.node(
            a,
            r.get("l"),
            kind="agency",
            kind_of_agency=_local(r.get("kind") or "", kind_prefix),
            registered=bool(r.get("reg")),
        )
        role = _local(r["role"], iris.ontology_ns)
        b.edge(a, m, "responsible_for", role=role, rank=int(r["rank"]))


def _add_groups_and_programs(
    store: SelectStore, b: _Builder, pre: str, flt: str, iris: Iris
) -> None:
    group_prefix = str(iris.target_group(""))
    rows = store.select(
        pre
        + f"""SELECT DISTINCT ?m ?g ?l WHERE {{
  ?m a pkg:Measure ; pkg:targets ?g .
  {flt}
  OPTIONAL {{ ?g rdfs:label ?l {_PLAIN} }}
}}"""
    )
    for r in rows:
        g = str(r["g"])
        b.node(g, r.get("l"), kind="group", group_id=_local(g, group_prefix))
        b.edge(str(r["m"]), g, "targets")
    rows = store.select(
        pre
        + f"""SELECT DISTINCT ?x ?y ?l WHERE {{
  ?m a pkg:Measure ; pkg:targets ?g .
  {flt}
  ?g skos:broader* ?x . ?x skos:broader ?y .
  OPTIONAL {{ ?y rdfs:label ?l {_PLAIN} }}
}}"""
    )
    for r in rows:
        y = str(r["y"])
        b.node(y, r.get("l"), kind="group", group_id=_local(y, group_prefix))
        b.edge(str(r["x"]), y, "broader")
    rows = store.select(
        pre
        + f"""SELECT DISTINCT ?m ?p ?l ?pt WHERE {{
  ?m a pkg:Measure ; pkg:uses ?p .
  {flt}
  OPTIONAL {{ ?p rdfs:label ?l {_PLAIN} }} OPTIONAL {{ ?p pkg:programType ?pt }}
}}"""
    )
    type_prefix = str(iris.program_type(""))
    for r in rows:
        p = str(r["p"])
        b.node(p, r.get("l"), kind="program", program_type=_local(r.get("pt") or "", type_prefix))
        b.edge(str(r["m"]), p, "uses")
