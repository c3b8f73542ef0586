"""Which named graph holds what, as SPARQL text for graph/rdf/store.py (README "RDF mapping").

A document graph holds the document's own resources and links (``pkg:agency``,
``pkg:targets``, ``pkg:uses``, ``pkg:about``) to shared nodes. Shared nodes are described
once: vocabulary nodes in their vocabulary graph, nodes minted from documents in the shared
graph ``Iris.vocabulary_graph(SHARED_GRAPH)``. Writes therefore come with a garbage
collection of the shared graph (:func:`collect_garbage`), run in the same update request —
one pyoxigraph transaction — as the write that may orphan a node.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import SKOS

from graph.rdf.mapping import SHARED_GRAPH
from ontology.iris import Iris

#: Predicates by which a document graph points at shared nodes.
LINKS = ("pkg:agency", "pkg:targets", "pkg:uses", "pkg:about")


@dataclass(frozen=True)
class GraphWrite:
    """One document graph's new content (N-Triples lines without `` .``) and its shared lines."""

    doc_id: str
    graph: str
    lines: list[str]  # the document graph, content-hash triple included
    digest: str
    shared: list[str] = field(default_factory=list)  # lines for the shared graph


def shared_graph(iris: Iris) -> str:
    return str(iris.vocabulary_graph(SHARED_GRAPH))


def in_document_graphs(iris: Iris, pattern: str, doc_id: str | None, var: str = "?g") -> str:
    """``pattern`` matched inside one document graph, or inside any document graph."""
    if doc_id is not None:
        return f"GRAPH <{iris.document_graph(doc_id)}> {{ {pattern} }}"
    prefix = str(iris.document_graph(""))
    return f'GRAPH {var} {{ {pattern} }} FILTER(STRSTARTS(STR({var}), "{prefix}"))'


def collect_garbage(iris: Iris) -> str:
    """Update operation deleting shared-graph descriptions no document graph uses any more
    (full IRIs: updates get no predeclared prefixes).

    A node is in use when a document graph points at it, or when it is broader (in any
    graph) than a node a document graph points at (groups known only by id).
    """
    shared = shared_graph(iris)
    direct = in_document_graphs(iris, "?x ?q ?s", None, "?g")
    via = in_document_graphs(iris, "?y ?r ?n", None, "?g2")
    broader = f"<{SKOS.broader}>"
    return (
        f"DELETE {{ GRAPH <{shared}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{shared}> {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ {direct} }} "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?n {broader}+ ?s }} FILTER EXISTS {{ {via} }} }} }}"
    )


def write_update(items: Sequence[GraphWrite], iris: Iris, collect: bool = True) -> str:
    """One SPARQL update (one transaction): replace each document graph with its lines, add
    its shared lines to the shared graph, then collect the shared graph's garbage."""
    shared = shared_graph(iris)
    operations = [f"DROP SILENT GRAPH <{p.graph}>" for p in items]
    blocks = [f"GRAPH <{p.graph}> {{\n" + " .\n".join(p.lines) + " .\n}" for p in items if p.lines]
    shared_lines = sorted({line for p in items for line in p.shared})
    if shared_lines:
        blocks.append(f"GRAPH <{shared}> {{\n" + " .\n".join(shared_lines) + " .\n}")
    if blocks:
        operations.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    if collect:
        operations.append(collect_garbage(iris))
    return " ;\n".join(operations)


def replace_graph_update(graph: str, lines: Sequence[str]) -> str:
    """Replace one graph (a vocabulary) with ``lines``, in one transaction."""
    operation = f"DROP SILENT GRAPH <{graph}>"
    if not lines:
        return operation
    return f"{operation} ;\nINSERT DATA {{ GRAPH <{graph}> {{\n" + " .\n".join(lines) + " .\n} }"


def used_nodes(iris: Iris, doc_id: str | None) -> str:
    """Pattern binding ``?kind`` (Agency|TargetGroup|Program) and ``?x`` to the shared nodes
    the document graph(s) use: agencies, programs, targeted groups and their broader chain."""
    agencies = in_document_graphs(iris, "?r pkg:agency ?x", doc_id)
    programs = in_document_graphs(iris, "?m pkg:uses ?x", doc_id)
    groups = in_document_graphs(iris, "?m pkg:targets ?t", doc_id)
    return (
        f'{{ {agencies} BIND("Agency" AS ?kind) }} UNION '
        f'{{ {programs} BIND("Program" AS ?kind) }} UNION '
        f"{{ {{ SELECT DISTINCT ?t WHERE {{ {groups} }} }} ?t skos:broader* ?x "
        f'BIND("TargetGroup" AS ?kind) }}'
    )


def closure_query(iris: Iris, doc_id: str) -> str:
    """CONSTRUCT of one document graph plus the descriptions of the shared nodes it uses
    (from the vocabulary and shared graphs), in the mapping's form: plain literals only, so
    the vocabularies' English labels stay out (SHACL checks one label per node)."""
    graph = iris.document_graph(doc_id)
    vocab = str(iris.vocabulary_graph(""))
    values = " ".join(LINKS)
    return (
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} UNION {{ "
        f"{{ SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?x ?link ?n "
        f"VALUES ?link {{ {values} }} }} ?n skos:broader* ?s }} }} "
        f'GRAPH ?h {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?h), "{vocab}")) '
        f'FILTER(!isLiteral(?o) || lang(?o) = "") }} }}'
    )


def relationship_patterns(iris: Iris, doc_id: str | None) -> dict[str, str]:
    """Patterns binding ``?s ?o`` per Neo4j relationship type other than RESPONSIBLE_FOR;
    BROADER is read for the groups the document graph(s) use, wherever it is stated."""
    return {
        "TARGETS": in_document_graphs(iris, "?s pkg:targets ?o", doc_id),
        "USES": in_document_graphs(iris, "?s pkg:uses ?o", doc_id),
        "PART_OF": in_document_graphs(
            iris,
            "{ ?s a pkg:Measure ; pkg:inChapter ?o } UNION "
            "{ ?s a pkg:Chapter ; pkg:inDocument ?o }",
            doc_id,
        ),
        "BROADER": f"{{ SELECT DISTINCT ?s WHERE {{ {used_nodes(iris, doc_id)} "
        'FILTER(?kind = "TargetGroup") BIND(?x AS ?s) } } ?s skos:broader ?o',
    }


def shared_triples_about(store: ox.Store, graph: ox.NamedNode, shared: ox.NamedNode) -> str:
    """N-Triples of the ``shared`` graph about the nodes ``graph`` points at and the groups
    broader than them: what a snapshot must keep to undo a later write."""
    broader = ox.NamedNode(str(SKOS.broader))
    queue = [
        q.object
        for q in store.quads_for_pattern(None, None, None, graph)
        if isinstance(q.object, ox.NamedNode)
    ]
    seen: set[ox.NamedNode] = set()
    lines: list[str] = []
    while queue:
        node = queue.pop()
        if node in seen:
            continue
        seen.add(node)
        for q in store.quads_for_pattern(node, None, None, shared):
            lines.append(f"{q.subject} {q.predicate} {q.object} .\n")
        for q in store.quads_for_pattern(node, broader, None, None):
            if isinstance(q.object, ox.NamedNode):
                queue.append(q.object)
    return "".join(sorted(lines))
