"""Shared nodes are described once in the store, whatever the number of documents using them.

Registered agencies and target groups live in their vocabulary graphs only, nodes minted
from documents (unregistered agencies, programs) in the one shared graph, garbage-collected
when no document uses them any more. SPARQL over the union graph then answers each row once.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.rdf.mapping import SHARED_GRAPH, split_facts
from graph.rdf.shacl import validate
from graph.rdf.store import RdfStore
from loaders import extract_file
from loaders.model import (
    AgencyRef,
    Chapter,
    DocumentMeta,
    Extraction,
    Measure,
    ProgramRef,
    Span,
    TargetGroupRef,
)
from ontology.iris import Iris
from tests.paths import ROOT

IRIS = Iris("http://kg.test")
JINAN = ROOT / "data" / "jinan-2025-5.txt"
HRSS_NAME = "济南市人力资源和社会保障局"
CENTRE = "济南市某某服务中心"  # unregistered: not in ontology/vocab/agencies.ttl
CENTRE_ID = "jinan-u-test000001"
PROGRAM = "泉城就业行动"
SPAN = Span(start=0, end=1)


@pytest.fixture(scope="module")
def jinan() -> RdfStore:
    store = RdfStore.open(None, IRIS)
    store.load_document(extract_file(JINAN))
    return store


def test_a_registered_agency_has_one_label(jinan: RdfStore) -> None:
    rows = jinan.select("SELECT ?l WHERE { ?a skos:prefLabel ?l }", a=IRIS.agency("jinan-hrss"))
    assert rows == [{"l": HRSS_NAME}]
    # plain literals in the vocabulary: exact-match SPARQL finds the agency
    found = jinan.select("SELECT ?a WHERE { ?a skos:prefLabel $name }", name=HRSS_NAME)
    assert found == [{"a": str(IRIS.agency("jinan-hrss"))}]


def test_agencies_of_measure_5_once_each_in_rank_order(jinan: RdfStore) -> None:
    rows = jinan.select(
        """SELECT ?rank ?name WHERE {
          ?m a pkg:Measure ; pkg:ordinal 5 ; pkg:inDocument/pkg:docNumber "济政发〔2025〕5号" ;
             pkg:responsibility ?r .
          ?r pkg:rank ?rank ; pkg:agency/skos:prefLabel ?name } ORDER BY ?rank"""
    )
    # 责任单位:市人力资源社会保障局、市发展改革委、市教育局、市民政局、市财政局、市农业农村局、
    # 市卫生健康委、团市委、市残联、市工商联 (data/jinan-2025-5.txt, measure 5)
    assert rows == [
        {"rank": rank, "name": name}
        for rank, name in enumerate(
            [
                HRSS_NAME,
                "济南市发展和改革委员会",
                "济南市教育局",
                "济南市民政局",
                "济南市财政局",
                "济南市农业农村局",
                "济南市卫生健康委员会",
                "共青团济南市委员会",
                "济南市残疾人联合会",
                "济南市工商业联合会",
            ],
            start=1,
        )
    ]


def test_jinan_document_graph_holds_no_shared_descriptions(jinan: RdfStore) -> None:
    graph = IRIS.document_graph("jinan-2025-5")
    rows = jinan.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?a ?p ?l }} }}")
    assert rows == [{"n": len(split_facts(extract_file(JINAN), IRIS).document) + 1}]
    rows = jinan.select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?a skos:prefLabel ?l }} }}"
    )
    assert rows == [{"n": 0}]
    report = validate(jinan.document_graph("jinan-2025-5"), IRIS)
    assert (report.conforms, report.violations) == (True, [])


def extraction(doc_id: str, with_program: bool = True) -> Extraction:
    """One chapter, one measure: the unregistered centre leads, optionally a program."""
    centre = AgencyRef(
        name="市某某服务中心",
        id=CENTRE_ID,
        canonical_name=CENTRE,
        kind="government_department",
        jurisdiction="济南市",
        registered=False,
        role="sole",
        rank=1,
        span=SPAN,
    )
    programs = (ProgramRef(name=PROGRAM, id="quan-cheng", type="action", span=SPAN),)
    measure = Measure(
        id=f"{doc_id}/measure/1",
        ordinal=1,
        chapter=1,
        title="开展就业行动",
        text="开展就业行动。",
        span=SPAN,
        agencies=(centre,),
        target_groups=(
            TargetGroupRef(
                name="高校毕业生",
                id="college-graduates",
                label="高校毕业生",
                broader=("youth",),
                span=SPAN,
            ),
        ),
        programs=programs if with_program else (),
    )
    return Extraction(
        document=DocumentMeta(id=doc_id, title=f"文件{doc_id}", source_name=f"{doc_id}.txt"),
        chapters=(Chapter(ordinal=1, title="总则", span=SPAN),),
        measures=(measure,),
        source_text="开展就业行动。",
    )


def quads_about(store: RdfStore, iri: object) -> int:
    return len(list(store.store.quads_for_pattern(ox.NamedNode(str(iri)), None, None, None)))


def label_rows(store: RdfStore, node: object, predicate: str) -> list[dict[str, object]]:
    return store.select(f"SELECT ?l WHERE {{ ?x {predicate} ?l }}", x=node)


def test_two_documents_share_one_description() -> None:
    centre, program = IRIS.agency(CENTRE_ID), IRIS.program("quan-cheng")
    with RdfStore.open(None, IRIS) as store:
        store.load_documents([extraction("doc-a"), extraction("doc-b")])
        assert label_rows(store, centre, "skos:prefLabel") == [{"l": CENTRE}]
        assert label_rows(store, program, "rdfs:label") == [{"l": PROGRAM}]
        # agency: 2 types, prefLabel, rdfs:label, altLabel, kind, jurisdiction, registered;
        # program: type, label, programType — all in the shared graph only
        assert (quads_about(store, centre), quads_about(store, program)) == (8, 3)
        graph = IRIS.vocabulary_graph(SHARED_GRAPH)
        shared = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert shared == [{"n": 11}]
        assert store.counts()["agencies"] == 1 and store.counts()["programs"] == 1

        assert store.remove_document("doc-a") is True
        assert (quads_about(store, centre), quads_about(store, program)) == (8, 3)
        assert label_rows(store, centre, "skos:prefLabel") == [{"l": CENTRE}]

        assert store.remove_document("doc-b") is True
        assert (quads_about(store, centre), quads_about(store, program)) == (0, 0)
        assert store.counts()["agencies"] == 0
        # the vocabulary's groups are not collected
        assert label_rows(store, IRIS.target_group("youth"), "rdfs:label") == [{"l": "青年"}]


def test_replacing_a_document_collects_a_program_it_no_longer_uses() -> None:
    centre, program = IRIS.agency(CENTRE_ID), IRIS.program("quan-cheng")
    with RdfStore.open(None, IRIS) as store:
        store.load_document(extraction("doc-a"))
        assert store.load_document(extraction("doc-a", with_program=False)).changed is True
        assert (quads_about(store, centre), quads_about(store, program)) == (8, 0)
        assert store.counts()["programs"] == 0


def test_restore_brings_back_the_shared_description() -> None:
    program = IRIS.program("quan-cheng")
    with RdfStore.open(None, IRIS) as store:
        store.load_document(extraction("doc-a"))
        before = store.snapshot_document("doc-a")
        digest = store.content_hash("doc-a")
        store.load_document(extraction("doc-a", with_program=False))
        assert quads_about(store, program) == 0
        store.restore_document(before)
        assert quads_about(store, program) == 3
        assert label_rows(store, program, "rdfs:label") == [{"l": PROGRAM}]
        assert store.content_hash("doc-a") == digest
        assert store.load_document(extraction("doc-a")).changed is False
        # restoring "absent" removes the document and collects what only it used
        absent = store.snapshot_document("doc-b")
        store.load_document(extraction("doc-b"))
        store.remove_document("doc-a")
        store.restore_document(absent)
        assert store.document_ids() == []
        assert (quads_about(store, IRIS.agency(CENTRE_ID)), quads_about(store, program)) == (0, 0)
