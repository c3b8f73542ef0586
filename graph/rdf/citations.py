"""Citations in RDF: a document's links to the documents it cites, and their stubs.

A reference points at a *stub*, ``Iris.cited(key)`` (a ``pkg:CitedDocument``), keyed by the
cited document number when the reference gives one, else by its exact title. The stub
carries ``eli:id_local`` (the number, one spelling: loaders.citations.canonical_number) and
``dcterms:title`` (as each citing document wrote it). It is the same node whether or not the
cited document is loaded: a loaded ``pkg:PolicyDocument`` *is* the stub's document when its
``eli:id_local`` (its ``pkg:docNumber`` in the same one spelling) equals the stub's number
(or, for a stub without number, its ``dcterms:title`` is one of the stub's titles).
Resolution is therefore a join at query time (:data:`RESOLVE`), never a rewrite: documents
load and unload in any order, and no document graph changes when the document it cites
arrives.

Links (in the citing document's graph): implements ``eli:applies``, repeals ``eli:repeals``,
replaces ``pkg:replaces`` (⊑ eli:repeals), cites ``eli:cites``. Stubs are described in the
shared graph like programs, and collected with them when no document cites them any more.
"""

from __future__ import annotations

from typing import Any, Protocol

from rdflib import DCTERMS, RDF, RDFS, URIRef

from loaders.citations import canonical_number, simplified
from loaders.ids import initials, sha1_10
from loaders.model import Citation, CitationRelation, Extraction
from ontology.iris import ELI, Iris

CitationFact = tuple[URIRef, URIRef, URIRef | str]


class SelectStore(Protocol):
    """What the reads need of graph.rdf.store.RdfStore (graph.rdf.mapping imports this module,
    so it cannot import the store side)."""

    iris: Iris

    def select(self, query: str, **bindings: Any) -> list[dict[str, Any]]: ...


#: Relation → predicate local name and namespace ("pkg" or "eli").
PREDICATES: dict[CitationRelation, tuple[str, str]] = {
    "implements": ("eli", "applies"),
    "repeals": ("eli", "repeals"),
    "replaces": ("pkg", "replaces"),
    "cites": ("eli", "cites"),
}


def predicate(iris: Iris, relation: CitationRelation) -> URIRef:
    space, name = PREDICATES[relation]
    return iris.pkg[name] if space == "pkg" else ELI[name]


def relation_of_predicate(iris: Iris, iri: str) -> CitationRelation | None:
    """Inverse of :func:`predicate` (None for any other IRI)."""
    for relation in PREDICATES:
        if str(predicate(iris, relation)) == iri:
            return relation
    return None


def cited_key(citation: Citation) -> str | None:
    """``gf-2017-28-1a2b3c`` for 国发〔2017〕28号 (initials, year, number, hash of the one
    spelling), ``t-<sha1>`` for a title alone; None for a reference with neither."""
    if citation.doc_number:
        number = canonical_number(citation.doc_number)
        head = number.split("〔", 1)
        if len(head) == 2 and "〕" in head[1]:
            year, rest = head[1].split("〕", 1)
            return f"{initials(head[0])}-{year}-{rest.removesuffix('号')}-{sha1_10(number)[:6]}"
        return f"n-{sha1_10(number)}"
    if citation.title:
        return f"t-{sha1_10(simplified(citation.title))}"
    return None


def stub_label(citation: Citation) -> str:
    """One label per stub: its number (one spelling), else its title in simplified form."""
    if citation.doc_number:
        return canonical_number(citation.doc_number)
    return simplified(citation.title or "")


