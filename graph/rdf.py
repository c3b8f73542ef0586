"""The model → RDF mapping of README “RDF mapping”, and N-Triples helpers for the store.

One pure function, :func:`extraction_triples`, states the mapping; everything else (rdflib
graph, Turtle, N-Triples lines, content fingerprint) is derived from its output so the store,
SHACL and ``policykg extract --format turtle`` can never disagree.

Instance literals are plain ``xsd:string`` (no language tag) so SPARQL users can match names
exactly; integers, booleans and dates are typed. No blank nodes are minted, so the
fingerprint of a document's triples is stable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from rdflib import DCTERMS, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from loaders.model import Extraction, Measure, ProgramRef, Span
from ontology.files import vocabulary_graph
from ontology.iris import ORG, Iris

Triple = tuple[URIRef, URIRef, Node]

#: Chinese display names of the roles, used in responsibility labels.
ROLE_LABELS_ZH: dict[str, str] = {
    "lead": "牵头",
    "support": "配合",
    "shared": "共同负责",
    "sole": "单独负责",
}


@dataclass(frozen=True)
class GroupVocabulary:
    """Target-group concepts by id: preferred label and directly broader ids."""

    labels: dict[str, str]
    broader: dict[str, tuple[str, ...]]

    def chain(self, group_ids: Iterable[str]) -> list[str]:
        """All ids reachable upwards from ``group_ids`` (the ids themselves excluded), BFS order."""
        seen: dict[str, None] = {}
        queue = [b for g in group_ids for b in self.broader.get(g, ())]
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen[current] = None
            queue.extend(self.broader.get(current, ()))
        return list(seen)


EMPTY_GROUPS = GroupVocabulary(labels={}, broader={})


def _local_id(prefix: str, iri: str) -> str | None:
    return unquote(iri[len(prefix) :]) if iri.startswith(prefix) else None


@lru_cache(maxsize=8)
def group_vocabulary(iris: Iris) -> GroupVocabulary:
    """The ``target_groups`` SKOS vocabulary (empty when the file is not present)."""
    graph = vocabulary_graph("target_groups", iris)
    if graph is None:
        return EMPTY_GROUPS
    prefix = str(iris.target_group(""))
    labels: dict[str, str] = {}
    broader: dict[str, list[str]] = {}
    for subject, label in graph.subject_objects(SKOS.prefLabel):
        gid = _local_id(prefix, str(subject))
        if gid is not None and (gid not in labels or getattr(label, "language", None) == "zh"):
            labels[gid] = str(label)
    for subject, parent in graph.subject_objects(SKOS.broader):
        gid, pid = _local_id(prefix, str(subject)), _local_id(prefix, str(parent))
        if gid is not None and pid is not None:
            broader.setdefault(gid, []).append(pid)
    return GroupVocabulary(
        labels=labels, broader={k: tuple(sorted(set(v))) for k, v in broader.items()}
    )


def document_id_from_iri(iris: Iris, iri: str) -> str | None:
    """Inverse of ``iris.document`` (None when ``iri`` is not a document IRI)."""
    return _local_id(str(iris.document("")), iri)


def _span(subject: URIRef, span: Span, iris: Iris) -> Iterator[Triple]:
    yield subject, iris.pkg.spanStart, Literal(span.start)
    yield subject, iris.pkg.spanEnd, Literal(span.end)


def _document_triples(ex: Extraction, iris: Iris) -> Iterator[Triple]:
    meta = ex.document
    doc = iris.document(meta.id)
    pkg = iris.pkg
    yield doc, RDF.type, pkg.PolicyDocument
    yield doc, RDFS.label, Literal(meta.title)
    yield doc, DCTERMS.title, Literal(meta.title)
    optional: list[tuple[URIRef, object]] = [
        (pkg.docNumber, meta.doc_number),
        (pkg.issuer, meta.issuer),
        (pkg.publisher, meta.publisher),
        (pkg.indexNumber, meta.index_number),
        (pkg.writtenDate, meta.written_date),
        (pkg.publishedDate, meta.published_date),
        (pkg.effectiveDate, meta.effective_date),
    ]
    optional += [(pkg.addressee, a) for a in meta.addressees]
    optional += [
        (pkg.contactUnit, meta.contact_unit),
        (pkg.contactPhone, meta.contact_phone),
        (pkg.measuresTitle, meta.measures_title),
        (pkg.jurisdiction, meta.jurisdiction),
        (pkg.sourceName, meta.source_name),
    ]
    for predicate, value in optional:
        if value is not None:
            yield doc, predicate, Literal(value)
    for chapter in ex.chapters:
        node = iris.chapter(meta.id, chapter.ordinal)
        yield node, RDF.type, pkg.Chapter
        yield node, RDFS.label, Literal(chapter.title)
        yield node, pkg.ordinal, Literal(chapter.ordinal)
        yield node, DCTERMS.title, Literal(chapter.title)
        yield node, pkg.inDocument, doc
        yield from _span(node, chapter.span, iris)


def _measure_triples(doc_id: str, m: Measure, iris: Iris) -> Iterator[Triple]:
    pkg = iris.pkg
    node = iris.measure(doc_id, m.ordinal)
    yield node, RDF.type, pkg.Measure
    yield node, RDFS.label, Literal(m.title)
    yield node, pkg.ordinal, Literal(m.ordinal)
    yield node, DCTERMS.title, Literal(m.title)
    yield node, pkg.text, Literal(m.text)
    yield node, pkg.inChapter, iris.chapter(doc_id, m.chapter)
    yield node, pkg.inDocument, iris.document(doc_id)
    yield from _span(node, m.span, iris)
    for ag in m.agencies:
        resp = iris.responsibility(doc_id, m.ordinal, ag.rank)
        yield node, pkg.responsibility, resp
        yield resp, RDF.type, pkg.Responsibility
        yield resp, RDFS.label, Literal(f"{ag.canonical_name}（{ROLE_LABELS_ZH[ag.role]}）")
        yield resp, pkg.agency, iris.agency(ag.id)
        yield resp, pkg.role, iris.role(ag.role)
        yield resp, pkg.rank, Literal(ag.rank)
        yield resp, pkg.asWritten, Literal(ag.name)
        yield from _span(resp, ag.span, iris)
    mentions: list[tuple[str, URIRef, str, Span]] = [
        ("group", iris.target_group(g.id), g.name, g.span) for g in m.target_groups
    ] + [("program", iris.program(p.id), p.name, p.span) for p in m.programs]
    counters = {"group": 0, "program": 0}
    for kind, about, written, span in mentions:
        counters[kind] += 1
        mention = iris.mention(doc_id, m.ordinal, kind, counters[kind])
        yield node, pkg.targets if kind == "group" else pkg.uses, about
        yield node, pkg.mention, mention
        yield mention, RDF.type, pkg.Mention
        yield mention, RDFS.label, Literal(written)
        yield mention, pkg.about, about
        yield mention, pkg.asWritten, Literal(written)
        yield from _span(mention, span, iris)


def _shared_entity_triples(ex: Extraction, iris: Iris, groups: GroupVocabulary) -> Iterator[Triple]:
    """Agencies, groups (with their broader chain) and programs used by the document."""
    pkg = iris.pkg
    for m in ex.measures:
        for ag in m.agencies:
            node = iris.agency(ag.id)
            yield node, RDF.type, pkg.Agency
            yield node, RDF.type, ORG.Organization
            yield node, SKOS.prefLabel, Literal(ag.canonical_name)
            yield node, RDFS.label, Literal(ag.canonical_name)
            if ag.name != ag.canonical_name:
                yield node, SKOS.altLabel, Literal(ag.name)
            yield node, pkg.agencyKind, iris.agency_kind(ag.kind)
            if ag.jurisdiction is not None:
                yield node, pkg.jurisdiction, Literal(ag.jurisdiction)
            yield node, pkg.registered, Literal(ag.registered)
    refs = {g.id: g for m in ex.measures for g in m.target_groups}
    for gid in [*refs, *groups.chain(refs)]:
        node = iris.target_group(gid)
        ref = refs.get(gid)
        label = ref.label if ref is not None else groups.labels.get(gid, gid)
        yield node, RDF.type, pkg.TargetGroup
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.prefLabel, Literal(label)
        yield node, RDFS.label, Literal(label)
        parents = (ref.broader if ref is not None else ()) + groups.broader.get(gid, ())
        for parent in dict.fromkeys(parents):
            yield node, SKOS.broader, iris.target_group(parent)
            if parent not in refs and parent not in groups.labels:
                # a broader id unknown to the vocabulary is still described (label = id)
                pnode = iris.target_group(parent)
                yield pnode, RDF.type, pkg.TargetGroup
                yield pnode, RDF.type, SKOS.Concept
                yield pnode, SKOS.prefLabel, Literal(parent)
                yield pnode, RDFS.label, Literal(parent)
    # the first mention in document order names the program
    first: dict[str, ProgramRef] = {}
    for m in ex.measures:
        for program in m.programs:
            first.setdefault(program.id, program)
    for pid, p in first.items():
        node = iris.program(pid)
        yield node, RDF.type, pkg.Program
        yield node, RDFS.label, Literal(p.name)
        yield node, pkg.programType, iris.program_type(p.type)


def extraction_triples(
    ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None
) -> list[Triple]:
    """Every triple of one document's named graph, without duplicates, in a stable order."""
    vocab = group_vocabulary(iris) if groups is None else groups
    out: dict[Triple, None] = {}
    for triple in _document_triples(ex, iris):
        out[triple] = None
    for m in ex.measures:
        for triple in _measure_triples(ex.document.id, m, iris):
            out[triple] = None
    for triple in _shared_entity_triples(ex, iris, vocab):
        out[triple] = None
    return list(out)


def extraction_graph(ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None) -> Graph:
    """The document's triples as an rdflib graph with ``iris.prefixes`` bound."""
    graph = Graph()
    for prefix, namespace in iris.prefixes.items():
        graph.bind(prefix, namespace, override=True)
    for triple in extraction_triples(ex, iris, groups):
        graph.add(triple)
    return graph


def extraction_to_turtle(ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None) -> str:
    """Turtle of one document (``policykg extract --format turtle``)."""
    return extraction_graph(ex, iris, groups).serialize(format="turtle")


# ---------------------------------------------------------------- N-Triples / fingerprint

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_term(term: Node) -> str:
    """One term in N-Triples syntax (also valid inside SPARQL ``INSERT DATA``)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term).translate(_ESCAPES)
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    if isinstance(term, BNode):
        return f"_:b{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def nt_lines(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """Sorted, de-duplicated N-Triples lines (without the final `` .``)."""
    return sorted({f"{nt_term(s)} {nt_term(p)} {nt_term(o)}" for s, p, o in triples})


def fingerprint(lines: list[str]) -> str:
    """sha256 of canonical (sorted, unique) N-Triples lines; the same content, the same hash."""
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
