"""The README “RDF mapping” applied to the hand-made sample (exact triples)."""

from __future__ import annotations

from datetime import date

from rdflib import DCTERMS, RDF, RDFS, SKOS, Graph, Literal
from rdflib import namespace as ns

from graph.rdf.mapping import (
    EMPTY_GROUPS,
    document_id_from_iri,
    extraction_graph,
    extraction_lines,
    extraction_to_turtle,
    extraction_triples,
    fingerprint,
    nt_lines,
    nt_term,
)
from ontology.iris import ELI, ORG, Iris
from tests.graph.rdf.test_sample import SAMPLE_GROUPS, SAMPLE_TRIPLES, sample_extraction

IRIS = Iris("http://kg.test")
DOC = "jinan-2025-5"


def test_exact_triple_count_and_no_duplicates() -> None:
    triples = extraction_triples(sample_extraction(), IRIS, SAMPLE_GROUPS)
    assert len(triples) == SAMPLE_TRIPLES
    assert len(set(triples)) == SAMPLE_TRIPLES


def test_document_triples() -> None:
    g = extraction_graph(sample_extraction(), IRIS, SAMPLE_GROUPS)
    doc = IRIS.document(DOC)
    assert str(doc) == "http://kg.test/id/document/jinan-2025-5"
    assert (doc, RDF.type, IRIS.pkg.PolicyDocument) in g
    assert g.value(doc, IRIS.pkg.docNumber) == Literal("济政发〔2025〕5号")
    assert g.value(doc, ELI.id_local) == Literal("济政发〔2025〕5号")  # already one spelling
    written = g.value(doc, IRIS.pkg.writtenDate)
    assert isinstance(written, Literal)
    assert written.datatype == ns.XSD.date and written.toPython() == date(2025, 6, 21)
    assert g.value(doc, IRIS.pkg.effectiveDate) is None
    assert set(g.objects(doc, IRIS.pkg.addressee)) == {
        Literal("各区县人民政府"),
        Literal("市政府各部门(单位)"),
    }
    assert g.value(doc, RDFS.label) == g.value(doc, DCTERMS.title)


def test_measure_chapter_and_responsibility_triples() -> None:
    g = extraction_graph(sample_extraction(), IRIS, SAMPLE_GROUPS)
    pkg = IRIS.pkg
    m1 = IRIS.measure(DOC, 1)
    assert str(m1) == "http://kg.test/id/document/jinan-2025-5/measure/1"
    assert g.value(m1, pkg.inChapter) == IRIS.chapter(DOC, 1)
    assert g.value(m1, pkg.inDocument) == IRIS.document(DOC)
    assert g.value(m1, pkg.ordinal) == Literal(1)
    assert g.value(m1, DCTERMS.title) == Literal("扩大高校毕业生就业")
    assert g.value(IRIS.chapter(DOC, 2), pkg.inDocument) == IRIS.document(DOC)
    r2 = IRIS.responsibility(DOC, 1, 2)
    assert set(g.objects(m1, pkg.responsibility)) == {IRIS.responsibility(DOC, 1, 1), r2}
    assert g.value(r2, pkg.agency) == IRIS.agency("jinan-fgw")
    assert g.value(r2, pkg.role) == pkg.support
    assert g.value(r2, pkg.rank) == Literal(2)
    assert g.value(r2, pkg.asWritten) == Literal("市发展改革委")
    assert g.value(r2, RDFS.label) == Literal("济南市发展和改革委员会（配合）")
    r_sole = IRIS.responsibility(DOC, 2, 1)
    assert g.value(r_sole, pkg.role) == pkg.sole
    span = (g.value(r_sole, pkg.spanStart), g.value(r_sole, pkg.spanEnd))
    ag = sample_extraction().measures[1].agencies[0]
    assert span == (Literal(ag.span.start), Literal(ag.span.end))


