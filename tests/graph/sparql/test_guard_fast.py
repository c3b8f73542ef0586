"""The parse-free path of the SPARQL guard never lets SERVICE, FROM or an update through,
and the full check is safe to call from many threads at once (rdflib's parser is not)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from graph.sparql.guard import QueryShape, inspect_query, quick_shape
from ontology.errors import QueryRefused


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX x: <http://a/>\nask { ?s x:p ?o }", "ASK"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://a/b>", "DESCRIBE"),
        ("SELECT ?n WHERE { ?a skos:prefLabel ?n FILTER(CONTAINS(?n, '残疾人')) }", "SELECT"),
    ],
)
def test_plain_queries_take_the_fast_path(text: str, form: str) -> None:
    expected = QueryShape(form=form, has_dataset=False, text=text)  # type: ignore[arg-type]
    assert quick_shape(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { sErViCe <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\U00000053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
        "SELECT * \\u0046ROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
        "INSERT DATA { <http://a/s> <http://a/p> 1 }",
        "CONSTRUCT { ?s ?p ?o } WHERE { { SELECT ?s ?p ?o WHERE { ?s ?p ?o } } }",
        "SELECT * WHERE { ?s ?p 'ask' }",
    ],
)
def test_anything_doubtful_goes_to_the_full_check(text: str) -> None:
    assert quick_shape(text) is None


def test_escaped_service_is_still_refused() -> None:
    with pytest.raises(QueryRefused):
        inspect_query("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_full_check_is_thread_safe() -> None:
    # Distinct texts defeat the cache, so each call parses; 8 threads at once.
    texts = [
        f"SELECT ?s FROM <http://localhost:8000/id/graph/x{i}> WHERE {{ ?s ?p {i} }}"
        for i in range(200)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        shapes = list(pool.map(inspect_query, texts))
    assert shapes == [QueryShape(form="SELECT", has_dataset=True, text=t) for t in texts]
