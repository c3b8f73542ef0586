"""A document's policy chain: what it implements up to the top, what implements it down.

``implements`` links (``eli:applies`` in RDF, ``CITES {relation: "implements"}`` in Neo4j)
are followed level by level from the document: up to the documents it implements, their
own, and so on; down to the documents implementing it, theirs, and so on. A level lists
each document once (the nearest level wins; cycles stop). A reference to a document that is
not loaded ends its branch as a stub node (``loaded: false``).

The walk is written once, over a :class:`ChainReader`; :class:`SparqlChainReader` reads the
RDF store, graph.neo4j.citations the property graph, so both answer the same chain.
"""

from __future__ import annotations

from typing import Any, Protocol

from graph.catalog.details import Selectable, rows
from graph.rdf.citations import PREDICATES, RESOLVE, predicate
from graph.rdf.mapping import document_id_from_iri
from loaders.model import CitationRelation
from ontology.errors import NotFound
from ontology.functions import read_unit
from ontology.iris import Iris

Node = dict[str, Any]
#: (citing document IRI, relation, target IRI): target is the loaded document the
#: reference resolves to, else the stub's IRI.
Edge = tuple[str, str, str]
LEVEL_ORDER = {"national": 0, "provincial": 1, "city": 2, "county": 3, "district": 4}


class ChainReader(Protocol):
    """The three reads a chain needs, answered the same by either store."""

    def documents(self, iris_: list[str]) -> dict[str, Node]:
        """Loaded documents and stubs by IRI (fields of :func:`node`)."""
        ...

    def cited(self, sources: list[str], relation: str | None) -> list[Edge]:
        """Links from ``sources`` (all relations when ``relation`` is None)."""
        ...

    def citing(self, targets: list[str], relation: str) -> list[Edge]:
        """Links of ``relation`` from any document to the loaded ``targets``."""
        ...


def level_of(issuer: str | None, jurisdiction: str | None) -> str | None:
    """The level of government a document comes from, as its issuer's name says."""
    for name in (issuer, jurisdiction):
        if name:
            level = read_unit(name).level
            if level is not None:
                return level
    return None


def node(
    iri: str,
    doc_id: str | None,
    title: str | None,
    doc_number: str | None,
    issuer: str | None = None,
    date: str | None = None,
    jurisdiction: str | None = None,
) -> Node:
    """One chain node; ``doc_id`` None means a stub (a cited document not loaded)."""
    return {
        "iri": iri,
        "id": doc_id,
        "title": title,
        "doc_number": doc_number,
        "issuer": issuer,
        "date": date,
        "jurisdiction": jurisdiction,
        "level": level_of(issuer, jurisdiction) if doc_id is not None else None,
        "loaded": doc_id is not None,
    }


def _sort_key(n: Node) -> tuple[int, str, str]:
    return (LEVEL_ORDER.get(n["level"] or "", 9), n["date"] or "", n["iri"])


def _walk(
    reader: ChainReader, start: str, up: bool, seen: set[str], links: set[Edge]
) -> list[list[str]]:
    levels: list[list[str]] = []
    frontier = [start]
    while frontier:
        if up:
            edges = reader.cited(frontier, "implements")
            found = [e[2] for e in edges]
        else:
            edges = reader.citing(frontier, "implements")
            found = [e[0] for e in edges]
        links.update(edges)
        fresh = sorted(set(found) - seen)
        if not fresh:
            break
        seen.update(fresh)
        levels.append(fresh)
        frontier = fresh
    return levels


def build_chain(reader: ChainReader, start_iri: str) -> Node:
    """The chain of the loaded document ``start_iri`` (NotFound when it is not loaded)."""
    start = reader.documents([start_iri]).get(start_iri)
    if start is None or not start["loaded"]:
        raise NotFound(f"no document {start_iri}")
    links: set[Edge] = set()
    up = _walk(reader, start_iri, True, {start_iri}, links)
    down = _walk(reader, start_iri, False, {start_iri}, links)
    cites = reader.cited([start_iri], None)
    wanted = sorted({i for level in up + down for i in level} | {e[2] for e in cites})
    described = reader.documents(wanted)

    def level(iris_: list[str]) -> list[Node]:
        return sorted((described[i] for i in iris_ if i in described), key=_sort_key)

    return {
        "document": start,
        "up": [level(lv) for lv in up],
        "down": [level(lv) for lv in down],
        "links": [{"from": s, "relation": r, "to": t} for s, r, t in sorted(links)],
        "cites": [
            {"relation": r, "document": described[t]}
            for _, r, t in sorted(cites, key=lambda e: (e[1], e[2]))
            if t in described
        ],
    }


