"""graph.catalog.chain over the four-level corpus of tests/fixtures/chain.

Read from the texts: 青政发〔2024〕7号 (county, 泉河市青山县) implements the city document by
its exact title; 泉政发〔2024〕3号 (city, 泉河市) implements 岳政发〔2023〕15号 and only cites
国发〔2023〕9号; 岳政发〔2023〕15号 (province, 东岳省) implements 国发〔2023〕9号 and repeals
岳政发〔2019〕2号 (not loaded); 国发〔2023〕9号 (国务院) implements 《中华人民共和国就业促进法》
(not loaded). They are loaded county first, so the county document waits for the city one.
"""

from __future__ import annotations

import hashlib

import pytest

from graph.catalog.chain import chain
from graph.rdf.store import RdfStore
from loaders import extract_file
from ontology.errors import NotFound
from ontology.iris import Iris
from tests.paths import ROOT

IRIS = Iris("http://kg.test")
CHAIN = ROOT / "tests" / "fixtures" / "chain"
ORDER = (
    "county-qingzhengfa-2024-7.txt",
    "national-guofa-2023-9.txt",
    "city-quanzhengfa-2024-3.txt",
    "provincial-yuezhengfa-2023-15.txt",
)
LAW_STUB = (
    "http://kg.test/id/cited/t-"
    + hashlib.sha1("中华人民共和国就业促进法".encode()).hexdigest()[:10]
)


def doc(doc_id: str, title: str, number: str, issuer: str, day: str, place: str | None, level: str):
    return {
        "iri": f"http://kg.test/id/document/{doc_id}",
        "id": doc_id,
        "title": title,
        "doc_number": number,
        "issuer": issuer,
        "date": day,
        "jurisdiction": place,
        "level": level,
        "loaded": True,
    }


NATION = doc(
    "doc-gf-2023-9", "国务院关于做好当前青年就业工作的意见", "国发〔2023〕9号", "国务院",
    "2023-05-10", None, "national",
)  # fmt: skip
PROVINCE = doc(
    "dongyue-yzf-2023-15", "东岳省人民政府关于做好青年就业工作的实施意见", "岳政发〔2023〕15号",
    "东岳省人民政府", "2023-07-01", "东岳省", "provincial",
)  # fmt: skip
CITY = doc(
    "quanhe-2024-3", "泉河市人民政府关于印发泉河市促进青年就业若干措施的通知", "泉政发〔2024〕3号",
    "泉河市人民政府", "2024-02-20", "泉河市", "city",
)  # fmt: skip
COUNTY = doc(
    "quanhe-qzf-2024-7", "泉河市青山县人民政府关于促进青年就业的实施方案", "青政发〔2024〕7号",
    "泉河市青山县人民政府", "2024-04-08", "泉河市青山县", "county",
)  # fmt: skip
LAW = {
    "iri": LAW_STUB,
    "id": None,
    "title": "中华人民共和国就业促进法",
    "doc_number": None,
    "issuer": None,
    "date": None,
    "jurisdiction": None,
    "level": None,
    "loaded": False,
}


def link(a: dict, b: dict) -> dict:
    return {"from": a["iri"], "relation": "implements", "to": b["iri"]}


@pytest.fixture(scope="module")
def store() -> RdfStore:
    store = RdfStore.open(None, IRIS)
    store.ensure_vocabularies()
    for name in ORDER:
        store.load_document(extract_file(CHAIN / name))
    return store


def test_city_chain(store: RdfStore) -> None:
    assert chain(store, IRIS, "quanhe-2024-3") == {
        "document": CITY,
        "up": [[PROVINCE], [NATION], [LAW]],
        "down": [[COUNTY]],
        "links": sorted(
            [link(NATION, LAW), link(PROVINCE, NATION), link(CITY, PROVINCE), link(COUNTY, CITY)],
            key=lambda x: (x["from"], x["relation"], x["to"]),
        ),
        "cites": [
            {"relation": "cites", "document": NATION},
            {"relation": "implements", "document": PROVINCE},
        ],
    }


def test_top_and_bottom(store: RdfStore) -> None:
    national = chain(store, IRIS, "doc-gf-2023-9")
    assert national["up"] == [[LAW]]
    assert national["down"] == [[PROVINCE], [CITY], [COUNTY]]  # the city only cites it
    county = chain(store, IRIS, "quanhe-qzf-2024-7")
    assert county["up"] == [[CITY], [PROVINCE], [NATION], [LAW]]
    assert county["down"] == []


def test_repealed_document_is_cited_not_chained(store: RdfStore) -> None:
    province = chain(store, IRIS, "dongyue-yzf-2023-15")
    assert province["up"] == [[NATION], [LAW]]
    assert [(c["relation"], c["document"]["doc_number"]) for c in province["cites"]] == [
        ("implements", "国发〔2023〕9号"),
        ("repeals", "岳政发〔2019〕2号"),
    ]
    assert province["cites"][1]["document"]["loaded"] is False


def test_unknown_document(store: RdfStore) -> None:
    with pytest.raises(NotFound):
        chain(store, IRIS, "no-such-doc")


def test_number_written_another_way_still_resolves(tmp_path) -> None:
    """A loaded document whose 发文字号 is written ``国发[2023]09号`` (ASCII brackets, a
    leading zero) is the one the province cites as ``国发〔2023〕9号``."""
    text = (CHAIN / "national-guofa-2023-9.txt").read_text(encoding="utf-8")
    variant = tmp_path / "national.txt"
    written = text.replace("发文字号：国发〔2023〕9号", "发文字号：国发[2023]09号")
    variant.write_text(written, encoding="utf-8")
    store = RdfStore.open(None, IRIS)
    store.ensure_vocabularies()
    nation = extract_file(variant)
    assert nation.document.doc_number == "国发[2023]09号"  # kept as written
    store.load_document(nation)
    store.load_document(extract_file(CHAIN / "provincial-yuezhengfa-2023-15.txt"))
    province = chain(store, IRIS, "dongyue-yzf-2023-15")
    (up,) = province["up"][0]
    assert (up["id"], up["doc_number"], up["loaded"]) == (
        nation.document.id,
        "国发[2023]09号",
        True,
    )
