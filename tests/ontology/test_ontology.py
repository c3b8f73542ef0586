"""The OWL ontology: every term declared and labelled, relative IRIs under any base."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef

from ontology.files import ontology_graph
from ontology.iris import ELI, ORG, TERMS, Iris

BASES = ["http://localhost:8000", "https://kg.example.org/policy/"]


@pytest.mark.parametrize("base", BASES)
def test_ontology_iris_resolve_under_the_base(base: str) -> None:
    iris = Iris(base)
    g = ontology_graph(iris)
    assert (iris.ontology_graph, RDF.type, OWL.Ontology) in g
    assert str(iris.pkg.Measure) == f"{base.rstrip('/')}/ontology#Measure"
    minted = {str(s) for s in g.subjects() if isinstance(s, URIRef)}
    assert minted and all(iris.is_minted(s) for s in minted)


@pytest.mark.parametrize("term", TERMS)
def test_every_term_is_declared_with_zh_and_en_label_and_definition(term: str) -> None:
    iris = Iris(BASES[0])
    g = ontology_graph(iris)
    node = iris.pkg[term]
    kinds = set(g.objects(node, RDF.type))
    assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept}
    langs = {lit.language for lit in g.objects(node, RDFS.label) if isinstance(lit, Literal)}
    assert {"zh", "en"} <= langs
    assert g.value(node, SKOS.definition) is not None


def test_reuse_of_standard_vocabularies() -> None:
    iris = Iris(BASES[0])
    g = ontology_graph(iris)
    pkg = iris.pkg
    assert (pkg.PolicyDocument, RDFS.subClassOf, ELI.LegalResource) in g
    assert (pkg.Agency, RDFS.subClassOf, ORG.Organization) in g
    assert (pkg.TargetGroup, RDFS.subClassOf, SKOS.Concept) in g
    assert (pkg.writtenDate, RDFS.subPropertyOf, ELI.date_document) in g
    assert (pkg.inChapter, RDFS.subPropertyOf, URIRef("http://purl.org/dc/terms/isPartOf")) in g


def test_roles_are_concepts_of_the_role_scheme() -> None:
    iris = Iris(BASES[0])
    g = ontology_graph(iris)
    roles = set(g.subjects(SKOS.inScheme, iris.pkg.Role))
    assert roles == {iris.pkg.lead, iris.pkg.support, iris.pkg.shared, iris.pkg.sole}
    assert all((r, RDF.type, SKOS.Concept) in g for r in roles)


def test_ontology_has_no_blank_nodes() -> None:
    g = ontology_graph(Iris(BASES[0]))
    assert not [t for t in g if any(not isinstance(x, (URIRef, Literal)) for x in t)]
