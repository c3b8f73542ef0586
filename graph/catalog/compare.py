"""Comparing two loaded documents: their measures with agencies and functions, read from
the RDF store, aligned by graph.analysis.alignment (REST ``/api/compare``, the page and
``policykg compare``).

One SPARQL read per document, inside its own named graph (cost grows with the document, not
the corpus); agency names and functions come from the shared descriptions.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from graph.analysis.alignment import Alignment, Duty, Measure, align
from graph.catalog.chain import Node, SparqlChainReader
from graph.catalog.details import Ids, Selectable, rows
from ontology.errors import InvalidParameter, NotFound
from ontology.iris import Iris


def document_node(store: Selectable, iris: Iris, doc_id: str) -> Node:
    """The document's title, number, issuer, date and level (NotFound when not loaded)."""
    iri = str(iris.document(doc_id))
    found = SparqlChainReader(store, iris).documents([iri]).get(iri)
    if found is None or not found["loaded"]:
        raise NotFound(f"no document with id {doc_id!r}")
    return found


def measures(store: Selectable, iris: Iris, doc_id: str) -> list[Measure]:
    """Every measure of the document with its duties (agency, role, rank, function)."""
    graph = iris.document_graph(doc_id)
    found = rows(
        store,
        iris,
        f"""SELECT ?m ?ordinal ?title ?text ?a ?role ?rank ?name ?f ?flabel WHERE {{
          GRAPH <{graph}> {{
            ?m a pkg:Measure ; pkg:ordinal ?ordinal ; dcterms:title ?title .
            OPTIONAL {{ ?m pkg:text ?text }}
            OPTIONAL {{ ?m pkg:responsibility ?r . ?r pkg:agency ?a ; pkg:role ?role ;
                        pkg:rank ?rank }}
          }}
          OPTIONAL {{ ?a rdfs:label ?name FILTER (lang(?name) = "") }}
          OPTIONAL {{ ?a pkg:function ?f .
                      OPTIONAL {{ ?f skos:prefLabel ?flabel FILTER (lang(?flabel) != "en") }} }}
        }}""",
    )
    ids = Ids(iris)
    texts: dict[str, tuple[int, str, str]] = {}
    duties: dict[str, dict[tuple[int, str], Duty]] = {}
    for r in found:
        m = r["m"]
        texts.setdefault(m, (int(r["ordinal"]), str(r["title"]), str(r["text"] or "")))
        kept = duties.setdefault(m, {})
        if r["a"] is None or r["rank"] is None:
            continue
        key = (int(r["rank"]), r["a"])
        duty = Duty(
            agency=r["a"],
            name=str(r["name"] or r["a"]),
            role=ids.role(r["role"]),
            rank=int(r["rank"]),
            function=ids.function(r["f"]) if r["f"] else None,
            function_label=r["flabel"],
        )
        held = kept.get(key)  # several labels: the smallest, as graph.analysis.network
        if held is None or (duty.name, duty.function_label or "") < (
            held.name,
            held.function_label or "",
        ):
            kept[key] = duty
    out = [
        Measure(o, t, x, tuple(duties[m][k] for k in sorted(duties[m])))
        for m, (o, t, x) in texts.items()
    ]
    return sorted(out, key=lambda m: m.ordinal)


def comparison(store: Selectable, iris: Iris, a: str, b: str) -> tuple[Node, Node, Alignment]:
    """Both documents' descriptions and the alignment of their measures."""
    if a == b:
        raise InvalidParameter(f"a and b: compare two different documents (both are {a!r})")
    doc_a, doc_b = document_node(store, iris, a), document_node(store, iris, b)
    return doc_a, doc_b, align(measures(store, iris, a), measures(store, iris, b))


def record(doc_a: Node, doc_b: Node, found: Alignment) -> dict[str, Any]:
    """A comparison as JSON-ready data (REST ``/api/compare``)."""
    return {
        "a": {**doc_a, "measures": len(found.pairs) + len(found.only_a)},
        "b": {**doc_b, "measures": len(found.pairs) + len(found.only_b)},
        **asdict(found),
    }


def compare(store: Selectable, iris: Iris, a: str, b: str) -> dict[str, Any]:
    """The comparison of documents ``a`` and ``b`` as JSON-ready data."""
    return record(*comparison(store, iris, a, b))


def adjacent_pairs(chain: Node) -> list[tuple[Node, Node]]:
    """(implemented, implementing) loaded documents of a policy chain linked by
    ``implements``: the pairs of adjacent levels a chain page offers to compare, upper first."""
    top_down = [*reversed(chain["up"]), [chain["document"]], *chain["down"]]
    loaded = {n["iri"]: n for lv in top_down for n in lv if n["loaded"]}
    pairs = {
        (link["to"], link["from"])
        for link in chain["links"]
        if link["relation"] == "implements" and link["to"] in loaded and link["from"] in loaded
    }
    order = {iri: i for i, iri in enumerate(loaded)}
    ranked = sorted(pairs, key=lambda p: (order[p[0]], order[p[1]]))
    return [(loaded[u], loaded[d]) for u, d in ranked]


__all__ = ["adjacent_pairs", "compare", "comparison", "document_node", "measures", "record"]
