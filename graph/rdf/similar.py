"""Similar-measure links in the RDF store: the writes of graph/similar_index.py and the reads.

A measure's links live in ``Iris.similar_graph(its document)``, outside the document's own
graph (whose content hash must not move when another document arrives), as ``pkg:similarTo``
plus a qualified ``pkg:Similarity`` node with the score (ontology/policykg.ttl). Writes
replace a measure's whole list (delete what the store has for it, insert the new one), so a
write is idempotent and also repairs a list a crash left behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol
from urllib.parse import unquote

import pyoxigraph as ox

from ontology.errors import StoreError
from ontology.iris import Iris

#: A measure's links: (other measure IRI, score), best first.
Links = list[tuple[str, float]]


class QueryStore(Protocol):
    iris: Iris

    def select(self, query: str, **bindings: Any) -> list[dict[str, Any]]: ...


def measure_key(iris: Iris, measure: str) -> tuple[str, int]:
    """(document id, ordinal) of a measure IRI minted by ``Iris.measure``."""
    head, _, ordinal = measure.rpartition("/measure/")
    return unquote(head.removeprefix(str(iris.document("")))), int(ordinal)


def _score(value: float) -> str:
    return f'"{value:.6f}"^^<http://www.w3.org/2001/XMLSchema#decimal>'


def link_triples(iris: Iris, measure: str, links: Links) -> list[str]:
    """The N-Triples (without the final dot) of one measure's list."""
    pkg = iris.pkg
    out = []
    for other, value in links:
        doc, ordinal = measure_key(iris, other)
        node = iris.similarity(measure, doc, ordinal)
        out += [
            f"<{measure}> <{pkg.similarTo}> <{other}>",
            f"<{measure}> <{pkg.similarity}> <{node}>",
            f"<{node}> <{pkg.similarMeasure}> <{other}>",
            f"<{node}> <{pkg.similarityScore}> {_score(value)}",
        ]
    return out


def replace_update(
    iris: Iris, lists: Mapping[str, Links], dropped: Iterable[str] = (), fresh: Iterable[str] = ()
) -> str:
    """One SPARQL update: drop the similar graphs of ``dropped`` documents, clear the stored
    lists of the measures of ``lists`` (but those in ``fresh``, known to have none), insert
    the new lists. Empty string when there is nothing to do."""
    pkg = iris.pkg
    ops = [f"DROP SILENT GRAPH <{iris.similar_graph(d)}>" for d in sorted(set(dropped))]
    skip = set(fresh)
    by_graph: dict[str, list[str]] = {}
    clear: dict[str, list[str]] = {}
    for measure, links in lists.items():
        graph = str(iris.similar_graph(measure_key(iris, measure)[0]))
        if measure not in skip:
            clear.setdefault(graph, []).append(f"<{measure}>")
        by_graph.setdefault(graph, []).extend(link_triples(iris, measure, links))
    for graph, measures in sorted(clear.items()):
        values = " ".join(measures)
        ops.append(
            f"DELETE {{ GRAPH <{graph}> {{ ?m <{pkg.similarity}> ?q . ?q ?p ?v }} }} "
            f"WHERE {{ VALUES ?m {{ {values} }} GRAPH <{graph}> {{ ?m <{pkg.similarity}> ?q . "
            f"?q ?p ?v }} }}"
        )
        ops.append(
            f"DELETE {{ GRAPH <{graph}> {{ ?m <{pkg.similarTo}> ?o }} }} "
            f"WHERE {{ VALUES ?m {{ {values} }} GRAPH <{graph}> {{ ?m <{pkg.similarTo}> ?o }} }}"
        )
    blocks = [
        f"GRAPH <{g}> {{\n" + " .\n".join(lines) + " .\n}"
        for g, lines in sorted(by_graph.items())
        if lines
    ]
    if blocks:
        ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return " ;\n".join(ops)


def write(
    store: ox.Store,
    iris: Iris,
    lists: Mapping[str, Links],
    dropped: Iterable[str] = (),
    fresh: Iterable[str] = (),
) -> None:
    """Apply :func:`replace_update` in one transaction."""
    update = replace_update(iris, lists, dropped, fresh)
    if update:
        try:
            store.update(update)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"RDF store write of similar measures failed: {exc}") from None


def _number(value: Any) -> float:
    return round(float(value), 6) if isinstance(value, Decimal | float | int) else float(value)


def stored_lists(store: QueryStore, doc_ids: Sequence[str] | None = None) -> dict[str, Links]:
    """Every stored list (or those of the measures of ``doc_ids``), best first."""
    iris = store.iris
    prefix = str(iris.similar_graph(""))
    if doc_ids is None:
        where = f'FILTER(STRSTARTS(STR(?g), "{prefix}"))'
        values = ""
    else:
        values = "VALUES ?g { " + " ".join(f"<{iris.similar_graph(d)}>" for d in doc_ids) + " }"
        where = ""
    rows = store.select(
        f"SELECT ?m ?o ?s WHERE {{ {values} GRAPH ?g {{ ?m pkg:similarity ?q . "
        f"?q pkg:similarMeasure ?o ; pkg:similarityScore ?s }} {where} }}"
    )
    out: dict[str, Links] = {}
    for r in rows:
        out.setdefault(str(r["m"]), []).append((str(r["o"]), _number(r["s"])))
    for links in out.values():
        links.sort(key=lambda link: (-link[1], link[0]))
    return out


def measure_texts(store: QueryStore, doc_ids: Sequence[str]) -> list[tuple[str, str, str]]:
    """(document id, measure IRI, text) of the measures of loaded documents, for a rebuild."""
    if not doc_ids:
        return []
    iris = store.iris
    values = " ".join(f"<{iris.document_graph(d)}>" for d in doc_ids)
    rows = store.select(
        f"SELECT ?m ?text WHERE {{ VALUES ?g {{ {values} }} "
        f"GRAPH ?g {{ ?m a pkg:Measure ; pkg:text ?text }} }}"
    )
    out = []
    for r in rows:
        measure = str(r["m"])
        out.append((measure_key(iris, measure)[0], measure, str(r["text"])))
    return sorted(out, key=lambda t: (t[0], measure_key(iris, t[1])[1]))


__all__ = [
    "Links",
    "link_triples",
    "measure_key",
    "measure_texts",
    "replace_update",
    "stored_lists",
    "write",
]
