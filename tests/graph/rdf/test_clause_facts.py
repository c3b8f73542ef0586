"""What clauses say besides agencies (deadline, leaders, notes, why none) and each agency's
government function and level reach RDF, the fast N-Triples path and the Neo4j rows alike."""

from __future__ import annotations

from rdflib import Literal, URIRef

from graph.neo4j.rows import build_rows
from graph.rdf.lines import fast_extraction_lines, fast_split_lines
from graph.rdf.mapping import extraction_graph, extraction_lines, split_lines
from loaders.model import ClauseRef, Extraction, FunctionRef
from ontology.iris import Iris
from tests.graph.rdf.test_sample import SAMPLE_GROUPS, sample_extraction, span_of

IRIS = Iris("http://kg.test")
PKG = IRIS.pkg


def clause_extraction() -> Extraction:
    """The sample with a deadline, a leader and a note on measure 1, measure 2 stripped of
    its agency (no_clause), and function + level on the support agency."""
    ex = sample_extraction()
    m1, m2 = ex.measures
    fgw = m1.agencies[1].model_copy(
        update={"function": FunctionRef(id="drc", label="发展改革"), "level": "city"}
    )
    m1 = m1.model_copy(
        update={
            "agencies": (m1.agencies[0], fgw),
            "deadline": "2025年底前",
            "leaders": ("张三",),
            "clauses": (
                ClauseRef(
                    text="(责任单位:市人力资源社会保障局牵头,市发展改革委配合)",
                    span=span_of("(责任单位:市人力资源社会保障局牵头,市发展改革委配合)"),
                    notes=("不再做分工",),
                ),
            ),
        }
    )
    m2 = m2.model_copy(update={"agencies": (), "no_agencies": "no_clause"})
    return ex.model_copy(update={"measures": (m1, m2)})


def test_clause_facts_and_agency_function_in_rdf() -> None:
    g = extraction_graph(clause_extraction(), IRIS, SAMPLE_GROUPS)
    m1 = IRIS.measure("jinan-2025-5", 1)
    m2 = IRIS.measure("jinan-2025-5", 2)
    fgw = IRIS.agency("jinan-fgw")
    assert set(g.objects(m1, PKG.deadline)) == {Literal("2025年底前")}
    assert set(g.objects(m1, PKG.leader)) == {Literal("张三")}
    assert set(g.objects(m1, PKG.clauseNote)) == {Literal("不再做分工")}
    assert set(g.objects(m1, PKG.noAgencies)) == set()
    assert set(g.objects(m2, PKG.noAgencies)) == {Literal("no_clause")}
    assert set(g.objects(m2, PKG.responsibility)) == set()
    assert set(g.objects(fgw, PKG.function)) == {URIRef("http://kg.test/id/function/drc")}
    assert set(g.objects(fgw, PKG.level)) == {PKG.city}
    hrss = IRIS.agency("jinan-hrss")
    assert set(g.objects(hrss, PKG.function)) == set()


def test_fast_lines_still_equal_the_mapping() -> None:
    ex = clause_extraction()
    assert fast_extraction_lines(ex, IRIS, SAMPLE_GROUPS) == extraction_lines(
        ex, IRIS, SAMPLE_GROUPS
    )
    assert fast_split_lines(ex, IRIS, SAMPLE_GROUPS) == split_lines(ex, IRIS, SAMPLE_GROUPS)


def test_neo4j_rows_carry_the_same_facts() -> None:
    rows = build_rows([(clause_extraction(), "v1")], IRIS, SAMPLE_GROUPS)
    m1, m2 = (row["props"] for row in rows.measures)
    assert (m1["deadline"], m1["leaders"], m1["clause_notes"], m1["no_agencies"]) == (
        "2025年底前",
        ["张三"],
        ["不再做分工"],
        None,
    )
    assert (m2["deadline"], m2["leaders"], m2["no_agencies"]) == (None, [], "no_clause")
    fgw = rows.agencies[str(IRIS.agency("jinan-fgw"))]
    assert (fgw["function"], fgw["function_label"], fgw["level"]) == ("drc", "发展改革", "city")
    hrss = rows.agencies[str(IRIS.agency("jinan-hrss"))]
    assert (hrss["function"], hrss["level"]) == (None, None)