def test_mentions_groups_programs_and_agencies() -> None:
    g = extraction_graph(sample_extraction(), IRIS, SAMPLE_GROUPS)
    pkg = IRIS.pkg
    m1 = IRIS.measure(DOC, 1)
    grads, youth = IRIS.target_group("college-graduates"), IRIS.target_group("youth")
    assert set(g.objects(m1, pkg.targets)) == {grads}
    assert set(g.objects(m1, pkg.uses)) == {IRIS.program("quan-jiuye")}
    mention = IRIS.mention(DOC, 1, "program", 1)
    assert str(mention).endswith("/measure/1/program-mention/1")
    assert g.value(mention, pkg.about) == IRIS.program("quan-jiuye")
    assert g.value(mention, pkg.asWritten) == Literal("泉就业")
    assert set(g.objects(m1, pkg.mention)) == {mention, IRIS.mention(DOC, 1, "group", 1)}
    # groups: type, labels, broader chain including the broader concept's label
    assert (grads, RDF.type, SKOS.Concept) in g and (grads, RDF.type, pkg.TargetGroup) in g
    assert list(g.objects(grads, SKOS.broader)) == [youth]
    assert g.value(youth, SKOS.prefLabel) == Literal("青年")
    assert (youth, RDF.type, pkg.TargetGroup) in g
    # program
    program = IRIS.program("quan-jiuye")
    assert g.value(program, pkg.programType) == IRIS.program_type("brand")
    assert g.value(program, RDFS.label) == Literal("泉就业")
    # agency described once, with the written name as altLabel
    hrss = IRIS.agency("jinan-hrss")
    assert (hrss, RDF.type, ORG.Organization) in g and (hrss, RDF.type, pkg.Agency) in g
    assert g.value(hrss, SKOS.prefLabel) == Literal("济南市人力资源和社会保障局")
    assert list(g.objects(hrss, SKOS.altLabel)) == [Literal("市人力资源社会保障局")]
    assert g.value(hrss, pkg.registered) == Literal(True)
    assert g.value(hrss, pkg.agencyKind) == IRIS.agency_kind("government_department")
    assert g.value(hrss, pkg.jurisdiction) == Literal("济南市")


def test_unknown_broader_group_is_described_with_its_id() -> None:
    triples = extraction_triples(sample_extraction(), IRIS, EMPTY_GROUPS)
    youth = IRIS.target_group("youth")
    assert (youth, SKOS.prefLabel, Literal("youth")) in triples
    # the vocabulary label replaces 4 triples' worth of id-label: same count either way
    assert len(triples) == SAMPLE_TRIPLES


def test_every_instance_has_a_label() -> None:
    g = extraction_graph(sample_extraction(), IRIS, SAMPLE_GROUPS)
    typed = set(g.subjects(RDF.type))
    assert len(typed) == 17  # doc, 2 chapters, 2 measures, 3 resp, 3 mentions, 2 ag, 3 grp, 1 prog
    assert all(g.value(s, RDFS.label) is not None for s in typed)


def test_turtle_round_trip_and_prefixes() -> None:
    text = extraction_to_turtle(sample_extraction(), IRIS, SAMPLE_GROUPS)
    assert "@prefix pkg: <http://kg.test/ontology#> ." in text
    assert "pkg:Measure" in text
    parsed = Graph().parse(data=text, format="turtle")
    assert len(parsed) == SAMPLE_TRIPLES


def test_nt_escaping_and_fingerprint_is_order_independent() -> None:
    assert nt_term(Literal('a "q"\\\nb')) == '"a \\"q\\"\\\\\\nb"'
    assert nt_term(Literal(3)) == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    triples = extraction_triples(sample_extraction(), IRIS, SAMPLE_GROUPS)
    assert fingerprint(nt_lines(triples)) == fingerprint(nt_lines(reversed(triples)))
    changed = extraction_triples(sample_extraction(title="另一个标题"), IRIS, SAMPLE_GROUPS)
    assert fingerprint(nt_lines(changed)) != fingerprint(nt_lines(triples))


def test_document_id_from_iri() -> None:
    assert (
        document_id_from_iri(IRIS, str(IRIS.document("jinan-jzbf-2024-3"))) == "jinan-jzbf-2024-3"
    )
    assert document_id_from_iri(IRIS, str(IRIS.agency("x"))) is None


def test_fast_lines_equal_rdflib_serialisation() -> None:
    ex = sample_extraction()
    fast = extraction_lines(ex, IRIS, SAMPLE_GROUPS)
    assert fast == nt_lines(extraction_triples(ex, IRIS, SAMPLE_GROUPS))
    assert len(fast) == SAMPLE_TRIPLES
