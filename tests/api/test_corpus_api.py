"""The corpus view on the home page and as REST (/api/corpus…), over the bundled Jinan
document (济南市人民政府, a city document) and the four-level chain corpus of
tests/fixtures/chain (see tests/graph/catalog/test_corpus.py for what the texts say):
national 国务院 (3 measures), provincial 东岳省人民政府 (3), city 泉河市人民政府 (3), county
泉河市青山县人民政府 (2); one chain of the four, topped by 国发〔2023〕9号, with one stub.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.cli.serve import bootstrap
from graph import pipeline
from graph.catalog import lists, rollup
from graph.rdf import summary
from graph.rdf.store import RdfStore
from graph.settings import Settings
from loaders import extract_file
from tests.api.conftest import make_app
from tests.paths import ROOT

CHAIN = ROOT / "tests" / "fixtures" / "chain"
FILES = (
    "county-qingzhengfa-2024-7.txt",
    "national-guofa-2023-9.txt",
    "city-quanzhengfa-2024-3.txt",
    "provincial-yuezhengfa-2023-15.txt",
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, RdfStore]]:
    client, store = make_app(tmp_path_factory.mktemp("corpus-api"))
    for name in FILES:
        pipeline.load_extraction(extract_file(CHAIN / name), store, None, store.iris)
    store.store.flush()
    with client:
        yield client, store
    store.close()


def test_corpus_json(served: tuple[TestClient, RdfStore]) -> None:
    client, _ = served
    body = client.get("/api/corpus").json()
    assert body["documents"] == 5
    levels = {r["level"]: r["documents"] for r in body["documents_by_level"]}
    assert levels == {"national": 1, "provincial": 1, "city": 2, "county": 1}
    assert [r["level"] for r in body["documents_by_level"]] == [
        "national",
        "provincial",
        "city",
        "county",
    ]
    issuers = {r["issuer"]: (r["level"], r["documents"]) for r in body["documents_by_issuer"]}
    assert issuers["泉河市青山县人民政府"] == ("county", 1)
    assert issuers["国务院"] == ("national", 1)
    assert issuers["济南市人民政府"] == ("city", 1)
    assert [c["top"] for c in body["chains"]] == ["doc-gf-2023-9"]  # Jinan cites nothing
    assert (body["chains"][0]["documents"], body["chains"][0]["not_loaded"]) == (4, 1)
    measures = {f["id"]: f["measures"] for f in body["functions"]}
    assert measures["education"] >= 3 and measures["finance"] >= 4  # + Jinan's
    assert body["functions"] == sorted(body["functions"], key=lambda f: (-f["measures"], f["iri"]))


def test_corpus_tables_as_csv(served: tuple[TestClient, RdfStore]) -> None:
    client, _ = served
    answer = client.get("/api/corpus/levels?format=csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(answer.text)))
    assert table[0] == ["level", "documents", "measures"]
    assert [row[:2] for row in table[1:]] == [
        ["national", "1"],
        ["provincial", "1"],
        ["city", "2"],
        ["county", "1"],
    ]
    assert table[1][2] == "3" and table[4][2] == "2"
    chains = list(csv.DictReader(io.StringIO(client.get("/api/corpus/chains?format=csv").text)))
    assert [(c["top"], c["documents"]) for c in chains] == [("doc-gf-2023-9", "4")]
    assert client.get("/api/corpus/functions").json()["total"] >= 3


def test_documents_filtered(served: tuple[TestClient, RdfStore]) -> None:
    client, _ = served
    county = client.get("/api/corpus/documents?level=county").json()
    assert [d["id"] for d in county["items"]] == ["quanhe-qzf-2024-7"]
    city = client.get("/api/corpus/documents", params={"level": "city"}).json()
    assert sorted(d["id"] for d in city["items"]) == ["jinan-2025-5", "quanhe-2024-3"]
    nation = client.get("/api/corpus/documents", params={"issuer": "国务院"}).json()
    assert [(d["id"], d["measures"]) for d in nation["items"]] == [("doc-gf-2023-9", 3)]
    assert client.get("/api/corpus/documents?level=planet").status_code == 422
    assert client.get("/api/corpus/documents?limit=0").status_code == 422
    page = client.get("/corpus/documents", params={"issuer": "国务院"})
    assert page.status_code == 200
    assert "国务院关于做好当前青年就业工作的意见" in page.text
    assert 'href="/documents/doc-gf-2023-9/chain"' in page.text


def test_home_shows_the_corpus_view(served: tuple[TestClient, RdfStore]) -> None:
    client, _ = served
    text = client.get("/").text
    assert 'href="/corpus/documents?level=county"' in text
    assert "/corpus/documents?issuer=%E5%9B%BD%E5%8A%A1%E9%99%A2" in text  # 国务院
    assert 'href="/id/function/hrss"' in text
    assert 'href="/documents/doc-gf-2023-9/chain"' in text
    assert "最大政策链 Largest policy chains" in text


def test_agencies_are_the_corpus_aggregate(served: tuple[TestClient, RdfStore]) -> None:
    client, store = served
    expected = lists.agency_table(store, store.iris)  # the corpus-wide SPARQL aggregate
    got = client.get("/api/agencies?limit=1000").json()
    assert got["total"] == len(expected)
    assert got["items"] == expected
    by_name = {a["name"]: (a["measures"], a["lead"]) for a in got["items"]}
    assert by_name["泉河市人力资源社会保障局"] == (3, 2)
    page = client.get("/api/agencies?limit=2&offset=1").json()
    assert page["items"] == expected[1:3]
    filtered = client.get("/api/agencies", params={"q": "泉河"}).json()
    assert filtered["items"] == lists.agency_table(store, store.iris, "泉河")


def test_serve_start_makes_a_missing_rollup(tmp_path: Path) -> None:
    _client, store = make_app(tmp_path)  # the bundled document, through the pipeline
    try:
        graph = summary.summary_graph(store.iris)
        store.store.update(  # as after a vocabulary rewrite: no current rollup
            f"DELETE WHERE {{ GRAPH <{graph}> {{ <{graph}> ?p ?o }} }}"
        )
        assert rollup.read(store.store, store.iris) is None
        bootstrap(Settings(data_dir=tmp_path, neo4j_uri=None), store, None)
        kept = rollup.read(store.store, store.iris)
        assert kept is not None and [d["id"] for d in kept["documents"]] == ["jinan-2025-5"]
    finally:
        store.close()
