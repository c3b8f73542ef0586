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
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from urllib.parse import unquote

from rdflib import DCTERMS, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from loaders.model import Extraction, Measure, ProgramRef, Span
from ontology.files import vocabulary_graph
from ontology.iris import ORG, TERMS, Iris

Triple = tuple[URIRef, URIRef, Node]
Value = URIRef | str | int | bool | date
Fact = tuple[URIRef, URIRef, Value]

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


# hot-loop constants (DefinedNamespace attribute lookups are slow)
_TYPE = RDF.type
_LABEL = RDFS.label
_TITLE = DCTERMS.title
_PREF_LABEL = SKOS.prefLabel
_ALT_LABEL = SKOS.altLabel
_BROADER = SKOS.broader
_CONCEPT = SKOS.Concept
_ORGANIZATION = ORG.Organization


@lru_cache(maxsize=8)
def _terms(iris: Iris) -> SimpleNamespace:
    """``pkg:`` terms as plain attributes (ClosedNamespace lookups are slow in the hot loop)."""
    return SimpleNamespace(**{term: iris.pkg[term] for term in TERMS})


def _span(subject: URIRef, span: Span, iris: Iris) -> Iterator[Fact]:
    yield subject, _terms(iris).spanStart, span.start
    yield subject, _terms(iris).spanEnd, span.end


