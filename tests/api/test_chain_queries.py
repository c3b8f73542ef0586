"""The README's policy-chain queries (SPARQL, Cypher, REST) give the same chain.

The query texts are cut out of README.md (section "A policy chain three ways"), so the
README cannot drift from what runs. They run through the service (/sparql, /cypher, REST) on
the four-level chain corpus plus tests/fixtures/compare's second city (which implements the
provincial document too, so it must stay out of the city's chain), loaded into both stores.
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
from graph.neo4j import store as neo4j_store
from graph.rdf.store import RdfStore
from graph.settings import Settings
from loaders import extract_file
from ontology.iris import Iris
from tests.paths import ROOT

pytestmark = pytest.mark.neo4j
BASE = "http://localhost:8000"
CHAIN = ROOT / "tests" / "fixtures" / "chain"
FILES = [
    *sorted(CHAIN.glob("*.txt")),
    ROOT / "tests" / "fixtures" / "compare" / "city-shizhengfa-2024-8.txt",
]
SECTION = "### A policy chain three ways"
#: The chain of 泉政发〔2024〕3号 as the fixtures write it: it implements 岳政发〔2023〕15号
#: (为贯彻落实《…》（岳政发〔2023〕15号）), which implements 国发〔2023〕9号; the county's
#: 青政发〔2024〕7号 implements it by title (根据《泉河市人民政府关于印发…的通知》).
#: (direction, number, issuer, date, file)
EXPECTED = [
    ("down", "青政发〔2024〕7号", "泉河市青山县人民政府", "2024-04-08",
     "county-qingzhengfa-2024-7.txt"),
    ("up", "国发〔2023〕9号", "国务院", "2023-05-10", "national-guofa-2023-9.txt"),
    ("up", "岳政发〔2023〕15号", "东岳省人民政府", "2023-07-01",
     "provincial-yuezhengfa-2023-15.txt"),
]  # fmt: skip


def readme_block(language: str) -> str:
    """The first ``language`` fenced block of the README's chain section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n### ", len(SECTION))]
    found = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert found is not None, f"no {language} block in the README's chain section"
    return found.group(1)


def test_expected_values_are_the_fixtures() -> None:
    for _direction, number, issuer, date, name in EXPECTED:
        text = (CHAIN / name).read_text(encoding="utf-8")
        year, month, day = (int(x) for x in date.split("-"))
        assert number in text.splitlines()[1] + text.splitlines()[3]
        assert issuer in text and re.search(rf"{year}年0?{month}月0?{day}日", text)


@pytest.fixture
def client(neo4j: neo4j_lib.Driver, settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    config = Settings(data_dir=tmp_path, base_iri=BASE, neo4j_uri=None)
    config = config.model_copy(update={"neo4j_database": settings.neo4j_database})
    store = RdfStore.open(tmp_path / "oxigraph", Iris(BASE))
    store.ensure_vocabularies()
    for path in FILES:
        ex = extract_file(path)
        store.load_document(ex)
        neo4j_store.write_document(neo4j, ex, "v1", Iris(BASE), settings.neo4j_database)
    store.store.flush()
    with TestClient(create_app(config, rdf_store=store, neo4j_driver=neo4j)) as test_client:
        yield test_client
    store.close()


def _rows_sparql(client: TestClient) -> list[tuple[Any, ...]]:
    answer = client.post(
        "/sparql",
        data={"query": readme_block("sparql")},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200, answer.text
    bindings = answer.json()["results"]["bindings"]
    keys = ("direction", "number", "issuer", "date")
    return [tuple(b[k]["value"] for k in keys) for b in bindings]


def _rows_cypher(client: TestClient) -> list[tuple[Any, ...]]:
    answer = client.post(
        "/cypher",
        json={"query": readme_block("cypher"), "parameters": {"number": "泉政发〔2024〕3号"}},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return [tuple(row[:4]) for row in body["rows"]]


def _rows_rest(client: TestClient) -> list[tuple[Any, ...]]:
    command = readme_block("bash").strip()
    path = re.search(r"localhost:8000(/\S+)", command)
    assert path is not None
    answer = client.get(path.group(1))
    assert answer.status_code == 200, answer.text
    chain = answer.json()
    found = [
        (direction, n["doc_number"], n["issuer"], n["date"])
        for direction in ("up", "down")
        for level in chain[direction]
        for n in level
        if n["loaded"]
    ]
    return sorted(found, key=lambda r: (r[0], r[3]))


def test_same_chain_three_ways(client: TestClient) -> None:
    expected = [row[:4] for row in EXPECTED]
    assert _rows_sparql(client) == expected
    assert _rows_cypher(client) == expected
    assert _rows_rest(client) == expected
