"""Similar-measure links in the RDF store: the writes of graph/similar_index.py and the reads.

A measure's links live in ``Iris.similar_graph(its document)``, outside the document's own
graph (whose content hash must not move when another document arrives), as ``pkg:similarTo``
plus a qualified ``pkg:Similarity`` node with the score (ontology/policykg.ttl). A write
replaces a measure's whole list (delete what the store has for it, insert the new one: the
repair of a list a crash left behind), but where the caller knows the stored list (the
index's own, which mirrors the store) only the links that went and came are written, and a
load's many new lists are bulk-loaded: a link counts only whole when read back, so a bulk
load cut short shows as differing lists, which the next build of the index rewrites.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
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


@lru_cache(maxsize=1 << 18)
def _graph_of(iris: Iris, measure: str) -> str:
    """The similar graph of a measure's document (cached: a load names each measure often)."""
    return str(iris.similar_graph(_key(iris, measure)[0]))


def link_triples(iris: Iris, measure: str, links: Links) -> list[str]:
    """The N-Triples (without the final dot) of one measure's list."""
    if not links:
        return []
    to, via, of, scored = _predicates(iris)
    out = []
    for other, value in links:
        node = _node(iris, measure, other)
        out += [
            f"<{measure}> {to} <{other}>",
            f"<{measure}> {via} <{node}>",
            f"<{node}> {of} <{other}>",
            f"<{node}> {scored} {_score(value)}",
        ]
    return out


@lru_cache(maxsize=4)
def _predicates(iris: Iris) -> tuple[str, str, str, str]:
    pkg = iris.pkg
    names = (pkg.similarTo, pkg.similarity, pkg.similarMeasure, pkg.similarityScore)
    return tuple(f"<{p}>" for p in names)  # type: ignore[return-value]


@lru_cache(maxsize=1 << 18)
def _key(iris: Iris, measure: str) -> tuple[str, int]:
    return measure_key(iris, measure)


def _node(iris: Iris, measure: str, other: str) -> str:
    doc, ordinal = _key(iris, other)
    return str(iris.similarity(measure, doc, ordinal))


def _delta(iris: Iris, measure: str, links: Links, stored: Links) -> tuple[list[str], Links]:
    """The similarity nodes of the links of ``stored`` that ``links`` lacks, and the links of
    ``links`` that ``stored`` lacks."""
    gone = [_node(iris, measure, other) for other, v in stored if (other, v) not in links]
    return gone, [link for link in links if link not in stored]


def replace_update(
    iris: Iris,
    lists: Mapping[str, Links],
    dropped: Iterable[str] = (),
    fresh: Iterable[str] = (),
    stored: Mapping[str, Links] | None = None,
) -> str:
    """One SPARQL update: drop the similar graphs of ``dropped`` documents, clear the stored
    lists of the measures of ``lists`` (but those in ``fresh``, known to have none), insert
    the new lists. A measure of ``stored`` (whose stored list is known to be that one: the
    index's, graph/similar_index.py) has only the links that went deleted and those that
    came inserted: a list that takes one measure costs a link's triples, not the list's.
    Empty string when there is nothing to do."""
    ops, by_graph = _plan(iris, lists, dropped, fresh, stored)
    return " ;\n".join([*ops, *_insert(by_graph)])


def _insert(by_graph: Mapping[str, list[str]]) -> list[str]:
    blocks = [
        f"GRAPH <{g}> {{\n" + " .\n".join(lines) + " .\n}" for g, lines in sorted(by_graph.items())
    ]
    return ["INSERT DATA {\n" + "\n".join(blocks) + "\n}"] if blocks else []


def _plan(
    iris: Iris,
    lists: Mapping[str, Links],
    dropped: Iterable[str],
    fresh: Iterable[str],
    stored: Mapping[str, Links] | None,
) -> tuple[list[str], dict[str, list[str]]]:
    """:func:`replace_update`'s drops and deletes, and the triples it inserts by graph."""
    pkg = iris.pkg
    gone_docs = set(dropped)
    ops = [f"DROP SILENT GRAPH <{iris.similar_graph(d)}>" for d in sorted(gone_docs)]
    skip = set(fresh)
    known = stored or {}
    by_graph: dict[str, list[str]] = {}
    clear: dict[str, list[str]] = {}
    dead: list[str] = []
    for measure, links in lists.items():
        graph = _graph_of(iris, measure)
        if measure in skip:
            pass
        elif measure in known and _key(iris, measure)[0] not in gone_docs:
            nodes, links = _delta(iris, measure, links, known[measure])
            dead += [f"(<{graph}> <{measure}> <{node}>)" for node in nodes]
        else:
            clear.setdefault(graph, []).append(f"<{measure}>")
        if links:
            by_graph.setdefault(graph, []).extend(link_triples(iris, measure, links))
    if dead:  # a node names its measure and the other: its triples and the two that lead to it
        ops.append(
            f"DELETE {{ GRAPH ?g {{ ?m <{pkg.similarity}> ?q . ?m <{pkg.similarTo}> ?o . "
            f"?q ?p ?v }} }} WHERE {{ VALUES (?g ?m ?q) {{ {' '.join(dead)} }} "
            f"GRAPH ?g {{ ?m <{pkg.similarity}> ?q . ?q <{pkg.similarMeasure}> ?o ; ?p ?v }} }}"
        )
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
    return ops, by_graph


#: A write inserting at least this many links bulk-loads them (as graph/rdf/bulk.py loads
#: new documents) after a transaction with its drops and deletes: inserted in a transaction
#: they cost three times as much (bench/README.md, "Similar measures").
BULK_MIN_LINKS = 1000
_LINK_TRIPLES = 4


def _nquads(by_graph: Mapping[str, list[str]]) -> bytes:
    lines = [f"{t} <{graph}> .\n" for graph, triples in by_graph.items() for t in triples]
    return "".join(lines).encode("utf-8")


def write(
    store: ox.Store,
    iris: Iris,
    lists: Mapping[str, Links],
    dropped: Iterable[str] = (),
    fresh: Iterable[str] = (),
    stored: Mapping[str, Links] | None = None,
) -> None:
    """Apply :func:`replace_update` in one transaction; or, for many links, its drops and
    deletes in one and a bulk load of its inserts after (not atomic: a write that fails or
    a crash leaves lists the next build of the index compares with its own and rewrites,
    graph/similar_index.py)."""
    many = False
    if sum(len(links) for links in lists.values()) < BULK_MIN_LINKS:  # a bound of the inserts
        update = replace_update(iris, lists, dropped, fresh, stored)
    else:
        ops, by_graph = _plan(iris, lists, dropped, fresh, stored)
        many = sum(len(t) for t in by_graph.values()) >= BULK_MIN_LINKS * _LINK_TRIPLES
        update = " ;\n".join(ops if many else [*ops, *_insert(by_graph)])
    try:
        if update:
            store.update(update)
        if many:
            store.bulk_load(_nquads(by_graph), ox.RdfFormat.N_QUADS)
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"RDF store write of similar measures failed: {exc}") from None


def _number(value: Any) -> float:
    return round(float(value), 6) if isinstance(value, Decimal | float | int) else float(value)


def stored_lists(store: QueryStore, doc_ids: Sequence[str] | None = None) -> dict[str, Links]:
    """Every stored list (or those of the measures of ``doc_ids``), best first. A link counts
    only whole (its four triples: a bulk write cut short leaves parts, which then differ)."""
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
        f"?q pkg:similarMeasure ?o ; pkg:similarityScore ?s . ?m pkg:similarTo ?o }} {where} }}"
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
