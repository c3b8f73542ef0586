"""Check that the two stores agree: Neo4j holds exactly the RDF store's nodes and edges.

The RDF store is the reference. Its document graphs, with the agencies, groups (and their
broader chain, from the vocabulary and shared graphs) and programs they use, are read back as
the property-graph keys Neo4j would have (``(label, iri)`` nodes and
``(type, start, end, role, rank)`` relationships, README "Neo4j schema") and compared as
sets, so any difference is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neo4j import Driver

from graph.neo4j import store as neo4j_store
from graph.neo4j.citations import citation_differences
from graph.neo4j.similar import similar_differences, similar_keys
from graph.neo4j.store import NodeKey, RelKey
from graph.rdf.citations import verify_keys as citation_keys
from graph.rdf.store import RdfStore

LIST_LIMIT = 20  # differences printed per kind


@dataclass
class GraphDiff:
    """What one store has and the other lacks (sorted for stable output)."""

    nodes_missing_in_neo4j: list[NodeKey] = field(default_factory=list)
    nodes_only_in_neo4j: list[NodeKey] = field(default_factory=list)
    rels_missing_in_neo4j: list[RelKey] = field(default_factory=list)
    rels_only_in_neo4j: list[RelKey] = field(default_factory=list)
    rdf_nodes: int = 0
    rdf_rels: int = 0

    @property
    def identical(self) -> bool:
        return not (
            self.nodes_missing_in_neo4j
            or self.nodes_only_in_neo4j
            or self.rels_missing_in_neo4j
            or self.rels_only_in_neo4j
        )


def rdf_node_keys(rdf: RdfStore) -> set[NodeKey]:
    """The nodes Neo4j should hold, as (label, iri): what the RDF document graphs use,
    cited-document stubs included."""
    nodes = {(label, iri) for label, iris in rdf.node_iris().items() for iri in iris}
    return nodes | citation_keys(rdf)[0]


def rdf_relationship_keys(rdf: RdfStore) -> set[RelKey]:
    """The relationships Neo4j should hold, as (type, start, end, role, rank), CITES
    included (its relation is compared by :func:`citation_lines`) and SIMILAR (its score by
    :func:`similar_lines`)."""
    rels = {(r.type, r.src, r.dst, r.role, r.rank) for r in rdf.relationships()}
    return rels | citation_keys(rdf)[1] | similar_keys(rdf)


def similar_lines(rdf: RdfStore, driver: Driver, database: str = "neo4j") -> list[str]:
    """Similar-measure lists (links and scores) that differ between the stores."""
    return similar_differences(rdf, driver, database)


def citation_lines(rdf: RdfStore, driver: Driver, database: str = "neo4j") -> list[str]:
    """Citation links (with relation and resolution) and stubs that differ between stores."""
    return citation_differences(rdf, driver, database).describe()


def _sorted_nodes(keys: set[NodeKey]) -> list[NodeKey]:
    return sorted(keys)


def _sorted_rels(keys: set[RelKey]) -> list[RelKey]:
    return sorted(keys, key=lambda k: (k[0], k[1], k[2], k[3] or "", k[4] or 0))


def diff(
    rdf_nodes: set[NodeKey],
    rdf_rels: set[RelKey],
    neo_nodes: set[NodeKey],
    neo_rels: set[RelKey],
) -> GraphDiff:
    """Set differences both ways (pure)."""
    return GraphDiff(
        nodes_missing_in_neo4j=_sorted_nodes(rdf_nodes - neo_nodes),
        nodes_only_in_neo4j=_sorted_nodes(neo_nodes - rdf_nodes),
        rels_missing_in_neo4j=_sorted_rels(rdf_rels - neo_rels),
        rels_only_in_neo4j=_sorted_rels(neo_rels - rdf_rels),
        rdf_nodes=len(rdf_nodes),
        rdf_rels=len(rdf_rels),
    )


def compare_stores(rdf: RdfStore, driver: Driver, database: str = "neo4j") -> GraphDiff:
    """Compare the RDF store with Neo4j, node by node, edge by edge."""
    return diff(
        rdf_node_keys(rdf),
        rdf_relationship_keys(rdf),
        neo4j_store.node_keys(driver, database),
        neo4j_store.relationship_keys(driver, database),
    )


def describe(result: GraphDiff, limit: int = LIST_LIMIT) -> list[str]:
    """Human-readable lines naming the differences (at most ``limit`` per kind)."""
    lines: list[str] = []
    kinds: list[tuple[str, list[NodeKey] | list[RelKey]]] = [
        ("node missing in Neo4j", result.nodes_missing_in_neo4j),
        ("node only in Neo4j", result.nodes_only_in_neo4j),
        ("relationship missing in Neo4j", result.rels_missing_in_neo4j),
        ("relationship only in Neo4j", result.rels_only_in_neo4j),
    ]
    for kind, keys in kinds:
        for key in keys[:limit]:
            lines.append(f"{kind}: {_key_text(key)}")
        if len(keys) > limit:
            lines.append(f"… and {len(keys) - limit} more of kind “{kind}”")
    return lines


def _key_text(key: NodeKey | RelKey) -> str:
    if len(key) == 2:
        return f"(:{key[0]} {key[1]})"
    rel_type, start, end, role, rank = key
    props = f" {{role: {role}, rank: {rank}}}" if role is not None else ""
    return f"{start} -[:{rel_type}{props}]-> {end}"


@dataclass
class DocumentDiff:
    """The comparison by document: which store lacks which, which writes are unsettled."""

    only_in_rdf: list[str] = field(default_factory=list)
    only_in_neo4j: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # interrupted writes (graph/reconcile.py)

    def lines(self) -> list[str]:
        out = [f"document {d}: interrupted write not settled yet" for d in self.pending]
        out += [f"document {d}: in the RDF store, not in Neo4j" for d in self.only_in_rdf]
        out += [f"document {d}: in Neo4j, not in the RDF store" for d in self.only_in_neo4j]
        return out


def compare_documents(rdf: RdfStore, driver: Driver, database: str = "neo4j") -> DocumentDiff:
    """Which documents one store has and the other lacks, and the unsettled writes."""
    from graph.reconcile import pending_ids

    in_rdf = set(rdf.document_ids())
    in_neo4j = set(neo4j_store.document_ids(driver, database))
    return DocumentDiff(
        only_in_rdf=sorted(in_rdf - in_neo4j),
        only_in_neo4j=sorted(in_neo4j - in_rdf),
        pending=pending_ids(rdf),
    )


def repair(rdf: RdfStore, driver: Driver, database: str = "neo4j") -> list[str]:
    """Settle interrupted writes, then remove from Neo4j the documents the RDF store (the
    reference) does not have; lines saying what was done. Documents only in the RDF store
    without an intent cannot be rebuilt here: their source files must be loaded again."""
    from graph import similar_index
    from graph.reconcile import reconcile

    done = [result.line() for result in reconcile(rdf, driver, database)]
    for doc_id in compare_documents(rdf, driver, database).only_in_neo4j:
        neo4j_store.remove_document(driver, doc_id, database)
        done.append(f"{doc_id}: removed from Neo4j (not in the RDF store)")
    similar_index.forget(rdf)  # rebuilt from the RDF store's texts; differing lists rewritten
    fixed = similar_index.build(rdf, driver, database).repaired
    if fixed:
        done.append(f"similar measures: {fixed} lists rewritten")
    return done
