"""Similar-measure links in Neo4j: ``(:Measure)-[:SIMILAR {score}]->(:Measure)``.

The same lists as the RDF store's (graph/rdf/similar.py), written by graph/similar_index.py:
a write replaces whole lists (delete a measure's outgoing SIMILAR, create the new ones), in
one transaction, batched with UNWIND.
"""

from __future__ import annotations

from collections.abc import Mapping

from neo4j import Driver, Transaction

from graph.neo4j import queries as q
from graph.neo4j.store import run_read, run_write
from graph.rdf import similar as rdf_similar
from graph.rdf.similar import Links
from graph.rdf.similar import QueryStore as SelectStore

CHUNK = 5000


def _chunks(rows: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    return [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]


def write(driver: Driver, lists: Mapping[str, Links], database: str = "neo4j") -> None:
    """Replace the lists of the measures of ``lists`` in one transaction."""
    if not lists:
        return
    clear: list[dict[str, object]] = [{"iri": m} for m in lists]
    create: list[dict[str, object]] = [
        {"src": m, "dst": other, "score": score}
        for m, links in lists.items()
        for other, score in links
    ]

    def work(tx: Transaction) -> None:
        for chunk in _chunks(clear):
            tx.run(q.DELETE_SIMILAR, {"rows": chunk}).consume()
        for chunk in _chunks(create):
            tx.run(q.CREATE_SIMILAR, {"rows": chunk}).consume()

    run_write(driver, database, "writing similar measures", work)


def stored_lists(driver: Driver, database: str = "neo4j") -> dict[str, Links]:
    """Every stored list, best first (ties by IRI)."""
    out: dict[str, Links] = {}
    for r in run_read(driver, database, "reading similar measures", q.SIMILAR_LINKS):
        out.setdefault(str(r["src"]), []).append((str(r["dst"]), round(float(r["score"]), 6)))
    for links in out.values():
        links.sort(key=lambda link: (-link[1], link[0]))
    return out


def similar_of(driver: Driver, measure: str, limit: int, database: str = "neo4j") -> Links:
    """One measure's list from Neo4j, best first."""
    records = run_read(
        driver,
        database,
        "reading similar measures",
        q.SIMILAR_OF_MEASURE,
        iri=measure,
        limit=limit,
    )
    return [(str(r["dst"]), round(float(r["score"]), 6)) for r in records]


def similar_keys(rdf: SelectStore) -> set[tuple[str, str, str, str | None, int | None]]:
    """The SIMILAR relationships Neo4j should hold, in graph.verify's key form."""
    return {
        ("SIMILAR", m, other, None, None)
        for m, links in rdf_similar.stored_lists(rdf).items()
        for other, _ in links
    }


def similar_differences(rdf: SelectStore, driver: Driver, database: str = "neo4j") -> list[str]:
    """One line per measure whose list (links or scores) differs between the stores."""
    mine, theirs = rdf_similar.stored_lists(rdf), stored_lists(driver, database)
    return [
        f"similar measures of {m} differ: RDF {mine.get(m, [])}, Neo4j {theirs.get(m, [])}"
        for m in sorted(set(mine) | set(theirs))
        if mine.get(m, []) != theirs.get(m, [])
    ]


__all__ = ["similar_differences", "similar_keys", "similar_of", "stored_lists", "write"]