def _document_triples(ex: Extraction, iris: Iris) -> Iterator[Fact]:
    meta = ex.document
    doc = iris.document(meta.id)
    pkg = _terms(iris)
    yield doc, _TYPE, pkg.PolicyDocument
    yield doc, _LABEL, meta.title
    yield doc, _TITLE, meta.title
    optional: list[tuple[URIRef, Value | None]] = [
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
            yield doc, predicate, value
    for chapter in ex.chapters:
        node = iris.chapter(meta.id, chapter.ordinal)
        yield node, _TYPE, pkg.Chapter
        yield node, _LABEL, chapter.title
        yield node, pkg.ordinal, chapter.ordinal
        yield node, _TITLE, chapter.title
        yield node, pkg.inDocument, doc
        yield from _span(node, chapter.span, iris)


def _measure_triples(doc_id: str, m: Measure, iris: Iris) -> Iterator[Fact]:
    pkg = _terms(iris)
    node = iris.measure(doc_id, m.ordinal)
    yield node, _TYPE, pkg.Measure
    yield node, _LABEL, m.title
    yield node, pkg.ordinal, m.ordinal
    yield node, _TITLE, m.title
    yield node, pkg.text, m.text
    yield node, pkg.inChapter, iris.chapter(doc_id, m.chapter)
    yield node, pkg.inDocument, iris.document(doc_id)
    yield from _span(node, m.span, iris)
    for ag in m.agencies:
        resp = iris.responsibility(doc_id, m.ordinal, ag.rank)
        yield node, pkg.responsibility, resp
        yield resp, _TYPE, pkg.Responsibility
        yield resp, _LABEL, f"{ag.canonical_name}（{ROLE_LABELS_ZH[ag.role]}）"
        yield resp, pkg.agency, iris.agency(ag.id)
        yield resp, pkg.role, iris.role(ag.role)
        yield resp, pkg.rank, ag.rank
        yield resp, pkg.asWritten, ag.name
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
        yield mention, _TYPE, pkg.Mention
        yield mention, _LABEL, written
        yield mention, pkg.about, about
        yield mention, pkg.asWritten, written
        yield from _span(mention, span, iris)


def _shared_entity_triples(ex: Extraction, iris: Iris, groups: GroupVocabulary) -> Iterator[Fact]:
    """Agencies, groups (with their broader chain) and programs used by the document."""
    pkg = _terms(iris)
    for m in ex.measures:
        for ag in m.agencies:
            node = iris.agency(ag.id)
            yield node, _TYPE, pkg.Agency
            yield node, _TYPE, _ORGANIZATION
            yield node, _PREF_LABEL, ag.canonical_name
            yield node, _LABEL, ag.canonical_name
            if ag.name != ag.canonical_name:
                yield node, _ALT_LABEL, ag.name
            yield node, pkg.agencyKind, iris.agency_kind(ag.kind)
            if ag.jurisdiction is not None:
                yield node, pkg.jurisdiction, ag.jurisdiction
            yield node, pkg.registered, ag.registered
    refs = {g.id: g for m in ex.measures for g in m.target_groups}
    for gid in [*refs, *groups.chain(refs)]:
        node = iris.target_group(gid)
        ref = refs.get(gid)
        label = ref.label if ref is not None else groups.labels.get(gid, gid)
        yield node, _TYPE, pkg.TargetGroup
        yield node, _TYPE, _CONCEPT
        yield node, _PREF_LABEL, label
        yield node, _LABEL, label
        parents = (ref.broader if ref is not None else ()) + groups.broader.get(gid, ())
        for parent in dict.fromkeys(parents):
            yield node, _BROADER, iris.target_group(parent)
            if parent not in refs and parent not in groups.labels:
                # a broader id unknown to the vocabulary is still described (label = id)
                pnode = iris.target_group(parent)
                yield pnode, _TYPE, pkg.TargetGroup
                yield pnode, _TYPE, _CONCEPT
                yield pnode, _PREF_LABEL, parent
                yield pnode, _LABEL, parent
    # the first mention in document order names the program
    first: dict[str, ProgramRef] = {}
    for m in ex.measures:
        for program in m.programs:
            first.setdefault(program.id, program)
    for pid, p in first.items():
        node = iris.program(pid)
        yield node, _TYPE, pkg.Program
        yield node, _LABEL, p.name
        yield node, pkg.programType, iris.program_type(p.type)


def extraction_facts(
    ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None
) -> list[Fact]:
    """The mapping itself: every statement of the document's graph, unique, stable order.

    Objects are IRIs (URIRef) or plain Python values (str, int, bool, date) that become
    typed literals; kept light so the store's N-Triples path needs no rdflib terms.
    """
    vocab = group_vocabulary(iris) if groups is None else groups
    out: dict[Fact, None] = {}
    for fact in _document_triples(ex, iris):
        out[fact] = None
    for m in ex.measures:
        for fact in _measure_triples(ex.document.id, m, iris):
            out[fact] = None
    for fact in _shared_entity_triples(ex, iris, vocab):
        out[fact] = None
    return list(out)


def extraction_triples(
    ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None
) -> list[Triple]:
    """Every triple of one document's named graph as rdflib terms, unique, stable order."""
    return [
        (s, p, o if isinstance(o, URIRef) else Literal(o))
        for s, p, o in extraction_facts(ex, iris, groups)
    ]


def extraction_lines(
    ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None
) -> list[str]:
    """Canonical N-Triples lines (sorted, no final `` .``): same as ``nt_lines(triples)``."""
    return sorted({f"<{s}> <{p}> {_nt_value(o)}" for s, p, o in extraction_facts(ex, iris, groups)})


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


_XSD_INTEGER, _XSD_BOOLEAN, _XSD_DATE = (f"<{XSD.integer}>", f"<{XSD.boolean}>", f"<{XSD.date}>")


def _nt_value(value: Value) -> str:
    if isinstance(value, URIRef):
        return f"<{value}>"
    if isinstance(value, str):
        return f'"{value.translate(_ESCAPES)}"'
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^{_XSD_BOOLEAN}'
    if isinstance(value, int):
        return f'"{value}"^^{_XSD_INTEGER}'
    return f'"{value.isoformat()}"^^{_XSD_DATE}'


def nt_lines(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """Sorted, de-duplicated N-Triples lines (without the final `` .``)."""
    return sorted({f"{nt_term(s)} {nt_term(p)} {nt_term(o)}" for s, p, o in triples})


def fingerprint(lines: list[str]) -> str:
    """sha256 of canonical (sorted, unique) N-Triples lines; the same content, the same hash."""
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