def citation_facts(ex: Extraction, iris: Iris) -> tuple[list[CitationFact], list[CitationFact]]:
    """(document-graph facts, shared-graph facts) of one extraction's citations."""
    doc = iris.document(ex.document.id)
    own: dict[CitationFact, None] = {}
    shared: dict[CitationFact, None] = {}
    for c in ex.document.cites:
        key = cited_key(c)
        if key is None:
            continue
        stub = iris.cited(key)
        own[(doc, predicate(iris, c.relation), stub)] = None
        shared[(stub, RDF.type, iris.pkg.CitedDocument)] = None
        shared[(stub, RDFS.label, stub_label(c))] = None
        if c.doc_number:
            shared[(stub, ELI.id_local, canonical_number(c.doc_number))] = None
        if c.title:
            shared[(stub, DCTERMS.title, c.title)] = None
    return list(own), list(shared)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt(fact: CitationFact) -> str:
    s, p, o = fact
    obj = f"<{o}>" if isinstance(o, URIRef) else f'"{o.translate(_ESCAPES)}"'
    return f"<{s}> <{p}> {obj}"


def citation_lines(ex: Extraction, iris: Iris) -> tuple[set[str], set[str]]:
    """:func:`citation_facts` as N-Triples lines (no final `` .``), for graph.rdf.lines."""
    own, shared = citation_facts(ex, iris)
    return {_nt(f) for f in own}, {_nt(f) for f in shared}


# --- reading -----------------------------------------------------------------------------
#: SPARQL pattern: the loaded document ``?d`` that stub ``?s`` stands for (by number, or by
#: exact title when the stub has no number). Needs the predeclared prefixes.
RESOLVE = (
    "{ ?s eli:id_local ?rn . ?d a pkg:PolicyDocument ; eli:id_local ?rn } UNION "
    "{ ?s a pkg:CitedDocument ; dcterms:title ?rt FILTER NOT EXISTS { ?s eli:id_local ?rx } "
    "?d a pkg:PolicyDocument ; dcterms:title ?rt }"
)

#: Every citation link: citing document, relation predicate, stub, with the stub's number
#: and the loaded document it resolves to (unbound when none is loaded).
LINKS_QUERY = (
    "SELECT DISTINCT ?src ?p ?s ?number ?d WHERE { "
    "?src a pkg:PolicyDocument ; ?p ?s . ?s a pkg:CitedDocument . "
    "OPTIONAL { ?s eli:id_local ?number } "
    f"OPTIONAL {{ {RESOLVE} }} }}"
)


def citation_links(store: SelectStore) -> set[tuple[str, str, str, str | None]]:
    """(citing document IRI, relation, stub IRI, resolved document IRI or None)."""
    iris = store.iris
    rows = store.select(LINKS_QUERY)
    out: set[tuple[str, str, str, str | None]] = set()
    for row in rows:
        relation = relation_of_predicate(iris, str(row["p"]))
        if relation is not None:
            d = row.get("d")
            out.add((str(row["src"]), relation, str(row["s"]), None if d is None else str(d)))
    return out


def stub_nodes(store: SelectStore) -> set[tuple[str, str | None]]:
    """(stub IRI, number) of every stub a loaded document cites."""
    rows = store.select(
        "SELECT DISTINCT ?s ?number WHERE { ?src a pkg:PolicyDocument ; ?p ?s . "
        "?s a pkg:CitedDocument OPTIONAL { ?s eli:id_local ?number } }"
    )
    return {(str(r["s"]), None if r.get("number") is None else str(r["number"])) for r in rows}


def verify_keys(
    store: SelectStore,
) -> tuple[set[tuple[str, str]], set[tuple[str, str, str, str | None, int | None]]]:
    """The citation nodes and relationships Neo4j holds, in graph.verify's key forms:
    ``("CitedDocument", iri)`` and ``("CITES", document, stub, None, None)`` (the relation is
    compared by graph.neo4j.citations.citation_differences), for rdf_node_keys and
    rdf_relationship_keys to add to what they read from the RDF store."""
    nodes = {("CitedDocument", stub) for stub, _ in stub_nodes(store)}
    rels: set[tuple[str, str, str, str | None, int | None]] = {
        ("CITES", src, stub, None, None) for src, _, stub, _ in citation_links(store)
    }
    return nodes, rels


__all__ = [
    "LINKS_QUERY",
    "PREDICATES",
    "RESOLVE",
    "citation_facts",
    "citation_lines",
    "citation_links",
    "cited_key",
    "predicate",
    "relation_of_predicate",
    "stub_label",
    "stub_nodes",
    "verify_keys",
]
