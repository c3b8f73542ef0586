"""Citations in Neo4j: the same links, stubs and chains as the RDF store, in any load order.

Uses the four-level corpus of tests/fixtures/chain (see tests/graph/catalog/test_chain.py for
what each document cites), loaded county first into both stores.
"""

from __future__ import annotations

import neo4j as neo4j_lib

from graph.catalog.chain import chain as sparql_chain
from graph.neo4j import store as neo4j_store
from graph.neo4j.citations import chain as cypher_chain
from graph.neo4j.citations import citation_differences, neo4j_citation_links, neo4j_stub_nodes
from graph.neo4j.rows import build_rows
from graph.rdf.citations import verify_keys
from graph.rdf.store import RdfStore
from graph.settings import Settings
from graph.verify import citation_lines, compare_stores
from loaders import extract_file
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
IDS = ("doc-gf-2023-9", "dongyue-yzf-2023-15", "quanhe-2024-3", "quanhe-qzf-2024-7")


def test_rows_merge_stub_titles() -> None:
    rows = build_rows([(extract_file(CHAIN / n), "v1") for n in ORDER], IRIS)
    assert [(r["document"].rsplit("/", 1)[1], r["relation"]) for r in rows.cites] == [
        ("quanhe-qzf-2024-7", "implements"),
        ("doc-gf-2023-9", "implements"),
        ("quanhe-2024-3", "implements"),
        ("quanhe-2024-3", "cites"),
        ("dongyue-yzf-2023-15", "implements"),
        ("dongyue-yzf-2023-15", "repeals"),
    ]
    national = [r for r in rows.cited.values() if r["doc_number"] == "国发〔2023〕9号"]
    # the city cites it by number only, the province with its title
    assert [r["titles"] for r in national] == [["国务院关于做好当前青年就业工作的意见"]]


def test_same_chains_and_links_as_rdf(neo4j: neo4j_lib.Driver, settings: Settings) -> None:
    database = settings.neo4j_database
    rdf = RdfStore.open(None, IRIS)
    rdf.ensure_vocabularies()
    for name in ORDER:  # one document at a time, the citing county document first
        ex = extract_file(CHAIN / name)
        rdf.load_document(ex)
        neo4j_store.write_document(neo4j, ex, "v1", IRIS, database)
    assert citation_differences(rdf, neo4j, database).identical
    assert len(neo4j_citation_links(neo4j, database)) == 6
    # graph.verify reads the citation keys too: the whole graph compares equal
    assert compare_stores(rdf, neo4j, database).identical
    assert citation_lines(rdf, neo4j, database) == []
    nodes, rels = verify_keys(rdf)
    assert nodes == {k for k in neo4j_store.node_keys(neo4j, database) if k[0] == "CitedDocument"}
    cites = {k for k in neo4j_store.relationship_keys(neo4j, database) if k[0] == "CITES"}
    assert rels == cites and len(rels) == 6
    for doc_id in IDS:
        assert cypher_chain(neo4j, IRIS, doc_id, database) == sparql_chain(rdf, IRIS, doc_id)
    county = cypher_chain(neo4j, IRIS, "quanhe-qzf-2024-7", database)
    assert [[n["id"] for n in level] for level in county["up"]] == [
        ["quanhe-2024-3"],
        ["dongyue-yzf-2023-15"],
        ["doc-gf-2023-9"],
        [None],  # 《中华人民共和国就业促进法》, not loaded
    ]
    # removing the city document: the county's link waits again; its stub stays
    rdf.remove_document("quanhe-2024-3")
    neo4j_store.remove_document(neo4j, "quanhe-2024-3", database)
    assert citation_differences(rdf, neo4j, database).identical
    # the last document citing 岳政发〔2019〕2号 goes: its stub goes in both stores
    rdf.remove_document("dongyue-yzf-2023-15")
    neo4j_store.remove_document(neo4j, "dongyue-yzf-2023-15", database)
    assert not any(n == "岳政发〔2019〕2号" for _, n in neo4j_stub_nodes(neo4j, database))
    assert citation_differences(rdf, neo4j, database).identical


def test_number_written_another_way_resolves_in_both(
    neo4j: neo4j_lib.Driver, settings: Settings, tmp_path
) -> None:
    """The national document written ``国发[2023]09号`` is the province's ``国发〔2023〕9号``
    in Cypher as in SPARQL (both compare the one spelling, not the text as written)."""
    database = settings.neo4j_database
    text = (CHAIN / "national-guofa-2023-9.txt").read_text(encoding="utf-8")
    variant = tmp_path / "national.txt"
    written = text.replace("发文字号：国发〔2023〕9号", "发文字号：国发[2023]09号")
    variant.write_text(written, encoding="utf-8")
    rdf = RdfStore.open(None, IRIS)
    rdf.ensure_vocabularies()
    for ex in (extract_file(variant), extract_file(CHAIN / "provincial-yuezhengfa-2023-15.txt")):
        rdf.load_document(ex)
        neo4j_store.write_document(neo4j, ex, "v1", IRIS, database)
    province = cypher_chain(neo4j, IRIS, "dongyue-yzf-2023-15", database)
    assert [(n["id"], n["loaded"]) for n in province["up"][0]] == [("doc-gf-2023-9", True)]
    assert province == sparql_chain(rdf, IRIS, "dongyue-yzf-2023-15")
    assert compare_stores(rdf, neo4j, database).identical
