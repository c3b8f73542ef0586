"""Citations in RDF: links to stubs, stubs in the shared graph, resolution in any load order.

Corpus: tests/fixtures/chain (a national, a provincial, a city and a county document written
for these tests). The city document implements 岳政发〔2023〕15号 (the provincial one) and
cites 国发〔2023〕9号 (the national one); the county document implements the city document by
its exact title, without a number; the provincial one repeals 岳政发〔2019〕2号 (not loaded).
"""

from __future__ import annotations

import hashlib

import pytest
from rdflib import DCTERMS, RDF, RDFS, URIRef

from graph.rdf.citations import citation_facts, citation_links, cited_key, stub_nodes
from graph.rdf.lines import fast_extraction_lines, fast_split_lines
from graph.rdf.mapping import SHARED_GRAPH, extraction_graph, extraction_lines, split_lines
from graph.rdf.shacl import validate
from graph.rdf.store import RdfStore
from loaders import extract_file
from loaders.model import Citation, Extraction
from ontology.iris import ELI, Iris
from tests.paths import ROOT

IRIS = Iris("http://kg.test")
CHAIN = ROOT / "tests" / "fixtures" / "chain"
FILES = {
    "national": "national-guofa-2023-9.txt",
    "provincial": "provincial-yuezhengfa-2023-15.txt",
    "city": "city-quanzhengfa-2024-3.txt",
    "county": "county-qingzhengfa-2024-7.txt",
}
CITY_TITLE = "泉河市人民政府关于印发泉河市促进青年就业若干措施的通知"


def sha(text: str, n: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


@pytest.fixture(scope="module")
def docs() -> dict[str, Extraction]:
    return {level: extract_file(CHAIN / name) for level, name in FILES.items()}


def test_keys_by_number_else_title() -> None:
    assert cited_key(Citation(doc_number="岳政发〔2023〕15号")) == (
        f"yzf-2023-15-{sha('岳政发〔2023〕15号', 6)}"
    )
    # the same number written otherwise is the same stub
    assert cited_key(Citation(doc_number="岳政發[2023]015號", title="x")) == cited_key(
        Citation(doc_number="岳政发〔2023〕15号")
    )
    assert cited_key(Citation(title=CITY_TITLE)) == f"t-{sha(CITY_TITLE, 10)}"
    assert cited_key(Citation()) is None


def test_city_document_facts(docs: dict[str, Extraction]) -> None:
    own, shared = citation_facts(docs["city"], IRIS)
    city = URIRef("http://kg.test/id/document/quanhe-2024-3")
    province = URIRef(f"http://kg.test/id/cited/yzf-2023-15-{sha('岳政发〔2023〕15号', 6)}")
    nation = URIRef(f"http://kg.test/id/cited/gf-2023-9-{sha('国发〔2023〕9号', 6)}")
    assert own == [(city, ELI.applies, province), (city, ELI.cites, nation)]
    stub = IRIS.pkg.CitedDocument
    assert shared == [
        (province, RDF.type, stub),
        (province, RDFS.label, "岳政发〔2023〕15号"),
        (province, ELI.id_local, "岳政发〔2023〕15号"),
        (province, DCTERMS.title, "东岳省人民政府关于做好青年就业工作的实施意见"),
        (nation, RDF.type, stub),
        (nation, RDFS.label, "国发〔2023〕9号"),
        (nation, ELI.id_local, "国发〔2023〕9号"),
    ]


def test_repeals_and_replaces_predicates(docs: dict[str, Extraction]) -> None:
    own, _ = citation_facts(docs["provincial"], IRIS)
    assert [p for _, p, _ in own] == [ELI.applies, ELI.repeals]
    replacing = docs["city"].model_copy(
        update={
            "document": docs["city"].document.model_copy(
                update={"cites": (Citation(title="旧办法", relation="replaces"),)}
            )
        }
    )
    assert [p for _, p, _ in citation_facts(replacing, IRIS)[0]] == [IRIS.pkg.replaces]


def test_fast_lines_equal_the_mapping(docs: dict[str, Extraction]) -> None:
    for ex in docs.values():
        assert fast_split_lines(ex, IRIS) == split_lines(ex, IRIS)
        assert fast_extraction_lines(ex, IRIS) == extraction_lines(ex, IRIS)


def test_shacl_accepts_documents_with_citations(docs: dict[str, Extraction]) -> None:
    for ex in docs.values():
        assert validate(extraction_graph(ex, IRIS), IRIS).conforms


def test_resolution_in_either_order_without_reload(docs: dict[str, Extraction]) -> None:
    store = RdfStore.open(None, IRIS)
    store.ensure_vocabularies()
    county = "http://kg.test/id/document/quanhe-qzf-2024-7"
    city = "http://kg.test/id/document/quanhe-2024-3"
    stub = f"http://kg.test/id/cited/t-{sha(CITY_TITLE, 10)}"
    store.load_document(docs["county"])  # before the document it cites
    county_hash = store.content_hash("quanhe-qzf-2024-7")
    assert citation_links(store) == {(county, "implements", stub, None)}
    store.load_document(docs["city"])
    assert store.content_hash("quanhe-qzf-2024-7") == county_hash  # county graph untouched
    links = citation_links(store)
    assert (county, "implements", stub, city) in links
    province_stub = f"http://kg.test/id/cited/yzf-2023-15-{sha('岳政发〔2023〕15号', 6)}"
    assert (city, "implements", province_stub, None) in links
    store.load_document(docs["provincial"])
    province = "http://kg.test/id/document/dongyue-yzf-2023-15"
    assert (city, "implements", province_stub, province) in citation_links(store)
    store.remove_document("quanhe-2024-3")  # the cited document goes: the stub stays
    assert (county, "implements", stub, None) in citation_links(store)
    assert (stub, None) in stub_nodes(store)
    store.remove_document("quanhe-qzf-2024-7")  # the last citing document goes: so does the stub
    shared = IRIS.vocabulary_graph(SHARED_GRAPH)
    left = store.select(f"SELECT ?p WHERE {{ GRAPH <{shared}> {{ <{stub}> ?p ?o }} }}")
    assert left == []
