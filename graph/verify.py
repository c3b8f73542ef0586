"""Check that the two stores agree: Neo4j holds exactly the RDF store's nodes and edges.

The RDF store is the reference. Its document graphs are read back as the property-graph
keys Neo4j would have (``(label, iri)`` nodes and ``(type, start, end, role, rank)``
relationships, README "Neo4j schema") and compared as sets, so any difference is named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from neo4j import Driver

from graph import neo4j_store
from graph.neo4j_store import NodeKey, RelKey
from ontology.iris import Iris

#: A SPARQL SELECT runner: query text → rows of variable name → lexical value (IRI text).
Select = Callable[[str], Iterable[Mapping[str, str]]]

#: RDF class local name → Neo4j label.
CLASS_LABELS: dict[str, str] = {
    "PolicyDocument": "Document",
    "Chapter": "Chapter",
    "Measure": "Measure",
    "Agency": "Agency",
    "TargetGroup": "TargetGroup",
    "Program": "Program",
}

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


def _in_document_graphs(iris: Iris, pattern: str, variables: str) -> str:
    prefix = str(iris.document_graph(""))
    return (
        f"{iris.sparql_prefixes()}SELECT {variables} WHERE {{ GRAPH ?g {{ {pattern} }} "
        f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }}'
    )


def rdf_node_keys(select: Select, iris: Iris) -> set[NodeKey]:
    """Instances typed with one of the mapped classes in some document graph."""
    values = " ".join(f"pkg:{name}" for name in CLASS_LABELS)
    query = _in_document_graphs(iris, f"VALUES ?class {{ {values} }} ?s a ?class .", "?class ?s")
    ns = iris.ontology_ns
    return {(CLASS_LABELS[row["class"][len(ns) :]], row["s"]) for row in select(query)}


def rdf_relationship_keys(select: Select, iris: Iris) -> set[RelKey]:
    """The property-graph edges the RDF document graphs imply."""
    ns = iris.ontology_ns
    keys: set[RelKey] = set()
    responsibility = (
        "?m pkg:responsibility ?r . ?r pkg:agency ?a ; pkg:role ?role ; pkg:rank ?rank ."
    )
    for row in select(_in_document_graphs(iris, responsibility, "?a ?m ?role ?rank")):
        role = row["role"][len(ns) :] if row["role"].startswith(ns) else row["role"]
        keys.add(("RESPONSIBLE_FOR", row["a"], row["m"], role, int(row["rank"])))
    simple = (
        ("TARGETS", "?s a pkg:Measure ; pkg:targets ?e ."),
        ("USES", "?s a pkg:Measure ; pkg:uses ?e ."),
        ("PART_OF", "?s a pkg:Measure ; pkg:inChapter ?e ."),
        ("PART_OF", "?s a pkg:Chapter ; pkg:inDocument ?e ."),
        ("BROADER", "?s a pkg:TargetGroup ; skos:broader ?e ."),
    )
    for rel_type, pattern in simple:
        for row in select(_in_document_graphs(iris, pattern, "?s ?e")):
            keys.add((rel_type, row["s"], row["e"], None, None))
    return keys


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


def compare_stores(
    select: Select, driver: Driver, iris: Iris, database: str = "neo4j"
) -> GraphDiff:
    """Compare the RDF store (through ``select``) with Neo4j, node by node, edge by edge."""
    return diff(
        rdf_node_keys(select, iris),
        rdf_relationship_keys(select, iris),
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