# --- the RDF store ---------------------------------------------------------------------
def _values(var: str, iris_: list[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(f'<{i}>' for i in iris_)} }}"


class SparqlChainReader:
    """:class:`ChainReader` over the RDF store (README “RDF mapping”, graph.rdf.citations)."""

    def __init__(self, store: Selectable, iris: Iris) -> None:
        self.store = store
        self.iris = iris
        self._relations: dict[str, CitationRelation] = {
            str(predicate(iris, r)): r for r in PREDICATES
        }

    def _predicates(self, relation: str | None) -> str:
        chosen = [p for p, r in self._relations.items() if relation in (None, r)]
        return _values("p", chosen)

    def cited(self, sources: list[str], relation: str | None) -> list[Edge]:
        query = (
            f"SELECT DISTINCT ?src ?p ?s ?d WHERE {{ {_values('src', sources)} "
            f"{self._predicates(relation)} ?src ?p ?s . ?s a pkg:CitedDocument . "
            f"OPTIONAL {{ {RESOLVE} }} }}"
        )
        return [
            (r["src"], self._relations[r["p"]], r["d"] or r["s"])
            for r in rows(self.store, self.iris, query)
        ]

    def citing(self, targets: list[str], relation: str) -> list[Edge]:
        query = (
            f"SELECT DISTINCT ?src ?p ?d WHERE {{ {_values('d', targets)} {RESOLVE} "
            f"{self._predicates(relation)} ?src ?p ?s . ?src a pkg:PolicyDocument }}"
        )
        return [
            (r["src"], self._relations[r["p"]], r["d"]) for r in rows(self.store, self.iris, query)
        ]

    def documents(self, iris_: list[str]) -> dict[str, Node]:
        if not iris_:
            return {}
        docs = rows(
            self.store,
            self.iris,
            f"SELECT ?d ?title ?number ?issuer ?written ?published ?jurisdiction WHERE {{ "
            f"{_values('d', iris_)} ?d a pkg:PolicyDocument ; dcterms:title ?title . "
            "OPTIONAL { ?d pkg:docNumber ?number } OPTIONAL { ?d pkg:issuer ?issuer } "
            "OPTIONAL { ?d pkg:writtenDate ?written } OPTIONAL { ?d pkg:publishedDate ?published } "
            "OPTIONAL { ?d pkg:jurisdiction ?jurisdiction } }",
        )
        out: dict[str, Node] = {}
        for r in docs:
            out[r["d"]] = node(
                r["d"],
                document_id_from_iri(self.iris, r["d"]),
                r["title"],
                r["number"],
                r["issuer"],
                r["written"] or r["published"],
                r["jurisdiction"],
            )
        stubs = [i for i in iris_ if i not in out]
        if stubs:
            found: dict[str, tuple[str | None, list[str]]] = {}
            for r in rows(
                self.store,
                self.iris,
                f"SELECT ?s ?number ?title WHERE {{ {_values('s', stubs)} ?s a pkg:CitedDocument "
                "OPTIONAL { ?s eli:id_local ?number } OPTIONAL { ?s dcterms:title ?title } }",
            ):
                number, titles = found.setdefault(r["s"], (r["number"], []))
                if r["title"] is not None:
                    titles.append(r["title"])
            for s, (number, titles) in found.items():
                out[s] = node(s, None, min(titles) if titles else None, number)
        return out


def chain(store: Selectable, iris: Iris, doc_id: str) -> Node:
    """The policy chain of document ``doc_id`` from the RDF store (REST /chain)."""
    return build_chain(SparqlChainReader(store, iris), str(iris.document(doc_id)))


__all__ = ["ChainReader", "SparqlChainReader", "build_chain", "chain", "level_of", "node"]
