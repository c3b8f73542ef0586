"""The measures of other documents that say the same thing as one measure (REST, pages).

A read of the links graph/similar_index.py keeps in the RDF store (graph/rdf/similar.py):
one measure's list, best first, with each other measure's title and document. The cost is
that of one measure's list, whatever the size of the corpus.
"""

from __future__ import annotations

from typing import Any

from graph.catalog.details import Row, Selectable, rows
from graph.rdf.similar import measure_key
from ontology.errors import InvalidParameter, NotFound
from ontology.iris import Iris

#: The largest ``limit`` a caller may ask for (a list holds at most TOP_K links anyway).
MAX_LIMIT = 100


def similar_measures(
    store: Selectable, iris: Iris, document: str, number: int, limit: int
) -> list[dict[str, Any]]:
    """Links of measure ``number`` of ``document``: ``{"document", "number", "id", "iri",
    "title", "document_title", "score"}``, best score first (ties by IRI).

    NotFound for an unknown measure; InvalidParameter for a limit outside 1..MAX_LIMIT.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidParameter(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    m = str(iris.measure(document, number))
    g = str(iris.document_graph(document))
    found = rows(
        store,
        iris,
        f"""SELECT ?here ?o ?score ?title ?doc_title WHERE {{
          {{ GRAPH <{g}> {{ <{m}> a pkg:Measure }} BIND(true AS ?here) }}
          UNION {{ GRAPH <{iris.similar_graph(document)}> {{ <{m}> pkg:similarity ?q .
              ?q pkg:similarMeasure ?o ; pkg:similarityScore ?score }}
            OPTIONAL {{ ?o dcterms:title ?title }}
            OPTIONAL {{ ?o pkg:inDocument ?d . ?d dcterms:title ?doc_title }} }}
        }}""",
    )
    if not any(r.get("here") for r in found):
        raise NotFound(f"no measure {number} in document {document!r}")
    out: list[Row] = []
    for r in found:
        other = r.get("o")
        if other is None:
            continue
        doc, ordinal = measure_key(iris, other)
        out.append(
            {
                "document": doc,
                "number": ordinal,
                "id": f"{doc}/measure/{ordinal}",
                "iri": other,
                "title": r.get("title"),
                "document_title": r.get("doc_title"),
                "score": round(float(r["score"]), 6),
            }
        )
    out.sort(key=lambda item: (-item["score"], item["iri"]))
    return out[:limit]


__all__ = ["MAX_LIMIT", "similar_measures"]
