"""Check an RDF graph against ``ontology/shapes.ttl`` with pyshacl.

Used on each document graph after a load and by ``verify``, through
``RdfStore.document_graph``: the document's own graph together with the descriptions of the
agencies, groups and programs it uses, taken from the vocabulary and shared graphs (the store
describes each of them once, outside document graphs). The shapes state what the rest of
policykg assumes (one chapter per measure, at most one lead, ...), so a violation is a loader
bug worth reporting, not a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from pyshacl import validate as pyshacl_validate
from rdflib import RDF, Graph, Node

from ontology.files import shapes_graph
from ontology.iris import SH, Iris


@dataclass(frozen=True)
class ShaclReport:
    conforms: bool
    violations: list[str] = field(default_factory=list)  # "<focus> (path): message", sorted


@lru_cache(maxsize=8)
def _shapes(iris: Iris) -> Graph:
    return shapes_graph(iris)


def _show(node: Node | None, iris: Iris) -> str:
    """A path IRI as ``prefix:local`` when a known prefix covers it."""
    text = "" if node is None else str(node)
    for prefix, namespace in iris.prefixes.items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def _path(results: Graph, result: Node, iris: Iris) -> str:
    path = results.value(result, SH.resultPath)
    if path is None:
        return ""
    inverse = results.value(path, SH.inversePath)
    return f"^{_show(inverse, iris)}" if inverse is not None else _show(path, iris)


def validate(data: Graph, iris: Iris) -> ShaclReport:
    """Validate ``data`` (no inference); each violation names focus node, path and problem."""
    conforms, results, _text = pyshacl_validate(
        data,
        shacl_graph=_shapes(iris),
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    if not isinstance(results, Graph):  # only when serialize_report_graph is set
        raise TypeError("pyshacl returned a serialised report")
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage)
        path = _path(results, result, iris)
        where = f"{focus}" + (f" ({path})" if path else "")
        violations.append(f"{where}: {message}")
    return ShaclReport(conforms=bool(conforms), violations=sorted(violations))
