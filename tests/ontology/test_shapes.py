"""SHACL shapes: a generated graph conforms; hand-broken graphs are reported precisely."""

from __future__ import annotations

import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from graph.rdf.mapping import extraction_graph
from graph.rdf.shacl import validate
from graph.rdf.store import RdfStore
from ontology.files import shapes_graph
from ontology.iris import SH, Iris
from tests.graph.rdf.test_sample import SAMPLE_GROUPS, sample_extraction

DOC = "jinan-2025-5"


def graph(iris: Iris) -> Graph:
    return extraction_graph(sample_extraction(), iris, SAMPLE_GROUPS)


@pytest.mark.parametrize("base", ["http://kg.test", "https://kg.example.org/policy"])
def test_generated_graph_conforms_under_any_base(base: str) -> None:
    iris = Iris(base)
    assert validate(graph(iris), iris).conforms is True
    namespaces = {str(o) for o in shapes_graph(iris).objects(None, SH.namespace)}
    assert namespaces == {iris.ontology_ns}


def test_stored_document_graph_conforms() -> None:
    iris = Iris("http://kg.test")
    store = RdfStore.open(None, iris)
    store.load_document(sample_extraction(), SAMPLE_GROUPS)
    report = validate(store.document_graph(DOC), iris)
    assert (report.conforms, report.violations) == (True, [])


def test_two_leads_are_reported() -> None:
    iris = Iris("http://kg.test")
    g = graph(iris)
    support = iris.responsibility(DOC, 1, 2)
    g.set((support, iris.pkg.role, iris.pkg.lead))
    report = validate(g, iris)
    assert report.conforms is False
    assert report.violations == [f"{iris.measure(DOC, 1)}: measure has more than one lead agency"]


def test_responsibility_without_agency_is_reported() -> None:
    iris = Iris("http://kg.test")
    g = graph(iris)
    g.remove((iris.responsibility(DOC, 2, 1), iris.pkg.agency, None))
    assert validate(g, iris).violations == [
        f"{iris.responsibility(DOC, 2, 1)} (pkg:agency): "
        "responsibility must name exactly one agency"
    ]


def test_measure_in_two_chapters_is_reported() -> None:
    iris = Iris("http://kg.test")
    g = graph(iris)
    g.add((iris.measure(DOC, 2), iris.pkg.inChapter, iris.chapter(DOC, 1)))
    assert validate(g, iris).violations == [
        f"{iris.measure(DOC, 2)} (pkg:inChapter): measure must be in exactly one chapter"
    ]


def test_sole_with_another_responsibility_is_reported() -> None:
    iris = Iris("http://kg.test")
    g = graph(iris)
    g.set((iris.responsibility(DOC, 1, 1), iris.pkg.role, iris.pkg.sole))
    assert validate(g, iris).violations == [
        f"{iris.measure(DOC, 1)}: "
        "a sole responsibility must be the only responsibility of its measure"
    ]


def test_bad_role_rank_and_date_are_reported() -> None:
    iris = Iris("http://kg.test")
    g = graph(iris)
    resp = iris.responsibility(DOC, 1, 1)
    g.set((resp, iris.pkg.role, URIRef(f"{iris.ontology_ns}boss")))
    g.set((resp, iris.pkg.rank, Literal(0)))
    g.set((iris.document(DOC), iris.pkg.writtenDate, Literal("2025年6月21日")))
    assert validate(g, iris).violations == [
        f"{iris.document(DOC)} (pkg:writtenDate): pkg:writtenDate must be one xsd:date",
        f"{resp} (pkg:rank): responsibility must have exactly one rank (integer >= 1)",
        f"{resp} (pkg:role): "
        "responsibility must have exactly one role in lead, support, shared, sole",
    ]


def test_agency_with_two_registered_flags_and_orphan_chapter() -> None:
    iris = Iris("http://kg.test")
    g = graph(iris)
    g.add((iris.agency("jinan-fgw"), iris.pkg.registered, Literal(False)))
    orphan = iris.chapter(DOC, 9)
    g.add((orphan, RDF.type, iris.pkg.Chapter))
    violations = validate(g, iris).violations
    assert f"{orphan} (pkg:inDocument): chapter must belong to exactly one document" in violations
    assert (
        f"{iris.agency('jinan-fgw')} (pkg:registered): "
        "agency must say whether it is registered (one boolean)"
    ) in violations
    assert len(violations) == 5  # + orphan chapter's ordinal, title and label


def test_agency_may_have_one_label_per_language_but_not_two_in_one() -> None:
    iris = Iris("http://kg.test")
    g = graph(iris)
    agency = next(g.subjects(RDF.type, iris.pkg.Agency))
    g.add((agency, SKOS.prefLabel, Literal("Jinan Municipal Bureau", lang="en")))
    assert validate(g, iris).conforms is True
    g.add((agency, SKOS.prefLabel, Literal("另一个名称")))
    assert validate(g, iris).violations == [
        f"{agency} (skos:prefLabel): "
        "agency must have a skos:prefLabel, at most one per language (SKOS S14)"
    ]
