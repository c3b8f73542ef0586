"""REST ``/api/measures/{doc}/{n}/similar``, and the same lists through SPARQL and Cypher.

The corpus is tests/fixtures/similar (three cities; see tests/graph/test_similar_index.py
for which measures say the same thing and why).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j as neo4j_lib
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph import pipeline, similar_index
from graph.neo4j import similar as neo_similar
from graph.rdf import similar as rdf_similar
from graph.rdf.store import RdfStore
from graph.settings import Settings
from ontology.iris import Iris
from tests.graph.test_similar_index import EXPECTED_ALL, FIXTURES, short
from tests.paths import ROOT

BASE = "http://localhost:8000"
IRIS = Iris(BASE)
FILES = sorted(FIXTURES.glob("*.txt"))
MEASURES = [f"{d}/{n}" for d in ("bing-2024-3", "jia-2024-1", "yi-2024-2") for n in (1, 2, 3)]

SPARQL = """PREFIX pkg: <http://localhost:8000/ontology#>
SELECT ?other ?score WHERE {
  ?m pkg:similarTo ?other ; pkg:similarity ?q .
  ?q pkg:similarMeasure ?other ; pkg:similarityScore ?score .
} ORDER BY DESC(?score) ?other"""

CYPHER = """MATCH (m:Measure {iri: $iri})-[s:SIMILAR]->(o:Measure)
RETURN o.iri AS other, s.score AS score ORDER BY score DESC, other"""


def _store(path: Path, driver: neo4j_lib.Driver | None) -> RdfStore:
    store = RdfStore.open(path, IRIS)
    store.ensure_vocabularies()
    report = pipeline.load_paths(FILES, store, driver, IRIS)
    assert report.ok, report.outcomes
    store.store.flush()
    return store


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("similar-api")
    store = _store(tmp / "oxigraph", None)
    settings = Settings(data_dir=tmp, base_iri=BASE, neo4j_uri=None)
    with TestClient(create_app(settings, rdf_store=store)) as test_client:
        yield test_client
    similar_index.forget(store)
    store.close()


def _path(measure: str) -> str:
    doc, n = measure.split("/")
    return f"/api/measures/{doc}/{n}/similar"


def test_json_lists_of_the_corpus(client: TestClient) -> None:
    for measure in MEASURES:
        answer = client.get(_path(measure))
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["measure"] == measure.replace("/", "/measure/")
        assert [f"{i['document']}/{i['number']}" for i in body["items"]] == EXPECTED_ALL.get(
            measure, []
        )
        assert body["total"] == len(body["items"])
    first = client.get(_path("yi-2024-2/1")).json()["items"][0]
    assert first["id"] == "jia-2024-1/measure/1"
    assert first["title"] == "发放扩岗补助"
    assert first["document_title"] == "甲市人民政府关于稳就业的若干措施"
    assert 0.75 <= first["score"] <= 1.0


def test_limit_and_csv(client: TestClient) -> None:
    one = client.get(_path("bing-2024-3/1"), params={"limit": 1}).json()
    assert [i["id"] for i in one["items"]] == ["yi-2024-2/measure/1"]
    answer = client.get(_path("bing-2024-3/1"), params={"format": "csv"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    lines = answer.text.strip().splitlines()
    assert lines[0] == "id,document,number,title,document_title,score"
    assert [line.split(",")[0] for line in lines[1:]] == [
        "yi-2024-2/measure/1",
        "jia-2024-1/measure/1",
    ]
    by_accept = client.get(_path("bing-2024-3/1"), headers={"Accept": "text/csv"})
    assert by_accept.text == answer.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/measures/yi-2024-2/4/similar", 404),
        ("/api/measures/no-such-document/1/similar", 404),
        ("/api/measures/yi-2024-2/1/similar?limit=0", 422),
        ("/api/measures/yi-2024-2/1/similar?limit=101", 422),
        ("/api/measures/yi-2024-2/1/similar?limit=many", 422),
        ("/api/measures/yi-2024-2/0/similar", 422),
        ("/api/measures/yi-2024-2/1/similar?format=xml", 422),
    ],
)
def test_bad_requests_are_4xx_problems(client: TestClient, path: str, status: int) -> None:
    answer = client.get(path)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


# --- the same lists three ways (needs Neo4j) ----------------------------------------------


@pytest.fixture
def both(neo4j: neo4j_lib.Driver, settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    config = Settings(data_dir=tmp_path, base_iri=BASE, neo4j_uri=None)
    config = config.model_copy(update={"neo4j_database": settings.neo4j_database})
    store = _store(tmp_path / "oxigraph", neo4j)
    with TestClient(create_app(config, rdf_store=store, neo4j_driver=neo4j)) as test_client:
        yield test_client
    similar_index.forget(store)
    store.close()


def _iri(measure: str) -> str:
    doc, n = measure.split("/")
    return str(IRIS.measure(doc, int(n)))


def _sparql(client: TestClient, measure: str) -> list[tuple[str, float]]:
    query = SPARQL.replace("?m pkg", f"<{_iri(measure)}> pkg", 1)
    answer = client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200, answer.text
    rows = answer.json()["results"]["bindings"]
    return [(r["other"]["value"], round(float(r["score"]["value"]), 6)) for r in rows]


def _cypher(client: TestClient, measure: str) -> list[tuple[str, float]]:
    answer = client.post("/cypher", json={"query": CYPHER, "parameters": {"iri": _iri(measure)}})
    assert answer.status_code == 200, answer.text
    return [(row[0], round(float(row[1]), 6)) for row in answer.json()["rows"]]


def _rest(client: TestClient, measure: str) -> list[tuple[str, float]]:
    items: list[dict[str, Any]] = client.get(_path(measure)).json()["items"]
    return [(i["iri"], i["score"]) for i in items]


@pytest.mark.neo4j
def test_sparql_cypher_and_rest_give_the_same_lists(both: TestClient) -> None:
    for measure in MEASURES:
        rest = _rest(both, measure)
        expected = [_iri(m) for m in EXPECTED_ALL.get(measure, [])]
        assert [iri for iri, _ in rest] == expected
        assert _sparql(both, measure) == rest
        assert _cypher(both, measure) == rest


@pytest.mark.neo4j
def test_removal_reaches_both_stores(neo4j: neo4j_lib.Driver, tmp_path: Path) -> None:
    store = _store(tmp_path / "oxigraph", neo4j)
    try:
        assert pipeline.remove("jia-2024-1", store, neo4j)
        in_rdf = rdf_similar.stored_lists(store)
        assert in_rdf == neo_similar.stored_lists(neo4j)
        assert {m.split("/id/document/")[1] for m in in_rdf} == {
            "yi-2024-2/measure/1",
            "bing-2024-3/measure/1",
        }
    finally:
        similar_index.forget(store)
        store.close()


@pytest.mark.neo4j
def test_verify_compares_the_lists_and_repair_rewrites_them(
    neo4j: neo4j_lib.Driver, tmp_path: Path
) -> None:
    from graph import verify

    store = _store(tmp_path / "oxigraph", neo4j)
    try:
        assert verify.compare_stores(store, neo4j).identical
        assert verify.similar_lines(store, neo4j) == []
        yi1 = _iri("yi-2024-2/1")
        neo_similar.write(neo4j, {yi1: [(_iri("jia-2024-1/1"), 0.5)]})  # a wrong score
        lines = verify.similar_lines(store, neo4j)
        assert len(lines) == 1 and yi1 in lines[0]
        neo_similar.write(neo4j, {yi1: []})  # a link lost
        assert not verify.compare_stores(store, neo4j).identical
        assert "similar measures: 1 lists rewritten" in verify.repair(store, neo4j)
        assert verify.similar_lines(store, neo4j) == []
        assert verify.compare_stores(store, neo4j).identical
    finally:
        similar_index.forget(store)
        store.close()


def test_a_fresh_service_answers_from_the_store_without_the_index(tmp_path: Path) -> None:
    """The lists are in the store: a service opened on it answers them at once, building no
    index (only writes need one)."""
    loaded = _store(tmp_path / "oxigraph", None)
    similar_index.forget(loaded)
    loaded.close()
    store = RdfStore.open(tmp_path / "oxigraph", IRIS)
    settings = Settings(data_dir=tmp_path, base_iri=BASE, neo4j_uri=None)
    try:
        with TestClient(create_app(settings, rdf_store=store)) as fresh:
            for measure in MEASURES:
                items = fresh.get(_path(measure)).json()["items"]
                assert [f"{i['document']}/{i['number']}" for i in items] == EXPECTED_ALL.get(
                    measure, []
                )
        assert store not in similar_index._indexes
    finally:
        store.close()


@pytest.mark.neo4j
def test_a_document_rewritten_in_neo4j_alone_gets_its_links_back(
    neo4j: neo4j_lib.Driver, tmp_path: Path
) -> None:
    """Neo4j lost 乙 (its measures went with every SIMILAR to or from them); the next load
    writes 乙 to Neo4j only (the RDF store has it) and the lists touching it again."""
    from graph import verify
    from graph.neo4j import store as neo4j_store

    store = _store(tmp_path / "oxigraph", neo4j)
    try:
        assert neo4j_store.remove_document(neo4j, "yi-2024-2")
        lost = neo_similar.stored_lists(neo4j)
        assert [o for o, _ in lost[_iri("jia-2024-1/1")]] == [_iri("bing-2024-3/1")]
        report = pipeline.load_paths(FILES, store, neo4j, IRIS)
        assert [o.stores for o in report.outcomes if o.doc_id == "yi-2024-2"] == [("neo4j",)]
        assert neo_similar.stored_lists(neo4j) == rdf_similar.stored_lists(store)
        assert verify.compare_stores(store, neo4j).identical
    finally:
        similar_index.forget(store)
        store.close()


def test_the_readme_query_gives_the_rest_lists(client: TestClient) -> None:
    """README's "Similar measures" SPARQL, run for every fixture measure, lists what REST
    lists (the README example names Jinan's measure 5; any measure IRI goes in its place)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Similar measures") :]
    found = re.search(r"```sparql\n(.*?)```", section, re.S)
    assert found is not None
    example = f"<{BASE}/id/document/jinan-2025-5/measure/5>"
    assert example in found.group(1)
    for measure in MEASURES:
        doc, n = measure.split("/")
        query = found.group(1).replace(example, f"<{BASE}/id/document/{doc}/measure/{n}>")
        answer = client.post(
            "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        assert answer.status_code == 200, answer.text
        got = [
            (b["other"]["value"], b["title"]["value"], round(float(b["score"]["value"]), 6))
            for b in answer.json()["results"]["bindings"]
        ]
        items = client.get(_path(measure)).json()["items"]
        rest = [(i["iri"], i["title"], i["score"]) for i in items]
        assert got == rest
        assert [short(iri) for iri, _, _ in got] == EXPECTED_ALL.get(measure, [])
