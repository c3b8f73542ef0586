"""Labels of the levels of government (``pkg:GovernmentLevel`` in ``policykg.ttl``), so pages
and views say 国家级/省级/市级/县级/区级 as the ontology does, not from copies of their own."""

from __future__ import annotations

from functools import lru_cache

from rdflib import RDF, RDFS, SKOS, Literal

from ontology.files import ontology_graph
from ontology.iris import Iris


@lru_cache(maxsize=2)
def level_labels(lang: str = "zh") -> dict[str, str]:
    """Level notation (``city``) → its ``rdfs:label`` in ``lang`` (``市级``), read once."""
    iris = Iris("http://localhost:8000")  # any base: keyed by notation
    graph = ontology_graph(iris)
    found: dict[str, str] = {}
    for level in graph.subjects(RDF.type, iris.pkg.GovernmentLevel):
        notation = graph.value(level, SKOS.notation)
        for label in graph.objects(level, RDFS.label):
            if notation is not None and isinstance(label, Literal) and label.language == lang:
                found[str(notation)] = str(label)
    return found
