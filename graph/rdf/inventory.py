"""What the RDF store's document graphs hold, counted and listed in the Neo4j schema's terms.

graph/verify.py compares the two stores through these (README “Neo4j schema”): node IRIs by
label (Document, Chapter, Measure, Agency, TargetGroup, Program) and relationships ``(src
iri, type, dst iri, role, rank)`` with type in RESPONSIBLE_FOR (agency → measure, role =
``lead|support|shared|sole``, rank int), TARGETS, USES, PART_OF (measure → chapter →
document), BROADER; role and rank are None except on RESPONSIBLE_FOR. Nodes and links come
from the document graphs; agencies, groups and programs are the ones they use (groups with
their broader chain, read from the vocabulary and shared graphs), as Neo4j holds them.
``RdfStore.counts``, ``node_iris`` and ``relationships`` answer with these functions.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

from graph.rdf.layout import in_document_graphs, relationship_patterns, used_nodes
from ontology.iris import Iris

#: Neo4j label → ontology class local name.
NODE_CLASSES: dict[str, str] = {
    "Document": "PolicyDocument",
    "Chapter": "Chapter",
    "Measure": "Measure",
    "Agency": "Agency",
    "TargetGroup": "TargetGroup",
    "Program": "Program",
}
#: Classes of shared nodes: counted and compared as used by document graphs (Neo4j label).
_SHARED_CLASSES = frozenset({"Agency", "TargetGroup", "Program"})
#: ``counts()`` key → ontology class local name.
COUNT_CLASSES: dict[str, str] = {
    "documents": "PolicyDocument",
    "chapters": "Chapter",
    "measures": "Measure",
    "agencies": "Agency",
    "target_groups": "TargetGroup",
    "programs": "Program",
    "responsibilities": "Responsibility",
}


class Relationship(NamedTuple):
    src: str
    type: str
    dst: str
    role: str | None = None
    rank: int | None = None


class SelectStore(Protocol):
    """What these reads need of ``graph.rdf.store.RdfStore``."""

    iris: Iris

    def select(self, query: str, **bindings: Any) -> list[dict[str, Any]]: ...


def counts(store: SelectStore) -> dict[str, int]:
    """Distinct instances per ``COUNT_CLASSES`` key used by documents (0 when none)."""
    own = {k: c for k, c in COUNT_CLASSES.items() if c not in _SHARED_CLASSES}
    values = " ".join(f'("{k}" pkg:{c})' for k, c in own.items())
    rows = store.select(
        f"SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES (?kind ?class) {{ {values} }}"
        f" {in_document_graphs(store.iris, '?x a ?class', None)} }} GROUP BY ?kind"
    )
    keys = {c: k for k, c in COUNT_CLASSES.items()}
    rows += [
        {"kind": keys[str(r["kind"])], "n": r["n"]}
        for r in store.select(
            f"SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {used_nodes(store.iris, None)} }}"
            " GROUP BY ?kind"
        )
    ]
    out = dict.fromkeys(COUNT_CLASSES, 0)
    out.update({str(r["kind"]): int(r["n"]) for r in rows})
    return out


def node_iris(store: SelectStore, doc_id: str | None = None) -> dict[str, set[str]]:
    """IRIs of the nodes Neo4j should hold, by Neo4j label."""
    own = {k: c for k, c in NODE_CLASSES.items() if c not in _SHARED_CLASSES}
    values = " ".join(f'("{k}" pkg:{c})' for k, c in own.items())
    rows = store.select(
        f"SELECT DISTINCT ?kind ?x WHERE {{ VALUES (?kind ?class) {{ {values} }} "
        f"{in_document_graphs(store.iris, '?x a ?class', doc_id)} }}"
    )
    rows += store.select(f"SELECT DISTINCT ?kind ?x WHERE {{ {used_nodes(store.iris, doc_id)} }}")
    out: dict[str, set[str]] = {label: set() for label in NODE_CLASSES}
    for row in rows:
        out[str(row["kind"])].add(str(row["x"]))
    return out


def relationships(store: SelectStore, doc_id: str | None = None) -> set[Relationship]:
    """Relationships Neo4j should hold, as ``(src, type, dst, role, rank)``."""
    ns = store.iris.ontology_ns
    responsible = "?m pkg:responsibility ?r . ?r pkg:agency ?a ; pkg:role ?role ; pkg:rank ?rank"
    rows = store.select(
        "SELECT DISTINCT ?a ?m ?role ?rank WHERE { "
        + in_document_graphs(store.iris, responsible, doc_id)
        + " }"
    )
    out = {
        Relationship(r["a"], "RESPONSIBLE_FOR", r["m"], r["role"].removeprefix(ns), r["rank"])
        for r in rows
    }
    for rel_type, pattern in relationship_patterns(store.iris, doc_id).items():
        query = f"SELECT DISTINCT ?s ?o WHERE {{ {pattern} }}"
        out.update(Relationship(r["s"], rel_type, r["o"]) for r in store.select(query))
    return out


__all__ = [
    "COUNT_CLASSES",
    "NODE_CLASSES",
    "Relationship",
    "SelectStore",
    "counts",
    "node_iris",
    "relationships",
]
