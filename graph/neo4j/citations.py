"""Citations in Neo4j: the policy chain read with Cypher, and the check against the RDF store.

:class:`CypherChainReader` answers graph.catalog.chain's three reads from the property graph
(``CITES {relation}`` to ``CitedDocument`` stubs, resolved at query time like RDF), so
``build_chain`` gives the same chain from either store. :func:`citation_differences` is the
citation part of ``policykg verify``: the links, their relations, the stubs and what each
resolves to must be the same in both stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from graph.catalog.chain import Edge, Node, build_chain, node
from graph.neo4j import queries as q
from graph.neo4j.store import run_read
from graph.rdf.citations import PREDICATES, SelectStore, citation_links, stub_nodes
from graph.rdf.mapping import document_id_from_iri
from ontology.iris import Iris

#: (citing document IRI, relation, stub IRI, resolved document IRI or None)
Link = tuple[str, str, str, str | None]


class CypherChainReader:
    """graph.catalog.chain.ChainReader over Neo4j."""

    def __init__(self, driver: Driver, iris: Iris, database: str = "neo4j") -> None:
        self.driver = driver
        self.iris = iris
        self.database = database

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return run_read(self.driver, self.database, "reading a policy chain", query, **params)

    def cited(self, sources: list[str], relation: str | None) -> list[Edge]:
        relations = list(PREDICATES) if relation is None else [relation]
        records = self._read(q.CHAIN_CITED, sources=sources, relations=relations)
        return [(str(r["src"]), str(r["relation"]), str(r["target"])) for r in records]

    def citing(self, targets: list[str], relation: str) -> list[Edge]:
        records = self._read(q.CHAIN_CITING, targets=targets, relation=relation)
        return [(str(r["src"]), str(r["relation"]), str(r["target"])) for r in records]

    def documents(self, iris_: list[str]) -> dict[str, Node]:
        if not iris_:
            return {}
        out: dict[str, Node] = {}
        for r in self._read(q.CHAIN_DOCUMENTS, iris=iris_):
            iri = str(r["iri"])
            out[iri] = node(
                iri,
                document_id_from_iri(self.iris, iri),
                _text(r["title"]),
                _text(r["doc_number"]),
                _text(r["issuer"]),
                _text(r["written"]) or _text(r["published"]),
                _text(r["jurisdiction"]),
            )
        stubs = [i for i in iris_ if i not in out]
        if stubs:
            for r in self._read(q.CHAIN_STUBS, iris=stubs):
                titles = [str(t) for t in r["titles"] or []]
                iri = str(r["iri"])
                out[iri] = node(iri, None, min(titles) if titles else None, _text(r["doc_number"]))
        return out


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def chain(driver: Driver, iris: Iris, doc_id: str, database: str = "neo4j") -> Node:
    """The policy chain of ``doc_id`` from Neo4j (the same as graph.catalog.chain.chain)."""
    return build_chain(CypherChainReader(driver, iris, database), str(iris.document(doc_id)))


def neo4j_citation_links(driver: Driver, database: str = "neo4j") -> set[Link]:
    records = run_read(driver, database, "reading citations", q.CITATION_LINKS)
    return {
        (str(r["src"]), str(r["relation"]), str(r["stub"]), _text(r["target"])) for r in records
    }


def neo4j_stub_nodes(driver: Driver, database: str = "neo4j") -> set[tuple[str, str | None]]:
    records = run_read(driver, database, "reading citation stubs", q.CITED_NODES)
    return {(str(r["iri"]), _text(r["doc_number"])) for r in records}


@dataclass
class CitationDiff:
    """Citation links and stubs one store has and the other lacks (sorted)."""

    links_missing_in_neo4j: list[Link] = field(default_factory=list)
    links_only_in_neo4j: list[Link] = field(default_factory=list)
    stubs_missing_in_neo4j: list[tuple[str, str | None]] = field(default_factory=list)
    stubs_only_in_neo4j: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (
            self.links_missing_in_neo4j
            or self.links_only_in_neo4j
            or self.stubs_missing_in_neo4j
            or self.stubs_only_in_neo4j
        )

    def describe(self) -> list[str]:
        """One readable line per difference (for ``policykg verify``)."""
        lines = [f"citation missing in Neo4j: {_link(k)}" for k in self.links_missing_in_neo4j]
        lines += [f"citation only in Neo4j: {_link(k)}" for k in self.links_only_in_neo4j]
        lines += [f"cited document missing in Neo4j: {s}" for s, _ in self.stubs_missing_in_neo4j]
        lines += [f"cited document only in Neo4j: {s}" for s, _ in self.stubs_only_in_neo4j]
        return lines


def _link(key: Link) -> str:
    src, relation, stub, target = key
    return f"{src} -[:CITES {{relation: {relation}}}]-> {stub} (resolves to {target or 'nothing'})"


def _sorted(keys: set[Link]) -> list[Link]:
    return sorted(keys, key=lambda k: (k[0], k[1], k[2], k[3] or ""))


def citation_differences(
    rdf_store: SelectStore, driver: Driver, database: str = "neo4j"
) -> CitationDiff:
    """Compare citations in both stores: links with relation and resolution, and stubs."""
    rdf_links, neo_links = citation_links(rdf_store), neo4j_citation_links(driver, database)
    rdf_stubs, neo_stubs = stub_nodes(rdf_store), neo4j_stub_nodes(driver, database)
    return CitationDiff(
        links_missing_in_neo4j=_sorted(rdf_links - neo_links),
        links_only_in_neo4j=_sorted(neo_links - rdf_links),
        stubs_missing_in_neo4j=sorted(rdf_stubs - neo_stubs, key=str),
        stubs_only_in_neo4j=sorted(neo_stubs - rdf_stubs, key=str),
    )


__all__ = [
    "CitationDiff",
    "CypherChainReader",
    "chain",
    "citation_differences",
    "neo4j_citation_links",
    "neo4j_stub_nodes",
]
