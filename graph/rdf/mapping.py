"""The model → RDF mapping of README “RDF mapping”, and N-Triples helpers for the store.

One pure function, :func:`split_facts`, states the mapping and says which graph each fact
belongs to; everything else (rdflib graph, Turtle, N-Triples lines, store quads, content
fingerprint) is derived from its output so the store, SHACL and ``policykg extract --format
turtle`` can never disagree. Self-contained outputs (``extraction_graph``) keep every fact;
the store keeps the document's own resources in its graph, nodes minted from documents once
in the shared ``SHARED_GRAPH``, and leaves vocabulary-described nodes to the vocabularies, so
a node is described once however many documents use it.

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

from rdflib import DCTERMS, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.rdf.citations import citation_facts
from graph.rdf.vocab import EMPTY_GROUPS as EMPTY_GROUPS  # re-exported: callers import here
from graph.rdf.vocab import GroupVocabulary as GroupVocabulary
from graph.rdf.vocab import agency_vocabulary, local_id
from graph.rdf.vocab import group_vocabulary as group_vocabulary
from graph.rdf.vocab import stored_vocabulary as stored_vocabulary
from loaders.citations import canonical_number
from loaders.model import Extraction, Measure, ProgramRef, Span
from ontology.iris import ELI, ORG, TERMS, Iris

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


#: Name of the vocabulary graph that describes nodes minted from documents (unregistered
#: agencies, programs, groups unknown to the group vocabulary): ``Iris.vocabulary_graph``.
SHARED_GRAPH = "extracted"


def document_id_from_iri(iris: Iris, iri: str) -> str | None:
    """Inverse of ``iris.document`` (None when ``iri`` is not a document IRI)."""
    return local_id(str(iris.document("")), iri)


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
    if meta.doc_number:
        yield doc, ELI.id_local, canonical_number(meta.doc_number)
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
    for term, text in clause_facts(m):
        yield node, getattr(pkg, term), text
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


def clause_facts(m: Measure) -> Iterator[tuple[str, str]]:
    """(pkg term, text) of what a measure's clauses say besides agencies: deadline, leaders,
    notes, why it has none. Shared with graph.rdf.lines, so both write the same facts."""
    if m.deadline is not None:
        yield "deadline", m.deadline
    for leader in m.leaders:
        yield "leader", leader
    for clause in m.clauses:
        for note in clause.notes:
            yield "clauseNote", note
    if m.no_agencies is not None:
        yield "noAgencies", m.no_agencies


def _shared_entity_triples(
    ex: Extraction, iris: Iris, groups: GroupVocabulary
) -> Iterator[tuple[bool, Fact]]:
    """Agencies, groups (with their broader chain) and programs used by the document, each
    fact flagged True when a vocabulary graph already describes its subject."""
    pkg = _terms(iris)
    registry = agency_vocabulary(iris)
    for m in ex.measures:
        for ag in m.agencies:
            node = iris.agency(ag.id)
            known = ag.id in registry
            yield known, (node, _TYPE, pkg.Agency)
            yield known, (node, _TYPE, _ORGANIZATION)
            yield known, (node, _PREF_LABEL, ag.canonical_name)
            yield known, (node, _LABEL, ag.canonical_name)
            if ag.name != ag.canonical_name:
                yield known, (node, _ALT_LABEL, ag.name)
            yield known, (node, pkg.agencyKind, iris.agency_kind(ag.kind))
            if ag.jurisdiction is not None:
                yield known, (node, pkg.jurisdiction, ag.jurisdiction)
            yield known, (node, pkg.registered, ag.registered)
            if ag.function is not None:
                yield known, (node, pkg.function, iris.function(ag.function.id))
            if ag.level is not None:
                yield known, (node, pkg.level, iris.level(ag.level))
    refs = {g.id: g for m in ex.measures for g in m.target_groups}
    for gid in [*refs, *groups.chain(refs)]:
        node = iris.target_group(gid)
        known = gid in groups.labels
        ref = refs.get(gid)
        label = ref.label if ref is not None else groups.labels.get(gid, gid)
        yield known, (node, _TYPE, pkg.TargetGroup)
        yield known, (node, _TYPE, _CONCEPT)
        yield known, (node, _PREF_LABEL, label)
        yield known, (node, _LABEL, label)
        parents = (ref.broader if ref is not None else ()) + groups.broader.get(gid, ())
        for parent in dict.fromkeys(parents):
            yield known, (node, _BROADER, iris.target_group(parent))
            if parent not in refs and parent not in groups.labels:
                # a broader id unknown to the vocabulary is still described (label = id)
                pnode = iris.target_group(parent)
                yield False, (pnode, _TYPE, pkg.TargetGroup)
                yield False, (pnode, _TYPE, _CONCEPT)
                yield False, (pnode, _PREF_LABEL, parent)
                yield False, (pnode, _LABEL, parent)
    # the first mention in document order names the program
    first: dict[str, ProgramRef] = {}
    for m in ex.measures:
        for program in m.programs:
            first.setdefault(program.id, program)
    for pid, p in first.items():
        node = iris.program(pid)
        yield False, (node, _TYPE, pkg.Program)
        yield False, (node, _LABEL, p.name)
        yield False, (node, pkg.programType, iris.program_type(p.type))


@dataclass(frozen=True)
class SplitFacts:
    """Where the store keeps each fact of one extraction (README "RDF mapping").

    ``document``: the document's own resources and its links to shared nodes (its named
    graph); ``shared``: descriptions of nodes minted from documents that no vocabulary
    describes (the shared ``SHARED_GRAPH``); ``vocabulary``: descriptions the vocabulary
    graphs already hold, kept only in self-contained outputs (``extraction_graph``).
    """

    document: list[Fact]
    shared: list[Fact]
    vocabulary: list[Fact]


def split_facts(ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None) -> SplitFacts:
    """The mapping itself, split by graph; each list unique, in stable order."""
    vocab = group_vocabulary(iris) if groups is None else groups
    document: dict[Fact, None] = dict.fromkeys(_document_triples(ex, iris))
    for m in ex.measures:
        document.update(dict.fromkeys(_measure_triples(ex.document.id, m, iris)))
    shared: dict[Fact, None] = {}
    known: dict[Fact, None] = {}
    for in_vocabulary, fact in _shared_entity_triples(ex, iris, vocab):
        (known if in_vocabulary else shared)[fact] = None
    cited_own, cited_shared = citation_facts(ex, iris)
    document.update(dict.fromkeys(cited_own))
    shared.update(dict.fromkeys(cited_shared))
    return SplitFacts(list(document), list(shared), [f for f in known if f not in shared])


def extraction_facts(
    ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None
) -> list[Fact]:
    """Every statement about the document and the nodes it uses, unique, stable order.

    Objects are IRIs (URIRef) or plain Python values (str, int, bool, date) that become
    typed literals; kept light so the store's N-Triples path needs no rdflib terms.
    """
    split = split_facts(ex, iris, groups)
    return [*split.document, *split.shared, *split.vocabulary]


def _rdflib(fact: Fact) -> Triple:
    s, p, o = fact
    return s, p, o if isinstance(o, URIRef) else Literal(o)


def extraction_quads(
    ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None
) -> list[tuple[URIRef, URIRef, Node, URIRef]]:
    """What the store holds of one extraction: ``(s, p, o, graph)`` with graph the document's
    named graph or the shared ``SHARED_GRAPH`` (vocabulary-described nodes are left out)."""
    split = split_facts(ex, iris, groups)
    doc_graph, shared_graph = (
        iris.document_graph(ex.document.id),
        iris.vocabulary_graph(SHARED_GRAPH),
    )
    return [(*_rdflib(f), doc_graph) for f in split.document] + [
        (*_rdflib(f), shared_graph) for f in split.shared
    ]


@dataclass(frozen=True)
class SplitLines:
    """Canonical N-Triples lines (sorted, unique, no final `` .``) per store graph."""

    document: list[str]
    shared: list[str]


def split_lines(ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None) -> SplitLines:
    """``extraction_quads`` as canonical lines: what ``RdfStore`` writes for one document."""
    split = split_facts(ex, iris, groups)
    return SplitLines(
        document=sorted({_nt_fact(f) for f in split.document}),
        shared=sorted({_nt_fact(f) for f in split.shared}),
    )


def _nt_fact(fact: Fact) -> str:
    s, p, o = fact
    return f"<{s}> <{p}> {_nt_value(o)}"


def extraction_triples(
    ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None
) -> list[Triple]:
    """Every triple of one document's named graph as rdflib terms, unique, stable order."""
    return [_rdflib(fact) for fact in extraction_facts(ex, iris, groups)]


def extraction_lines(
    ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None
) -> list[str]:
    """Canonical N-Triples lines (sorted, no final `` .``): same as ``nt_lines(triples)``."""
    return sorted({_nt_fact(fact) for fact in extraction_facts(ex, iris, groups)})


def extraction_graph(ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None) -> Graph:
    """The document and the nodes it uses, self-contained, with ``iris.prefixes`` bound."""
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
